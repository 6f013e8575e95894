import Foundation
import OGIAnalysis
import OGIModel

/// Turns a rule pack's YAML into `Rule` values, validating every field, expression and key with its position.
struct RuleParser {
    /// The templates, held once for every parser and rule fields of a load (copying a `TemplateSet`, a profile of
    /// dozens of lists, for each expression a kind parses cost a load a third of a million instructions).
    let shared: SharedTemplateSet
    var templates: TemplateSet { shared.set }
    /// False only for YAML this executable already loaded with validation (a trusted `ParsedRulesCache` hit):
    /// then the checks that can only throw (names against the templates, types, placeholders, patterns) are
    /// skipped; everything that builds a rule runs as before, so the rules are the same.
    var validate = true
    /// What an earlier validated load derived for each rule of the set, in load order (a trusted
    /// `ParsedRulesCache` hit; empty otherwise), and the place of this pack's first rule among them.
    var known: [KnownRuleFacts] = []
    var knownOffset = 0
    /// The expression trees a validated load of the same bytes parsed (a trusted hit; used only without
    /// validation), and where a validated load keeps the trees it parses (for the cache entry).
    var knownExpressions: KnownExpressions? = nil
    var recordedExpressions: KnownExpressions? = nil
    /// What a validated load of the same bytes built of each rule besides its kind, in load order like `known`
    /// (a trusted hit; empty otherwise), and where a validated load keeps what it builds (for the cache entry).
    var knownRules: [KnownRule] = []
    var recordedRules: KnownRuleRecorder? = nil

    init(templates: TemplateSet, validate: Bool = true) {
        self.init(shared: SharedTemplateSet(templates), validate: validate)
    }

    init(shared: SharedTemplateSet, validate: Bool = true) {
        self.shared = shared
        self.validate = validate
    }

    static let commonKeys = [
        "id", "title", "severity", "category", "reference", "description", "when", "kind",
        "message", "fix", "unevaluated", "examples", "templates",
    ]

    /// Every kind's name, sorted (as error messages list them).
    static let kindNames = RuleKinds.all.map { $0.name }.sorted()
    /// The keys a rule of each kind may have: the common ones, then the kind's own; in the order of
    /// `RuleKinds.all` (an array, not a dictionary keyed by `ObjectIdentifier`, whose first use would cost the
    /// run a scan of every protocol conformance in the program).
    static let allowedKeys = RuleKinds.all.map { commonKeys + $0.keys }
    static let severities = Severity.allCases.map(\.rawValue)
    static let categories = Category.allCases.map(\.rawValue)

    func parsePack(_ root: YNode) throws -> [Rule] {
        let top = try root.mapping(allowed: ["pack", "description", "prose", "rules"], what: "a rule pack")
        guard let list = top["rules"] else { throw root.fail("a rule pack needs a 'rules:' list") }
        let vocabulary = try top["prose"].map(ProseYAML.vocabulary)
        let items = try list.list("rules")
        var rules: [Rule] = []
        rules.reserveCapacity(items.count)
        for i in items.indices {
            let place = knownOffset + i
            if !validate, place < knownRules.count, place < known.count,
                let rule = try builtRule(items[i], vocabulary: vocabulary, facts: known[place], built: knownRules[place])
            {
                rules.append(rule)
                continue
            }
            rules.append(try parseRule(items[i], vocabulary: vocabulary, known: place < known.count ? known[place] : nil))
        }
        return rules
    }

    /// `known`: what a validated load of the same bytes derived for this rule; used only without validation,
    /// and only when its id is this rule's.
    func parseRule(_ n: YNode, vocabulary: ProseVocabulary? = nil, known: KnownRuleFacts? = nil) throws -> Rule {
        guard n.isMapping else {
            throw n.fail("each rule must be a mapping with at least 'id', 'severity' and 'category'")
        }
        let kindNames = Self.kindNames
        let kindIndex: Int
        if let k = n.firstValue(forKey: "kind") {
            kindIndex = RuleKinds.index(named: try k.oneOf(kindNames, what: "rule kind"))!
        } else if n.hasKey("assert") {
            kindIndex = RuleKinds.index(named: AssertKind.name)!
        } else {
            throw n.fail("a rule needs 'assert: EXPRESSION' or 'kind:' (one of: \(kindNames.joined(separator: ", ")))")
        }
        let kindType = RuleKinds.all[kindIndex]
        let f = try n.mapping(allowed: Self.allowedKeys[kindIndex], what: "a rule of kind '\(kindType.name)'")
        guard let idNode = f["id"] else { throw n.fail("a rule needs an 'id'") }
        let id = try idNode.string("id")
        guard !validate || Self.wellFormed(id: id) else {
            throw idNode.fail("rule id '\(id)' should be upper case words joined by '-', e.g. APP-BALANCE")
        }
        func req(_ k: String) throws -> YNode {
            guard let v = f[k] else { throw n.fail("rule \(id) needs '\(k)'") }
            return v
        }
        let severity = Severity(rawValue: try req("severity").oneOf(Self.severities, what: "severity"))!
        let category = Category(rawValue: try req("category").oneOf(Self.categories, what: "category"))!
        let unevaluated = try f["unevaluated"].map { Severity(rawValue: try $0.oneOf(Self.severities, what: "severity"))! } ?? .warning
        var vars: Set<String> = []
        let iteration = try f["for_each"].map { try parseIteration($0, vars: &vars) }
        let when = try f["when"].map { node -> Expr in
            let e = try expression(node, vars: [])
            guard validate else { return e }
            let t = ExpressionTypes(templates: templates).type(of: e)
            if t != .boolean && t != .unknown {
                throw node.fail("'when' must be a condition that is true or false; this expression is a \(t.rawValue)")
            }
            return e
        }
        let kind = try kindType.parse(
            RuleFields(
                fields: f, node: n, id: id, shared: shared, variables: vars, iteration: iteration,
                vocabulary: vocabulary, validate: validate, knownExpressions: knownExpressions,
                recordedExpressions: recordedExpressions))
        var examples = Rule.Examples(pass: [], fail: [])
        if let ex = f["examples"] {
            let em = try ex.mapping(allowed: ["pass", "fail"], what: "examples")
            examples.pass = try em["pass"].map { try parseExamples($0, "pass") } ?? []
            examples.fail = try em["fail"].map { try parseExamples($0, "fail") } ?? []
            if validate, let p = examples.pass.first(where: { $0.at != nil }), let node = em["pass"] {
                throw node.fail("a passing example expects no finding, so it cannot say where one is ('at' on \(p.file))")
            }
        }
        // Placeholders: the report's fields, loop variables and what the kind provides.
        for k in ["message", "fix"] where validate {
            guard let node = f[k] else { continue }
            var allowed = MessageKeys.reportPlaceholders.union(kind.placeholders)
            for v in vars { allowed.insert(v); allowed.insert(v + "_key") }
            let text = try node.string(k)
            try Self.checkTemplate(text, at: node)
            for p in MessageCatalog.placeholders(in: text) where !allowed.contains(p) {
                var msg =
                    "unknown placeholder {\(p)} in \(k); a rule of kind '\(kindType.name)' provides: \(allowed.sorted().map { "{\($0)}" }.joined(separator: ", "))"
                if let near = YNode.closest(p, in: Array(allowed)) { msg += " (did you mean {\(near)}?)" }
                throw node.fail(msg)
            }
        }
        // Templates: stated, or every template that has the cells and tables the rule reads.
        let ids = templates.templates.map(\.id)
        var applies: [String]
        let stated = f["templates"] != nil
        let needsPrevious: Bool
        if !validate, let known, known.id == id {
            // The same bytes gave these when they were validated; deriving them again gives the same.
            applies = known.templates
            needsPrevious = known.needsPrevious
        } else {
            let refs = kind.references  // computed once: a kind derives it from its expressions
            if let tn = f["templates"] {
                applies = try tn.list("templates").map { try $0.oneOf(ids, what: "template") }
            } else {
                applies = templates.templates.filter { refs.satisfied(by: $0) }.map(\.id)
                if applies.isEmpty {
                    throw n.fail("rule \(id) reads cells that no single template has; name the cells of one template, or split the rule")
                }
            }
            needsPrevious = refs.previous || (when?.readsPrevious ?? false)
        }
        let rule = Rule(
            id: id, title: try f["title"]?.string("title") ?? id, severity: severity, category: category,
            reference: try f["reference"]?.string("reference"), description: try f["description"]?.string("description"),
            when: when, kind: kind, message: try f["message"]?.string("message"), fix: try f["fix"]?.string("fix"),
            unevaluated: unevaluated, examples: examples, templates: applies, templatesStated: stated,
            appliesToEveryTemplate: applies.count == ids.count,
            needsPrevious: needsPrevious, file: n.file, line: n.line)
        recordedRules?.record(KnownRule(rule, node: n.index, kind: kindIndex, fields: f.values))
        return rule
    }

    /// A rule id is upper case words of letters and digits joined by '-', starting with a letter.
    static func wellFormed(id: String) -> Bool {
        let words = id.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty
            && words.allSatisfy { w in !w.isEmpty && w.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") } }
            && id.first.map { $0 >= "A" && $0 <= "Z" } == true
    }

    /// `[file, …]` or `[{file: F, at: table.row.column}, {file: F, at: {line: 54}}]`.
    func parseExamples(_ n: YNode, _ what: String) throws -> [RuleExample] {
        if n.isScalar { return [RuleExample(file: try n.string(what))] }
        return try n.list(what).map { item in
            if item.isScalar { return RuleExample(file: try item.string(what)) }
            let m = try item.mapping(allowed: ["file", "at", "previous"], what: "an example")
            guard let file = m["file"] else { throw item.fail("an example needs 'file'") }
            var ex = RuleExample(file: try file.string("file"))
            ex.previous = try m["previous"]?.string("previous")
            if let at = m["at"] {
                if at.isMapping {
                    let am = try at.mapping(allowed: ["line"], what: "'at'")
                    guard let l = am["line"] else {
                        throw at.fail("'at' needs 'line: N' or a cell key such as applications.results_total.total")
                    }
                    let line = try l.int("line")
                    guard line >= 1 else { throw l.fail("a line number starts at 1") }
                    ex.at = .line(line)
                } else {
                    let key = try at.string("at")
                    guard validate else {
                        ex.at = .cell(key)
                        return ex
                    }
                    let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
                    let specs = parts.count == 2 ? templates.templates.compactMap { $0.table(parts[0]) } : []
                    guard !specs.isEmpty, specs.contains(where: { $0.resolve(parts[1]) != nil }) else {
                        var msg = "'at: \(key)' names no cell; write TABLE.ROW.COLUMN"
                        if let spec = specs.first {
                            msg +=
                                " with ROW one of \(spec.rows.map(\.key).joined(separator: ", ")) and COLUMN one of \(spec.columns.map(\.key).joined(separator: ", "))"
                        } else if parts.count == 2 || parts.count == 1 {
                            msg = "'at: \(key)' names no cell: " + unknownTable(parts[0])
                        }
                        throw at.fail(msg)
                    }
                    ex.at = .cell(key)
                }
            }
            return ex
        }
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
        guard validate else { return pats }
        let all = templates.templates.flatMap { $0.tables.flatMap { [$0.key, $0.group ?? ""] } }
        for p in pats where !all.contains(where: { KeyPattern.matches($0, pattern: p) }) {
            throw n.fail(unknownTable(p))
        }
        return pats
    }

    func tolerance(_ n: YNode?) throws -> Decimal {
        guard let n else { return 0 }
        let s = try n.string("tolerance")
        guard let d = OGIModel.ExactDecimal.parse(s), d >= 0 else {
            throw n.fail("tolerance must be a non-negative number, e.g. 0.01; found '\(s)'")
        }
        return d
    }

    func parseIteration(_ n: YNode, vars: inout Set<String>) throws -> Iteration {
        if n.isSequence {
            vars.insert("item")
            return .values(try n.stringList("for_each"), name: "item")
        }
        if n.isMapping {
            let m = try n.mapping(allowed: ["columns", "rows", "values", "as", "except"], what: "for_each")
            let except = try m["except"]?.stringList("except") ?? []
            if let t = m["columns"] {
                let table = try t.string("columns")
                guard !validate || templates.templates.contains(where: { $0.table(table) != nil }) else {
                    throw t.fail(unknownTable(table))
                }
                vars.insert("col"); return .columns(table: table, except: except)
            }
            if let t = m["rows"] {
                let table = try t.string("rows")
                guard !validate || templates.templates.contains(where: { $0.table(table) != nil }) else {
                    throw t.fail(unknownTable(table))
                }
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
        guard !validate || templates.templates.contains(where: { $0.table(parts[0]) != nil }) else {
            throw n.fail(unknownTable(parts[0]))
        }
        if parts[1] == "columns" { vars.insert("col"); return .columns(table: parts[0], except: []) }
        vars.insert("row"); return .rows(table: parts[0], except: [])
    }

    /// Parses an expression and checks its names against the templates; errors point into the YAML scalar.
    func expression(_ n: YNode, vars: Set<String>) throws -> Expr {
        if !validate, let tree = knownExpressions?.tree(at: n.index, in: n.table) { return tree }
        let src = try n.string("an expression")
        let quoted = n.scalarStyle == .singleQuoted || n.scalarStyle == .doubleQuoted
        func fail(_ offset: Int, _ msg: String) -> RulePackError {
            .invalid(file: n.file, line: n.line, column: n.column + offset + (quoted ? 1 : 0), problem: "in expression: \(msg)")
        }
        let e: Expr
        do { e = try ExpressionParser.parse(src) } catch let err as ExpressionError {
            throw fail(err.offset, err.message)
        }
        guard validate else { return e }
        try check(e, vars: vars.union(["it"]), fail: { fail(0, $0) })
        do { _ = try ExpressionTypes(templates: templates).check(e) } catch let t as ExpressionTypes.TypeError { throw fail(0, t.message) }
        recordedExpressions?.record(node: n.index, source: src, tree: e)
        return e
    }

    func check(_ e: Expr, vars: Set<String>, fail: (String) -> RulePackError) throws {
        switch e {
        case .number, .string, .null, .bool: return
        case .unary(_, let a): try check(a, vars: vars, fail: fail)
        case .binary(_, let a, let b): try check(a, vars: vars, fail: fail); try check(b, vars: vars, fail: fail)
        case .call(_, let args): for a in args { try check(a, vars: vars, fail: fail) }
        case .path(let all):
            if let rest = Expr.previousPath(all) { try check(.path(rest), vars: vars, fail: fail); return }
            let segs = all
            var names: [String] = []
            var dynamic = false
            for s in segs {
                switch s {
                case .name(let n): names.append(n)
                case .variable(let v):
                    guard vars.contains(v) else {
                        throw fail(
                            "unknown variable '$\(v)'; variables come from for_each (available here: \(vars.sorted().map { "$" + $0 }.joined(separator: ", ")))"
                        )
                    }
                    dynamic = true
                case .index(let ie): try check(ie, vars: vars, fail: fail); dynamic = true
                }
            }
            if case .variable = segs[0] { return }
            guard let first = names.first else { return }
            if segs.count == 1, ReportField(rawValue: first) != nil { return }
            let specs = templates.templates.compactMap { $0.table(first) }
            guard !specs.isEmpty else {
                let fields = ReportField.allCases.map(\.rawValue)
                var msg = "'\(first)' is neither a table nor a report field; report fields: \(fields.sorted().joined(separator: ", "))"
                if let near = YNode.closest(first, in: fields + templates.templates.flatMap { $0.tables.map(\.key) }) {
                    msg += " (did you mean '\(near)'?)"
                }
                throw fail(msg)
            }
            if dynamic { return }
            let rest = names.dropFirst().joined(separator: ".")
            if specs.contains(where: { $0.resolve(rest) != nil }) { return }
            // Say which part is wrong: the row (list the rows) or the column (list the columns of that row's table).
            let rowKeys = Array(Set(specs.flatMap { $0.rows.map(\.key) })).sorted()
            let withRow = templates.templates.compactMap { t -> (String, TableSpec, String)? in
                guard let spec = t.table(first), let row = spec.rows.first(where: { rest.hasPrefix($0.key + ".") }) else { return nil }
                return (t.id, spec, String(rest.dropFirst(row.key.count + 1)))
            }
            if let col = withRow.first?.2 {
                let listed = withRow.map { id, spec, _ in
                    spec.columns.map(\.key).joined(separator: ", ") + (withRow.count > 1 ? " (template \(id))" : "")
                }
                var msg =
                    "'\(names.joined(separator: "."))' names no cell: table \(first) has no column '\(col)'; columns: \(listed.joined(separator: "; "))"
                if let near = YNode.closest(col, in: withRow.flatMap { $0.1.columns.map(\.key) }) { msg += " (did you mean '\(near)'?)" }
                throw fail(msg)
            }
            var msg =
                "'\(names.joined(separator: "."))' names no cell: expected \(first).ROW.COLUMN with ROW one of \(rowKeys.joined(separator: ", "))"
            if let r = names.dropFirst().first, let near = YNode.closest(r, in: rowKeys) { msg += " (did you mean '\(near)'?)" }
            throw fail(msg)
        }
    }

    /// Message and fix templates may use {name} placeholders; an unclosed brace is an error.
    static func checkTemplate(_ t: String, at n: YNode) throws {
        var depth = 0
        if MessageCatalog.bracesStandAlone(t) {
            for b in t.utf8 {
                if b == UInt8(ascii: "{") { depth += 1; if depth > 1 { throw n.fail("nested '{' in a message template") } }
                if b == UInt8(ascii: "}") { depth -= 1; if depth < 0 { throw n.fail("'}' without '{' in a message template") } }
            }
            if depth != 0 { throw n.fail("unclosed '{' in a message template") }
            return
        }
        for c in t {
            if c == "{" { depth += 1; if depth > 1 { throw n.fail("nested '{' in a message template") } }
            if c == "}" { depth -= 1; if depth < 0 { throw n.fail("'}' without '{' in a message template") } }
        }
        if depth != 0 { throw n.fail("unclosed '{' in a message template") }
    }
}

/// What building a rule derives from its kind's expressions and the templates (the slow part of building it),
/// as a validated load found it: stored beside the parsed YAML in a `ParsedRulesCache` entry so a trusted hit
/// need not derive it again.
struct KnownRuleFacts: Equatable {
    var id: String
    /// `Rule.templates`.
    var templates: [String]
    /// `Rule.needsPrevious`.
    var needsPrevious: Bool

    init(id: String, templates: [String], needsPrevious: Bool) {
        self.id = id; self.templates = templates; self.needsPrevious = needsPrevious
    }

    init(_ rule: Rule) { self.init(id: rule.id, templates: rule.templates, needsPrevious: rule.needsPrevious) }
}

/// Key patterns in rules: `*` matches any run of characters (`withheld.*`, `other*`).
public enum KeyPattern {
    public static func matches(_ key: String, pattern: String) -> Bool {
        if !FastText.containsByte(pattern, UInt8(ascii: "*")) { return key == pattern }
        if let fast = asciiMatches(key, pattern: pattern) { return fast }
        return charactersMatch(key, pattern: pattern)
    }

    /// `matches` over bytes, without splitting the pattern into strings: exact for ASCII texts without CR, where
    /// a byte is a character (CR and LF would make one) and equal characters are equal bytes. Nil for other
    /// texts and for an empty part between two stars, which `charactersMatch` decides.
    static func asciiMatches(_ key: String, pattern: String) -> Bool? {
        return key.withUTF8Bytes { k -> Bool? in
            pattern.withUTF8Bytes { p -> Bool? in
                func plain(_ b: UnsafeBufferPointer<UInt8>) -> Bool { !b.contains { $0 >= 0x80 || $0 == 0x0D } }
                guard plain(k), plain(p) else { return nil }
                func equal(_ kStart: Int, _ part: Range<Int>) -> Bool {
                    for i in 0..<part.count where k[kStart + i] != p[part.lowerBound + i] { return false }
                    return true
                }
                let star = UInt8(ascii: "*")
                var end = 0
                while p[end] != star { end += 1 }  // the pattern has a star
                guard end <= k.count, equal(0, 0..<end) else { return false }
                var at = end  // in the key, after what matched so far
                var start = end + 1  // in the pattern, the next part
                while true {
                    var stop = start
                    while stop < p.count, p[stop] != star { stop += 1 }
                    let part = start..<stop
                    if stop == p.count {
                        return part.isEmpty || (k.count - at >= part.count && equal(k.count - part.count, part))
                    }
                    if part.isEmpty { return nil }
                    guard k.count - at >= part.count else { return false }
                    var found: Int?
                    for i in at...(k.count - part.count) where equal(i, part) {
                        found = i
                        break
                    }
                    guard let found else { return false }
                    at = found + part.count
                    start = stop + 1
                }
            }
        }
    }

    /// `matches` character by character, for a pattern with a star.
    static func charactersMatch(_ key: String, pattern: String) -> Bool {
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
