import CLibXML2
import Foundation

/// An element or text node copied out of a libxml2 document, so readers walk plain Swift values.
final class XNode {
    /// Local element name (lower case for HTML); empty for text nodes.
    let name: String
    let attributes: [String: String]
    var children: [XNode] = []
    /// Text content, for text nodes.
    let text: String?
    /// Line in the source document where libxml2 saw the node.
    let line: Int

    init(name: String, attributes: [String: String], text: String?, line: Int) {
        self.name = name; self.attributes = attributes; self.text = text; self.line = line
    }

    func first(_ name: String) -> XNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XNode] { children.filter { $0.name == name } }

    /// All descendant text, in document order.
    var allText: String {
        if let text { return text }
        return children.map(\.allText).joined()
    }

    func descendants(_ name: String) -> [XNode] {
        var out: [XNode] = []
        for c in children {
            if c.name == name { out.append(c) }
            out += c.descendants(name)
        }
        return out
    }

    /// True when some element below this one (not this one) has one of `names`.
    func hasDescendant(named names: Set<String>) -> Bool {
        children.contains { names.contains($0.name) || $0.hasDescendant(named: names) }
    }

    func contains(_ name: String) -> Bool { children.contains { $0.name == name || $0.contains(name) } }
}

/// Parses XML and HTML with libxml2: no network, no DTD loading, no entity substitution.
enum XMLTree {
    enum Failure: Error {
        case unparseable(String)
        /// The document has a DOCTYPE (internal or external subset), wherever it was written.
        case declaresDTD
    }

    /// Parses an XML document (a DOCX part) as UTF-8. A document with a DOCTYPE is refused even if the
    /// caller's scan of the bytes missed it: libxml2 records it, and it is checked before any use.
    static func parseXML(_ data: Data) throws -> XNode {
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        return try parse(data, html: false) { xmlReadMemory($0, $1, "document.xml", "UTF-8", options) }
    }

    /// Counts element start tags (`<` followed by a name) in UTF-8 or ASCII-compatible bytes, without parsing.
    static func elementCount(_ data: Data) -> Int {
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Int in
            let b = buf.bindMemory(to: UInt8.self)
            var n = 0
            var i = 0
            let end = b.count - 1
            while i < end {
                if b[i] == 0x3C {
                    let c = b[i + 1] | 0x20
                    if (c >= 0x61 && c <= 0x7A) || b[i + 1] == 0x5F || b[i + 1] == 0x3A || b[i + 1] >= 0x80 { n += 1 }
                }
                i += 1
            }
            return n
        }
    }

    /// True when the bytes contain `<!` + `word` anywhere (ASCII letters compared without case).
    static func containsDeclaration(_ data: Data, _ word: String) -> Bool {
        let w = Array(word.uppercased().utf8)
        return data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Bool in
            let b = buf.bindMemory(to: UInt8.self)
            guard b.count >= w.count + 2 else { return false }
            var i = 0
            let last = b.count - w.count - 2
            while i <= last {
                if b[i] == 0x3C, b[i + 1] == 0x21 {
                    var k = 0
                    while k < w.count, (b[i + 2 + k] & 0xDF) == w[k] { k += 1 }
                    if k == w.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// Parses HTML tolerantly (broken markup is repaired, as browsers do). `utf8` must already be UTF-8.
    static func parseHTML(_ utf8: Data) throws -> XNode {
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        return try parse(utf8, html: true) { htmlReadMemory($0, $1, "page.html", "UTF-8", options) }
    }

    /// Runs one libxml2 parse over the bytes and copies the tree out, freeing the document.
    private static func parse(_ data: Data, html: Bool, _ read: (UnsafePointer<CChar>?, Int32) -> xmlDocPtr?) throws -> XNode {
        let doc = data.withUnsafeBytes { buf in read(buf.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buf.count)) }
        guard let doc else { throw Failure.unparseable(lastError() ?? (html ? "the HTML could not be parsed" : "not well-formed XML")) }
        defer { xmlFreeDoc(doc) }
        if !html, doc.pointee.intSubset != nil || doc.pointee.extSubset != nil { throw Failure.declaresDTD }
        guard let root = xmlDocGetRootElement(doc) else {
            throw Failure.unparseable(html ? "the HTML has no elements" : "the XML has no root element")
        }
        return copy(root, html: html)
    }

    static func lastError() -> String? {
        guard let e = xmlGetLastError(), let m = e.pointee.message else { return nil }
        return String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func copy(_ node: xmlNodePtr, html: Bool) -> XNode {
        var attrs: [String: String] = [:]
        var a = node.pointee.properties
        while let attr = a {
            let key = String(cString: attr.pointee.name)
            if let v = xmlNodeGetContent(UnsafeMutablePointer<xmlNode>(OpaquePointer(attr))) {
                attrs[html ? key.lowercased() : key] = String(cString: v)
                ogilint_xml_free(v)
            }
            a = attr.pointee.next
        }
        let name = String(cString: node.pointee.name)
        let x = XNode(name: html ? name.lowercased() : name, attributes: attrs, text: nil, line: Int(xmlGetLineNo(node)))
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                x.children.append(copy(child, html: html))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content {
                    x.children.append(XNode(name: "", attributes: [:], text: String(cString: content), line: Int(xmlGetLineNo(child))))
                }
            default:
                break
            }
            c = child.pointee.next
        }
        return x
    }
}
