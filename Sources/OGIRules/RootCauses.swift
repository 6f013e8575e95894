import Foundation
import OGIModel

/// A finding with what it says about root causes: the key of the defect it reports when it is a root cause
/// (`part:problems`, `table:applications`, `row:applications.granted`, `cells:applications.granted`,
/// `cell:applications.new.natural`), and the keys of the defects that caused it when it is a consequence
/// (a row or "not evaluated" because a part, table or row is missing or unreadable).
public struct CausedFinding: Sendable, Equatable {
    public var finding: Finding
    /// Set when the finding reports a missing or unreadable part, table, row or cell (several keys when one
    /// finding reports several missing rows of a table).
    public var rootKeys: [String] = []
    public var rootKey: String? {
        get { rootKeys.first }
        set { rootKeys = newValue.map { [$0] } ?? [] }
    }
    /// The roots this finding follows from; empty when it stands on its own.
    public var causeKeys: [String]
}

/// One root finding and the findings folded under it (its consequences, transitively).
public struct FoldedFinding: Sendable, Equatable {
    public var root: CausedFinding
    public var related: [CausedFinding]
}

extension Engine {
    /// The findings of `check` before folding, in the same order, each with its root key and cause keys.
    public func checkWithCauses(_ report: Report, previous: Report? = nil, only: Set<String>? = nil) -> [CausedFinding] {
        run(report, previous: previous, only: only).findings
    }
}

/// Root-cause keys for findings, and folding of consequences under their roots.
public enum RootCauses {
    /// Folds `findings`: a finding whose cause keys are all reported by root findings goes under the root of
    /// its first cause, following chains (a table missing because its part is missing goes under the part, and
    /// so do that table's consequences). Findings that fold nowhere are roots of their own, in their order.
    public static func fold(_ findings: [CausedFinding]) -> [FoldedFinding] {
        var rootIndex: [String: Int] = [:]
        rootIndex.reserveCapacity(findings.count)
        for (i, f) in findings.enumerated() { for k in f.rootKeys where rootIndex[k] == nil { rootIndex[k] = i } }
        func top(_ i: Int, _ seen: Set<Int> = []) -> Int {
            let f = findings[i]
            guard !f.causeKeys.isEmpty, f.causeKeys.allSatisfy({ rootIndex[$0] != nil }),
                let parent = rootIndex[f.causeKeys[0]], parent != i, !seen.contains(parent)
            else { return i }
            return top(parent, seen.union([i]))
        }
        var order: [Int] = []
        var related: [Int: [CausedFinding]] = [:]
        for i in findings.indices {
            let t = top(i)
            if t == i { order.append(i) } else { related[t, default: []].append(findings[i]) }
        }
        return order.map { FoldedFinding(root: findings[$0], related: related[$0] ?? []) }
    }

    /// What a rule's kind says of its findings' root causes, found once per rule set (`Engine.rootCauseRoles`):
    /// asking the kind's type for every finding cost more than the rest of the annotation.
    enum Role: Sendable {
        /// A rule that a part be present: each finding reports a missing part.
        case partPresent
        /// Complete tables: a finding reports a missing table, row or cells.
        case complete
        /// Extraction notes: a finding reports a row read in part.
        case notes
        /// Cell kinds: a finding reports a cell.
        case cells
        case other

        /// The kind's type compared by identity (kinds are structs: no other type is one of them), cast only to read
        /// a parts rule's check: a cast to each kind in turn cost a single check's start-up 0.1 M instructions.
        init(_ kind: any RuleKind) {
            switch ObjectIdentifier(type(of: kind)) {
            case ObjectIdentifier(PartsKind.self): self = (kind as? PartsKind)?.check == .present ? .partPresent : .other
            case ObjectIdentifier(CompleteKind.self): self = .complete
            case ObjectIdentifier(NotesKind.self): self = .notes
            case ObjectIdentifier(CellsKind.self): self = .cells
            default: self = .other
            }
        }
    }

    /// The root and cause keys of a rule's findings on the evaluator's report; `role` is the rule's
    /// (`Engine.rootCauseRoles`), `reasons` why it could not be evaluated.
    static func annotate(_ found: [Finding], rule: Rule, role: Role, reasons: [CatalogMessage], ev: Evaluator) -> [CausedFinding] {
        if found.isEmpty { return [] }
        let report = ev.report
        let parts = ev.templates.profile.parts
        // The parts the report lacks, found on first use (only a rule that a part be present reads them).
        var missing: ArraySlice<String>?
        func nextMissingPart() -> String? {
            if missing == nil { missing = parts.filter { !report.hasPart($0.key) }.map(\.key)[...] }
            return missing!.popFirst()
        }
        return found.map { f in
            var c = CausedFinding(finding: f, causeKeys: [])
            // The finding `finish` adds when the rule could not be evaluated: caused by what its reasons name.
            if f.category == .extraction, f.location == FindingLocation(), rule.category != .extraction {
                c.causeKeys = reasons.compactMap { knownCauseKey($0, ev) }
                return c
            }
            switch role {
            case .partPresent:
                if let k = nextMissingPart() { c.rootKey = "part:\(k)" }
            case .complete:
                guard let compiled = table(f.location.table, ev) else { break }
                let spec = compiled.spec
                guard let rowLabel = f.location.row else {
                    if let table = report.table(spec.key) {
                        // Several missing rows of a table that was found, reported as one finding.
                        c.rootKeys = spec.rows.filter { table.row($0.key) == nil }.map { "row:\(spec.key).\($0.key)" }
                        break
                    }
                    c.rootKey = "table:\(spec.key)"
                    if !report.hasPart(spec.part) { c.causeKeys = ["part:\(spec.part)"] }
                    break
                }
                guard let rs = row(rowLabel, compiled) else { break }
                if report.table(spec.key)?.row(rs.key) == nil {
                    c.rootKey = "row:\(spec.key).\(rs.key)"
                } else if hasNote(spec.key, rs.key, report) {
                    c.causeKeys = ["row:\(spec.key).\(rs.key)"]
                } else {
                    c.rootKey = "cells:\(spec.key).\(rs.key)"
                }
            case .notes:
                if let t = table(f.location.table, ev), let label = f.location.row, let rs = row(label, t) {
                    c.rootKey = "row:\(t.key).\(rs.key)"
                }
            case .cells:
                if let cell = f.location.cell { c.rootKey = "cell:\(cell)" }
            case .other: break
            }
            return c
        }
    }

    /// `causeKey`, found once per report for each reason (`Evaluator.causeKeys`): a reason recurs from rule to rule
    /// (a missing table stops every rule that reads it), and finding its key looks up tables and rows by their text.
    static func knownCauseKey(_ r: CatalogMessage, _ ev: Evaluator) -> String? {
        let print = r.fingerprint
        for known in ev.causeKeys where known.print == print && known.reason == r { return known.key }
        let key = causeKey(r, ev)
        ev.causeKeys.append((print, r, key))
        return key
    }

    /// The key of the defect a "not evaluated" reason names, if it names one.
    static func causeKey(_ r: CatalogMessage, _ ev: Evaluator) -> String? {
        let v = r.values
        switch r.key {
        case "engine.not_evaluated.part_missing":
            return ev.templates.profile.parts.first { $0.title == v["part"] }.map { "part:\($0.key)" }
        case "engine.not_evaluated.table_missing":
            return table(v["table"], ev).map { "table:\($0.key)" }
        case "engine.not_evaluated.row_missing":
            guard let t = table(v["table"], ev), let rs = v["row"].flatMap({ row($0, t) }) else { return nil }
            return "row:\(t.key).\(rs.key)"
        case "engine.not_evaluated.cell_missing":
            guard let t = table(v["table"], ev), let rs = v["row"].flatMap({ row($0, t) }) else { return nil }
            return hasNote(t.key, rs.key, ev.report) ? "row:\(t.key).\(rs.key)" : "cells:\(t.key).\(rs.key)"
        case "engine.not_evaluated.not_number", "engine.not_evaluated.not_number_at_line":
            guard let t = table(v["table"], ev), let rs = v["row"].flatMap({ row($0, t) }),
                let col = t.spec.columns.first(where: { $0.label == v["col"] })
            else { return nil }
            return "cell:\(t.key).\(rs.key).\(col.key)"
        default:
            return nil
        }
    }

    static func hasNote(_ table: String, _ row: String, _ report: Report) -> Bool {
        report.extractionNotes.contains { $0.table == table && $0.row == row }
    }

    /// The first table of the report's layout titled `title` (`CompiledLayout.tableByTitle`).
    static func table(_ title: String?, _ ev: Evaluator) -> CompiledTable? {
        guard let title, let layout = ev.compiled, let i = layout.tableByTitle[title] else { return nil }
        return layout.tables[i]
    }

    /// The first row of `table` whose label as messages show it, or whose label, is `label`
    /// (`CompiledTable.rowByLabel`).
    static func row(_ label: String, _ table: CompiledTable) -> RowSpec? {
        table.rowByLabel[label].map { table.spec.rows[$0] }
    }
}
