import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIRules
import OGITestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Outputs for CI and reviewers, configuration, suppressions, baselines and batch runs.
final class CIAndConfigTests: XCTestCase {
    func inputs(_ rel: [String]) throws -> [CheckedInput] {
        try rel.map { r in
            let c = try Repo.linter.check(path: Repo.path(r))
            return CheckedInput(path: r, report: c.report, findings: c.findings, error: nil)
        }
    }

    let run = RunStart(
        files: [], rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages)

    let samples = [
        "samples/clean-2021-government.txt", "samples/broken/app-balance.txt", "samples/broken/cell-sign-text.docx",
        "samples/broken/late-department.html",
    ]

    func temp() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-t-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    // MARK: outputs

    func testSARIFValidatesAgainstTheOfficialSchema() throws {
        let sarif = SARIFFormat.render(try inputs(samples), run: run, options: OutputOptions(version: "0.1.0"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.count, Repo.linter.ruleSet.rules.count)
        for r in try XCTUnwrap(run["results"] as? [[String: Any]]) {
            let i = try XCTUnwrap(r["ruleIndex"] as? Int)
            XCTAssertEqual(rules[i]["id"] as? String, r["ruleId"] as? String)
        }
        guard let shared = Repo.shared else { throw XCTSkip("../shared/schemas is not present") }
        let schema = (shared as NSString).appendingPathComponent("schemas/sarif-schema-2.1.0.json")
        let dir = try temp()
        let file = dir.appendingPathComponent("out.sarif")
        try sarif.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.validate(doc, schema)
            print("valid")
            """, schema, file.path,
        ]
        let out = Pipe(); p.standardOutput = out; p.standardError = out
        try p.run(); p.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if said.contains("No module named 'jsonschema'") && ProcessInfo.processInfo.environment["CI"] == nil {
            throw XCTSkip("python3 jsonschema is not installed (CI installs it)")
        }
        XCTAssertEqual(p.terminationStatus, 0, said)
    }

    func testJUnitIsWellFormedWithOneCasePerRulePerReport() throws {
        let xml = JUnitFormat.render(try inputs(samples), run: run, options: OutputOptions(failOn: .error))
        let doc = try XMLDocument(xmlString: xml)
        let cases = try doc.nodes(forXPath: "//testcase")
        XCTAssertEqual(cases.count, samples.count * Repo.linter.ruleSet.rules.count)
        let failures = try doc.nodes(forXPath: "//testcase[failure]").compactMap {
            ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue
        }
        XCTAssertEqual(Set(failures.map { String($0.prefix { $0 != ":" }) }), ["APP-BALANCE", "DEADLINE-DEPARTMENT"])
        // A warning is output, not a failure, when the gate is on errors.
        XCTAssertTrue(xml.contains("<system-out>[warning]"))
    }

    func testGitHubAnnotationsAndMarkdown() throws {
        let gh = GitHubFormat.render(try inputs(["samples/broken/app-balance.txt"]), run: run)
        XCTAssertTrue(gh.hasPrefix("::error file=samples/broken/app-balance.txt,line=54,title=APP-BALANCE (arithmetic)::"), gh)
        XCTAssertFalse(
            gh.dropLast().contains("\n::error file=samples/broken/app-balance.txt,line=54,title=APP-BALANCE (arithmetic)::\n") && false)
        XCTAssertTrue(gh.contains("%0A建议："), "newlines inside a message are escaped")
        let md = MarkdownFormat.render(try inputs(samples), run: run)
        XCTAssertTrue(md.contains("| file | errors | warnings | infos |"))
        XCTAssertTrue(md.contains("| ❌ | `APP-BALANCE` |"))
    }

    func testHTMLReportIsSelfContainedAndLinksEveryFinding() throws {
        let input = try inputs(samples)
        let html = HTMLFormat.render(input, run: run, options: OutputOptions(version: "t"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://") || html.contains(" src="), "no external assets")
        let ids = Set(html.matches(of: /id="([^"]+)"/).map { String($0.1) })
        let links = html.matches(of: /href="#([^"]+)"/).map { String($0.1) }
        // The batch opens with an index: one link per report, to its section.
        XCTAssertEqual(links.filter { $0.wholeMatch(of: /r[0-9]+/) != nil }, (1...input.count).map { "r\($0)" })
        // One link per located finding, and one more to the suspected cell of each finding that names one.
        XCTAssertEqual(
            links.filter { $0.contains("-") }.count,
            input.flatMap(\.findings).filter { $0.location.cell != nil || $0.location.line != nil || $0.location.paragraph != nil }.count
                + input.flatMap(\.findings).filter { $0.suggestion != nil }.count)
        for l in links { XCTAssertTrue(ids.contains(l), "link #\(l) has a target") }
        XCTAssertTrue(html.contains("hl-error"), "the cell a finding points at is highlighted")
        XCTAssertTrue(html.contains("data-sev=\"warning\""))
    }

    func testHTMLReportMarksTheSuspectedCellApart() throws {
        let input = try inputs(["samples/broken/app-cell-to-fix.txt"])
        let s = try XCTUnwrap(input[0].findings.compactMap(\.suggestion).first, "the sample names a cell to fix")
        let html = HTMLFormat.render(input, run: run, options: OutputOptions(version: "t"))
        let id = "r1-c-" + s.cell.replacingOccurrences(of: ".", with: "-")
        // Exactly the suspected cell carries the mark, with its suggested value; the finding names the value and links to it.
        let marked = html.matches(of: /<td id="([^"]+)" class="[^"]*\bsuspect\b[^"]*" title="[^"]*建议改为 ([0-9.]+)"/).map {
            (String($0.1), String($0.2))
        }
        XCTAssertEqual(
            marked.map(\.0), [id], html.matches(of: /<td id="[^"]+" class="[^"]*hl-[^"]*"/).map { String($0.0) }.joined(separator: "\n"))
        XCTAssertEqual(marked.first?.1, ExactDecimal.format(s.suggestedValue))
        XCTAssertTrue(html.contains("<div class=\"suspect\">疑似填错的单元格：<a href=\"#\(id)\">"), "the finding links to the suspected cell")
        XCTAssertTrue(html.contains("建议改为 <b>\(ExactDecimal.format(s.suggestedValue))</b>"))
        XCTAssertTrue(html.contains("<span class=\"suspect\">疑似填错的单元格"), "the legend explains the mark")
        // Cells that only take part in the failing sums are highlighted, not marked as suspected.
        XCTAssertGreaterThan(html.matches(of: /<td [^>]*class="[^"]*hl-error[^"]*"/).count, 1)
        // A clean report has no suspected cell and no legend entry for it.
        let clean = HTMLFormat.render(try inputs(["samples/clean-2021-government.txt"]), run: run, options: OutputOptions(version: "t"))
        XCTAssertFalse(clean.contains("class=\"suspect\"") || clean.contains(" suspect\""))
    }

    // MARK: configuration

    func writeConfig(_ text: String, in dir: URL) throws -> String {
        let p = dir.appendingPathComponent(".ogilint.yml")
        try text.write(to: p, atomically: true, encoding: .utf8)
        return p.path
    }

    func testConfigurationErrorsHaveLineNumbers() throws {
        let dir = try temp()
        let cases: [(String, String)] = [
            ("disable: [CELL-BLANK]\nfial_on: warning\n", ":2:1: unknown key 'fial_on'"),
            ("blank_cells: sometimes\n", ":1:14: 'sometimes' is not a valid blank_cells policy"),
            ("suppress:\n  - rule: CELL-BLANK\n    where: {table: x}\n", ":2:5: a suppression needs a 'reason'"),
            ("year: 1066\n", ":1:7: year 1066"),
        ]
        for (text, expected) in cases {
            let path = try writeConfig(text, in: dir)
            XCTAssertThrowsError(try LintConfiguration.load(path)) { e in XCTAssertTrue("\(e)".contains(expected), "\(e)") }
        }
        let path = try writeConfig("severity:\n  CELL-BLANKK: error\n", in: dir)
        let conf = try LintConfiguration.load(path)
        XCTAssertThrowsError(try Linter(ruleDirectories: [Repo.rules], configuration: conf)) { e in
            XCTAssertTrue("\(e)".contains(":2:3: no rule 'CELL-BLANKK'") && "\(e)".contains("did you mean 'CELL-BLANK'"), "\(e)")
        }
    }

    func session(_ dir: URL, _ files: [String], baseline: String? = nil) throws -> LintSession.Result {
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.baselinePath = baseline
        return try LintSession(options: o).run(files.map { dir.appendingPathComponent($0).path })
    }

    func testSuppressionsSeverityDisableAndBlankCells() throws {
        let dir = try temp()
        for f in ["cell-sign-text", "cell-blank", "app-balance"] {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: Repo.path("samples/broken/\(f).txt")), to: dir.appendingPathComponent("\(f).txt"))
        }
        _ = try writeConfig(
            """
            severity: {APP-BALANCE: warning}
            blank_cells: error
            disable: [FEE-STATEMENT]
            suppress:
              - rule: CELL-SIGN-TEXT
                where: {file: "cell-*.txt", table: 第二十条第（五）项, row: 行政许可}
                reason: 本省口径写“增/减”
              - rule: CELL-PLACEHOLDER
                reason: 一条不再需要的抑制
            fail_on: warning
            """, in: dir)
        let r = try session(dir, ["cell-sign-text.txt", "cell-blank.txt", "app-balance.txt"])
        XCTAssertEqual(r.inputs[0].findings.map(\.rule), [], "suppressed")
        // The unused suppression is reported under the configuration file's name, at its line, after the reports.
        XCTAssertEqual(r.inputs.count, 4)
        let config = r.inputs[3]
        XCTAssertTrue(config.isConfiguration && config.path.hasSuffix("/.ogilint.yml"), config.path)
        XCTAssertEqual(config.findings.map(\.rule), ["CONFIG-UNUSED-SUPPRESSION"])
        XCTAssertEqual(config.findings[0].location.line, 8)
        XCTAssertTrue(config.findings[0].message.contains("CELL-PLACEHOLDER"))
        XCTAssertEqual(r.summary.reports, 3, "a configuration file is not counted as a report")
        XCTAssertEqual(r.inputs[1].findings.map(\.severity), [.error], "blank_cells: error")
        XCTAssertEqual(Set(r.inputs[2].findings.map(\.severity)), [.warning], "severity override")
        XCTAssertEqual(r.failOn, .warning)
        XCTAssertFalse(r.rules.contains { $0.id == "FEE-STATEMENT" })
    }

    func testBaselineHidesAcceptedFindingsButNotNewOnes() throws {
        let dir = try temp()
        let report = dir.appendingPathComponent("r.txt")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Repo.path("samples/broken/app-balance.txt")), to: report)
        let first = try session(dir, ["r.txt"])
        XCTAssertEqual(first.inputs[0].findings.count, 2)
        let baseline = dir.appendingPathComponent("baseline.json").path
        try Baseline.write(first.inputs, to: baseline)
        XCTAssertEqual(try session(dir, ["r.txt"], baseline: baseline).inputs[0].findings, [])
        // Lines moving does not matter; a new problem does.
        var text = try String(contentsOf: report, encoding: .utf8)
        text = "\n\n" + text.replacingOccurrences(of: "2024年3月20日", with: "2024年5月20日")
        try text.write(to: report, atomically: true, encoding: .utf8)
        let after = try session(dir, ["r.txt"], baseline: baseline)
        XCTAssertEqual(after.inputs[0].findings.map(\.rule), ["DEADLINE-GOVERNMENT"])
        XCTAssertEqual(after.baselined, 2)
    }

    func testFoldersAndWildcardsExpandInAStableOrder() throws {
        let dir = try temp()
        let sub = dir.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for (name, src) in [
            ("a/b/z.txt", "clean-2021-government.txt"), ("a/y.docx", "clean-2021-government.docx"),
            ("a/x.yml", "clean-2021-government.yml"),
        ] {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: Repo.path("samples/" + src)), to: dir.appendingPathComponent(name))
        }
        try "not a report".write(to: dir.appendingPathComponent("a/notes.md"), atomically: true, encoding: .utf8)
        try "rules: []".write(to: dir.appendingPathComponent("a/pack.yml"), atomically: true, encoding: .utf8)
        let base = dir.path
        XCTAssertEqual(try LintSession.expand([base + "/a"]), [base + "/a/b/z.txt", base + "/a/x.yml", base + "/a/y.docx"])
        XCTAssertEqual(try LintSession.expand([base + "/a/**/*.txt"]), [base + "/a/b/z.txt"])
        XCTAssertEqual(try LintSession.expand([base + "/a/*.docx", base + "/a/y.docx"]), [base + "/a/y.docx"])
        XCTAssertThrowsError(try LintSession.expand([base + "/nothing/*.txt"]))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try LintSession.expand([base + "/empty"]), "an empty folder is an error, not a pass")
    }

    // MARK: rule reference and rule tests

    func testRuleReferenceIsCurrent() throws {
        let generated = RuleReference.markdown(Repo.linter.ruleSet.rules, root: Repo.root)
        let committed = try String(contentsOfFile: Repo.path("docs/rules.md"), encoding: .utf8)
        XCTAssertEqual(committed, generated, "docs/rules.md is stale: run `swift run ogilint rules --format markdown > docs/rules.md`")
    }

    func testAProvincialPackIsTestedByItsExamples() throws {
        let dir = try temp()
        try """
        rules:
          - id: PROV-FEE-ZERO
            title: 本省要求行政事业性收费为 0
            severity: warning
            category: consistency
            when: template == "2021"
            assert: fees.fees.amount == 0
            fix: 核对收费金额
            examples:
              pass: [\(Repo.path("samples/broken/cell-text.txt"))]
              fail: [\(Repo.path("samples/clean-2021-government.txt"))]
        """.write(to: dir.appendingPathComponent("prov.yml"), atomically: true, encoding: .utf8)
        let linter = try Linter(ruleDirectories: [Repo.rules, dir.path])
        let outcomes = RuleExamples.run(linter, definedUnder: dir.path)
        XCTAssertEqual(outcomes.count, 2)
        XCTAssertEqual(
            outcomes.filter { $0.problem != nil }.map(\.example), [Repo.path("samples/broken/cell-text.txt")],
            "the clean sample's fees are not 0, so its 'pass' example fails")
        XCTAssertEqual(RuleExamples.run(Repo.linter).filter { $0.problem != nil }.map { "\($0.rule) \($0.example) \($0.problem!)" }, [])
    }
}
