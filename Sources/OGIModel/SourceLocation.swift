/// Where something came from in the input: a file and, when known, a line and column, a page (PDF),
/// a paragraph number (DOCX), or table, row and cell indices (DOCX tables), all 1-based.
public struct SourceLocation: Codable, Hashable, Sendable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var page: Int?
    public var paragraph: Int?
    public var tableIndex: Int?
    public var rowIndex: Int?
    public var cellIndex: Int?

    @inlinable public init(
        file: String? = nil, line: Int? = nil, column: Int? = nil, page: Int? = nil,
        paragraph: Int? = nil, tableIndex: Int? = nil, rowIndex: Int? = nil, cellIndex: Int? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.page = page
        self.paragraph = paragraph
        self.tableIndex = tableIndex
        self.rowIndex = rowIndex
        self.cellIndex = cellIndex
    }

    enum CodingKeys: String, CodingKey {
        case file, line, column, page, paragraph
        case tableIndex = "table_index", rowIndex = "row_index", cellIndex = "cell_index"
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var s = file ?? "<input>"
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }
}
