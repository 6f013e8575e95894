import Foundation
import OGIModel

/// The project configuration, `.ogilint.yml`, found by searching upward from each input.
public struct LintConfiguration: Sendable {
    /// What to do with blank cells: keep the rule's severity, raise it, or not report them.
    public enum BlankCellPolicy: String, Sendable, CaseIterable { case warning, error, ignore }

    /// A finding accepted on purpose, with the reason recorded.
    public struct Suppression: Sendable {
        public var rule: String
        public var file: String?
        public var table: String?
        public var row: String?
        public var column: String?
        public var cell: String?
        public var reason: String
        public var line: Int
        public var column_: Int

        /// True when the suppression covers `f` in the input at `path` (relative to the configuration's folder).
        public func covers(_ f: Finding, path: String) -> Bool {
            guard f.rule == rule else { return false }
            if let file, !Glob.matches(path, file) && !Glob.matches(PathParts.lastPathComponent(path), file) { return false }
            if let table, f.location.table != table { return false }
            if let row, f.location.row != row { return false }
            if let column, f.location.column != column { return false }
            if let cell, f.location.cell != cell { return false }
            return true
        }
    }

    /// A pair named in `previous:`: inputs matching `current` are checked against last year's report `previous`.
    public struct PreviousPair: Sendable {
        /// A wildcard over input paths relative to the configuration's folder (or over file names).
        public var current: String
        /// Last year's report, relative to the configuration's folder.
        public var previous: String
        public var line: Int

        public func covers(path: String) -> Bool {
            Glob.matches(path, current) || Glob.matches(PathParts.lastPathComponent(path), current)
        }

        /// Last year's report's path, resolved against the configuration's folder `base`.
        public func previousPath(base: String) -> String {
            (previous as NSString).isAbsolutePath ? previous : ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(previous)
        }
    }

    public var file: String?
    public var rules: [String] = []
    /// Pairs of this year's and last year's reports; they win over pairs found automatically.
    public var previous: [PreviousPair] = []
    public var disable: [(id: String, line: Int, column: Int)] = []
    public var severity: [(id: String, level: Severity, line: Int, column: Int)] = []
    public var suppress: [Suppression] = []
    public var agencyKind: AgencyKind?
    public var year: Int?
    public var blankCells: BlankCellPolicy?
    public var failOn: String?

    public init() {}

    public static let fileName = ".ogilint.yml"
    static let keys = ["rules", "disable", "severity", "suppress", "agency_kind", "year", "blank_cells", "fail_on", "previous"]

    /// The nearest `.ogilint.yml` in `directory` or one of its parents.
    public static func find(from directory: String) -> String? {
        var dir = standardized(directory)
        if !dir.hasPrefix("/") { dir = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(dir) }
        while true {
            let candidate = (dir as NSString).appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = PathParts.deletingLastPathComponent(dir)
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }

    /// `(directory as NSString).standardizingPath`. An absolute path that `realpath(3)` returns unchanged names an
    /// existing directory by its canonical path (no symbolic link, `.`, `..`, doubled or trailing slash on the way),
    /// which Foundation's standardizing returns as it is, except that it also drops a leading `/private` or
    /// `/var/automount` (macOS's aliases) where the rest exists: such paths, and every other, go to Foundation. The
    /// canonical path is returned without Foundation resolving it again component by component (~0.5 M
    /// instructions for a deep path). `ConfigurationFindTests` compares the two.
    static func standardized(_ directory: String) -> String {
        if directory.hasPrefix("/"), !directory.hasPrefix("/private"), !directory.hasPrefix("/var/automount"),
            let resolved = realpath(directory, nil)
        {
            defer { free(resolved) }
            if strcmp(resolved, directory) == 0 { return directory }
        }
        return (directory as NSString).standardizingPath
    }

    /// Reads and validates a configuration file; every mistake is reported with its line and column.
    public static func load(_ path: String) throws -> LintConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RulePackError.unreadable(path: path, reason: "cannot read the configuration file")
        }
        var c = LintConfiguration()
        c.file = path
        guard let root = try YNode.parse(text, file: path) else { return c }
        let m = try root.mapping(allowed: keys, what: "the configuration")
        let base = PathParts.deletingLastPathComponent(path)
        if let r = m["rules"] {
            c.rules = try r.stringList("rules").map { ($0 as NSString).isAbsolutePath ? $0 : (base as NSString).appendingPathComponent($0) }
        }
        if let d = m["disable"] {
            c.disable = try d.list("disable").map { (try $0.string("a rule id"), $0.line, $0.column) }
        }
        if let s = m["severity"] {
            guard s.isMapping else { throw s.fail("severity must map rule ids to levels, e.g. CELL-BLANK: error") }
            for (kn, vn) in s.pairs {
                let level = Severity(rawValue: try vn.oneOf(Severity.allCases.map(\.rawValue), what: "severity"))!
                c.severity.append((try kn.string("a rule id"), level, kn.line, kn.column))
            }
        }
        if let list = m["suppress"] {
            for item in try list.list("suppress") {
                let sm = try item.mapping(allowed: ["rule", "where", "reason"], what: "a suppression")
                guard let rule = sm["rule"] else { throw item.fail("a suppression needs 'rule'") }
                guard let reason = sm["reason"], !(try reason.string("reason")).trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw item.fail("a suppression needs a 'reason': say why the finding is accepted")
                }
                var s = Suppression(
                    rule: try rule.string("rule"), reason: try reason.string("reason"), line: rule.line, column_: rule.column)
                if let w = sm["where"] {
                    let wm = try w.mapping(allowed: ["file", "table", "row", "column", "cell"], what: "where")
                    s.file = try wm["file"]?.string("file")
                    s.table = try wm["table"]?.string("table")
                    s.row = try wm["row"]?.string("row")
                    s.column = try wm["column"]?.string("column")
                    s.cell = try wm["cell"]?.string("cell")
                }
                c.suppress.append(s)
            }
        }
        if let a = m["agency_kind"] {
            c.agencyKind = AgencyKind(rawValue: try a.oneOf(AgencyKind.allCases.map(\.rawValue), what: "agency_kind"))
        }
        if let y = m["year"] {
            let v = try y.int("year")
            guard (2008...2100).contains(v) else { throw y.fail("year \(v) is not a plausible report year") }
            c.year = v
        }
        if let b = m["blank_cells"] {
            c.blankCells = BlankCellPolicy(rawValue: try b.oneOf(BlankCellPolicy.allCases.map(\.rawValue), what: "blank_cells policy"))
        }
        if let f = m["fail_on"] { c.failOn = try f.oneOf(["error", "warning", "info", "never"], what: "fail_on") }
        if let list = m["previous"] {
            for item in try list.list("previous") {
                let pm = try item.mapping(allowed: ["current", "previous"], what: "a previous-year pair")
                guard let cur = pm["current"], let prev = pm["previous"] else {
                    throw item.fail(
                        "a previous-year pair needs 'current' (a wildcard over this year's reports) and 'previous' (last year's report file)"
                    )
                }
                let pair = PreviousPair(current: try cur.string("current"), previous: try prev.string("previous"), line: item.line)
                let resolved = pair.previousPath(base: base)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDir), !isDir.boolValue else {
                    throw prev.fail(
                        "last year's report '\(pair.previous)' is not a file (looked for \(resolved)); paths are relative to this configuration file"
                    )
                }
                c.previous.append(pair)
            }
        }
        return c
    }

    /// Applies `disable`, `severity` and `blank_cells` to a rule set; unknown rule ids are errors.
    public func apply(to set: RuleSet) throws -> RuleSet {
        var out = set
        let file = self.file ?? Self.fileName
        func check(_ id: String, _ line: Int, _ column: Int) throws {
            guard set.rule(id) != nil else {
                var msg = "no rule '\(id)'; `ogilint rules` lists them"
                if let near = YNode.closest(id, in: set.rules.map(\.id)) { msg += " (did you mean '\(near)'?)" }
                throw RulePackError.invalid(file: file, line: line, column: column, problem: msg)
            }
        }
        for d in disable { try check(d.id, d.line, d.column) }
        for s in severity { try check(s.id, s.line, s.column) }
        for s in suppress { try check(s.rule, s.line, s.column_) }
        let disabled = Set(disable.map(\.id))
        out.rules = out.rules.filter { !disabled.contains($0.id) }
        for i in out.rules.indices {
            if let s = severity.last(where: { $0.id == out.rules[i].id }) { out.rules[i].severity = s.level }
            if let policy = blankCells, Self.isBlankCellRule(out.rules[i]) {
                switch policy {
                case .warning: out.rules[i].severity = .warning
                case .error: out.rules[i].severity = .error
                case .ignore: out.rules[i].severity = .info
                }
            }
        }
        if blankCells == .ignore {
            out.rules = out.rules.filter { !Self.isBlankCellRule($0) }
        }
        return out
    }

    /// Rules that report blank or placeholder cells, which `blank_cells` governs.
    static func isBlankCellRule(_ r: Rule) -> Bool {
        guard let c = r.kind as? CellsKind else { return false }
        return c.match == .blank || c.match == .placeholder
    }

    /// The commented starter file `ogilint init` writes.
    public static let starter = """
        # ogilint configuration. ogilint uses the nearest .ogilint.yml above each report it checks.
        # Every key is optional; unknown keys and bad values are errors.

        # Extra rule pack folders (a province's own rules), relative to this file.
        # rules: [rules-province]

        # Rules not to run at all.
        # disable: [FEE-STATEMENT]

        # Severity changes: error, warning or info.
        # severity:
        #   CELL-SIGN-TEXT: info

        # Findings accepted on purpose. `reason` is required; a suppression that matches nothing is reported.
        # suppress:
        #   - rule: CELL-SIGN-TEXT
        #     where: {file: "drafts/*.txt", table: 第二十条第（五）项, row: 行政许可}
        #     reason: 本省填报说明要求写“增/减”

        # Facts the drafts do not state clearly.
        # agency_kind: department      # or government
        # year: 2024

        # Blank and placeholder cells ("/", "-"): warning (default), error, or ignore.
        # blank_cells: warning

        # Exit 1 when a finding is at or above: error (default), warning, info, or never.
        # fail_on: error

        # Last year's report for this year's drafts (relative to this file); reports of one agency in
        # consecutive years among the inputs are paired automatically, these pairs win over that.
        # previous:
        #   - {current: "2024/*.docx", previous: 2023/report.docx}

        """
}

/// Shell-style wildcards for file names: `*` (not crossing `/`), `**` (any folders), `?`.
public enum Glob {
    public static func matches(_ path: String, _ pattern: String) -> Bool {
        // Compiled once per pattern, and run by ScalarRegex: the translation uses only its subset.
        (try? RegexCache.shared.compile(regularExpression(for: pattern)))?.firstMatch(in: path) != nil
    }

    /// The regular expression a glob stands for, anchored at both ends.
    static func regularExpression(for pattern: String) -> String {
        var rx = "^"
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    rx += ".*"; i += 2
                    if i < chars.count, chars[i] == "/" { i += 1 }
                    continue
                }
                rx += "[^/]*"
            } else if c == "?" {
                rx += "[^/]"
            } else {
                rx += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        return rx + "$"
    }
}
