import Foundation
import OGIModel
import OGIRules

/// One checked input: the report and its findings, or the error that stopped it from being read.
public struct CheckedInput: Sendable {
    public var path: String
    public var report: Report?
    public var findings: [Finding]
    public var error: String?

    public init(path: String, report: Report?, findings: [Finding], error: String?) {
        self.path = path; self.report = report; self.findings = findings; self.error = error
    }
}

/// Totals over a run.
public struct Summary: Sendable, Equatable {
    public var reports: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int
    public var unreadable: Int

    public init(_ inputs: [CheckedInput]) {
        reports = inputs.count
        (errors, warnings, infos) = Summary.counts(inputs.flatMap(\.findings))
        unreadable = inputs.filter { $0.error != nil }.count
    }

    /// Errors, warnings and infos among `findings`.
    public static func counts(_ findings: [Finding]) -> (errors: Int, warnings: Int, infos: Int) {
        var c = (0, 0, 0)
        for f in findings {
            switch f.severity {
            case .error: c.0 += 1
            case .warning: c.1 += 1
            case .info: c.2 += 1
            }
        }
        return c
    }
}

/// The JSON output (keys documented in README, "JSON output").
public enum JSONFormatter {
    public static func format(_ inputs: [CheckedInput], version: String) -> String {
        let s = Summary(inputs)
        let reports: [JSONValue] = inputs.map { input in
            var fields: [(String, JSONValue)] = [("path", .string(input.path))]
            let m = input.report?.metadata
            fields += [
                ("year", .opt(m?.year)),
                ("agency", .opt(m?.agency)),
                ("agency_kind", .opt(m?.agencyKind?.rawValue)),
                ("template", .opt(m?.template)),
                ("findings", .array(input.findings.map(finding))),
            ]
            if let e = input.error { fields.append(("error", .string(e))) }
            return .object(fields)
        }
        let root: JSONValue = .object([
            ("tool", .object([("name", .string("ogilint")), ("version", .string(version))])),
            ("reports", .array(reports)),
            ("summary", .object([("reports", .int(s.reports)), ("errors", .int(s.errors)),
                                 ("warnings", .int(s.warnings)), ("infos", .int(s.infos))])),
        ])
        return root.render() + "\n"
    }

    static func finding(_ f: Finding) -> JSONValue {
        .object([
            ("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)), ("category", .string(f.category.rawValue)),
            ("message", .string(f.message)), ("fix", .opt(f.fix)),
            ("location", .object([("line", .opt(f.location.line)), ("page", .opt(f.location.page)),
                                  ("paragraph", .opt(f.location.paragraph)), ("table", .opt(f.location.table)),
                                  ("row", .opt(f.location.row)), ("column", .opt(f.location.column)),
                                  ("cell", .opt(f.location.cell))])),
        ])
    }
}

/// The human-readable output: findings grouped by file, a per-file table when there are several, then a
/// summary line. Colour only when asked (the CLI asks on a terminal without NO_COLOR).
public enum TextFormatter {
    public static func format(_ inputs: [CheckedInput], color: Bool = false, baselined: Int = 0) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func sev(_ v: Severity) -> String {
            let t = pad(v.rawValue, 8)
            switch v { case .error: return paint(t, "1;31"); case .warning: return paint(t, "33"); case .info: return paint(t, "36") }
        }
        var out = ""
        for input in inputs {
            out += paint(header(input), "1") + "\n"
            if let e = input.error {
                out += "  " + paint("error:", "1;31") + " \(e)\n\n"
                continue
            }
            if input.findings.isEmpty { out += "  " + paint("no findings", "32") + "\n\n"; continue }
            for f in input.findings {
                let line = TextFormatter.position(f.location)
                out += "  \(pad(line, 6))\(sev(f.severity))\(pad(f.rule, 20)) \(f.message)\n"
                let place = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
                if !place.isEmpty { out += "        at: \(place.joined(separator: " › "))\n" }
                if let fix = f.fix { out += "        " + paint("fix:", "32") + " \(fix)\n" }
            }
            out += "\n"
        }
        if inputs.count > 1 {
            let width = min(60, inputs.map { displayWidth($0.path) }.max() ?? 10)
            out += pad("file", width + 2) + "errors  warnings  infos\n"
            for i in inputs {
                let c = Summary.counts(i.findings)
                let e = i.error == nil ? String(c.0) : "unreadable"
                out += pad(i.path, width + 2) + pad(e, 8) + pad(String(c.1), 10) + String(c.2) + "\n"
            }
            out += "\n"
        }
        if baselined > 0 { out += "\(baselined) finding\(baselined == 1 ? "" : "s") listed in the baseline not shown\n" }
        out += summaryLine(Summary(inputs)) + "\n"
        return out
    }

    /// `12` for a line, `p3:12` for a line on a PDF page, `¶7` for a DOCX paragraph, `-` when unknown.
    public static func position(_ l: FindingLocation) -> String {
        if let line = l.line { return l.page.map { "p\($0):\(line)" } ?? "\(line)" }
        if let p = l.paragraph { return "¶\(p)" }
        return "-"
    }

    static func header(_ input: CheckedInput) -> String {
        guard let m = input.report?.metadata else { return input.path }
        var facts: [String] = []
        facts.append(m.year.map { "\($0)年度" } ?? "年度未知")
        if let a = m.agency { facts.append(a) }
        facts.append(m.agencyKind.map { $0 == .government ? "人民政府" : "部门" } ?? "机关类型未知")
        facts.append(m.template.map { "\($0) 年版模板" } ?? "模板未识别")
        return "\(input.path) (\(facts.joined(separator: " · ")))"
    }

    public static func summaryLine(_ s: Summary) -> String {
        var line = "\(s.reports) report\(s.reports == 1 ? "" : "s") checked: \(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.infos) info\(s.infos == 1 ? "" : "s")"
        if s.unreadable > 0 { line += ", \(s.unreadable) unreadable" }
        return line
    }

    static func displayWidth(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }

    /// Pads by display width (CJK characters count double) so columns line up.
    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(1, width - displayWidth(s)))
    }
}
