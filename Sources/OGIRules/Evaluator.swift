import Foundation
import OGIModel

/// A runtime value of a rule expression.
enum Value: CustomStringConvertible {
    case num(Decimal), str(String), date(CalendarDate), bool(Bool), null, list([Value])

    var description: String {
        switch self {
        case .num(let d): return ExactDecimal.format(d)
        case .str(let s): return s
        case .date(let d): return d.description
        case .bool(let b): return b ? "是" : "否"
        case .null: return "（无）"
        case .list(let l): return l.map(\.description).joined(separator: "、")
        }
    }
}

/// Raised when an expression needs an input that the report does not have; carries why, in words for the user.
struct NotEvaluated: Error { var reasons: [String] }

/// A cell an expression read, kept for messages and locations.
struct TouchedCell {
    var table: TableSpec
    var row: RowSpec
    var column: ColumnSpec
    var cell: Cell
}

/// Evaluates expressions against one report, with the template it is laid out on and the current bindings.
final class Evaluator {
    let report: Report
    let layout: Template?
    let templates: TemplateSet
    var bindings: [String: String] = [:]
    var touched: [TouchedCell] = []
    var touchedMeta: [String] = []

    init(report: Report, layout: Template?, templates: TemplateSet) {
        self.report = report
        self.layout = layout
        self.templates = templates
    }

    static func displayLabel(_ r: RowSpec) -> String { r.variants.first ?? r.label }

    func partTitle(_ key: String) -> String { templates.profile.parts.first { $0.key == key }?.title ?? key }

    // MARK: paths

    func keys(of segs: [Expr.PathSegment]) throws -> [String] {
        try segs.map { seg in
            switch seg {
            case .name(let n): return n
            case .variable(let v):
                guard let b = bindings[v] else { throw NotEvaluated(reasons: ["变量 $\(v) 未绑定"]) }
                return b
            case .index(let e):
                let v = try eval(e)
                if case .str(let s) = v { return s }
                return v.description
            }
        }
    }

    func metadataValue(_ name: String) -> Value? {
        let m = report.metadata
        func orNull<T>(_ v: T?, _ f: (T) -> Value) -> Value { v.map(f) ?? .null }
        switch name {
        case "year": return orNull(m.year) { .num(Decimal($0)) }
        case "title_year": return orNull(m.titleYear) { .num(Decimal($0)) }
        case "published": return orNull(m.published) { .date($0) }
        case "period_start": return orNull(m.periodStart) { .date($0) }
        case "period_end": return orNull(m.periodEnd) { .date($0) }
        case "agency": return orNull(m.agency) { .str($0) }
        case "agency_kind": return orNull(m.agencyKind) { .str($0.rawValue) }
        case "template": return orNull(m.template) { .str($0) }
        case "title": return orNull(m.title) { .str($0) }
        case "table_years": return .list((m.tableYears ?? []).map { .num(Decimal($0)) })
        default: return nil
        }
    }

    static let metadataWords: [String: String] = [
        "year": "报告年度", "title_year": "标题中的年度", "published": "发布日期", "period_start": "统计期限起始日",
        "period_end": "统计期限截止日", "agency": "机关名称", "agency_kind": "机关类型（人民政府或部门）",
        "template": "表格模板版本", "title": "报告标题", "table_years": "表格中的年度",
    ]

    /// Resolves `table.row.column` against the layout and the report, reading the cell.
    func cell(_ keys: [String]) throws -> TouchedCell {
        let tableKey = keys[0]
        let rest = keys.dropFirst().joined(separator: ".")
        guard let layout else { throw NotEvaluated(reasons: ["无法确定表格模板版本（报告中没有可识别的表格栏目，也没有报告年度）"]) }
        guard let spec = layout.table(tableKey) else {
            throw NotEvaluated(reasons: ["\(layout.id) 年版模板没有表「\(tableKey)」"])
        }
        guard let rs = spec.rows.first(where: { rest.hasPrefix($0.key + ".") && spec.column(String(rest.dropFirst($0.key.count + 1))) != nil }),
              let cs = spec.column(String(rest.dropFirst(rs.key.count + 1))) else {
            throw NotEvaluated(reasons: ["表「\(spec.title)」中没有单元格 \(rest)"])
        }
        return try cell(spec: spec, row: rs, column: cs)
    }

    /// Report tables indexed by key, and their rows by key, built on first use.
    private var rowIndex: [String: [String: Row]]?

    func reportRow(_ table: String, _ row: String) -> (tableFound: Bool, row: Row?) {
        if rowIndex == nil {
            var idx: [String: [String: Row]] = [:]
            for t in report.tables {
                var rows: [String: Row] = [:]
                for r in t.rows where rows[r.key] == nil { rows[r.key] = r }
                if idx[t.key] == nil { idx[t.key] = rows }
            }
            rowIndex = idx
        }
        guard let t = rowIndex![table] else { return (false, nil) }
        return (true, t[row])
    }

    /// Reads one cell whose table, row and column specs are already known.
    func cell(spec: TableSpec, row rs: RowSpec, column cs: ColumnSpec) throws -> TouchedCell {
        let (tableFound, found) = reportRow(spec.key, rs.key)
        guard tableFound else { throw NotEvaluated(reasons: ["未找到表「\(spec.title)」"]) }
        guard let row = found else { throw NotEvaluated(reasons: ["表「\(spec.title)」中未找到行「\(Self.displayLabel(rs))」"]) }
        guard let c = row.cell(cs.key), c.state != .missing else {
            throw NotEvaluated(reasons: ["表「\(spec.title)」行「\(Self.displayLabel(rs))」缺少「\(cs.label)」单元格"])
        }
        let t = TouchedCell(table: spec, row: rs, column: cs, cell: c)
        touched.append(t)
        return t
    }

    // MARK: evaluation

    func eval(_ e: Expr) throws -> Value {
        switch e {
        case .number(let d): return .num(d)
        case .string(let s): return .str(s)
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .path(let segs):
            if segs.count == 1, case .variable(let v) = segs[0] {
                guard let b = bindings[v] else { throw NotEvaluated(reasons: ["变量 $\(v) 未绑定"]) }
                if v == "it", let n = OGIModel.ExactDecimal.parse(b) { return .num(n) }
                return .str(b)
            }
            if segs.count == 1, case .name(let n) = segs[0], let v = metadataValue(n) {
                touchedMeta.append(n)
                return v
            }
            let t = try cell(try keys(of: segs))
            guard let v = t.cell.value else {
                let line = t.cell.location?.line.map { "（第\($0)行）" } ?? ""
                throw NotEvaluated(reasons: ["表「\(t.table.title)」行「\(Self.displayLabel(t.row))」「\(t.column.label)」单元格内容“\(t.cell.raw)”不是数字\(line)"])
            }
            return .num(v)
        case .unary(let op, let a):
            let v = try eval(a)
            switch (op, v) {
            case ("not", .bool(let b)): return .bool(!b)
            case ("-", .num(let d)): return .num(-d)
            default: throw try nullOrType(v, a, "'\(op)'")
            }
        case .binary(let op, let a, let b):
            return try binary(op, a, b, tolerance: 0)
        case .call(let f, let args):
            return try call(f, args)
        }
    }

    /// For a null operand, the reason it is null; otherwise a type error.
    func nullOrType(_ v: Value, _ e: Expr, _ what: String) throws -> NotEvaluated {
        if case .null = v {
            if case .path(let segs) = e, segs.count == 1, case .name(let n) = segs[0] {
                return NotEvaluated(reasons: ["报告中未找到\(Self.metadataWords[n] ?? n)"])
            }
            return NotEvaluated(reasons: ["\(e) 没有值"])
        }
        return NotEvaluated(reasons: ["\(e) 的值“\(v)”不能用于 \(what)"])
    }

    func truth(_ e: Expr) throws -> Bool {
        let v = try eval(e)
        guard case .bool(let b) = v else { throw try nullOrType(v, e, "条件判断") }
        return b
    }

    func binary(_ op: String, _ a: Expr, _ b: Expr, tolerance: Decimal) throws -> Value {
        switch op {
        case "and": return .bool(try truth(a) && truth(b))
        case "or": return .bool(try truth(a) || truth(b))
        default: break
        }
        let x = try eval(a), y = try eval(b)
        if op == "==" || op == "!=" {
            var eq: Bool
            switch (x, y) {
            case (.null, .null): eq = true
            case (.null, _) where isNullLiteral(b) == false && isNullLiteral(a) == false: throw try nullOrType(x, a, op)
            case (_, .null) where isNullLiteral(a) == false && isNullLiteral(b) == false: throw try nullOrType(y, b, op)
            case (.null, _), (_, .null): eq = false
            case let (.num(p), .num(q)): eq = abs(p - q) <= tolerance
            case let (.str(p), .str(q)): eq = p == q
            case let (.date(p), .date(q)): eq = p == q
            case let (.bool(p), .bool(q)): eq = p == q
            default: throw NotEvaluated(reasons: ["不能比较 \(a) 与 \(b)（类型不同）"])
            }
            return .bool(op == "==" ? eq : !eq)
        }
        switch (x, y) {
        case (.null, _): throw try nullOrType(x, a, op)
        case (_, .null): throw try nullOrType(y, b, op)
        case let (.num(p), .num(q)):
            switch op {
            case "+": return .num(p + q)
            case "-": return .num(p - q)
            case "*": return .num(p * q)
            case "/":
                guard q != 0 else { throw NotEvaluated(reasons: ["除数为 0：\(b)"]) }
                return .num(p / q)
            case "<": return .bool(p < q - tolerance)
            case "<=": return .bool(p <= q + tolerance)
            case ">": return .bool(p > q + tolerance)
            case ">=": return .bool(p >= q - tolerance)
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
        throw NotEvaluated(reasons: ["不能计算 \(a) \(op) \(b)"])
    }

    func isNullLiteral(_ e: Expr) -> Bool { if case .null = e { return true }; return false }

    func numbers(_ args: [Expr], _ f: String) throws -> [Decimal] {
        var out: [Decimal] = []
        for a in args {
            switch try eval(a) {
            case .num(let d): out.append(d)
            case .list(let l):
                for v in l { guard case .num(let d) = v else { throw NotEvaluated(reasons: ["\(f) 需要数字"]) }; out.append(d) }
            case let v: throw try nullOrType(v, a, f)
            }
        }
        return out
    }

    func call(_ f: String, _ args: [Expr]) throws -> Value {
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else { throw NotEvaluated(reasons: ["\(f) 的参数个数不对"]) }
        }
        switch f {
        case "sum": return .num(try numbers(args, f).reduce(0, +))
        case "abs": try arity(1...1); return .num(abs(try numbers(args, f)[0]))
        case "min": let n = try numbers(args, f); guard let m = n.min() else { return .null }; return .num(m)
        case "max": let n = try numbers(args, f); guard let m = n.max() else { return .null }; return .num(m)
        case "len":
            try arity(1...1)
            switch try eval(args[0]) {
            case .list(let l): return .num(Decimal(l.count))
            case .str(let s): return .num(Decimal(s.count))
            case let v: throw try nullOrType(v, args[0], f)
            }
        case "date":
            try arity(3...3)
            let n = try numbers(args, f)
            let d = CalendarDate(year: NSDecimalNumber(decimal: n[0]).intValue, month: NSDecimalNumber(decimal: n[1]).intValue, day: NSDecimalNumber(decimal: n[2]).intValue)
            guard d.isValid else { throw NotEvaluated(reasons: ["date(\(n.map { ExactDecimal.format($0) }.joined(separator: ", "))) 不是有效日期"]) }
            return .date(d)
        case "contains":
            try arity(2...100)
            let t = try eval(args[0])
            guard case .str(let text) = t else { throw try nullOrType(t, args[0], f) }
            for a in args.dropFirst() {
                guard case .str(let w) = try eval(a) else { throw NotEvaluated(reasons: ["contains 的关键词必须是文字"]) }
                if text.contains(w) { return .bool(true) }
            }
            return .bool(false)
        case "part_text", "has_part":
            try arity(1...1)
            guard case .str(let key) = try eval(args[0]) else { throw NotEvaluated(reasons: ["\(f) 需要部分的键名"]) }
            guard templates.profile.parts.contains(where: { $0.key == key }) else {
                throw NotEvaluated(reasons: ["没有键名为 \(key) 的部分"])
            }
            let p = report.part(key)
            if f == "has_part" { return .bool(p != nil) }
            guard let p else { throw NotEvaluated(reasons: ["未找到「\(partTitle(key))」部分"]) }
            return .str(([p.heading] + p.paragraphs.map(\.text)).joined(separator: "\n"))
        case "all", "any":
            try arity(2...2)
            let l = try eval(args[0])
            guard case .list(let items) = l else { throw try nullOrType(l, args[0], f) }
            let saved = bindings["it"]
            defer { bindings["it"] = saved }
            for item in items {
                bindings["it"] = item.description
                let r = try truth(args[1])
                if f == "all" && !r { return .bool(false) }
                if f == "any" && r { return .bool(true) }
            }
            return .bool(f == "all")
        default:
            throw NotEvaluated(reasons: ["未知函数 \(f)"])
        }
    }
}
