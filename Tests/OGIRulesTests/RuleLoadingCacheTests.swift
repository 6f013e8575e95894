import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// A trusted cache hit builds the rules without validating them again: it must give exactly the rule set a
/// validated load gives (every field of every rule, kind, template and message), and it must only ever be used
/// for bytes this executable validated before.
final class RuleLoadingCacheTests: XCTestCase, RuleCacheTesting {
    /// The rule folders compared: the bundled pack alone, and with the province example pack on top.
    static let folderSets: [[String]] = [[Repo.rules], [Repo.rules, Repo.path("samples/province-example")]]

    /// `dump` with the members of every set and dictionary in sorted order: their order differs between two equal
    /// instances (each has its own hash seed), so the lines under such a header are compared as a sorted list.
    static func unordered(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ l: String) -> Int { l.prefix { $0 == " " }.count }
        var out: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            out.append(line)
            i += 1
            guard line.hasSuffix(" members") || line.hasSuffix(" key/value pairs") else { continue }
            var block: [String] = []
            while i < lines.count, indent(lines[i]) > indent(line) {
                block.append(lines[i])
                i += 1
            }
            out += block.sorted()
        }
        return out.joined(separator: "\n")
    }

    /// The first line where two dumps differ (with the line before it), or nil when they are equal.
    func firstDifference(_ a: String, _ b: String) -> String? {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            let before = i > 0 && i - 1 < x.count ? x[i - 1] : ""
            return "line \(i + 1) after '\(before)': '\(i < x.count ? x[i] : "<end>")' vs '\(i < y.count ? y[i] : "<end>")'"
        }
        return nil
    }

    func documents(_ folders: [String]) throws -> [(String, YNode)] {
        var files: [String] = []
        for f in folders { files += try RulePackLoader.ruleFiles(in: f) }
        return try files.compactMap { f in try YNode.parse(String(contentsOfFile: f, encoding: .utf8), file: f).map { (f, $0) } }
    }

    func testLoadingWithoutValidationGivesTheSameRuleSet() throws {
        for folders in Self.folderSets {
            let docs = try documents(folders)
            let validated = everything(try RulePackLoader.load(documents: docs, validate: true))
            let trusted = everything(try RulePackLoader.load(documents: docs, validate: false))
            XCTAssertGreaterThan(validated.count, 10_000, "the dump covers the rules")
            XCTAssertNil(firstDifference(trusted, validated), "\(folders)")
        }
    }

    func testACacheHitGivesTheSameRuleSetAsAFreshParse() throws {
        XCTAssertTrue(ParsedRulesCache.hitsAreTrusted, "on Linux the executable is known, so hits skip validation")
        for folders in Self.folderSets {
            let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-rulesload"))
            let fresh = everything(try RulePackLoader.load(directories: folders))
            let miss = everything(try RulePackLoader.load(directories: folders, cache: cache))
            var files: [String] = []
            for f in folders { files += try RulePackLoader.ruleFiles(in: f) }
            XCTAssertNotNil(cache.entryPath(files: files).flatMap { FileManager.default.contents(atPath: $0) }, "stored")
            let hit = everything(try RulePackLoader.load(directories: folders, cache: cache))
            XCTAssertNil(firstDifference(miss, fresh), "\(folders)")
            XCTAssertNil(firstDifference(hit, fresh), "\(folders)")
        }
    }

    /// The proof that a hit is not validated again: an entry written for bytes that never validated (which a
    /// real load never stores) loads, while the same bytes without the cache fail with their position.
    func testAHitIsTrustedAndThereforeOnlyStoredAfterValidation() throws {
        let rules = try temporaryFolder("ogilint-rulesload") + "/rules"
        try FileManager.default.copyItem(atPath: Repo.rules, toPath: rules)
        let bad = rules + "/national/zz-bad.yml"
        try """
        rules:
          - id: ZZ-BAD
            severity: warning
            category: arithmetic
            assert: year > 0
            message: "年份 {no_such_placeholder}"
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-rulesload"))
        func failure(_ cache: ParsedRulesCache?) -> String? {
            do { _ = try RulePackLoader.load(directories: [rules], cache: cache); return nil } catch { return "\(error)" }
        }
        let plain = try XCTUnwrap(failure(nil))
        XCTAssertTrue(plain.contains("zz-bad.yml:6:"), plain)
        XCTAssertEqual(failure(cache), plain, "a pack with an error is validated, reported and not stored")
        let files = try RulePackLoader.ruleFiles(in: rules)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try XCTUnwrap(cache.entryPath(files: files))))
        // Forge an entry for these bytes: the loader trusts it.
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        let trees = try contents.map { try YAMLEventReader.document(String(decoding: $0.data, as: UTF8.self)) }
        cache.store(files: files, key: ParsedRulesCache.contentKey(contents), trees: trees)
        XCTAssertNil(failure(cache), "a hit is not validated again")
        // Changing the file makes the entry stale: validated again, with the position.
        try String(contentsOfFile: bad, encoding: .utf8).replacingOccurrences(of: "> 0", with: "> 1")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let changed = try XCTUnwrap(failure(cache))
        XCTAssertTrue(changed.contains("zz-bad.yml:6:"), changed)
    }

    func testTheKeyNamesTheExecutableTheFormatAndEveryByte() throws {
        let files = try RulePackLoader.ruleFiles(in: Repo.rules)
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        let key = ParsedRulesCache.contentKey(contents)
        XCTAssertEqual(ParsedRulesCache.contentKey(contents), key, "stable")
        XCTAssertNotEqual(ParsedRulesCache.contentKey(contents, tool: "another build"), key)
        XCTAssertNotEqual(ParsedRulesCache.contentKey(contents, tool: nil), key)
        var changed = contents
        changed[0].data.append(0x20)
        XCTAssertNotEqual(ParsedRulesCache.contentKey(changed), key)
        var renamed = contents
        renamed[0].path += "x"
        XCTAssertNotEqual(ParsedRulesCache.contentKey(renamed), key)
        let identity = try XCTUnwrap(ParsedRulesCache.toolIdentity)
        XCTAssertEqual(identity.split(separator: ":").count, 4, identity)
    }

    /// An entry written by another build of the tool (another key) is a miss: the pack is validated again.
    func testAnEntryOfAnotherBuildIsNotUsed() throws {
        let rules = try temporaryFolder("ogilint-rulesload") + "/rules"
        try FileManager.default.copyItem(atPath: Repo.rules, toPath: rules)
        try "rules:\n  - id: zz-lower\n    severity: warning\n    category: arithmetic\n    assert: year > 0\n"
            .write(toFile: rules + "/national/zz-bad.yml", atomically: true, encoding: .utf8)
        let files = try RulePackLoader.ruleFiles(in: rules)
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        let trees = try contents.map { try YAMLEventReader.document(String(decoding: $0.data, as: UTF8.self)) }
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-rulesload"))
        cache.store(files: files, key: ParsedRulesCache.contentKey(contents, tool: "an older build"), trees: trees)
        XCTAssertThrowsError(try RulePackLoader.load(directories: [rules], cache: cache)) { error in
            XCTAssertTrue("\(error)".contains("zz-bad.yml:2:"), "\(error)")
        }
    }
}
