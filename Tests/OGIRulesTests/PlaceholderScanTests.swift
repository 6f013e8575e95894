import OGIModel
import XCTest

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
        "{{nested}}", "{a{b}c}", "前{名称}后{名称}", "{\u{301}x}", "x{y}\u{301}", "{é}", "{👍🏽}",
    ]

    func testPlaceholdersMatchTheCharacterScan() {
        for t in templates { XCTAssertEqual(MessageCatalog.placeholders(in: t), characterPlaceholders(t), t) }
        XCTAssertEqual(MessageCatalog.placeholders(in: "{表格}第{row}行"), ["表格", "row"])
        XCTAssertFalse(MessageCatalog.bracesStandAlone("{\u{301}x}"))
        XCTAssertTrue(MessageCatalog.bracesStandAlone("{表格}第"))
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
    }
}
