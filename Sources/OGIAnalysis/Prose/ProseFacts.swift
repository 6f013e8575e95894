import Foundation
import OGIModel

/// A number written with a unit in the prose, e.g. 主动公开政府信息162条 → 162, 条, label 主动公开政府信息.
public struct Quantity: Hashable, Sendable {
    public var value: Decimal
    /// Digits after the decimal point as written (1.05 → 2); the rounding the sentence uses.
    public var decimals: Int
    public var unit: String
    /// The number and its unit.
    public var span: TextSpan
    /// The number as written.
    public var numberText: String
    /// The words before the number back to the previous punctuation mark, e.g. 行政复议案件.
    public var label: String
    /// The words after the unit up to the next punctuation mark, e.g. 项目 in 12个项目.
    public var following: String
    public var sentence: Int
    /// Index of the clause (split at ；) within the sentence.
    public var clause: Int
    /// How many brackets （…） enclose it.
    public var bracketDepth: Int
    public var isPercent: Bool
}

/// A whole followed by its parts: 共收到申请8件，其中在线4件、邮寄4件.
public struct Breakdown: Hashable, Sendable {
    /// Index into `ProseFacts.quantities`.
    public var whole: Int
    /// Indices into `ProseFacts.quantities`, in order.
    public var parts: [Int]
    /// The marker that opened the list (其中, 分类：, ：…) and where.
    public var marker: String
    public var markerSpan: TextSpan
    /// True when the list may name only some parts: the wording leaves it open (等, 包括), or it names one part
    /// only ("共编发文章1640篇，其中原创文章294篇"). Its parts may sum to less than the whole.
    public var openEnded: Bool
}

/// A percentage with what the sentence says it measures.
public struct PercentFact: Hashable, Sendable {
    /// Index into `ProseFacts.quantities`.
    public var quantity: Int
    /// 同比 / 比上年: a change against last year.
    public var yearOnYear: Bool
    /// +1 for a rise word, −1 for a fall word, 0 when none.
    public var direction: Int
    /// A share of a whole: after 占 (data), or in brackets right after its quantity ("208件（17.46%）").
    public var isShare: Bool
    /// The nearest non-percent quantity before it in the same sentence, not inside deeper brackets (what grew, or
    /// the part of a share).
    public var subject: Int?
    /// For a share whose subject is a part of a 其中 list: that list's whole (the denominator to recompute with).
    public var whole: Int?
    /// The signed figure: the stated value, negated after a fall word.
    public var signedValue: Decimal
}

/// Everything the prose scanners read from one text: sentences, quantities, 其中 lists and percentages.
/// Built once per scope (a part or the whole report) in one pass over the scalars. A class, not a struct: it is
/// never changed once built, and handing it to each rule that reads it is one retain, not one for each of its
/// arrays (a struct copy retained a dozen, the shared vocabulary's among them).
public final class ProseFacts: Sendable {
    public let text: ProseText
    public let vocabulary: ProseVocabulary
    public let sentences: [Sentence]
    public let quantities: [Quantity]
    public let breakdowns: [Breakdown]
    public let percentages: [PercentFact]

    public convenience init(text: ProseText, vocabulary: ProseVocabulary) {
        self.init(text: text, vocabulary: vocabulary, sentences: SentenceSplitter.sentences(of: text))
    }

    /// Facts of a text whose sentences were already split (`SentenceSplitter.sentences(of: text)`), when several
    /// analyses of one text share them.
    public init(text: ProseText, vocabulary: ProseVocabulary, sentences: [Sentence]) {
        self.text = text
        self.vocabulary = vocabulary
        self.sentences = sentences
        let q = QuantityScanner(text: text, vocabulary: vocabulary, sentences: sentences).scan()
        self.quantities = q
        let breakdowns = BreakdownReader(text: text, vocabulary: vocabulary, sentences: sentences, quantities: q).read()
        self.breakdowns = breakdowns
        self.percentages = PercentReader.read(
            text: text, vocabulary: vocabulary, sentences: sentences, quantities: q, breakdowns: breakdowns)
    }

    /// Quantities whose label contains one of `labelContains` (all when empty), none of `labelExcludes`, and
    /// whose unit is compatible with one of `units` (any when empty).
    public func quantities(labelContains: [String] = [], labelExcludes: [String] = [], units: [String] = []) -> [Int] {
        quantities.indices.filter { i in
            let q = quantities[i]
            if !labelContains.isEmpty && !labelContains.contains(where: { FastText.contains(q.label, $0) }) { return false }
            if labelExcludes.contains(where: { FastText.contains(q.label, $0) }) { return false }
            if !units.isEmpty && !units.contains(where: { vocabulary.compatible($0, q.unit) }) { return false }
            return true
        }
    }

    /// The text of a sentence.
    public func sentenceText(_ i: Int) -> String { text.text(sentences[i].span) }

    /// The sentence holding an offset (nil between sentences).
    public func sentence(at offset: Int) -> Int? {
        ProseFacts.sentenceIndex(sentences, offset)
    }

    static func sentenceIndex(_ sentences: [Sentence], _ offset: Int) -> Int? {
        var lo = 0, hi = sentences.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let s = sentences[mid].span
            if offset < s.start { hi = mid - 1 } else if offset >= s.end { lo = mid + 1 } else { return mid }
        }
        return nil
    }
}

/// Marks that end a label or the words after a unit.
/// (A `ScalarSet`: a bit looked up per character read, not a hash.)
let labelStops = ScalarSet(
    ["，", ",", "、", "；", ";", "：", ":", "。", "！", "？", "（", "）", "(", ")", "\n", "“", "”", "《", "》"] as [Unicode.Scalar])

struct QuantityScanner {
    let text: ProseText
    let vocabulary: ProseVocabulary
    let sentences: [Sentence]

    func scan() -> [Quantity] {
        // A quantity is a number with a unit: without units (the stray-year check reads only sentences) there is
        // none, and the text is not scanned.
        if vocabulary.units.isEmpty && vocabulary.percentUnits.isEmpty { return [] }
        let s = text.scalars
        let units = (vocabulary.units + vocabulary.percentUnits).map { ($0, Array($0.unicodeScalars)) }
            .sorted { $0.1.count > $1.1.count }
        var out: [Quantity] = []
        var depth = 0
        var i = 0
        while i < s.count {
            let u = s[i]
            if u == "\n" { depth = 0 }
            if u == "（" || u == "(" { depth += 1 }
            if (u == "）" || u == ")") && depth > 0 { depth -= 1 }
            let prev: Unicode.Scalar? = i > 0 ? s[i - 1] : nil
            var parsed: (value: Decimal, decimals: Int, text: String, end: Int)?
            if CharClass.digitValue(u) != nil,
                !(prev.map { CharClass.digitValue($0) != nil || CharClass.isASCIIAlnum($0) || $0 == "." || $0 == "．" } ?? false)
            {
                // Most numbers of a report have no unit (dates, table figures): the number's end is found first, and
                // a short number (whose digits always parse) without a unit after it is passed over unread.
                let end = arabicEnd(s, i)
                if end - i <= 30, unitAt(s, end, units) == nil { i = end; continue }
                parsed = readArabic(s, i)
            } else if vocabulary.chineseNumerals, ChineseNumeral.digit(u) != nil || u == "十",
                !(prev.map { ChineseNumeral.digit($0) != nil || $0 == "十" || $0 == "百" || $0 == "千" } ?? false),
                let (n, e) = ChineseNumeral.read(s, from: i)
            {
                parsed = (Decimal(n), 0, s.string(i..<e), e)
            }
            guard let p = parsed else { i += 1; continue }
            if prev == "第" { i = p.end; continue }
            guard let (unit, end) = unitAt(s, p.end, units) else { i = p.end; continue }
            let sentence = ProseFacts.sentenceIndex(sentences, i) ?? max(0, (sentences.lastIndex { $0.span.start <= i }) ?? 0)
            let clause = sentences.isEmpty ? 0 : (sentences[sentence].clauses.firstIndex { $0.start <= i && i < $0.end } ?? 0)
            out.append(
                Quantity(
                    value: p.value, decimals: p.decimals, unit: unit.0, span: TextSpan(start: i, end: end),
                    numberText: p.text, label: label(s, before: i, floor: sentences.isEmpty ? 0 : sentences[sentence].span.start),
                    following: following(s, after: end), sentence: sentence, clause: clause,
                    bracketDepth: depth, isPercent: vocabulary.isPercent(unit.0)))
            i = end
        }
        return out
    }

    /// The unit right after a number (up to two spaces between), longest first, and where it ends.
    @inline(__always) func unitAt(_ s: [Unicode.Scalar], _ from: Int, _ units: [(String, [Unicode.Scalar])])
        -> ((String, [Unicode.Scalar]), Int)?
    {
        var j = from
        var spaces = 0
        while j < s.count, spaces < 2, s[j] == " " || s[j] == "\u{3000}" || s[j] == "\u{a0}" { j += 1; spaces += 1 }
        guard let unit = units.first(where: { s.matches($0.1, at: j) }) else { return nil }
        return (unit, j + unit.1.count)
    }

    /// Where `readArabic` stops, without building its strings.
    func arabicEnd(_ s: [Unicode.Scalar], _ start: Int) -> Int {
        var j = start
        var decimals = -1
        while j < s.count {
            if CharClass.digitValue(s[j]) != nil {
                if decimals >= 0 { decimals += 1 }
                j += 1
            } else if s[j] == "," && decimals < 0 && j + 3 < s.count
                && (1...3).allSatisfy({ CharClass.digitValue(s[j + $0]) != nil })
                && (j + 4 >= s.count || CharClass.digitValue(s[j + 4]) == nil)
            {
                j += 1
            } else if (s[j] == "." || s[j] == "．") && decimals < 0 && j + 1 < s.count && CharClass.digitValue(s[j + 1]) != nil {
                decimals = 0
                j += 1
            } else {
                break
            }
        }
        return j
    }

    /// Digits with optional thousands commas and one decimal point.
    func readArabic(_ s: [Unicode.Scalar], _ start: Int) -> (Decimal, Int, String, Int)? {
        var j = start
        var ascii = ""
        var decimals = -1
        while j < s.count {
            if let d = CharClass.digitValue(s[j]) {
                ascii.append(Character(String(d)))
                if decimals >= 0 { decimals += 1 }
                j += 1
            } else if (s[j] == "," || s[j] == "，") && decimals < 0 && j + 3 < s.count
                && (1...3).allSatisfy({ CharClass.digitValue(s[j + $0]) != nil })
                && (j + 4 >= s.count || CharClass.digitValue(s[j + 4]) == nil) && s[j] == ","
            {
                j += 1
            } else if (s[j] == "." || s[j] == "．") && decimals < 0 && j + 1 < s.count && CharClass.digitValue(s[j + 1]) != nil {
                ascii.append(".")
                decimals = 0
                j += 1
            } else {
                break
            }
        }
        guard let v = ExactDecimal.parse(ascii) else { return nil }
        return (v, max(0, decimals), s.string(start..<j), j)
    }

    func label(_ s: [Unicode.Scalar], before i: Int, floor: Int) -> String {
        var a = i
        while a > floor, !labelStops.contains(s[a - 1]) { a -= 1 }
        return FastText.trimmed(s.string(a..<i))
    }

    func following(_ s: [Unicode.Scalar], after e: Int) -> String {
        var b = e
        while b < s.count, b - e < 12, !labelStops.contains(s[b]), CharClass.digitValue(s[b]) == nil { b += 1 }
        return FastText.trimmed(s.string(e..<b))
    }
}

struct BreakdownReader {
    let text: ProseText
    let vocabulary: ProseVocabulary
    let sentences: [Sentence]
    let quantities: [Quantity]

    struct MarkerHit { var offset: Int; var end: Int; var marker: String; var sentence: Int; var depth: Int }

    func read() -> [Breakdown] { lists(from: markerHits()) }

    /// The list markers of the text in text order: markers that open a list anywhere, and markers right after a
    /// quantity.
    func markerHits() -> [MarkerHit] {
        let s = text.scalars
        let anywhere = vocabulary.breakdownMarkers.map { ($0, Array($0.unicodeScalars)) }.filter { !$0.1.isEmpty }
        let afterQuantity = vocabulary.breakdownMarkersAfterQuantity.map { ($0, Array($0.unicodeScalars)) }.filter { !$0.1.isEmpty }
        // Without markers there is no hit.
        if anywhere.isEmpty && afterQuantity.isEmpty { return [] }
        // Markers in text order.
        var hits: [MarkerHit] = []
        var ends = QuantityEnds(quantities)
        // A marker can start only at a scalar whose low six bits one of the markers' first scalars has: most scalars
        // are passed over on that bit alone.
        var firsts: UInt64 = 0
        for (_, ms) in anywhere { firsts |= 1 << UInt64(ms[0].value & 63) }
        var depth = 0
        var i = 0
        // The scalars read through one buffer pointer (no bounds check per scalar); a CJK unified ideograph (most of
        // the text) is neither a line feed nor a bracket, so only other scalars are compared with those.
        let n = s.count
        s.withUnsafeBufferPointer { b in
            while i < n {
                let u = b[i]
                if u.value &- 0x4E00 > 0x9FFF - 0x4E00 {
                    if u == "\n" { depth = 0 }
                    if u == "（" || u == "(" { depth += 1 }
                    if (u == "）" || u == ")") && depth > 0 { depth -= 1 }
                }
                var matched = false
                if firsts & (1 << UInt64(u.value & 63)) != 0 {
                    for (m, ms) in anywhere where s.matches(ms, at: i) {
                        hits.append(
                            MarkerHit(
                                offset: i, end: i + ms.count, marker: m, sentence: ProseFacts.sentenceIndex(sentences, i) ?? -1,
                                depth: depth)
                        )
                        i += ms.count; matched = true; break
                    }
                }
                if matched { continue }
                if let k = ends.quantity(endingAt: i), !quantities[k].isPercent {
                    for (m, ms) in afterQuantity where s.matches(ms, at: i) {
                        hits.append(MarkerHit(offset: i, end: i + ms.count, marker: m, sentence: quantities[k].sentence, depth: depth))
                        i += ms.count; matched = true; break
                    }
                    if matched { continue }
                }
                i += 1
            }
        }
        return hits
    }

    /// The lists the marker hits open, each with its whole and parts.
    func lists(from hits: [MarkerHit]) -> [Breakdown] {
        let s = text.scalars
        var out: [Breakdown] = []
        var partOwner: [Int: Int] = [:]  // quantity → breakdown whose part it is
        for (h, hit) in hits.enumerated() where hit.sentence >= 0 {
            let sentence = sentences[hit.sentence]
            // Parts: from the marker to the end of its clause (；) or sentence, or the next marker at the same depth,
            // continued into following sentences that open with a continuation word.
            var end = sentence.clauses.first { $0.start <= hit.offset && hit.offset < $0.end }?.end ?? sentence.span.end
            if let next = hits[(h + 1)...].first(where: { $0.depth == hit.depth && $0.offset < end }) { end = next.offset }
            if hit.depth > 0 {
                // Inside brackets: the list ends with the bracket.
                var d = 0, j = hit.end
                while j < end {
                    if s[j] == "（" || s[j] == "(" { d += 1 }
                    if s[j] == "）" || s[j] == ")" { if d == 0 { break }; d -= 1 }
                    j += 1
                }
                end = j
            }
            var si = hit.sentence
            while end == sentences[si].span.end, si + 1 < sentences.count, sentences[si + 1].paragraph == sentence.paragraph,
                vocabulary.continuationMarkers.contains(where: { s.matches(Array($0.unicodeScalars), at: sentences[si + 1].span.start) })
            {
                si += 1
                end = sentences[si].span.end
            }
            let candidates = quantities.indices.filter {
                let q = quantities[$0]
                return q.span.start >= hit.end && q.span.end <= end && !q.isPercent && q.bracketDepth == hit.depth
            }
            guard let first = candidates.first else { continue }
            let unit = quantities[first].unit
            let parts = candidates.filter { vocabulary.compatible(quantities[$0].unit, unit) }
            guard let whole = findWhole(hit: hit, unit: unit, partOwner: partOwner, previous: out) else { continue }
            guard !parts.contains(whole) else { continue }
            let partsEnd = quantities[parts.last!].span.end
            let tail = min(s.count, max(partsEnd, end))
            // One part is a subset ("1640篇，其中原创文章294篇"), never a complete list.
            let openEnded =
                parts.count == 1
                || vocabulary.openEndedMarkers.contains { m in
                    let ms = Array(m.unicodeScalars)
                    return (hit.end..<tail).contains { s.matches(ms, at: $0) }
                }
            for p in parts { partOwner[p] = out.count }
            out.append(
                Breakdown(
                    whole: whole, parts: parts, marker: hit.marker, markerSpan: TextSpan(start: hit.offset, end: hit.end),
                    openEnded: openEnded))
        }
        return out
    }

    /// The quantity that ends at an offset, asked for offsets in increasing order: a walk along the quantities,
    /// which the scanner gives in text order with increasing ends. Quantities in any other order (built by hand)
    /// are looked up in a dictionary by end, the last one with an end winning, as before.
    struct QuantityEnds {
        let ends: [Int]
        let byEnd: [Int: Int]?
        var next = 0

        init(_ quantities: [Quantity]) {
            ends = quantities.map(\.span.end)
            if zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }) {
                byEnd = nil
            } else {
                var d: [Int: Int] = [:]
                for (k, e) in ends.enumerated() { d[e] = k }
                byEnd = d
            }
        }

        /// The index of the quantity ending at `offset`; `offset` never decreases from one call to the next.
        mutating func quantity(endingAt offset: Int) -> Int? {
            if let byEnd { return byEnd[offset] }
            while next < ends.count && ends[next] < offset { next += 1 }
            return next < ends.count && ends[next] == offset ? next : nil
        }
    }

    /// The whole a list refers to: the last compatible quantity before the marker in the same sentence (not a part of
    /// an earlier list closed off by ；); else the whole of the previous list in the paragraph; else the last
    /// compatible quantity in the previous sentence of the paragraph.
    func findWhole(hit: MarkerHit, unit: String, partOwner: [Int: Int], previous: [Breakdown]) -> Int? {
        let s = text.scalars
        let sentence = sentences[hit.sentence]
        let before = quantities.indices.filter {
            let q = quantities[$0]
            return q.sentence == hit.sentence && q.span.end <= hit.offset && !q.isPercent
                && vocabulary.compatible(q.unit, unit) && q.bracketDepth <= hit.depth
        }
        for k in before.reversed() {
            if partOwner[k] != nil {
                // A part of an earlier list separated from the marker by ；: a sibling list, not a nested one.
                let between = (quantities[k].span.end..<hit.offset).contains { s[$0] == "；" || s[$0] == ";" }
                if between { continue }
            }
            return k
        }
        // Sibling lists ("按途径分类：…；按属性分类：…") share the whole of the list just before.
        if let last = previous.last, let lastPart = last.parts.last,
            quantities[last.whole].span.end <= hit.offset, quantities[lastPart].span.end <= hit.offset,
            sentences[quantities[last.whole].sentence].paragraph == sentence.paragraph,
            hit.sentence - quantities[lastPart].sentence <= 1,
            vocabulary.compatible(quantities[last.whole].unit, unit)
        {
            return last.whole
        }
        guard hit.sentence > 0, sentences[hit.sentence - 1].paragraph == sentence.paragraph else { return nil }
        return quantities.indices.last {
            let q = quantities[$0]
            return q.sentence == hit.sentence - 1 && !q.isPercent && vocabulary.compatible(q.unit, unit) && q.bracketDepth == 0
        }
    }
}

enum PercentReader {
    static func read(
        text: ProseText, vocabulary: ProseVocabulary, sentences: [Sentence], quantities: [Quantity],
        breakdowns: [Breakdown]
    ) -> [PercentFact] {
        let s = text.scalars
        var out: [PercentFact] = []
        var wholeOfPart: [Int: Int] = [:]
        for b in breakdowns { for p in b.parts { wholeOfPart[p] = b.whole } }
        for (k, q) in quantities.enumerated() where q.isPercent {
            // The words between the previous quantity (or the clause start) and the number.
            let clauseStart =
                sentences.isEmpty
                ? 0
                : (sentences[q.sentence].clauses.first { $0.start <= q.span.start && q.span.start < $0.end }?.start
                    ?? sentences[q.sentence].span.start)
            let prevEnd = quantities[..<k].last { $0.sentence == q.sentence }?.span.end ?? clauseStart
            let from = max(clauseStart, prevEnd)
            let before = s.string(from..<q.span.start)
            let yoy = vocabulary.yearOnYearMarkers.contains { FastText.contains(before, $0) }
            let subject = quantities[..<k].lastIndex { $0.sentence == q.sentence && !$0.isPercent && $0.bracketDepth <= q.bracketDepth }
            // "208件（17.46%）": a bracketed percentage right after its quantity.
            let bracketedAfter =
                subject.map { j in
                    q.bracketDepth > quantities[j].bracketDepth
                        && s[quantities[j].span.end..<q.span.start].allSatisfy { $0 == "（" || $0 == "(" || FastText.isSpace($0) }
                } ?? false
            let share = bracketedAfter || vocabulary.shareMarkers.contains { FastText.contains(before, $0) }
            // The nearest direction word wins. Plain text (every scalar a character of its own, `TextSearch.isPlain`)
            // is searched scalar by scalar; anything else is left to Foundation, which counts characters.
            let plainBefore = (from..<q.span.start).allSatisfy { TextSearch.isPlain(s[$0]) }
            func lastOffset(_ words: [String]) -> Int {
                words.compactMap { w -> Int? in
                    if plainBefore, TextSearch.isPlain(w) {
                        let ws = Array(w.unicodeScalars)
                        guard !ws.isEmpty else { return nil }
                        var i = q.span.start - ws.count
                        while i >= from {
                            if s.matches(ws, at: i) { return i - from }
                            i -= 1
                        }
                        return nil
                    }
                    return before.range(of: w, options: .backwards).map { before.distance(from: before.startIndex, to: $0.lowerBound) }
                }.max() ?? -1
            }
            let up = lastOffset(vocabulary.increaseWords), down = lastOffset(vocabulary.decreaseWords)
            let direction = up < 0 && down < 0 ? 0 : (up > down ? 1 : -1)
            out.append(
                PercentFact(
                    quantity: k, yearOnYear: yoy, direction: direction, isShare: share, subject: subject,
                    whole: share ? subject.flatMap { wholeOfPart[$0] } : nil,
                    signedValue: direction < 0 ? -q.value : q.value))
        }
        return out
    }
}
