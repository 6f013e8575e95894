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
    /// `LabelText.normalizedJoined` against normalising the joined texts, on runs of sample lines and labels
    /// and on random lines with white space, full-width forms, CJK, astral and combining scalars.
    func testNormalizedJoinedEqualsNormalizeOfJoined() throws {
        var pool = try ReadOnePass2Tests.lines() + Read5LabelTests.labels()
        var rng = SplitMix(seed: 808)
        let alphabet = Array("一二予以公开规章 \t\u{3000}\u{A0}\u{FEFF}ＡＺ！～（）()０９😀é\u{301}\u{E000}\u{EFFF}\u{F000}x1".unicodeScalars)
        for _ in 0..<2000 { pool.append(rng.string(from: alphabet, maxLength: 30)) }
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
