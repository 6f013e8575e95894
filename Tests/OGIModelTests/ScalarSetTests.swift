import OGIModel
import OGITestSupport
import XCTest

/// `ScalarSet` (two-level bits for the BMP, a list for other planes) holds exactly what was inserted: compared
/// with `Set<Unicode.Scalar>` on every scalar for sets drawn from ASCII, CJK, full-width forms, block edges,
/// surrogate-adjacent and astral scalars, up to a member in every one of the BMP's 256 blocks; a copy is
/// independent of the set it was copied from.
final class ScalarSetTests: XCTestCase {
    /// Every scalar value, once.
    static let allScalars: [Unicode.Scalar] = (UInt32(0)...0x10FFFF).compactMap(Unicode.Scalar.init)

    /// The BMP's scalars (the two-level part) and every 97th scalar above it.
    static let someScalars: [Unicode.Scalar] = allScalars.filter { $0.value < 0x10000 || $0.value % 97 == 0 }

    /// Compares `set` with `reference` on every scalar (`everyScalar`), else on the BMP, a sample of the other
    /// planes and the reference's own members.
    func assertSame(
        _ set: ScalarSet, _ reference: Set<Unicode.Scalar>, _ name: String, everyScalar: Bool = false, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        var wrong: [UInt32] = []
        let scalars = everyScalar ? Self.allScalars : Self.someScalars + reference.filter { $0.value >= 0x10000 }
        for u in scalars where set.contains(u) != reference.contains(u) {
            wrong.append(u.value)
            if wrong.count > 5 { break }
        }
        XCTAssertEqual(wrong, [], name, file: file, line: line)
    }

    func testSetsHoldExactlyTheirMembers() {
        var rng = SplitMix(seed: 0x5CA1_A5E7)
        let edges: [UInt32] = [
            0, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x100, 0x3000, 0x4E00, 0x9FFF, 0xD7FF, 0xE000, 0xFF01, 0xFF5E, 0xFFFF, 0x10000, 0x10FFFF,
        ]
        var sets: [[Unicode.Scalar]] = [[], edges.compactMap(Unicode.Scalar.init)]
        for size in [1, 3, 20, 200, 3_000] {
            for _ in 0..<3 {
                var members: [Unicode.Scalar] = []
                for _ in 0..<size {
                    let v: UInt32
                    switch rng.next() % 5 {
                    case 0: v = UInt32(rng.next() % 0x80)
                    case 1: v = 0x4E00 + UInt32(rng.next() % 0x5200)
                    case 2: v = 0xFF00 + UInt32(rng.next() % 0x100)
                    case 3: v = UInt32(rng.next() % 0x10000)
                    default: v = UInt32(rng.next() % 0x110000)
                    }
                    if let u = Unicode.Scalar(v) { members.append(u) }
                }
                sets.append(members)
            }
        }
        // One member in every block of the BMP, so every block is written.
        sets.append((0..<256).compactMap { Unicode.Scalar(UInt32($0) << 8 | UInt32(rng.next() % 256)) })
        for (i, members) in sets.enumerated() {
            assertSame(ScalarSet(members), Set(members), "set \(i) of \(members.count)", everyScalar: i < 2 || i == sets.count - 1)
        }
    }

    func testInsertingIntoACopyLeavesTheOriginal() {
        let original = ScalarSet("规章a\u{3000}".unicodeScalars)
        var copy = original
        for u in "规则b\u{FF0C}😀".unicodeScalars { copy.insert(u) }
        assertSame(original, Set("规章a\u{3000}".unicodeScalars), "original")
        assertSame(copy, Set("规章a\u{3000}规则b\u{FF0C}😀".unicodeScalars), "copy")
        var grown = ScalarSet([])
        for u in "一二三".unicodeScalars { grown.insert(u); grown.insert(u) }
        assertSame(grown, Set("一二三".unicodeScalars), "inserted twice")
        assertSame(ScalarSet([]), [], "a new empty set after the others")
    }
}
