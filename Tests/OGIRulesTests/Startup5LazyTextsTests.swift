import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// A trusted hit leaves the rules' texts and the message catalog in the cache entry until they are asked for: what
/// they give then is what a validated load gives, key by key, text by text, and after changes.
final class LazyTextsTests: XCTestCase, RuleCacheTesting {
    func hitAndFresh(_ folders: [String]) throws -> (hit: RuleSet, fresh: RuleSet) {
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-lazy"))
        _ = try RulePackLoader.load(directories: folders, cache: cache)
        return (try RulePackLoader.load(directories: folders, cache: cache), try RulePackLoader.load(directories: folders))
    }

    func testEveryMessageKeyGivesTheTextOfAValidatedLoad() throws {
        for folders in RuleLoadingCacheTests.folderSets {
            let (hit, fresh) = try hitAndFresh(folders)
            let keys = MessageKeys.all.keys.sorted() + ["no.such.key", "", "separator.lis", "K\u{212A}", "séparator.list"]
            // Key by key (the first `maxLookups` are found one at a time), twice, then all at once.
            for _ in 0..<2 {
                for key in keys {
                    XCTAssertEqual(hit.messages.entry(key), fresh.messages.entries[key], key)
                    XCTAssertEqual(hit.messages.text(key, ["year": "2023"]), fresh.messages.text(key, ["year": "2023"]), key)
                }
            }
            XCTAssertEqual(hit.messages.entries, fresh.messages.entries)
            XCTAssertGreaterThan(keys.count, MessageSource.maxLookups)
            // A fresh hit read one key at a time only, then changed.
            var few = try hitAndFresh(folders).hit.messages
            XCTAssertEqual(few.text("separator.list"), fresh.messages.text("separator.list"))
            let entry = MessageCatalog.Entry(text: "改了", file: "x.yml", line: 1, column: 2)
            few.set("separator.list", entry)
            var expected = fresh.messages
            expected.set("separator.list", entry)
            XCTAssertEqual(few.entries, expected.entries)
            XCTAssertEqual(few.text("separator.list"), "改了")
        }
    }

    /// A later file's text replaces an earlier one's, as in the dictionary a validated load fills.
    func testALaterCatalogOverridesAnEarlierOneKeyByKey() throws {
        let folders = [Repo.rules]
        let files = try files(folders)
        let messages = try XCTUnwrap(files.first { $0.hasSuffix("messages.yml") })
        let texts = [
            (messages, try String(contentsOfFile: messages, encoding: .utf8)),
            ("b.yml", "messages:\n  separator.list: \"；\"\n  value.none: 无\n"),
            ("c.yml", "description: x\nmessages:\n  value.none: 没有\n"),
        ]
        let docs = try texts.compactMap { try YNode.parse($0.1, file: $0.0) }
        let lazy = try XCTUnwrap(try MessageCatalogLoader.lazyCatalog(docs))
        let now = try MessageCatalogLoader.loadNow(docs, fallbackFile: "", validate: false)
        for key in ["separator.list", "value.none", "engine.repair.cell", "nothing"] {
            XCTAssertEqual(lazy.entry(key), now.entries[key], key)
        }
        XCTAssertEqual(lazy.text("value.none"), "没有")
        XCTAssertEqual(lazy.entries, now.entries)
        // A key that is not ASCII text: read now, as before.
        let other = try XCTUnwrap(try YNode.parse("messages:\n  séparator.list: x\n", file: "d.yml"))
        XCTAssertNil(try MessageCatalogLoader.lazyCatalog([other]))
        let list = try XCTUnwrap(try YNode.parse("messages:\n  a: [x]\n", file: "e.yml"))
        XCTAssertNil(try MessageCatalogLoader.lazyCatalog([list]))
    }

    func testRuleTextsReadOnUseAreThoseOfAValidatedLoad() throws {
        for folders in RuleLoadingCacheTests.folderSets {
            let (hit, fresh) = try hitAndFresh(folders)
            XCTAssertEqual(hit.rules.count, fresh.rules.count)
            for (h, f) in zip(hit.rules, fresh.rules) {
                XCTAssertEqual(h.title, f.title)
                XCTAssertEqual(h.reference, f.reference)
                XCTAssertEqual(h.description, f.description)
                XCTAssertEqual(h.message, f.message)
                XCTAssertEqual(h.fix, f.fix)
                XCTAssertEqual(h.examples.pass, f.examples.pass)
                XCTAssertEqual(h.examples.fail, f.examples.fail)
                XCTAssertEqual(h.helpText(hit.messages), f.helpText(fresh.messages))
            }
            // Setting a text replaces it on that rule only.
            var changed = try hitAndFresh(folders).hit
            let copy = changed.rules[0]
            changed.rules[0].title = "新标题"
            changed.rules[0].examples.pass = []
            XCTAssertEqual(changed.rules[0].title, "新标题")
            XCTAssertEqual(changed.rules[0].examples.pass, [])
            XCTAssertEqual(copy.title, fresh.rules[0].title)
            XCTAssertEqual(changed.rules[1].title, fresh.rules[1].title)
            XCTAssertEqual(changed.rules[0].description, fresh.rules[0].description)
        }
    }

    /// A rule reflects its fields in declaration order with the texts as values, as the stored fields did.
    func testARuleReflectsItsFieldsInOrder() throws {
        let rule = try RulePackLoader.load(directories: [Repo.rules]).rules[0]
        XCTAssertEqual(
            Mirror(reflecting: rule).children.map { $0.label ?? "" },
            [
                "id", "title", "severity", "category", "reference", "description", "when", "kind", "message", "fix", "unevaluated",
                "examples", "templates", "templatesStated", "appliesToEveryTemplate", "needsPrevious", "file", "line",
            ])
        XCTAssertEqual(Mirror(reflecting: rule).children.first { $0.label == "title" }?.value as? String, rule.title)
    }
}
