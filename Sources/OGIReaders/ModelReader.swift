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
        if Self.ruledOutByFirstByte(input.head, syntax: syntax) { return .none }
        return claimByText(input)
    }

    /// The claim from the sniffer's lower-cased and trimmed text (costly to compute for a page in GBK, whose
    /// bytes read as UTF-8 are letters of other scripts), for an input without a model extension.
    func claimByText(_ input: InputSniffer) -> ReaderClaim {
        switch syntax {
        case .json: return input.trimmedText.hasPrefix("{") && input.lowercasedText.contains("\"ogilint_model\"") ? .declared : .none
        case .yaml: return input.trimmedText.hasPrefix("ogilint_model:") ? .declared : .none
        }
    }

    /// True when the head's first byte alone shows `claimByText` gives `.none`: a visible ASCII byte (not white
    /// space, not a control, so not trimmed, and no byte-order mark) that is not where a model's trimmed text
    /// starts (`{` for JSON, `o` or `O` for YAML). That byte is the text's first scalar and its lower case the
    /// trimmed text's, so the text cannot start with `{` or `ogilint_model:` (a mark after it would only make its
    /// first character differ more). A page starts with `<`.
    ///
    /// The same holds for a head that starts with a CJK ideograph (U+3400 to U+4DBF, U+4E00 to U+9FFF, three
    /// well-formed UTF-8 bytes led by 0xE3 to 0xE9), as a report's title does: not white space, not a mark, its
    /// own lower case, and neither `{` nor `o`.
    static func ruledOutByFirstByte(_ head: [UInt8], syntax: Syntax) -> Bool {
        if head.count >= 3, head[0] >= 0xE3, head[0] <= 0xE9, head[1] & 0xC0 == 0x80, head[2] & 0xC0 == 0x80 {
            let u = UInt32(head[0] & 0x0F) << 12 | UInt32(head[1] & 0x3F) << 6 | UInt32(head[2] & 0x3F)
            if (0x3400...0x4DBF).contains(u) || (0x4E00...0x9FFF).contains(u) { return true }
        }
        guard let first = head.first, first > 0x20, first < 0x7F else { return false }
        switch syntax {
        case .json: return first != 0x7B
        case .yaml: return first | 0x20 != 0x6F
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
        var tables: [TableDoc]?
    }

    struct PartDoc: Decodable {
        var key: String
        var heading: String?
        var location: SourceLocation?
        var paragraphs: [Paragraph]?
    }

    /// A table as submitted: only the key is required.
    struct TableDoc: Decodable {
        var key: String
        var title: String?
        var location: SourceLocation?
        var rows: [RowDoc]?
    }

    /// A row as submitted: only the key is required; the label is taken from the template when left out.
    struct RowDoc: Decodable {
        var key: String
        var label: String?
        var matched_variant: String?
        var location: SourceLocation?
        var cells: [Cell]?
    }

    public func read(path: String, data: Data, json: Bool) throws -> Report {
        let doc: Document
        do {
            let (text, _) = try TextDecoding.decode(data, path: path)
            if FastText.isBlank(text) { throw ReaderError.empty(path: path) }
            if json {
                // JSON is read exactly by JSONDecoder; its shape is checked on the YAML nodes of the same text
                // (JSON is YAML) for line numbers, when libyaml accepts it.
                if let node = try? Yams.compose(yaml: text) { try ModelShape(templates: ctx.templates, path: path).check(node) }
                doc = try JSONDecoder().decode(Document.self, from: data)
            } else {
                try YAMLBudget.check(text, path: path, budget: budget)
                guard let node = try Yams.compose(yaml: text) else { throw ReaderError.empty(path: path) }
                try ModelShape(templates: ctx.templates, path: path).check(node)
                doc = try YAMLDecoder().decode(Document.self, from: node)
            }
        } catch let e as ReaderError {
            throw e
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw ReaderError.invalidModel(
                path: path, line: context.mark.line,
                problem:
                    "the field \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) is given twice in one mapping; give each field once")
        } catch let DecodingError.dataCorrupted(c) where c.underlyingError is YamlError {
            let (line, problem) = Self.yamlProblem(c.underlyingError)
            throw ReaderError.invalidModel(path: path, line: line, problem: "YAML syntax error: \(problem)")
        } catch let DecodingError.dataCorrupted(c) {
            throw ReaderError.invalidModel(
                path: path, line: Self.line(c.underlyingError), problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let DecodingError.keyNotFound(k, c) {
            throw ReaderError.invalidModel(
                path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): missing required key '\(k.stringValue)'")
        } catch let DecodingError.typeMismatch(_, c) {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let DecodingError.valueNotFound(_, c) {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(Self.pathText(c.codingPath)): \(c.debugDescription)")
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _), let YamlError.composer(
            _, problem, mark, _)
        {
            throw ReaderError.invalidModel(path: path, line: mark.line, problem: "YAML syntax error: \(problem)")
        } catch {
            throw ReaderError.invalidModel(path: path, line: nil, problem: "\(error)")
        }
        guard let version = doc.ogilint_model else {
            throw ReaderError.invalidModel(
                path: path, line: nil, problem: "missing 'ogilint_model: \(Report.formatVersion)' at the top; is this a report model?")
        }
        guard version == Report.formatVersion else {
            throw ReaderError.invalidModel(
                path: path, line: nil,
                problem: "model format \(version) is not supported; this ogilint reads format \(Report.formatVersion)")
        }
        let profile = ctx.templates.profile
        var meta = doc.metadata ?? Metadata()
        if meta.agencyKind != nil, meta.agencyKindSource == nil { meta.agencyKindSource = "model" }
        if meta.agencyKind == nil, let a = meta.agency, let k = ctx.agencyKind(forName: a) {
            meta.agencyKind = k; meta.agencyKindSource = "name"
        }
        for (name, y) in [
            ("year", meta.year), ("title_year", meta.titleYear), ("published", meta.published?.year),
            ("period_start", meta.periodStart?.year), ("period_end", meta.periodEnd?.year),
        ] {
            if let y, !ModelShape.plausibleYears.contains(y) {
                throw ReaderError.invalidModel(
                    path: path, line: nil,
                    problem: "metadata.\(name): \(y) is not a plausible report year; write the four-digit year, e.g. 2023")
            }
        }
        if meta.year == nil { meta.year = meta.titleYear ?? meta.periodEnd?.year }
        if let t = meta.template, ctx.templates.template(t) == nil {
            throw ReaderError.invalidModel(
                path: path, line: nil,
                problem:
                    "metadata.template '\(t)' is unknown; expected one of: \(ctx.templates.templates.map(\.id).joined(separator: ", "))")
        }
        var parts: [Part] = []
        for p in doc.parts ?? [] {
            guard let spec = profile.parts.first(where: { $0.key == p.key }) else {
                throw ReaderError.invalidModel(
                    path: path, line: nil,
                    problem: "parts: unknown part key '\(p.key)'; expected one of: \(profile.parts.map(\.key).joined(separator: ", "))")
            }
            parts.append(
                Part(
                    number: spec.number, key: spec.key, heading: p.heading ?? spec.title, location: p.location,
                    paragraphs: p.paragraphs ?? []))
        }
        let layout = ctx.templates.layout(template: meta.template, year: meta.year)
        var tables: [Table] = []
        for td in doc.tables ?? [] {
            let specs = ctx.templates.templates.compactMap { $0.table(td.key) }
            guard !specs.isEmpty else {
                let all = Set(ctx.templates.templates.flatMap { $0.tables.map(\.key) }).sorted()
                throw ReaderError.invalidModel(
                    path: path, line: nil, problem: "tables: unknown table key '\(td.key)'\(ModelShape.hint(td.key, all))")
            }
            if tables.contains(where: { $0.key == td.key }) {
                throw ReaderError.invalidModel(
                    path: path, line: nil, problem: "tables: table '\(td.key)' is given twice; give each table once")
            }
            let spec = layout?.table(td.key) ?? specs[0]
            var rows: [Row] = []
            for rd in td.rows ?? [] {
                guard let rs = spec.row(rd.key) else {
                    let keys = spec.rows.map(\.key)
                    throw ReaderError.invalidModel(
                        path: path, line: nil, problem: "tables.\(td.key): unknown row key '\(rd.key)'\(ModelShape.hint(rd.key, keys))")
                }
                if rows.contains(where: { $0.key == rd.key }) {
                    throw ReaderError.invalidModel(
                        path: path, line: nil, problem: "tables.\(td.key): row '\(rd.key)' is given twice; give each row once")
                }
                var cells = rd.cells ?? []
                var present = Set<String>()
                for ci in cells.indices {
                    let col = cells[ci].column
                    guard spec.column(col) != nil else {
                        let keys = spec.columns.map(\.key)
                        throw ReaderError.invalidModel(
                            path: path, line: nil,
                            problem: "tables.\(td.key).\(rd.key): unknown column key '\(col)'\(ModelShape.hint(col, keys))")
                    }
                    guard present.insert(col).inserted else {
                        throw ReaderError.invalidModel(
                            path: path, line: nil,
                            problem: "tables.\(td.key).\(rd.key): column '\(col)' is given twice; give each cell once")
                    }
                    cells[ci].reparse(with: profile.cells)
                }
                // Columns the model leaves out are missing, like cells a text reader could not find.
                let ordered = spec.columns.map { c in
                    cells.first(where: { $0.column == c.key }) ?? .missing(column: c.key, location: rd.location)
                }
                let label = (rd.label?.isEmpty ?? true) ? rs.label : rd.label!
                rows.append(Row(key: rd.key, label: label, matchedVariant: rd.matched_variant, location: rd.location, cells: ordered))
            }
            tables.append(Table(key: td.key, title: td.title, location: td.location, rows: rows))
        }
        return Report(
            path: path, sourceFormat: json ? "json" : "yaml", metadata: meta,
            preamble: doc.preamble ?? [], parts: parts, tables: tables)
    }

    static func pathText(_ p: [CodingKey]) -> String {
        p.isEmpty
            ? "top level"
            : p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
                in: CharacterSet(charactersIn: "."))
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
