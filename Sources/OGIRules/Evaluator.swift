import Foundation
import OGIAnalysis
import OGIModel

/// A runtime value of a rule expression.
enum Value {
    case num(Decimal), str(String), date(CalendarDate), bool(Bool), null, list([Value])

    /// The value as a message shows it; words (是/否/（无）) come from the catalog.
    func text(_ c: MessageCatalog) -> String {
        switch self {
        case .num(let d): return ExactDecimal.format(d)
        case .str(let s): return s
        case .date(let d): return d.description
        case .bool(let b): return c.text(b ? "value.yes" : "value.no")
        case .null: return c.text("value.none")
        case .list(let l): return l.map { $0.text(c) }.joined(separator: c.text("separator.list"))
        }
    }
}

/// Raised when an expression needs an input that the report does not have; carries why, as catalog messages.
struct NotEvaluated: Error {
    var reasons: [CatalogMessage]
    init(_ key: String, _ values: [String: String] = [:]) { reasons = [CatalogMessage(key, values)] }
    init(reasons: [CatalogMessage]) { self.reasons = reasons }
}

/// A cell an expression read, kept for messages and locations: the report's table on the template (a reference),
/// the row and column indices, and the cell's state and value. Cheap to copy; labels and text are read on demand.
struct TouchedCell {
    let cells: TableCells
    let row: Int
    let column: Int
    /// `row × column count + column`: the cell's slot in `cells`.
    let index: Int

    init(cells: TableCells, row: Int, column: Int) {
        self.cells = cells; self.row = row; self.column = column; index = row &* cells.columnCount &+ column
    }

    var state: CellState { cells.state(index) }
    var value: Decimal? { cells.value(index) }
    /// The report's cell (present: a touched cell was read).
    var cell: Cell { cells.cell(index)! }
    /// The value as a plain whole number, when it is one (`TableCells.int(_:)`).
    var int: Int64? { cells.int(index) }
    var table: CompiledTable { cells.table }
    var tableKey: String { cells.table.key }
    var tableTitle: String { cells.table.title }
    var rowKey: String { cells.table.rowKeys[row] }
    /// The row label as messages show it.
    var rowLabel: String { cells.table.rowLabels[row] }
    var columnKey: String { cells.table.columnKeys[column] }
    var columnLabel: String { cells.table.columnLabels[column] }
    /// `table.row.column`.
    var key: String { "\(tableKey).\(rowKey).\(columnKey)" }
}

/// Evaluates expressions against one report, with the template it is laid out on and the current bindings.
final class Evaluator {
    let report: Report
    let layout: Template?
    let templates: TemplateSet
    let messages: MessageCatalog
    var bindings: [String: String] = [:]
    var touched: [TouchedCell] = []
    var touchedMeta: [ReportField] = []

    /// Empties `touched` and `touchedMeta`, keeping their room. Most often they are empty already: asked first,
    /// as emptying an array goes through the generic code that replaces a range even when there is nothing in it.
    @inline(__always) func clearTouched() {
        clearTouchedCells()
        if !touchedMeta.isEmpty { touchedMeta.removeAll(keepingCapacity: true) }
    }

    /// Empties `touched` (only), as `clearTouched`.
    @inline(__always) func clearTouchedCells() {
        if !touched.isEmpty { touched.removeAll(keepingCapacity: true) }
    }

    /// Takes `touched` back to its first `count` cells (a reading that gave nothing is undone).
    @inline(__always) func truncateTouched(to count: Int) {
        if touched.count > count { touched.removeSubrange(count...) }
    }
    /// Why the last rule run could not be evaluated (kept for root-cause keys, see RootCauses.swift).
    var lastUnevaluated: [CatalogMessage] = []
    /// The root-cause keys of the reasons for not evaluating met so far in this report, each with the reason's
    /// fingerprint (`RootCauses.knownCauseKey`).
    var causeKeys: [(print: Int, reason: CatalogMessage, key: String?)] = []

    /// The sum rules of the set, to tell a blank total what it should hold.
    let sums: [SumKind]
    /// The whole rule set (the repair kind reads the arithmetic rules of a table).
    var ruleSet: RuleSet?
    /// Findings of `repair` rules (rule id, message) with the failing sums they explain, as "rule|cell" keys: the
    /// engine folds those findings under the repair finding.
    var folds: [Fold] = []
    /// Tables whose own sums fail, computed on first use: prose is not compared with a table that does not add up
    /// (the arithmetic finding is the root cause).
    lazy var inconsistentTables: Set<String> = RepairKind.inconsistentTables(self)
    /// Each table's constraints as the rule set states them, read once per report (repair and prose rules share them).
    lazy var tableConstraints: [RepairKind.TableConstraints?] = Array(filledWith: nil, count: compiled?.tables.count ?? 0)
    /// Whether a constraint of each table fails as filed (`RepairKind.anyViolated`), by table index, found on first use.
    lazy var tableFails: [Bool?] = Array(filledWith: nil, count: compiled?.tables.count ?? 0)
    /// Tables whose constraints all hold are passed over by the repair rule before its constraints are built
    /// (`RepairKind.anyViolated`); off only in the tests that compare the two.
    var repairScreen = true
    /// The repair constraints of each table planned once per rule set (`RepairKind.planConstraints`), shared by the
    /// engine's reports; nil (then they are read through the rules each time) for an evaluator made without an engine.
    var constraintPlans: SharedCache<RepairKind.ConstraintPlanKey, [RepairKind.PlannedConstraint]>?
    /// Assertions' whole-number comparisons with their cells resolved once per rule set (`IntegerComparisonPlan`),
    /// shared by the engine's reports; nil (then every comparison resolves its paths) for an evaluator made
    /// without an engine.
    var comparisonPlans: SharedCache<IntegerComparisonPlan.Key, IntegerComparisonPlan?>?
    /// The lines of each sum read so far, by `SumPlan.id`.
    var sumLines: [Int: [Result<SumKind.Line, Error>]] = [:]
    /// The report's fields as messages show them (`ReportField.text`) and `next_year`: the placeholder values every
    /// finding of the report has, built once.
    lazy var reportVars: [String: String] = {
        // Room for every field, the next year, and what `bindingVars` adds to its copy (the title and a binding or
        // two): grown from nothing, the dictionary was made again four times.
        var vars: [String: String] = [:]
        vars.reserveCapacity(ReportField.allCases.count + 4)
        let m = report.metadata
        for f in ReportField.allCases where f != .title { vars[f.rawValue] = f.text(m, messages) }
        if let y = m.year { let (n, overflow) = y.addingReportingOverflow(1); if !overflow { vars["next_year"] = String(n) } }
        return vars
    }()
    /// Comparisons of whole numbers in `Int64` (`integerComparison`); off only in the tests that compare it with
    /// the `Decimal` evaluation.
    var integerShortcut = true
    /// Assertions' equations read by the repair kind from plans made once per layout (`RepairKind.plannedEquation`);
    /// off only in the tests that compare them with `RepairKind.linear`.
    var equationPlans = true
    /// Prose analyses built once per report and shared by every rule (see `ProseCache`).
    lazy var prose = ProseCache(report: report)

    /// Last year's report, read by `previous.` paths (nil when none was given).
    let previous: Evaluator?

    /// The layout compiled once per rule set (nil when no template is known).
    let compiled: CompiledLayout?

    init(
        report: Report, layout: CompiledLayout?, templates: TemplateSet, messages: MessageCatalog, sums: [SumKind] = [],
        previous: Evaluator? = nil
    ) {
        self.previous = previous
        self.report = report
        self.compiled = layout
        self.layout = layout?.template
        self.tableCells = Array(filledWith: nil, count: layout?.tables.count ?? 0)
        self.cellSummaries = Array(filledWith: nil, count: layout?.tables.count ?? 0)
        self.templates = templates
        self.messages = messages
        self.sums = sums
    }

    private var expected: [String: Decimal]?

    /// Blank total cells whose parts are filled, by cell key, with the sum they should hold; computed once.
    func expectedTotals() -> [String: Decimal] {
        if let expected { return expected }
        var out: [String: Decimal] = [:]
        let saved = touched
        for s in sums { s.expectedTotals(self, into: &out) }
        touched = saved
        expected = out
        return out
    }

    static func displayLabel(_ r: RowSpec) -> String { r.variants.first ?? r.label }

    func partTitle(_ key: String) -> String { templates.profile.parts.first { $0.key == key }?.title ?? key }

    func text(_ v: Value) -> String { v.text(messages) }

    // MARK: paths

    func keys(of segs: [Expr.PathSegment]) throws -> [String] {
        try segs.map { seg in
            switch seg {
            case .name(let n): return n
            case .variable(let v):
                guard let b = bindings[v] else { throw NotEvaluated("engine.not_evaluated.unbound_variable", ["name": "$" + v]) }
                return b
            case .index(let e):
                let v = try eval(e)
                if case .str(let s) = v { return s }
                return text(v)
            }
        }
    }

    /// Resolves `table.row.column` against the layout and the report, reading the cell.
    func cell(_ keys: [String]) throws -> TouchedCell {
        let tableKey = keys[0]
        guard let compiled else { throw NotEvaluated("engine.not_evaluated.no_layout") }
        guard let table = compiled.table(tableKey) else {
            throw NotEvaluated("engine.not_evaluated.template_lacks_table", ["template": compiled.template.id, "table": tableKey])
        }
        guard let (r, c) = table.resolve(keys.dropFirst()) else {
            let sep = messages.text("separator.list")
            throw NotEvaluated(
                "engine.not_evaluated.no_such_cell",
                [
                    "table": table.title, "cell": keys.dropFirst().joined(separator: "."),
                    "rows": table.rowKeys.joined(separator: sep),
                    "columns": table.columnKeys.joined(separator: sep),
                ])
        }
        return try cell(cells(table.index), row: r, column: c)
    }

    /// What each table's cells hold for the `cells` rules, by table index, made on first use.
    var cellSummaries: [CellsKind.Summary?]

    /// The report's cells of each template table, by table index, built on first use.
    private var tableCells: [TableCells?]

    /// The report's cells of the layout's table at `index`.
    func cells(_ index: Int) -> TableCells {
        if let t = tableCells[index] { return t }
        let t = TableCells(compiled!.tables[index], report: report)
        tableCells[index] = t
        return t
    }

    /// Reads one cell whose table, row and column indices are already known.
    func cell(_ cells: TableCells, row: Int, column: Int) throws -> TouchedCell {
        let t = TouchedCell(cells: cells, row: row, column: column)
        // A cell that is present says so by its state; only an absent one needs to know why.
        guard cells.state(t.index) != .missing else { throw missing(cells, row: row, column: column) }
        touched.append(t)
        return t
    }

    /// `cell(cells, row:, column:)` without adding the cell to `touched`, for readers that never look at `touched`
    /// (a sum's lines, which every reader takes from the report's cache of lines).
    func presentCell(_ cells: TableCells, row: Int, column: Int) throws -> TouchedCell {
        let t = TouchedCell(cells: cells, row: row, column: column)
        guard cells.state(t.index) != .missing else { throw missing(cells, row: row, column: column) }
        return t
    }

    /// Why a cell is absent: its table, its row, or the cell itself.
    func missing(_ cells: TableCells, row: Int, column: Int) -> NotEvaluated {
        guard cells.found else { return NotEvaluated("engine.not_evaluated.table_missing", ["table": cells.table.title]) }
        guard cells.rowFound(row) else {
            return NotEvaluated("engine.not_evaluated.row_missing", ["table": cells.table.title, "row": cells.table.rowLabels[row]])
        }
        return NotEvaluated(
            "engine.not_evaluated.cell_missing",
            ["table": cells.table.title, "row": cells.table.rowLabels[row], "col": cells.table.columnLabels[column]])
    }

    /// Why a cell's content cannot be used as a number.
    func notNumber(_ t: TouchedCell, withLine: Bool) -> CatalogMessage {
        let cell = t.cell
        var v = ["table": t.tableTitle, "row": t.rowLabel, "col": t.columnLabel, "raw": cell.raw]
        if withLine, let l = cell.location?.line {
            v["line"] = String(l)
            return CatalogMessage("engine.not_evaluated.not_number_at_line", v)
        }
        return CatalogMessage("engine.not_evaluated.not_number", v)
    }

    // MARK: evaluation

    func eval(_ e: Expr) throws -> Value {
        switch e {
        case .number(let d): return .num(d)
        case .string(let s): return .str(s)
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .path(let segs):
            if let rest = Expr.previousPath(segs) {
                guard let previous else { throw NotEvaluated("engine.not_evaluated.no_previous") }
                // Loop variables and indexes are this year's; the cell is read from last year's report.
                let keys = try keys(of: rest)
                previous.bindings = bindings
                // Last year's report laid out on another template, or lacking the table: the rule does not apply.
                do { return try previous.eval(.path(keys.map { .name($0) })) } catch is NotEvaluated { throw NotEvaluated(reasons: []) }
            }
            if segs.count == 1, case .variable(let v) = segs[0] {
                guard let b = bindings[v] else { throw NotEvaluated("engine.not_evaluated.unbound_variable", ["name": "$" + v]) }
                if v == "it", let n = OGIModel.ExactDecimal.parse(b) { return .num(n) }
                return .str(b)
            }
            if segs.count == 1, case .name(let n) = segs[0], let f = ReportField.named(n) {
                touchedMeta.append(f)
                return f.value(report.metadata)
            }
            let t = try cell(try keys(of: segs))
            guard let v = t.value else { throw NotEvaluated(reasons: [notNumber(t, withLine: true)]) }
            return .num(v)
        case .unary(let op, let a):
            let v = try eval(a)
            switch (op, v) {
            case ("not", .bool(let b)): return .bool(!b)
            case ("-", .num(let d)): return .num(-d)
            default: throw nullOrType(v, a, "'\(op)'")
            }
        case .binary(let op, let a, let b):
            return try binary(op, a, b, tolerance: ExactDecimal.zero)
        case .call(let f, let args):
            return try call(f, args)
        }
    }

    /// For a null operand, the reason it is null; otherwise a type error.
    func nullOrType(_ v: Value, _ e: Expr, _ what: String) -> NotEvaluated {
        if case .null = v {
            if case .path(let segs) = e, segs.count == 1, case .name(let n) = segs[0], let f = ReportField(rawValue: n) {
                return NotEvaluated("engine.not_evaluated.field_missing", ["field": messages.text("field.\(f.rawValue)")])
            }
            return NotEvaluated("engine.not_evaluated.no_value", ["expr": "\(e)"])
        }
        return NotEvaluated("engine.not_evaluated.wrong_type", ["expr": "\(e)", "value": text(v), "operation": what])
    }

    func truth(_ e: Expr) throws -> Bool {
        let v = try eval(e)
        guard case .bool(let b) = v else { throw nullOrType(v, e, messages.text("engine.operation.condition")) }
        return b
    }

    /// `integerTried`: the caller already tried the `Int64` comparison (a planned one) and it gave no answer.
    func binary(_ op: String, _ a: Expr, _ b: Expr, tolerance: Decimal, integerTried: Bool = false) throws -> Value {
        switch op {
        case "and": return .bool(try truth(a) && truth(b))
        case "or": return .bool(try truth(a) || truth(b))
        default: break
        }
        if !integerTried, let r = try integerComparison(op, a, b, tolerance: tolerance) { return .bool(r) }
        let x = try eval(a), y = try eval(b)
        // The whole expression, for a reason it could not be computed: built only then.
        var whole: Expr { Expr.binary(op, a, b) }
        if op == "==" || op == "!=" {
            var eq: Bool
            switch (x, y) {
            case (.null, .null): eq = true
            case (.null, _) where isNullLiteral(b) == false && isNullLiteral(a) == false: throw nullOrType(x, a, op)
            case (_, .null) where isNullLiteral(a) == false && isNullLiteral(b) == false: throw nullOrType(y, b, op)
            case (.null, _), (_, .null): eq = false
            case let (.num(p), .num(q)): eq = try Exact.within(p, q, tolerance, whole)
            case let (.str(p), .str(q)): eq = p == q
            case let (.date(p), .date(q)): eq = p == q
            case let (.bool(p), .bool(q)): eq = p == q
            default: throw NotEvaluated("engine.not_evaluated.incomparable", ["lhs": "\(a)", "rhs": "\(b)"])
            }
            return .bool(op == "==" ? eq : !eq)
        }
        switch (x, y) {
        case (.null, _): throw nullOrType(x, a, op)
        case (_, .null): throw nullOrType(y, b, op)
        case let (.num(p), .num(q)):
            try Exact.check(p, whole); try Exact.check(q, whole)
            switch op {
            case "+": return .num(try Exact.add(p, q, whole))
            case "-": return .num(try Exact.add(p, -q, whole))
            case "*": return .num(try Exact.multiply(p, q, whole))
            case "/":
                guard q != 0 else { throw NotEvaluated("engine.not_evaluated.division_by_zero", ["expr": "\(b)"]) }
                return .num(try Exact.divide(p, q, whole))
            case "<": return .bool(p < (try Exact.add(q, -tolerance, whole)))
            case "<=": return .bool(p <= (try Exact.add(q, tolerance, whole)))
            case ">": return .bool(p > (try Exact.add(q, tolerance, whole)))
            case ">=": return .bool(p >= (try Exact.add(q, -tolerance, whole)))
            default: break
            }
        case let (.date(p), .date(q)):
            switch op {
            case "<": return .bool(p < q)
            case "<=": return .bool(p <= q)
            case ">": return .bool(p > q)
            case ">=": return .bool(p >= q)
            default: break
            }
        default: break
        }
        throw NotEvaluated("engine.not_evaluated.cannot_compute", ["lhs": "\(a)", "op": op, "rhs": "\(b)"])
    }

    // MARK: whole numbers

    /// `binary(op, a, b, tolerance: 0)` for a comparison whose sides are whole numbers (`integer`), compared in
    /// `Int64`; nil when it is not such a comparison, and then `touched` is as it was before the call. Whole numbers
    /// below 2^63 compare, add and subtract exactly in `Decimal` too (38 digits), so the answer is the same.
    func integerComparison(_ op: String, _ a: Expr, _ b: Expr, tolerance: Decimal) throws -> Bool? {
        switch op {
        case "==", "!=", "<", "<=", ">", ">=": break
        default: return nil
        }
        guard integerShortcut, tolerance.isZero else { return nil }
        let mark = touched.count
        if let x = try integer(a), let y = try integer(b) {
            return Self.compare(op, x, y)
        }
        truncateTouched(to: mark)
        return nil
    }

    /// `eval(e)` as an `Int64` for the shapes table arithmetic is written in: a whole-number literal, a cell path
    /// (names, `$variable` and `[$variable]` segments) whose cell is a plain whole number (`TableCells.int(_:)`, equal
    /// to its value), unary `-`, `+`, `-` and `sum(…)` of those. Nil when `e` has another shape, a cell holds no
    /// plain whole number or a result overflows: the caller then rolls `touched` back and evaluates with `Decimal`.
    /// Cells are read in `eval`'s order, so a missing cell or an unbound variable throws what `eval` throws, after
    /// the same cells were touched.
    func integer(_ e: Expr) throws -> Int64? {
        switch e {
        case .number(let d): return Self.literalInteger(d)
        case .path(let segs):
            // One segment is a variable or a report field; `previous.` reads last year's report: `eval` decides.
            guard segs.count > 1, Expr.previousPath(segs) == nil else { return nil }
            var keys: [String] = []
            keys.reserveCapacity(segs.count)
            for seg in segs {
                switch seg {
                case .name(let n): keys.append(n)
                case .variable(let v): keys.append(try binding(v))
                case .index(.path(let inner)):
                    // `[$col]`: the variable's text, as `keys(of:)` reads it (`$it` may be read as a number: `eval`).
                    guard inner.count == 1, case .variable(let v) = inner[0], v != "it" else { return nil }
                    keys.append(try binding(v))
                default: return nil
                }
            }
            return try cell(keys).int
        case .unary("-", let a):
            guard let v = try integer(a), v != .min else { return nil }
            return -v
        case .binary(let op, let a, let b) where op == "+" || op == "-":
            guard let x = try integer(a), let y = try integer(b) else { return nil }
            let (r, overflow) = op == "+" ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
            return overflow ? nil : r
        case .call("sum", let args):
            var total: Int64 = 0
            for a in args {
                guard let v = try integer(a) else { return nil }
                let (r, overflow) = total.addingReportingOverflow(v)
                if overflow { return nil }
                total = r
            }
            return total
        default: return nil
        }
    }

    /// `x op y` for a comparison operator already known to be one of `== != < <= > >=` (`>=` for the last).
    static func compare(_ op: String, _ x: Int64, _ y: Int64) -> Bool {
        switch op {
        case "==": x == y
        case "!=": x != y
        case "<": x < y
        case "<=": x <= y
        case ">": x > y
        default: x >= y
        }
    }

    /// `integerComparison(op, a, b, tolerance: 0)` from the comparison's plan: the same cells read in the same
    /// order (a missing one throws what `cell` throws), nil (and `touched` as before) when a cell holds no plain
    /// whole number or a sum overflows.
    func integerComparison(_ op: String, _ plan: IntegerComparisonPlan) throws -> Bool? {
        let mark = touched.count
        if let x = try plannedInteger(plan.lhs), let y = try plannedInteger(plan.rhs) {
            return Self.compare(op, x, y)
        }
        truncateTouched(to: mark)
        return nil
    }

    /// The signed sum of a plan's terms, reading its cells in order; nil at the first cell without a plain whole
    /// number or on overflow.
    func plannedInteger(_ terms: [IntegerComparisonPlan.Term]) throws -> Int64? {
        var total: Int64 = 0
        for t in terms {
            var v = t.literal
            if t.table >= 0 {
                guard let n = try cell(cells(t.table), row: t.row, column: t.column).int else { return nil }
                v = t.negated ? -n : n
            }
            let (r, overflow) = total.addingReportingOverflow(v)
            if overflow { return nil }
            total = r
        }
        return total
    }

    /// A bound variable's text, or the error `keys(of:)` and `eval` raise for an unbound one.
    func binding(_ v: String) throws -> String {
        guard let b = bindings[v] else { throw NotEvaluated("engine.not_evaluated.unbound_variable", ["name": "$" + v]) }
        return b
    }

    /// A literal as an `Int64` when it is a whole number below 10^15 (nil otherwise: `eval` reads it).
    static func literalInteger(_ d: Decimal) -> Int64? {
        if d.isZero { return 0 }
        guard !d.isNaN, d.magnitude < Exact.smallBound else { return nil }
        let n = NSDecimalNumber(decimal: d).int64Value
        return Decimal(n) == d ? n : nil
    }

    func isNullLiteral(_ e: Expr) -> Bool { if case .null = e { return true }; return false }

    func numbers(_ args: [Expr], _ f: String) throws -> [Decimal] {
        var out: [Decimal] = []
        out.reserveCapacity(args.count)
        for a in args {
            switch try eval(a) {
            case .num(let d): out.append(d)
            case .list(let l):
                for v in l {
                    guard case .num(let d) = v else { throw NotEvaluated("engine.not_evaluated.needs_numbers", ["function": f]) };
                    out.append(d)
                }
            case let v: throw nullOrType(v, a, f)
            }
        }
        return out
    }

    func string(_ a: Expr, _ f: String) throws -> String {
        let v = try eval(a)
        guard case .str(let s) = v else { throw nullOrType(v, a, f) }
        return s
    }

    /// A whole number argument (digits for `round`), within a small range.
    func smallInt(_ d: Decimal, _ f: String) throws -> Int {
        guard ExactDecimal.isInteger(d), d >= -38, d <= 38 else {
            throw NotEvaluated("engine.not_evaluated.needs_numbers", ["function": f])
        }
        return NSDecimalNumber(decimal: d).intValue
    }

    func call(_ f: String, _ args: [Expr]) throws -> Value {
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else { throw NotEvaluated("engine.not_evaluated.arity", ["function": f]) }
        }
        var whole: Expr { Expr.call(f, args) }
        switch f {
        case "sum": return .num(try numbers(args, f).reduce(Decimal(0)) { try Exact.add($0, $1, whole) })
        case "abs": try arity(1...1); return .num(abs(try numbers(args, f)[0]))
        case "min": let n = try numbers(args, f); guard let m = n.min() else { return .null }; return .num(m)
        case "max": let n = try numbers(args, f); guard let m = n.max() else { return .null }; return .num(m)
        case "round", "floor", "ceil":
            try arity(f == "round" ? 1...2 : 1...1)
            let n = try numbers(args, f)
            let places = n.count > 1 ? try smallInt(n[1], f) : 0
            var v = n[0], r = Decimal()
            NSDecimalRound(&r, &v, places, f == "floor" ? .down : f == "ceil" ? .up : .plain)
            return .num(r)
        case "mod":
            try arity(2...2)
            let n = try numbers(args, f)
            guard n[1] != 0 else { throw NotEvaluated("engine.not_evaluated.division_by_zero", ["expr": "\(args[1])"]) }
            var q = try Exact.divide(n[0], n[1], whole, exact: false), t = Decimal()
            NSDecimalRound(&t, &q, 0, .down)
            return .num(try Exact.add(n[0], -(try Exact.multiply(t, n[1], whole)), whole))
        case "decimals":
            try arity(1...1)
            clearTouchedCells()
            let v = try eval(args[0])
            if case .path = args[0], let t = touched.last { return .num(Decimal(Self.decimalPlaces(written: t.cell.raw))) }
            guard case .num(let d) = v else { throw nullOrType(v, args[0], f) }
            return .num(Decimal(Self.decimalPlaces(written: ExactDecimal.format(d))))
        case "len":
            try arity(1...1)
            switch try eval(args[0]) {
            case .list(let l): return .num(Decimal(l.count))
            case .str(let s): return .num(Decimal(s.count))
            case let v: throw nullOrType(v, args[0], f)
            }
        case "matches":
            try arity(2...2)
            let text = try string(args[0], f)
            let pattern = try string(args[1], f)
            guard (text as NSString).length <= BoundedRegex.maxTextLength else {
                throw NotEvaluated("engine.not_evaluated.text_too_long", ["function": f, "limit": String(BoundedRegex.maxTextLength)])
            }
            guard let rx = try? RegexCache.shared.compile(pattern) else {
                throw NotEvaluated("engine.not_evaluated.needs_text", ["function": f])
            }
            do { return .bool(try BoundedRegex.firstMatch(rx, in: text) != nil) } catch {
                throw NotEvaluated(reasons: [error.reason(pattern: pattern)])
            }
        case "date":
            try arity(3...3)
            let n = try numbers(args, f)
            // Each argument a whole number within ±9,999, read from its stored fields where they give it (most
            // dates: three small whole numbers), else through Foundation as before.
            let i = try n.map { v -> Int in
                if let w = ExactDecimal.integerFromStoredFields(v), w >= -9_999, w <= 9_999 { return Int(w) }
                guard ExactDecimal.isInteger(v) && v >= -9_999 && v <= 9_999 else {
                    throw NotEvaluated(
                        "engine.not_evaluated.invalid_date", ["args": n.map { ExactDecimal.format($0) }.joined(separator: ", ")])
                }
                return NSDecimalNumber(decimal: v).intValue
            }
            let d = CalendarDate(year: i[0], month: i[1], day: i[2])
            guard d.isValid else {
                throw NotEvaluated("engine.not_evaluated.invalid_date", ["args": n.map { ExactDecimal.format($0) }.joined(separator: ", ")])
            }
            return .date(d)
        case "contains":
            try arity(2...100)
            let t = try eval(args[0])
            guard case .str(let text) = t else { throw nullOrType(t, args[0], f) }
            let plain = TextSearch.isPlain(text)  // found once for all the words
            for a in args.dropFirst() {
                guard case .str(let w) = try eval(a) else { throw NotEvaluated("engine.not_evaluated.keyword_not_text", ["function": f]) }
                if TextSearch.contains(text, w, haystackIsPlain: plain) { return .bool(true) }
            }
            return .bool(false)
        case "part_text", "has_part":
            try arity(1...1)
            guard case .str(let key) = try eval(args[0]) else {
                throw NotEvaluated("engine.not_evaluated.part_key_needed", ["function": f])
            }
            guard templates.profile.parts.contains(where: { $0.key == key }) else {
                throw NotEvaluated("engine.not_evaluated.unknown_part_key", ["key": key])
            }
            let p = report.part(key)
            if f == "has_part" { return .bool(p != nil) }
            guard let p else { throw NotEvaluated("engine.not_evaluated.part_missing", ["part": partTitle(key)]) }
            return .str(([p.heading] + p.paragraphs.map(\.text)).joined(separator: "\n"))
        case "all", "any":
            try arity(2...2)
            let l = try eval(args[0])
            guard case .list(let items) = l else { throw nullOrType(l, args[0], f) }
            let saved = bindings["it"]
            defer { bindings["it"] = saved }
            for item in items {
                bindings["it"] = text(item)
                let r = try truth(args[1])
                if f == "all" && !r { return .bool(false) }
                if f == "any" && r { return .bool(true) }
            }
            return .bool(f == "all")
        default:
            throw NotEvaluated("engine.not_evaluated.unknown_function", ["function": f])
        }
    }

    /// Digits after the decimal point as written (`12.50` → 2; `１２．５` → 1; `12` → 0).
    static func decimalPlaces(written raw: String) -> Int {
        var places = 0, afterPoint = false
        for s in raw.unicodeScalars {
            if s == "." || s == "．" { afterPoint = true; places = 0; continue }
            let digit = ("0"..."9").contains(s) || (0xFF10...0xFF19).contains(s.value)
            if afterPoint { if digit { places += 1 } else { break } }
        }
        return places
    }
}

/// A comparison both of whose sides have the shapes `Evaluator.integer` reads (literals, cell paths, unary `-`, `+`,
/// `-`, `sum`), flattened into signed terms with every cell path resolved to its table and cell: made once per
/// rule set, layout and bindings, so a report reads the cells without building or looking up keys.
struct IntegerComparisonPlan: Sendable {
    /// A literal (`table` −1) or a cell, negated when under an odd number of minus signs.
    struct Term: Sendable, Equatable {
        var table = -1, row = 0, column = 0
        var negated = false
        var literal: Int64 = 0
    }

    /// Which comparison: the layout, the rule's index in its set, the node's position in the assertion (heap
    /// numbering of the `and`/`or` tree) and the bindings its paths read.
    struct Key: Hashable, Sendable {
        var layout: ObjectIdentifier
        var rule: Int
        var node: Int
        var bindings: [String: String]

        func hash(into hasher: inout Hasher) {
            hasher.combine(layout)
            hasher.combine(rule)
            hasher.combine(node)
            hashBindings(bindings, into: &hasher)
        }
    }

    var lhs: [Term]
    var rhs: [Term]

    /// The plan of `a op b` under `ev`'s bindings; nil when a side has another shape, a literal is no small whole
    /// number, a variable is unbound or a path names no cell of the layout (the evaluator then decides as always).
    static func make(_ a: Expr, _ b: Expr, _ ev: Evaluator) -> IntegerComparisonPlan? {
        guard let compiled = ev.compiled else { return nil }
        var lhs: [Term] = [], rhs: [Term] = []
        guard terms(a, negated: false, ev, compiled, into: &lhs), terms(b, negated: false, ev, compiled, into: &rhs) else { return nil }
        return IntegerComparisonPlan(lhs: lhs, rhs: rhs)
    }

    /// Appends `e`'s terms in `Evaluator.integer`'s reading order; false when `e` cannot be planned.
    static func terms(_ e: Expr, negated: Bool, _ ev: Evaluator, _ compiled: CompiledLayout, into out: inout [Term]) -> Bool {
        switch e {
        case .number(let d):
            guard let n = Evaluator.literalInteger(d) else { return false }
            out.append(Term(literal: negated ? -n : n))
            return true
        case .path(let segs):
            guard segs.count > 1, Expr.previousPath(segs) == nil else { return false }
            var keys: [String] = []
            for seg in segs {
                switch seg {
                case .name(let n): keys.append(n)
                case .variable(let v):
                    guard let b = ev.bindings[v] else { return false }
                    keys.append(b)
                case .index(.path(let inner)):
                    guard inner.count == 1, case .variable(let v) = inner[0], v != "it", let b = ev.bindings[v] else { return false }
                    keys.append(b)
                default: return false
                }
            }
            guard let table = compiled.table(keys[0]), let (r, c) = table.resolve(keys.dropFirst()) else { return false }
            out.append(Term(table: table.index, row: r, column: c, negated: negated))
            return true
        case .unary("-", let a):
            return terms(a, negated: !negated, ev, compiled, into: &out)
        case .binary(let op, let a, let b) where op == "+" || op == "-":
            return terms(a, negated: negated, ev, compiled, into: &out)
                && terms(b, negated: op == "-" ? !negated : negated, ev, compiled, into: &out)
        case .call("sum", let args):
            for a in args where !terms(a, negated: negated, ev, compiled, into: &out) { return false }
            return true
        default: return false
        }
    }
}

/// Exact decimal arithmetic for rules: an overflow, a NaN or a result that cannot be represented exactly makes the
/// rule "not evaluated" instead of giving a rounded answer (a rounded total could hide an error of one).
enum Exact {
    /// Significant digits a `Decimal` holds exactly.
    static let digits = 38

    static func check(_ d: Decimal, _ e: @autoclosure () -> Expr) throws {
        if d.isNaN { throw NotEvaluated("engine.not_evaluated.overflow", ["expr": "\(e())"]) }
    }

    /// Significant digits of the mantissa and the exponent of the last one.
    static func shape(_ d: Decimal) -> (count: Int, exponent: Int) { ExactDecimal.shape(d) }

    /// Whole numbers below 10^15 written without a negative exponent: any two of them add exactly (at most 16
    /// digits), so `add` need not measure their digits.
    static let smallLimit: Int64 = 1_000_000_000_000_000
    static let smallBound = Decimal(smallLimit)
    static func isSmallInteger(_ d: Decimal) -> Bool { d.exponent >= 0 && d.magnitude < smallBound }

    static func add(_ a: Decimal, _ b: Decimal, _ e: @autoclosure () -> Expr) throws -> Decimal {
        try check(a, e()); try check(b, e())
        // A zero gives the other side back as it is (its exponent too), before any other reading.
        if a.isZero { return b }
        if b.isZero { return a }
        // Two whole numbers below 10^15 read from their stored fields add exactly in `Int64` (what `NSDecimalAdd`
        // gives them: `ExactWholeNumberTests` compares the stored fields of both sums).
        if let x = smallWholeNumber(a), let y = smallWholeNumber(b) { return Decimal(x + y) }
        if !(isSmallInteger(a) && isSmallInteger(b)) {
            let sa = shape(a), sb = shape(b)
            let top = max(sa.exponent + sa.count, sb.exponent + sb.count) + 1
            let bottom = min(sa.exponent, sb.exponent)
            guard top - bottom <= digits else { throw NotEvaluated("engine.not_evaluated.not_exact", ["expr": "\(e())"]) }
        }
        var x = a, y = b, r = Decimal()
        let err = NSDecimalAdd(&r, &x, &y, .plain)
        guard err == .noError, !r.isNaN else { throw NotEvaluated("engine.not_evaluated.overflow", ["expr": "\(e())"]) }
        return r
    }

    static func multiply(_ a: Decimal, _ b: Decimal, _ e: @autoclosure () -> Expr) throws -> Decimal {
        try check(a, e()); try check(b, e())
        if a == 0 || b == 0 { return 0 }
        guard shape(a).count + shape(b).count <= digits else { throw NotEvaluated("engine.not_evaluated.not_exact", ["expr": "\(e())"]) }
        // Foundation's multiplication stops the process (an illegal instruction, not an error) when the product's
        // exponent falls below -128, e.g. two cells written with 70 decimal places: such a product is not evaluated.
        guard a.exponent + b.exponent >= -128 else { throw NotEvaluated("engine.not_evaluated.not_exact", ["expr": "\(e())"]) }
        var x = a, y = b, r = Decimal()
        let err = NSDecimalMultiply(&r, &x, &y, .plain)
        guard err == .noError, !r.isNaN else { throw NotEvaluated("engine.not_evaluated.overflow", ["expr": "\(e())"]) }
        return r
    }

    /// `a / b`; when `exact`, a quotient that does not terminate within 38 digits (1 / 3) is not evaluated.
    static func divide(_ a: Decimal, _ b: Decimal, _ e: @autoclosure () -> Expr, exact: Bool = true) throws -> Decimal {
        try check(a, e()); try check(b, e())
        var x = a, y = b, r = Decimal()
        let err = NSDecimalDivide(&r, &x, &y, .plain)
        guard err == .noError, !r.isNaN else { throw NotEvaluated("engine.not_evaluated.overflow", ["expr": "\(e())"]) }
        if exact {
            // Exact when multiplying back gives the dividend (1 / 3 does not).
            var p = Decimal(), rr = r
            let back = NSDecimalMultiply(&p, &rr, &y, .plain)
            if back != .noError || p != a { throw NotEvaluated("engine.not_evaluated.not_exact", ["expr": "\(e())"]) }
        }
        return r
    }

    /// |a − b| ≤ tolerance, never true for NaN or an overflowing difference.
    static func within(_ a: Decimal, _ b: Decimal, _ tolerance: Decimal, _ e: @autoclosure () -> Expr) throws -> Bool {
        // Whole numbers below 10^15 (and a whole tolerance) compared in `Int64`: their difference is exact either way.
        if let x = smallWholeNumber(a), let y = smallWholeNumber(b), let t = smallWholeNumber(tolerance) {
            return abs(x - y) <= t
        }
        return abs(try add(a, -b, e())) <= tolerance
    }

    /// `d` as an `Int64` when its stored fields show a whole number below 10^15 in magnitude (`smallLimit`, the
    /// bound of `isSmallInteger`; `ExactDecimal.integerFromStoredFields`); nil otherwise (the caller then computes
    /// in `Decimal`).
    static func smallWholeNumber(_ d: Decimal) -> Int64? {
        guard let n = ExactDecimal.integerFromStoredFields(d), n > -smallLimit, n < smallLimit else { return nil }
        return n
    }
}
