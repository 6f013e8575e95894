import Foundation
import OGIModel

/// Where one line of a `LinedDraft` came from, in the terms of its format: a line (and page) of a PDF's text, a
/// paragraph or table row of a DOCX, a line of an HTML page and the table row it belongs to.
public struct LineOrigin: Sendable, Equatable {
    public var line: Int?
    public var page: Int?
    public var paragraph: Int?
    public var table: Int?
    public var row: Int?
    /// True when a field of the line is a table cell, so a location in the line names the cell (`cellIndex`).
    public var fieldIsCell: Bool

    public init(line: Int? = nil, page: Int? = nil, paragraph: Int? = nil, table: Int? = nil, row: Int? = nil, fieldIsCell: Bool = false) {
        self.line = line; self.page = page; self.paragraph = paragraph; self.table = table; self.row = row
        self.fieldIsCell = fieldIsCell
    }

    /// The location of field `field` (a cell, when the line is a table row) of the line.
    func location(field: Int?) -> SourceLocation {
        SourceLocation(line: line, page: page, paragraph: paragraph, tableIndex: table, rowIndex: row, cellIndex: fieldIsCell ? field : nil)
    }
}

/// A draft turned into lines, before the lines are read as a report: what the DOCX, HTML and PDF readers make of
/// their input (unzipped and streamed, parsed and linearised, or run through pdftotext), with where each line came
/// from. Reading it (`TextReader.report(from:depth:)`) gives the report the reader gives.
///
/// A batch makes one of each such input while it pairs reports with last year's, reads its agency and year off
/// it, and keeps it (`encoded()`, in memory or a temporary file) until the input is checked, so each file is
/// parsed once.
public struct LinedDraft: Sendable, Equatable {
    public var path: String
    /// The reader's format name, as the report gives it (`docx`, `html`, `pdf`).
    public var sourceFormat: String
    public var lines: [SourceLine]
    /// The origin of each line, in the order of `lines`.
    public var origins: [LineOrigin]
    /// The publication date found around the report (an HTML page's `<meta>` or date line) and its line: the
    /// report's when it has no signature date of its own.
    public var pageDate: PageDate?
    /// True when the page may have a date line outside the report that the draft did not look for (finding it
    /// walks the whole page again, and is needed only by a report without a signature date): such a report is
    /// not read from the draft (`TextReader.report(from:depth:)` gives nil).
    public var pageDateUnresolved = false

    /// A date and the source line it was read on.
    public struct PageDate: Sendable, Equatable {
        public var date: CalendarDate
        public var line: Int
        public init(date: CalendarDate, line: Int) { self.date = date; self.line = line }
    }

    public init(
        path: String, sourceFormat: String, lines: [SourceLine], origins: [LineOrigin], pageDate: PageDate? = nil,
        pageDateUnresolved: Bool = false
    ) {
        self.path = path; self.sourceFormat = sourceFormat; self.lines = lines; self.origins = origins; self.pageDate = pageDate
        self.pageDateUnresolved = pageDateUnresolved
    }

    /// Where line `line` (1-based) and its field `field` came from; no location for a line the draft does not have.
    public var locator: Locator {
        let origins = origins
        return { line, field in
            guard line >= 1, line <= origins.count else { return SourceLocation() }
            return origins[line - 1].location(field: field)
        }
    }

    public static func == (a: LinedDraft, b: LinedDraft) -> Bool {
        a.path == b.path && a.sourceFormat == b.sourceFormat && a.origins == b.origins && a.pageDate == b.pageDate
            && a.pageDateUnresolved == b.pageDateUnresolved
            && a.lines.count == b.lines.count
            && zip(a.lines, b.lines).allSatisfy { $0.number == $1.number && $0.text == $1.text }
    }
}

/// A reader that makes a `LinedDraft` of its input and reads the report from it: `read(path:data:)` equals
/// `TextReader.report(from: draft(path:data:), depth: .report)` whenever that is not nil.
public protocol DraftingReader: ReportReader {
    /// The input as lines, and where they came from.
    func draft(path: String, data: Data) throws -> LinedDraft
}

extension DraftingReader {
    public var drafting: (any DraftingReader)? { self }
}

extension TextReader {
    /// The report of a draft, read to `depth` (at `.pairing` only its agency and year are meaningful): the draft's
    /// page date is the report's publication date when the report has no signature date. Nil when the report has
    /// none and the draft did not look for the page's own date line (`pageDateUnresolved`): read the file then.
    public func report(from draft: LinedDraft, depth: ReadDepth = .report) -> Report? {
        var unresolved = false
        let report = report(from: draft, depth: depth) {
            unresolved = draft.pageDate == nil && draft.pageDateUnresolved
            return draft.pageDate
        }
        return unresolved ? nil : report
    }

    /// The agency and year of a draft, as its reader's `readPairingMetadata` gives them.
    public func pairingMetadata(of draft: LinedDraft) -> Metadata {
        report(from: draft, depth: .pairing) { nil }.metadata
    }

    /// As `report(from:depth:)`, with the page date found only when it is needed.
    func report(from draft: LinedDraft, depth: ReadDepth, pageDate: () -> LinedDraft.PageDate?) -> Report {
        let locate = draft.locator
        var report: Report
        switch depth {
        case .report: report = parse(lines: draft.lines, path: draft.path, sourceFormat: draft.sourceFormat, locate: locate)
        case .metadata:
            report = Report(
                path: draft.path, sourceFormat: draft.sourceFormat,
                metadata: parseMetadata(lines: draft.lines, path: draft.path, sourceFormat: draft.sourceFormat, locate: locate))
        case .pairing:
            // The publication date is neither the agency nor the year.
            return Report(
                path: draft.path, sourceFormat: draft.sourceFormat,
                metadata: pairingMetadata(lines: draft.lines, path: draft.path, sourceFormat: draft.sourceFormat, locate: locate))
        }
        if report.metadata.published == nil, let found = pageDate() {
            report.metadata.published = found.date
            report.metadata.publishedLocation = SourceLocation(line: found.line)
        }
        return report
    }
}

extension ReaderRegistry {
    /// What a batch's pairing pass reads of an input: its draft, when the reader that claims it makes one (DOCX,
    /// HTML, PDF); a plain text's agency and year with the text as decoded for them (`TextReader.pairingRead`), which
    /// the check can start from (`TextReader.read(path:decodedText:)`); else its agency and year
    /// (`readPairingMetadata`: report models, read straight from their bytes).
    public enum PairingReading {
        case draft(LinedDraft)
        case text(metadata: Metadata, decoded: String)
        case metadata(Metadata)
    }

    /// The input's draft when its reader makes one, a text's pairing metadata with its decoded text, else its
    /// pairing metadata; it throws exactly when `readPairingMetadata(path:data:)` throws.
    public func pairingReading(path: String, data: Data) throws -> PairingReading {
        let reader = try claimant(path: path, data: data)
        if let drafting = reader.drafting { return .draft(try drafting.draft(path: path, data: data)) }
        if let text = reader as? TextReader {
            let read = try text.pairingRead(path: path, data: data)
            return .text(metadata: read.metadata, decoded: read.text)
        }
        return .metadata(try reader.readPairingMetadata(path: path, data: data))
    }
}

// MARK: - Bytes

extension LinedDraft {
    /// The draft as bytes `init(encoded:)` reads back: a compact form for keeping many drafts (UTF-8 texts with
    /// their lengths, integers in 8 bytes, absent ones as `Int64.min`).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + lines.reduce(0) { $0 + $1.text.utf8.count + 56 })
        func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
        func optional(_ v: Int?) { int(v ?? Int(Int64.min)) }
        func string(_ s: String) {
            int(s.utf8.count)
            out.append(contentsOf: s.utf8)
        }
        string(path)
        string(sourceFormat)
        int(lines.count)
        for l in lines {
            int(l.number)
            string(l.text)
        }
        // The readers give one origin a line; the count is kept apart so any draft comes back as it was.
        int(origins.count)
        for o in origins {
            optional(o.line); optional(o.page); optional(o.paragraph); optional(o.table); optional(o.row)
            out.append(o.fieldIsCell ? 1 : 0)
        }
        if let pageDate {
            out.append(1)
            int(pageDate.date.year); int(pageDate.date.month); int(pageDate.date.day); int(pageDate.line)
        } else {
            out.append(pageDateUnresolved ? 2 : 0)
        }
        return out
    }

    /// Reads `encoded()`'s bytes; nil when they are not a whole draft.
    public init?(encoded bytes: UnsafeRawBufferPointer) {
        var at = 0
        func int() -> Int? {
            guard at + 8 <= bytes.count else { return nil }
            var v: Int64 = 0
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[at..<at + 8])) }
            at += 8
            return Int(Int64(littleEndian: v))
        }
        func optional() -> Int?? {
            guard let v = int() else { return nil }
            return .some(v == Int(Int64.min) ? nil : v)
        }
        func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }
        func string() -> String? {
            guard let n = int(), n >= 0, n <= bytes.count - at else { return nil }
            defer { at += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<at + n]), as: UTF8.self)
        }
        // Every line takes at least 16 bytes and every origin 41: a count beyond what the bytes can hold is refused
        // before anything is reserved for it.
        guard let path = string(), let format = string(), let count = int(), count >= 0, count <= (bytes.count - at) / 16 else {
            return nil
        }
        var lines: [SourceLine] = []
        lines.reserveCapacity(count)
        for _ in 0..<count {
            guard let number = int(), let text = string() else { return nil }
            lines.append(SourceLine(number: number, text: text))
        }
        guard let originCount = int(), originCount >= 0, originCount <= (bytes.count - at) / 41 else { return nil }
        var origins: [LineOrigin] = []
        origins.reserveCapacity(originCount)
        for _ in 0..<originCount {
            guard let line = optional(), let page = optional(), let paragraph = optional(), let table = optional(),
                let row = optional(), let cell = byte(), cell <= 1
            else { return nil }
            origins.append(LineOrigin(line: line, page: page, paragraph: paragraph, table: table, row: row, fieldIsCell: cell == 1))
        }
        var pageDate: PageDate?
        var unresolved = false
        switch byte() {
        case 0: break
        case 2: unresolved = true
        case 1:
            guard let y = int(), let m = int(), let d = int(), let line = int() else { return nil }
            pageDate = PageDate(date: CalendarDate(year: y, month: m, day: d), line: line)
        default: return nil
        }
        guard at == bytes.count else { return nil }
        self.init(path: path, sourceFormat: format, lines: lines, origins: origins, pageDate: pageDate, pageDateUnresolved: unresolved)
    }
}
