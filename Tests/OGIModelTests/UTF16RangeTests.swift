import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel

/// `String.indexRange(utf16:)` gives what Foundation's `Range(_:in:)` gives: on generated strings of ASCII,
/// CJK, marks, CR LF and characters outside the Basic Multilingual Plane, for every range between two UTF-16
/// offsets (inside a surrogate pair and past the end too), and for absent and negative ranges.
final class UTF16RangeTests: XCTestCase {
    func testSameRangesAsFoundation() {
        var rng = SplitMix(seed: 0x0716)
        let pieces = ["a", "1", " ", "年", "（", "\u{3000}", "e\u{301}", "\r\n", "😀", "𠀀", "\n", "🇨🇳"]
        var strings = ["", "a", "😀", "年"]
        for _ in 0..<400 { strings.append((0..<Int(rng.next() % 9)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()) }
        var fast = 0
        for s in strings {
            let n = s.utf16.count
            for lower in 0...n {
                for upper in lower...n {
                    let r = NSRange(location: lower, length: upper - lower)
                    let expected = Range(r, in: s), got = s.indexRange(utf16: r)
                    XCTAssertEqual(
                        got.map { s.utf8.distance(from: s.startIndex, to: $0.lowerBound) },
                        expected.map { s.utf8.distance(from: s.startIndex, to: $0.lowerBound) }, "\(s.debugDescription) \(r)")
                    XCTAssertEqual(
                        got.map { s.utf8.distance(from: s.startIndex, to: $0.upperBound) },
                        expected.map { s.utf8.distance(from: s.startIndex, to: $0.upperBound) }, "\(s.debugDescription) \(r)")
                    if let got, let expected {
                        XCTAssertEqual(String(s[got]), String(s[expected]))
                        XCTAssertEqual(got, expected)
                        fast += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(fast, 5_000)
        XCTAssertNil("abc".indexRange(utf16: NSRange(location: NSNotFound, length: 0)))
        XCTAssertNil("abc".indexRange(utf16: NSRange(location: 2, length: 2)))
        XCTAssertNil("abc".indexRange(utf16: NSRange(location: -1, length: 1)))
    }
}
