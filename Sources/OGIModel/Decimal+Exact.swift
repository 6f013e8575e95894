import Foundation

/// Exact decimal helpers. All report arithmetic uses `Decimal` (base 10), never binary floating point.
public enum ExactDecimal {
    /// Parses a plain decimal literal such as `6032.346`, `-51` or `1,234`. Returns nil for anything else.
    public static func parse(_ text: String) -> Decimal? {
        var s = text.replacingOccurrences(of: ",", with: "")
        s = s.replacingOccurrences(of: "，", with: "")
        guard !s.isEmpty else { return nil }
        var sawDigit = false
        var sawDot = false
        for (i, ch) in s.enumerated() {
            if ch.isASCII, ch.isNumber { sawDigit = true; continue }
            if ch == "." && !sawDot { sawDot = true; continue }
            if (ch == "-" || ch == "+") && i == 0 { continue }
            return nil
        }
        guard sawDigit else { return nil }
        if s.hasPrefix("+") { s.removeFirst() }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// A canonical string: no exponent, no trailing zeros after the point.
    public static func format(_ value: Decimal) -> String {
        var v = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &v, 12, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }

    /// True when the value has no fractional part.
    public static func isInteger(_ value: Decimal) -> Bool {
        var v = value
        var r = Decimal()
        NSDecimalRound(&r, &v, 0, .plain)
        return r == value
    }
}
