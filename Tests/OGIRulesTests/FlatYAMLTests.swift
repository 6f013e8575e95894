import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The flat node table that rules are built from (fresh parse and cache hit alike) holds exactly the parsed
/// trees, its key lookups agree with the dictionary and first-match lookups they replace, and no byte string
/// makes its reader crash.
final class FlatYAMLTests: XCTestCase {
    /// Every YAML file of the repository the loader or the configuration reads, and the fuzz seeds.
    static func yamlFiles() throws -> [String] {
        var files: [String] = []
        for folder in ["rules", "samples", "Fuzz/seeds", "Tests"] {
            guard let e = FileManager.default.enumerator(atPath: Repo.path(folder)) else { continue }
            for case let rel as String in e where rel.hasSuffix(".yml") || rel.hasSuffix(".yaml") {
                files.append(Repo.path(folder) + "/" + rel)
            }
        }
        return files.sorted()
    }

    /// A tree as text, tags included (`yamlShape` leaves them out).
    func shape(_ v: YAMLValue) -> String {
        switch v {
        case .scalar(let s): return "S(\(s.string)|\(s.style.rawValue)|\(s.tag ?? "-")@\(s.mark.line):\(s.mark.column))"
        case .sequence(let l): return "L@\(l.mark.line):\(l.mark.column)[" + l.map(shape).joined(separator: ",") + "]"
        case .mapping(let m):
            return "M@\(m.mark.line):\(m.mark.column){" + m.map { shape($0.key) + "=" + shape($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// The same tree read through the table's accessors (kinds, texts, styles, positions, items, pairs).
    func shape(_ n: YNode) -> String {
        let at = "@\(n.line):\(n.column)"
        if let s = n.scalarText { return "S(\(s)|\(n.scalarStyle!.rawValue)\(at))" }
        if n.isSequence { return "L\(at)[" + n.items.map(shape).joined(separator: ",") + "]" }
        XCTAssertTrue(n.isMapping)
        return "M\(at){" + n.pairs.map { shape($0.key) + "=" + shape($0.value) }.joined(separator: ",") + "}"
    }

    /// Documents the rule files never have: empty containers at every depth, tags, aliases, deep nesting.
    static let edgeDocuments: [String] = [
        "", "# only a comment\n", "x", "[]", "{}", "- []\n- {}\n- [[], {a: []}]\n- x\n",
        "a: {}\nb: []\nc: {d: {e: []}}\nf: ''\n", "!!int 1: a\n'1': b\n!custom k: v\n", "a: &x [1, {b: *x}]\nc: *x\nd: *x\n",
        "k: |\n  line 1\n  line 2\n", "k: >\n  folded\n  text\n", "\"双\": '单'\n中文键: 值\n",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        String(repeating: "- ", count: 120) + "x\n",
    ]

    func testTheTableHoldsExactlyTheParsedTrees() throws {
        let files = try Self.yamlFiles()
        XCTAssertGreaterThan(files.count, 15)
        var texts = Self.edgeDocuments
        for f in files { texts.append(try String(contentsOfFile: f, encoding: .utf8)) }
        var trees: [YAMLValue?] = []
        for t in texts {
            guard let tree = try? YAMLEventReader.document(t) else { continue }
            trees.append(tree)
        }
        XCTAssertGreaterThan(trees.count, files.count)
        // One document at a time and all in one table (as the loader and the cache read them).
        for tree in trees {
            let (table, roots, _) = try XCTUnwrap(FlatYAML.of([tree]))
            XCTAssertEqual(roots.count, 1)
            XCTAssertEqual(roots[0].map { shape(table.value($0)) }, tree.map(shape))
        }
        let (table, roots, encoded) = try XCTUnwrap(FlatYAML.of(trees))
        XCTAssertEqual(roots.count, trees.count)
        for (r, tree) in zip(roots, trees) {
            XCTAssertEqual(r.map { shape(table.value($0)) }, tree.map(shape))
            if let r, let tree {
                XCTAssertEqual(shape(YNode(table: table, index: r, file: "f.yml")), yamlShape(tree))
            }
        }
        XCTAssertEqual(table.nodes.count, trees.compactMap { $0 }.map(Self.count).reduce(0, +), "one record per node")
        // Reading the encoding again gives the same records.
        let again = try XCTUnwrap(FlatYAML.decode(encoded, range: 0..<encoded.count, count: trees.count))
        XCTAssertEqual(again.roots, roots)
        XCTAssertEqual(again.table.nodes.map(Self.record), table.nodes.map(Self.record))
    }

    static func count(_ v: YAMLValue) -> Int {
        switch v {
        case .scalar: 1
        case .sequence(let l): 1 + l.items.map(count).reduce(0, +)
        case .mapping(let m): 1 + m.pairs.map { count($0.key) + count($0.value) }.reduce(0, +)
        }
    }

    static func record(_ n: FlatYAML.Node) -> [Int] { [Int(n.kind), Int(n.style), Int(n.line), Int(n.column), n.a, n.b] }

    /// `YFields` answers as the dictionary `mapping(allowed:what:)` returned (the last pair with a key), and
    /// `firstValue(forKey:)` as `YAMLValue.Mapping`'s subscript (the first), for every key of every mapping.
    func testKeyLookupsAgreeWithTheDictionaryAndTheFirstMatch() throws {
        var texts = Self.edgeDocuments
        for f in try Self.yamlFiles() { texts.append(try String(contentsOfFile: f, encoding: .utf8)) }
        var checked = 0
        for text in texts {
            guard let root = try? YNode.parse(text, file: "f.yml") else { continue }
            var stack = [root]
            while let n = stack.popLast() {
                stack += n.items + n.pairs.flatMap { [$0.key, $0.value] }
                guard n.isMapping, case let .mapping(m) = n.value else { continue }
                var dictionary: [String: YAMLValue] = [:]
                for (k, v) in m { dictionary[k.string ?? ""] = v }
                let keys = Set(m.keys.compactMap(\.string))
                let fields = try n.mapping(allowed: Array(keys) + [""], what: "a test")
                for key in keys.union(["no-such-key", "id"]) {
                    XCTAssertEqual(fields[key].map { yamlShape($0.value) }, dictionary[key].map(yamlShape), key)
                    XCTAssertEqual(n.firstValue(forKey: key).map { yamlShape($0.value) }, m[key].map(yamlShape), key)
                    XCTAssertEqual(n.hasKey(key), m.keys.compactMap(\.string).contains(key), key)
                    checked += 1
                }
                XCTAssertEqual(n.keyTexts, m.keys.compactMap(\.string))
            }
        }
        XCTAssertGreaterThan(checked, 1_000)
    }

    /// An unknown key is reported at the key, with the same message as before.
    func testAnUnknownKeyIsReportedAtTheKey() throws {
        let n = try XCTUnwrap(YNode.parse("a: 1\nkindd: x\n", file: "f.yml"))
        XCTAssertThrowsError(try n.mapping(allowed: ["a", "kind"], what: "a rule")) { error in
            XCTAssertEqual(
                "\(error)",
                "\(RulePackError.invalid(file: "f.yml", line: 2, column: 1, problem: "unknown key 'kindd' in a rule; expected one of: a, kind (did you mean 'kind'?)"))"
            )
        }
        let list = try XCTUnwrap(YNode.parse("[1]", file: "f.yml"))
        XCTAssertThrowsError(try list.mapping(allowed: ["a"], what: "a rule")) { error in
            XCTAssertTrue("\(error)".contains("expected a mapping (key: value) for a rule, found a list"), "\(error)")
        }
    }

    /// Truncated, flipped and random bytes give nil or some table, never a crash or a read out of bounds.
    func testDamagedBytesNeverCrashTheReader() throws {
        let trees = try Self.yamlFiles().prefix(6).map { try YAMLEventReader.document(String(contentsOfFile: $0, encoding: .utf8)) }
        let encoded = try XCTUnwrap(FlatYAML.of(trees)).encoded
        var random = SplitMix(seed: 11)
        var decoded = 0
        for i in 0..<1_000 {
            var bytes = encoded
            switch i % 3 {
            case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
            case 1:
                for _ in 0..<(1 + i % 5) { bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
            default: bytes = (0..<(i % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            guard let (table, roots) = FlatYAML.decode(bytes, range: 0..<bytes.count, count: trees.count) else { continue }
            decoded += 1
            // Whatever was read can be walked: every text is in the buffer, every subtree inside the table.
            for r in roots.compactMap({ $0 }) { _ = table.value(r) }
        }
        XCTAssertLessThan(decoded, 1_000)
    }
}
