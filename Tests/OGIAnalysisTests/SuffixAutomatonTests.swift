import Foundation
import OGITestSupport
import XCTest

@testable import OGIAnalysis

/// The suffix automaton keeps its transitions in one flat table (`SuffixAutomaton`); it must build the automaton
/// the dictionary-per-state construction built (`ReferenceAutomaton`, the code as it was): the same states,
/// lengths, links, first ends and transitions, on generated texts over small and large alphabets and on the
/// normalised text of every sample and corpus report.
final class SuffixAutomatonTests: XCTestCase {
    /// The construction as it was: a dictionary of transitions per state.
    struct ReferenceAutomaton {
        var length: [Int32] = [0]
        var link: [Int32] = [-1]
        var firstEnd: [Int32] = [-1]
        var edges: [[UInt32: Int32]] = [[:]]

        init(_ s: [UInt32]) {
            var last: Int32 = 0
            for (i, c) in s.enumerated() {
                let cur = Int32(length.count)
                length.append(length[Int(last)] + 1); link.append(0); firstEnd.append(Int32(i)); edges.append([:])
                var p = last
                while p != -1 && edges[Int(p)][c] == nil {
                    edges[Int(p)][c] = cur
                    p = link[Int(p)]
                }
                if p != -1 {
                    let q = edges[Int(p)][c]!
                    if length[Int(p)] + 1 == length[Int(q)] {
                        link[Int(cur)] = q
                    } else {
                        let clone = Int32(length.count)
                        length.append(length[Int(p)] + 1); link.append(link[Int(q)]); firstEnd.append(firstEnd[Int(q)])
                        edges.append(edges[Int(q)])
                        while p != -1 && edges[Int(p)][c] == q {
                            edges[Int(p)][c] = clone
                            p = link[Int(p)]
                        }
                        link[Int(q)] = clone
                        link[Int(cur)] = clone
                    }
                }
                last = cur
            }
        }
    }

    func assertSame(_ s: [UInt32], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let fast = SuffixAutomaton(s), ref = ReferenceAutomaton(s)
        XCTAssertEqual(fast.length, ref.length, what, file: file, line: line)
        XCTAssertEqual(fast.link, ref.link, what, file: file, line: line)
        XCTAssertEqual(fast.firstEnd, ref.firstEnd, what, file: file, line: line)
        for v in ref.edges.indices {
            XCTAssertEqual(fast.transitions(Int32(v)), ref.edges[v], "\(what) state \(v)", file: file, line: line)
            // A symbol with no transition is answered as none.
            XCTAssertNil(fast.next(Int32(v), 0x11_0000), what, file: file, line: line)
        }
    }

    func testTheFlatTableBuildsTheAutomatonTheDictionariesBuilt() throws {
        var rng = SplitMix(seed: 5)
        for alphabet in [1, 2, 3, 26, 3_000] {
            for n in [0, 1, 2, 3, 7, 50, 400] {
                let s = (0..<n).map { _ in 0x4E00 + UInt32(rng.next() % UInt64(alphabet)) }
                assertSame(s, "alphabet \(alphabet), length \(n)")
            }
        }
        // Symbols 0 and the largest scalar, whose keys sit at the ends of the table's key space.
        assertSame([0, 0x10_FFFF, 0, 0x10_FFFF, 0], "extreme symbols")
        var texts = 0
        // The samples and their renderings are in every clone; the corpus only where ../shared is.
        for dir in ["samples", "samples/renderings"].map(Repo.path)
            + [Repo.shared.map { ($0 as NSString).appendingPathComponent("corpus") }].compactMap({ $0 })
        {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir).sorted()) ?? [] where name.hasSuffix(".txt") {
                let text = try String(contentsOfFile: (dir as NSString).appendingPathComponent(name), encoding: .utf8)
                let units = NormalizedText(Array(text.unicodeScalars)).units
                assertSame(Array(units.prefix(6_000)), name)
                texts += 1
            }
        }
        XCTAssertGreaterThan(texts, 20)
    }
}
