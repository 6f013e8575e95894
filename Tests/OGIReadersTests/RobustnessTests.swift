import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

/// Mangled drafts never crash the reader or the engine: lines dropped, duplicated, cut or shuffled,
/// cells replaced with junk. A fixed seed keeps the test repeatable.
final class RobustnessTests: XCTestCase {
    // SplitMix (HardeningTests.swift) gives the repeatable random numbers.

    func testMangledDraftsAreReadWithoutCrashing() throws {
        var rng = SplitMix(state: 20_261_129)
        let sources = try ["samples/clean-2019-department.txt", "samples/clean-2021-government.txt"].map {
            try String(contentsOfFile: Repo.path($0), encoding: .utf8).components(separatedBy: "\n")
        }
        let junk = [
            "", "\t", "/", "减", "增增7", "—", "1.", "（", "）", "三、", "|", "||", "1e9", "-0", "0.0.0", "９９", "∞", "\u{0}", "[image:",
            "99999999999999999999999",
        ]
        var checked = 0
        for _ in 0..<400 {
            var lines = sources[Int.random(in: 0..<sources.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                guard !lines.isEmpty else { break }
                let i = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: lines.remove(at: i)
                case 1: lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
                case 2: lines[i] = String(lines[i].prefix(Int.random(in: 0...max(0, lines[i].count), using: &rng)))
                case 3: lines[i] = junk.randomElement(using: &rng)!
                case 4: lines.swapAt(i, Int.random(in: 0..<lines.count, using: &rng))
                default: lines[i] += "\t" + junk.randomElement(using: &rng)!
                }
            }
            let report = Repo.linter.read(text: lines.joined(separator: "\n"), path: "mangled.txt")
            let findings = Repo.linter.check(report)
            XCTAssertTrue(findings.allSatisfy { !$0.message.isEmpty })
            checked += 1
        }
        XCTAssertEqual(checked, 400)
    }
}
