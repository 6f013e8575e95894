/// Where something came from in the input: a file and, when known, a line and column, a page (PDF),
/// a paragraph number (DOCX), or table, row and cell indices (DOCX tables), all 1-based.
///
/// The numbers are stored as plain `Int`s, `Int.min` standing for "not known", and read through optional
/// properties: seven `Int?` took 16 bytes each (a value and a flag, padded), so a location was 128 bytes, copied
/// and initialised with every cell, row and paragraph of a report; now it is 72. `Int.min` is no line, page or
/// index any input has: a model file that gives it is refused when decoded, and setting a property to it reads
/// back as nil.
public struct SourceLocation: Codable, Hashable, Sendable {
    public var file: Optional<String>
    @usableFromInline var storedLine: Int
    @usableFromInline var storedColumn: Int
    @usableFromInline var storedPage: Int
    @usableFromInline var storedParagraph: Int
    @usableFromInline var storedTableIndex: Int
    @usableFromInline var storedRowIndex: Int
    @usableFromInline var storedCellIndex: Int

    /// The stored number of an unknown field.
    @usableFromInline static let unknown = Int.min

    @inlinable static func stored(_ n: Int?) -> Int { n ?? unknown }
    @inlinable static func read(_ n: Int) -> Int? { n == unknown ? nil : n }

    public var line: Int? {
        @inlinable get { Self.read(storedLine) }
        @inlinable set { storedLine = Self.stored(newValue) }
    }
    public var column: Int? {
        @inlinable get { Self.read(storedColumn) }
        @inlinable set { storedColumn = Self.stored(newValue) }
    }
    public var page: Int? {
        @inlinable get { Self.read(storedPage) }
        @inlinable set { storedPage = Self.stored(newValue) }
    }
    public var paragraph: Int? {
        @inlinable get { Self.read(storedParagraph) }
        @inlinable set { storedParagraph = Self.stored(newValue) }
    }
    public var tableIndex: Int? {
        @inlinable get { Self.read(storedTableIndex) }
        @inlinable set { storedTableIndex = Self.stored(newValue) }
    }
    public var rowIndex: Int? {
        @inlinable get { Self.read(storedRowIndex) }
        @inlinable set { storedRowIndex = Self.stored(newValue) }
    }
    public var cellIndex: Int? {
        @inlinable get { Self.read(storedCellIndex) }
        @inlinable set { storedCellIndex = Self.stored(newValue) }
    }

    @inlinable public init(
        file: String? = nil, line: Int? = nil, column: Int? = nil, page: Int? = nil,
        paragraph: Int? = nil, tableIndex: Int? = nil, rowIndex: Int? = nil, cellIndex: Int? = nil
    ) {
        self.file = file
        storedLine = Self.stored(line)
        storedColumn = Self.stored(column)
        storedPage = Self.stored(page)
        storedParagraph = Self.stored(paragraph)
        storedTableIndex = Self.stored(tableIndex)
        storedRowIndex = Self.stored(rowIndex)
        storedCellIndex = Self.stored(cellIndex)
    }

    /// The fields as a model file and the JSON output name them, in the order they are written.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case file, line, column, page, paragraph
        case tableIndex = "table_index", rowIndex = "row_index", cellIndex = "cell_index"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> Int {
            guard let n = try c.decodeIfPresent(Int.self, forKey: key) else { return Self.unknown }
            guard n != Self.unknown else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "\(key.stringValue) \(n) is out of range; give a 1-based number")
            }
            return n
        }
        file = try c.decodeIfPresent(String.self, forKey: .file)
        storedLine = try number(.line)
        storedColumn = try number(.column)
        storedPage = try number(.page)
        storedParagraph = try number(.paragraph)
        storedTableIndex = try number(.tableIndex)
        storedRowIndex = try number(.rowIndex)
        storedCellIndex = try number(.cellIndex)
    }

    /// Writes the known fields only, as the synthesised encoding of optional properties did.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(file, forKey: .file)
        try c.encodeIfPresent(line, forKey: .line)
        try c.encodeIfPresent(column, forKey: .column)
        try c.encodeIfPresent(page, forKey: .page)
        try c.encodeIfPresent(paragraph, forKey: .paragraph)
        try c.encodeIfPresent(tableIndex, forKey: .tableIndex)
        try c.encodeIfPresent(rowIndex, forKey: .rowIndex)
        try c.encodeIfPresent(cellIndex, forKey: .cellIndex)
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var s = file ?? "<input>"
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }
}

extension SourceLocation: CustomReflectable {
    /// The fields under the names a model file gives them (`ModelShape` reads a model's field names from a
    /// mirror), not the stored numbers' names.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "file": file as Any, "line": line as Any, "column": column as Any, "page": page as Any,
                "paragraph": paragraph as Any, "tableIndex": tableIndex as Any, "rowIndex": rowIndex as Any,
                "cellIndex": cellIndex as Any,
            ], displayStyle: .struct)
    }
}
