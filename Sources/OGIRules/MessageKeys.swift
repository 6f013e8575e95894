import OGIModel

/// The keys of the message catalog the tool needs, each with the placeholders its text may use.
/// `messages.yml` must define every key; a key not listed here or a placeholder not listed for its key is an error.
public enum MessageKeys {
    /// Placeholders every finding of a rule can use: the report's fields (see `ReportField`) and `title`.
    public static let reportPlaceholders: Set<String> = Set(ReportField.allCases.map(\.rawValue)).union(["title", "next_year"])

    /// Placeholders of the default messages of rule kinds, on top of `reportPlaceholders` and loop variables.
    static let bindings: Set<String> = ["col", "col_key", "row", "row_key", "item"]

    static func kind(_ names: Set<String>) -> Set<String> { reportPlaceholders.union(bindings).union(names) }

    /// Every key and its allowed placeholders.
    public static let all: [String: Set<String>] = {
        var k: [String: Set<String>] = [
            "separator.reasons": [], "separator.list": [],
            "value.yes": [], "value.no": [], "value.none": [], "value.unknown": [], "value.unrecognised": [],
            "engine.unevaluated.message": ["title", "reasons"],
            "engine.unevaluated.more": ["count"],
            "engine.unevaluated.fix": [],
            "engine.not_evaluated.no_layout": [],
            "engine.not_evaluated.template_lacks_table": ["template", "table"],
            "engine.not_evaluated.no_such_cell": ["table", "cell", "rows", "columns"],
            "engine.not_evaluated.table_missing": ["table"],
            "engine.not_evaluated.row_missing": ["table", "row"],
            "engine.not_evaluated.cell_missing": ["table", "row", "col"],
            "engine.not_evaluated.not_number": ["table", "row", "col", "raw"],
            "engine.not_evaluated.not_number_at_line": ["table", "row", "col", "raw", "line"],
            "engine.not_evaluated.unbound_variable": ["name"],
            "engine.not_evaluated.field_missing": ["field"],
            "engine.not_evaluated.no_value": ["expr"],
            "engine.not_evaluated.wrong_type": ["expr", "value", "operation"],
            "engine.operation.condition": [],
            "engine.not_evaluated.incomparable": ["lhs", "rhs"],
            "engine.not_evaluated.division_by_zero": ["expr"],
            "engine.not_evaluated.cannot_compute": ["lhs", "op", "rhs"],
            "engine.not_evaluated.needs_numbers": ["function"],
            "engine.not_evaluated.needs_text": ["function"],
            "engine.not_evaluated.arity": ["function"],
            "engine.not_evaluated.invalid_date": ["args"],
            "engine.not_evaluated.keyword_not_text": ["function"],
            "engine.not_evaluated.part_key_needed": ["function"],
            "engine.not_evaluated.unknown_part_key": ["key"],
            "engine.not_evaluated.part_missing": ["part"],
            "engine.not_evaluated.unknown_function": ["function"],
            "engine.not_evaluated.not_exact": ["expr"],
            "engine.not_evaluated.overflow": ["expr"],
            "engine.not_evaluated.year_out_of_range": ["year"],
            "engine.not_evaluated.pattern_too_slow": ["pattern", "limit"],
            "engine.not_evaluated.text_too_long": ["function", "limit"],
            "engine.not_evaluated.error": ["error"],
            "engine.term.deadline": [],
            "engine.term.cell": ["label", "value"],
            "engine.term.cell_with_raw": ["label", "value", "raw"],
            "engine.term.row_column": ["row", "col"],
            "engine.assert.message": kind(["lhs", "rhs", "lhs_terms", "rhs_terms"]),
            "engine.assert.message_with_diff": kind(["lhs", "rhs", "lhs_terms", "rhs_terms", "diff"]),
            "engine.sum.all_zero": [],
            "engine.sum.rest_zero": ["count"],
            "engine.sum.message": kind(SumKind.provided),
            "engine.sum.all_blank": [],
            "engine.cells.blank_total": kind(CellsKind.provided),
            "engine.cells.blank_total_fix": kind(CellsKind.provided),
            "engine.cells.message": kind(CellsKind.provided),
            "engine.complete.table_missing": kind(["table", "part", "layout"]),
            "engine.complete.row_missing": kind(["table", "row", "row_label"]),
            "engine.complete.cells_missing": kind(["table", "row", "found", "expected", "missing"]),
            "engine.labels.message": kind(["table", "row", "used", "layout"]),
            "engine.parts.missing": kind(["part", "number"]),
            "engine.parts.order": kind(["part", "heading", "after", "number"]),
            "engine.parts.preamble": kind(["problems"]),
            "engine.parts.preamble.not_listed": ["parts"],
            "engine.parts.preamble.listed_absent": ["parts"],
            "engine.parts.preamble.both_absent": ["parts"],
            "engine.parts.preamble.count_mismatch": ["stated", "listed"],
            "engine.notes.cell_count": kind(NotesKind.provided),
            "engine.not_report.message": kind([]),
            "engine.headings.standard": kind(["part", "number", "heading", "standard"]),
            "engine.headings.numbering": kind(["part", "number", "heading", "numeral", "expected", "previous"]),
            "session.unused_suppression.message": ["file", "line", "rule", "reason"],
            "session.unused_suppression.fix": [],
        ]
        for f in ReportField.allCases { k["field.\(f.rawValue)"] = [] }
        for a in AgencyKind.allCases { k["agency_kind.\(a.rawValue)"] = [] }
        return k
    }()
}
