import Foundation
import OGIModel
import XCTest

/// `ExactDecimal.shape` counts a mantissa's digits on its words; it must agree with the slow definition
/// through Decimal division and formatting that the evaluator used before.
final class ExactDecimalTests: XCTestCase {
    /// The definition: strip trailing zeros by dividing by ten, then count the digits of the formatted mantissa.
    func referenceShape(_ d: Decimal) -> (count: Int, exponent: Int) {
        if d == 0 { return (0, 0) }
        var m = d.significand.magnitude
        var e = d.exponent
        while ExactDecimal.isInteger(m / 10) && m != 0 { m /= 10; e += 1 }
        return (ExactDecimal.format(m).filter(\.isNumber).count, e)
    }

    func testShapeOfKnownValues() {
        XCTAssertTrue(ExactDecimal.shape(0) == (0, 0))
        XCTAssertTrue(ExactDecimal.shape(1200) == (2, 2))
        XCTAssertTrue(ExactDecimal.shape(ExactDecimal.parse("0.05")!) == (1, -2))
        XCTAssertTrue(ExactDecimal.shape(ExactDecimal.parse("-6032.346")!) == (7, -3))
        XCTAssertTrue(ExactDecimal.shape(ExactDecimal.parse("6032.3460")!) == (7, -3))
        XCTAssertTrue(ExactDecimal.shape(Decimal.nan) == (0, 0))
    }

    func testShapeAgreesWithTheDefinition() {
        var values: [Decimal] = []
        let literals = [
            "1", "10", "100", "7", "65535", "65536", "4294967296", "18446744073709551616", "99999999999999999999999999999999999999",
            "10000000000000000000000000000000000000", "12345678901234567890.123456789", "0.000001", "3.14159", "-42.500",
            "1,234", "0.1", "250000", "-0.0002",
        ]
        values += literals.compactMap(ExactDecimal.parse)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let mantissa = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator))
            let scale = Decimal(sign: .plus, exponent: Int.random(in: -20...20, using: &generator), significand: 1)
            values.append(mantissa * scale)
            values.append(
                Decimal(Int.random(in: -1_000_000...1_000_000, using: &generator))
                    * Decimal(sign: .plus, exponent: -Int.random(in: 0...6, using: &generator), significand: 1))
        }
        for value in values {
            let fast = ExactDecimal.shape(value), slow = referenceShape(value)
            XCTAssertTrue(fast == slow, "shape(\(value)) = \(fast), the definition gives \(slow)")
        }
    }

    /// `parse` reads fractional numbers with `Decimal(string:)` and no locale (no ICU number formatter); the
    /// en_US_POSIX locale it passed before must read every such literal the same.
    func testParseWithoutLocaleAgreesWithPOSIX() {
        let posix = Locale(identifier: "en_US_POSIX")
        var literals = [
            "0.5", "6032.346", "-51.0", "1,234.5", "+3.25", "12345678901234567890.123456789", "9223372036854775808",
            "99999999999999999999999999999999999999.9", "0.000001", ".5", "5.", "1.2.3", "-", "", "1e5", "1,2,3.4",
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789.,-+")
        // Cell-like literals with a point: leading and trailing zeros, up to 22 digits (past 64 bits), zero.
        for _ in 0..<3000 {
            let whole =
                String(repeating: "0", count: Int.random(in: 0...2, using: &generator))
                + String(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
            let fraction = String(
                (0..<Int.random(in: 0...8, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            literals.append((Bool.random(using: &generator) ? "-" : "") + whole + "." + fraction)
            literals.append("0." + String(repeating: "0", count: Int.random(in: 0...4, using: &generator)))
        }
        var compared = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 1...24, using: &generator)
            literals.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for literal in literals {
            let old: Decimal? = {
                // The previous definition, locale included.
                var digits = "", sawDigit = false, sawDot = false, negative = false
                for (i, c) in literal.enumerated() {
                    switch c {
                    case "0"..."9": sawDigit = true; digits.append(c)
                    case ".": if sawDot { return nil }; sawDot = true; digits.append(c)
                    case ",": continue
                    case "-" where i == 0: negative = true
                    case "+" where i == 0: continue
                    default: return nil
                    }
                }
                guard sawDigit, let d = Decimal(string: digits, locale: posix) else { return nil }
                return negative ? -d : d
            }()
            let parsed = ExactDecimal.parse(literal)
            XCTAssertEqual(parsed, old, "parse(\(literal))")
            // The same representation, not only the same value: mantissa, exponent and sign, byte for byte (a
            // literal with a point is built from its digits, not read by `Decimal(string:)`).
            if let parsed, let old {
                XCTAssertEqual(Self.bytes(parsed), Self.bytes(old), "parse(\(literal))")
                XCTAssertEqual(parsed.description, old.description, "parse(\(literal))")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 2_000)
    }

    static func bytes(_ d: Decimal) -> [UInt8] {
        var d = d
        return withUnsafeBytes(of: &d) { Array($0) }
    }
}
