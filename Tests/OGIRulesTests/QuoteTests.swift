import Foundation
import OGITestSupport
import XCTest

@testable import OGIRules

/// A sentence quoted in a message (`RuleRun.quoted`) is cut by scalars when every scalar is plain; it must be cut
/// where the reading by characters cuts it (`quotedByCharacters`). Compared on the corpus's and samples' lines and
/// on generated texts around the limit, with scalars that join their neighbours (combining marks, emoji, CRLF).
final class QuoteTests: XCTestCase {
    func testQuotedEqualsTheReadingByCharacters() throws {
        var texts: [String] = []
        for dir in ["samples", "samples/renderings"].map(Repo.path)
            + [Repo.shared.map { ($0 as NSString).appendingPathComponent("corpus") }].compactMap({ $0 })
        {
            for n in (try? FileManager.default.contentsOfDirectory(atPath: dir).sorted()) ?? [] where n.hasSuffix(".txt") {
                let t = (try? String(contentsOfFile: (dir as NSString).appendingPathComponent(n), encoding: .utf8)) ?? ""
                texts += t.components(separatedBy: "\n").prefix(200)
            }
        }
        let pieces = ["报告", "。", "，", "a", " ", "　", "\u{301}", "e\u{301}", "👍🏽", "\r\n", "\t", "ⅰ", "·", "年度", "1", "\n"]
        var rng = SplitMix(seed: 3)
        for _ in 0..<4_000 {
            let n = Int(rng.next() % 70)
            texts.append((0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined())
        }
        // Long texts whose middle holds scalars that join their neighbours, with plain or joining scalars near the
        // cuts: only the ends are read by scalars.
        for _ in 0..<2_000 {
            let n = 40 + Int(rng.next() % 160)
            texts.append((0..<n).map { _ in Int(rng.next() % 5) == 0 ? pieces[Int(rng.next() % UInt64(pieces.count))] : "报" }.joined())
        }
        var cut = 0
        for t in texts {
            for limit in [20, 60] {
                let fast = RuleRun.quoted(t, limit: limit), ref = RuleRun.quotedByCharacters(t, limit: limit)
                XCTAssertEqual(fast, ref, t.debugDescription)
                XCTAssertEqual(Array(fast.unicodeScalars), Array(ref.unicodeScalars), t.debugDescription)
                if fast.hasSuffix(String(ref.suffix(8))) && fast.contains("…") { cut += 1 }
            }
        }
        XCTAssertGreaterThan(cut, 1_000)
    }
}
