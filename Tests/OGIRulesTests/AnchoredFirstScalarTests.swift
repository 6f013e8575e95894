import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel

/// A pattern anchored at the start (`^`) has no match in a text whose first scalar cannot begin one, and
/// `CompiledRegex` answers so without decoding the text for a search (`ScalarRegex.mayMatch(textStartingWith:)`).
/// Wherever that shortcut says no, a full search and ICU say no too; and the shortcut must say no often, or it
/// saves nothing.
final class AnchoredFirstScalarTests: XCTestCase {
    static let crafted = [
        #"^[\s（(]*(?<y>(?:19|20)\d{2})\s*年"#, #"^\s*第\s*\d+\s*页"#, #"^(?:a|b)x"#, #"^a?b"#, #"^(?<=x)a"#, #"^(?<!x)a"#,
        #"^[^\]]+\]"#, #"^\p{Han}+"#, #"^(?:一|二|三)、"#, #"^$"#, #"^a*"#, #"^(?:^a|b)"#, #"(?:^a|^b)c"#, "^\\d",
    ]

    func testTheShortcutNeverHidesAMatch() throws {
        let patterns = try ScalarRegexDifferentialTests.bundledPatterns() + Self.crafted
        // Every line of the samples, renderings and corpus (each 9th one: the whole set is over 100,000 lines).
        let lines = try ScalarRegexDifferentialTests.texts().flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
        var texts = stride(from: 0, to: lines.count, by: 9).map { String(lines[$0]) }
        var rng = SplitMix(seed: 0xa5c4)
        let pieces = ["", " ", "\u{3000}", "（", "(", "2021", "年", "第", "3", "页", "a", "b", "x", "]", "一", "、", "\n", "😀", "e\u{301}"]
        for _ in 0..<3_000 { texts.append((0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()) }
        texts.append("")
        var anchored = 0, refused = 0
        for pattern in patterns {
            guard let rx = ScalarRegex(pattern) else { continue }
            if rx.anchoredAtStart { anchored += 1 }
            let compiled = try CompiledRegex(pattern: pattern)
            let icu = try NSRegularExpression(pattern: pattern)
            for text in texts where !rx.mayMatch(textStartingWith: text.unicodeScalars.first?.value) {
                refused += 1
                XCTAssertTrue(rx.anchoredAtStart, pattern)
                var steps = 0
                let found = try rx.firstMatch(in: ScalarText(text).values, from: 0, steps: &steps, budget: 50_000_000)
                XCTAssertNil(found, "'\(pattern)' matches \(text.debugDescription)")
                XCTAssertNil(icu.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)), pattern)
                XCTAssertNil(compiled.firstMatch(in: text), pattern)
                XCTAssertTrue(compiled.matches(in: text).isEmpty, pattern)
            }
        }
        XCTAssertGreaterThan(anchored, 10)
        XCTAssertGreaterThan(refused, 10_000)
    }

    /// Texts the shortcut lets through are searched as before: the first match and every match are ICU's.
    func testAnchoredPatternsStillMatchAsICU() {
        let texts = ["2021年12月31日", "（2022年1月5日）", " 第 3 页", "ax", "bx", "cx", "b", "ab", "xa", "a", "", "一、总体情况", "报告]"]
        for pattern in Self.crafted {
            for text in texts {
                XCTAssertNil(ScalarRegexDifferentialTests.difference(pattern, text), pattern)
            }
        }
    }
}
