import Foundation
import OGILint
import OGIModel

/// One `--format NAME[=PATH]`: a format and the file it goes to (nil: standard output).
public struct OutputRequest {
    public var format: any OutputFormat.Type
    public var path: String?

    public init(format: any OutputFormat.Type, path: String?) { self.format = format; self.path = path }

    /// Reads `NAME` or `NAME=PATH` for each spec (`text` when there is none); at most one may go to
    /// standard output.
    public static func parse(_ specs: [String]) throws -> [OutputRequest] {
        let parsed: [OutputRequest] = try (specs.isEmpty ? ["text"] : specs).map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let format = OutputFormats.named(parts[0]) else { throw OutputError.unknownFormat(spec) }
            if parts.count == 2 && parts[1].isEmpty { throw OutputError.missingPath(format: parts[0]) }
            return OutputRequest(format: format, path: parts.count == 2 ? parts[1] : nil)
        }
        if parsed.filter({ $0.path == nil }).count > 1 { throw OutputError.severalOnStandardOutput }
        return parsed
    }
}

/// Everything one run writes: the requested formats (to their files or standard output) or a baseline.
/// Every file is checked and opened at `init`, before any input is read; nothing is put in place before
/// `commit`. As a consumer it feeds each format as results stream by.
public final class RunOutputs: RunConsumer {
    let files: OutputFiles
    let writers: [FormatWriter]
    let standardOutput: FileSink?
    /// Set when the run writes a baseline instead of formats.
    public let baseline: BaselineCollector?

    /// - Parameters:
    ///   - requests: the formats; ignored when `baselinePath` is given.
    ///   - inputs: the files being checked, which no output may overwrite.
    ///   - quiet: leave out the format that would go to standard output.
    ///   - color: colour for a text format on standard output.
    public init(
        requests: [OutputRequest], baselinePath: String?, inputs: [String], options: OutputOptions,
        quiet: Bool = false, color: Bool = false
    ) throws {
        let requests = baselinePath == nil ? requests.filter { !($0.path == nil && quiet) } : []
        let files = try OutputFiles(paths: requests.compactMap(\.path) + (baselinePath.map { [$0] } ?? []), inputs: inputs)
        self.files = files
        var standardOutput: FileSink?
        writers = requests.map { r in
            var o = options
            o.color = r.path == nil && color
            let sink: OutputSink
            if let p = r.path { sink = files.sink(for: p) } else { standardOutput = FileSink.standardOutput(); sink = standardOutput! }
            return FormatWriter(r.format.init(options: o), to: sink)
        }
        self.standardOutput = standardOutput
        baseline = baselinePath.map { BaselineCollector(path: $0) }
    }

    public func begin(_ run: RunStart) throws {
        for w in writers { try w.begin(run) }
        baseline?.begin(run)
    }

    public func add(_ input: CheckedInput) throws {
        for w in writers { try w.add(input) }
        baseline?.add(input)
    }

    public func finish(_ summary: RunSummary) throws {
        for w in writers { try w.finish(summary) }
        try standardOutput?.flush()
    }

    /// Puts every file in place. A baseline is written only when every input was read; otherwise nothing
    /// is written and the error says why.
    public func commit() throws {
        if let baseline {
            let data: Data
            do { data = try baseline.encoded() } catch { files.discard(); throw error }
            try files.sink(for: baseline.path).write(data)
        }
        try files.commit()
    }

    /// Leaves every file as it was.
    public func discard() { files.discard() }
}
