import OGILint
import OGIModel

/// The human-readable output: findings grouped by file, a per-file table when there are several, then a
/// summary line. Colour only when asked. Control characters from reports and file names are shown, never
/// sent to the terminal.
public final class TextFormat: OutputFormat {
    public static let name = "text"
    public static let purpose = "findings grouped by file, for a terminal (the default)"

    let options: OutputOptions
    /// Per-file counts for the closing table, one line per file ("path\tcounts\twarnings\tinfos"; a shown path
    /// holds no tab or newline), spooled so memory stays flat whatever the batch size.
    let rows = Spool()
    /// How many files the closing table lists, and the display width of the widest path (up to 61: wider
    /// paths than the column's 60 are all treated alike).
    var rowCount = 0
    var widestPath = 0
    /// The run's message catalog (`RunStart.messages`): the words of the report facts and the folded line.
    var messages: MessageCatalog?

    public init(options: OutputOptions) { self.options = options }

    func paint(_ s: String, _ code: String) -> String { options.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func sev(_ v: Severity) -> String {
        let t = TextLayout.pad(v.rawValue, 8)
        switch v {
        case .error: return paint(t, "1;31");
        case .warning: return paint(t, "33");
        case .info: return paint(t, "36")
        }
    }

    public func begin(_ run: RunStart, to out: OutputSink) throws { messages = run.messages }

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        let c = RunSummary.counts(input.findings)
        let path = TextLayout.visible(input.path, keepNewlines: false)
        try rows.write("\(path)\t\(input.error == nil ? String(c.errors) : "unreadable")\t\(c.warnings)\t\(c.infos)\n")
        rowCount += 1
        widestPath = max(widestPath, min(61, TextLayout.displayWidth(path)))
        var text = paint(Self.header(input, messages: messages), "1") + "\n"
        if let e = input.error {
            text += "  " + paint("error:", "1;31") + " \(TextLayout.visible(e.description))\n\n"
        } else if input.findings.isEmpty {
            text += "  " + paint("no findings", "32") + "\n\n"
        } else {
            let ruleWidth = max(20, (input.findings.map { TextLayout.displayWidth($0.rule) }.max() ?? 0) + 1)
            for f in input.findings {
                let line = TextLayout.position(f.location, in: input.report)
                text +=
                    "  \(TextLayout.pad(line, 6))\(sev(f.severity))\(TextLayout.pad(TextLayout.visible(f.rule), ruleWidth)) \(TextLayout.visible(f.message))\n"
                let place = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
                if !place.isEmpty { text += "        at: \(TextLayout.visible(place.joined(separator: " › ")))\n" }
                if let fix = f.fix { text += "        " + paint("fix:", "32") + " \(TextLayout.visible(fix))\n" }
                if !f.related.isEmpty { text += "        " + Self.folded(f.related, messages: messages) + "\n" }
            }
            text += "\n"
        }
        try out.write(text)
    }

    public func finish(_ s: RunSummary, to out: OutputSink) throws {
        var text = ""
        if rowCount > 1 {
            let width = min(60, widestPath)
            text += TextLayout.pad("file", width + 2) + "errors  warnings  infos\n"
            try rows.forEachLine { line in
                let r = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                // A path longer than the column goes on a line of its own, and its counts under the column.
                let name =
                    TextLayout.displayWidth(r[0]) > width
                    ? r[0] + "\n" + String(repeating: " ", count: width + 2) : TextLayout.pad(r[0], width + 2)
                text += name + TextLayout.pad(r[1], 8) + TextLayout.pad(r[2], 10) + r[3] + "\n"
                if text.utf8.count >= 1 << 16 {
                    try out.write(text)
                    text = ""
                }
            }
            text += "\n"
        }
        if s.baselined > 0 { text += "\(s.baselined) finding\(s.baselined == 1 ? "" : "s") listed in the baseline not shown\n" }
        text += Self.summaryLine(s) + "\n"
        try out.write(text)
    }

    /// The file's line: its path, then what was read of the report (year, agency, its kind, template), worded by
    /// the catalog's `output.header.*` keys; the path alone without a catalog or a report.
    static func header(_ input: CheckedInput, messages: MessageCatalog?) -> String {
        let path = TextLayout.visible(input.path, keepNewlines: false)
        guard let m = input.report?.metadata, let c = messages else { return path }
        var facts: [String] = []
        facts.append(m.year.map { c.text("output.header.year", ["year": String($0)]) } ?? c.text("output.header.year_unknown"))
        if let a = m.agency { facts.append(a) }
        facts.append(m.agencyKind.map { c.text("agency_kind.\($0.rawValue)") } ?? c.text("output.header.agency_kind_unknown"))
        facts.append(m.template.map { c.text("output.header.template", ["template": $0]) } ?? c.text("output.header.template_unknown"))
        return "\(path) (\(TextLayout.visible(facts.joined(separator: " · "), keepNewlines: false)))"
    }

    public static func summaryLine(_ s: RunSummary) -> String {
        var line =
            "\(s.reports) report\(s.reports == 1 ? "" : "s") checked: \(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.infos) info\(s.infos == 1 ? "" : "s")"
        if s.unreadable > 0 { line += ", \(s.unreadable) unreadable" }
        if s.skippedFiles + s.skippedFolders > 0 {
            var parts: [String] = []
            if s.skippedFiles > 0 { parts.append("\(s.skippedFiles) file\(s.skippedFiles == 1 ? "" : "s")") }
            if s.skippedFolders > 0 { parts.append("\(s.skippedFolders) folder\(s.skippedFolders == 1 ? "" : "s")") }
            line += "; skipped \(parts.joined(separator: " and ")) in scanned folders (hidden, build output or not reports)"
        }
        if s.notReports > 0 {
            line +=
                "; left out \(s.notReports) file\(s.notReports == 1 ? "" : "s") in scanned folders that \(s.notReports == 1 ? "is" : "are") not an annual report (NOT-A-REPORT; name a file to check it)"
        }
        return line
    }

    /// The line under a root finding that counts what was folded under it (listed in full in JSON and SARIF),
    /// worded by the catalog's `output.folded.*` keys (without a catalog: the count and the rule ids).
    static func folded(_ related: [Finding], messages: MessageCatalog?) -> String {
        var ids: [String] = []
        for r in related where !ids.contains(r.rule) { ids.append(r.rule) }
        guard let c = messages else { return "(+\(related.count): \(TextLayout.visible(ids.joined(separator: ", "))))" }
        let unchecked = related.allSatisfy { $0.category == .extraction || $0.category == .completeness }
        let values = ["count": String(related.count), "rules": ids.joined(separator: c.text("separator.list"))]
        // Shown on one line whatever a province's catalog holds (its words are not trusted with control characters).
        return TextLayout.visible(c.text(unchecked ? "output.folded.unchecked" : "output.folded.same_cause", values), keepNewlines: false)
    }
}
