/// A YAML node with the file it came from, offering typed access that fails with file:line:column.
/// Public only so rule kinds can name it; its members are internal. It is a place in a `FlatYAML` table: texts
/// become strings only when asked for.
public struct YNode: Sendable {
    let table: FlatYAML
    let index: Int
    let file: String

    init(table: FlatYAML, index: Int, file: String) {
        self.table = table; self.index = index; self.file = file
    }

    private var record: FlatYAML.Node { table.nodes[index] }
    var line: Int { Int(record.line) }
    var column: Int { Int(record.column) }

    var isScalar: Bool { record.kind <= 1 }
    var isSequence: Bool { record.kind == 2 }
    var isMapping: Bool { record.kind == 3 }

    /// The text of a scalar; nil for a sequence or mapping.
    var scalarText: String? { isScalar ? table.text(index) : nil }

    /// How a scalar was written; nil for a sequence or mapping.
    var scalarStyle: YAMLValue.Scalar.Style? { isScalar ? YAMLValue.Scalar.Style(rawValue: UInt32(record.style)) : nil }

    /// The node as a `YAMLValue` tree.
    var value: YAMLValue { table.value(index) }

    /// The items of a sequence (none for a scalar or mapping).
    var items: [YNode] { isSequence ? table.items(index).map { YNode(table: table, index: $0, file: file) } : [] }

    /// The pairs of a mapping in document order (none for a scalar or sequence).
    var pairs: [(key: YNode, value: YNode)] {
        guard isMapping else { return [] }
        let all = table.items(index)
        return stride(from: 0, to: all.count, by: 2).map {
            (YNode(table: table, index: all[$0], file: file), YNode(table: table, index: all[$0 + 1], file: file))
        }
    }

    /// The number of pairs of a mapping (0 for a scalar or sequence).
    var pairCount: Int { isMapping ? record.a : 0 }

    /// The texts of a mapping's scalar keys (none for a scalar or sequence).
    var keyTexts: [String] { pairs.compactMap(\.key.scalarText) }

    /// True when a mapping has a scalar key with exactly the bytes of `key`.
    func hasKey(_ key: String) -> Bool { firstValue(forKey: key) != nil }

    /// The value of a mapping's first pair whose key is the scalar `key` (nil for a scalar or sequence).
    func firstValue(forKey key: String) -> YNode? {
        guard isMapping else { return nil }
        // The pairs are walked in place (a key's record, then its value's subtree), without listing the items.
        var k = index + 1
        for _ in 0..<record.a {
            let value = k + table.size(k)
            if table.text(k, equals: key) { return YNode(table: table, index: value, file: file) }
            k = value + table.size(value)
        }
        return nil
    }

    func fail(_ problem: String) -> RulePackError {
        .invalid(file: file, line: line, column: column, problem: problem)
    }

    /// Parses a whole YAML document; a syntax error becomes `RulePackError.syntax`.
    static func parse(_ text: String, file: String) throws -> YNode? {
        guard let root = try tree(text, file: file) else { return nil }
        return try documents([root], files: [file])[0]
    }

    /// Parses a whole YAML document into a tree; a syntax error becomes `RulePackError.syntax`.
    static func tree(_ text: String, file: String) throws -> YAMLValue? {
        do {
            return try YAMLEventReader.document(text)
        } catch let error as YAMLSyntaxError {
            let problem = [error.context, error.problem].compactMap { $0 }.joined(separator: " ")
            switch error.kind {
            case .located(let mark):
                throw RulePackError.syntax(file: file, line: mark.line, column: mark.column, problem: problem)
            case .reader(let offset, let value):
                // The reader reports an offset: turn it into the line and column a user can go to.
                let (line, column) = offset.map { position(ofByte: $0, in: text) } ?? (1, 1)
                throw RulePackError.syntax(file: file, line: line, column: column, problem: "\(error.problem) (character code \(value))")
            case .other:
                throw RulePackError.syntax(file: file, line: 1, column: 1, problem: problem)
            }
        }
    }

    /// The nodes of parsed documents (nil for an empty one), read through one `FlatYAML` table, with its
    /// encoding (what a cache entry stores).
    static func documents(_ trees: [YAMLValue?], files: [String]) throws -> [YNode?] {
        try flatten(trees, files: files).nodes
    }

    static func flatten(_ trees: [YAMLValue?], files: [String]) throws -> (nodes: [YNode?], encoded: [UInt8]) {
        guard let (table, roots, encoded) = FlatYAML.of(trees) else {
            throw RulePackError.unreadable(
                path: files.first ?? "<rules>", reason: "a file is too large to read (more lines than ogilint counts)")
        }
        return (zip(roots, files).map { r, f in r.map { YNode(table: table, index: $0, file: f) } }, encoded)
    }

    /// 1-based line and column (in characters) of a UTF-8 byte offset.
    static func position(ofByte offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1, seen = 0
        for ch in text.unicodeScalars {
            if seen >= offset { break }
            seen += String(ch).utf8.count
            if ch == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The mapping's entries, after checking that every key is one of `allowed` (suggesting the closest on a typo).
    func mapping(allowed: [String], what: @autoclosure () -> String) throws -> YFields {
        guard isMapping else {
            throw fail("expected a mapping (key: value) for \(what()), found \(kindName)")
        }
        var values = [Int](repeating: -1, count: allowed.count)
        let all = table.items(index)
        for k in stride(from: 0, to: all.count, by: 2) {
            // A later pair with the same key replaces an earlier one, as in a dictionary. The key's bytes are
            // compared first, without making it a string: a byte-equal key is an equal one (an allowed list has no
            // two keys that are equal as strings); only a key no allowed one has the bytes of is compared as a
            // string (canonically equivalent spellings), as before.
            if let slot = allowed.firstIndex(where: { table.text(all[k], equals: $0) }) {
                values[slot] = all[k + 1]
                continue
            }
            let key = table.nodes[all[k]].kind <= 1 ? table.text(all[k]) : ""
            if let slot = allowed.firstIndex(of: key) {
                values[slot] = all[k + 1]
                continue
            }
            let kn = YNode(table: table, index: all[k], file: file)
            var msg = "unknown key '\(key)' in \(what()); expected one of: \(allowed.joined(separator: ", "))"
            if let near = YNode.closest(key, in: allowed) { msg += " (did you mean '\(near)'?)" }
            throw kn.fail(msg)
        }
        return YFields(table: table, file: file, allowed: allowed, values: values)
    }

    var kindName: String {
        if let s = scalarText { return "the scalar '\(s)'" }
        return isMapping ? "a mapping" : "a list"
    }

    func string(_ what: @autoclosure () -> String) throws -> String {
        guard let s = scalarText else { throw fail("expected text for \(what()), found \(kindName)") }
        return s
    }

    func int(_ what: String) throws -> Int {
        guard let s = scalarText, let v = Int(s) else {
            throw fail("expected a whole number for \(what), found \(kindName)")
        }
        return v
    }

    /// A whole number within `range` (a length a detector indexes text by, say), else a failure naming the range.
    func int(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        let v = try int(what)
        guard range.contains(v) else { throw fail("\(what) is a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return v
    }

    func bool(_ what: String) throws -> Bool {
        guard let s = scalarText else { throw fail("expected true or false for \(what), found \(kindName)") }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false for \(what), found '\(s)'")
        }
    }

    func list(_ what: String) throws -> [YNode] {
        guard isSequence else { throw fail("expected a list for \(what), found \(kindName)") }
        return items
    }

    /// A list of strings; a single scalar is accepted as a one-item list.
    func stringList(_ what: String) throws -> [String] {
        if let s = scalarText { return [s] }
        guard isSequence else { throw fail("expected a list for \(what), found \(kindName)") }
        // The items are read in place (a record, then the next after its subtree), without a `YNode` per item.
        var out: [String] = []
        out.reserveCapacity(record.a)
        var item = index + 1
        for _ in 0..<record.a {
            guard table.nodes[item].kind <= 1 else { return try items.map { try $0.string(what) } }
            out.append(table.text(item))
            item += table.size(item)
        }
        return out
    }

    func oneOf(_ allowed: [String], what: String) throws -> String {
        let s = try string(what)
        guard allowed.contains(s) else {
            var msg = "'\(s)' is not a valid \(what); expected one of: \(allowed.joined(separator: ", "))"
            if let near = YNode.closest(s, in: allowed) { msg += " (did you mean '\(near)'?)" }
            throw fail(msg)
        }
        return s
    }

    /// The allowed word nearest to `word` by edit distance, when it is close enough to be a typo.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(w, Array(c))
            if d <= max(2, c.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}

/// A mapping's entries by key, as `YNode.mapping(allowed:what:)` checked them: the value of each allowed key (the
/// last pair's, as in a dictionary filled in document order), found by the key's place among the allowed ones —
/// a rule has a dozen keys, so no dictionary is hashed and no node is visited again.
public struct YFields {
    let table: FlatYAML
    let file: String
    let allowed: [String]
    /// Per allowed key, the node index of its value, or -1.
    let values: [Int]

    /// Only the keys the mapping has are compared (a rule has a few of its dozen or more allowed keys): the
    /// first of them equal to `key` is the slot `allowed.firstIndex(of: key)` names, since a value is only ever
    /// stored at a key's first slot; a key the mapping lacks gives nil either way.
    subscript(_ key: String) -> YNode? {
        for slot in values.indices where values[slot] >= 0 && allowed[slot] == key {
            return YNode(table: table, index: values[slot], file: file)
        }
        return nil
    }
}
