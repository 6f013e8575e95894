import Foundation
import OGIModel

/// `assert: EXPRESSION` — a general assertion over cells and report fields, optionally for each column, row or value.
public struct AssertKind: RuleKind {
    public static let name = "assert"
    public static let keys = ["assert", "for_each", "tolerance", "at"]

    public var expression: Expr
    public var forEach: Iteration?
    public var tolerance: Decimal
    /// The cell the finding points at, when not the failing comparison's first cell.
    public var at: Expr?

    public static func parse(_ f: RuleFields) throws -> AssertKind {
        let node = try f.required("assert")
        let e = try f.expression(node)
        let type = f.validate ? ExpressionTypes(templates: f.templates).type(of: e) : .boolean
        if type != .boolean && type != .unknown {
            throw node.fail("'assert' must be a condition that is true or false; this expression is a \(type.rawValue)")
        }
        return AssertKind(expression: e, forEach: f.iteration, tolerance: try f.tolerance(), at: try f["at"].map(f.expression))
    }

    public var placeholders: Set<String> { ["lhs", "rhs", "lhs_terms", "rhs_terms", "diff"] }

    public var references: RuleReferences {
        RuleReferences.of([expression] + (at.map { [$0] } ?? []), tables: forEach?.table.map { [$0] } ?? [])
    }

    public func describe(code: (String) -> String) -> [(String, String)] {
        var out = [("checks", code("\(expression)"))]
        if let f = forEach { out.append(("for each", f.summary)) }
        if tolerance != 0 { out.append(("tolerance", ExactDecimal.format(tolerance))) }
        return out
    }

    public func evaluate(_ run: RuleRun) {
        run.forEachBinding(forEach) { check(run) }
    }

    /// Whether `op` is one of the six comparisons, asked by a switch (a set of them hashed the operator at every
    /// comparison).
    @inline(__always) static func isComparison(_ op: String) -> Bool {
        switch op {
        case "==", "!=", "<", "<=", ">", ">=": return true
        default: return false
        }
    }

    func check(_ run: RuleRun) {
        let ev = run.ev
        ev.clearTouched()
        do {
            if try truthWithTolerance(expression, ev, run: run, node: 0) { return }
            // Find the comparison that failed, for the numbers in the message.
            let culprit = failing(expression, ev)
            var vars = run.bindingVars()
            var loc: FindingLocation?
            if case let .binary(op, a, b)? = culprit, Self.isComparison(op) {
                ev.clearTouched()
                let lv = try ev.eval(a)
                let lhsCells = ev.touched
                let lhsMeta = ev.touchedMeta
                let rv = try ev.eval(b)
                let rhsCells = Array(ev.touched.dropFirst(lhsCells.count))
                // A blank total whose parts are filled is reported as that blank cell (CELL-BLANK, with the value it
                // should hold), not as an arithmetic error of the filled cells beside it.
                let blankTotals = ev.expectedTotals()
                if (lhsCells + rhsCells).contains(where: { blankTotals[$0.key] != nil }) {
                    return
                }
                // Row labels alone are ambiguous when the terms span several columns.
                let withColumn = Set((lhsCells + rhsCells).map(\.columnKey)).count > 1
                vars["lhs"] = ev.text(lv)
                vars["rhs"] = ev.text(rv)
                vars["lhs_terms"] = terms(a, lhsCells, run, withColumn)
                vars["rhs_terms"] = terms(b, rhsCells, run, withColumn)
                if case let (.num(x), .num(y)) = (lv, rv), let d = try? Exact.add(x, -y, .binary(op, a, b)) {
                    vars["diff"] = ExactDecimal.format(d)
                }
                loc = (rhsCells.first ?? lhsCells.first).map(run.location) ?? run.metaLocation(lhsMeta + ev.touchedMeta)
            }
            if let at {
                ev.clearTouchedCells()
                if (try? ev.eval(at)) != nil, let t = ev.touched.first { loc = run.location(t) }
            }
            if loc == nil { loc = ev.touched.first.map(run.location) ?? run.metaLocation(ev.touchedMeta) ?? FindingLocation() }
            let defaultMessage =
                vars["lhs"] == nil
                ? run.rule.title
                : run.messages.text(vars["diff"] == nil ? "engine.assert.message" : "engine.assert.message_with_diff", vars)
            run.emit(vars: vars, defaultMessage: defaultMessage, location: loc!)
        } catch {
            run.skip(error)
        }
    }

    /// Whether `e` holds, comparisons within `tolerance`. With `run` (and the engine's plans), whole-number
    /// comparisons are read from plans made once per rule set, keyed by `node`: the position of `e` in the
    /// `and`/`or` tree (root 0, children 2n+1 and 2n+2).
    func truthWithTolerance(_ e: Expr, _ ev: Evaluator, run: RuleRun? = nil, node: Int = 0) throws -> Bool {
        if case let .binary(op, a, b) = e, Self.isComparison(op) {
            var integerTried = false
            if let run, let plans = ev.comparisonPlans, let compiled = ev.compiled, ev.integerShortcut, tolerance.isZero {
                let key = IntegerComparisonPlan.Key(layout: ObjectIdentifier(compiled), rule: run.index, node: node, bindings: ev.bindings)
                if let plan = plans.value(key, { _ in IntegerComparisonPlan.make(a, b, ev) }) {
                    if let r = try ev.integerComparison(op, plan) { return r }
                    integerTried = true
                }
            }
            guard case .bool(let r) = try ev.binary(op, a, b, tolerance: tolerance, integerTried: integerTried) else { return false }
            return r
        }
        // Past 2^40 the positions of a deep tree would not stay unique: its deeper comparisons go unplanned.
        let planned = node < 1 << 40 ? run : nil
        if case let .binary("and", a, b) = e {
            return try truthWithTolerance(a, ev, run: planned, node: 2 &* node &+ 1)
                && truthWithTolerance(b, ev, run: planned, node: 2 &* node &+ 2)
        }
        if case let .binary("or", a, b) = e {
            return try truthWithTolerance(a, ev, run: planned, node: 2 &* node &+ 1)
                || truthWithTolerance(b, ev, run: planned, node: 2 &* node &+ 2)
        }
        return try ev.truth(e)
    }

    func failing(_ e: Expr, _ ev: Evaluator) -> Expr? {
        if case let .binary("and", a, b) = e {
            if (try? truthWithTolerance(a, ev)) == false { return failing(a, ev) }
            return failing(b, ev)
        }
        return e
    }

    func terms(_ e: Expr, _ cells: [TouchedCell], _ run: RuleRun, _ withColumn: Bool) -> String {
        if cells.isEmpty {
            if case .call("date", _) = e { return run.messages.text("engine.term.deadline") }
            return e.description
        }
        return cells.map { run.term($0, label: withColumn ? run.rowAndColumn($0) : $0.rowLabel) }.joined(
            separator: " + ")
    }
}
