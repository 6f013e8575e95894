import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The parsed-rules cache: a hit gives the same rule set as parsing, a changed, corrupt or missing entry is
/// rebuilt, and a cache that cannot be written never fails a load.
final class ParsedRulesCacheTests: XCTestCase {
    /// A copy of the bundled rule folder that a test may change.
    func rulesCopy() throws -> String {
        let d = try temporaryFolder("ogilint-cache") + "/rules"
        try FileManager.default.copyItem(atPath: Repo.rules, toPath: d)
        return d
    }

    func summary(_ set: RuleSet) -> String {
        let rules = set.rules.map { "\($0.id) \($0.kindName) \($0.severity) \($0.templates) \($0.line) \($0.message ?? "")" }
        let messages = set.messages.entries.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.text)@\($0.value.line):\($0.value.column)"
        }
        let tables = set.templates.templates.map { t in
            t.id + ":" + t.tables.map { $0.key + "/" + $0.rows.map(\.key).joined(separator: ",") }.joined(separator: ";")
        }
        return (rules + messages + tables + set.templates.profile.parts.map(\.key)).joined(separator: "\n")
    }

    /// The key hashed from the files read into one buffer equals the key of their bytes read one by one: the
    /// bundled files in order and reversed, with an empty file and a file larger than all before it (the buffer
    /// grows), and with a tool name or none; a file that cannot be read gives no key.
    func testKeyFromFilesEqualsTheKeyOfTheirBytes() throws {
        let dir = try rulesCopy()
        let empty = dir + "/empty.yml"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let large = dir + "/large.yml"
        XCTAssertTrue(FileManager.default.createFile(atPath: large, contents: Data(repeating: 0x61, count: 300_000)))
        let bundled = try RulePackLoader.ruleFiles(in: Repo.rules)
        for files in [bundled, bundled.reversed(), [empty] + bundled + [large, empty], [large] + bundled, []] {
            let read = files.map { (path: $0, data: try! XCTUnwrap(RuleFolderListing.contents(of: $0))) }
            for tool in [nil, "tool"] as [String?] {
                XCTAssertEqual(ParsedRulesCache.contentKey(ofFiles: files, tool: tool), ParsedRulesCache.contentKey(read, tool: tool))
            }
        }
        XCTAssertNotEqual(ParsedRulesCache.contentKey(ofFiles: [empty, large]), ParsedRulesCache.contentKey(ofFiles: [large, empty]))
        XCTAssertNil(ParsedRulesCache.contentKey(ofFiles: bundled + [dir + "/missing.yml"]))
        XCTAssertNil(ParsedRulesCache.contentKey(ofFiles: [dir]))
    }

    /// Each executable has its own entry for a list of rule files; the same executable always the same one.
    func testEntriesAreKeptPerExecutable() throws {
        let cache = ParsedRulesCache(directory: "/cache")
        let files = ["/r/a.yml", "/r/b.yml"]
        let release = cache.entryPath(files: files, tool: "/opt/ogilint/bin/ogilint")
        let debug = cache.entryPath(files: files, tool: "/src/ogilint/.build/debug/ogilint")
        XCTAssertNotEqual(release, debug)
        XCTAssertEqual(release, cache.entryPath(files: files, tool: "/opt/ogilint/bin/ogilint"))
        XCTAssertNotEqual(release, cache.entryPath(files: files, tool: nil))
        XCTAssertNotEqual(release, cache.entryPath(files: ["/r/a.yml"], tool: "/opt/ogilint/bin/ogilint"))
        XCTAssertTrue(release?.hasPrefix("/cache/rules-") ?? false)
        #if os(Linux)
            XCTAssertEqual(ParsedRulesCache.toolPath, try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        #endif
    }

    func entry(_ cache: ParsedRulesCache, _ dir: String) throws -> String {
        try XCTUnwrap(cache.entryPath(files: try RulePackLoader.ruleFiles(in: dir)))
    }

    func testAHitGivesTheSameRulesAsParsing() throws {
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-cache"))
        let parsed = try RulePackLoader.load(directories: [Repo.rules])
        let first = try RulePackLoader.load(directories: [Repo.rules], cache: cache)
        XCTAssertTrue(FileManager.default.fileExists(atPath: try entry(cache, Repo.rules)), "a validated load is stored")
        let files = try RulePackLoader.ruleFiles(in: Repo.rules)
        let key = ParsedRulesCache.contentKey(files.map { ($0, FileManager.default.contents(atPath: $0)!) })
        let trees = try XCTUnwrap(cache.load(files: files, key: key))
        // The stored trees are the parsed ones, node for node.
        for (f, t) in zip(files, trees) {
            let text = try String(contentsOfFile: f, encoding: .utf8)
            XCTAssertEqual(t.map(yamlShape), try YAMLEventReader.document(text).map(yamlShape), f)
        }
        let second = try RulePackLoader.load(directories: [Repo.rules], cache: cache)
        XCTAssertEqual(summary(first), summary(parsed))
        XCTAssertEqual(summary(second), summary(parsed))
    }

    func testAChangedFileIsParsedAgain() throws {
        let rules = try rulesCopy()
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-cache"))
        let before = try RulePackLoader.load(directories: [rules], cache: cache)
        let file = rules + "/messages.yml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let key = "engine.unevaluated.fix:"
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains(key) })
        try text.replacingOccurrences(of: String(line), with: "  \(key) 换了一个说法").write(toFile: file, atomically: true, encoding: .utf8)
        let after = try RulePackLoader.load(directories: [rules], cache: cache)
        XCTAssertNotEqual(before.messages.text("engine.unevaluated.fix"), "换了一个说法")
        XCTAssertEqual(after.messages.text("engine.unevaluated.fix"), "换了一个说法")
        // And the entry now holds the new content: a third load (a hit) agrees.
        XCTAssertEqual(try RulePackLoader.load(directories: [rules], cache: cache).messages.text("engine.unevaluated.fix"), "换了一个说法")
    }

    func testACorruptOrTruncatedEntryIsIgnoredAndRebuilt() throws {
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-cache"))
        let expected = summary(try RulePackLoader.load(directories: [Repo.rules]))
        _ = try RulePackLoader.load(directories: [Repo.rules], cache: cache)
        let path = try entry(cache, Repo.rules)
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))
        var flipped = [UInt8](good)
        for i in stride(from: 60, to: flipped.count, by: 97) { flipped[i] ^= 0xff }
        // One byte off by one still decodes as trees (a line number, a count): the checksum catches it.
        var nudged = [UInt8](good)
        nudged[good.count / 2] &+= 1
        for bad in [Data("garbage".utf8), good.prefix(good.count / 2), Data(flipped), Data(nudged), Data()] {
            try bad.write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(summary(try RulePackLoader.load(directories: [Repo.rules], cache: cache)), expected)
            XCTAssertEqual(FileManager.default.contents(atPath: path), good, "the entry is written again")
        }
    }

    func testACacheThatCannotBeWrittenDoesNotFailTheLoad() throws {
        let blocker = try temporaryFolder("ogilint-cache") + "/a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let cache = ParsedRulesCache(directory: blocker + "/ogilint")
        XCTAssertEqual(
            summary(try RulePackLoader.load(directories: [Repo.rules], cache: cache)),
            summary(try RulePackLoader.load(directories: [Repo.rules])))
    }

    func testAPackWithAnErrorIsNotStoredAndFailsTheSameWay() throws {
        let rules = try rulesCopy()
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-cache"))
        try "rules:\n  - id: BAD\n    kind: nonsense\n".write(toFile: rules + "/national/zz-bad.yml", atomically: true, encoding: .utf8)
        func failure(_ cache: ParsedRulesCache?) -> String {
            do { _ = try RulePackLoader.load(directories: [rules], cache: cache); return "loaded" } catch { return "\(error)" }
        }
        let plain = failure(nil)
        XCTAssertTrue(plain.contains("zz-bad.yml"), plain)
        XCTAssertEqual(failure(cache), plain)
        XCTAssertEqual(failure(cache), plain)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try entry(cache, rules)))
    }

    func testOldEntriesBeyondTheLimitAreRemovedNewestKept() throws {
        let dir = try temporaryFolder("ogilint-cache")
        let cache = ParsedRulesCache(directory: dir)
        // Entries of rule folders that no longer exist, older than anything written now.
        for i in 0..<(ParsedRulesCache.maxEntries + 5) {
            let path = dir + "/rules-old\(i).bin"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            let date = Date(timeIntervalSinceNow: -Double(1000 + i))
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
        }
        _ = try RulePackLoader.load(directories: [Repo.rules], cache: cache)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".bin") }
        XCTAssertEqual(names.count, ParsedRulesCache.maxEntries)
        XCTAssertTrue(FileManager.default.fileExists(atPath: try entry(cache, Repo.rules)), "the entry just written stays")
        XCTAssertTrue(names.contains("rules-old0.bin"), "the newest old entries stay")
        XCTAssertFalse(names.contains("rules-old\(ParsedRulesCache.maxEntries + 4).bin"), "the oldest go")
    }

    func testTheEnvironmentTurnsTheCacheOff() {
        let old = ProcessInfo.processInfo.environment["OGILINT_NO_CACHE"]
        defer { if let old { setenv("OGILINT_NO_CACHE", old, 1) } else { unsetenv("OGILINT_NO_CACHE") } }
        setenv("OGILINT_NO_CACHE", "1", 1)
        XCTAssertNil(ParsedRulesCache.standard.directory)
        unsetenv("OGILINT_NO_CACHE")
        let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        defer { if let xdg { setenv("XDG_CACHE_HOME", xdg, 1) } else { unsetenv("XDG_CACHE_HOME") } }
        setenv("XDG_CACHE_HOME", "/somewhere/cache", 1)
        XCTAssertEqual(ParsedRulesCache.standard.directory, "/somewhere/cache/ogilint")
    }
}
