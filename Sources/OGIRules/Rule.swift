import Foundation
import OGIModel

/// How a rule iterates: once per column or row of a table, or once per listed value.
public enum Iteration: Sendable {
    /// Binds `$col` to each column key of the table (optionally leaving some out).
    case columns(table: String, except: [String])
    /// Binds `$row` to each row key of the table (optionally leaving some out).
    case rows(table: String, except: [String])
    /// Binds `$<name>` to each listed value.
    case values([String], name: String)

    /// The variable the iteration binds.
    var variable: String {
        switch self {
        case .columns: "col"
        case .rows: "row"
        case .values(_, let name): name
        }
    }

    /// The table iterated over, for columns and rows.
    var table: String? {
        switch self {
        case let .columns(t, _), let .rows(t, _): t
        case .values: nil
        }
    }

    /// How `ogilint rules ID` and the reference describe it.
    public var summary: String {
        switch self {
        case let .columns(t, except):
            return "column of \(t)" + (except.isEmpty ? "" : " except \(except.joined(separator: ", "))") + " ($col)"
        case let .rows(t, except): return "row of \(t)" + (except.isEmpty ? "" : " except \(except.joined(separator: ", "))") + " ($row)"
        case let .values(v, name): return "\(v.joined(separator: ", ")) ($\(name))"
        }
    }
}

/// Passing and failing example inputs for a rule (paths relative to the rule file).
public struct RuleExample: Sendable, Equatable {
    /// Where a failing example expects the finding: a cell key or a line.
    public enum Place: Sendable, Equatable, CustomStringConvertible {
        case cell(String)
        case line(Int)
        public var description: String {
            switch self {
            case .cell(let c): c
            case .line(let l): "line \(l)"
            }
        }
    }
    public var file: String
    public var at: Place?
    /// Last year's report to check the example against (for rules reading `previous.`).
    public var previous: String?
    public init(file: String, at: Place? = nil, previous: String? = nil) { self.file = file; self.at = at; self.previous = previous }
}

/// One rule from a rule pack.
public struct Rule: Sendable {
    /// Passing and failing example inputs for the rule.
    public struct Examples: Sendable {
        public var pass: [RuleExample]
        public var fail: [RuleExample]
    }

    public var id: String
    public var title: String {
        get { texts.value.title }
        set { texts = texts.with { $0.title = newValue } }
    }
    public var severity: Severity
    public var category: Category
    public var reference: String? {
        get { texts.value.reference }
        set { texts = texts.with { $0.reference = newValue } }
    }
    public var description: String? {
        get { texts.value.description }
        set { texts = texts.with { $0.description = newValue } }
    }
    public var when: Expr?
    /// What the rule checks and how; one type per kind under `Kinds/`.
    public var kind: any RuleKind
    public var message: String? {
        get { texts.value.message }
        set { texts = texts.with { $0.message = newValue } }
    }
    public var fix: String? {
        get { texts.value.fix }
        set { texts = texts.with { $0.fix = newValue } }
    }
    /// Severity of the finding reported when the rule cannot be evaluated.
    public var unevaluated: Severity
    public var examples: Examples {
        get { texts.value.examples }
        set { texts = texts.with { $0.examples = newValue } }
    }
    /// The templates the rule applies to: those having every cell it names, or those it lists in `templates:`.
    public var templates: [String]
    /// True when `templates:` was written in the rule rather than derived from its cells.
    public var templatesStated: Bool
    /// True when the rule applies to every template of its rule set.
    public var appliesToEveryTemplate: Bool
    /// True when the rule reads last year's report (`previous.`): without one it does not apply and says nothing.
    public var needsPrevious: Bool = false
    /// Where the rule is defined.
    public var file: String
    public var line: Int
    /// The title, reference, description, message, fix and examples: as read, or read on first use (a trusted
    /// cache hit keeps them in the entry until a finding or a listing asks for them).
    var texts: RuleTexts

    init(
        id: String, title: String, severity: Severity, category: Category, reference: String?, description: String?,
        when: Expr?, kind: any RuleKind, message: String?, fix: String?, unevaluated: Severity, examples: Examples,
        templates: [String], templatesStated: Bool, appliesToEveryTemplate: Bool, needsPrevious: Bool = false, file: String,
        line: Int
    ) {
        self.init(
            id: id, severity: severity, category: category, when: when, kind: kind, unevaluated: unevaluated,
            texts: RuleTexts(
                RuleTexts.Values(
                    title: title, reference: reference, description: description, message: message, fix: fix, examples: examples)),
            templates: templates, templatesStated: templatesStated, appliesToEveryTemplate: appliesToEveryTemplate,
            needsPrevious: needsPrevious, file: file, line: line)
    }

    init(
        id: String, severity: Severity, category: Category, when: Expr?, kind: any RuleKind, unevaluated: Severity,
        texts: RuleTexts, templates: [String], templatesStated: Bool, appliesToEveryTemplate: Bool, needsPrevious: Bool,
        file: String, line: Int
    ) {
        self.id = id; self.severity = severity; self.category = category; self.when = when; self.kind = kind
        self.unevaluated = unevaluated; self.texts = texts; self.templates = templates; self.templatesStated = templatesStated
        self.appliesToEveryTemplate = appliesToEveryTemplate; self.needsPrevious = needsPrevious; self.file = file
        self.line = line
    }

    /// The kind's name as written in YAML (`assert`, `sum`, …).
    public var kindName: String { type(of: kind).name }

    /// The rule's explanation for a reader of a SARIF log or a rule list: description, then the fix with every
    /// `{name}` placeholder replaced by a neutral word, so no raw placeholder is shown.
    public func helpText(_ messages: MessageCatalog) -> String {
        func clean(_ s: String) -> String {
            var values: [String: String] = [:]
            for p in MessageCatalog.placeholders(in: s) { values[p] = "…" }
            return MessageCatalog.fill(s, values)
        }
        return [description.map(clean), fix.map(clean)].compactMap { $0 }.joined(separator: "\n")
    }
}

extension Rule: CustomReflectable {
    /// The rule's fields in declaration order with the texts as values, however they are held (as read or still
    /// in a cache entry): two equal rules reflect (and `dump`) alike.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                ("id", id as Any), ("title", title), ("severity", severity), ("category", category), ("reference", reference as Any),
                ("description", description as Any), ("when", when as Any), ("kind", kind), ("message", message as Any),
                ("fix", fix as Any),
                ("unevaluated", unevaluated), ("examples", examples), ("templates", templates),
                ("templatesStated", templatesStated), ("appliesToEveryTemplate", appliesToEveryTemplate),
                ("needsPrevious", needsPrevious), ("file", file), ("line", line),
            ], displayStyle: .struct)
    }
}

/// A rule's title, reference, description, message, fix and examples, either as read or read on first use by
/// `read` (made once, under a lock, so rules can be shared across threads). Replaced, never changed, when a rule's
/// text is set.
final class RuleTexts: @unchecked Sendable {
    struct Values: Equatable {
        var title: String
        var reference: String?
        var description: String?
        var message: String?
        var fix: String?
        var examples: Rule.Examples

        static func == (a: Values, b: Values) -> Bool {
            a.title == b.title && a.reference == b.reference && a.description == b.description && a.message == b.message
                && a.fix == b.fix && a.examples.pass == b.examples.pass && a.examples.fail == b.examples.fail
        }
    }

    private let lock = NSLock()
    private var made: Values?
    private let read: (@Sendable () -> Values)?

    init(_ values: Values) {
        made = values
        read = nil
    }

    init(reading: @escaping @Sendable () -> Values) { read = reading }

    var value: Values {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let v = read!()
        made = v
        return v
    }

    /// New texts: these with `change` applied.
    func with(_ change: (inout Values) -> Void) -> RuleTexts {
        var v = value
        change(&v)
        return RuleTexts(v)
    }
}

/// Everything loaded from the rule folders: templates, reader profile, rules and the message catalog.
public struct RuleSet: Sendable {
    public var templates: TemplateSet
    public var rules: [Rule]
    /// The texts of every finding the tool words itself (not a rule's own message).
    public var messages: MessageCatalog

    /// The bytes the set was loaded from, as a rule cache entry holds them (`RulePackLoader.replica(of:)` builds
    /// the set again from them). They are the set as loaded: a configuration applied since (disabled rules,
    /// severities) is not in them. Nil for a set built from texts, or loaded without a cache folder and not asked to
    /// be replicable.
    package var source: Source?

    /// A rule cache entry (`ParsedRulesCache.entryBytes`) of the files a set was loaded from, under its key.
    package struct Source: Sendable {
        package let files: [String]
        package let key: String
        package let entry: [UInt8]
    }

    public init(templates: TemplateSet, rules: [Rule], messages: MessageCatalog) {
        self.templates = templates; self.rules = rules; self.messages = messages
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The template a report's tables are laid out on (see `TemplateSet.layout(for:)`).
    public func layout(for report: Report) -> Template? { templates.layout(for: report) }
}
