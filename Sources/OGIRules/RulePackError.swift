/// Errors in rule packs and templates. Each names the file, line and column and what was expected.
public enum RulePackError: Error, CustomStringConvertible, Equatable {
    /// The pack folder or a file could not be read.
    case unreadable(path: String, reason: String)
    /// The YAML itself is broken.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// The YAML is valid but does not describe a rule or template correctly.
    case invalid(file: String, line: Int, column: Int, problem: String)
    /// Two rules or templates share an id.
    case duplicate(file: String, line: Int, column: Int, id: String, firstFile: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read rule pack: \(reason)"
        case let .syntax(file, line, column, problem):
            return "\(file):\(line):\(column): YAML syntax error: \(problem)"
        case let .invalid(file, line, column, problem):
            return "\(file):\(line):\(column): \(problem)"
        case let .duplicate(file, line, column, id, firstFile):
            return "\(file):\(line):\(column): '\(id)' is already defined in \(firstFile); ids must be unique"
        }
    }
}
