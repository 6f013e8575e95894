import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGILint
@testable import OGIReaders

/// A batch keeps the plain texts its pairing pass decoded (`DraftStore.putText`) and checks those inputs from them,
/// as far as the store's text buffer has room: the findings are the ones of each file checked on its own.
final class KeptTextTests: XCTestCase {
    func testTextsComeBackAsLongAsTheyAreKeptAndOnlyWhileTheyFit() {
        let texts = ["二〇二三年度报告\n一、总体情况\n", "plain ASCII text\r\n", "（三）不予公开 12 3\n", "x"]
        let sizes = texts.map { $0.utf8.count }
        // Room for the first two only: the third does not fit, the fourth would (one byte) but comes after it.
        let store = DraftStore(.init(textMemory: sizes[0] + sizes[1]))
        for (i, t) in texts.prefix(3).enumerated() { store.putText(t, at: i) }
        XCTAssertEqual(store.keptTexts.count, 2)
        XCTAssertEqual(store.keptTexts.bytes, sizes[0] + sizes[1])
        store.putText(texts[3], at: 3)
        XCTAssertNil(store.text(3), "no room left")
        // Read by many threads at once, any number of times (a text may also be last year's report of others).
        let got = LockedArray<String>(count: 64)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            if let t = store.text(i % 2) { got.set(i, t) }
        }
        for i in 0..<64 { XCTAssertEqual(got.values[i], texts[i % 2], "read \(i)") }
        XCTAssertEqual(store.text(0), texts[0])
        XCTAssertNil(store.text(2), "did not fit")
        XCTAssertNil(store.text(9), "never put")
        let none = DraftStore(.init(textMemory: 0))
        none.putText(texts[3], at: 0)
        XCTAssertNil(none.text(0))
        XCTAssertEqual(none.keptTexts.count, 0)
    }

    /// Every text sample, broken sample and rendering, and last year's and this year's texts (pairs), in two
    /// configuration groups: checked as a batch with every text kept, with about half of them kept and with none,
    /// on 1 and 3 threads, each input gets the report and findings of its file checked alone against the previous
    /// report the batch paired it with.
    func testABatchOfTextsGivesEachFilesOwnFindings() throws {
        let dir = try temporaryFolder()
        func listed(_ folder: String, _ keep: (String) -> Bool) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: Repo.path(folder)).filter(keep).sorted().map { folder + "/" + $0 }
        }
        let isText: (String) -> Bool = { $0.hasSuffix(".txt") }
        var sources = try listed("samples", isText) + listed("samples/broken", isText) + listed("samples/renderings", isText)
        // One copy of last year's report (with two, neither would be paired) and this year's.
        sources += try listed("samples/previous") { $0 == "last-year.txt" || ($0.hasPrefix("this-year") && $0.hasSuffix(".txt")) }
        XCTAssertGreaterThan(sources.count, 100)
        var bytes = 0
        for (i, s) in sources.enumerated() {
            let to = (dir as NSString).appendingPathComponent(String(format: "%03d-", i) + (s as NSString).lastPathComponent)
            try FileManager.default.copyItem(atPath: Repo.path(s), toPath: to)
            bytes += try Data(contentsOf: URL(fileURLWithPath: to)).count
        }
        // A second group, whose reports pair with last year's in the first (read from its file: kept texts serve
        // their own group's pairs, as drafts do), and whose configuration sets the agency kind (applied to a report
        // read from its kept text as to one read from its file).
        let sub = (dir as NSString).appendingPathComponent("b")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        try "fail_on: warning\nagency_kind: government\n".write(
            toFile: (sub as NSString).appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        for name in ["this-year-carried-in.txt", "this-year-growth.txt"] {
            try FileManager.default.copyItem(
                atPath: Repo.path("samples/previous/" + name), toPath: (sub as NSString).appendingPathComponent(name))
        }
        for (workers, textMemory) in [(3, 64 << 20), (1, bytes / 2), (3, bytes / 2), (3, 0)] {
            var o = LintSession.Options(rulesRoot: Repo.rules)
            o.workers = workers
            let session = LintSession(options: o)
            session.draftLimits.textMemory = textMemory
            let plan = try session.plan([dir])
            XCTAssertEqual(plan.groups.count, 2)
            let previousOf = try session.previousFiles(plan)
            XCTAssertGreaterThanOrEqual(previousOf.count, 6, "some inputs are paired")
            let batch = try session.run([dir])
            let kept = try XCTUnwrap(session.lastDrafts).keptTexts
            let readable = try DraftStoreTests.assertEachInputAsItsFile(batch, plan: plan, previousOf: previousOf).count
            switch textMemory {
            case 0: XCTAssertEqual(kept.count, 0)
            case bytes / 2:
                XCTAssertGreaterThan(kept.count, readable / 4, "workers \(workers)")
                XCTAssertLessThan(kept.count, readable * 3 / 4, "workers \(workers)")
                XCTAssertLessThanOrEqual(kept.bytes, textMemory)
            default: XCTAssertEqual(kept.count, readable, "every text that reads was kept")
            }
        }
    }
}
