import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis

/// The fifth pass's prose shortcuts give the answers of the code they replace: 其中 lists read with the quantities
/// walked in text order and markers screened by their first scalar; statement patterns screened on the text's bytes
/// and matched only in sentences that hold their first fragment; span texts encoded straight into the string;
/// paragraph scalars decoded from UTF-8; repeated sentences with bigrams made on demand; placeholders screened by
/// the low bits of their first scalars.
final class Eval5ProseTests: XCTestCase {
    /// `BreakdownReader.read` as it was: a dictionary from each quantity's end to its index, every marker tried at
    /// every offset.
    static func hitsAsTheyWere(_ r: BreakdownReader) -> [BreakdownReader.MarkerHit] {
        let s = r.text.scalars
        let anywhere = r.vocabulary.breakdownMarkers.map { ($0, Array($0.unicodeScalars)) }.filter { !$0.1.isEmpty }
        let afterQuantity = r.vocabulary.breakdownMarkersAfterQuantity.map { ($0, Array($0.unicodeScalars)) }.filter { !$0.1.isEmpty }
        var hits: [BreakdownReader.MarkerHit] = []
        var qEnds: [Int: Int] = [:]
        for (k, q) in r.quantities.enumerated() { qEnds[q.span.end] = k }
        var depth = 0
        var i = 0
        while i < s.count {
            let u = s[i]
            if u == "\n" { depth = 0 }
            if u == "（" || u == "(" { depth += 1 }
            if (u == "）" || u == ")") && depth > 0 { depth -= 1 }
            var matched = false
            for (m, ms) in anywhere where s.matches(ms, at: i) {
                hits.append(
                    BreakdownReader.MarkerHit(
                        offset: i, end: i + ms.count, marker: m, sentence: ProseFacts.sentenceIndex(r.sentences, i) ?? -1, depth: depth))
                i += ms.count; matched = true; break
            }
            if matched { continue }
            if let k = qEnds[i], !r.quantities[k].isPercent {
                for (m, ms) in afterQuantity where s.matches(ms, at: i) {
                    hits.append(
                        BreakdownReader.MarkerHit(offset: i, end: i + ms.count, marker: m, sentence: r.quantities[k].sentence, depth: depth)
                    )
                    i += ms.count; matched = true; break
                }
                if matched { continue }
            }
            i += 1
        }
        return hits
    }

    /// A marker hit as text, for comparing.
    static func describe(_ h: BreakdownReader.MarkerHit) -> String { "\(h.offset) \(h.end) \(h.marker) \(h.sentence) \(h.depth)" }

    /// The hits and the lists read from them, as they were.
    static func check(_ reader: BreakdownReader, _ message: @autoclosure () -> String = "") -> Int {
        let reference = hitsAsTheyWere(reader)
        XCTAssertEqual(reader.markerHits().map(describe), reference.map(describe), message())
        let got = reader.read()
        XCTAssertEqual(got, reader.lists(from: reference), message())
        return got.count
    }

    /// The texts of every sample and corpus report, and generated ones built from markers, quantities, percentages,
    /// brackets and separators.
    static func texts() -> [[String]] {
        var out: [[String]] = []
        for f in Fixtures.sampleAndCorpusTextFiles() {
            if let t = try? String(contentsOfFile: f, encoding: .utf8) { out.append(t.components(separatedBy: "\n")) }
        }
        let pieces = [
            "共", "收到申请", "8件", "12件", "3条", "5篇", "其中", "分类：", "：", ":", "，", "、", "；", "。", "（", "）", "(", ")",
            "等", "此外", "另外", "50%", "1.5％", "同比增长", "占", "\n", "其", "中", "其其中", "2项", "第3件",
        ]
        var rng = SplitMix(seed: 23)
        for _ in 0..<3_000 {
            out.append(
                (0..<Int(rng.next() % 30)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined().components(
                    separatedBy: "\n"))
        }
        return out
    }

    func testListsAreTheListsOfTheDictionaryReading() {
        let vocabularies = [
            Fixtures.vocabulary, ProseVocabulary(),
            ProseVocabulary(units: ["件", "条"], breakdownMarkersAfterQuantity: ["："]),
            ProseVocabulary(units: ["件", "%"], percentUnits: ["%"], breakdownMarkers: ["其中", "中", ""]),
        ]
        var lists = 0, texts = 0
        for paragraphs in Self.texts() {
            for join in [false, true] {
                let text = ProseText(paragraphs: paragraphs, joinWrappedLines: join)
                let sentences = SentenceSplitter.sentences(of: text)
                for v in vocabularies {
                    let quantities = QuantityScanner(text: text, vocabulary: v, sentences: sentences).scan()
                    let reader = BreakdownReader(text: text, vocabulary: v, sentences: sentences, quantities: quantities)
                    lists += Self.check(reader, paragraphs.joined(separator: "⏎"))
                }
            }
            texts += 1
        }
        XCTAssertGreaterThan(lists, 1_000)
        XCTAssertGreaterThan(texts, 1_000)
    }

    /// Quantities out of text order (not what the scanner gives) are looked up by end as before, the last one
    /// with an end winning.
    func testQuantitiesOutOfOrderAreLookedUpByEnd() {
        let text = ProseText(paragraphs: ["共收到申请8件：在线4件、邮寄4件。"])
        let sentences = SentenceSplitter.sentences(of: text)
        let scanned = QuantityScanner(text: text, vocabulary: Fixtures.vocabulary, sentences: sentences).scan()
        XCTAssertEqual(scanned.count, 3)
        for quantities in [scanned.reversed(), [scanned[0], scanned[0], scanned[1], scanned[2]], [scanned[1], scanned[0], scanned[2]]] {
            let reader = BreakdownReader(text: text, vocabulary: Fixtures.vocabulary, sentences: sentences, quantities: Array(quantities))
            _ = Self.check(reader)
        }
        var ends = BreakdownReader.QuantityEnds(scanned)
        XCTAssertNil(ends.byEnd)
        let found = (0...text.count).compactMap { ends.quantity(endingAt: $0) }
        XCTAssertEqual(found, [0, 1, 2])
    }

    // MARK: statements

    /// `StatementScanner.find` as it was: patterns screened on the scalars, `match` asked of every sentence.
    static func statementsAsTheyWere(_ patterns: [StatementPattern], in facts: ProseFacts) -> [StatementMatch] {
        let s = facts.text.scalars
        let possible = patterns.filter { p in !p.fragments.isEmpty && p.fragments.allSatisfy { StatementScanner.occurs($0, in: s) } }
        var out: [StatementMatch] = []
        for sentence in facts.sentences {
            var named = Set<String>()
            for p in possible where !named.contains(p.name) {
                guard let span = StatementScanner.match(p, s, from: sentence.span.start, to: sentence.span.end) else { continue }
                if p.exclusions.contains(where: { e in
                    (sentence.span.start..<sentence.span.end).contains { e.first == s[$0] && s.matches(e, at: $0) }
                }) {
                    continue
                }
                out.append(StatementMatch(pattern: p.name, sentence: sentence.index, span: span))
                named.insert(p.name)
            }
        }
        return out.sorted { ($0.span.start, $0.pattern) < ($1.span.start, $1.pattern) }
    }

    /// Patterns screened on the text's bytes, as the facts rule screens them, are those `find` screens on scalars,
    /// and `find(possible:)` on them gives `find`'s matches.
    func testStatementsScreenedOnBytesMatchAsBefore() {
        let patternTexts = [
            "所有|全部…申请…办结|办理完成", "未收到…申请", "未发生…行政复议|行政诉讼", "其中", "件", "申请…件", "没有…收费|费用", "2|3…件",
            "é…件", "😀|其中",
        ]
        let patterns = patternTexts.enumerated().map {
            StatementPattern(name: "p\($0.offset % 4)", pattern: $0.element, maxGap: 12, exclusions: $0.offset % 3 == 0 ? ["除", "其中"] : [])
        }
        let texts = Self.texts() + [["所有申请均已办结。未收到申请😀其中", "e\u{301}件"]]
        var matched = 0
        for paragraphs in texts {
            let text = ProseText(paragraphs: paragraphs, joinWrappedLines: true)
            let facts = ProseFacts(text: text, vocabulary: Fixtures.vocabulary)
            let whole = text.string
            let onBytes = patterns.filter { p in
                !p.fragments.isEmpty
                    && p.fragments.allSatisfy { alts in alts.contains { FastText.contains(whole, String(String.UnicodeScalarView($0))) } }
            }
            let onScalars = patterns.filter { p in
                !p.fragments.isEmpty && p.fragments.allSatisfy { StatementScanner.occurs($0, in: text.scalars) }
            }
            XCTAssertEqual(onBytes, onScalars)
            let got = StatementScanner.find(possible: onBytes, in: facts)
            let reference = Self.statementsAsTheyWere(patterns, in: facts)
            XCTAssertEqual(got, reference)
            XCTAssertEqual(StatementScanner.find(patterns, in: facts), reference)
            matched += got.count
        }
        XCTAssertGreaterThan(matched, 300)
    }

    // MARK: text of spans

    /// A span's text encoded straight into the string is the text encoded byte by byte as before.
    func testSpanTextsAreTheBytesAsEncodedBefore() {
        func asBefore(_ s: [Unicode.Scalar], _ r: Range<Int>) -> String {
            guard !r.isEmpty else { return "" }
            var bytes: [UInt8] = []
            for i in r { UTF8.encode(s[i]) { bytes.append($0) } }
            return String(decoding: bytes, as: UTF8.self)
        }
        var rng = SplitMix(seed: 31)
        let alphabet: [Unicode.Scalar] = [
            "a", "\u{0}", "\u{7F}", "\u{80}", "é", "\u{7FF}", "\u{800}", "年", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}", "\n",
        ]
        var texts = Self.texts().prefix(300).map { Array($0.joined(separator: "\n").unicodeScalars) }
        for _ in 0..<2_000 { texts.append((0..<Int(rng.next() % 20)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
        for s in texts {
            let text = ProseText(paragraphs: [String(String.UnicodeScalarView(s))])
            XCTAssertEqual(text.string, asBefore(text.scalars, 0..<text.count))
            for _ in 0..<5 {
                let a = Int(rng.next() % UInt64(s.count + 1)), b = Int(rng.next() % UInt64(s.count + 1))
                let r = min(a, b)..<max(a, b)
                XCTAssertEqual(s.string(r), asBefore(s, r))
                XCTAssertEqual(text.text(TextSpan(start: r.lowerBound, end: r.upperBound)), asBefore(text.scalars, r))
                XCTAssertTrue(s.string(r).utf8.elementsEqual(asBefore(s, r).utf8))
            }
        }
    }

    /// A paragraph's scalars decoded from its UTF-8 are the string's scalars.
    func testParagraphScalarsAreTheStringsScalars() {
        var texts = Self.texts().prefix(500).flatMap { $0 }
        var rng = SplitMix(seed: 37)
        let alphabet = [
            "a", "\u{0}", "\u{7F}", "\u{80}", "é", "e\u{301}", "\u{7FF}", "\u{800}", "年", "\u{FFFF}", "\u{10000}", "😀", "👨‍👩‍👧", "\u{10FFFF}",
            "\r\n",
        ]
        for _ in 0..<3_000 {
            texts.append((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined())
        }
        texts.append("")
        for t in texts {
            XCTAssertEqual(ProseParagraph.scalars(of: t), Array(t.unicodeScalars), t)
            // A string that is a slice of a larger one (not native contiguous UTF-8 of its own) too.
            let sub = String(Substring(t + "尾").dropLast())
            XCTAssertEqual(ProseParagraph.scalars(of: sub), Array(t.unicodeScalars), t)
        }
        XCTAssertGreaterThan(texts.count, 3_000)
    }

    // MARK: repeated sentences and placeholders

    /// `RepeatedSentences.find` as it was: every sentence's bigrams sorted up front.
    static func repeatsAsTheyWere(
        in text: ProseText, sentences: [Sentence], minLength: Int, maxEdits: Int, minSimilarity: Double
    ) -> [RepeatedSentence] {
        struct Item { var index: Int; var units: [UInt32]; var bigrams: [UInt64] }
        var items: [Item] = []
        for s in sentences {
            let units = NormalizedText.units(text.scalars, range: s.span.start..<s.span.end)
            guard units.count >= minLength else { continue }
            var bg: [UInt64] = []
            for i in stride(from: 1, to: units.count, by: 1) { bg.append(UInt64(units[i - 1]) << 32 | UInt64(units[i])) }
            items.append(Item(index: s.index, units: units, bigrams: bg.sorted()))
        }
        items.sort { ($0.units.count, $0.index) < ($1.units.count, $1.index) }
        func allowed(_ longer: Int) -> Int { max(maxEdits, Int((1 - minSimilarity) * Double(longer) + 1e-9)) }
        var out: [RepeatedSentence] = []
        var exactSeen: [[UInt32]: Int] = [:]
        for a in 0..<items.count {
            let A = items[a]
            var b = a + 1
            while b < items.count {
                let B = items[b]
                let k = allowed(B.units.count)
                if B.units.count - A.units.count > k { break }
                b += 1
                if A.units == B.units {
                    let lo = min(A.index, B.index)
                    if let firstCopy = exactSeen[A.units], firstCopy != lo { continue }
                    exactSeen[A.units] = lo
                    out.append(RepeatedSentences.pair(text, sentences, A.index, B.index, 0))
                    continue
                }
                if RepeatedSentences.commonCount(A.bigrams, B.bigrams) < max(A.bigrams.count, B.bigrams.count) - 2 * k { continue }
                if let d = RepeatedSentences.bandedDistance(A.units, B.units, k) {
                    out.append(RepeatedSentences.pair(text, sentences, A.index, B.index, d))
                }
            }
        }
        return out.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// Found as before with the bigrams made on demand and the pairs screened on their bucketed character counts.
    func testRepeatedSentencesWithBigramsMadeOnDemand() {
        var texts = Self.texts()
        // Generated: sentences repeated, with one or two characters changed, dropped or added.
        var rng = SplitMix(seed: 41)
        let words = ["本机关", "全年", "收到", "申请", "公开", "政府信息", "办结", "完", "安", "12", "件", "依法", "按时"]
        for _ in 0..<400 {
            var sentences: [String] = []
            for _ in 0..<Int(rng.next() % 8 + 2) {
                if let prior = sentences.randomElement(using: &rng), rng.next() % 2 == 0 {
                    var cs = Array(prior)
                    // One to four edits: pairs on both sides of every allowed distance, for the count filters' bounds.
                    for _ in 0..<Int(rng.next() % 4 + 1) {
                        switch rng.next() % 4 {
                        case 0: if !cs.isEmpty { cs[Int(rng.next() % UInt64(cs.count))] = "某" }
                        case 1: if !cs.isEmpty { cs.remove(at: Int(rng.next() % UInt64(cs.count))) }
                        case 2: cs.insert("又", at: Int(rng.next() % UInt64(cs.count + 1)))
                        default: break
                        }
                    }
                    sentences.append(String(cs))
                } else {
                    sentences.append(
                        (0..<Int(rng.next() % 10 + 3)).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined() + "。")
                }
            }
            texts.append([sentences.joined()])
        }
        var found = 0
        for paragraphs in texts {
            let text = ProseText(paragraphs: paragraphs, joinWrappedLines: true)
            let sentences = SentenceSplitter.sentences(of: text)
            for (minLength, maxEdits, similarity) in [(15, 2, 0.95), (6, 1, 0.9), (10, 3, 0.8)] {
                let got = RepeatedSentences.find(
                    in: text, sentences: sentences, minLength: minLength, maxEdits: maxEdits, minSimilarity: similarity)
                XCTAssertEqual(
                    got,
                    Self.repeatsAsTheyWere(
                        in: text, sentences: sentences, minLength: minLength, maxEdits: maxEdits, minSimilarity: similarity))
                found += got.count
            }
        }
        XCTAssertGreaterThan(found, 200)
    }

    /// Placeholders screened on the low bits of the words' first scalars are those found before (the placeholder
    /// tests in `EditorialFastPathTests` compare every position with the word-by-word search).
    func testPlaceholdersOnReportTexts() {
        let wordLists = [["XX", "××", "此处填写", "某某", "〇〇"], ["X"], ["×××", "××"], [], ["年", "月"]]
        var hits = 0
        for paragraphs in Self.texts().prefix(800) {
            let text = ProseText(paragraphs: paragraphs)
            for words in wordLists {
                let got = EditorialDetectors.placeholders(in: text, words: words)
                XCTAssertEqual(got, EditorialFastPathTests.placeholdersAsTheyWere(in: text, words: words))
                hits += got.count
            }
        }
        XCTAssertGreaterThan(hits, 100)
    }
}
