import Foundation
import OGIModel

/// `kind: complete` — every table, row and cell of the template is present.
public struct CompleteKind: RuleKind {
    public static let name = "complete"
    public static let keys = ["tables"]
    /// From this many missing rows of one table on, they are reported as one finding.
    static let groupedRows = 3

    public var tables: [String]

    public static func parse(_ f: RuleFields) throws -> CompleteKind { CompleteKind(tables: try f.tablePatterns()) }

    public var placeholders: Set<String> {
        ["table", "part", "layout", "row", "row_label", "found", "expected", "missing", "count", "rows"]
    }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "every table, row and cell of \(tables.map(code).joined(separator: ", ")) is present")]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        guard let layout = ev.layout, let compiled = ev.compiled else {
            run.skip([CatalogMessage("engine.not_evaluated.no_layout")]); return
        }
        let matching = compiled.tablesMatching(tables)
        for (ti, spec) in layout.tables.enumerated() where matching[ti] {
            // Placeholder values are built only for a finding: most tables are complete.
            var vars: [String: String] {
                var v = run.bindingVars()
                v["table"] = spec.title
                v["layout"] = layout.id
                return v
            }
            guard let table = ev.report.table(spec.key) else {
                var vars = vars
                let partLoc = ev.report.part(spec.part)?.location
                vars["part"] = ev.partTitle(spec.part)
                run.emit(vars: vars, defaultKey: "engine.complete.table_missing", location: FindingLocation(partLoc, table: spec.title))
                continue
            }
            // Several rows missing from a table that was found (a copy cut off, a table pasted in part): one
            // finding for the table, which every consequence folds under, not one per row.
            let cells = ev.cells(ti)
            let absent = spec.rows.indices.filter { !cells.rowFound($0) }.map { spec.rows[$0] }
            if absent.count >= Self.groupedRows {
                var rv = vars
                rv["count"] = String(absent.count)
                rv["rows"] = absent.map { Evaluator.displayLabel($0) }.joined(separator: run.messages.text("separator.list"))
                run.emit(vars: rv, defaultKey: "engine.complete.rows_missing", location: FindingLocation(table.location, table: spec.title))
            }
            for (ri, rs) in spec.rows.enumerated() {
                guard cells.rowFound(ri) else {
                    var rv = vars
                    rv["row"] = Evaluator.displayLabel(rs)
                    rv["row_label"] = rs.label
                    if absent.count < Self.groupedRows {
                        run.emit(
                            vars: rv, defaultKey: "engine.complete.row_missing",
                            location: FindingLocation(table.location, table: spec.title, row: rv["row"]))
                    }
                    continue
                }
                // Asked of each cell's state in place first (the row is copied only then): copying every cell for the
                // filter cost more than the rest.
                guard cells.rowHasMissingCell(ri), let row = cells.row(ri) else { continue }
                let missing = row.cells.filter { $0.state == .missing }
                if !missing.isEmpty {
                    var rv = vars
                    rv["row"] = Evaluator.displayLabel(rs)
                    rv["row_label"] = rs.label
                    rv["missing"] = missing.compactMap { spec.column($0.column)?.label }.joined(
                        separator: run.messages.text("separator.list"))
                    rv["found"] = String(row.cells.count - missing.count)
                    rv["expected"] = String(spec.columns.count)
                    run.emit(
                        vars: rv, defaultKey: "engine.complete.cells_missing",
                        location: FindingLocation(row.location, table: spec.title, row: rv["row"]))
                }
            }
        }
    }

    /// True when one of a row's cells is `.missing` (`!cells.filter { $0.state == .missing }.isEmpty`), reading
    /// each cell's state in place.
    static func hasMissingCell(_ cells: [Cell]) -> Bool {
        var i = 0
        let n = cells.count
        while i < n {
            if cells[i].state == .missing { return true }
            i += 1
        }
        return false
    }
}
