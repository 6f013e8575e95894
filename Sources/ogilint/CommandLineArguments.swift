import Foundation
import OGILint

/// Arguments as the shell gave them, made unambiguous before parsing.
///
/// `check` is the default subcommand, so a first word that is neither a subcommand nor an existing path but
/// is close to a subcommand's name is a typo (`ogilint chek x`) and gets a suggestion. File names from a
/// shell glob may start with `-` (`-dash.txt`): an argument of `check` that starts with `-`, is not one of
/// its options and names an existing file is taken as a file. Files are then passed after `--`, in the order
/// given, so the parser never reads one as options.
enum CommandLineArguments {
    /// The root command's subcommands, and `help`. Written out rather than read from the root's configuration,
    /// which builds every subcommand's configuration (help texts and all) on every run; a test compares the two.
    static let subcommands = ["check", "model", "rules", "test-rules", "init", "serve", "rollup", "help"]
    /// `check`'s options that take a value (a test compares these with `ogilint check --help`).
    static let checkOptionsWithValue: Set<String> = [
        "--format", "--fail-on", "--config", "--baseline", "--write-baseline",
        "--rules", "--rules-root", "--agency-kind", "--year", "--max-size", "--previous",
    ]
    /// `check`'s flags.
    static let checkFlags: Set<String> = ["-q", "--quiet", "--no-config", "--no-pairing", "-h", "--help", "--version"]

    static func prepare(_ args: [String]) throws -> [String] {
        guard let first = args.first else { return args }
        if subcommands.contains(first) {
            return first == "check" ? ["check"] + checkArguments(Array(args.dropFirst())) : args
        }
        if !first.hasPrefix("-"), !FileManager.default.fileExists(atPath: first), !first.contains(where: { "*?[/.".contains($0) }),
            let near = NearMatch.suggestions(for: first, in: subcommands.filter { $0 != "help" }, limit: 1).first
        {
            throw UsageError(
                "unknown command '\(first)' (did you mean '\(near)'?); commands: \(subcommands.dropLast().joined(separator: ", ")). To check a file of that name, give its path, e.g. ./\(first)"
            )
        }
        return checkArguments(args)
    }

    /// Options only the root command answers (help, version, completion scripts).
    static let rootOnlyOptions: Set<String> = ["-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help"]

    /// The arguments of `check` alone, from prepared arguments that run `check` (named, or as the default
    /// subcommand) without asking for help, the version or a completion script; nil otherwise.
    static func checkOnly(_ prepared: [String]) -> [String]? {
        guard let first = prepared.first else { return nil }
        let rest = first == "check" ? Array(prepared.dropFirst()) : prepared
        if rest.first.map({ subcommands.contains($0) }) ?? false { return nil }
        let options = rest.prefix { $0 != "--" }
        if options.contains(where: { rootOnlyOptions.contains(String($0.prefix { $0 != "=" })) || $0.hasPrefix("--generate-completion") }) {
            return nil
        }
        return rest
    }

    /// `check`'s arguments with every file after `--`, in the order given.
    static func checkArguments(_ args: [String]) -> [String] {
        var options: [String] = []
        var files: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" { files += args[(i + 1)...]; break }
            let name = String(a.prefix { $0 != "=" })
            if checkOptionsWithValue.contains(a) {
                options.append(a)
                if i + 1 < args.count { options.append(args[i + 1]) }
                i += 2
                continue
            }
            if a.hasPrefix("-") && a != "-" && (checkFlags.contains(a) || checkOptionsWithValue.contains(name)) {
                options.append(a)
            } else if a.hasPrefix("-") && a != "-" && !FileManager.default.fileExists(atPath: a) {
                options.append(a)  // not a file: the parser reports the unknown option
            } else {
                files.append(a)
            }
            i += 1
        }
        return files.isEmpty ? options : options + ["--"] + files
    }
}
