import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel

/// A pattern whose every match starts with one character skips the positions before it by comparing scalars
/// (`ScalarRegex.firstScalar`). The same pattern with that character written as a one-character class goes
/// through the general skip: both must find the same matches, count the same steps and run out of the same
/// budgets.
final class RegexFirstScalarSkipTests: XCTestCase {
    func testTheSingleScalarSkipIsTheGeneralOne() throws {
        let pairs: [(String, String)] = [
            (#"(?<=\p{Han})\([a-zāáǎàü]{1,6}\)"#, #"(?<=\p{Han})[(][a-zāáǎàü]{1,6}\)"#),
            (#"\[bookmark:[^\]]*\]"#, #"[\[]bookmark:[^\]]*\]"#),
            ("第(\\d+)页", "[第](\\d+)页"),
            ("年(?<m>\\d{1,2})月", "[年](?<m>\\d{1,2})月"),
        ]
        var rng = SplitMix(seed: 0x51ca1a)
        // Texts of whole matches, their parts and other characters, in random order.
        let pieces = ["數(shù)", "(", "shù)", "[bookmark:x]", "[", "第12页", "第", "年3月", "年", "3", "a", " ", "\n", "據", "]"]
        var texts: [[UInt32]] = [[], Array("數(shù)據".unicodeScalars.map(\.value)), Array("no opening at all".unicodeScalars.map(\.value))]
        for _ in 0..<400 {
            let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            texts.append(text.unicodeScalars.map(\.value))
        }
        var matched = 0, stopped = 0
        for (single, general) in pairs {
            let a = try XCTUnwrap(ScalarRegex(single)), b = try XCTUnwrap(ScalarRegex(general))
            XCTAssertNotNil(a.firstScalar, single)
            XCTAssertNil(b.firstScalar, general)
            for text in texts {
                for budget in [0, 1, 3, 7, 20, 1_000_000] {
                    var stepsA = 0, stepsB = 0
                    let ra = Result { () throws(ScalarRegex.StepBudgetExceeded) in
                        try a.allMatches(in: text, steps: &stepsA, budget: budget)
                    }
                    let rb = Result { () throws(ScalarRegex.StepBudgetExceeded) in
                        try b.allMatches(in: text, steps: &stepsB, budget: budget)
                    }
                    switch (ra, rb) {
                    case (.success(let ma), .success(let mb)):
                        XCTAssertEqual(ma, mb, "\(single) on \(text)")
                        XCTAssertEqual(stepsA, stepsB, "\(single) on \(text)")
                        matched += ma.isEmpty ? 0 : 1
                    case (.failure, .failure): stopped += 1
                    default: XCTFail("\(single) and \(general) disagree on budget \(budget) for \(text)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(matched, 100)
        XCTAssertGreaterThan(stopped, 100)
    }
}
