/// A column of a template table.
public struct ColumnSpec: Sendable, Equatable {
    /// What a column holds, which decides the cell checks that apply.
    public enum Kind: String, Sendable, CaseIterable {
        /// A non-negative whole number.
        case count
        /// A signed whole number (a change from last year).
        case change
        /// A non-negative decimal amount of money.
        case amount
    }
    public var key: String
    public var label: String
    public var variants: [String]
    public var kind: Kind
    public var unit: String?

    public init(key: String, label: String, variants: [String], kind: Kind, unit: String?) {
        self.key = key; self.label = label; self.variants = variants; self.kind = kind; self.unit = unit
    }
}

/// A row of a template table.
public struct RowSpec: Sendable, Equatable {
    public var key: String
    /// The canonical label, as the national template prints it.
    public var label: String
    /// Labels accepted as this row (canonical first).
    public var variants: [String]
    /// Labels accepted but not the template's wording; a rule may flag them.
    public var nonstandard: [String]
    /// A row whose label is absent in the layout (e.g. the single data row of table 4).
    public var unlabeled: Bool

    public init(key: String, label: String, variants: [String], nonstandard: [String] = [], unlabeled: Bool = false) {
        self.key = key; self.label = label; self.variants = variants; self.nonstandard = nonstandard; self.unlabeled = unlabeled
    }
}

/// A table (or one block of the Article 20 table) in a template generation.
public struct TableSpec: Sendable, Equatable {
    public var key: String
    public var title: String
    /// Key of the part the table sits in.
    public var part: String
    /// A group name shared by related tables, e.g. `article20`.
    public var group: String?
    /// Labels that start the table inside its part (e.g. `第二十条第（一）项`); empty means the part itself.
    public var anchors: [String]
    public var columns: [ColumnSpec]
    public var rows: [RowSpec]
    public var reference: String?

    public init(
        key: String, title: String, part: String, group: String?, anchors: [String],
        columns: [ColumnSpec], rows: [RowSpec], reference: String?
    ) {
        self.key = key; self.title = title; self.part = part; self.group = group; self.anchors = anchors
        self.columns = columns; self.rows = rows; self.reference = reference
    }

    public func column(_ key: String) -> ColumnSpec? { columns.first { $0.key == key } }
    public func row(_ key: String) -> RowSpec? { rows.first { $0.key == key } }
}

/// One of the required parts of a report.
public struct PartSpec: Sendable, Equatable {
    public var key: String
    public var number: Int
    public var title: String
    /// Heading texts accepted for the part (matched after the numeral, as a prefix).
    public var headings: [String]
    /// Words that show the part is named in a preamble's list of parts.
    public var mentions: [String]

    public init(key: String, number: Int, title: String, headings: [String], mentions: [String]) {
        self.key = key; self.number = number; self.title = title; self.headings = headings; self.mentions = mentions
    }
}

/// A template generation: which years it serves, the labels that identify it, and its tables.
public struct Template: Sendable, Equatable {
    public var id: String
    public var title: String
    public var reference: String?
    public var fromYear: Int?
    public var toYear: Int?
    /// Labels that appear only in this generation's layout.
    public var markers: [String]
    public var tables: [TableSpec]

    public init(id: String, title: String, reference: String?, fromYear: Int?, toYear: Int?, markers: [String], tables: [TableSpec]) {
        self.id = id; self.title = title; self.reference = reference; self.fromYear = fromYear; self.toYear = toYear
        self.markers = markers; self.tables = tables
    }

    public func table(_ key: String) -> TableSpec? { tables.first { $0.key == key } }

    /// True when the template is the one in force for `year`.
    public func applies(toYear year: Int) -> Bool {
        (fromYear.map { year >= $0 } ?? true) && (toYear.map { year <= $0 } ?? true)
    }
}

/// Reading conventions shared by all templates: noise to strip, how titles, periods, dates
/// and agency kinds are recognised. All report wording lives in the rule packs; this is its typed form.
public struct ReaderProfile: Sendable, Equatable {
    /// Regular expressions removed wherever they occur (e.g. `[bookmark: …]`).
    public var inlineNoise: [String]
    /// Regular expressions; a line matching one is dropped (e.g. page numbers).
    public var lineNoise: [String]
    /// Characters that may number a part heading (一 … 十).
    public var partNumerals: String
    /// Regular expressions after a numeral that end it (e.g. `、`).
    public var partNumberSeparators: [String]
    /// Words a title line contains.
    public var titleWords: [String]
    /// Regular expression with named groups y1, m1, d1, y2, m2, d2 for the statistics period.
    public var periodPatterns: [String]
    /// Regular expressions with named groups y, m, d for a publication date line.
    public var publishedPatterns: [String]
    /// Regular expression with named group y for a year in a title or a table label.
    public var yearPattern: String
    /// Regular expression with named group y for a year written inside a table label.
    public var tableYearPattern: String
    /// Regular expressions on the agency name that mean a people's government.
    public var governmentNames: [String]
    /// Regular expressions on the agency name that mean a department (checked after government).
    public var departmentNames: [String]
    /// Words removed from the end of a title to leave the agency name.
    public var titleTails: [String]
    /// Words removed from the start of a title before the agency name (e.g. `关于`).
    public var titleLeads: [String] = []
    /// Words that may follow the year in a title before the agency name (e.g. `度` in `2024年度`).
    public var titleYearSuffixes: [String] = []
    /// Phrases by which a report declares itself compiled from its subordinate agencies' reports (`ogilint rollup`).
    public var compilationWords: [String] = []
    public var cells: CellSyntax
    public var parts: [PartSpec]

    public init(
        inlineNoise: [String], lineNoise: [String], partNumerals: String, partNumberSeparators: [String],
        titleWords: [String], periodPatterns: [String], publishedPatterns: [String], yearPattern: String, tableYearPattern: String,
        governmentNames: [String], departmentNames: [String], titleTails: [String], cells: CellSyntax, parts: [PartSpec]
    ) {
        self.inlineNoise = inlineNoise; self.lineNoise = lineNoise; self.partNumerals = partNumerals
        self.partNumberSeparators = partNumberSeparators; self.titleWords = titleWords
        self.periodPatterns = periodPatterns; self.publishedPatterns = publishedPatterns; self.yearPattern = yearPattern
        self.tableYearPattern = tableYearPattern
        self.governmentNames = governmentNames; self.departmentNames = departmentNames; self.titleTails = titleTails
        self.cells = cells; self.parts = parts
    }
}

/// Everything a reader needs: the shared profile and every template generation.
public struct TemplateSet: Sendable {
    public var profile: ReaderProfile
    public var templates: [Template]

    public init(profile: ReaderProfile, templates: [Template]) {
        self.profile = profile; self.templates = templates
    }

    public func template(_ id: String) -> Template? { templates.first { $0.id == id } }

    /// The template in force for a report year, if any.
    public func template(forYear year: Int) -> Template? { templates.first { $0.applies(toYear: year) } }
}
