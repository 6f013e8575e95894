import OGILint
import OGIModel

/// Markdown for pull-request comments and job summaries: totals, a per-file table, then each file's
/// findings. Text from reports is escaped, so it cannot inject HTML or break out of a code span or a table.
public final class MarkdownFormat: OutputFormat {
    public static let name = "markdown"
    public static let purpose = "Markdown for pull-request comments and job summaries"

    var rows: [String] = []
    let sections = Spool()

    public init(options: OutputOptions) {}

    public func begin(_ run: RunStart, to out: OutputSink) throws {}

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        let c = RunSummary.counts(input.findings)
        rows.append("| \(Self.code(input.path)) | \(input.error == nil ? String(c.errors) : "unreadable") | \(c.warnings) | \(c.infos) |\n")
        var text = "### \(Self.code(input.path))\n\n"
        if let e = input.error {
            text += "> **error:** \(Self.cell(e.description))\n\n"
        } else if input.findings.isEmpty {
            text += "No findings.\n\n"
        } else {
            text += "| | rule | where | finding | fix |\n|---|---|---|---|---|\n"
            for f in input.findings {
                let icon = f.severity == .error ? "❌" : f.severity == .warning ? "⚠️" : "ℹ️"
                var place = TextLayout.position(f.location)
                let labels = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
                if !labels.isEmpty { place += " " + labels.joined(separator: " › ") }
                text += "| \(icon) | \(Self.code(f.rule)) | \(Self.cell(place)) | \(Self.cell(f.message)) | \(Self.cell(f.fix ?? "")) |\n"
            }
            text += "\n"
        }
        try sections.write(text)
    }

    public func finish(_ s: RunSummary, to out: OutputSink) throws {
        var text =
            "## ogilint\n\n**\(s.reports)** report\(s.reports == 1 ? "" : "s") checked: **\(s.errors)** error\(s.errors == 1 ? "" : "s"), **\(s.warnings)** warning\(s.warnings == 1 ? "" : "s"), **\(s.infos)** info\(s.infos == 1 ? "" : "s")\n\n"
        if rows.count > 1 {
            text += "| file | errors | warnings | infos |\n|---|---:|---:|---:|\n" + rows.joined() + "\n"
        }
        try out.write(text)
        try sections.copy(to: out)
    }

    /// Text in a table cell: HTML markup, Markdown emphasis, links and code delimiters escaped, so the text
    /// shows as written; line breaks as `<br>`.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(ch)
            case "\r": continue
            case "\n": out += "<br>"
            default:
                if ch.value < 0x20 || (0x7F..<0xA0).contains(ch.value) { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `s` as a code span: fenced with more backticks than any run inside it (padded with spaces when it
    /// starts or ends with one), `|` escaped for tables, line breaks and control characters left out.
    static func code(_ s: String) -> String {
        let clean = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) }))
        var longest = 0, run = 0
        for ch in clean { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = clean.hasPrefix("`") || clean.hasSuffix("`") ? " " : ""
        return fence + pad + clean.replacingOccurrences(of: "|", with: "\\|") + pad + fence
    }
}
