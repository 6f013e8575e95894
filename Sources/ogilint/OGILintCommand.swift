import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIOutput

/// The root command. `main` is the one place where errors become exit statuses: 0 nothing at or above
/// the threshold, 1 findings at or above it, 2 usage, input, configuration, rule-pack or output errors.
@main
struct OGILintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ogilint",
        abstract: "Checks government information disclosure annual reports (政府信息公开工作年度报告) before publication.",
        version: OGILintVersion.string,
        subcommands: [
            CheckCommand.self, ModelCommand.self, RulesCommand.self, TestRulesCommand.self, InitCommand.self, Serve.self,
            RollupCommand.self,
        ],
        defaultSubcommand: CheckCommand.self)

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        TemporaryFiles.removeOnInterrupt()
        // Under a file-size limit (`ulimit -f`), a write past it must fail with EFBIG (an output error, exit 2; a
        // rule cache or draft file left out), not end the process with SIGXFSZ and no output.
        signal(SIGXFSZ, SIG_IGN)
        if arguments.isEmpty {
            // Nothing to check is not a pass: the commands are listed, and the exit status is 2.
            print(helpMessage())
            Foundation.exit(ExitStatus.toolError.rawValue)
        }
        do {
            let prepared = try CommandLineArguments.prepare(arguments)
            // `serve` is a program of its own (`ogilint-server`), so that a check does not load the web server.
            if let serverArguments = ServerLauncher.serverArguments(prepared) {
                try ServerLauncher.replaceProcess(arguments: serverArguments)
            }
            let checkArguments = CommandLineArguments.checkOnly(prepared)
            // The common shapes of `check` are parsed by hand, without ArgumentParser's reflection (a sixth
            // of a single run); anything else by ArgumentParser.
            if let fast = checkArguments.flatMap({ CheckArgumentsFastPath.parse($0) }) {
                try fast.run()
                return
            }
            // `check` alone is parsed without the other subcommands' option trees; anything it cannot parse
            // is parsed again from the root, so messages stay the root's.
            let checkOnly = checkArguments.flatMap { try? CheckCommand.parseAsRoot($0) }
            var command = try checkOnly ?? parseAsRoot(prepared)
            try command.run()
        } catch let e as ToolError {
            FileHandle.standardError.write(Data("ogilint: \(e)\n".utf8))
            Foundation.exit(e.exitStatus.rawValue)
        } catch {
            // Errors of the argument parser: usage errors, and --help / --version (exit 0, on standard output).
            exitForArgumentError(error)
        }
    }
}
