import Foundation

/// A message not yet put into words: a catalog key and the values for its `{name}` placeholders.
/// Rendered through a `MessageCatalog` only when a finding is made, so a province can reword it.
public struct CatalogMessage: Sendable, Hashable {
    public var key: String
    public var values: [String: String]

    public init(_ key: String, _ values: [String: String] = [:]) {
        self.key = key; self.values = values
    }

    /// A number that equal messages share, made without hashing a string: from the UTF-8 lengths of the key and
    /// of each value and its name, summed over the values (whose order is no part of a message). Messages that
    /// differ mostly differ in it, so comparing it first spares most comparisons of values.
    public var fingerprint: Int {
        var f = key.utf8.count &* 31 &+ values.count
        for (name, value) in values { f = f &+ (name.utf8.count &* 0x9E37_79B1 ^ value.utf8.count) &* 0x85EB_CA6B }
        return f
    }
}

/// Every user-facing sentence of the tool that is not a rule's own message: keyed texts with `{name}`
/// placeholders, loaded from `messages.yml` in the rule folders (a province's folder may override keys).
public struct MessageCatalog: Sendable {
    /// One text and where it was defined.
    public struct Entry: Sendable, Equatable {
        public var text: String
        public var file: String
        public var line: Int
        public var column: Int

        public init(text: String, file: String, line: Int, column: Int) {
            self.text = text; self.file = file; self.line = line; self.column = column
        }
    }

    /// Every text by key.
    public var entries: [String: Entry] { source?.all ?? stored }
    private var stored: [String: Entry]
    /// Where the texts are read from when they were not all read yet (a trusted rule cache hit).
    private var source: MessageSource?

    public init(entries: [String: Entry] = [:]) {
        stored = entries
        source = nil
    }

    /// A catalog whose texts `source` reads when they are first asked for.
    public init(source: MessageSource) {
        stored = [:]
        self.source = source
    }

    /// Adds or replaces one text (a later rule folder overrides an earlier one).
    public mutating func set(_ key: String, _ entry: Entry) {
        if let source {
            stored = source.all
            self.source = nil
        }
        stored[key] = entry
    }

    /// The text of `key`, as `entries[key]`.
    public func entry(_ key: String) -> Entry? {
        if let source { return source.entry(key) }
        return stored[key]
    }

    /// The text for `key` with its placeholders filled. A key the loader did not check renders as the key itself.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        guard let e = entry(key) else { return key }
        return Self.fill(e.text, values)
    }

    /// Renders a deferred message.
    public func text(_ m: CatalogMessage) -> String { text(m.key, m.values) }

    /// Replaces each `{name}` with its value; an unknown name stays as written.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        guard FastText.containsByte(template, UInt8(ascii: "{")) else { return template }
        return fillBytes(template, values) ?? fillCharacters(template, values)
    }

    /// `fill` read character by character: the reference `fillBytes` gives the same text as.
    static func fillCharacters(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var name = ""
        var inBrace = false
        for c in template {
            if c == "{" { inBrace = true; name = ""; continue }
            if c == "}" && inBrace { inBrace = false; out += values[name] ?? "{\(name)}"; continue }
            if inBrace { name.append(c) } else { out.append(c) }
        }
        return out
    }

    /// `fill` over the template's bytes, for a template whose braces are characters of their own
    /// (`bracesStandAlone`): a `{` or `}` byte is then exactly a `{` or `}` character, and the bytes
    /// between them are the characters the character scan collects. As there: a `{` starts a new name (dropping
    /// one not closed), a `}` outside a name is text, and a name left open at the end is dropped.
    /// Nil when a brace does not stand alone: asked at each brace the scan comes to (`braceStandsAlone`), so
    /// the template is read once, not once for `bracesStandAlone` and again to fill it.
    static func fillBytes(_ template: String, _ values: [String: String]) -> String? {
        return template.withUTF8Bytes { b -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 64)
            var nameStart = -1
            let n = b.count
            var i = 0
            // From brace to brace: the text between two braces outside a name is appended as one run.
            while i < n {
                var j = i
                while j < n && b[j] != UInt8(ascii: "{") && b[j] != UInt8(ascii: "}") { j += 1 }
                if nameStart < 0 && j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j])) }
                if j == n { break }
                guard braceStandsAlone(b, at: j) else { return nil }
                if b[j] == UInt8(ascii: "{") {
                    nameStart = j + 1
                } else if nameStart >= 0 {
                    let name = String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[nameStart..<j]))
                    if let value = values[name] {
                        out.append(contentsOf: value.utf8)
                    } else {
                        out.append(UInt8(ascii: "{")); out.append(contentsOf: name.utf8); out.append(UInt8(ascii: "}"))
                    }
                    nameStart = -1
                } else {
                    out.append(UInt8(ascii: "}"))  // a `}` outside a name is text
                }
                i = j + 1
            }
            // Valid by construction: runs of the template cut at brace bytes (ASCII, so scalar boundaries), the
            // values' and names' own bytes, and braces.
            return out.withUnsafeBufferPointer { String(knownValidUTF8: $0) }
        }
    }

    /// The `{name}` placeholders a template uses, in order of first use.
    public static func placeholders(in template: String) -> [String] {
        if bracesStandAlone(template) {
            // Byte scan: each brace is a character of its own, so bytes give the same names as characters.
            var out: [String] = []
            var start: Int?
            let bytes = Array(template.utf8)
            for (i, b) in bytes.enumerated() {
                if b == UInt8(ascii: "{") {
                    start = i + 1
                } else if b == UInt8(ascii: "}"), let s = start {
                    let name = String(decoding: bytes[s..<i], as: UTF8.self)
                    if !out.contains(name) { out.append(name) }
                    start = nil
                }
            }
            return out
        }
        var out: [String] = []
        var name = ""
        var inBrace = false
        for c in template {
            if c == "{" { inBrace = true; name = ""; continue }
            if c == "}" && inBrace { inBrace = false; if !out.contains(name) { out.append(name) }; continue }
            if inBrace { name.append(c) }
        }
        return out
    }

    /// True when the scalars on both sides of every `{` and `}` (where there are any) are ASCII, CJK ideographs
    /// and punctuation, general punctuation from the dashes to the ellipsis (U+2010...U+2027: the quotes “ ” ‘ ’
    /// around a value), or full-width forms. None of them joins a brace to the character before or after it (no
    /// prepended mark such as U+0600 before it, no combining mark after it), so every brace is a character of its
    /// own and a scan over bytes sees the same braces, and the same text between them, as one over characters.
    public static func bracesStandAlone(_ text: String) -> Bool {
        // Read on the UTF-8 bytes (every message filled asked this): only the scalars next to a brace are decoded.
        text.withUTF8Bytes { b in
            for i in 0..<b.count where (b[i] == 0x7B || b[i] == 0x7D) && !braceStandsAlone(b, at: i) { return false }
            return true
        }
    }

    /// Whether the scalars before and after the brace byte at `i` of the valid UTF-8 `b` (where there are any)
    /// are of the kinds `bracesStandAlone` lists. A brace is the byte 7B or 7D, which occurs in UTF-8 only as
    /// itself; the scalar before it starts at the last byte before it that is no continuation byte (10xxxxxx).
    @inline(__always)
    static func braceStandsAlone(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        func plain(_ v: UInt32) -> Bool {
            switch v {
            case 0..<0x80, 0x2010...0x2027, 0x3001...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
            default: return false
            }
        }
        if i > 0 {
            var s = i - 1
            while s > 0 && b[s] & 0xC0 == 0x80 { s -= 1 }
            if !plain(UTF8Scan.scalar(b, s).0) { return false }
        }
        return i + 1 >= b.count || plain(UTF8Scan.scalar(b, i + 1).0)
    }
}

/// The texts of a message catalog read on demand: one key at a time by `find` (a run that reports nothing asks for
/// a few), all of them by `readAll` once more than `maxLookups` keys were asked for or `all` is read. Made once
/// each, under a lock, so a catalog can be shared across threads. `find` gives what `readAll()[key]` gives for
/// every key whose UTF-8 is ASCII; any other key is looked up in `all`.
public final class MessageSource: @unchecked Sendable {
    private let lock = NSLock()
    private let find: @Sendable (String) -> MessageCatalog.Entry?
    private let readAll: @Sendable () -> [String: MessageCatalog.Entry]
    private var found: [String: MessageCatalog.Entry?] = [:]
    private var made: [String: MessageCatalog.Entry]?

    /// Keys looked up one at a time before every text is read.
    public static let maxLookups = 24

    public init(
        find: @escaping @Sendable (String) -> MessageCatalog.Entry?, all: @escaping @Sendable () -> [String: MessageCatalog.Entry]
    ) {
        self.find = find
        readAll = all
    }

    /// Every text by key.
    public var all: [String: MessageCatalog.Entry] {
        lock.lock()
        defer { lock.unlock() }
        return allLocked()
    }

    private func allLocked() -> [String: MessageCatalog.Entry] {
        if let made { return made }
        let all = readAll()
        made = all
        return all
    }

    /// The text of `key`.
    public func entry(_ key: String) -> MessageCatalog.Entry? {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made[key] }
        if let known = found[key] { return known }
        guard found.count < Self.maxLookups, key.utf8.allSatisfy({ $0 < 0x80 }) else { return allLocked()[key] }
        let e = find(key)
        found[key] = e
        return e
    }
}
