import Foundation

/// The limits on what a reader builds from one input, all derived from the largest input accepted
/// (`--max-size`), so one option raises them together. A real report stays far inside each limit; they exist
/// so that no input, however made, can make a reader take unbounded memory or time.
public struct ReadBudget: Sendable, Equatable {
    /// Largest input file, in bytes (`--max-size`).
    public var maxInputBytes: Int
    /// Largest text after decoding or unpacking (one DOCX part, a decoded page, a model's YAML expanded
    /// through its aliases), in bytes.
    public var maxDecodedBytes: Int
    /// Most lines of text (a DOCX paragraph or table row, an HTML block or table row, a PDF line).
    public var maxLines: Int
    /// Most elements in one XML part or HTML page.
    public var maxElements: Int
    /// Most cells in the grids of an HTML page's tables, counting the cells that spans cover.
    public var maxTableCells: Int
    /// Largest `rowspan` and `colspan` honoured; larger spans are cut to this (browsers do the same).
    public var maxSpan: Int
    /// Most nodes of a report model, counting each YAML alias as a copy of what it names.
    public var maxModelNodes: Int
    /// Most YAML aliases (`*name`) in a report model.
    public var maxYAMLAliases: Int

    /// The default `--max-size`: 50 MB.
    public static let defaultMaxInputBytes = 50 * 1024 * 1024

    public init(maxInputBytes: Int = ReadBudget.defaultMaxInputBytes) {
        let m = max(1, maxInputBytes)
        self.maxInputBytes = m
        maxDecodedBytes = m
        maxLines = max(2_000, m / 256)
        maxElements = max(20_000, m / 128)
        maxTableCells = max(20_000, m / 256)
        maxSpan = 1_000
        maxModelNodes = max(20_000, m / 256)
        maxYAMLAliases = max(1_000, m / 4096)
    }

    /// The error for input over one of the limits: what was found, the limit, and the option that raises it.
    public func refusal(_ path: String, _ what: String, limit: Int, unit: String) -> ReaderError {
        .overLimit(path: path, detail: "\(what), over the limit of \(limit) \(unit) that --max-size \(maxInputBytes) allows")
    }

    /// Throws when a count is over its limit.
    public func check(_ count: Int, _ limit: Int, _ path: String, _ what: @autoclosure () -> String, unit: String) throws {
        if count > limit { throw refusal(path, what(), limit: limit, unit: unit) }
    }
}
