import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis

/// The editorial detectors' shortcuts find what the code they replace finds.
final class EditorialFastPathTests: XCTestCase {
    /// `EditorialDetectors.placeholders` as it was: every word tried at every offset.
    static func placeholdersAsTheyWere(in text: ProseText, words: [String]) -> [EditorialHit] {
        let s = text.scalars
        let ws = words.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        var out: [EditorialHit] = []
        var i = 0
        while i < s.count {
            guard let w = ws.first(where: { s.matches($0, at: i) }) else { i += 1; continue }
            var end = i + w.count
            let uniform = Set(w).count == 1
            if uniform { while end < s.count, s[end] == w[0] { end += 1 } }
            let latin = w.allSatisfy { CharClass.isASCIIAlnum($0) }
            if latin
                && ((i > 0 && CharClass.isASCIIAlnum(s[i - 1]) && !(uniform && s[i - 1] == w[0]))
                    || (end < s.count && CharClass.isASCIIAlnum(s[end])))
            {
                i = end
                continue
            }
            out.append(EditorialHit(kind: .placeholder, span: TextSpan(start: i, end: end), text: s.string(i..<end), suggestion: nil))
            i = end
        }
        return out
    }

    func testPlaceholdersFoundOnlyWhereAWordStarts() throws {
        var texts: [String] = []
        let files = Fixtures.sampleAndCorpusTextFiles()
        for f in files { if let t = try? String(contentsOfFile: f, encoding: .utf8) { texts.append(t) } }
        // Generated: the words next to each other, inside Latin words, in runs of one character.
        let pieces = ["XX", "X", "x", "××", "×", "此处填写", "此处", "填写", "某某", "某", "a", "1", "。", "\n", " ", "XXX"]
        var rng = SplitMix(seed: 17)
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        let wordLists = [["XX", "××", "此处填写", "某某", ""], ["X"], ["×××", "××"], [], ["此处", "此处填写"]]
        var hits = 0
        for t in texts {
            let text = ProseText(paragraphs: t.components(separatedBy: "\n"))
            for words in wordLists {
                let got = EditorialDetectors.placeholders(in: text, words: words)
                XCTAssertEqual(got, Self.placeholdersAsTheyWere(in: text, words: words))
                hits += got.count
            }
        }
        XCTAssertGreaterThan(hits, 500)
    }
}
