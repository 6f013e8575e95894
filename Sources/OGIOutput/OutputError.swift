import Foundation
import OGILint

/// Why an output could not be written; each says which path and what to do instead.
public enum OutputError: ToolError, Equatable {
    /// The path names a folder.
    case isFolder(path: String)
    /// The path is one of the inputs being checked (the same file, by device and inode).
    case isInput(path: String, input: String)
    /// Two outputs name the same file.
    case sameOutput(path: String, other: String)
    /// The path exists and is neither a regular file nor a FIFO or character device to write into.
    case notRegular(path: String, kind: String)
    /// The folder the file would go in does not exist.
    case noFolder(path: String, folder: String)
    /// Opening or writing failed.
    case cannotWrite(path: String, reason: String)
    /// `--format` names no format.
    case unknownFormat(String)
    /// `--format NAME=` without a path.
    case missingPath(format: String)
    /// More than one format without a file.
    case severalOnStandardOutput
    /// Text held for the end of a large output could not be written to a temporary file.
    case spool(reason: String)

    public var exitStatus: ExitStatus { .toolError }

    public var description: String {
        switch self {
        case let .isFolder(path):
            return
                "cannot write \(path): it is a folder; give a file name, e.g. \((path as NSString).appendingPathComponent("ogilint-report.html"))"
        case let .isInput(path, input):
            return "refusing to write \(path): it is the input \(input), which would be overwritten; write the output somewhere else"
        case let .sameOutput(path, other):
            return "two outputs would write the same file (\(other) and \(path)); give each output its own file"
        case let .notRegular(path, kind):
            return "refusing to write \(path): it is a \(kind), not a regular file; give the name of a regular file"
        case let .noFolder(path, folder):
            return "cannot write \(path): the folder \(folder) does not exist; create it first"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .unknownFormat(spec):
            return "unknown format '\(spec)'; formats: \(OutputFormats.names.joined(separator: ", "))"
        case let .missingPath(format):
            return "--format \(format)= needs a file name after '='"
        case .severalOnStandardOutput:
            return "at most one --format may write to standard output; give the others a file: --format sarif=out.sarif"
        case let .spool(reason):
            return "cannot hold output in a temporary file (\(reason)); check that the temporary folder ($TMPDIR or /tmp) is writable"
        }
    }
}
