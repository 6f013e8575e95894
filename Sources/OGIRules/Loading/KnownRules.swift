import OGIAnalysis
import OGIModel

/// What a validated load built of one rule besides its kind: the rule's node, its kind's place in
/// `RuleKinds.all`, the node of each allowed key's value (`YFields.values`), and the fields `Rule` takes as they
/// were read (title, severity, texts, examples). Stored in a `ParsedRulesCache` entry (format 8), so a trusted hit
/// of the same bytes does not read the rule's keys again: it only parses the kind (from the same nodes) and takes
/// the rest. It is used only for the rule at its node whose id node has the id its `KnownRuleFacts` name.
struct KnownRule: Equatable {
    var node: Int
    var kind: Int
    /// Per allowed key of the kind (`RuleParser.allowedKeys[kind]`), the node index of its value, or -1.
    var fields: [Int]
    var severity: Severity
    var category: Category
    var unevaluated: Severity
    var templatesStated: Bool
    /// The title, reference, description, message, fix and examples (read from an entry only when first asked for).
    var texts: RuleTexts

    var title: String {
        get { texts.value.title }
        set { texts = texts.with { $0.title = newValue } }
    }
    var reference: String? { texts.value.reference }
    var description: String? { texts.value.description }
    var message: String? { texts.value.message }
    var fix: String? { texts.value.fix }
    var pass: [RuleExample] {
        get { texts.value.examples.pass }
        set { texts = texts.with { $0.examples.pass = newValue } }
    }
    var fail: [RuleExample] { texts.value.examples.fail }

    init(
        node: Int, kind: Int, fields: [Int], severity: Severity, category: Category, unevaluated: Severity,
        templatesStated: Bool, texts: RuleTexts
    ) {
        self.node = node; self.kind = kind; self.fields = fields; self.severity = severity; self.category = category
        self.unevaluated = unevaluated; self.templatesStated = templatesStated; self.texts = texts
    }

    init(
        node: Int, kind: Int, fields: [Int], title: String, severity: Severity, category: Category, reference: String?,
        description: String?, message: String?, fix: String?, unevaluated: Severity, pass: [RuleExample], fail: [RuleExample],
        templatesStated: Bool
    ) {
        self.init(
            node: node, kind: kind, fields: fields, severity: severity, category: category, unevaluated: unevaluated,
            templatesStated: templatesStated,
            texts: RuleTexts(
                RuleTexts.Values(
                    title: title, reference: reference, description: description, message: message, fix: fix,
                    examples: Rule.Examples(pass: pass, fail: fail))))
    }

    /// What `rule`, built from the mapping at `node` read as a rule of kind `kind` with `fields`, holds of it.
    init(_ rule: Rule, node: Int, kind: Int, fields: [Int]) {
        self.init(
            node: node, kind: kind, fields: fields, severity: rule.severity, category: rule.category,
            unevaluated: rule.unevaluated, templatesStated: rule.templatesStated, texts: rule.texts)
    }

    static func == (a: KnownRule, b: KnownRule) -> Bool {
        a.node == b.node && a.kind == b.kind && a.fields == b.fields && a.severity == b.severity && a.category == b.category
            && a.unevaluated == b.unevaluated && a.templatesStated == b.templatesStated && a.texts.value == b.texts.value
    }
}

/// Collects what a validated load built of each rule, in load order (for the cache entry).
final class KnownRuleRecorder {
    private(set) var rules: [KnownRule] = []

    init() {}

    func record(_ rule: KnownRule) { rules.append(rule) }
}

extension RuleParser {
    /// The rule at `n` built from what a validated load of the same bytes kept of it (`built`, `facts`), parsing
    /// only its kind (and `when`, `for_each`) from the nodes. Nil when they do not describe this node (another
    /// rule, another kind's keys, nodes outside the table): the rule is then built from its keys as before.
    func builtRule(_ n: YNode, vocabulary: ProseVocabulary?, facts: KnownRuleFacts, built: KnownRule) throws -> Rule? {
        guard built.node == n.index, n.isMapping, built.kind >= 0, built.kind < RuleKinds.all.count else { return nil }
        let allowed = Self.allowedKeys[built.kind]
        // Every value lies inside the rule's mapping.
        let end = n.index + n.table.size(n.index)
        guard built.fields.count == allowed.count, built.fields.allSatisfy({ $0 == -1 || ($0 > n.index && $0 < end) }) else {
            return nil
        }
        let f = YFields(table: n.table, file: n.file, allowed: allowed, values: built.fields)
        guard let idNode = f["id"], n.table.text(idNode.index, equals: facts.id) else { return nil }
        let kindType = RuleKinds.all[built.kind]
        var vars: Set<String> = []
        let iteration = try f["for_each"].map { try parseIteration($0, vars: &vars) }
        let when = try f["when"].map { try expression($0, vars: []) }
        let kind = try kindType.parse(
            RuleFields(
                fields: f, node: n, id: facts.id, shared: shared, variables: vars, iteration: iteration,
                vocabulary: vocabulary, validate: false, knownExpressions: knownExpressions, recordedExpressions: nil))
        return Rule(
            id: facts.id, severity: built.severity, category: built.category, when: when, kind: kind,
            unevaluated: built.unevaluated, texts: built.texts, templates: facts.templates, templatesStated: built.templatesStated,
            appliesToEveryTemplate: facts.templates.count == templates.templates.count, needsPrevious: facts.needsPrevious,
            file: n.file, line: n.line)
    }
}

extension TreeEncoder {
    /// The built rules: their number, then per rule its node, kind, field nodes (each plus one), severities,
    /// category and whether templates were stated, then its texts and examples (last, so a reader can take them
    /// later).
    mutating func knownRules(_ rules: [KnownRule]) {
        int(rules.count)
        for r in rules {
            int(r.node); int(r.kind); int(r.fields.count)
            for v in r.fields { int(v + 1) }
            byte(Self.place(of: r.severity, in: Severity.allCases)); byte(Self.place(of: r.category, in: Category.allCases))
            byte(Self.place(of: r.unevaluated, in: Severity.allCases))
            byte(r.templatesStated ? 1 : 0)
            let t = r.texts.value
            string(t.title)
            optionalString(t.reference); optionalString(t.description); optionalString(t.message); optionalString(t.fix)
            examples(t.examples.pass); examples(t.examples.fail)
        }
    }

    static func place<T: Equatable>(of value: T, in all: [T]) -> UInt8 { UInt8(all.firstIndex(of: value)!) }

    /// A list of examples: each its file, where it expects a finding (0 nowhere, 1 a cell key, 2 a line), and last
    /// year's report.
    mutating func examples(_ list: [RuleExample]) {
        int(list.count)
        for e in list {
            string(e.file)
            switch e.at {
            case nil: byte(0)
            case .cell(let key): byte(1); string(key)
            case .line(let line): byte(line < 0 ? 3 : 2); int(Int(line.magnitude))
            }
            optionalString(e.previous)
        }
    }
}

extension TreeDecoder {
    /// What `TreeEncoder.knownRules` wrote; nil when the bytes are not that. With `source` (an array whose first
    /// bytes are the ones this decoder reads) each rule's texts are only checked to be there and are read on first use.
    mutating func knownRules(source: [UInt8]? = nil) -> [KnownRule]? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var out: [KnownRule] = []
        out.reserveCapacity(count)
        let severities = Severity.allCases, categories = Category.allCases
        for _ in 0..<count {
            guard let node = int(), let kind = int(), let n = int(), n <= bytes.count - offset else { return nil }
            var fields: [Int] = []
            fields.reserveCapacity(n)
            for _ in 0..<n {
                guard let v = int() else { return nil }
                fields.append(v - 1)
            }
            guard let s = byte(), Int(s) < severities.count, let c = byte(), Int(c) < categories.count, let u = byte(),
                Int(u) < severities.count, let stated = byte(), stated <= 1
            else { return nil }
            let texts: RuleTexts
            if let source, source.count >= bytes.count {
                let start = offset
                guard skipTexts() else { return nil }
                texts = RuleTexts(reading: {
                    source.withUnsafeBufferPointer { b in
                        var d = TreeDecoder(bytes: b, offset: start)
                        // Checked by `skipTexts` when the entry was read: the same bytes read.
                        return d.texts() ?? RuleTexts.Values(title: "", examples: Rule.Examples(pass: [], fail: []))
                    }
                })
            } else {
                guard let values = self.texts() else { return nil }
                texts = RuleTexts(values)
            }
            out.append(
                KnownRule(
                    node: node, kind: kind, fields: fields, severity: severities[Int(s)], category: categories[Int(c)],
                    unevaluated: severities[Int(u)], templatesStated: stated == 1, texts: texts))
        }
        return out
    }

    /// A rule's texts and examples as `TreeEncoder.knownRules` wrote them; nil when the bytes are not that.
    mutating func texts() -> RuleTexts.Values? {
        guard let title = string(), let reference = optionalString(), let description = optionalString(),
            let message = optionalString(), let fix = optionalString(), let pass = examples(), let fail = examples()
        else { return nil }
        return RuleTexts.Values(
            title: title, reference: reference, description: description, message: message, fix: fix,
            examples: Rule.Examples(pass: pass, fail: fail))
    }

    /// Goes past what `texts()` reads without making its strings; false when the bytes are not that.
    mutating func skipTexts() -> Bool {
        guard skipString() else { return false }
        for _ in 0..<4 {
            switch byte() {
            case 0: continue
            case 1: guard skipString() else { return false }
            default: return false
            }
        }
        for _ in 0..<2 {
            guard let count = int(), count <= bytes.count - offset else { return false }
            for _ in 0..<count {
                guard skipString() else { return false }
                switch byte() {
                case 0: break
                case 1: guard skipString() else { return false }
                case 2, 3: guard int() != nil else { return false }
                default: return false
                }
                switch byte() {
                case 0: break
                case 1: guard skipString() else { return false }
                default: return false
                }
            }
        }
        return true
    }

    /// Goes past a string `string()` reads; false when the bytes are not one.
    mutating func skipString() -> Bool {
        guard let n = int(), n <= bytes.count - offset else { return false }
        offset += n
        return true
    }

    /// What `TreeEncoder.examples` wrote; nil when the bytes are not that.
    mutating func examples() -> [RuleExample]? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var out: [RuleExample] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let file = string() else { return nil }
            var example = RuleExample(file: file)
            switch byte() {
            case 0: break
            case 1:
                guard let key = string() else { return nil }
                example.at = .cell(key)
            case 2, 3:
                let negative = bytes[offset - 1] == 3
                guard let line = int() else { return nil }
                example.at = .line(negative ? -line : line)
            default: return nil
            }
            guard let previous = optionalString() else { return nil }
            example.previous = previous
            out.append(example)
        }
        return out
    }
}
