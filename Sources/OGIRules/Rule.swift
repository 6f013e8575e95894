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
    public var title: String
    public var severity: Severity
    public var category: Category
    public var reference: String?
    public var description: String?
    public var when: Expr?
    /// What the rule checks and how; one type per kind under `Kinds/`.
    public var kind: any RuleKind
    public var message: String?
    public var fix: String?
    /// Severity of the finding reported when the rule cannot be evaluated.
    public var unevaluated: Severity
    public var examples: Examples
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

/// Everything loaded from the rule folders: templates, reader profile, rules and the message catalog.
public struct RuleSet: Sendable {
    public var templates: TemplateSet
    public var rules: [Rule]
    /// The texts of every finding the tool words itself (not a rule's own message).
    public var messages: MessageCatalog

    public init(templates: TemplateSet, rules: [Rule], messages: MessageCatalog) {
        self.templates = templates; self.rules = rules; self.messages = messages
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The template a report's tables are laid out on (see `TemplateSet.layout(for:)`).
    public func layout(for report: Report) -> Template? { templates.layout(for: report) }
}
