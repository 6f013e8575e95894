import Foundation
import OGIAnalysis
import XCTest

/// The byte-wise fast path of `TextSearch` must give Foundation's answer on every input, plain or not.
final class TextSearchTests: XCTestCase {
    func testContainsAgreesWithFoundation() {
        // Compatibility ideograph U+F900 is canonically U+8C48; "e" + U+0301 is canonically U+00E9; CR LF is one
        // character; U+302A is a combining tone mark.
        let texts = [
            "本年新收政府信息公开申请 12 件", "共收到申请12件，其中 | 依申请公开 | 3件", "", "abc", "\u{F900}字", "\u{8C48}字",
            "caf\u{E9}", "cafe\u{301}", "a\r\nb", "一\u{302A}二", "全年（2023年）共计——10项…",
        ]
        let needles = ["申请", "12件", " | ", "", "\u{8C48}", "\u{F900}", "\u{E9}", "e", "\n", "一", "（2023年）", "——", "x"]
        for t in texts {
            for n in needles {
                XCTAssertEqual(TextSearch.contains(t, n), t.range(of: n) != nil, "\(t.debugDescription) ∋ \(n.debugDescription)")
            }
        }
    }

    func testPlainTextIsOnlyWhatBytesCanDecide() {
        XCTAssertTrue(TextSearch.isPlain("2023年共收到申请12件（其中：依申请公开3件）。"))
        XCTAssertFalse(TextSearch.isPlain("\u{F900}"), "a compatibility ideograph has a canonical decomposition")
        XCTAssertFalse(TextSearch.isPlain("e\u{301}"), "a combining mark joins its neighbour")
        XCTAssertFalse(TextSearch.isPlain("a\r\nb"), "CR LF is one character")
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
