import Foundation
import OGIModel
import OGITestSupport
import XCTest

/// `FastText.firstByteOffset` and `contains` (the C library's `memchr` on the needle's last byte) answer as a
/// plain byte-by-byte loop does: the same first occurrence, or none.
final class ByteSearchTests: XCTestCase {
    /// The first offset where `needle`'s UTF-8 bytes occur in `haystack`'s, by comparing at every offset.
    func referenceOffset(_ needle: String, _ haystack: String) -> Int? {
        let h = Array(haystack.utf8), n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= h.count else { return nil }
        return (0...(h.count - n.count)).first { i in h[i..<(i + n.count)].elementsEqual(n) }
    }

    func check(_ h: String, _ n: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = referenceOffset(n, h)
        XCTAssertEqual(
            FastText.firstByteOffset(of: n, in: h), expected, "\(n.debugDescription) in \(h.debugDescription)", file: file, line: line)
        XCTAssertEqual(
            FastText.contains(h, n), n.isEmpty || expected != nil, "\(n.debugDescription) in \(h.debugDescription)", file: file, line: line)
    }

    func testTheByteSearchAgreesWithTheByteLoopOnGeneratedText() {
        let pieces = ["收到", "申请", "件", "0", "1", "2", "，", "。", "a", "ab", "", "\u{301}", "e", "政府信息", "公开", "aaa"]
        var rng = SplitMix(seed: 5)
        func text(_ n: Int) -> String { (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        var found = 0
        for _ in 0..<20_000 {
            let h = text(Int(rng.next() % 30)), n = text(Int(rng.next() % 4))
            check(h, n)
            if !n.isEmpty, referenceOffset(n, h) != nil { found += 1 }
        }
        XCTAssertGreaterThan(found, 1_000)
    }

    func testTheByteSearchAgreesOnARealReport() throws {
        let report = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        let words = report.components(separatedBy: CharacterSet(charactersIn: "，。；\n")).filter { !$0.isEmpty }.prefix(300)
        for w in words + ["不存在的词语", "2021年", "依申请公开"] {
            check(report, w)
            check(report, w + "X")
        }
    }

    /// `FastText.spaceScalars` is exactly the set `FastText.isSpace` accepts, in increasing order; a
    /// `ScalarSet` made from a list holds exactly the list's scalars (sets share their empty bits until written).
    func testSpaceScalarListAndScalarSetsAreExact() {
        var fromTest: [Unicode.Scalar] = []
        for v in UInt32(0)...0x10FFFF { if let u = Unicode.Scalar(v), FastText.isSpace(u) { fromTest.append(u) } }
        XCTAssertEqual(FastText.spaceScalars, fromTest)
        let a = ScalarSet("规章a\u{3000}".unicodeScalars)
        let b = ScalarSet(FastText.spaceScalars)
        let empty = ScalarSet([])
        let listed = Array("规章a\u{3000}".unicodeScalars)
        var wrong: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if a.contains(u) != listed.contains(u) || b.contains(u) != FastText.isSpace(u) || empty.contains(u) { wrong.append(v) }
        }
        XCTAssertEqual(wrong, [])
        XCTAssertTrue(a.contains("章") && b.contains("\u{3000}") && !a.contains("b"))
    }

    /// `FastText.containsByte` answers as the UTF-8 view's `contains` for every byte value, on empty, small
    /// (inline) and heap strings, substrings made strings, and strings bridged from NSString.
    func testContainsByteEqualsTheUTF8View() {
        var texts = ["", "{", "a", "abc{d}", "第{n}项", String(repeating: "表格", count: 40) + "$", "x*y", "\u{0}", "é"]
        texts.append(String(("前缀{名称}后缀" as Substring).dropFirst(2)))
        texts.append(NSString(string: "桥接的{字符串}").substring(from: 1))
        texts.append(String(decoding: (0...255).map { UInt8($0) }, as: UTF8.self))
        var found = 0
        for t in texts {
            for b in 0...255 {
                let byte = UInt8(b)
                XCTAssertEqual(FastText.containsByte(t, byte), t.utf8.contains(byte), "\(byte) in \(t.debugDescription)")
                if t.utf8.contains(byte) { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 150)
    }
}
