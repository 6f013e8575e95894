import ArgumentParser
import OGICommandLine
import OGIModel

/// `check`'s arguments parsed by hand for the shapes a run nearly always has: known options, each in the
/// form `--name value` or `--name=value`, then `--` and the files (the form `CommandLineArguments.prepare`
/// gives). ArgumentParser builds every command's option tree by reflection before it reads a word, which
/// costs a single run about as much as reading the report; this parser builds nothing.
///
/// It is exact by declining: anything it does not recognise as plainly valid (an unknown or repeated
/// option, a missing, empty or dash-led value, a value the option's type refuses, help, a failed
/// validation) gives nil, and the caller parses with ArgumentParser, which gives its own value or message.
/// Values are converted with the same `init?(argument:)` ArgumentParser calls, and validated with the same
/// `CheckArguments.validate`. A test feeds many argument vectors to both and compares the results.
enum CheckArgumentsFastPath {
    /// `check`'s arguments (as `CommandLineArguments.checkOnly` gives them) as values, or nil when
    /// ArgumentParser should parse them.
    static func parse(_ args: [String]) -> CheckArguments? {
        var result = CheckArguments()
        /// Single-valued options and flags already given: a second one is left to ArgumentParser.
        var given: Set<String> = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "--" {
                result.files = Array(args[i...])
                break
            }
            // A word that is no option before `--` is not a shape `prepare` makes.
            guard arg.hasPrefix("-") else { return nil }
            var name = arg
            var attached: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                attached = String(arg[arg.index(after: eq)...])
            }
            if let flag = flags[name] {
                guard attached == nil, given.insert(flag).inserted else { return nil }
                switch flag {
                case "--quiet": result.quiet = true
                case "--no-config": result.noConfig = true
                case "--no-pairing": result.noPairing = true
                default: return nil
                }
                continue
            }
            guard CommandLineArguments.checkOptionsWithValue.contains(name) else { return nil }
            let value: String
            if let attached {
                value = attached
            } else {
                guard i < args.count else { return nil }
                value = args[i]
                i += 1
            }
            guard let first = value.first, first != "-" else { return nil }
            guard repeatable.contains(name) || given.insert(name).inserted else { return nil }
            switch name {
            case "--format": result.formats.append(value)
            case "--rules": result.extraRules.append(value)
            case "--fail-on":
                guard let threshold = FailThreshold(argument: value) else { return nil }
                result.failOn = threshold
            case "--config": result.config = value
            case "--baseline": result.baseline = value
            case "--write-baseline": result.writeBaseline = value
            case "--previous": result.previous = value
            case "--rules-root": result.rulesRoot = value
            case "--agency-kind":
                guard let kind = AgencyKind(argument: value) else { return nil }
                result.agencyKind = kind
            case "--year":
                guard let year = Int(argument: value) else { return nil }
                result.year = year
            case "--max-size":
                guard let size = ByteSize(argument: value) else { return nil }
                result.maxSize = size
            default: return nil
            }
        }
        guard (try? result.validate()) != nil else { return nil }
        return result
    }

    /// `check`'s flags (help and version aside), by each spelling, to the flag's long name.
    static let flags: [String: String] = [
        "-q": "--quiet", "--quiet": "--quiet", "--no-config": "--no-config", "--no-pairing": "--no-pairing",
    ]

    /// Options that may be given more than once, each adding a value.
    static let repeatable: Set<String> = ["--format", "--rules"]
}
