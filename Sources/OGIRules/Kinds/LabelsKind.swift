import Foundation
import OGIModel

/// `kind: labels` — row labels that use a non-standard variant of the template's wording.
public struct LabelsKind: RuleKind {
    public static let name = "labels"
    public static let keys = ["tables"]

    public var tables: [String]

    public static func parse(_ f: RuleFields) throws -> LabelsKind { LabelsKind(tables: try f.tablePatterns()) }

    public var placeholders: Set<String> { ["table", "row", "used", "layout"] }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "row labels in \(tables.map(code).joined(separator: ", ")) use the template's wording")]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        guard let layout = ev.layout else { return }
        for spec in layout.tables where run.matches(spec, tables) {
            guard let table = ev.report.table(spec.key) else { continue }
            for row in table.rows {
                guard let used = row.matchedVariant, let rs = spec.row(row.key) else { continue }
                var vars = run.bindingVars()
                vars["table"] = spec.title
                vars["row"] = rs.label
                vars["used"] = used
                vars["layout"] = layout.id
                run.emit(
                    vars: vars, defaultKey: "engine.labels.message",
                    location: FindingLocation(row.location, table: spec.title, row: rs.label))
            }
        }
    }
}
