import Foundation
import OGIModel
import Yams

/// Loads rule folders: every `.yml`/`.yaml` file below them, classified by its top-level key:
/// `profile`/`parts` (reader profile), `template` (a template generation) or `rules` (a rule pack).
public enum RulePackLoader {
    /// Names an expression may use besides table paths.
    public static let metadataNames: Set<String> = ["year", "title_year", "published", "period_start", "period_end",
                                                    "agency", "agency_kind", "template", "table_years", "title"]

    public static func load(directories: [String]) throws -> RuleSet {
        var files: [String] = []
        for dir in directories {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else {
                throw RulePackError.unreadable(path: dir, reason: "no such folder")
            }
            if !isDir.boolValue { files.append(dir); continue }
            guard let e = FileManager.default.enumerator(atPath: dir) else {
                throw RulePackError.unreadable(path: dir, reason: "cannot list the folder")
            }
            var found: [String] = []
            while let f = e.nextObject() as? String {
                if f.hasSuffix(".yml") || f.hasSuffix(".yaml") { found.append((dir as NSString).appendingPathComponent(f)) }
            }
            files += found.sorted()
        }
        return try load(files: files)
    }

    public static func load(files: [String]) throws -> RuleSet {
        var docs: [(String, YNode)] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { throw RulePackError.unreadable(path: f, reason: "cannot read the file") }
            guard let text = String(validating: data, as: UTF8.self) else { throw RulePackError.unreadable(path: f, reason: "not UTF-8 text") }
            if let n = try YNode.parse(text, file: f) { docs.append((f, n)) }
        }
        return try load(documents: docs)
    }

    /// Loads already-parsed YAML texts (used by tests): pairs of (file name, YAML text).
    public static func load(texts: [(String, String)]) throws -> RuleSet {
        try load(documents: texts.compactMap { f, t in try YNode.parse(t, file: f).map { (f, $0) } })
    }

    static func topKeys(_ n: YNode) -> [String] {
        guard case let .mapping(m) = n.node else { return [] }
        return m.keys.compactMap(\.string)
    }

    static func load(documents: [(String, YNode)]) throws -> RuleSet {
        var profile: ReaderProfile?
        var parts: [PartSpec] = []
        var ruleDocs: [YNode] = []
        var profileFile: String?
        for (file, n) in documents {
            let keys = topKeys(n)
            if keys.contains("profile") || keys.contains("parts") {
                if let first = profileFile {
                    throw RulePackError.duplicate(file: file, line: n.line, column: n.column, id: "the reader profile", firstFile: first)
                }
                profileFile = file
                try TemplateLoader.loadProfile(n, into: &profile, parts: &parts)
            } else if keys.contains("template") {
                continue
            } else if keys.contains("rules") {
                ruleDocs.append(n)
            } else {
                throw n.fail("this file is neither a rule pack (top-level 'rules:'), a template ('template:') nor a reader profile ('profile:'/'parts:')")
            }
        }
        guard var prof = profile else {
            throw RulePackError.unreadable(path: documents.first?.0 ?? "<rules>", reason: "no reader profile found (a file with 'profile:' and 'parts:'; the bundled one is rules/templates/common.yml)")
        }
        guard !parts.isEmpty else {
            throw RulePackError.unreadable(path: documents.first?.0 ?? "<rules>", reason: "no 'parts:' list found in the reader profile")
        }
        prof.parts = parts
        // Templates were loaded before the part keys were known: check their `part` references now.
        let partKeys = Set(parts.map(\.key))
        var templates: [Template] = []
        var seen: [String: String] = [:]
        for (file, n) in documents where topKeys(n).contains("template") {
            let t = try TemplateLoader.loadTemplate(n, partKeys: partKeys)
            if let first = seen[t.id] {
                throw RulePackError.duplicate(file: file, line: n.line, column: n.column, id: "template \(t.id)", firstFile: first)
            }
            seen[t.id] = file
            templates.append(t)
        }
        templates.sort { ($0.fromYear ?? 0, $0.id) < ($1.fromYear ?? 0, $1.id) }
        let set = TemplateSet(profile: prof, templates: templates)
        var rules: [Rule] = []
        var ruleFiles: [String: String] = [:]
        for doc in ruleDocs {
            for r in try RuleParser(templates: set).parsePack(doc) {
                if let first = ruleFiles[r.id] {
                    throw RulePackError.duplicate(file: r.file, line: r.line, column: 1, id: r.id, firstFile: first)
                }
                ruleFiles[r.id] = r.file
                rules.append(r)
            }
        }
        return RuleSet(templates: set, rules: rules)
    }
}

