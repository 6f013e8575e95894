import Foundation
import OGIModel

/// Load-time typing of rule expressions: number, text, boolean, date or list. A comparison of a number with text
/// (`x == "0"`), arithmetic on text or an `and` of numbers is an error when the pack loads, not a warning on every report.
struct ExpressionTypes {
    let templates: TemplateSet

    /// The functions of the rule language: allowed argument counts and result type.
    static let functions: [String: (arity: ClosedRange<Int>, result: ValueType)] = [
        "sum": (0...1000, .number), "min": (1...1000, .number), "max": (1...1000, .number),
        "abs": (1...1, .number), "round": (1...2, .number), "floor": (1...1, .number), "ceil": (1...1, .number),
        "mod": (2...2, .number), "decimals": (1...1, .number), "len": (1...1, .number),
        "date": (3...3, .date), "contains": (2...100, .boolean), "matches": (2...2, .boolean),
        "part_text": (1...1, .text), "has_part": (1...1, .boolean), "all": (2...2, .boolean), "any": (2...2, .boolean),
    ]

    struct TypeError: Error { var message: String }

    /// The type of `e`, `.unknown` where it depends on data (loop variables).
    func type(of e: Expr) -> ValueType { (try? check(e)) ?? .unknown }

    /// The type of `e`, throwing when operands do not fit their operator or function.
    func check(_ e: Expr) throws -> ValueType {
        switch e {
        case .number: return .number
        case .string: return .text
        case .null: return .null
        case .bool: return .boolean
        case .path(let segs):
            if let rest = Expr.previousPath(segs) { return try check(.path(rest)) }
            if segs.count == 1, case .variable(let v) = segs[0] { return v == "it" ? .unknown : .text }
            if segs.count == 1, case .name(let n) = segs[0], let f = ReportField(rawValue: n) { return f.type }
            for s in segs { if case .index(let i) = s { _ = try check(i) } }
            return .number
        case .unary(let op, let a):
            let t = try check(a)
            let want: ValueType = op == "not" ? .boolean : .number
            try expect(t, want, "'\(op)'", a)
            return want
        case .binary(let op, let a, let b):
            let ta = try check(a), tb = try check(b)
            switch op {
            case "and", "or":
                try expect(ta, .boolean, "'\(op)'", a); try expect(tb, .boolean, "'\(op)'", b)
                return .boolean
            case "==", "!=":
                if ta != tb, ![ta, tb].contains(.unknown), ![ta, tb].contains(.null) {
                    throw TypeError(
                        message: "'\(e)' compares a \(ta.rawValue) with a \(tb.rawValue); both sides must be the same type"
                            + (tb == .text || ta == .text ? " (write numbers without quotes: 0, not \"0\")" : ""))
                }
                return .boolean
            case "<", "<=", ">", ">=":
                for (t, x) in [(ta, a), (tb, b)] where t != .unknown && t != .number && t != .date {
                    throw TypeError(message: "'\(op)' orders numbers or dates; '\(x)' is a \(t.rawValue)")
                }
                if ta != tb, ta != .unknown, tb != .unknown {
                    throw TypeError(message: "'\(e)' compares a \(ta.rawValue) with a \(tb.rawValue); both sides must be the same type")
                }
                return .boolean
            default:
                try expect(ta, .number, "'\(op)'", a); try expect(tb, .number, "'\(op)'", b)
                return .number
            }
        case .call(let f, let args):
            guard let spec = Self.functions[f] else { throw TypeError(message: "unknown function '\(f)'") }
            guard spec.arity.contains(args.count) else {
                throw TypeError(
                    message:
                        "\(f) takes \(spec.arity.lowerBound == spec.arity.upperBound ? "\(spec.arity.lowerBound)" : "\(spec.arity.lowerBound) to \(spec.arity.upperBound)") argument(s), found \(args.count)"
                )
            }
            let types = try args.map(check)
            switch f {
            case "abs", "round", "floor", "ceil", "mod", "date":
                for (t, a) in zip(types, args) { try expect(t, .number, f, a) }
            case "decimals":
                try expect(types[0], .number, f, args[0])
            case "matches":
                for (t, a) in zip(types, args) { try expect(t, .text, f, a) }
                if case .string(let p) = args[1] {
                    do { _ = try RegexCache.shared.compile(p) } catch {
                        throw TypeError(message: "matches: '\(p)' is not a valid regular expression")
                    }
                    if let g = PatternSafety.nestedRepetition(p) {
                        throw TypeError(
                            message: "matches: '\(p)' repeats a group that itself repeats (\(g)), which can take exponential time")
                    }
                }
            case "contains":
                for (t, a) in zip(types, args) { try expect(t, .text, f, a) }
            case "part_text", "has_part":
                try expect(types[0], .text, f, args[0])
            case "all", "any":
                try expect(types[0], .list, f, args[0]); try expect(types[1], .boolean, f, args[1])
            default: break
            }
            return spec.result
        }
    }

    func expect(_ t: ValueType, _ want: ValueType, _ what: String, _ e: Expr) throws {
        if t == want || t == .unknown { return }
        if want == .number, t == .list { return }
        throw TypeError(message: "\(what) needs a \(want.rawValue); '\(e)' is a \(t.rawValue)")
    }

    /// Cells an expression names literally (`table.row.column`), as (table, row.column).
    static func cells(in e: Expr) -> [(table: String, cell: String)] {
        switch e {
        case .number, .string, .null, .bool: return []
        case .unary(_, let a): return cells(in: a)
        case .binary(_, let a, let b): return cells(in: a) + cells(in: b)
        case .call(_, let args): return args.flatMap(cells)
        case .path(let all):
            let segs = Expr.previousPath(all) ?? all
            var names: [String] = []
            for s in segs {
                guard case .name(let n) = s else { return [] }
                names.append(n)
            }
            guard names.count >= 3, ReportField(rawValue: names[0]) == nil else { return [] }
            return [(names[0], names.dropFirst().joined(separator: "."))]
        }
    }

    /// Tables an expression reads through a dynamic path (`applications.new[$col]`).
    static func tables(in e: Expr) -> [String] {
        switch e {
        case .number, .string, .null, .bool: return []
        case .unary(_, let a): return tables(in: a)
        case .binary(_, let a, let b): return tables(in: a) + tables(in: b)
        case .call(_, let args): return args.flatMap(tables)
        case .path(let all):
            let segs = Expr.previousPath(all) ?? all
            guard segs.count > 1, case .name(let t) = segs[0] else { return [] }
            return [t]
        }
    }

    /// Every path in an expression (including those inside indexes), as segment lists.
    static func paths(in e: Expr) -> [[Expr.PathSegment]] {
        switch e {
        case .number, .string, .null, .bool: return []
        case .unary(_, let a): return paths(in: a)
        case .binary(_, let a, let b): return paths(in: a) + paths(in: b)
        case .call(_, let args): return args.flatMap(paths)
        case .path(let all):
            let segs = Expr.previousPath(all) ?? all
            return [segs]
                + segs.flatMap { s -> [[Expr.PathSegment]] in
                    if case .index(let i) = s { return paths(in: i) }; return []
                }
        }
    }
}

extension Expr {
    /// The prefix that makes a path read last year's report: `previous.applications.carried_out.total`, `previous.year`.
    public static let previousPrefix = "previous"

    /// The rest of a `previous.…` path, nil for a path of this year's report.
    static func previousPath(_ segs: [PathSegment]) -> [PathSegment]? {
        guard segs.count >= 2, case .name(let n) = segs[0], n == previousPrefix else { return nil }
        return Array(segs.dropFirst())
    }

    /// True when the expression reads last year's report anywhere.
    var readsPrevious: Bool {
        switch self {
        case .number, .string, .null, .bool: return false
        case .unary(_, let a): return a.readsPrevious
        case .binary(_, let a, let b): return a.readsPrevious || b.readsPrevious
        case .call(_, let args): return args.contains { $0.readsPrevious }
        case .path(let segs):
            if Expr.previousPath(segs) != nil { return true }
            return segs.contains {
                if case .index(let i) = $0 { return i.readsPrevious }; return false
            }
        }
    }
}
