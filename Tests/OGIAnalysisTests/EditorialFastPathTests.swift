import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis

/// The editorial detectors' shortcuts find what the code they replace finds.
final class EditorialFastPathTests: XCTestCase {
    /// `EditorialDetectors.placeholders` as it was: every word tried at every offset.
    static func placeholdersAsTheyWere(in text: ProseText, words: [String]) -> [EditorialHit] {
        let s = text.scalars
        let ws = words.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        var out: [EditorialHit] = []
        var i = 0
        while i < s.count {
            guard let w = ws.first(where: { s.matches($0, at: i) }) else { i += 1; continue }
            var end = i + w.count
            let uniform = Set(w).count == 1
            if uniform { while end < s.count, s[end] == w[0] { end += 1 } }
            let latin = w.allSatisfy { CharClass.isASCIIAlnum($0) }
            if latin
                && ((i > 0 && CharClass.isASCIIAlnum(s[i - 1]) && !(uniform && s[i - 1] == w[0]))
                    || (end < s.count && CharClass.isASCIIAlnum(s[end])))
            {
                i = end
                continue
            }
            out.append(EditorialHit(kind: .placeholder, span: TextSpan(start: i, end: end), text: s.string(i..<end), suggestion: nil))
            i = end
        }
        return out
    }

    func testPlaceholdersFoundOnlyWhereAWordStarts() throws {
        var texts: [String] = []
        let files = Fixtures.sampleAndCorpusTextFiles()
        for f in files { if let t = try? String(contentsOfFile: f, encoding: .utf8) { texts.append(t) } }
        // Generated: the words next to each other, inside Latin words, in runs of one character.
        let pieces = ["XX", "X", "x", "××", "×", "此处填写", "此处", "填写", "某某", "某", "a", "1", "。", "\n", " ", "XXX"]
        var rng = SplitMix(seed: 17)
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        let wordLists = [["XX", "××", "此处填写", "某某", ""], ["X"], ["×××", "××"], [], ["此处", "此处填写"]]
        var hits = 0
        for t in texts {
            let text = ProseText(paragraphs: t.components(separatedBy: "\n"))
            for words in wordLists {
                let got = EditorialDetectors.placeholders(in: text, words: words)
                XCTAssertEqual(got, Self.placeholdersAsTheyWere(in: text, words: words))
                hits += got.count
            }
        }
        XCTAssertGreaterThan(hits, 500)
    }

    // MARK: Range tests in front of the bracket, quote and space detectors

    /// `EditorialDetectors.nestedDoubleQuotes` as it was: every scalar compared with a line feed and both quotes.
    static func nestedDoubleQuotesAsTheyWere(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        var stack: [Int] = []
        var inner: [(Int, Int)] = []
        for i in 0..<s.count {
            if s[i] == "\n" { stack = []; inner = []; continue }
            if s[i] == "“" { stack.append(i) }
            if s[i] == "”", let open = stack.popLast() {
                if !stack.isEmpty {
                    inner.append((open, i))
                } else if !inner.isEmpty {
                    var fixed = Array(s[open...i])
                    for (a, b) in inner { fixed[a - open] = "‘"; fixed[b - open] = "’" }
                    out.append(
                        EditorialHit(
                            kind: .nestedDoubleQuotes, span: TextSpan(start: open, end: i + 1),
                            text: s.string(open..<(i + 1)), suggestion: fixed.string(0..<fixed.count)))
                    inner = []
                }
            }
        }
        return out
    }

    /// `EditorialDetectors.spaceBeforePunctuation` as it was: `FastText.isSpace` asked of every scalar.
    static func spaceBeforePunctuationAsItWas(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        var i = 0
        while i < s.count {
            if s[i] != "\n", FastText.isSpace(s[i]) {
                var j = i
                while j < s.count, s[j] != "\n", FastText.isSpace(s[j]) { j += 1 }
                if j < s.count, EditorialDetectors.chinesePunctuation.contains(s[j]), i > 0, s[i - 1] != "\n" {
                    let from = i - 1
                    out.append(
                        EditorialHit(
                            kind: .spaceBeforePunctuation, span: TextSpan(start: from, end: j + 1),
                            text: s.string(from..<(j + 1)), suggestion: String(Character(s[from])) + String(Character(s[j]))))
                }
                i = j
                continue
            }
            i += 1
        }
        return out
    }

    /// `EditorialDetectors.emptyBrackets` as it was: `CharClass.isOpenBracket` asked of every scalar.
    static func emptyBracketsAsTheyWere(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        for i in 0..<s.count where CharClass.isOpenBracket(s[i]) && s[i] != "“" && s[i] != "‘" {
            var j = i + 1
            while j < s.count, s[j] != "\n", FastText.isSpace(s[j]) { j += 1 }
            if j < s.count, CharClass.opener(of: s[j]) == s[i] {
                out.append(
                    EditorialHit(kind: .emptyBrackets, span: TextSpan(start: i, end: j + 1), text: s.string(i..<(j + 1)), suggestion: nil))
            }
        }
        return out
    }

    /// Every scalar the quick tests pass over is none the detectors act on: no space, line feed, quote or bracket
    /// is a CJK unified ideograph (`CharClass.isUnifiedIdeograph`), and no space lies in U+0021...U+0084 or
    /// U+3001...U+FEFE.
    func testTheRangesPassedOverHoldNoScalarTheDetectorsActOn() {
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if CharClass.isUnifiedIdeograph(u) {
                XCTAssertFalse(
                    u == "\n" || u == "“" || u == "”" || CharClass.isOpenBracket(u) || CharClass.opener(of: u) != nil
                        || FastText.isSpace(u),
                    String(v, radix: 16))
            }
            if (0x21...0x84).contains(v) || (0x3001...0xFEFE).contains(v) { XCTAssertFalse(FastText.isSpace(u), String(v, radix: 16)) }
        }
    }

    func testBracketQuoteAndSpaceDetectorsFindWhatTheyFoundBefore() throws {
        var texts: [String] = []
        for f in Fixtures.sampleAndCorpusTextFiles() { if let t = try? String(contentsOfFile: f, encoding: .utf8) { texts.append(t) } }
        // Generated: spaces of every kind before marks, brackets and quotes nested, opened and closed across lines.
        let pieces = [
            "“", "”", "‘", "’", "（", "）", "(", ")", "【", "】", "[", "]", "《", "》", "「", "」", "『", "』", "〔", "〕", " ", "\u{3000}",
            "\u{A0}", "\u{2009}", "\t", "\u{FEFF}", "，", "。", "：", "；", "文", "字", "a", "1", "\n", "1）",
        ]
        var rng = SplitMix(seed: 29)
        for _ in 0..<3_000 {
            texts.append((0..<Int.random(in: 0...14, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var hits = 0
        for t in texts {
            for join in [false, true] {
                let text = ProseText(paragraphs: t.components(separatedBy: "\n"), joinWrappedLines: join)
                let nested = EditorialDetectors.nestedDoubleQuotes(in: text)
                XCTAssertEqual(nested, Self.nestedDoubleQuotesAsTheyWere(in: text))
                let spaces = EditorialDetectors.spaceBeforePunctuation(in: text)
                XCTAssertEqual(spaces, Self.spaceBeforePunctuationAsItWas(in: text))
                let empty = EditorialDetectors.emptyBrackets(in: text)
                XCTAssertEqual(empty, Self.emptyBracketsAsTheyWere(in: text))
                hits += nested.count + spaces.count + empty.count
            }
        }
        XCTAssertGreaterThan(hits, 1_000)
    }

    /// A numbering style's level is its place among the styles, outermost first (the numbering detector keeps the
    /// last number of each style at its level, and a marker resets the levels after its own).
    func testNumberingStyleLevelsAreTheirOrder() {
        for (i, style) in NumberingStyle.allCases.enumerated() {
            XCTAssertEqual(style.level, i, style.rawValue)
            for other in NumberingStyle.allCases { XCTAssertEqual(style < other, i < NumberingStyle.allCases.firstIndex(of: other)!) }
        }
    }
}
