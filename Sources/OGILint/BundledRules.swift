import Foundation

/// Finds the rule folder shipped with ogilint.
public enum BundledRules {
    /// Looks in order: `$OGILINT_RULES`; `share/ogilint/rules` beside the executable's folder;
    /// a `rules/` folder in the executable's folder or any parent (a source checkout);
    /// a `rules/` folder in the current folder or any parent.
    public static func locate(executable: String = runningExecutable) -> String? {
        let fm = FileManager.default
        func isPack(_ dir: String) -> Bool { fm.fileExists(atPath: (dir as NSString).appendingPathComponent("templates/common.yml")) }
        if let env = ProcessInfo.processInfo.environment["OGILINT_RULES"], !env.isEmpty { return env }
        var starts: [String] = []
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        starts.append(exe)
        starts.append(fm.currentDirectoryPath)
        for start in starts {
            let share = ((start as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/ogilint/rules")
            if isPack(share) { return share }
            var dir = start
            while true {
                let candidate = (dir as NSString).appendingPathComponent("rules")
                if isPack(candidate) { return candidate }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        return nil
    }

    /// The path of the running program. On Linux `/proc/self/exe`, because `argv[0]` is only the name typed
    /// when ogilint is found on the PATH; elsewhere the bundle's executable, else `argv[0]`.
    public static var runningExecutable: String {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    }
}
