import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIReaders
import OGIRules

// The one file that calls into the rest of ogilint. Everything else in OGIServer speaks HTTP and
// works with the plain values defined here, so changes to the CLI, the session or the formatters
// touch only this adapter.

/// One uploaded file: the name the client gave (a label only, never a path on the server) and its bytes.
public struct Upload: Sendable {
    public var name: String
    public var data: Data
    public init(name: String, data: Data) { self.name = name; self.data = data }
}

/// The output formats the API can return, each exactly as `ogilint check --format NAME` writes it.
public enum ServedFormat: String, Sendable, CaseIterable {
    case json, sarif, markdown, html

    var contentType: String {
        switch self {
        case .json: "application/json; charset=utf-8"
        case .sarif: "application/sarif+json; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }

    var fileExtension: String {
        switch self {
        case .json: "json";
        case .sarif: "sarif";
        case .markdown: "md";
        case .html: "html"
        }
    }
}

/// Why one file could not be checked; `kind` decides the HTTP status when it is the only file.
public struct ReadFailure: Error, Sendable {
    public enum Kind: Sendable { case tooLarge, unsupported, unreadable }
    public var kind: Kind
    public var message: String
}

/// The outcome of checking a batch: an opaque value the formatters turn into documents.
public struct CheckedBatch: Sendable {
    let inputs: [CheckedInput]
    /// Per input, the reason it was not read (nil when it was).
    public let failures: [ReadFailure?]
    public var count: Int { inputs.count }
}

/// Rules loaded once, then any number of uploads checked in memory.
public final class LintService: Sendable {
    let linter: Linter

    /// The largest file accepted, in bytes (`--max-size`).
    public var maxFileBytes: Int { linter.options.maxInputBytes }

    /// Loads the bundled rules (or `rulesRoot`), the extra packs and the configuration, once.
    /// Throws a message that says what to fix when the rules or the configuration are invalid.
    public init(rulesRoot: String?, extraRules: [String] = [], configPath: String? = nil, maxFileBytes: Int) throws {
        guard let root = rulesRoot ?? BundledRules.locate() else {
            throw ServiceSetupError(
                message: "cannot find the bundled rules folder; pass --rules-root DIR or set OGILINT_RULES to the rules/ folder of ogilint")
        }
        do {
            let configuration = try configPath.map { try LintConfiguration.load($0) }
            let options = LintOptions(agencyKind: configuration?.agencyKind, year: configuration?.year, maxInputBytes: maxFileBytes)
            linter = try Linter(ruleDirectories: [root] + extraRules, options: options, configuration: configuration)
        } catch let e as RulePackError {
            throw ServiceSetupError(message: "invalid rule pack or configuration: \(e)")
        } catch {
            throw ServiceSetupError(message: "\(error)")
        }
    }

    // MARK: Checking

    /// Reads and checks each upload in memory, in order. Never throws: an unreadable file becomes an
    /// entry with its error, as in `ogilint check`.
    public func check(_ uploads: [Upload]) -> CheckedBatch {
        var inputs: [CheckedInput] = []
        var failures: [ReadFailure?] = []
        for upload in uploads {
            let (input, failure) = checkOne(upload)
            inputs.append(input); failures.append(failure)
        }
        return CheckedBatch(inputs: inputs, failures: failures)
    }

    func checkOne(_ upload: Upload) -> (CheckedInput, ReadFailure?) {
        do {
            let report = try linter.read(path: upload.name, data: upload.data)
            let findings = suppressed(linter.check(report), path: upload.name)
            return (CheckedInput(path: upload.name, report: report, findings: findings, error: nil), nil)
        } catch {
            let message = "\(error)"
            let kind: ReadFailure.Kind
            if upload.data.count > linter.options.maxInputBytes {
                kind = .tooLarge
            } else if case ReaderError.unsupportedFormat = error {
                kind = .unsupported
            } else {
                kind = .unreadable
            }
            return (
                CheckedInput(path: upload.name, error: InputError(path: upload.name, error: error)),
                ReadFailure(kind: kind, message: message)
            )
        }
    }

    /// The configuration's suppressions, matched against the upload's name as `check` matches a path.
    func suppressed(_ findings: [Finding], path: String) -> [Finding] {
        guard let conf = linter.configuration, !conf.suppress.isEmpty else { return findings }
        return findings.filter { f in !conf.suppress.contains { $0.covers(f, path: path) } }
    }

    /// The batch written as `ogilint check --format NAME` writes it; `only` picks one input.
    public func document(_ batch: CheckedBatch, format: ServedFormat, only: Int? = nil) -> String {
        var inputs = batch.inputs
        if let only, inputs.indices.contains(only) { inputs = [inputs[only]] }
        switch format {
        case .json: return JSONFormatter.format(inputs, version: OGILintVersion.string)
        case .sarif: return SARIFFormatter.format(inputs, rules: linter.ruleSet.rules, version: OGILintVersion.string)
        case .markdown: return MarkdownFormatter.format(inputs)
        case .html: return HTMLReportFormatter.format(inputs, templates: linter.ruleSet.templates, version: OGILintVersion.string)
        }
    }

    // MARK: What the page draws

    /// For the page: the check document plus, per report, the model (metadata, text, cells) and the
    /// layout of its template, so the tables can be drawn as the template lays them out.
    public func pageDocument(_ batch: CheckedBatch) -> String {
        let check = document(batch, format: .json)
        let details: [JSONValue] = batch.inputs.map { input in
            guard let report = input.report else { return .null }
            let template = linter.ruleSet.templates.layout(for: report)
            return .object([
                ("metadata", metadata(report.metadata)),
                ("deadline", .opt(deadlineRule(for: report.metadata.agencyKind)?.title)),
                ("template_title", .opt(template?.title)),
                ("text", .array(paragraphs(report))),
                ("tables", .array(report.tables.map(table))),
                ("layout", .array((template?.tables ?? []).map(layout))),
            ])
        }
        return "{\n  \"check\": " + check.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\n  ")
            + ",\n  \"details\": " + JSONValue.array(details).render(indent: 1) + "\n}\n"
    }

    func metadata(_ m: Metadata) -> JSONValue {
        .object([
            ("title", .opt(m.title)), ("year", .opt(m.year)), ("agency", .opt(m.agency)),
            ("agency_kind", .opt(m.agencyKind?.rawValue)), ("template", .opt(m.template)),
            ("published", .opt(m.published?.description)),
            ("period_start", .opt(m.periodStart?.description)), ("period_end", .opt(m.periodEnd?.description)),
        ])
    }

    /// The timeliness rule that sets the publication deadline for this kind of agency (its title states it).
    func deadlineRule(for kind: AgencyKind?) -> Rule? {
        guard let kind else { return nil }
        return linter.ruleSet.rules.first { r in
            guard r.category == .timeliness, let when = r.when?.description else { return false }
            return when.contains("agency_kind == \"\(kind.rawValue)\"")
        }
    }

    func paragraphs(_ report: Report) -> [JSONValue] {
        var out: [JSONValue] = []
        func add(_ p: Paragraph, heading: Bool) {
            out.append(
                .object([
                    ("text", .string(p.text)), ("heading", .bool(heading)),
                    ("line", .opt(p.location?.line)), ("page", .opt(p.location?.page)),
                    ("paragraph", .opt(p.location?.paragraph)),
                ]))
        }
        for p in report.preamble { add(p, heading: false) }
        for part in report.parts {
            add(Paragraph(text: part.heading, location: part.location), heading: true)
            for p in part.paragraphs { add(p, heading: false) }
        }
        return out
    }

    func table(_ t: Table) -> JSONValue {
        .object([
            ("key", .string(t.key)), ("title", .opt(t.title)), ("line", .opt(t.location?.line)),
            (
                "rows",
                .array(
                    t.rows.map { r in
                        .object([
                            ("key", .string(r.key)), ("label", .string(r.label)), ("line", .opt(r.location?.line)),
                            (
                                "cells",
                                .array(
                                    r.cells.map { c in
                                        .object([
                                            ("column", .string(c.column)), ("raw", .string(c.raw)), ("state", .string(c.state.rawValue)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
        ])
    }

    func layout(_ t: TableSpec) -> JSONValue {
        .object([
            ("key", .string(t.key)), ("title", .string(t.title)), ("part", .string(t.part)), ("group", .opt(t.group)),
            (
                "columns",
                .array(
                    t.columns.map { c in
                        .object([
                            ("key", .string(c.key)), ("label", .string(c.label)), ("kind", .string(c.kind.rawValue)),
                            ("unit", .opt(c.unit)),
                        ])
                    })
            ),
            (
                "rows",
                .array(
                    t.rows.map { r in
                        .object([("key", .string(r.key)), ("label", .string(r.label)), ("unlabeled", .bool(r.unlabeled))])
                    })
            ),
        ])
    }

    // MARK: Rules

    /// Every loaded rule, in pack order, as JSON.
    public func rulesDocument() -> String {
        JSONValue.object([("rules", .array(linter.ruleSet.rules.map(ruleSummary)))]).render() + "\n"
    }

    /// One rule explained (what it checks, the reference, the fix), or nil for an unknown id.
    public func ruleDocument(id: String) -> String? {
        guard let r = linter.ruleSet.rule(id) else { return nil }
        guard case .object(var fields) = ruleSummary(r) else { return nil }
        fields += [
            ("description", .opt(r.description)), ("fix", .opt(r.fix)), ("kind", .string(type(of: r.kind).name)),
            ("applies_when", .opt(r.when?.description)),
            (
                "checks",
                .array(RuleListFormatter.facts(r, code: { $0 }).map { .object([("label", .string($0.0)), ("text", .string($0.1))]) })
            ),
            ("explanation", .string(RuleListFormatter.explain(r))),
        ]
        return JSONValue.object(fields).render() + "\n"
    }

    func ruleSummary(_ r: Rule) -> JSONValue {
        .object([
            ("id", .string(r.id)), ("title", .string(r.title)), ("severity", .string(r.severity.rawValue)),
            ("category", .string(r.category.rawValue)), ("reference", .opt(r.reference)),
        ])
    }

    /// Version of ogilint, for /healthz.
    public static var version: String { OGILintVersion.string }
}

/// The rules or the configuration could not be loaded; the message says what to fix.
public struct ServiceSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
