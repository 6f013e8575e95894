import Foundation
import OGIModel

/// `SourceLocation`'s fields as optionals under the model's keys, encoded and decoded as Swift synthesises it for
/// optional properties: the reference the location's own layout (plain numbers, `Int.min` for unknown) is compared
/// with (`SourceLocationLayoutTests`, `SourceLocationYAMLOrderTests`).
public struct OptionalFieldsLocation: Codable, Hashable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var page: Int?
    public var paragraph: Int?
    public var tableIndex: Int?
    public var rowIndex: Int?
    public var cellIndex: Int?
    enum CodingKeys: String, CodingKey {
        case file, line, column, page, paragraph
        case tableIndex = "table_index", rowIndex = "row_index", cellIndex = "cell_index"
    }

    public init(
        file: String? = nil, line: Int? = nil, column: Int? = nil, page: Int? = nil, paragraph: Int? = nil,
        tableIndex: Int? = nil, rowIndex: Int? = nil, cellIndex: Int? = nil
    ) {
        self.file = file; self.line = line; self.column = column; self.page = page; self.paragraph = paragraph
        self.tableIndex = tableIndex; self.rowIndex = rowIndex; self.cellIndex = cellIndex
    }

    /// The same fields as a `SourceLocation`.
    public var location: SourceLocation {
        SourceLocation(
            file: file, line: line, column: column, page: page, paragraph: paragraph, tableIndex: tableIndex,
            rowIndex: rowIndex, cellIndex: cellIndex)
    }
}
