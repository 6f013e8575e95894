import XCTest

@testable import OGIModel

/// `String(knownValidUTF8:)` must give the string `String(decoding:as:)` gives for valid UTF-8, marked ASCII exactly
/// when that one is (an ASCII string not marked so is hashed and compared through normalisation).
final class KnownValidUTF8Tests: XCTestCase {
    func assertSame(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let reference = String(decoding: bytes, as: UTF8.self)
        let made = bytes.withUnsafeBufferPointer { String(knownValidUTF8: $0) }
        XCTAssertEqual(made, reference, file: file, line: line)
        XCTAssertEqual(Array(made.utf8), bytes, file: file, line: line)
        XCTAssertEqual(
            made._classify()._isASCII, reference._classify()._isASCII, "ASCII mark of \(text.prefix(20))", file: file, line: line)
        XCTAssertEqual(made._classify()._count, reference._classify()._count, file: file, line: line)
        XCTAssertEqual(made.hashValue, reference.hashValue, file: file, line: line)
        // Told its ASCII-ness (as the tokenizer tells it of a field of digits): the same string, marked alike.
        let told = bytes.withUnsafeBufferPointer { String(knownValidUTF8: $0, isASCII: KnownValidUTF8.isASCII($0)) }
        XCTAssertEqual(told, reference, file: file, line: line)
        XCTAssertEqual(told._classify()._isASCII, reference._classify()._isASCII, file: file, line: line)
        XCTAssertEqual(told.hashValue, reference.hashValue, file: file, line: line)
        let written = String(knownValidUTF8Capacity: bytes.count + 3) { buffer in
            for (k, b) in bytes.enumerated() { buffer[k] = b }
            return bytes.count
        }
        XCTAssertEqual(written, reference, file: file, line: line)
        XCTAssertEqual(written._classify()._isASCII, reference._classify()._isASCII, file: file, line: line)
    }

    func testStringsOfEveryLengthAndKind() {
        assertSame("")
        for length in [1, 7, 8, 9, 15, 16, 17, 31, 64, 1000, 5000] {
            assertSame(String(repeating: "a", count: length))
            assertSame(String(repeating: "报", count: length))
            // One non-ASCII scalar at each end and in the middle of ASCII: the ASCII test reads words and a tail.
            for at in [0, length / 2, length - 1] {
                var scalars = Array(repeating: Unicode.Scalar("x"), count: length)
                scalars[at] = "é"
                assertSame(String(String.UnicodeScalarView(scalars)))
            }
        }
        assertSame("一、总体情况 2021年 \u{3000}𠀀\t|｜")
    }

    func testNothingWrittenIsEmpty() {
        XCTAssertEqual(String(knownValidUTF8Capacity: 0) { _ in 0 }, "")
        XCTAssertEqual(String(knownValidUTF8Capacity: 10) { _ in 0 }, "")
    }

    func testASCIITestOfEveryByte() {
        for b in 0...255 {
            for length in [1, 8, 9] {
                for at in 0..<length {
                    var bytes = [UInt8](repeating: 0x41, count: length)
                    bytes[at] = UInt8(b)
                    XCTAssertEqual(bytes.withUnsafeBufferPointer { KnownValidUTF8.isASCII($0) }, b < 0x80)
                }
            }
        }
    }
}
