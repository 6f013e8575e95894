import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIModel
import OGIOutput

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List the loaded rules, explain one, or write the rule reference (--format markdown).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Argument(help: "A rule id to explain (any case).")
    var id: String?

    @Option(help: "text (default) or markdown (the rule reference, docs/rules.md).")
    var format: Format = .text

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let linter = try rules.linter()
        let out = FileSink.standardOutput()
        if format == .markdown {
            try out.writeAll(RuleReference.markdown(linter.ruleSet.rules, root: PathParts.deletingLastPathComponent(try rules.root())))
            return
        }
        if let id {
            try out.writeAll(RuleListFormatter.explain(try RuleLookup.find(id, in: linter.ruleSet.rules)))
        } else {
            try out.writeAll(RuleListFormatter.list(linter.ruleSet.rules))
        }
    }
}
