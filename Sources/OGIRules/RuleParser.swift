import Foundation
import OGIModel
import Yams

/// Turns a rule pack's YAML into `Rule` values, validating every field, expression and key with its position.
struct RuleParser {
    let templates: TemplateSet

    static let commonKeys = ["id", "title", "severity", "category", "reference", "description", "when", "kind",
                             "message", "fix", "unevaluated", "examples"]
    static let kindKeys: [String: [String]] = [
        "assert": ["assert", "for_each", "tolerance", "at"],
        "sum": ["table", "total", "parts", "along", "for_each", "tolerance"],
        "cells": ["tables", "column_kinds", "match"],
        "complete": ["tables"],
        "parts": ["check", "count_pattern"],
        "labels": ["tables"],
    ]

    func parsePack(_ root: YNode) throws -> [Rule] {
        let top = try root.mapping(allowed: ["pack", "description", "rules"], what: "a rule pack")
        guard let list = top["rules"] else { throw root.fail("a rule pack needs a 'rules:' list") }
        return try list.list("rules").map(parseRule)
    }

    func parseRule(_ n: YNode) throws -> Rule {
        guard case let .mapping(m) = n.node else { throw n.fail("each rule must be a mapping with at least 'id', 'severity' and 'category'") }
        let presentKeys = m.keys.compactMap(\.string)
        let kindName: String
        if let k = m["kind"] {
            kindName = try YNode(node: k, file: n.file).oneOf(Self.kindKeys.keys.sorted(), what: "rule kind")
        } else if presentKeys.contains("assert") {
            kindName = "assert"
        } else {
            throw n.fail("a rule needs 'assert: EXPRESSION' or 'kind:' (one of: \(Self.kindKeys.keys.sorted().joined(separator: ", ")))")
        }
        let allowed = Self.commonKeys + Self.kindKeys[kindName]!
        let f = try n.mapping(allowed: allowed, what: "a rule of kind '\(kindName)'")
        guard let idNode = f["id"] else { throw n.fail("a rule needs an 'id'") }
        let id = try idNode.string("id")
        let words = id.split(separator: "-", omittingEmptySubsequences: false)
        let wellFormed = !words.isEmpty && words.allSatisfy { w in !w.isEmpty && w.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") } }
            && id.first.map { $0 >= "A" && $0 <= "Z" } == true
        guard wellFormed else {
            throw idNode.fail("rule id '\(id)' should be upper case words joined by '-', e.g. APP-BALANCE")
        }
        func req(_ k: String) throws -> YNode {
            guard let v = f[k] else { throw n.fail("rule \(id) needs '\(k)'") }
            return v
        }
        let severity = Severity(rawValue: try req("severity").oneOf(Severity.allCases.map(\.rawValue), what: "severity"))!
        let category = Category(rawValue: try req("category").oneOf(Category.allCases.map(\.rawValue), what: "category"))!
        let unevaluated = try f["unevaluated"].map { Severity(rawValue: try $0.oneOf(Severity.allCases.map(\.rawValue), what: "severity"))! } ?? .warning
        var vars: Set<String> = []
        let iteration = try f["for_each"].map { try parseIteration($0, vars: &vars) }
        let when = try f["when"].map { try expression($0, vars: []) }
        let kind: Rule.Kind
        switch kindName {
        case "assert":
            let e = try expression(try req("assert"), vars: vars)
            let at = try f["at"].map { try expression($0, vars: vars) }
            kind = .assert(e, forEach: iteration, tolerance: try tolerance(f["tolerance"]), at: at)
        case "sum":
            let tableNode = try req("table")
            let table = try tableNode.string("table")
            let specs = templates.templates.compactMap { $0.table(table) }
            guard !specs.isEmpty else { throw tableNode.fail(unknownTable(table)) }
            let axis = Rule.Axis(rawValue: try req("along").oneOf(["rows", "columns"], what: "'along' (the parts are rows or columns)"))!
            let totalNode = try req("total")
            let total = try totalNode.string("total")
            let partsNode = try req("parts")
            let parts = try partsNode.stringList("parts")
            for (key, node) in [(total, totalNode)] + parts.map({ ($0, partsNode) }) where !key.contains("$") {
                let keys = specs.flatMap { axis == .rows ? $0.rows.map(\.key) : $0.columns.map(\.key) }
                if !keys.contains(where: { KeyPattern.matches($0, pattern: key) }) {
                    throw node.fail("'\(key)' matches no \(axis == .rows ? "row" : "column") of table \(table); known: \(Array(Set(keys)).sorted().joined(separator: ", "))")
                }
            }
            kind = .sum(table: table, total: total, parts: parts, along: axis, forEach: iteration, tolerance: try tolerance(f["tolerance"]))
        case "cells":
            let kinds = try f["column_kinds"].map { node in
                try node.list("column_kinds").map { ColumnSpec.Kind(rawValue: try $0.oneOf(ColumnSpec.Kind.allCases.map(\.rawValue), what: "column kind"))! }
            } ?? ColumnSpec.Kind.allCases
            let match = CellMatch(rawValue: try req("match").oneOf(CellMatch.allCases.map(\.rawValue), what: "cell match"))!
            kind = .cells(tables: try tablePatterns(f["tables"]), columnKinds: Set(kinds), match: match)
        case "complete":
            kind = .complete(tables: try tablePatterns(f["tables"]))
        case "parts":
            let check = PartsCheck(rawValue: try req("check").oneOf(PartsCheck.allCases.map(\.rawValue), what: "parts check"))!
            let cp = try f["count_pattern"]?.string("count_pattern")
            if let cp, let node = f["count_pattern"] { try TemplateLoader.checkRegex(cp, at: node, index: 0, what: "count_pattern") }
            kind = .parts(check, countPattern: cp)
        case "labels":
            kind = .labels(tables: try tablePatterns(f["tables"]))
        default:
            throw n.fail("unknown rule kind \(kindName)")
        }
        var examples = Rule.Examples(pass: [], fail: [])
        if let ex = f["examples"] {
            let em = try ex.mapping(allowed: ["pass", "fail"], what: "examples")
            examples.pass = try em["pass"]?.stringList("pass") ?? []
            examples.fail = try em["fail"]?.stringList("fail") ?? []
        }
        for k in ["message", "fix"] {
            if let node = f[k] { try checkTemplate(try node.string(k), at: node) }
        }
        return Rule(id: id, title: try f["title"]?.string("title") ?? id, severity: severity, category: category,
                    reference: try f["reference"]?.string("reference"), description: try f["description"]?.string("description"),
                    when: when, kind: kind, message: try f["message"]?.string("message"), fix: try f["fix"]?.string("fix"),
                    unevaluated: unevaluated, examples: examples, file: n.file, line: n.line)
    }

    func unknownTable(_ t: String) -> String {
        let all = Array(Set(templates.templates.flatMap { $0.tables.map(\.key) })).sorted()
        var msg = "no template has a table '\(t)'; known tables: \(all.joined(separator: ", "))"
        if let near = YNode.closest(t, in: all) { msg += " (did you mean '\(near)'?)" }
        return msg
    }

    func tablePatterns(_ n: YNode?) throws -> [String] {
        guard let n else { return ["*"] }
        let pats = try n.stringList("tables")
        let all = templates.templates.flatMap { $0.tables.flatMap { [$0.key, $0.group ?? ""] } }
        for p in pats where !all.contains(where: { KeyPattern.matches($0, pattern: p) }) {
            throw n.fail(unknownTable(p))
        }
        return pats
    }

    func tolerance(_ n: YNode?) throws -> Decimal {
        guard let n else { return 0 }
        let s = try n.string("tolerance")
        guard let d = OGIModel.ExactDecimal.parse(s), d >= 0 else { throw n.fail("tolerance must be a non-negative number, e.g. 0.01; found '\(s)'") }
        return d
    }

    func parseIteration(_ n: YNode, vars: inout Set<String>) throws -> Iteration {
        if case .sequence = n.node {
            vars.insert("item")
            return .values(try n.stringList("for_each"), name: "item")
        }
        if case .mapping = n.node {
            let m = try n.mapping(allowed: ["columns", "rows", "values", "as", "except"], what: "for_each")
            let except = try m["except"]?.stringList("except") ?? []
            if let t = m["columns"] {
                let table = try t.string("columns")
                guard templates.templates.contains(where: { $0.table(table) != nil }) else { throw t.fail(unknownTable(table)) }
                vars.insert("col"); return .columns(table: table, except: except)
            }
            if let t = m["rows"] {
                let table = try t.string("rows")
                guard templates.templates.contains(where: { $0.table(table) != nil }) else { throw t.fail(unknownTable(table)) }
                vars.insert("row"); return .rows(table: table, except: except)
            }
            if let v = m["values"] {
                let name = try m["as"]?.string("as") ?? "item"
                vars.insert(name)
                return .values(try v.stringList("values"), name: name)
            }
            throw n.fail("for_each needs 'columns: TABLE', 'rows: TABLE' or 'values: [...]'")
        }
        let s = try n.string("for_each")
        let parts = s.split(separator: ".").map(String.init)
        guard parts.count == 2, ["columns", "rows"].contains(parts[1]) else {
            throw n.fail("for_each must be TABLE.columns, TABLE.rows, a list of values, or a mapping; found '\(s)'")
        }
        guard templates.templates.contains(where: { $0.table(parts[0]) != nil }) else { throw n.fail(unknownTable(parts[0])) }
        if parts[1] == "columns" { vars.insert("col"); return .columns(table: parts[0], except: []) }
        vars.insert("row"); return .rows(table: parts[0], except: [])
    }

    /// Parses an expression and checks its names against the templates; errors point into the YAML scalar.
    func expression(_ n: YNode, vars: Set<String>) throws -> Expr {
        let src = try n.string("an expression")
        let quoted: Bool = { if case let .scalar(s) = n.node { return s.style == .singleQuoted || s.style == .doubleQuoted }; return false }()
        func fail(_ offset: Int, _ msg: String) -> RulePackError {
            .invalid(file: n.file, line: n.line, column: n.column + offset + (quoted ? 1 : 0), problem: "in expression: \(msg)")
        }
        let e: Expr
        do { e = try ExpressionParser.parse(src) } catch let err as ExpressionError {
            throw fail(err.offset, err.message)
        }
        try check(e, vars: vars.union(["it"]), fail: { fail(0, $0) })
        return e
    }

    func check(_ e: Expr, vars: Set<String>, fail: (String) -> RulePackError) throws {
        switch e {
        case .number, .string, .null, .bool: return
        case .unary(_, let a): try check(a, vars: vars, fail: fail)
        case .binary(_, let a, let b): try check(a, vars: vars, fail: fail); try check(b, vars: vars, fail: fail)
        case .call(_, let args): for a in args { try check(a, vars: vars, fail: fail) }
        case .path(let segs):
            var names: [String] = []
            var dynamic = false
            for s in segs {
                switch s {
                case .name(let n): names.append(n)
                case .variable(let v):
                    guard vars.contains(v) else {
                        throw fail("unknown variable '$\(v)'; variables come from for_each (available here: \(vars.sorted().map { "$" + $0 }.joined(separator: ", ")))")
                    }
                    dynamic = true
                case .index(let ie): try check(ie, vars: vars, fail: fail); dynamic = true
                }
            }
            if case .variable = segs[0] { return }
            guard let first = names.first else { return }
            if segs.count == 1, RulePackLoader.metadataNames.contains(first) { return }
            let specs = templates.templates.compactMap { $0.table(first) }
            guard !specs.isEmpty else {
                var msg = "'\(first)' is neither a table nor a report field; report fields: \(RulePackLoader.metadataNames.sorted().joined(separator: ", "))"
                if let near = YNode.closest(first, in: Array(RulePackLoader.metadataNames) + templates.templates.flatMap { $0.tables.map(\.key) }) {
                    msg += " (did you mean '\(near)'?)"
                }
                throw fail(msg)
            }
            if dynamic { return }
            let rest = names.dropFirst().joined(separator: ".")
            let ok = specs.contains { spec in spec.rows.contains { r in rest.hasPrefix(r.key + ".") && spec.column(String(rest.dropFirst(r.key.count + 1))) != nil } }
            if !ok {
                throw fail("'\(names.joined(separator: "."))' names no cell: expected \(first).ROW.COLUMN with ROW one of \(Array(Set(specs.flatMap { $0.rows.map(\.key) })).sorted().joined(separator: ", "))")
            }
        }
    }

    /// Message and fix templates may use {name} placeholders; an unclosed brace is an error.
    func checkTemplate(_ t: String, at n: YNode) throws {
        var depth = 0
        for c in t {
            if c == "{" { depth += 1; if depth > 1 { throw n.fail("nested '{' in a message template") } }
            if c == "}" { depth -= 1; if depth < 0 { throw n.fail("'}' without '{' in a message template") } }
        }
        if depth != 0 { throw n.fail("unclosed '{' in a message template") }
    }
}

/// Key patterns in rules: `*` matches any run of characters (`withheld.*`, `other*`).
public enum KeyPattern {
    public static func matches(_ key: String, pattern: String) -> Bool {
        if !pattern.utf8.contains(UInt8(ascii: "*")) { return key == pattern }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(key)
        for (i, p) in parts.enumerated() {
            if i == 0 {
                guard rest.hasPrefix(p) else { return false }
                rest = rest.dropFirst(p.count)
            } else if i == parts.count - 1 {
                return p.isEmpty || rest.hasSuffix(p)
            } else {
                guard let r = rest.firstRange(of: p) else { return false }
                rest = rest[r.upperBound...]
            }
        }
        return rest.isEmpty
    }
}
