import Foundation
import OGIModel
import OGITestSupport
import XCTest

/// `ScalarTrim` trims exactly what Foundation's `trimmingCharacters(in:)` trims, for the two sets it replaces.
final class ScalarTrimTests: XCTestCase {
    func testScalarClassesAreFoundationsSetsForEveryScalar() {
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(ScalarTrim.isWhitespace(u), CharacterSet.whitespaces.contains(u), "U+\(String(v, radix: 16))")
            XCTAssertEqual(
                ScalarTrim.isWhitespaceOrNewline(u), CharacterSet.whitespacesAndNewlines.contains(u), "U+\(String(v, radix: 16))")
        }
    }

    func testTrimmingAgreesWithFoundationOnGeneratedStrings() {
        // Spaces of every kind, newlines, combining marks that attach to a space, CJK, ASCII and emoji.
        let pieces: [String] = [
            " ", "\t", "\n", "\r\n", "\u{3000}", "\u{A0}", "\u{2003}", "\u{200B}", "\u{FEFF}", "\u{85}", "\u{2028}",
            "\u{301}", "e\u{301}", "四", "、", "（", "1", "a", "👍🏽", "．", "\u{1680}", "\u{202F}",
        ]
        var rng = SplitMix(seed: 11)
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 7)
            let s = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            XCTAssertEqual(ScalarTrim.whitespaces(s), s.trimmingCharacters(in: .whitespaces), s.debugDescription)
            XCTAssertEqual(
                ScalarTrim.whitespacesAndNewlines(s), s.trimmingCharacters(in: .whitespacesAndNewlines), s.debugDescription)
            // Equal as strings is not enough for the callers that count characters: compare the scalars too.
            XCTAssertEqual(
                Array(ScalarTrim.whitespaces(s).unicodeScalars), Array(s.trimmingCharacters(in: .whitespaces).unicodeScalars))
        }
    }

    /// `FastText.trim`, read on the UTF-8 bytes, against its scalar-view reading: the same slice (the same ends, in
    /// UTF-8 offsets) of generated strings with every kind of space at both ends, combining marks after a space,
    /// CJK and astral scalars, and of strings bridged from NSString (read through the scalar view); and
    /// `FastText.trimmed`, the same text as a string, and `FastText.isBlank`, whether it is empty.
    func testFastTrimOnBytesIsTheScalarViewReading() {
        let pieces: [String] = [
            " ", "\t", "\n", "\r\n", "\u{3000}", "\u{A0}", "\u{2003}", "\u{200B}", "\u{FEFF}", "\u{85}", "\u{2028}",
            "\u{301}", "e\u{301}", "四", "、", "（", "1", "a", "👍🏽", "．", "\u{1680}", "\u{202F}", "\u{10000}",
        ]
        var rng = SplitMix(seed: 12)
        var strings: [String] = ["", " ", "\u{3000}\u{3000}", "总计", " 总计 ", "\u{301} x"]
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 7)
            strings.append((0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        strings += strings.prefix(200).map { NSString(string: "\u{3000}" + $0 + " ").substring(from: 0) }
        var trimmed = 0
        for s in strings {
            let fast = FastText.trim(s), reference = FastText.trimOnScalars(s)
            XCTAssertEqual(fast.utf8.count, reference.utf8.count, s.debugDescription)
            XCTAssertEqual(
                s.utf8.distance(from: s.startIndex, to: fast.startIndex), s.utf8.distance(from: s.startIndex, to: reference.startIndex))
            XCTAssertTrue(fast.utf8.elementsEqual(reference.utf8), s.debugDescription)
            XCTAssertEqual(fast, reference)
            // `trimmed`: the same text, as a string of its own (`s` itself when nothing was trimmed).
            let whole = FastText.trimmed(s)
            XCTAssertTrue(whole.utf8.elementsEqual(reference.utf8), s.debugDescription)
            XCTAssertEqual(Array(whole.unicodeScalars), Array(reference.unicodeScalars), s.debugDescription)
            XCTAssertEqual(FastText.isBlank(s), reference.isEmpty, s.debugDescription)
            if fast.utf8.count != s.utf8.count { trimmed += 1 }
        }
        XCTAssertGreaterThan(trimmed, 5000)
    }
}
