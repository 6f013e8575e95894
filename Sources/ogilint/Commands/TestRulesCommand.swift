import ArgumentParser
import Foundation
import OGILint

struct TestRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: "Run the passing and failing examples that rules carry in their YAML.",
        discussion: "With DIR, loads it as an extra rule pack and tests only the rules defined there; without, tests every loaded rule.")

    @Argument(help: "A rule pack folder to test.")
    var dir: String?

    @OptionGroup var rules: RuleOptions

    func run() throws {
        var r = rules
        if let dir { r.extraRules.append(dir) }
        let outcomes = RuleExamples.run(try r.linter(), definedUnder: dir)
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
