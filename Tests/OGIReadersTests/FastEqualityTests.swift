import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// Text comparisons answered from the bytes where that is certain must answer as Swift's comparisons of
/// characters do: `FastText.equal` as `==`, `FastText.hasPrefix` as `hasPrefix`, `FastText.hasSuffix` as `hasSuffix`, `TextScan.mayLeadTitle` as its
/// reading through the characters, `HeadingMatcher.droppingLeadingMarks` as `drop(while:)`. Compared on generated
/// texts made of plain scalars, canonically equivalent spellings (a compatibility ideograph, a precomposed letter
/// and its decomposition, combining marks after a plain scalar), and the units, leads and labels of the rule pack.
final class FastEqualityTests: XCTestCase {
    /// Pieces of text: plain scalars (ASCII, CJK, full-width forms, CJK punctuation) and scalars that are not plain,
    /// some canonically equivalent to others (U+F900 is U+8C48, "é" is "e" + U+0301, U+212B is "Å").
    static let pieces: [String] = [
        "件", "条", "项", "篇", "万元", "%", "％", "年", "度", "关于", "发布", "a", "Z", "1", " ", "　", "#", "，", "。", ":", "：",
        ",", "\u{F900}", "\u{8C48}", "é", "e\u{301}", "\u{301}", "\u{212B}", "Å", "A\u{30A}", "\u{FE0F}", "👍🏽", "\t", "\n", "\r\n",
        "\u{3099}", "か", "\u{304C}", "か\u{3099}", "Ｗ", "〇", "\u{2E80}", "\u{200B}",
    ]

    func generated(count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let n = Int(rng.next() % 5)
            return (0..<n).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
        }
    }

    /// The rule pack's words: units, title leads and suffixes, placeholders and blank markers.
    func packWords() -> [String] {
        let ts = Repo.linter.ruleSet.templates
        let p = ts.profile
        return p.titleLeads + p.titleYearSuffixes + p.titleWords + p.titleTails + p.cells.units + p.cells.placeholders
            + p.cells.blanks + p.cells.increaseWords + p.cells.decreaseWords
    }

    func testEqualIsSwiftEquality() {
        let texts = generated(count: 3_000, seed: 5) + packWords()
        var equalWithOtherBytes = 0
        for (i, a) in texts.enumerated() {
            for b in texts[i...].prefix(60) + Self.pieces {
                XCTAssertEqual(FastText.equal(a, b), a == b, "\(a.debugDescription) \(b.debugDescription)")
                XCTAssertEqual(
                    FastText.equal(a, b, bIsPlain: FastText.isAllPlain(b)), a == b, "\(a.debugDescription) \(b.debugDescription)")
                if a == b && !FastText.bytesEqual(a, b) { equalWithOtherBytes += 1 }
            }
        }
        // Canonically equivalent texts with different bytes are among those compared.
        XCTAssertGreaterThan(equalWithOtherBytes, 10)
    }

    func testHasPrefixIsSwiftHasPrefix() {
        let prefixes = compareEdges(
            seed: 6, FastText.hasPrefix, { $0.hasPrefix($1) }, own: { [$0, String($0.prefix(1)), String($0.unicodeScalars.prefix(1))] })
        XCTAssertGreaterThan(prefixes, 3_000)
    }

    /// `FastText.hasPrefix` reads only the front of `s` for plainness: texts made of a prefix, a generated middle and
    /// a tail that is not plain (a combining mark, a compatibility ideograph, a decomposed letter) right after the
    /// prefix, one scalar later and far later, against Swift's `hasPrefix` of each front.
    func testHasPrefixReadsOnlyTheFront() {
        let fronts = generated(count: 400, seed: 9) + packWords()
        let middles = ["", "年", "a", "年度报告", String(repeating: "局", count: 40)]
        let tails = ["", "\u{301}", "\u{F900}", "e\u{301}", "\u{FE0F}", "\u{3099}", "\u{200B}"]
        var prefixes = 0, frontsWithTails = 0
        for (i, x) in fronts.enumerated() {
            for middle in middles {
                for tail in tails {
                    let s = x + middle + tail
                    for p in [x, fronts[(i + 1) % fronts.count], x + middle, String(x.dropLast())] {
                        let expected = s.hasPrefix(p)
                        XCTAssertEqual(FastText.hasPrefix(s, p), expected, "\(s.debugDescription) \(p.debugDescription)")
                        if expected { prefixes += 1 }
                        if expected && !tail.isEmpty { frontsWithTails += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(prefixes, 10_000)
        XCTAssertGreaterThan(frontsWithTails, 5_000)
    }

    func testHasSuffixIsSwiftHasSuffix() {
        let suffixes = compareEdges(
            seed: 8, FastText.hasSuffix, { $0.hasSuffix($1) }, own: { [$0, String($0.suffix(1)), String($0.unicodeScalars.suffix(1))] })
        // Suffixes that end inside a character of `s` ("\u{301}" after "e") are among those compared, and refused.
        XCTAssertFalse(FastText.hasSuffix("e\u{301}", "\u{301}"))
        XCTAssertGreaterThan(suffixes, 3_000)
    }

    /// `fast(s, x)` against Swift's `reference(s, x)` for generated texts and the pack's words `s`, each with the
    /// texts after it, every piece, the empty text and `own(s)` (itself, its first or last character and scalar)
    /// as `x`; the number of pairs for which both answer true.
    func compareEdges(
        seed: UInt64, _ fast: (String, String) -> Bool, _ reference: (String, String) -> Bool, own: (String) -> [String]
    ) -> Int {
        let texts = generated(count: 3_000, seed: seed) + packWords()
        var matches = 0
        for (i, s) in texts.enumerated() {
            for x in texts[i...].prefix(40) + Self.pieces + [""] + own(s) {
                let expected = reference(s, x)
                XCTAssertEqual(fast(s, x), expected, "\(s.debugDescription) \(x.debugDescription)")
                if expected { matches += 1 }
            }
        }
        return matches
    }

    func testMayLeadTitleIsTheReadingThroughCharacters() throws {
        var texts = generated(count: 5_000, seed: 7)
        texts += ["示例市", "示例市人民政府办公室关于印发", String(repeating: "局", count: 30), String(repeating: "局", count: 31), "ABC局", "a，b"]
        for t in try FastPathTests.texts().prefix(40) { texts += t.text.components(separatedBy: "\n").prefix(20) }
        var leads = 0
        for s in texts {
            let expected = TextScan.mayLeadTitleOnCharacters(s)
            XCTAssertEqual(TextScan.mayLeadTitle(s), expected, s.debugDescription)
            if expected { leads += 1 }
        }
        XCTAssertGreaterThan(leads, 500)
    }

    func testDroppingLeadingMarksIsDropWhile() {
        let texts = generated(count: 5_000, seed: 8) + ["# 一、总体情况", "  ## 二、", "#\u{301}一", " \u{301}一", "一、总体情况", ""]
        for s in texts {
            XCTAssertEqual(HeadingMatcher.droppingLeadingMarks(s), String(s.drop { $0 == "#" || $0 == " " }), s.debugDescription)
        }
    }
}
