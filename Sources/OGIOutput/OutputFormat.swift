import Foundation
import OGILint
import OGIModel

/// Where a format writes: standard output, a file, or memory.
public protocol OutputSink: AnyObject {
    func write(_ bytes: Data) throws
    /// Writes bytes the caller holds, without making them a `Data` first (the default does).
    func write(bytes: UnsafeRawBufferPointer) throws
}

extension OutputSink {
    public func write(bytes: UnsafeRawBufferPointer) throws { try write(Data(bytes)) }

    /// Writes the text's UTF-8 bytes, read from its contiguous UTF-8 storage: `Data(text.utf8)` gives the same
    /// bytes but first asks the runtime whether the view conforms to a protocol, a scan of every conformance
    /// record of the process (~0.3 M instructions) on the first write of a run.
    public func write(_ text: String) throws {
        try text.withUTF8Bytes { try write(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Collects output in memory (tests, `render`).
public final class StringSink: OutputSink {
    public private(set) var bytes = Data()
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public init() {}
    public func write(_ bytes: Data) { self.bytes += bytes }
}

/// What every format may use besides the run itself.
public struct OutputOptions: Sendable {
    /// The tool's version, written by formats that name the tool.
    public var version: String
    /// ANSI colour in text output (the CLI asks on a terminal without NO_COLOR).
    public var color: Bool
    /// Findings at or above this severity fail the run (nil: never); JUnit marks them as failures.
    public var failOn: Severity?

    public init(version: String = OGILintVersion.string, color: Bool = false, failOn: Severity? = .error) {
        self.version = version; self.color = color; self.failOn = failOn
    }
}

/// An output format. A run calls `begin` once, `add` once per checked input in input order, then `finish`
/// once; each call writes what it can to the sink at once. A format keeps only what its ending needs (per-file
/// counts, a spool of sections that must follow a header with totals), never the reports, so memory stays
/// flat over any batch. Adding a format: one file under `Formats/` with a type conforming to this, and one
/// line in `OutputFormats.all`.
public protocol OutputFormat: AnyObject, SendableMetatype {
    /// The name given to `--format`.
    static var name: String { get }
    /// One line for the help: what the format is for.
    static var purpose: String { get }
    init(options: OutputOptions)
    func begin(_ run: RunStart, to out: OutputSink) throws
    func add(_ input: CheckedInput, to out: OutputSink) throws
    func finish(_ summary: RunSummary, to out: OutputSink) throws
}

extension OutputFormat {
    /// The whole output for inputs held in memory.
    public static func render(
        _ inputs: [CheckedInput], run: RunStart, options: OutputOptions = OutputOptions(),
        summary: RunSummary? = nil
    ) -> String {
        let sink = StringSink()
        let format = Self(options: options)
        // A StringSink never fails, and formats throw only what their sink throws.
        try! format.begin(run, to: sink)
        for i in inputs { try! format.add(i, to: sink) }
        try! format.finish(summary ?? RunSummary(inputs), to: sink)
        return sink.text
    }
}

/// Every output format, in the order the help lists them. The CLI finds formats here by name.
public enum OutputFormats {
    public static let all: [any OutputFormat.Type] = [
        TextFormat.self, JSONFormat.self, SARIFFormat.self, JUnitFormat.self,
        GitHubFormat.self, MarkdownFormat.self, HTMLFormat.self,
    ]

    public static var names: [String] { all.map { $0.name } }

    public static func named(_ name: String) -> (any OutputFormat.Type)? { all.first { $0.name == name } }
}

/// A format writing one run to one sink: the bridge from a session's stream to a format.
public final class FormatWriter: RunConsumer {
    public let format: any OutputFormat
    public let sink: OutputSink

    public init(_ format: any OutputFormat, to sink: OutputSink) { self.format = format; self.sink = sink }

    public func begin(_ run: RunStart) throws { try format.begin(run, to: sink) }
    public func add(_ input: CheckedInput) throws { try format.add(input, to: sink) }
    public func finish(_ summary: RunSummary) throws { try format.finish(summary, to: sink) }
}
