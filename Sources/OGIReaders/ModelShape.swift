import Foundation
import OGIModel
import Yams

/// Checks a report model's YAML (or JSON) nodes before decoding, so every mistake is reported with its
/// line: field names (with "did you mean"), table, row, part and column keys against the templates, keys
/// given twice, and implausible years.
public struct ModelShape {
    let templates: TemplateSet
    let path: String

    /// The field names each level of the model accepts, from the model types themselves (snake_case of
    /// their properties), so a field added to the model is accepted here without a second list.
    static let fields: [String: Set<String>] = {
        func names(_ value: Any) -> Set<String> {
            Set(Mirror(reflecting: value).children.compactMap { $0.label.map(snakeCase) })
        }
        let location = SourceLocation()
        return [
            "model": names(Report(path: "", sourceFormat: "")),
            "metadata": names(Metadata()),
            "paragraph": names(Paragraph(text: "", location: nil)),
            "part": names(Part(number: 0, key: "", heading: "", location: nil)),
            "table": names(Table(key: "", title: nil, location: nil, rows: [])),
            "row": names(Row(key: "", label: "", location: nil, cells: [])),
            "cell": names(Cell(column: "", raw: "", location: nil, syntax: CellSyntax())),
            "location": names(location),
        ]
    }()

    static func snakeCase(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// Years a report can be about or published in.
    public static let plausibleYears = 1000...9999

    func fail(_ node: Node?, _ problem: String) -> ReaderError {
        .invalidModel(path: path, line: node?.mark?.line, problem: problem)
    }

    func check(_ root: Node) throws {
        guard let top = root.mapping else { throw fail(root, "the model must be a mapping with 'ogilint_model: 1' at the top") }
        try fields(top, "model", where: "top level")
        if let meta = top["metadata"] { try metadata(meta) }
        for p in top["preamble"]?.sequence ?? [] { try paragraph(p, where: "preamble") }
        var partsSeen: [String: Node] = [:]
        for p in top["parts"]?.sequence ?? [] {
            guard let m = p.mapping else { throw fail(p, "parts: each part must be a mapping with a 'key'") }
            try fields(m, "part", where: "a part")
            guard let keyNode = m["key"], let key = keyNode.string else { throw fail(p, "parts: a part has no 'key'") }
            let known = templates.profile.parts.map(\.key)
            if !known.contains(key) { throw fail(keyNode, "parts: unknown part key '\(key)'\(Self.hint(key, known))") }
            if let first = partsSeen[key] {
                throw fail(keyNode, "parts: part '\(key)' is given twice (first at line \(first.mark?.line ?? 0)); give each part once")
            }
            partsSeen[key] = keyNode
            for para in m["paragraphs"]?.sequence ?? [] { try paragraph(para, where: "parts.\(key)") }
            if let l = m["location"] { try location(l, where: "parts.\(key)") }
        }
        var tablesSeen: [String: Node] = [:]
        let layout = Self.layout(top, templates)
        for t in top["tables"]?.sequence ?? [] {
            guard let m = t.mapping else { throw fail(t, "tables: each table must be a mapping with a 'key'") }
            try fields(m, "table", where: "a table")
            guard let keyNode = m["key"], let key = keyNode.string else { throw fail(t, "tables: a table has no 'key'") }
            let all = Set(templates.templates.flatMap { $0.tables.map(\.key) }).sorted()
            guard let spec = layout?.table(key) ?? templates.templates.lazy.compactMap({ $0.table(key) }).first else {
                throw fail(keyNode, "tables: unknown table key '\(key)'\(Self.hint(key, all))")
            }
            if let first = tablesSeen[key] {
                throw fail(keyNode, "tables: table '\(key)' is given twice (first at line \(first.mark?.line ?? 0)); give each table once")
            }
            tablesSeen[key] = keyNode
            if let l = m["location"] { try location(l, where: "tables.\(key)") }
            var rowsSeen: [String: Node] = [:]
            for r in m["rows"]?.sequence ?? [] {
                guard let rm = r.mapping else { throw fail(r, "tables.\(key): each row must be a mapping with a 'key'") }
                try fields(rm, "row", where: "a row of tables.\(key)")
                guard let rkNode = rm["key"], let rk = rkNode.string else { throw fail(r, "tables.\(key): a row has no 'key'") }
                let rowKeys = spec.rows.map(\.key)
                guard let rowSpec = spec.row(rk) else {
                    throw fail(rkNode, "tables.\(key): unknown row key '\(rk)'\(Self.hint(rk, rowKeys))")
                }
                if let first = rowsSeen[rk] {
                    throw fail(
                        rkNode, "tables.\(key): row '\(rk)' is given twice (first at line \(first.mark?.line ?? 0)); give each row once")
                }
                rowsSeen[rk] = rkNode
                if let l = rm["location"] { try location(l, where: "tables.\(key).\(rk)") }
                var cellsSeen: [String: Node] = [:]
                for c in rm["cells"]?.sequence ?? [] {
                    guard let cm = c.mapping else { throw fail(c, "tables.\(key).\(rk): each cell must be a mapping with a 'column'") }
                    try fields(cm, "cell", where: "a cell of tables.\(key).\(rk)")
                    guard let colNode = cm["column"], let col = colNode.string else {
                        throw fail(c, "tables.\(key).\(rk): a cell has no 'column'")
                    }
                    let cols = spec.columns.map(\.key)
                    if spec.column(col) == nil {
                        throw fail(colNode, "tables.\(key).\(rk): unknown column key '\(col)'\(Self.hint(col, cols))")
                    }
                    if let first = cellsSeen[col] {
                        throw fail(
                            colNode,
                            "tables.\(key).\(rowSpec.key): column '\(col)' is given twice (first at line \(first.mark?.line ?? 0)); give each cell once"
                        )
                    }
                    cellsSeen[col] = colNode
                    if let l = cm["location"] { try location(l, where: "tables.\(key).\(rk).\(col)") }
                }
            }
        }
    }

    /// The template the model names, or the one for its year.
    static func layout(_ top: Node.Mapping, _ templates: TemplateSet) -> Template? {
        let meta = top["metadata"]?.mapping
        if let t = meta?["template"]?.string, let tpl = templates.template(t) { return tpl }
        if let y = meta?["year"]?.int { return templates.template(forYear: y) }
        return nil
    }

    func fields(_ m: Node.Mapping, _ level: String, where place: String) throws {
        let known = Self.fields[level] ?? []
        for (k, _) in m {
            guard let name = k.string else { throw fail(k, "\(place): a field name must be text") }
            if !known.contains(name) {
                throw fail(k, "\(place): unknown field '\(name)'\(Self.hint(name, known.sorted()))")
            }
        }
    }

    func paragraph(_ n: Node, where place: String) throws {
        guard let m = n.mapping else { throw fail(n, "\(place): each paragraph must be a mapping with a 'text'") }
        try fields(m, "paragraph", where: "a paragraph of \(place)")
        if let l = m["location"] { try location(l, where: place) }
    }

    func location(_ n: Node, where place: String) throws {
        guard let m = n.mapping else { throw fail(n, "\(place): a location must be a mapping such as {line: 12}") }
        try fields(m, "location", where: "the location of \(place)")
    }

    func metadata(_ n: Node) throws {
        guard let m = n.mapping else { throw fail(n, "metadata must be a mapping") }
        try fields(m, "metadata", where: "metadata")
        for key in ["year", "title_year"] {
            guard let v = m[key], let s = v.string else { continue }
            guard let y = Int(s), Self.plausibleYears.contains(y) else {
                throw fail(v, "metadata.\(key) '\(s)' is not a plausible report year; write the four-digit year, e.g. 2023")
            }
        }
        for key in ["published", "period_start", "period_end"] {
            guard let v = m[key], let s = v.string else { continue }
            let y = s.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).first.flatMap { Int($0) }
            if let y, !Self.plausibleYears.contains(y) {
                throw fail(v, "metadata.\(key) '\(s)' does not have a plausible year; write the date as YYYY-MM-DD")
            }
        }
        for key in ["title_location", "published_location", "period_location"] {
            if let l = m[key] { try location(l, where: "metadata.\(key)") }
        }
    }

    /// "; did you mean 'x'?" when a known name is close, else the list of known names.
    static func hint(_ word: String, _ known: [String]) -> String {
        let s = suggestion(word, known)
        return s.isEmpty ? "; expected one of: \(known.joined(separator: ", "))" : s
    }

    /// "; did you mean 'x'?" for the nearest known name within a small edit distance, else "".
    static func suggestion(_ word: String, _ known: [String]) -> String {
        let w = Array(word.lowercased())
        var best: (String, Int)?
        for k in known {
            let d = distance(w, Array(k.lowercased()))
            if best == nil || d < best!.1 { best = (k, d) }
        }
        guard let b = best, b.1 <= max(1, min(3, w.count / 3)) else { return "" }
        return "; did you mean '\(b.0)'?"
    }

    /// Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
