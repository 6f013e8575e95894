import ArgumentParser
import OGICommandLine

/// `ogilint serve`: listed among the commands, but served by the program `ogilint-server` beside this one,
/// which `ServerLauncher` starts in place of this process with the same arguments (`main` does so before
/// parsing, so `ogilint serve --help` prints the server's options).
struct Serve: ParsableCommand {
    // The name is written out: deriving it from the type's name costs a runtime type lookup on every run.
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: ServerProgram.abstract, discussion: ServerProgram.discussion)

    @Argument(parsing: .captureForPassthrough, help: "The server's options: `ogilint serve --help` lists them.")
    var arguments: [String] = []

    func run() throws { try ServerLauncher.replaceProcess(arguments: arguments) }
}
