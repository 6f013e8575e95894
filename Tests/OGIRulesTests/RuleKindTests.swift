import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// Rule kinds share one protocol and one registry; report fields are one enum; one function picks a report's layout.
final class RuleKindTests: XCTestCase {
    func testTheRegistryListsEveryKindOnceWithItsOwnKeys() {
        let names = RuleKinds.all.map { $0.name }
        XCTAssertEqual(
            names,
            [
                "assert", "sum", "cells", "complete", "parts", "labels", "facts", "editorial", "copied_text", "repair", "notes", "headings",
                "not_report",
            ])
        for k in RuleKinds.all {
            XCTAssertFalse(k.keys.isEmpty, k.name)
            XCTAssertEqual(Set(k.keys).count, k.keys.count, k.name)
        }
        // Every bundled rule is one of them and describes what it checks.
        for r in Repo.linter.ruleSet.rules {
            XCTAssertTrue(names.contains(r.kindName), r.id)
            XCTAssertEqual(r.kind.describe(code: { $0 }).first?.0, "checks", r.id)
        }
    }

    func testProseRulesAreCheckedAtLoad() {
        let vocabulary = "prose:\n  units: [件, 条]\n"
        // A prose rule needs its pack's vocabulary.
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    kind: facts\n    check: lists\n")),
            "needs a 'prose:' vocabulary", line: 2)
        // A unit the vocabulary does not have.
        PackFixture.assertRejected(
            try PackFixture.rules(
                vocabulary
                    + PackFixture.oneRule(
                        "    kind: facts\n    check: compare\n    quantity: {label: [收到], units: [篇]}\n    readings: [{name: 新收, value: applications.new.total}]\n"
                    )),
            "unit '篇' is not in the pack's prose units", line: 10)
        // A reading's expression is checked against the templates like any other.
        PackFixture.assertRejected(
            try PackFixture.rules(
                vocabulary
                    + PackFixture.oneRule(
                        "    kind: facts\n    check: compare\n    quantity: {label: [收到], units: [件]}\n    readings: [{name: 新收, value: applications.neww.total}]\n"
                    )),
            "names no cell", line: 11)
        // A growth reading needs both years.
        PackFixture.assertRejected(
            try PackFixture.rules(
                vocabulary
                    + PackFixture.oneRule(
                        "    kind: facts\n    check: growth\n    quantity: {label: [申请]}\n    readings: [{name: 新收, current: applications.new.total}]\n"
                    )),
            "needs 'current' and 'previous'", line: 11)
        // An editorial check that needs its word list.
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    kind: editorial\n    check: placeholders\n")),
            "needs 'words'", line: 2)
        // A length an editorial detector reads text by is a whole number from 1 on.
        for bad in ["0", "-1", "100001"] {
            PackFixture.assertRejected(
                try PackFixture.rules(PackFixture.oneRule("    kind: editorial\n    check: doubled_words\n    max_length: \(bad)\n")),
                "max_length is a whole number from 1 to 100000", line: 8)
        }
        // Counts that would make a rule pass silently (no passage, no repair listed) or read without bound.
        let counts: [(String, String, String)] = [
            ("    kind: copied_text\n    scope: report\n    max_passages: ", "0", "max_passages is a whole number from 1 to 1000"),
            ("    kind: copied_text\n    scope: report\n    max_passages: ", "1001", "max_passages is a whole number from 1 to 1000"),
            ("    kind: copied_text\n    scope: report\n    min_length: ", "0", "min_length is a whole number from 1 to 100000"),
            ("    kind: copied_text\n    scope: report\n    min_characters: ", "-1", "min_characters is a whole number from 0 to 10000000"),
            ("    kind: repair\n    max_listed: ", "0", "max_listed is a whole number from 1 to 1000"),
            ("    kind: repair\n    max_listed: ", "-3", "max_listed is a whole number from 1 to 1000"),
            ("    kind: editorial\n    check: repeated_sentences\n    max_edits: ", "-1", "max_edits is a whole number from 0 to 1000"),
        ]
        for (body, bad, message) in counts {
            let lines = body.components(separatedBy: "\n").count
            PackFixture.assertRejected(try PackFixture.rules(PackFixture.oneRule(body + bad + "\n")), message, line: 5 + lines)
        }
        for (body, good) in [
            ("    kind: copied_text\n    scope: report\n    max_passages: ", "1"), ("    kind: repair\n    max_listed: ", "1000"),
        ] {
            XCTAssertNoThrow(try PackFixture.rules(PackFixture.oneRule(body + good + "\n")), body + good)
        }
        // A rule reading last year's report says so; one that does not, does not.
        let set = try? PackFixture.rules(
            PackFixture.oneRule("    assert: applications.carried_in.total == previous.applications.carried_out.total\n"))
        XCTAssertEqual(set?.rule("T-ONE")?.needsPrevious, true)
        XCTAssertEqual(Repo.linter.ruleSet.rule("APP-BALANCE")?.needsPrevious, false)
    }

    func testAKeyOfAnotherKindIsRejected() {
        PackFixture.assertRejected(
            try PackFixture.rules(PackFixture.oneRule("    kind: cells\n    match: blank\n    along: rows\n")),
            "unknown key 'along' in a rule of kind 'cells'", line: 8)
    }

    func testReportFieldsAreOneList() throws {
        XCTAssertEqual(
            Set(ReportField.allCases.map(\.rawValue)),
            ["year", "title_year", "published", "period_start", "period_end", "agency", "agency_kind", "template", "title", "table_years"])
        // Each has a name in the catalog, used in "not evaluated" reasons.
        for f in ReportField.allCases { XCTAssertNotEqual(Repo.linter.ruleSet.messages.text("field.\(f.rawValue)"), "field.\(f.rawValue)") }
        XCTAssertTrue(MessageKeys.reportPlaceholders.isSuperset(of: ReportField.allCases.map(\.rawValue)))
    }

    func testLayoutIsTheDetectedTemplateElseTheOneForTheYear() {
        let set = Repo.linter.ruleSet
        var r = Report(path: "x", sourceFormat: "yaml")
        XCTAssertNil(set.layout(for: r)?.id)
        r.metadata.year = 2020
        XCTAssertEqual(set.layout(for: r)?.id, "2019")
        r.metadata.year = 2023
        XCTAssertEqual(set.layout(for: r)?.id, "2021")
        r.metadata.template = "2019"
        XCTAssertEqual(set.layout(for: r)?.id, "2019", "a detected template wins over the year")
        XCTAssertEqual(Engine(ruleSet: set).layout(for: r)?.id, set.templates.layout(template: "2019", year: 2023)?.id)
    }
}
