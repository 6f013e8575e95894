import Foundation

/// A minimal JSON writer that keeps key order and writes explicit nulls, so output is stable byte for byte.
public indirect enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public static func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func opt(_ i: Int?) -> JSONValue { i.map(JSONValue.int) ?? .null }

    /// Serialises with two-space indentation; `indent` is the nesting level the value starts at (its closing
    /// bracket is indented by it, its members one level deeper).
    public func render(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: indent)
        return out
    }

    /// Appends the serialisation to `out` (one buffer for the whole value: no string per member).
    public func render(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): JSONValue.appendQuoted(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (k, v) in a.enumerated() {
                out += k == 0 ? "\n" : ",\n"
                Self.appendPad(indent + 1, to: &out)
                v.render(into: &out, indent: indent + 1)
            }
            out += "\n"
            Self.appendPad(indent, to: &out)
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (k, member) in o.enumerated() {
                out += k == 0 ? "\n" : ",\n"
                Self.appendPad(indent + 1, to: &out)
                JSONValue.appendQuoted(member.0, to: &out)
                out += ": "
                member.1.render(into: &out, indent: indent + 1)
            }
            out += "\n"
            Self.appendPad(indent, to: &out)
            out += "}"
        }
    }

    /// Two spaces per level (one append of a padding made once for the usual depths).
    static func appendPad(_ level: Int, to out: inout String) {
        if level < pads.count {
            if level > 0 { out += pads[level] }
            return
        }
        for _ in 0..<level { out += "  " }
    }

    /// The padding of each level below 16.
    static let pads: [String] = (0..<16).map { String(repeating: "  ", count: $0) }

    /// The string in JSON quotes, with `"`, `\`, line feed, carriage return and tab escaped by name and the
    /// other control characters below U+0020 as `\u00xx`.
    static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `quote(s)` to `out`. Works on the UTF-8 bytes: every byte that needs an escape is ASCII, and no
    /// byte of a multi-byte scalar is (they are all 0x80 and up), so the runs between escapes are copied whole.
    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        var utf8 = s
        let escaped = utf8.withUTF8 { bytes -> Bool in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if runStart < i { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<i]), as: UTF8.self) }
                runStart = i + 1
                switch b {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                default:
                    let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
                    out += "\\u00"
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
            }
            if runStart == 0 { return false }
            if runStart < bytes.count { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart...]), as: UTF8.self) }
            return true
        }
        if !escaped { out += s }
        out += "\""
    }
}

/// Writes JSON straight into one buffer, container by container, byte for byte what rendering the equivalent
/// `JSONValue` with `render(into:indent:)` gives: no tree of values is built for a report's findings.
/// Open a container, write its members (`key` before each member of an object, `element` before each item of
/// an array), close it; scalars are written with `string`, `int`, `null`, `bool`.
public struct JSONBuffer {
    public var text: String
    /// The indentation of the value the buffer starts with (as `render(into:indent:)`'s `indent`).
    private let base: Int
    /// Per open container: whether it has a member yet.
    private var filled: [Bool] = []

    public init(text: String = "", indent: Int) { self.text = text; base = indent }

    /// `{` or `[`.
    public mutating func open(_ bracket: Character) {
        text.append(bracket)
        filled.append(false)
    }

    /// `}` or `]`: an empty container stays `{}` / `[]`, a filled one closes on a line of its own.
    public mutating func close(_ bracket: Character) {
        if filled.removeLast() {
            text += "\n"
            JSONValue.appendPad(base + filled.count, to: &text)
        }
        text.append(bracket)
    }

    /// Starts the next item of the innermost array (or member of an object, after which `key` writes the name).
    public mutating func element() {
        let depth = filled.count
        if filled[depth - 1] {
            text += ",\n"
        } else {
            text += "\n"
            filled[depth - 1] = true
        }
        JSONValue.appendPad(base + depth, to: &text)
    }

    /// Starts the next member of the innermost object: `"key": `.
    public mutating func key(_ k: String) {
        element()
        JSONValue.appendQuoted(k, to: &text)
        text += ": "
    }

    /// `key(k)` for a name that needs no escaping (letters, digits and `_`): written without scanning it.
    public mutating func plainKey(_ k: String) {
        element()
        text += "\""
        text += k
        text += "\": "
    }

    public mutating func string(_ s: String) { JSONValue.appendQuoted(s, to: &text) }
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int(_ i: Int) { text += String(i) }
    public mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    public mutating func bool(_ b: Bool) { text += b ? "true" : "false" }
    public mutating func null() { text += "null" }
}
