import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The shortcuts of building rules from parsed YAML (what a warm cache run does at start-up), each against the
/// code it replaces: same texts, same nodes, same errors.
final class RuleBuildingFastPathTests: XCTestCase {
    /// The rule folders compared (the bundled pack alone, and with the province example pack on top).
    static let folderSets = RuleLoadingCacheTests.folderSets

    /// Every document of the bundled rules, the province example pack and the YAML files of the tests.
    func documents() throws -> [YNode] {
        var texts: [(String, String)] = []
        for folders in Self.folderSets {
            for folder in folders {
                for f in try RulePackLoader.ruleFiles(in: folder) { texts.append((f, try String(contentsOfFile: f, encoding: .utf8))) }
            }
        }
        for f in try FlatYAMLTests.yamlFiles() { texts.append((f, try String(contentsOfFile: f, encoding: .utf8))) }
        for (i, t) in FlatYAMLTests.edgeDocuments.enumerated() { texts.append(("edge\(i).yml", t)) }
        return texts.compactMap { f, t in (try? YNode.parse(t, file: f)) ?? nil }
    }

    /// Every node below `n`, `n` first.
    func allNodes(_ n: YNode) -> [YNode] {
        var out = [n]
        for i in n.items { out += allNodes(i) }
        for p in n.pairs { out += allNodes(p.key) + allNodes(p.value) }
        return out
    }

    func outcome<T>(_ f: () throws -> T) -> String {
        do { return "\(try f())" } catch { return "error: \(error)" }
    }

    // MARK: - Expressions

    func testFunctionNamesAreThoseOfTheTypeTable() {
        XCTAssertEqual(ExpressionParser.functionNames, ExpressionTypes.functions.keys.sorted())
        XCTAssertEqual(ExpressionParser.functions, Set(ExpressionTypes.functions.keys))
        XCTAssertThrowsError(try ExpressionParser.parse("nosuch(1)")) { error in
            let message = (error as? ExpressionError)?.message ?? ""
            XCTAssertTrue(message.hasSuffix("available: \(ExpressionTypes.functions.keys.sorted().joined(separator: ", "))"), message)
        }
        for name in ExpressionParser.functionNames {
            XCTAssertNoThrow(try ExpressionParser.parse("\(name)(1)"), name)
        }
    }

    /// `ExpressionParser.lexCharacters` as it was written with `String(chars[range])`.
    static func referenceLexCharacters(_ s: String) throws -> [(ExpressionParser.Tok, Int)] {
        let chars = Array(s)
        var out: [(ExpressionParser.Tok, Int)] = []
        var i = 0
        func isIdentStart(_ c: Character) -> Bool { c == "_" || c.isLetter }
        func isIdent(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isASCII && c.isNumber {
                var j = i
                while j < chars.count, (chars[j].isASCII && chars[j].isNumber) || chars[j] == "." {
                    if chars[j] == ".", j + 1 < chars.count, !(chars[j + 1].isASCII && chars[j + 1].isNumber) { break }
                    j += 1
                }
                guard let d = OGIModel.ExactDecimal.parse(String(chars[i..<j])) else {
                    throw ExpressionError(offset: i, message: "'\(String(chars[i..<j]))' is not a number")
                }
                out.append((.num(d), start)); i = j; continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                var str = ""
                while j < chars.count, chars[j] != c { str.append(chars[j]); j += 1 }
                guard j < chars.count else { throw ExpressionError(offset: i, message: "unterminated string") }
                out.append((.str(str), start)); i = j + 1; continue
            }
            if c == "$" {
                var j = i + 1
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                guard j > i + 1 else { throw ExpressionError(offset: i, message: "'$' must be followed by a variable name, e.g. $col") }
                out.append((.variable(String(chars[(i + 1)..<j])), start)); i = j; continue
            }
            if isIdentStart(c) {
                var j = i
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                out.append((.ident(String(chars[i..<j])), start)); i = j; continue
            }
            let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
            if ["==", "!=", "<=", ">="].contains(two) { out.append((.op(two), start)); i += 2; continue }
            switch c {
            case "<", ">", "+", "-", "*", "/": out.append((.op(String(c)), start))
            case "(": out.append((.lparen, start))
            case ")": out.append((.rparen, start))
            case "[": out.append((.lbracket, start))
            case "]": out.append((.rbracket, start))
            case ",": out.append((.comma, start))
            case ".": out.append((.dot, start))
            case "=": throw ExpressionError(offset: i, message: "'=' is not an operator; use '==' to compare")
            default: throw ExpressionError(offset: i, message: "unexpected character '\(c)'")
            }
            i += 1
        }
        out.append((.end, chars.count))
        return out
    }

    func lexed(_ lex: () throws -> [(ExpressionParser.Tok, Int)]) -> String {
        do { return try lex().map { "\($0.0)@\($0.1)" }.joined(separator: " ") } catch let e as ExpressionError {
            return "error@\(e.offset): \(e.message)"
        } catch { return "other error: \(error)" }
    }

    func assertLexedAsBefore(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            lexed { try ExpressionParser.lexCharacters(s) }, lexed { try Self.referenceLexCharacters(s) }, s.debugDescription,
            file: file, line: line)
    }

    func testTheCharacterLexerGivesTheTokensItGaveBefore() throws {
        for s in [
            "", "表格 == 1", "$行 + x", "a == '中文'", "e\u{301}x.y1 >= 12.5", "１２ + 3", "x\r\n== 1", "👍🏽 == a", "$", "a ≠ b",
            "名称_1.列[$col] != null", "\u{212A}elvin <= 2", "'unterminated 中", "3..4 + 文",
        ] {
            assertLexedAsBefore(s)
        }
        // Every line of every rule file (the non-ASCII ones take this lexer), cut after its first colon.
        var compared = 0
        for folders in Self.folderSets {
            for folder in folders {
                for f in try RulePackLoader.ruleFiles(in: folder) {
                    for line in try String(contentsOfFile: f, encoding: .utf8).split(separator: "\n") {
                        assertLexedAsBefore(String(line))
                        if let colon = line.firstIndex(of: ":") { assertLexedAsBefore(String(line[line.index(after: colon)...])) }
                        compared += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab_09.$\"' =!<>+-*/()[],#\t\n\r中文表１é\u{301}👍🏽\u{212A}")
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<14, using: &rng)
            assertLexedAsBefore(String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
        }
    }

    // MARK: - YAML field access

    /// `YNode.stringList` as it was written (through `list` and a `YNode` per item).
    func referenceStringList(_ n: YNode, _ what: String) throws -> [String] {
        if let s = n.scalarText { return [s] }
        return try n.list(what).map { try $0.string(what) }
    }

    func testStringListsAreAsBefore() throws {
        var compared = 0
        for doc in try documents() {
            for n in allNodes(doc) {
                XCTAssertEqual(outcome { try n.stringList("x") }, outcome { try referenceStringList(n, "x") }, "\(n.file):\(n.line)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
    }

    func testFieldLookupsAreThoseOfTheFirstAllowedSlot() throws {
        var compared = 0
        for doc in try documents() {
            for n in allNodes(doc) where n.isMapping {
                let keys = n.keyTexts
                // The mapping's own keys (so every lookup has a value), with a duplicate, a near miss and an absent key.
                var allowed = keys + ["absent"] + keys.prefix(1) + keys.map { $0 + "x" }
                allowed += RuleParser.commonKeys.filter { !allowed.contains($0) }
                guard let fields = try? n.mapping(allowed: allowed, what: "test") else { continue }
                for key in allowed + ["", "K", "\u{212A}"] {
                    // The value of the key's first allowed slot, as the dictionary-like lookup did before.
                    let expected = allowed.firstIndex(of: key).flatMap { fields.values[$0] >= 0 ? fields.values[$0] : nil }
                    XCTAssertEqual(fields[key]?.index, expected, "\(n.file):\(n.line) \(key)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 5_000)
    }

    // MARK: - Kinds

    func testStatementFragmentTextsAreTheirScalars() throws {
        var compared = 0
        for folders in Self.folderSets {
            for rule in try RulePackLoader.load(directories: folders).rules {
                guard let facts = rule.kind as? FactsKind else { continue }
                let expected = facts.patterns.map { $0.fragments.map { $0.map { String(String.UnicodeScalarView($0)) } } }
                XCTAssertEqual(facts.fragmentTexts, expected, rule.id)
                compared += facts.patterns.count
            }
        }
        XCTAssertGreaterThan(compared, 3)
    }
}

/// `WordsMatcher` cuts its words at "…" without Foundation where that is exact.
final class WordsFragmentsTests: XCTestCase {
    func assertFragmentsAsFoundation(_ word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            WordsMatcher.fragments(of: word), word.components(separatedBy: "…").filter { !$0.isEmpty }, word.debugDescription,
            file: file, line: line)
    }

    func testFragmentsAreFoundationsComponents() throws {
        for w in [
            "", "…", "……", "收到…申请", "…办结$", "a…b…", "所有|全部…申请…办结|办理完成", "e\u{301}…x", "…\u{301}a", "a\r\n…b",
            "全角！…（", "tab\t…line\n", "👍…👍🏽", "\u{212A}…K",
        ] {
            assertFragmentsAsFoundation(w)
        }
        // Every scalar text of the bundled and example packs (label words, sentences, patterns among them).
        var compared = 0
        for folders in RuleBuildingFastPathTests.folderSets {
            for folder in folders {
                for f in try RulePackLoader.ruleFiles(in: folder) {
                    for line in try String(contentsOfFile: f, encoding: .utf8).split(separator: "\n") {
                        assertFragmentsAsFoundation(String(line))
                        compared += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab …|$申请\u{301}\r\n\u{2026}\u{2025}é👍🏽")
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<12, using: &rng)
            assertFragmentsAsFoundation(String((0..<n).map { _ in alphabet.randomElement(using: &rng)! }))
        }
    }
}

/// A cache entry also keeps what the validated load derived for each rule (its templates, whether it reads last
/// year's report), so a trusted hit does not derive it again: the rule set is the same with or without it, it is
/// only used for the rule it was derived for, and a damaged one is never read.
final class KnownRuleFactsCacheTests: XCTestCase, RuleCacheTesting {
    func testAMissStoresEveryRulesFactsAndAHitGivesTheSameRuleSet() throws {
        for folders in RuleBuildingFastPathTests.folderSets {
            let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-facts"))
            let fresh = try RulePackLoader.load(directories: folders)
            _ = try RulePackLoader.load(directories: folders, cache: cache)
            let stored = try entry(cache, folders)
            XCTAssertEqual(stored.known.rules, fresh.rules.map(KnownRuleFacts.init), "\(folders)")
            XCTAssertTrue(stored.known.rules.contains { $0.needsPrevious }, "the facts cover rules reading last year's report")
            XCTAssertTrue(stored.known.rules.contains { $0.templates.count == 1 }, "and rules of one template only")
            XCTAssertEqual(stored.known.templates, fresh.templates.templates, "\(folders)")
            XCTAssertGreaterThan(fresh.templates.templates.count, 1)
            XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh), "\(folders)")
        }
    }

    func testTemplatesReadBackAsWritten() throws {
        var all = try RulePackLoader.load(directories: [Repo.rules]).templates.templates
        // Fields the bundled templates leave empty or never use: negative and absent years, units, references.
        all.append(
            Template(
                id: "x", title: "", reference: "r", fromYear: -5, toYear: nil, markers: [],
                tables: [
                    TableSpec(
                        key: "k", title: "中", part: "p", group: "g", anchors: ["a"],
                        columns: [ColumnSpec(key: "c", label: "l", variants: [], kind: .amount, unit: "万元")],
                        rows: [RowSpec(key: "r", label: "", variants: ["v"], nonstandard: ["n"], unlabeled: true)], reference: nil)
                ]))
        var w = TreeEncoder()
        w.templates(all)
        let back = w.bytes.withUnsafeBufferPointer { b -> [Template]? in
            var d = TreeDecoder(bytes: b)
            let t = d.templates()
            return d.atEnd ? t : nil
        }
        XCTAssertEqual(back, all)
        for cut in stride(from: 0, to: w.bytes.count, by: max(1, w.bytes.count / 300)) {
            let part = Array(w.bytes.prefix(cut))
            XCTAssertNil(
                part.withUnsafeBufferPointer { b -> [Template]? in
                    var d = TreeDecoder(bytes: b)
                    return d.templates()
                }, "cut at \(cut)")
        }
    }

    func testTemplatesAreTakenFromTheEntry() throws {
        let folders = [Repo.rules]
        let fresh = try RulePackLoader.load(directories: folders)
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-facts"))
        var marked = fresh.templates.templates
        marked[0].title = "a title the entry made up"
        try forge(cache, folders, rules: fresh.rules.map(KnownRuleFacts.init), templates: marked)
        XCTAssertEqual(try RulePackLoader.load(directories: folders, cache: cache).templates.templates, marked)
        try forge(cache, folders, rules: fresh.rules.map(KnownRuleFacts.init), templates: nil)
        XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh))
    }

    func testAnEntryWithoutFactsGivesTheSameRuleSet() throws {
        for folders in RuleBuildingFastPathTests.folderSets {
            let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-facts"))
            try forge(cache, folders, rules: [])
            XCTAssertEqual(
                everything(try RulePackLoader.load(directories: folders, cache: cache)),
                everything(try RulePackLoader.load(directories: folders)))
        }
    }

    /// Facts are trusted like the trees (only a validated load stores them), but only for the rule they name:
    /// shifted by one, none matches its rule and every rule is derived again.
    func testFactsAreUsedOnlyForTheRuleTheyName() throws {
        let folders = [Repo.rules]
        let fresh = try RulePackLoader.load(directories: folders)
        let facts = fresh.rules.map(KnownRuleFacts.init)
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-facts"))
        try forge(cache, folders, rules: Array(facts.dropFirst()))
        XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), everything(fresh))
        // Facts that name the right rules are what a hit uses (the proof they are not derived again).
        var marked = facts
        marked[0].templates = ["a template the facts made up"]
        marked[1].needsPrevious.toggle()
        try forge(cache, folders, rules: marked)
        let hit = try RulePackLoader.load(directories: folders, cache: cache)
        XCTAssertEqual(hit.rules[0].templates, ["a template the facts made up"])
        XCTAssertEqual(hit.rules[1].needsPrevious, !fresh.rules[1].needsPrevious)
        XCTAssertEqual(hit.rules.count, fresh.rules.count)
    }

    func testDamagedFactsAreNeverRead() throws {
        let folders = [Repo.rules]
        let cache = ParsedRulesCache(directory: try temporaryFolder("ogilint-facts"))
        let expected = everything(try RulePackLoader.load(directories: folders, cache: cache))
        let path = try XCTUnwrap(cache.entryPath(files: try files(folders)))
        let good = try XCTUnwrap(FileManager.default.contents(atPath: path))
        // The facts follow the header (format, key, count): damage bytes there, keeping or cutting the checksum.
        let header = ParsedRulesCache.format.utf8.count + 40
        var flipped = [UInt8](good)
        for i in stride(from: header, to: min(header + 400, flipped.count), by: 7) { flipped[i] ^= 0x5a }
        for bad in [Data(flipped), good.prefix(header + 200)] {
            try bad.write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(everything(try RulePackLoader.load(directories: folders, cache: cache)), expected)
            XCTAssertEqual(FileManager.default.contents(atPath: path), good, "the entry is written again")
        }
        // Facts whose bytes end early do not read, even with a checksum that matches them.
        var r = TreeEncoder()
        r.ruleFacts([KnownRuleFacts(id: "A-B", templates: ["t"], needsPrevious: true)])
        let cut = Array(r.bytes.dropLast())
        let decoded = cut.withUnsafeBufferPointer { b -> [KnownRuleFacts]? in
            var d = TreeDecoder(bytes: b)
            return d.ruleFacts()
        }
        XCTAssertNil(decoded)
        let whole = r.bytes.withUnsafeBufferPointer { b -> [KnownRuleFacts]? in
            var d = TreeDecoder(bytes: b)
            return d.ruleFacts()
        }
        XCTAssertEqual(whole, [KnownRuleFacts(id: "A-B", templates: ["t"], needsPrevious: true)])
    }
}
