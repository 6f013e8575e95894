import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// `KeyPattern.matches` reads ASCII keys and patterns as bytes: it must answer as the character reading does,
/// for every key and pattern of the rule files and for generated ones over a small alphabet (where stars,
/// repeats and overlaps are common).
final class KeyPatternFastPathTests: XCTestCase {
    func testTheByteReadingAnswersAsTheCharacterReading() throws {
        let set = try RulePackLoader.load(directories: [Repo.rules, Repo.path("samples/province-example")])
        var keys: [String] = []
        for t in set.templates.templates {
            for spec in t.tables {
                keys.append(spec.key)
                if let g = spec.group { keys.append(g) }
                keys += spec.rows.map(\.key) + spec.columns.map(\.key)
            }
        }
        var patterns = ["*", "**", "a*", "*a", "a**b", "*_*", "withheld.*", "other*", "*total", "applications.*.total"]
        for k in Set(keys) {
            patterns += [k + "*", "*" + k, String(k.prefix(3)) + "*" + String(k.suffix(2)), "*" + String(k.dropFirst(2).prefix(3)) + "*"]
        }
        var random = SplitMix(seed: 7)
        let alphabet: [Character] = ["a", "b", "*", ".", "é", "\r", "\n", "_"]
        func word(_ n: Int) -> String { String((0..<n).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }) }
        for _ in 0..<800 {
            keys.append(word(Int(random.next() % 7)).replacingOccurrences(of: "*", with: "a"))
            patterns.append(word(Int(random.next() % 7)))
        }
        var compared = 0
        var byBytes = 0
        let allKeys = Set(keys).sorted()
        for (i, p) in Set(patterns).sorted().enumerated() where p.contains("*") {
            for (j, k) in allKeys.enumerated() where (i + j) % 5 == 0 {
                let expected = KeyPattern.charactersMatch(k, pattern: p)
                XCTAssertEqual(KeyPattern.matches(k, pattern: p), expected, "\(k) ~ \(p)")
                if let fast = KeyPattern.asciiMatches(k, pattern: p) {
                    XCTAssertEqual(fast, expected, "\(k) ~ \(p)")
                    byBytes += 1
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
        XCTAssertGreaterThan(byBytes, compared / 5, "many pairs take the byte reading")
    }
}
