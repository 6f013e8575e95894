import Foundation
import OGITestSupport
import XCTest

@testable import OGIOutput

/// `JSONValue.render` writes into one buffer and copies a string's runs between escapes whole; it must give
/// byte for byte what the renderer it replaced gave (a string per member, joined; quoting scalar by scalar).
final class JSONWriterFastPathTests: XCTestCase {
    /// The renderer as it was.
    static func referenceRender(_ v: JSONValue, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return referenceQuote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            return "[\n" + a.map { inner + referenceRender($0, indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n"
                + o.map { inner + referenceQuote($0.0) + ": " + referenceRender($0.1, indent: indent + 1) }.joined(separator: ",\n")
                + "\n\(pad)}"
        }
    }

    /// Quoting as it was.
    static func referenceQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Strings with every kind of byte run: control characters (each of U+0000 to U+001F), quotes and
    /// backslashes at either end and doubled, CJK, two- and four-byte scalars, combining marks, CR LF.
    static let strings: [String] = {
        var out = [
            "", "a", "\"", "\\", "\"\"", "\\\\", "\"a\"", "a\\b", "\r\n", "\n", "\t\tx", "报告", "\"报告\"", "政府\\信息\n公开",
            "é\u{0301}", "😀\"😀", "\u{7F}\u{80}\u{FEFF}", "a\u{2028}b", "x\u{1F}", "\u{0}", "末尾\\", "第1行\r\n第2行\r\n",
            String(repeating: "表", count: 300) + "\"" + String(repeating: "x", count: 300),
        ]
        for c in 0..<0x20 {
            let u = String(UnicodeScalar(UInt8(c)))
            out += [u, "前" + u, u + "后", "前" + u + "中" + u + u + "后"]
        }
        return out
    }()

    func testStringsQuoteAsBefore() {
        for s in Self.strings {
            XCTAssertEqual(JSONValue.quote(s), Self.referenceQuote(s), s.debugDescription)
            var appended = "prefix"
            JSONValue.appendQuoted(s, to: &appended)
            XCTAssertEqual(appended, "prefix" + Self.referenceQuote(s), s.debugDescription)
        }
    }

    /// Generated strings with escaped bytes at every offset of an eight-byte word (the quoting scans words).
    func testGeneratedStringsQuoteAsBefore() {
        var rng = SplitMix(seed: 29)
        let pieces = ["a", "报", "\"", "\\", "\n", "\u{1F}", "\u{0}", "\u{20}", "\u{21}", "\u{23}", "\u{5B}", "\u{5D}", "é", "😀", "\u{7F}"]
        var escaped = 0
        for _ in 0..<5_000 {
            let s = (0..<Int(rng.next() % 24)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var bytes: [UInt8] = []
            JSONValue.appendQuoted(s, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), Self.referenceQuote(s), s.debugDescription)
            if s.utf8.contains(where: JSONValue.needsEscape) { escaped += 1 }
        }
        XCTAssertGreaterThan(escaped, 3_000)
        // The word test against the byte test, on words of one byte each from 0 to 255 in every position.
        for b in 0...255 {
            for k in 0..<8 {
                let w = UInt64(0x61) &* 0x0101_0101_0101_0101 & ~(UInt64(0xFF) << UInt64(8 * k)) | UInt64(b) << UInt64(8 * k)
                XCTAssertEqual(JSONValue.wordNeedsEscape(w), JSONValue.needsEscape(UInt8(b)), "\(b) at \(k)")
            }
        }
    }

    func testGeneratedValuesRenderAsBefore() {
        var rng = SplitMix(seed: 11)
        func value(depth: Int) -> JSONValue {
            switch rng.next() % (depth > 3 ? 4 : 7) {
            case 0: return .null
            case 1: return .bool(rng.next() % 2 == 0)
            case 2: return .int(Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 60))
            case 3: return .string(Self.strings[Int(rng.next() % UInt64(Self.strings.count))])
            case 4, 5:
                return .object(
                    (0..<Int(rng.next() % 5)).map { _ in
                        (Self.strings[Int(rng.next() % UInt64(Self.strings.count))], value(depth: depth + 1))
                    })
            default: return .array((0..<Int(rng.next() % 5)).map { _ in value(depth: depth + 1) })
            }
        }
        var nested = 0
        for k in 0..<600 {
            let v = value(depth: 0)
            let indent = k % 5
            XCTAssertEqual(v.render(indent: indent), Self.referenceRender(v, indent: indent))
            if case .object(let o) = v, !o.isEmpty { nested += 1 }
        }
        XCTAssertGreaterThan(nested, 50)
    }

}
