import Foundation
import OGIModel
import OGIReaders
import OGIRules

/// Version of the tool, reported in JSON output.
public enum OGILintVersion {
    public static let string = "0.1.0"
}

/// Options that change how reports are read or judged.
public struct LintOptions: Sendable {
    /// Overrides the agency kind inferred from the agency name.
    public var agencyKind: AgencyKind?
    /// Overrides the report year read from the title.
    public var year: Int?
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int

    public init(agencyKind: AgencyKind? = nil, year: Int? = nil, maxInputBytes: Int = ReadBudget.defaultMaxInputBytes) {
        self.agencyKind = agencyKind; self.year = year; self.maxInputBytes = maxInputBytes
    }
}

/// One report's outcome: the model read from it and the findings.
public struct ReportResult: Sendable {
    public var report: Report
    public var findings: [Finding]
}

/// The whole pipeline: rule packs loaded once, then any number of files read and checked.
public final class Linter: Sendable {
    public let ruleSet: RuleSet
    public let engine: Engine
    let context: ReaderContext
    /// The readers, in order of precedence; `read` asks them which one claims a file.
    public let registry: ReaderRegistry
    /// The reading limits derived from `options.maxInputBytes`.
    public let budget: ReadBudget
    public let options: LintOptions

    /// The configuration applied, when there is one.
    public let configuration: LintConfiguration?

    /// Loads the rule folders (the bundled one first, then any extra packs), then applies a configuration's
    /// disabled rules and severity changes.
    /// `rulesCache` keeps the parsed YAML of unchanged rule files between runs (`ParsedRulesCache.standard`:
    /// the user's cache folder, off with `OGILINT_NO_CACHE=1`). It stores only rule sets that validated
    /// completely, so a hit from the same executable and the same bytes is not validated again; anything
    /// else (a changed file, a new pack, another build) is validated with file and line positions.
    /// `replicable` keeps what `replica()` needs when there is no cache folder (with one, it is always kept).
    public convenience init(
        ruleDirectories: [String], options: LintOptions = LintOptions(), configuration: LintConfiguration? = nil,
        rulesCache: ParsedRulesCache? = .standard, replicable: Bool = false
    ) throws {
        if let y = options.year, !ModelShape.plausibleYears.contains(y) {
            throw ReaderError.invalidOption(
                option: "--year", problem: "\(y) is not a plausible report year; give the four-digit year the report covers, e.g. 2023")
        }
        if options.maxInputBytes < 1 {
            throw ReaderError.invalidOption(
                option: "--max-size", problem: "\(options.maxInputBytes) is not a size; give the largest input in bytes, e.g. 52428800")
        }
        let set = try RulePackLoader.load(
            directories: ruleDirectories + (configuration?.rules ?? []), cache: rulesCache, replicable: replicable)
        try self.init(loaded: set, options: options, configuration: configuration)
    }

    /// A linter of a loaded rule set, with the configuration applied to it.
    private init(loaded: RuleSet, options: LintOptions, configuration: LintConfiguration?) throws {
        var set = loaded
        if let configuration { set = try configuration.apply(to: set) }
        self.configuration = configuration
        self.ruleSet = set
        self.engine = Engine(ruleSet: set)
        self.context = try ReaderContext(templates: set.templates)
        self.options = options
        self.budget = ReadBudget(maxInputBytes: options.maxInputBytes)
        self.registry = ReaderRegistry.standard(context: context, budget: budget)
    }

    /// A linter that checks as this one does, its rules built again from the bytes they were loaded from
    /// (`RulePackLoader.replica(of:)`, not read from disk again, so a rule file changed since makes no difference)
    /// and the configuration applied to them again. It shares none of the rules' objects with this one (the
    /// configuration and options are the same values). A batch gives one to each worker thread besides the calling
    /// one, so the reference counts each thread changes stay in its own core's cache. Nil when the rules kept no
    /// source (loaded without a cache folder and not `replicable`).
    func replica() throws -> Linter? {
        guard let set = try RulePackLoader.replica(of: ruleSet) else { return nil }
        return try Linter(loaded: set, options: options, configuration: configuration)
    }

    /// Reads a file into the report model, choosing the reader by content and extension. Only regular
    /// files are read (a FIFO or device is refused, never waited on).
    public func read(path: String) throws -> Report {
        try read(path: path, data: InputFile.read(path: path, budget: budget))
    }

    /// Reads bytes that came from `path`. The reader is the one in the registry with the strongest claim
    /// on the content and the extension (a `.doc` that is really DOCX, an `.htm` saved as `.txt`).
    public func read(path: String, data: Data) throws -> Report {
        var report = try registry.read(path: path, data: checked(data, path: path))
        apply(options, to: &report.metadata)
        return report
    }

    /// Reads last year's report of a check: as `read(path:)`, but `--year` (this year's report year) is not
    /// forced on it, so its own year and template layout stay its own.
    public func readPrevious(path: String) throws -> Report {
        var report = try registry.read(path: path, data: checked(InputFile.read(path: path, budget: budget), path: path))
        apply(previousOptions, to: &report.metadata)
        return report
    }

    /// Last year's report from its draft (`readPairing(path:)`), as `readPrevious(path:)` reads its file; nil when
    /// the draft cannot settle it.
    public func readPrevious(draft: LinedDraft) -> Report? {
        report(from: draft, applying: previousOptions)
    }

    /// Last year's report from the decoded text `readPairing(path:)` gave for its file at `path`, as
    /// `readPrevious(path:)` reads the file.
    public func readPrevious(decodedText text: String, path: String) throws -> Report {
        var report = try TextReader(context: context, budget: budget).read(path: path, decodedText: text)
        apply(previousOptions, to: &report.metadata)
        return report
    }

    /// The options applied to last year's report: this run's, without `--year`.
    var previousOptions: LintOptions {
        var own = options
        own.year = nil
        return own
    }

    /// Reads only the metadata of a file (agency, year, dates), as `read(path:)` would give it: what a batch
    /// needs to pair reports with last year's, without reading their tables.
    public func readMetadata(path: String) throws -> Metadata {
        var meta = try registry.readMetadata(path: path, data: checked(InputFile.read(path: path, budget: budget), path: path))
        apply(options, to: &meta)
        return meta
    }

    /// The pairing key of a file (`PreviousPairing.key`): what `PreviousPairing.key(of: readMetadata(path:))`
    /// gives, from a reading of only the agency and year; and, when its reader makes one (DOCX, HTML, PDF), the
    /// draft it was read from, so the check can start from it (`check(draft:previous:)`) instead of parsing
    /// the file again; for a plain text, its decoded text, which the check can start from
    /// (`check(decodedText:path:previous:)`) instead of reading and decoding the file again.
    public func readPairing(path: String) throws -> (key: PreviousPairing.Key?, draft: LinedDraft?, text: String?) {
        let data = try checked(InputFile.read(path: path, budget: budget), path: path)
        var meta: Metadata
        var draft: LinedDraft?
        var text: String?
        switch try registry.pairingReading(path: path, data: data) {
        case .metadata(let m): meta = m
        case .text(let m, let decoded):
            meta = m
            text = decoded
        case .draft(let d):
            meta = TextReader(context: context, budget: budget).pairingMetadata(of: d)
            draft = d
        }
        apply(options, to: &meta)
        return (PreviousPairing.key(of: meta), draft, text)
    }

    /// The report of a draft made by `readPairing(path:)`: what `read(path:)` gives for its file; nil when the
    /// draft cannot settle it (`TextReader.report(from:depth:)`).
    public func read(draft: LinedDraft) -> Report? {
        report(from: draft, applying: options)
    }

    /// The report of a draft with `options` applied to its metadata; nil when the draft cannot settle it.
    func report(from draft: LinedDraft, applying options: LintOptions) -> Report? {
        guard var report = TextReader(context: context, budget: budget).report(from: draft) else { return nil }
        apply(options, to: &report.metadata)
        return report
    }

    /// `data`, refused when it is larger than the read budget allows.
    func checked(_ data: Data, path: String) throws -> Data {
        if data.count > budget.maxInputBytes { throw InputFile.oversize(path, data.count, budget) }
        return data
    }

    /// Reads already-decoded draft text (for callers that hold the text in memory).
    public func read(text: String, path: String) -> Report {
        var report = TextReader(context: context, budget: budget).parse(text: text, path: path)
        apply(options, to: &report.metadata)
        return report
    }

    func apply(_ options: LintOptions, to metadata: inout Metadata) {
        if let k = options.agencyKind { metadata.agencyKind = k; metadata.agencyKindSource = "option" }
        if let y = options.year { metadata.year = y }
    }

    public func check(_ report: Report) -> [Finding] { engine.check(report) }

    public func check(path: String) throws -> ReportResult {
        let r = try read(path: path)
        return ReportResult(report: r, findings: engine.check(r))
    }

    /// Reads and checks a file against last year's report (`previous.` rules say nothing without one).
    public func check(path: String, previous: Report?) throws -> ReportResult {
        let r = try read(path: path)
        return ReportResult(report: r, findings: engine.check(r, previous: previous))
    }

    /// Checks the report of the file at `path` from the decoded text `readPairing(path:)` gave for it, as
    /// `check(path:previous:)` checks the file.
    public func check(decodedText text: String, path: String, previous: Report?) throws -> ReportResult {
        var r = try TextReader(context: context, budget: budget).read(path: path, decodedText: text)
        apply(options, to: &r.metadata)
        return ReportResult(report: r, findings: engine.check(r, previous: previous))
    }

    /// Checks the report of a draft made by `readPairing(path:)` as `check(path:previous:)` checks its file, or
    /// checks the file when the draft cannot settle the report.
    public func check(draft: LinedDraft, previous: Report?) throws -> ReportResult {
        guard let r = read(draft: draft) else { return try check(path: draft.path, previous: previous) }
        return ReportResult(report: r, findings: engine.check(r, previous: previous))
    }
}
