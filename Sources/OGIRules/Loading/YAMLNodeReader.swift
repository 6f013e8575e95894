/// A YAML node with the file it came from, offering typed access that fails with file:line:column.
/// Public only so rule kinds can name it; its members are internal.
public struct YNode {
    let node: YAMLValue
    let file: String

    var line: Int { node.mark.line }
    var column: Int { node.mark.column }

    func fail(_ problem: String) -> RulePackError {
        .invalid(file: file, line: line, column: column, problem: problem)
    }

    /// Parses a whole YAML document; a syntax error becomes `RulePackError.syntax`.
    static func parse(_ text: String, file: String) throws -> YNode? {
        do {
            guard let n = try YAMLEventReader.document(text) else { return nil }
            return YNode(node: n, file: file)
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
    func mapping(allowed: [String], what: String) throws -> [String: YNode] {
        guard case let .mapping(m) = node else {
            throw fail("expected a mapping (key: value) for \(what), found \(kindName)")
        }
        var out: [String: YNode] = [:]
        for (k, v) in m {
            let key = k.string ?? ""
            if !allowed.contains(key) {
                let kn = YNode(node: k, file: file)
                var msg = "unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))"
                if let near = YNode.closest(key, in: allowed) { msg += " (did you mean '\(near)'?)" }
                throw kn.fail(msg)
            }
            out[key] = YNode(node: v, file: file)
        }
        return out
    }

    var kindName: String {
        switch node {
        case .scalar(let s): return "the scalar '\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    func string(_ what: String) throws -> String {
        guard case let .scalar(s) = node else { throw fail("expected text for \(what), found \(kindName)") }
        return s.string
    }

    func int(_ what: String) throws -> Int {
        guard case let .scalar(s) = node, let v = Int(s.string) else {
            throw fail("expected a whole number for \(what), found \(kindName)")
        }
        return v
    }

    func bool(_ what: String) throws -> Bool {
        guard case let .scalar(s) = node else { throw fail("expected true or false for \(what), found \(kindName)") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false for \(what), found '\(s.string)'")
        }
    }

    func list(_ what: String) throws -> [YNode] {
        guard case let .sequence(seq) = node else { throw fail("expected a list for \(what), found \(kindName)") }
        return seq.map { YNode(node: $0, file: file) }
    }

    /// A list of strings; a single scalar is accepted as a one-item list.
    func stringList(_ what: String) throws -> [String] {
        if case let .scalar(s) = node { return [s.string] }
        return try list(what).map { try $0.string(what) }
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
