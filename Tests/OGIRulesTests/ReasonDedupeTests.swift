import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// A rule run keeps each reason it could not be evaluated once, in the order first given (`RuleRun.addReasons`,
/// which compares fingerprints before messages). Compared with keeping them by `contains` on generated reasons
/// where many share a key and differ in one value, in the order of their values, or not at all.
final class ReasonDedupeTests: XCTestCase {
    func testEqualMessagesHaveEqualFingerprints() {
        var a: [String: String] = [:], b: [String: String] = [:]
        let pairs = (0..<12).map { ("name\($0)", String(repeating: "表", count: $0)) }
        for (k, v) in pairs { a[k] = v }
        for (k, v) in pairs.reversed() { b[k] = v }
        XCTAssertEqual(CatalogMessage("k", a).fingerprint, CatalogMessage("k", b).fingerprint)
        XCTAssertEqual(CatalogMessage("k", a), CatalogMessage("k", b))
    }

    func testAddingReasonsKeepsWhatContainsKeeps() {
        let keys = ["engine.not_evaluated.row_missing", "engine.not_evaluated.cell_missing", "engine.not_evaluated.no_layout"]
        // Values of one length that differ in a byte (same fingerprint), of other lengths, and names swapped.
        let values = ["一", "二", "三", "总计", "表三", "/", "", "（七）总计", "ab", "ba"]
        var rng = SplitMix(seed: 11)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func message() -> CatalogMessage {
            var v: [String: String] = [:]
            for name in ["table", "row", "col"].prefix(Int(rng.next() % 4)) { v[name] = pick(values) }
            if rng.next() % 5 == 0 { v["row"] = v["table"]; v["table"] = v["col"] }
            return CatalogMessage(pick(keys), v)
        }
        var kept = 0
        for _ in 0..<2_000 {
            var list: [CatalogMessage] = [], prints: [Int] = [], reference: [CatalogMessage] = []
            for _ in 0..<Int(rng.next() % 6) {
                let batch = (0..<Int(rng.next() % 5)).map { _ in message() }
                RuleRun.addReasons(batch, to: &list, prints: &prints)
                for r in batch where !reference.contains(r) { reference.append(r) }
                XCTAssertEqual(list, reference)
                XCTAssertTrue(prints.isEmpty || prints == list.map(\.fingerprint))
            }
            kept += list.count
        }
        XCTAssertGreaterThan(kept, 4_000)
    }
}
