import ArgumentParser
import Foundation
import OGILint
import OGIModel
import OGIOutput

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check reports (files, folders or wildcards) and print findings.",
        discussion: """
        Formats:
        \(OutputFormats.all.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0))\($0.purpose)" }.joined(separator: "\n"))

        \(usage)
        """)

    static let usage = "Give --format several times to write several in one run, e.g. --format text --format sarif=out.sarif "
        + "--format html=report.html (at most one without =PATH). Output files are checked before anything is written: "
        + "an output that is an input, two outputs to one file, or a folder are refused. A file name that starts with '-' "
        + "is taken as a file when it exists; '--' ends the options."

    @Argument(help: "Reports: .txt, .docx, .html, .pdf, or report models (.yml, .json); folders are searched for them; quoted wildcards such as 'drafts/**/*.docx' are expanded.")
    var files: [String] = []

    @Option(name: .customLong("format"), help: ArgumentHelp("Output format, optionally written to a file: NAME or NAME=PATH (repeatable).", valueName: "FORMAT[=PATH]"))
    var formats: [String] = []

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning, info, never (default: the configuration's fail_on, else error).")
    var failOn: FailThreshold?

    @Flag(name: .shortAndLong, help: "Print nothing on standard output; only the exit code (and errors on standard error) tell the result.")
    var quiet = false

    @Option(help: ArgumentHelp("Use this configuration file for every input instead of the nearest .ogilint.yml.", valueName: "FILE"))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Do not look for .ogilint.yml files.")
    var noConfig = false

    @Option(help: ArgumentHelp("Leave out findings listed in this baseline file.", valueName: "FILE"))
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Write the current findings to this baseline file instead of any output (exit 0; 2 when an input cannot be read, and then no baseline is written).", valueName: "FILE"))
    var writeBaseline: String?

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    /// One `--format`: the format and the file it goes to (nil: standard output).
    struct FormatRequest {
        var format: any OutputFormat.Type
        var path: String?
    }

    func formatRequests() throws -> [FormatRequest] {
        let list = formats.isEmpty ? ["text"] : formats
        let parsed: [FormatRequest] = try list.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let format = OutputFormats.named(parts[0]) else {
                throw ValidationError("unknown format '\(spec)'; formats: \(OutputFormats.names.joined(separator: ", "))")
            }
            if parts.count == 2 && parts[1].isEmpty { throw ValidationError("--format \(parts[0])= needs a file name after '='") }
            return FormatRequest(format: format, path: parts.count == 2 ? parts[1] : nil)
        }
        if parsed.filter({ $0.path == nil }).count > 1 {
            throw ValidationError("at most one --format may write to standard output; give the others a file: --format sarif=out.sarif")
        }
        return parsed
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file or folder") }
        _ = try formatRequests()
        if config != nil && noConfig { throw ValidationError("--config and --no-config cannot be used together") }
    }

    func sessionOptions() throws -> LintSession.Options {
        var options = LintSession.Options(rulesRoot: try rules.root())
        options.extraRules = rules.extraRules
        options.agencyKind = read.agencyKind
        options.year = read.year
        options.maxInputBytes = read.maxSize.bytes
        options.configPath = config
        options.useConfiguration = !noConfig
        options.baselinePath = baseline
        if isTerminal(2) && !quiet {
            options.progress = { done, total in
                guard total >= 20, done % 10 == 0 || done == total else { return }
                FileHandle.standardError.write(Data("\rchecked \(done)/\(total)\(done == total ? "\n" : "")".utf8))
            }
        }
        return options
    }

    func run() throws {
        let session = LintSession(options: try sessionOptions())
        let plan = try session.plan(files)
        let threshold = failOn.map(\.severity) ?? plan.start.failOn
        // Every output is checked and opened before any input is read.
        let requests = writeBaseline == nil ? try formatRequests() : []
        let paths = requests.compactMap(\.path) + (writeBaseline.map { [$0] } ?? [])
        let files = try OutputFiles(paths: paths, inputs: plan.start.files)
        let color = isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        var consumers: [any RunConsumer] = []
        var standardOutput: FileSink?
        for r in requests where !(r.path == nil && quiet) {
            let sink: OutputSink
            if let p = r.path { sink = files.sink(for: p) } else { standardOutput = FileSink.standardOutput(); sink = standardOutput! }
            let options = OutputOptions(version: OGILintVersion.string, color: r.path == nil && color, failOn: threshold)
            consumers.append(FormatWriter(r.format.init(options: options), to: sink))
        }
        let baseline = writeBaseline.map { BaselineCollector(path: $0) }
        if let baseline { consumers.append(baseline) }
        let problems = InputErrorLog()
        consumers.append(problems)
        let summary: RunSummary
        do {
            summary = try session.run(plan, to: RunConsumers(consumers))
            try standardOutput?.flush()
        } catch {
            files.discard()
            throw error
        }
        if let baseline {
            let data: Data
            do { data = try baseline.encoded() } catch {
                files.discard()
                problems.report()
                throw error
            }
            try files.sink(for: baseline.path).write(data)
            try files.commit()
            let n = baseline.file.findings.count
            FileHandle.standardError.write(Data("ogilint: wrote \(n) finding\(n == 1 ? "" : "s") to the baseline \(baseline.path)\n".utf8))
            return
        }
        try files.commit()
        problems.report()
        let status = summary.exitStatus(failOn: threshold)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

/// Collects the inputs that could not be read, to list them on standard error after the outputs.
final class InputErrorLog: RunConsumer {
    private(set) var errors: [InputError] = []
    func begin(_ run: RunStart) {}
    func add(_ input: CheckedInput) { if let e = input.error { errors.append(e) } }
    func finish(_ summary: RunSummary) {}
    func report() {
        for e in errors { FileHandle.standardError.write(Data("ogilint: \(e)\n".utf8)) }
    }
}
