import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGITestSupport
import XCTest

/// The session streams results to the outputs in input order, whatever the number of threads.
final class StreamingTests: XCTestCase {
    func batch(_ count: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let sources = ["clean-2021-government.txt", "broken/app-balance.txt", "broken/cell-sign-text.txt", "clean-2019-department.docx"]
        for i in 0..<count {
            let src = sources[i % sources.count]
            let name = String(format: "r%03d.", i) + (src as NSString).pathExtension
            try FileManager.default.copyItem(atPath: Repo.path("samples/" + src), toPath: dir.appendingPathComponent(name).path)
        }
        try "".write(to: dir.appendingPathComponent("r999.txt"), atomically: true, encoding: .utf8)
        return dir
    }

    func output(_ dir: URL, workers: Int, format: any OutputFormat.Type) throws -> (text: String, paths: [String]) {
        let out = try batchOutput(dir, workers: workers, format: format)
        return (out.text, out.paths)
    }

    func testOutputIsTheSameInInputOrderOnAnyNumberOfThreads() throws {
        let dir = try batch(13)
        for format in OutputFormats.all {
            let one = try output(dir, workers: 1, format: format)
            let four = try output(dir, workers: 4, format: format)
            XCTAssertEqual(one.paths, one.paths.sorted(), "input order")
            XCTAssertEqual(one.paths.count, 14)
            XCTAssertEqual(four.paths, one.paths)
            XCTAssertEqual(four.text, one.text, format.name)
        }
    }

    func testStreamedOutputEqualsTheWholeRunRendered() throws {
        let dir = try batch(6)
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        let result = try LintSession(options: o).run([dir.path])
        let run = RunStart(files: result.inputs.map(\.path), rules: result.rules, templates: result.templates, messages: result.messages)
        for format in OutputFormats.all {
            XCTAssertEqual(
                try output(dir, workers: 3, format: format).text,
                format.render(result.inputs, run: run, options: OutputOptions(version: "t"), summary: result.summary), format.name)
        }
        XCTAssertEqual(result.summary.unreadable, 1)
        XCTAssertEqual(result.summary.exitStatus(failOn: .error), .toolError)
        XCTAssertEqual(result.inputs.last?.error.map { "\($0)" }?.contains("r999.txt"), true)
    }

    /// Text held for the end of a large output goes to a temporary file and comes back intact, multi-byte
    /// characters split across chunks included.
    func testLargeJUnitOutputIsSpooledIntact() throws {
        let dir = try batch(3)
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        let result = try LintSession(options: o).run([dir.path])
        let many = Array(repeating: result.inputs, count: 150).flatMap { $0 }
        let xml = JUnitFormat.render(many, run: RunStart(files: [], rules: result.rules, templates: result.templates))
        XCTAssertGreaterThan(xml.utf8.count, 2 << 20, "over the in-memory limit")
        XCTAssertFalse(xml.contains("\u{FFFD}"))
        XCTAssertEqual(xml.components(separatedBy: "<testsuite ").count - 1, many.count)
    }
    /// The text format's closing table of a batch too large to keep in memory (its rows go to a temporary file)
    /// is the table built from every row at once: same widths, same order, multi-byte paths intact.
    func testALargeTextClosingTableIsSpooledIntact() throws {
        let f = Finding(rule: "X", severity: .warning, category: .cell, message: "m", fix: nil, location: FindingLocation(line: 1))
        let inputs = (0..<40_000).map { i in
            CheckedInput(
                path: String(repeating: "湖北省", count: i % 7) + "/报告\(i).txt", report: nil, findings: i % 3 == 0 ? [f] : [])
        }
        let text = TextFormat.render(
            inputs, run: RunStart(files: [], rules: [], templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages))
        // The table as the format built it before rows were spooled: all rows in memory, the widest path (at most
        // 60) setting the column.
        let width = min(60, inputs.map { TextLayout.displayWidth($0.path) }.max()!)
        var table = TextLayout.pad("file", width + 2) + "errors  warnings  infos\n"
        for input in inputs {
            let c = RunSummary.counts(input.findings)
            table += TextLayout.pad(input.path, width + 2) + TextLayout.pad(String(c.errors), 8) + TextLayout.pad(String(c.warnings), 10)
            table += String(c.infos) + "\n"
        }
        XCTAssertGreaterThan(table.utf8.count, 2 << 20, "the rows alone are over the in-memory limit")
        XCTAssertTrue(text.contains("\n\n" + table + "\n"), "the closing table differs")
        XCTAssertFalse(text.contains("\u{FFFD}"))
    }
    /// The HTML format's index of a batch too large to keep in memory comes back whole and in order.
    func testALargeHTMLIndexIsSpooledIntact() throws {
        let inputs = (0..<20_000).map { i in CheckedInput(path: "湖北省/报告\(i).txt", report: nil, findings: []) }
        let html = HTMLFormat.render(
            inputs, run: RunStart(files: [], rules: [], templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages))
        let index = try XCTUnwrap(html.range(of: "<tbody>\n")).upperBound
        let end = try XCTUnwrap(html.range(of: "</tbody></table></nav>", range: index..<html.endIndex)).lowerBound
        let rows = html[index..<end].split(separator: "\n")
        XCTAssertGreaterThan(html[index..<end].utf8.count, 1 << 20, "over the in-memory limit")
        XCTAssertEqual(rows.count, inputs.count)
        XCTAssertEqual(
            String(rows[12_345]), "<tr><td>12346</td><td><a href=\"#r12346\">湖北省/报告12345.txt</a></td><td>0</td><td>0</td><td>0</td></tr>")
        XCTAssertFalse(html.contains("\u{FFFD}"))
    }
}
