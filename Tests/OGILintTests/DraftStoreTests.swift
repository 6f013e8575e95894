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
        let store = DraftStore(.init(memory: bytes[0].count + bytes[1].count, file: 1 << 30))
        for (i, b) in bytes.enumerated() { store.put(b, at: i) }
        XCTAssertEqual(store.counts, .init(kept: 4, inFile: 2, written: 2, taken: 0))
        // Taken from several threads at once, in any order.
        let got = LockedArray<LinedDraft>(count: drafts.count)
        DispatchQueue.concurrentPerform(iterations: drafts.count) { i in
            let k = drafts.count - 1 - i
            if let d = store.take(k) { got.set(k, d) }
        }
        for (i, d) in drafts.enumerated() { XCTAssertEqual(got.values[i], d, "draft \(i)") }
        XCTAssertEqual(store.counts, .init(kept: 0, inFile: 0, written: 2, taken: 4))
        XCTAssertNil(store.take(0), "a draft is taken once")
        XCTAssertNil(store.take(9), "no draft was put there")
    }

    /// Last year's report among the inputs is taken once for its own check and once for each report paired with it,
    /// also by many threads at once.
    func testADraftWithMoreUsesIsKeptUntilItsLastUse() throws {
        let drafts = try drafts()
        for memory in [1 << 30, 0] {
            let store = DraftStore(.init(memory: memory, file: 1 << 30))
            store.put(drafts[0].encoded(), at: 0)
            store.put(drafts[1].encoded(), at: 1)
            for _ in 0..<63 { store.addUse(0) }
            store.addUse(7)  // an input without a draft: nothing to keep
            let got = LockedArray<LinedDraft>(count: 70)
            DispatchQueue.concurrentPerform(iterations: 70) { i in
                if let d = store.take(0) { got.set(i, d) }
            }
            XCTAssertEqual(got.values.compactMap { $0 }.count, 64, "memory limit \(memory)")
            XCTAssertTrue(got.values.compactMap { $0 }.allSatisfy { $0 == drafts[0] })
            XCTAssertNil(store.take(0))
            XCTAssertNil(store.take(7))
            XCTAssertEqual(store.take(1), drafts[1])
            XCTAssertEqual(store.counts.kept, 0)
        }
    }

    func testADraftThatFitsNowhereIsNotKept() throws {
        let bytes = try drafts()[0].encoded()
        let store = DraftStore(.init(memory: 0, file: bytes.count))
        store.put(bytes, at: 0)
        store.put(bytes, at: 1)
        XCTAssertEqual(store.counts.kept, 1)
        XCTAssertNotNil(store.take(0))
        XCTAssertNil(store.take(1))
        // No temporary file can be made: nothing is kept, and nothing fails.
        let nowhere = DraftStore(.init(memory: 0, file: 1 << 30, directory: "/nonexistent-ogilint-folder"))
        nowhere.put(bytes, at: 0)
        XCTAssertEqual(nowhere.counts, .init())
        XCTAssertNil(nowhere.take(0))
    }

    func testTheFileStaysWithinTheProcesssFileSizeLimitAndOffTmpfs() {
        // What the store reads: the limit of this process (none under `swift test`), and the mount table.
        if let limit = DraftStore.fileSizeLimit() { XCTAssertGreaterThan(limit, 0) }
        if let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) {
            let tmpfs = mounts.split(separator: "\n").map { $0.split(separator: " ") }.first { $0.count >= 3 && $0[2] == "tmpfs" }
            if let point = tmpfs?[1] { XCTAssertTrue(DraftStore.isMemoryFileSystem(String(point) + "/x"), String(point)) }
        }
        XCTAssertFalse(DraftStore.isMemoryFileSystem("/proc/self"), "procfs is no tmpfs")
    }

    /// Under `ulimit -f`, a batch whose drafts go to the file still finishes (a write past the limit would end the
    /// process with SIGXFSZ), with the output of a run that keeps no drafts.
    func testABatchUnderAFileSizeLimitFinishes() throws {
        let dir = try temporaryFolder()
        // About 3 MB of drafts: past the 2 MB kept in memory.
        for i in 0..<240 {
            let src = Repo.path(i % 2 == 0 ? "samples/clean-2019-department.html" : "samples/clean-2021-government.html")
            try FileManager.default.copyItem(atPath: src, toPath: (dir as NSString).appendingPathComponent(String(format: "r%03d.html", i)))
        }
        let limited = try CLI.run(["check", "--format", "json", dir], shellFirst: "ulimit -f 2000")
        XCTAssertFalse(limited.signalled, "ended by signal \(limited.code)")
        let plain = try CLI.run(["check", "--format", "json", "--no-pairing", dir])
        XCTAssertEqual(limited.code, plain.code)
        XCTAssertEqual(limited.out, plain.out)
    }

    /// A folder of DOCX, HTML and (when pdftotext is installed) PDF inputs and text reports in two configuration
    /// groups, with pairs inside a group and across groups, and a folder whose last-year page is unsigned: the batch (which checks
    /// from drafts, in memory or only in the file, on 1 or 3 threads) gives each input the findings of that file
    /// checked alone against the previous report the batch paired it with, and leaves out only what is no report.
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
        // A second configuration group: this year's reports there pair with last year's in the first group (read
        // from its file: a draft serves its own group only).
        let sub = (dir as NSString).appendingPathComponent("b")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        try "fail_on: warning\n".write(toFile: (sub as NSString).appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        for name in ["this-year-carried-in.html", "this-year-growth.docx"] {
            try FileManager.default.copyItem(
                atPath: Repo.path("samples/previous/" + name), toPath: (sub as NSString).appendingPathComponent(name))
        }
        // A second folder: an unsigned copy of last year's page (its report is not settled by its draft, so it is
        // read from its file) with this year's reports.
        let dir2 = try temporaryFolder()
        let lastYear = try String(contentsOfFile: Repo.path("samples/previous/last-year.html"), encoding: .utf8)
        let unsigned = lastYear.replacingOccurrences(of: "<p>2023年3月22日</p>", with: "")
            .replacingOccurrences(of: "<div class=\"nav\">", with: "<div class=\"nav\">发布时间：2023-03-25 ")
        XCTAssertTrue(!unsigned.contains("2023年3月22日") && unsigned.contains("发布时间"), "both edits were made")
        try unsigned.write(toFile: (dir2 as NSString).appendingPathComponent("last-year.html"), atomically: true, encoding: .utf8)
        for name in ["this-year-copied.html", "this-year-growth.docx", "this-year-carried-in.html"] {
            try FileManager.default.copyItem(
                atPath: Repo.path("samples/previous/" + name), toPath: (dir2 as NSString).appendingPathComponent(name))
        }
        try assertBatchMatchesEachFile(dir, groups: 2, pairs: 6, minFromDrafts: 60)
        try assertBatchMatchesEachFile(dir2, groups: 1, pairs: 3, minFromDrafts: 4)
    }

    func assertBatchMatchesEachFile(
        _ dir: String, groups: Int, pairs: Int, minFromDrafts: Int, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        for (workers, memory) in [(3, 2 << 20), (1, 0), (3, 0)] {
            var o = LintSession.Options(rulesRoot: Repo.rules)
            o.workers = workers
            let session = LintSession(options: o)
            session.draftLimits.memory = memory
            let plan = try session.plan([dir])
            XCTAssertEqual(plan.groups.count, groups, file: file, line: line)
            let previousOf = try session.previousFiles(plan)
            XCTAssertGreaterThanOrEqual(previousOf.count, pairs, "some inputs are paired", file: file, line: line)
            let batch = try session.run([dir])
            let store = try XCTUnwrap(session.lastDrafts)
            let readable = try Self.assertEachInputAsItsFile(batch, plan: plan, previousOf: previousOf)
            let fromDrafts = readable.filter { ["docx", "html", "pdf"].contains(($0 as NSString).pathExtension) }.count
            let counts = store.counts
            XCTAssertGreaterThanOrEqual(fromDrafts, minFromDrafts, file: file, line: line)
            XCTAssertEqual(counts.kept, 0, "every draft was used", file: file, line: line)
            XCTAssertGreaterThan(counts.taken, fromDrafts * 9 / 10, "the inputs were checked from drafts", file: file, line: line)
            if memory == 0 { XCTAssertGreaterThan(counts.written, fromDrafts * 9 / 10, "through the file", file: file, line: line) }
        }
    }

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

extension DraftStoreTests {
    /// Asserts that each input of `batch` (run on `plan`) has the report and findings of its file checked alone
    /// against the previous report `previousOf` gives it, fails when its file fails, and is left out only when it
    /// is no report. Returns the inputs that read alone.
    static func assertEachInputAsItsFile(
        _ batch: LintSession.Result, plan: LintSession.Plan, previousOf: [Int: String], file: StaticString = #filePath, line: UInt = #line
    ) throws -> [String] {
        let files = plan.start.files
        XCTAssertEqual(batch.inputs.count + batch.summary.notReports, files.count, file: file, line: line)
        var readable: [String] = []
        for (i, path) in files.enumerated() {
            let linter = plan.groups[plan.groupOf[i]].linter
            let previous = try previousOf[i].map { try linter.readPrevious(path: $0) }
            let input = batch.inputs.first { $0.path == path }
            let alone: ReportResult
            do { alone = try linter.check(path: path, previous: previous) } catch {
                XCTAssertNotNil(input?.error, "\(path): fails alone, so in the batch", file: file, line: line)
                continue
            }
            readable.append(path)
            guard let input else {
                XCTAssertTrue(
                    LintSession.isNotAReport(
                        CheckedInput(path: path, report: alone.report, findings: alone.findings),
                        notReportRules: plan.groups[plan.groupOf[i]].notReportRules), "\(path) left out, but it is a report",
                    file: file, line: line)
                continue
            }
            XCTAssertEqual(input.report, alone.report, path, file: file, line: line)
            XCTAssertEqual(input.findings, alone.findings, path, file: file, line: line)
        }
        return readable
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
    /// The DOCX and HTML inputs (with pairs) checked as a batch give the JSON output recorded from the build
    /// before drafts (f7c6ba8, `ogilint check --format json` from the checkout): drafts changed nothing.
    static let goldenInputs: [String] = {
        let broken = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/broken"))) ?? []
        let previous = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/previous"))) ?? []
        let markup = broken.filter { $0.hasSuffix(".docx") || $0.hasSuffix(".html") }.sorted().enumerated()
            .filter { $0.offset % 3 == 0 }.map { "samples/broken/" + $0.element }
        let pairs = previous.filter { $0 == "last-year.html" || ($0.hasPrefix("this-year") && !$0.hasSuffix(".txt")) }.sorted()
            .map { "samples/previous/" + $0 }
        return pairs + markup
    }()

    func testABatchOfMarkupGivesTheOutputOfTheBuildBeforeDrafts() throws {
        XCTAssertGreaterThan(Self.goldenInputs.count, 30)
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.workers = 3
        o.useConfiguration = false
        let session = LintSession(options: o)
        session.draftLimits.memory = 0
        let plan = try session.plan(Self.goldenInputs.map(Repo.path))
        let sink = StringSink()
        try session.run(plan, to: FormatWriter(JSONFormat(options: OutputOptions(version: OGILintVersion.string)), to: sink))
        XCTAssertGreaterThan(session.lastDrafts?.counts.written ?? 0, 30)
        let relative = sink.text.replacingOccurrences(of: Repo.root + "/", with: "")
        try assertGolden(relative, "markup-batch.json", directory: "OGILintTests")
    }
}
