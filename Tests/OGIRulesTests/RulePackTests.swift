import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// Rule packs with typos are rejected with file:line:column and what was expected; the expression language is exact.
final class RulePackTests: XCTestCase {
    /// The bundled templates and profile, plus one extra rule file with the given text.
    func load(_ ruleYAML: String) throws -> RuleSet {
        var texts: [(String, String)] = []
        for f in ["templates/common.yml", "templates/2019.yml", "templates/2021.yml", "messages.yml"] {
            texts.append((f, try String(contentsOfFile: Repo.path("rules/" + f), encoding: .utf8)))
        }
        texts.append(("extra.yml", ruleYAML))
        return try RulePackLoader.load(texts: texts)
    }

    func assertRejected(_ yaml: String, _ expected: String, line: Int, file: StaticString = #filePath, _ l: UInt = #line) {
        XCTAssertThrowsError(try load(yaml), file: file, line: l) { e in
            let s = "\(e)"
            XCTAssertTrue(s.hasPrefix("extra.yml:\(line):"), "expected extra.yml:\(line): in “\(s)”", file: file, line: l)
            XCTAssertTrue(s.contains(expected), "expected “\(expected)” in “\(s)”", file: file, line: l)
        }
    }

    func testTyposAreRejectedWithPositionAndSuggestion() {
        let head = "rules:\n  - id: X-ONE\n    title: t\n    category: arithmetic\n"
        assertRejected(head + "    severty: error\n    assert: year > 2000\n", "did you mean 'severity'", line: 5)
        assertRejected(head + "    severity: eror\n    assert: year > 2000\n", "did you mean 'error'", line: 5)
        assertRejected(head + "    severity: error\n    assert: yaer > 2000\n", "did you mean 'year'", line: 6)
        assertRejected(head + "    severity: error\n    assert: applications.nwe.natural > 0\n", "names no cell", line: 6)
        assertRejected(head + "    severity: error\n    assert: year = 2000\n", "use '==' to compare", line: 6)
        assertRejected(head + "    severity: error\n    assert: (year > 2000\n", "expected ')'", line: 6)
        assertRejected(head + "    severity: error\n    assert: applications.new[$col] > 0\n", "unknown variable '$col'", line: 6)
        assertRejected(
            head + "    severity: error\n    kind: sum\n    table: aplications\n    along: rows\n    total: t\n    parts: [a]\n",
            "did you mean 'applications'", line: 7)
        assertRejected(
            head
                + "    severity: error\n    kind: sum\n    table: applications\n    along: rows\n    total: results_totl\n    parts: [granted]\n",
            "matches no row", line: 9)
        assertRejected(head + "    severity: error\n    kind: celss\n", "did you mean 'cells'", line: 6)
        assertRejected(head + "    severity: error\n    assert: year > 2000\n    message: \"{lhs\"\n", "unclosed '{'", line: 7)
        assertRejected("rules:\n  - id: lower-case\n    severity: error\n    category: cell\n    assert: true\n", "upper case", line: 2)
        assertRejected("rules:\n  - id: A\n    severity: error\n   category: cell\n", "YAML syntax error", line: 4)
    }

    func testDuplicateIdsAreRejected() {
        let r =
            "rules:\n  - {id: DUP, severity: error, category: cell, assert: 'true'}\n  - {id: DUP, severity: error, category: cell, assert: 'true'}\n"
        XCTAssertThrowsError(try load(r)) { e in XCTAssertTrue("\(e)".contains("'DUP' is already defined"), "\(e)") }
    }

    func testAProvincialRuleNeedsNoSwift() throws {
        // A province that wants 20(一) 现行有效件数 never to shrink below this year's new files.
        let yaml = """
            rules:
              - id: PROV-IN-FORCE
                title: 现行有效件数不小于本年制发件数
                severity: warning
                category: consistency
                when: template == "2021"
                for_each: {rows: regulations}
                assert: regulations[$row].in_force >= regulations[$row].issued
                message: "{row}：现行有效 {lhs} 少于本年制发 {rhs}"
                fix: 核对“{row}”的现行有效件数
            """
        let set = try load(yaml)
        let engine = Engine(ruleSet: set)
        var report = Report(path: "p.yml", sourceFormat: "yaml")
        report.metadata.template = "2021"
        report.metadata.year = 2023
        let syntax = set.templates.profile.cells
        func cell(_ c: String, _ v: String) -> Cell { Cell(column: c, raw: v, location: SourceLocation(line: 7), syntax: syntax) }
        report.tables = [
            Table(
                key: "regulations", title: nil, location: nil,
                rows: [
                    Row(
                        key: "rules", label: "规章", location: nil,
                        cells: [cell("issued", "2"), cell("repealed", "0"), cell("in_force", "11")]),
                    Row(
                        key: "normative", label: "行政规范性文件", location: nil,
                        cells: [cell("issued", "9"), cell("repealed", "0"), cell("in_force", "5")]),
                ])
        ]
        let f = engine.check(report, only: ["PROV-IN-FORCE"])
        XCTAssertEqual(f.map(\.message), ["行政规范性文件：现行有效 5 少于本年制发 9"])
        XCTAssertEqual(
            f.first?.location,
            FindingLocation(line: 7, table: "第二十条第（一）项", row: "行政规范性文件", column: "本年制发件数", cell: "regulations.normative.issued"))
    }

    func testExpressionsAreExactAndRespectTolerance() throws {
        let yaml = """
            rules:
              - {id: EXACT, title: e, severity: error, category: arithmetic, assert: '0.1 + 0.2 == 0.3'}
              - {id: TOL, title: t, severity: error, category: arithmetic, assert: '10.004 == 10', tolerance: 0.005}
              - {id: NOTOL, title: t, severity: error, category: arithmetic, assert: '10.004 == 10'}
              - {id: PREC, title: p, severity: error, category: arithmetic, assert: '1 + 2 * 3 == 7 and not (2 > 3) or false'}
              - {id: DATES, title: d, severity: error, category: timeliness, assert: 'date(2021, 1, 31) < date(2021, 2, 1)'}
              - {id: MISSING, title: m, severity: error, category: arithmetic, assert: 'applications.new.total > 0'}
              - {id: NULLMETA, title: n, severity: error, category: timeliness, assert: 'published <= date(2021, 1, 31)'}
            """
        let set = try load(yaml)
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.year = 2020
        report.metadata.template = "2019"
        let f = Engine(ruleSet: set).check(report, only: ["EXACT", "TOL", "NOTOL", "PREC", "DATES", "MISSING", "NULLMETA"])
        XCTAssertEqual(f.filter { $0.category != .extraction }.map(\.rule), ["NOTOL"])
        // Missing inputs never pass quietly: each says what it could not find.
        let unevaluated = f.filter { $0.category == .extraction }
        XCTAssertEqual(unevaluated.map(\.rule), ["MISSING", "NULLMETA"])
        XCTAssertTrue(unevaluated[0].message.contains("未找到表「收到和处理政府信息公开申请情况」"), unevaluated[0].message)
        XCTAssertTrue(unevaluated[1].message.contains("发布日期"), unevaluated[1].message)
    }

    func testParserRejectsGarbage() {
        for bad in ["", "1 +", "a..b", "f(1)", "$", "1 == == 2", "\"open"] {
            XCTAssertThrowsError(try ExpressionParser.parse(bad), bad)
        }
        XCTAssertEqual("\(try ExpressionParser.parse("applications.new[$col] + 1"))", "applications.new[$col] + 1")
    }
}
