import Foundation
import OGIModel
import Yams

/// Reads a submitted report model (YAML or JSON, format `ogilint_model: 1`) into a `Report`,
/// checking every table, row and column key against the templates.
public struct ModelReader: ReportReader {
    /// The two notations of a model.
    public enum Syntax: String, Sendable { case yaml, json }

    let ctx: ReaderContext
    let budget: ReadBudget
    /// The notation this reader claims; `read(path:data:json:)` reads either.
    public let syntax: Syntax

    public init(context: ReaderContext, budget: ReadBudget = ReadBudget(), syntax: Syntax = .yaml) {
        self.ctx = context; self.budget = budget; self.syntax = syntax
    }

    public var name: String { syntax == .json ? "json-model" : "yaml-model" }
    public var extensions: [String] { syntax == .json ? ["json"] : ["yml", "yaml"] }
    public func claim(_ input: InputSniffer) -> ReaderClaim {
        if extensions.contains(input.pathExtension) { return .declared }
        switch syntax {
        case .json: return input.trimmedText.hasPrefix("{") && input.lowercasedText.contains("\"ogilint_model\"") ? .declared : .none
        case .yaml: return input.trimmedText.hasPrefix("ogilint_model:") ? .declared : .none
        }
    }

    public func read(path: String, data: Data) throws -> Report {
        try read(path: path, data: data, json: syntax == .json)
    }

    /// The model as submitted: every field optional except the format marker.
    struct Document: Decodable {
        var ogilint_model: Int?
        var metadata: Metadata?
        var preamble: [Paragraph]?
        var parts: [PartDoc]?
        var tables: [Table]?
    }

    struct PartDoc: Decodable {
        var key: String
        var heading: String?
        var location: SourceLocation?
        var paragraphs: [Paragraph]?
    }

    public func read(path: String, data: Data, json: Bool) throws -> Report {
        let doc: Document
        do {
            if json {
                doc = try JSONDecoder().decode(Document.self, from: data)
            } else {
                let (text, _) = try TextDecoding.decode(data, path: path)
                doc = try YAMLDecoder().decode(Document.self, from: text)
            }
        } catch let e as ReaderError {
            throw e
        } catch let DecodingError.dataCorrupted(c) where c.underlyingError is YamlError {
            let (line, problem) = Self.yamlProblem(c.underlyingError)
            throw ReaderError.invalidModel(path: path, line: line, problem: "YAML syntax error: \(problem)")
        } catch let DecodingError.dataCorrupted(c) {
            throw ReaderError.invalidModel(path: path, line: Self.line(c.underlyingError), problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let DecodingError.keyNotFound(k, c) {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): missing required key '\(k.stringValue)'")
        } catch let DecodingError.typeMismatch(_, c) {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let DecodingError.valueNotFound(_, c) {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            throw ReaderError.invalidModel(path: path, line: mark.line, problem: "YAML syntax error: \(problem)")
        } catch {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(error)")
        }
        guard let version = doc.ogilint_model else {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "missing 'ogilint_model: \(Report.formatVersion)' at the top; is this a report model?")
        }
        guard version == Report.formatVersion else {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "model format \(version) is not supported; this ogilint reads format \(Report.formatVersion)")
        }
        let profile = ctx.templates.profile
        var meta = doc.metadata ?? Metadata()
        if meta.agencyKind != nil, meta.agencyKindSource == nil { meta.agencyKindSource = "model" }
        if meta.agencyKind == nil, let a = meta.agency, let k = ctx.agencyKind(forName: a) {
            meta.agencyKind = k; meta.agencyKindSource = "name"
        }
        if meta.year == nil { meta.year = meta.titleYear ?? meta.periodEnd?.year }
        if let t = meta.template, ctx.templates.template(t) == nil {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "metadata.template '\(t)' is unknown; expected one of: \(ctx.templates.templates.map(\.id).joined(separator: ", "))")
        }
        var parts: [Part] = []
        for p in doc.parts ?? [] {
            guard let spec = profile.parts.first(where: { $0.key == p.key }) else {
                throw ReaderError.invalidModel(path: path, line: nil, problem: "parts: unknown part key '\(p.key)'; expected one of: \(profile.parts.map(\.key).joined(separator: ", "))")
            }
            parts.append(Part(number: spec.number, key: spec.key, heading: p.heading ?? spec.title, location: p.location, paragraphs: p.paragraphs ?? []))
        }
        let layout = meta.template.flatMap { ctx.templates.template($0) } ?? meta.year.flatMap { ctx.templates.template(forYear: $0) }
        var tables: [Table] = []
        for var t in doc.tables ?? [] {
            let specs = ctx.templates.templates.compactMap { $0.table(t.key) }
            guard !specs.isEmpty else {
                let all = Set(ctx.templates.templates.flatMap { $0.tables.map(\.key) }).sorted()
                throw ReaderError.invalidModel(path: path, line: nil, problem: "tables: unknown table key '\(t.key)'; expected one of: \(all.joined(separator: ", "))")
            }
            let spec = layout?.table(t.key) ?? specs[0]
            for ri in t.rows.indices {
                guard let rs = spec.row(t.rows[ri].key) else {
                    throw ReaderError.invalidModel(path: path, line: nil, problem: "tables.\(t.key): unknown row key '\(t.rows[ri].key)'; expected one of: \(spec.rows.map(\.key).joined(separator: ", "))")
                }
                if t.rows[ri].label.isEmpty { t.rows[ri].label = rs.label }
                for ci in t.rows[ri].cells.indices {
                    let col = t.rows[ri].cells[ci].column
                    guard spec.column(col) != nil else {
                        throw ReaderError.invalidModel(path: path, line: nil, problem: "tables.\(t.key).\(t.rows[ri].key): unknown column key '\(col)'; expected one of: \(spec.columns.map(\.key).joined(separator: ", "))")
                    }
                    t.rows[ri].cells[ci].reparse(with: profile.cells)
                }
                // Columns the model leaves out are missing, like cells a text reader could not find.
                let present = Set(t.rows[ri].cells.map(\.column))
                var ordered: [Cell] = []
                for c in spec.columns {
                    if let cell = t.rows[ri].cells.first(where: { $0.column == c.key }) { ordered.append(cell) }
                    else if !present.contains(c.key) { ordered.append(.missing(column: c.key, location: t.rows[ri].location)) }
                }
                t.rows[ri].cells = ordered
            }
            tables.append(t)
        }
        return Report(path: path, sourceFormat: json ? "json" : "yaml", metadata: meta,
                      preamble: doc.preamble ?? [], parts: parts, tables: tables)
    }

    static func pathText(_ p: [CodingKey]) -> String {
        p.isEmpty ? "top level" : p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    static func yamlProblem(_ e: Error?) -> (Int?, String) {
        switch e {
        case let YamlError.scanner(_, problem, mark, _)?: return (mark.line, problem)
        case let YamlError.parser(_, problem, mark, _)?: return (mark.line, problem)
        case let YamlError.composer(_, problem, mark, _)?: return (mark.line, problem)
        default: return (nil, e.map { "\($0)" } ?? "unreadable YAML")
        }
    }

    static func line(_ e: Error?) -> Int? {
        if case let YamlError.scanner(_, _, mark, _)? = e { return mark.line }
        if case let YamlError.parser(_, _, mark, _)? = e { return mark.line }
        return nil
    }
}
