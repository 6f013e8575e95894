import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIModel
import OGIOutput

/// `ogilint rollup PARENT CHILD...`: a compiled report's tables against the sum of its subordinate reports.
struct RollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Check that a compiled report's table figures equal the sum of its subordinate agencies' reports.",
        discussion: """
            Every number cell of PARENT's tables (Article 20 tables, table 3, table 4) is compared with the sum of the same
            cell in the CHILD reports: ROLLUP-SUM (error) names each cell that differs with the parent's value, the sum
            and each child's value; ROLLUP-CHILD-MISSING (warning) names a child that cannot be read or lacks a table or a
            cell's number (those cells are not compared). A placeholder such as / counts as 0. PARENT must say it is a
            compilation (a phrase of compilation_words in rules/templates/common.yml, e.g. 汇总) unless --force is given.
            Formats: text, json, markdown, github, html. Exit codes as check: 0 clean, 1 findings at or above --fail-on,
            2 when a report or an option is unusable.
            """)

    static let formats: Set<String> = ["text", "json", "markdown", "github", "html"]

    @Argument(help: "The compiled report (any input format).")
    var parent: String

    @Argument(help: "The subordinate agencies' reports whose figures it sums.")
    var children: [String] = []

    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "Output format, optionally written to a file: NAME or NAME=PATH (repeatable): text, json, markdown, github, html.",
            valueName: "FORMAT[=PATH]"))
    var formats: [String] = []

    @Option(
        name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error (default), warning, info, never.")
    var failOn: FailThreshold?

    @Flag(help: "Compare even when the parent report does not say it is a compilation.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing on standard output; only the exit code tells the result.")
    var quiet = false

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    func validate() throws {
        if children.isEmpty {
            throw ValidationError("give the compiled report and at least one subordinate report: ogilint rollup PARENT CHILD...")
        }
        do {
            for r in try OutputRequest.parse(formats) where !Self.formats.contains(r.format.name) {
                throw ValidationError("rollup writes \(Self.formats.sorted().joined(separator: ", ")); not \(r.format.name)")
            }
        } catch let e as OutputError { throw ValidationError(e.description) }
    }

    func run() throws {
        let linter = try rules.linter(read.lintOptions)
        let threshold = failOn.map(\.severity) ?? .error
        let outputs = try RunOutputs(
            requests: try OutputRequest.parse(formats), baselinePath: nil, inputs: [parent] + children,
            options: OutputOptions(version: OGILintVersion.string, failOn: threshold), quiet: quiet,
            color: isTerminal(1) && EnvironmentVariable.value("NO_COLOR").map(\.isEmpty) ?? true)
        let summary: RunSummary
        do {
            let input = try Rollup(linter: linter).check(parent: parent, children: children, force: force)
            summary = try Rollup.write(input, linter: linter, failOn: threshold, to: outputs)
            try outputs.commit()
        } catch {
            outputs.discard()
            throw error
        }
        let status = summary.exitStatus(failOn: threshold)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}
