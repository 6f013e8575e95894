import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// A character set's ASCII masks, made range by range and class by class, are those of asking `slowContains`
/// for each scalar below 128.
final class RegexASCIIMaskTests: XCTestCase {
    func testMasksAreThoseOfTheScalarByScalarScan() {
        let classes: [BuiltinClass] = [.digit, .space, .word, .notLineTerminator, .han]
        var rng = SplitMix(seed: 0xa5c11)
        var sets: [RegexCharacterSet] = [RegexCharacterSet(), RegexCharacterSet(negated: true)]
        for c in classes {
            sets.append(RegexCharacterSet(classes: [(c, negated: false)]))
            sets.append(RegexCharacterSet(classes: [(c, negated: true)], negated: true))
        }
        sets.append(RegexCharacterSet(ranges: [0...0, 127...127, 63...64, 120...0x10FFFF]))
        for _ in 0..<3000 {
            var ranges: [ClosedRange<UInt32>] = []
            for _ in 0..<Int(rng.next() % 4) {
                let a = UInt32(rng.next() % (rng.next() % 2 == 0 ? 140 : 0x3000))
                ranges.append(a...(a + UInt32(rng.next() % 70)))
            }
            var cs: [(BuiltinClass, negated: Bool)] = []
            for _ in 0..<Int(rng.next() % 3) { cs.append((classes[Int(rng.next() % 5)], negated: rng.next() % 2 == 0)) }
            sets.append(RegexCharacterSet(ranges: ranges, classes: cs, negated: rng.next() % 2 == 0))
        }
        for s in sets {
            XCTAssertTrue(s.asciiMasks == s.asciiBitsOneByOne(), "\(s.ranges) \(s.classes.map { "\($0)" }) \(s.negated)")
        }
        // And every set of the rule packs' and the profile's patterns.
        var compared = 0
        for folders in RuleLoadingCacheTests.folderSets {
            guard let set = try? RulePackLoader.load(directories: folders) else { continue }
            let p = set.templates.profile
            for pattern in p.inlineNoise + p.lineNoise + p.periodPatterns + p.publishedPatterns + [p.yearPattern] {
                guard let regex = ScalarRegex(pattern) else { continue }
                for s in regex.sets { XCTAssertTrue(s.asciiMasks == s.asciiBitsOneByOne(), pattern) }
                compared += regex.sets.count
            }
        }
        XCTAssertGreaterThan(compared, 10)
    }

    /// How a set answers for the CJK unified ideographs, worked out from its parts (`ideographMembership`), is what
    /// `slowContains` says of each of them (and of the 256 scalars on either side): for sets of every class, negated or
    /// not, with ranges inside, across the ends of and around the ideographs, and for the sets of every quoted string
    /// of the rule files (patterns and plain words alike).
    func testIdeographAnswersAreThoseOfTheScalarByScalarScan() throws {
        let classes: [BuiltinClass] = [.digit, .space, .word, .notLineTerminator, .han]
        let block = RegexCharacterSet.ideographs
        var rng = SplitMix(seed: 0x4e00)
        var sets: [RegexCharacterSet] = [RegexCharacterSet(), RegexCharacterSet(negated: true)]
        for c in classes {
            for n in [false, true] {
                sets.append(RegexCharacterSet(classes: [(c, negated: n)]))
                sets.append(RegexCharacterSet(classes: [(c, negated: n)], negated: true))
            }
        }
        sets.append(RegexCharacterSet(ranges: [block]))
        sets.append(RegexCharacterSet(ranges: [0x4DFF...0xA000], negated: true))
        sets.append(RegexCharacterSet(ranges: [0x4E00...0x4E00, 0x9FFF...0x9FFF]))
        for _ in 0..<400 {
            var ranges: [ClosedRange<UInt32>] = []
            for _ in 0..<Int(rng.next() % 4) {
                let a: UInt32
                switch rng.next() % 3 {
                case 0: a = block.lowerBound - 40 + UInt32(rng.next() % 80)
                case 1: a = block.upperBound - 40 + UInt32(rng.next() % 80)
                default: a = 0x3000 + UInt32(rng.next() % 0x7000)
                }
                ranges.append(a...(a + UInt32(rng.next() % (rng.next() % 4 == 0 ? 30000 : 3))))
            }
            var cs: [(BuiltinClass, negated: Bool)] = []
            for _ in 0..<Int(rng.next() % 3) { cs.append((classes[Int(rng.next() % 5)], negated: rng.next() % 2 == 0)) }
            sets.append(RegexCharacterSet(ranges: ranges, classes: cs, negated: rng.next() % 2 == 0))
        }
        // Every quoted string of the rule files that compiles, patterns and plain words alike.
        var patterns: [String] = []
        let root = Repo.path("rules")
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".yml") } ?? []
        for f in files {
            let text = try String(contentsOfFile: root + "/" + f, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let q = line.firstIndex(where: { $0 == "'" || $0 == "\"" }) else { continue }
                let quote = line[q]
                let rest = line[line.index(after: q)...]
                guard let end = rest.lastIndex(of: quote) else { continue }
                patterns.append(String(rest[..<end]).replacingOccurrences(of: "''", with: "'"))
            }
        }
        var fromPatterns = 0
        for pattern in patterns {
            guard let regex = ScalarRegex(pattern) else { continue }
            sets += regex.sets
            fromPatterns += regex.sets.count
        }
        XCTAssertGreaterThan(fromPatterns, 50)
        var answered = 0
        for s in sets {
            var wrong: [UInt32] = []
            // The block and the scalars around it, so that a wrong bound shows too.
            for v in (block.lowerBound - 0x100)...(block.upperBound + 0x100) where s.contains(v) != s.slowContains(v) { wrong.append(v) }
            XCTAssertEqual(wrong.prefix(3), [], "\(s.ranges) \(s.classes.map { "\($0)" }) \(s.negated)")
            if !s.classes.contains(where: { $0.0 == .word }) { answered += 1 }
        }
        XCTAssertGreaterThan(answered, 300)
    }
}
