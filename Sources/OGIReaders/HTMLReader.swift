import Foundation
import OGIModel

/// Reads a report published as a web page: decodes it (UTF-8, GBK/GB2312/GB18030 declared in `<meta>` or
/// not at all), parses it tolerantly with libxml2, finds the report body among the page furniture,
/// resolves `rowspan`/`colspan` in data tables, and reads the result like text. Locations are lines of the
/// HTML source.
public struct HTMLReader: ReportReader {
    let text: TextReader
    let ctx: ReaderContext
    let budget: ReadBudget

    public init(context: ReaderContext, budget: ReadBudget = ReadBudget()) {
        self.ctx = context
        self.budget = budget
        self.text = TextReader(context: context, budget: budget)
    }

    public var name: String { "html" }
    public var extensions: [String] { ["html", "htm", "xhtml"] }
    static let openingTags = ["<html", "<!doctype html", "<body", "<table", "<div", "<p>", "<p ", "<meta", "<head"]
    public func claim(_ input: InputSniffer) -> ReaderClaim {
        if extensions.contains(input.pathExtension) { return .content }
        if input.trimmedText.hasPrefix("<"), Self.openingTags.contains(where: { input.lowercasedText.contains($0) }) { return .content }
        return .none
    }

    static let blockTags: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
        "header", "footer", "main", "blockquote", "pre", "dd", "dt", "dl", "center", "form",
        "tbody", "thead", "tfoot", "caption", "nav", "aside", "figure", "figcaption", "body", "html",
    ]
    static let skipTags: Set<String> = [
        "script", "style", "noscript", "head", "title", "iframe", "object", "svg", "template", "select", "button",
    ]

    public func read(path: String, data: Data) throws -> Report {
        try read(path: path, data: data, metadataOnly: false)
    }

    /// The metadata `read(path:data:)` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        try read(path: path, data: data, metadataOnly: true).metadata
    }

    /// Reads the page; with `metadataOnly`, only the returned report's metadata is meaningful.
    func read(path: String, data: Data, metadataOnly: Bool) throws -> Report {
        let utf8 = try Self.decode(data, path: path)
        try budget.check(utf8.count, budget.maxDecodedBytes, path, "the page is \(utf8.count) bytes once decoded", unit: "bytes")
        if XMLTree.containsDeclaration(utf8, "ENTITY") {
            throw ReaderError.unsafe(path: path, detail: "the page declares entities; ogilint does not expand them")
        }
        let elements = XMLTree.elementCount(utf8)
        try budget.check(elements, budget.maxElements, path, "the page has \(elements) elements", unit: "elements")
        let root: XNode
        do { root = try XMLTree.parseHTML(utf8) } catch {
            throw ReaderError.corrupt(path: path, detail: "the HTML could not be parsed")
        }
        let body = root.first("body") ?? root
        let content = reportBody(body)
        var out = Lineariser(budget: budget)
        // The title often sits outside the content block (in a page header): keep the first title line before it.
        if content !== body {
            var all = Lineariser(budget: budget)
            all.walk(body, stopAt: content)
            let words = ctx.templates.profile.titleWords
            if let t = all.lines.last(where: { l in words.contains { l.text.contains($0) } && l.text.count <= 80 }) {
                out.lines.append(t)
            }
        }
        out.walk(content, stopAt: nil)
        out.flush()
        if out.overCells {
            throw budget.refusal(
                path, "the page's tables have more than \(budget.maxTableCells) cells once rowspan and colspan are spread out",
                limit: budget.maxTableCells, unit: "table cells")
        }
        try budget.check(out.lines.count, budget.maxLines, path, "the page has \(out.lines.count) lines of text", unit: "lines")
        let lines = out.lines.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element.text) }
        let origins = out.lines
        let locate: Locator = { line, field in
            guard line >= 1, line <= origins.count else { return SourceLocation() }
            let o = origins[line - 1]
            return SourceLocation(line: o.sourceLine, tableIndex: o.table, rowIndex: o.row, cellIndex: o.row == nil ? nil : field)
        }
        var report =
            metadataOnly
            ? Report(
                path: path, sourceFormat: "html",
                metadata: text.parseMetadata(lines: lines, path: path, sourceFormat: "html", locate: locate))
            : text.parse(lines: lines, path: path, sourceFormat: "html", locate: locate)
        // Without a signature date, the page's own publication date: its <meta> tags, else a visible
        // date line (发布时间 …) in the page around the report body.
        if report.metadata.published == nil {
            if let (date, line) = Self.metaDate(root) {
                report.metadata.published = date
                report.metadata.publishedLocation = SourceLocation(line: line)
            } else if content !== body {
                var page = Lineariser(budget: budget)
                page.walk(body, stopAt: nil)
                page.flush()
                if let (date, line) = pageDate(page.lines) {
                    report.metadata.published = date
                    report.metadata.publishedLocation = SourceLocation(line: line)
                }
            }
        }
        return report
    }

    /// `<meta>` names and properties that carry a page's publication date.
    static let dateMetaNames: Set<String> = ["pubdate", "publishdate", "article:published_time"]

    /// The publication date in a `<meta name="PubDate" content="2021-03-05 08:58">` tag, and its line.
    static func metaDate(_ root: XNode) -> (CalendarDate, Int)? {
        let scope = root.first("head") ?? root
        for m in scope.descendants("meta") {
            let name = (m.attributes["name"] ?? m.attributes["property"] ?? m.attributes["itemprop"] ?? "").lowercased()
            guard dateMetaNames.contains(name), let content = m.attributes["content"], let d = leadingDate(content) else { continue }
            return (d, m.line)
        }
        return nil
    }

    /// The first `YYYY-MM-DD` (also `/`, `.` or 年月日) in a text, when it is a real date.
    static func leadingDate(_ s: String) -> CalendarDate? {
        var numbers: [Int] = []
        var current = ""
        for ch in s {
            if ch.isASCII, ch.isNumber { current.append(ch); continue }
            if !current.isEmpty {
                numbers.append(Int(current) ?? -1)
                current = ""
                if numbers.count == 3 { break }
                if !"-/.年月 ".contains(ch) { numbers = [] }
            }
        }
        if !current.isEmpty, numbers.count < 3 { numbers.append(Int(current) ?? -1) }
        guard numbers.count == 3, (1900...2200).contains(numbers[0]) else { return nil }
        let d = CalendarDate(year: numbers[0], month: numbers[1], day: numbers[2])
        return d.isValid ? d : nil
    }

    /// A visible date line anywhere on the page, read with the profile's publication-date patterns.
    func pageDate(_ lines: [Lineariser.Line]) -> (CalendarDate, Int)? {
        for p in ctx.publishedPatterns {
            for l in lines.reversed() where l.text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                guard let g = p.firstGroups(l.text, names: ["y", "m", "d"])?.groups,
                    let y = g["y"].flatMap({ Int($0) }), let m = g["m"].flatMap({ Int($0) }), let d = g["d"].flatMap({ Int($0) })
                else { continue }
                let date = CalendarDate(year: y, month: m, day: d)
                if date.isValid { return (date, l.sourceLine) }
            }
        }
        return nil
    }

    /// The deepest element holding the most part headings: the report body without menus and footers.
    /// A heading counts only where a text starts with it (after its numeral), not where a sentence names it.
    func reportBody(_ body: XNode) -> XNode {
        let numerals = ctx.templates.profile.partNumerals
        let headings = ctx.templates.profile.parts.map { $0.headings.map(LabelText.normalize) }
        var best: (XNode, Int, Int)? = nil  // node, score, depth
        func parts(_ n: XNode, depth: Int) -> Set<Int> {
            if let t = n.text {
                let norm = LabelText.normalize(t)
                let bare = LabelText.stripNumbering(norm, numerals: numerals)
                guard bare != norm else { return [] }
                return Set(headings.indices.filter { i in headings[i].contains { bare.hasPrefix($0) } })
            }
            if Self.skipTags.contains(n.name) { return [] }
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

    /// Decodes to UTF-8 bytes, honouring a BOM, then a `<meta>` charset, then trying UTF-8 and GB18030.
    static func decode(_ data: Data, path: String) throws -> Data {
        if data.isEmpty { throw ReaderError.empty(path: path) }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return Data(try TextDecoding.decode(data, path: path).0.utf8)
        }
        let ascii = String(decoding: bytes.prefix(4096).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var declared: String?
        if let r = ascii.range(of: #"charset\s*=\s*["']?([a-z0-9_-]+)"#, options: .regularExpression) {
            declared = String(ascii[r]).components(separatedBy: "=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        }
        var text: String
        if let d = declared, ["gbk", "gb2312", "gb18030", "x-gbk", "cp936"].contains(d) {
            guard let t = TextDecoding.gb18030(bytes) else { throw ReaderError.undecodable(path: path) }
            text = t
        } else {
            text = try TextDecoding.decode(data, path: path).0
        }
        // The bytes handed to libxml2 are UTF-8 whatever the page declared.
        if FastText.contains(text, "charset") {
            text = text.replacingOccurrences(of: #"charset\s*=\s*["']?[A-Za-z0-9_-]+"#, with: "charset=utf-8", options: .regularExpression)
        }
        return Data(text.utf8)
    }
}

/// Turns an HTML tree into lines: block elements end lines; data tables give one tab-separated line per row.
struct Lineariser {
    struct Line { var text: String; var sourceLine: Int; var table: Int?; var row: Int? }
    let budget: ReadBudget
    var lines: [Line] = []
    /// Grid cells placed so far, counting those that spans cover; reading stops past the budget.
    var cells = 0
    var overCells = false
    var current = ""
    var currentLine = 0
    var tableCount = 0

    mutating func flush() {
        let t = Self.trimmed(current)
        if !t.isEmpty { lines.append(Line(text: t, sourceLine: currentLine, table: nil, row: nil)) }
        current = ""
    }

    /// Walks `n`; when `stopAt` is reached, stops (used to collect what precedes the report body).
    @discardableResult
    mutating func walk(_ n: XNode, stopAt: XNode?) -> Bool {
        if let s = stopAt, n === s { flush(); return true }
        if let t = n.text {
            if current.isEmpty { currentLine = n.line }
            current += Self.spacedOut(t)
            return false
        }
        if HTMLReader.skipTags.contains(n.name) { return false }
        if n.name == "br" { flush(); return false }
        if overCells || lines.count > budget.maxLines { return true }
        if n.name == "table" {
            flush()
            // A data table holds only text and paragraphs in its cells; a table holding tables, headings,
            // sections or lists is page layout.
            if !n.hasDescendant(named: Self.layoutTags) {
                emitTable(n)
            } else {
                // A layout table: its cells are page regions, read as blocks.
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

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`; scalar by scalar for text of plain scalars and tabs,
    /// among which the white space is tab, space and U+3000.
    static func trimmed(_ s: String) -> String {
        let us = s.unicodeScalars
        guard us.allSatisfy({ $0 == "\t" || FastText.isPlainScalar($0) }) else {
            return s.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == "\t" || u == " " || u == "\u{3000}" }
        var start = us.startIndex, end = us.endIndex
        while start < end, isSpace(us[start]) { start = us.index(after: start) }
        while end > start, isSpace(us[us.index(before: end)]) { end = us.index(before: end) }
        if start == us.startIndex && end == us.endIndex { return s }
        return String(Substring(us[start..<end]))
    }

    /// Tags that make a table page layout when they occur inside it.
    static let layoutTags: Set<String> = ["table", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "form", "section", "article"]

    /// A text node's text with line feeds and no-break spaces made spaces. Text of plain scalars, tabs and line
    /// feeds only (`FastText.isPlainScalar`: no character joins another) is rewritten scalar by scalar.
    static func spacedOut(_ t: String) -> String {
        if t.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || FastText.isPlainScalar($0) }) {
            return t.utf8.contains(0x0A) ? FastText.mapScalars(t) { $0 == "\n" ? " " : $0 } : t
        }
        return t.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ")
    }

    /// A data table: cells placed on a grid with rowspan/colspan; each row one line, cells separated by tabs.
    mutating func emitTable(_ table: XNode) {
        tableCount += 1
        let rows = table.descendants("tr")
        var pending: [Int: Int] = [:]  // grid column → rows still covered by a rowspan from above
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
                var inner = Lineariser(budget: budget)
                for c in cell.children { inner.walk(c, stopAt: nil) }
                inner.flush()
                let joined = inner.lines.map(\.text).joined(separator: " ")
                // A tab is a character of its own: without one there is nothing to replace.
                let text = joined.utf8.contains(0x09) ? joined.replacingOccurrences(of: "\t", with: " ") : joined
                // Spans are clamped (a rowspan to the rows left in the table), and every grid cell a span covers
                // counts against the budget, so a page cannot make the grid, and the work, arbitrarily large.
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
            lines.append(Line(text: fields.joined(separator: "\t"), sourceLine: tr.line, table: tableCount, row: ri + 1))
        }
    }
}
