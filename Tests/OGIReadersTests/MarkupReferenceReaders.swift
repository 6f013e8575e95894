import CLibXML2
import CLibXML2Loader
import Foundation
import OGIModel

@testable import OGIReaders

/// The HTML and DOCX reading as it was before the readers walked libxml2's tree in place: the tree copied into
/// Swift nodes first (names lower-cased for HTML, attributes in a dictionary), then read. Kept here as the
/// reference the in-place readers are compared with (MarkupStreamingTests).
final class ReferenceNode {
    let name: String
    let attributes: [String: String]
    var children: [ReferenceNode] = []
    let text: String?
    let line: Int

    init(name: String, attributes: [String: String], text: String?, line: Int) {
        self.name = name; self.attributes = attributes; self.text = text; self.line = line
    }

    func first(_ name: String) -> ReferenceNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [ReferenceNode] { children.filter { $0.name == name } }

    var allText: String {
        if let text { return text }
        return children.map(\.allText).joined()
    }

    func descendants(_ name: String) -> [ReferenceNode] {
        var out: [ReferenceNode] = []
        for c in children {
            if c.name == name { out.append(c) }
            out += c.descendants(name)
        }
        return out
    }

    func hasDescendant(named names: Set<String>) -> Bool {
        children.contains { names.contains($0.name) || $0.hasDescendant(named: names) }
    }

    /// The copy the readers made of a libxml2 element.
    static func copy(_ raw: UnsafeMutableRawPointer, html: Bool) -> ReferenceNode {
        copy(raw.assumingMemoryBound(to: xmlNode.self), html: html)
    }

    /// The copy the readers made of a libxml2 element, read through libxml2's own declarations.
    static func copy(_ node: xmlNodePtr, html: Bool) -> ReferenceNode {
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
        let x = ReferenceNode(name: html ? name.lowercased() : name, attributes: attrs, text: nil, line: Int(xmlGetLineNo(node)))
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                x.children.append(copy(child, html: html))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content {
                    x.children.append(
                        ReferenceNode(name: "", attributes: [:], text: String(cString: content), line: Int(xmlGetLineNo(child))))
                }
            default:
                break
            }
            c = child.pointee.next
        }
        return x
    }
}

/// The HTML reader's tree reading on the copied tree.
struct ReferenceHTMLReading {
    let ctx: ReaderContext
    let budget: ReadBudget

    struct Result: Equatable {
        var lines: [Lineariser.Line]
        var overCells: Bool
        /// Line and name of the report body found; nil when it is the whole page body.
        var content: [String]?
        var pageLines: [Lineariser.Line]
        var metaDate: String?
    }

    func read(_ root: ReferenceNode) -> Result {
        let body = root.first("body") ?? root
        let content = reportBody(body)
        var out = Lines(budget: budget)
        if content !== body {
            var all = Lines(budget: budget)
            all.walk(body, stopAt: content)
            let words = ctx.templates.profile.titleWords
            if let t = all.lines.last(where: { l in words.contains { l.text.contains($0) } && l.text.count <= 80 }) {
                out.lines.append(t)
            }
        }
        out.walk(content, stopAt: nil)
        out.flush()
        var page = Lines(budget: budget)
        page.walk(body, stopAt: nil)
        page.flush()
        return Result(
            lines: out.lines, overCells: out.overCells, content: content === body ? nil : ["\(content.line)", content.name],
            pageLines: page.lines, metaDate: metaDate(root).map { "\($0.0) \($0.1)" })
    }

    func metaDate(_ root: ReferenceNode) -> (CalendarDate, Int)? {
        let scope = root.first("head") ?? root
        for m in scope.descendants("meta") {
            let name = (m.attributes["name"] ?? m.attributes["property"] ?? m.attributes["itemprop"] ?? "").lowercased()
            guard HTMLReader.dateMetaNames.contains(name), let content = m.attributes["content"], let d = HTMLReader.leadingDate(content)
            else { continue }
            return (d, m.line)
        }
        return nil
    }

    func reportBody(_ body: ReferenceNode) -> ReferenceNode {
        let numerals = ctx.templates.profile.partNumerals
        let headings = ctx.templates.profile.parts.map { $0.headings.map(LabelText.normalize) }
        var best: (ReferenceNode, Int, Int)? = nil
        func parts(_ n: ReferenceNode, depth: Int) -> Set<Int> {
            if let t = n.text {
                let norm = LabelText.normalize(t)
                let bare = LabelText.stripNumbering(norm, numerals: numerals)
                guard bare != norm else { return [] }
                return Set(headings.indices.filter { i in headings[i].contains { bare.hasPrefix($0) } })
            }
            if HTMLReader.skipTags.contains(n.name) { return [] }
            var found = Set<Int>()
            for c in n.children { found.formUnion(parts(c, depth: depth + 1)) }
            if !found.isEmpty, best == nil || found.count > best!.1 || (found.count == best!.1 && depth > best!.2) {
                best = (n, found.count, depth)
            }
            return found
        }
        _ = parts(body, depth: 0)
        guard let b = best, b.1 >= 3 else { return body }
        return b.0
    }

    /// The lineariser on the copied tree.
    struct Lines {
        let budget: ReadBudget
        var lines: [Lineariser.Line] = []
        var cells = 0
        var overCells = false
        var current = ""
        var currentLine = 0
        var tableCount = 0

        mutating func flush() {
            let t = Lineariser.trimmed(current)
            if !t.isEmpty { lines.append(Lineariser.Line(text: t, sourceLine: currentLine, table: nil, row: nil)) }
            current = ""
        }

        @discardableResult
        mutating func walk(_ n: ReferenceNode, stopAt: ReferenceNode?) -> Bool {
            if let s = stopAt, n === s { flush(); return true }
            if let t = n.text {
                if current.isEmpty { currentLine = n.line }
                current += Lineariser.spacedOut(t)
                return false
            }
            if HTMLReader.skipTags.contains(n.name) { return false }
            if n.name == "br" { flush(); return false }
            if overCells || lines.count > budget.maxLines { return true }
            if n.name == "table" {
                flush()
                if !n.hasDescendant(named: Lineariser.layoutTags) {
                    emitTable(n)
                } else {
                    for c in n.children { if walk(c, stopAt: stopAt) { return true }; flush() }
                }
                return false
            }
            let block = HTMLReader.blockTags.contains(n.name) || n.name == "tr" || n.name == "td" || n.name == "th"
            if block { flush() }
            for c in n.children { if walk(c, stopAt: stopAt) { return true } }
            if block { flush() }
            return false
        }

        mutating func emitTable(_ table: ReferenceNode) {
            tableCount += 1
            let rows = table.descendants("tr")
            var pending: [Int: Int] = [:]
            for (ri, tr) in rows.enumerated() {
                if overCells { return }
                var fields: [String] = []
                var col = 0
                func skipCovered() {
                    while let left = pending[col], left > 0 {
                        fields.append("")
                        pending[col] = left - 1
                        col += 1
                    }
                }
                for cell in tr.children where cell.name == "td" || cell.name == "th" {
                    skipCovered()
                    var inner = Lines(budget: budget)
                    for c in cell.children { inner.walk(c, stopAt: nil) }
                    inner.flush()
                    let joined = inner.lines.map(\.text).joined(separator: " ")
                    let text = joined.utf8.contains(0x09) ? joined.replacingOccurrences(of: "\t", with: " ") : joined
                    let rowspan = min(budget.maxSpan, rows.count - ri, max(1, Int(cell.attributes["rowspan"] ?? "1") ?? 1))
                    let colspan = min(budget.maxSpan, max(1, Int(cell.attributes["colspan"] ?? "1") ?? 1))
                    cells += rowspan * colspan
                    if cells > budget.maxTableCells { overCells = true; return }
                    fields.append(text)
                    for k in 0..<colspan {
                        if rowspan > 1 { pending[col + k] = rowspan - 1 }
                    }
                    col += colspan
                }
                skipCovered()
                lines.append(Lineariser.Line(text: fields.joined(separator: "\t"), sourceLine: tr.line, table: tableCount, row: ri + 1))
            }
        }
    }
}

/// The DOCX reader's linearising on the copied tree.
struct ReferenceDocxReading {
    let budget: ReadBudget

    /// Lines (text) and origins, or nil where the reader refuses the document.
    func linearise(document: ReferenceNode, numbering: ReferenceNode?) -> ([String], [DocxReader.Origin])? {
        guard let body = document.first("body") else { return nil }
        var lines: [String] = []
        var origins: [DocxReader.Origin] = []
        var paragraphNo = 0, tableNo = 0
        let numberer = Numberer(numbering)
        var overBudget = false
        func add(_ text: String, _ origin: DocxReader.Origin) {
            if lines.count >= budget.maxLines { overBudget = true; return }
            lines.append(text)
            origins.append(origin)
        }
        func block(_ node: ReferenceNode) {
            switch node.name {
            case "p":
                paragraphNo += 1
                add(numberer.prefix(for: node) + Self.paragraphText(node), .paragraph(paragraphNo))
            case "tbl":
                tableNo += 1
                var rowNo = 0
                for tr in node.all("tr") {
                    rowNo += 1
                    let cells = tr.children.filter { $0.name == "tc" || $0.name == "sdt" }.flatMap { c in
                        c.name == "sdt" ? (c.first("sdtContent")?.all("tc") ?? []) : [c]
                    }
                    let texts = cells.map { tc -> String in
                        let merge = tc.first("tcPr")?.first("vMerge")
                        if let m = merge, (m.attributes["val"] ?? "continue") == "continue" { return "" }
                        let text = tc.children.filter { $0.name == "p" || $0.name == "tbl" }
                            .map { $0.name == "p" ? Self.paragraphText($0) : $0.allText }
                            .joined(separator: " ")
                        return text.utf8.contains(0x09) ? text.replacingOccurrences(of: "\t", with: " ") : text
                    }
                    add(texts.joined(separator: "\t"), .tableRow(table: tableNo, row: rowNo))
                }
            case "sdt":
                node.first("sdtContent")?.children.forEach(block)
            default:
                break
            }
        }
        body.children.forEach(block)
        return overBudget ? nil : (lines, origins)
    }

    static func paragraphText(_ p: ReferenceNode) -> String {
        var out = ""
        func walk(_ n: ReferenceNode) {
            switch n.name {
            case "t": out += n.allText
            case "tab", "br", "cr": out += " "
            case "del", "delText", "instrText", "commentReference", "footnoteReference", "endnoteReference", "pPr", "rPr":
                return
            default: n.children.forEach(walk)
            }
        }
        p.children.forEach(walk)
        return out
    }

    final class Numberer {
        private var levels: [String: [Int: ListNumberer.Level]] = [:]
        private var abstractOf: [String: String] = [:]
        private var counters: [String: [Int: Int]] = [:]

        init(_ numbering: ReferenceNode?) {
            guard let numbering else { return }
            for a in numbering.all("abstractNum") {
                guard let id = a.attributes["abstractNumId"] else { continue }
                var ls: [Int: ListNumberer.Level] = [:]
                for l in a.all("lvl") {
                    guard let i = l.attributes["ilvl"].flatMap(Int.init), (0...8).contains(i) else { continue }
                    let start = l.first("start")?.attributes["val"].flatMap(Int.init) ?? 1
                    ls[i] = ListNumberer.Level(
                        format: l.first("numFmt")?.attributes["val"] ?? "decimal",
                        text: l.first("lvlText")?.attributes["val"] ?? "",
                        start: (0...100_000).contains(start) ? start : 1)
                }
                levels[id] = ls
            }
            for n in numbering.all("num") {
                if let id = n.attributes["numId"], let a = n.first("abstractNumId")?.attributes["val"] { abstractOf[id] = a }
            }
        }

        func prefix(for p: ReferenceNode) -> String {
            guard let numPr = p.first("pPr")?.first("numPr"),
                let numId = numPr.first("numId")?.attributes["val"], numId != "0",
                let abstract = abstractOf[numId], let lvls = levels[abstract]
            else { return "" }
            let ilvl = numPr.first("ilvl")?.attributes["val"].flatMap(Int.init) ?? 0
            guard (0...8).contains(ilvl), let level = lvls[ilvl] else { return "" }
            var c = counters[numId] ?? [:]
            c[ilvl] = (c[ilvl] ?? (level.start - 1)) + 1
            for deeper in c.keys where deeper > ilvl { c[deeper] = nil }
            counters[numId] = c
            var text = level.text
            for i in 0...ilvl {
                let value = c[i] ?? (lvls[i]?.start ?? 1)
                text = text.replacingOccurrences(of: "%\(i + 1)", with: ListNumberer.format(value, lvls[i]?.format ?? "decimal"))
            }
            return level.format == "bullet" ? "" : text
        }
    }
}

/// A DOCX part as a libxml2 tree, which the readers no longer build (they stream both parts): the tree the
/// reference readings walk.
extension XMLTree {
    /// Parses an XML document (a DOCX part) as UTF-8, with the options `streamXML` uses. A document with a DOCTYPE
    /// is refused even if the caller's scan of the bytes missed it: libxml2 records it, and it is checked first.
    static func parseXML(_ data: Data) throws -> XMLDocument {
        let options = libxml2.xmlOptions
        return try parse(data, html: false) { ogilint_xmlReadMemory($0, $1, "document.xml", "UTF-8", options) }
    }
}

extension XMLNode {
    /// True for an element whose local name is exactly `name` (bytes compared, as `XMLStreamElement.isNamed`).
    func isElement(named name: StaticString) -> Bool {
        guard isElement, let own = rawName else { return false }
        return XMLTree.equals(own, name)
    }

    /// The first child element named `name` (exact, XML).
    func first(_ name: StaticString) -> XMLNode? { children.first { $0.isElement(named: name) } }

    /// The child elements named `name` (exact, XML).
    func all(_ name: StaticString) -> [XMLNode] { children.filter { $0.isElement(named: name) } }
}
