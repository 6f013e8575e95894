import ArgumentParser
import Foundation
import OGILint
import OGIOutput
import OGIRules

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a commented starter .ogilint.yml in the current folder.")

    @Flag(help: "Overwrite an existing .ogilint.yml.")
    var force = false

    func run() throws {
        let path = LintConfiguration.fileName
        if FileManager.default.fileExists(atPath: path) && !force {
            throw UsageError("\(path) already exists; use --force to overwrite it")
        }
        let files = try OutputFiles(paths: [path], inputs: [])
        try files.sink(for: path).write(LintConfiguration.starter)
        try files.commit()
        print("wrote \(path)")
    }
}

/// A mistake in how a command was called, with what to do instead (exit status 2).
struct UsageError: ToolError {
    let message: String
    init(_ message: String) { self.message = message }
    var exitStatus: ExitStatus { .toolError }
    var description: String { message }
}
