import Foundation
import OGIModel
import OGIRules

/// Runs the passing and failing examples that rules carry in their YAML (`ogilint test-rules`), so a
/// province's rule pack is tested the way the national one is.
public enum RuleExamples {
    public struct Outcome: Sendable {
        public var rule: String
        public var example: String
        public var expectFailure: Bool
        /// Nil when the example behaved as expected; otherwise what went wrong.
        public var problem: String?
    }

    /// Every example of every rule (or of the rules defined under `only`, a folder).
    public static func run(_ linter: Linter, definedUnder only: String? = nil) -> [Outcome] {
        var out: [Outcome] = []
        let prefix = only.map { (($0 as NSString).standardizingPath as NSString).appendingPathComponent("") }
        for rule in linter.ruleSet.rules {
            if let p = prefix, !((rule.file as NSString).standardizingPath).hasPrefix(p) { continue }
            if rule.examples.pass.isEmpty && rule.examples.fail.isEmpty {
                out.append(Outcome(rule: rule.id, example: "-", expectFailure: false, problem: "the rule has no examples (add examples: {pass: [...], fail: [...]})"))
                continue
            }
            for (ex, fail) in rule.examples.pass.map({ ($0, false) }) + rule.examples.fail.map({ ($0, true) }) {
                let path = (ex as NSString).isAbsolutePath ? ex : ((rule.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ex)
                do {
                    let report = try linter.read(path: path)
                    let hits = linter.engine.check(report, only: [rule.id])
                    let real = hits.filter { $0.category != .extraction }
                    var problem: String?
                    if fail && real.isEmpty {
                        problem = hits.isEmpty ? "expected a finding, got none" : "expected a finding, but the rule could not be evaluated: \(hits[0].message)"
                    } else if !fail && !hits.isEmpty {
                        problem = "expected no finding, got: \(hits[0].message)"
                    }
                    out.append(Outcome(rule: rule.id, example: ex, expectFailure: fail, problem: problem))
                } catch {
                    out.append(Outcome(rule: rule.id, example: ex, expectFailure: fail, problem: "cannot read the example: \(error)"))
                }
            }
        }
        return out
    }
}
