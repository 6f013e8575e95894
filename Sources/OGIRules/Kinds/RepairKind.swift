import Foundation
import OGIAnalysis
import OGIModel

/// `kind: repair` — when a table does not add up, the cell to fix. The table's linear constraints are read from
/// the rule set itself (every `sum` rule of the table, every `assert` rule whose condition is `A == B` with A and B
/// sums and differences of the table's cells), the smallest set of cell changes that makes all of them hold is
/// searched (`RepairSolver`), and a single repair is reported at its cell with the value it should hold; the failing
/// sums it explains are folded under that finding (`Finding.related`). Several repairs of the same size are listed
/// when there are at most `max_listed`; beyond that, or when no repair of one or two cells fits, the failing sums
/// speak for themselves.
public struct RepairKind: RuleKind {
    public static let name = "repair"
    public static let keys = ["tables", "max_listed"]

    public var tables: [String]
    public var maxListed: Int

    public static func parse(_ f: RuleFields) throws -> RepairKind {
        RepairKind(tables: try f.tablePatterns(), maxListed: try f["max_listed"]?.int("max_listed") ?? 3)
    }

    static let provided: Set<String> = ["cell", "value", "suggested", "sums", "options", "count", "table"]
    public var placeholders: Set<String> { Self.provided }
    public var references: RuleReferences { RuleReferences(tables: tables) }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [
            ("checks", "the cell to fix when the sums and linear assertions of \(tables.map(code).joined(separator: ", ")) fail"),
            ("lists", "up to \(maxListed) repairs of the same size"),
        ]
    }

    /// A cell of the table: its key (`table.row.column`) and where it was read.
    struct CellRef { var touched: TouchedCell }

    /// Where a constraint runs: along a row (a row total), down a column, or between rows and columns.
    enum Direction { case row, column, other }

    public func evaluate(_ run: RuleRun) {
        guard let layout = run.ev.layout, let rules = run.ev.ruleSet?.rules else { return }
        for spec in layout.tables where run.matches(spec, tables) { repair(spec, rules, run) }
    }

    static func key(_ t: TouchedCell) -> String { "\(t.table.key).\(t.row.key).\(t.column.key)" }

    /// A table's linear constraints as the rule set states them, with the cells they read.
    struct TableConstraints {
        var cells: [String: RepairCellValue] = [:]
        var refs: [String: TouchedCell] = [:]
        var constraints: [LinearConstraint<String>] = []
        var owners: [(rule: String, direction: Direction)] = []

        /// Indices of the constraints that fail as filed. A constraint over a blank cell is left to CELL-BLANK
        /// (which says what the blank should hold), so a blank never makes a table "not add up".
        var violated: [Int] {
            constraints.indices.filter { i in
                let c = constraints[i]
                if (c.left + c.right).contains(where: {
                    if case .blank? = cells[$0.cell] { return true }; return false
                }) {
                    return false
                }
                let l = c.left.reduce(Decimal(0)) { $0 + $1.coefficient * (cells[$1.cell].map(Self.value) ?? 0) }
                let r = c.right.reduce(Decimal(0)) { $0 + $1.coefficient * (cells[$1.cell].map(Self.value) ?? 0) }
                return abs(l - r) > abs(c.tolerance)
            }
        }

        static func value(_ v: RepairCellValue) -> Decimal { if case .number(let d) = v { return d }; return 0 }
    }

    /// The sum rules of a table and the assert rules that are linear equations over its cells, read from the report.
    static func constraints(_ spec: TableSpec, _ rules: [Rule], _ ev: Evaluator) -> TableConstraints {
        if let hit = ev.tableConstraints[spec.key] { return hit }
        let savedBindings = ev.bindings, savedTouched = ev.touched
        defer { ev.bindings = savedBindings; ev.touched = savedTouched }
        var t = TableConstraints()
        collect(spec, rules, ev, &t.cells, &t.refs, &t.constraints, &t.owners)
        ev.tableConstraints[spec.key] = t
        return t
    }

    /// Tables of the report whose sums or linear assertions fail (prose is not compared with them).
    static func inconsistentTables(_ ev: Evaluator) -> Set<String> {
        guard let layout = ev.layout, let rules = ev.ruleSet?.rules else { return [] }
        var out = Set<String>()
        for spec in layout.tables where !constraints(spec, rules, ev).violated.isEmpty { out.insert(spec.key) }
        return out
    }

    static func collect(
        _ spec: TableSpec, _ rules: [Rule], _ ev: Evaluator, _ cells: inout [String: RepairCellValue],
        _ refs: inout [String: TouchedCell], _ constraints: inout [LinearConstraint<String>],
        _ owners: inout [(rule: String, direction: Direction)]
    ) {
        guard let layout = ev.layout else { return }
        func add(_ t: TouchedCell) -> Bool {
            let k = Self.key(t)
            switch t.cell.state {
            case .blank: cells[k] = .blank
            default:
                guard let v = t.cell.value else { return false }
                cells[k] = .number(v)
            }
            refs[k] = t
            return true
        }
        for rule in rules where rule.templates.contains(layout.id) {
            if let sum = rule.kind as? SumKind, sum.table == spec.key {
                let direction: Direction = sum.along == .rows ? .column : .row
                func collect() {
                    guard let (_, lines) = try? sum.lines(ev) else { return }
                    for case .success(let l) in lines where l.reasons.isEmpty {
                        guard ([l.total] + l.parts).allSatisfy(add) else { continue }
                        constraints.append(.sum(rule.id, total: Self.key(l.total), parts: l.parts.map(Self.key), tolerance: sum.tolerance))
                        owners.append((rule.id, direction))
                    }
                }
                ev.forEachBinding(sum.forEach, collect)
            } else if let a = rule.kind as? AssertKind, case let .binary("==", lhs, rhs) = a.expression {
                ev.forEachBinding(a.forEach) {
                    guard let l = Self.linear(lhs, ev, spec), let r = Self.linear(rhs, ev, spec), l.constant == r.constant,
                        !(l.terms.isEmpty && r.terms.isEmpty), (l.terms + r.terms).allSatisfy({ add($0.cell) })
                    else { return }
                    constraints.append(
                        LinearConstraint(
                            name: rule.id, left: l.terms.map { (Self.key($0.cell), $0.coefficient) },
                            right: r.terms.map { (Self.key($0.cell), $0.coefficient) }, tolerance: a.tolerance))
                    owners.append((rule.id, .other))
                }
            }
        }
    }

    func repair(_ spec: TableSpec, _ rules: [Rule], _ run: RuleRun) {
        let ev = run.ev
        let table = Self.constraints(spec, rules, ev)
        let (refs, constraints, owners) = (table.refs, table.constraints, table.owners)
        guard !constraints.isEmpty, !table.violated.isEmpty else { return }
        let result = RepairSolver.solve(cells: table.cells, constraints: constraints)
        let folded = Set(
            result.violated.flatMap { i in
                (constraints[i].left + constraints[i].right).map { "\(owners[i].rule)|\($0.cell)" }
            })
        let sep = run.messages.text("separator.list")
        func label(_ k: String) -> String {
            guard let t = refs[k] else { return k }
            return run.messages.text("engine.repair.cell", ["row": Evaluator.displayLabel(t.row), "col": t.column.label])
        }
        func sums(_ change: CellChange<String>) -> String {
            let dirs = Set(change.fixes.map { owners[$0].direction })
            if dirs == [.row, .column] { return run.messages.text("engine.repair.row_and_column") }
            if dirs == [.row] { return run.messages.text("engine.repair.row") }
            if dirs == [.column] { return run.messages.text("engine.repair.column") }
            return run.messages.text("engine.repair.sums")
        }
        func changeText(_ c: CellChange<String>) -> String {
            run.messages.text(
                "engine.repair.change",
                [
                    "cell": label(c.cell), "value": c.from.map(ExactDecimal.format) ?? run.messages.text("value.none"),
                    "suggested": ExactDecimal.format(c.to), "sums": sums(c),
                ])
        }
        var vars = run.bindingVars()
        vars["table"] = spec.title
        switch result.outcome {
        case .consistent, .noneWithinLimit: return
        case .unique(let repair):
            let first = repair.changes[0]
            guard let t = refs[first.cell] else { return }
            vars["cell"] = label(first.cell)
            vars["value"] = first.from.map(ExactDecimal.format) ?? run.messages.text("value.none")
            vars["suggested"] = ExactDecimal.format(first.to)
            vars["sums"] = sums(first)
            vars["options"] = repair.changes.map(changeText).joined(separator: sep)
            vars["count"] = String(repair.changes.count)
            let loc = run.location(t)
            let suggestion = CellSuggestion(cell: first.cell, location: loc, value: first.from, suggestedValue: first.to)
            run.findings.append(
                Finding(
                    rule: run.rule.id, severity: run.rule.severity, category: run.rule.category,
                    message: run.rule.message.map { MessageCatalog.fill($0, vars) }
                        ?? run.messages.text(repair.changes.count == 1 ? "engine.repair.unique" : "engine.repair.pair", vars),
                    fix: run.rule.fix.map { MessageCatalog.fill($0, vars) } ?? run.messages.text("engine.repair.unique_fix", vars),
                    location: loc, suggestion: suggestion))
            ev.folds.append(Fold(rule: run.rule.id, message: run.findings[run.findings.count - 1].message, keys: folded, note: nil))
        case .ambiguous(let repairs):
            // No single cell to blame: each failing sum keeps its own finding, and its fix lists the repairs.
            guard repairs.count <= maxListed else { return }
            vars["count"] = String(repairs.count)
            vars["options"] = repairs.map { r in
                run.messages.text("engine.repair.option", ["changes": r.changes.map(changeText).joined(separator: sep)])
            }.joined(separator: run.messages.text("separator.reasons"))
            ev.folds.append(Fold(rule: run.rule.id, message: nil, keys: folded, note: run.messages.text("engine.repair.ambiguous", vars)))
        }
    }

    /// An expression as Σ coefficient·cell + constant over cells of `spec`, nil when it is not linear in them.
    static func linear(_ e: Expr, _ ev: Evaluator, _ spec: TableSpec) -> (
        terms: [(cell: TouchedCell, coefficient: Decimal)], constant: Decimal
    )? {
        switch e {
        case .number(let d): return ([], d)
        case .path(let segs):
            guard Expr.previousPath(segs) == nil, let keys = try? ev.keys(of: segs), keys.first == spec.key,
                let t = try? ev.cell(keys)
            else { return nil }
            return ([(t, 1)], 0)
        case .unary("-", let a):
            guard let l = Self.linear(a, ev, spec) else { return nil }
            return (l.terms.map { ($0.cell, -$0.coefficient) }, -l.constant)
        case .binary(let op, let a, let b) where op == "+" || op == "-":
            guard let l = Self.linear(a, ev, spec), let r = Self.linear(b, ev, spec) else { return nil }
            let sign: Decimal = op == "+" ? 1 : -1
            return (l.terms + r.terms.map { ($0.cell, sign * $0.coefficient) }, l.constant + sign * r.constant)
        case .call("sum", let args):
            var terms: [(cell: TouchedCell, coefficient: Decimal)] = []
            var c: Decimal = 0
            for a in args {
                guard let l = Self.linear(a, ev, spec) else { return nil }
                terms += l.terms; c += l.constant
            }
            return (terms, c)
        default: return nil
        }
    }
}
