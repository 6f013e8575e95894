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
        var json = JSONBuffer(text: written == 0 ? "[\n    " : ",\n    ", indent: 2)
        Self.write(input, into: &json)
        try out.write(json.text)
        written += 1
    }

    /// One report's object, written straight into `json` (what rendering `report(input)` writes).
    static func write(_ input: CheckedInput, into json: inout JSONBuffer) {
        let m = input.report?.metadata
        json.open("{")
        json.plainKey("path"); json.string(input.path)
        json.plainKey("year"); json.int(m?.year)
        json.plainKey("agency"); json.string(m?.agency)
        json.plainKey("agency_kind"); json.string(m?.agencyKind?.rawValue)
        json.plainKey("template"); json.string(m?.template)
        json.plainKey("findings")
        json.open("[")
        for f in input.findings {
            json.element()
            write(f, into: &json)
        }
        json.close("]")
        if let e = input.error { json.plainKey("error"); json.string(e.description) }
        if input.isConfiguration { json.plainKey("configuration"); json.bool(true) }
        json.close("}")
    }

    /// A finding's object, as rendering `finding(f)` writes it.
    static func write(_ f: Finding, into json: inout JSONBuffer) {
        json.open("{")
        json.plainKey("rule"); json.string(f.rule)
        json.plainKey("severity"); json.string(f.severity.rawValue)
        json.plainKey("category"); json.string(f.category.rawValue)
        json.plainKey("message"); json.string(f.message)
        json.plainKey("fix"); json.string(f.fix)
        json.plainKey("location"); write(f.location, into: &json)
        if let sg = f.suggestion {
            json.plainKey("suggestion")
            json.open("{")
            json.plainKey("cell"); json.string(sg.cell)
            json.plainKey("location"); write(sg.location, into: &json)
            json.plainKey("value"); json.string(sg.value.map(ExactDecimal.format))
            json.plainKey("suggested_value"); json.string(ExactDecimal.format(sg.suggestedValue))
            json.close("}")
        }
        if !f.related.isEmpty {
            json.plainKey("related")
            json.open("[")
            for r in f.related {
                json.element()
                write(r, into: &json)
            }
            json.close("]")
        }
        json.close("}")
    }

    /// A location's object, as rendering `location(l)` writes it.
    static func write(_ l: FindingLocation, into json: inout JSONBuffer) {
        json.open("{")
        json.plainKey("line"); json.int(l.line)
        json.plainKey("page"); json.int(l.page)
        json.plainKey("paragraph"); json.int(l.paragraph)
        json.plainKey("table"); json.string(l.table)
        json.plainKey("row"); json.string(l.row)
        json.plainKey("column"); json.string(l.column)
        json.plainKey("cell"); json.string(l.cell)
        json.close("}")
    }

    /// One report as a `JSONValue` (the tree `write(_:into:)` writes without building; kept for the tests that
    /// compare the two).
    static func report(_ input: CheckedInput) -> JSONValue {
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
        return .object(fields)
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
