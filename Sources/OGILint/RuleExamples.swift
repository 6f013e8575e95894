import Foundation
import OGIModel
import OGIRules

/// Runs the passing and failing examples that rules carry in their YAML (`ogilint test-rules` and the test suite),
/// so a province's rule pack is tested the way the national one is.
public enum RuleExamples {
    public struct Outcome: Sendable {
        public var rule: String
        public var example: String
        public var expectFailure: Bool
        /// Nil when the example behaved as expected; otherwise what went wrong.
        public var problem: String?
    }

    /// One example of one rule, runnable on its own (a parameterized test case per example).
    public struct Case: Sendable, CustomStringConvertible {
        public var rule: Rule
        public var example: RuleExample
        public var expectFailure: Bool

        public var description: String {
            "\(rule.id) \(expectFailure ? "fails" : "passes") on \(PathParts.lastPathComponent(example.file))"
                + (example.at.map { " at \($0)" } ?? "")
        }

        /// The example file's path (relative paths are relative to the rule file).
        public var path: String { resolve(example.file) }

        /// Last year's report the example is checked against, if it names one.
        public var previousPath: String? { example.previous.map(resolve) }

        func resolve(_ file: String) -> String {
            (file as NSString).isAbsolutePath
                ? file
                : (PathParts.deletingLastPathComponent(rule.file) as NSString).appendingPathComponent(file)
        }
    }

    /// Every example of every rule (or of the rules defined under `only`, a folder), as cases.
    public static func cases(_ ruleSet: RuleSet, definedUnder only: String? = nil) -> [Case] {
        rules(ruleSet, definedUnder: only).flatMap { rule in
            rule.examples.pass.map { Case(rule: rule, example: $0, expectFailure: false) }
                + rule.examples.fail.map { Case(rule: rule, example: $0, expectFailure: true) }
        }
    }

    static func rules(_ ruleSet: RuleSet, definedUnder only: String?) -> [Rule] {
        let prefix = only.map { (resolved($0) as NSString).appendingPathComponent("") }
        return ruleSet.rules.filter { r in prefix.map { resolved(r.file).hasPrefix($0) } ?? true }
    }

    static func resolved(_ p: String) -> String {
        let abs = (p as NSString).isAbsolutePath ? p : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p)
        return URL(fileURLWithPath: abs).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Runs one case: nil when it behaved as expected, else what went wrong. A failing example must give a real
    /// finding (not "could not be evaluated") with the rule's severity and category, a fix, and — when the example
    /// says where — a finding at that cell or line; a passing example must give no finding at all.
    public static func problem(_ c: Case, _ linter: Linter) -> String? {
        let report: Report
        do { report = try linter.read(path: c.path) } catch { return "cannot read the example: \(error)" }
        var previous: Report?
        if let p = c.previousPath {
            do { previous = try linter.read(path: p) } catch { return "cannot read last year's report of the example: \(error)" }
        }
        let hits = linter.engine.check(report, previous: previous, only: [c.rule.id])
        // A rule whose own findings are about extraction (EXTRACTION-ROW) counts them as real.
        let real = hits.filter { $0.category != .extraction || c.rule.category == .extraction }
        if !c.expectFailure {
            return hits.first.map { "expected no finding, got: \($0.message)" }
        }
        if real.isEmpty {
            return hits.isEmpty
                ? "expected a finding, got none" : "expected a finding, but the rule could not be evaluated: \(hits[0].message)"
        }
        for h in real {
            if h.severity != c.rule.severity {
                return "finding has severity \(h.severity.rawValue), the rule says \(c.rule.severity.rawValue): \(h.message)"
            }
            if h.category != c.rule.category {
                return "finding has category \(h.category.rawValue), the rule says \(c.rule.category.rawValue): \(h.message)"
            }
            if h.fix == nil { return "finding suggests no fix: \(h.message)" }
            if h.message.contains("{") && h.message.contains("}") { return "finding shows a raw placeholder: \(h.message)" }
        }
        if let at = c.example.at {
            let hit: Bool = real.contains { f in
                switch at {
                case .cell(let key): f.location.cell == key
                case .line(let l): f.location.line == l
                }
            }
            if !hit {
                let seen = real.map { $0.location.cell ?? $0.location.line.map { "line \($0)" } ?? "no place" }
                return "expected a finding at \(at), got findings at: \(seen.joined(separator: ", "))"
            }
        }
        return nil
    }

    /// Every example of every rule (or of the rules defined under `only`, a folder).
    public static func run(_ linter: Linter, definedUnder only: String? = nil) -> [Outcome] {
        var out: [Outcome] = []
        for rule in rules(linter.ruleSet, definedUnder: only) where rule.examples.pass.isEmpty || rule.examples.fail.isEmpty {
            let missing =
                rule.examples.pass.isEmpty && rule.examples.fail.isEmpty
                ? "examples" : rule.examples.pass.isEmpty ? "passing example" : "failing example"
            out.append(
                Outcome(
                    rule: rule.id, example: "-", expectFailure: false,
                    problem: "the rule has no \(missing) (add examples: {pass: [...], fail: [...]})"))
        }
        for c in cases(linter.ruleSet, definedUnder: only) {
            out.append(Outcome(rule: c.rule.id, example: c.example.file, expectFailure: c.expectFailure, problem: problem(c, linter)))
        }
        return out
    }

    /// The rule folders `test-rules DIR` loads: the bundled pack, then DIR — unless DIR is the bundled pack or
    /// inside it (already loaded), or contains its own templates and profile (then it is loaded alone).
    public static func ruleDirectories(bundled: String, testing dir: String) -> [String] {
        let b = resolved(bundled), d = resolved(dir)
        if d == b || d.hasPrefix((b as NSString).appendingPathComponent("")) { return [bundled] }
        if b.hasPrefix((d as NSString).appendingPathComponent("")) { return [dir] }
        if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("templates/common.yml")) { return [dir] }
        return [bundled, dir]
    }

    /// The linter `test-rules` uses: the bundled pack and `dir` per `ruleDirectories`, then any extra packs
    /// (those already loaded are not loaded twice, so no rule clashes with itself).
    public static func linter(bundled: String, testing dir: String?, extraRules: [String] = []) throws -> Linter {
        var dirs = dir.map { ruleDirectories(bundled: bundled, testing: $0) } ?? [bundled]
        for e in extraRules where !dirs.contains(where: { resolved($0) == resolved(e) }) { dirs.append(e) }
        return try Linter(ruleDirectories: dirs)
    }
}
