import Foundation
import OGIModel

/// `kind: sum` — a total equals the sum of its parts, along rows (checked in each column) or columns (in each row).
public struct SumKind: RuleKind {
    public static let name = "sum"
    public static let keys = ["table", "total", "parts", "along", "for_each", "tolerance"]

    /// Parts of a sum are rows (the total is a row; checked in each column) or columns.
    public enum Axis: String, Sendable { case rows, columns }

    public var table: String
    public var total: String
    public var parts: [String]
    public var along: Axis
    public var forEach: Iteration?
    public var tolerance: Decimal

    public static func parse(_ f: RuleFields) throws -> SumKind {
        let tableNode = try f.required("table")
        let table = try tableNode.string("table")
        let specs = f.templates.templates.compactMap { $0.table(table) }
        guard !specs.isEmpty else { throw tableNode.fail(f.parser().unknownTable(table)) }
        let axis = Axis(rawValue: try f.required("along").oneOf(["rows", "columns"], what: "'along' (the parts are rows or columns)"))!
        let totalNode = try f.required("total")
        let total = try totalNode.string("total")
        let partsNode = try f.required("parts")
        let parts = try partsNode.stringList("parts")
        let values: [String] = {
            if case let .values(v, _)? = f.iteration { return v }; return []
        }()
        let variable = f.iteration?.variable
        for (key, node) in [(total, totalNode)] + parts.map({ ($0, partsNode) }) where f.validate {
            // `$g.total` with `for_each: {values: [...], as: g}`: check each value.
            let concrete =
                key.contains("$") && variable != nil ? values.map { key.replacingOccurrences(of: "$" + variable!, with: $0) } : [key]
            let keys = specs.flatMap { axis == .rows ? $0.rows.map(\.key) : $0.columns.map(\.key) }
            for k in concrete where !k.contains("$") && !keys.contains(where: { KeyPattern.matches($0, pattern: k) }) {
                var msg =
                    "'\(k)' matches no \(axis == .rows ? "row" : "column") of table \(table); known: \(Array(Set(keys)).sorted().joined(separator: ", "))"
                if let near = YNode.closest(k, in: Array(Set(keys))) { msg += " (did you mean '\(near)'?)" }
                throw node.fail(msg)
            }
        }
        return SumKind(table: table, total: total, parts: parts, along: axis, forEach: f.iteration, tolerance: try f.tolerance())
    }

    static let provided: Set<String> = ["total", "sum", "diff", "parts_terms", "total_label", "scope", "table", "expected"]
    public var placeholders: Set<String> { Self.provided }
    public var references: RuleReferences { RuleReferences(tables: [table]) }

    public func describe(code: (String) -> String) -> [(String, String)] {
        var out = [("checks", "\(code(table)): \(code(total)) = \(parts.map(code).joined(separator: " + ")) (parts are \(along.rawValue))")]
        if let f = forEach { out.append(("for each", f.summary)) }
        if tolerance != 0 { out.append(("tolerance", ExactDecimal.format(tolerance))) }
        return out
    }

    public func evaluate(_ run: RuleRun) {
        run.forEachBinding(forEach) { check(run) }
    }

    /// One line of the sum: the total cell and the part cells, as the template lays them out.
    struct Line {
        var total: TouchedCell
        var parts: [TouchedCell]
        var reasons: [CatalogMessage]
    }

    /// Each line of the sum in the current bindings, read from the report (nil when the template lacks the table).
    /// Which rows and columns take part is planned once per rule set; a report only reads its cells by index.
    func lines(_ ev: Evaluator) throws -> (CompiledTable, [Result<Line, Error>])? {
        guard let compiled = ev.compiled else { throw NotEvaluated("engine.not_evaluated.no_layout") }
        guard let spec = compiled.table(table) else { return nil }
        let alongRows = along == .rows
        let plan = self.plan(ev, compiled, spec)
        // Along rows: the total and the parts are rows, checked in every column; along columns, the reverse.
        guard let totalIndex = plan.total else { return (spec, []) }
        // The same sum is read by its own rule, the repair rule and blank totals: once per report.
        if let hit = ev.sumLines[plan.id] { return (spec, hit) }
        let cells = ev.cells(spec.index)
        var out: [Result<Line, Error>] = []
        let lineCount = alongRows ? spec.columnCount : spec.rowCount
        out.reserveCapacity(lineCount)
        for line in 0..<lineCount {
            // No reader of a sum's lines looks at `touched` (they come from the report's cache after the first read).
            func ref(_ i: Int) throws -> TouchedCell {
                alongRows ? try ev.presentCell(cells, row: i, column: line) : try ev.presentCell(cells, row: line, column: i)
            }
            do {
                let t = try ref(totalIndex)
                var reasons: [CatalogMessage] = []
                var partCells: [TouchedCell] = []
                partCells.reserveCapacity(plan.parts.count)
                for ps in plan.parts {
                    do { partCells.append(try ref(ps)) } catch let n as NotEvaluated { reasons += n.reasons }
                }
                out.append(.success(Line(total: t, parts: partCells, reasons: reasons)))
            } catch { out.append(.failure(error)) }
        }
        ev.sumLines[plan.id] = out
        return (spec, out)
    }

    /// Which rows and columns the sum reads in the current bindings (`$g.total` spelled out), planned once per rule
    /// set: the same plan for every report.
    func plan(_ ev: Evaluator, _ compiled: CompiledLayout, _ spec: CompiledTable) -> SumPlan {
        let subst: (String) -> String = { key in
            guard FastText.containsByte(key, UInt8(ascii: "$")) else { return key }
            var k = key
            for (v, val) in ev.bindings { k = Self.replacing("$" + v, with: val, in: k) }
            return k
        }
        let alongRows = along == .rows
        let plan: SumPlan
        let dollar = UInt8(ascii: "$")
        if !FastText.containsByte(total, dollar) && !parts.contains(where: { FastText.containsByte($0, dollar) }) {
            plan = compiled.sumPlan(SumPlanKey(table: spec.index, total: total, parts: parts, alongRows: alongRows))
        } else if ev.bindings["it"] == nil {
            // `$g.total` with `g` bound: the spelling after substitution depends only on the spelling and the
            // bindings (loop values of the rule set, never a report's text), so it is made once per rule set.
            let key = BoundSumPlanKey(table: spec.index, total: total, parts: parts, alongRows: alongRows, bindings: ev.bindings)
            plan = compiled.boundSumPlans.value(key) { _ in
                compiled.sumPlan(SumPlanKey(table: spec.index, total: subst(total), parts: parts.map(subst), alongRows: alongRows))
            }
        } else {
            plan = compiled.sumPlan(SumPlanKey(table: spec.index, total: subst(total), parts: parts.map(subst), alongRows: alongRows))
        }
        return plan
    }

    /// `text` with every occurrence of `target` replaced, left to right; ASCII text is replaced byte by byte,
    /// anything else as Foundation's `replacingOccurrences` does.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        let t = Array(target.utf8), s = Array(text.utf8)
        guard !t.isEmpty, s.allSatisfy({ $0 < 0x80 }), t.allSatisfy({ $0 < 0x80 }) else {
            return text.replacingOccurrences(of: target, with: replacement)
        }
        guard s.count >= t.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0, replaced = false
        while i < s.count {
            if i + t.count <= s.count, s[i] == t[0], s[i..<(i + t.count)].elementsEqual(t) {
                out += replacement.utf8
                i += t.count
                replaced = true
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return replaced ? String(decoding: out, as: UTF8.self) : text
    }

    func check(_ run: RuleRun) {
        let ev = run.ev
        ev.clearTouchedCells()
        let read: (CompiledTable, [Result<Line, Error>])?
        do { read = try lines(ev) } catch { run.skip(error); return }
        guard let (spec, lines) = read else { return }
        // Whether a difference of 0 is within the tolerance (it is unless the tolerance is negative).
        var zeroWithin: Bool?
        for result in lines {
            let line: Line
            switch result {
            case .failure(let e): run.skip(e); continue
            case .success(let l): line = l
            }
            let t = line.total
            var reasons = line.reasons
            if t.value == nil { reasons.append(ev.notNumber(t, withLine: false)) }
            for c in line.parts where c.value == nil { reasons.append(ev.notNumber(c, withLine: false)) }
            if !reasons.isEmpty { run.skip(reasons); continue }
            // A blank total with filled parts is reported as a blank cell with the value it should hold, and a filled
            // total with only blank parts as blank cells: neither is an arithmetic error of the filled cells.
            if Self.blankTotalWithFilledParts(line) || (!line.parts.isEmpty && line.parts.allSatisfy { $0.state == .blank }) {
                continue
            }
            let sum: Decimal
            let tv = t.value!
            let diff: Decimal
            if let ti = t.int, let s = Self.plainSum(line.parts) {
                // Whole numbers of at most 15 digits: Int64 gives the exact sum `Decimal` would.
                let d = ti - s
                if d == 0 {
                    if zeroWithin == nil { zeroWithin = Decimal(0) <= tolerance }
                    if zeroWithin! { continue }
                } else if Decimal(d.magnitude) <= tolerance {
                    continue
                }
                sum = Decimal(s)
                diff = Decimal(d)
            } else {
                do {
                    sum = try line.parts.reduce(Decimal(0)) { try Exact.add($0, $1.value!, .path([.name(table)])) }
                    diff = try Exact.add(tv, -sum, .path([.name(table)]))
                } catch { run.skip(error); continue }
                if abs(diff) <= tolerance { continue }
            }
            var vars = run.bindingVars()
            let nonzero = line.parts.filter { $0.value! != 0 }
            let label: (TouchedCell) -> String = { along == .rows ? $0.rowLabel : $0.columnLabel }
            var termText = nonzero.map { run.term($0, label: label($0)) }.joined(separator: " + ")
            if termText.isEmpty {
                let blank = line.parts.allSatisfy { $0.state == .blank || $0.state == .placeholder }
                termText = run.messages.text(blank ? "engine.sum.all_blank" : "engine.sum.all_zero")
            } else if nonzero.count < line.parts.count {
                termText += run.messages.text("engine.sum.rest_zero", ["count": String(line.parts.count - nonzero.count)])
            }
            vars["total"] = ExactDecimal.format(tv)
            vars["sum"] = ExactDecimal.format(sum)
            vars["diff"] = ExactDecimal.format(diff)
            vars["parts_terms"] = termText
            vars["total_label"] = along == .rows ? t.rowLabel : t.columnLabel
            vars["scope"] = along == .rows ? t.columnLabel : t.rowLabel
            vars["table"] = spec.title
            run.emit(vars: vars, defaultKey: "engine.sum.message", location: run.location(t))
        }
    }

    static func blankTotalWithFilledParts(_ line: Line) -> Bool {
        line.total.state == .blank && line.parts.contains { $0.state != .blank && !($0.value?.isZero ?? true) }
    }

    /// The sum of the parts when every one is a plain whole number (`TouchedCell.int`), else nil.
    static func plainSum(_ parts: [TouchedCell]) -> Int64? {
        var s: Int64 = 0
        for p in parts {
            guard let v = p.int else { return nil }
            s += v
        }
        return s
    }

    /// Cell keys of blank totals whose parts are filled, with the value each should hold.
    func expectedTotals(_ ev: Evaluator, into out: inout [String: Decimal]) {
        let saved = ev.bindings
        defer { ev.bindings = saved }
        func collect() {
            guard let (_, lines) = try? lines(ev) else { return }
            for case .success(let l) in lines where l.reasons.isEmpty && Self.blankTotalWithFilledParts(l) {
                guard let s = try? l.parts.reduce(Decimal(0), { try Exact.add($0, $1.value ?? 0, .null) }) else { continue }
                out[l.total.key] = s
            }
        }
        if case let .values(values, name)? = forEach {
            for v in values { ev.bindings[name] = v; collect() }
        } else if forEach == nil {
            collect()
        }
    }
}
