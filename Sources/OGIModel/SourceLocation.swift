/// Where something came from in the input: a file and, when known, a line and column.
///
/// Text readers fill `line`; structured formats may fill `paragraph` or table indices instead.
public struct SourceLocation: Codable, Hashable, Sendable {
    public var file: String?
    public var line: Int?
    public var column: Int?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var s = file ?? "<input>"
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }
}
