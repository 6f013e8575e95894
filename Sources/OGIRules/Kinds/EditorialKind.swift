import Foundation
import OGIAnalysis
import OGIModel

/// `kind: editorial` — editorial slips in the prose, one detector per rule (`check:`), with its word lists as data:
/// repeated and near-repeated sentences, doubled words, nested double quotes, spaces before Chinese punctuation,
/// half-width punctuation in Chinese text, unbalanced brackets, empty brackets, template placeholders, part and
/// item numbering, figure numbering, and years that are neither the report year nor the one before.
public struct EditorialKind: RuleKind {
    public static let name = "editorial"
    public static let keys = [
        "check", "scope", "words", "allowed", "plan_words", "inline_suffixes", "min_length", "max_edits",
        "min_similarity", "max_length", "group", "skip_paragraphs",
    ]

    public enum Check: String, Sendable, CaseIterable {
        case repeatedSentences = "repeated_sentences", doubledWords = "doubled_words", nestedQuotes = "nested_quotes"
        case spaceBeforePunctuation = "space_before_punctuation", halfWidthPunctuation = "half_width_punctuation"
        case unbalancedBrackets = "unbalanced_brackets", emptyBrackets = "empty_brackets", placeholders
        case numbering, figureNumbering = "figure_numbering", strayYears = "stray_years"
    }

    public var check: Check
    public var scope: String
    /// Placeholder words, figure caption prefixes or this-year words, depending on the check.
    public var words: [String]
    /// Doublings that are not slips (研究研究).
    public var allowed: [String]
    public var planWords: [String]
    public var inlineSuffixes: [String]
    public var minLength: Int?
    public var maxLength: Int?
    public var maxEdits: Int?
    public var minSimilarity: Double?
    public var vocabulary: ProseVocabulary
    /// One finding per report (the first slip, with the count) instead of one per slip: for slips a report tends
    /// to repeat throughout, such as half-width commas.
    public var group: Bool
    /// Paragraphs holding one of these words are not checked (table headings left in the text by a reader).
    public var skipParagraphs: [String]

    public static func parse(_ f: RuleFields) throws -> EditorialKind {
        let checkNode = try f.required("check")
        let check = Check(rawValue: try checkNode.oneOf(Check.allCases.map(\.rawValue), what: "check"))!
        func list(_ k: String) throws -> [String] { try f[k]?.stringList(k) ?? [] }
        /// A length in characters: the detectors index text by it.
        func length(_ key: String) throws -> Int? { try f[key]?.int(key, in: 1...100_000) }
        let k = EditorialKind(
            check: check, scope: try ProseYAML.scope(f, eachPart: true), words: try list("words"), allowed: try list("allowed"),
            planWords: try list("plan_words"), inlineSuffixes: try list("inline_suffixes"),
            minLength: try length("min_length"), maxLength: try length("max_length"),
            maxEdits: try f["max_edits"]?.int("max_edits", in: 0...1_000),
            minSimilarity: try f["min_similarity"].map { n -> Double in
                guard let d = Double(try n.string("min_similarity")), d > 0, d <= 1 else {
                    throw n.fail("min_similarity is a number in (0, 1]")
                }
                return d
            },
            vocabulary: f.vocabulary ?? ProseVocabulary(), group: try f["group"]?.bool("group") ?? false,
            skipParagraphs: try list("skip_paragraphs"))
        if [.placeholders, .figureNumbering, .strayYears].contains(check) && k.words.isEmpty {
            throw f.node.fail("rule \(f.id): check '\(check.rawValue)' needs 'words' (placeholders, caption prefixes or this-year words)")
        }
        return k
    }

    static let provided: Set<String> = ["text", "suggestion", "sentence", "first", "second", "first_line", "year", "count"]
    public var placeholders: Set<String> { Self.provided }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        var out = [("checks", "\(check.rawValue) in \(code(scope))")]
        if !words.isEmpty { out.append(("words", words.joined(separator: " "))) }
        if !allowed.isEmpty { out.append(("allowed", allowed.joined(separator: " "))) }
        if !planWords.isEmpty { out.append(("plan words", planWords.joined(separator: " "))) }
        return out
    }

    public func evaluate(_ run: RuleRun) {
        // Marks at paragraph starts are read line by line; everything else from lines a PDF wrapped joined again.
        let join = check != .numbering && check != .figureNumbering && check != .nestedQuotes
        let prose = run.ev.prose
        for (text, key) in prose.textsWithSentenceKeys(scope, join: join) {
            evaluate(run, text) { prose.sentences(key, join: join, text) }
        }
    }

    func evaluate(_ run: RuleRun, _ text: ProseText, _ split: () -> [Sentence]) {
        switch check {
        case .repeatedSentences: repeated(run, text, split)
        case .strayYears:
            // A year outside the calendar range a report can have (a corrupt title) is not compared.
            guard let year = run.ev.report.metadata.year, (1000...9999).contains(year) else { return }
            // Years need only the sentences: no vocabulary, so no quantities or lists are read.
            let facts = ProseFacts(text: text, vocabulary: ProseVocabulary(), sentences: split())
            emit(run, text, split, EditorialDetectors.strayYears(in: facts, reportYear: year, thisYearWords: words, planWords: planWords))
        case .doubledWords:
            emit(
                run, text, split,
                EditorialDetectors.doubledWords(in: text, minLength: minLength ?? 2, maxLength: maxLength ?? 4, allowed: allowed)
            )
        case .nestedQuotes: emit(run, text, split, EditorialDetectors.nestedDoubleQuotes(in: text))
        case .spaceBeforePunctuation: emit(run, text, split, EditorialDetectors.spaceBeforePunctuation(in: text))
        case .halfWidthPunctuation: emit(run, text, split, EditorialDetectors.halfWidthPunctuation(in: text))
        case .unbalancedBrackets: emit(run, text, split, EditorialDetectors.unbalancedBrackets(in: text))
        case .emptyBrackets: emit(run, text, split, EditorialDetectors.emptyBrackets(in: text))
        case .placeholders: emit(run, text, split, EditorialDetectors.placeholders(in: text, words: words))
        case .numbering: emit(run, text, split, EditorialDetectors.numbering(in: text, inlineSuffixes: inlineSuffixes))
        case .figureNumbering: emit(run, text, split, EditorialDetectors.figureNumbering(in: text, prefixes: words))
        }
    }

    /// The sentence holding an offset, for the message.
    func sentence(_ text: ProseText, _ sentences: [Sentence], _ offset: Int) -> String {
        guard let s = sentences.first(where: { $0.span.start <= offset && offset < $0.span.end }) else { return "" }
        return text.text(s.span)
    }

    /// True for a part heading's own numbering (一、 … 六、) inside a part's text: the structure rules check the
    /// parts, so in `scope: parts` only the numbering below them is judged.
    func partLevel(_ h: EditorialHit) -> Bool {
        scope == ProseCache.eachPart && h.text.hasSuffix("、") && h.text.dropLast().allSatisfy { "一二三四五六七八九十".contains($0) }
    }

    func skipped(_ text: ProseText, _ h: EditorialHit) -> Bool {
        guard !skipParagraphs.isEmpty else { return false }
        let lo = text.logicalParagraphStarts[text.logicalParagraph(of: h.span.start)]
        var hi = lo
        while hi < text.scalars.count, text.scalars[hi] != "\n" { hi += 1 }
        let paragraph = text.text(TextSpan(start: lo, end: hi))
        let plain = TextSearch.isPlain(paragraph)
        return skipParagraphs.contains { TextSearch.contains(paragraph, $0, haystackIsPlain: plain) }
    }

    func emit(_ run: RuleRun, _ text: ProseText, _ split: () -> [Sentence], _ found: [EditorialHit]) {
        let hits = found.filter { !partLevel($0) && !skipped(text, $0) }
        guard !hits.isEmpty else { return }
        let sentences = split()
        for h in group ? [hits[0]] : hits {
            var vars = ["text": h.text, "sentence": run.quote(sentence(text, sentences, h.span.start))]
            if let m = YearMentionText.year(h.text) { vars["year"] = m }
            var fixKey: String
            if let s = h.suggestion {
                vars["suggestion"] = s; fixKey = "engine.editorial.fix"
            } else {
                fixKey = "engine.editorial.fix_\(h.kind.rawValue)"
            }
            var messageKey = "engine.editorial.\(h.kind.rawValue)"
            if group && hits.count > 1 {
                vars["count"] = String(hits.count)
                messageKey += "_many"
                if h.suggestion != nil { fixKey = "engine.editorial.fix_many" }
            }
            run.emitProse(vars, messageKey: messageKey, fixKey: fixKey, location: run.location(text, h.span.start))
        }
    }

    func repeated(_ run: RuleRun, _ text: ProseText, _ split: () -> [Sentence]) {
        let sentences = split()
        let pairs = RepeatedSentences.find(
            in: text, sentences: sentences, minLength: minLength ?? 15, maxEdits: maxEdits ?? 2,
            minSimilarity: minSimilarity ?? 0.95)
        for p in pairs {
            let firstLine = text.location(of: p.firstSpan.start)?.line.map(String.init) ?? ""
            var vars = [
                "sentence": run.quote(text.text(p.secondSpan)), "first_line": firstLine,
                "first": p.firstDifference, "second": p.secondDifference, "text": text.text(p.secondSpan),
            ]
            let exact = p.distance == 0
            vars["suggestion"] = exact ? "" : p.firstDifference
            run.emitProse(
                vars, messageKey: exact ? "engine.editorial.repeated" : "engine.editorial.near_repeated",
                fixKey: exact ? "engine.editorial.repeated_fix" : "engine.editorial.near_repeated_fix",
                location: run.location(text, p.secondSpan.start))
        }
    }
}

/// The four-digit year at the start of a stray-year hit ("2019年" → "2019").
enum YearMentionText {
    static func year(_ s: String) -> String? {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        return digits.count == 4 ? String(digits) : nil
    }
}
