import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The text reader's word-at-a-time digit test against the byte test it replaces, on strings of every length
/// around the eight-byte words, over bytes next to the digits (`/`, `:`), digits, and multi-byte scalars whose
/// continuation bytes are 0xB0...0xB9 (a digit with the high bit set).
final class ReadSpeedTests: XCTestCase {
    /// `FastText.isAllPlain` on the bytes against every scalar tested with `isPlainScalar`: on every line of the
    /// documents, on each scalar at and around the edges of the plain ranges (and of one, two, three and four
    /// bytes), and on generated strings of them.
    func testIsAllPlainEqualsTheScalarTest() throws {
        func reference(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(FastText.isPlainScalar) }
        var edges: [UInt32] = [0, 0x09, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xA0, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x20000, 0x10FFFF]
        for e: UInt32 in [0x2010, 0x2027, 0x2030, 0x205E, 0x3000, 0x3029, 0x3030, 0x303F, 0x4E00, 0x9FFF, 0xFF01, 0xFF5E] {
            edges += [e - 1, e, e + 1]
        }
        let scalars = edges.compactMap(Unicode.Scalar.init)
        var texts = try TextFrontFastPathTests.documents().flatMap { $0.map(\.text) }
        texts += ["", "年度报告", "年度\t报告", "報告", "\u{301}"] + scalars.map { String($0) }
        var rng = SplitMix(seed: 0x91a1)
        for _ in 0..<5000 {
            texts.append(
                String(String.UnicodeScalarView((0..<(rng.next() % 9)).map { _ in scalars[Int(rng.next() % UInt64(scalars.count))] })))
        }
        var plain = 0, notPlain = 0
        for t in texts {
            let expected = reference(t)
            XCTAssertEqual(FastText.isAllPlain(t), expected, t.debugDescription)
            if expected { plain += 1 } else { notPlain += 1 }
        }
        XCTAssertGreaterThan(plain, 500)
        XCTAssertGreaterThan(notPlain, 500)
    }

    /// `LabelText.normalizedJoined` against normalising the joined texts, on runs of sample lines and labels
    /// and on random lines with white space, full-width forms, CJK, astral and combining scalars.
    func testNormalizedJoinedEqualsNormalizeOfJoined() throws {
        var pool = try ReadOnePass2Tests.lines() + Read5LabelTests.labels()
        var rng = SplitMix(seed: 808)
        let alphabet = Array("一二予以公开规章 \t\u{3000}\u{A0}\u{FEFF}ＡＺ！～（）()０９😀é\u{301}\u{E000}\u{EFFF}\u{F000}x1".unicodeScalars)
        for _ in 0..<2000 { pool.append(rng.string(from: alphabet, maxLength: 30)) }
        // Every ASCII scalar, white space (09...0D, 20) and not, between CJK, full-width and ASCII neighbours.
        for v in 0..<128 {
            let c = String(UnicodeScalar(UInt8(v)))
            pool += [c, "a\(c)b", "中\(c)文", "Ａ\(c)\(c)１", "\(c)é\(c)"]
        }
        for _ in 0..<3000 {
            let count = Int(rng.next() % 12)
            let lines = (0..<count).map { k in SourceLine(number: k + 1, text: pool[Int(rng.next() % UInt64(pool.count))]) }
            let fast = LabelText.normalizedJoined(lines), ref = LabelText.normalize(lines.map { $0.text }.joined())
            XCTAssertTrue(FastText.bytesEqual(fast, ref), lines.map { $0.text }.debugDescription)
        }
        XCTAssertEqual(LabelText.normalizedJoined([]), "")
    }

    func testHasDigitEqualsByteTest() {
        var rng = SplitMix(seed: 2024)
        let alphabet = Array("/:0123456789a ° ±²³¹一二三年度报告\u{3000}\u{FF10}\u{FF19}😀\t\u{7F}".unicodeScalars)
        var with = 0, without = 0
        for _ in 0..<20_000 {
            var s = rng.string(from: alphabet, maxLength: 30)
            if rng.next() % 2 == 0 { s = s.replacingOccurrences(of: "0", with: "").filter { !("1"..."9").contains($0) } }
            let fast = TextReader.hasDigit(s), ref = TextReader.hasDigitByBytes(s)
            XCTAssertEqual(fast, ref, s.debugDescription)
            if ref { with += 1 } else { without += 1 }
        }
        for n in 0..<40 {
            for d in ["0", "9", "/", ":", "°"] {
                for k in 0...n {
                    let s = String(repeating: "x", count: k) + d + String(repeating: "x", count: n - k)
                    XCTAssertEqual(TextReader.hasDigit(s), TextReader.hasDigitByBytes(s), s.debugDescription)
                }
            }
        }
        for w in stride(from: UInt64(0), to: 256, by: 1) {
            let word = w * 0x0101_0101_0101_0101
            XCTAssertEqual(TextReader.wordHasDigit(word), (0x30...0x39).contains(w), "\(w)")
        }
        XCTAssertGreaterThan(with, 3000)
        XCTAssertGreaterThan(without, 3000)
    }
}
