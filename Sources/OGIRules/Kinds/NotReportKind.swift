import Foundation
import OGIAnalysis
import OGIModel

/// `kind: not_report` — a document that is not an annual report at all: no template table holding a number, no part heading,
/// and none of the title words in its title (or, without a title, its first paragraph). Its finding replaces every other finding for
/// the document (see `Engine.check`), and a folder scan leaves such files out.
public struct NotReportKind: RuleKind {
    public static let name = "not_report"
    public static let keys = ["title_words"]

    /// Words of which at least one appears in an annual report's title.
    public var titleWords: [String]

    public static func parse(_ f: RuleFields) throws -> NotReportKind {
        let words = try f.required("title_words").stringList("title_words")
        return NotReportKind(titleWords: words)
    }

    public var placeholders: Set<String> { [] }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [
            (
                "checks",
                "the document has a template table, a part heading, or one of \(titleWords.map(code).joined(separator: ", ")) in its title"
            )
        ]
    }

    /// True when `report` shows none of the signs of an annual report.
    public func isNotReport(_ report: Report) -> Bool {
        // A table counts when it holds at least one number: labels quoted in prose make empty tables.
        let hasTable = report.tables.contains { $0.rows.contains { $0.cells.contains { $0.state == .number } } }
        guard !hasTable, report.parts.isEmpty else { return false }
        // The title as read; without one, the first paragraph (site navigation before a title does not count).
        let opening = report.metadata.title ?? report.preamble.first?.text ?? ""
        return !titleWords.contains { TextSearch.contains(opening, $0) }
    }

    public func evaluate(_ run: RuleRun) {
        let report = run.ev.report
        guard isNotReport(report) else { return }
        let vars = run.bindingVars()
        run.emit(vars: vars, defaultKey: "engine.not_report.message", location: FindingLocation(report.preamble.first?.location))
    }
}
