import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// `LabelText.prefixDistancesBitParallel` (a column of the edit-distance table at a time, in bit vectors) must
/// give the distances the cell-by-cell recurrence gives, for texts of 1 to 64 scalars against lines of 0 to 40,
/// over small alphabets (many matches, repeats) and large ones (few); and `VariantAlphabet` must number every
/// character of its texts and no other.
final class HeadingBitParallelTests: XCTestCase {
    static func check(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], file: StaticString = #filePath, line: UInt = #line) {
        guard let alphabet = VariantAlphabet([a]) else { return XCTFail("no alphabet", file: file, line: line) }
        var masks = [UInt64](repeating: 0, count: alphabet.count + 1)
        for (i, u) in a.enumerated() { masks[Int(alphabet.index(u))] |= UInt64(1) << UInt64(i) }
        let index = b.map { alphabet.index($0) }
        var out = [Int](repeating: -1, count: b.count + 1)
        masks.withUnsafeBufferPointer { m in
            index.withUnsafeBufferPointer { ix in
                out.withUnsafeMutableBufferPointer { o in
                    LabelText.prefixDistancesBitParallel(
                        masks: m.baseAddress!, length: a.count, line: ix.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: b.count,
                        into: o.baseAddress!)
                }
            }
        }
        let ref = LabelText.prefixDistances(a, b[...])
        XCTAssertEqual(out, ref, "\(String(String.UnicodeScalarView(a))) vs \(String(String.UnicodeScalarView(b)))", file: file, line: line)
    }

    func testBitParallelDistancesEqualRecurrence() {
        var rng = SplitMix(seed: 4242)
        let alphabets: [[Unicode.Scalar]] = [
            Array("ab".unicodeScalars), Array("abc".unicodeScalars), Array("政府信息公开情况".unicodeScalars),
            Array("总体情况主动公开政府信息收到和处理申请行政复议诉讼存在的主要问题及改进其他需要报告事项xyz1".unicodeScalars),
        ]
        var cases = 0
        for alphabet in alphabets {
            for _ in 0..<4000 {
                let m = Int.random(in: 1...64, using: &rng)
                let n = Int.random(in: 0...40, using: &rng)
                let a = (0..<m).map { _ in alphabet.randomElement(using: &rng)! }
                var b = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
                // Lines that start like the text, with slips, as heading lines do.
                if rng.next() % 2 == 0 {
                    b = Array(a.prefix(n))
                    for _ in 0..<Int(rng.next() % 4) where !b.isEmpty {
                        let k = Int(rng.next() % UInt64(b.count))
                        switch rng.next() % 3 {
                        case 0: b.remove(at: k)
                        case 1: b[k] = alphabet.randomElement(using: &rng)!
                        default: b.insert("Z", at: k)
                        }
                    }
                }
                Self.check(a, b)
                cases += 1
            }
        }
        for m in 1...64 {
            let a = Array(repeating: Unicode.Scalar("a"), count: m)
            Self.check(a, a)
            Self.check(a, Array(repeating: "b", count: min(40, m)))
            Self.check(a, [])
        }
        XCTAssertGreaterThan(cases, 10_000)
    }

    func testVariantAlphabetNumbersItsCharactersOnly() {
        let texts: [[Unicode.Scalar]] = [Array("总体情况".unicodeScalars), Array("a\u{FF5E}情\u{3000}".unicodeScalars), []]
        let alphabet = VariantAlphabet(texts)!
        let members = Set(texts.joined())
        XCTAssertEqual(alphabet.count, members.count)
        var seen = Set<UInt8>()
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let k = alphabet.index(u)
            XCTAssertEqual(k != 0, members.contains(u), "\(v)")
            if k != 0 { XCTAssertTrue(seen.insert(k).inserted) }
        }
        XCTAssertNil(VariantAlphabet([Array("😀".unicodeScalars)]))
        XCTAssertNil(VariantAlphabet([(0..<300).map { Unicode.Scalar(0x4E00 + $0)! }]))
        XCTAssertNotNil(VariantAlphabet([(0..<255).map { Unicode.Scalar(0x4E00 + $0)! }]))
    }

    /// `HeadingMatcher.match` takes a scalar of U+4000...U+9FFF as comparable without asking: none is white
    /// space, a full-width form or a character left out of comparisons.
    func testIdeographsAreComparableAsTheyAre() {
        for v in UInt32(0x4000)...0x9FFF {
            let u = Unicode.Scalar(v)!
            XCTAssertFalse(FastText.isSpace(u))
            XCTAssertFalse(LabelText.ignoredInComparison.contains(u))
            XCTAssertFalse((0xFF01...0xFF5E).contains(v))
        }
    }

    /// The profile's headings fit the bit vectors, so the heading search takes the bit-parallel path.
    func testProfileHeadingsUseBitParallelPath() {
        let ctx = try! ReaderContext(templates: Repo.linter.ruleSet.templates)
        XCTAssertNotNil(ctx.headingMatcher.alphabet)
    }
}
