import Foundation
import OGIModel

/// The expression trees a validated load parsed, each with its source text and the place of that text's node in
/// the rule set's `FlatYAML` table. Stored in a `ParsedRulesCache` entry, so a trusted hit of the same bytes takes
/// the tree instead of lexing and parsing the text again. A tree is used only for a node whose text is exactly
/// its source (parsing depends on the text alone), so a tree is never applied to another expression.
final class KnownExpressions {
    /// Node indices, ascending once `sorted()` has run (lookups need that).
    private(set) var nodes: [Int] = []
    private(set) var sources: [String] = []
    private(set) var trees: [Expr] = []

    init() {}

    /// Entries as read from an entry (`nodes` ascending).
    init?(nodes: [Int], sources: [String], trees: [Expr]) {
        guard nodes.count == sources.count, nodes.count == trees.count else { return nil }
        for i in nodes.indices.dropFirst() where nodes[i - 1] >= nodes[i] { return nil }
        self.nodes = nodes; self.sources = sources; self.trees = trees
    }

    var count: Int { nodes.count }

    /// Keeps what a validated load parsed from `source` at `node`, when the tree can be written exactly.
    func record(node: Int, source: String, tree: Expr) {
        guard Self.encodable(tree, depth: 0) else { return }
        nodes.append(node); sources.append(source); trees.append(tree)
    }

    /// The entries ordered by node, one per node.
    func sorted() -> KnownExpressions {
        let order = nodes.indices.sorted { nodes[$0] < nodes[$1] }
        let out = KnownExpressions()
        for i in order where out.nodes.last != nodes[i] {
            out.nodes.append(nodes[i]); out.sources.append(sources[i]); out.trees.append(trees[i])
        }
        return out
    }

    /// The tree parsed from the scalar at `node`, when one was kept for it and the text is the same.
    func tree(at node: Int, in table: FlatYAML) -> Expr? {
        var lo = 0, hi = nodes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if nodes[mid] < node { lo = mid + 1 } else { hi = mid }
        }
        guard lo < nodes.count, nodes[lo] == node, table.text(node, equals: sources[lo]) else { return nil }
        return trees[lo]
    }

    /// Deepest tree kept: no tree has more levels than tokens, so none that parsed is refused.
    static let maxDepth = ExpressionParser.maxTokens

    /// True when every number of the tree reads back from its written form bit for bit (so the tree written and
    /// read is the very tree parsed) and it is no deeper than `maxDepth`.
    static func encodable(_ e: Expr, depth: Int) -> Bool {
        guard depth <= maxDepth else { return false }
        let d = depth + 1
        switch e {
        case .number(let d):
            guard let back = ExactDecimal.parse(ExactDecimal.format(d)) else { return false }
            return withUnsafeBytes(of: d) { a in withUnsafeBytes(of: back) { b in a.elementsEqual(b) } }
        case .string, .null, .bool: return true
        case .path(let segments):
            return segments.allSatisfy {
                if case .index(let i) = $0 { return encodable(i, depth: d) }
                return true
            }
        case .call(_, let args): return args.allSatisfy { encodable($0, depth: d) }
        case .unary(_, let a): return encodable(a, depth: d)
        case .binary(_, let a, let b): return encodable(a, depth: d) && encodable(b, depth: d)
        }
    }
}

extension TreeEncoder {
    /// The known expressions: their number, then per entry the node, the source and the tree.
    mutating func knownExpressions(_ known: KnownExpressions) {
        int(known.count)
        for i in 0..<known.count {
            int(known.nodes[i]); string(known.sources[i]); expression(known.trees[i])
        }
    }

    /// A tree: a kind byte, then its parts (numbers as `ExactDecimal.format` text).
    mutating func expression(_ e: Expr) {
        switch e {
        case .number(let d): byte(0); string(ExactDecimal.format(d))
        case .string(let s): byte(1); string(s)
        case .null: byte(2)
        case .bool(let b): byte(b ? 4 : 3)
        case .path(let segments):
            byte(5); int(segments.count)
            for s in segments {
                switch s {
                case .name(let n): byte(0); string(n)
                case .variable(let v): byte(1); string(v)
                case .index(let i): byte(2); expression(i)
                }
            }
        case .call(let name, let args):
            byte(6); string(name); int(args.count)
            for a in args { expression(a) }
        case .unary(let op, let a): byte(7); string(op); expression(a)
        case .binary(let op, let a, let b): byte(8); string(op); expression(a); expression(b)
        }
    }
}

extension TreeDecoder {
    /// What `TreeEncoder.knownExpressions` wrote; nil when the bytes are not that.
    mutating func knownExpressions() -> KnownExpressions? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var nodes: [Int] = [], sources: [String] = [], trees: [Expr] = []
        nodes.reserveCapacity(count); sources.reserveCapacity(count); trees.reserveCapacity(count)
        for _ in 0..<count {
            guard let node = int(), let source = string(), let tree = expression(depth: 0) else { return nil }
            nodes.append(node); sources.append(source); trees.append(tree)
        }
        return KnownExpressions(nodes: nodes, sources: sources, trees: trees)
    }

    /// One tree; nil for malformed bytes or nesting deeper than the parser allows.
    mutating func expression(depth: Int) -> Expr? {
        guard depth <= KnownExpressions.maxDepth, let kind = byte() else { return nil }
        switch kind {
        case 0:
            guard let text = string(), let d = ExactDecimal.parse(text) else { return nil }
            return .number(d)
        case 1: return string().map(Expr.string)
        case 2: return .null
        case 3: return .bool(false)
        case 4: return .bool(true)
        case 5:
            guard let n = int(), n <= bytes.count - offset else { return nil }
            var segments: [Expr.PathSegment] = []
            segments.reserveCapacity(n)
            for _ in 0..<n {
                switch byte() {
                case 0:
                    guard let s = string() else { return nil }
                    segments.append(.name(s))
                case 1:
                    guard let s = string() else { return nil }
                    segments.append(.variable(s))
                case 2:
                    guard let i = expression(depth: depth + 1) else { return nil }
                    segments.append(.index(i))
                default: return nil
                }
            }
            return .path(segments)
        case 6:
            guard let name = string(), let n = int(), n <= bytes.count - offset else { return nil }
            var args: [Expr] = []
            args.reserveCapacity(n)
            for _ in 0..<n {
                guard let a = expression(depth: depth + 1) else { return nil }
                args.append(a)
            }
            return .call(name, args)
        case 7:
            guard let op = string(), let a = expression(depth: depth + 1) else { return nil }
            return .unary(op, a)
        case 8:
            guard let op = string(), let a = expression(depth: depth + 1), let b = expression(depth: depth + 1) else { return nil }
            return .binary(op, a, b)
        default: return nil
        }
    }
}
