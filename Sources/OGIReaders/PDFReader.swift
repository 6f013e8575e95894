import Foundation
import OGIModel

/// Reads a PDF through poppler's `pdftotext -layout` (Debian package poppler-utils), run as a subprocess
/// with a timeout, then reads the text like any other: labels broken across lines and headers split into
/// single characters are handled by the label-anchored table mapper. Locations are page and line.
public struct PDFReader: DraftingReader {
    let text: TextReader
    let budget: ReadBudget
    let timeout: TimeInterval

    public init(context: ReaderContext, budget: ReadBudget = ReadBudget(), timeout: TimeInterval = 30) {
        self.text = TextReader(context: context, budget: budget)
        self.budget = budget
        self.timeout = timeout
    }

    public var name: String { "pdf" }
    public var extensions: [String] { ["pdf"] }
    /// `%PDF-` within the first kilobyte (the PDF specification allows leading bytes), else the extension.
    public func claim(_ input: InputSniffer) -> ReaderClaim {
        if input.starts(with: Array("%PDF".utf8)) { return .signature }
        // `%PDF-` anywhere in the first 1 KB (some writers put bytes before it), found at each `%` (by memchr: a
        // text file has few).
        let signed = input.head.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            let n = min(b.count, 1024)
            var i = 0
            while i < n, let p = memchr(base + i, 0x25, n - i) {
                let at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(p))
                if n - at >= 5, b[at + 1] == 0x50, b[at + 2] == 0x44, b[at + 3] == 0x46, b[at + 4] == 0x2D { return true }
                i = at + 1
            }
            return false
        }
        if signed { return .signature }
        return input.pathExtension == "pdf" ? .fileExtension : .none
    }

    /// The pdftotext executable: `$OGILINT_PDFTOTEXT`, else the first on PATH.
    static func pdftotext() -> String? {
        if let p = EnvironmentVariable.value("OGILINT_PDFTOTEXT"), !p.isEmpty { return p }
        let path = EnvironmentVariable.value("PATH") ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/pdftotext"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func read(path: String, data: Data) throws -> Report {
        try read(path: path, data: data, depth: .report)
    }

    /// The metadata `read(path:data:)` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        try read(path: path, data: data, depth: .metadata).metadata
    }

    /// Reads the PDF; below `.report` depth, only the returned report's metadata is meaningful (at `.pairing`,
    /// only its agency and year).
    func read(path: String, data: Data, depth: ReadDepth) throws -> Report {
        text.report(from: try draft(path: path, data: data), depth: depth) { nil }
    }

    /// pdftotext's text of the PDF, as lines that remember their page.
    public func draft(path: String, data: Data) throws -> LinedDraft {
        guard let tool = Self.pdftotext() else {
            throw ReaderError.tool(
                path: path,
                detail:
                    "reading PDF needs pdftotext, which is not installed; install it with `apt-get install poppler-utils` (Debian/Ubuntu) or `brew install poppler` (macOS)"
            )
        }
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw ReaderError.tool(path: path, detail: "cannot run \(tool) (named by OGILINT_PDFTOTEXT): it is not an executable file")
        }
        let run = try PDFToText(tool: tool, timeout: timeout, maxOutputBytes: budget.maxDecodedBytes).run(data, path: path)
        switch run {
        case .text(let out):
            return try draft(of: out, data: data, path: path)
        case .failed(let message):
            if Self.isEncrypted(data) || message.localizedCaseInsensitiveContains("password") { throw ReaderError.encryptedPDF(path: path) }
            if !Self.hasEndMarker(data) {
                throw ReaderError.damagedPDF(
                    path: path, detail: "it is cut off: the end-of-file marker is missing, so the download or copy is incomplete")
            }
            throw ReaderError.damagedPDF(path: path, detail: "pdftotext could not read it\(message.isEmpty ? "" : ": \(message)")")
        case .timedOut:
            throw ReaderError.tool(
                path: path,
                detail: "pdftotext did not finish within \(Int(timeout)) s and was stopped; the PDF may be damaged or very large")
        case .tooMuchOutput:
            throw budget.refusal(
                path, "pdftotext wrote more than \(budget.maxDecodedBytes) bytes of text", limit: budget.maxDecodedBytes, unit: "bytes")
        case .serveFailed(let code):
            throw ReaderError.tool(
                path: path,
                detail:
                    "pdftotext was stopped: ogilint could not wait on its pipes (\(String(cString: strerror(code)))); the PDF was not read, try again"
            )
        }
    }

    /// True when the PDF names an encryption dictionary (`/Encrypt` in a trailer).
    static func isEncrypted(_ data: Data) -> Bool {
        data.range(of: Data("/Encrypt".utf8)) != nil
    }

    /// True when `%%EOF` is in the last kilobyte, as in every complete PDF.
    static func hasEndMarker(_ data: Data) -> Bool {
        data.suffix(1024).range(of: Data("%%EOF".utf8)) != nil
    }

    /// Splits pdftotext's output into lines that remember their page and their line on it.
    func draft(of out: Data, data: Data, path: String) throws -> LinedDraft {
        // Pages are separated by form feeds; each line keeps its page and its line on that page.
        var lines: [SourceLine] = []
        var origins: [LineOrigin] = []
        let all = String(decoding: out, as: UTF8.self)
        for (pi, page) in all.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
            for (li, l) in page.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                lines.append(SourceLine(number: lines.count + 1, text: String(l)))
                origins.append(LineOrigin(line: li + 1, page: pi + 1))
            }
        }
        try budget.check(lines.count, budget.maxLines, path, "pdftotext gave \(lines.count) lines", unit: "lines")
        if lines.allSatisfy({ FastText.isBlank($0.text) }) {
            if !Self.hasEndMarker(data) {
                throw ReaderError.damagedPDF(
                    path: path, detail: "it is cut off: the end-of-file marker is missing, so the download or copy is incomplete")
            }
            throw ReaderError.unsupportedFormat(
                path: path, detail: "the PDF has no text layer (a scanned image?); ogilint needs the text, not a picture of it")
        }
        return LinedDraft(path: path, sourceFormat: "pdf", lines: lines, origins: origins)
    }
}
