import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis
@testable import OGIRules

/// A cache entry (format 6) also keeps the expression trees the validated load parsed, by the node of their text:
/// a trusted hit takes them instead of parsing again. Each tree is the parser's tree of its text, it is used only
/// for a node with exactly that text, and a hit gives the rule set a fresh load gives.
final class KnownExpressionsCacheTests: XCTestCase, RuleCacheTesting {
    func text(_ e: Expr) -> String {
        var out = ""
        dump(e, to: &out, maxDepth: .max, maxItems: .max)
        return out
    }

    func testEveryStoredTreeIsTheParsersTreeOfItsText() throws {
        for folders in RuleBuildingFastPathTests.folderSets {
            let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-expr"))
            let fresh = try RulePackLoader.load(directories: folders, cache: cache)
            let stored = try entry(cache, folders)
            let known = stored.known.expressions
            XCTAssertGreaterThan(known.count, 40, "\(folders)")
            XCTAssertEqual(known.nodes, known.nodes.sorted())
            XCTAssertEqual(Set(known.nodes).count, known.count)
            for i in 0..<known.count {
                XCTAssertTrue(stored.table.text(known.nodes[i], equals: known.sources[i]), known.sources[i])
                XCTAssertEqual(text(known.trees[i]), text(try ExpressionParser.parse(known.sources[i])), known.sources[i])
            }
            // The hit, which takes them, gives the rule set of a fresh load.
            XCTAssertEqual(
                everything(try RulePackLoader.load(directories: folders, cache: cache)),
                everything(fresh))
        }
    }

    func testTreesReadBackAsWrittenAndCutBytesDoNotRead() throws {
        let sources = [
            "1.50 + 0.25 * -3 == 2", "not (a.b.c >= 1) and x != null or true", "sum(t[$col].x, 1, \"中文\") / 2",
            "reviews.cases.$g.total == max(1, 2.000)", "false", "'单引号' == \"x\"", "-(-1)", "matches(part_text(\"一\"), \"^a|b$\")",
        ]
        let known = KnownExpressions()
        for (i, s) in sources.enumerated() { known.record(node: i * 3, source: s, tree: try ExpressionParser.parse(s)) }
        XCTAssertEqual(known.count, sources.count)
        var w = TreeEncoder()
        w.knownExpressions(known)
        let back = w.bytes.withUnsafeBufferPointer { b -> KnownExpressions? in
            var d = TreeDecoder(bytes: b)
            let k = d.knownExpressions()
            return d.atEnd ? k : nil
        }
        let read = try XCTUnwrap(back)
        XCTAssertEqual(read.nodes, known.nodes)
        XCTAssertEqual(read.sources, sources)
        XCTAssertEqual(read.trees.map(text), try sources.map { text(try ExpressionParser.parse($0)) })
        for cut in 0..<w.bytes.count {
            let part = Array(w.bytes.prefix(cut))
            XCTAssertNil(
                part.withUnsafeBufferPointer { b -> KnownExpressions? in
                    var d = TreeDecoder(bytes: b)
                    return d.knownExpressions()
                }, "cut at \(cut)")
        }
    }

    func testATreeIsUsedOnlyForANodeWithItsText() throws {
        let yaml = "a: x + 1\nb: y + 2\n"
        let root = try XCTUnwrap(try YNode.parse(yaml, file: "t.yml"))
        let a = try XCTUnwrap(root.firstValue(forKey: "a")), b = try XCTUnwrap(root.firstValue(forKey: "b"))
        let known = try XCTUnwrap(
            KnownExpressions(nodes: [a.index, b.index], sources: ["x + 1", "z + 2"], trees: [.bool(true), .bool(false)]))
        XCTAssertEqual(known.tree(at: a.index, in: a.table).map(text), text(.bool(true)))
        XCTAssertNil(known.tree(at: b.index, in: b.table), "the text differs: not used")
        XCTAssertNil(known.tree(at: root.index, in: root.table))
        // Out of order or of unequal lengths: not an entry.
        XCTAssertNil(KnownExpressions(nodes: [b.index, a.index], sources: ["", ""], trees: [.null, .null]))
        XCTAssertNil(KnownExpressions(nodes: [a.index], sources: [], trees: [.null]))
        // A parser with the trees takes them only without validation.
        var parser = RuleParser(templates: try RulePackLoader.load(directories: [Repo.rules]).templates, validate: false)
        parser.knownExpressions = known
        XCTAssertEqual(text(try parser.expression(a, vars: [])), text(.bool(true)))
        XCTAssertEqual(text(try parser.expression(b, vars: [])), text(try ExpressionParser.parse("y + 2")))
    }

    func testTreesTooDeepToReadAreNotKept() throws {
        let deep = (0..<(KnownExpressions.maxDepth + 5)).reduce(Expr.number(1)) { e, _ in .unary("-", e) }
        let known = KnownExpressions()
        known.record(node: 1, source: "x", tree: deep)
        known.record(node: 2, source: "y", tree: .number(ExactDecimal.parse("2.5")!))
        XCTAssertEqual(known.nodes, [2])
    }

    func testAHitThatStoredNoTreesGivesTheSameRuleSet() throws {
        let folders = [Repo.rules]
        let fresh = try RulePackLoader.load(directories: folders)
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-expr"))
        try forge(cache, folders, rules: fresh.rules.map(KnownRuleFacts.init), templates: nil)
        XCTAssertEqual(try entry(cache, folders).known.expressions.count, 0)
        XCTAssertEqual(
            everything(try RulePackLoader.load(directories: folders, cache: cache)),
            everything(fresh))
    }

    /// Stored trees are what a hit uses (the proof the texts are not parsed again).
    func testStoredTreesAreWhatAHitUses() throws {
        let folders = [Repo.rules]
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-expr"))
        let fresh = try RulePackLoader.load(directories: folders, cache: cache)
        let stored = try entry(cache, folders)
        let known = stored.known.expressions
        let marked = try XCTUnwrap(
            KnownExpressions(nodes: known.nodes, sources: known.sources, trees: known.trees.map { _ in .string("marked") }))
        try forge(
            cache, folders, rules: fresh.rules.map(KnownRuleFacts.init), templates: fresh.templates.templates, expressions: marked)
        let hit = try RulePackLoader.load(directories: folders, cache: cache)
        XCTAssertTrue(everything(hit).contains("marked"))
        XCTAssertNotEqual(everything(hit), everything(fresh))
    }
}

/// `StatementPattern` splits its pattern on scalars where that is exact; other patterns as before.
final class StatementPatternFragmentsTests: XCTestCase {
    func assertAsBefore(_ p: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            StatementPattern.fragments(of: p).map { $0.map { String(String.UnicodeScalarView($0)) } },
            StatementPattern.fragmentsByCharacters(of: p).map { $0.map { String(String.UnicodeScalarView($0)) } },
            p.debugDescription, file: file, line: line)
    }

    func testFragmentsAreThoseOfTheCharacterSplit() throws {
        for p in [
            "", "…", "||", "所有|全部…申请…办结|办理完成", "未收到…申请", "a……b", "|a|…|", "e\u{301}…x", "…\u{301}a", "|\u{301}b", "a\r\n|b",
            "全角！…（", "\u{200D}…|", "👍…👍🏽|x",
        ] {
            assertAsBefore(p)
        }
        var compared = 0
        for folders in RuleBuildingFastPathTests.folderSets {
            for rule in try RulePackLoader.load(directories: folders).rules {
                guard let facts = rule.kind as? FactsKind else { continue }
                for p in facts.patterns {
                    assertAsBefore(
                        p.fragments.map { $0.map { String(String.UnicodeScalarView($0)) }.joined(separator: "|") }.joined(separator: "…"))
                }
                compared += facts.patterns.count
            }
            for folder in folders {
                for f in try RulePackLoader.ruleFiles(in: folder) {
                    for line in try String(contentsOfFile: f, encoding: .utf8).split(separator: "\n") { assertAsBefore(String(line)) }
                }
            }
        }
        XCTAssertGreaterThan(compared, 3)
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab …|申请。\u{301}\u{200D}\r\n\u{2026}\u{3099}é👍🏽\u{FE0F}")
        for _ in 0..<4000 {
            let n = Int.random(in: 0..<12, using: &rng)
            assertAsBefore(String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
        }
    }
}
