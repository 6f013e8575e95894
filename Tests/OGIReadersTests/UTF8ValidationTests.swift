import Foundation
import XCTest

@testable import OGIReaders

/// `TextDecoding.isValidUTF8` must answer what `String(validating:as: UTF8.self)` answers, for every byte sequence.
final class UTF8ValidationTests: XCTestCase {
    func assertSame(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let fast = bytes.withUnsafeBufferPointer { TextDecoding.isValidUTF8($0) }
        let reference = String(validating: bytes, as: UTF8.self) != nil
        if fast != reference { XCTFail("\(bytes.map { String($0, radix: 16) }): \(fast) vs \(reference)", file: file, line: line) }
    }

    /// Every sequence of one and two bytes, and every three-byte sequence (each at several offsets after ASCII, so
    /// that the eight-byte ASCII steps end in every position before it).
    func testEveryShortSequence() {
        for a in 0...255 {
            assertSame([UInt8(a)])
            for b in 0...255 { assertSame([UInt8(a), UInt8(b)]) }
        }
        for a in 0xC0...0xFF {
            for b in 0...255 {
                for c in stride(from: 0, through: 255, by: 1) where c < 0x70 || c >= 0x78 || c % 3 == 0 {
                    let pad = (a + b + c) % 11
                    assertSame(Array(repeating: 0x61, count: pad) + [UInt8(a), UInt8(b), UInt8(c)])
                }
            }
        }
    }

    /// Four-byte sequences around every boundary of the table, and random byte strings of mostly ASCII with lead
    /// and continuation bytes at every offset.
    func testFourByteSequencesAndRandomStrings() {
        let edges: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        for a in 0xF0...0xF7 {
            for b in edges { for c in edges { for d in edges { assertSame([UInt8(a), b, c, d]) } } }
        }
        var rng = StrippingRandom(seed: 0x0F8_7E57)
        let pieces: [[UInt8]] = [
            Array("abcdefgh".utf8), Array("一、".utf8), Array("𠀀".utf8), [0xC2], [0x80], [0xE0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90],
            [0xEF, 0xBF, 0xBF], [0xF0, 0x9F, 0x98], [0x0A], [0xFF], [0xC3, 0xA9],
        ]
        for _ in 0..<20000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.next(upTo: 12) { bytes += pieces[rng.next(upTo: pieces.count)] }
            assertSame(bytes)
        }
    }

    /// Runs of three-byte sequences (read two at a time from one eight-byte load where both leads allow any second
    /// byte), with sequences after E0 and ED leads, overlong and surrogate forms, cut and broken sequences at every
    /// position of the runs and at their ends.
    func testRunsOfThreeByteSequences() {
        let pieces: [[UInt8]] = [
            [0xE4, 0xB8, 0x80], [0xE9, 0xBF, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x80, 0xBF], [0xEC, 0xBF, 0x80], [0xE4, 0xB8], [0xE4, 0x41, 0x80],
            [0xE4, 0xB8, 0xC0], [0x41], [0xC3, 0xA9],
        ]
        var rng = StrippingRandom(seed: 0x3B_E4B8)
        for _ in 0..<40000 {
            var bytes: [UInt8] = []
            let count = 1 + rng.next(upTo: 10)
            for k in 0..<count {
                // Mostly valid ideographs, so that the broken piece falls at every position of a long run.
                let piece = k == count / 2 || rng.next(upTo: 4) == 0 ? pieces[rng.next(upTo: pieces.count)] : pieces[rng.next(upTo: 2)]
                bytes += piece
            }
            assertSame(bytes)
            assertSame([0x61] + bytes)
            assertSame(bytes + [0x61, 0x62])
        }
    }

    /// A non-ASCII sequence, valid or not, at every offset of ASCII runs around the 32- and 8-byte steps' lengths,
    /// so that each step stops at every position before it (a step that read past a high byte would let an invalid
    /// one through).
    func testNonASCIIAtEveryOffsetOfLongASCIIRuns() {
        let inserts: [[UInt8]] = [
            [0xC3, 0xA9], [0x80], [0xE4, 0xB8, 0x80], [0xE4, 0xB8], [0xFF], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80],
        ]
        for length in [7, 8, 9, 31, 32, 33, 39, 40, 63, 64, 65, 100] {
            for offset in 0...length {
                for insert in inserts {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes.insert(contentsOf: insert, at: offset)
                    assertSame(bytes)
                }
            }
        }
    }

    /// A sequence, valid or not, at every scalar offset of runs of three-byte scalars (the general case and the edges
    /// of E0 and ED), with nothing, one or two bytes after it, so that the run read four bytes at a time stops at
    /// every position and at every distance from the end.
    func testSequencesAtEveryOffsetOfThreeByteRuns() {
        let scalars: [[UInt8]] = [
            [0xE4, 0xB8, 0x80], [0xE0, 0xA0, 0x80], [0xE0, 0xBF, 0xBF], [0xED, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBF],
        ]
        let inserts: [[UInt8]] = [
            [], [0x41], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xE4], [0x80], [0xE4, 0x41, 0x80], [0xE4, 0x80, 0x41],
            [0xE4, 0xC0, 0x80], [0xE4, 0x80, 0xC0], [0xF0, 0x9F, 0x98, 0x80], [0xC3, 0xA9], [0xEF, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        ]
        for scalar in scalars {
            for count in 0...6 {
                for offset in 0...count {
                    for insert in inserts {
                        for tail in [[], [0x61], [0x61, 0x61], [0xE4]] as [[UInt8]] {
                            var bytes = Array([[UInt8]](repeating: scalar, count: count).joined())
                            bytes.insert(contentsOf: insert, at: offset * 3)
                            assertSame(bytes + tail)
                        }
                    }
                }
            }
        }
    }

    func testEveryPageInTheRepository() {
        for (name, data) in MarkupStreamingTests.files(["html", "htm", "txt", "md", "yml", "json"]) {
            let bytes = [UInt8](data)
            XCTAssertEqual(
                bytes.withUnsafeBufferPointer { TextDecoding.isValidUTF8($0) }, String(validating: bytes, as: UTF8.self) != nil, name)
        }
    }
}
