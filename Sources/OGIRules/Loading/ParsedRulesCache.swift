import Foundation
import OGIModel

/// A cache of the parsed YAML of a rule set, so a run whose rule files have not changed skips libyaml and
/// the validation.
///
/// It stores the `YAMLValue` trees of every rule, template, profile and message file (this loader's own parse
/// results, not the rule kinds' state; read back as one `FlatYAML` table, without building the trees), keyed by a hash of every file's path and bytes, the loader's format and
/// the running executable (`toolIdentity`). Only a rule set that loaded and validated completely is stored, so a
/// hit is a rule set this very build already validated from these very bytes: it is built again from the trees
/// without validating (`RulePackLoader.load(documents:validate:)`), which gives the same rules. A user's pack is
/// validated with positions on its first load like any other; an error is never stored. When the executable
/// cannot be identified, a hit is validated again (only the YAML parsing is saved). Nothing here ever fails a run:
/// an unreadable, stale or corrupt entry is ignored and rewritten, and a cache that cannot be written is skipped.
/// `OGILINT_NO_CACHE=1` turns it off; it lives in `$XDG_CACHE_HOME/ogilint` or `~/.cache/ogilint`.
public struct ParsedRulesCache: Sendable {
    /// The folder entries are written to; nil turns the cache off.
    public var directory: String?

    public init(directory: String?) { self.directory = directory }

    /// Changes whenever the encoding below changes, so an older entry is never misread (6: the expression trees
    /// of the validated load, `KnownExpressions`, follow the templates; 7: then what it built of each rule besides
    /// its kind, `KnownRule`; 8: each rule's texts and examples last, so a hit reads them when first asked for).
    static let format = "ogilint-parsed-rules-8"

    /// The running executable's device, inode, size and modification time: a rebuilt or replaced tool (whose
    /// validation may differ) never trusts an entry an older one wrote. Nil when it cannot be read.
    static let toolIdentity: String? = {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return nil }
        #if os(Linux)
            let modified = (Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec))
        #else
            let modified = (Int64(st.st_mtimespec.tv_sec), Int64(st.st_mtimespec.tv_nsec))
        #endif
        return "\(st.st_dev):\(st.st_ino):\(st.st_size):\(modified.0).\(modified.1)"
    }()

    /// True when a hit may be loaded without validating it again: the key then names this executable.
    static var hitsAreTrusted: Bool { toolIdentity != nil }

    /// The cache the command line uses: off when `OGILINT_NO_CACHE` is set, else in the user's cache folder.
    public static var standard: ParsedRulesCache {
        let env = EnvironmentVariable.value
        if let off = env("OGILINT_NO_CACHE"), !off.isEmpty, off != "0" { return ParsedRulesCache(directory: nil) }
        if let xdg = env("XDG_CACHE_HOME"), xdg.hasPrefix("/") { return ParsedRulesCache(directory: xdg + "/ogilint") }
        if let home = env("HOME"), home.hasPrefix("/") { return ParsedRulesCache(directory: home + "/.cache/ogilint") }
        return ParsedRulesCache(directory: nil)
    }

    /// The running executable's path (nil where it cannot be read): two builds of ogilint (a release and a
    /// development build, say) keep entries of their own instead of replacing each other's on every switch, and a
    /// rebuilt tool at the same path replaces its own.
    static let toolPath: String? = {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Where the trees of this list of files are kept by the executable at `tool` (one entry per list of paths and
    /// executable, replaced when contents change).
    func entryPath(files: [String], tool: String? = toolPath) -> String? {
        guard let directory else { return nil }
        var h = StableHash()
        for f in files { h.add(f); h.addByte(0) }
        if let tool { h.addByte(1); h.add(tool) }
        return directory + "/rules-\(h.hex).bin"
    }

    /// `contentKey` of the files' bytes, read one after another into one buffer (the bytes of a dozen rule files
    /// read into arrays of their own touched about 30 fresh memory pages a run); nil when a file cannot be read.
    static func contentKey(ofFiles files: [String], tool: String? = toolIdentity) -> String? {
        var h = StableHash()
        h.add(format); h.addByte(0)
        if let tool { h.addByte(1); h.add(tool) } else { h.addByte(0) }
        h.addByte(0)
        var buffer: [UInt8] = []
        for f in files {
            let read = RuleFolderListing.readFile(f, into: &buffer) { bytes in
                h.add(f); h.addByte(0)
                h.addWord(UInt64(bytes.count))
                h.add(bytes: bytes)
            }
            guard read else { return nil }
        }
        return h.hex
    }

    /// The key of the files' contents: every path and byte, the format and the executable (`tool`).
    static func contentKey(_ files: [(path: String, data: Data)], tool: String? = toolIdentity) -> String {
        var h = StableHash()
        h.add(format); h.addByte(0)
        if let tool { h.addByte(1); h.add(tool) } else { h.addByte(0) }
        h.addByte(0)
        for f in files {
            h.add(f.path); h.addByte(0)
            h.addWord(UInt64(f.data.count))
            f.data.withUnsafeBytes { h.add(bytes: $0) }
        }
        return h.hex
    }

    /// What an entry holds: the documents as one flat table with each file's root (nil for an empty document),
    /// and what the validated load derived for each rule (`KnownRuleFacts`, in load order; none in an entry
    /// written from trees alone).
    struct Entry {
        var table: FlatYAML
        var roots: [Int?]
        var known: KnownBuild
        /// The entry as stored (`entryBytes`).
        var bytes: [UInt8]
    }

    /// The stored documents as one flat table with each file's root (nil for an empty document), when the entry
    /// exists and matches `key`.
    func loadTable(files: [String], key: String) -> (table: FlatYAML, roots: [Int?])? {
        loadEntry(files: files, key: key).map { ($0.table, $0.roots) }
    }

    /// The entry for `files`, when it exists, is whole and matches `key`.
    func loadEntry(files: [String], key: String) -> Entry? {
        guard let path = entryPath(files: files), let bytes = RuleFolderListing.bytes(of: path) else { return nil }
        return Self.decodeEntry(bytes, key: key, count: files.count)
    }

    /// An entry's bytes (`entryBytes`) read back, when they are whole and hold `count` documents under `key`.
    static func decodeEntry(_ bytes: [UInt8], key: String, count: Int) -> Entry? {
        // The entry ends with the checksum of what precedes it, then the checksum's length in one byte.
        guard let length = bytes.last.map(Int.init), bytes.count > length + 1 else { return nil }
        let payload = bytes.count - length - 1
        var sum = StableHash()
        bytes.withUnsafeBytes { sum.add(bytes: UnsafeRawBufferPointer(start: $0.baseAddress, count: payload)) }
        guard String(decoding: bytes[payload..<(bytes.count - 1)], as: UTF8.self) == sum.hex else { return nil }
        let header = bytes.withUnsafeBufferPointer { all -> (start: Int, known: KnownBuild)? in
            var reader = TreeDecoder(bytes: UnsafeBufferPointer(start: all.baseAddress, count: payload))
            guard reader.string() == Self.format, reader.string() == key, let stored = reader.int(), stored == count else { return nil }
            // The rules' texts stay in the entry until asked for (`bytes` is the array `reader` starts at).
            guard let known = reader.knownBuild(source: bytes) else { return nil }
            return (reader.offset, known)
        }
        guard let header, let (table, roots) = FlatYAML.decode(bytes, range: header.start..<payload, count: count) else { return nil }
        return Entry(table: table, roots: roots, known: header.known, bytes: bytes)
    }

    /// The stored trees (nil for an empty document), when the entry exists and matches `key`.
    func load(files: [String], key: String) -> [YAMLValue?]? {
        guard let (table, roots) = loadTable(files: files, key: key) else { return nil }
        return roots.map { $0.map(table.value) }
    }

    /// Stores the trees; any failure (no folder, read-only, full disk) is ignored.
    func store(files: [String], key: String, trees: [YAMLValue?]) {
        var w = TreeEncoder()
        for t in trees { w.document(t) }
        store(files: files, key: key, documents: w.bytes, count: trees.count)
    }

    /// Stores documents `TreeEncoder` wrote (`count` of them, in the order of `files`), with what the validated
    /// load built from them (`known`); failures are ignored.
    func store(files: [String], key: String, documents: [UInt8], count: Int, known: KnownBuild = KnownBuild()) {
        store(files: files, entry: Self.entryBytes(key: key, documents: documents, count: count, known: known))
    }

    /// An entry: documents `TreeEncoder` wrote (`count` of them) under `key`, with what the validated load built from
    /// them (`known`), and a checksum.
    static func entryBytes(key: String, documents: [UInt8], count: Int, known: KnownBuild) -> [UInt8] {
        var w = TreeEncoder()
        w.string(Self.format); w.string(key); w.int(count)
        w.knownBuild(known)
        w.bytes.append(contentsOf: documents)
        // A checksum of everything before it, so a damaged entry is noticed rather than misread.
        var sum = StableHash()
        w.bytes.withUnsafeBytes { sum.add(bytes: $0) }
        w.bytes.append(contentsOf: sum.hex.utf8)
        w.byte(UInt8(sum.hex.utf8.count))
        return w.bytes
    }

    /// Writes an entry (`entryBytes`) for `files`; failures are ignored.
    func store(files: [String], entry: [UInt8]) {
        guard let directory, let path = entryPath(files: files) else { return }
        let fm = FileManager.default
        guard (try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return }
        // Written beside the entry and renamed over it, so a reader never sees half an entry.
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard fm.createFile(atPath: temporary, contents: Data(entry)) else { return }
        if rename(temporary, path) != 0 { try? fm.removeItem(atPath: temporary) }
        prune(keeping: path)
    }

    /// Most entries kept: one per list of rule files, so rule folders that came and went (temporary packs,
    /// renamed folders) do not pile up; the least recently written go first.
    static let maxEntries = 16

    /// Removes the oldest entries beyond `maxEntries`, never `keeping`; failures are ignored.
    func prune(keeping: String) {
        guard let directory else { return }
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        let entries = names.filter { $0.hasPrefix("rules-") && $0.hasSuffix(".bin") }.map { directory + "/" + $0 }
        guard entries.count > Self.maxEntries else { return }
        let dated = entries.map { path -> (path: String, date: Date) in
            (path, (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast)
        }
        for old in dated.sorted(by: { $0.date > $1.date }).dropFirst(Self.maxEntries) where old.path != keeping {
            try? fm.removeItem(atPath: old.path)
        }
    }
}

/// What a validated load built from a rule set's YAML that a trusted `ParsedRulesCache` hit of the same bytes
/// takes as it is instead of building it again: each rule's derived facts (in load order) and the templates.
struct KnownBuild {
    var rules: [KnownRuleFacts] = []
    /// `TemplateSet.templates`, sorted as the loader sorts them; nil when not stored.
    var templates: [Template]? = nil
    /// The rules' expression trees by the node of their text (none when not stored).
    var expressions = KnownExpressions()
    /// What was built of each rule besides its kind, in load order (`rules`' order; none when not stored).
    var built: [KnownRule] = []

    init(
        rules: [KnownRuleFacts] = [], templates: [Template]? = nil, expressions: KnownExpressions = KnownExpressions(),
        built: [KnownRule] = []
    ) {
        self.rules = rules; self.templates = templates; self.expressions = expressions
        // Only a list of one per rule is kept: it is read by the rule's place.
        self.built = built.count == rules.count ? built : []
    }

    /// What `set` holds of it, with the trees its load parsed (`expressions`) and what it built of each rule (`built`).
    init(_ set: RuleSet, expressions: KnownExpressions = KnownExpressions(), built: [KnownRule] = []) {
        self.init(
            rules: set.rules.map(KnownRuleFacts.init), templates: set.templates.templates, expressions: expressions.sorted(),
            built: built)
    }
}

/// A 128-bit hash that is the same in every process (Swift's `Hasher` is seeded per process): two FNV-1a lanes.
struct StableHash {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142

    /// Eight bytes at a time, then the rest one by one.
    mutating func add(bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        for i in 0..<words {
            let w = bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
            a = (a ^ w) &* 0x0000_0100_0000_01b3
            a ^= a >> 31
            b = (b ^ w.byteSwapped) &* 0x9e37_79b9_7f4a_7c15
            b ^= b >> 29
        }
        for i in (words * 8)..<bytes.count { addByte(bytes[i]) }
    }

    mutating func addByte(_ byte: UInt8) {
        a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        b = (b ^ UInt64(byte ^ 0x5a)) &* 0x0000_0100_0000_01b3
        b = b &+ (b >> 29)
    }

    mutating func add(_ s: String) { for byte in s.utf8 { addByte(byte) } }

    mutating func addWord(_ n: UInt64) { for i in 0..<8 { addByte(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) } }

    var hex: String { String(a, radix: 16) + "-" + String(b, radix: 16) }
}

/// Writes `YAMLValue` trees as bytes: a kind byte, the position, then the text or the children.
struct TreeEncoder {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func int(_ n: Int) {
        var v = UInt64(n)
        repeat {
            bytes.append(UInt8(v & 0x7f) | (v > 0x7f ? 0x80 : 0))
            v >>= 7
        } while v > 0
    }

    mutating func string(_ s: String) {
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    /// What a validated load built: the rules' facts, then a presence byte and the templates, then the expression
    /// trees, then what it built of each rule besides its kind.
    mutating func knownBuild(_ known: KnownBuild) {
        ruleFacts(known.rules)
        if let t = known.templates { byte(1); templates(t) } else { byte(0) }
        knownExpressions(known.expressions)
        knownRules(known.built)
    }

    /// The rules' derived facts: their number, then per rule its id, 1 if it needs last year's report (else 0),
    /// and its templates (a number, then the ids).
    mutating func ruleFacts(_ rules: [KnownRuleFacts]) {
        int(rules.count)
        for r in rules {
            string(r.id)
            byte(r.needsPrevious ? 1 : 0)
            int(r.templates.count)
            for t in r.templates { string(t) }
        }
    }

    /// One document: a presence byte (0 for an empty document), then its root.
    mutating func document(_ v: YAMLValue?) {
        if let v { byte(1); value(v) } else { byte(0) }
    }

    mutating func value(_ v: YAMLValue) {
        switch v {
        case .scalar(let s):
            byte(s.tag == nil ? 0 : 1); byte(UInt8(s.style.rawValue)); int(s.mark.line); int(s.mark.column); string(s.string)
            if let tag = s.tag { string(tag) }
        case .sequence(let l):
            byte(2); int(l.mark.line); int(l.mark.column); int(l.items.count)
            for item in l.items { value(item) }
        case .mapping(let m):
            byte(3); int(m.mark.line); int(m.mark.column); int(m.pairs.count)
            for p in m.pairs { value(p.key); value(p.value) }
        }
    }
}

/// Reads the numbers and texts `TreeEncoder` wrote (`FlatYAML.decode` reads its trees); any malformed byte gives
/// nil (a corrupt entry), never a crash.
struct TreeDecoder {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        let b = bytes[offset]
        offset += 1
        return b
    }

    mutating func int() -> Int? {
        var v = 0
        var shift = 0
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            v |= Int(b & 0x7f) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
            if shift > 28 { return nil }
        }
        return nil
    }

    /// What `TreeEncoder.knownBuild` wrote; nil when the bytes are not that. `source`: see `knownRules(source:)`.
    mutating func knownBuild(source: [UInt8]? = nil) -> KnownBuild? {
        guard let rules = ruleFacts() else { return nil }
        var templates: [Template]?
        switch byte() {
        case 0: templates = nil
        case 1:
            guard let t = self.templates() else { return nil }
            templates = t
        default: return nil
        }
        guard let expressions = knownExpressions(), let built = knownRules(source: source) else { return nil }
        return KnownBuild(rules: rules, templates: templates, expressions: expressions, built: built)
    }

    /// What `TreeEncoder.ruleFacts` wrote; nil when the bytes are not that.
    mutating func ruleFacts() -> [KnownRuleFacts]? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var out: [KnownRuleFacts] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let id = string(), let previous = byte(), previous <= 1, let n = int(), n <= bytes.count - offset else { return nil }
            var templates: [String] = []
            templates.reserveCapacity(n)
            for _ in 0..<n {
                guard let t = string() else { return nil }
                templates.append(t)
            }
            out.append(KnownRuleFacts(id: id, templates: templates, needsPrevious: previous == 1))
        }
        return out
    }

    mutating func string() -> String? {
        guard let n = int(), n <= bytes.count - offset else { return nil }
        let s = n == 0 ? "" : String(decoding: UnsafeBufferPointer(start: bytes.baseAddress! + offset, count: n), as: UTF8.self)
        offset += n
        return s
    }
}
