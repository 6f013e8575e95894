import CLibXML2Loader
import Foundation

/// libxml2's character type (`xmlChar`, an unsigned char).
typealias XMLChar = UInt8

/// Where libxml2 keeps the node fields the readers read, its node types and ogilint's parser options, measured
/// from libxml2's headers by CLibXML2Loader (no Swift module sees those headers). Read from the C constant at
/// each use (a Swift global copy of it would be initialised lazily, with a check at every read).
var libxml2: ogilint_xml_layout {
    @inline(__always) get { ogilint_libxml2_layout }
}

/// Whether parsed DOCX and HTML trees are freed when their reader is done with them (the default) or left to the
/// process's exit. A check of one input sets `leftToExit` while it runs: freeing a tree node by node is work its
/// exit does at once (for a web page saved from Word, about 2% of the run), and one tree is all such a run holds.
/// A batch never sets it, so its memory stays flat.
public enum ParsedTreeLifetime {
    /// Set before reading starts and reset after, on the thread that starts the run; readers only read it.
    nonisolated(unsafe) public static var leftToExit = false
}

/// A parsed libxml2 document, freed when the last reference goes (unless `ParsedTreeLifetime.leftToExit`).
/// Readers walk its nodes in place (`XMLNode`), once, instead of copying the tree into Swift values first.
final class XMLDocument {
    /// libxml2's xmlDocPtr.
    let doc: UnsafeMutableRawPointer
    let root: XMLNode
    /// Element names are lower-cased (HTML) or compared exactly (XML).
    let html: Bool

    init(doc: UnsafeMutableRawPointer, root: UnsafeMutableRawPointer, html: Bool) {
        self.doc = doc; self.root = XMLNode(root); self.html = html
    }

    deinit { if !ParsedTreeLifetime.leftToExit { ogilint_xmlFreeDoc(doc) } }
}

/// An element or text node as the HTML reader reads it: a node of libxml2's own tree (`XMLNode`) or of the tree
/// built from its HTML parse's events (`HTMLTreeNode`), which give the same answers for the same page.
protocol MarkupNode: Equatable {
    associatedtype ChildNodes: Sequence where ChildNodes.Element == Self
    var isElement: Bool { get }
    /// The text of a text or CDATA node, NUL-terminated; nil for elements.
    var content: UnsafePointer<XMLChar>? { get }
    /// An element's local name, NUL-terminated; nil for text.
    var rawName: UnsafePointer<XMLChar>? { get }
    var hasAttributes: Bool { get }
    var text: String? { get }
    /// libxml2's `xmlGetLineNo`.
    var line: Int { get }
    var lowercasedName: String { get }
    /// The element, text and CDATA children in document order.
    var children: ChildNodes { get }
    /// What the HTML reader makes of an element (none for text).
    var htmlTag: HTMLTag { get }
    func attribute(_ name: String, html: Bool) -> String?
}

extension XMLNode: MarkupNode {
    var htmlTag: HTMLTag { HTMLTag.of(self) }
}

extension HTMLTreeNode: MarkupNode {}

/// One element or text node of a libxml2 tree, read in place; valid while its `XMLDocument` lives.
/// Children are the element, text and CDATA children (comments, processing instructions and the like are
/// left out), the nodes a reader reads.
struct XMLNode: Equatable {
    /// libxml2's xmlNodePtr.
    let ptr: UnsafeMutableRawPointer
    init(_ ptr: UnsafeMutableRawPointer) { self.ptr = ptr }

    /// libxml2's node type (xmlElementType) of the node at `ptr`.
    @inline(__always) static func type(_ ptr: UnsafeMutableRawPointer) -> Int32 {
        ptr.load(fromByteOffset: libxml2.nodeType, as: Int32.self)
    }

    /// The `content` field of the node at `ptr`: the text of a text or CDATA node.
    @inline(__always) static func content(_ ptr: UnsafeMutableRawPointer) -> UnsafePointer<XMLChar>? {
        ptr.load(fromByteOffset: libxml2.nodeContent, as: UnsafePointer<XMLChar>?.self)
    }

    var isElement: Bool { Self.type(ptr) == libxml2.elementNode }

    /// The node's `content` field (the text of a text or CDATA node), as libxml2 keeps it.
    var content: UnsafePointer<XMLChar>? { Self.content(ptr) }

    /// The node's `name` field: an element's local name.
    var rawName: UnsafePointer<XMLChar>? { ptr.load(fromByteOffset: libxml2.nodeName, as: UnsafePointer<XMLChar>?.self) }

    /// True when the element has attributes.
    var hasAttributes: Bool { ptr.load(fromByteOffset: libxml2.nodeProperties, as: UnsafeRawPointer?.self) != nil }

    /// The node's `_private` field, which libxml2 leaves to its user: a reader may keep a mark there while it
    /// reads the tree.
    var mark: UnsafeMutableRawPointer? {
        get { ptr.load(fromByteOffset: libxml2.nodePrivate, as: UnsafeMutableRawPointer?.self) }
        nonmutating set { ptr.storeBytes(of: newValue, toByteOffset: libxml2.nodePrivate, as: UnsafeMutableRawPointer?.self) }
    }

    /// Text content, for text and CDATA nodes; nil for elements.
    var text: String? {
        guard !isElement, let content else { return nil }
        return String(cString: content)
    }

    /// Line in the source document where libxml2 saw the node.
    var line: Int { Int(ogilint_xmlGetLineNo(ptr)) }

    /// The element's local name exactly as written (XML); empty for text nodes.
    var name: String { isElement ? String(cString: rawName!) : "" }

    /// The element's local name in lower case (HTML); empty for text nodes. Names of ASCII bytes (all libxml2's
    /// HTML parser makes) are lower-cased byte by byte, which is what `lowercased()` gives for ASCII.
    var lowercasedName: String { isElement ? Self.lowercased(rawName!) : "" }

    var children: Children {
        Children(cursor: ptr.load(fromByteOffset: libxml2.nodeChildren, as: UnsafeMutableRawPointer?.self))
    }

    /// The element, text and CDATA children in document order.
    struct Children: Sequence, IteratorProtocol {
        var cursor: UnsafeMutableRawPointer?
        mutating func next() -> XMLNode? {
            while let c = cursor {
                cursor = c.load(fromByteOffset: libxml2.nodeNext, as: UnsafeMutableRawPointer?.self)
                let type = XMLNode.type(c)
                if type == libxml2.elementNode { return XMLNode(c) }
                if type == libxml2.textNode || type == libxml2.cdataNode, XMLNode.content(c) != nil { return XMLNode(c) }
            }
            return nil
        }
    }

    /// All descendant text, in document order.
    var allText: String {
        if let text { return text }
        var out = ""
        appendText(to: &out)
        return out
    }

    private func appendText(to out: inout String) {
        for c in children {
            if c.isElement { c.appendText(to: &out) } else if let content = c.content { out += String(cString: content) }
        }
    }

    /// The value of the attribute whose local name is `name` (lower-cased first with `html`); when several
    /// have it, the last, as a dictionary filled in document order would keep.
    func attribute(_ name: String, html: Bool) -> String? {
        var found: String?
        var a = ptr.load(fromByteOffset: libxml2.nodeProperties, as: UnsafeMutableRawPointer?.self)
        while let attr = a {
            let attrName = attr.load(fromByteOffset: libxml2.attributeName, as: UnsafePointer<XMLChar>.self)
            let key = html ? Self.lowercased(attrName) : String(cString: attrName)
            if key == name, let v = ogilint_xmlNodeGetContent(attr) {
                found = String(cString: v)
                ogilint_xml_free(v)
            }
            a = attr.load(fromByteOffset: libxml2.attributeNext, as: UnsafeMutableRawPointer?.self)
        }
        return found
    }

    /// `String(cString:).lowercased()`, byte by byte when every byte is ASCII.
    static func lowercased(_ name: UnsafePointer<XMLChar>) -> String {
        let count = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        var ascii = true
        for i in 0..<count where name[i] >= 0x80 { ascii = false; break }
        guard ascii else { return String(cString: name).lowercased() }
        return String(unsafeUninitializedCapacity: count) { buf in
            for i in 0..<count {
                let b = name[i]
                buf[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            return count
        }
    }
}

/// An element start as a streamed parse reports it (`XMLTree.streamXML`); valid only during the callback.
struct XMLStreamElement {
    /// The local name; nil when the name has a prefix bound to no namespace: the tree names such an element
    /// `prefix:name`, which no reader asks for. Ended by a NUL (libxml2) or by the delimiter after it in the
    /// document (`DocxReaderScanner`): see `XMLTree.endsName`. So are the attributes' local names.
    let name: UnsafePointer<XMLChar>?
    let attributeCount: Int
    /// libxml2's SAX2 attribute array: local name, prefix, namespace, value start, value end for each.
    let attributes: UnsafeMutablePointer<UnsafePointer<XMLChar>?>?

    /// True when the local name is exactly `want` (bytes compared; the readers ask only for ASCII letter names).
    @inline(__always) func isNamed(_ want: StaticString) -> Bool {
        guard let name else { return false }
        return XMLTree.equals(name, want)
    }

    /// The value of the attribute whose local name is `want`, as `XMLNode.attribute(_:html: false)` reads it from
    /// the tree: the last such attribute, none with a prefix bound to no namespace (the tree names those
    /// `prefix:name`). The parser hands over each `&` of a value as the character reference `&#38;` (every
    /// other reference it has already replaced), which the tree turns back into `&`; so does this.
    func attribute(_ want: StaticString) -> String? {
        guard let a = attributes else { return nil }
        var found: String?
        for i in 0..<attributeCount {
            guard let local = a[5 * i], a[5 * i + 1] == nil || a[5 * i + 2] != nil, XMLTree.equals(local, want) else { continue }
            guard let start = a[5 * i + 3], let end = a[5 * i + 4], end > start else {
                found = ""
                continue
            }
            let bytes = UnsafeBufferPointer(start: start, count: end - start)
            found = bytes.contains(0x26) ? Self.ampersandsRestored(bytes) : String(decoding: bytes, as: UTF8.self)
        }
        return found
    }

    /// The value with every `&#38;` made `&`.
    static func ampersandsRestored(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let reference: [UInt8] = Array("&#38;".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x26, i + reference.count <= bytes.count, bytes[i..<(i + reference.count)].elementsEqual(reference) {
                out.append(0x26)
                i += reference.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Receives the elements and text of a streamed parse (`XMLTree.streamXML`), in document order; subclasses keep
/// what they read.
class XMLStreamReader {
    func start(_ element: XMLStreamElement) {}
    func end() {}
    /// Text, CDATA and white space between elements, as libxml2 hands it over (a text node may come in pieces).
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// What a streamed parse drives, in document order: `DocxReaderScanner` calls these directly, libxml2 through an
/// `XMLStreamDriver`.
protocol XMLStreamReading {
    mutating func start(_ element: XMLStreamElement)
    mutating func end()
    /// Text, CDATA and white space between elements (a text node may come in pieces).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
    /// True when the reading ignores the whole content of the element it was last handed the start of: until
    /// that element's end, every `start` it is handed has its `end` and changes nothing else, and `text` changes
    /// nothing. `DocxReaderScanner` then calls none of these until that end (which it does call).
    var ignoresContent: Bool { get }
}

extension XMLStreamReading {
    var ignoresContent: Bool { false }
}

/// The `XMLStreamReader` of a reading kept at a stable address (`reading`, which `DocxReaderScanner` drives
/// directly), for libxml2's streamed parse. The reading is behind a pointer the driver owns: a class's stored
/// properties are checked for exclusive access at run time on every mutation (a struct's, inside its own mutating
/// methods, are not), and the pointee is not, so a parser callback costs no access check. Only the parse running
/// on one thread touches it.
final class XMLStreamDriver<Reading: XMLStreamReading>: XMLStreamReader {
    let reading: UnsafeMutablePointer<Reading>

    init(_ initial: Reading) {
        reading = .allocate(capacity: 1)
        reading.initialize(to: initial)
    }

    deinit {
        reading.deinitialize(count: 1)
        reading.deallocate()
    }

    override func start(_ element: XMLStreamElement) { reading.pointee.start(element) }
    override func end() { reading.pointee.end() }
    override func text(_ bytes: UnsafeBufferPointer<UInt8>) { reading.pointee.text(bytes) }

    /// What `body` makes of the reading. Read it through here, not through `reading` from outside: a method keeps
    /// the driver, which frees the reading, alive until `body` returns, whereas a caller's last use of the driver
    /// may be the load of the pointer, after which the driver may already be gone.
    func withReading<T>(_ body: (inout Reading) throws -> T) rethrows -> T { try body(&reading.pointee) }
}

/// Parses XML and HTML with libxml2: no network, no DTD loading, no entity substitution.
enum XMLTree {
    enum Failure: Error {
        case unparseable(String)
        /// The document has a DOCTYPE (internal or external subset), wherever it was written.
        case declaresDTD
        /// libxml2 could not be loaded (`ogilint_libxml2_open`'s reason): nothing was parsed.
        case libraryUnavailable(String)
    }

    /// Loads libxml2 the first time a document needs it (every later call is one check of a finished once-only
    /// load); throws `libraryUnavailable` when it cannot be loaded.
    static func openLibrary() throws {
        if let why = ogilint_libxml2_open() { throw Failure.libraryUnavailable(String(cString: why)) }
    }

    /// The reader error for a missing libxml2: a tool error (the file may be fine), with what to install.
    static func libraryError(_ path: String, _ why: String, _ what: String) -> ReaderError {
        .tool(
            path: path,
            detail: "reading \(what) needs libxml2, and \(why); install it (Debian and Ubuntu: apt-get install libxml2) "
                + "or name a copy with OGILINT_LIBXML2=PATH")
    }

    /// Parses an XML document (a DOCX part) as UTF-8 with libxml2 (no network, no DTD loading, no entity
    /// substitution) and streams its elements and text to `reader`: no tree node is made or freed. A document with
    /// a DOCTYPE is refused even if the caller's scan of the bytes missed it: libxml2 records it.
    static func streamXML(_ data: Data, into reader: XMLStreamReader) throws {
        let options = libxml2.xmlOptions
        try openLibrary()
        var doctype: Int32 = 0
        let state = Unmanaged.passUnretained(reader).toOpaque()
        let result = withExtendedLifetime(reader) {
            data.withUnsafeBytes { buf in
                ogilint_xml_stream(
                    buf.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buf.count), "document.xml", "UTF-8", options,
                    streamStart, streamEnd, streamText, state, &doctype)
            }
        }
        guard result == 1 else { throw Failure.unparseable(lastError() ?? "not well-formed XML") }
        if doctype != 0 { throw Failure.declaresDTD }
    }

    /// True when `name`, ended as `endsName` says, is exactly `want`.
    @inline(__always) static func equals(_ name: UnsafePointer<XMLChar>, _ want: StaticString) -> Bool {
        want.withUTF8Buffer { w in
            for i in 0..<w.count where name[i] != w[i] { return false }
            return endsName(name[w.count])
        }
    }

    /// True for the byte after a name as the parsers hand names over: libxml2's NUL, or the delimiter after a name
    /// that `DocxReaderScanner` hands over where it stands in the document (white space, `>`, `/`, `=`). None of
    /// these is a character of a name, so for a NUL-terminated name this is the same as asking for the NUL.
    @inline(__always) static func endsName(_ b: UInt8) -> Bool {
        b == 0 || b == 0x20 || b == 0x3E || b == 0x2F || b == 0x3D || b == 0x0A || b == 0x09 || b == 0x0D
    }

    /// The reader of a streamed parse, reached without retaining it: `streamXML` keeps it alive for the whole parse.
    @inline(__always) static func withStreamReader(_ state: UnsafeMutableRawPointer?, _ body: (XMLStreamReader) -> Void) {
        Unmanaged<XMLStreamReader>.fromOpaque(state!)._withUnsafeGuaranteedRef(body)
    }

    static let streamStart: ogilint_xml_start_element = { ctx, localname, prefix, uri, _, _, count, _, attributes in
        let name = prefix != nil && uri == nil ? nil : localname
        XMLTree.withStreamReader(ctx) { $0.start(XMLStreamElement(name: name, attributeCount: Int(count), attributes: attributes)) }
    }

    static let streamEnd: ogilint_xml_end_element = { ctx, _, _, _ in XMLTree.withStreamReader(ctx) { $0.end() } }

    static let streamText: ogilint_xml_text = { ctx, bytes, count in
        guard let bytes, count > 0 else { return }
        XMLTree.withStreamReader(ctx) { $0.text(UnsafeBufferPointer(start: bytes, count: Int(count))) }
    }

    /// Counts element start tags (`<` followed by a name) in UTF-8 or ASCII-compatible bytes, without parsing.
    /// `memchr` finds each `<`.
    static func elementCount(_ data: Data) -> Int {
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Int in
            guard buf.count >= 2, let base = buf.baseAddress else { return 0 }
            let b = buf.bindMemory(to: UInt8.self)
            var n = 0
            var i = 0
            let end = b.count - 1
            while i < end, let hit = memchr(base + i, 0x3C, end - i) {
                i = base.distance(to: UnsafeRawPointer(hit))
                let next = b[i + 1]
                let c = next | 0x20
                if (c >= 0x61 && c <= 0x7A) || next == 0x5F || next == 0x3A || next >= 0x80 { n += 1 }
                i += 1
            }
            return n
        }
    }

    /// True when the bytes contain `<!` + `word` anywhere (ASCII letters compared without case).
    static func containsDeclaration(_ data: Data, _ word: String) -> Bool {
        containsDeclaration(data, anyOf: [word])
    }

    /// True when the bytes contain `<!` followed by one of `words` (ASCII letters compared without case), in one
    /// pass: `memchr` finds each `!` (rare in markup and in Chinese text, which writes `！`), then the `<` before it
    /// and the words after it are checked.
    static func containsDeclaration(_ data: Data, anyOf words: [String]) -> Bool {
        let ws = words.map { Array($0.uppercased().utf8) }
        return data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Bool in
            let b = buf.bindMemory(to: UInt8.self)
            guard b.count >= 2, let base = buf.baseAddress else { return false }
            var bang = 1
            while bang < b.count, let hit = memchr(base + bang, 0x21, b.count - bang) {
                bang = base.distance(to: UnsafeRawPointer(hit))
                let i = bang - 1
                bang += 1
                guard b[i] == 0x3C else { continue }
                for w in ws where i + 2 + w.count <= b.count {
                    var k = 0
                    while k < w.count, (b[i + 2 + k] & 0xDF) == w[k] { k += 1 }
                    if k == w.count { return true }
                }
            }
            return false
        }
    }

    /// Parses HTML tolerantly (broken markup is repaired, as browsers do). `utf8` must already be UTF-8.
    /// `HTML_PARSE_COMPACT` keeps short texts inside their nodes instead of in blocks of their own, and
    /// `HTML_PARSE_NODEFDTD` leaves out the default DOCTYPE node a page without one would get: neither changes an
    /// element, attribute or text the readers see (MarkupFastPath2Tests compares the trees).
    static func parseHTML(_ utf8: Data) throws -> XMLDocument {
        try parseHTML(utf8, options: htmlOptions | libxml2.htmlTreeOptions)
    }

    /// The options every HTML parse has: no network, repair, no error output.
    static let htmlOptions = libxml2.htmlOptions

    static func parseHTML(_ utf8: Data, options: Int32) throws -> XMLDocument {
        try utf8.withUnsafeBytes { try parseHTML(bytes: $0, options: options) }
    }

    /// `parseHTML` of bytes held in an array (`HTMLAttributeStripper.strippedBytes`).
    static func parseHTML(_ utf8: [UInt8]) throws -> XMLDocument {
        try utf8.withUnsafeBytes { try parseHTML(bytes: $0, options: htmlOptions | libxml2.htmlTreeOptions) }
    }

    static func parseHTML(bytes: UnsafeRawBufferPointer, options: Int32) throws -> XMLDocument {
        try parse(bytes: bytes, html: true) { ogilint_htmlReadMemory($0, $1, "page.html", "UTF-8", options) }
    }

    /// Runs one libxml2 parse over the bytes; the document is freed when the returned value is released.
    static func parse(
        _ data: Data, html: Bool, _ read: (UnsafePointer<CChar>?, Int32) -> UnsafeMutableRawPointer?
    ) throws -> XMLDocument {
        try data.withUnsafeBytes { try parse(bytes: $0, html: html, read) }
    }

    /// `parse` of bytes in a buffer, valid during the call (libxml2 keeps nothing of them in the document).
    static func parse(
        bytes buf: UnsafeRawBufferPointer, html: Bool, _ read: (UnsafePointer<CChar>?, Int32) -> UnsafeMutableRawPointer?
    ) throws -> XMLDocument {
        try openLibrary()
        let parsed = read(buf.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buf.count))
        guard let doc = parsed else {
            throw Failure.unparseable(lastError() ?? (html ? "the HTML could not be parsed" : "not well-formed XML"))
        }
        if !html, ogilint_xml_document_has_dtd(doc) != 0 {
            ogilint_xmlFreeDoc(doc)
            throw Failure.declaresDTD
        }
        guard let root = ogilint_xmlDocGetRootElement(doc) else {
            ogilint_xmlFreeDoc(doc)
            throw Failure.unparseable(html ? "the HTML has no elements" : "the XML has no root element")
        }
        return XMLDocument(doc: doc, root: root, html: html)
    }

    static func lastError() -> String? {
        guard let m = ogilint_xml_last_error_message() else { return nil }
        return String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
