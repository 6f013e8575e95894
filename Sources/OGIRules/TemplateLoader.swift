import Foundation
import OGIModel

/// Reads `profile`/`parts` files and template files (YAML) into a `TemplateSet`.
enum TemplateLoader {
    /// `validate: false` (a trusted cache hit) skips compiling the patterns only to check them.
    static func loadProfile(_ root: YNode, into profile: inout ReaderProfile?, parts: inout [PartSpec], validate: Bool = true) throws {
        let top = try root.mapping(allowed: ["profile", "parts"], what: "the reader profile file")
        if let p = top["profile"] {
            let m = try p.mapping(
                allowed: [
                    "inline_noise", "line_noise", "part_numerals", "part_number_separators",
                    "title_words", "title_tails", "title_leads", "title_year_suffixes", "period_patterns", "published_patterns",
                    "year_pattern", "table_year_pattern", "agency_kinds", "cells", "compilation_words",
                ], what: "profile")
            func strings(_ k: String) throws -> [String] { try m[k]?.stringList(k) ?? [] }
            for k in ["inline_noise", "line_noise", "period_patterns", "published_patterns", "part_number_separators"] where validate {
                for (i, rx) in try strings(k).enumerated() { try checkRegex(rx, at: m[k]!, index: i, what: k) }
            }
            var gov: [String] = [], dep: [String] = []
            if let ak = m["agency_kinds"] {
                let km = try ak.mapping(allowed: ["government", "department"], what: "agency_kinds")
                gov = try km["government"]?.stringList("government") ?? []
                dep = try km["department"]?.stringList("department") ?? []
            }
            var cells = CellSyntax()
            if let c = m["cells"] {
                let cm = try c.mapping(allowed: ["placeholders", "blanks", "increase_words", "decrease_words", "units"], what: "cells")
                cells = CellSyntax(
                    placeholders: try cm["placeholders"]?.stringList("placeholders") ?? [],
                    blanks: try cm["blanks"]?.stringList("blanks") ?? [],
                    increaseWords: try cm["increase_words"]?.stringList("increase_words") ?? [],
                    decreaseWords: try cm["decrease_words"]?.stringList("decrease_words") ?? [],
                    units: try cm["units"]?.stringList("units") ?? [])
            }
            let yearPattern = try m["year_pattern"]?.string("year_pattern") ?? #"(?<y>(?:19|20)\d{2})\s*年"#
            let tableYear = try m["table_year_pattern"]?.string("table_year_pattern") ?? ""
            profile = ReaderProfile(
                inlineNoise: try strings("inline_noise"), lineNoise: try strings("line_noise"),
                partNumerals: try m["part_numerals"]?.string("part_numerals") ?? "一二三四五六七八九十",
                partNumberSeparators: try strings("part_number_separators"),
                titleWords: try strings("title_words"), periodPatterns: try strings("period_patterns"),
                publishedPatterns: try strings("published_patterns"), yearPattern: yearPattern,
                tableYearPattern: tableYear,
                governmentNames: gov, departmentNames: dep, titleTails: try strings("title_tails"),
                cells: cells, parts: [])
            profile?.titleLeads = try strings("title_leads")
            profile?.titleYearSuffixes = try strings("title_year_suffixes")
            profile?.compilationWords = try strings("compilation_words")
        }
        if let ps = top["parts"] {
            var seen = Set<String>()
            for (i, pn) in try ps.list("parts").enumerated() {
                let m = try pn.mapping(allowed: ["key", "title", "headings", "mentions"], what: "a part")
                guard let keyNode = m["key"] else { throw pn.fail("a part needs a 'key'") }
                let key = try keyNode.string("key")
                if !seen.insert(key).inserted { throw keyNode.fail("part key '\(key)' is used twice") }
                let title = try m["title"]?.string("title") ?? key
                parts.append(
                    PartSpec(
                        key: key, number: i + 1, title: title,
                        headings: try m["headings"]?.stringList("headings") ?? [title],
                        mentions: try m["mentions"]?.stringList("mentions") ?? [title]))
            }
        }
    }

    static func checkRegex(_ rx: String, at node: YNode, index: Int, what: String) throws {
        do { _ = try RegexCache.shared.compile(rx) } catch {
            throw node.fail("\(what)[\(index)] is not a valid regular expression: \(error)")
        }
    }

    static func loadTemplate(_ root: YNode, partKeys: Set<String>) throws -> Template {
        let m = try root.mapping(
            allowed: ["template", "title", "reference", "from_year", "to_year", "markers", "tables"], what: "a template")
        guard let idNode = m["template"] else { throw root.fail("a template file needs 'template: ID'") }
        let id = try idNode.string("template")
        var tables: [TableSpec] = []
        var tableKeys = Set<String>()
        for tn in try m["tables"]?.list("tables") ?? [] {
            let t = try tn.mapping(allowed: ["key", "title", "part", "group", "anchors", "columns", "rows", "reference"], what: "a table")
            guard let keyNode = t["key"] else { throw tn.fail("a table needs a 'key'") }
            let key = try keyNode.string("key")
            if !tableKeys.insert(key).inserted { throw keyNode.fail("table key '\(key)' is used twice in template \(id)") }
            guard let partNode = t["part"] else {
                throw tn.fail("table '\(key)' needs 'part' (one of: \(partKeys.sorted().joined(separator: ", ")))")
            }
            let part = try partNode.oneOf(partKeys.sorted(), what: "part")
            var columns: [ColumnSpec] = []
            for cn in try t["columns"]?.list("columns") ?? [] {
                let c = try cn.mapping(allowed: ["key", "label", "variants", "kind", "unit"], what: "a column")
                guard let ck = c["key"] else { throw cn.fail("a column needs a 'key'") }
                let ckey = try ck.string("key")
                if columns.contains(where: { $0.key == ckey }) { throw ck.fail("column key '\(ckey)' is used twice in table \(key)") }
                let label = try c["label"]?.string("label") ?? ckey
                let kind =
                    try c["kind"].map {
                        ColumnSpec.Kind(rawValue: try $0.oneOf(ColumnSpec.Kind.allCases.map(\.rawValue), what: "column kind"))!
                    } ?? .count
                columns.append(
                    ColumnSpec(
                        key: ckey, label: label, variants: try c["variants"]?.stringList("variants") ?? [label],
                        kind: kind, unit: try c["unit"]?.string("unit")))
            }
            if columns.isEmpty { throw tn.fail("table '\(key)' needs at least one column") }
            var rows: [RowSpec] = []
            for rn in try t["rows"]?.list("rows") ?? [] {
                let r = try rn.mapping(allowed: ["key", "label", "variants", "nonstandard", "unlabeled"], what: "a row")
                guard let rk = r["key"] else { throw rn.fail("a row needs a 'key'") }
                let rkey = try rk.string("key")
                if rows.contains(where: { $0.key == rkey }) { throw rk.fail("row key '\(rkey)' is used twice in table \(key)") }
                let label = try r["label"]?.string("label") ?? rkey
                rows.append(
                    RowSpec(
                        key: rkey, label: label, variants: try r["variants"]?.stringList("variants") ?? [label],
                        nonstandard: try r["nonstandard"]?.stringList("nonstandard") ?? [],
                        unlabeled: try r["unlabeled"]?.bool("unlabeled") ?? false))
            }
            if rows.isEmpty { throw tn.fail("table '\(key)' needs at least one row") }
            tables.append(
                TableSpec(
                    key: key, title: try t["title"]?.string("title") ?? key, part: part,
                    group: try t["group"]?.string("group"), anchors: try t["anchors"]?.stringList("anchors") ?? [],
                    columns: columns, rows: rows, reference: try t["reference"]?.string("reference")))
        }
        return Template(
            id: id, title: try m["title"]?.string("title") ?? id, reference: try m["reference"]?.string("reference"),
            fromYear: try m["from_year"]?.int("from_year"), toYear: try m["to_year"]?.int("to_year"),
            markers: try m["markers"]?.stringList("markers") ?? [], tables: tables)
    }
}
