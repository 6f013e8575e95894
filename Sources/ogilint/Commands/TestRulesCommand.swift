import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIRules

struct TestRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: "Run the passing and failing examples that rules carry in their YAML.",
        discussion:
            "With DIR, tests only the rules defined there: DIR is loaded over the bundled pack (or alone when it is the bundled pack or a complete rules root with templates); without, tests every loaded rule."
    )

    @Argument(help: "A rule pack folder to test.")
    var dir: String?

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let linter: Linter
        do {
            linter = try RuleExamples.linter(bundled: try rules.root(), testing: dir, extraRules: rules.extraRules)
        } catch let e as RulePackError {
            throw SessionError.rulePack(e, configuration: false)
        }
        let outcomes = RuleExamples.run(linter, definedUnder: dir)
        var failed = 0
        for o in outcomes where o.problem != nil {
            failed += 1
            print("FAIL \(o.rule) \(o.expectFailure ? "fail" : "pass") example \(o.example): \(o.problem!)")
        }
        let rulesTested = Set(outcomes.map(\.rule)).count
        print("\(outcomes.count - failed) passed, \(failed) failed (\(rulesTested) rules, \(outcomes.count) examples)")
        if failed > 0 { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
