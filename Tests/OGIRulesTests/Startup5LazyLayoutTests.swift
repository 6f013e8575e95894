import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// The engine's templates are compiled on first use: each layout equals the one compiled eagerly, and a report
/// gets the layout `TemplateSet.layout(for:)` chooses.
final class LazyCompiledTemplatesTests: XCTestCase {
    func testLayoutsAreThoseCompiledEagerlyAndChosenAsBefore() throws {
        for folders in RuleLoadingCacheTests.folderSets {
            let set = try RulePackLoader.load(directories: folders)
            let compiled = CompiledTemplates(set)
            let sources = set.rules.map(CompiledLayout.ConstraintSource.init)
            for (i, t) in set.templates.templates.enumerated() {
                let eager = CompiledLayout(t, rules: set.rules, sources: sources)
                let lazy = compiled.layout(at: i)
                XCTAssertTrue(lazy === compiled.layout(at: i), "made once")
                XCTAssertEqual(lazy.template, eager.template)
                XCTAssertEqual(lazy.ruleApplies, eager.ruleApplies)
                XCTAssertEqual(lazy.constraintRules, eager.constraintRules)
                XCTAssertEqual(lazy.tableIndex, eager.tableIndex)
                XCTAssertEqual(lazy.tables.map(\.key), eager.tables.map(\.key))
            }
            XCTAssertEqual(compiled.layouts.map(\.template.id), set.templates.templates.map(\.id))
            for id in [nil, "2019", "2021", "no-such-template"] as [String?] {
                for year in [nil, 2015, 2019, 2020, 2021, 2023, 2100] as [Int?] {
                    var report = Report(path: "r.txt", sourceFormat: "text")
                    report.metadata.template = id
                    report.metadata.year = year
                    XCTAssertEqual(
                        CompiledTemplates(set).layout(for: report)?.template.id, set.layout(for: report)?.id,
                        "\(String(describing: id)) \(String(describing: year))")
                }
            }
        }
    }

    /// A finding's table title and row label name the table and row the linear search over the template named
    /// (`RootCauses.table`, `rowSpec`): the first table with the title, the first row whose shown or template
    /// label is the text; for every title, every row's labels and variants, and texts that name nothing.
    func testTablesAndRowsByTitleAndLabelAreTheFirstThatMatch() throws {
        for folders in RuleLoadingCacheTests.folderSets {
            let set = try RulePackLoader.load(directories: folders)
            let sources = set.rules.map(CompiledLayout.ConstraintSource.init)
            var rowsAsked = 0
            for t in set.templates.templates {
                let layout = CompiledLayout(t, rules: set.rules, sources: sources)
                for title in t.tables.map(\.title) + ["", "no such table"] {
                    let linear = t.tables.firstIndex { $0.title == title }
                    XCTAssertEqual(layout.tableByTitle[title], linear, title)
                }
                for table in layout.tables {
                    var labels = table.spec.rows.flatMap { [$0.label, Evaluator.displayLabel($0)] + $0.variants }
                    labels += ["", "no such row", "合计"]
                    for label in labels {
                        let linear = table.spec.rows.firstIndex { Evaluator.displayLabel($0) == label || $0.label == label }
                        XCTAssertEqual(table.rowByLabel[label], linear, "\(table.key): \(label)")
                        rowsAsked += 1
                    }
                }
            }
            XCTAssertGreaterThan(rowsAsked, 100)
        }
    }
}
