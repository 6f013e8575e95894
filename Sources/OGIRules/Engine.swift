import Foundation
import OGIModel

/// Evaluates a rule set against reports. Pure: no I/O, safe to share across threads.
public struct Engine: Sendable {
    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) { self.ruleSet = ruleSet }

    /// The template a report's tables are laid out on: the detected one, else the one in force for its year.
    public func layout(for report: Report) -> Template? {
        let t = ruleSet.templates
        return report.metadata.template.flatMap { t.template($0) } ?? report.metadata.year.flatMap { t.template(forYear: $0) }
    }

    /// All findings for one report, ordered by line; within a line, in rule order.
    public func check(_ report: Report, only: Set<String>? = nil) -> [Finding] {
        var out: [Finding] = []
        // One evaluator per report: its layout and row index are built once and shared by every rule.
        let ev = Evaluator(report: report, layout: layout(for: report), templates: ruleSet.templates)
        for rule in ruleSet.rules where only?.contains(rule.id) ?? true {
            ev.bindings = [:]
            ev.touched = []
            ev.touchedMeta = []
            out += check(rule, ev)
        }
        // Top to bottom as a reviewer reads; findings about the whole report (no line) come last.
        return out.enumerated().sorted { a, b in
            let la = (a.element.location.page ?? 0, a.element.location.line ?? a.element.location.paragraph ?? Int.max)
            let lb = (b.element.location.page ?? 0, b.element.location.line ?? b.element.location.paragraph ?? Int.max)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    func check(_ rule: Rule, _ ev: Evaluator) -> [Finding] {
        let run = RuleRun(rule: rule, ev: ev)
        if let w = rule.when {
            do {
                guard try ev.truth(w) else { return [] }
            } catch let n as NotEvaluated {
                run.skip(n.reasons); return run.finish()
            } catch { run.skip(["\(error)"]); return run.finish() }
        }
        switch rule.kind {
        case let .assert(e, forEach, tolerance, at):
            run.forEachBinding(forEach) { run.checkAssert(e, tolerance: tolerance, at: at) }
        case let .sum(table, total, parts, along, forEach, tolerance):
            run.forEachBinding(forEach) { run.checkSum(table: table, total: total, parts: parts, along: along, tolerance: tolerance) }
        case let .cells(tables, kinds, match):
            run.checkCells(tables: tables, kinds: kinds, match: match)
        case let .complete(tables):
            run.checkComplete(tables: tables)
        case let .parts(check, countPattern):
            run.checkParts(check, countPattern: countPattern)
        case let .labels(tables):
            run.checkLabels(tables: tables)
        }
        return run.finish()
    }
}

/// The state of one rule applied to one report: findings so far and reasons it could not be evaluated.
final class RuleRun {
    let rule: Rule
    let ev: Evaluator
    var findings: [Finding] = []
    var unevaluated: [String] = []

    init(rule: Rule, ev: Evaluator) { self.rule = rule; self.ev = ev }

    func skip(_ reasons: [String]) {
        for r in reasons where !unevaluated.contains(r) { unevaluated.append(r) }
    }

    /// The findings, with one extraction finding when some inputs were missing.
    func finish() -> [Finding] {
        guard !unevaluated.isEmpty else { return findings }
        let shown = unevaluated.prefix(5).joined(separator: "；")
        let more = unevaluated.count > 5 ? "；等共 \(unevaluated.count) 处" : ""
        return findings + [Finding(rule: rule.id, severity: rule.unevaluated, category: .extraction,
                                   message: "无法完成检查「\(rule.title)」：\(shown)\(more)",
                                   fix: "确认报告包含所需的表格、行和数字（可用 ogilint model 查看读取结果），或提交报告模型",
                                   location: FindingLocation())]
    }

    // MARK: iteration

    func forEachBinding(_ it: Iteration?, _ body: () -> Void) {
        guard let it else { body(); return }
        switch it {
        case let .values(values, name):
            for v in values { ev.bindings[name] = v; body() }
        case let .columns(table, except), let .rows(table, except):
            guard let layout = ev.layout else {
                skip(["无法确定表格模板版本（报告中没有可识别的表格栏目，也没有报告年度）"]); return
            }
            guard let spec = layout.table(table) else { return }
            let isCols: Bool = { if case .columns = it { return true }; return false }()
            let keys = isCols ? spec.columns.map(\.key) : spec.rows.map(\.key)
            for k in keys where !except.contains(k) {
                ev.bindings[isCols ? "col" : "row"] = k
                body()
            }
        }
    }

    // MARK: assert

    func checkAssert(_ e: Expr, tolerance: Decimal, at: Expr?) {
        ev.touched = []; ev.touchedMeta = []
        do {
            let ok = try truthWithTolerance(e, tolerance)
            if ok { return }
            // Find the comparison that failed, for the numbers in the message.
            let culprit = failing(e, tolerance)
            var vars = bindingVars()
            var loc: FindingLocation?
            if case let .binary(op, a, b)? = culprit, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                ev.touched = []; ev.touchedMeta = []
                let lv = try ev.eval(a)
                let lhsCells = ev.touched
                let lhsMeta = ev.touchedMeta
                let rv = try ev.eval(b)
                let rhsCells = Array(ev.touched.dropFirst(lhsCells.count))
                vars["lhs"] = lv.description
                vars["rhs"] = rv.description
                vars["lhs_terms"] = terms(a, lhsCells)
                vars["rhs_terms"] = terms(b, rhsCells)
                if case let (.num(x), .num(y)) = (lv, rv) { vars["diff"] = ExactDecimal.format(x - y) }
                loc = (rhsCells.first ?? lhsCells.first).map(location) ?? metaLocation(lhsMeta + ev.touchedMeta)
            }
            if let at {
                ev.touched = []
                if (try? ev.eval(at)) != nil, let t = ev.touched.first { loc = location(t) }
            }
            if loc == nil { loc = ev.touched.first.map(location) ?? metaLocation(ev.touchedMeta) ?? FindingLocation() }
            let defaultMessage = vars["lhs"] != nil ? "\(rule.title)：\(vars["lhs_terms"]!) = \(vars["lhs"]!)，\(vars["rhs_terms"]!) = \(vars["rhs"]!)" + (vars["diff"].map { "，相差 \($0)" } ?? "") : rule.title
            emit(vars: vars, defaultMessage: defaultMessage, location: loc!)
        } catch let n as NotEvaluated {
            skip(n.reasons)
        } catch {
            skip(["\(error)"])
        }
    }

    func truthWithTolerance(_ e: Expr, _ tol: Decimal) throws -> Bool {
        if case let .binary(op, a, b) = e, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
            guard case .bool(let r) = try ev.binary(op, a, b, tolerance: tol) else { return false }
            return r
        }
        if case let .binary("and", a, b) = e { return try truthWithTolerance(a, tol) && truthWithTolerance(b, tol) }
        if case let .binary("or", a, b) = e { return try truthWithTolerance(a, tol) || truthWithTolerance(b, tol) }
        return try ev.truth(e)
    }

    func failing(_ e: Expr, _ tol: Decimal) -> Expr? {
        if case let .binary("and", a, b) = e {
            if (try? truthWithTolerance(a, tol)) == false { return failing(a, tol) }
            return failing(b, tol)
        }
        return e
    }

    func terms(_ e: Expr, _ cells: [TouchedCell]) -> String {
        if cells.isEmpty { return e.description.hasPrefix("date(") ? "期限" : e.description }
        return cells.map { "\(Evaluator.displayLabel($0.row))\(cellShown($0.cell))" }.joined(separator: " + ")
    }

    func cellShown(_ c: Cell) -> String {
        let v = c.value.map(ExactDecimal.format) ?? c.raw
        return c.state == .number || v == c.raw ? " \(v)" : " \(v)（原文“\(c.raw)”）"
    }

    func location(_ t: TouchedCell) -> FindingLocation {
        FindingLocation(t.cell.location, table: t.table.title, row: Evaluator.displayLabel(t.row), column: t.column.label,
                        cell: "\(t.table.key).\(t.row.key).\(t.column.key)")
    }

    func metaLocation(_ names: [String]) -> FindingLocation? {
        let m = ev.report.metadata
        for n in names {
            let l: SourceLocation? = switch n {
            case "published": m.publishedLocation
            case "period_start", "period_end": m.periodLocation
            case "year", "title_year", "title", "agency", "agency_kind": m.titleLocation
            default: nil
            }
            if let l { return FindingLocation(l) }
        }
        return nil
    }

    func bindingVars() -> [String: String] {
        var vars: [String: String] = ["title": rule.title]
        let m = ev.report.metadata
        vars["year"] = m.year.map(String.init) ?? "（未知）"
        vars["published"] = m.published?.description ?? "（无）"
        vars["agency"] = m.agency ?? "（未知）"
        vars["agency_kind"] = m.agencyKind.map { $0 == .government ? "人民政府" : "部门" } ?? "（未知）"
        vars["template"] = m.template ?? "（未识别）"
        vars["title_year"] = m.titleYear.map(String.init) ?? "（无）"
        vars["period_start"] = m.periodStart?.description ?? "（无）"
        vars["period_end"] = m.periodEnd?.description ?? "（无）"
        vars["table_years"] = m.tableYears.map { $0.map(String.init).joined(separator: "、") } ?? "（无）"
        if let y = m.year { vars["next_year"] = String(y + 1) }
        for (k, v) in ev.bindings {
            vars[k] = v
            if let layout = ev.layout {
                if k == "col", let c = layout.tables.lazy.compactMap({ $0.column(v) }).first { vars["col"] = c.label; vars["col_key"] = v }
                if k == "row", let r = layout.tables.lazy.compactMap({ $0.row(v) }).first { vars["row"] = Evaluator.displayLabel(r); vars["row_key"] = v }
            }
        }
        return vars
    }

    func emit(vars: [String: String], defaultMessage: String, location: FindingLocation, severity: Severity? = nil) {
        findings.append(Finding(rule: rule.id, severity: severity ?? rule.severity, category: rule.category,
                                message: rule.message.map { fill($0, vars) } ?? defaultMessage,
                                fix: rule.fix.map { fill($0, vars) }, location: location))
    }

    func fill(_ template: String, _ vars: [String: String]) -> String {
        var out = ""
        var name = ""
        var inBrace = false
        for c in template {
            if c == "{" { inBrace = true; name = ""; continue }
            if c == "}" && inBrace { inBrace = false; out += vars[name] ?? "{\(name)}"; continue }
            if inBrace { name.append(c) } else { out.append(c) }
        }
        return out
    }

    // MARK: sum

    func checkSum(table: String, total: String, parts: [String], along: Rule.Axis, tolerance: Decimal) {
        guard let layout = ev.layout else { skip(["无法确定表格模板版本（报告中没有可识别的表格栏目，也没有报告年度）"]); return }
        guard let spec = layout.table(table) else { return }
        let subst: (String) -> String = { key in
            guard key.utf8.contains(UInt8(ascii: "$")) else { return key }
            var k = key
            for (v, val) in self.ev.bindings { k = k.replacingOccurrences(of: "$" + v, with: val) }
            return k
        }
        let totalKey = subst(total)
        let partPatterns = parts.map(subst)
        // Along rows: the total and the parts are rows, checked in every column; along columns, the reverse.
        let lineSpecs: [(RowSpec?, ColumnSpec?)] = along == .rows ? spec.columns.map { (nil, $0) } : spec.rows.map { ($0, nil) }
        let partSpecs: [(RowSpec?, ColumnSpec?)] = (along == .rows ? spec.rows.map { ($0, nil) } : spec.columns.map { (nil, $0) })
            .filter { r, c in
                let k = r?.key ?? c!.key
                return k != totalKey && partPatterns.contains { KeyPattern.matches(k, pattern: $0) }
            }
        let totalSpec: (RowSpec?, ColumnSpec?) = along == .rows ? (spec.row(totalKey), nil) : (nil, spec.column(totalKey))
        guard totalSpec.0 != nil || totalSpec.1 != nil else { return }
        for line in lineSpecs {
            func ref(_ s: (RowSpec?, ColumnSpec?)) throws -> TouchedCell {
                try ev.cell(spec: spec, row: (s.0 ?? line.0)!, column: (s.1 ?? line.1)!)
            }
            ev.touched = []
            do {
                let t = try ref(totalSpec)
                var reasons: [String] = []
                var partCells: [TouchedCell] = []
                for ps in partSpecs {
                    do { partCells.append(try ref(ps)) } catch let n as NotEvaluated { reasons += n.reasons }
                }
                let nonNumeric = ([t] + partCells).filter { $0.cell.value == nil }
                for c in nonNumeric {
                    reasons.append("表「\(c.table.title)」行「\(Evaluator.displayLabel(c.row))」「\(c.column.label)」单元格内容“\(c.cell.raw)”不是数字")
                }
                if !reasons.isEmpty { skip(reasons); continue }
                let sum = partCells.reduce(Decimal(0)) { $0 + $1.cell.value! }
                let tv = t.cell.value!
                if abs(tv - sum) <= tolerance { continue }
                var vars = bindingVars()
                let nonzero = partCells.filter { $0.cell.value! != 0 }
                let label: (TouchedCell) -> String = { along == .rows ? Evaluator.displayLabel($0.row) : $0.column.label }
                var termText = nonzero.map { "\(label($0))\(cellShown($0.cell))" }.joined(separator: " + ")
                if termText.isEmpty { termText = "各项均为 0" }
                if nonzero.count < partCells.count { termText += "（其余 \(partCells.count - nonzero.count) 项为 0）" }
                vars["total"] = ExactDecimal.format(tv)
                vars["sum"] = ExactDecimal.format(sum)
                vars["diff"] = ExactDecimal.format(tv - sum)
                vars["parts_terms"] = termText
                vars["total_label"] = along == .rows ? Evaluator.displayLabel(t.row) : t.column.label
                vars["scope"] = along == .rows ? t.column.label : Evaluator.displayLabel(t.row)
                vars["table"] = spec.title
                let msg = "表「\(spec.title)」「\(vars["scope"]!)」：\(vars["total_label"]!)为 \(vars["total"]!)，各项之和为 \(vars["sum"]!)（\(termText)），相差 \(vars["diff"]!)"
                emit(vars: vars, defaultMessage: msg, location: location(t))
            } catch let n as NotEvaluated {
                skip(n.reasons)
            } catch { skip(["\(error)"]) }
        }
    }

    // MARK: cells

    func checkCells(tables: [String], kinds: Set<ColumnSpec.Kind>, match: CellMatch) {
        guard let layout = ev.layout else { return }
        for spec in layout.tables where matches(spec, tables) {
            guard let table = ev.report.table(spec.key) else { continue }
            for row in table.rows {
                guard let rs = spec.row(row.key) else { continue }
                for cell in row.cells {
                    guard let cs = spec.column(cell.column), kinds.contains(cs.kind) else { continue }
                    if !cellMatches(cell, cs, match) { continue }
                    var vars = bindingVars()
                    vars["table"] = spec.title
                    vars["row"] = Evaluator.displayLabel(rs)
                    vars["col"] = cs.label
                    vars["raw"] = cell.raw
                    vars["value"] = cell.value.map(ExactDecimal.format) ?? ""
                    vars["unit"] = cell.unit ?? ""
                    vars["expected_unit"] = cs.unit ?? ""
                    let loc = FindingLocation(cell.location ?? row.location, table: spec.title, row: vars["row"], column: cs.label,
                                              cell: "\(spec.key).\(row.key).\(cs.key)")
                    emit(vars: vars, defaultMessage: "表「\(spec.title)」行「\(vars["row"]!)」「\(cs.label)」：单元格“\(cell.raw)”", location: loc)
                }
            }
        }
    }

    func matches(_ spec: TableSpec, _ patterns: [String]) -> Bool {
        patterns.contains { p in KeyPattern.matches(spec.key, pattern: p) || (spec.group.map { KeyPattern.matches($0, pattern: p) } ?? false) }
    }

    func cellMatches(_ c: Cell, _ cs: ColumnSpec, _ m: CellMatch) -> Bool {
        switch m {
        case .blank: return c.state == .blank
        case .placeholder: return c.state == .placeholder
        case .signed_text: return c.state == .signedText
        case .number_with_unit: return c.state == .numberWithUnit
        case .text: return c.state == .text
        case .negative: return (c.value ?? 0) < 0
        case .fraction: return c.value.map { !ExactDecimal.isInteger($0) } ?? false
        case .unit_mismatch:
            guard let u = c.unit, let expected = cs.unit else { return false }
            return u != expected
        }
    }

    // MARK: completeness

    func checkComplete(tables: [String]) {
        guard let layout = ev.layout else { skip(["无法确定表格模板版本（报告中没有可识别的表格栏目，也没有报告年度）"]); return }
        for spec in layout.tables where matches(spec, tables) {
            var vars = bindingVars()
            vars["table"] = spec.title
            guard let table = ev.report.table(spec.key) else {
                let partLoc = ev.report.part(spec.part)?.location
                vars["part"] = ev.partTitle(spec.part)
                emit(vars: vars, defaultMessage: "未找到表「\(spec.title)」（\(layout.id) 年版模板，位于「\(vars["part"]!)」部分）",
                     location: FindingLocation(partLoc, table: spec.title))
                continue
            }
            for rs in spec.rows {
                var rv = vars
                rv["row"] = Evaluator.displayLabel(rs)
                guard let row = table.row(rs.key) else {
                    emit(vars: rv, defaultMessage: "表「\(spec.title)」缺少行「\(rs.label)」",
                         location: FindingLocation(table.location, table: spec.title, row: rv["row"]))
                    continue
                }
                let missing = row.cells.filter { $0.state == .missing }
                if !missing.isEmpty {
                    let names = missing.compactMap { spec.column($0.column)?.label }.joined(separator: "、")
                    rv["found"] = String(row.cells.count - missing.count)
                    rv["expected"] = String(spec.columns.count)
                    emit(vars: rv, defaultMessage: "表「\(spec.title)」行「\(rv["row"]!)」只读到 \(rv["found"]!) 个单元格，应有 \(rv["expected"]!) 个；缺少：\(names)",
                         location: FindingLocation(row.location, table: spec.title, row: rv["row"]))
                }
            }
        }
    }

    // MARK: labels

    func checkLabels(tables: [String]) {
        guard let layout = ev.layout else { return }
        for spec in layout.tables where matches(spec, tables) {
            guard let table = ev.report.table(spec.key) else { continue }
            for row in table.rows {
                guard let used = row.matchedVariant, let rs = spec.row(row.key) else { continue }
                var vars = bindingVars()
                vars["table"] = spec.title
                vars["row"] = rs.label
                vars["used"] = used
                emit(vars: vars, defaultMessage: "表「\(spec.title)」使用了“\(used)”，\(layout.id) 年版模板为“\(rs.label)”",
                     location: FindingLocation(row.location, table: spec.title, row: rs.label))
            }
        }
    }

    // MARK: parts

    func checkParts(_ check: PartsCheck, countPattern: String?) {
        let specs = ev.templates.profile.parts
        let report = ev.report
        switch check {
        case .present:
            for s in specs where report.part(s.key) == nil {
                var vars = bindingVars()
                vars["part"] = s.title
                vars["number"] = String(s.number)
                let prev = report.parts.last { $0.number < s.number }?.location
                emit(vars: vars, defaultMessage: "缺少第 \(s.number) 部分「\(s.title)」", location: FindingLocation(prev))
            }
        case .order:
            // Parts are in document order as read (readers keep it; a submitted model's list order counts).
            var maxSeen = 0
            for p in report.parts {
                if p.number < maxSeen, let before = specs.first(where: { $0.number == maxSeen }) {
                    var vars = bindingVars()
                    vars["part"] = specs.first { $0.key == p.key }?.title ?? p.heading
                    vars["heading"] = p.heading
                    vars["after"] = before.title
                    emit(vars: vars, defaultMessage: "「\(vars["part"]!)」出现在「\(before.title)」之后，顺序应为第 \(p.number) 部分",
                         location: FindingLocation(p.location))
                }
                maxSeen = max(maxSeen, p.number)
            }
        case .preamble:
            // The preamble sentence naming the most parts is taken as its list of parts.
            var best: (String, [PartSpec], SourceLocation?)?
            for para in report.preamble {
                for sentence in para.text.split(whereSeparator: { "。；".contains($0) }).map(String.init) {
                    let named = specs.filter { s in s.mentions.contains { sentence.contains($0) } }
                    if named.count >= 3, named.count > (best?.1.count ?? 0) { best = (sentence, named, para.location) }
                }
            }
            guard let (sentence, named, line) = best else { return }
            var problems: [String] = []
            let present = Set(report.parts.map(\.key))
            let namedKeys = Set(named.map(\.key))
            let notNamed = specs.filter { present.contains($0.key) && !namedKeys.contains($0.key) }.map(\.title)
            let namedAbsent = named.filter { !present.contains($0.key) }.map(\.title)
            let unnamedRequired = specs.filter { !namedKeys.contains($0.key) && !present.contains($0.key) }.map(\.title)
            if !notNamed.isEmpty { problems.append("正文有但开头未列出：\(notNamed.joined(separator: "、"))") }
            if !namedAbsent.isEmpty { problems.append("开头列出但正文没有：\(namedAbsent.joined(separator: "、"))") }
            if !unnamedRequired.isEmpty { problems.append("开头和正文都缺少：\(unnamedRequired.joined(separator: "、"))") }
            if let cp = countPattern, let rx = try? NSRegularExpression(pattern: cp),
               let m = rx.firstMatch(in: sentence, range: NSRange(sentence.startIndex..., in: sentence)),
               let r = Range(m.range(withName: "n"), in: sentence), let n = ChineseNumber.parse(String(sentence[r])), n != named.count {
                problems.append("开头称共 \(n) 个部分，实际列出 \(named.count) 个")
            }
            guard !problems.isEmpty else { return }
            var vars = bindingVars()
            vars["problems"] = problems.joined(separator: "；")
            emit(vars: vars, defaultMessage: "报告开头对组成部分的说明与正文不一致：\(vars["problems"]!)", location: FindingLocation(line))
        }
    }
}

/// Reads small Chinese or Arabic numerals (一 … 九十九, 1 … 99).
enum ChineseNumber {
    static func parse(_ s: String) -> Int? {
        if let n = Int(s) { return n }
        let digits: [Character: Int] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        if s == "十" { return 10 }
        if s.count == 1 { return digits[s.first!] }
        let c = Array(s)
        if c.count == 2, c[0] == "十" { return digits[c[1]].map { 10 + $0 } }
        if c.count == 2, c[1] == "十" { return digits[c[0]].map { $0 * 10 } }
        if c.count == 3, c[1] == "十", let a = digits[c[0]], let b = digits[c[2]] { return a * 10 + b }
        return nil
    }
}
