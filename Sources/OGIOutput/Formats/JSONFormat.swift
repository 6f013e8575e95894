import OGILint
import OGIModel

/// The JSON output (keys documented in README, "JSON output"), written report by report.
public final class JSONFormat: OutputFormat {
    public static let name = "json"
    public static let purpose = "one document with every report, finding and the totals, for scripts"

    let options: OutputOptions
    var written = 0

    public init(options: OutputOptions) { self.options = options }

    public func begin(_ run: RunStart, to out: OutputSink) throws {
        let tool = JSONValue.object([("name", .string("ogilint")), ("version", .string(options.version))])
        try out.write("{\n  \"tool\": \(tool.render(indent: 1)),\n  \"reports\": ")
    }

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        var fields: [(String, JSONValue)] = [("path", .string(input.path))]
        let m = input.report?.metadata
        fields += [
            ("year", .opt(m?.year)),
            ("agency", .opt(m?.agency)),
            ("agency_kind", .opt(m?.agencyKind?.rawValue)),
            ("template", .opt(m?.template)),
            ("findings", .array(input.findings.map(Self.finding))),
        ]
        if let e = input.error { fields.append(("error", .string(e.description))) }
        if input.isConfiguration { fields.append(("configuration", .bool(true))) }
        var text = written == 0 ? "[\n    " : ",\n    "
        JSONValue.object(fields).render(into: &text, indent: 2)
        try out.write(text)
        written += 1
    }

    public func finish(_ s: RunSummary, to out: OutputSink) throws {
        let summary = JSONValue.object([
            ("reports", .int(s.reports)), ("errors", .int(s.errors)),
            ("warnings", .int(s.warnings)), ("infos", .int(s.infos)),
            ("skipped_files", .int(s.skippedFiles)), ("skipped_folders", .int(s.skippedFolders)),
            ("skipped_not_reports", .int(s.notReports)),
        ])
        try out.write((written == 0 ? "[]" : "\n  ]") + ",\n  \"summary\": \(summary.render(indent: 1))\n}\n")
    }

    static func finding(_ f: Finding) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)), ("category", .string(f.category.rawValue)),
            ("message", .string(f.message)), ("fix", .opt(f.fix)), ("location", location(f.location)),
        ]
        // The cell to change and the value the table's sums call for (only when the engine names one).
        if let sg = f.suggestion {
            fields.append(
                (
                    "suggestion",
                    .object([
                        ("cell", .string(sg.cell)), ("location", location(sg.location)),
                        ("value", .opt(sg.value.map(ExactDecimal.format))),
                        ("suggested_value", .string(ExactDecimal.format(sg.suggestedValue))),
                    ])
                ))
        }
        // Findings with the same root cause, folded under this one (only when there are any).
        if !f.related.isEmpty { fields.append(("related", .array(f.related.map(finding)))) }
        return .object(fields)
    }

    static func location(_ l: FindingLocation) -> JSONValue {
        .object([
            ("line", .opt(l.line)), ("page", .opt(l.page)), ("paragraph", .opt(l.paragraph)), ("table", .opt(l.table)),
            ("row", .opt(l.row)), ("column", .opt(l.column)), ("cell", .opt(l.cell)),
        ])
    }
}
