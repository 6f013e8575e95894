import Foundation
import OGILint
import OGIModel
import OGIRules
import OGITestSupport
import Testing
import XCTest

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
            // One wrong cell: the cell to fix, with the row and column sums it breaks folded under it.
            "app-row-total": ["CELL-TO-FIX"],
            "app-cell-to-fix": ["CELL-TO-FIX"],
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
            // prose against the tables and against itself
            "fact-list-exceeds": ["FACT-LIST-PARTS"],
            "fact-share": ["FACT-SHARES"],
            "fact-received": ["FACT-APPLICATIONS-RECEIVED"],
            "fact-done": ["FACT-APPLICATIONS-DONE"],
            "fact-reviews": ["FACT-REVIEWS"],
            "fact-lawsuits": ["FACT-LAWSUITS"],
            "fact-procurement": ["FACT-PROCUREMENT"],
            "fact-procurement-amount": ["FACT-PROCUREMENT-AMOUNT"],
            "fact-all-done": ["FACT-ALL-DONE"],
            "fact-none-received": ["FACT-NONE-RECEIVED"],
            "fact-no-review": ["FACT-NO-REVIEW", "FACT-NO-LAWSUIT"],
            "fact-no-fee": ["FACT-NO-FEE"],
            "prose-agrees-2019": [],
            "prose-agrees-2021": [],
            // editorial slips
            "ed-repeated": ["ED-REPEATED-SENTENCE"],
            "ed-doubled-word": ["ED-DOUBLED-WORD"],
            "ed-nested-quotes": ["ED-NESTED-QUOTES"],
            "ed-space-punctuation": ["ED-SPACE-PUNCTUATION"],
            "ed-half-width": ["ED-HALF-WIDTH"],
            "ed-unbalanced": ["ED-UNBALANCED"],
            "ed-empty-brackets": ["ED-EMPTY-BRACKETS"],
            "ed-placeholder": ["ED-PLACEHOLDER"],
            "ed-numbering": ["ED-NUMBERING"],
            "ed-figure-numbering": ["ED-FIGURE-NUMBERING"],
            "ed-stray-year": ["ED-STRAY-YEAR"],
        ]
        for (name, rules) in expected {
            let got = Set(try Repo.findings("samples/broken/\(name).txt").map(\.rule))
            XCTAssertEqual(got, rules, name)
        }
    }
}
