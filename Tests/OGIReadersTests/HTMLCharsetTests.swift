import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The byte scan for `charset=` declarations must find and rewrite what the regular expressions the HTML reader
/// used found and rewrote, on every page and on generated declarations with every kind of white space.
final class HTMLCharsetTests: XCTestCase {
    /// The GBK test the reader made with a regular expression over the lower-cased head.
    static func referenceDeclaresGBK(_ bytes: [UInt8]) -> Bool {
        let ascii = String(decoding: bytes.prefix(4096).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var declared: String?
        if let r = ascii.range(of: #"charset\s*=\s*["']?([a-z0-9_-]+)"#, options: .regularExpression) {
            declared = String(ascii[r]).components(separatedBy: "=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        }
        if let d = declared, ["gbk", "gb2312", "gb18030", "x-gbk", "cp936"].contains(d) { return true }
        return false
    }

    /// The rewriting the reader made with a regular expression over the page.
    static func referenceDeclaringUTF8(_ text: String) -> String {
        guard FastText.contains(text, "charset") else { return text }
        return text.replacingOccurrences(of: #"charset\s*=\s*["']?[A-Za-z0-9_-]+"#, with: "charset=utf-8", options: .regularExpression)
    }

    func assertSame(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(HTMLCharset.declaringUTF8(text), Self.referenceDeclaringUTF8(text), name, file: file, line: line)
        let bytes = Array(text.utf8)
        XCTAssertEqual(HTMLCharset.declaresGBK(bytes), Self.referenceDeclaresGBK(bytes), name, file: file, line: line)
    }

    func testEveryPageIsReadAsWithTheExpressions() throws {
        let pages = MarkupStreamingTests.files(["html", "htm"])
        XCTAssertGreaterThanOrEqual(pages.count, 70)
        var gbk = 0
        for (name, data) in pages {
            let bytes = [UInt8](data)
            XCTAssertEqual(HTMLCharset.declaresGBK(bytes), Self.referenceDeclaresGBK(bytes), name)
            if HTMLCharset.declaresGBK(bytes) { gbk += 1 }
            if let text = try? TextDecoding.decode(data, path: name).0 { assertSame(text, name) }
        }
        XCTAssertGreaterThan(gbk, 0, "some sample pages declare GBK")
    }

    func testCharsetWordBitsAreTheWord() {
        XCTAssertEqual(HTMLCharset.charsetWord.count, 7)
        XCTAssertEqual(HTMLCharset.charsetWordBits, HTMLCharset.charsetWord.reversed().reduce(0) { $0 << 8 | UInt64($1) })
    }

    func testGeneratedDeclarations() {
        let spaces = [
            "", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{200B}",
            "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", " \t", "\t ", "\u{3000} ",
        ]
        let names = [
            "gbk", "GBK", "gb2312", "GB18030", "x-gbk", "cp936", "utf-8", "UTF-8", "gb_2312", "", "\"", "'gbk'", "\"gbk", "gbk;", "中文",
            "gbkZ", "GBKA", "gb2312z", "X-GBK", "CP936@",
        ]
        let heads = ["charset", "CHARSET", "Charset", "charsetcharset", "x-charset", "chars et", "charsed", "charsetc"]
        var cases: [String] = []
        for h in heads {
            for s1 in spaces {
                for s2 in spaces {
                    for q in ["", "\"", "'"] {
                        for n in names where s1.count + s2.count <= 2 || n == "gbk" {
                            cases.append("<meta \(h)\(s1)=\(s2)\(q)\(n)\(q)>")
                        }
                    }
                }
            }
        }
        cases += [
            "charset=gbk charset = utf-8 charset=\"big5\"", "charset", "charset=", "=gbk", "charsetcharset=gbk", "ccharset=gbk",
            "<meta content=\"text/html; charset=gb2312\"><meta charset=\"utf-8\">", "charset =\u{3000}gbk 正文 charset\u{A0}=x",
            String(repeating: "x", count: 4090) + "charset=gbk", String(repeating: "中", count: 1360) + "charset=gbk",
            String(repeating: "x", count: 4085) + "charset=gbk",
        ]
        // Declarations and their beginnings at the very end of the text, where fewer than eight bytes are left after a
        // `c`, and `c`s in front of them.
        for k in 0...11 {
            let w = String("charset=gbk".prefix(k))
            cases += ["<p>" + w, "c" + w, w + "c", "cc" + w + "ch", "中" + w, "charse" + w, w + "charset"]
        }
        for c in cases { assertSame(c, c.debugDescription) }
    }
}
