import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIRules
import OGITestSupport
import XCTest

/// The pack written in docs/rules-authoring.md passes `ogilint test-rules`, and each rule finds what the tutorial says.
final class ProvinceExampleTests: XCTestCase {
    static let dir = Repo.path("samples/province-example")

    func testTheTutorialPackPassesItsExamples() throws {
        let linter = try RuleExamples.linter(bundled: Repo.rules, testing: Self.dir)
        let outcomes = RuleExamples.run(linter, definedUnder: Self.dir)
        XCTAssertEqual(Set(outcomes.map(\.rule)), ["PROV-PROCUREMENT-DECIMALS", "PROV-IN-FORCE", "PROV-GRANTED-WITHIN-RECEIVED"])
        XCTAssertEqual(outcomes.count, 7)
        XCTAssertEqual(outcomes.compactMap(\.problem), [])
    }

    func testTheTutorialShowsTheMessagesTheRulesGive() throws {
        let linter = try RuleExamples.linter(bundled: Repo.rules, testing: Self.dir)
        func messages(_ file: String, _ rule: String) throws -> [String] {
            linter.engine.check(try linter.read(path: Self.dir + "/examples/" + file), only: [rule]).map(\.message)
        }
        let doc = try String(contentsOfFile: Repo.path("docs/rules-authoring.md"), encoding: .utf8)
        for (file, rule) in [
            ("procurement-five-decimals.txt", "PROV-PROCUREMENT-DECIMALS"), ("in-force-below-issued.txt", "PROV-IN-FORCE"),
            ("granted-above-received.txt", "PROV-GRANTED-WITHIN-RECEIVED"),
        ] {
            let m = try messages(file, rule)
            XCTAssertEqual(m.count, 1, "\(rule): \(m)")
            XCTAssertTrue(doc.contains(m[0]), "docs/rules-authoring.md should show “\(m[0])”")
        }
        // The 2021-only rule says nothing about a 2019 report, not even "could not be evaluated".
        XCTAssertEqual(try messages("procurement-five-decimals.txt", "PROV-IN-FORCE"), [])
    }

    /// `ogilint rules ID` says which templates a rule applies to when not all.
    func testRulesSaysWhereARuleApplies() throws {
        let linter = try RuleExamples.linter(bundled: Repo.rules, testing: Self.dir)
        XCTAssertTrue(
            RuleListFormatter.explain(linter.ruleSet.rule("PROV-IN-FORCE")!).contains(
                "  templates: 2021 only (the other templates lack cells it reads)\n"))
        XCTAssertTrue(RuleListFormatter.explain(linter.ruleSet.rule("PROV-PROCUREMENT-DECIMALS")!).contains("  templates: 2019 only"))
        XCTAssertFalse(RuleListFormatter.explain(linter.ruleSet.rule("PROV-GRANTED-WITHIN-RECEIVED")!).contains("templates:"))
    }
}
