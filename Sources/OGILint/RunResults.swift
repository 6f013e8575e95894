import Foundation
import OGIModel
import OGIReaders
import OGIRules

/// The exit status of a run: 0 nothing at or above the threshold, 1 findings at or above it,
/// 2 usage, input, configuration, rule-pack or output errors.
public enum ExitStatus: Int32, Sendable {
    case clean = 0
    case findings = 1
    case toolError = 2
}

/// An error that ends a command: it says what went wrong and what to do, and carries its exit status.
public protocol ToolError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

/// Why one input could not be checked. The run goes on with the other inputs and ends with exit status 2.
public struct InputError: ToolError, Equatable {
    /// The input that failed.
    public var path: String
    /// What the reader said, or the description of an unexpected error.
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        case read(ReaderError)
        case unexpected(String)
    }

    public init(path: String, error: any Error) {
        self.path = path
        reason = (error as? ReaderError).map(Reason.read) ?? .unexpected("\(path): \(error)")
    }

    public var exitStatus: ExitStatus { .toolError }

    public var description: String {
        switch reason {
        case .read(let e): return e.description
        case .unexpected(let s): return s
        }
    }
}

/// One checked input: the report and its findings, or the error that stopped it from being read.
/// A configuration file's own warnings (unused suppressions) come as an input named after that file,
/// with no report.
public struct CheckedInput: Sendable {
    public var path: String
    public var report: Report?
    public var findings: [Finding]
    public var error: InputError?
    /// True for a configuration file's own warnings rather than a report.
    public var isConfiguration = false

    public init(path: String, report: Report?, findings: [Finding], error: InputError? = nil) {
        self.path = path; self.report = report; self.findings = findings; self.error = error
    }

    /// A configuration file's own findings (unused suppressions).
    public init(configuration path: String, findings: [Finding]) {
        self.init(path: path, report: nil, findings: findings)
        isConfiguration = true
    }

    /// An input that could not be read.
    public init(path: String, error: InputError) {
        self.init(path: path, report: nil, findings: [], error: error)
    }
}

/// Totals over a run, built up one input at a time.
public struct RunSummary: Sendable, Equatable {
    public var reports = 0
    public var errors = 0
    public var warnings = 0
    public var infos = 0
    public var unreadable = 0
    /// Findings left out because the baseline lists them.
    public var baselined = 0
    /// Files in scanned folders that were not checked (hidden, not regular, not a report).
    public var skippedFiles = 0
    /// Folders a scan did not enter (hidden, build output).
    public var skippedFolders = 0
    /// Files in scanned folders that were read but are not annual reports at all (NOT-A-REPORT), left out.
    public var notReports = 0

    public init() {}

    public init(_ inputs: [CheckedInput]) {
        for i in inputs { add(i) }
    }

    public mutating func add(_ input: CheckedInput) {
        if !input.isConfiguration { reports += 1 }
        let c = Self.counts(input.findings)
        errors += c.errors; warnings += c.warnings; infos += c.infos
        if input.error != nil { unreadable += 1 }
    }

    /// Errors, warnings and infos among `findings`.
    public static func counts(_ findings: [Finding]) -> (errors: Int, warnings: Int, infos: Int) {
        var c = (0, 0, 0)
        for f in findings {
            switch f.severity {
            case .error: c.0 += 1
            case .warning: c.1 += 1
            case .info: c.2 += 1
            }
        }
        return c
    }

    /// True when a finding is at or above `threshold` (never when it is nil).
    public func fails(at threshold: Severity?) -> Bool {
        guard let t = threshold else { return false }
        switch t {
        case .error: return errors > 0
        case .warning: return errors + warnings > 0
        case .info: return errors + warnings + infos > 0
        }
    }

    /// The exit status of a run with these totals.
    public func exitStatus(failOn threshold: Severity?) -> ExitStatus {
        if unreadable > 0 { return .toolError }
        return fails(at: threshold) ? .findings : .clean
    }
}

/// What a run knows before its first report: what every output needs to write its header.
public struct RunStart: Sendable {
    /// The inputs, in the order their results will come.
    public var files: [String]
    /// The rules of the first configuration group (for SARIF and JUnit).
    public var rules: [Rule]
    /// The templates, for outputs that draw the tables on the template's grid (HTML).
    public var templates: TemplateSet?
    /// The threshold from the configuration (`fail_on`), or `error` when none sets it; nil means never.
    public var failOn: Severity?
    /// The message catalog of the first configuration group, for the words an output puts around findings (the
    /// text format's report facts and folded-findings line); nil: the file line is the path alone and the folded
    /// line only counts and lists (`(+2: RULE-A, RULE-B)`). A run with several configuration groups words every
    /// file with the first group's catalog.
    public var messages: MessageCatalog?

    public init(
        files: [String] = [], rules: [Rule] = [], templates: TemplateSet? = nil, failOn: Severity? = .error, messages: MessageCatalog? = nil
    ) {
        self.files = files; self.rules = rules; self.templates = templates; self.failOn = failOn; self.messages = messages
    }
}

/// Receives a run as it happens: `begin` once, `add` once per input in input order, `finish` once.
/// Outputs and the baseline writer are consumers; a consumer must not keep the reports it is given.
public protocol RunConsumer: AnyObject {
    func begin(_ run: RunStart) throws
    func add(_ input: CheckedInput) throws
    func finish(_ summary: RunSummary) throws
}

/// Collects every input, for tests and callers that want the whole run in memory.
public final class CollectedRun: RunConsumer {
    public private(set) var start: RunStart?
    public private(set) var inputs: [CheckedInput] = []
    public private(set) var summary = RunSummary()

    public init() {}
    public func begin(_ run: RunStart) { start = run }
    public func add(_ input: CheckedInput) { inputs.append(input) }
    public func finish(_ summary: RunSummary) { self.summary = summary }
}

/// Several consumers fed the same run, in order.
public final class RunConsumers: RunConsumer {
    public let consumers: [any RunConsumer]
    public init(_ consumers: [any RunConsumer]) { self.consumers = consumers }
    public func begin(_ run: RunStart) throws { for c in consumers { try c.begin(run) } }
    public func add(_ input: CheckedInput) throws { for c in consumers { try c.add(input) } }
    public func finish(_ summary: RunSummary) throws { for c in consumers { try c.finish(summary) } }
}
