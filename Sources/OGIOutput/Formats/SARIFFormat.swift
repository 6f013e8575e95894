import Foundation
import OGILint
import OGIModel
import OGIRules

/// SARIF 2.1.0, for code-scanning dashboards: every loaded rule in `tool.driver.rules`, each result with
/// its rule index, level, message and physical location (and the table › row › column as a logical one).
/// Results are written as they come; inputs that could not be read are listed at the end as notifications.
public final class SARIFFormat: OutputFormat {
    public static let name = "sarif"
    public static let purpose = "SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning)"

    let options: OutputOptions
    var index: [String: Int] = [:]
    var written = 0
    var notifications: [JSONValue] = []

    public init(options: OutputOptions) { self.options = options }

    static func level(_ s: Severity) -> String { s == .info ? "note" : s.rawValue }

    public func begin(_ run: RunStart, to out: OutputSink) throws {
        index = Dictionary(run.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let driverRules: [JSONValue] = run.rules.map { r in
            .object([
                ("id", .string(r.id)),
                ("name", .string(r.id)),
                ("shortDescription", .object([("text", .string(Self.general(r.title)))])),
                ("fullDescription", .object([("text", .string(Self.general(r.description ?? r.title)))])),
                ("help", .object([("text", .string(Self.help(r)))])),
                ("defaultConfiguration", .object([("level", .string(Self.level(r.severity)))])),
                ("properties", .object([("category", .string(r.category.rawValue)), ("tags", .array([.string(r.category.rawValue)]))])),
            ])
        }
        let tool = JSONValue.object([
            (
                "driver",
                .object([
                    ("name", .string("ogilint")), ("version", .string(options.version)), ("semanticVersion", .string(options.version)),
                    ("rules", .array(driverRules)),
                ])
            )
        ])
        try out.write(
            "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": \(tool.render(indent: 3)),\n      \"results\": "
        )
    }

    /// The rule's help text: what it checks, what to do, then the legal basis. Rule texts name values of one
    /// finding (`{col}`, `{sum}`); said of the rule in general, each such placeholder becomes "…".
    static func help(_ r: Rule) -> String {
        var help = general(r.description ?? r.title)
        if let fix = r.fix { help += "\n建议：\(general(fix))" }
        if let ref = r.reference { help += "\n依据：\(ref)" }
        return help
    }

    /// `text` with every `{placeholder}` replaced by "…".
    static func general(_ text: String) -> String {
        guard text.contains("{") else { return text }
        return text.replacing(/\{[A-Za-z_][A-Za-z0-9_]*\}/, with: "…")
    }

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        if let e = input.error {
            notifications.append(
                .object([
                    ("level", .string("error")), ("message", .object([("text", .string(e.description))])),
                    (
                        "locations",
                        .array([
                            .object([
                                ("physicalLocation", .object([("artifactLocation", .object([("uri", .string(Self.uri(input.path)))]))]))
                            ])
                        ])
                    ),
                ]))
        }
        func locationOf(_ f: Finding) -> [(String, JSONValue)] {
            var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(Self.uri(input.path)))]))]
            if let line = f.location.line, line >= 1 { physical.append(("region", .object([("startLine", .int(line))]))) }
            var location: [(String, JSONValue)] = [("physicalLocation", .object(physical))]
            let logical = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
            if !logical.isEmpty {
                location.append(
                    (
                        "logicalLocations",
                        .array([
                            .object([
                                ("name", .string(logical.joined(separator: " › "))),
                                ("fullyQualifiedName", .string(f.location.cell ?? logical.joined(separator: "/"))),
                            ])
                        ])
                    ))
            }
            return location
        }
        for f in input.findings {
            let location = locationOf(f)
            var result: [(String, JSONValue)] = [("ruleId", .string(f.rule))]
            if let i = index[f.rule] { result.append(("ruleIndex", .int(i))) }
            result += [
                ("level", .string(Self.level(f.severity))),
                ("message", .object([("text", .string(f.message + (f.fix.map { "\n建议：\($0)" } ?? "")))])),
                ("locations", .array([.object(location)])),
            ]
            // What the same root cause made fail or impossible, folded under this result.
            if !f.related.isEmpty {
                result.append(
                    (
                        "relatedLocations",
                        .array(
                            f.related.enumerated().map { i, r in
                                .object(
                                    [("id", .int(i + 1))] + locationOf(r) + [
                                        ("message", .object([("text", .string("\(r.rule): \(r.message)"))]))
                                    ])
                            })
                    ))
            }
            var properties: [(String, JSONValue)] = [("category", .string(f.category.rawValue)), ("fix", .opt(f.fix))]
            if let sg = f.suggestion {
                properties.append(
                    (
                        "suggestion",
                        .object([
                            ("cell", .string(sg.cell)), ("value", .opt(sg.value.map(ExactDecimal.format))),
                            ("suggested_value", .string(ExactDecimal.format(sg.suggestedValue))),
                        ])
                    ))
            }
            result.append(("properties", .object(properties)))
            var text = written == 0 ? "[\n        " : ",\n        "
            JSONValue.object(result).render(into: &text, indent: 4)
            try out.write(text)
            written += 1
        }
    }

    public func finish(_ summary: RunSummary, to out: OutputSink) throws {
        var text = written == 0 ? "[]" : "\n      ]"
        if !notifications.isEmpty {
            let invocations = JSONValue.array([
                .object([("executionSuccessful", .bool(false)), ("toolExecutionNotifications", .array(notifications))])
            ])
            text += ",\n      \"invocations\": \(invocations.render(indent: 3))"
        }
        try out.write(text + "\n    }\n  ]\n}\n")
    }

    /// A path as a URI: relative paths as URI references, absolute ones as `file://` URIs (percent-encoded).
    static func uri(_ path: String) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
