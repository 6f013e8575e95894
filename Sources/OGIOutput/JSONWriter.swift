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
    /// the other control characters as `\u00xx` (`writeQuoted`, through a buffer with room for the longest result).
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        s.withUTF8Bytes { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: quotedCapacity(bytes.count)) { room in
                let n = writeQuoted(bytes, into: room.baseAddress!)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: room[0..<n]))
            }
        }
    }

    /// The most bytes `writeQuoted` writes for a text of `count` bytes: two quotes, and six bytes (`\u00xx`) a byte.
    @inline(__always) static func quotedCapacity(_ count: Int) -> Int { 2 &+ 6 &* count }

    /// Writes `quote` of the UTF-8 text `bytes` into `out`, which has room for `quotedCapacity(bytes.count)` bytes,
    /// and gives the count written. Eight bytes are stepped over at a time while none is escaped (most of a
    /// finding's text), and the runs between escapes are copied whole.
    static func writeQuoted(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let n = bytes.count
        var o = 0
        out[o] = 0x22
        o &+= 1
        guard let src = bytes.baseAddress else {
            out[o] = 0x22
            return 2
        }
        var runStart = 0
        var i = 0
        while i < n {
            if i &+ 8 <= n, !wordNeedsEscape(UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)) {
                i &+= 8
                continue
            }
            let b = src[i]
            i &+= 1
            guard needsEscape(b) else { continue }
            let at = i &- 1
            if runStart < at {
                (out + o).update(from: src + runStart, count: at &- runStart)
                o &+= at &- runStart
            }
            runStart = i
            out[o] = 0x5C
            o &+= 1
            switch b {
            case 0x22: out[o] = 0x22; o &+= 1
            case 0x5C: out[o] = 0x5C; o &+= 1
            case 0x0A: out[o] = 0x6E; o &+= 1  // n
            case 0x0D: out[o] = 0x72; o &+= 1  // r
            case 0x09: out[o] = 0x74; o &+= 1  // t
            default:
                let hex: StaticString = "0123456789abcdef"
                out[o] = 0x75; out[o &+ 1] = 0x30; out[o &+ 2] = 0x30  // u00
                out[o &+ 3] = hex.utf8Start[Int(b >> 4)]
                out[o &+ 4] = hex.utf8Start[Int(b & 0xF)]
                o &+= 5
            }
        }
        if runStart < n {
            (out + o).update(from: src + runStart, count: n &- runStart)
            o &+= n &- runStart
        }
        out[o] = 0x22
        return o &+ 1
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
///
/// The bytes are written into a buffer of its own, grown by doubling: each piece (most are a few bytes: a
/// separator, a key, `null`) is one capacity test and a copy, where an `Array` append also checked that the array
/// was uniquely referenced and called `memcpy`. A buffer is written by one owner and not copied (a copy would share
/// the bytes).
public struct JSONBuffer {
    /// The document's bytes so far: `count` of them at `base`, room for `capacity`.
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// Where the next `n` bytes go, with room made for them; `count` is moved on by the caller.
        @inline(__always) func room(_ n: Int) -> UnsafeMutablePointer<UInt8> {
            if count &+ n > capacity { grow(to: count + n) }
            return base + count
        }

        func grow(to needed: Int) {
            var c = capacity * 2
            while c < needed { c *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            b.update(from: base, count: count)
            base.deallocate()
            base = b
            capacity = c
        }
    }

    private let storage: Storage
    /// The document so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }
    /// Calls `body` with the document's bytes so far (no copy).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }
    public var text: String { String(decoding: UnsafeBufferPointer(start: storage.base, count: storage.count), as: UTF8.self) }
    /// The indentation of the value the buffer starts with (as `render(into:indent:)`'s `indent`).
    private let base: Int
    /// Per open container: whether it has a member yet.
    private var filled: [Bool] = []

    public init(text: String = "", indent: Int) {
        storage = Storage(capacity: 4096)
        base = indent
        write(text)
    }

    /// Appends `n` bytes from `p`.
    @inline(__always) private func write(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        storage.room(n).update(from: p, count: n)
        storage.count &+= n
    }

    @inline(__always) private func write(_ b: UInt8) {
        storage.room(1).pointee = b
        storage.count &+= 1
    }

    @inline(__always) private func write(_ s: StaticString) { write(s.utf8Start, s.utf8CodeUnitCount) }

    private func write(_ s: String) {
        s.withUTF8Bytes { b in if let p = b.baseAddress { write(p, b.count) } }
    }

    private func pad(_ level: Int) {
        let n = 2 * level
        guard n > 0 else { return }
        storage.room(n).update(repeating: 0x20, count: n)
        storage.count &+= n
    }

    /// `{` or `[`.
    public mutating func open(_ bracket: Character) {
        write(bracket.asciiValue!)
        filled.append(false)
    }

    /// `}` or `]`: an empty container stays `{}` / `[]`, a filled one closes on a line of its own.
    public mutating func close(_ bracket: Character) {
        if filled.removeLast() {
            write(0x0A)
            pad(base + filled.count)
        }
        write(bracket.asciiValue!)
    }

    /// Starts the next item of the innermost array (or member of an object, after which `key` writes the name).
    public mutating func element() {
        let depth = filled.count
        if filled[depth - 1] {
            write(",\n")
        } else {
            write(0x0A)
            filled[depth - 1] = true
        }
        pad(base + depth)
    }

    /// Starts the next member of the innermost object: `"key": `.
    public mutating func key(_ k: String) {
        element()
        string(k)
        write(": ")
    }

    /// `key(k)` for a name that needs no escaping (letters, digits and `_`): written without scanning it, the
    /// separator, indentation, quoted name and `: ` straight into the buffer.
    public mutating func plainKey(_ k: StaticString) {
        let depth = filled.count
        let separated = filled[depth - 1]
        filled[depth - 1] = true
        let indent = 2 * (base + depth), name = k.utf8CodeUnitCount
        let n = (separated ? 2 : 1) + indent + name + 4
        let b = storage.room(n)
        var i = 0
        if separated { b[0] = UInt8(ascii: ","); i = 1 }
        b[i] = 0x0A
        i += 1
        (b + i).update(repeating: 0x20, count: indent)
        i += indent
        b[i] = 0x22
        i += 1
        (b + i).update(from: k.utf8Start, count: name)
        i += name
        b[i] = 0x22; b[i + 1] = UInt8(ascii: ":"); b[i + 2] = 0x20
        storage.count &+= n
    }

    /// `s` quoted as `JSONValue.appendQuoted(_:to:)` quotes it, written in place (`JSONValue.writeQuoted`) once room
    /// is made for the longest it can become.
    public mutating func string(_ s: String) {
        s.withUTF8Bytes { bytes in
            let written = JSONValue.writeQuoted(bytes, into: storage.room(JSONValue.quotedCapacity(bytes.count)))
            storage.count &+= written
        }
    }

    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int(_ i: Int) { write(String(i)) }
    public mutating func int(_ i: Int?) { if let i { int(i) } else { null() } }
    public mutating func bool(_ b: Bool) { if b { write("true") } else { write("false") } }
    public mutating func null() { write("null") }
}
