import Foundation
import OGIModel
import ZIPFoundation

/// Reads a DOCX (Word or WPS) draft: `word/document.xml` from the zip, paragraphs in document order with
/// their list numbering, tables row by row with merged cells resolved, tracked insertions kept and
/// deletions dropped. The result is linearised (one line per paragraph, one tab-separated line per table
/// row) and read like text, so every format goes through the same table mapper.
public struct DocxReader: ReportReader {
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
        let (lines, locate) = try linearLines(path: path, data: data)
        return text.parse(lines: lines, path: path, sourceFormat: "docx", locate: locate)
    }

    /// The metadata `read(path:data:)` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        let (lines, locate) = try linearLines(path: path, data: data)
        return text.parseMetadata(lines: lines, path: path, sourceFormat: "docx", locate: locate)
    }

    /// The document's lines as the text reader reads them, and where each line came from.
    func linearLines(path: String, data: Data) throws -> ([SourceLine], Locator) {
        if let problem = ZipStructure.problem(in: data) {
            throw ReaderError.corrupt(path: path, detail: "it is not a readable zip archive (DOCX files are zip archives): \(problem)")
        }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw ReaderError.corrupt(path: path, detail: "it is not a readable zip archive (DOCX files are zip archives)")
        }
        guard let docEntry = archive["word/document.xml"] else {
            throw ReaderError.unsupportedFormat(
                path: path, detail: "this zip archive is not a DOCX (it has no word/document.xml); save the draft from Word or WPS as .docx"
            )
        }
        let document = try part(archive, docEntry, zipData: data, path: path)
        let numbering = try archive["word/numbering.xml"].map { try part(archive, $0, zipData: data, path: path) }
        let (lines, origins) = try linearise(document: document, numbering: numbering, path: path)
        let originByLine = origins
        return (
            lines,
            { line, field in
                guard line >= 1, line <= originByLine.count else { return SourceLocation() }
                switch originByLine[line - 1] {
                case .paragraph(let p): return SourceLocation(paragraph: p)
                case let .tableRow(t, r): return SourceLocation(tableIndex: t, rowIndex: r, cellIndex: field)
                }
            }
        )
    }

    /// Extracts one XML part, refusing oversized parts and DOCTYPE declarations, and parses it.
    func part(_ archive: Archive, _ entry: Entry, zipData: Data, path: String) throws -> XMLDocument {
        let data = try partData(archive, entry, zipData: zipData, path: path)
        do { return try XMLTree.parseXML(data) } catch XMLTree.Failure.unparseable(let why) {
            throw ReaderError.corrupt(path: path, detail: "\(entry.path) is not well-formed XML (\(why))")
        } catch {
            throw Self.declaresDTD(path, entry.path)
        }
    }

    /// The bytes of one XML part, refused when oversized, not UTF-8, declaring a DOCTYPE or entities, or over the
    /// element budget.
    func partData(_ archive: Archive, _ entry: Entry, zipData: Data, path: String) throws -> Data {
        if entry.uncompressedSize > UInt64(maxPartBytes) {
            throw ReaderError.overLimit(
                path: path, detail: "\(entry.path) would unpack to \(entry.uncompressedSize) bytes, over the \(maxPartBytes)-byte limit")
        }
        var data = Data()
        let limit = maxPartBytes
        struct TooBig: Error {}
        struct Unterminated: Error {}
        let append: (Data) throws -> Void = { chunk in
            data.append(chunk)
            // The size in the zip header can lie; count what is really unpacked.
            if data.count > limit { throw TooBig() }
        }
        do {
            if let stored = ZipStructure.storedData(of: entry.path, in: zipData), stored.method == 8 {
                // Inflate exactly the entry's own compressed bytes. A deflate stream that does not end inside them
                // is damaged: ZIPFoundation would read on past the entry and wait forever for its end.
                let bytes = zipData[stored.range]
                let crc = try Data.decompress(
                    size: Int64(bytes.count), bufferSize: 64 * 1024, skipCRC32: false,
                    provider: { position, size in
                        let start = bytes.startIndex + Int(position)
                        guard start < bytes.endIndex else { throw Unterminated() }
                        return Data(bytes[start..<min(bytes.endIndex, start + size)])
                    }, consumer: append)
                guard crc == entry.checksum else { throw Unterminated() }
            } else {
                _ = try archive.extract(entry, skipCRC32: false, consumer: append)
            }
        } catch is TooBig {
            throw ReaderError.overLimit(
                path: path,
                detail: "\(entry.path) unpacks to more than \(limit) bytes, over the \(limit)-byte limit (a decompression bomb?)")
        } catch {
            throw ReaderError.corrupt(path: path, detail: "\(entry.path) cannot be unpacked")
        }
        // Word writes parts in UTF-8; another encoding would hide declarations from the scan below.
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) || data.prefix(64).contains(0) {
            throw ReaderError.unsafe(
                path: path, detail: "\(entry.path) is not UTF-8; Word and WPS always write UTF-8, so the file was not saved by them")
        }
        if XMLTree.containsDeclaration(data, "DOCTYPE") || XMLTree.containsDeclaration(data, "ENTITY") {
            throw Self.declaresDTD(path, entry.path)
        }
        let elements = XMLTree.elementCount(data)
        try budget.check(elements, budget.maxElements, path, "\(entry.path) has \(elements) XML elements", unit: "elements")
        return data
    }

    static func declaresDTD(_ path: String, _ part: String) -> ReaderError {
        .unsafe(
            path: path, detail: "\(part) declares a DOCTYPE or entities; Word never writes these, and ogilint does not expand or fetch them"
        )
    }

    func linearise(document: XMLDocument, numbering: XMLDocument?, path: String) throws -> ([SourceLine], [Origin]) {
        guard let body = document.root.first("body") else {
            throw ReaderError.corrupt(path: path, detail: "word/document.xml has no document body")
        }
        var lines: [SourceLine] = []
        var origins: [Origin] = []
        var paragraphNo = 0, tableNo = 0
        let numberer = ListNumberer(numbering?.root)
        var overBudget = false
        func add(_ text: String, _ origin: Origin) {
            if lines.count >= budget.maxLines { overBudget = true; return }
            lines.append(SourceLine(number: lines.count + 1, text: text))
            origins.append(origin)
        }
        func block(_ node: XMLNode) {
            if node.isElement(named: "p") {
                paragraphNo += 1
                add(numberer.prefix(for: node) + Self.paragraphText(node), .paragraph(paragraphNo))
            } else if node.isElement(named: "tbl") {
                tableNo += 1
                var rowNo = 0
                for tr in node.children where tr.isElement(named: "tr") {
                    rowNo += 1
                    // The row's cells in order, those inside content controls (`sdt`) in their place.
                    var texts: [String] = []
                    for c in tr.children {
                        if c.isElement(named: "tc") {
                            texts.append(Self.cellText(c))
                        } else if c.isElement(named: "sdt"), let content = c.first("sdtContent") {
                            for tc in content.children where tc.isElement(named: "tc") { texts.append(Self.cellText(tc)) }
                        }
                    }
                    add(texts.joined(separator: "\t"), .tableRow(table: tableNo, row: rowNo))
                }
            } else if node.isElement(named: "sdt") {
                node.first("sdtContent")?.children.forEach(block)
            }
        }
        body.children.forEach(block)
        if overBudget {
            throw budget.refusal(
                path, "word/document.xml has more than \(budget.maxLines) paragraphs and table rows", limit: budget.maxLines,
                unit: "paragraphs and rows")
        }
        return (lines, origins)
    }

    /// A table cell's text: its paragraphs and nested tables joined with spaces, tabs made spaces.
    static func cellText(_ tc: XMLNode) -> String {
        // A vertically merged continuation cell is empty in the grid; its text is in the first cell.
        if let m = tc.first("tcPr")?.first("vMerge"), (m.attribute("val", html: false) ?? "continue") == "continue" { return "" }
        var text = ""
        var first = true
        for c in tc.children {
            let isParagraph = c.isElement(named: "p")
            guard isParagraph || c.isElement(named: "tbl") else { continue }
            if !first { text += " " }
            first = false
            text += isParagraph ? paragraphText(c) : c.allText
        }
        // A tab is a character of its own: without one there is nothing to replace.
        return text.utf8.contains(0x09) ? text.replacingOccurrences(of: "\t", with: " ") : text
    }

    /// A paragraph's text: runs joined, tracked insertions kept, deletions and field codes left out.
    static func paragraphText(_ p: XMLNode) -> String {
        var out = ""
        func walk(_ n: XMLNode) {
            guard n.isElement else { return }  // text outside a `t` element is not document text
            if n.isElement(named: "t") {
                out += n.allText
            } else if n.isElement(named: "tab") || n.isElement(named: "br") || n.isElement(named: "cr") {
                out += " "
            } else if !Self.paragraphTextSkipped.contains(where: { n.isElement(named: $0) }) {
                n.children.forEach(walk)
            }
        }
        p.children.forEach(walk)
        return out
    }

    /// Elements whose text is not the paragraph's: tracked deletions, field codes, references, properties.
    static let paragraphTextSkipped: [StaticString] = [
        "del", "delText", "instrText", "commentReference", "footnoteReference", "endnoteReference", "pPr", "rPr",
    ]
}

/// Recreates the text of Word's automatic list numbering (e.g. `一、`, `（二）`, `3.`) from numbering.xml.
final class ListNumberer {
    struct Level { var format: String; var text: String; var start: Int }
    private var levels: [String: [Int: Level]] = [:]  // abstractNumId → ilvl → level
    private var abstractOf: [String: String] = [:]  // numId → abstractNumId
    private var counters: [String: [Int: Int]] = [:]  // numId → ilvl → current value

    init(_ numbering: XMLNode?) {
        guard let numbering else { return }
        func value(_ n: XMLNode?, _ name: String) -> String? { n?.attribute(name, html: false) }
        for a in numbering.all("abstractNum") {
            guard let id = value(a, "abstractNumId") else { continue }
            var ls: [Int: Level] = [:]
            for l in a.all("lvl") {
                // Word has levels 0–8; values outside sane ranges are ignored rather than trusted.
                guard let i = value(l, "ilvl").flatMap(Int.init), (0...8).contains(i) else { continue }
                let start = value(l.first("start"), "val").flatMap(Int.init) ?? 1
                ls[i] = Level(
                    format: value(l.first("numFmt"), "val") ?? "decimal",
                    text: value(l.first("lvlText"), "val") ?? "",
                    start: (0...100_000).contains(start) ? start : 1)
            }
            levels[id] = ls
        }
        for n in numbering.all("num") {
            if let id = value(n, "numId"), let a = value(n.first("abstractNumId"), "val") { abstractOf[id] = a }
        }
    }

    func prefix(for p: XMLNode) -> String {
        guard let numPr = p.first("pPr")?.first("numPr"),
            let numId = numPr.first("numId")?.attribute("val", html: false), numId != "0",
            let abstract = abstractOf[numId], let lvls = levels[abstract]
        else { return "" }
        let ilvl = numPr.first("ilvl")?.attribute("val", html: false).flatMap(Int.init) ?? 0
        guard (0...8).contains(ilvl), let level = lvls[ilvl] else { return "" }
        var c = counters[numId] ?? [:]
        c[ilvl] = (c[ilvl] ?? (level.start - 1)) + 1
        for deeper in c.keys where deeper > ilvl { c[deeper] = nil }
        counters[numId] = c
        var text = level.text
        for i in 0...ilvl {
            let value = c[i] ?? (lvls[i]?.start ?? 1)
            text = text.replacingOccurrences(of: "%\(i + 1)", with: Self.format(value, lvls[i]?.format ?? "decimal"))
        }
        return level.format == "bullet" ? "" : text
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
