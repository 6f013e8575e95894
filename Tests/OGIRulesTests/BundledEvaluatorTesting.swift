import OGIModel
import OGITestSupport

@testable import OGIRules

/// What the evaluation fast-path tests share: an evaluator of a report under the bundled rules' engine, with the
/// rule set attached (as `Engine.run` makes one).
protocol BundledEvaluatorTesting {}

extension BundledEvaluatorTesting {
    func evaluator(_ report: Report) -> Evaluator {
        let engine = Repo.linter.engine
        let ev = Evaluator(
            report: report, layout: engine.compiled.layout(for: report), templates: engine.ruleSet.templates,
            messages: engine.ruleSet.messages, sums: engine.sums)
        ev.ruleSet = engine.ruleSet
        return ev
    }
}
