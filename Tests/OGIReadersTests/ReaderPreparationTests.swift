import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The reader structures prepared once per rule set give what the code they replace gives.
final class ReaderPreparationTests: XCTestCase {
    /// The separators as `HeadingMatcher` read them before it filled its `ScalarSet` directly: through a
    /// `Set<Unicode.Scalar>` and Foundation's `replacingOccurrences`.
    static func referenceSeparators(_ list: [String]) -> Set<Unicode.Scalar> {
        var seps = Set<Unicode.Scalar>()
        for sep in list.isEmpty ? ["、"] : list {
            if sep == "\\s" {
                seps.formUnion([" ", "\u{3000}", "\t"])
            } else if let u = sep.replacingOccurrences(of: "\\", with: "").unicodeScalars.first {
                seps.insert(u)
            }
        }
        return seps
    }

    func testPartNumberSeparatorsAreReadAsBefore() throws {
        let bundled = try RulePackLoader.load(directories: [Repo.rules]).templates.profile
        let lists: [[String]] = [
            bundled.partNumberSeparators, [], ["\\s"], ["\\."], ["\\\\"], ["\\"], [""], ["．", "\\s", "、"], ["\\\\x"], ["ab", "\\\\\\、"],
            ["\u{1F600}"], ["\\\u{1F600}"],
        ]
        XCTAssertFalse(bundled.partNumberSeparators.isEmpty, "the bundled profile names its separators")
        for list in lists {
            var profile = bundled
            profile.partNumberSeparators = list
            let matcher = HeadingMatcher(profile: profile)
            let expected = Self.referenceSeparators(list)
            var probes = Set(expected)
            for s in list { probes.formUnion(s.unicodeScalars) }
            probes.formUnion([" ", "\u{3000}", "\t", "、", ".", "\\", "s", "a"])
            for u in probes {
                XCTAssertEqual(matcher.separators.contains(u), expected.contains(u), "\(list): U+\(String(u.value, radix: 16))")
            }
        }
    }
}
