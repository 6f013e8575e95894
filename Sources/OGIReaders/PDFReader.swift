import Foundation
import OGIModel

/// Reads a PDF through poppler's `pdftotext -layout` (Debian package poppler-utils), run as a subprocess
/// with a timeout, then reads the text like any other: labels broken across lines and headers split into
/// single characters are handled by the label-anchored table mapper. Locations are page and line.
public struct PDFReader: ReportReader {
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
        let marker = Array("%PDF-".utf8)
        let window = input.head.prefix(1024)
        if input.starts(with: Array("%PDF".utf8)) { return .signature }
        if window.count >= marker.count, (0...(window.count - marker.count)).contains(where: { window[$0..<($0 + marker.count)].elementsEqual(marker) }) {
            return .signature
        }
        return input.pathExtension == "pdf" ? .fileExtension : .none
    }

    /// The pdftotext executable: `$OGILINT_PDFTOTEXT`, else the first on PATH.
    static func pdftotext() -> String? {
        if let p = ProcessInfo.processInfo.environment["OGILINT_PDFTOTEXT"], !p.isEmpty { return p }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/pdftotext"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func read(path: String, data: Data) throws -> Report {
        guard let tool = Self.pdftotext() else {
            throw ReaderError.tool(path: path, detail: "reading PDF needs pdftotext, which is not installed; install it with `apt-get install poppler-utils` (Debian/Ubuntu) or `brew install poppler` (macOS)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.pdf"), output = dir.appendingPathComponent("out.txt")
        try data.write(to: input)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["-layout", "-enc", "UTF-8", "-q", input.path, output.path]
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        do { try p.run() } catch {
            throw ReaderError.tool(path: path, detail: "cannot run \(tool): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            throw ReaderError.tool(path: path, detail: "pdftotext did not finish within \(Int(timeout)) s; the PDF may be damaged or very large")
        }
        p.waitUntilExit()
        guard p.terminationStatus == 0, let out = try? Data(contentsOf: output) else {
            let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ReaderError.corrupt(path: path, detail: "pdftotext could not read it\(msg.isEmpty ? "" : " (\(msg))")")
        }
        // Pages are separated by form feeds; each line keeps its page and its line on that page.
        var lines: [SourceLine] = []
        var origin: [(page: Int, line: Int)] = []
        let all = String(decoding: out, as: UTF8.self)
        for (pi, page) in all.split(separator: "\u{0C}", omittingEmptySubsequences: false).enumerated() {
            for (li, l) in page.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                lines.append(SourceLine(number: lines.count + 1, text: String(l)))
                origin.append((pi + 1, li + 1))
            }
        }
        if lines.allSatisfy({ FastText.trim($0.text).isEmpty }) {
            throw ReaderError.unsupportedFormat(path: path, detail: "the PDF has no text layer (a scanned image?); ogilint needs the text, not a picture of it")
        }
        let map = origin
        return text.parse(lines: lines, path: path, sourceFormat: "pdf") { line, _ in
            guard line >= 1, line <= map.count else { return SourceLocation() }
            return SourceLocation(line: map[line - 1].line, page: map[line - 1].page)
        }
    }
}
