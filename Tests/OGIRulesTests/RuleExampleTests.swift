import Foundation
import XCTest
import OGITestSupport
import OGILint
import OGIModel
import OGIRules

/// Every rule carries a passing and a failing example in its YAML; these tests run them all.
final class RuleExampleTests: XCTestCase {
    func testEveryRuleHasPassingAndFailingExamples() {
        for rule in Repo.linter.ruleSet.rules {
            XCTAssertFalse(rule.examples.pass.isEmpty, "\(rule.id) has no passing example")
            XCTAssertFalse(rule.examples.fail.isEmpty, "\(rule.id) has no failing example")
        }
    }

    func testPassingExamplesDoNotTriggerTheirRule() throws {
        for rule in Repo.linter.ruleSet.rules {
            for ex in rule.examples.pass {
                let path = ((rule.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ex)
                let report = try Repo.linter.read(path: path)
                let hits = Repo.linter.engine.check(report, only: [rule.id])
                XCTAssertEqual(hits, [], "\(rule.id) should pass on \(ex), but reported: \(hits.map(\.message))")
            }
        }
    }

    func testFailingExamplesTriggerTheirRule() throws {
        for rule in Repo.linter.ruleSet.rules {
            for ex in rule.examples.fail {
                let path = ((rule.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ex)
                let report = try Repo.linter.read(path: path)
                let hits = Repo.linter.engine.check(report, only: [rule.id]).filter { $0.category != .extraction }
                XCTAssertFalse(hits.isEmpty, "\(rule.id) should fail on \(ex)")
                for h in hits {
                    XCTAssertEqual(h.severity, rule.severity, "\(rule.id) finding severity")
                    XCTAssertEqual(h.category, rule.category, "\(rule.id) finding category")
                    XCTAssertNotNil(h.fix, "\(rule.id) finding should suggest a fix")
                }
            }
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
