import Foundation
import OGIAnalysis
import OGITestSupport
import XCTest

/// The byte-wise fast path of `TextSearch` must give Foundation's answer on every input, plain or not.
final class TextSearchTests: XCTestCase {
    func testContainsAgreesWithFoundation() {
        // Compatibility ideograph U+F900 is canonically U+8C48; "e" + U+0301 is canonically U+00E9; CR LF is one
        // character; U+302A is a combining tone mark.
        let texts = [
            "本年新收政府信息公开申请 12 件", "共收到申请12件，其中 | 依申请公开 | 3件", "", "abc", "\u{F900}字", "\u{8C48}字",
            "caf\u{E9}", "cafe\u{301}", "a\r\nb", "一\u{302A}二", "全年（2023年）共计——10项…",
            // A PDF extraction's Kangxi radicals (U+2F00 for 一, U+2F49 for 月), circled digits, units and signs.
            "2024年\u{2F00}\u{2F49}共收到申请①项", "面积100㎡，金额￥100×2", "Ω\u{2126}Å\u{212B}",
        ]
        let needles = [
            "申请", "12件", " | ", "", "\u{8C48}", "\u{F900}", "\u{E9}", "e", "\n", "一", "（2023年）", "——", "x", "\u{2F00}", "月",
            "\u{2F49}共", "1", "m2", "㎡", "¥", "×", "\u{2126}", "Ω", "Å",
        ]
        for t in texts {
            for n in needles {
                XCTAssertEqual(TextSearch.contains(t, n), t.range(of: n) != nil, "\(t.debugDescription) ∋ \(n.debugDescription)")
            }
        }
    }

    /// Every scalar `isPlain` admits is its own canonical form (composed and decomposed), a character of its own
    /// beside any plain neighbour, and matched by Foundation only as itself: where it has a compatibility mapping
    /// (a radical's ideograph, a circled digit's digit, a unit's letters), Foundation finds neither in the other,
    /// as the byte search does not.
    func testEveryPlainScalarMatchesOnlyItself() {
        var plain = 0, mapped = 0
        for v in UInt32(0)..<0x10000 {
            guard let u = Unicode.Scalar(v), TextSearch.isPlain(String(u)) else { continue }
            let s = String(u), name = String(format: "U+%04X", v)
            plain += 1
            XCTAssertEqual(Array(s.decomposedStringWithCanonicalMapping.unicodeScalars), [u], name)
            XCTAssertEqual(Array(s.precomposedStringWithCanonicalMapping.unicodeScalars), [u], name)
            for (before, after) in [("a", ""), ("", "a"), ("一", ""), ("", "一"), ("", s), ("\n", ""), ("", "\n"), ("\t", "")] {
                XCTAssertEqual((before + s + after).count, 2, "\(name) joins \((before + after).debugDescription)")
            }
            let k = s.decomposedStringWithCompatibilityMapping
            guard Array(k.unicodeScalars) != [u] else { continue }
            mapped += 1
            for (haystack, needle) in [("一" + s + "一", k), ("一" + k + "一", s)] {
                XCTAssertEqual(TextSearch.contains(haystack, needle), haystack.range(of: needle) != nil, "\(name): \(haystack) ∋ \(needle)")
            }
        }
        XCTAssertGreaterThan(plain, 29_000)
        XCTAssertGreaterThan(mapped, 1_000, "the radicals, circled numbers and units have compatibility mappings")
    }

    /// `isPlain` read on bytes answers as the scalar-view reading for every scalar, alone and between plain
    /// neighbours, and for strings drawn from the edges of the plain ranges and their one- to four-byte forms.
    func testPlainReadOnBytesEqualsScalarReading() {
        var plain = 0
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = String(u)
            let a = TextSearch.isPlain(s)
            XCTAssertEqual(a, TextSearch.isPlainByScalars(s), String(format: "U+%04X", v))
            if v % 97 == 0 {
                let t = "一a" + s + "\u{9FFF}"
                XCTAssertEqual(TextSearch.isPlain(t), TextSearch.isPlainByScalars(t), String(format: "U+%04X", v))
            }
            if a { plain += 1 }
        }
        XCTAssertGreaterThan(plain, 29_000)
        let edges = Array(
            "\u{8}\t\n\u{B}\r\u{1F} ~\u{7F}\u{80}\u{9F}\u{A0}\u{AD}\u{B7}\u{D7}\u{F7}\u{300}\u{2010}\u{2027}\u{2028}\u{3029}\u{302A}\u{3400}\u{4DBF}\u{4DC0}\u{4E00}\u{4FFF}\u{5000}\u{9FFF}\u{A000}\u{2F00}\u{2FD5}\u{2FD6}\u{FF5E}\u{FF5F}\u{FFEF}\u{10000}😀"
                .unicodeScalars)
        var rng = SplitMix(seed: 3)
        for _ in 0..<20_000 {
            let t = String(String.UnicodeScalarView((0..<Int(rng.next() % 9)).map { _ in edges[Int(rng.next() % UInt64(edges.count))] }))
            XCTAssertEqual(TextSearch.isPlain(t), TextSearch.isPlainByScalars(t), t.debugDescription)
        }
    }

    func testPlainTextIsOnlyWhatBytesCanDecide() {
        XCTAssertTrue(TextSearch.isPlain("2023年共收到申请12件（其中：依申请公开3件）。"))
        XCTAssertFalse(TextSearch.isPlain("\u{F900}"), "a compatibility ideograph has a canonical decomposition")
        XCTAssertFalse(TextSearch.isPlain("e\u{301}"), "a combining mark joins its neighbour")
        XCTAssertFalse(TextSearch.isPlain("a\r\nb"), "CR LF is one character")
        XCTAssertTrue(TextSearch.isPlain("二〇二四年\u{2F00}\u{2F49}①㎡￥×"), "radicals, circled digits, units and signs are plain")
        XCTAssertFalse(TextSearch.isPlain("\u{2126}"), "the ohm sign is canonically U+03A9")
        XCTAssertFalse(TextSearch.isPlain("a\u{AD}b"), "the soft hyphen is left to Foundation")
    }

    func testRangeFindsFirstAndLastOccurrence() {
        let h = Array("ab|ab|ab".utf8), n = Array("ab".utf8)
        XCTAssertEqual(TextSearch.range(of: n, in: h, from: 1), 3..<5)
        XCTAssertEqual(TextSearch.range(of: n, in: h, from: 1, backwards: true), 6..<8)
        XCTAssertNil(TextSearch.range(of: [], in: h, from: 0), "an empty needle is found nowhere, as in Foundation")
        XCTAssertNil(TextSearch.range(of: n, in: h, from: 7))
    }

    func testCharacterClassTestsAgreeWithTheirSets() {
        for v in UInt32(0)..<0x10000 {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(CharClass.isSentenceEnder(u), CharClass.sentenceEnders.contains(u), "\(v)")
            XCTAssertEqual(CharClass.isCloser(u), CharClass.closers.contains(u), "\(v)")
            XCTAssertEqual(CharClass.isOpenBracket(u), CharClass.openBrackets.contains(u), "\(v)")
        }
    }
}
