import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel

/// `ExactDecimal.format` writes most values from their stored fields (`formatFromStoredFields`); it must give
/// exactly what Foundation gives (`formatThroughFoundation`) for every value, and answer for most of them.
final class DecimalFormatTests: XCTestCase {
    /// Values as the rules make them: whole numbers, parsed literals, sums, products, quotients, and values of
    /// every exponent from -20 to 22 with mantissas of every length up to 64 bits, of both signs.
    static func values(_ n: Int) -> [Decimal] {
        var rng = SplitMix(seed: 4_606)
        var out: [Decimal] = [0, 1, -1, 1200, Decimal(Int64.max), Decimal(Int64.min), Decimal(UInt64.max), .nan]
        for _ in 0..<n {
            let mantissa = rng.next() >> (rng.next() % 64)
            let exponent = Int(rng.next() % 43) - 20
            out.append(Decimal(sign: rng.next() % 2 == 0 ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa)))
            let a = Decimal(Int(rng.next() % 200_001) - 100_000), b = Decimal(Int(rng.next() % 1000) + 1)
            out += [a / b, a * b, a - b]
            let fraction = String(repeating: "0", count: Int(rng.next() % 4)) + String(rng.next() % 100)
            out.append(ExactDecimal.parse("\(Int(rng.next() % 199_999) - 99_999).\(fraction)")!)
            out.append(a + ExactDecimal.parse("0.\(rng.next() % 1000)")!)
        }
        return out
    }

    func testStoredFieldsGiveFoundationsText() {
        var answered = 0
        let values = Self.values(150_000)
        for v in values {
            guard let fast = ExactDecimal.formatFromStoredFields(v) else { continue }
            answered += 1
            XCTAssertEqual(fast, ExactDecimal.formatThroughFoundation(v), "\(v)")
        }
        for v in values.prefix(2_000) { XCTAssertEqual(ExactDecimal.format(v), ExactDecimal.formatThroughFoundation(v)) }
        #if os(Linux)
            // The layout this reading knows (swift-foundation's): most values are answered there.
            XCTAssertTrue(ExactDecimal.storedFieldsReadable)
            XCTAssertGreaterThan(answered, values.count * 3 / 4)
        #endif
    }

    /// Whole numbers read from the stored fields are the values' own: a whole number in `Int64` (as Foundation
    /// rounds and converts it), for values the reading answers; most whole values of the rules are answered.
    func testWholeNumbersFromStoredFieldsAreTheValues() {
        var answered = 0, whole = 0
        for v in Self.values(60_000) {
            let isWhole = !v.isNaN && ExactDecimal.isInteger(v)
            if isWhole { whole += 1 }
            guard let n = ExactDecimal.integerFromStoredFields(v) else { continue }
            answered += 1
            XCTAssertTrue(isWhole, "\(v)")
            XCTAssertEqual(Decimal(n), v, "\(v)")
        }
        XCTAssertEqual(ExactDecimal.integerFromStoredFields(Decimal(Int64.min)), nil)
        XCTAssertEqual(ExactDecimal.integerFromStoredFields(Decimal(Int64.max)), Int64.max)
        XCTAssertEqual(ExactDecimal.integerFromStoredFields(Decimal(-1200)), -1200)
        XCTAssertNil(ExactDecimal.integerFromStoredFields(.nan))
        #if os(Linux)
            XCTAssertGreaterThan(answered, whole / 2)
        #endif
    }

    /// Whether a value is whole, read from the stored fields, is Foundation's rounding's answer, for whole and
    /// fractional values of every exponent (a mantissa that is a multiple of the power of ten among them).
    func testIntegerFromStoredFieldsIsTheRoundingsAnswer() {
        var values = Self.values(100_000) + [Decimal.nan, -Decimal.nan, Decimal(0), -Decimal(0)]
        for e in 1...20 {
            values += [
                Decimal(sign: .plus, exponent: -e, significand: Decimal(UInt64(7_000_000_000_000_000_000))),
                Decimal(sign: .minus, exponent: -e, significand: 12_300_000), Decimal(sign: .plus, exponent: -e, significand: 5),
            ]
        }
        var whole = 0, fractional = 0
        for v in values {
            let expected = ExactDecimal.isIntegerByRounding(v)
            XCTAssertEqual(ExactDecimal.isInteger(v), expected, "\(v)")
            if expected { whole += 1 } else { fractional += 1 }
        }
        XCTAssertGreaterThan(whole, 10_000)
        XCTAssertGreaterThan(fractional, 10_000)
    }

    func testNegativeIsBelowZero() {
        for v in Self.values(30_000) + [Decimal.nan, -Decimal.nan, Decimal(0), -Decimal(0)] {
            XCTAssertEqual(ExactDecimal.isNegative(v), v < 0, "\(v)")
        }
    }

    func testValuesItLeavesToFoundation() {
        XCTAssertNil(ExactDecimal.formatFromStoredFields(.nan))
        // Past 12 places (rounded), past 64 bits of mantissa, past an exponent of 20.
        XCTAssertNil(ExactDecimal.formatFromStoredFields(Decimal(sign: .plus, exponent: -13, significand: 7)))
        XCTAssertNil(ExactDecimal.formatFromStoredFields(Decimal(UInt64.max) * 65_536))
        XCTAssertNil(ExactDecimal.formatFromStoredFields(Decimal(sign: .plus, exponent: 21, significand: 3)))
        XCTAssertEqual(ExactDecimal.format(Decimal(sign: .plus, exponent: -13, significand: 7)), "0.000000000001")
        XCTAssertEqual(ExactDecimal.format(Decimal(sign: .minus, exponent: -3, significand: 6_032_346)), "-6032.346")
        XCTAssertEqual(ExactDecimal.format(Decimal(sign: .plus, exponent: -5, significand: 5)), "0.00005")
        XCTAssertEqual(ExactDecimal.format(Decimal(1200)), "1200")
    }
}
