import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIModel
import OGIOutput
import OGIReaders

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check reports (files, folders or wildcards) and print findings.",
        discussion: """
            Formats:
            \(OutputFormats.all.map { "  \($0.name.padding(toLength: 10, withPad: " ", startingAt: 0))\($0.purpose)" }.joined(separator: "\n"))

            \(usage)
            """)

    static let usage =
        "Give --format several times to write several in one run, e.g. --format text --format sarif=out.sarif "
        + "--format html=report.html (at most one without =PATH). Output files are checked before anything is written: "
        + "an output that is an input, two outputs to one file, or a folder are refused. A file name that starts with '-' "
        + "is taken as a file when it exists; '--' ends the options."

    @Argument(
        help:
            "Reports: .txt, .docx, .html, .pdf, or report models (.yml, .json); folders are searched for them; quoted wildcards such as 'drafts/**/*.docx' are expanded."
    )
    var files: [String] = []

    @Option(
        name: .customLong("format"),
        help: ArgumentHelp("Output format, optionally written to a file: NAME or NAME=PATH (repeatable).", valueName: "FORMAT[=PATH]"))
    var formats: [String] = []

    @Option(
        name: .customLong("fail-on"),
        help:
            "Exit 1 when a finding is at or above this severity: error, warning, info, never (default: the configuration's fail_on, else error)."
    )
    var failOn: FailThreshold?

    @Flag(name: .shortAndLong, help: "Print nothing on standard output; only the exit code (and errors on standard error) tell the result.")
    var quiet = false

    @Option(help: ArgumentHelp("Use this configuration file for every input instead of the nearest .ogilint.yml.", valueName: "FILE"))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Do not look for .ogilint.yml files.")
    var noConfig = false

    @Option(help: ArgumentHelp("Leave out findings listed in this baseline file.", valueName: "FILE"))
    var baseline: String?

    @Option(
        name: .customLong("write-baseline"),
        help: ArgumentHelp(
            "Write the current findings to this baseline file instead of any output (exit 0; 2 when an input cannot be read, and then no baseline is written).",
            valueName: "FILE"))
    var writeBaseline: String?

    @Option(
        help: ArgumentHelp(
            "Last year's report of the same agency (any input format): every report is checked against it (PREV-* rules and 同比 figures need it). Without it, reports of one agency in consecutive years among the inputs are paired automatically.",
            valueName: "LAST_YEAR_FILE"))
    var previous: String?

    @Flag(
        name: .customLong("no-pairing"),
        help:
            "Do not pair reports of one agency in consecutive years automatically (saves the first pass that reads each input's title, agency and year); .ogilint.yml previous: pairs still apply."
    )
    var noPairing = false

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    /// The parsed values, which `run` works from (the fast path in `CheckArgumentsFastPath` makes the same).
    var arguments: CheckArguments {
        CheckArguments(
            files: files, formats: formats, failOn: failOn, quiet: quiet, config: config, noConfig: noConfig, baseline: baseline,
            writeBaseline: writeBaseline, previous: previous, noPairing: noPairing, extraRules: rules.extraRules,
            rulesRoot: rules.rulesRoot, agencyKind: read.agencyKind, year: read.year, maxSize: read.maxSize)
    }

    func validate() throws { try arguments.validate() }

    func run() throws { try arguments.run() }
}

/// `check`'s options as plain values: what ArgumentParser makes of them (`CheckCommand.arguments`) and what
/// the hand parser for the common argument shapes makes (`CheckArgumentsFastPath`), so both run the same code.
struct CheckArguments: Equatable {
    var files: [String] = []
    var formats: [String] = []
    var failOn: FailThreshold?
    var quiet = false
    var config: String?
    var noConfig = false
    var baseline: String?
    var writeBaseline: String?
    var previous: String?
    var noPairing = false
    var extraRules: [String] = []
    var rulesRoot: String?
    var agencyKind: AgencyKind?
    var year: Int?
    var maxSize = ByteSize.defaultMaxInput

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file or folder") }
        do { _ = try OutputRequest.parse(formats) } catch let e as OutputError { throw ValidationError(e.description) }
        if config != nil && noConfig { throw ValidationError("--config and --no-config cannot be used together") }
    }

    func sessionOptions() throws -> LintSession.Options {
        var options = LintSession.Options(rulesRoot: try RuleOptions.root(given: rulesRoot))
        options.extraRules = extraRules
        options.agencyKind = agencyKind
        options.year = year
        options.maxInputBytes = maxSize.bytes
        options.configPath = config
        options.useConfiguration = !noConfig
        options.baselinePath = baseline
        options.previousPath = previous
        options.pairPrevious = !noPairing
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
        KeptUntilExit.keep(session: session, plan: plan)
        // A check of one input leaves its parsed DOCX or HTML tree to the exit too; a batch frees each as it goes.
        let single = plan.start.files.count == 1
        if single { ParsedTreeLifetime.leftToExit = true } else { _ = HeapTuning.keepFreedMemoryForBatch() }
        defer { if single { ParsedTreeLifetime.leftToExit = false } }
        let threshold = failOn.map(\.severity) ?? plan.start.failOn
        // Every output is checked and opened before any input is read.
        let outputs = try RunOutputs(
            requests: try OutputRequest.parse(formats), baselinePath: writeBaseline, inputs: plan.start.files,
            options: OutputOptions(version: OGILintVersion.string, failOn: threshold), quiet: quiet,
            color: isTerminal(1) && EnvironmentVariable.value("NO_COLOR").map(\.isEmpty) ?? true)
        let problems = InputErrorLog()
        let summary: RunSummary
        do {
            summary = try session.run(plan, to: RunConsumers([outputs, problems]))
            try outputs.commit()
        } catch {
            outputs.discard()
            problems.report()
            throw error
        }
        problems.report()
        if let baseline = outputs.baseline {
            let n = baseline.file.findings.count
            FileHandle.standardError.write(Data("ogilint: wrote \(n) finding\(n == 1 ? "" : "s") to the baseline \(baseline.path)\n".utf8))
            return
        }
        let status = summary.exitStatus(failOn: threshold)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

/// The rule set, readers and templates of a `check` are freed by the process's exit, not object by object: a
/// check runs once and exits, and releasing them one by one cost a single run about a million instructions.
enum KeptUntilExit {
    final class Run {
        let session: LintSession
        let plan: LintSession.Plan
        init(session: LintSession, plan: LintSession.Plan) { self.session = session; self.plan = plan }
    }

    /// Retains the run once more, never released: what the run holds stays until the process exits.
    static func keep(session: LintSession, plan: LintSession.Plan) {
        _ = Unmanaged.passRetained(Run(session: session, plan: plan))
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
