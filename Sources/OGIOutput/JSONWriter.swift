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

    /// True for a byte JSON escapes: a control character, `"` or `\`. All are ASCII, and no byte of a multi-byte
    /// scalar is (they are all 0x80 and up), so the runs between escapes are copied whole.
    @inline(__always) static func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C }

    /// True when one of the eight bytes of `w` needs escaping (`needsEscape`): a byte below 0x20, or one equal to
    /// `"` or `\` (a zero byte of `w` xor that byte repeated). The word tests are exact: each is nonzero exactly when
    /// some byte qualifies (below 0x80 for the bound, which 0x20 is).
    @inline(__always) static func wordNeedsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below = (w &- 0x20 &* ones) & ~w & highs
        let quote = w ^ (0x22 &* ones), backslash = w ^ (0x5C &* ones)
        let quotes = (quote &- ones) & ~quote & highs
        let backslashes = (backslash &- ones) & ~backslash & highs
        return (below | quotes | backslashes) != 0
    }

    /// Appends `quote(s)` to `out` as UTF-8 bytes: `"`, `\`, line feed, carriage return and tab escaped by name,
    /// the other control characters as `\u00xx`.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        s.withUTF8Bytes { bytes in
            var runStart = 0
            var i = 0
            let n = bytes.count
            while i < n {
                // Eight bytes at a time while none of them is escaped (most of a finding's text).
                if i &+ 8 <= n, let base = bytes.baseAddress,
                    !wordNeedsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                {
                    i &+= 8
                    continue
                }
                let b = bytes[i]
                i &+= 1
                guard needsEscape(b) else { continue }
                let at = i - 1
                if runStart < at { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<at])) }
                runStart = at + 1
                out.append(0x5C)
                switch b {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(0x6E)  // n
                case 0x0D: out.append(0x72)  // r
                case 0x09: out.append(0x74)  // t
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])  // u00xx
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        out.append(0x22)
    }

    /// Appends `quote(s)` to `out`: a string with nothing to escape as it is between quotes, any other through
    /// the bytes `appendQuoted(_:to:)` writes.
    static func appendQuoted(_ s: String, to out: inout String) {
        if s.withUTF8Bytes({ !$0.contains(where: needsEscape) }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        var quoted: [UInt8] = []
        appendQuoted(s, to: &quoted)
        out += String(decoding: quoted, as: UTF8.self)
    }
}

/// A JSON document written member by member straight into UTF-8 bytes (no tree, and none of `String`'s checks
/// on every append), in exactly the layout `JSONValue.render(into:indent:)` gives: two spaces per level, a member
/// per line, empty containers as `{}` and `[]`. `JSONBufferTests` compares the two on every sample.
public struct JSONBuffer {
    /// The document so far.
    public var bytes: [UInt8]
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// The indentation of the value the buffer starts with (as `render(into:indent:)`'s `indent`).
    private let base: Int
    /// Per open container: whether it has a member yet.
    private var filled: [Bool] = []

    public init(text: String = "", indent: Int) {
        bytes = Array(text.utf8)
        bytes.reserveCapacity(4096)
        base = indent
    }

    @inline(__always) private mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Spaces for `pad`, appended from this one buffer (`repeatElement` went through the generic sequence
    /// append, an iterator step per space).
    private static let spaces: StaticString = "                                                                "

    private mutating func pad(_ level: Int) {
        var n = 2 * level
        while n > 0 {
            let k = min(n, Self.spaces.utf8CodeUnitCount)
            bytes.append(contentsOf: UnsafeBufferPointer(start: Self.spaces.utf8Start, count: k))
            n -= k
        }
    }

    /// `{` or `[`.
    public mutating func open(_ bracket: Character) {
        bytes.append(bracket.asciiValue!)
        filled.append(false)
    }

    /// `}` or `]`: an empty container stays `{}` / `[]`, a filled one closes on a line of its own.
    public mutating func close(_ bracket: Character) {
        if filled.removeLast() {
            bytes.append(0x0A)
            pad(base + filled.count)
        }
        bytes.append(bracket.asciiValue!)
    }

    /// Starts the next item of the innermost array (or member of an object, after which `key` writes the name).
    public mutating func element() {
        let depth = filled.count
        if filled[depth - 1] {
            append(",\n")
        } else {
            bytes.append(0x0A)
            filled[depth - 1] = true
        }
        pad(base + depth)
    }

    /// Starts the next member of the innermost object: `"key": `.
    public mutating func key(_ k: String) {
        element()
        JSONValue.appendQuoted(k, to: &bytes)
        append(": ")
    }

    /// `key(k)` for a name that needs no escaping (letters, digits and `_`): written without scanning it.
    /// The separator, indentation, quoted name and `: ` are written into a small buffer and appended at once (an
    /// append to the document costs about as much as a short key: five of them a key, before).
    public mutating func plainKey(_ k: StaticString) {
        let depth = filled.count
        let separated = filled[depth - 1]
        filled[depth - 1] = true
        let indent = 2 * (base + depth), name = k.utf8CodeUnitCount
        let n = (separated ? 2 : 1) + indent + name + 4
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { b in
            var i = 0
            if separated { b[0] = UInt8(ascii: ","); i = 1 }
            b[i] = 0x0A
            i += 1
            for j in 0..<indent { b[i + j] = 0x20 }
            i += indent
            b[i] = 0x22
            i += 1
            for j in 0..<name { b[i + j] = k.utf8Start[j] }
            i += name
            b[i] = 0x22; b[i + 1] = UInt8(ascii: ":"); b[i + 2] = 0x20
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<(i + 3)]))
        }
    }

    public mutating func string(_ s: String) { JSONValue.appendQuoted(s, to: &bytes) }
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int(_ i: Int) { bytes.append(contentsOf: String(i).utf8) }
    public mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    public mutating func bool(_ b: Bool) { if b { append("true") } else { append("false") } }
    public mutating func null() { append("null") }
}
