import Foundation
import OGIAnalysis
import OGIModel

/// A kind of rule: its YAML keys, how it is parsed (with positions), evaluated and described.
/// Adding a kind means one file under `Kinds/` and one line in `RuleKinds.all`.
public protocol RuleKind: Sendable {
    /// The name written as `kind:` in YAML.
    static var name: String { get }
    /// The YAML keys the kind accepts besides the common ones (id, title, severity, …).
    static var keys: [String] { get }
    /// Reads the kind's keys; errors carry file:line:column.
    static func parse(_ fields: RuleFields) throws -> Self
    /// Placeholders this kind's findings provide to `message` and `fix`, besides the report's fields.
    var placeholders: Set<String> { get }
    /// Cells (`table.row.column`) and tables the rule reads, to decide which templates it applies to.
    var references: RuleReferences { get }
    /// Checks one report, adding findings and reasons it could not be evaluated to `run`.
    func evaluate(_ run: RuleRun)
    /// What the rule checks, as (label, text) lines for `ogilint rules ID` and docs/rules.md;
    /// `code` marks up keys and expressions (identity for text, backticks for Markdown).
    func describe(code: (String) -> String) -> [(String, String)]
}

/// The registry of rule kinds.
public enum RuleKinds {
    public static let all: [any RuleKind.Type] = [
        AssertKind.self,
        SumKind.self,
        CellsKind.self,
        CompleteKind.self,
        PartsKind.self,
        LabelsKind.self,
        FactsKind.self,
        EditorialKind.self,
        CopiedTextKind.self,
        RepairKind.self,
        NotesKind.self,
        HeadingsKind.self,
        NotReportKind.self,
    ]

    static func named(_ name: String) -> (any RuleKind.Type)? { index(named: name).map { all[$0] } }

    /// The place of the kind called `name` in `all`.
    static func index(named name: String) -> Int? { all.firstIndex { $0.name == name } }
}

/// What a rule reads from the templates: whole tables and single cells.
public struct RuleReferences: Sendable {
    /// Table keys (or key patterns) the rule needs.
    public var tables: [String] = []
    /// Cells as `table`, `row.column` pairs, named literally in expressions.
    public var cells: [(table: String, cell: String)] = []
    /// Rows named literally with a column chosen at run time (`applications.new[$col]`).
    public var rows: [(table: String, row: String)] = []
    /// Columns named literally with a row chosen at run time (`regulations[$row].in_force`).
    public var columns: [(table: String, column: String)] = []
    /// True when the rule reads last year's report.
    public var previous: Bool = false

    public init(
        tables: [String] = [], cells: [(table: String, cell: String)] = [],
        rows: [(table: String, row: String)] = [], columns: [(table: String, column: String)] = []
    ) {
        self.tables = tables; self.cells = cells; self.rows = rows; self.columns = columns
    }

    /// The references of a rule's expressions.
    static func of(_ exprs: [Expr], tables: [String] = []) -> RuleReferences {
        var r = RuleReferences(tables: tables)
        r.previous = exprs.contains { $0.readsPrevious }
        for e in exprs {
            r.tables += ExpressionTypes.tables(in: e)
            r.cells += ExpressionTypes.cells(in: e)
            for p in ExpressionTypes.paths(in: e) {
                guard p.count == 3, case .name(let t) = p[0] else { continue }
                if case .name(let row) = p[1], case .index = p[2] { r.rows.append((t, row)) }
                if case .index = p[1], case .name(let col) = p[2] { r.columns.append((t, col)) }
            }
        }
        return r
    }

    /// True when `t` has everything referenced. Reads the template's tables in place (no copy of a
    /// `TableSpec` per look-up); a key without `*` is compared with `==`, as `KeyPattern.matches` does, and a
    /// cell is found as `TableSpec.resolve` finds it (`hasCell`).
    func satisfied(by t: Template) -> Bool {
        for p in tables {
            let found =
                FastText.containsByte(p, UInt8(ascii: "*"))
                ? t.tables.contains {
                    KeyPattern.matches($0.key, pattern: p) || ($0.group.map { KeyPattern.matches($0, pattern: p) } ?? false)
                }
                : t.tables.contains { $0.key == p || $0.group == p }
            if !found { return false }
        }
        for (table, cell) in cells {
            guard let i = t.tables.firstIndex(where: { $0.key == table }), Self.hasCell(t.tables[i], cell) else { return false }
        }
        for (table, row) in rows {
            guard let i = t.tables.firstIndex(where: { $0.key == table }), t.tables[i].rows.contains(where: { $0.key == row }) else {
                return false
            }
        }
        for (table, column) in columns {
            guard let i = t.tables.firstIndex(where: { $0.key == table }), t.tables[i].columns.contains(where: { $0.key == column })
            else { return false }
        }
        return true
    }

    /// `spec.resolve(rowAndColumn) != nil`, comparing bytes where that is exact: for a key and row and column
    /// keys in ASCII without CR a character is a byte, and only equal bytes are equal characters. Any other key
    /// goes to `resolve` (Unicode equivalence, e.g. U+212A KELVIN SIGN equals "K").
    static func hasCell(_ spec: TableSpec, _ rowAndColumn: String) -> Bool {
        let key = Array(rowAndColumn.utf8)
        guard isPlain(key), spec.rows.allSatisfy({ isPlain($0.key) }), spec.columns.allSatisfy({ isPlain($0.key) }) else {
            return spec.resolve(rowAndColumn) != nil
        }
        return key.withUnsafeBufferPointer { k in
            for r in spec.rows {
                // The row key and a dot start the key; the rest is a column key.
                let restStart = r.key.utf8.withContiguousStorageIfAvailable { row -> Int? in
                    guard row.count < k.count, k[row.count] == UInt8(ascii: "."), row.elementsEqual(k[..<row.count]) else { return nil }
                    return row.count + 1
                }
                guard let start = restStart ?? nil else { continue }
                let rest = UnsafeBufferPointer(rebasing: k[start...])
                if spec.columns.contains(where: { c in c.key.utf8.withContiguousStorageIfAvailable { rest.elementsEqual($0) } ?? false }) {
                    return true
                }
            }
            return false
        }
    }

    /// True when the text is ASCII without CR and its bytes can be read in place (a native string).
    static func isPlain(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { isPlain($0) } ?? false
    }

    static func isPlain<C: Collection<UInt8>>(_ bytes: C) -> Bool { !bytes.contains { $0 >= 0x80 || $0 == 0x0D } }
}

/// A rule's YAML fields while it is parsed, with the templates to check names against.
public struct RuleFields {
    let fields: YFields
    let node: YNode
    let id: String
    /// The templates, shared with the parser (see `RuleParser.shared`).
    let shared: SharedTemplateSet
    var templates: TemplateSet { shared.set }
    /// Loop variables bound by `for_each` (plus `it`).
    let variables: Set<String>
    let iteration: Iteration?
    /// The prose vocabulary of the rule's pack (`prose:`), for rules that read the prose.
    var vocabulary: ProseVocabulary? = nil
    /// False when the YAML was validated by an earlier load (see `RuleParser.validate`): a kind's parse then
    /// skips the checks that can only throw.
    var validate = true
    /// The trees of a trusted hit, and where a validated load keeps the trees it parses (see `RuleParser`).
    var knownExpressions: KnownExpressions? = nil
    var recordedExpressions: KnownExpressions? = nil

    subscript(_ key: String) -> YNode? { fields[key] }

    func required(_ key: String) throws -> YNode {
        guard let v = fields[key] else { throw node.fail("rule \(id) needs '\(key)'") }
        return v
    }

    func parser() -> RuleParser {
        var p = RuleParser(shared: shared, validate: validate)
        p.knownExpressions = knownExpressions
        p.recordedExpressions = recordedExpressions
        return p
    }

    func expression(_ n: YNode) throws -> Expr { try parser().expression(n, vars: variables) }

    func tolerance() throws -> Decimal { try parser().tolerance(fields["tolerance"]) }

    func tablePatterns() throws -> [String] { try parser().tablePatterns(fields["tables"]) }
}

/// A rule set's templates held by reference, so the parsers and rule fields of a load share one copy.
final class SharedTemplateSet: Sendable {
    let set: TemplateSet

    init(_ set: TemplateSet) { self.set = set }
}
