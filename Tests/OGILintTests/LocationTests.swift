import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGITestSupport
import XCTest

/// Locations a reviewer can follow (issue 8 item 5): table/row/cell for DOCX tables and one-line web pages,
/// and links in the HTML report that lead somewhere for every input format.
final class LocationTests: XCTestCase {
    let run = RunStart(
        files: [], rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages)

    func inputs(_ paths: [String]) throws -> [CheckedInput] {
        try paths.map { p in
            let c = try Repo.linter.check(path: p.hasPrefix("/") ? p : Repo.path(p))
            return CheckedInput(path: p, report: c.report, findings: c.findings, error: nil)
        }
    }

    func testDocxTableFindingsShowTableRowAndCellInTextAndGitHubOutput() throws {
        let input = try inputs(["samples/broken/app-row-total.docx"])
        let text = TextFormat.render(input, run: run)
        XCTAssertTrue(text.contains("  T5/R7/C9 "), text)
        let gh = GitHubFormat.render(input, run: run)
        XCTAssertTrue(gh.contains("CELL-TO-FIX (arithmetic) T5/R7/C9::"), gh)  // the repaired cell, with APP-ROW-TOTAL folded under it
        // A row-level finding names the row.
        let row = TextFormat.render(try inputs(["samples/broken/row-digit-run.docx"]), run: run)
        XCTAssertTrue(row.contains("T5/R9 "), row)
        // Text keeps its lines.
        let plain = TextFormat.render(try inputs(["samples/broken/app-row-total.txt"]), run: run)
        XCTAssertFalse(plain.contains("T5/"), plain)
    }

    func testAOneLineWebPageShowsElementsNotItsSingleLine() throws {
        let html = try String(contentsOfFile: Repo.path("samples/broken/app-row-total.html"), encoding: .utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loc-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("one-line.html")
        try html.replacingOccurrences(of: "\n", with: " ").write(to: url, atomically: true, encoding: .utf8)
        let input = try inputs([url.path])
        XCTAssertEqual(
            input[0].findings.map(\.message).sorted(), try Repo.findings("samples/broken/app-row-total.html").map(\.message).sorted())
        let text = TextFormat.render(input, run: run)
        XCTAssertTrue(text.contains("  T5/R7/C9 "), text)
        XCTAssertFalse(text.contains("\n  1     error"), text)
        // The multi-line page keeps its line numbers.
        XCTAssertFalse(TextFormat.render(try inputs(["samples/broken/app-row-total.html"]), run: run).contains("T5/R7/C9"))
    }

    /// Every link in the HTML report has a target, for DOCX and PDF inputs too.
    func testHTMLReportLinksLeadSomewhereForDocxAndPDF() throws {
        for paths in [
            ["samples/broken/app-row-total.docx", "samples/broken/heading-slip.docx", "samples/broken/row-digit-run.docx"],
            ["samples/renderings/clean-2021-government.pdf", "samples/renderings/clean-2019-department.pdf"],
        ] {
            let input = try inputs(paths)
            let html = HTMLFormat.render(input, run: run, options: OutputOptions(version: "t"))
            let ids = Set(html.matches(of: /id="([^"]+)"/).map { String($0.1) })
            let links = html.matches(of: /href="#([^"]+)"/).map { String($0.1) }
            XCTAssertFalse(links.isEmpty, paths.joined(separator: ", "))
            for l in links { XCTAssertTrue(ids.contains(l), "link #\(l) has a target (\(paths))") }
        }
    }
}
