/// Errors while reading an input file. Each says which file and what to do.
public enum ReaderError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case binary(path: String)
    case undecodable(path: String)
    case invalidModel(path: String, line: Int?, problem: String)
    case unsupportedFormat(path: String, detail: String)
    /// A damaged file of a known kind (a truncated zip, broken XML).
    case corrupt(path: String, detail: String)
    /// Content refused for safety (a DOCTYPE or entity declarations, a decompression bomb).
    case unsafe(path: String, detail: String)
    /// An external program a reader needs is missing or failed.
    case tool(path: String, detail: String)
    /// A folder or wildcard named no report.
    case noReports(path: String, detail: String)
    /// Input over one of the limits of the read budget (`--max-size`); the detail names the limit.
    case overLimit(path: String, detail: String)
    /// A file of a known kind that is not a report's text at all (an image, an archive); `what` names it.
    case notAReport(path: String, what: String)
    /// A password-protected PDF.
    case encryptedPDF(path: String)
    /// A reading option (`--year`, `--max-size`) with a value that cannot be right.
    case invalidOption(option: String, problem: String)
    /// A damaged or incomplete PDF (truncated download, broken cross-reference table).
    case damagedPDF(path: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read the file (\(reason)); check the path and permissions"
        case let .empty(path):
            return "\(path): the file is empty; export the report text again"
        case let .binary(path):
            return
                "\(path): this looks like a binary file, not text; save the draft as plain text (UTF-8), or pass a report model (.yml/.json)"
        case let .undecodable(path):
            return "\(path): the text is neither UTF-8, UTF-16 nor GB18030; save it again as UTF-8"
        case let .invalidModel(path, line, problem):
            return "\(path)\(line.map { ":\($0)" } ?? ""): invalid report model: \(problem)"
        case let .unsupportedFormat(path, detail):
            return "\(path): \(detail)"
        case let .corrupt(path, detail):
            return "\(path): the file is damaged: \(detail); open it in Word or WPS and save it again"
        case let .unsafe(path, detail):
            return "\(path): refused for safety: \(detail)"
        case let .tool(path, detail):
            return "\(path): \(detail)"
        case let .noReports(path, detail):
            return "\(path): \(detail); nothing was checked"
        case let .overLimit(path, detail):
            return "\(path): refused: \(detail); is this really a report? If it is, raise the limit with --max-size"
        case let .notAReport(path, what):
            return
                "\(path): this is \(what), not a report; pass the report itself as .docx, .txt, .html, a PDF with a text layer, or a report model (.yml/.json)"
        case let .encryptedPDF(path):
            return
                "\(path): the PDF is encrypted (password-protected), so its text cannot be read; export or save it again without a password and check that copy"
        case let .invalidOption(option, problem):
            return "\(option): \(problem)"
        case let .damagedPDF(path, detail):
            return "\(path): the PDF is damaged or incomplete (\(detail)); download or export it again from the original document"
        }
    }
}
