import Foundation

/// Exact decimal helpers. All report arithmetic uses `Decimal` (base 10), never binary floating point.
public enum ExactDecimal {
    /// Parses a plain decimal literal such as `6032.346`, `-51` or `1,234`. Returns nil for anything else.
    ///
    /// Most cells are whole numbers of a few digits: those are read in one pass over the bytes, without the
    /// digit buffer `parseCollectingDigits` allocates. Exact: the pass reads the bytes with the same tests in
    /// the same order and computes the same `Int64`, so a literal it answers (no point, no overflow) gets the
    /// same `Decimal(Int64)`, and one it rejects is rejected there at the same byte; anything else is left to
    /// `parseCollectingDigits`.
    public static func parse(_ text: String) -> Decimal? {
        var sawDigit = false, negative = false
        var intValue: Int64 = 0
        var i = 0
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                let (m, o1) = intValue.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b &- 48))
                if o1 || o2 { return parseCollectingDigits(text) }
                intValue = a
            case UInt8(ascii: "."): return parseCollectingDigits(text)
            case UInt8(ascii: ","): break
            case UInt8(ascii: "-") where i == 0: negative = true
            case UInt8(ascii: "+") where i == 0: break
            default: return nil
            }
            i &+= 1
        }
        guard sawDigit else { return nil }
        return Decimal(negative ? -intValue : intValue)
    }

    /// The value of `digits` (ASCII digits and one point) as `Decimal(string:)` gives it, when the digits fit
    /// 64 bits and are not all zeros; nil otherwise.
    static func pointLiteral(_ digits: [UInt8]) -> Decimal? {
        var mantissa: UInt64 = 0
        var fraction = 0, sawDot = false
        for b in digits {
            if b == UInt8(ascii: ".") { sawDot = true; continue }
            let (m, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b &- 48))
            if o1 || o2 { return nil }
            mantissa = a
            if sawDot { fraction += 1 }
        }
        guard mantissa != 0 else { return nil }
        return Decimal(sign: .plus, exponent: -fraction, significand: Decimal(mantissa))
    }

    /// `parse` read in full: the digits collected, a literal with a point or past `Int64` read by
    /// `Decimal(string:)`. The reference `parse`'s shortcut is compared with (`Read5DecimalTests`).
    public static func parseCollectingDigits(_ text: String) -> Decimal? {
        var digits: [UInt8] = []
        digits.reserveCapacity(text.utf8.count)
        var sawDigit = false, sawDot = false, negative = false
        var intValue: Int64 = 0, overflow = false
        for (i, b) in text.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                digits.append(b)
                if !sawDot {
                    let (m, o1) = intValue.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
                    intValue = a; overflow = overflow || o1 || o2
                }
            case UInt8(ascii: "."):
                if sawDot { return nil }
                sawDot = true; digits.append(b)
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "-") where i == 0: negative = true
            case UInt8(ascii: "+") where i == 0: continue
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        if !sawDot && !overflow { return Decimal(negative ? -intValue : intValue) }
        // A literal with a point whose digits fit 64 bits and are not all zeros: its digits as a whole number and
        // the count after the point as a power of ten, built directly (`Decimal(string:)` took about 7 K instructions
        // a literal). The same value in the same representation, mantissa and exponent alike (trailing zeros kept),
        // as `ExactDecimalTests` checks byte for byte; zero (which `Decimal(string:)` keeps with its exponent) and
        // longer literals are read by `Decimal(string:)` as before.
        if sawDot, let d = pointLiteral(digits) { return negative ? -d : d }
        // No locale: the decimal separator is then ".", as en_US_POSIX's, without opening an ICU number formatter
        // to ask the locale for it (~1 M instructions on the first fractional number of a run).
        guard let d = Decimal(string: String(decoding: digits, as: UTF8.self)) else {
            return nil
        }
        return negative ? -d : d
    }

    /// A canonical string: no exponent, no trailing zeros after the point.
    public static func format(_ value: Decimal) -> String {
        if let s = formatFromStoredFields(value) { return s }
        return formatThroughFoundation(value)
    }

    /// `format` as Foundation gives it: rounded to 12 places, then `NSDecimalNumber.stringValue` (about 7,000
    /// instructions a value, most of them in Foundation's digit conversion).
    public static func formatThroughFoundation(_ value: Decimal) -> String {
        var v = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &v, 12, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }

    /// `format(value)` written from the value's stored fields: its mantissa (at most four 16-bit words, so a
    /// `UInt64`) in decimal digits, then the exponent's zeros or its decimal point. Only for a compact value
    /// (Foundation's arithmetic and parsing keep values compact: no trailing zero in the mantissa) whose exponent
    /// is in -12...20, which rounding to 12 places leaves as it is; nil for anything else (and for every value
    /// when `storedFieldsReadable` is false), which `formatThroughFoundation` then writes. `DecimalFormatTests`
    /// compares the two on a million generated values.
    static func formatFromStoredFields(_ value: Decimal) -> String? {
        guard let (exponent, negative, mantissa) = storedFields(value), exponent >= -12, exponent <= 20 else { return nil }
        var digits = String(mantissa)
        if exponent > 0 {
            digits += String(repeating: "0", count: exponent)
        } else if exponent < 0 {
            let point = digits.utf8.count + exponent
            if point > 0 {
                digits.insert(".", at: digits.utf8.index(digits.startIndex, offsetBy: point))
            } else {
                digits = "0." + String(repeating: "0", count: -point) + digits
            }
        }
        return negative ? "-" + digits : digits
    }

    /// The value as a whole number read from its stored fields, when it is a compact whole number (exponent 0 to 18)
    /// whose mantissa (at most four 16-bit words) times its power of ten fits an `Int64`; nil for anything else,
    /// which the caller then reads through Foundation (a nil says nothing about the value). Zero is 0.
    public static func integerFromStoredFields(_ value: Decimal) -> Int64? {
        guard let (exponent, negative, mantissa) = storedFields(value), exponent >= 0, exponent <= 18,
            mantissa <= UInt64(Int64.max)
        else { return nil }
        var v = Int64(mantissa)
        for _ in 0..<exponent {
            let (m, overflow) = v.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            v = m
        }
        return negative ? -v : v
    }

    /// The stored fields of `value` that `formatFromStoredFields` and `integerFromStoredFields` read: its exponent,
    /// sign and mantissa, for a compact value whose mantissa has at most four 16-bit words (so fits a `UInt64`);
    /// zero (no mantissa words) is (0, false, 0) whatever its exponent. Nil for NaN (no mantissa, sign set), a
    /// value that is not compact or has a longer mantissa, and every value when `storedFieldsReadable` is false.
    static func storedFields(_ value: Decimal) -> (exponent: Int, negative: Bool, mantissa: UInt64)? {
        guard storedFieldsReadable else { return nil }
        return withUnsafeBytes(of: value) { b in
            let length = Int(b[1] >> 4), negative = b[1] & 0x08 != 0, compact = b[1] & 0x04 != 0
            if length == 0 { return negative ? nil : (0, false, 0) }
            guard compact, length <= 4 else { return nil }
            var mantissa: UInt64 = 0
            for k in stride(from: length - 1, through: 0, by: -1) {
                mantissa = mantissa << 16 | UInt64(b[4 + 2 * k]) | UInt64(b[5 + 2 * k]) << 8
            }
            return (Int(Int8(bitPattern: b[0])), negative, mantissa)
        }
    }

    /// `value < 0`, from the sign (a number other than zero and NaN is below zero exactly when its sign is minus;
    /// Decimal has no negative zero); NaN is compared as Foundation compares it.
    public static func isNegative(_ value: Decimal) -> Bool {
        value.isNaN ? value < 0 : value.isSignMinus
    }

    /// Whether `Decimal` is stored as `formatFromStoredFields` reads it (swift-foundation on Linux: the exponent in
    /// the first byte; the length in the high four bits of the second, then the sign and compact bits; the
    /// mantissa's 16-bit words from the fifth byte, low word first), checked once on values of known fields.
    /// Elsewhere (another layout) every value is written through Foundation.
    static let storedFieldsReadable: Bool = {
        func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }
        func expected(exponent: Int8, length: UInt8, negative: Bool, words: [UInt16]) -> [UInt8] {
            var b = [UInt8](repeating: 0, count: MemoryLayout<Decimal>.size)
            guard b.count == 20 else { return [] }
            b[0] = UInt8(bitPattern: exponent)
            b[1] = length << 4 | (negative ? 0x08 : 0) | 0x04
            for (k, w) in words.enumerated() { b[4 + 2 * k] = UInt8(w & 0xFF); b[5 + 2 * k] = UInt8(w >> 8) }
            return b
        }
        return bytes(Decimal(1200)) == expected(exponent: 2, length: 1, negative: false, words: [12])
            && bytes(Decimal(-65536)) == expected(exponent: 0, length: 2, negative: true, words: [0, 1])
            && bytes(Decimal(sign: .minus, exponent: -3, significand: 6_032_346))
                == expected(exponent: -3, length: 2, negative: true, words: [UInt16(6_032_346 & 0xFFFF), UInt16(6_032_346 >> 16)])
            && bytes(Decimal(Int64.max)) == expected(exponent: 0, length: 4, negative: false, words: [0xFFFF, 0xFFFF, 0xFFFF, 0x7FFF])
            && bytes(Decimal(0)) == [UInt8](repeating: 0, count: 20)
    }()

    /// Significant digits of the mantissa, trailing zeros dropped, and the power of ten of the last one:
    /// 1200 → (2, 2), 0.05 → (1, -2), -6032.346 → (7, -3), 0 → (0, 0).
    /// Reads the digits of the integer mantissa once: the evaluator asks this of both sides of every addition,
    /// and stripping zeros by Decimal division and rounding cost more than the rest of the evaluation.
    public static func shape(_ value: Decimal) -> (count: Int, exponent: Int) {
        if value.isNaN || value.isZero { return (0, 0) }
        var count = 0, trailingZeros = 0
        for byte in value.significand.magnitude.description.utf8 where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            count += 1
            trailingZeros = byte == UInt8(ascii: "0") ? trailingZeros + 1 : 0
        }
        return (count - trailingZeros, value.exponent + trailingZeros)
    }

    /// True when the value has no fractional part.
    ///
    /// Read from the stored fields when they can be (`storedFields`): a value with an exponent of 0 or more is
    /// whole, and one with a negative exponent is whole exactly when its mantissa is a multiple of that power of
    /// ten. Otherwise (NaN, a value not compact, longer than 64 bits or with an exponent below -19) the value is
    /// rounded to a whole number and compared with itself (`isIntegerByRounding`), which took about 6,500
    /// instructions a value.
    /// `DecimalFormatTests` compares the two.
    public static func isInteger(_ value: Decimal) -> Bool {
        if let (exponent, _, mantissa) = storedFields(value) {
            if exponent >= 0 { return true }
            // 10^19 is the largest power of ten below 2^64.
            if exponent >= -19 {
                var power: UInt64 = 1
                for _ in 0..<(-exponent) { power &*= 10 }
                return mantissa % power == 0
            }
        }
        return isIntegerByRounding(value)
    }

    /// `isInteger` through Foundation: the value rounded to a whole number equals it.
    static func isIntegerByRounding(_ value: Decimal) -> Bool {
        var v = value
        var r = Decimal()
        NSDecimalRound(&r, &v, 0, .plain)
        return r == value
    }

    /// 0, 1 and -1, made once: a literal makes its `Decimal` through Foundation's initialiser on every use (about
    /// 85 instructions).
    public static let zero: Decimal = 0
    public static let one: Decimal = 1
    public static let minusOne: Decimal = -1
}
