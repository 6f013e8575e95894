import Foundation

// Optional stored properties of the model types below are spelled `Optional<T>`, not `T?`, where an initialiser sets
// them all. A `T?` stored property is implicitly given nil before any initialiser runs, so every `self.x = x` in an
// initialiser is an assignment (the nil destroyed first), and the optimiser then built the value apart and copied it
// out (an outlined copy and destroy of the whole struct per cell, row or paragraph made). Spelled out, the property
// starts uninitialised and the value is built in place: 2.6% fewer instructions on a batch of text reports
// (docs/speed-history.md, "Twenty-ninth pass"). `Metadata`, made empty and filled in, keeps `T?`.

/// The kind of agency that issues a report; it decides the Article 49 deadline and the Article 50(4) duty.
public enum AgencyKind: String, Codable, Sendable, CaseIterable {
    case government
    case department
}

/// A calendar date without time zone, written `YYYY-MM-DD`.
public struct CalendarDate: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`). Nil when not a real date.
    public init?(string: String) {
        let parts = string.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).map(String.init)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
        guard isValid else { return nil }
    }

    /// True for a date that exists in the Gregorian calendar.
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// `yyyy-mm-dd`, as `String(format: "%04d-%02d-%02d", …)` writes it. Within 0…9999 and 0…99 the digits are
    /// written directly (the same zero-padded text, without starting a Foundation formatter for every finding
    /// that names a date); any other date is formatted as before.
    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            return Self.formatted(year, month, day)
        }
        return String(unsafeUninitializedCapacity: 10) { out in
            let zero = UInt8(ascii: "0")
            out[0] = zero &+ UInt8(year / 1000)
            out[1] = zero &+ UInt8(year / 100 % 10)
            out[2] = zero &+ UInt8(year / 10 % 10)
            out[3] = zero &+ UInt8(year % 10)
            out[4] = UInt8(ascii: "-")
            out[5] = zero &+ UInt8(month / 10)
            out[6] = zero &+ UInt8(month % 10)
            out[7] = UInt8(ascii: "-")
            out[8] = zero &+ UInt8(day / 10)
            out[9] = zero &+ UInt8(day % 10)
            return 10
        }
    }

    /// The date through Foundation's formatter (what `description` gives for every date).
    static func formatted(_ year: Int, _ month: Int, _ day: Int) -> String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CalendarDate(string: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(s)' is not a date in the form YYYY-MM-DD")
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Facts about the report as a whole, each with where it was read when that is known.
public struct Metadata: Codable, Sendable, Equatable {
    public var title: String?
    public var titleLocation: SourceLocation?
    /// The report year: the year the statistics cover.
    public var year: Int?
    /// The year written in the title, when there is one.
    public var titleYear: Int?
    public var agency: String?
    public var agencyKind: AgencyKind?
    /// Where `agencyKind` came from: `name` (inferred), `option`, `model`.
    public var agencyKindSource: String?
    /// Publication (signature) date, when the draft carries one.
    public var published: CalendarDate?
    public var publishedLocation: SourceLocation?
    /// The statistics period stated in the text.
    public var periodStart: CalendarDate?
    public var periodEnd: CalendarDate?
    public var periodLocation: SourceLocation?
    /// Template generation detected from the table labels, e.g. `2019` or `2021`.
    public var template: String?
    /// Labels that decided the template.
    public var templateEvidence: [String]?
    /// Four-digit years written inside table labels (e.g. `本年(2023)制发件数`).
    public var tableYears: [Int]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case title, titleLocation = "title_location", year, titleYear = "title_year", agency
        case agencyKind = "agency_kind", agencyKindSource = "agency_kind_source"
        case published, publishedLocation = "published_location"
        case periodStart = "period_start", periodEnd = "period_end", periodLocation = "period_location"
        case template, templateEvidence = "template_evidence", tableYears = "table_years"
    }
}

/// A paragraph of prose with its location.
public struct Paragraph: Codable, Sendable, Equatable {
    public var text: String
    public var location: Optional<SourceLocation>
    @inlinable public init(text: String, location: SourceLocation?) {
        self.text = text; self.location = location
    }
}

/// One of the report's numbered parts (一 … 六), identified by the template's part keys.
public struct Part: Codable, Sendable, Equatable {
    /// Position in the template's order, 1-based.
    public var number: Int
    /// The template's key for the part, e.g. `overview`.
    public var key: String
    /// The heading as written.
    public var heading: String
    public var location: Optional<SourceLocation>
    public var paragraphs: [Paragraph]
    /// The standard heading (numeral and title), set only when the heading as written deviates from the
    /// template's wording and its accepted variants (a slip, a lost numeral) and was recognised by similarity.
    public var standardHeading: Optional<String>

    @inlinable public init(
        number: Int, key: String, heading: String, location: SourceLocation?, paragraphs: [Paragraph] = [],
        standardHeading: String? = nil
    ) {
        self.number = number; self.key = key; self.heading = heading
        self.location = location; self.paragraphs = paragraphs; self.standardHeading = standardHeading
    }

    enum CodingKeys: String, CodingKey {
        case number, key, heading, location, paragraphs, standardHeading = "standard_heading"
    }

    /// All paragraphs joined by newlines.
    public var text: String { paragraphs.map(\.text).joined(separator: "\n") }
}

/// A table row placed onto the template: its key, the label as found, and its cells in template column order.
public struct Row: Codable, Sendable, Equatable {
    public var key: String
    public var label: String
    /// The template label variant that matched, when it is not the canonical one.
    public var matchedVariant: Optional<String>
    public var location: Optional<SourceLocation>
    public var cells: [Cell]

    @inlinable public init(key: String, label: String, matchedVariant: String? = nil, location: SourceLocation?, cells: [Cell]) {
        self.key = key; self.label = label; self.matchedVariant = matchedVariant
        self.location = location; self.cells = cells
    }

    enum CodingKeys: String, CodingKey {
        case key, label, matchedVariant = "matched_variant", location, cells
    }

    public func cell(_ column: String) -> Cell? { cells.first { $0.column == column } }
}

/// A table of the report placed onto the template grid.
public struct Table: Codable, Sendable, Equatable {
    public var key: String
    public var title: Optional<String>
    public var location: Optional<SourceLocation>
    public var rows: [Row]

    @inlinable public init(key: String, title: String?, location: SourceLocation?, rows: [Row]) {
        self.key = key; self.title = title; self.location = location; self.rows = rows
    }

    public func row(_ key: String) -> Row? { rows.first { $0.key == key } }
}

/// Something the reader saw but could not place with certainty, e.g. a row whose numbers do not fit its
/// columns. The row's cells are left `missing`, so no rule evaluates a number from it.
public struct ExtractionNote: Codable, Sendable, Equatable {
    /// Why the text could not be placed.
    public enum Reason: String, Codable, Sendable {
        /// More or fewer numbers than the row has columns, with no delimiters or header to align them by.
        case cellCount = "cell_count"
    }
    public var reason: Reason
    /// Template table key, e.g. `applications`.
    public var table: String
    /// Template row key, e.g. `withheld.secret`.
    public var row: String
    /// The row's label as the template prints it.
    public var rowLabel: String
    /// The text found for the row's cells, as written (cells joined by single spaces).
    public var found: String
    /// How many cells were found, and how many the row has.
    public var foundCells: Int
    public var expectedCells: Int
    public var location: Optional<SourceLocation>

    public init(
        reason: Reason, table: String, row: String, rowLabel: String, found: String,
        foundCells: Int, expectedCells: Int, location: SourceLocation?
    ) {
        self.reason = reason; self.table = table; self.row = row; self.rowLabel = rowLabel; self.found = found
        self.foundCells = foundCells; self.expectedCells = expectedCells; self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case reason, table, row, rowLabel = "row_label", found, foundCells = "found_cells", expectedCells = "expected_cells", location
    }
}

/// The report model every reader produces and every rule reads. Also the submitted-model format (version 1).
public struct Report: Codable, Sendable, Equatable {
    /// Model format version; see README "The report model".
    public static let formatVersion = 1

    public var ogilintModel: Int
    /// The file the report was read from.
    public var path: String
    /// The input format: `text`, `yaml`, `json`.
    public var sourceFormat: String
    public var metadata: Metadata
    /// Paragraphs before the first part heading (title, preamble).
    public var preamble: [Paragraph]
    public var parts: [Part]
    public var tables: [Table]
    /// What the reader found but could not place with certainty; empty (and absent in a model) when all was read.
    public var extractionNotes: [ExtractionNote]

    public init(
        path: String, sourceFormat: String, metadata: Metadata = Metadata(),
        preamble: [Paragraph] = [], parts: [Part] = [], tables: [Table] = [], extractionNotes: [ExtractionNote] = []
    ) {
        self.ogilintModel = Report.formatVersion
        self.path = path; self.sourceFormat = sourceFormat; self.metadata = metadata
        self.preamble = preamble; self.parts = parts; self.tables = tables; self.extractionNotes = extractionNotes
    }

    enum CodingKeys: String, CodingKey {
        case ogilintModel = "ogilint_model", path, sourceFormat = "source_format", metadata, preamble, parts, tables
        case extractionNotes = "extraction_notes"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ogilintModel = try c.decode(Int.self, forKey: .ogilintModel)
        path = try c.decode(String.self, forKey: .path)
        sourceFormat = try c.decode(String.self, forKey: .sourceFormat)
        metadata = try c.decode(Metadata.self, forKey: .metadata)
        preamble = try c.decode([Paragraph].self, forKey: .preamble)
        parts = try c.decode([Part].self, forKey: .parts)
        tables = try c.decode([Table].self, forKey: .tables)
        extractionNotes = try c.decodeIfPresent([ExtractionNote].self, forKey: .extractionNotes) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ogilintModel, forKey: .ogilintModel)
        try c.encode(path, forKey: .path)
        try c.encode(sourceFormat, forKey: .sourceFormat)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(preamble, forKey: .preamble)
        try c.encode(parts, forKey: .parts)
        try c.encode(tables, forKey: .tables)
        if !extractionNotes.isEmpty { try c.encode(extractionNotes, forKey: .extractionNotes) }
    }

    public func table(_ key: String) -> Table? { tables.first { $0.key == key } }
    public func part(_ key: String) -> Part? { parts.first { $0.key == key } }
    /// `part(key) != nil`, without copying the part.
    public func hasPart(_ key: String) -> Bool { parts.contains { $0.key == key } }
    public func part(number: Int) -> Part? { parts.first { $0.number == number } }
}
