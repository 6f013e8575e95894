import Foundation
import Testing
import XCTest
import OGITestSupport
import OGILint
import OGIModel
import OGIRules

/// Every example of every rule, one test case each, run by the same runner as `ogilint test-rules`.
@Test(arguments: RuleExamples.cases(Repo.linter.ruleSet))
func ruleExample(_ c: RuleExamples.Case) {
    let problem = RuleExamples.problem(c, Repo.linter)
    #expect(problem == nil, "\(c): \(problem ?? "")")
}

/// Every rule carries a passing and a failing example in its YAML.
final class RuleExampleTests: XCTestCase {
    func testEveryRuleHasPassingAndFailingExamples() {
        for rule in Repo.linter.ruleSet.rules {
            XCTAssertFalse(rule.examples.pass.isEmpty, "\(rule.id) has no passing example")
            XCTAssertFalse(rule.examples.fail.isEmpty, "\(rule.id) has no failing example")
        }
    }

    func testCleanSamplesHaveNoFindingsAtAll() throws {
        for s in ["samples/clean-2019-department.txt", "samples/clean-2021-government.txt"] {
            XCTAssertEqual(try Repo.findings(s).map(\.message), [], s)
        }
    }

    /// Each broken sample triggers exactly the rules it was built to trigger (and their direct consequences).
    func testBrokenSamplesTriggerOnlyTheirRules() throws {
        let expected: [String: Set<String>] = [
            "app-balance": ["APP-BALANCE"],
            "app-results-total": ["APP-RESULTS-TOTAL"],
            "app-row-total": ["APP-ROW-TOTAL", "APP-RESULTS-TOTAL"],
            "review-total": ["REVIEW-TOTALS"],
            "cell-blank": ["CELL-BLANK"],
            "cell-placeholder": ["CELL-PLACEHOLDER"],
            "cell-sign-text": ["CELL-SIGN-TEXT"],
            "cell-fraction": ["CELL-FRACTION"],
            "cell-unit": ["CELL-UNIT"],
            "a20-missing-block": ["A20-COMPLETE"],
            "gov-no-assessment": ["GOV-ASSESSMENT"],
            "gov-no-fee-statement": ["FEE-STATEMENT"],
            "late-department": ["DEADLINE-DEPARTMENT"],
            "late-government": ["DEADLINE-GOVERNMENT"],
            "published-early": ["PUBLISHED-AFTER-YEAR"],
            "parts-out-of-order": ["PARTS-ORDER"],
            "preamble-five-parts": ["PREAMBLE-PARTS"],
            "nonstandard-label": ["LABEL-NONSTANDARD"],
            "outdated-layout-2021": ["TEMPLATE-OUTDATED"],
            "premature-layout-2020": ["TEMPLATE-PREMATURE"],
            "table-year": ["YEAR-IN-TABLES"],
            "period-partial": ["PERIOD-FULL-YEAR"],
        ]
        for (name, rules) in expected {
            let got = Set(try Repo.findings("samples/broken/\(name).txt").map(\.rule))
            XCTAssertEqual(got, rules, name)
        }
    }
}
