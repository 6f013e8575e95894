import Foundation

/// YAML documents stored flat: one record per node in document order (a container's items follow it), over the
/// bytes the documents were encoded to (`TreeEncoder`), where every scalar's text stays until a rule asks for it.
///
/// A cached rule set is read into this table in one pass without building a tree of enums, arrays and strings
/// per node (and without freeing one afterwards); a freshly parsed one is encoded and read the same way, so
/// both give the same nodes. `YNode` reads it.
final class FlatYAML: Sendable {
    /// One node. For a scalar `a` and `b` are its text's offset and length in `bytes`; for a sequence or mapping
    /// `a` is the number of items (of pairs for a mapping) and `b` the number of records of the whole subtree.
    struct Node: Sendable {
        /// `TreeEncoder`'s kind byte: 0 scalar, 1 scalar with a tag (its text follows the scalar's), 2 sequence, 3 mapping.
        var kind: UInt8
        var style: UInt8
        var line: Int32
        var column: Int32
        var a: Int
        var b: Int
    }

    let bytes: [UInt8]
    let nodes: [Node]

    private init(bytes: [UInt8], nodes: [Node]) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// Reads `count` documents (each a presence byte, then the root) that fill `bytes[range]` exactly; the roots'
    /// node indices (nil for an empty document). Nil when the bytes are not such documents: a corrupt entry is
    /// never a crash. Iterative, so no nesting is too deep to read. The records are written straight into a list
    /// sized for the most nodes the bytes can hold (every record takes at least four bytes), with the open
    /// containers on a stack of the same bound: what `decodeByRecords` reads, without growing either per node.
    static func decode(_ bytes: [UInt8], range: Range<Int>, count: Int) -> (table: FlatYAML, roots: [Int?])? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, count >= 0 else { return nil }
        if range.isEmpty { return count == 0 ? (FlatYAML(bytes: bytes, nodes: []), []) : nil }
        var roots: [Int?] = []
        roots.reserveCapacity(count)
        let capacity = range.count / 4 + 1
        var ok = false
        let nodes = bytes.withUnsafeBufferPointer { all -> [Node] in
            let p = all.baseAddress!
            let end = range.upperBound
            // Per open container: its node index, then the items still to read.
            let open = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity)
            defer { open.deallocate() }
            return [Node](unsafeUninitializedCapacity: capacity) { buffer, made in
                var at = range.lowerBound
                var depth = 0
                for _ in 0..<count {
                    guard at < end else { return }
                    let present = p[at]
                    at += 1
                    if present == 0 {
                        roots.append(nil)
                        continue
                    }
                    roots.append(made)
                    repeat {
                        guard at < end, made < capacity else { return }
                        let kind = p[at]
                        at += 1
                        guard kind <= 3 else { return }
                        var style: UInt8 = 0
                        if kind <= 1 {
                            // `YAMLValue.Scalar.Style`'s raw values are 0 through 5.
                            guard at < end, p[at] <= 5 else { return }
                            style = p[at]
                            at += 1
                        }
                        guard let line = varint(p, &at, end), let column = varint(p, &at, end), let n = varint(p, &at, end),
                            n <= end - at
                        else { return }
                        if kind <= 1 {
                            // The text's length was read as `n`: its bytes follow, then a tag's.
                            buffer[made] = Node(
                                kind: kind, style: style, line: Int32(clamping: line), column: Int32(clamping: column), a: at, b: n)
                            made += 1
                            at += n
                            if kind == 1 {
                                guard let t = varint(p, &at, end), t <= end - at else { return }
                                at += t
                            }
                        } else {
                            buffer[made] = Node(
                                kind: kind, style: 0, line: Int32(clamping: line), column: Int32(clamping: column), a: n, b: 1)
                            made += 1
                            open[2 * depth] = made - 1
                            open[2 * depth + 1] = kind == 3 ? 2 * n : n
                            depth += 1
                        }
                        // A scalar or an empty container is complete; so is every container whose last item it was.
                        var complete = kind <= 1
                        if !complete, open[2 * depth - 1] == 0 {
                            depth -= 1
                            complete = true
                        }
                        while complete, depth > 0 {
                            open[2 * depth - 1] -= 1
                            guard open[2 * depth - 1] == 0 else { break }
                            depth -= 1
                            let done = open[2 * depth]
                            buffer[done].b = made - done
                        }
                    } while depth > 0
                }
                ok = at == end
            }
        }
        return ok ? (FlatYAML(bytes: bytes, nodes: nodes), roots) : nil
    }

    /// `TreeDecoder.int` on a pointer: a number of at most five 7-bit groups, nil past `end` or past five groups.
    @inline(__always)
    private static func varint(_ p: UnsafePointer<UInt8>, _ at: inout Int, _ end: Int) -> Int? {
        var v = 0
        var shift = 0
        while at < end {
            let b = p[at]
            at += 1
            v |= Int(b & 0x7f) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
            if shift > 28 { return nil }
        }
        return nil
    }

    /// `decode` record by record through `TreeDecoder`, growing the node list and a stack of open containers: the
    /// reference the tests compare `decode` with (same nodes, same roots, nil for the same bytes).
    static func decodeByRecords(_ bytes: [UInt8], range: Range<Int>, count: Int) -> (table: FlatYAML, roots: [Int?])? {
        var nodes: [Node] = []
        nodes.reserveCapacity(range.count / 8)
        var roots: [Int?] = []
        roots.reserveCapacity(count)
        let ok = bytes.withUnsafeBufferPointer { all -> Bool in
            var r = TreeDecoder(bytes: UnsafeBufferPointer(start: all.baseAddress, count: range.upperBound), offset: range.lowerBound)
            // Containers still reading items: (node index, items left to read).
            var open: [(index: Int, left: Int)] = []
            for _ in 0..<count {
                guard let present = r.byte() else { return false }
                if present == 0 { roots.append(nil); continue }
                roots.append(nodes.count)
                repeat {
                    guard let kind = r.byte(), kind <= 3 else { return false }
                    let style: UInt8
                    if kind <= 1 {
                        guard let s = r.byte(), YAMLValue.Scalar.Style(rawValue: UInt32(s)) != nil else { return false }
                        style = s
                    } else {
                        style = 0
                    }
                    guard let line = r.int(), let column = r.int(), let n = r.int() else { return false }
                    var node = Node(kind: kind, style: style, line: Int32(clamping: line), column: Int32(clamping: column), a: 0, b: 1)
                    if kind <= 1 {
                        // The text's length was read as `n`: its bytes follow.
                        guard n <= r.bytes.count - r.offset else { return false }
                        node.a = r.offset
                        node.b = n
                        r.offset += n
                        if kind == 1 {
                            guard let t = r.int(), t <= r.bytes.count - r.offset else { return false }
                            r.offset += t
                        }
                        nodes.append(node)
                    } else {
                        guard n <= r.bytes.count - r.offset else { return false }
                        node.a = n
                        nodes.append(node)
                        open.append((nodes.count - 1, kind == 3 ? 2 * n : n))
                    }
                    // A scalar or an empty container is complete; so is every container whose last item it was.
                    var complete = kind <= 1
                    if !complete, let last = open.last, last.left == 0 {
                        open.removeLast()
                        complete = true
                    }
                    while complete, !open.isEmpty {
                        open[open.count - 1].left -= 1
                        guard open[open.count - 1].left == 0 else { break }
                        let done = open.removeLast()
                        nodes[done.index].b = nodes.count - done.index
                    }
                } while !open.isEmpty
            }
            return r.offset == range.upperBound
        }
        return ok ? (FlatYAML(bytes: bytes, nodes: nodes), roots) : nil
    }

    /// Encodes parsed documents and reads them back: the table of a fresh parse, node for node what a cache
    /// entry of these documents gives, with the encoding (to store). Nil only for numbers beyond what the
    /// encoding reads back (a line past 2^35), which no file that can be read has.
    static func of(_ trees: [YAMLValue?]) -> (table: FlatYAML, roots: [Int?], encoded: [UInt8])? {
        var w = TreeEncoder()
        for t in trees { w.document(t) }
        guard let (table, roots) = decode(w.bytes, range: 0..<w.bytes.count, count: trees.count) else { return nil }
        return (table, roots, w.bytes)
    }

    /// The number of records of the subtree at `i` (1 for a scalar).
    @inline(__always) func size(_ i: Int) -> Int { nodes[i].kind >= 2 ? nodes[i].b : 1 }

    /// The text of the scalar at `i`.
    func text(_ i: Int) -> String {
        let n = nodes[i]
        guard n.b > 0 else { return "" }
        // A buffer from a start and a count, not a slice of the whole: the same bytes, without the `Slice` type
        // whose first use costs a search of the runtime's conformance records.
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(start: $0.baseAddress! + n.a, count: n.b), as: UTF8.self)
        }
    }

    /// True when the scalar at `i` has exactly the bytes of `key`.
    func text(_ i: Int, equals key: String) -> Bool {
        let n = nodes[i]
        guard n.kind <= 1, n.b == key.utf8.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            return key.withUTF8Bytes { kb in
                n.b == 0 || memcmp(all.baseAddress! + n.a, kb.baseAddress!, n.b) == 0
            }
        }
    }

    /// True when the node at `i` is a scalar whose text is ASCII.
    func isASCIIScalar(_ i: Int) -> Bool {
        let n = nodes[i]
        guard n.kind <= 1 else { return false }
        return bytes.withUnsafeBufferPointer { all in
            for j in n.a..<(n.a + n.b) where all[j] >= 0x80 { return false }
            return true
        }
    }

    /// The items of the container at `i` in order (keys and values alternating for a mapping).
    func items(_ i: Int) -> [Int] {
        let n = nodes[i]
        guard n.kind >= 2 else { return [] }
        let count = n.kind == 3 ? 2 * n.a : n.a
        var out: [Int] = []
        out.reserveCapacity(count)
        var j = i + 1
        for _ in 0..<count {
            out.append(j)
            j += size(j)
        }
        return out
    }

    /// The node at `i` as a `YAMLValue` tree (for tests and tools that want the tree).
    func value(_ i: Int) -> YAMLValue {
        let n = nodes[i]
        let mark = YAMLMark(line: Int(n.line), column: Int(n.column))
        switch n.kind {
        case 0, 1:
            let tag: String? =
                n.kind == 1
                ? bytes.withUnsafeBufferPointer { b in
                    var r = TreeDecoder(bytes: b, offset: n.a + n.b)
                    return r.string()
                } : nil
            return .scalar(.init(string: text(i), style: YAMLValue.Scalar.Style(rawValue: UInt32(n.style)) ?? .any, mark: mark, tag: tag))
        case 2:
            return .sequence(.init(items: items(i).map(value), mark: mark))
        default:
            let all = items(i)
            return .mapping(.init(pairs: stride(from: 0, to: all.count, by: 2).map { (value(all[$0]), value(all[$0 + 1])) }, mark: mark))
        }
    }
}
