import Foundation
import OGIModel

/// `kind: complete` — every table, row and cell of the template is present.
public struct CompleteKind: RuleKind {
    public static let name = "complete"
    public static let keys = ["tables"]

    public var tables: [String]

    public static func parse(_ f: RuleFields) throws -> CompleteKind { CompleteKind(tables: try f.tablePatterns()) }

    public var placeholders: Set<String> { ["table", "part", "layout", "row", "row_label", "found", "expected", "missing"] }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "every table, row and cell of \(tables.map(code).joined(separator: ", ")) is present")]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        guard let layout = ev.layout else { run.skip([CatalogMessage("engine.not_evaluated.no_layout")]); return }
        for spec in layout.tables where run.matches(spec, tables) {
            var vars = run.bindingVars()
            vars["table"] = spec.title
            vars["layout"] = layout.id
            guard let table = ev.report.table(spec.key) else {
                let partLoc = ev.report.part(spec.part)?.location
                vars["part"] = ev.partTitle(spec.part)
                run.emit(vars: vars, defaultKey: "engine.complete.table_missing", location: FindingLocation(partLoc, table: spec.title))
                continue
            }
            for rs in spec.rows {
                var rv = vars
                rv["row"] = Evaluator.displayLabel(rs)
                rv["row_label"] = rs.label
                guard let row = table.row(rs.key) else {
                    run.emit(vars: rv, defaultKey: "engine.complete.row_missing", location: FindingLocation(table.location, table: spec.title, row: rv["row"]))
                    continue
                }
                let missing = row.cells.filter { $0.state == .missing }
                if !missing.isEmpty {
                    rv["missing"] = missing.compactMap { spec.column($0.column)?.label }.joined(separator: run.messages.text("separator.list"))
                    rv["found"] = String(row.cells.count - missing.count)
                    rv["expected"] = String(spec.columns.count)
                    run.emit(vars: rv, defaultKey: "engine.complete.cells_missing", location: FindingLocation(row.location, table: spec.title, row: rv["row"]))
                }
            }
        }
    }
}
