import Foundation
import OGIReaders
import OGIRules

/// Errors that stop a whole run before or after its inputs are checked (an input's own failure is an
/// `InputError` and does not stop the others).
/// Last year's report of a pair could not be read; the input it was paired with is not checked.
struct PreviousReadError: Error, CustomStringConvertible {
    var previous: String
    var current: String
    var error: any Error
    var description: String {
        "cannot read last year's report \(previous) for \(current): \(error); fix it or change the configuration's previous: pair"
    }
}

public enum SessionError: ToolError {
    /// A rule pack (or, with `configuration`, a `.ogilint.yml`) is invalid; the error has file:line:column.
    case rulePack(RulePackError, configuration: Bool)
    /// No bundled rules folder was found.
    case rulesNotFound
    /// A folder or pattern named no report, or an argument is not usable as an input.
    case inputs(ReaderError)
    /// The baseline file to read is not an ogilint baseline.
    case invalidBaseline(path: String, problem: String)
    /// `--write-baseline` was asked for but some inputs could not be read: a baseline without them would
    /// accept nothing for those reports and hide that they were never checked.
    case baselineWithUnreadableInputs(path: String, count: Int)
    /// The baseline could not be written.
    case baselineNotWritten(path: String, reason: String)
    /// Last year's report given with `--previous` cannot be read.
    case previousUnreadable(InputError)
    /// `ogilint rules ID` names no loaded rule.
    case unknownRule(id: String, suggestions: [String])

    public var exitStatus: ExitStatus { .toolError }

    public var description: String {
        switch self {
        case let .rulePack(e, configuration):
            return "invalid rule pack\(configuration ? " or configuration" : ""): \(e)"
        case .rulesNotFound:
            return "cannot find the bundled rules folder; pass --rules-root DIR or set OGILINT_RULES to the rules/ folder of ogilint"
        case let .inputs(e):
            return e.description
        case let .invalidBaseline(path, problem):
            return "\(path): \(problem)"
        case let .baselineWithUnreadableInputs(path, count):
            return
                "the baseline \(path) was not written: \(count) input\(count == 1 ? "" : "s") could not be read (see above); fix or leave them out, then write the baseline again"
        case let .baselineNotWritten(path, reason):
            return "cannot write the baseline \(path): \(reason)"
        case let .previousUnreadable(e):
            return "cannot read last year's report (--previous): \(e)"
        case let .unknownRule(id, suggestions):
            let near = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?)"
            return "no rule '\(id)'\(near); `ogilint rules` lists them"
        }
    }
}
