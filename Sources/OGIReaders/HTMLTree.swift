import CLibXML2Loader
import Foundation

/// A parsed HTML page: the tree libxml2's tree builder (SAX2.c, 2.9) makes of the events of its HTML parser, built
/// here from the same events (`ogilint_html_stream`) in three growing buffers (nodes, attribute pairs, and the bytes
/// of names, values and texts) instead of a node, a name and a text allocated one by one and freed one by one.
///
/// What the builder does, as xmlSAX2StartElement, xmlSAX2EndElement, xmlSAX2Text, xmlSAX2Comment,
/// xmlSAX2ProcessingInstruction and xmlSAX2InternalSubset do it for an HTML parse:
/// - an element's name is the part after the first colon of the parser's name (`xmlSplitQName`: `o:p` is `p`), unless
///   the name starts with a colon or ends with its only colon; an attribute keeps its whole name, and one without a
///   value has none ("") unless it is one of HTML's boolean attributes, whose value is then its name;
/// - the first element (or the first comment or processing instruction) of the document is its first child; an element
///   started while none is open is a child of that first child when it is an element, else (or after a DOCTYPE, which
///   always comes first) a sibling at the document's level, after the others; the document's root is its first element;
/// - an element started while 257 are open is left out and stops the parse (libxml2's depth limit, `nodePush`);
/// - text outside any element is dropped; text after a text child (or CDATA after CDATA) is added to it, unless that
///   makes it longer than 10,000,000 bytes: then the piece is dropped and the parse stops;
/// - elements, texts, comments and processing instructions keep the parser's line (at most 65535); CDATA none, and its
///   line is read from the node before it or its parent, as `xmlGetLineNo` does (`line(of:)`).
///
/// Its nodes (`HTMLTreeNode`) are read as `XMLNode`s of libxml2's tree are (`MarkupNode`): `HTMLTreeTests` compares the
/// two trees of every HTML page and rendering the tests have, and of generated pages.
final class HTMLTree {
    enum Kind: UInt8 { case element, text, cdata, other }

    /// One node. Indices are into `nodes`; -1 is none (a parent of -1 is the document).
    struct Node {
        var parent: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var next: Int32 = -1
        var prev: Int32 = -1
        var kind: Kind
        /// An element's flags (`HTMLTag`), found once from its name (the readers look at nearly every element, most
        /// more than once).
        var tag: HTMLTag = []
        /// The line as libxml2 stores it (0 for CDATA).
        var line: Int32
        /// Where an element's name or a text's bytes start in `bytes` (ended by a NUL); -1 for comments.
        var text: Int32 = -1
        var firstAttribute: Int32 = 0
        var attributeCount: Int32 = 0
    }

    let nodes: UnsafeMutablePointer<Node>
    /// Name and value places in `bytes` of every attribute (a value of -1 is none: "").
    let attributes: UnsafeMutablePointer<(name: Int32, value: Int32)>
    let bytes: UnsafeMutablePointer<UInt8>
    /// The document's first element; -1 when the page has none.
    let root: Int32
    /// The most elements open at once, whether the parse stopped at libxml2's depth or text-length limit, and whether
    /// some node's line was at libxml2's cap (65535): what tells whether a page parsed with its flattened spans left
    /// out (`HTMLAttributeStripper.StrippedPage`) has the tree of the page itself, less those spans.
    let mostOpen: Int
    let stopped: Bool
    let reachedLineCap: Bool

    fileprivate init(_ b: Builder) {
        nodes = b.nodes; attributes = b.attributes; bytes = b.bytes; root = b.root
        mostOpen = b.mostOpen; stopped = b.stopped; reachedLineCap = b.reachedLineCap
    }

    deinit {
        free(nodes)
        free(attributes)
        free(bytes)
    }

    /// The root element, when the page has one.
    var rootNode: HTMLTreeNode? { root < 0 ? nil : HTMLTreeNode(tree: self, index: root) }

    /// `xmlGetLineNo` of a node (libxml2's `xmlGetLineNoInternal`, to its depth of 5).
    func line(of i: Int32, depth: Int = 0) -> Int {
        if depth >= 5 { return -1 }
        let n = nodes[Int(i)]
        if n.kind != .cdata {
            var result = -1
            if n.line == 65535 {
                if n.kind == .element && n.firstChild >= 0 {
                    result = line(of: n.firstChild, depth: depth + 1)
                } else if n.next >= 0 {
                    result = line(of: n.next, depth: depth + 1)
                } else if n.prev >= 0 {
                    result = line(of: n.prev, depth: depth + 1)
                }
            }
            if result == -1 || result == 65535 { result = Int(n.line) }
            return result
        }
        if n.prev >= 0, nodes[Int(n.prev)].kind != .cdata { return line(of: n.prev, depth: depth + 1) }
        if n.parent >= 0 { return line(of: n.parent, depth: depth + 1) }
        return -1
    }

    /// Parses `utf8` (UTF-8 bytes) as `XMLTree.parseHTML` does, into a tree of this kind.
    ///
    /// `splits`: the offsets, in increasing order, of the markers `HTMLAttributeStripper` wrote where it left out the
    /// tags of spans. A marker is an end tag no element has (`</_>`): libxml2 reads it and ignores it, so the text
    /// before it ends there (on the line it ended on before) and the text after it is added to the same node. A text
    /// past a marker is made a node of its own instead, as it was when the span's tag stood there.
    static func parse(_ utf8: UnsafeRawBufferPointer, options: Int32, splits: [Int32] = []) throws -> HTMLTree {
        try XMLTree.openLibrary()
        var builder = Builder(capacity: utf8.count)
        builder.splits = splits
        var handlers = ogilint_html_handlers(
            start: { state, name, attributes, line in
                state!.assumingMemoryBound(to: Builder.self).pointee.start(name!, attributes, line: Int32(line))
            },
            end: { state in state!.assumingMemoryBound(to: Builder.self).pointee.end() },
            text: { state, text, length, cdata, line, offset in
                state!.assumingMemoryBound(to: Builder.self).pointee.text(
                    text!, Int(length), cdata: cdata != 0, line: Int32(line), offset: offset) ? 1 : 0
            },
            other: { state, line in state!.assumingMemoryBound(to: Builder.self).pointee.other(line: Int32(line)) },
            doctype: { state in state!.assumingMemoryBound(to: Builder.self).pointee.hasDoctype = true })
        let status = withUnsafeMutablePointer(to: &builder) { state in
            ogilint_html_stream(
                utf8.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(utf8.count), "page.html", "UTF-8", options,
                &handlers, state)
        }
        let tree = HTMLTree(builder)
        guard status == 0 else {
            throw XMLTree.Failure.unparseable(XMLTree.lastError() ?? "the HTML could not be parsed")
        }
        guard tree.root >= 0 else { throw XMLTree.Failure.unparseable("the HTML has no elements") }
        return tree
    }

    /// `parse` with the options of every HTML parse (`XMLTree.htmlOptions`).
    static func parse(_ utf8: [UInt8], splits: [Int32] = []) throws -> HTMLTree {
        try utf8.withUnsafeBytes { try parse($0, options: XMLTree.htmlOptions, splits: splits) }
    }

    /// `parse` of the bytes of `utf8`.
    static func parse(_ utf8: Data) throws -> HTMLTree {
        try utf8.withUnsafeBytes { try parse($0, options: XMLTree.htmlOptions) }
    }

    /// libxml2's XML_MAX_TEXT_LENGTH: the longest text its tree builder makes by joining pieces.
    static let maxTextLength = 10_000_000

    /// HTML's boolean attributes (libxml2's `htmlBooleanAttrs`): one written without a value has its name as value.
    static let booleanAttributes: Set<String> = [
        "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref", "noresize", "noshade",
        "nowrap", "readonly", "selected",
    ]

    /// The tree as it grows during the parse; its buffers become the tree's.
    fileprivate struct Builder {
        var nodes: UnsafeMutablePointer<Node>
        var nodeCount = 0
        var nodeCapacity: Int
        var attributes: UnsafeMutablePointer<(name: Int32, value: Int32)>
        var attributeCount = 0
        var attributeCapacity = 16
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCount = 0
        var byteCapacity: Int
        /// The open elements (libxml2's node stack, `ctxt->node` on top).
        var open: [Int32] = []
        var root: Int32 = -1
        /// The document's first and last child other than a DOCTYPE.
        var firstAtTop: Int32 = -1
        var lastAtTop: Int32 = -1
        var hasDoctype = false
        var stopped = false
        /// The text node last made or added to, and its length: a text added to again is not measured again (a text
        /// of many entity references comes in many pieces).
        var lastText: Int32 = -1
        var lastTextLength = 0
        /// See `parse(_:options:splits:)`; `nextSplit` is the first not yet passed.
        var splits: [Int32] = []
        var nextSplit = 0
        var mostOpen = 0
        var reachedLineCap = false

        init(capacity: Int) {
            nodeCapacity = max(64, capacity / 32)
            nodes = malloc(nodeCapacity * MemoryLayout<Node>.stride)!.assumingMemoryBound(to: Node.self)
            attributes = malloc(attributeCapacity * MemoryLayout<(name: Int32, value: Int32)>.stride)!
                .assumingMemoryBound(to: (name: Int32, value: Int32).self)
            byteCapacity = max(256, capacity / 2)
            bytes = malloc(byteCapacity)!.assumingMemoryBound(to: UInt8.self)
            open.reserveCapacity(64)
        }

        mutating func add(_ node: Node) -> Int32 {
            if nodeCount == nodeCapacity {
                nodeCapacity *= 2
                nodes = realloc(nodes, nodeCapacity * MemoryLayout<Node>.stride)!.assumingMemoryBound(to: Node.self)
            }
            (nodes + nodeCount).initialize(to: node)
            nodeCount += 1
            return Int32(nodeCount - 1)
        }

        mutating func reserveBytes(_ count: Int) {
            if byteCount + count > byteCapacity {
                byteCapacity = max(byteCapacity * 2, byteCount + count)
                bytes = realloc(bytes, byteCapacity)!.assumingMemoryBound(to: UInt8.self)
            }
        }

        /// Copies `count` bytes and a NUL; returns where they start.
        mutating func store(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
            reserveBytes(count + 1)
            let start = byteCount
            (bytes + start).update(from: p, count: count)
            bytes[start + count] = 0
            byteCount += count + 1
            return Int32(start)
        }

        /// `store` of a NUL-terminated name or value.
        mutating func store(cString p: UnsafePointer<UInt8>) -> Int32 {
            store(p, strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
        }

        /// Makes `child` the last child of `parent`.
        mutating func append(_ child: Int32, to parent: Int32) {
            let last = nodes[Int(parent)].lastChild
            nodes[Int(child)].parent = parent
            nodes[Int(child)].prev = last
            if last >= 0 { nodes[Int(last)].next = child } else { nodes[Int(parent)].firstChild = child }
            nodes[Int(parent)].lastChild = child
        }

        /// Makes `node` the document's last child (other than a DOCTYPE).
        mutating func appendAtTop(_ node: Int32) {
            nodes[Int(node)].prev = lastAtTop
            if lastAtTop >= 0 { nodes[Int(lastAtTop)].next = node } else { firstAtTop = node }
            lastAtTop = node
        }

        mutating func start(_ name: UnsafePointer<UInt8>, _ atts: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, line: Int32) -> Int32 {
            if stopped { return 1 }
            // xmlSplitQName: the part after the first colon, unless the name starts with a colon or ends with its
            // first one.
            var local = name
            if name[0] != 0x3A {
                var k = 0
                while name[k] != 0 && name[k] != 0x3A { k += 1 }
                if name[k] == 0x3A && name[k + 1] != 0 { local = name + k + 1 }
            }
            let parent = open.last ?? -1
            // Nothing at the document's level yet (a DOCTYPE alone puts the element there too).
            let documentIsEmpty = firstAtTop < 0
            // nodePush refuses a node past libxml2's depth limit and halts the parse.
            if open.count > 256 {
                stopped = true
                return 1
            }
            var node = Node(parent: -1, kind: .element, line: line)
            node.text = store(cString: local)
            node.tag = HTMLTag.looked(upName: bytes + Int(node.text))
            if let atts {
                node.firstAttribute = Int32(attributeCount)
                var i = 0
                while let attributeName = atts[i] {
                    let nameAt = store(cString: attributeName)
                    var valueAt: Int32 = -1
                    if let value = atts[i + 1] {
                        valueAt = store(cString: value)
                    } else if HTMLTree.booleanAttributes.contains(String(cString: bytes + Int(nameAt))) {
                        valueAt = nameAt
                    }
                    if attributeCount == attributeCapacity {
                        attributeCapacity *= 2
                        attributes = realloc(attributes, attributeCapacity * MemoryLayout<(name: Int32, value: Int32)>.stride)!
                            .assumingMemoryBound(to: (name: Int32, value: Int32).self)
                    }
                    attributes[attributeCount] = (nameAt, valueAt)
                    attributeCount += 1
                    i += 2
                }
                node.attributeCount = Int32(attributeCount) - node.firstAttribute
            }
            let index = add(node)
            if documentIsEmpty {
                appendAtTop(index)
            } else if parent < 0 {
                // The document's first child: a DOCTYPE (always first), else the first comment, instruction or element.
                if !hasDoctype, nodes[Int(firstAtTop)].kind == .element {
                    append(index, to: firstAtTop)
                } else {
                    appendAtTop(index)
                }
            } else {
                append(index, to: parent)
            }
            if root < 0 && nodes[Int(index)].parent < 0 { root = index }
            open.append(index)
            if open.count > mostOpen { mostOpen = open.count }
            if line >= 65535 { reachedLineCap = true }
            return 0
        }

        mutating func end() {
            if stopped { return }
            _ = open.popLast()
        }

        /// Adds text read up to `offset`; true when the parse must stop (libxml2's text-length limit).
        mutating func text(_ p: UnsafePointer<UInt8>, _ count: Int, cdata: Bool, line: Int32, offset: Int) -> Bool {
            if stopped { return true }
            if line >= 65535 { reachedLineCap = true }
            // A split marker read since the last text: this text starts a node of its own.
            var split = false
            while nextSplit < splits.count, Int(splits[nextSplit]) < offset {
                split = true
                nextSplit += 1
            }
            guard let parent = open.last else { return false }
            let kind: Kind = cdata ? .cdata : .text
            let last = nodes[Int(parent)].lastChild
            if last >= 0, nodes[Int(last)].kind == kind, !split {
                // Added to the text before: its bytes end at the end of `bytes` (nothing is stored between two
                // texts of one element without a node between them), else they are moved there first.
                let start = Int(nodes[Int(last)].text)
                let length =
                    last == lastText ? lastTextLength : strlen(UnsafeRawPointer(bytes + start).assumingMemoryBound(to: CChar.self))
                // xmlSAX2Text grows no text past XML_MAX_TEXT_LENGTH (without XML_PARSE_HUGE): the piece is dropped
                // and the parse ends there (xmlSAX2ErrMemory: SAX off, parser at its end).
                if length + count > HTMLTree.maxTextLength {
                    stopped = true
                    return true
                }
                lastText = last
                lastTextLength = length + count
                if start + length + 1 == byteCount {
                    reserveBytes(count)
                    (bytes + byteCount - 1).update(from: p, count: count)
                    byteCount += count
                    bytes[byteCount - 1] = 0
                } else {
                    reserveBytes(length + count + 1)
                    let moved = byteCount
                    (bytes + moved).update(from: bytes + start, count: length)
                    (bytes + moved + length).update(from: p, count: count)
                    bytes[moved + length + count] = 0
                    byteCount += length + count + 1
                    nodes[Int(last)].text = Int32(moved)
                }
                return false
            }
            var node = Node(parent: -1, kind: kind, line: cdata ? 0 : line)
            node.text = store(p, count)
            let index = add(node)
            append(index, to: parent)
            lastText = index
            lastTextLength = count
            return false
        }

        mutating func other(line: Int32) {
            if stopped { return }
            if line >= 65535 { reachedLineCap = true }
            let index = add(Node(parent: -1, kind: .other, line: line))
            if let parent = open.last { append(index, to: parent) } else { appendAtTop(index) }
        }
    }
}

/// One element or text node of an `HTMLTree`, read as an `XMLNode` is; valid while its tree lives.
struct HTMLTreeNode: Equatable {
    unowned(unsafe) let tree: HTMLTree
    let index: Int32

    static func == (a: HTMLTreeNode, b: HTMLTreeNode) -> Bool { a.index == b.index && a.tree === b.tree }

    private var node: HTMLTree.Node { tree.nodes[Int(index)] }

    var isElement: Bool { node.kind == .element }

    /// The text of a text or CDATA node, NUL-terminated; nil for elements.
    var content: UnsafePointer<XMLChar>? {
        let n = node
        return n.kind == .text || n.kind == .cdata ? UnsafePointer(tree.bytes + Int(n.text)) : nil
    }

    /// An element's local name, NUL-terminated.
    var rawName: UnsafePointer<XMLChar>? {
        let n = node
        return n.kind == .element ? UnsafePointer(tree.bytes + Int(n.text)) : nil
    }

    var hasAttributes: Bool { node.attributeCount > 0 }

    var text: String? {
        guard !isElement, let content else { return nil }
        return String(cString: content)
    }

    var line: Int { tree.line(of: index) }

    var lowercasedName: String { isElement ? XMLNode.lowercased(rawName!) : "" }

    var htmlTag: HTMLTag { node.tag }

    var children: Children { Children(tree: tree, cursor: node.firstChild) }

    /// The element, text and CDATA children in document order.
    struct Children: Sequence, IteratorProtocol {
        unowned(unsafe) let tree: HTMLTree
        var cursor: Int32
        mutating func next() -> HTMLTreeNode? {
            while cursor >= 0 {
                let c = cursor
                let n = tree.nodes[Int(c)]
                cursor = n.next
                if n.kind != .other { return HTMLTreeNode(tree: tree, index: c) }
            }
            return nil
        }
    }

    /// The value of the attribute whose lower-cased name is `name` (the last, when several have it).
    func attribute(_ name: String, html: Bool) -> String? {
        let n = node
        var found: String?
        for k in 0..<Int(n.attributeCount) {
            let (nameAt, valueAt) = tree.attributes[Int(n.firstAttribute) + k]
            let attributeName = UnsafePointer(tree.bytes + Int(nameAt))
            let key = html ? XMLNode.lowercased(attributeName) : String(cString: attributeName)
            if key == name { found = valueAt < 0 ? "" : String(cString: UnsafePointer(tree.bytes + Int(valueAt))) }
        }
        return found
    }
}
