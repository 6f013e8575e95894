import Foundation
import OGIModel

/// Reads a report published as a web page: decodes it (UTF-8, GBK/GB2312/GB18030 declared in `<meta>` or
/// not at all), parses it tolerantly with libxml2, finds the report body among the page furniture,
/// resolves `rowspan`/`colspan` in data tables, and reads the result like text. Locations are lines of the
/// HTML source.
public struct HTMLReader: DraftingReader {
    let text: TextReader
    let ctx: ReaderContext
    let budget: ReadBudget
    /// Whether the attributes no reader reads are taken out before libxml2 parses the page
    /// (`HTMLAttributeStripper`); off only in the tests that compare both readings.
    var stripsAttributes = true
    /// Whether spans are flattened too (`HTMLAttributeStripper.strippedPage`) where the profile allows it; off only
    /// in the tests that compare both readings.
    var flattensSpans = true

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
        if Self.ruledOutByFirstByte(input.head) { return .none }
        return claimByText(input)
    }

    /// The claim from the sniffer's lower-cased and trimmed text, for an input without an HTML extension.
    func claimByText(_ input: InputSniffer) -> ReaderClaim {
        if input.trimmedText.hasPrefix("<"), Self.openingTags.contains(where: { input.lowercasedText.contains($0) }) { return .content }
        return .none
    }

    /// True when the head's first byte alone shows `claimByText` gives `.none`, as `ModelReader.ruledOutByFirstByte`
    /// reads it: a visible ASCII byte other than `<`, or a CJK ideograph (a report's title), is the text's first
    /// scalar, neither trimmed nor changed by lower-casing, so the trimmed text cannot start with `<`. The text
    /// forms (lower-casing 2 KB, costly when they hold letters of other scripts) are then not computed.
    static func ruledOutByFirstByte(_ head: [UInt8]) -> Bool {
        if head.count >= 3, head[0] >= 0xE3, head[0] <= 0xE9, head[1] & 0xC0 == 0x80, head[2] & 0xC0 == 0x80 {
            let u = UInt32(head[0] & 0x0F) << 12 | UInt32(head[1] & 0x3F) << 6 | UInt32(head[2] & 0x3F)
            if (0x3400...0x4DBF).contains(u) || (0x4E00...0x9FFF).contains(u) { return true }
        }
        guard let first = head.first, first > 0x20, first < 0x7F else { return false }
        return first != UInt8(ascii: "<")
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
        try read(path: path, data: data, depth: .report)
    }

    /// The metadata `read(path:data:)` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        try read(path: path, data: data, depth: .metadata).metadata
    }

    /// Reads the page; below `.report` depth, only the returned report's metadata is meaningful (at `.pairing`,
    /// only its agency and year). The page's own date is looked for only when the report has none.
    func read(path: String, data: Data, depth: ReadDepth) throws -> Report {
        try withDraft(path: path, data: data) { draft, pageDate in text.report(from: draft, depth: depth, pageDate: pageDate) }
    }

    /// The page's lines; its <meta> date, and whether it may have a date line outside the report body (looked for
    /// only by a report without a signature date, which is then read from the file: `pageDateUnresolved`).
    public func draft(path: String, data: Data) throws -> LinedDraft {
        try withDraft(path: path, data: data) { draft, _ in draft }
    }

    /// Parses the page and calls `body` with its draft (with the <meta> date) and a function that finds the page's
    /// own publication date (its <meta> tags, else a visible date line (发布时间 …) in the page around the report
    /// body), valid only during the call.
    func withDraft<T>(path: String, data: Data, _ body: (LinedDraft, () -> LinedDraft.PageDate?) throws -> T) throws -> T {
        try withDecodedDraft(path: path, utf8: try Self.decode(data, path: path), body)
    }

    /// `withDraft` of a page already decoded (`decode`: decoding is not repeated, as it need not give the same bytes
    /// twice: a page declaring its charset in upper case keeps the declaration).
    func withDecodedDraft<T>(path: String, utf8: Data, _ body: (LinedDraft, () -> LinedDraft.PageDate?) throws -> T) throws -> T {
        try budget.check(utf8.count, budget.maxDecodedBytes, path, "the page is \(utf8.count) bytes once decoded", unit: "bytes")
        if XMLTree.containsDeclaration(utf8, "ENTITY") {
            throw ReaderError.unsafe(path: path, detail: "the page declares entities; ogilint does not expand them")
        }
        let elements = XMLTree.elementCount(utf8)
        try budget.check(elements, budget.maxElements, path, "the page has \(elements) elements", unit: "elements")
        do {
            var stripped: [UInt8]?
            if stripsAttributes {
                let page = HTMLAttributeStripper.strippedPage(utf8, flatteningSpans: flattensSpans)
                if let page, page.spanDepth > 0 {
                    // A profile whose headings let a text count for two parts is read without flattening (asked
                    // only of a page with spans to flatten).
                    if ctx.partHeadings.value.prefixFree, let read = try flattenedDraft(path: path, page: page, decoded: utf8, body) {
                        return read
                    }
                    stripped = HTMLAttributeStripper.strippedBytes(utf8)
                } else {
                    stripped = page?.bytes
                }
            }
            // The page is read from the tree built from libxml2's parse events; libxml2's own tree
            // (`XMLTree.parseHTML`) gives the same nodes and is what `HTMLTreeTests` compares it with.
            let tree = try stripped.map { try HTMLTree.parse($0) } ?? HTMLTree.parse(utf8)
            // The nodes are views into `tree`, which lives until the draft has been read.
            return try withExtendedLifetime(tree) { try draft(path: path, root: tree.rootNode!, body) }
        } catch XMLTree.Failure.libraryUnavailable(let why) {
            throw XMLTree.libraryError(path, why, "HTML")
        } catch is XMLTree.Failure {
            throw ReaderError.corrupt(path: path, detail: "the HTML could not be parsed")
        }
    }

    /// `withDraft` of a page whose spans `HTMLAttributeStripper` flattened (`page`; `decoded` is the page itself),
    /// or nil when the page must be read again as it is: the parse of `page` has the tree of the page less its spans
    /// only where libxml2's depth limit is not reached with them and no line is at its cap, and the reading of
    /// the tree is the same only where it reaches no budget (`draft`).
    func flattenedDraft<T>(
        path: String, page: HTMLAttributeStripper.StrippedPage, decoded: Data, _ body: (LinedDraft, () -> LinedDraft.PageDate?) throws -> T
    ) throws -> T? {
        let tree = try HTMLTree.parse(page.bytes, splits: page.splits)
        guard !tree.stopped, !tree.reachedLineCap, tree.mostOpen + page.spanDepth <= 256, let root = tree.rootNode else { return nil }
        return try withExtendedLifetime(tree) { () -> T? in
            let reading = bodyReading(root)
            guard !reading.overBudget else { return nil }
            return try draft(path: path, root: root, reading: reading, flattenedFrom: decoded, body)
        }
    }

    /// The draft of a parsed page from its root element, handed to `body` as `withDraft` does.
    ///
    /// `reading`: `bodyReading(root)` when already made. `flattenedFrom`: the decoded page, when `root` is of a parse
    /// with spans flattened. Reading stops at the same places with and without the spans only while no budget is
    /// reached (the reading checks its budgets at elements, and spans are elements): so `flattenedDraft` reads the
    /// page again as it is where the body's reading reached one, and a page date looked for in a page over its
    /// budget is looked for so too (`plainPageDate`).
    func draft<Node: MarkupNode, T>(
        path: String, root: Node, reading: BodyReading<Node>? = nil, flattenedFrom page: Data? = nil,
        _ body: (LinedDraft, () -> LinedDraft.PageDate?) throws -> T
    ) throws -> T {
        let out = reading ?? bodyReading(root)
        if out.overCells {
            throw budget.refusal(
                path, "the page's tables have more than \(budget.maxTableCells) cells once rowspan and colspan are spread out",
                limit: budget.maxTableCells, unit: "table cells")
        }
        try budget.check(out.lines.count, budget.maxLines, path, "the page has \(out.lines.count) lines of text", unit: "lines")
        let meta = Self.metaDate(root).map { LinedDraft.PageDate(date: $0.0, line: $0.1) }
        let draft = LinedDraft(
            path: path, sourceFormat: "html",
            lines: out.lines.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element.text) },
            origins: out.lines.map { LineOrigin(line: $0.sourceLine, table: $0.table, row: $0.row, fieldIsCell: $0.row != nil) },
            pageDate: meta, pageDateUnresolved: meta == nil && out.content != out.body)
        return try body(draft) {
            if let meta { return meta }
            guard out.content != out.body else { return nil }
            let lines = pageLines(out.body)
            if let page, lines.overBudget { return plainPageDate(page) }
            if let (date, line) = pageDate(lines.lines) { return LinedDraft.PageDate(date: date, line: line) }
            return nil
        }
    }

    /// The page date the draft of `page` (decoded) has when its spans are not flattened.
    func plainPageDate(_ page: Data) -> LinedDraft.PageDate? {
        var reader = self
        reader.flattensSpans = false
        return try? reader.withDecodedDraft(path: "", utf8: page) { _, pageDate in pageDate() }
    }

    /// The report's lines in a parsed page, and where they came from.
    struct BodyReading<Node: MarkupNode> {
        /// The report body's lines, after the title line found before it when the body is not the whole page.
        var lines: [Lineariser.Line]
        /// True when the tables went over the cell budget (reading stopped there).
        var overCells: Bool
        /// The page's `<body>` (or the root without one) and the report body found in it.
        var body: Node
        var content: Node
        /// Some reading of the page reached a budget (`Lineariser.overBudget`).
        var overBudget: Bool
    }

    /// Finds the report body in the page and reads its lines; one walk over the page's elements up to the end of
    /// the report body (what precedes it is read only for the title line).
    func bodyReading<Node: MarkupNode>(_ root: Node) -> BodyReading<Node> {
        let body = Self.firstChild(of: root, named: "body") ?? root
        let content = reportBody(body)
        var out = Lineariser(budget: budget)
        var overBudget = false
        // The title often sits outside the content block (in a page header): keep the first title line before it.
        if content != body {
            var all = Lineariser(budget: budget)
            all.walk(body, stopAt: content)
            overBudget = all.overBudget
            let words = ctx.templates.profile.titleWords
            // `TextScan.firstRange` is Foundation's `contains` (a portal's menus are hundreds of lines, each asked for every
            // title word), on bytes where both texts are plain scalars.
            if let t = all.lines.last(where: { l in
                words.contains { TextScan.firstRange(of: $0, in: l.text) != nil } && l.text.count <= 80
            }) {
                out.lines.append(t)
            }
        }
        out.walk(content, stopAt: nil)
        out.flush()
        return BodyReading(
            lines: out.lines, overCells: out.overCells, body: body, content: content, overBudget: overBudget || out.overBudget)
    }

    /// Every line of the page body, furniture included: where a publication date outside the report is looked for.
    func pageLines<Node: MarkupNode>(_ body: Node) -> (lines: [Lineariser.Line], overBudget: Bool) {
        var page = Lineariser(budget: budget)
        page.walk(body, stopAt: nil)
        page.flush()
        return (page.lines, page.overBudget)
    }

    /// `<meta>` names and properties that carry a page's publication date.
    static let dateMetaNames: Set<String> = ["pubdate", "publishdate", "article:published_time"]

    /// The publication date in a `<meta name="PubDate" content="2021-03-05 08:58">` tag, and its line.
    static func metaDate<Node: MarkupNode>(_ root: Node) -> (CalendarDate, Int)? {
        let scope = firstChild(of: root, named: "head") ?? root
        var found: (CalendarDate, Int)?
        func visit(_ n: Node) -> Bool {
            for c in n.children where c.isElement {
                if c.lowercasedName == "meta" {
                    let name =
                        (c.attribute("name", html: true) ?? c.attribute("property", html: true) ?? c.attribute("itemprop", html: true) ?? "")
                        .lowercased()
                    if dateMetaNames.contains(name), let content = c.attribute("content", html: true), let d = leadingDate(content) {
                        found = (d, c.line)
                        return true
                    }
                }
                if visit(c) { return true }
            }
            return false
        }
        _ = visit(scope)
        return found
    }

    /// The first child element of `n` whose lower-cased name is `name`.
    static func firstChild<Node: MarkupNode>(of n: Node, named name: String) -> Node? {
        n.children.first { $0.isElement && $0.lowercasedName == name }
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
    /// The parts an element holds are bits of a word (a profile has far fewer than 64 parts; one with more is read
    /// with sets, `reportBodyBySets`), and a text is made a string only when it may start with numbering.
    func reportBody<Node: MarkupNode>(_ body: Node) -> Node {
        let numerals = ctx.templates.profile.partNumerals
        let numeralForm = LabelNumerals(numerals)
        let headings = ctx.partHeadings.value.normalized
        guard headings.count <= 64 else { return reportBodyBySets(body) }
        let scan = HeadingScan(numerals: numerals, headings: headings)
        var best: (Node, Int, Int)? = nil  // node, score, depth
        func parts(_ n: Node, depth: Int) -> UInt64 {
            if !n.isElement {
                guard let content = n.content, scan.mayBeNumbered(utf8: content), !scan.holdsNoHeading(utf8: content) else {
                    return 0
                }
                let norm = LabelText.normalize(String(cString: content))
                let bare = LabelText.stripNumbering(norm, numerals: numeralForm)
                guard bare != norm else { return 0 }
                let plain = scan.plainHeadings && FastText.isAllPlain(bare)
                var found: UInt64 = 0
                for i in headings.indices where headings[i].contains(where: { HeadingScan.hasPrefix(bare, $0, plain: plain) }) {
                    found |= 1 << UInt64(i)
                }
                return found
            }
            if n.htmlTag.contains(.skipped) { return 0 }
            var found: UInt64 = 0
            for c in n.children { found |= parts(c, depth: depth + 1) }
            let count = found.nonzeroBitCount
            if found != 0, best == nil || count > best!.1 || (count == best!.1 && depth > best!.2) {
                best = (n, count, depth)
            }
            return found
        }
        _ = parts(body, depth: 0)
        guard let b = best, b.1 >= 3 else { return body }
        return b.0
    }

    /// `reportBody` with the parts an element holds in sets, for a profile of more than 64 parts.
    func reportBodyBySets<Node: MarkupNode>(_ body: Node) -> Node {
        let numerals = ctx.templates.profile.partNumerals
        let numeralForm = LabelNumerals(numerals)
        let headings = ctx.partHeadings.value.normalized
        let scan = HeadingScan(numerals: numerals, headings: headings)
        var best: (Node, Int, Int)? = nil  // node, score, depth
        func parts(_ n: Node, depth: Int) -> Set<Int> {
            if let t = n.text {
                guard scan.mayBeNumbered(t) else { return [] }
                let norm = LabelText.normalize(t)
                let bare = LabelText.stripNumbering(norm, numerals: numeralForm)
                guard bare != norm else { return [] }
                let plain = scan.plainHeadings && FastText.isAllPlain(bare)
                return Set(headings.indices.filter { i in headings[i].contains { HeadingScan.hasPrefix(bare, $0, plain: plain) } })
            }
            if Self.skipTags.contains(n.lowercasedName) { return [] }
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
    ///
    /// `decodedByString` made a `String` of the page and then the bytes again; here the bytes are rewritten
    /// directly when that gives the same bytes: a page of valid UTF-8 without a BOM and without a NUL in its first
    /// 8,192 bytes is what `TextDecoding.decode` returns unchanged, and a page declaring GBK is iconv's output
    /// (`HTMLCharset.utf8FromGB18030`). `HTMLDecodeFastPathTests` compares the two.
    ///
    /// The page's bytes are read where `data` holds them, and a page of UTF-8 that declares no other charset is
    /// handed back as it came (`data` itself, not a copy).
    static func decode(_ data: Data, path: String) throws -> Data {
        if data.isEmpty { throw ReaderError.empty(path: path) }
        enum Route { case byString, gbk, plain(Data) }
        let route = data.withUnsafeBytes { raw -> Route in
            let b = raw.bindMemory(to: UInt8.self)
            if b.starts(with: [0xEF, 0xBB, 0xBF]) || b.starts(with: [0xFF, 0xFE]) || b.starts(with: [0xFE, 0xFF]) { return .byString }
            if HTMLCharset.declaresGBK(b) { return .gbk }
            guard memchr(b.baseAddress!, 0, min(b.count, 8192)) == nil, TextDecoding.isValidUTF8(b) else { return .byString }
            return .plain(HTMLCharset.declaringUTF8(utf8: b, unchanged: data))
        }
        switch route {
        case .byString:
            return try decodedByString(data, path: path)
        case .gbk:
            guard let utf8 = HTMLCharset.utf8FromGB18030([UInt8](data)) else { throw ReaderError.undecodable(path: path) }
            return utf8.withUnsafeBufferPointer { HTMLCharset.declaringUTF8(utf8: $0) }
        case .plain(let utf8):
            return utf8
        }
    }

    /// `decode` through a `String` of the whole page.
    static func decodedByString(_ data: Data, path: String) throws -> Data {
        if data.isEmpty { throw ReaderError.empty(path: path) }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return Data(try TextDecoding.decode(data, path: path).0.utf8)
        }
        let text: String
        if HTMLCharset.declaresGBK(bytes) {
            guard let t = TextDecoding.gb18030(bytes) else { throw ReaderError.undecodable(path: path) }
            text = t
        } else {
            text = try TextDecoding.decode(data, path: path).0
        }
        // The bytes handed to libxml2 are UTF-8 whatever the page declared.
        return Data(HTMLCharset.declaringUTF8(text).utf8)
    }
}

/// Turns an HTML tree into lines: block elements end lines; data tables give one tab-separated line per row.
struct Lineariser {
    struct Line: Equatable { var text: String; var sourceLine: Int; var table: Int?; var row: Int? }
    let budget: ReadBudget
    var lines: [Line] = []
    /// Grid cells placed so far, counting those that spans cover; reading stops past the budget.
    var cells = 0
    var overCells = false
    var current = ""
    var currentLine = 0
    var tableCount = 0
    /// A cell's lines went over the line budget (`emitTable`).
    var cellOverBudget = false

    /// The reading reached a budget: too many cells, or too many lines here or in a cell. Lines and cells only
    /// grow, so this is true at the end when it was at any point where the walk checked it.
    var overBudget: Bool { overCells || cellOverBudget || lines.count > budget.maxLines }

    mutating func flush() {
        let t = Self.trimmed(current)
        if !t.isEmpty { lines.append(Line(text: t, sourceLine: currentLine, table: nil, row: nil)) }
        current = ""
    }

    /// Walks `n`; when `stopAt` is reached, stops (used to collect what precedes the report body).
    @discardableResult
    mutating func walk<Node: MarkupNode>(_ n: Node, stopAt: Node?) -> Bool {
        if let s = stopAt, n == s { flush(); return true }
        if let t = n.text {
            if current.isEmpty { currentLine = n.line }
            current += Self.spacedOut(t)
            return false
        }
        let tag = n.htmlTag
        if tag.contains(.skipped) { return false }
        if tag.contains(.lineBreak) { flush(); return false }
        if overCells || lines.count > budget.maxLines { return true }
        if tag.contains(.table) {
            flush()
            // A data table holds only text and paragraphs in its cells; a table holding tables, headings,
            // sections or lists is page layout.
            if !Self.hasLayoutDescendant(n) {
                emitTable(n)
            } else {
                // A layout table: its cells are page regions, read as blocks.
                for c in n.children { if walk(c, stopAt: stopAt) { return true }; flush() }
            }
            return false
        }
        let block = tag.contains(.endsLine)
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

    /// The text of a cell with only text children (`spacedOut`, joined); nil when it has an element child.
    static func textOnly<Node: MarkupNode>(_ cell: Node) -> String? {
        var out = ""
        for c in cell.children {
            guard let t = c.text else { return nil }
            out += spacedOut(t)
        }
        return out
    }

    /// True when some element below `n` (not `n` itself) is named one of `layoutTags`.
    static func hasLayoutDescendant<Node: MarkupNode>(_ n: Node) -> Bool {
        n.children.contains { $0.isElement && ($0.htmlTag.contains(.layout) || hasLayoutDescendant($0)) }
    }

    /// The `tr` elements below `n`, in document order.
    static func rows<Node: MarkupNode>(_ n: Node, into out: inout [Node]) {
        for c in n.children where c.isElement {
            if c.htmlTag.contains(.row) { out.append(c) }
            rows(c, into: &out)
        }
    }

    /// Tags that make a table page layout when they occur inside it.
    static let layoutTags: Set<String> = ["table", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "form", "section", "article"]

    /// A text node's text with line feeds and no-break spaces made spaces. Text of plain scalars, tabs and line
    /// feeds only (`FastText.isPlainScalar`: no character joins another) is rewritten scalar by scalar.
    /// Text of plain scalars, tabs, line feeds and no-break spaces (the `&nbsp;` of empty cells) is rewritten
    /// scalar by scalar too: there every scalar is a character of its own (a no-break space is neither a mark nor
    /// a joiner, and none stands beside it), and no other text is equivalent to a no-break space (its
    /// decomposition is a compatibility one), so replacing the characters is replacing the scalars.
    static func spacedOut(_ t: String) -> String {
        switch plainSpacing(t) {
        case .plainWithBreaks: return FastText.mapScalars(t) { $0 == "\n" || $0 == "\u{00A0}" ? " " : $0 }
        case .plainWithoutBreaks: return t
        case .other: return generallySpacedOut(t)
        }
    }

    /// What `spacedOut` reads of a text: whether all its scalars are line feeds, tabs, no-break spaces or plain
    /// (`FastText.isPlainScalar`), and then whether it holds a line feed or a no-break space.
    enum PlainSpacing { case plainWithBreaks, plainWithoutBreaks, other }

    /// `PlainSpacing` of `t` in one pass over its UTF-8 bytes, each scalar decoded from them (a lead byte E5...E9
    /// starts a scalar of U+5000...U+9FFF, all plain: passed over without decoding; a lead byte E4 one of
    /// U+4000...U+4FFF, plain from U+4E00 on, where its second byte is B8 or more).
    static func plainSpacing(_ t: String) -> PlainSpacing {
        return t.withUTF8Bytes { b in
            var breaks = false
            var i = 0
            while i < b.count {
                let x = b[i]
                if x &- 0xE5 < 5 {
                    i &+= 3
                    continue
                }
                if x == 0xE4 {
                    if b[i &+ 1] < 0xB8 { return .other }
                    i &+= 3
                    continue
                }
                let (v, len) = UTF8Scan.scalar(b, i)
                if v == 0x0A || v == 0xA0 {
                    breaks = true
                } else if v != 0x09 && !FastText.isPlainScalar(Unicode.Scalar(v)!) {
                    return .other
                }
                i += len
            }
            return breaks ? .plainWithBreaks : .plainWithoutBreaks
        }
    }

    /// `spacedOut` as it read the text through its scalar and UTF-8 views (the reference `plainSpacing` is
    /// compared with in tests).
    static func spacedOutByViews(_ t: String) -> String {
        if t.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || $0 == "\u{00A0}" || FastText.isPlainScalar($0) }) {
            // Among these scalars, 0xC2 starts only a no-break space.
            guard t.utf8.contains(where: { $0 == 0x0A || $0 == 0xC2 }) else { return t }
            return FastText.mapScalars(t) { $0 == "\n" || $0 == "\u{00A0}" ? " " : $0 }
        }
        return generallySpacedOut(t)
    }

    /// `spacedOut` for any text.
    static func generallySpacedOut(_ t: String) -> String {
        t.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ")
    }

    /// `s.replacingOccurrences(of: "\t", with: " ")`, byte by byte: a tab is a character of its own (grapheme
    /// clusters break before and after a control character, and no other text is equivalent to it), and in UTF-8
    /// the byte 0x09 is only ever a tab. Without a tab there is nothing to replace.
    static func tabsMadeSpaces(_ t: String) -> String {
        let replaced = t.withUTF8Bytes { b -> String? in
            guard let base = b.baseAddress, memchr(base, 0x09, b.count) != nil else { return nil }
            // A tab followed by a mark or joiner is not a character of its own: those are left to Foundation.
            for i in 0..<(b.count - 1) where b[i] == 0x09 && b[i + 1] >= 0x80 { return t.replacingOccurrences(of: "\t", with: " ") }
            return String(unsafeUninitializedCapacity: b.count) { out in
                for i in 0..<b.count { out[i] = b[i] == 0x09 ? 0x20 : b[i] }
                return b.count
            }
        }
        return replaced ?? t
    }

    /// A data table: cells placed on a grid with rowspan/colspan; each row one line, cells separated by tabs.
    mutating func emitTable<Node: MarkupNode>(_ table: Node) {
        tableCount += 1
        var rows: [Node] = []
        Self.rows(table, into: &rows)
        // Grid column → rows still covered by a rowspan from above (0 for a column no rowspan covers).
        var pending: [Int] = []
        for (ri, tr) in rows.enumerated() {
            if overCells { return }
            // The row's fields joined by tabs as they are placed (what `[String].joined(separator: "\t")` gave), as
            // UTF-8 bytes: pieces of valid strings and tabs make valid UTF-8, which becomes the line's string once.
            var line: [UInt8] = []
            line.reserveCapacity(256)
            var fieldCount = 0
            func addField(_ text: String) {
                if fieldCount > 0 { line.append(0x09) }
                text.withUTF8Bytes { line.append(contentsOf: $0) }
                fieldCount += 1
            }
            var col = 0
            func skipCovered() {
                while col < pending.count, pending[col] > 0 {
                    addField("")
                    pending[col] -= 1
                    col += 1
                }
            }
            for cell in tr.children where cell.isElement && cell.htmlTag.contains(.cell) {
                skipCovered()
                let joined: String
                if let text = Self.textOnly(cell) {
                    // What a lineariser walking the text children gives: their text as one line, trimmed.
                    joined = Self.trimmed(text)
                } else {
                    var inner = Lineariser(budget: budget)
                    for c in cell.children { inner.walk(c, stopAt: nil) }
                    inner.flush()
                    if inner.overBudget { cellOverBudget = true }
                    joined = inner.lines.map(\.text).joined(separator: " ")
                }
                let text = Self.tabsMadeSpaces(joined)
                // Spans are clamped (a rowspan to the rows left in the table), and every grid cell a span covers
                // counts against the budget, so a page cannot make the grid, and the work, arbitrarily large.
                // A cell without attributes (most) spans one row and one column: its attributes are not looked up.
                let hasAttributes = cell.hasAttributes
                let rowspan = min(
                    budget.maxSpan, rows.count - ri, hasAttributes ? max(1, Int(cell.attribute("rowspan", html: true) ?? "1") ?? 1) : 1)
                let colspan = min(budget.maxSpan, hasAttributes ? max(1, Int(cell.attribute("colspan", html: true) ?? "1") ?? 1) : 1)
                cells += rowspan * colspan
                if cells > budget.maxTableCells { overCells = true; return }
                addField(text)
                if rowspan > 1 {
                    if pending.count < col + colspan { pending += repeatElement(0, count: col + colspan - pending.count) }
                    for k in 0..<colspan { pending[col + k] = rowspan - 1 }
                }
                col += colspan
            }
            skipCovered()
            lines.append(Line(text: String(decoding: line, as: UTF8.self), sourceLine: tr.line, table: tableCount, row: ri + 1))
        }
    }
}

/// What the HTML reader makes of an element, by its lower-cased name (`XMLNode.lowercasedName`), found without
/// making the name a string: the flags are membership of `HTMLReader.skipTags`, `HTMLReader.blockTags`,
/// `Lineariser.layoutTags` and of the names `br`, `table`, `tr`, `td`, `th`, looked up by the name's bytes packed
/// into two words. A name of other than ASCII bytes, or longer than 16 bytes, is looked up in the sets themselves.
struct HTMLTag: OptionSet {
    let rawValue: UInt8
    static let skipped = HTMLTag(rawValue: 1)
    /// A block (`blockTags`) or `tr`, `td`, `th`: it starts and ends a line.
    static let endsLine = HTMLTag(rawValue: 2)
    static let layout = HTMLTag(rawValue: 4)
    /// `br`.
    static let lineBreak = HTMLTag(rawValue: 8)
    static let table = HTMLTag(rawValue: 16)
    static let row = HTMLTag(rawValue: 32)
    /// `td` or `th`.
    static let cell = HTMLTag(rawValue: 64)

    struct Key: Comparable {
        var low: UInt64, high: UInt64
        static func < (a: Key, b: Key) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    }

    /// The flags for a lower-cased name, from the sets.
    static func named(_ name: String) -> HTMLTag {
        var tag: HTMLTag = []
        if HTMLReader.skipTags.contains(name) { tag.insert(.skipped) }
        if HTMLReader.blockTags.contains(name) || name == "tr" || name == "td" || name == "th" { tag.insert(.endsLine) }
        if Lineariser.layoutTags.contains(name) { tag.insert(.layout) }
        if name == "br" { tag.insert(.lineBreak) }
        if name == "table" { tag.insert(.table) }
        if name == "tr" { tag.insert(.row) }
        if name == "td" || name == "th" { tag.insert(.cell) }
        return tag
    }

    /// The packed key of up to 16 ASCII bytes.
    static func key(_ bytes: some Sequence<UInt8>) -> Key {
        var k = Key(low: 0, high: 0)
        for (i, b) in bytes.enumerated() {
            if i < 8 { k.low |= UInt64(b) << UInt64(8 * i) } else { k.high |= UInt64(b) << UInt64(8 * (i - 8)) }
        }
        return k
    }

    /// Every name with flags, sorted by key: `byKeyFromSets` written out (a name's key is its bytes, the first in
    /// the low byte), so that a process does not build it from the sets on its first page. `MarkupFastPath2Tests`
    /// checks that the two are equal. Look-ups read it through `slots`, which does not depend on the order.
    static let byKey: [(key: Key, tag: HTMLTag)] = [
        (Key(low: 0x0000_0000_0000_0070, high: 0x0000), [.endsLine]),  // p
        (Key(low: 0x0000_0000_0000_3168, high: 0x0000), [.endsLine, .layout]),  // h1
        (Key(low: 0x0000_0000_0000_3268, high: 0x0000), [.endsLine, .layout]),  // h2
        (Key(low: 0x0000_0000_0000_3368, high: 0x0000), [.endsLine, .layout]),  // h3
        (Key(low: 0x0000_0000_0000_3468, high: 0x0000), [.endsLine, .layout]),  // h4
        (Key(low: 0x0000_0000_0000_3568, high: 0x0000), [.endsLine, .layout]),  // h5
        (Key(low: 0x0000_0000_0000_3668, high: 0x0000), [.endsLine, .layout]),  // h6
        (Key(low: 0x0000_0000_0000_6464, high: 0x0000), [.endsLine]),  // dd
        (Key(low: 0x0000_0000_0000_6474, high: 0x0000), [.endsLine, .cell]),  // td
        (Key(low: 0x0000_0000_0000_6874, high: 0x0000), [.endsLine, .cell]),  // th
        (Key(low: 0x0000_0000_0000_696C, high: 0x0000), [.endsLine]),  // li
        (Key(low: 0x0000_0000_0000_6C64, high: 0x0000), [.endsLine]),  // dl
        (Key(low: 0x0000_0000_0000_6C6F, high: 0x0000), [.endsLine, .layout]),  // ol
        (Key(low: 0x0000_0000_0000_6C75, high: 0x0000), [.endsLine, .layout]),  // ul
        (Key(low: 0x0000_0000_0000_7262, high: 0x0000), [.lineBreak]),  // br
        (Key(low: 0x0000_0000_0000_7274, high: 0x0000), [.endsLine, .row]),  // tr
        (Key(low: 0x0000_0000_0000_7464, high: 0x0000), [.endsLine]),  // dt
        (Key(low: 0x0000_0000_0065_7270, high: 0x0000), [.endsLine]),  // pre
        (Key(low: 0x0000_0000_0067_7673, high: 0x0000), [.skipped]),  // svg
        (Key(low: 0x0000_0000_0076_616E, high: 0x0000), [.endsLine]),  // nav
        (Key(low: 0x0000_0000_0076_6964, high: 0x0000), [.endsLine, .layout]),  // div
        (Key(low: 0x0000_0000_6461_6568, high: 0x0000), [.skipped]),  // head
        (Key(low: 0x0000_0000_6C6D_7468, high: 0x0000), [.endsLine]),  // html
        (Key(low: 0x0000_0000_6D72_6F66, high: 0x0000), [.endsLine, .layout]),  // form
        (Key(low: 0x0000_0000_6E69_616D, high: 0x0000), [.endsLine]),  // main
        (Key(low: 0x0000_0000_7964_6F62, high: 0x0000), [.endsLine]),  // body
        (Key(low: 0x0000_0064_6165_6874, high: 0x0000), [.endsLine]),  // thead
        (Key(low: 0x0000_0065_6469_7361, high: 0x0000), [.endsLine]),  // aside
        (Key(low: 0x0000_0065_6C62_6174, high: 0x0000), [.layout, .table]),  // table
        (Key(low: 0x0000_0065_6C74_6974, high: 0x0000), [.skipped]),  // title
        (Key(low: 0x0000_0065_6C79_7473, high: 0x0000), [.skipped]),  // style
        (Key(low: 0x0000_0074_6F6F_6674, high: 0x0000), [.endsLine]),  // tfoot
        (Key(low: 0x0000_0079_646F_6274, high: 0x0000), [.endsLine]),  // tbody
        (Key(low: 0x0000_656D_6172_6669, high: 0x0000), [.skipped]),  // iframe
        (Key(low: 0x0000_6572_7567_6966, high: 0x0000), [.endsLine]),  // figure
        (Key(low: 0x0000_6E6F_7474_7562, high: 0x0000), [.skipped]),  // button
        (Key(low: 0x0000_7265_6461_6568, high: 0x0000), [.endsLine]),  // header
        (Key(low: 0x0000_7265_746E_6563, high: 0x0000), [.endsLine]),  // center
        (Key(low: 0x0000_7265_746F_6F66, high: 0x0000), [.endsLine]),  // footer
        (Key(low: 0x0000_7463_656A_626F, high: 0x0000), [.skipped]),  // object
        (Key(low: 0x0000_7463_656C_6573, high: 0x0000), [.skipped]),  // select
        (Key(low: 0x0000_7470_6972_6373, high: 0x0000), [.skipped]),  // script
        (Key(low: 0x0065_6C63_6974_7261, high: 0x0000), [.endsLine, .layout]),  // article
        (Key(low: 0x006E_6F69_7463_6573, high: 0x0000), [.endsLine, .layout]),  // section
        (Key(low: 0x006E_6F69_7470_6163, high: 0x0000), [.endsLine]),  // caption
        (Key(low: 0x6574_616C_706D_6574, high: 0x0000), [.skipped]),  // template
        (Key(low: 0x7470_6972_6373_6F6E, high: 0x0000), [.skipped]),  // noscript
        (Key(low: 0x6F75_716B_636F_6C62, high: 0x6574), [.endsLine]),  // blockquote
        (Key(low: 0x6974_7061_6367_6966, high: 0x6E6F), [.endsLine]),  // figcaption
    ]

    /// Every name in the sets (of at most 16 ASCII bytes) with its flags, sorted by key: what `byKey` must hold.

    /// The flags of an element (none for a text node). A page's elements are looked at several times (finding the
    /// report body, the title, each table's rows and layout): the flags found the first time are kept in the
    /// node's `_private` pointer, which libxml2 leaves to the application (its HTML parser sets it to nil and never
    /// reads it), as `0x100 | flags`, so a kept value is never nil.
    static func of(_ node: XMLNode) -> HTMLTag {
        guard node.isElement else { return [] }
        if let kept = node.mark { return HTMLTag(rawValue: UInt8(truncatingIfNeeded: Int(bitPattern: kept))) }
        let tag = looked(up: node)
        node.mark = UnsafeMutableRawPointer(bitPattern: 0x100 | Int(tag.rawValue))
        return tag
    }

    /// The flags of an element, from its name.
    static func looked(up node: XMLNode) -> HTMLTag {
        guard node.isElement, let name = node.rawName else { return [] }
        return looked(upName: name)
    }

    /// The flags of an element named `name` (NUL-terminated, as libxml2 keeps it).
    static func looked(upName name: UnsafePointer<XMLChar>) -> HTMLTag {
        var k = Key(low: 0, high: 0)
        var i = 0
        while name[i] != 0 {
            var b = name[i]
            if b >= 0x80 || i == 16 { return named(XMLNode.lowercased(name)) }
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if i < 8 { k.low |= UInt64(b) << UInt64(8 * i) } else { k.high |= UInt64(b) << UInt64(8 * (i - 8)) }
            i += 1
        }
        return lookedUp(k)
    }

    /// `byKey` as an open-addressing hash table of `slotCount` slots (linear probing; an empty slot holds the key
    /// of no name, zero, with no flags), in memory that is never freed: a look-up hashes the key and compares a
    /// slot or two (at most two for every name in `byKey` and for the common names of Word-saved pages: span,
    /// o:p, font, link, meta, img…), instead of a binary search over `byKey` (six comparisons) behind a retain of
    /// the array.
    private static let slotCount = 256
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<(key: Key, tag: HTMLTag)> = {
        let table = UnsafeMutablePointer<(key: Key, tag: HTMLTag)>.allocate(capacity: slotCount)
        table.initialize(repeating: (Key(low: 0, high: 0), []), count: slotCount)
        for entry in byKey {
            var slot = slotIndex(entry.key)
            while table[slot].key != Key(low: 0, high: 0) { slot = (slot + 1) & (slotCount - 1) }
            table[slot] = entry
        }
        return table
    }()

    @inline(__always) private static func slotIndex(_ k: Key) -> Int {
        Int(truncatingIfNeeded: ((k.low ^ (k.high &* 0x9E37_79B9_7F4A_7C15)) &* 0x94D0_49BB_1331_11EB) >> 56)
    }

    /// The flags `byKey` has for `k`, none when it has none.
    static func lookedUp(_ k: Key) -> HTMLTag {
        let table = slots
        var slot = slotIndex(k)
        while true {
            let entry = table[slot]
            if entry.key == k { return entry.tag }
            if entry.key == Key(low: 0, high: 0) { return [] }
            slot = (slot + 1) & (slotCount - 1)
        }
    }
}
