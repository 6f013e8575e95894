import Foundation
import OGIModel
import OGIReaders
import OGIRules

/// One run over many inputs: expands folders and wildcards, finds each input's `.ogilint.yml`, checks the
/// files on all cores, applies suppressions and a baseline, and streams the results in input order to
/// the outputs, so each report's model is released once its findings are written.
public final class LintSession {
    public struct Options {
        public var rulesRoot: String
        public var extraRules: [String] = []
        public var agencyKind: AgencyKind?
        public var year: Int?
        public var maxInputBytes: Int = ReadBudget.defaultMaxInputBytes
        /// An explicit configuration file, used for every input.
        public var configPath: String?
        /// When false, no `.ogilint.yml` is looked for.
        public var useConfiguration = true
        public var baselinePath: String?
        /// Called after each file is checked (for progress), with the number done and the total.
        public var progress: ((Int, Int) -> Void)?
        /// Threads checking files; nil (the default) means all cores, counted only when there are several
        /// files (counting reads cgroup files: about 0.6 M instructions a single-report run need not pay).
        public var workers: Int?
        /// Last year's report (`check --previous`): every input is checked against it, and no report is paired
        /// automatically.
        public var previousPath: String?
        /// When true (the default), in a run of several inputs the reports of one agency in consecutive years
        /// are paired (`PreviousPairing`), unless a configuration's `previous:` names the pair.
        public var pairPrevious = true

        public init(rulesRoot: String) { self.rulesRoot = rulesRoot }
    }

    /// A whole run held in memory (`run(_:)`, for tests and small callers).
    public struct Result {
        public var inputs: [CheckedInput]
        /// The rules of the first configuration group (for SARIF and JUnit).
        public var rules: [Rule]
        public var templates: TemplateSet
        /// The message catalog of the first configuration group (`RunStart.messages`).
        public var messages: MessageCatalog
        /// The configuration's `fail_on` (default error; nil: never).
        public var failOn: Severity?
        public var summary: RunSummary
        /// Findings left out because the baseline lists them.
        public var baselined: Int { summary.baselined }
    }

    /// Everything a run needs, loaded and validated before any input is checked or any output written:
    /// the inputs, one linter per configuration file, the baseline.
    public struct Plan {
        public var start: RunStart
        /// Files in scanned folders that were left out, and folders not entered.
        public var skippedFiles: Int
        public var skippedFolders: Int
        /// For each input, whether a folder scan found it; such an input that is not an annual report is left
        /// out of the results.
        var scanned: [Bool] = []
        let groups: [Group]
        /// The group of each input.
        let groupOf: [Int]
        let baseline: Baseline?
        /// Last year's report given with `--previous`, read once while planning.
        let previous: Report?
    }

    /// The inputs that share a configuration file, and the linter built from it.
    struct Group {
        var configuration: LintConfiguration?
        var linter: Linter
        /// The ids of the linter's rules that say an input is not an annual report (`kind: not_report`), found once.
        var notReportRules: Set<String>

        init(configuration: LintConfiguration?, linter: Linter) {
            self.configuration = configuration
            self.linter = linter
            notReportRules = Set(linter.ruleSet.rules.filter { $0.kind is NotReportKind }.map(\.id))
        }
    }

    public let options: Options
    /// How much of the pairing pass's drafts a run keeps (tests make it small to reach the file and the fallback).
    var draftLimits = DraftStore.Limits()
    /// The last run's draft store, for tests.
    private(set) var lastDrafts: DraftStore?
    /// How many linter replicas the last run's workers made (for tests).
    private(set) var lastReplicaCount = 0

    public init(options: Options) { self.options = options }

    /// Files named on the command line, the report files in named folders, and wildcard matches.
    public static func expand(_ args: [String]) throws -> [String] { try InputFinder(args).files }

    /// Expands the inputs, loads every configuration, rule pack and the baseline. Any error here is a
    /// tool error, raised before any output is written.
    public func plan(_ args: [String]) throws -> Plan {
        let finder = try InputFinder(args)
        let files = finder.files
        // Group inputs by their configuration file, in order of first use.
        var configFor: [String: String?] = [:]
        // The group of each configuration file, and of no configuration (not one dictionary keyed by
        // `String?`: its first use costs a single run a runtime conformance lookup of half a million instructions).
        var groupIndex: [String: Int] = [:]
        var unconfiguredGroup: Int?
        var configPaths: [String?] = []
        var groupOf: [Int] = []
        for f in files {
            let config: String?
            if let explicit = options.configPath {
                config = explicit
            } else if !options.useConfiguration {
                config = nil
            } else {
                let dir = PathParts.deletingLastPathComponent(f)
                if let cached = configFor[dir] {
                    config = cached
                } else {
                    config = LintConfiguration.find(from: dir.isEmpty ? "." : dir)
                    configFor[dir] = config
                }
            }
            let known: Int? = if let config { groupIndex[config] } else { unconfiguredGroup }
            if let known {
                groupOf.append(known)
            } else {
                if let config { groupIndex[config] = configPaths.count } else { unconfiguredGroup = configPaths.count }
                groupOf.append(configPaths.count)
                configPaths.append(config)
            }
        }
        // No input still loads the rules once, so the run always carries them.
        if configPaths.isEmpty { configPaths = [options.configPath] }
        var groups: [Group] = []
        do {
            for path in configPaths {
                let conf = try path.map { try LintConfiguration.load($0) }
                let lintOptions = LintOptions(
                    agencyKind: options.agencyKind ?? conf?.agencyKind, year: options.year ?? conf?.year,
                    maxInputBytes: options.maxInputBytes)
                let linter = try Linter(
                    ruleDirectories: [options.rulesRoot] + options.extraRules, options: lintOptions, configuration: conf,
                    replicable: WorkerLinters.replicates(count: files.count, workers: options.workers))
                groups.append(Group(configuration: conf, linter: linter))
            }
        } catch let e as RulePackError {
            throw SessionError.rulePack(e, configuration: true)
        }
        // The first configuration that sets fail_on decides; `never` is nil.
        let configured = groups.lazy.compactMap { $0.configuration }.first { $0.failOn != nil }
        let failOn: Severity? = configured.map { $0.failOn.flatMap(Severity.init(rawValue:)) } ?? .error
        let first = groups[0].linter.ruleSet
        let baseline = try options.baselinePath.map { try Baseline.load($0) }
        var previous: Report?
        if let p = options.previousPath {
            do { previous = try groups[0].linter.readPrevious(path: p) } catch {
                throw SessionError.previousUnreadable(InputError(path: p, error: error))
            }
        }
        return Plan(
            start: RunStart(files: files, rules: first.rules, templates: first.templates, failOn: failOn, messages: first.messages),
            skippedFiles: finder.skippedFiles, skippedFolders: finder.skippedFolders, scanned: finder.scannedFlags,
            groups: groups, groupOf: groupOf, baseline: baseline, previous: previous)
    }

    /// Checks every input of `plan` and streams the results to `consumer` in input order: `begin`, one
    /// `add` per input, then one per configuration file with warnings of its own, then `finish`.
    @discardableResult
    public func run(_ plan: Plan, to consumer: any RunConsumer) throws -> RunSummary {
        var summary = RunSummary()
        summary.skippedFiles = plan.skippedFiles
        summary.skippedFolders = plan.skippedFolders
        try consumer.begin(plan.start)
        let files = plan.start.files
        let groups = plan.groups, groupOf = plan.groupOf
        var uses = groups.map { [Int](repeating: 0, count: $0.configuration?.suppress.count ?? 0) }
        let total = files.count
        // DOCX, HTML and PDF inputs read while pairing are kept as drafts and checked from them, not parsed again;
        // plain texts are kept decoded, not read and decoded again (as far as the store has room).
        let drafts = DraftStore(draftLimits)
        lastDrafts = drafts
        // The kept texts' buffer is freed when the run ends (the store itself stays, for its counts).
        defer { drafts.releaseTexts() }
        var pairedInputs: [Int: Int] = [:]
        let linters = WorkerLinters(originals: groups.map(\.linter), count: files.count, workers: options.workers)
        let previousOf = try previousFiles(plan, keepingDraftsIn: drafts, pairedInputs: &pairedInputs, linters: linters)
        let previousIndex = pairedInputs
        let givenPrevious = plan.previous
        try OrderedParallel.run(
            count: files.count, workers: options.workers,
            work: { i, worker in
                do {
                    let linter = linters.linter(group: groupOf[i], worker: worker)
                    var previous = givenPrevious
                    if let p = previousOf[i] {
                        // Last year's report is read for this pair only and released with it (from its draft or its
                        // decoded text when it is an input the pairing pass kept).
                        do {
                            previous =
                                try previousIndex[i].flatMap { drafts.take($0) }.flatMap { linter.readPrevious(draft: $0) }
                                ?? previousIndex[i].flatMap { drafts.text($0) }.map { try linter.readPrevious(decodedText: $0, path: p) }
                                ?? linter.readPrevious(path: p)
                        } catch {
                            _ = drafts.take(i)  // this input's own draft is not needed: release it
                            return CheckedInput(
                                path: files[i],
                                error: InputError(path: p, error: PreviousReadError(previous: p, current: files[i], error: error)))
                        }
                    }
                    let r =
                        try drafts.take(i).map { try linter.check(draft: $0, previous: previous) }
                        ?? drafts.text(i).map { try linter.check(decodedText: $0, path: files[i], previous: previous) }
                        ?? linter.check(path: files[i], previous: previous)
                    return CheckedInput(path: files[i], report: r.report, findings: r.findings)
                } catch {
                    return CheckedInput(path: files[i], error: InputError(path: files[i], error: error))
                }
            },
            emit: { i, checked in
                var input = checked
                if plan.scanned[i], Self.isNotAReport(input, notReportRules: groups[groupOf[i]].notReportRules) {
                    summary.notReports += 1
                    options.progress?(i + 1, total)
                    return
                }
                if let conf = groups[groupOf[i]].configuration, !conf.suppress.isEmpty {
                    // Suppressions: matched findings are removed; ones that match nothing are reported at the end.
                    let rel = Self.relative(input.path, to: PathParts.deletingLastPathComponent(conf.file ?? "."))
                    input.findings = input.findings.filter { f in
                        if let s = conf.suppress.firstIndex(where: { $0.covers(f, path: rel) }) { uses[groupOf[i]][s] += 1; return false }
                        return true
                    }
                }
                if let baseline = plan.baseline {
                    let before = input.findings.count
                    let rel = Self.relative(input.path, to: baseline.base)
                    input.findings = input.findings.filter { !baseline.contains($0, relativePath: rel) }
                    summary.baselined += before - input.findings.count
                }
                summary.add(input)
                try consumer.add(input)
                options.progress?(i + 1, total)
            })
        for (g, group) in groups.enumerated() {
            guard let conf = group.configuration else { continue }
            let file = conf.file ?? LintConfiguration.fileName
            let unused = uses[g].indices.filter { uses[g][$0] == 0 }.map {
                Self.unusedSuppression(conf.suppress[$0], file: file, messages: group.linter.ruleSet.messages)
            }
            if unused.isEmpty { continue }
            let input = CheckedInput(configuration: Self.relative(file, to: "."), findings: unused)
            summary.add(input)
            try consumer.add(input)
        }
        lastReplicaCount = linters.replicasMade
        try consumer.finish(summary)
        return summary
    }

    /// Last year's report file of each input: the configuration's `previous:` pairs first, then (in a run of
    /// several inputs, without `--previous`) the reports of the same agency one year earlier among the inputs.
    /// Only each input's agency and year are kept while pairing, and the drafts and decoded texts `drafts` has room
    /// for, so memory stays bounded.
    func previousFiles(_ plan: Plan, keepingDraftsIn drafts: DraftStore? = nil) throws -> [Int: String] {
        var paired: [Int: Int] = [:]
        return try previousFiles(plan, keepingDraftsIn: drafts, pairedInputs: &paired)
    }

    /// As `previousFiles(_:keepingDraftsIn:)`; `pairedInputs` gets, for each input paired with another input of its
    /// configuration group, that input's index, and the store keeps that input's draft for the extra use (a kept
    /// text serves any number of uses).
    /// `linters` gives each worker thread its linters (nil: the groups' own on every thread).
    func previousFiles(
        _ plan: Plan, keepingDraftsIn drafts: DraftStore?, pairedInputs: inout [Int: Int], linters: WorkerLinters? = nil
    ) throws -> [Int: String] {
        let files = plan.start.files
        var out: [Int: String] = [:]
        if plan.previous != nil { return out }
        for (i, f) in files.enumerated() {
            guard let conf = plan.groups[plan.groupOf[i]].configuration, !conf.previous.isEmpty else { continue }
            let base = PathParts.deletingLastPathComponent(conf.file ?? ".")
            let rel = Self.relative(f, to: base)
            if let pair = conf.previous.first(where: { $0.covers(path: rel) }) { out[i] = pair.previousPath(base: base) }
        }
        guard options.pairPrevious, files.count > 1 else { return out }
        let groups = plan.groups, groupOf = plan.groupOf
        // `--year` (or a configuration's year) gives every report of its group that year: when every group has
        // one and no two are consecutive, no report can have last year's among the inputs, whatever they say.
        let forcedYears = Set(groups.compactMap { $0.linter.options.year })
        if groups.allSatisfy({ $0.linter.options.year != nil }),
            !forcedYears.contains(where: { $0 > Int.min && forcedYears.contains($0 - 1) })
        {
            return out
        }
        // Only each input's pairing key (agency and year) is kept, never its model; and its draft, encoded by the
        // worker, when there is one and the store has room, or a plain text's decoded text, when the store has room.
        var keys = [PreviousPairing.Key?](repeating: nil, count: files.count)
        let keepDrafts = drafts != nil
        try OrderedParallel.run(
            count: files.count, workers: options.workers,
            work: { i, worker -> (key: PreviousPairing.Key?, draft: [UInt8]?, text: String?) in
                let linter = linters?.linter(group: groupOf[i], worker: worker) ?? groups[groupOf[i]].linter
                guard let read = try? linter.readPairing(path: files[i]) else { return (nil, nil, nil) }
                // A text is carried to the store only when it may fit there: the room only shrinks, so a text longer
                // than the room now could not be kept, and the results waiting in the window hold no text to drop.
                let text = read.text.flatMap { t in (drafts?.textRoom ?? 0) >= t.utf8.count ? t : nil }
                return (read.key, keepDrafts ? read.draft?.encoded() : nil, text)
            },
            emit: { i, read in
                keys[i] = read.key
                if let bytes = read.draft { drafts?.put(bytes, at: i) }
                if let text = read.text { drafts?.putText(text, at: i) }
            })
        for pair in PreviousPairing.pairIndices(keys: keys) where out[pair.current] == nil {
            out[pair.current] = files[pair.previous]
            // A draft is made with its group's reading context: it serves as last year's report in that group only
            // (and so does a kept text, though its decoding is the same in every group).
            if groupOf[pair.current] == groupOf[pair.previous] {
                pairedInputs[pair.current] = pair.previous
                drafts?.addUse(pair.previous)
            }
        }
        return out
    }

    /// True when the input's only findings say it is not an annual report (`kind: not_report`).
    static func isNotAReport(_ input: CheckedInput, notReportRules ids: Set<String>) -> Bool {
        !input.findings.isEmpty && input.findings.allSatisfy { ids.contains($0.rule) }
    }

    /// Plans and runs, keeping every result (for tests and small callers; the CLI streams).
    public func run(_ args: [String]) throws -> Result {
        let plan = try plan(args)
        let collected = CollectedRun()
        let summary = try run(plan, to: collected)
        return Result(
            inputs: collected.inputs, rules: plan.start.rules, templates: plan.groups[0].linter.ruleSet.templates,
            messages: plan.groups[0].linter.ruleSet.messages, failOn: plan.start.failOn, summary: summary)
    }

    /// The warning for a suppression in `file` that matched no finding.
    static func unusedSuppression(_ s: LintConfiguration.Suppression, file: String, messages: MessageCatalog) -> Finding {
        Finding(
            rule: "CONFIG-UNUSED-SUPPRESSION", severity: .warning, category: .consistency,
            message: messages.text(
                "session.unused_suppression.message", ["file": file, "line": String(s.line), "rule": s.rule, "reason": s.reason]),
            fix: messages.text("session.unused_suppression.fix"),
            location: FindingLocation(line: s.line))
    }

    /// `path` relative to `dir` when it lies below it (both made absolute first).
    public static func relative(_ path: String, to dir: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func abs(_ p: String) -> String {
            (((p as NSString).isAbsolutePath ? p : (cwd as NSString).appendingPathComponent(p)) as NSString).standardizingPath
        }
        let a = abs(path), d = abs(dir.isEmpty ? "." : dir)
        return a.hasPrefix(d + "/") ? String(a.dropFirst(d.count + 1)) : a
    }
}
