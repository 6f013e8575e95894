import Foundation
import OGIAnalysis
import OGIModel

/// `kind: facts` — numbers and statements of the prose against the tables, against other prose numbers and
/// against their own parts. What the prose is read for is data: the pack's `prose:` vocabulary (units, 其中, 同比…)
/// and the rule's own label words, readings and statement patterns.
///
/// - `check: lists` — each 其中 list against its whole: parts that exceed the whole are wrong under any reading
///   (the rule's severity); parts short of a whole the wording presents as complete are a warning.
/// - `check: compare` — each prose quantity the `quantity:` selector picks against `readings:` (expressions over
///   cells): no reading fits → the rule's severity; only a reading other than the plain one fits → a warning naming
///   both. A reading's `plain_for:` words make it the plain one when the quantity's label holds one of them.
/// - `check: statement` — a qualitative statement (`statement:` patterns, "…" between fragments, "|" between
///   alternatives) against the cells it implies are zero or positive (`expect:`, `value:`).
/// - `check: growth` — 同比 percentages whose subject the selector picks, recomputed from `readings:` with
///   `current:` and `previous:` expressions, within the rounding the sentence uses.
/// - `check: shares` — bracketed or 占 shares of a 其中 list recomputed against its whole.
public struct FactsKind: RuleKind {
    public static let name = "facts"
    public static let keys = ["check", "scope", "quantity", "readings", "statement", "expect", "value", "tolerance"]

    public enum Check: String, Sendable, CaseIterable { case lists, compare, statement, growth, shares }

    /// Which prose quantities a rule compares: label words, words its label must not hold, units, words after the unit
    /// and words its sentence must hold.
    public struct Selector: Sendable {
        var label: WordsMatcher
        var exclude: [String]
        var units: [String]
        var following: WordsMatcher
        var sentence: WordsMatcher
        var sentenceExclude: [String]
    }

    /// One reading of a sentence: its name (for the message), the value it implies, and the words that make it the
    /// plain reading.
    public struct ReadingSpec: Sendable {
        var name: String
        var value: Expr?
        var current: Expr?
        var previous: Expr?
        var plainFor: [String]
    }

    public var check: Check
    public var scope: String
    public var vocabulary: ProseVocabulary
    public var selector: Selector?
    public var readings: [ReadingSpec]
    public var patterns: [StatementPattern]
    public var expectation: StatementExpectation
    /// The cells a statement speaks of; those the report has are added up (a blank total beside filled columns is
    /// left out).
    public var values: [Expr]
    public var tolerance: Decimal
    /// The statement patterns' fragment alternatives as strings (for the quick "does the text say it at all" test).
    var fragmentTexts: [[[String]]] = []

    public static func parse(_ f: RuleFields) throws -> FactsKind {
        let checkNode = try f.required("check")
        let check = Check(rawValue: try checkNode.oneOf(Check.allCases.map(\.rawValue), what: "check"))!
        var k = FactsKind(
            check: check, scope: try ProseYAML.scope(f), vocabulary: try ProseYAML.vocabulary(f), selector: nil,
            readings: [], patterns: [], expectation: .zero, values: [], tolerance: try f.tolerance())
        if let q = f["quantity"] {
            let m = try q.mapping(allowed: ["label", "exclude", "units", "following", "sentence", "sentence_exclude"], what: "quantity")
            func words(_ key: String) throws -> [String] { try m[key]?.stringList(key) ?? [] }
            k.selector = Selector(
                label: WordsMatcher(try words("label")), exclude: try words("exclude"), units: try words("units"),
                following: WordsMatcher(try words("following")), sentence: WordsMatcher(try words("sentence")),
                sentenceExclude: try words("sentence_exclude"))
            for u in k.selector!.units where f.validate && !k.vocabulary.units.contains(u) && !k.vocabulary.percentUnits.contains(u) {
                throw q.fail("unit '\(u)' is not in the pack's prose units (\(k.vocabulary.units.joined(separator: ", ")))")
            }
        }
        if let r = f["readings"] {
            k.readings = try r.list("readings").map { item in
                let m = try item.mapping(allowed: ["name", "value", "current", "previous", "plain_for"], what: "a reading")
                guard let name = m["name"] else { throw item.fail("a reading needs 'name' (how the message names it)") }
                let spec = ReadingSpec(
                    name: try name.string("name"), value: try m["value"].map(f.expression),
                    current: try m["current"].map(f.expression), previous: try m["previous"].map(f.expression),
                    plainFor: try m["plain_for"]?.stringList("plain_for") ?? [])
                if check == .growth && (spec.current == nil || spec.previous == nil) {
                    throw item.fail(
                        "a reading of a growth check needs 'current' and 'previous' (expressions; previous.… reads last year's report)")
                }
                if check == .compare && spec.value == nil { throw item.fail("a reading needs 'value' (an expression over cells)") }
                return spec
            }
        }
        if let s = f["statement"] {
            let m = try s.mapping(allowed: ["patterns", "exclude", "max_gap"], what: "statement")
            guard let p = m["patterns"] else { throw s.fail("a statement needs 'patterns' (e.g. [未收到…申请])") }
            let exclude = try m["exclude"]?.stringList("exclude") ?? []
            let gap = try m["max_gap"]?.int("max_gap") ?? 30
            k.patterns = try p.stringList("patterns").map { StatementPattern(name: f.id, pattern: $0, maxGap: gap, exclusions: exclude) }
            // Each fragment's scalars appended one by one: the same text as `String(String.UnicodeScalarView($0))`,
            // without the generic `append(contentsOf:)` whose first use searches the runtime's conformance records.
            func text(_ scalars: [Unicode.Scalar]) -> String {
                var out = String.UnicodeScalarView()
                for scalar in scalars { out.append(scalar) }
                return String(out)
            }
            k.fragmentTexts = k.patterns.map { $0.fragments.map { $0.map(text) } }
        }
        if let e = f["expect"] {
            k.expectation = StatementExpectation(rawValue: try e.oneOf(["zero", "positive"], what: "expect"))!
        }
        if let v = f["value"] {
            if v.isSequence { k.values = try v.list("value").map(f.expression) } else { k.values = [try f.expression(v)] }
        }
        switch check {
        case .compare, .growth:
            guard k.selector != nil else {
                throw f.node.fail("rule \(f.id): check '\(check.rawValue)' needs 'quantity' (label words, units)")
            }
            guard !k.readings.isEmpty else { throw f.node.fail("rule \(f.id): check '\(check.rawValue)' needs 'readings'") }
        case .statement:
            guard !k.patterns.isEmpty, !k.values.isEmpty else {
                throw f.node.fail("rule \(f.id): check 'statement' needs 'statement' patterns and 'value' (the cells it speaks of)")
            }
        case .lists, .shares: break
        }
        return k
    }

    static let provided: Set<String> = [
        "quantity", "stated", "sentence", "readings", "fitting", "plain", "whole", "sum",
        "parts_terms", "statement", "value", "recomputed", "percent",
    ]
    public var placeholders: Set<String> { Self.provided }

    public var references: RuleReferences {
        RuleReferences.of(readings.flatMap { [$0.value, $0.current, $0.previous].compactMap { $0 } } + values)
    }

    public func describe(code: (String) -> String) -> [(String, String)] {
        var out = [("checks", "prose \(check.rawValue) in \(code(scope))")]
        if let s = selector {
            out.append(
                ("quantity", "label \(s.label.description(" | "))" + (s.units.isEmpty ? "" : ", units \(s.units.joined(separator: " "))")))
        }
        for r in readings {
            let v = r.value.map { code("\($0)") } ?? "\(code(r.current.map { "\($0)" } ?? "")) vs \(code(r.previous.map { "\($0)" } ?? ""))"
            out.append(("reading", "\(r.name): \(v)"))
        }
        if !patterns.isEmpty {
            out.append(
                (
                    "statement",
                    patterns.map {
                        $0.fragments.map { $0.map { String(String.UnicodeScalarView($0)) }.joined(separator: "|") }.joined(separator: "…")
                    }.joined(separator: "; ")
                ))
        }
        if !values.isEmpty {
            out.append(("expects", "\(values.map { code("\($0)") }.joined(separator: " + ")) \(expectation == .zero ? "= 0" : "> 0")"))
        }
        return out
    }

    public func evaluate(_ run: RuleRun) {
        guard let facts = run.ev.prose.facts(scope, vocabulary) else { return }
        switch check {
        case .lists: lists(run, facts)
        case .compare: compare(run, facts)
        case .statement: statement(run, facts)
        case .growth: growth(run, facts)
        case .shares: shares(run, facts)
        }
    }

    func written(_ q: Quantity) -> String { q.numberText + q.unit }

    /// A recomputed figure with as many decimals as the sentence wrote (0.70, not 0.7).
    static func fixed(_ d: Decimal, _ places: Int) -> String {
        var s = ExactDecimal.format(d)
        guard places > 0 else { return s }
        if !s.contains(".") { s += "." }
        let have = s.count - 1 - s.distance(from: s.startIndex, to: s.firstIndex(of: ".")!)
        return s + String(repeating: "0", count: max(0, places - have))
    }

    func selected(_ facts: ProseFacts) -> [Int] {
        guard let s = selector else { return [] }
        // Each quantity's fields read where they are asked for (a copy of the whole quantity retained and released
        // each of its strings, for every quantity of every facts rule).
        let quantities = facts.quantities
        return quantities.indices.filter { i in
            if !s.units.isEmpty {
                let unit = quantities[i].unit
                if !s.units.contains(where: { vocabulary.compatible($0, unit) }) { return false }
            }
            if !s.label.isEmpty && !s.label.matches(quantities[i].label) { return false }
            // Whether the label is plain text is found once for all the words (what `TextSearch.contains` asks per word).
            if !s.exclude.isEmpty {
                let label = quantities[i].label
                let plain = TextSearch.isPlain(label)
                if s.exclude.contains(where: { TextSearch.contains(label, $0, haystackIsPlain: plain) }) { return false }
            }
            if !s.following.isEmpty && !s.following.matches(quantities[i].following) { return false }
            if !s.sentence.isEmpty || !s.sentenceExclude.isEmpty {
                let text = facts.sentenceText(quantities[i].sentence)
                if !s.sentence.isEmpty && !s.sentence.matches(text) { return false }
                if !s.sentenceExclude.isEmpty {
                    let plain = TextSearch.isPlain(text)
                    if s.sentenceExclude.contains(where: { TextSearch.contains(text, $0, haystackIsPlain: plain) }) { return false }
                }
            }
            return true
        }
    }

    func lists(_ run: RuleRun, _ facts: ProseFacts) {
        for b in facts.breakdowns {
            let whole = facts.quantities[b.whole]
            let verdict = FactChecks.check(b, in: facts)
            let key: String
            var severity = run.rule.severity
            switch verdict {
            case .exceedsWhole: key = "exceeds"
            case .shortOfWhole: key = "short"; severity = min(severity, .warning)
            case .matches, .withinOpenList: continue
            }
            let sum = b.parts.reduce(Decimal(0)) { $0 + facts.quantities[$1].value }
            let terms = b.parts.map { written(facts.quantities[$0]) }.joined(separator: " + ")
            run.emitProse(
                [
                    "whole": written(whole), "sum": ExactDecimal.format(sum), "parts_terms": terms,
                    "sentence": run.quote(facts.sentenceText(whole.sentence)),
                ],
                messageKey: "engine.facts.list_\(key)", fixKey: "engine.facts.list_\(key)_fix",
                location: run.location(facts.text, whole.span.start), severity: severity)
        }
    }

    /// The readings the quantity's wording suggests (those whose `plain_for` words are in its label; the first
    /// reading when none are), then the others: indices into `readings`.
    func ordered(_ q: Quantity) -> (readings: [Int], plain: Int) {
        var plain = readings.indices.filter { i in readings[i].plainFor.contains { TextSearch.contains(q.label, $0) } }
        if plain.isEmpty { plain = Array(readings.indices.prefix(1)) }
        return (plain + readings.indices.filter { i in !plain.contains { readings[$0].name == readings[i].name } }, plain.count)
    }

    /// The value of each expression of a rule's readings, evaluated on first use and then shared by every quantity
    /// of the report (an expression reads the same cells whatever the sentence).
    final class ReadingValues {
        let run: RuleRun
        private var cache: [Int: Decimal?] = [:]
        init(_ run: RuleRun) { self.run = run }
        /// `slot` tells the expressions of one reading apart (value, current, previous).
        func value(_ reading: Int, _ slot: Int, _ e: Expr?) -> Decimal? {
            guard let e else { return nil }
            let key = reading * 3 + slot
            if let hit = cache[key] { return hit }
            let v = run.number(e)
            cache[key] = v
            return v
        }
    }

    func compare(_ run: RuleRun, _ facts: ProseFacts) {
        var sep: String { run.messages.text("separator.list") }
        let cells = ReadingValues(run)
        for i in selected(facts) {
            let q = facts.quantities[i]
            let (order, plainCount) = ordered(q)
            let values = order.map { r in Reading(name: readings[r].name, value: cells.value(r, 0, readings[r].value)) }
            var verdict = FactChecks.compare(stated: q.value, readings: values, tolerance: tolerance)
            // Several plain readings (an ambiguous word such as 受理): any of them fitting is no finding.
            if case let .fitsOther(fitting, _) = verdict,
                fitting.contains(where: { f in values.prefix(plainCount).contains { $0.name == f } })
            {
                verdict = .fitsFirst(fitting[0])
            }
            switch verdict {
            case .fitsFirst, .notEvaluated: continue
            default: break
            }
            // Words are built only for a finding.
            let listed = values.compactMap { r in
                r.value.map { run.messages.text("engine.facts.reading", ["name": r.name, "value": ExactDecimal.format($0)]) }
            }
            .joined(separator: sep)
            var vars = [
                "quantity": q.label + written(q), "stated": written(q), "sentence": run.quote(facts.sentenceText(q.sentence)),
                "readings": listed,
            ]
            switch verdict {
            case .fitsFirst, .notEvaluated: continue
            case .fitsNone:
                run.emitProse(
                    vars, messageKey: "engine.facts.compare_none", fixKey: "engine.facts.compare_none_fix",
                    location: run.location(facts.text, q.span.start))
            case let .fitsOther(fitting, first):
                vars["fitting"] = fitting.joined(separator: sep)
                vars["plain"] = first
                run.emitProse(
                    vars, messageKey: "engine.facts.compare_other", fixKey: "engine.facts.compare_other_fix",
                    location: run.location(facts.text, q.span.start), severity: min(run.rule.severity, .warning))
            }
        }
    }

    func statement(_ run: RuleRun, _ facts: ProseFacts) {
        // Most reports lack one fragment of every pattern: then no sentence can match. The patterns whose every
        // fragment occurs are found on the text's bytes (the same occurrences `StatementScanner.find` looks for in
        // its scalars) and handed to the scanner as already screened.
        let whole = run.ev.prose.string(scope)
        let possible = patterns.indices.filter { i in
            i < fragmentTexts.count && !patterns[i].fragments.isEmpty
                && fragmentTexts[i].allSatisfy { alts in alts.contains { FastText.contains(whole, $0) } }
        }
        guard !possible.isEmpty else { return }
        let matches = StatementScanner.find(possible: possible.map { patterns[$0] }, in: facts)
        guard !matches.isEmpty else { return }
        let known = values.compactMap(run.number)
        guard !known.isEmpty else {
            // The statement is made but none of the cells it speaks of can be read: say so, never pass quietly.
            run.ev.clearTouchedCells()
            do { _ = try run.ev.eval(values[0]) } catch { run.skip(error) }
            return
        }
        // The first figure that speaks against the statement (the total when the report has it).
        let v = known.first { $0 != 0 } ?? known[0]
        for m in matches where FactChecks.contradicts(expectation, values: known) {
            run.emitProse(
                [
                    "statement": facts.text.text(m.span), "sentence": run.quote(facts.sentenceText(m.sentence)),
                    "value": ExactDecimal.format(v),
                ],
                messageKey: "engine.facts.statement", fixKey: "engine.facts.statement_fix",
                location: run.location(facts.text, m.span.start))
        }
    }

    func growth(_ run: RuleRun, _ facts: ProseFacts) {
        let subjects = Set(selected(facts))
        let sep = run.messages.text("separator.list")
        let cells = ReadingValues(run)
        for p in facts.percentages where p.yearOnYear {
            guard let s = p.subject, subjects.contains(s) else { continue }
            let q = facts.quantities[p.quantity]
            var results: [(name: String, fit: RoundingFit, recomputed: Decimal)] = []
            for k in ordered(facts.quantities[s]).readings {
                let r = readings[k]
                guard let c = cells.value(k, 1, r.current), let pr = cells.value(k, 2, r.previous),
                    let g = FactChecks.checkGrowth(p, in: facts, current: c, previous: pr)
                else { continue }
                results.append((r.name, g.fit, g.recomputed))
            }
            guard !results.isEmpty, !results.contains(where: { $0.fit != .neither }) else { continue }
            let recomputed = results.map {
                run.messages.text("engine.facts.reading", ["name": $0.name, "value": Self.fixed($0.recomputed, q.decimals) + q.unit])
            }
            run.emitProse(
                [
                    "quantity": facts.quantities[s].label + written(facts.quantities[s]), "stated": written(q),
                    "sentence": run.quote(facts.sentenceText(q.sentence)), "recomputed": recomputed.joined(separator: sep),
                    "percent": Self.fixed(results[0].recomputed, q.decimals) + q.unit,
                ],
                messageKey: "engine.facts.growth", fixKey: "engine.facts.growth_fix",
                location: run.location(facts.text, q.span.start))
        }
    }

    func shares(_ run: RuleRun, _ facts: ProseFacts) {
        for p in facts.percentages where p.isShare {
            guard let r = FactChecks.checkShare(p, in: facts), r.fit == .neither, let s = p.subject, let w = p.whole else { continue }
            let q = facts.quantities[p.quantity]
            run.emitProse(
                [
                    "quantity": facts.quantities[s].label + written(facts.quantities[s]), "whole": written(facts.quantities[w]),
                    "stated": written(q), "sentence": run.quote(facts.sentenceText(q.sentence)),
                    "percent": Self.fixed(r.recomputed, q.decimals) + q.unit,
                ],
                messageKey: "engine.facts.share", fixKey: "engine.facts.share_fix",
                location: run.location(facts.text, q.span.start))
        }
    }
}
