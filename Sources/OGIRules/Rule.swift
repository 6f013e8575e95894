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
}

/// A cell condition a `cells` rule looks for.
public enum CellMatch: String, Sendable, CaseIterable {
    case blank, placeholder, signed_text, number_with_unit, text, negative, fraction, unit_mismatch
}

/// A structure check a `parts` rule performs.
public enum PartsCheck: String, Sendable, CaseIterable {
    /// Every required part has a heading.
    case present
    /// Headings come in the required order.
    case order
    /// A preamble that lists the parts lists exactly those present, and its stated count matches.
    case preamble
}

/// One rule from a rule pack.
public struct Rule: Sendable {
    public enum Kind: Sendable {
        /// A general assertion over cells and metadata.
        case assert(Expr, forEach: Iteration?, tolerance: Decimal, at: Expr?)
        /// A total equals the sum of its parts, along rows (checked per column) or columns (checked per row).
        case sum(table: String, total: String, parts: [String], along: Axis, forEach: Iteration?, tolerance: Decimal)
        /// Cells in a state worth reporting.
        case cells(tables: [String], columnKinds: Set<ColumnSpec.Kind>, match: CellMatch)
        /// Every table, row and cell of the template is present.
        case complete(tables: [String])
        /// The required parts.
        case parts(PartsCheck, countPattern: String?)
        /// Row labels that use a non-standard variant.
        case labels(tables: [String])

        public var name: String {
            switch self {
            case .assert: "assert"
            case .sum: "sum"
            case .cells: "cells"
            case .complete: "complete"
            case .parts: "parts"
            case .labels: "labels"
            }
        }
    }

    /// Parts of a `sum` are rows (the total is a row; checked in each column) or columns.
    public enum Axis: String, Sendable { case rows, columns }

    /// Passing and failing example inputs for the rule (paths relative to the rule file).
    public struct Examples: Sendable {
        public var pass: [String]
        public var fail: [String]
    }

    public var id: String
    public var title: String
    public var severity: Severity
    public var category: Category
    public var reference: String?
    public var description: String?
    public var when: Expr?
    public var kind: Kind
    public var message: String?
    public var fix: String?
    /// Severity of the finding reported when the rule cannot be evaluated.
    public var unevaluated: Severity
    public var examples: Examples
    /// Where the rule is defined.
    public var file: String
    public var line: Int
}

/// Everything loaded from the rule folders: templates, reader profile and rules.
public struct RuleSet: Sendable {
    public var templates: TemplateSet
    public var rules: [Rule]

    public init(templates: TemplateSet, rules: [Rule]) { self.templates = templates; self.rules = rules }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }
}
