import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The heading matcher keeps the best part of each line's characters across reports (`BestPartMemo`): every match
/// must be what a matcher computing each one gives, whatever lines, exclusions and numbering came before, and an
/// answer must be found only for the same characters, exclusions and numbering.
final class BestPartMemoTests: XCTestCase {
    static func profile() throws -> ReaderProfile { try RulePackLoader.load(directories: [Repo.rules]).templates.profile }

    /// Every line of every sample, rendering and corpus text (and their generated variants' lines), matched with
    /// no part left out, with each part left out, with every other part, and numbered or not; twice, the second
    /// time the other way round, when the answers are kept. Compared with a matcher keeping none.
    func testKeptAnswersGiveTheMatchesComputedAnew() throws {
        let profile = try Self.profile()
        let kept = HeadingMatcher(profile: profile)
        var fresh = HeadingMatcher(profile: profile)
        fresh.bestParts = nil
        XCTAssertNotNil(kept.alphabet, "the bundled profile's headings take the bit-parallel path")
        var lines: [String] = []
        for t in try TableMappingFastPathTests.texts() { lines += t.lines }
        // Each distinct line once, with sub-headings made from the parts' titles and a slip in each.
        lines = Array(Set(lines)).sorted()
        for (i, part) in profile.parts.enumerated() {
            let title = part.title
            lines += ["\(i + 1)、\(title)", "（\(i + 1)）\(title)", "、\(title)", title, String(title.dropLast()), title + "情况说明"]
        }
        let keys = profile.parts.map(\.key)
        var exclusions: [Set<String>] = [[], Set(keys.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))]
        for k in keys { exclusions.append([k]) }
        var compared = 0, matched = 0
        for round in 0..<2 {
            for line in round == 0 ? lines : lines.reversed() {
                for excluded in exclusions {
                    for numbered in [false, true] {
                        let a = kept.match(line, excluding: excluded, numbered: numbered)
                        let b = fresh.match(line, excluding: excluded, numbered: numbered)
                        if "\(String(describing: a))" != "\(String(describing: b))" {
                            XCTFail(
                                "\(line) excluding \(excluded.sorted()) numbered \(numbered): \(String(describing: a)) against \(String(describing: b))"
                            )
                        }
                        compared += 1
                        if b != nil { matched += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 100_000)
        XCTAssertGreaterThan(matched, 1_000)
        XCTAssertGreaterThan(kept.bestParts!.count, 1_000)
    }

    /// An answer is found for the same characters, exclusions and numbering only; an answer of no part is kept as
    /// such; past the capacity nothing more is kept.
    func testAnswersFoundOnlyForWhatTheyWereKeptFor() {
        let memo = BestPartMemo(capacity: 3)
        let a = Array("主动公开政府信息情况".unicodeScalars), b = Array("主动公开政府信息情况况".unicodeScalars)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let h = BestPartMemo.hash(a, excluded: 0, numeral: true)
                XCTAssertNil(memo.find(a, excluded: 0, numeral: true, hash: h) as Any?)
                memo.keep((part: 1, distance: 0, length: 10), for: a, excluded: 0, numeral: true, hash: h)
                XCTAssertEqual(memo.find(a, excluded: 0, numeral: true, hash: h)??.part, 1)
                // The same hash given for other characters, exclusions or numbering: not found.
                XCTAssertNil(memo.find(b, excluded: 0, numeral: true, hash: h) as Any?)
                XCTAssertNil(memo.find(a, excluded: 2, numeral: true, hash: h) as Any?)
                XCTAssertNil(memo.find(a, excluded: 0, numeral: false, hash: h) as Any?)
                XCTAssertNil(memo.find(UnsafeBufferPointer(rebasing: a[..<9]), excluded: 0, numeral: true, hash: h) as Any?)
                // No part: kept as an answer of none.
                let hb = BestPartMemo.hash(b, excluded: 0, numeral: false)
                memo.keep(nil, for: b, excluded: 0, numeral: false, hash: hb)
                let none = memo.find(b, excluded: 0, numeral: false, hash: hb)
                XCTAssertNotNil(none as Any?)
                XCTAssertNil(none!)
                memo.keep(nil, for: b, excluded: 1, numeral: false, hash: BestPartMemo.hash(b, excluded: 1, numeral: false))
                XCTAssertEqual(memo.count, 3)
                let full = BestPartMemo.hash(b, excluded: 4, numeral: false)
                memo.keep(nil, for: b, excluded: 4, numeral: false, hash: full)
                XCTAssertEqual(memo.count, 3)
                XCTAssertNil(memo.find(b, excluded: 4, numeral: false, hash: full) as Any?)
            }
        }
    }
}
