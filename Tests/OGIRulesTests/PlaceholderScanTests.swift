import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// Placeholders and brace checks scan bytes when every brace stands alone; they must find what a scan over
/// characters finds, and fall back to characters when a brace combines with a following mark.
final class PlaceholderScanTests: XCTestCase {
    /// The scan over characters, as the catalog did it before.
    func characterPlaceholders(_ template: String) -> [String] {
        var out: [String] = []
        var name = ""
        var inBrace = false
        for c in template {
            if c == "{" { inBrace = true; name = ""; continue }
            if c == "}" && inBrace { inBrace = false; if !out.contains(name) { out.append(name) }; continue }
            if inBrace { name.append(c) }
        }
        return out
    }

    let templates = [
        "", "无占位符", "{a}", "{表格}第{row}行{col}列", "{a}{a}{b}", "{unclosed", "closed}", "}{x}",
        "{{nested}}", "{a{b}c}", "前{名称}后{名称}", "{\u{301}x}", "x{y}\u{301}", "{é}", "{👍🏽}", "\u{600}{a}", "{a\u{600}}",
    ]

    func testPlaceholdersMatchTheCharacterScan() {
        for t in templates { XCTAssertEqual(MessageCatalog.placeholders(in: t), characterPlaceholders(t), t) }
        XCTAssertEqual(MessageCatalog.placeholders(in: "{表格}第{row}行"), ["表格", "row"])
        XCTAssertFalse(MessageCatalog.bracesStandAlone("{\u{301}x}"))
        XCTAssertTrue(MessageCatalog.bracesStandAlone("{表格}第"))
    }

    /// Filling over bytes gives what filling over characters gives: every template of the bundled catalog with
    /// its placeholders given, some left out and values that hold braces, and the edge templates above plus
    /// braces next to a prepended mark (U+0600 joins the character after it) or a combining one.
    func testFillOverBytesEqualsTheCharacterFill() throws {
        var all = templates + ["\u{600}{a}", "{a}\u{600}", "x\u{600}}", "{a\u{301}}", "{a}{", "}{", "{{a}", "前{a}后\u{FE0F}"]
        all += [
            "\r{a}", "\r\n{a}\r\n", "{a}\u{200D}", "가{a}", "{a}가", "\u{1F1E8}{a}", "{a}\u{1F1E8}", "{a}\u{302A}", "{a}\u{FF9E}",
            "\u{302A}{a}",
        ]
        // General punctuation on both sides of a brace, around the range taken as standing alone (U+2010...U+2027)
        // and past it (U+200D joins, U+2028 and U+2029 break lines).
        for v in UInt32(0x200B)...0x202F { let u = String(Unicode.Scalar(v)!); all += ["\(u){a}\(u)", "{a\(u)}", "\(u){\(u)a}"] }
        all += Repo.linter.ruleSet.messages.entries.values.map(\.text)
        all += Repo.linter.ruleSet.rules.flatMap { [$0.message, $0.fix].compactMap { $0 } }
        XCTAssertGreaterThan(all.count, 100)
        /// `bracesStandAlone` as it read the scalar view, before it decoded the bytes.
        func standAloneByScalars(_ text: String) -> Bool {
            func plain(_ v: UInt32) -> Bool {
                switch v {
                case 0..<0x80, 0x2010...0x2027, 0x3001...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
                default: return false
                }
            }
            var previous: UInt32?
            var afterBrace = false
            for u in text.unicodeScalars {
                let isBrace = u == "{" || u == "}"
                if afterBrace && !plain(u.value) { return false }
                if isBrace, let p = previous, !plain(p) { return false }
                afterBrace = isBrace
                previous = u.value
            }
            return true
        }
        var bytes = 0
        for t in all {
            XCTAssertEqual(MessageCatalog.bracesStandAlone(t), standAloneByScalars(t), t)
            let names = MessageCatalog.placeholders(in: t)
            for values in [
                Dictionary(uniqueKeysWithValues: names.map { ($0, "值\($0)") }),
                Dictionary(uniqueKeysWithValues: names.enumerated().filter { $0.offset % 2 == 0 }.map { ($0.element, "{x}") }),
                ["a": "1", "b": "二", "row": "{row}"],
            ] {
                XCTAssertEqual(Array(MessageCatalog.fill(t, values).utf8), Array(MessageCatalog.fillCharacters(t, values).utf8), t)
                // The byte fill gives up (nil) exactly where a brace does not stand alone, else the character fill's text.
                if MessageCatalog.bracesStandAlone(t) {
                    let filled = try XCTUnwrap(MessageCatalog.fillBytes(t, values), t)
                    XCTAssertEqual(Array(filled.utf8), Array(MessageCatalog.fillCharacters(t, values).utf8), t)
                    bytes += 1
                } else {
                    XCTAssertNil(MessageCatalog.fillBytes(t, values), t)
                }
            }
        }
        XCTAssertGreaterThan(bytes, 200)
        XCTAssertFalse(MessageCatalog.bracesStandAlone("\u{600}{a}"))
        XCTAssertFalse(MessageCatalog.bracesStandAlone("{a\u{301}}"))
        XCTAssertTrue(MessageCatalog.bracesStandAlone("第{row}行"))
        XCTAssertTrue(MessageCatalog.bracesStandAlone("单元格“{raw}”"))
        XCTAssertFalse(MessageCatalog.bracesStandAlone("{a}\u{200D}"))
        XCTAssertEqual(MessageCatalog.fill("\u{600}{a}", ["a": "x"]), MessageCatalog.fillCharacters("\u{600}{a}", ["a": "x"]))
    }

    func testBraceChecksGiveTheSameVerdicts() throws {
        let node = try XCTUnwrap(YNode.parse("m: x", file: "f.yml"))
        func verdict(_ t: String) -> String {
            do { try RuleParser.checkTemplate(t, at: node); return "ok" } catch { return "\(error)" }
        }
        XCTAssertEqual(verdict("{a}第{b}"), "ok")
        XCTAssertTrue(verdict("{a{b}}").contains("nested '{'"))
        XCTAssertTrue(verdict("a}").contains("'}' without '{'"))
        XCTAssertTrue(verdict("{a").contains("unclosed '{'"))
        // A brace joined with a combining mark is not a brace, as before.
        XCTAssertEqual(verdict("{\u{301}a"), "ok")
        // Nor is one joined to a prepended mark before it (U+0600 joins the character after it).
        XCTAssertEqual(verdict("\u{600}{a"), "ok")
    }
}
