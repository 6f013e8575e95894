import ArgumentParser
import Foundation
import OGILint

extension ParsableCommand {
    /// Ends the program for an error of the argument parser, as both programs (`ogilint`, `ogilint-server`) do:
    /// an `ExitCode` with its own status; help and the version on standard output with exit 0; a usage error on
    /// standard error with exit 2 (ArgumentParser's own status for it would be 64).
    public static func exitForArgumentError(_ error: Error) -> Never {
        if let e = error as? ExitCode { Foundation.exit(e.rawValue) }
        if exitCode(for: error) == .success {
            print(fullMessage(for: error))
            Foundation.exit(ExitStatus.clean.rawValue)
        }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.toolError.rawValue)
    }
}
