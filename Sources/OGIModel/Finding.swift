/// How serious a finding is. Ordered: `info` < `warning` < `error`.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, warning, error

    public var rank: Int { switch self { case .info: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// What kind of problem a finding is about.
public enum Category: String, Codable, Sendable, CaseIterable {
    case structure, completeness, template, arithmetic, cell, consistency, timeliness, editorial, extraction
}

/// Where a finding points: a line (text), a page (PDF) or a paragraph (DOCX), and for cells the
/// table, row and column labels.
public struct FindingLocation: Codable, Sendable, Equatable {
    public var line: Int?
    public var page: Int?
    public var paragraph: Int?
    public var table: String?
    public var row: String?
    public var column: String?
    /// The stable key of the cell, e.g. `applications.new.natural`, when the finding is about one cell.
    public var cell: String?

    public init(line: Int? = nil, page: Int? = nil, paragraph: Int? = nil, table: String? = nil, row: String? = nil,
                column: String? = nil, cell: String? = nil) {
        self.line = line; self.page = page; self.paragraph = paragraph
        self.table = table; self.row = row; self.column = column; self.cell = cell
    }

    /// The position part of a source location, with optional labels.
    public init(_ s: SourceLocation?, table: String? = nil, row: String? = nil, column: String? = nil, cell: String? = nil) {
        self.init(line: s?.line, page: s?.page, paragraph: s?.paragraph, table: table, row: row, column: column, cell: cell)
    }
}

/// One problem found in one report by one rule.
public struct Finding: Codable, Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var category: Category
    public var message: String
    public var fix: String?
    public var location: FindingLocation

    public init(rule: String, severity: Severity, category: Category, message: String, fix: String?, location: FindingLocation) {
        self.rule = rule; self.severity = severity; self.category = category
        self.message = message; self.fix = fix; self.location = location
    }
}
