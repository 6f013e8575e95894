import Foundation
import OGIModel

/// Loads rule folders: every `.yml`/`.yaml` file below them, classified by its top-level key:
/// `profile`/`parts` (reader profile), `template` (a template generation), `rules` (a rule pack) or
/// `messages` (the message catalog; a later folder's catalog overrides keys of an earlier one).
public enum RulePackLoader {
    /// Most entries looked at below one rule folder, and deepest folder level: a rule folder is small, so a
    /// mistaken `rules: [/]` stops quickly with a message instead of walking the whole file system.
    public static let maxFolderEntries = 5_000
    public static let maxFolderDepth = 6

    /// Loads every rule file below `directories`; `cache` (off by default) saves parsing unchanged files again.
    /// `replicable` keeps what `replica(of:)` needs even without a cache folder (with one it is always kept).
    public static func load(directories: [String], cache: ParsedRulesCache? = nil, replicable: Bool = false) throws -> RuleSet {
        var files: [String] = []
        for dir in directories { files += try ruleFiles(in: dir) }
        return try load(files: files, cache: cache, replicable: replicable)
    }

    /// The YAML files of one rule folder (or the file itself), sorted; hidden entries are skipped.
    public static func ruleFiles(in dir: String) throws -> [String] {
        switch RuleFolderListing.type(of: dir, followingLinks: true) {
        case .missing: throw RulePackError.unreadable(path: dir, reason: "no such folder")
        case .folder: break
        case .link, .other: return [dir]
        }
        var found: [String] = []
        var seen = 0
        var queue: [(String, Int)] = [("", 0)]
        while let (rel, depth) = queue.popLast() {
            let full = rel.isEmpty ? dir : (dir as NSString).appendingPathComponent(rel)
            guard let names = RuleFolderListing.names(in: full) else {
                if rel.isEmpty { throw RulePackError.unreadable(path: dir, reason: "cannot list the folder") }
                continue
            }
            for name in names where !name.hasPrefix(".") {
                seen += 1
                if seen > maxFolderEntries {
                    throw RulePackError.unreadable(
                        path: dir,
                        reason:
                            "more than \(maxFolderEntries) entries below it; a rule folder holds a few YAML files — check the 'rules:' path"
                    )
                }
                let r = rel.isEmpty ? name : (rel as NSString).appendingPathComponent(name)
                let path = (dir as NSString).appendingPathComponent(r)
                let type = RuleFolderListing.type(of: path, followingLinks: false)
                // Links are not followed out of the folder.
                if type == .link || type == .missing { continue }
                if type == .folder {
                    if depth + 1 > maxFolderDepth {
                        throw RulePackError.unreadable(
                            path: dir, reason: "folders nested more than \(maxFolderDepth) deep below it; check the 'rules:' path")
                    }
                    queue.append((r, depth + 1))
                } else if name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
                    found.append(path)
                }
            }
        }
        if found.isEmpty { throw RulePackError.unreadable(path: dir, reason: "no rule files (.yml or .yaml) in the folder") }
        return found.sorted()
    }

    public static func load(files: [String], cache: ParsedRulesCache? = nil, replicable: Bool = false) throws -> RuleSet {
        // Same bytes as a rule set this executable loaded and validated completely before: its trees, without
        // parsing the YAML again, and without validating again when the key names this executable. The key is
        // hashed from the files read one after another into one buffer (a hit needs nothing else of them).
        if let cache, cache.directory != nil, let key = ParsedRulesCache.contentKey(ofFiles: files),
            let hit = cache.loadEntry(files: files, key: key)
        {
            var set = try load(entry: hit, files: files)
            set.source = RuleSet.Source(files: files, key: key, entry: hit.bytes)
            return set
        }
        // Read (the key again from these bytes, the ones parsed); an unreadable file is reported in file order
        // below, as when parsing. The entry is made for a cache folder, and for a replicable set without one (it
        // is what a replica is built from).
        let contents = files.map { (path: $0, data: RuleFolderListing.contents(of: $0)) }
        let readable = contents.compactMap { c in c.data.map { (path: c.path, data: $0) } }
        let makesEntry = cache?.directory != nil || replicable
        let key = makesEntry && readable.count == files.count ? ParsedRulesCache.contentKey(readable) : nil
        var trees: [YAMLValue?] = []
        for (f, data) in contents {
            guard let data else { throw RulePackError.unreadable(path: f, reason: "cannot read the file") }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw RulePackError.unreadable(path: f, reason: "not UTF-8 text")
            }
            trees.append(try YNode.tree(text, file: f))
        }
        // One table of every file, read as a cache hit reads it; its encoding is what the entry stores.
        let (nodes, encoded) = try YNode.flatten(trees, files: files)
        // The expression trees this load parses are kept by node (the hit's table has the same nodes).
        let parsed = key != nil ? KnownExpressions() : nil
        let built = key != nil ? KnownRuleRecorder() : nil
        var set = try load(
            documents: zip(files, nodes).compactMap { f, n in n.map { (f, $0) } }, recording: parsed, recordingRules: built)
        if let key {
            let entry = ParsedRulesCache.entryBytes(
                key: key, documents: encoded, count: files.count,
                known: KnownBuild(set, expressions: parsed ?? KnownExpressions(), built: built?.rules ?? []))
            cache?.store(files: files, entry: entry)
            set.source = RuleSet.Source(files: files, key: key, entry: entry)
        }
        return set
    }

    /// A rule set built from a cache entry's documents and what the validated load of them built (validated again
    /// only when hits are not trusted, `ParsedRulesCache.hitsAreTrusted`).
    static func load(entry: ParsedRulesCache.Entry, files: [String]) throws -> RuleSet {
        try load(
            documents: zip(files, entry.roots).compactMap { f, r in r.map { (f, YNode(table: entry.table, index: $0, file: f)) } },
            validate: !ParsedRulesCache.hitsAreTrusted, known: entry.known)
    }

    /// The rule set as loaded (before any configuration applied to `set`), built again from the bytes it was loaded
    /// from (`RuleSet.source`) as a second run with a warm cache would load it, sharing no object with `set`: the
    /// bytes, the file paths and the key are copied first. A batch gives each worker thread a replica, so the threads
    /// do not update the same reference counts (an atomic increment of a count another core holds waits for its cache
    /// line). Nil for a set without a source (`load(texts:)`, or a load without a cache folder that was not asked to
    /// be `replicable`).
    package static func replica(of set: RuleSet) throws -> RuleSet? {
        guard let source = set.source else { return nil }
        // Copies, not the same arrays and strings: a rule's texts are read from the bytes when first asked for, and
        // every rule keeps its file's path.
        let bytes = source.entry.withUnsafeBufferPointer { Array($0) }
        let files = source.files.map { String(decoding: Array($0.utf8), as: UTF8.self) }
        let key = String(decoding: Array(source.key.utf8), as: UTF8.self)
        guard let entry = ParsedRulesCache.decodeEntry(bytes, key: key, count: files.count) else {
            // These bytes were made or read whole by this process: not decoding them is a bug, not a missing source.
            assertionFailure("a rule set's own entry bytes did not decode")
            return nil
        }
        var copy = try load(entry: entry, files: files)
        copy.source = RuleSet.Source(files: files, key: key, entry: bytes)
        return copy
    }

    /// Loads already-parsed YAML texts (used by tests): pairs of (file name, YAML text).
    public static func load(texts: [(String, String)]) throws -> RuleSet {
        try load(documents: texts.compactMap { f, t in try YNode.parse(t, file: f).map { (f, $0) } })
    }

    static func topKeys(_ n: YNode) -> [String] {
        n.keyTexts
    }

    /// Builds the rule set of parsed documents. `validate: false` is only for documents that already loaded with
    /// validation (a trusted cache hit): it skips the checks that can only fail (names, types, placeholders,
    /// patterns), never what builds the rules, so it gives the same rule set as a validated load. `known` is what
    /// the validated load of the same bytes built (each rule's derived facts, the templates), which then is not
    /// built again; it is used only without validation.
    /// `recording` collects the expression trees a validated load parses, `recordingRules` what it builds of each
    /// rule besides its kind (both for the cache entry).
    static func load(
        documents: [(String, YNode)], validate: Bool = true, known: KnownBuild = KnownBuild(), recording: KnownExpressions? = nil,
        recordingRules: KnownRuleRecorder? = nil
    ) throws -> RuleSet {
        var profile: ReaderProfile?
        var parts: [PartSpec] = []
        var ruleDocs: [YNode] = []
        var messageDocs: [YNode] = []
        var profileFile: String?
        for (file, n) in documents {
            let keys = topKeys(n)
            if keys.contains("profile") || keys.contains("parts") {
                if let first = profileFile {
                    throw RulePackError.duplicate(file: file, line: n.line, column: n.column, id: "the reader profile", firstFile: first)
                }
                profileFile = file
                try TemplateLoader.loadProfile(n, into: &profile, parts: &parts, validate: validate)
            } else if keys.contains("template") {
                continue
            } else if keys.contains("rules") {
                ruleDocs.append(n)
            } else if keys.contains("messages") {
                messageDocs.append(n)
            } else {
                throw n.fail(
                    "this file is neither a rule pack (top-level 'rules:'), a template ('template:'), a reader profile ('profile:'/'parts:') nor a message catalog ('messages:')"
                )
            }
        }
        guard var prof = profile else {
            throw RulePackError.unreadable(
                path: documents.first?.0 ?? "<rules>",
                reason: "no reader profile found (a file with 'profile:' and 'parts:'; the bundled one is rules/templates/common.yml)")
        }
        guard !parts.isEmpty else {
            throw RulePackError.unreadable(path: documents.first?.0 ?? "<rules>", reason: "no 'parts:' list found in the reader profile")
        }
        prof.parts = parts
        // Templates were loaded before the part keys were known: check their `part` references now.
        var templates: [Template] = []
        if !validate, let built = known.templates {
            // The templates a validated load built from these very bytes (sorted as below).
            templates = built
        } else {
            let partKeys = Set(parts.map(\.key))
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
        }
        let set = TemplateSet(profile: prof, templates: templates)
        var rules: [Rule] = []
        var ruleFiles: [String: String] = [:]
        let shared = SharedTemplateSet(set)
        for doc in ruleDocs {
            var parser = RuleParser(shared: shared, validate: validate)
            if !validate {
                parser.known = known.rules
                parser.knownOffset = rules.count
                parser.knownExpressions = known.expressions
                parser.knownRules = known.built
            } else {
                parser.recordedExpressions = recording
                parser.recordedRules = recordingRules
            }
            for r in try parser.parsePack(doc) {
                // A trusted hit loaded without duplicates when it was validated: its ids are not hashed again.
                guard validate else {
                    rules.append(r)
                    continue
                }
                if let first = ruleFiles[r.id] {
                    throw RulePackError.duplicate(file: r.file, line: r.line, column: 1, id: r.id, firstFile: first)
                }
                ruleFiles[r.id] = r.file
                rules.append(r)
            }
        }
        let messages = try MessageCatalogLoader.load(messageDocs, fallbackFile: documents.first?.0 ?? "<rules>", validate: validate)
        return RuleSet(templates: set, rules: rules, messages: messages)
    }
}
