import ArgumentParser
import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIRules

/// Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage, input or rule-pack errors.
enum Exit {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let toolError: Int32 = 2
}

struct ToolFailure: Error { let message: String }

@main
struct OGILintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ogilint",
        abstract: "Checks government information disclosure annual reports (政府信息公开工作年度报告) before publication.",
        version: OGILintVersion.string,
        subcommands: [Check.self, Model.self, Rules.self],
        defaultSubcommand: Check.self)

    /// Parses, runs and maps every failure onto the documented exit codes.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ToolFailure {
            FileHandle.standardError.write(Data("ogilint: \(e.message)\n".utf8))
            Foundation.exit(Exit.toolError)
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(Exit.toolError)
        }
    }
}

/// Options shared by commands that load rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("Add a rule pack folder (repeatable).", valueName: "DIR"))
    var extraRules: [String] = []

    @Option(name: .customLong("rules-root"), help: ArgumentHelp("Use this folder instead of the bundled rules (default: $OGILINT_RULES, or the rules/ folder shipped with ogilint).", valueName: "DIR"))
    var rulesRoot: String?

    func directories() throws -> [String] {
        guard let root = rulesRoot ?? BundledRules.locate() else {
            throw ToolFailure(message: "cannot find the bundled rules folder; pass --rules-root DIR or set OGILINT_RULES to the rules/ folder of ogilint")
        }
        return [root] + extraRules
    }
}

struct ReadOptions: ParsableArguments {
    @Option(name: .customLong("agency-kind"), help: "Override the agency kind inferred from the name: government or department.")
    var agencyKind: AgencyKind?

    @Option(help: "Override the report year read from the title.")
    var year: Int?

    var lintOptions: LintOptions { LintOptions(agencyKind: agencyKind, year: year) }
}

extension AgencyKind: ExpressibleByArgument {}

func makeLinter(_ rules: RuleOptions, _ options: LintOptions) throws -> Linter {
    do {
        return try Linter(ruleDirectories: try rules.directories(), options: options)
    } catch let e as RulePackError {
        throw ToolFailure(message: "invalid rule pack: \(e)")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check report files and print findings.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning, info, never }

    @Argument(help: "Report files: plain text (.txt), or report models (.yml, .yaml, .json).")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning, info, never.")
    var failOn: FailOn = .error

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file") }
    }

    func run() throws {
        let linter = try makeLinter(rules, read.lintOptions)
        let results = linter.check(paths: files)
        let inputs: [CheckedInput] = zip(files, results).map { path, r in
            switch r {
            case .success(let rr): return CheckedInput(path: path, report: rr.report, findings: rr.findings, error: nil)
            case .failure(let e): return CheckedInput(path: path, report: nil, findings: [], error: "\(e)")
            }
        }
        switch format {
        case .text: print(TextFormatter.format(inputs), terminator: "")
        case .json: print(JSONFormatter.format(inputs, version: OGILintVersion.string), terminator: "")
        }
        for i in inputs where i.error != nil {
            FileHandle.standardError.write(Data("ogilint: \(i.error!)\n".utf8))
        }
        if inputs.contains(where: { $0.error != nil }) { throw ExitCode(Exit.toolError) }
        let threshold: Severity? = switch failOn {
        case .error: .error
        case .warning: .warning
        case .info: .info
        case .never: nil
        }
        if let t = threshold, inputs.flatMap(\.findings).contains(where: { $0.severity >= t }) {
            throw ExitCode(Exit.findings)
        }
    }
}

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the report model read from a file (metadata, parts, every cell with its raw text and line).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "A report file.")
    var file: String

    @Option(help: "Output format: yaml or json.")
    var format: Format = .yaml

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    func run() throws {
        let linter = try makeLinter(rules, read.lintOptions)
        let report: Report
        do { report = try linter.read(path: file) } catch { throw ToolFailure(message: "\(error)") }
        do {
            print(try ModelWriter.write(report, format: format == .json ? .json : .yaml), terminator: "")
        } catch {
            throw ToolFailure(message: "cannot write the model: \(error)")
        }
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the loaded rules, or explain one.")

    @Argument(help: "A rule id to explain.")
    var id: String?

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let linter = try makeLinter(rules, LintOptions())
        if let id {
            guard let r = linter.ruleSet.rule(id) else {
                throw ToolFailure(message: "no rule '\(id)'; `ogilint rules` lists them")
            }
            print(RuleListFormatter.explain(r), terminator: "")
        } else {
            print(RuleListFormatter.list(linter.ruleSet.rules), terminator: "")
        }
    }
}
