import ArgumentParser
import Dispatch
import Foundation
import OGICommandLine
import OGILint
import OGIServer

/// `ogilint serve` (the program `ogilint-server`, which `ogilint serve` starts with the same arguments): the
/// reviewer's web page and its HTTP API on a local address.
@main
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServerProgram.commandName, abstract: ServerProgram.abstract, discussion: ServerProgram.discussion,
        version: OGILintVersion.string)

    /// As `ogilint`'s own `main`: tool errors and usage errors exit 2, help and the version exit 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitForArgumentError(error)
        }
    }

    @Option(help: "Address to listen on (default: loopback only). Use 0.0.0.0 to accept other machines.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @OptionGroup var rules: RuleOptions

    @Option(help: ArgumentHelp("Apply this configuration file (.ogilint.yml) to every upload.", valueName: "FILE"))
    var config: String?

    @Option(
        name: .customLong("max-size"),
        help: "Largest file accepted, as for check (units k, M, G; also the budget every read limit is derived from).")
    var maxSize: ByteSize = .defaultMaxInput

    @Option(name: .customLong("max-request-size"), help: "Largest request, all files together, in bytes.")
    var maxRequestSize = 100 * 1024 * 1024

    @Option(name: .customLong("max-files"), help: "Most files in one request.")
    var maxFiles = 100

    @Option(name: .customLong("max-checks"), help: "Checks that run at once (default: the number of cores, at least 2).")
    var maxChecks: Int?

    @Option(name: .customLong("time-limit"), help: "Seconds one request's checks may take before the server gives up (503).")
    var timeLimit = 30

    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp("Accept this name in the Host header too (repeatable), e.g. behind a reverse proxy.", valueName: "NAME"))
    var allowHosts: [String] = []

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard maxSize.bytes > 0, maxRequestSize > 0, maxFiles > 0, timeLimit > 0 else {
            throw ValidationError("--max-size, --max-request-size, --max-files and --time-limit must be positive")
        }
        if let maxChecks, maxChecks <= 0 { throw ValidationError("--max-checks must be positive") }
    }

    func run() throws {
        let service: LintService
        do {
            service = try LintService(
                rulesRoot: rules.rulesRoot, extraRules: rules.extraRules, configPath: config, maxFileBytes: maxSize.bytes)
        } catch {
            FileHandle.standardError.write(Data("ogilint: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var settings = ServerSettings()
        settings.host = host
        settings.port = port
        settings.allowedHosts = allowHosts
        settings.maxRequestBytes = maxRequestSize
        settings.maxFilesPerRequest = maxFiles
        if let maxChecks { settings.maxConcurrentChecks = maxChecks }
        settings.checkTimeLimit = TimeInterval(timeLimit)
        let server = ReviewServer(service: service, settings: settings)
        let address = settings.url
        let host = host, port = port  // the task below captures these, not the command (which holds non-Sendable options)
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        // The command line is synchronous; the server runs on Swift's async runtime until Ctrl-C.
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run {
                    // Written unbuffered, so a script reading the first line sees it at once.
                    var lines = "ogilint serve: open \(address) (Ctrl-C stops it)\n"
                    if !loopback { lines += "ogilint serve: listening on \(host), reachable from other machines\n" }
                    FileHandle.standardOutput.write(Data(lines.utf8))
                }
            } catch {
                failure.set("cannot serve on \(host):\(port): \(error)")
            }
            done.signal()
        }
        done.wait()
        if let message = failure.message {
            FileHandle.standardError.write(Data("ogilint: \(message)\n".utf8))
            throw ExitCode(2)
        }
        print("ogilint serve: stopped")
    }
}

/// Carries a start-up failure from the server task back to the command.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    var message: String? { lock.lock(); defer { lock.unlock() }; return value }
    func set(_ m: String) { lock.lock(); value = m; lock.unlock() }
}
