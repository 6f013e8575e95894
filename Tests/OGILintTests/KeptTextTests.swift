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
        // Room for the first two and one byte more: the third does not fit, the fourth (one byte) still does.
        let store = DraftStore(.init(textMemory: sizes[0] + sizes[1] + 1))
        XCTAssertEqual(store.textRoom, sizes[0] + sizes[1] + 1)
        for (i, t) in texts.enumerated() { store.putText(t, at: i) }
        XCTAssertEqual(store.keptTexts.count, 3)
        XCTAssertEqual(store.keptTexts.bytes, sizes[0] + sizes[1] + 1)
        XCTAssertEqual(store.textRoom, 0)
        store.putText("y", at: 4)
        XCTAssertNil(store.text(4), "no room left")
        // Read by many threads at once, any number of times (a text may also be last year's report of others).
        let got = LockedArray<String>(count: 64)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            if let t = store.text(i % 2) { got.set(i, t) }
        }
        for i in 0..<64 { XCTAssertEqual(got.values[i], texts[i % 2], "read \(i)") }
        XCTAssertEqual(store.text(0), texts[0])
        XCTAssertNil(store.text(2), "did not fit")
        XCTAssertEqual(store.text(3), "x")
        XCTAssertNil(store.text(9), "never put")
        XCTAssertEqual(store.keptTexts.read, 66)
        // Released at the end of a run: nothing is handed out or kept any more; the counts stay.
        store.releaseTexts()
        XCTAssertNil(store.text(0))
        XCTAssertEqual(store.textRoom, 0)
        store.putText("z", at: 5)
        XCTAssertNil(store.text(5))
        XCTAssertEqual(store.keptTexts.count, 3)
        let none = DraftStore(.init(textMemory: 0))
        none.putText(texts[3], at: 0)
        XCTAssertNil(none.text(0))
        XCTAssertEqual(none.keptTexts.count, 0)
    }

    /// The report of a kept text is the one of its file, with the run's options applied (this year's options to the
    /// report checked, last year's, without the forced year, to last year's report): for every text sample,
    /// rendering and pair.
    func testAKeptTextReadsAsItsFileWithTheOptions() throws {
        let linter = try Linter(ruleDirectories: [Repo.rules], options: LintOptions(agencyKind: .government, year: 2023))
        var paths: [String] = []
        for folder in ["samples", "samples/broken", "samples/renderings", "samples/previous"] {
            paths += try FileManager.default.contentsOfDirectory(atPath: Repo.path(folder)).filter { $0.hasSuffix(".txt") }.sorted().map {
                Repo.path(folder + "/" + $0)
            }
        }
        let lastYear = try linter.readPrevious(path: Repo.path("samples/previous/last-year.txt"))
        var checked = 0
        for path in paths {
            // Inputs that do not read, and a text that another reader claims (a page saved as .txt), keep no text.
            guard let read = try? linter.readPairing(path: path), let text = read.text else { continue }
            let fromText = try linter.check(decodedText: text, path: path, previous: lastYear)
            let fromFile = try linter.check(path: path, previous: lastYear)
            XCTAssertEqual(fromText.report, fromFile.report, path)
            XCTAssertEqual(fromText.findings, fromFile.findings, path)
            XCTAssertEqual(fromText.report.metadata.year, 2023, path)
            XCTAssertEqual(try linter.readPrevious(decodedText: text, path: path), try linter.readPrevious(path: path), path)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// Every text sample, broken sample and rendering, and pairs of last year's and this year's texts: within a
    /// configuration group that sets the agency kind (last year's report read from its kept text) and across groups
    /// (read from its file). Checked as a batch with every text kept, with about half of them kept and with none, on
    /// 1 and 3 threads, each input gets the report and findings of its file checked alone against the previous
    /// report the batch paired it with.
    func testABatchOfTextsGivesEachFilesOwnFindings() throws {
        let dir = try temporaryFolder()
        func listed(_ folder: String, _ keep: (String) -> Bool) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: Repo.path(folder)).filter(keep).sorted().map { folder + "/" + $0 }
        }
        let isText: (String) -> Bool = { $0.hasSuffix(".txt") }
        var sources = try listed("samples", isText) + listed("samples/broken", isText) + listed("samples/renderings", isText)
        // This year's reports of the pairs whose last year's report is in the other group.
        sources += ["samples/previous/this-year-carried-in.txt", "samples/previous/this-year-growth.txt"]
        XCTAssertGreaterThan(sources.count, 100)
        var bytes = 0
        func copy(_ source: String, to folder: String, as name: String) throws {
            let to = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.copyItem(atPath: Repo.path(source), toPath: to)
            bytes += try Data(contentsOf: URL(fileURLWithPath: to)).count
        }
        for (i, s) in sources.enumerated() { try copy(s, to: dir, as: String(format: "%03d-", i) + (s as NSString).lastPathComponent) }
        // The second group: one copy of last year's report (with two, neither would be paired) and this year's, under
        // a configuration that sets the agency kind (applied to a report read from a kept text as to one read from
        // its file, this year's and last year's).
        let sub = (dir as NSString).appendingPathComponent("b")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        try "fail_on: warning\nagency_kind: department\n".write(
            toFile: (sub as NSString).appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        for name in try listed("samples/previous", { $0 == "last-year.txt" || ($0.hasPrefix("this-year") && $0.hasSuffix(".txt")) }) {
            try copy(name, to: sub, as: (name as NSString).lastPathComponent)
        }
        for (workers, textMemory) in [(3, 64 << 20), (1, bytes / 2), (3, bytes / 2), (3, 0)] {
            var o = LintSession.Options(rulesRoot: Repo.rules)
            o.workers = workers
            let session = LintSession(options: o)
            session.draftLimits.textMemory = textMemory
            let plan = try session.plan([dir])
            XCTAssertEqual(plan.groups.count, 2)
            let previousOf = try session.previousFiles(plan)
            XCTAssertGreaterThanOrEqual(previousOf.count, 7, "this year's reports are paired, in a group and across")
            let batch = try session.run([dir])
            let kept = try XCTUnwrap(session.lastDrafts).keptTexts
            let readable = try DraftStoreTests.assertEachInputAsItsFile(batch, plan: plan, previousOf: previousOf).count
            switch textMemory {
            case 0: XCTAssertEqual(kept.count, 0)
            case bytes / 2:
                XCTAssertGreaterThan(kept.count, readable / 4, "workers \(workers)")
                XCTAssertLessThan(kept.count, readable * 3 / 4, "workers \(workers)")
            default:
                XCTAssertEqual(kept.count, readable, "every text that reads was kept")
                // Each input checked from its text, and last year's report of the pairs in its group read from it.
                XCTAssertGreaterThan(kept.read, kept.count, "workers \(workers)")
            }
            if textMemory > 0 { XCTAssertGreaterThanOrEqual(kept.read, kept.count, "every kept text was read") }
        }
    }
}
