import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// What the rule-cache tests share: the rule files of a folder list, a rule set written out field by field, and
/// reading or forging the cache entry of the folders' current bytes.
protocol RuleCacheTesting {}

extension RuleCacheTesting {
    /// The rule files of `folders`, in load order.
    func files(_ folders: [String]) throws -> [String] {
        var files: [String] = []
        for f in folders { files += try RulePackLoader.ruleFiles(in: f) }
        return files
    }

    /// Everything a rule set holds, field by field (`dump` walks every stored property, kinds included), with
    /// the members of sets and dictionaries in sorted order (`RuleLoadingCacheTests.unordered`).
    func everything(_ set: RuleSet) -> String {
        var out = ""
        dump(set.rules, to: &out, maxDepth: .max, maxItems: .max)
        dump(set.templates, to: &out, maxDepth: .max, maxItems: .max)
        for (key, entry) in set.messages.entries.sorted(by: { $0.key < $1.key }) { dump((key, entry), to: &out) }
        return RuleLoadingCacheTests.unordered(out)
    }

    /// The cache's entry for the folders' current bytes.
    func entry(_ cache: ParsedRulesCache, _ folders: [String]) throws -> ParsedRulesCache.Entry {
        let files = try files(folders)
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        return try XCTUnwrap(cache.loadEntry(files: files, key: ParsedRulesCache.contentKey(contents)))
    }

    /// Writes an entry for the folders' current bytes with the given facts, templates and trees, as a validated
    /// load would.
    func forge(
        _ cache: ParsedRulesCache, _ folders: [String], rules: [KnownRuleFacts], templates: [Template]? = nil,
        expressions: KnownExpressions = KnownExpressions()
    ) throws {
        let files = try files(folders)
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        let trees = try contents.map { try YAMLEventReader.document(String(decoding: $0.data, as: UTF8.self)) }
        let (_, encoded) = try YNode.flatten(trees, files: files)
        cache.store(
            files: files, key: ParsedRulesCache.contentKey(contents), documents: encoded, count: files.count,
            known: KnownBuild(rules: rules, templates: templates, expressions: expressions))
    }
}
