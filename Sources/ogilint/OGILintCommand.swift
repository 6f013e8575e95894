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
        subcommands: [Check.self, Model.self, Rules.self, TestRules.self, Init.self, Serve.self],
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
        } catch let e as RulePackError {
            FileHandle.standardError.write(Data("ogilint: invalid rule pack or configuration: \(e)\n".utf8))
            Foundation.exit(Exit.toolError)
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

    func root() throws -> String {
        guard let root = rulesRoot ?? BundledRules.locate() else {
            throw ToolFailure(message: "cannot find the bundled rules folder; pass --rules-root DIR or set OGILINT_RULES to the rules/ folder of ogilint")
        }
        return root
    }

    func directories() throws -> [String] { [try root()] + extraRules }
}

struct ReadOptions: ParsableArguments {
    @Option(name: .customLong("agency-kind"), help: "Override the agency kind inferred from the name: government or department.")
    var agencyKind: AgencyKind?

    @Option(help: "Override the report year read from the title.")
    var year: Int?

    @Option(name: .customLong("max-size"), help: "Largest input accepted, in bytes (also the cap on what a DOCX may unpack to).")
    var maxSize: Int = 50 * 1024 * 1024

    var lintOptions: LintOptions { LintOptions(agencyKind: agencyKind, year: year, maxInputBytes: maxSize) }
}

extension AgencyKind: ExpressibleByArgument {}

func makeLinter(_ rules: RuleOptions, _ options: LintOptions) throws -> Linter {
    do {
        return try Linter(ruleDirectories: try rules.directories(), options: options)
    } catch let e as RulePackError {
        throw ToolFailure(message: "invalid rule pack: \(e)")
    }
}

func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check reports (files, folders or wildcards) and print findings.",
        discussion: """
        Formats: text, json, sarif, junit, github, markdown, html. Give --format several times to write several
        in one run, e.g. --format text --format sarif=out.sarif --format html=report.html (at most one without =PATH).
        """)

    enum FailOn: String, ExpressibleByArgument, CaseIterable { case error, warning, info, never }

    @Argument(help: "Reports: .txt, .docx, .html, .pdf, or report models (.yml, .json); folders are searched for them; quoted wildcards such as 'drafts/**/*.docx' are expanded.")
    var files: [String]

    @Option(name: .customLong("format"), help: ArgumentHelp("Output format, optionally written to a file: NAME or NAME=PATH (repeatable).", valueName: "FORMAT[=PATH]"))
    var formats: [String] = []

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: error, warning, info, never (default: the configuration's fail_on, else error).")
    var failOn: FailOn?

    @Flag(name: .shortAndLong, help: "Print nothing on standard output; only the exit code (and errors on standard error) tell the result.")
    var quiet = false

    @Option(help: ArgumentHelp("Use this configuration file for every input instead of the nearest .ogilint.yml.", valueName: "FILE"))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Do not look for .ogilint.yml files.")
    var noConfig = false

    @Option(help: ArgumentHelp("Leave out findings listed in this baseline file.", valueName: "FILE"))
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Write the current findings to this baseline file (and exit 0).", valueName: "FILE"))
    var writeBaseline: String?

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    static let formatNames = ["text", "json", "sarif", "junit", "github", "markdown", "html"]

    func parsedFormats() throws -> [(name: String, path: String?)] {
        let list = formats.isEmpty ? ["text"] : formats
        let parsed: [(String, String?)] = try list.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard let name = parts.first, Self.formatNames.contains(name) else {
                throw ValidationError("unknown format '\(spec)'; formats: \(Self.formatNames.joined(separator: ", "))")
            }
            if parts.count == 2 && parts[1].isEmpty { throw ValidationError("--format \(name)= needs a file name after '='") }
            return (name, parts.count == 2 ? parts[1] : nil)
        }
        if parsed.filter({ $0.1 == nil }).count > 1 {
            throw ValidationError("at most one --format may write to standard output; give the others a file: --format sarif=out.sarif")
        }
        return parsed
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one report file or folder") }
        _ = try parsedFormats()
        if config != nil && noConfig { throw ValidationError("--config and --no-config cannot be used together") }
    }

    func run() throws {
        var options = LintSession.Options(rulesRoot: try rules.root())
        options.extraRules = rules.extraRules
        options.agencyKind = read.agencyKind
        options.year = read.year
        options.maxInputBytes = read.maxSize
        options.configPath = config
        options.useConfiguration = !noConfig
        options.baselinePath = baseline
        if isTerminal(2) && !quiet {
            options.progress = { done, total in
                guard total >= 20, done % 10 == 0 || done == total else { return }
                FileHandle.standardError.write(Data("\rchecked \(done)/\(total)\(done == total ? "\n" : "")".utf8))
            }
        }
        let result: LintSession.Result
        do {
            result = try LintSession(options: options).run(files)
        } catch let e as RulePackError {
            throw ToolFailure(message: "invalid rule pack or configuration: \(e)")
        } catch {
            throw ToolFailure(message: "\(error)")
        }
        let inputs = result.inputs
        let threshold: Severity? = {
            switch failOn?.rawValue ?? result.configuredFailOn ?? "error" {
            case "warning": return .warning
            case "info": return .info
            case "never": return nil
            default: return .error
            }
        }()
        if let w = writeBaseline {
            do { try Baseline.write(inputs, to: w) } catch { throw ToolFailure(message: "cannot write the baseline \(w): \(error)") }
            let n = inputs.reduce(0) { $0 + $1.findings.count }
            FileHandle.standardError.write(Data("ogilint: wrote \(n) finding\(n == 1 ? "" : "s") to the baseline \(w)\n".utf8))
            return
        }
        for (name, path) in try parsedFormats() {
            if path == nil && quiet { continue }
            let color = path == nil && isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            let text: String
            switch name {
            case "json": text = JSONFormatter.format(inputs, version: OGILintVersion.string)
            case "sarif": text = SARIFFormatter.format(inputs, rules: result.rules, version: OGILintVersion.string)
            case "junit": text = JUnitFormatter.format(inputs, rules: result.rules, failOn: threshold)
            case "github": text = GitHubFormatter.format(inputs)
            case "markdown": text = MarkdownFormatter.format(inputs)
            case "html": text = HTMLReportFormatter.format(inputs, templates: result.templates, version: OGILintVersion.string)
            default: text = TextFormatter.format(inputs, color: color, baselined: result.baselined)
            }
            if let path {
                do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                    throw ToolFailure(message: "cannot write \(path): \(error.localizedDescription)")
                }
            } else {
                print(text, terminator: "")
            }
        }
        for i in inputs where i.error != nil {
            FileHandle.standardError.write(Data("ogilint: \(i.error!)\n".utf8))
        }
        if inputs.contains(where: { $0.error != nil }) { throw ExitCode(Exit.toolError) }
        if let t = threshold, inputs.flatMap(\.findings).contains(where: { $0.severity >= t }) {
            throw ExitCode(Exit.findings)
        }
    }
}

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the report model read from a file (metadata, parts, every cell with its raw text and location).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "A report file: .txt, .docx, .html, .pdf, .yml or .json.")
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
    static let configuration = CommandConfiguration(abstract: "List the loaded rules, explain one, or write the rule reference (--format markdown).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    @Argument(help: "A rule id to explain.")
    var id: String?

    @Option(help: "text (default) or markdown (the rule reference, docs/rules.md).")
    var format: Format = .text

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let linter = try makeLinter(rules, LintOptions())
        if format == .markdown {
            print(RuleReference.markdown(linter.ruleSet.rules, root: (try rules.root() as NSString).deletingLastPathComponent), terminator: "")
            return
        }
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

struct TestRules: ParsableCommand {
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
        let linter = try makeLinter(r, LintOptions())
        let outcomes = RuleExamples.run(linter, definedUnder: dir)
        var failed = 0
        for o in outcomes where o.problem != nil {
            failed += 1
            print("FAIL \(o.rule) \(o.expectFailure ? "fail" : "pass") example \(o.example): \(o.problem!)")
        }
        let rulesTested = Set(outcomes.map(\.rule)).count
        print("\(outcomes.count - failed) passed, \(failed) failed (\(rulesTested) rules, \(outcomes.count) examples)")
        if failed > 0 { throw ExitCode(Exit.findings) }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter .ogilint.yml in the current folder.")

    @Flag(help: "Overwrite an existing .ogilint.yml.")
    var force = false

    func run() throws {
        let path = LintConfiguration.fileName
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ToolFailure(message: "\(path) already exists; use --force to overwrite it")
        }
        do { try LintConfiguration.starter.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ToolFailure(message: "cannot write \(path): \(error.localizedDescription)")
        }
        print("wrote \(path)")
    }
}
