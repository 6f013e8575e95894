import Foundation
import OGIModel
import OGIOutput
import OGITestSupport
import XCTest

@testable import OGILint
@testable import OGIReaders

/// A batch keeps the drafts its pairing pass made (`DraftStore`) and checks DOCX, HTML and PDF inputs from them:
/// in memory, in the temporary file past the memory limit, or (past both) not at all, the findings are the ones
/// of each file checked on its own.
final class DraftStoreTests: XCTestCase {
    func drafts() throws -> [LinedDraft] {
        try ["clean-2019-department.docx", "clean-2021-government.docx", "clean-2019-department.html", "clean-2021-government.html"]
            .map { name in
                let path = Repo.path("samples/" + name)
                return try XCTUnwrap(try Repo.linter.readPairing(path: path).draft, name)
            }
    }

    func testDraftsComeBackOnceFromMemoryAndFromTheFile() throws {
        let drafts = try drafts()
        let bytes = drafts.map { $0.encoded() }
        // Room in memory for the first two only: the others go to the file.
        let store = DraftStore(memoryLimit: bytes[0].count + bytes[1].count, fileLimit: 1 << 30)
        for (i, b) in bytes.enumerated() { store.put(b, at: i) }
        XCTAssertEqual(store.counts.kept, 4)
        XCTAssertEqual(store.counts.inFile, 2)
        // Taken from several threads at once, in any order.
        let got = LockedArray<LinedDraft>(count: drafts.count)
        DispatchQueue.concurrentPerform(iterations: drafts.count) { i in
            let k = drafts.count - 1 - i
            if let d = store.take(k) { got.set(k, d) }
        }
        for (i, d) in drafts.enumerated() { XCTAssertEqual(got.values[i], d, "draft \(i)") }
        XCTAssertEqual(store.counts.kept, 0)
        XCTAssertNil(store.take(0), "a draft is taken once")
        XCTAssertNil(store.take(9), "no draft was put there")
    }

    /// Last year's report among the inputs is taken once for its own check and once for each report paired with it.
    func testADraftWithMoreUsesIsKeptUntilItsLastUse() throws {
        let drafts = try drafts()
        for memoryLimit in [1 << 30, 0] {
            let store = DraftStore(memoryLimit: memoryLimit, fileLimit: 1 << 30)
            store.put(drafts[0].encoded(), at: 0)
            store.put(drafts[1].encoded(), at: 1)
            store.addUse(0)
            store.addUse(0)
            XCTAssertEqual(store.take(0), drafts[0])
            XCTAssertEqual(store.take(0), drafts[0])
            XCTAssertEqual(store.counts.kept, 2)
            XCTAssertEqual(store.take(0), drafts[0])
            XCTAssertNil(store.take(0), "three uses")
            XCTAssertEqual(store.take(1), drafts[1])
            XCTAssertEqual(store.counts.kept, 0)
        }
    }

    func testADraftThatFitsNowhereIsNotKept() throws {
        let bytes = try drafts()[0].encoded()
        let store = DraftStore(memoryLimit: 0, fileLimit: bytes.count)
        store.put(bytes, at: 0)
        store.put(bytes, at: 1)
        XCTAssertEqual(store.counts.kept, 1)
        XCTAssertNotNil(store.take(0))
        XCTAssertNil(store.take(1))
    }

    /// A folder of every rendering (DOCX, HTML, and PDF when pdftotext is installed) and text reports, some of
    /// them pairs: the batch (which checks from drafts) gives each input the findings of that file checked alone
    /// against the previous report the batch paired it with.
    func testABatchFromDraftsGivesEachFilesOwnFindings() throws {
        let dir = try temporaryFolder()
        var exts: Set<String> = ["docx", "html"]
        if PDFReader.pdftotext() != nil { exts.insert("pdf") }
        func listed(_ folder: String, _ keep: (String) -> Bool) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/" + folder)).filter(keep).sorted().map {
                folder + "/" + $0
            }
        }
        var sources = try listed("broken") { exts.contains(($0 as NSString).pathExtension) }
        sources += try listed("renderings") { exts.contains(($0 as NSString).pathExtension) }
        // One copy of last year's report (with two, neither would be paired) and this year's in two formats.
        sources += try listed("previous") { $0 == "last-year.html" || ($0.hasPrefix("this-year") && !$0.hasSuffix(".txt")) }
        sources += ["clean-2021-government.txt", "clean-2019-department.docx"]
        XCTAssertGreaterThan(sources.count, 60)
        for (i, s) in sources.enumerated() {
            try FileManager.default.copyItem(
                atPath: Repo.path("samples/" + s),
                toPath: (dir as NSString).appendingPathComponent(String(format: "%03d-", i) + (s as NSString).lastPathComponent))
        }
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        o.workers = 2
        let session = LintSession(options: o)
        let plan = try session.plan([dir])
        let previousOf = try session.previousFiles(plan)
        XCTAssertGreaterThan(previousOf.count, 2, "some inputs are paired")
        let batch = try session.run([dir])
        XCTAssertGreaterThan(batch.inputs.count, 60)
        let linter = plan.groups[0].linter
        var fromDrafts = 0
        for input in batch.inputs {
            // Inputs that are not reports are left out of the results: find each one's place among the files.
            let i = try XCTUnwrap(plan.start.files.firstIndex(of: input.path))
            let previous = try previousOf[i].map { try linter.readPrevious(path: $0) }
            let alone: ReportResult
            do { alone = try linter.check(path: input.path, previous: previous) } catch {
                XCTAssertNotNil(input.error, "\(input.path): fails alone, so in the batch")
                continue
            }
            XCTAssertEqual(input.report, alone.report, input.path)
            XCTAssertEqual(input.findings, alone.findings, input.path)
            if ["docx", "html", "pdf"].contains((input.path as NSString).pathExtension) { fromDrafts += 1 }
        }
        XCTAssertGreaterThan(fromDrafts, 60)
    }
}

/// An array written from several threads, one index each.
final class LockedArray<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) {
        lock.lock()
        values[i] = v
        lock.unlock()
    }
}

extension DraftStoreTests {
    /// An unsigned page whose date is on a line around the report is checked from its file, as on its own.
    func testADraftThatCannotSettleItsReportIsCheckedFromTheFile() throws {
        let html = try String(contentsOfFile: Repo.path("samples/clean-2021-government.html"), encoding: .utf8)
        let unsigned = html.replacingOccurrences(of: "<p>2024年3月20日</p>", with: "")
            .replacingOccurrences(of: "<div class=\"nav\">", with: "<div class=\"nav\">发布时间：2024-03-25 ")
        let path = (try temporaryFolder() as NSString).appendingPathComponent("u.html")
        try unsigned.write(toFile: path, atomically: true, encoding: .utf8)
        let linter = Repo.linter
        let draft = try XCTUnwrap(try linter.readPairing(path: path).draft)
        XCTAssertNil(linter.read(draft: draft))
        let fromDraft = try linter.check(draft: draft, previous: nil)
        let alone = try linter.check(path: path)
        XCTAssertEqual(fromDraft.report, alone.report)
        XCTAssertEqual(fromDraft.findings, alone.findings)
        XCTAssertEqual(alone.report.metadata.published, CalendarDate(year: 2024, month: 3, day: 25))
    }
}
