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
}
