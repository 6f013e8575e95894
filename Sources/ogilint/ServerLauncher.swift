import Foundation
import OGICommandLine
import OGILint

/// Starts the server program (`ogilint-server`) for `ogilint serve`, in place of this process: same process id,
/// same standard streams and environment, so Ctrl-C, SIGTERM and the exit status are the server's own.
enum ServerLauncher {
    /// The server's arguments when `prepared` asks for `serve` (`serve ARGS`, or `help serve`), else nil.
    static func serverArguments(_ prepared: [String]) -> [String]? {
        guard let first = prepared.first else { return nil }
        if first == "serve" { return Array(prepared.dropFirst()) }
        if first == "help", prepared.dropFirst().first == "serve" { return ["--help"] }
        return nil
    }

    /// The server program's path: in the folder of the running `ogilint`, links resolved (an `ogilint` on the
    /// PATH that is a link into an installation finds the installation's server).
    static func serverPath() -> String {
        URL(fileURLWithPath: runningExecutablePath()).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent(ServerProgram.executableName).path
    }

    /// Replaces this process with the server; returns only by throwing.
    static func replaceProcess(arguments: [String]) throws -> Never {
        let path = serverPath()
        guard FileManager.default.isExecutableFile(atPath: path) else { throw ServerLaunchError(path: path, reason: .missing) }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        for p in argv { free(p) }
        throw ServerLaunchError(path: path, reason: .cannotStart(reason))
    }

    /// The running executable's path, from the system rather than from argv[0] (which may be a bare name).
    private static func runningExecutablePath() -> String {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if count > 0 { return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}

/// `ogilint serve` could not start the server program.
struct ServerLaunchError: ToolError, Equatable {
    /// Where the server program was looked for.
    var path: String
    var reason: Reason

    enum Reason: Equatable {
        /// No executable file at `path`.
        case missing
        /// The system refused to run it (the reason from `execv`).
        case cannotStart(String)
    }

    var exitStatus: ExitStatus { .toolError }

    var description: String {
        switch reason {
        case .missing:
            return
                "serve needs the server program \(path), which is missing: install it beside ogilint (the release archive has both in bin/), or build it with `swift build -c release --product \(ServerProgram.executableName)`"
        case .cannotStart(let why):
            return "serve cannot start the server program \(path): \(why); check that it is an executable ogilint-server of this version"
        }
    }
}
