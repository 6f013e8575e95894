import Foundation
import OGILint
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// What province rules need: functions, load-time checks of types, placeholders and cells, templates a rule
/// applies to, terms with row and column labels, blank totals.
final class RuleLanguageTests: XCTestCase {
    /// Rules that must all hold on any report: each is an expression over literals.
    func testFunctions() throws {
        let checks = [
            "round(2.345, 2) == 2.35", "round(2.5) == 3", "round(-2.5) == -3", "round(1234.5678, -2) == 1200",
            "floor(1.9) == 1", "floor(-1.5) == -2", "ceil(1.1) == 2", "ceil(-1.5) == -1",
            "abs(-3.5) == 3.5", "mod(7, 3) == 1", "mod(7.5, 2) == 1.5", "mod(-7, 3) == 2",
            "decimals(1.25) == 2", "decimals(3) == 0",
            "matches(\"国办公开办函〔2021〕30号\", \"〔\\d{4}〕\\d+号\")", "not matches(\"abc\", \"^\\d+$\")",
            "len(\"采购总金额\") == 5", "len(table_years) == 0",
        ]
        let yaml =
            "rules:\n"
            + checks.enumerated().map { i, c in
                "  - {id: F-\(i), title: '\(c.replacingOccurrences(of: "'", with: "''"))', severity: error, category: consistency, assert: '\(c.replacingOccurrences(of: "'", with: "''"))'}\n"
            }.joined()
        let set = try PackFixture.rules(yaml)
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.year = 2023
        XCTAssertEqual(Engine(ruleSet: set).check(report).map { "\($0.rule) \($0.message)" }, [])
    }

    /// decimals() counts the places as written in the cell, so 12.3400 has 4 even though its value is 12.34.
    func testDecimalsReadsTheCellAsWritten() throws {
        let set = try PackFixture.rules(
            PackFixture.oneRule("    assert: decimals(procurement.procurement.amount) <= 4\n    message: \"{lhs} 位小数\"\n    fix: 保留四位小数\n"))
        for (raw, expected) in [("12.3400", [String]()), ("1.23456", ["5 位小数"]), ("12", []), ("１２．１２３４５", ["5 位小数"])] {
            var report = try PackFixture.clean2019()
            let t = report.tables.firstIndex { $0.key == "procurement" }!
            report.tables[t].rows[0].cells[1] = Cell(column: "amount", raw: raw, location: nil, syntax: set.templates.profile.cells)
            XCTAssertEqual(Engine(ruleSet: set).check(report, only: ["T-ONE"]).map(\.message), expected, raw)
        }
    }

    func testTypesAreCheckedWhenThePackLoads() {
        func rule(_ assert: String) -> String { PackFixture.oneRule("    assert: '\(assert)'\n") }
        PackFixture.assertRejected(try PackFixture.rules(rule("fees.fees.amount == \"0\"")), "write numbers without quotes", line: 6)
        PackFixture.assertRejected(
            try PackFixture.rules(rule("year + 1")), "'assert' must be a condition that is true or false; this expression is a number",
            line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("agency > 3")), "'>' orders numbers or dates; 'agency' is a text", line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("year and true")), "'and' needs a boolean; 'year' is a number", line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("round(agency) == 1")), "round needs a number", line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("mod(3) == 1")), "mod takes 2 argument(s), found 1", line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("published < year")), "compares a date with a number", line: 6)
        PackFixture.assertRejected(try PackFixture.rules(rule("matches(agency, \"(\")")), "not a valid regular expression", line: 6)
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    when: year\n    assert: 'true'\n")), "'when' must be a condition", line: 6)
    }

    func testPlaceholdersAreCheckedWhenThePackLoads() {
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: year > 2000\n    message: \"共 {projects} 项\"\n")),
            "unknown placeholder {projects} in message", line: 7)
        PackFixture.assertRejected(
            try PackFixture.rules(
                PackFixture.oneRule(
                    "    kind: sum\n    table: applications\n    along: rows\n    total: results_total\n    parts: [granted]\n    fix: \"应为 {summ}\"\n"
                )),
            "(did you mean {sum}?)", line: 11)
        XCTAssertNoThrow(
            try PackFixture.rules(
                PackFixture.oneRule(
                    "    for_each: applications.columns\n    assert: applications.new[$col] >= 0\n    message: \"{col}（{col_key}）{lhs} {agency} {next_year}\"\n"
                )))
    }

    func testAColumnTypoListsTheColumns() {
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: regulations.rules.in_forse >= 0\n")),
            "table regulations has no column 'in_forse'; columns: made, published, total (template 2019); issued, repealed, in_force (template 2021) (did you mean 'in_force'?)",
            line: 6)
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: regulations.rulez.issued >= 0\n")),
            "with ROW one of normative, rules (did you mean 'rules'?)", line: 6)
    }

    /// A rule reading 2019-only cells applies to 2019 reports only, and says so; stating templates overrides that.
    func testARuleAppliesToTheTemplatesThatHaveItsCells() throws {
        let set = try PackFixture.rules(
            PackFixture.oneRule("    assert: procurement.procurement.amount >= 0\n", id: "P-ONE")
                + "  - {id: P-TWO, title: t, severity: error, category: cell, templates: ['2019', '2021'], assert: procurement.procurement.amount >= 0}\n"
        )
        XCTAssertEqual(set.rule("P-ONE")?.templates, ["2019"])
        XCTAssertEqual(set.rule("P-ONE")?.appliesToEveryTemplate, false)
        XCTAssertEqual(set.rule("P-TWO")?.templates, ["2019", "2021"])
        let engine = Engine(ruleSet: set)
        XCTAssertEqual(engine.check(try PackFixture.clean2021(), only: ["P-ONE"]), [], "no warning on every 2021 report")
        XCTAssertEqual(
            engine.check(try PackFixture.clean2021(), only: ["P-TWO"]).map(\.category), [.extraction],
            "stated: it tries and says why it cannot")
        XCTAssertEqual(engine.check(try PackFixture.clean2019(), only: ["P-ONE"]), [])
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: procurement.procurement.amount >= regulations.rules.issued\n")),
            "reads cells that no single template has", line: 2)
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    templates: ['2020']\n    assert: year > 0\n")), "not a valid template", line: 6)
    }

    /// Terms name the column too when the cells of a comparison are in different columns.
    func testTermsCarryRowAndColumnLabelsWhenNeeded() throws {
        let set = try PackFixture.rules(
            PackFixture.oneRule(
                "    for_each: {rows: regulations}\n    assert: regulations[$row].in_force >= regulations[$row].issued + regulations[$row].repealed\n    message: \"{lhs_terms} < {rhs_terms}\"\n    fix: 核对\n"
            ))
        var report = try PackFixture.clean2021()
        let t = report.tables.firstIndex { $0.key == "regulations" }!
        let syntax = set.templates.profile.cells
        report.tables[t].rows[0].cells = [
            Cell(column: "issued", raw: "2", location: nil, syntax: syntax),
            Cell(column: "repealed", raw: "0", location: nil, syntax: syntax),
            Cell(column: "in_force", raw: "1", location: nil, syntax: syntax),
        ]
        XCTAssertEqual(
            Engine(ruleSet: set).check(report, only: ["T-ONE"]).filter { $0.location.row == "规章" }.map(\.message),
            ["规章「现行有效件数」 1 < 规章「本年制发件数」 2 + 规章「本年废止件数」 0"])
    }

    /// A blank total with filled parts is one blank cell that should hold the sum, not an arithmetic error per row.
    func testABlankTotalIsReportedAsABlankCellWithItsValue() throws {
        var report = try PackFixture.clean2021()
        let t = report.tables.firstIndex { $0.key == "applications" }!
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        var expected: [String: String] = [:]
        for (ri, row) in report.tables[t].rows.enumerated() where row.key != "results_total" {
            let ci = row.cells.firstIndex { $0.column == "total" }!
            if row.cells.contains(where: { $0.column != "total" && ($0.value ?? 0) != 0 }) {
                expected[row.key] = ExactDecimal.format(row.cells.filter { $0.column != "total" }.compactMap(\.value).reduce(0, +))
            }
            report.tables[t].rows[ri].cells[ci] = Cell(column: "total", raw: "", location: row.cells[ci].location, syntax: syntax)
        }
        let findings = Repo.linter.engine.check(report)
        XCTAssertEqual(findings.filter { $0.category == .arithmetic }.map(\.rule), [], "no arithmetic error blames the filled cells")
        let blanks = findings.filter { $0.rule == "CELL-BLANK" }
        XCTAssertFalse(expected.isEmpty)
        for (row, value) in expected {
            let f = blanks.first { $0.location.cell == "applications.\(row).total" }
            XCTAssertNotNil(f, row)
            XCTAssertTrue(f?.message.contains("应为 \(value)") == true, f?.message ?? row)
            XCTAssertEqual(f?.fix, "填写 \(value)（各项之和）")
        }
        XCTAssertFalse(findings.contains { $0.message.contains("其余") && $0.message.contains("各项均为 0") })
    }

    /// No message says "各项均为 0（其余 N 项为 0）": with nothing filled it says so, once.
    func testNothingFilledIsNotCalledZeroTwice() throws {
        var report = try PackFixture.clean2021()
        let t = report.tables.firstIndex { $0.key == "applications" }!
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let ri = report.tables[t].rows.firstIndex { $0.key == "granted" }!
        // (七)总计 says 5 in the 自然人 column, but every result row in that column is 0.
        for (i, row) in report.tables[t].rows.enumerated()
        where row.key != "new" && row.key != "carried_in" && row.key != "carried_out" && row.key != "results_total" {
            let ci = row.cells.firstIndex { $0.column == "natural" }!
            report.tables[t].rows[i].cells[ci] = Cell(column: "natural", raw: "0", location: nil, syntax: syntax)
        }
        _ = ri
        let f = Repo.linter.engine.check(report, only: ["APP-RESULTS-TOTAL"]).filter { $0.location.column == "自然人" }
        XCTAssertEqual(f.count, 1)
        XCTAssertTrue(f[0].message.contains("（各项均为 0）"), f[0].message)
        XCTAssertFalse(f[0].message.contains("其余"), f[0].message)
    }

    /// SARIF and other outputs can show a rule's help without raw placeholders.
    func testHelpTextHasNoRawPlaceholders() throws {
        for r in Repo.linter.ruleSet.rules {
            let help = r.helpText(Repo.linter.ruleSet.messages)
            XCTAssertFalse(help.contains("{") || help.contains("}"), "\(r.id): \(help)")
        }
        let r = Repo.linter.ruleSet.rule("APP-RESULTS-TOTAL")!
        XCTAssertTrue(r.fix!.contains("{sum}"))
        XCTAssertTrue(r.helpText(Repo.linter.ruleSet.messages).contains("（七）总计应为 …"))
    }
}
