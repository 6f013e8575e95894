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
}
