import Foundation
import OGIModel

/// The report's own facts a rule expression may name (besides table cells), and a message may use as `{name}`.
/// The one list of them: the parser, the evaluator, messages and locations all read it.
public enum ReportField: String, Sendable, CaseIterable {
    case year, title_year, published, period_start, period_end, agency, agency_kind, template, title, table_years

    /// The cases by the UTF-8 length of their names: a name is compared only with the one or two of its length.
    private static let byLength: [[ReportField]] = {
        var out = [[ReportField]](repeating: [], count: (allCases.map(\.rawValue.utf8.count).max() ?? 0) + 1)
        for f in allCases { out[f.rawValue.utf8.count].append(f) }
        return out
    }()

    /// `init(rawValue:)`, which the evaluator asks of every one-word path (a field, or a cell named in one word): the
    /// compiler's string switch compared the name with every case in turn; here only names of its length are compared.
    static func named(_ n: String) -> ReportField? {
        let length = n.utf8.count
        guard length < byLength.count else { return nil }
        for f in byLength[length] where f.rawValue == n { return f }
        return nil
    }

    /// The type of the field's value in an expression.
    public var type: ValueType {
        switch self {
        case .year, .title_year: .number
        case .published, .period_start, .period_end: .date
        case .agency, .agency_kind, .template, .title: .text
        case .table_years: .list
        }
    }

    /// The field's value in a report (`.null` when the report does not state it).
    func value(_ m: Metadata) -> Value {
        func orNull<T>(_ v: T?, _ f: (T) -> Value) -> Value { v.map(f) ?? .null }
        switch self {
        case .year: return orNull(m.year) { .num(Decimal($0)) }
        case .title_year: return orNull(m.titleYear) { .num(Decimal($0)) }
        case .published: return orNull(m.published) { .date($0) }
        case .period_start: return orNull(m.periodStart) { .date($0) }
        case .period_end: return orNull(m.periodEnd) { .date($0) }
        case .agency: return orNull(m.agency) { .str($0) }
        case .agency_kind: return orNull(m.agencyKind) { .str($0.rawValue) }
        case .template: return orNull(m.template) { .str($0) }
        case .title: return orNull(m.title) { .str($0) }
        case .table_years: return .list((m.tableYears ?? []).map { .num(Decimal($0)) })
        }
    }

    /// Where the report states the field.
    func location(_ m: Metadata) -> SourceLocation? {
        switch self {
        case .published: m.publishedLocation
        case .period_start, .period_end: m.periodLocation
        case .year, .title_year, .title, .agency, .agency_kind: m.titleLocation
        case .template, .table_years: nil
        }
    }

    /// The field as a message shows it (catalog placeholders for a missing value).
    func text(_ m: Metadata, _ c: MessageCatalog) -> String {
        // The placeholders looked up only for a field without a value (most fields have one).
        var none: String { c.text("value.none") }
        var unknown: String { c.text("value.unknown") }
        switch self {
        case .year: return m.year.map(String.init) ?? unknown
        case .title_year: return m.titleYear.map(String.init) ?? none
        case .published: return m.published?.description ?? none
        case .period_start: return m.periodStart?.description ?? none
        case .period_end: return m.periodEnd?.description ?? none
        case .agency: return m.agency ?? unknown
        case .agency_kind: return m.agencyKind.map { c.text("agency_kind.\($0.rawValue)") } ?? unknown
        case .template: return m.template ?? c.text("value.unrecognised")
        case .title: return m.title ?? none
        case .table_years: return m.tableYears.map { $0.map(String.init).joined(separator: c.text("separator.list")) } ?? none
        }
    }
}

/// The types of values in the rule language, checked when a pack loads.
public enum ValueType: String, Sendable {
    case number, text, boolean, date, list, null, unknown
}
