import Foundation
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The byte scans that count elements and find declarations (with `memchr`) must count and find what the
/// byte-by-byte loops they replace did.
final class MarkupScanTests: XCTestCase {
    static func referenceElementCount(_ data: Data) -> Int {
        let b = [UInt8](data)
        var n = 0
        var i = 0
        let end = b.count - 1
        while i < end {
            if b[i] == 0x3C {
                let c = b[i + 1] | 0x20
                if (c >= 0x61 && c <= 0x7A) || b[i + 1] == 0x5F || b[i + 1] == 0x3A || b[i + 1] >= 0x80 { n += 1 }
            }
            i += 1
        }
        return n
    }

    static func referenceContainsDeclaration(_ data: Data, _ word: String) -> Bool {
        let w = Array(word.uppercased().utf8)
        let b = [UInt8](data)
        guard b.count >= w.count + 2 else { return false }
        var i = 0
        let last = b.count - w.count - 2
        while i <= last {
            if b[i] == 0x3C, b[i + 1] == 0x21 {
                var k = 0
                while k < w.count, (b[i + 2 + k] & 0xDF) == w[k] { k += 1 }
                if k == w.count { return true }
            }
            i += 1
        }
        return false
    }

    func assertSame(_ data: Data, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(XMLTree.elementCount(data), Self.referenceElementCount(data), name, file: file, line: line)
        for word in ["DOCTYPE", "ENTITY", "doctype", "E"] {
            XCTAssertEqual(
                XMLTree.containsDeclaration(data, word), Self.referenceContainsDeclaration(data, word), "\(name) \(word)", file: file,
                line: line)
        }
    }

    func testScansEqualTheLoopsTheyReplace() {
        for (name, data) in MarkupStreamingTests.files(["html", "htm", "docx", "txt"]) { assertSame(data, name) }
        var cases = [
            "", "<", "<a", "a<", "<!", "<!E", "<!DOCTYPE", "<!doctype", "x<!ENTITY", "<!ENTIT", "<<!ENTITY", "<!{OCTYPE",
            "<_x><:y><9><\u{4E00}>", "<a><b>",
        ]
        for k in 0..<12 { cases.append(String(repeating: "x", count: k) + "<!ENTITY" + String(repeating: "<", count: k)) }
        for c in cases { assertSame(Data(c.utf8), c.debugDescription) }
        var rng = SplitMix(state: 11)
        let alphabet: [UInt8] = Array("<!DOCTYPEentity_:a9 >".utf8) + [0x80, 0xE4, 0x00, 0x7B]
        for n in 0..<400 {
            let bytes = (0..<(n % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            assertSame(Data(bytes), "random \(bytes)")
        }
    }
}
