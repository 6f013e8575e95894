import Foundation
import XCTest

@testable import OGIRules

/// The plan caches' keys hash less than they compare (a sum's parts are counted, a single binding is hashed in the
/// key's own hasher): equal keys must still hash alike, whatever order their bindings were made in, and every key
/// put in a set must be found again.
final class PlanKeyHashTests: XCTestCase {
    /// Bindings with the same entries made in two insertion orders (and a dictionary grown and shrunk first), so
    /// equal dictionaries that iterate in different orders are compared.
    static func bindingPairs() -> [([String: String], [String: String])] {
        var out: [([String: String], [String: String])] = [([:], [:]), (["g": "a"], ["g": "a"])]
        let entries = [("g", "申请"), ("col", "自然人"), ("it", "1"), ("row", "(七)总计"), ("x", "")]
        for n in 2...entries.count {
            let chosen = Array(entries.prefix(n))
            var a: [String: String] = [:]
            for (k, v) in chosen { a[k] = v }
            var b: [String: String] = [:]
            for i in 0..<50 { b["pad\(i)"] = "v" }
            for (k, v) in chosen.reversed() { b[k] = v }
            for i in 0..<50 { b["pad\(i)"] = nil }
            out.append((a, b))
        }
        return out
    }

    func testEqualKeysHashAlike() {
        let layout = ObjectIdentifier(NSObject())
        for (a, b) in Self.bindingPairs() {
            XCTAssertEqual(a, b)
            let ia = IntegerComparisonPlan.Key(layout: layout, rule: 3, node: 5, bindings: a)
            let ib = IntegerComparisonPlan.Key(layout: layout, rule: 3, node: 5, bindings: b)
            XCTAssertEqual(ia, ib)
            XCTAssertEqual(ia.hashValue, ib.hashValue, "\(a)")
            let ca = RepairKind.ConstraintPlanKey(layout: layout, table: 2, bindings: a)
            let cb = RepairKind.ConstraintPlanKey(layout: layout, table: 2, bindings: b)
            XCTAssertEqual(ca.hashValue, cb.hashValue, "\(a)")
            let sa = BoundSumPlanKey(table: 1, total: "$g.总计", parts: ["$g.a", "$g.b"], alongRows: true, bindings: a)
            let sb = BoundSumPlanKey(table: 1, total: "$g.总计", parts: ["$g.a", "$g.b"], alongRows: true, bindings: b)
            XCTAssertEqual(sa, sb)
            XCTAssertEqual(sa.hashValue, sb.hashValue, "\(a)")
        }
        let p = SumPlanKey(table: 1, total: "总计", parts: ["a", "b"], alongRows: false)
        XCTAssertEqual(p.hashValue, SumPlanKey(table: 1, total: "总计", parts: ["a", "b"], alongRows: false).hashValue)
    }

    func testDistinctKeysAreAllFoundAgain() {
        let layout = ObjectIdentifier(NSObject())
        var sums = Set<SumPlanKey>(), bound = Set<BoundSumPlanKey>(), comparisons = Set<IntegerComparisonPlan.Key>()
        var made = 0
        for table in 0..<3 {
            for total in ["总计", "合计", "x"] {
                // Parts that differ only in their text (same count) share a hash and must still be told apart.
                for parts in [["a", "b"], ["b", "a"], ["a", "c"], ["a"], []] {
                    for g in ["", "一", "二", "三"] {
                        let bindings = g.isEmpty ? [:] : ["g": g]
                        sums.insert(SumPlanKey(table: table, total: total, parts: parts, alongRows: g == "一"))
                        bound.insert(BoundSumPlanKey(table: table, total: total, parts: parts, alongRows: true, bindings: bindings))
                        comparisons.insert(IntegerComparisonPlan.Key(layout: layout, rule: table, node: parts.count, bindings: bindings))
                        made += 1
                    }
                }
            }
        }
        XCTAssertEqual(bound.count, made)
        XCTAssertEqual(sums.count, 3 * 3 * 5 * 2)
        XCTAssertEqual(comparisons.count, 3 * 3 * 4)
        XCTAssertTrue(bound.contains(BoundSumPlanKey(table: 2, total: "x", parts: ["b", "a"], alongRows: true, bindings: ["g": "三"])))
        XCTAssertFalse(bound.contains(BoundSumPlanKey(table: 2, total: "x", parts: ["b", "a"], alongRows: true, bindings: ["g": "四"])))
        XCTAssertFalse(sums.contains(SumPlanKey(table: 2, total: "x", parts: ["c", "a"], alongRows: true)))
    }
}
