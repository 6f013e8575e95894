import Foundation
import OGIModel

/// Finds the rule folder shipped with ogilint.
public enum BundledRules {
    /// Looks in order: `$OGILINT_RULES`; `share/ogilint/rules` beside the executable's folder;
    /// a `rules/` folder in the executable's folder or any parent (a source checkout);
    /// a `rules/` folder in the current folder or any parent.
    public static func locate(executable: String = runningExecutable) -> String? {
        let fm = FileManager.default
        func isPack(_ dir: String) -> Bool { fm.fileExists(atPath: (dir as NSString).appendingPathComponent("templates/common.yml")) }
        if let env = EnvironmentVariable.value("OGILINT_RULES"), !env.isEmpty { return env }
        var starts: [String] = []
        starts.append(folder(ofExecutable: executable))
        starts.append(fm.currentDirectoryPath)
        for start in starts {
            let share = (PathParts.deletingLastPathComponent(start) as NSString).appendingPathComponent("share/ogilint/rules")
            if isPack(share) { return share }
            var dir = start
            while true {
                let candidate = (dir as NSString).appendingPathComponent("rules")
                if isPack(candidate) { return candidate }
                let parent = PathParts.deletingLastPathComponent(dir)
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        return nil
    }

    /// The folder of the executable at `path`, symbolic links resolved. `realpath` gives what
    /// `URL.resolvingSymlinksInPath` gives for a file that exists (a test compares them), without the
    /// runtime look-ups Foundation's version costs every run; a path that does not resolve goes to Foundation.
    static func folder(ofExecutable path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        defer { free(resolved) }
        return PathParts.deletingLastPathComponent(String(cString: resolved))
    }

    /// The path of the running program. On Linux `/proc/self/exe`, because `argv[0]` is only the name typed
    /// when ogilint is found on the PATH; elsewhere the bundle's executable, else `argv[0]`.
    public static var runningExecutable: String {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    }
}
