import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIReaders
import OGITestSupport
import XCTest

/// Golden outputs, and the same report in every input format giving the same findings.
final class OutputAndFormatTests: XCTestCase {
    let samples = [
        "samples/clean-2019-department.txt", "samples/clean-2021-government.txt",
        "samples/broken/app-balance.txt", "samples/broken/cell-sign-text.txt", "samples/broken/late-department.txt",
        "samples/broken/app-missing-row.txt", "samples/broken/preamble-five-parts.txt",
    ]

    func inputs() throws -> [CheckedInput] {
        try samples.map { rel in
            let r = try Repo.linter.check(path: Repo.path(rel))
            return CheckedInput(path: rel, report: r.report, findings: r.findings, error: nil)
        }
    }

    let run = RunStart(
        files: [], rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages)

    func testGoldenText() throws {
        try assertGolden(TextFormat.render(try inputs(), run: run), "samples.txt")
    }

    /// The bundled catalog with `texts` in place of its entries for those keys.
    static func catalog(rewording texts: [String: String]) -> MessageCatalog {
        var catalog = Repo.linter.ruleSet.messages
        for (key, text) in texts { catalog.set(key, MessageCatalog.Entry(text: text, file: "t.yml", line: 1, column: 1)) }
        return catalog
    }

    /// The text output's report facts and folded line are the catalog's words: a catalog that rewords them rewords
    /// the output; without a catalog the file line is the path alone and the folded line counts and lists.
    func testTextWordsComeFromTheCatalog() throws {
        let checked = try inputs()
        let catalog = Self.catalog(rewording: [
            "output.header.year": "year {year}",
            "agency_kind.government": "government",
            "output.header.template": "template {template}",
            "output.folded.unchecked": "[+{count} unchecked: {rules}]",
            "output.folded.same_cause": "[+{count} same cause: {rules}]",
        ])
        let reworded = TextFormat.render(checked, run: RunStart(templates: Repo.linter.ruleSet.templates, messages: catalog))
        XCTAssertTrue(reworded.contains("samples/clean-2021-government.txt (year 2023 · "), reworded)
        XCTAssertTrue(reworded.contains(" · government · template 2021)"), reworded)
        XCTAssertTrue(reworded.contains("[+"), reworded)
        XCTAssertFalse(reworded.contains("年度 ·"))
        XCTAssertFalse(reworded.contains("另有"))
        let bare = TextFormat.render(checked, run: RunStart(templates: Repo.linter.ruleSet.templates))
        XCTAssertTrue(bare.contains("\nsamples/clean-2021-government.txt\n") || bare.hasPrefix("samples/clean-2021-government.txt\n"), bare)
        XCTAssertTrue(bare.contains("        (+"), bare)
        XCTAssertFalse(bare.contains("年度 ·"))
    }

    /// Every `output.*` key, and the agency kinds, reach the text output: a report with nothing read (year, kind
    /// and template unknown), a department's report, and folded findings of both kinds, with a catalog that
    /// rewords each key; control characters in a catalog's text are shown, not obeyed.
    func testEveryOutputKeyIsWorded() throws {
        let catalog = Self.catalog(rewording: [
            "output.header.year": "Y{year}",
            "output.header.year_unknown": "Y?",
            "output.header.agency_kind_unknown": "K?",
            "output.header.template": "T{template}",
            "output.header.template_unknown": "T?",
            "agency_kind.department": "DEPT",
            "output.folded.unchecked": "[U {count}: {rules}]",
            "output.folded.same_cause": "[S {count}: {rules}\u{1B}]",
        ])
        func finding(_ rule: String, _ category: OGIModel.Category, related: [Finding] = []) -> Finding {
            Finding(
                rule: rule, severity: .error, category: category, message: "m", fix: nil, location: FindingLocation(line: 1),
                related: related)
        }
        var known = Metadata()
        known.year = 2022
        known.agencyKind = .department
        known.template = "2021"
        let inputs = [
            CheckedInput(
                path: "unknown.txt", report: Report(path: "unknown.txt", sourceFormat: "text"),
                findings: [finding("ROOT-A", .extraction, related: [finding("R-1", .extraction), finding("R-2", .completeness)])],
                error: nil),
            CheckedInput(
                path: "known.txt", report: Report(path: "known.txt", sourceFormat: "text", metadata: known),
                findings: [finding("ROOT-B", .arithmetic, related: [finding("R-3", .arithmetic), finding("R-3", .arithmetic)])], error: nil),
        ]
        let text = TextFormat.render(inputs, run: RunStart(messages: catalog))
        XCTAssertTrue(text.contains("unknown.txt (Y? · K? · T?)"), text)
        XCTAssertTrue(text.contains("known.txt (Y2022 · DEPT · T2021)"), text)
        XCTAssertTrue(text.contains("[U 2: R-1、R-2]"), text)
        XCTAssertTrue(text.contains("[S 2: R-3␛]"), text)
        XCTAssertFalse(text.contains("\u{1B}"))
        let bare = TextFormat.render(inputs, run: RunStart())
        XCTAssertTrue(bare.contains("(+2: R-1, R-2)") && bare.contains("(+2: R-3)"), bare)
    }

    func testGoldenJSON() throws {
        try assertGolden(JSONFormat.render(try inputs(), run: run, options: OutputOptions(version: "test")), "samples.json")
    }

    func testJSONHasTheDocumentedShape() throws {
        let json = JSONFormat.render(try inputs(), run: run)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(Set(root.keys), ["tool", "reports", "summary"])
        let tool = try XCTUnwrap(root["tool"] as? [String: Any])
        XCTAssertEqual(tool["name"] as? String, "ogilint")
        let reports = try XCTUnwrap(root["reports"] as? [[String: Any]])
        XCTAssertEqual(Set(reports[0].keys), ["path", "year", "agency", "agency_kind", "template", "findings"])
        let f = try XCTUnwrap((reports[2]["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(f.keys), ["rule", "severity", "category", "message", "fix", "location"])
        XCTAssertEqual(
            Set((f["location"] as? [String: Any])?.keys ?? [:].keys), ["line", "page", "paragraph", "table", "row", "column", "cell"])
        let summary = try XCTUnwrap(root["summary"] as? [String: Int])
        XCTAssertEqual(summary["reports"], samples.count)
    }

    /// The text draft, its YAML model and its JSON model give identical findings.
    func testEveryInputFormatGivesTheSameFindings() throws {
        for base in ["samples/clean-2019-department", "samples/clean-2021-government"] {
            let text = try Repo.linter.read(path: Repo.path(base + ".txt"))
            let yaml = try Repo.linter.read(path: Repo.path(base + ".yml"))
            let json = try Repo.linter.read(path: Repo.path(base + ".json"))
            XCTAssertEqual(yaml.tables, text.tables, base)
            XCTAssertEqual(json.tables, text.tables, base)
            XCTAssertEqual(yaml.metadata, text.metadata, base)
            // A defect injected into the model is found exactly as in text.
            var broken = yaml
            let ti = broken.tables.firstIndex { $0.key == "applications" }!
            let ri = broken.tables[ti].rows.firstIndex { $0.key == "new" }!
            broken.tables[ti].rows[ri].cells[0] = Cell(
                column: "natural", raw: "1000", location: nil, syntax: Repo.linter.ruleSet.templates.profile.cells)
            // One wrong cell: reported as the cell to fix, with the balance it breaks folded under it.
            let fix = Repo.linter.check(broken).first { $0.rule == "CELL-TO-FIX" }
            XCTAssertEqual(fix?.suggestion?.cell, "applications.new.natural", base)
            XCTAssertTrue(fix?.related.contains { $0.rule == "APP-BALANCE" } ?? false, base)
        }
    }

    func testModelRoundTripsThroughYAMLAndJSON() throws {
        let text = try Repo.linter.read(path: Repo.path("samples/broken/cell-sign-text.txt"))
        for format in [ModelWriter.Format.yaml, .json] {
            let written = try ModelWriter.write(text, format: format)
            let back = try Repo.linter.read(path: format == .yaml ? "m.yml" : "m.json", data: Data(written.utf8))
            XCTAssertEqual(back.tables, text.tables)
            XCTAssertEqual(Repo.linter.check(back), Repo.linter.check(text))
        }
    }

    func testInvalidModelsAreRejectedWithWhatIsWrong() {
        let cases: [(String, String)] = [
            ("metadata: {year: 2020}\n", "missing 'ogilint_model: 1'"),
            ("ogilint_model: 2\n", "format 2 is not supported"),
            ("ogilint_model: 1\ntables:\n  - key: applicatons\n    rows: []\n", "unknown table key 'applicatons'"),
            (
                "ogilint_model: 1\nmetadata: {year: 2020}\ntables:\n  - key: applications\n    rows:\n      - {key: nwe, label: x, cells: []}\n",
                "unknown row key 'nwe'"
            ),
            ("ogilint_model: 1\nmetadata: {published: 2021-13-45}\n", "not a date"),
            ("ogilint_model: 1\nparts: [\n", "YAML syntax error"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try Repo.linter.read(path: "bad.yml", data: Data(yaml.utf8)), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "expected “\(expected)” in: \(error)")
                XCTAssertTrue("\(error)".hasPrefix("bad.yml"), "the message names the file: \(error)")
            }
        }
    }
}
