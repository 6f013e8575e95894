import OGIModel

/// The keys of the message catalog the tool needs, each with the placeholders its text may use.
/// `messages.yml` must define every key; a key not listed here or a placeholder not listed for its key is an error.
public enum MessageKeys {
    /// Placeholders every finding of a rule can use: the report's fields (see `ReportField`) and `title`.
    public static let reportPlaceholders: Set<String> = Set(ReportField.allCases.map(\.rawValue)).union(["title", "next_year"])

    /// Placeholders of the default messages of rule kinds, on top of `reportPlaceholders` and loop variables.
    static let bindings: Set<String> = ["col", "col_key", "row", "row_key", "item"]

    static func kind(_ names: Set<String>) -> Set<String> { reportPlaceholders.union(bindings).union(names) }
    static func kind_(_ names: Set<String>) -> Set<String> { kind(names) }

    /// Every key and its allowed placeholders.
    public static let all: [String: Set<String>] = {
        var k: [String: Set<String>] = [
            "separator.reasons": [], "separator.list": [],
            "output.header.year": ["year"], "output.header.year_unknown": [], "output.header.agency_kind_unknown": [],
            "output.header.template": ["template"], "output.header.template_unknown": [],
            "output.folded.unchecked": ["count", "rules"], "output.folded.same_cause": ["count", "rules"],
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
            "engine.not_evaluated.pattern_too_many_steps": ["pattern", "limit"],
            "engine.not_evaluated.text_too_long": ["function", "limit"],
            "engine.not_evaluated.error": ["error"],
            "engine.not_evaluated.no_previous": [],
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
            "engine.complete.rows_missing": kind(["table", "layout", "count", "rows"]),
            "engine.complete.cells_missing": kind(["table", "row", "found", "expected", "missing"]),
            "engine.labels.message": kind(["table", "row", "used", "layout"]),
            "engine.parts.missing": kind(["part", "number"]),
            "engine.parts.order": kind(["part", "heading", "after", "number"]),
            "engine.parts.preamble": kind(["problems"]),
            "engine.parts.preamble.not_listed": ["parts"],
            "engine.parts.preamble.listed_absent": ["parts"],
            "engine.parts.preamble.both_absent": ["parts"],
            "engine.parts.preamble.count_mismatch": ["stated", "listed"],
            "engine.facts.list_exceeds": kind(FactsKind.provided),
            "engine.facts.list_exceeds_fix": kind(FactsKind.provided),
            "engine.facts.list_short": kind(FactsKind.provided),
            "engine.facts.list_short_fix": kind(FactsKind.provided),
            "engine.facts.reading": ["name", "value"],
            "engine.facts.compare_none": kind(FactsKind.provided),
            "engine.facts.compare_none_fix": kind(FactsKind.provided),
            "engine.facts.compare_other": kind(FactsKind.provided),
            "engine.facts.compare_other_fix": kind(FactsKind.provided),
            "engine.facts.statement": kind(FactsKind.provided),
            "engine.facts.statement_fix": kind(FactsKind.provided),
            "engine.facts.growth": kind(FactsKind.provided),
            "engine.facts.growth_fix": kind(FactsKind.provided),
            "engine.facts.share": kind(FactsKind.provided),
            "engine.facts.share_fix": kind(FactsKind.provided),
            "engine.editorial.fix": kind(EditorialKind.provided),
            "engine.editorial.fix_many": kind(EditorialKind.provided),
            "engine.editorial.repeated": kind(EditorialKind.provided),
            "engine.editorial.repeated_fix": kind(EditorialKind.provided),
            "engine.editorial.near_repeated": kind(EditorialKind.provided),
            "engine.editorial.near_repeated_fix": kind(EditorialKind.provided),
            "engine.copied.passage": ["text", "length"],
            "engine.copied.whole_report": [],
            "engine.copied.message": kind(["part", "percent", "copied", "total", "passages", "threshold"]),
            "engine.copied.fix": kind(["part", "percent", "copied", "total", "passages", "threshold"]),
            "engine.repair.change": ["cell", "value", "suggested", "sums"],
            "engine.repair.unique": kind(RepairKind.provided),
            "engine.repair.unique_fix": kind(RepairKind.provided),
            "engine.repair.pair": kind(RepairKind.provided),
            "engine.repair.ambiguous": kind(RepairKind.provided),
            "engine.repair.option": ["changes"],
            "engine.repair.row_and_column": [],
            "engine.repair.cell": ["row", "col"],
            "engine.repair.row": [],
            "engine.repair.column": [],
            "engine.repair.sums": [],
            "engine.notes.cell_count": kind(NotesKind.provided),
            "engine.not_report.message": kind([]),
            "engine.headings.standard": kind(["part", "number", "heading", "standard"]),
            "engine.headings.numbering": kind(["part", "number", "heading", "numeral", "expected", "previous"]),
            "session.unused_suppression.message": ["file", "line", "rule", "reason"],
            "session.unused_suppression.fix": [],
            "rollup.sum.message": ["cell", "parent", "sum", "children", "diff"],
            "rollup.sum.fix": ["cell", "sum"],
            "rollup.sum.child": ["child", "value"],
            "rollup.child.unreadable": ["child", "reason"],
            "rollup.child.table_missing": ["child", "table", "count"],
            "rollup.child.cells_missing": ["child", "table", "count", "cells"],
            "rollup.child.fix": ["child"],
            "rollup.blank": [],
        ]
        for f in ReportField.allCases { k["field.\(f.rawValue)"] = [] }
        for a in AgencyKind.allCases { k["agency_kind.\(a.rawValue)"] = [] }
        for kind in [
            "doubled_word", "nested_double_quotes", "space_before_punctuation", "half_width_punctuation", "unbalanced_bracket",
            "numbering_skip", "numbering_repeat", "numbering_restart", "numbering_out_of_order", "figure_numbering_gap",
            "figure_numbering_repeat", "placeholder", "empty_brackets", "stray_year",
        ] {
            k["engine.editorial.\(kind)"] = kind_(EditorialKind.provided)
        }
        for kind in ["space_before_punctuation", "half_width_punctuation"] {
            k["engine.editorial.\(kind)_many"] = kind_(EditorialKind.provided)
        }
        for kind in ["unbalanced_bracket", "empty_brackets", "placeholder"] {
            k["engine.editorial.fix_\(kind)"] = kind_(EditorialKind.provided)
        }
        return k
    }()
}
