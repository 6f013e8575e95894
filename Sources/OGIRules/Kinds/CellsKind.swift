import Foundation
import OGIModel

/// `kind: cells` — cells in a state worth reporting (blank, placeholder, text, negative, …).
public struct CellsKind: RuleKind {
    public static let name = "cells"
    public static let keys = ["tables", "column_kinds", "match"]

    /// A cell condition the rule looks for.
    public enum Match: String, Sendable, CaseIterable {
        case blank, placeholder, signed_text, number_with_unit, text, negative, fraction, unit_mismatch
    }

    public var tables: [String]
    public var columnKinds: Set<ColumnSpec.Kind>
    public var match: Match

    public static func parse(_ f: RuleFields) throws -> CellsKind {
        let kinds =
            try f["column_kinds"].map { node in
                try node.list("column_kinds").map {
                    ColumnSpec.Kind(rawValue: try $0.oneOf(ColumnSpec.Kind.allCases.map(\.rawValue), what: "column kind"))!
                }
            } ?? ColumnSpec.Kind.allCases
        let match = Match(rawValue: try f.required("match").oneOf(Match.allCases.map(\.rawValue), what: "cell match"))!
        return CellsKind(tables: try f.tablePatterns(), columnKinds: Set(kinds), match: match)
    }

    static let provided: Set<String> = ["table", "row", "col", "raw", "value", "unit", "expected_unit", "expected"]
    public var placeholders: Set<String> { Self.provided }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [
            (
                "checks",
                "cells that are \(code(match.rawValue)) in \(tables.map(code).joined(separator: ", ")) (column kinds: \(columnKinds.map(\.rawValue).sorted().joined(separator: ", ")))"
            )
        ]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        guard let compiled = ev.compiled else { return }
        // A blank total whose parts are filled: say what it should hold (the sum rules do not report it).
        var expected: [String: Decimal] { match == .blank ? ev.expectedTotals() : [:] }
        let matching = compiled.tablesMatching(tables)
        for t in compiled.tables where matching[t.index] {
            // Most tables have no cell the rule looks for: the report's cells by index say so without reading them.
            if match == .unit_mismatch {
                // Only a column with a unit (of a kind the rule reads) can hold a mismatched unit: most tables have none.
                guard hasUnitColumn(t) else { continue }
            } else {
                let cells = ev.cells(t.index)
                if cells.complete && !Self.summary(ev, t).mayMatch(match, columnKinds) { continue }
            }
            guard let table = ev.report.table(t.key) else { continue }
            for row in table.rows {
                guard let r = t.rowIndex[row.key] else { continue }
                for cell in row.cells {
                    // The cell's own state first: most cells match nothing, and then no column is looked up.
                    if match != .unit_mismatch && !stateMatches(cell) { continue }
                    guard let c = t.columnIndex[cell.column] else { continue }
                    let cs = t.spec.columns[c]
                    guard columnKinds.contains(cs.kind), cellMatches(cell, cs) else { continue }
                    var vars = run.bindingVars()
                    vars["table"] = t.title
                    vars["row"] = t.rowLabels[r]
                    vars["col"] = cs.label
                    vars["raw"] = cell.raw
                    vars["value"] = cell.value.map(ExactDecimal.format) ?? ""
                    vars["unit"] = cell.unit ?? ""
                    vars["expected_unit"] = cs.unit ?? ""
                    let key = "\(t.key).\(row.key).\(cs.key)"
                    let loc = FindingLocation(
                        cell.location ?? row.location, table: t.title, row: vars["row"], column: cs.label, cell: key)
                    if let total = expected[key] {
                        vars["expected"] = ExactDecimal.format(total)
                        run.emit(messageKey: "engine.cells.blank_total", fixKey: "engine.cells.blank_total_fix", vars: vars, location: loc)
                        continue
                    }
                    run.emit(vars: vars, defaultKey: "engine.cells.message", location: loc)
                }
            }
        }
    }

    /// False when no cell of the table can match (states, values and column kinds only; `unit_mismatch` is always
    /// checked cell by cell).
    func mayMatch(_ cells: TableCells) -> Bool {
        let t = cells.table
        for c in 0..<t.columnCount where columnKinds.contains(t.columnKinds[c]) {
            var i = c
            while i < cells.cellCount {
                let state = cells.state(i)
                if state != .missing {
                    switch match {
                    case .blank: if state == .blank { return true }
                    case .placeholder: if state == .placeholder { return true }
                    case .signed_text: if state == .signedText { return true }
                    case .number_with_unit: if state == .numberWithUnit { return true }
                    case .text: if state == .text { return true }
                    case .negative: if let v = cells.value(i), ExactDecimal.isNegative(v) { return true }
                    case .fraction: if let v = cells.value(i), v.exponent < 0, !ExactDecimal.isInteger(v) { return true }
                    case .unit_mismatch: return true
                    }
                }
                i += t.columnCount
            }
        }
        return false
    }

    /// True when a column of a kind the rule reads declares a unit (`cellMatches` finds no `unit_mismatch` elsewhere).
    func hasUnitColumn(_ t: CompiledTable) -> Bool {
        // The unit first: most columns declare none, and the kind is hashed only for those that do.
        t.spec.columns.indices.contains { t.spec.columns[$0].unit != nil && columnKinds.contains(t.columnKinds[$0]) }
    }

    /// True when the cell's state or value is what the rule looks for (every match but `unit_mismatch`).
    func stateMatches(_ c: Cell) -> Bool {
        switch match {
        case .unit_mismatch: return true
        default: return cellMatches(c, nil)
        }
    }

    func cellMatches(_ c: Cell, _ cs: ColumnSpec?) -> Bool {
        switch match {
        case .blank: return c.state == .blank
        case .placeholder: return c.state == .placeholder
        case .signed_text: return c.state == .signedText
        case .number_with_unit: return c.state == .numberWithUnit
        case .text: return c.state == .text
        case .negative: return (c.value ?? 0) < 0
        case .fraction: return c.value.map { !ExactDecimal.isInteger($0) } ?? false
        case .unit_mismatch:
            guard let u = c.unit, let expected = cs?.unit else { return false }
            return u != expected
        }
    }
}

extension CellsKind {
    /// The matches some cell of a table makes, per column kind, found in one pass over the report's cells and
    /// shared by every `cells` rule of the report (each of which scanned the cells itself, `mayMatch`).
    struct Summary {
        /// By `ColumnSpec.Kind.allCases` index: the matches found in columns of that kind, one bit per match (`bit`).
        var found: [UInt32]

        /// `ColumnSpec.Kind.allCases`, made once (the getter makes a new array on every call).
        static let kinds = ColumnSpec.Kind.allCases

        init(_ cells: TableCells) {
            let kinds = Self.kinds
            // One bit per match (by `Match.allCases` index) per column kind; a column stops being read once its kind
            // has every bit, since further cells cannot add one.
            var masks = [UInt32](filledWith: 0, count: kinds.count)
            let every: UInt32 = (1 << UInt32(Match.allCases.count)) - 1
            let t = cells.table
            for c in 0..<t.columnCount {
                guard let k = kinds.firstIndex(of: t.columnKinds[c]) else { continue }
                var mask = masks[k]
                var i = c
                while i < cells.cellCount, mask != every {
                    let state = cells.state(i)
                    if state != .missing { mask |= Self.bits(state, cells.value(i), missing: every & ~mask) }
                    i += t.columnCount
                }
                masks[k] = mask
            }
            found = masks
        }

        /// The bits (by `Match.allCases` index) among `missing` whose match one present cell makes: what asking
        /// `cell(_:_:makes:)` for each of them gives, with the state read once and a value compared only for the
        /// bits still missing.
        static func bits(_ state: CellState, _ value: Decimal?, missing: UInt32) -> UInt32 {
            var out: UInt32 = bit(.unit_mismatch)
            switch state {
            case .blank: out |= bit(.blank)
            case .placeholder: out |= bit(.placeholder)
            case .signedText: out |= bit(.signed_text)
            case .numberWithUnit: out |= bit(.number_with_unit)
            case .text: out |= bit(.text)
            default: break
            }
            if let v = value {
                if missing & bit(.negative) != 0, ExactDecimal.isNegative(v) { out |= bit(.negative) }
                if missing & bit(.fraction) != 0, v.exponent < 0, !ExactDecimal.isInteger(v) { out |= bit(.fraction) }
            }
            return out & missing
        }

        /// The bit of a match: its `Match.allCases` index.
        static func bit(_ m: Match) -> UInt32 {
            switch m {
            case .blank: return 1 << 0
            case .placeholder: return 1 << 1
            case .signed_text: return 1 << 2
            case .number_with_unit: return 1 << 3
            case .text: return 1 << 4
            case .negative: return 1 << 5
            case .fraction: return 1 << 6
            case .unit_mismatch: return 1 << 7
            }
        }

        /// `mayMatch`'s test of one present cell.
        static func cell(_ state: CellState, _ value: Decimal?, makes match: Match) -> Bool {
            switch match {
            case .blank: return state == .blank
            case .placeholder: return state == .placeholder
            case .signed_text: return state == .signedText
            case .number_with_unit: return state == .numberWithUnit
            case .text: return state == .text
            case .negative: if let v = value, ExactDecimal.isNegative(v) { return true }; return false
            case .fraction: if let v = value, v.exponent < 0, !ExactDecimal.isInteger(v) { return true }; return false
            case .unit_mismatch: return true
            }
        }

        /// `mayMatch` for a rule looking for `match` in columns of `kinds`.
        func mayMatch(_ match: Match, _ kinds: Set<ColumnSpec.Kind>) -> Bool {
            let m = Self.bit(match)
            for (k, kind) in Self.kinds.enumerated() where found[k] & m != 0 && kinds.contains(kind) { return true }
            return false
        }
    }

    /// The report's summary of a table's cells, made on first use.
    static func summary(_ ev: Evaluator, _ t: CompiledTable) -> Summary {
        if let s = ev.cellSummaries[t.index] { return s }
        let s = Summary(ev.cells(t.index))
        ev.cellSummaries[t.index] = s
        return s
    }
}
