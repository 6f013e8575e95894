import Foundation
import OGIModel
import OGIRules

/// SARIF 2.1.0, for code-scanning dashboards: every loaded rule in `tool.driver.rules`, each result with
/// its rule index, level, message and physical location (and the table › row › column as a logical one).
public enum SARIFFormatter {
    static func level(_ s: Severity) -> String { s == .info ? "note" : s.rawValue }

    public static func format(_ inputs: [CheckedInput], rules: [Rule], version: String) -> String {
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let driverRules: [JSONValue] = rules.map { r in
            var help = r.fix ?? r.title
            if let ref = r.reference { help += "\n依据：\(ref)" }
            return .object([
                ("id", .string(r.id)),
                ("name", .string(r.id)),
                ("shortDescription", .object([("text", .string(r.title))])),
                ("fullDescription", .object([("text", .string(r.description ?? r.title))])),
                ("help", .object([("text", .string(help))])),
                ("defaultConfiguration", .object([("level", .string(level(r.severity)))])),
                ("properties", .object([("category", .string(r.category.rawValue)), ("tags", .array([.string(r.category.rawValue)]))])),
            ])
        }
        var results: [JSONValue] = []
        var notifications: [JSONValue] = []
        for input in inputs {
            if let e = input.error {
                notifications.append(.object([
                    ("level", .string("error")), ("message", .object([("text", .string(e))])),
                    ("locations", .array([.object([("physicalLocation", .object([("artifactLocation", .object([("uri", .string(uri(input.path)))]))]))])])),
                ]))
            }
            for f in input.findings {
                var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(uri(input.path)))]))]
                if let line = f.location.line, line >= 1 { physical.append(("region", .object([("startLine", .int(line))]))) }
                var location: [(String, JSONValue)] = [("physicalLocation", .object(physical))]
                let logical = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
                if !logical.isEmpty {
                    location.append(("logicalLocations", .array([.object([("name", .string(logical.joined(separator: " › "))),
                                                                         ("fullyQualifiedName", .string(f.location.cell ?? logical.joined(separator: "/")))])])))
                }
                var result: [(String, JSONValue)] = [("ruleId", .string(f.rule))]
                if let i = index[f.rule] { result.append(("ruleIndex", .int(i))) }
                result += [
                    ("level", .string(level(f.severity))),
                    ("message", .object([("text", .string(f.message + (f.fix.map { "\n建议：\($0)" } ?? "")))])),
                    ("locations", .array([.object(location)])),
                    ("properties", .object([("category", .string(f.category.rawValue)), ("fix", .opt(f.fix))])),
                ]
                results.append(.object(result))
            }
        }
        var run: [(String, JSONValue)] = [
            ("tool", .object([("driver", .object([
                ("name", .string("ogilint")), ("version", .string(version)), ("semanticVersion", .string(version)),
                ("rules", .array(driverRules)),
            ]))])),
            ("results", .array(results)),
        ]
        if !notifications.isEmpty {
            run.append(("invocations", .array([.object([("executionSuccessful", .bool(false)), ("toolExecutionNotifications", .array(notifications))])])))
        }
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ]).render() + "\n"
    }

    /// A path as a URI: relative paths as URI references, absolute ones as `file://` URIs (percent-encoded).
    static func uri(_ path: String) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}

/// JUnit XML for GitLab, Jenkins and the like: one test case per rule per report; findings at or above the
/// failure threshold are failures, the rest are reported in the test case's output.
public enum JUnitFormatter {
    public static func format(_ inputs: [CheckedInput], rules: [Rule], failOn: Severity?) -> String {
        var suites = ""
        var total = 0, failures = 0, errors = 0
        for input in inputs {
            var cases = ""
            var suiteFailures = 0
            if let e = input.error {
                errors += 1
                cases += "    <testcase classname=\"\(esc(input.path))\" name=\"read\"><error message=\"\(esc(e))\" type=\"unreadable\"/></testcase>\n"
            }
            for r in rules where input.error == nil {
                let found = input.findings.filter { $0.rule == r.id }
                let failing = found.filter { f in failOn.map { f.severity >= $0 } ?? false }
                cases += "    <testcase classname=\"\(esc(input.path))\" name=\"\(esc(r.id)): \(esc(r.title))\""
                if found.isEmpty { cases += "/>\n"; continue }
                cases += ">\n"
                if !failing.isEmpty {
                    suiteFailures += 1
                    let body = failing.map(detail).joined(separator: "\n")
                    cases += "      <failure message=\"\(esc(failing[0].message))\" type=\"\(failing[0].severity.rawValue)\">\(esc(body))</failure>\n"
                }
                let rest = found.filter { f in !failing.contains(f) }
                if !rest.isEmpty { cases += "      <system-out>\(esc(rest.map(detail).joined(separator: "\n")))</system-out>\n" }
                cases += "    </testcase>\n"
            }
            let count = input.error == nil ? rules.count : 1
            total += count
            failures += suiteFailures
            suites += "  <testsuite name=\"\(esc(input.path))\" tests=\"\(count)\" failures=\"\(suiteFailures)\" errors=\"\(input.error == nil ? 0 : 1)\">\n\(cases)  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ogilint\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"\(errors)\">\n\(suites)</testsuites>\n"
    }

    static func detail(_ f: Finding) -> String {
        var s = "[\(f.severity.rawValue)] \(TextFormatter.position(f.location)) \(f.message)"
        let place = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
        if !place.isEmpty { s += "\n  at: " + place.joined(separator: " › ") }
        if let fix = f.fix { s += "\n  fix: \(fix)" }
        return s
    }

    static func esc(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 cannot carry are dropped.
                if u.value < 0x20 && u != "\n" && u != "\t" && u != "\r" { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

/// GitHub Actions workflow commands: annotations on the files of a pull request.
public enum GitHubFormatter {
    public static func format(_ inputs: [CheckedInput]) -> String {
        var out = ""
        for input in inputs {
            if let e = input.error { out += "::error file=\(prop(input.path)),title=ogilint::\(data(e))\n" }
            for f in input.findings {
                let command = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
                var props = "file=\(prop(input.path))"
                if let line = f.location.line { props += ",line=\(line)" }
                props += ",title=\(prop("\(f.rule) (\(f.category.rawValue))"))"
                var message = f.message
                if let fix = f.fix { message += "\n建议：\(fix)" }
                out += "::\(command) \(props)::\(data(message))\n"
            }
        }
        return out
    }

    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func prop(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// Markdown for pull-request comments and job summaries.
public enum MarkdownFormatter {
    public static func format(_ inputs: [CheckedInput]) -> String {
        let s = Summary(inputs)
        var out = "## ogilint\n\n**\(s.reports)** report\(s.reports == 1 ? "" : "s") checked: **\(s.errors)** error\(s.errors == 1 ? "" : "s"), **\(s.warnings)** warning\(s.warnings == 1 ? "" : "s"), **\(s.infos)** info\(s.infos == 1 ? "" : "s")\n\n"
        if inputs.count > 1 {
            out += "| file | errors | warnings | infos |\n|---|---:|---:|---:|\n"
            for i in inputs {
                let c = Summary.counts(i.findings)
                out += "| `\(cell(i.path))` | \(i.error == nil ? String(c.0) : "unreadable") | \(c.1) | \(c.2) |\n"
            }
            out += "\n"
        }
        for input in inputs {
            out += "### `\(cell(input.path))`\n\n"
            if let e = input.error { out += "> **error:** \(cell(e))\n\n"; continue }
            if input.findings.isEmpty { out += "No findings.\n\n"; continue }
            out += "| | rule | where | finding | fix |\n|---|---|---|---|---|\n"
            for f in input.findings {
                let icon = f.severity == .error ? "❌" : f.severity == .warning ? "⚠️" : "ℹ️"
                var place = TextFormatter.position(f.location)
                let labels = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
                if !labels.isEmpty { place += " " + labels.joined(separator: " › ") }
                out += "| \(icon) | `\(f.rule)` | \(cell(place)) | \(cell(f.message)) | \(cell(f.fix ?? "")) |\n"
            }
            out += "\n"
        }
        return out
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}
