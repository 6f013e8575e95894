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
}
