import Foundation
import OGIAnalysis
import OGIModel

/// The prose analyses of one report, built on first use and shared by every prose rule of a check: the text of
/// each scope (the whole report or one part) and its `ProseFacts` per vocabulary. A report's prose is read once.
final class ProseCache {
    let report: Report
    private var texts = ScopeValues<ProseText?>()
    /// Texts with wrapped lines joined (for numbers and units split over two lines) are kept apart from texts read
    /// line by line (for marks at paragraph starts).
    private var joined = ScopeValues<ProseText?>()
    /// The facts made so far, each with its scope and vocabulary, in three arrays read by index (an array of
    /// tuples was copied element by element, every array of the vocabulary retained and released, to be compared).
    private var factScopes: [String] = []
    private var factVocabularies: [ProseVocabulary] = []
    private var factsMade: [ProseFacts] = []

    init(report: Report) { self.report = report }

    /// The scope that means the whole report (preamble, part headings and prose).
    static let wholeReport = "report"
    /// The scope that means each part's paragraphs on their own (headings left out), e.g. for item numbering that
    /// starts over in every part.
    static let eachPart = "parts"

    /// The parts' paragraphs without the title, preamble and headings, whose wording differs between input formats
    /// (a Word heading numbered automatically, a web page's title outside its content).
    static let body = "body"

    /// The prose paragraphs as a reader wrote them: table rows that stayed in the text (cells separated by two or
    /// more tabs or " | ") are left out, and Markdown heading marks of converted pages are dropped.
    static func prose(_ ps: [Paragraph]) -> [Paragraph] {
        // Made with room for every paragraph (`compactMap` grew its array one paragraph at a time).
        var out: [Paragraph] = []
        out.reserveCapacity(ps.count)
        for p in ps {
            if isTableRow(p.text) { continue }
            guard p.text.utf8.first == UInt8(ascii: "#") else { out.append(p); continue }
            let t = Substring(p.text).drop { $0 == "#" }.drop { $0 == " " }
            out.append(Paragraph(text: String(t), location: p.location))
        }
        return out
    }

    /// The preamble, and each part's heading and paragraphs, as `prose` reads them: filtered and read into scalars
    /// once per report and shared by every scope's text (`ProseParagraph`).
    private lazy var prosePreamble = Self.prepared(report.preamble)
    private lazy var proseHeadings = report.parts.map { Self.prepared([Paragraph(text: $0.heading, location: $0.location)]) }
    private lazy var proseParagraphs = report.parts.map { Self.prepared($0.paragraphs) }

    /// `prose(ps)`, each paragraph read once into scalars.
    static func prepared(_ ps: [Paragraph]) -> [ProseParagraph] { prose(ps).map(ProseParagraph.init) }

    static func isTableRow(_ t: String) -> Bool {
        if t.utf8.first == UInt8(ascii: "|") { return true }
        // Both kinds of separator hold a tab or a "|" byte: a paragraph with neither (most prose) is no table row,
        // found by one plain byte scan instead of `separators`' run counting.
        guard mayHoldSeparators(t) else { return false }
        let (tabs, bars) = separators(t)
        return tabs >= 2 || (bars >= 2 && t.components(separatedBy: " | ").count >= 3)
    }

    /// True when `t` holds a tab or a "|" byte (false: `separators(t)` is (0, 0)). Each byte is looked for with
    /// `memchr` (`FastText.containsByte`), which reads a paragraph many bytes at a time: the loop over its bytes that
    /// asked each of them about both cost about five instructions a byte.
    static func mayHoldSeparators(_ t: String) -> Bool {
        FastText.containsByte(t, UInt8(ascii: "\t")) || FastText.containsByte(t, UInt8(ascii: "|"))
    }

    /// Tabs, and non-overlapping " | " byte runs left to right, in one pass. The runs are at least as many as the
    /// separators Foundation finds, so a line with fewer than two is no table row and Foundation is asked only
    /// about the rest.
    static func separators(_ t: String) -> (tabs: Int, bars: Int) {
        var tabs = 0, bars = 0, run = 0
        for b in t.utf8 {
            if b == 9 { tabs += 1 }
            switch (run, b) {
            case (0, 0x20): run = 1
            case (1, 0x7C): run = 2
            case (1, 0x20): run = 1
            case (2, 0x20): bars += 1; run = 0
            default: run = b == 0x20 ? 1 : 0
            }
        }
        return (tabs, bars)
    }

    /// The texts of a scope: one for the report or a part, one per part for `parts`.
    func texts(_ scope: String, join: Bool) -> [ProseText] {
        if scope == Self.eachPart { return report.parts.compactMap { text("part:" + $0.key, join: join) } }
        return text(scope, join: join).map { [$0] } ?? []
    }

    /// Sentences by scope, of the texts with wrapped lines joined and of those read line by line.
    private var joinedSentences = ScopeValues<[Sentence]>()
    private var lineSentences = ScopeValues<[Sentence]>()

    /// The texts of a scope (as `texts`), each with the scope its sentences are kept under: `sentences(key, join:
    /// join, text)` splits them on first use, once per text, and shares them among the rules. (Given as closures,
    /// each text's capture was allocated on every call.)
    func textsWithSentenceKeys(_ scope: String, join: Bool) -> [(text: ProseText, key: String)] {
        let scopes = scope == Self.eachPart ? report.parts.map { "part:" + $0.key } : [scope]
        return scopes.compactMap { key in text(key, join: join).map { ($0, key) } }
    }

    /// The sentences of the text `t` of scope `scope` (`text(scope, join: join)`), split once and kept.
    func sentences(_ scope: String, join: Bool, _ t: ProseText) -> [Sentence] {
        if let hit = (join ? joinedSentences : lineSentences)[scope] { return hit }
        let s = SentenceSplitter.sentences(of: t)
        if join { joinedSentences.add(scope, s) } else { lineSentences.add(scope, s) }
        return s
    }

    /// The prose of a scope: the whole report, or one part's paragraphs (nil when the part is missing). Lines a
    /// PDF or a text export wrapped in mid-sentence are joined, so a number and its unit split over two lines are
    /// read together.
    func text(_ scope: String, join: Bool = true) -> ProseText? {
        if let t = (join ? joined : texts)[scope] { return t }
        let t: ProseText?
        // The paragraphs of some groups gathered into one array made with room for them all (no array added up
        // from parts).
        func gathered(_ groups: [[ProseParagraph]]) -> [ProseParagraph] {
            var ps: [ProseParagraph] = []
            ps.reserveCapacity(groups.reduce(0) { $0 + $1.count })
            for g in groups { ps.append(contentsOf: g) }
            return ps
        }
        if scope == Self.wholeReport {
            var groups = [prosePreamble]
            for k in report.parts.indices { groups += [proseHeadings[k], proseParagraphs[k]] }
            t = ProseText(prepared: gathered(groups), joinWrappedLines: join)
        } else if scope == Self.body {
            t = ProseText(prepared: gathered(proseParagraphs), joinWrappedLines: join)
        } else if FastText.hasPrefix(scope, "part:") {
            t = partIndex(String(scope.dropFirst(5))).map { ProseText(prepared: proseParagraphs[$0], joinWrappedLines: join) }
        } else {
            t = partIndex(scope).map { ProseText(prepared: gathered([proseHeadings[$0], proseParagraphs[$0]]), joinWrappedLines: join) }
        }
        if join { joined.add(scope, t) } else { texts.add(scope, t) }
        return t
    }

    /// The index of the part `report.part(key)` finds (the first with the key).
    private func partIndex(_ key: String) -> Int? { report.parts.firstIndex { $0.key == key } }

    private var strings = ScopeValues<String>()

    /// The joined text of a scope as one string, for quick "does it say this at all" tests.
    func string(_ scope: String) -> String {
        if let s = strings[scope] { return s }
        let s = text(scope)?.string ?? ""
        strings.add(scope, s)
        return s
    }

    func facts(_ scope: String, _ vocabulary: ProseVocabulary) -> ProseFacts? {
        // The scope compared first; a rule's vocabulary is most often the very arrays of the one it is compared with,
        // which `==` finds equal without reading them.
        for i in factScopes.indices where factScopes[i] == scope && factVocabularies[i] == vocabulary { return factsMade[i] }
        guard let t = text(scope) else { return nil }
        let f = ProseFacts(text: t, vocabulary: vocabulary, sentences: sentences(scope, join: true, t))
        factScopes.append(scope)
        factVocabularies.append(vocabulary)
        factsMade.append(f)
        return f
    }
}

/// Reading the prose vocabulary of a rule pack (`prose:` beside `rules:`) and the prose keys rules share.
enum ProseYAML {
    static let vocabularyKeys = [
        "units", "percent_units", "unit_groups", "breakdown_markers", "breakdown_markers_after_quantity",
        "open_ended_markers", "continuation_markers", "year_on_year_markers", "increase_words",
        "decrease_words", "share_markers", "chinese_numerals",
    ]

    static func vocabulary(_ n: YNode) throws -> ProseVocabulary {
        let m = try n.mapping(allowed: vocabularyKeys, what: "the prose vocabulary")
        func list(_ k: String) throws -> [String] { try m[k]?.stringList(k) ?? [] }
        guard let units = m["units"] else { throw n.fail("the prose vocabulary needs 'units' (e.g. [件, 条, 项])") }
        return ProseVocabulary(
            units: try units.stringList("units"), percentUnits: try list("percent_units"),
            unitGroups: try m["unit_groups"]?.list("unit_groups").map { try $0.stringList("a unit group") } ?? [],
            breakdownMarkers: try list("breakdown_markers"), breakdownMarkersAfterQuantity: try list("breakdown_markers_after_quantity"),
            openEndedMarkers: try list("open_ended_markers"), continuationMarkers: try list("continuation_markers"),
            yearOnYearMarkers: try list("year_on_year_markers"), increaseWords: try list("increase_words"),
            decreaseWords: try list("decrease_words"), shareMarkers: try list("share_markers"),
            chineseNumerals: try m["chinese_numerals"]?.bool("chinese_numerals") ?? false)
    }

    /// `scope: report` or a part key from the reader profile.
    static func scope(_ f: RuleFields, eachPart: Bool = false) throws -> String {
        guard let n = f["scope"] else { return ProseCache.wholeReport }
        let keys = [ProseCache.wholeReport] + (eachPart ? [ProseCache.eachPart] : []) + f.templates.profile.parts.map(\.key)
        return try n.oneOf(keys, what: "scope (the whole report or a part key)")
    }

    static func vocabulary(_ f: RuleFields) throws -> ProseVocabulary {
        if let v = f.vocabulary { return v }
        throw f.node.fail("rule \(f.id) reads the prose; its pack needs a 'prose:' vocabulary beside 'rules:' (units, markers, …)")
    }
}

/// Words a label or a sentence must contain: alternatives, each a run of fragments separated by "…" that occur
/// in order (`收到…申请`); a trailing "$" makes the last fragment end the text (`办结$`).
struct WordsMatcher: Sendable {
    var alternatives: [[String]]
    /// The alternatives as UTF-8 bytes (the last fragment's "$" taken off and marked), when every fragment is plain
    /// text (`TextSearch.isPlain`): then plain text is matched byte by byte.
    private var plainAlternatives: [[(bytes: [UInt8], anchored: Bool)]]?

    init(_ words: [String]) {
        alternatives = words.map { Self.fragments(of: $0) }
        if alternatives.allSatisfy({ $0.allSatisfy(TextSearch.isPlain) }) {
            plainAlternatives = alternatives.map { frags in
                frags.enumerated().map { i, f in
                    let anchored = i == frags.count - 1 && f.hasSuffix("$")
                    return (Array((anchored ? String(f.dropLast()) : f).utf8), anchored)
                }
            }
        }
    }

    /// The non-empty parts of `word` between "…", as `word.components(separatedBy: "…").filter { !$0.isEmpty }`.
    /// A plain text (`TextSearch.isPlain`: no combining mark or CR, so every scalar is a character of its own
    /// and a match is a run of equal scalars) is cut at each U+2026 scalar without Foundation; any other text
    /// goes through Foundation as before.
    static func fragments(of word: String) -> [String] {
        guard TextSearch.isPlain(word) else { return word.components(separatedBy: "…").filter { !$0.isEmpty } }
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for u in word.unicodeScalars {
            if u == "\u{2026}" {
                if !current.isEmpty { out.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(u)
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    var isEmpty: Bool { alternatives.isEmpty }

    /// True when one alternative's fragments occur in order; a final "$" makes the last fragment end the text.
    func matches(_ text: String) -> Bool {
        if let plainAlternatives, TextSearch.isPlain(text) {
            let h = Array(text.utf8)
            return plainAlternatives.contains { frags in
                var from = 0
                for f in frags {
                    guard let r = TextSearch.range(of: f.bytes, in: h, from: from, backwards: f.anchored) else { return false }
                    if f.anchored && r.upperBound != h.count { return false }
                    from = r.upperBound
                }
                return true
            }
        }
        return alternatives.contains { frags in
            var rest = Substring(text)
            for (i, f) in frags.enumerated() {
                let anchored = i == frags.count - 1 && f.hasSuffix("$")
                let word = anchored ? String(f.dropLast()) : f
                guard let r = anchored ? rest.range(of: word, options: .backwards) : rest.range(of: word) else { return false }
                if anchored && r.upperBound != rest.endIndex { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    func description(_ sep: String) -> String { alternatives.map { $0.joined(separator: "…") }.joined(separator: sep) }
}

extension RuleRun {
    /// The finding location of an offset of a prose text.
    func location(_ text: ProseText, _ offset: Int) -> FindingLocation {
        FindingLocation(text.location(of: offset))
    }

    /// A sentence as a message quotes it, shortened in the middle when long.
    func quote(_ s: String, limit: Int = 60) -> String { Self.quoted(s, limit: limit) }

    /// `s` trimmed, shortened to its first `limit - 10` and last 8 characters around "…" when longer than `limit`.
    /// Counted and cut by scalars where that is the same, without finding the characters' boundaries or reading the
    /// whole of a long paragraph (`QuoteTests` compare it with `quotedByCharacters`):
    /// - a text of at most `limit` scalars has at most `limit` characters: it is quoted as it is;
    /// - when its first `limit + 2` and its last 9 scalars are plain (`FastText.isPlainValue`: none joins a
    ///   neighbour, so a character starts between any two of them), its first `limit + 1` scalars are as many
    ///   characters (more than `limit`), its first `limit - 10` characters are its first `limit - 10` scalars and its
    ///   last 8 characters its last 8 scalars, whatever lies between;
    /// - otherwise it is read by characters.
    static func quoted(_ s: String, limit: Int = 60) -> String {
        let t = ScalarTrim.whitespacesAndNewlines(s)
        guard limit >= 10 else { return quotedByCharacters(t, limit: limit) }
        let u = t.unicodeScalars
        // The first `limit + 2` scalars (fewer in a shorter text), counted and asked whether plain in one pass.
        var head = 0
        var headPlain = true
        for x in u {
            if !FastText.isPlainValue(x.value) { headPlain = false }
            head += 1
            if head == limit + 2 { break }
        }
        if head <= limit { return t }
        guard headPlain, u.suffix(9).allSatisfy({ FastText.isPlainValue($0.value) }) else { return quotedByCharacters(t, limit: limit) }
        return String(Substring(u.prefix(limit - 10))) + "…" + String(Substring(u.suffix(8)))
    }

    /// `quoted` reading characters (the general reading, and the reference of the tests).
    static func quotedByCharacters(_ s: String, limit: Int = 60) -> String {
        let t = ScalarTrim.whitespacesAndNewlines(s)
        guard t.count > limit else { return t }
        return String(t.prefix(limit - 10)) + "…" + String(t.suffix(8))
    }

    /// Adds a finding whose message and fix are catalog texts unless the rule words them itself.
    func emitProse(_ vars: [String: String], messageKey: String, fixKey: String, location: FindingLocation, severity: Severity? = nil) {
        var all = bindingVars()
        for (k, v) in vars { all[k] = v }
        findings.append(
            Finding(
                rule: rule.id, severity: severity ?? rule.severity, category: rule.category,
                message: rule.message.map { MessageCatalog.fill($0, all) } ?? messages.text(messageKey, all),
                fix: rule.fix.map { MessageCatalog.fill($0, all) } ?? messages.text(fixKey, all), location: location))
    }

    /// A number read by an expression, or nil when the report lacks it or it reads a table whose own sums fail
    /// (prose rules then stay silent: the arithmetic finding is the root cause).
    func number(_ e: Expr) -> Decimal? {
        let inconsistent = ev.inconsistentTables
        ev.clearTouchedCells()
        guard case .num(let d)? = try? ev.eval(e) else { return nil }
        if ev.touched.contains(where: { inconsistent.contains($0.tableKey) }) { return nil }
        return d
    }
}

/// Values by scope name, for the handful of scopes one report's rules read ("report", "body", "part:…"): found by
/// comparing names in the order they were added (a dictionary hashed the name at every lookup and grew as
/// scopes were added).
struct ScopeValues<Value> {
    private var names: [String] = []
    private var values: [Value] = []

    /// The value added for `name`, nil when none was.
    subscript(name: String) -> Value? {
        for i in names.indices where names[i] == name { return values[i] }
        return nil
    }

    /// Adds `name`'s value (a name is added once: looked up first).
    mutating func add(_ name: String, _ value: Value) {
        names.append(name)
        values.append(value)
    }
}
