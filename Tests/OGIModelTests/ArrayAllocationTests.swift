import OGITestSupport
import XCTest

@testable import OGIModel

/// The arrays made through `reserveCapacity` (`ArrayAllocation.swift`) against the standard library's initialisers
/// they stand in for, over empty, small and large sizes and element types with and without references.
final class ArrayAllocationTests: XCTestCase {
    func testFilledEqualsRepeating() {
        for n in [0, 1, 2, 15, 16, 17, 100, 4097] {
            XCTAssertEqual([Int](filledWith: -1, count: n), [Int](repeating: -1, count: n))
            XCTAssertEqual([Int32?](filledWith: nil, count: n), [Int32?](repeating: nil, count: n))
            XCTAssertEqual([Bool](filledWith: true, count: n), [Bool](repeating: true, count: n))
            XCTAssertEqual([[Int]](filledWith: [1, 2], count: n), [[Int]](repeating: [1, 2], count: n))
            XCTAssertEqual([String](filledWith: "一二三四五六七八九十", count: n), [String](repeating: "一二三四五六七八九十", count: n))
            XCTAssertGreaterThanOrEqual([Float](filledWith: 0, count: n).capacity, n)
        }
    }

    func testWritingAtMostEqualsUninitializedCapacity() {
        var rng = SplitMix(seed: 0xA11C)
        for capacity in [0, 1, 3, 64, 255, 256, 257, 5000] {
            for _ in 0..<5 {
                let made = capacity == 0 ? 0 : Int.random(in: 0...capacity, using: &rng)
                let values = (0..<made).map { _ in UInt32.random(in: 0...0x10FFFF, using: &rng) }
                let fast = [UInt32](writingAtMost: capacity) { out in
                    for (k, v) in values.enumerated() { out[k] = v }
                    return made
                }
                let reference = [UInt32](unsafeUninitializedCapacity: capacity) { out, count in
                    for (k, v) in values.enumerated() { out[k] = v }
                    count = made
                }
                XCTAssertEqual(fast, reference)
                XCTAssertEqual(fast.count, made)
            }
        }
        XCTAssertEqual(UTF8Scan.scalars(of: "总计 a\u{1F600}，"), Array("总计 a\u{1F600}，".unicodeScalars))
        XCTAssertEqual(UTF8Scan.scalarValues(of: "x\u{1F600}").values, [0x78, 0x1F600])
        XCTAssertEqual(UTF8Scan.scalars(of: ""), [])
    }
}
