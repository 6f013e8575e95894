import Foundation
import OGILint
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// The runner behind `ogilint test-rules` and the parameterized example tests.
final class RuleExamplesRunnerTests: XCTestCase {
    func temp() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-ex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func testExamplesMayNameWhereTheFindingIs() throws {
        let national = Repo.linter.ruleSet.rule("APP-BALANCE")!
        XCTAssertEqual(national.examples.fail.first?.at, .cell("applications.results_total.natural"))
        XCTAssertEqual(Repo.linter.ruleSet.rule("CELL-FRACTION")!.examples.fail.first?.at, .line(41))
        // A wrong place is a failing example, saying where the findings were.
        var c = RuleExamples.cases(Repo.linter.ruleSet).first { $0.rule.id == "APP-BALANCE" && $0.expectFailure }!
        XCTAssertNil(RuleExamples.problem(c, Repo.linter))
        c.example.at = .cell("applications.new.natural")
        XCTAssertEqual(
            RuleExamples.problem(c, Repo.linter),
            "expected a finding at applications.new.natural, got findings at: applications.results_total.natural, applications.results_total.total"
        )
        c.example.at = .line(3)
        XCTAssertTrue(RuleExamples.problem(c, Repo.linter)?.hasPrefix("expected a finding at line 3") == true)
        XCTAssertEqual(c.description, "APP-BALANCE fails on app-balance.txt at line 3")
    }

    func testExamplePlacesAreCheckedWhenThePackLoads() {
        let head = PackFixture.oneRule("    assert: year > 2000\n    examples:\n")
        PackFixture.assertRejected(
            try PackFixture.rules(head + "      fail: [{file: x.txt, at: applications.new.naturl}]\n"),
            "COLUMN one of natural, commercial", line: 8)
        PackFixture.assertRejected(
            try PackFixture.rules(head + "      fail: [{file: x.txt, at: aplications.new.natural}]\n"),
            "did you mean 'applications'", line: 8)
        PackFixture.assertRejected(try PackFixture.rules(head + "      fail: [{file: x.txt, at: {line: 0}}]\n"), "starts at 1", line: 8)
        PackFixture.assertRejected(
            try PackFixture.rules(head + "      pass: [{file: x.txt, at: {line: 3}}]\n"), "cannot say where", line: 8)
        XCTAssertNoThrow(
            try PackFixture.rules(head + "      fail: [{file: x.txt, at: {line: 3}}, {file: y.txt, at: reviews.cases.review.total}]\n"))
    }

    /// The runner is as strict as the tests were: severity, category, a fix, no raw placeholder.
    func testAFailingExampleMustGiveAProperFinding() throws {
        let dir = try temp()
        try """
        rules:
          - id: PROV-NO-FIX
            title: 无建议
            severity: warning
            category: consistency
            assert: year < 2000
            message: 年度 {year}
            examples:
              pass: []
              fail: [\(Repo.path("samples/clean-2021-government.txt"))]
        """.write(to: dir.appendingPathComponent("p.yml"), atomically: true, encoding: .utf8)
        let linter = try Linter(ruleDirectories: [Repo.rules, dir.path])
        let out = RuleExamples.run(linter, definedUnder: dir.path)
        XCTAssertEqual(
            out.compactMap(\.problem),
            [
                "the rule has no passing example (add examples: {pass: [...], fail: [...]})",
                "finding suggests no fix: 年度 2023",
            ])
    }

    /// `test-rules DIR` loads DIR once: the bundled pack itself, a folder inside it, or a full pack of its own.
    func testTestRulesLoadsAFolderOnce() throws {
        let bundled = Repo.rules
        XCTAssertEqual(RuleExamples.ruleDirectories(bundled: bundled, testing: bundled), [bundled])
        XCTAssertEqual(RuleExamples.ruleDirectories(bundled: bundled, testing: Repo.path("rules/national")), [bundled])
        XCTAssertEqual(RuleExamples.ruleDirectories(bundled: bundled, testing: Repo.path("rules/national/../national/")), [bundled])
        let prov = try temp()
        XCTAssertEqual(RuleExamples.ruleDirectories(bundled: bundled, testing: prov.path), [bundled, prov.path])
        let linter = try RuleExamples.linter(bundled: bundled, testing: Repo.path("rules/national"))
        XCTAssertEqual(linter.ruleSet.rules.count, Repo.linter.ruleSet.rules.count)
        XCTAssertEqual(RuleExamples.run(linter, definedUnder: Repo.path("rules/national")).filter { $0.problem != nil }.map(\.rule), [])
        // Naming the same folder again as an extra pack does not load it twice either.
        XCTAssertNoThrow(try RuleExamples.linter(bundled: bundled, testing: nil, extraRules: [bundled]))
    }
}
