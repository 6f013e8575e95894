import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Our own samples laid out the way real copies arrive (samples/renderings, made by scripts/make-renderings.py):
/// PDF text with wrapped labels, pandoc Markdown with merged cells as empty cells, one cell per line with blank
/// lines between, traditional characters, heading slips with spaced signs and thousands separators, and the DOCX
/// as Word saves it (scripts/make-word-docx.py).
/// Each rendering must give the findings of the sample it was made from.
final class RenderingTests: XCTestCase {
    struct Said: Hashable, CustomStringConvertible {
        var rule, severity, message, table, row, column: String
        var description: String { "\(severity) \(rule) \(message)" }
    }

    /// What findings say; white space in messages is left out (a cell quoted as "减 51" in a rendering that
    /// spaces signs apart is the same cell as "减51").
    func said(_ findings: [Finding]) -> [Said] {
        findings.map {
            Said(
                rule: $0.rule, severity: $0.severity.rawValue, message: $0.message.filter { !$0.isWhitespace },
                table: $0.location.table ?? "", row: $0.location.row ?? "", column: $0.location.column ?? "")
        }.sorted { "\($0)" < "\($1)" }
    }

    static let kinds = [".pdf.txt", ".md", ".cells.txt", ".hant.txt", ".slips.txt", ".word.docx"]

    func renderings() throws -> [(path: String, source: String)] {
        let dir = Repo.path("samples/renderings")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        var out: [(String, String)] = []
        for n in names {
            guard let kind = Self.kinds.first(where: { n.hasSuffix($0) }) else { continue }
            let base = String(n.dropLast(kind.count))
            let source =
                FileManager.default.fileExists(atPath: Repo.path("samples/\(base).txt"))
                ? "samples/\(base).txt" : "samples/broken/\(base).txt"
            out.append(("samples/renderings/" + n, source))
        }
        return out
    }

    func testEveryRenderingGivesTheFindingsOfItsSample() throws {
        let all = try renderings()
        XCTAssertGreaterThanOrEqual(all.count, 78)
        for (path, source) in all {
            let expected = said(try Repo.findings(source))
            let result = try Repo.linter.check(path: Repo.path(path))
            // A blank cell leaves no trace in one-cell-per-line text (in PDF text the other rows' columns place the
            // numbers), and a text cell in undelimited text cannot be told from a piece of label: the row cannot be
            // placed with certainty, which the reader records instead of guessing (so no rule reads a number from it).
            let unplaceable = [
                "cell-blank.txt": ("regulations", "rules", [".cells.txt"]),
                "cell-text.txt": ("applications", "rejected.publication", [".pdf.txt", ".cells.txt"]),
            ]
            if let (table, row, kinds) = unplaceable.first(where: { source.hasSuffix("/" + $0.key) })?.value,
                kinds.contains(where: { path.hasSuffix($0) })
            {
                XCTAssertEqual(result.report.extractionNotes.map { "\($0.table).\($0.row)" }, ["\(table).\(row)"], path)
                XCTAssertTrue(result.report.table(table)?.row(row)?.cells.allSatisfy { $0.state == .missing } ?? false, path)
                XCTAssertEqual(result.findings.filter { $0.category == .arithmetic && $0.severity == .error }.map(\.message), [], path)
                continue
            }
            XCTAssertEqual(result.report.extractionNotes, [], path)
            var findings = result.findings
            if path.hasSuffix(".slips.txt") {
                // Headings with slips are read as their parts, and each gets one warning quoting the standard heading.
                let slipped = result.report.parts.filter { $0.standardHeading != nil }
                let headings = findings.filter { $0.rule == "HEADING-STANDARD" }
                XCTAssertGreaterThanOrEqual(slipped.count, 2, path)
                XCTAssertEqual(headings.map(\.fix), slipped.map { "改为标准标题“\($0.standardHeading!)”" }, path)
                XCTAssertTrue(headings.allSatisfy { $0.severity == .warning && $0.category == .editorial }, path)
                findings.removeAll { $0.rule == "HEADING-STANDARD" }
            }
            XCTAssertEqual(said(findings), expected, path)
        }
    }

    func testCleanRenderingsGiveNoErrorsAndEveryCellOfTheSample() throws {
        for base in ["clean-2019-department", "clean-2021-government"] {
            let sample = try Repo.linter.read(path: Repo.path("samples/\(base).txt"))
            for kind in Self.kinds {
                let path = "samples/renderings/\(base)\(kind)"
                let r = try Repo.linter.check(path: Repo.path(path))
                XCTAssertEqual(r.findings.errors.map(\.message), [], path)
                // Same tables, rows and cell values (raw text may differ: "1,234", "减 51", full-width digits).
                XCTAssertEqual(r.report.tables.map(\.key), sample.tables.map(\.key), path)
                for t in sample.tables {
                    let got = try XCTUnwrap(r.report.table(t.key), path)
                    XCTAssertEqual(got.rows.map(\.key), t.rows.map(\.key), "\(path) \(t.key)")
                    for row in t.rows {
                        XCTAssertEqual(got.row(row.key)?.cells.map(\.value), row.cells.map(\.value), "\(path) \(t.key).\(row.key)")
                    }
                }
            }
        }
    }

    func testHeadingSlipsAreReadAndCarryTheStandardHeading() throws {
        let r = try Repo.linter.read(path: Repo.path("samples/renderings/clean-2021-government.slips.txt"))
        XCTAssertEqual(r.parts.map(\.key), ["overview", "proactive", "applications", "reviews", "problems", "other"])
        let deviating = Dictionary(uniqueKeysWithValues: r.parts.compactMap { p in p.standardHeading.map { (p.key, $0) } })
        XCTAssertEqual(
            deviating,
            [
                "proactive": "二、主动公开政府信息情况",
                "reviews": "四、政府信息公开行政复议、行政诉讼情况",
                "problems": "五、存在的主要问题及改进情况",
            ], "a lost numeral and two slips")
        // The heading run into the paragraph before it: the preamble keeps its sentence, the part its text.
        XCTAssertEqual(r.part("overview")?.heading, "一、总体情况")
        XCTAssertTrue(r.part("overview")?.paragraphs.first?.text.hasPrefix("2023年") ?? false)
        XCTAssertTrue(r.preamble.last?.text.hasSuffix("。") ?? false)
    }
}
