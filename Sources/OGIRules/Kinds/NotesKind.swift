import Foundation
import OGIModel

/// `kind: notes` — rows whose numbers the reader could not place: one extraction finding per reader note.
/// Nothing is evaluated from such a row (its cells are read as missing), so this finding is the root cause
/// of what the other rules could not check there.
public struct NotesKind: RuleKind {
    public static let name = "notes"
    public static let keys = ["tables"]

    /// Table key patterns whose notes this rule reports.
    public var tables: [String]

    public static func parse(_ f: RuleFields) throws -> NotesKind { NotesKind(tables: try f.tablePatterns()) }

    /// Placeholders the kind provides.
    static let provided: Set<String> = ["table", "row", "row_label", "found", "found_cells", "expected"]
    public var placeholders: Set<String> { Self.provided }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "every row of \(tables.map(code).joined(separator: ", ")) whose numbers the reader could not place in its columns")]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        for note in ev.report.extractionNotes {
            let spec = ev.layout?.table(note.table) ?? ev.templates.templates.lazy.compactMap { $0.table(note.table) }.first
            if let spec {
                guard run.matches(spec, tables) else { continue }
            } else {
                guard tables.contains(where: { KeyPattern.matches(note.table, pattern: $0) }) else { continue }
            }
            var vars = run.bindingVars()
            vars["table"] = spec?.title ?? note.table
            vars["row"] = spec?.row(note.row).map(Evaluator.displayLabel) ?? note.rowLabel
            vars["row_label"] = note.rowLabel
            vars["found"] = note.found
            vars["found_cells"] = String(note.foundCells)
            vars["expected"] = String(note.expectedCells)
            run.emit(
                vars: vars, defaultKey: "engine.notes.cell_count",
                location: FindingLocation(note.location, table: vars["table"], row: vars["row"]))
        }
    }
}
