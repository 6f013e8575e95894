import OGIModel
import OGITestSupport
import XCTest

/// `TextDictionary` must answer every lookup as the `[String: Value]` it is made from: plain keys looked up by
/// their bytes, and texts that are not plain (some canonically equivalent to a plain key) by the dictionary.
final class TextDictionaryTests: XCTestCase {
    func testLookupsEqualTheDictionarys() {
        let plainKeys = ["收到和处理政府信息公开申请情况", "表", "豈", "一、本年新收政府信息公开申请数量", "A", "", "（一）予以公开"]
        let otherKeys = plainKeys + ["\u{E9}", "e\u{301}x", "\u{212B}"]
        // Probes: every key, keys with a combining mark, canonical equivalents of plain keys through one-scalar
        // mappings (U+F900 is 豈, U+212A is K) and of a key that is not plain.
        var probes = otherKeys + otherKeys.map { $0 + "\u{301}" } + ["\u{F900}", "\u{212A}", "K", "e\u{301}", "\u{E9}x", "A\u{30A}"]
        var rng = SplitMix(seed: 4)
        let pieces = ["表", "豈", "\u{F900}", "A", "\u{301}", "e", "\u{E9}", "一", "（", "K", "\u{212A}"]
        for _ in 0..<2_000 { probes.append((0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()) }
        for keys in [plainKeys, otherKeys, plainKeys + ["K"]] {
            var byText: [String: Int] = [:]
            for (i, k) in keys.enumerated() where byText[k] == nil { byText[k] = i }
            let d = TextDictionary(byText)
            var hits = 0
            for p in probes {
                XCTAssertEqual(d[p], byText[p], "\(p.debugDescription) in \(keys)")
                if d[p] != nil { hits += 1 }
            }
            XCTAssertGreaterThan(hits, 20)
        }
        // A plain key is found through a text that is not plain but canonically equivalent.
        XCTAssertEqual(TextDictionary(["豈": 1])["\u{F900}"], 1)
        XCTAssertEqual(TextDictionary(["K": 1])["\u{212A}"], 1)
    }
}
