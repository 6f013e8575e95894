import Foundation

// The optional stored properties below are spelled `Optional<T>` so that an initialiser builds the value in place
// (see the note at the top of Report.swift).

/// How serious a finding is. Ordered: `info` < `warning` < `error`.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, warning, error

    public var rank: Int {
        switch self {
        case .info: 0;
        case .warning: 1;
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// What kind of problem a finding is about.
public enum Category: String, Codable, Sendable, CaseIterable {
    case structure, completeness, template, arithmetic, cell, consistency, timeliness, editorial, extraction
}

/// Where a finding points: a line (text), a page (PDF) or a paragraph (DOCX), and for cells the
/// table, row and column labels.
public struct FindingLocation: Codable, Sendable, Equatable {
    public var line: Optional<Int>
    public var page: Optional<Int>
    public var paragraph: Optional<Int>
    public var table: Optional<String>
    public var row: Optional<String>
    public var column: Optional<String>
    /// The stable key of the cell, e.g. `applications.new.natural`, when the finding is about one cell.
    public var cell: Optional<String>

    public init(
        line: Int? = nil, page: Int? = nil, paragraph: Int? = nil, table: String? = nil, row: String? = nil,
        column: String? = nil, cell: String? = nil
    ) {
        self.line = line; self.page = page; self.paragraph = paragraph
        self.table = table; self.row = row; self.column = column; self.cell = cell
    }

    /// The position part of a source location, with optional labels.
    public init(_ s: SourceLocation?, table: String? = nil, row: String? = nil, column: String? = nil, cell: String? = nil) {
        self.init(line: s?.line, page: s?.page, paragraph: s?.paragraph, table: table, row: row, column: column, cell: cell)
    }
}

/// The value a finding suggests for one cell: which cell, where it is, what it holds and what it should hold.
public struct CellSuggestion: Codable, Sendable, Equatable {
    /// The stable cell key, e.g. `applications.granted.commercial`.
    public var cell: String
    public var location: FindingLocation
    /// The value as filed (nil when the cell is blank).
    public var value: Optional<Decimal>
    public var suggestedValue: Decimal

    public init(cell: String, location: FindingLocation, value: Decimal?, suggestedValue: Decimal) {
        self.cell = cell; self.location = location; self.value = value; self.suggestedValue = suggestedValue
    }

    enum CodingKeys: String, CodingKey { case cell, location, value, suggestedValue = "suggested_value" }
}

/// One problem found in one report by one rule.
public struct Finding: Codable, Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var category: Category
    public var message: String
    public var fix: Optional<String>
    public var location: FindingLocation
    /// The cell change the finding proposes (the cell to fix of a table that does not add up), when there is one.
    public var suggestion: Optional<CellSuggestion>
    /// Findings folded under this one because they share its root cause (e.g. the sums one wrong cell breaks).
    public var related: [Finding]

    public init(
        rule: String, severity: Severity, category: Category, message: String, fix: String?, location: FindingLocation,
        suggestion: CellSuggestion? = nil, related: [Finding] = []
    ) {
        self.rule = rule; self.severity = severity; self.category = category
        self.message = message; self.fix = fix; self.location = location
        self.suggestion = suggestion; self.related = related
    }

    enum CodingKeys: String, CodingKey { case rule, severity, category, message, fix, location, suggestion, related }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rule = try c.decode(String.self, forKey: .rule)
        severity = try c.decode(Severity.self, forKey: .severity)
        category = try c.decode(Category.self, forKey: .category)
        message = try c.decode(String.self, forKey: .message)
        fix = try c.decodeIfPresent(String.self, forKey: .fix)
        location = try c.decode(FindingLocation.self, forKey: .location)
        suggestion = try c.decodeIfPresent(CellSuggestion.self, forKey: .suggestion)
        related = try c.decodeIfPresent([Finding].self, forKey: .related) ?? []
    }

    /// Encodes `suggestion` only when present and `related` only when not empty, so findings without them encode as before.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(severity, forKey: .severity)
        try c.encode(category, forKey: .category)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(fix, forKey: .fix)
        try c.encode(location, forKey: .location)
        try c.encodeIfPresent(suggestion, forKey: .suggestion)
        if !related.isEmpty { try c.encode(related, forKey: .related) }
    }
}
