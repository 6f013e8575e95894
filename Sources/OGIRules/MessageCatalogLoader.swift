import Foundation
import OGIModel

/// Reads `messages:` files into a `MessageCatalog`: every key must be one the tool uses (`MessageKeys.all`),
/// every placeholder one its key provides, and after all folders are read every key must have a text.
enum MessageCatalogLoader {
    /// `validate: false` (a trusted cache hit) skips the key and placeholder checks, which can only fail.
    static func load(_ docs: [YNode], fallbackFile: String, validate: Bool = true) throws -> MessageCatalog {
        if !validate, let lazy = try lazyCatalog(docs) { return lazy }
        return try loadNow(docs, fallbackFile: fallbackFile, validate: validate)
    }

    /// Without validation (a trusted hit), a catalog that reads its texts when asked for (`MessageSource`): each
    /// key by a scan of the mappings' keys, later files first, the last pair of a mapping first, as the dictionary
    /// `loadNow` fills gives it; all of them by `loadNow`. Nil (read now) unless every key is a scalar of ASCII
    /// text, where equal bytes are equal keys.
    static func lazyCatalog(_ docs: [YNode]) throws -> MessageCatalog? {
        var found: [(file: String, mapping: YNode)] = []
        for doc in docs {
            let top = try doc.mapping(allowed: ["messages", "description"], what: "a message catalog")
            guard let m = top["messages"], m.isMapping else { return nil }
            var k = m.index + 1
            for _ in 0..<m.pairCount {
                guard m.table.isASCIIScalar(k) else { return nil }
                let v = k + 1
                guard m.table.nodes[v].kind <= 1 else { return nil }
                k = v + m.table.size(v)
            }
            found.append((doc.file, m))
        }
        let maps = found
        let source = MessageSource(
            find: { key in
                for (file, m) in maps.reversed() {
                    var found: MessageCatalog.Entry?
                    var k = m.index + 1
                    for _ in 0..<m.pairCount {
                        let v = k + 1
                        if m.table.text(k, equals: key) {
                            found = MessageCatalog.Entry(
                                text: m.table.text(v), file: file, line: Int(m.table.nodes[v].line), column: Int(m.table.nodes[v].column))
                        }
                        k = v + m.table.size(v)
                    }
                    if let found { return found }
                }
                return nil
            },
            all: { (try? loadNow(docs, fallbackFile: "", validate: false).entries) ?? [:] })
        return MessageCatalog(source: source)
    }

    static func loadNow(_ docs: [YNode], fallbackFile: String, validate: Bool) throws -> MessageCatalog {
        // The texts are gathered in one dictionary sized for them (a later folder's text replaces an earlier one's,
        // as `MessageCatalog.set` does), so it is not grown and rehashed along the way.
        var entries: [String: MessageCatalog.Entry] = [:]
        entries.reserveCapacity(docs.reduce(0) { $0 + ($1.firstValue(forKey: "messages").map { $0.isMapping ? $0.pairCount : 0 } ?? 0) })
        let known = validate ? MessageKeys.all : [:]
        for doc in docs {
            let top = try doc.mapping(allowed: ["messages", "description"], what: "a message catalog")
            guard let m = top["messages"], m.isMapping else {
                throw doc.fail("'messages:' must map keys to texts, e.g. engine.unevaluated.fix: 确认报告包含所需的表格")
            }
            for (kn, vn) in m.pairs {
                let key = try kn.string("a message key")
                if !validate {
                    entries[key] = MessageCatalog.Entry(text: try vn.string(key), file: doc.file, line: vn.line, column: vn.column)
                    continue
                }
                guard let allowed = known[key] else {
                    var msg = "unknown message key '\(key)'"
                    if let near = YNode.closest(key, in: Array(known.keys)) {
                        msg += " (did you mean '\(near)'?)"
                    } else {
                        msg += "; the keys are those of the bundled rules/messages.yml"
                    }
                    throw kn.fail(msg)
                }
                let text = try vn.string(key)
                try RuleParser.checkTemplate(text, at: vn)
                for p in MessageCatalog.placeholders(in: text) where !allowed.contains(p) {
                    var msg =
                        "unknown placeholder {\(p)} in message '\(key)'; it provides: \(allowed.isEmpty ? "no placeholders" : allowed.sorted().map { "{\($0)}" }.joined(separator: ", "))"
                    if let near = YNode.closest(p, in: Array(allowed)) { msg += " (did you mean {\(near)}?)" }
                    throw vn.fail(msg)
                }
                entries[key] = MessageCatalog.Entry(text: text, file: doc.file, line: vn.line, column: vn.column)
            }
        }
        let catalog = MessageCatalog(entries: entries)
        guard validate else { return catalog }
        let missing = known.keys.filter { catalog.entries[$0] == nil }.sorted()
        if !missing.isEmpty {
            let shown = missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? " and \(missing.count - 8) more" : "")
            if let last = docs.last {
                throw last.fail("the message catalog lacks \(shown); the bundled rules/messages.yml defines every key")
            }
            throw RulePackError.unreadable(
                path: fallbackFile,
                reason: "no message catalog found (a file with 'messages:'; the bundled one is rules/messages.yml) — it lacks \(shown)")
        }
        return catalog
    }
}
