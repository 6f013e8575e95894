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

    /// Two spaces per level.
    static func appendPad(_ level: Int, to out: inout String) {
        for _ in 0..<max(0, level) { out += "  " }
    }

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
