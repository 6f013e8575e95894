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
        RepairKind(tables: try f.tablePatterns(), maxListed: try f["max_listed"]?.int("max_listed", in: 1...1_000) ?? 3)
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

    /// Where a constraint runs: along a row (a row total), down a column, or between rows and columns.
    enum Direction { case row, column, other }

    public func evaluate(_ run: RuleRun) {
        guard let compiled = run.ev.compiled, let rules = run.ev.ruleSet?.rules else { return }
        let matching = compiled.tablesMatching(tables)
        for t in compiled.tables where matching[t.index] { repair(t, rules, run) }
    }

    /// A table's linear constraints as the rule set states them, over the table's cells by index (row × column
    /// count + column).
    struct TableConstraints {
        /// The report's cells of the table.
        var table: TableCells
        /// Values of the cells the constraints read (nil for a cell no constraint read).
        var cells: [RepairCellValue?]
        var constraints: [LinearConstraint<Int>] = []
        var owners: [(rule: String, direction: Direction)] = []
        /// Per constraint: true when every coefficient is 1 or -1 (then whole-number cells add up in `Int64`).
        var unit: [Bool] = []

        init(table: TableCells) {
            self.table = table
            cells = Array(filledWith: nil, count: table.cellCount)
        }

        /// Indices of the constraints that fail as filed. A constraint over a blank cell is left to CELL-BLANK
        /// (which says what the blank should hold), so a blank never makes a table "not add up".
        /// Computed once the constraints are collected (`constraints(_:_:_:)`).
        var violated: [Int] = []

        func computeViolated() -> [Int] {
            constraints.indices.filter { i in
                let c = constraints[i]
                if c.left.contains(where: { isBlank($0.cell) }) || c.right.contains(where: { isBlank($0.cell) }) { return false }
                if unit[i], let l = intSide(c.left), let r = intSide(c.right) {
                    // Exact in Int64 (whole numbers of at most 15 digits): the Decimal sums below agree.
                    return l != r && Decimal((l - r).magnitude) > abs(c.tolerance)
                }
                let l = c.left.reduce(Decimal(0)) { $0 + term($1.coefficient, value($1.cell)) }
                let r = c.right.reduce(Decimal(0)) { $0 + term($1.coefficient, value($1.cell)) }
                return abs(l - r) > abs(c.tolerance)
            }
        }

        /// coefficient × value, without a multiplication for the usual coefficient 1.
        func term(_ coefficient: Decimal, _ value: Decimal) -> Decimal { coefficient == 1 ? value : coefficient * value }

        /// Σ ±value over terms whose coefficients are ±1 and whose cells are plain whole numbers, else nil.
        func intSide(_ terms: [(cell: Int, coefficient: Decimal)]) -> Int64? {
            var s: Int64 = 0
            for t in terms {
                guard let v = table.int(t.cell) else { return nil }
                s += t.coefficient.sign == .minus ? -v : v
            }
            return s
        }

        func isBlank(_ i: Int) -> Bool { if case .blank? = cells[i] { return true }; return false }
        func value(_ i: Int) -> Decimal { if case .number(let d)? = cells[i] { return d }; return 0 }

        /// The touched cell at an index, for labels and locations.
        func touched(_ i: Int) -> TouchedCell {
            TouchedCell(cells: table, row: i / table.table.columnCount, column: i % table.table.columnCount)
        }
    }

    /// The sum rules of a table and the assert rules that are linear equations over its cells, read from the report.
    static func constraints(_ spec: CompiledTable, _ rules: [Rule], _ ev: Evaluator) -> TableConstraints {
        if let hit = ev.tableConstraints[spec.index] { return hit }
        let savedBindings = ev.bindings, savedTouched = ev.touched
        defer { ev.bindings = savedBindings; ev.touched = savedTouched }
        var t = TableConstraints(table: ev.cells(spec.index))
        collect(spec, rules, ev, &t)
        t.violated = t.computeViolated()
        ev.tableConstraints[spec.index] = t
        return t
    }

    /// Tables of the report whose sums or linear assertions fail (prose is not compared with them).
    static func inconsistentTables(_ ev: Evaluator) -> Set<String> {
        guard let compiled = ev.compiled, let rules = ev.ruleSet?.rules else { return [] }
        var out = Set<String>()
        for spec in compiled.tables
        where ev.repairScreen ? anyViolated(spec, rules, ev) : !constraints(spec, rules, ev).violated.isEmpty {
            out.insert(spec.key)
        }
        return out
    }

    /// `!constraints(spec, rules, ev).violated.isEmpty`, found without building the constraints when they were not
    /// built yet: the same constraints are read in the same order (`collect`) and each is tested as
    /// `TableConstraints.computeViolated` tests it, stopping at the first that fails. Most tables add up, and then
    /// nothing else needs their constraints. Remembered per table for the report.
    static func anyViolated(_ spec: CompiledTable, _ rules: [Rule], _ ev: Evaluator) -> Bool {
        if let known = ev.tableFails[spec.index] { return known }
        let fails: Bool
        if let built = ev.tableConstraints[spec.index] {
            fails = !built.violated.isEmpty
        } else {
            let savedBindings = ev.bindings, savedTouched = ev.touched
            defer { ev.bindings = savedBindings; ev.touched = savedTouched }
            if ev.equationPlans, let plans = ev.constraintPlans, let compiled = ev.compiled {
                // The constraints' cells planned once per layout, table and entry bindings; the report adds which
                // cells are present and their values.
                let key = ConstraintPlanKey(layout: ObjectIdentifier(compiled), table: spec.index, bindings: ev.bindings)
                let plan = plans.value(key) { _ in planConstraints(spec, rules, ev, compiled) }
                fails = plannedViolation(plan, rules, spec, ev)
            } else {
                fails = scanViolations(spec, rules, ev)
            }
        }
        ev.tableFails[spec.index] = fails
        return fails
    }

    /// True when a constraint `collect` would add fails as filed: `collect` and `computeViolated` in one pass,
    /// without arrays of constraints, stopping at the first failure.
    static func scanViolations(_ spec: CompiledTable, _ rules: [Rule], _ ev: Evaluator) -> Bool {
        guard let compiled = ev.compiled else { return false }
        // `collect`'s `add`: a cell takes part when it is blank or holds a value.
        func usable(_ c: TouchedCell) -> Bool { c.state == .blank || c.value != nil }
        var found = false
        for ri in compiled.constraintRules[spec.index] {
            let rule = rules[ri]
            if let sum = rule.kind as? SumKind {
                func scan() {
                    guard !found, let (_, lines) = try? sum.lines(ev) else { return }
                    for case .success(let l) in lines where l.reasons.isEmpty {
                        guard usable(l.total), l.parts.allSatisfy(usable) else { continue }
                        if sumFails(l, tolerance: sum.tolerance) { found = true; return }
                    }
                }
                ev.forEachBinding(sum.forEach, scan)
            } else if let a = rule.kind as? AssertKind, case let .binary("==", lhs, rhs) = a.expression {
                ev.forEachBinding(a.forEach) {
                    guard !found else { return }
                    switch ev.equationPlans ? Self.plannedEquation(rule: ri, lhs, rhs, ev, spec, compiled) : .dynamic {
                    case .notLinear: return
                    case .linear(let lp, let rp):
                        guard let l = Self.read(lp, ev), let r = Self.read(rp, ev), l.allSatisfy({ usable($0.cell) }),
                            r.allSatisfy({ usable($0.cell) })
                        else { return }
                        if equationFails(l, r, tolerance: a.tolerance) { found = true }
                        return
                    case .dynamic: break
                    }
                    guard let l = Self.linear(lhs, ev, spec), let r = Self.linear(rhs, ev, spec), l.constant == r.constant,
                        !(l.terms.isEmpty && r.terms.isEmpty), l.terms.allSatisfy({ usable($0.cell) }),
                        r.terms.allSatisfy({ usable($0.cell) })
                    else { return }
                    if equationFails(l.terms, r.terms, tolerance: a.tolerance) { found = true }
                }
            }
            if found { return true }
        }
        return false
    }

    /// One linear constraint source of a table as `collect` reads it, planned without the report: a sum in one
    /// binding (each of its lines a constraint), an assertion's equation with its cells by index, or an assertion
    /// whose equation only `linear` can read with the report.
    enum PlannedConstraint: Sendable {
        /// The lines of a sum: the total and the parts are rows (`alongRows`, one line per column) or columns.
        case sum(table: Int, total: Int, parts: [Int], alongRows: Bool, lines: Int, tolerance: Decimal)
        case equation(LinearForm, LinearForm, tolerance: Decimal)
        /// `PlannedEquation.dynamic`: read by `linear` in these bindings.
        case dynamic(rule: Int, bindings: [String: String])
    }

    /// What a table's planned constraints depend on: the layout, the table, and the bindings `anyViolated` was
    /// entered with (loops over values leave their variable bound for the rules after them, as in `collect`).
    struct ConstraintPlanKey: Hashable, Sendable {
        var layout: ObjectIdentifier
        var table: Int
        var bindings: [String: String]

        func hash(into hasher: inout Hasher) {
            hasher.combine(layout)
            hasher.combine(table)
            hashBindings(bindings, into: &hasher)
        }
    }

    /// The constraint sources of `spec` in `collect`'s order, with `collect`'s bindings: sums by their plans
    /// (`SumKind.plan`), assertions by their planned equations.
    static func planConstraints(_ spec: CompiledTable, _ rules: [Rule], _ ev: Evaluator, _ compiled: CompiledLayout)
        -> [PlannedConstraint]
    {
        var out: [PlannedConstraint] = []
        for ri in compiled.constraintRules[spec.index] {
            let rule = rules[ri]
            if let sum = rule.kind as? SumKind {
                ev.forEachBinding(sum.forEach) {
                    // `SumKind.lines`: no lines without the sum's table or its total.
                    guard let table = compiled.table(sum.table) else { return }
                    let plan = sum.plan(ev, compiled, table)
                    guard let total = plan.total else { return }
                    let alongRows = sum.along == .rows
                    out.append(
                        .sum(
                            table: table.index, total: total, parts: plan.parts, alongRows: alongRows,
                            lines: alongRows ? table.columnCount : table.rowCount, tolerance: sum.tolerance))
                }
            } else if let a = rule.kind as? AssertKind, case let .binary("==", lhs, rhs) = a.expression {
                ev.forEachBinding(a.forEach) {
                    switch Self.plannedEquation(rule: ri, lhs, rhs, ev, spec, compiled) {
                    case .notLinear: return
                    case .linear(let l, let r): out.append(.equation(l, r, tolerance: a.tolerance))
                    case .dynamic: out.append(.dynamic(rule: ri, bindings: ev.bindings))
                    }
                }
            }
        }
        return out
    }

    /// `scanViolations` over planned constraints: each sum line and equation read from the report's cells by index.
    static func plannedViolation(_ plan: [PlannedConstraint], _ rules: [Rule], _ spec: CompiledTable, _ ev: Evaluator) -> Bool {
        for c in plan {
            switch c {
            case let .sum(t, total, parts, alongRows, lines, tolerance):
                let cells = ev.cells(t)
                let columns = cells.columnCount
                // The slots of one line, written in place for each line (through a buffer pointer: no uniqueness
                // check per slot written).
                var slots = [Int](filledWith: 0, count: parts.count)
                for line in 0..<lines {
                    let ti = alongRows ? total &* columns &+ line : line &* columns &+ total
                    // A line with a missing cell is not read (`lines`); one whose cells are usable is a constraint.
                    guard cells.usable(ti) else { continue }
                    let usable = slots.withUnsafeMutableBufferPointer { slots in
                        for (k, p) in parts.enumerated() {
                            let slot = alongRows ? p &* columns &+ line : line &* columns &+ p
                            guard cells.usable(slot) else { return false }
                            slots[k] = slot
                        }
                        return true
                    }
                    if usable && sumFails(cells, total: ti, parts: slots, tolerance: tolerance) { return true }
                }
            case let .equation(l, r, tolerance):
                // `read`: every cell present, else the equation is not used; then every cell usable.
                guard let left = Self.read(l, ev), let right = Self.read(r, ev), left.allSatisfy({ $0.cell.cells.usable($0.cell.index) }),
                    right.allSatisfy({ $0.cell.cells.usable($0.cell.index) })
                else { continue }
                if equationFails(left, right, tolerance: tolerance) { return true }
            case let .dynamic(ri, bindings):
                guard let a = rules[ri].kind as? AssertKind, case let .binary("==", lhs, rhs) = a.expression else { continue }
                ev.bindings = bindings
                guard let l = Self.linear(lhs, ev, spec), let r = Self.linear(rhs, ev, spec), l.constant == r.constant,
                    !(l.terms.isEmpty && r.terms.isEmpty), l.terms.allSatisfy({ $0.cell.cells.usable($0.cell.index) }),
                    r.terms.allSatisfy({ $0.cell.cells.usable($0.cell.index) })
                else { continue }
                if equationFails(l.terms, r.terms, tolerance: a.tolerance) { return true }
            }
        }
        return false
    }

    /// `sumFails` for a line read by slot.
    static func sumFails(_ cells: TableCells, total: Int, parts: [Int], tolerance: Decimal) -> Bool {
        if cells.state(total) == .blank || parts.contains(where: { cells.state($0) == .blank }) { return false }
        if let t = cells.int(total) {
            var s: Int64 = 0
            var whole = true
            for p in parts {
                guard let v = cells.int(p) else { whole = false; break }
                s += v
            }
            if whole { return t != s && Decimal((t - s).magnitude) > abs(tolerance) }
        }
        let left = Decimal(0) + cells.value(total)!
        let right = parts.reduce(Decimal(0)) { $0 + cells.value($1)! }
        return abs(left - right) > abs(tolerance)
    }

    /// `computeViolated`'s test of the constraint `total = Σ parts` of a sum line whose cells are all usable.
    static func sumFails(_ l: SumKind.Line, tolerance: Decimal) -> Bool {
        if l.total.state == .blank || l.parts.contains(where: { $0.state == .blank }) { return false }
        if let t = l.total.int, let s = SumKind.plainSum(l.parts) {
            // `intSide` of each side: the total alone, and the parts (coefficients 1).
            return t != s && Decimal((t - s).magnitude) > abs(tolerance)
        }
        let left = Decimal(0) + l.total.value!
        let right = l.parts.reduce(Decimal(0)) { $0 + $1.value! }
        return abs(left - right) > abs(tolerance)
    }

    /// `computeViolated`'s test of the equation `Σ left = Σ right` (cells with coefficients, all usable).
    static func equationFails(
        _ left: [(cell: TouchedCell, coefficient: Decimal)], _ right: [(cell: TouchedCell, coefficient: Decimal)], tolerance: Decimal
    ) -> Bool {
        if left.contains(where: { $0.cell.state == .blank }) || right.contains(where: { $0.cell.state == .blank }) { return false }
        let one = ExactDecimal.one
        let unit = left.allSatisfy { $0.coefficient.magnitude == one } && right.allSatisfy { $0.coefficient.magnitude == one }
        func intSide(_ terms: [(cell: TouchedCell, coefficient: Decimal)]) -> Int64? {
            var s: Int64 = 0
            for t in terms {
                guard let v = t.cell.int else { return nil }
                s += t.coefficient.sign == .minus ? -v : v
            }
            return s
        }
        if unit, let l = intSide(left), let r = intSide(right) {
            return l != r && Decimal((l - r).magnitude) > abs(tolerance)
        }
        func term(_ coefficient: Decimal, _ value: Decimal) -> Decimal { coefficient == one ? value : coefficient * value }
        let l = left.reduce(ExactDecimal.zero) { $0 + term($1.coefficient, $1.cell.value!) }
        let r = right.reduce(ExactDecimal.zero) { $0 + term($1.coefficient, $1.cell.value!) }
        return abs(l - r) > abs(tolerance)
    }

    static func collect(_ spec: CompiledTable, _ rules: [Rule], _ ev: Evaluator, _ t: inout TableConstraints) {
        guard let compiled = ev.compiled else { return }
        func add(_ c: TouchedCell) -> Bool {
            let k = c.index
            switch c.state {
            case .blank: t.cells[k] = .blank
            default:
                guard let v = c.value else { return false }
                t.cells[k] = .number(v)
            }
            return true
        }
        for ri in compiled.constraintRules[spec.index] {
            let rule = rules[ri]
            if let sum = rule.kind as? SumKind {
                let direction: Direction = sum.along == .rows ? .column : .row
                func collect() {
                    guard let (_, lines) = try? sum.lines(ev) else { return }
                    for case .success(let l) in lines where l.reasons.isEmpty {
                        guard add(l.total), l.parts.allSatisfy(add) else { continue }
                        t.constraints.append(.sum(rule.id, total: l.total.index, parts: l.parts.map(\.index), tolerance: sum.tolerance))
                        t.owners.append((rule.id, direction))
                        t.unit.append(true)
                    }
                }
                ev.forEachBinding(sum.forEach, collect)
            } else if let a = rule.kind as? AssertKind, case let .binary("==", lhs, rhs) = a.expression {
                ev.forEachBinding(a.forEach) {
                    switch ev.equationPlans ? Self.plannedEquation(rule: ri, lhs, rhs, ev, spec, compiled) : .dynamic {
                    case .notLinear: return
                    case .linear(let lp, let rp):
                        // The cells are read in `linear`'s order; a missing one makes the equation unusable.
                        guard let l = Self.read(lp, ev), let r = Self.read(rp, ev), (l + r).allSatisfy({ add($0.cell) }) else {
                            return
                        }
                        t.constraints.append(
                            LinearConstraint(
                                name: rule.id, left: l.map { ($0.cell.index, $0.coefficient) },
                                right: r.map { ($0.cell.index, $0.coefficient) }, tolerance: a.tolerance))
                        t.owners.append((rule.id, .other))
                        t.unit.append((l + r).allSatisfy { $0.coefficient.magnitude == 1 })
                        return
                    case .dynamic: break
                    }
                    guard let l = Self.linear(lhs, ev, spec), let r = Self.linear(rhs, ev, spec), l.constant == r.constant,
                        !(l.terms.isEmpty && r.terms.isEmpty), (l.terms + r.terms).allSatisfy({ add($0.cell) })
                    else { return }
                    t.constraints.append(
                        LinearConstraint(
                            name: rule.id, left: l.terms.map { ($0.cell.index, $0.coefficient) },
                            right: r.terms.map { ($0.cell.index, $0.coefficient) }, tolerance: a.tolerance))
                    t.owners.append((rule.id, .other))
                    t.unit.append((l.terms + r.terms).allSatisfy { $0.coefficient.magnitude == 1 })
                }
            }
        }
    }

    func repair(_ spec: CompiledTable, _ rules: [Rule], _ run: RuleRun) {
        let ev = run.ev
        // Most tables add up: then no constraint is built (`anyViolated` says so first).
        guard ev.repairScreen ? Self.anyViolated(spec, rules, ev) : true else { return }
        let table = Self.constraints(spec, rules, ev)
        guard !table.constraints.isEmpty, !table.violated.isEmpty else { return }
        // The solver orders cells by key (`table.row.column`): its repairs and their order are those of the keys.
        // It is given each cell's key rank (`CompiledTable.keyRanks`), which orders the same way without a string;
        // cells with equal keys share a rank, the last one read standing for it, as in a dictionary by key.
        let ranks = spec.keyRanks
        var cells: [Int: RepairCellValue] = [:]
        var wholeNumbers: [Int: Int64]? = [:]
        var refs: [Int: TouchedCell] = [:]
        for (i, v) in table.cells.enumerated() {
            guard let v else { continue }
            let r = ranks[i]
            cells[r] = v
            refs[r] = table.touched(i)
            if wholeNumbers != nil { wholeNumbers![r] = table.table.int(i) }
            if table.table.int(i) == nil { wholeNumbers = nil }
        }
        let constraints = table.constraints.map { c in
            LinearConstraint(
                name: c.name, left: c.left.map { (ranks[$0.cell], $0.coefficient) },
                right: c.right.map { (ranks[$0.cell], $0.coefficient) },
                tolerance: c.tolerance)
        }
        let owners = table.owners
        let result = RepairSolver.solve(cells: cells, constraints: constraints, wholeNumbers: wholeNumbers)
        func key(_ r: Int) -> String { refs[r]?.key ?? "" }
        var folded: Set<String> {
            Set(
                result.violated.flatMap { i in
                    (constraints[i].left + constraints[i].right).map { "\(owners[i].rule)|\(key($0.cell))" }
                })
        }
        let sep = run.messages.text("separator.list")
        func label(_ k: Int) -> String {
            guard let t = refs[k] else { return key(k) }
            return run.messages.text("engine.repair.cell", ["row": t.rowLabel, "col": t.columnLabel])
        }
        func sums(_ change: CellChange<Int>) -> String {
            let dirs = Set(change.fixes.map { owners[$0].direction })
            if dirs == [.row, .column] { return run.messages.text("engine.repair.row_and_column") }
            if dirs == [.row] { return run.messages.text("engine.repair.row") }
            if dirs == [.column] { return run.messages.text("engine.repair.column") }
            return run.messages.text("engine.repair.sums")
        }
        func changeText(_ c: CellChange<Int>) -> String {
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
            let suggestion = CellSuggestion(cell: key(first.cell), location: loc, value: first.from, suggestedValue: first.to)
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

    /// False when `linear(e, …, table)` is nil for every report and binding: the expression has a part that is not
    /// a number, a cell path, `-`, `+`, `-` or `sum(…)`, or a path into another table or last year's report. Decided
    /// once per rule set, so a report does not try assertions that can never be linear equations of `table`.
    static func mayBeLinear(_ e: Expr, over table: String) -> Bool {
        switch e {
        case .number: return true
        case .path(let segs):
            guard Expr.previousPath(segs) == nil, let first = segs.first else { return false }
            if case .name(let n) = first { return n == table }
            return true
        case .unary("-", let a): return mayBeLinear(a, over: table)
        case .binary(let op, let a, let b) where op == "+" || op == "-":
            return mayBeLinear(a, over: table) && mayBeLinear(b, over: table)
        case .call("sum", let args): return args.allSatisfy { mayBeLinear($0, over: table) }
        default: return false
        }
    }

    /// `linear(e, ev, spec)` decided without the report: the cells it reads, as (table, row, column) indices, with
    /// their coefficients, and the constant. What the report adds is only whether each cell is present.
    struct LinearForm: Sendable {
        var terms: [(table: Int, row: Int, column: Int, coefficient: Decimal)]
        var constant: Decimal
    }

    /// An assertion's equation as the repair kind reads it for one binding of its variables, planned once per layout.
    enum PlannedEquation: Sendable {
        /// `linear` is nil for a side whatever the report holds, or the constants differ, or there is no cell.
        case notLinear
        case linear(LinearForm, LinearForm)
        /// A path indexes with an expression other than `[$variable]`: `linear` reads the report to decide.
        case dynamic
    }

    /// What a `PlannedEquation` depends on: the rule, the table, and the values of the variables the equation reads.
    struct EquationKey: Hashable, Sendable {
        var rule: Int
        var table: Int
        var variables: [String?]
    }

    /// The equation `lhs == rhs` of rule `rule` over `spec` in the current bindings, from the layout's cache.
    static func plannedEquation(
        rule: Int, _ lhs: Expr, _ rhs: Expr, _ ev: Evaluator, _ spec: CompiledTable, _ compiled: CompiledLayout
    ) -> PlannedEquation {
        var names: [String] = []
        variables(lhs, &names)
        variables(rhs, &names)
        let key = EquationKey(rule: rule, table: spec.index, variables: names.map { ev.bindings[$0] })
        return compiled.equations.value(key) { _ in
            guard let l = form(lhs, ev, spec, compiled), let r = form(rhs, ev, spec, compiled) else { return .notLinear }
            guard case .linear(let lf) = l, case .linear(let rf) = r else { return .dynamic }
            guard lf.constant == rf.constant, !(lf.terms.isEmpty && rf.terms.isEmpty) else { return .notLinear }
            return .linear(lf, rf)
        }
    }

    /// The names of the variables an expression's paths read, in order (repeats allowed).
    static func variables(_ e: Expr, _ out: inout [String]) {
        switch e {
        case .number, .string, .null, .bool: return
        case .path(let segs):
            for seg in segs {
                switch seg {
                case .name: continue
                case .variable(let v): out.append(v)
                case .index(let i): variables(i, &out)
                }
            }
        case .call(_, let args): for a in args { variables(a, &out) }
        case .unary(_, let a): variables(a, &out)
        case .binary(_, let a, let b): variables(a, &out); variables(b, &out)
        }
    }

    /// One side of an equation planned: its linear form, or `dynamic` when `linear` reads the report to decide.
    enum PlannedSide {
        case linear(LinearForm)
        case dynamic
    }

    /// `linear(e, ev, spec)` without the report: its form, `.dynamic` when it depends on the report beyond which
    /// cells are present, or nil when it is nil for every report. Same recursion and the same `Decimal` operations
    /// as `linear`.
    static func form(_ e: Expr, _ ev: Evaluator, _ spec: CompiledTable, _ compiled: CompiledLayout) -> PlannedSide? {
        func one(_ f: LinearForm) -> PlannedSide { .linear(f) }
        switch e {
        case .number(let d): return one(LinearForm(terms: [], constant: d))
        case .path(let segs):
            guard Expr.previousPath(segs) == nil else { return nil }
            var keys: [String] = []
            for seg in segs {
                switch seg {
                case .name(let n): keys.append(n)
                case .variable(let v):
                    guard let b = ev.bindings[v] else { return nil }
                    keys.append(b)
                case .index(.path(let inner)):
                    // `[$v]` reads the binding's text (`keys(of:)` through `eval`); `$it` may be read as a number.
                    guard inner.count == 1, case .variable(let v) = inner[0], v != "it" else { return .dynamic }
                    guard let b = ev.bindings[v] else { return nil }
                    keys.append(b)
                case .index: return .dynamic
                }
            }
            // `Evaluator.cell(keys)` without reading the cell: the table by key, then the row and column.
            guard keys.first == spec.key, let table = compiled.table(keys[0]), let (r, c) = table.resolve(keys.dropFirst()) else {
                return nil
            }
            return one(LinearForm(terms: [(table.index, r, c, 1)], constant: 0))
        case .unary("-", let a):
            guard let p = form(a, ev, spec, compiled) else { return nil }
            guard case .linear(let l) = p else { return p }
            return one(LinearForm(terms: l.terms.map { ($0.table, $0.row, $0.column, -$0.coefficient) }, constant: -l.constant))
        case .binary(let op, let a, let b) where op == "+" || op == "-":
            guard let pa = form(a, ev, spec, compiled) else { return nil }
            guard let pb = form(b, ev, spec, compiled) else {
                if case .dynamic = pa { return .dynamic }
                return nil
            }
            guard case .linear(let l) = pa, case .linear(let r) = pb else { return .dynamic }
            let sign: Decimal = op == "+" ? 1 : -1
            return one(
                LinearForm(
                    terms: l.terms + r.terms.map { ($0.table, $0.row, $0.column, sign * $0.coefficient) },
                    constant: l.constant + sign * r.constant))
        case .call("sum", let args):
            var terms: [(table: Int, row: Int, column: Int, coefficient: Decimal)] = []
            var c: Decimal = 0
            var dynamic = false
            for a in args {
                guard let p = form(a, ev, spec, compiled) else { return dynamic ? .dynamic : nil }
                guard case .linear(let l) = p else { dynamic = true; continue }
                terms += l.terms; c += l.constant
            }
            return dynamic ? .dynamic : one(LinearForm(terms: terms, constant: c))
        default: return nil
        }
    }

    /// The report's cells of a planned side, in order; nil when one is missing (as `linear` is).
    static func read(_ f: LinearForm, _ ev: Evaluator) -> [(cell: TouchedCell, coefficient: Decimal)]? {
        var out: [(cell: TouchedCell, coefficient: Decimal)] = []
        out.reserveCapacity(f.terms.count)
        for t in f.terms {
            let cell = TouchedCell(cells: ev.cells(t.table), row: t.row, column: t.column)
            guard cell.state != .missing else { return nil }
            out.append((cell, t.coefficient))
        }
        return out
    }

    /// An expression as Σ coefficient·cell + constant over cells of `spec`, nil when it is not linear in them.
    static func linear(_ e: Expr, _ ev: Evaluator, _ spec: CompiledTable) -> (
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

extension TableCells {
    /// `collect`'s test of a cell at a slot: blank, or holding a value (a missing cell holds neither).
    func usable(_ i: Int) -> Bool { state(i) == .blank || value(i) != nil }
}
