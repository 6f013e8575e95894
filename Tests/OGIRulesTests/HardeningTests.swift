import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// Issue 10 on the engine: no input crashes, hangs or gives a wrong "equal". Inputs are generated here.
final class HardeningTests: XCTestCase {
    func temp() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-hard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// 10.2: a report year of Int.max (or Int.min) runs every rule without trapping on `year + 1`.
    func testAHugeYearDoesNotOverflow() throws {
        for year in [Int.max, Int.min, 9_999] {
            var report = try PackFixture.clean2021()
            report.metadata.year = year
            report.metadata.titleYear = year
            report.metadata.tableYears = [year]
            let f = Repo.linter.engine.check(report)
            XCTAssertFalse(f.isEmpty, "a year of \(year) is not a plausible report and must not pass quietly")
            // The deadline rules compute date(year + 1, …): not evaluated, with the reason.
            let deadline = f.first { $0.rule == "DEADLINE-GOVERNMENT" }
            if year != 9_999 { XCTAssertEqual(deadline?.category, .extraction, "\(year): \(f.map(\.message))") }
        }
    }

    /// 10.3: an expression of ~8,000 terms is refused at load with its position, not a stack overflow.
    func testAnExpressionWithThousandsOfTermsIsRefused() {
        let expr = (0..<8_000).map { _ in "year" }.joined(separator: " + ") + " > 0"
        PackFixture.assertRejected(try PackFixture.rules(PackFixture.oneRule("    assert: \(expr)\n")), "more than 600 tokens", line: 6)
    }

    /// 10.3: ~14,000 nested parentheses are refused too, and a nesting deeper than the limit within the token budget.
    func testDeeplyNestedParenthesesAreRefused() {
        let deep = String(repeating: "(", count: 14_000) + "1" + String(repeating: ")", count: 14_000) + " > 0"
        XCTAssertThrowsError(try ExpressionParser.parse(deep)) { e in XCTAssertTrue("\(e)".contains("tokens"), "\(e)") }
        let nested = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + " > 0"
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: \(nested)\n")), "nests more than 64 levels", line: 6)
        let nots = String(repeating: "not ", count: 100) + "true"
        XCTAssertThrowsError(try ExpressionParser.parse(nots)) { e in XCTAssertTrue("\(e)".contains("nests more than"), "\(e)") }
    }

    /// 10.8: a count_pattern that backtracks catastrophically is refused at load.
    func testACatastrophicCountPatternIsRefused() {
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    kind: parts\n    check: preamble\n    count_pattern: '(?<n>(\\d+)+)x'\n")),
            "repeats a group that itself repeats", line: 8)
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    assert: 'matches(agency, \"^(a+)+$\")'\n")),
            "repeats a group that itself repeats", line: 6)
    }

    /// 10.8: a pattern that slips past the load check is stopped by the match-time limit: the rule ends fast, not evaluated.
    func testASlowMatchEndsFast() throws {
        let set = try PackFixture.rules(PackFixture.oneRule("    assert: 'not matches(agency, \"^(a|aa)+b$\")'\n"))
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.agency = String(repeating: "a", count: 200)
        let start = Date()
        let f = Engine(ruleSet: set).check(report)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(f.map(\.category), [.extraction])
        // ogilint's own matcher runs this pattern: its step budget stopped it, and the reason names steps.
        XCTAssertTrue(f.first?.message.contains("匹配超过 \(BoundedRegex.stepBudget) 步") == true, "\(f)")
        // Directly: the bounded matcher throws instead of running on.
        let rx = try NSRegularExpression(pattern: "^(a|aa)+b$")
        XCTAssertThrowsError(try BoundedRegex.firstMatch(rx, in: String(repeating: "a", count: 200), limit: 0.1))
    }

    /// 10.8: a pattern outside ogilint's own matcher (a look-ahead) runs on NSRegularExpression, which the time
    /// limit stops; the reason then names seconds.
    func testASlowMatchOutsideTheOwnMatcherNamesTheTimeLimit() throws {
        XCTAssertNil(try RegexCache.shared.compile("^(?=a)(a|aa)+b$").scalarRegex)
        let set = try PackFixture.rules(PackFixture.oneRule("    assert: 'not matches(agency, \"^(?=a)(a|aa)+b$\")'\n"))
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.agency = String(repeating: "a", count: 200)
        let f = Engine(ruleSet: set).check(report)
        XCTAssertEqual(f.map(\.category), [.extraction])
        XCTAssertTrue(f.first?.message.contains("匹配超过 \(BoundedRegex.timeLimit) 秒") == true, "\(f)")
    }

    /// 10.9: an overflow is never "equal"; a result that is not exact makes the rule not evaluated, with the reason.
    func testOverflowAndInexactResultsAreNotEvaluated() throws {
        let big = "1" + String(repeating: "0", count: 100)
        let long = "12345678901234567890123456789012345678"
        let set = try PackFixture.rules(
            """
            rules:
              - {id: OVERFLOW, title: o, severity: error, category: arithmetic, assert: '\(big) * \(big) == \(big) * \(big)'}
              - {id: INEXACT-ADD, title: a, severity: error, category: arithmetic, assert: '\(long) + 0.5 == \(long)'}
              - {id: INEXACT-MUL, title: m, severity: error, category: arithmetic, assert: '\(long) * \(long) >= 0'}
              - {id: INEXACT-DIV, title: d, severity: error, category: arithmetic, assert: '1 / 3 * 3 == 1'}
              - {id: EXACT-DIV, title: e, severity: error, category: arithmetic, assert: '1 / 8 == 0.125 and 10 / 4 == 2.5'}
            """)
        let f = Engine(ruleSet: set).check(Report(path: "x", sourceFormat: "yaml"))
        XCTAssertEqual(f.map(\.rule), ["OVERFLOW", "INEXACT-ADD", "INEXACT-MUL", "INEXACT-DIV"])
        XCTAssertEqual(Set(f.map(\.category)), [.extraction])
        XCTAssertTrue(f[0].message.contains("溢出"), f[0].message)
        for x in f.dropFirst() { XCTAssertTrue(x.message.contains("超出精确计算范围"), x.message) }
    }

    /// 10.20: a YAML error in a rule pack points at its line and column, not 0:0.
    func testYAMLErrorsInPacksPointAtTheirPlace() {
        PackFixture.assertRejected(try PackFixture.rules("rules:\n  - id: A\u{01}B\n"), "YAML syntax error", line: 2)
    }

    /// 10.20: the same in a configuration file.
    func testYAMLErrorsInConfigurationsPointAtTheirPlace() throws {
        let dir = try temp()
        let path = dir.appendingPathComponent(".ogilint.yml").path
        try "disable: [CELL-BLANK]\nyear: 2024\nfail_on: \u{07}error\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LintConfiguration.load(path)) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(path):3:"), "\(e)")
        }
    }

    /// 10.20: `rules: [/]` stops quickly instead of walking the whole file system.
    func testARulesFolderOfTheWholeFileSystemIsRefusedQuickly() throws {
        let dir = try temp()
        let path = dir.appendingPathComponent(".ogilint.yml").path
        try "rules: [/]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let conf = try LintConfiguration.load(path)
        let start = Date()
        XCTAssertThrowsError(try Linter(ruleDirectories: [Repo.rules], configuration: conf)) { e in
            XCTAssertTrue("\(e)".contains("check the 'rules:' path"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// 10.20: a rules folder with no rule files is an error, not an empty pack.
    func testARulesFolderWithoutRuleFilesIsRefused() throws {
        let dir = try temp()
        try "not yaml".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Linter(ruleDirectories: [Repo.rules, dir.path])) { e in
            XCTAssertTrue("\(e)".contains("no rule files (.yml or .yaml) in the folder"), "\(e)")
        }
    }
}
