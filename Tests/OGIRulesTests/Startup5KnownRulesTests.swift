import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// A cache entry (since format 7) also keeps what the validated load built of each rule besides its kind (`KnownRule`):
/// a trusted hit takes it and parses only the kind. The hit's rule set is the one a validated load builds, for the
/// bundled rules, the province example pack and generated packs; what is kept is used only for its own rule.
final class KnownRulesCacheTests: XCTestCase, RuleCacheTesting {
    func testAMissKeepsOneBuiltRulePerRuleAndAHitGivesTheSameRuleSet() throws {
        for folders in RuleLoadingCacheTests.folderSets {
            let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-built"))
            let fresh = try RulePackLoader.load(directories: folders)
            _ = try RulePackLoader.load(directories: folders, cache: cache)
            let stored = try entry(cache, folders)
            XCTAssertEqual(stored.known.built.count, fresh.rules.count, "\(folders)")
            for (built, rule) in zip(stored.known.built, fresh.rules) {
                XCTAssertEqual(built.title, rule.title)
                XCTAssertEqual(built.pass, rule.examples.pass)
                XCTAssertEqual(built.fail, rule.examples.fail)
                XCTAssertTrue(stored.table.text(built.fields[RuleParser.allowedKeys[built.kind].firstIndex(of: "id")!], equals: rule.id))
            }
            XCTAssertTrue(stored.known.built.contains { !$0.fail.isEmpty && $0.fail.contains { $0.at != nil } })
            let hit = try RulePackLoader.load(directories: folders, cache: cache)
            XCTAssertEqual(everything(hit), everything(fresh), "\(folders)")
        }
    }

    /// Kept builds are what a hit uses (the proof the keys are not read again), but only at their own rule: a list
    /// shifted by one rule describes no rule's node, and every rule is built from its keys again.
    func testBuiltRulesAreUsedOnlyForTheirOwnRule() throws {
        let folders = [Repo.rules]
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-built"))
        let fresh = try RulePackLoader.load(directories: folders, cache: cache)
        let stored = try entry(cache, folders)
        var marked = stored.known.built
        marked[0].title = "a title the entry made up"
        marked[1].pass = [RuleExample(file: "made-up.txt", at: .line(3), previous: "p.txt")]
        try forgeBuilt(cache, folders, known: stored.known, built: marked)
        let hit = try RulePackLoader.load(directories: folders, cache: cache)
        XCTAssertEqual(hit.rules[0].title, "a title the entry made up")
        XCTAssertEqual(hit.rules[1].examples.pass, marked[1].pass)
        XCTAssertEqual(hit.rules.count, fresh.rules.count)

        let shifted = Array(stored.known.built.dropFirst()) + [stored.known.built[0]]
        try forgeBuilt(cache, folders, known: stored.known, built: shifted)
        XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh))
        // Fields that point outside the rule, or a list of the wrong length: not used.
        var outside = stored.known.built
        for i in outside.indices { outside[i].fields[0] = 0 }
        try forgeBuilt(cache, folders, known: stored.known, built: outside)
        XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh))
        try forgeBuilt(cache, folders, known: stored.known, built: Array(marked.dropLast()))
        XCTAssertEqual(try entry(cache, folders).known.built.count, 0)
        XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh))
    }

    func testBuiltRulesReadBackAsWrittenAndCutBytesDoNotRead() throws {
        let rules = [
            KnownRule(
                node: 7, kind: 0, fields: [-1, 8, 12, -1], title: "标题 a", severity: .error, category: .extraction,
                reference: "r", description: nil, message: "{x} 中文", fix: "", unevaluated: .info,
                pass: [RuleExample(file: "a.txt"), RuleExample(file: "b.txt", at: .cell("t.r.c"), previous: "p.txt")],
                fail: [RuleExample(file: "c.txt", at: .line(54)), RuleExample(file: "", at: .line(-3))], templatesStated: true),
            KnownRule(
                node: 100_000, kind: RuleKinds.all.count - 1, fields: [], title: "", severity: .info, category: .structure,
                reference: nil, description: "d", message: nil, fix: nil, unevaluated: .warning, pass: [], fail: [],
                templatesStated: false),
        ]
        var w = TreeEncoder()
        w.knownRules(rules)
        let back = w.bytes.withUnsafeBufferPointer { b -> [KnownRule]? in
            var d = TreeDecoder(bytes: b)
            let r = d.knownRules()
            return d.atEnd ? r : nil
        }
        XCTAssertEqual(back, rules)
        for cut in 0..<w.bytes.count {
            let part = Array(w.bytes.prefix(cut))
            XCTAssertNil(
                part.withUnsafeBufferPointer { b -> [KnownRule]? in
                    var d = TreeDecoder(bytes: b)
                    return d.knownRules()
                }, "cut at \(cut)")
        }
    }

    /// Generated packs beside the bundled rules: rules of several kinds with keys in random order, optional keys
    /// present or not, examples in every form, stated templates, `for_each` and `when`. A miss stores, and the hit
    /// gives the rule set of a validated load.
    func testGeneratedPacksLoadFromTheCacheAsTheyValidate() throws {
        var rng = SplitMix(seed: 0x5eed_5005)
        for round in 0..<12 {
            let root = try temporaryFolder("ogilint-built-gen")
            let pack = root + "/pack"
            try FileManager.default.createDirectory(atPath: pack, withIntermediateDirectories: true)
            try Self.generatedPack(round: round, rng: &rng).write(toFile: pack + "/gen.yml", atomically: true, encoding: .utf8)
            let folders = [Repo.rules, pack]
            let fresh = try RulePackLoader.load(directories: folders)
            let cache = ParsedRulesCache(directory: root + "/cache")
            let miss = try RulePackLoader.load(directories: folders, cache: cache)
            XCTAssertEqual(try entry(cache, folders).known.built.count, fresh.rules.count)
            let hit = try RulePackLoader.load(directories: folders, cache: cache)
            let expected = everything(fresh)
            XCTAssertEqual(everything(miss), expected, "round \(round)")
            XCTAssertEqual(everything(hit), expected, "round \(round)")
        }
    }

    /// A rule pack of 6–14 rules drawn from `rng`.
    static func generatedPack(round: Int, rng: inout SplitMix) -> String {
        func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
        func coin() -> Bool { rng.next() % 2 == 0 }
        var out = "pack: gen\(round)\nrules:\n"
        for i in 0..<(6 + Int(rng.next() % 9)) {
            var fields: [String] = [
                "id: GEN-\(round)-\(i)", "severity: \(pick(["info", "warning", "error"]))",
                "category: \(pick(["structure", "arithmetic", "cell", "consistency", "editorial"]))",
            ]
            switch rng.next() % 4 {
            case 0: fields.append("assert: \(pick(["year > 2000", "year >= 2019 and year < 2100", "not (year == 1999)"]))")
            case 1: fields += ["kind: assert", "assert: \(pick(["year > 0", "year != null"]))"]
            case 2:
                fields += [
                    "kind: sum", "table: applications", "total: total",
                    "parts: [natural, commercial, research, public_good, legal, other_org]", "along: columns",
                ]
            default:
                fields += [
                    "kind: assert", "for_each: [一, 二]", "assert: \(pick(["year > 0", "year >= 1"]))",
                ]
            }
            if coin() { fields.append("title: \(pick(["标题 \(i)", "\"Quoted: title\"", "'单引号'"]))") }
            if coin() { fields.append("reference: 条例第\(i)条") }
            if coin() { fields.append("description: |\n      第一行\n      second line \(i)") }
            if coin() { fields.append("message: \(pick(["年份不对", "\"{year} 年\"", "值 {agency}"]))") }
            if coin() { fields.append("fix: 改正 \(i)") }
            if coin() { fields.append("unevaluated: \(pick(["info", "warning", "error"]))") }
            if coin() { fields.append("when: \(pick(["year > 2010", "year < 3000"]))") }
            if rng.next() % 3 == 0 { fields.append("templates: [\(pick(["\"2021\"", "\"2019\"", "\"2019\", \"2021\""]))]") }
            switch rng.next() % 4 {
            case 0: break
            case 1: fields.append("examples:\n      pass: [a\(i).txt, b.txt]")
            case 2:
                fields.append("examples:\n      fail:\n        - {file: f\(i).txt, at: {line: \(1 + i)}, previous: p.txt}\n        - f.txt")
            default: fields.append("examples:\n      pass: one.txt\n      fail: [{file: x.txt}]")
            }
            // Keys in random order (the id first or not).
            for j in stride(from: fields.count - 1, to: 0, by: -1) { fields.swapAt(j, Int(rng.next() % UInt64(j + 1))) }
            out += "  - " + fields.joined(separator: "\n    ") + "\n"
        }
        return out
    }

    /// Writes an entry for the folders' current bytes keeping `known` but with `built` as the built rules.
    func forgeBuilt(_ cache: ParsedRulesCache, _ folders: [String], known: KnownBuild, built: [KnownRule]) throws {
        let files = try files(folders)
        let contents = files.map { (path: $0, data: FileManager.default.contents(atPath: $0)!) }
        let trees = try contents.map { try YAMLEventReader.document(String(decoding: $0.data, as: UTF8.self)) }
        let (_, encoded) = try YNode.flatten(trees, files: files)
        cache.store(
            files: files, key: ParsedRulesCache.contentKey(contents), documents: encoded, count: files.count,
            known: KnownBuild(rules: known.rules, templates: known.templates, expressions: known.expressions, built: built))
    }
}
