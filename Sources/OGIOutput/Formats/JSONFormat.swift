import Foundation
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
        try json.withBytes { try out.write(bytes: $0) }
        written += 1
    }

    /// One report's object, written straight into `json`.
    static func write(_ input: CheckedInput, into json: inout JSONBuffer) {
        let m = input.report?.metadata
        json.open("{")
        json.plainKey("path"); json.string(input.path)
        json.plainKey("year"); json.int(m?.year)
        json.plainKey("agency"); json.string(m?.agency)
        json.plainKey("agency_kind"); json.string(m?.agencyKind?.rawValue)
        json.plainKey("template"); json.string(m?.template)
        json.plainKey("findings"); write(input.findings, into: &json)
        if let e = input.error { json.plainKey("error"); json.string(e.description) }
        if input.isConfiguration { json.plainKey("configuration"); json.bool(true) }
        json.close("}")
    }

    /// A finding's object (with the findings folded under it).
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
        if !f.related.isEmpty { json.plainKey("related"); write(f.related, into: &json) }
        json.close("}")
    }

    /// An array of findings' objects.
    static func write(_ findings: [Finding], into json: inout JSONBuffer) {
        json.open("[")
        for f in findings {
            json.element()
            write(f, into: &json)
        }
        json.close("]")
    }

    /// A location's object.
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

    public func finish(_ s: RunSummary, to out: OutputSink) throws {
        let summary = JSONValue.object([
            ("reports", .int(s.reports)), ("errors", .int(s.errors)),
            ("warnings", .int(s.warnings)), ("infos", .int(s.infos)),
            ("skipped_files", .int(s.skippedFiles)), ("skipped_folders", .int(s.skippedFolders)),
            ("skipped_not_reports", .int(s.notReports)),
        ])
        try out.write((written == 0 ? "[]" : "\n  ]") + ",\n  \"summary\": \(summary.render(indent: 1))\n}\n")
    }
}
