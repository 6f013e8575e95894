import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// `Exact.add` and `Exact.within` compute whole numbers below 10^15 in `Int64` (read from their stored fields);
/// they must give what Foundation's arithmetic gives for every value.
final class ExactWholeNumberTests: XCTestCase {
    static func values(_ n: Int) -> [Decimal] {
        var rng = SplitMix(seed: 2_025)
        var out: [Decimal] = [
            0, 1, -1, Decimal(string: "0.00")!, Decimal(sign: .minus, exponent: -1, significand: 0), 999_999_999_999_999,
            -999_999_999_999_999, 1_000_000_000_000_000, Decimal(Int64.max),
        ]
        for _ in 0..<n {
            switch rng.next() % 4 {
            case 0: out.append(Decimal(Int64(rng.next() % 2_000_001) - 1_000_000))
            case 1:
                out.append(
                    Decimal(
                        sign: rng.next() % 2 == 0 ? .minus : .plus, exponent: Int(rng.next() % 6),
                        significand: Decimal(rng.next() % 100_000)))
            case 2: out.append(Decimal(sign: .plus, exponent: -Int(rng.next() % 3), significand: Decimal(rng.next() % 10_000)))
            default: out.append(Decimal(Int64(bitPattern: rng.next() >> (rng.next() % 64))))
            }
        }
        return out
    }

    static func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }

    static func foundationSum(_ a: Decimal, _ b: Decimal) -> Decimal {
        var x = a, y = b, r = Decimal()
        _ = NSDecimalAdd(&r, &x, &y, .plain)
        return r
    }

    func testAddGivesFoundationsSum() throws {
        let vs = Self.values(3_000)
        var rng = SplitMix(seed: 7)
        var fast = 0
        for _ in 0..<20_000 {
            let a = vs[Int(rng.next() % UInt64(vs.count))], b = vs[Int(rng.next() % UInt64(vs.count))]
            if Exact.smallWholeNumber(a) != nil && Exact.smallWholeNumber(b) != nil { fast += 1 }
            guard let sum = try? Exact.add(a, b, .null) else { continue }
            // The same value stored the same way (exponent, length, sign, mantissa), not only an equal value.
            XCTAssertEqual(Self.bytes(sum), Self.bytes(Self.foundationSum(a, b)), "\(a) + \(b)")
        }
        XCTAssertGreaterThan(fast, 5_000)
    }

    func testWithinGivesTheDecimalComparison() throws {
        let vs = Self.values(2_000)
        var rng = SplitMix(seed: 8)
        let tolerances: [Decimal] = [0, 1, 2, Decimal(string: "0.5")!, 100]
        for _ in 0..<20_000 {
            let a = vs[Int(rng.next() % UInt64(vs.count))]
            let b = rng.next() % 3 == 0 ? a + Decimal(Int(rng.next() % 5) - 2) : vs[Int(rng.next() % UInt64(vs.count))]
            let t = tolerances[Int(rng.next() % UInt64(tolerances.count))]
            guard let r = try? Exact.within(a, b, t, .null) else { continue }
            XCTAssertEqual(r, abs(Self.foundationSum(a, -b)) <= t, "\(a) ~ \(b) within \(t)")
        }
    }

    /// A product whose exponent would fall below -128 stops Foundation's multiplication with an illegal
    /// instruction; it is not evaluated instead (two cells written with 70 decimal places, multiplied by a rule).
    func testAProductTooSmallForDecimalIsNotEvaluated() throws {
        let tiny = try XCTUnwrap(ExactDecimal.parse("0." + String(repeating: "0", count: 69) + "1"))
        XCTAssertThrowsError(try Exact.multiply(tiny, tiny, .null))
        XCTAssertEqual(
            try Exact.multiply(
                Decimal(sign: .plus, exponent: -64, significand: 3), Decimal(sign: .plus, exponent: -64, significand: 2), .null),
            Decimal(sign: .plus, exponent: -128, significand: 6))
    }
}
