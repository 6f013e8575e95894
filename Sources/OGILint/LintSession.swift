import Foundation
import OGIModel
import OGIOutput
import OGIReaders
import OGIRules

/// One run over many inputs: expands folders and wildcards, finds each input's `.ogilint.yml`, checks every
/// file in parallel, applies suppressions and a baseline, and returns results in a stable order.
public final class LintSession {
    public struct Options {
        public var rulesRoot: String
        public var extraRules: [String] = []
        public var agencyKind: AgencyKind?
        public var year: Int?
        public var maxInputBytes: Int = 50 * 1024 * 1024
        /// An explicit configuration file, used for every input.
        public var configPath: String?
        /// When false, no `.ogilint.yml` is looked for.
        public var useConfiguration = true
        public var baselinePath: String?
        /// Called after each file is checked (for progress), with the number done and the total.
        public var progress: (@Sendable (Int, Int) -> Void)?

        public init(rulesRoot: String) { self.rulesRoot = rulesRoot }
    }

    public struct Result {
        public var inputs: [CheckedInput]
        /// The rules of the first configuration group (for SARIF and JUnit).
        public var rules: [Rule]
        public var templates: TemplateSet
        /// `fail_on` from the configuration, when one set it.
        public var configuredFailOn: String?
        /// Findings left out because the baseline lists them.
        public var baselined: Int
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Extensions read from folders; report models only when they say so in their first bytes.
    static let reportExtensions: Set<String> = ["txt", "docx", "html", "htm", "pdf"]
    static let modelExtensions: Set<String> = ["yml", "yaml", "json"]

    /// Files named on the command line, the report files in named folders (recursively), and wildcard matches,
    /// each list sorted, in argument order, without duplicates.
    public static func expand(_ args: [String]) throws -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        func add(_ p: String) { if seen.insert(p).inserted { out.append(p) } }
        let fm = FileManager.default
        for arg in args {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: arg, isDirectory: &isDir) {
                if !isDir.boolValue { add(arg); continue }
                var found: [String] = []
                let e = fm.enumerator(atPath: arg)
                while let rel = e?.nextObject() as? String {
                    let name = (rel as NSString).lastPathComponent
                    if name.hasPrefix(".") { continue }
                    let full = (arg as NSString).appendingPathComponent(rel)
                    if isReportFile(full) { found.append(full) }
                }
                // An empty folder must not pass a gate silently.
                if found.isEmpty { throw ReaderError.noReports(path: arg, detail: "no report files (.txt, .docx, .html, .pdf or report models) in this folder") }
                found.sorted().forEach(add)
            } else if arg.contains(where: { "*?[".contains($0) }) {
                // The folder part before the first wildcard, then everything below it matched against the pattern.
                let parts = arg.split(separator: "/", omittingEmptySubsequences: false)
                let fixed = parts.prefix { !$0.contains(where: { "*?[".contains($0) }) }.joined(separator: "/")
                let base = fixed.isEmpty ? "." : fixed
                var found: [String] = []
                let e = fm.enumerator(atPath: base)
                while let rel = e?.nextObject() as? String {
                    let full = fixed.isEmpty ? rel : (base as NSString).appendingPathComponent(rel)
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue, Glob.matches(full, arg) { found.append(full) }
                }
                if found.isEmpty { throw ReaderError.noReports(path: arg, detail: "no file matches this pattern") }
                found.sorted().forEach(add)
            } else {
                add(arg)   // does not exist: reading it reports the error
            }
        }
        return out
    }

    static func isReportFile(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        if reportExtensions.contains(ext) { return true }
        guard modelExtensions.contains(ext), let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = String(decoding: h.readData(ofLength: 8192), as: UTF8.self)
        return head.contains("ogilint_model")
    }

    public func run(_ args: [String]) throws -> Result {
        let files = try Self.expand(args)
        // Group inputs by their configuration file.
        var configFor: [String: String?] = [:]
        var order: [String?] = []
        var groups: [String?: [Int]] = [:]
        for (i, f) in files.enumerated() {
            let config: String?
            if let explicit = options.configPath { config = explicit }
            else if !options.useConfiguration { config = nil }
            else {
                let dir = (f as NSString).deletingLastPathComponent
                if let cached = configFor[dir] { config = cached } else {
                    config = LintConfiguration.find(from: dir.isEmpty ? "." : dir)
                    configFor[dir] = config
                }
            }
            if groups[config] == nil { order.append(config) }
            groups[config, default: []].append(i)
        }
        // No input still loads the rules once, so the result always carries them.
        if order.isEmpty { order = [options.configPath] }
        var results = [CheckedInput?](repeating: nil, count: files.count)
        var firstRules: [Rule]?
        var firstTemplates: TemplateSet?
        var configuredFailOn: String?
        var unused: [(Int, LintConfiguration.Suppression, String, MessageCatalog)] = []
        let done = Counter()
        for config in order {
            let conf = try config.map { try LintConfiguration.load($0) }
            if configuredFailOn == nil { configuredFailOn = conf?.failOn }
            let lintOptions = LintOptions(agencyKind: options.agencyKind ?? conf?.agencyKind, year: options.year ?? conf?.year,
                                          maxInputBytes: options.maxInputBytes)
            let linter = try Linter(ruleDirectories: [options.rulesRoot] + options.extraRules, options: lintOptions, configuration: conf)
            if firstRules == nil { firstRules = linter.ruleSet.rules; firstTemplates = linter.ruleSet.templates }
            let indices = groups[config] ?? []
            let paths = indices.map { files[$0] }
            let checked = CheckedBox(count: paths.count)
            let progress = options.progress
            let total = files.count
            DispatchQueue.concurrentPerform(iterations: paths.count) { k in
                let input: CheckedInput
                do {
                    let r = try linter.check(path: paths[k])
                    input = CheckedInput(path: paths[k], report: r.report, findings: r.findings, error: nil)
                } catch {
                    input = CheckedInput(path: paths[k], report: nil, findings: [], error: "\(error)")
                }
                checked.set(k, input)
                progress?(done.increment(), total)
            }
            // Suppressions: matched findings are removed; ones that matched nothing are reported.
            var uses = [Int](repeating: 0, count: conf?.suppress.count ?? 0)
            for (k, i) in indices.enumerated() {
                var input = checked.values[k]!
                if let conf, !conf.suppress.isEmpty {
                    let rel = Self.relative(input.path, to: ((conf.file ?? ".") as NSString).deletingLastPathComponent)
                    input.findings = input.findings.filter { f in
                        if let s = conf.suppress.firstIndex(where: { $0.covers(f, path: rel) }) { uses[s] += 1; return false }
                        return true
                    }
                }
                results[i] = input
            }
            if let conf, let first = indices.first {
                for (s, n) in uses.enumerated() where n == 0 { unused.append((first, conf.suppress[s], conf.file ?? LintConfiguration.fileName, linter.ruleSet.messages)) }
            }
        }
        for (i, s, file, messages) in unused {
            results[i]!.findings.append(Finding(
                rule: "CONFIG-UNUSED-SUPPRESSION", severity: .warning, category: .consistency,
                message: messages.text("session.unused_suppression.message", ["file": file, "line": String(s.line), "rule": s.rule, "reason": s.reason]),
                fix: messages.text("session.unused_suppression.fix"),
                location: FindingLocation()))
        }
        var inputs = results.map { $0! }
        var baselined = 0
        if let b = options.baselinePath {
            let baseline = try Baseline.load(b)
            for i in inputs.indices {
                let before = inputs[i].findings.count
                let rel = Self.relative(inputs[i].path, to: baseline.base)
                inputs[i].findings = inputs[i].findings.filter { !baseline.contains($0, relativePath: rel) }
                baselined += before - inputs[i].findings.count
            }
        }
        // `order` is never empty, so the first group set these.
        return Result(inputs: inputs, rules: firstRules!, templates: firstTemplates!, configuredFailOn: configuredFailOn, baselined: baselined)
    }

    /// `path` relative to `dir` when it lies below it (both made absolute first).
    static func relative(_ path: String, to dir: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func abs(_ p: String) -> String { (((p as NSString).isAbsolutePath ? p : (cwd as NSString).appendingPathComponent(p)) as NSString).standardizingPath }
        let a = abs(path), d = abs(dir.isEmpty ? "." : dir)
        return a.hasPrefix(d + "/") ? String(a.dropFirst(d.count + 1)) : a
    }
}

/// Accepted findings, keyed by rule, file and what the finding says (its cell labels and message),
/// never by line numbers, so edits elsewhere in a report do not make old findings look new.
public struct Baseline {
    public static let formatVersion = 1
    var fingerprints: Set<String>
    let base: String

    public static func fingerprint(_ f: Finding, path: String) -> String {
        let key = [f.rule, path, f.location.table ?? "", f.location.row ?? "", f.location.column ?? "", f.message].joined(separator: "\u{1F}")
        var h: UInt64 = 0xcbf29ce484222325
        for b in key.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
        return String(h, radix: 16)
    }

    /// True when the baseline lists `f`; `relativePath` is the report's path relative to the baseline's folder.
    public func contains(_ f: Finding, relativePath: String) -> Bool {
        fingerprints.contains(Self.fingerprint(f, path: relativePath))
    }

    public static func load(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              root["ogilint_baseline"] as? Int == formatVersion,
              let list = root["findings"] as? [[String: Any]] else {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "not an ogilint baseline (expected {\"ogilint_baseline\": 1, \"findings\": [...]}); write one with --write-baseline")
        }
        return Baseline(fingerprints: Set(list.compactMap { $0["fingerprint"] as? String }), base: (path as NSString).deletingLastPathComponent)
    }

    /// The baseline file for the current findings; paths are relative to the baseline's folder.
    public static func write(_ inputs: [CheckedInput], to path: String) throws {
        let base = (path as NSString).deletingLastPathComponent
        var entries: [JSONValue] = []
        for input in inputs {
            let rel = LintSession.relative(input.path, to: base)
            for f in input.findings {
                entries.append(.object([("rule", .string(f.rule)), ("path", .string(rel)),
                                        ("fingerprint", .string(fingerprint(f, path: rel))), ("message", .string(f.message))]))
            }
        }
        let doc = JSONValue.object([("ogilint_baseline", .int(formatVersion)), ("findings", .array(entries))])
        try (doc.render() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

final class CheckedBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [CheckedInput?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: CheckedInput) { lock.lock(); values[i] = v; lock.unlock() }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
