import Foundation
import OGIModel
import ZIPFoundation

/// Reads a DOCX (Word or WPS) draft: `word/document.xml` from the zip, paragraphs in document order with
/// their list numbering, tables row by row with merged cells resolved, tracked insertions kept and
/// deletions dropped. The result is linearised (one line per paragraph, one tab-separated line per table
/// row) and read like text, so every format goes through the same table mapper.
public struct DocxReader: DraftingReader {
    let text: TextReader
    let budget: ReadBudget
    /// Largest uncompressed size accepted for one part of the package.
    var maxPartBytes: Int { budget.maxDecodedBytes }

    public init(context: ReaderContext, budget: ReadBudget = ReadBudget()) {
        self.text = TextReader(context: context, budget: budget)
        self.budget = budget
    }

    public var name: String { "docx" }
    public var extensions: [String] { ["docx"] }
    public func claim(_ input: InputSniffer) -> ReaderClaim {
        if input.starts(with: [0x50, 0x4B, 0x03, 0x04]) || input.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .signature }
        return input.pathExtension == "docx" ? .fileExtension : .none
    }

    /// Where each linearised line came from.
    enum Origin: Equatable { case paragraph(Int), tableRow(table: Int, row: Int) }

    public func read(path: String, data: Data) throws -> Report {
        text.report(from: try draft(path: path, data: data), depth: .report) { nil }
    }

    /// The metadata `read(path:data:)` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        text.report(from: try draft(path: path, data: data), depth: .metadata) { nil }.metadata
    }

    public func draft(path: String, data: Data) throws -> LinedDraft {
        try draft(path: path, data: data, throughArchive: false)
    }

    /// The document's lines, each with its paragraph or table row.
    /// `throughArchive` finds the parts through ZIPFoundation even where the directory alone settles them (tests
    /// compare the two).
    func draft(path: String, data: Data, throughArchive: Bool) throws -> LinedDraft {
        if let problem = ZipStructure.problem(in: data) {
            throw ReaderError.corrupt(path: path, detail: "it is not a readable zip archive (DOCX files are zip archives): \(problem)")
        }
        let documentPart: PartSource
        let numberingPart: PartSource?
        if !throughArchive, let parts = ZipStructure.deflatedParts(in: data, document: Self.documentPath, numbering: Self.numberingPath) {
            // Both parts deflated and described by the directory alone (what Word and WPS write): no archive object.
            documentPart = .deflated(parts.document)
            numberingPart = parts.numbering.map(PartSource.deflated)
        } else {
            let archive: Archive
            do { archive = try Archive(data: data, accessMode: .read) } catch {
                throw ReaderError.corrupt(path: path, detail: "it is not a readable zip archive (DOCX files are zip archives)")
            }
            let (documentEntry, numberingEntry) = Self.documentParts(archive)
            guard let docEntry = documentEntry else {
                throw ReaderError.unsupportedFormat(
                    path: path,
                    detail: "this zip archive is not a DOCX (it has no \(Self.documentPath)); save the draft from Word or WPS as .docx"
                )
            }
            documentPart = .archive(archive, docEntry)
            numberingPart = numberingEntry.map { .archive(archive, $0) }
        }
        // Both parts are streamed (no tree): the document, then its numbering part.
        let documentBytes = try partBytes(documentPart, zipData: data, path: path)
        let document = try stream(documentBytes, partPath: documentPart.path, path: path) { DocxReading(maxLines: budget.maxLines) }
        let numberer = try numberingPart.map { source in
            let numberingBytes = try partBytes(source, zipData: data, path: path)
            return try stream(numberingBytes, partPath: source.path, path: path) { ListNumberingReading() }.withReading(\.numberer)
        }
        let (lines, origins) = try document.lines(numberer: numberer ?? ListNumberer(), budget: budget, path: path)
        return LinedDraft(
            path: path, sourceFormat: "docx", lines: lines,
            origins: origins.map { origin in
                switch origin {
                case .paragraph(let p): LineOrigin(paragraph: p)
                case let .tableRow(t, r): LineOrigin(table: t, row: r, fieldIsCell: true)
                }
            })
    }

    /// The package's main part and its list numbering part.
    static let documentPath = "word/document.xml"
    static let numberingPath = "word/numbering.xml"

    /// The entries `word/document.xml` and `word/numbering.xml`, found in one pass over the archive's entries (each
    /// `archive[path]` is a pass of its own): the first entry of each path, as `archive[path]` gives.
    static func documentParts(_ archive: Archive) -> (document: Entry?, numbering: Entry?) {
        var document: Entry?
        var numbering: Entry?
        for entry in archive {
            if document == nil, entry.path == documentPath {
                document = entry
            } else if numbering == nil, entry.path == numberingPath {
                numbering = entry
            }
            if document != nil, numbering != nil { break }
        }
        return (document, numbering)
    }

    /// Where one part's bytes come from: read off the zip's bytes as the directory describes them, or through
    /// ZIPFoundation's entry.
    enum PartSource {
        case deflated(ZipStructure.DeflatedPart)
        case archive(Archive, Entry)

        var path: String {
            switch self {
            case .deflated(let part): part.path
            case .archive(_, let entry): entry.path
            }
        }

        var uncompressedSize: UInt64 {
            switch self {
            case .deflated(let part): part.uncompressedSize
            case .archive(_, let entry): entry.uncompressedSize
            }
        }
    }

    /// Streams one XML part's bytes (from `partBytes`) into a fresh reading: Word's plain XML through
    /// `DocxReaderScanner`, anything else through libxml2 into another fresh reading (the scanner may have handed the
    /// first one the start of the part before giving up), with `stream(_:partPath:path:into:)`'s errors. The element
    /// budget is checked against the scanner's count of start tags, which for a part it accepts is
    /// `XMLTree.elementCount` (every `<` there begins a tag), or else against that count, before libxml2 parses.
    func stream<Reading: XMLStreamReading>(
        _ part: PartBytes, partPath: String, path: String, fresh: () -> Reading
    ) throws -> XMLStreamDriver<Reading> {
        let data = part.data
        let scanned = XMLStreamDriver(fresh())
        if let elements = DocxReaderScanner.streamCountingElements(
            data, terminated: part.terminated, into: scanned, maxElements: budget.maxElements)
        {
            try checkElements(elements, partPath: partPath, path: path)
            return scanned
        }
        try checkElements(XMLTree.elementCount(data), partPath: partPath, path: path)
        let parsed = XMLStreamDriver(fresh())
        try stream(data, partPath: partPath, path: path, into: parsed)
        return parsed
    }

    /// Streams one XML part's bytes (from `partData`) to `reader` through libxml2: a part that is not well-formed
    /// is a damaged file, one with a DOCTYPE is refused.
    func stream(_ data: Data, partPath: String, path: String, into reader: XMLStreamReader) throws {
        do { try XMLTree.streamXML(data, into: reader) } catch XMLTree.Failure.unparseable(let why) {
            throw ReaderError.corrupt(path: path, detail: "\(partPath) is not well-formed XML (\(why))")
        } catch XMLTree.Failure.libraryUnavailable(let why) {
            throw XMLTree.libraryError(path, why, "this DOCX file")
        } catch {
            throw Self.declaresDTD(path, partPath)
        }
    }

    /// One part's bytes, and whether `ZipStructure.inflate` made them (then a NUL follows them in their allocation).
    struct PartBytes {
        var data: Data
        var terminated: Bool
    }

    /// The bytes of one XML part, refused when oversized, not UTF-8, declaring a DOCTYPE or entities, or over the
    /// element budget.
    func partData(_ source: PartSource, zipData: Data, path: String) throws -> Data {
        let data = try partBytes(source, zipData: zipData, path: path).data
        try checkElements(XMLTree.elementCount(data), partPath: source.path, path: path)
        return data
    }

    /// `partData`'s bytes without the element check (`stream` makes it), with whether they are NUL-terminated.
    func partBytes(_ source: PartSource, zipData: Data, path: String) throws -> PartBytes {
        let partPath = source.path
        if source.uncompressedSize > UInt64(maxPartBytes) {
            throw ReaderError.overLimit(
                path: path, detail: "\(partPath) would unpack to \(source.uncompressedSize) bytes, over the \(maxPartBytes)-byte limit")
        }
        var data = Data()
        var terminated = false
        let limit = maxPartBytes
        struct TooBig: Error {}
        struct Unterminated: Error {}
        let append: (Data) throws -> Void = { chunk in
            data.append(chunk)
            // The size in the zip header can lie; count what is really unpacked.
            if data.count > limit { throw TooBig() }
        }
        /// Inflates exactly the entry's own compressed bytes. A deflate stream that does not end inside them is
        /// damaged: ZIPFoundation would read on past the entry and wait forever for its end.
        func inflate(_ range: Range<Int>, expected: UInt64, checksum: UInt32) throws -> Data {
            do {
                return try zipData[range].withUnsafeBytes { buf in
                    try ZipStructure.inflate(buf, expectedSize: Int(clamping: expected), limit: limit, crc: checksum)
                }
            } catch ZipStructure.InflateFailure.tooBig { throw TooBig() } catch { throw Unterminated() }
        }
        do {
            switch source {
            case .deflated(let part):
                data = try inflate(part.range, expected: part.uncompressedSize, checksum: part.checksum)
                terminated = true
            case let .archive(archive, entry):
                if let stored = ZipStructure.storedData(of: entry.path, in: zipData), stored.method == 8 {
                    data = try inflate(stored.range, expected: entry.uncompressedSize, checksum: entry.checksum)
                    terminated = true
                } else {
                    _ = try archive.extract(entry, skipCRC32: false, consumer: append)
                }
            }
        } catch is TooBig {
            throw ReaderError.overLimit(
                path: path,
                detail: "\(partPath) unpacks to more than \(limit) bytes, over the \(limit)-byte limit (a decompression bomb?)")
        } catch {
            throw ReaderError.corrupt(path: path, detail: "\(partPath) cannot be unpacked")
        }
        // Word writes parts in UTF-8; another encoding would hide declarations from the scan below.
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) || data.prefix(64).contains(0) {
            throw ReaderError.unsafe(
                path: path, detail: "\(partPath) is not UTF-8; Word and WPS always write UTF-8, so the file was not saved by them")
        }
        if XMLTree.containsDeclaration(data, anyOf: ["DOCTYPE", "ENTITY"]) {
            throw Self.declaresDTD(path, partPath)
        }
        return PartBytes(data: data, terminated: terminated)
    }

    /// Refuses a part with more elements than the budget allows.
    func checkElements(_ elements: Int, partPath: String, path: String) throws {
        try budget.check(elements, budget.maxElements, path, "\(partPath) has \(elements) XML elements", unit: "elements")
    }

    static func declaresDTD(_ path: String, _ part: String) -> ReaderError {
        .unsafe(
            path: path, detail: "\(part) declares a DOCTYPE or entities; Word never writes these, and ogilint does not expand or fetch them"
        )
    }
}

/// Reads `word/numbering.xml` as it streams (from `DocxReaderScanner`, or libxml2 through an `XMLStreamDriver`)
/// into a `ListNumberer`: each
/// `abstractNum` child of the root with an `abstractNumId`, with its `lvl` children (`ListNumberer.level`), and
/// each `num` child of the root with a `numId` and a first `abstractNumId` child with a `val`. Where an id comes
/// twice, the later one counts.
struct ListNumberingReading: XMLStreamReading {
    private var levels: [String: [Int: ListNumberer.Level]] = [:]
    private var abstractOf: [String: String] = [:]
    /// The depth of the element being read; the root is 1.
    private var depth = 0
    /// What the depth-2 element being read is.
    private enum Top { case other, abstract(id: String?), num(id: String?) }
    private var top = Top.other
    /// The levels of the `abstractNum` being read.
    private var abstractLevels: [Int: ListNumberer.Level] = [:]
    /// The `lvl` being read: its `ilvl`, and the `val` of its first `start`, `numFmt` and `lvlText` (nil: no such
    /// child yet; .some(nil): a first child without `val`).
    private var level: (ilvl: String?, start: String??, format: String??, text: String??)?
    /// The `val` of the `num` being read's first `abstractNumId` (nil: none yet).
    private var numAbstract: String??

    var numberer: ListNumberer { ListNumberer(levels: levels, abstractOf: abstractOf) }

    mutating func start(_ e: XMLStreamElement) {
        depth += 1
        switch depth {
        case 2:
            if e.isNamed("abstractNum") {
                top = .abstract(id: e.attribute("abstractNumId"))
                abstractLevels = [:]
            } else if e.isNamed("num") {
                top = .num(id: e.attribute("numId"))
                numAbstract = nil
            } else {
                top = .other
            }
        case 3:
            switch top {
            case .abstract: if e.isNamed("lvl") { level = (e.attribute("ilvl"), nil, nil, nil) }
            case .num: if numAbstract == nil, e.isNamed("abstractNumId") { numAbstract = .some(e.attribute("val")) }
            case .other: break
            }
        case 4:
            guard level != nil else { break }
            if level!.start == nil, e.isNamed("start") {
                level!.start = .some(e.attribute("val"))
            } else if level!.format == nil, e.isNamed("numFmt") {
                level!.format = .some(e.attribute("val"))
            } else if level!.text == nil, e.isNamed("lvlText") {
                level!.text = .some(e.attribute("val"))
            }
        default: break
        }
    }

    mutating func end() {
        switch depth {
        case 3:
            if let l = level {
                if let (i, made) = ListNumberer.level(ilvl: l.ilvl, start: l.start ?? nil, format: l.format ?? nil, text: l.text ?? nil) {
                    abstractLevels[i] = made
                }
                level = nil
            }
        case 2:
            switch top {
            case .abstract(let id): if let id { levels[id] = abstractLevels }
            case .num(let id): if let id, let a = numAbstract ?? nil { abstractOf[id] = a }
            case .other: break
            }
            top = .other
        default: break
        }
        depth -= 1
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// Recreates the text of Word's automatic list numbering (e.g. `一、`, `（二）`, `3.`) from numbering.xml.
final class ListNumberer {
    struct Level: Equatable { var format: String; var text: String; var start: Int }
    private(set) var levels: [String: [Int: Level]] = [:]  // abstractNumId → ilvl → level
    private(set) var abstractOf: [String: String] = [:]  // numId → abstractNumId
    private var counters: [String: [Int: Int]] = [:]  // numId → ilvl → current value

    /// The lists of a numbering part (`ListNumberingReading` reads them); none by default (a DOCX without one).
    init(levels: [String: [Int: Level]] = [:], abstractOf: [String: String] = [:]) {
        self.levels = levels
        self.abstractOf = abstractOf
    }

    /// A level as numbering.xml's `lvl` gives it: `ilvl` and the `val` of its first `start`, `numFmt` and `lvlText`
    /// children (nil where missing). Word has levels 0–8; values outside sane ranges are ignored rather than
    /// trusted: nil for a level to leave out.
    static func level(ilvl: String?, start: String?, format: String?, text: String?) -> (index: Int, level: Level)? {
        guard let i = ilvl.flatMap(Int.init), (0...8).contains(i) else { return nil }
        let first = start.flatMap(Int.init) ?? 1
        return (i, Level(format: format ?? "decimal", text: text ?? "", start: (0...100_000).contains(first) ? first : 1))
    }

    /// The numbering text of the next paragraph of list `numId` (the `val` of the paragraph's first `pPr`'s
    /// first `numPr`'s first `numId`) at level `ilvl` (the `val` of that `numPr`'s first `ilvl`); empty for no
    /// list or a bullet. Counts the paragraph: call once per numbered paragraph, in document order.
    func prefix(numId: String?, ilvl ilvlValue: String?) -> String {
        guard let numId, numId != "0", let abstract = abstractOf[numId], let lvls = levels[abstract] else { return "" }
        let ilvl = ilvlValue.flatMap(Int.init) ?? 0
        guard (0...8).contains(ilvl), let level = lvls[ilvl] else { return "" }
        var c = counters[numId] ?? [:]
        c[ilvl] = (c[ilvl] ?? (level.start - 1)) + 1
        for deeper in c.keys where deeper > ilvl { c[deeper] = nil }
        counters[numId] = c
        guard level.format != "bullet" else { return "" }
        var text = level.text
        for i in 0...ilvl where text.utf8.contains(UInt8(ascii: "%")) {
            let value = c[i] ?? (lvls[i]?.start ?? 1)
            text = Self.replacing(placeholder: Character("\(i + 1)"), in: text, with: Self.format(value, lvls[i]?.format ?? "decimal"))
        }
        return text
    }

    /// `text` with every `%` followed by `placeholder` (compared as characters, left to right, without overlap)
    /// replaced by `value`: what `replacingOccurrences(of: "%1", with:)` gives, without Foundation's general search.
    static func replacing(placeholder: Character, in text: String, with value: String) -> String {
        var out = ""
        var pendingPercent = false
        for ch in text {
            if pendingPercent {
                pendingPercent = false
                if ch == placeholder { out += value; continue }
                out.append("%")
            }
            if ch == "%" { pendingPercent = true } else { out.append(ch) }
        }
        if pendingPercent { out.append("%") }
        return out
    }

    static func format(_ n: Int, _ fmt: String) -> String {
        switch fmt {
        case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "ideographDigital", "japaneseCounting",
            "taiwaneseCounting":
            return chinese(n)
        case "lowerLetter": return n >= 1 && n <= 26 ? String(UnicodeScalar(96 + n)!) : String(n)
        case "upperLetter": return n >= 1 && n <= 26 ? String(UnicodeScalar(64 + n)!) : String(n)
        default: return String(n)
        }
    }

    static func chinese(_ n: Int) -> String {
        let d = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n < 10 { return d[max(0, n)] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : d[n % 10]) }
        if n < 100 { return d[n / 10] + "十" + (n % 10 == 0 ? "" : d[n % 10]) }
        return String(n)
    }
}

/// Linearises `word/document.xml` as it streams from the parser (`XMLTree.streamXML`, through `DocxLineariser`), without a tree: one line per
/// body paragraph (with its list numbering, added once the numbering part is read), one tab-separated line per
/// table row. It reads what the tree walk it replaced read (MarkupFastPath2Tests compares the two):
/// - blocks are the paragraphs, tables and content controls (`sdt`, their first `sdtContent`) among the children
///   of the document element's first `body`;
/// - a paragraph's text is its runs' `t` text (all of it, nested elements included), a space for each `tab`,
///   `br` and `cr`, nothing from `del`, `delText`, `instrText`, references, `pPr` and `rPr`;
/// - a table's rows are its `tr` children; a row's cells its `tc` children and those of its content controls;
///   a cell's text its paragraphs and nested tables (all their text) joined with spaces, tabs made spaces, and
///   empty when its first `tcPr`'s first `vMerge` continues a merge.
/// Elements are told apart by local name, as the tree walk did; "first" is the first child of that name.
struct DocxReading: XMLStreamReading {
    /// What an open element is to the linearisation.
    enum Role {
        /// The document element: its first `body` holds the blocks.
        case document
        /// The body, or a block content control's content: its children are blocks.
        case blocks
        /// A content control among blocks or cells: its first `sdtContent` holds blocks or cells.
        case blockControl, cellControl
        /// A body paragraph: its first `pPr` holds the numbering; other children are walked for text.
        case paragraph
        /// That `pPr`: its first `numPr`. That `numPr`: its first `numId` and first `ilvl`.
        case paragraphProperties, numberingProperties
        /// An element inside a paragraph (a run, a hyperlink, an insertion, ...) walked for text.
        case textWalk
        case table, row
        /// A row content control's content: its `tc` children are cells.
        case rowCells
        /// A cell: its first `tcPr`, paragraphs and nested tables. That `tcPr`: its first `vMerge`.
        case cell, cellProperties
    }

    struct Frame {
        let role: Role
        /// Bits for the children of which only the first counts, set once that child was met.
        var seen: UInt8 = 0
    }

    /// One line in document order: a body paragraph (its numbering still to be added) or a table row.
    struct Item {
        var text: String
        var origin: DocxReader.Origin
        var numId: String?
        var ilvl: String?
    }

    let maxLines: Int
    private(set) var items: [Item] = []
    private(set) var overBudget = false
    private(set) var foundBody = false
    private var stack: [Frame] = []
    /// Depth inside an element whose whole subtree is ignored, or whose whole text is kept (`t`, a nested table).
    private var ignoredDepth = 0
    private var collectedDepth = 0
    /// The text of the body paragraph or table cell being read; the row being read.
    private var text: [UInt8] = []
    private var row: [UInt8] = []
    private var cellsInRow = 0
    private var partsInCell = 0
    private var cellContinuesMerge = false
    private var numId: String?
    private var ilvl: String?
    private var paragraphNo = 0, tableNo = 0, rowNo = 0

    init(maxLines: Int) {
        self.maxLines = maxLines
        text.reserveCapacity(1024)
        row.reserveCapacity(1024)
    }

    mutating func start(_ e: XMLStreamElement) {
        if ignoredDepth > 0 { ignoredDepth += 1; return }
        if collectedDepth > 0 { collectedDepth += 1; return }
        guard let top = stack.last else { return stack.append(Frame(role: .document)) }
        switch top.role {
        case .document:
            if e.isNamed("body"), firstOfItsName(0) {
                foundBody = true
                stack.append(Frame(role: .blocks))
            } else {
                ignoredDepth = 1
            }
        case .blocks:
            if e.isNamed("p") {
                paragraphNo += 1
                text.removeAll(keepingCapacity: true)
                numId = nil
                ilvl = nil
                stack.append(Frame(role: .paragraph))
            } else if e.isNamed("tbl") {
                tableNo += 1
                rowNo = 0
                stack.append(Frame(role: .table))
            } else if e.isNamed("sdt") {
                stack.append(Frame(role: .blockControl))
            } else {
                ignoredDepth = 1
            }
        case .blockControl, .cellControl:
            if e.isNamed("sdtContent"), firstOfItsName(0) {
                stack.append(Frame(role: top.role == .blockControl ? .blocks : .rowCells))
            } else {
                ignoredDepth = 1
            }
        case .paragraph:
            if e.isNamed("pPr"), firstOfItsName(0) { stack.append(Frame(role: .paragraphProperties)) } else { walkText(e) }
        case .paragraphProperties:
            if e.isNamed("numPr"), firstOfItsName(0) { stack.append(Frame(role: .numberingProperties)) } else { ignoredDepth = 1 }
        case .numberingProperties:
            if e.isNamed("numId") {
                if firstOfItsName(0) { numId = e.attribute("val") }
            } else if e.isNamed("ilvl") {
                if firstOfItsName(1) { ilvl = e.attribute("val") }
            }
            ignoredDepth = 1
        case .textWalk:
            walkText(e)
        case .table:
            if e.isNamed("tr") {
                rowNo += 1
                row.removeAll(keepingCapacity: true)
                cellsInRow = 0
                stack.append(Frame(role: .row))
            } else {
                ignoredDepth = 1
            }
        case .row, .rowCells:
            if e.isNamed("tc") {
                text.removeAll(keepingCapacity: true)
                partsInCell = 0
                cellContinuesMerge = false
                stack.append(Frame(role: .cell))
            } else if top.role == .row, e.isNamed("sdt") {
                stack.append(Frame(role: .cellControl))
            } else {
                ignoredDepth = 1
            }
        case .cell:
            if e.isNamed("tcPr"), firstOfItsName(0) {
                stack.append(Frame(role: .cellProperties))
            } else if e.isNamed("p") {
                if partsInCell > 0 { text.append(0x20) }
                partsInCell += 1
                stack.append(Frame(role: .textWalk))
            } else if e.isNamed("tbl") {
                if partsInCell > 0 { text.append(0x20) }
                partsInCell += 1
                collectedDepth = 1
            } else {
                ignoredDepth = 1
            }
        case .cellProperties:
            if e.isNamed("vMerge"), firstOfItsName(0) { cellContinuesMerge = (e.attribute("val") ?? "continue") == "continue" }
            ignoredDepth = 1
        }
    }

    /// A child of a paragraph or of an element walked for its text.
    @inline(__always) private mutating func walkText(_ e: XMLStreamElement) {
        if e.isNamed("t") {
            collectedDepth = 1
        } else if e.isNamed("tab") || e.isNamed("br") || e.isNamed("cr") {
            text.append(0x20)
            ignoredDepth = 1
        } else if e.isNamed("del") || e.isNamed("delText") || e.isNamed("instrText") || e.isNamed("commentReference")
            || e.isNamed("footnoteReference") || e.isNamed("endnoteReference") || e.isNamed("pPr") || e.isNamed("rPr")
        {
            ignoredDepth = 1
        } else {
            stack.append(Frame(role: .textWalk))
        }
    }

    /// True the first time the top element meets a child of the kind `bit` stands for.
    @inline(__always) private mutating func firstOfItsName(_ bit: UInt8) -> Bool {
        let mask: UInt8 = 1 << bit
        guard stack[stack.count - 1].seen & mask == 0 else { return false }
        stack[stack.count - 1].seen |= mask
        return true
    }

    mutating func end() {
        if ignoredDepth > 0 { ignoredDepth -= 1; return }
        if collectedDepth > 0 { collectedDepth -= 1; return }
        guard let frame = stack.popLast() else { return }
        switch frame.role {
        case .paragraph:
            add(Item(text: String(decoding: text, as: UTF8.self), origin: .paragraph(paragraphNo), numId: numId, ilvl: ilvl))
        case .cell:
            if cellsInRow > 0 { row.append(0x09) }
            cellsInRow += 1
            guard !cellContinuesMerge else { break }
            // A tab is a character of its own: without one there is nothing to replace.
            if text.contains(0x09) {
                row.append(contentsOf: String(decoding: text, as: UTF8.self).replacingOccurrences(of: "\t", with: " ").utf8)
            } else {
                row.append(contentsOf: text)
            }
        case .row:
            add(Item(text: String(decoding: row, as: UTF8.self), origin: .tableRow(table: tableNo, row: rowNo)))
        default:
            break
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if collectedDepth > 0 { text.append(contentsOf: bytes) }
    }

    /// Inside an ignored element, `start` and `end` only count the depth and `text` keeps nothing (nothing sets
    /// `collectedDepth` there).
    var ignoresContent: Bool { ignoredDepth > 0 }

    private mutating func add(_ item: Item) {
        if items.count >= maxLines { overBudget = true; return }
        items.append(item)
    }

    /// The lines, numbered paragraphs with their numbering text, once the document was read; the errors the tree
    /// walk gave for a document without a body or with too many lines.
    func lines(numberer: ListNumberer, budget: ReadBudget, path: String) throws -> ([SourceLine], [DocxReader.Origin]) {
        guard foundBody else { throw ReaderError.corrupt(path: path, detail: "word/document.xml has no document body") }
        if overBudget {
            throw budget.refusal(
                path, "word/document.xml has more than \(budget.maxLines) paragraphs and table rows", limit: budget.maxLines,
                unit: "paragraphs and rows")
        }
        var lines: [SourceLine] = []
        lines.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            var line = item.text
            if case .paragraph = item.origin {
                let prefix = numberer.prefix(numId: item.numId, ilvl: item.ilvl)
                if !prefix.isEmpty { line = prefix + line }
            }
            lines.append(SourceLine(number: i + 1, text: line))
        }
        return (lines, items.map(\.origin))
    }
}

/// Streams `word/document.xml` into a `DocxReading` (behind `XMLStreamDriver`'s pointer).
typealias DocxLineariser = XMLStreamDriver<DocxReading>

extension XMLStreamDriver where Reading == DocxReading {
    convenience init(maxLines: Int) { self.init(DocxReading(maxLines: maxLines)) }

    func lines(numberer: ListNumberer, budget: ReadBudget, path: String) throws -> ([SourceLine], [DocxReader.Origin]) {
        try reading.pointee.lines(numberer: numberer, budget: budget, path: path)
    }
}
