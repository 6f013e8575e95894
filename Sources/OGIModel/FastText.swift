import Foundation

/// Byte-level text helpers for hot paths (Foundation's `contains`/`range(of:)` go through NSString and are slow).
public enum FastText {
    /// `s.utf8.contains(byte)`, found with `memchr` over the string's bytes (the generic `contains` reads the
    /// UTF-8 view one element at a time).
    @inlinable public static func containsByte(_ s: String, _ byte: UInt8) -> Bool {
        return s.withUTF8Bytes { b in
            guard let base = b.baseAddress else { return false }
            return memchr(base, Int32(byte), b.count) != nil
        }
    }

    /// True when `needle` occurs in `haystack` (exact UTF-8 bytes).
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        needle.isEmpty || firstByteOffset(of: needle, in: haystack) != nil
    }

    /// The UTF-8 offset in `haystack` where the first occurrence of `needle`'s bytes starts; nil when there is
    /// none or `needle` is empty. The C library's `memchr` finds each place the needle's last byte occurs (in
    /// Chinese text a UTF-8 continuation byte, far rarer than a lead byte) and only there are the bytes
    /// compared; ends are tried in order, so the first end found is the first occurrence.
    public static func firstByteOffset(of needle: String, in haystack: String) -> Int? {
        if needle.isEmpty { return nil }
        return haystack.withUTF8Bytes { hb in firstByteOffset(of: needle, inBytes: hb) }
    }

    /// `firstByteOffset(of:in:)` in the bytes `hb` (a text's UTF-8, or several texts' one after another).
    public static func firstByteOffset(of needle: String, inBytes hb: UnsafeBufferPointer<UInt8>) -> Int? {
        needle.withUTF8Bytes { nb -> Int? in
            let hc = hb.count, nc = nb.count
            guard nc > 0, nc <= hc, let hp = hb.baseAddress, let np = nb.baseAddress else { return nil }
            let base = UnsafeRawPointer(hp)
            let last = Int32(nb[nc - 1])
            // The byte before the last compared in place first: in Chinese text a continuation byte found by
            // `memchr` ends some other character about 63 times in 64, and most such places are passed over on it
            // without a call to `memcmp`.
            let beforeLast: UInt8? = nc >= 2 ? nb[nc - 2] : nil
            var end = nc - 1
            while end < hc {
                guard let found = memchr(base + end, last, hc - end) else { return nil }
                end = base.distance(to: UnsafeRawPointer(found))
                if let beforeLast, hp[end - 1] != beforeLast {
                    end += 1
                    continue
                }
                if memcmp(base + (end - nc + 1), np, nc) == 0 { return end - nc + 1 }
                end += 1
            }
            return nil
        }
    }

    /// True when the two texts have the same UTF-8 bytes (`a.utf8.elementsEqual(b.utf8)`, compared with `memcmp`).
    public static func bytesEqual(_ a: String, _ b: String) -> Bool {
        return a.withUTF8Bytes { ab in
            b.withUTF8Bytes { bb in
                guard ab.count == bb.count else { return false }
                guard let ap = ab.baseAddress, let bp = bb.baseAddress else { return true }
                return memcmp(ap, bp, ab.count) == 0
            }
        }
    }

    /// `a == b` (Swift's canonical equivalence), answered from the bytes when that is certain: the same bytes are
    /// the same text, and two texts of plain scalars only (`isAllPlain`) are equal only with the same bytes. Only
    /// texts that differ in their bytes and hold some other scalar are compared by `==`, whose comparison of two
    /// different non-ASCII texts normalises both. `FastEqualityTests` compares the two.
    public static func equal(_ a: String, _ b: String) -> Bool {
        if bytesEqual(a, b) { return true }
        if isAllPlain(a) && isAllPlain(b) { return false }
        return a == b
    }

    /// `equal(a, b)` with `b`'s plainness (`isAllPlain(b)`) already known: for one text compared with many, whose
    /// plainness is then read once instead of at every comparison.
    public static func equal(_ a: String, _ b: String, bIsPlain: Bool) -> Bool {
        if bytesEqual(a, b) { return true }
        if bIsPlain && isAllPlain(a) { return false }
        return a == b
    }

    /// `s.hasPrefix(prefix)` (characters compared as Swift compares them), answered from the bytes when `prefix` is
    /// plain (`isAllPlain`) and so is every scalar of `s` that starts within `prefix`'s length in bytes or right at its
    /// end: then the first characters of `s` are single scalars, each equal only to itself, as far as a difference
    /// from `prefix` can be (scalars equal to `prefix`'s take the same bytes), and the character after an equal front
    /// starts with a plain scalar, which joins nothing before it; so they are `prefix`'s exactly when its first bytes
    /// are. The rest of `s` is not read (reading all of a long line for plainness cost about 600 instructions a call).
    /// `FastEqualityTests` compares the two.
    public static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        plainFrontBytes(s, prefix) ?? s.hasPrefix(prefix)
    }

    /// Whether `s` starts with the bytes of `x`; nil unless `x` is plain and so is every scalar of `s` that starts at
    /// or before byte offset `x.utf8.count`.
    @inline(__always)
    private static func plainFrontBytes(_ s: String, _ x: String) -> Bool? {
        guard isAllPlain(x) else { return nil }
        return s.withUTF8Bytes { sb -> Bool? in
            x.withUTF8Bytes { xb -> Bool? in
                guard let sp = sb.baseAddress else { return xb.isEmpty }
                let front = min(sb.count, xb.count + 1)
                guard plainScalars(sp, upTo: front, count: sb.count) else { return nil }
                guard xb.count <= sb.count else { return false }
                guard let xp = xb.baseAddress else { return true }
                return memcmp(sp, xp, xb.count) == 0
            }
        }
    }

    /// True when every scalar of the valid UTF-8 `p[0..<count]` that starts before byte offset `end` is plain.
    @inline(__always)
    private static func plainScalars(_ p: UnsafePointer<UInt8>, upTo end: Int, count n: Int) -> Bool {
        var i = 0
        while i < end {
            let c = p[i]
            if c < 0x80 {
                guard isPlainValue(UInt32(c)) else { return false }
                i &+= 1
                continue
            }
            // Lead bytes E5...E9 (U+5000...U+9FFF) start CJK unified ideographs, plain whatever follows: most of a
            // Chinese text, passed over without decoding the scalar.
            if c &- 0xE5 < 5 {
                i &+= 3
                continue
            }
            // A Swift string is valid UTF-8: a lead byte E0...EF has two continuation bytes after it.
            guard c & 0xF0 == 0xE0, i &+ 2 < n else { return false }
            let v = (UInt32(c & 0x0F) << 12) | (UInt32(p[i &+ 1] & 0x3F) << 6) | UInt32(p[i &+ 2] & 0x3F)
            guard isPlainValue(v) else { return false }
            i &+= 3
        }
        return true
    }

    /// `s.hasSuffix(suffix)`, answered from the bytes when both texts are plain: the last characters of `s` are
    /// `suffix`'s exactly when its last bytes are (a plain scalar joins no neighbour, so the character boundary in
    /// front of the suffix is where its bytes start). `FastEqualityTests` compares the two.
    public static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        plainBackBytes(s, suffix) ?? s.hasSuffix(suffix)
    }

    /// Whether `s` ends with the bytes of `x`; nil unless both texts are plain.
    @inline(__always)
    private static func plainBackBytes(_ s: String, _ x: String) -> Bool? {
        guard isAllPlain(s) && isAllPlain(x) else { return nil }
        return s.withUTF8Bytes { sb in
            x.withUTF8Bytes { xb in
                guard xb.count <= sb.count else { return false }
                guard let sp = sb.baseAddress, let xp = xb.baseAddress else { return true }
                return memcmp(sp + (sb.count - xb.count), xp, xb.count) == 0
            }
        }
    }

    /// True for scalars that are their own character and equal (as characters) only to themselves: printable
    /// ASCII, CJK symbols and punctuation (not its combining tone marks), general punctuation, CJK unified
    /// ideographs and full-width forms. None has a canonical decomposition or joins a neighbour.
    @inlinable public static func isPlainScalar(_ u: Unicode.Scalar) -> Bool { isPlainValue(u.value) }

    /// `isPlainScalar` for a scalar value decoded from valid UTF-8 (`isAllPlain`).
    @inlinable @inline(__always) public static func isPlainValue(_ v: UInt32) -> Bool {
        switch v {
        case 0x20...0x7E, 0x2010...0x2027, 0x2030...0x205E, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
        default: return false
        }
    }

    /// `s.unicodeScalars.allSatisfy(isPlainScalar)`, read on the UTF-8 bytes: an ASCII byte is plain when printable,
    /// a three-byte sequence when its scalar is in one of `isPlainScalar`'s ranges, and no scalar of two or four
    /// bytes is (U+0080...U+07FF and beyond U+FFFF hold none of them). `ReadSpeedTests` compares the two.
    public static func isAllPlain(_ s: String) -> Bool {
        s.withUTF8Bytes { b in
            guard let p = b.baseAddress else { return true }
            return plainScalars(p, upTo: b.count, count: b.count)
        }
    }

    /// `set.contains(c)` (characters compared as Swift compares them), without comparing characters when both
    /// sides are plain scalars (`isPlainScalar`).
    @inline(__always) public static func contains(_ set: String, _ c: Character) -> Bool {
        let us = c.unicodeScalars
        let u = us.first!
        if isPlainScalar(u), us.index(after: us.startIndex) == us.endIndex, set.unicodeScalars.allSatisfy(isPlainScalar) {
            return set.unicodeScalars.contains(u)
        }
        return set.contains(c)
    }

    /// The scalars of `s` mapped one by one (nil drops one), written as UTF-8 straight into the new string.
    /// `transform` must never return a scalar longer in UTF-8 than the one it replaces.
    @inline(__always) public static func mapScalars(_ s: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar?) -> String {
        let capacity = s.utf8.count
        if capacity == 0 { return s }
        return String(knownValidUTF8Capacity: capacity) { buf in
            var n = 0
            for u in s.unicodeScalars {
                guard let m = transform(u) else { continue }
                n = UTF8Scan.write(m.value, to: buf, at: n)
            }
            return n
        }
    }

    /// `mapScalars(s) { set.contains($0) ? nil : $0 }` read on the UTF-8 bytes: a scalar kept is copied as it is
    /// (its bytes are what re-encoding it gives), and a text holding no scalar of the set is returned as it is.
    public static func removingScalars(in set: ScalarSet, from s: String) -> String {
        return s.withUTF8Bytes { b in
            let n = b.count
            var i = 0
            while i < n {
                let (v, len) = UTF8Scan.scalar(b, i)
                if set.contains(Unicode.Scalar(v)!) { break }
                i += len
            }
            if i == n { return s }
            return String(knownValidUTF8Capacity: n) { out in
                for k in 0..<i { out[k] = b[k] }
                var o = i
                while i < n {
                    let (v, len) = UTF8Scan.scalar(b, i)
                    if !set.contains(Unicode.Scalar(v)!) {
                        for k in 0..<len { out[o + k] = b[i + k] }
                        o += len
                    }
                    i += len
                }
                return o
            }
        }
    }

    /// Trims white space (including U+3000 and no-break space) from both ends.
    ///
    /// Read on the UTF-8 bytes where the string has them in one piece (always, for a native string): the scalars at
    /// each end decoded in place (the last one found by stepping back over continuation bytes) and asked `isSpace`,
    /// the same questions in the same order as through the scalar view (`trimOnScalars`), so the ends are the same
    /// scalar offsets and the substring is the same slice of the scalar view. `ScalarTrimTests` compares the two.
    public static func trim(_ s: String) -> Substring {
        guard let (lo, hi) = s.utf8.withContiguousStorageIfAvailable(trimmedEnds) else { return trimOnScalars(s) }
        let utf8 = s.utf8
        return Substring(s.unicodeScalars[utf8.index(utf8.startIndex, offsetBy: lo)..<utf8.index(utf8.startIndex, offsetBy: hi)])
    }

    /// Where the text of the valid UTF-8 `b` starts and ends once the white space at both ends is left out (byte
    /// offsets, each a scalar boundary): the scalars at each end decoded in place, the last one found by stepping
    /// back over continuation bytes.
    @inline(__always) static func trimmedEnds(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var lo = 0, hi = b.count
        while lo < hi {
            let (v, length) = UTF8Scan.scalar(b, lo)
            guard isSpace(Unicode.Scalar(v)!) else { break }
            lo += length
        }
        while hi > lo {
            var k = hi - 1
            while b[k] & 0xC0 == 0x80 { k -= 1 }
            let (v, _) = UTF8Scan.scalar(b, k)
            guard isSpace(Unicode.Scalar(v)!) else { break }
            hi = k
        }
        return (lo, hi)
    }

    /// `trim(s).isEmpty`: every scalar of `s` is white space (`trimmedEnds` reads up to the first that is not, and
    /// then no further back than it).
    public static func isBlank(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { b in trimmedEnds(b).0 == b.count } ?? trimOnScalars(s).isEmpty
    }

    /// `String(trim(s))`: `s` itself when there is no white space at either end (most lines), else the string of
    /// the bytes between the ends `trim` finds (each end a scalar boundary, so the same text as the substring),
    /// without going through the scalar view's indices.
    public static func trimmed(_ s: String) -> String {
        let ends = s.utf8.withContiguousStorageIfAvailable { b -> String? in
            let (lo, hi) = trimmedEnds(b)
            if lo == 0 && hi == b.count { return nil }
            return String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[lo..<hi]))
        }
        switch ends {
        case .some(.some(let t)): return t
        case .some(.none): return s
        case .none: return String(trimOnScalars(s))
        }
    }

    /// `trim` through the scalar view: the reading the byte reading is compared with, and the one for a string whose
    /// bytes are not in one piece.
    public static func trimOnScalars(_ s: String) -> Substring {
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return Substring(scalars[start..<end])
    }

    /// White space, including the Unicode spaces Chinese documents use (U+3000, no-break and thin spaces).
    /// Every scalar `isSpace` accepts, in increasing order (`ByteSearchTests` checks it against `isSpace` over
    /// every scalar), for tables built from the set without testing every scalar.
    public static let spaceScalars: [Unicode.Scalar] = {
        let values: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680] + Array(0x2000...0x200B)
        return (values + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]).map { Unicode.Scalar($0)! }
    }()

    @inlinable public static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }
}

/// A set of Unicode scalars with constant-time membership and no hashing: a bit per scalar of the Basic
/// Multilingual Plane, a short list for the others. Built once (word lists, punctuation), read per character.
///
/// The BMP's bits are kept in two levels: `blockOf` gives each block of 256 scalars (`u >> 8`) the number of
/// its four words in `words`, and every block without a member shares block 0, which stays empty. A set of
/// ASCII and a few dozen CJK characters then takes about 1 KB instead of a flat 8 KB bitmap: a process makes a
/// hundred of these sets, and a flat bitmap each cost about 200 fresh memory pages (page faults, kernel time)
/// at start-up. Membership is two array reads.
public struct ScalarSet: Sendable {
    /// For each block of 256 BMP scalars, the number of its block in `words` (0: the empty block).
    @usableFromInline var blockOf: [UInt16]
    /// Four words (256 bits) per block; block 0 is all zero.
    @usableFromInline var words: [UInt64]
    @usableFromInline var astral: [Unicode.Scalar] = []

    /// The block table of the empty set, made once: a new set shares it and copies it (512 bytes) on its first
    /// insertion.
    @usableFromInline static let emptyBlockOf = [UInt16](repeating: 0, count: 256)
    @usableFromInline static let emptyWords: [UInt64] = [0, 0, 0, 0]

    /// Inlinable so that the caller's concrete sequence is read without generic calls per scalar.
    @inlinable public init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        blockOf = Self.emptyBlockOf
        words = Self.emptyWords
        for u in scalars { insert(u) }
    }

    @inlinable @inline(__always) public mutating func insert(_ u: Unicode.Scalar) {
        let v = u.value
        if v < 0x10000 {
            var block = Int(blockOf[Int(v >> 8)])
            if block == 0 {
                block = words.count >> 2
                if words.count == 4 { words.reserveCapacity(64) }
                words.append(0); words.append(0); words.append(0); words.append(0)
                blockOf[Int(v >> 8)] = UInt16(block)
            }
            words[block << 2 | Int((v >> 6) & 3)] |= 1 << UInt64(v & 63)
        } else if !astral.contains(u) {
            astral.append(u)
        }
    }

    /// Inlinable so that readers in other modules test membership without a call per character.
    @inlinable @inline(__always) public func contains(_ u: Unicode.Scalar) -> Bool { contains(value: u.value) }

    /// `contains` for a scalar value (one a scanner decoded from valid UTF-8, without making a `Unicode.Scalar`).
    @inlinable @inline(__always) public func contains(value v: UInt32) -> Bool {
        if v < 0x10000 {
            // In bounds by construction (256 entries in `blockOf`, each the number of a block of `words`), so read
            // without bounds checks: this is called for most characters a report reads.
            let block = blockOf.withUnsafeBufferPointer { Int($0[Int(v >> 8)]) }
            return words.withUnsafeBufferPointer { $0[block << 2 | Int((v >> 6) & 3)] } & (1 << UInt64(v & 63)) != 0
        }
        return astral.contains { $0.value == v }
    }
}

/// Decoding scalars from the UTF-8 bytes of a Swift string (always valid UTF-8), for scans that read a
/// text's scalars without the scalar view's indices.
public enum UTF8Scan {
    /// The number of UTF-8 bytes of scalar value `v`.
    @inlinable @inline(__always) public static func length(of v: UInt32) -> Int {
        v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
    }

    /// Writes scalar value `v` as UTF-8 at `n` of `buf` (room for its `length(of:)` bytes there) and returns where
    /// the next scalar goes: the encoder of every writer that makes a string from scalars straight into its storage.
    @inlinable @inline(__always) public static func write(_ v: UInt32, to buf: UnsafeMutableBufferPointer<UInt8>, at n: Int) -> Int {
        if v < 0x80 {
            buf[n] = UInt8(truncatingIfNeeded: v)
            return n + 1
        } else if v < 0x800 {
            buf[n] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
            buf[n + 1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            return n + 2
        } else if v < 0x10000 {
            buf[n] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
            buf[n + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
            buf[n + 2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            return n + 3
        } else {
            buf[n] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
            buf[n + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
            buf[n + 2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
            buf[n + 3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
            return n + 4
        }
    }

    /// `Array(s.unicodeScalars)`, decoded from the bytes (room for one scalar a byte) into an array made once
    /// (`Array(writingAtMost:_:)`).
    public static func scalars(of s: String) -> [Unicode.Scalar] {
        return s.withUTF8Bytes { b in
            [Unicode.Scalar](writingAtMost: b.count) { out in
                var i = 0, k = 0
                while i < b.count {
                    let (v, len) = scalar(b, i)
                    out[k] = Unicode.Scalar(v)!
                    k += 1
                    i += len
                }
                return k
            }
        }
    }

    /// `s.unicodeScalars.map(\.value)`, decoded from the bytes, and whether a scalar lies outside the Basic
    /// Multilingual Plane (takes two UTF-16 units): what `s.utf16.count != s.unicodeScalars.count` tells, without
    /// counting the UTF-16 view.
    public static func scalarValues(of s: String) -> (values: [UInt32], astral: Bool) {
        var astral = false
        let values = s.withUTF8Bytes { b in
            [UInt32](writingAtMost: b.count) { out in
                var i = 0, k = 0
                while i < b.count {
                    let (v, len) = scalar(b, i)
                    out[k] = v
                    if len == 4 { astral = true }
                    k += 1
                    i += len
                }
                return k
            }
        }
        return (values, astral)
    }

    /// The scalar value whose encoding starts at `i`, and the number of its bytes.
    @inlinable @inline(__always)
    public static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let c = b[i]
        if c < 0x80 { return (UInt32(c), 1) }
        if c < 0xE0 { return ((UInt32(c & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2) }
        if c < 0xF0 { return ((UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3) }
        return (
            (UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F), 4
        )
    }
}

extension Array where Element == String {
    /// The strings with `separator` between them: what the standard library's `joined(separator:)` gives, which
    /// this overload takes the place of for arrays of strings everywhere OGIModel is imported. The standard
    /// library's is reached through its generic entry point, whose first call in a process resolves the array's
    /// associated types at run time (about 0.27 M instructions, a tenth of a text report's reading); this one is
    /// plain code. `FastPathTests` compares the two.
    public func joined(separator: String = "") -> String {
        if count <= 1 { return first ?? "" }
        var size = separator.utf8.count * (count - 1)
        for s in self { size += s.utf8.count }
        // One buffer of the final size, each piece's UTF-8 copied in (pieces of valid strings make a valid string).
        return String(knownValidUTF8Capacity: size) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var at = 0
            // Each copy returns where the next one starts (a nested function changing `at` would capture it, and
            // every access to a captured variable is checked for exclusivity at run time).
            @inline(__always) func copy(_ piece: String, to at: Int) -> Int {
                piece.withUTF8Bytes { bytes in
                    if let source = bytes.baseAddress, bytes.count > 0 { (base + at).update(from: source, count: bytes.count) }
                    return at + bytes.count
                }
            }
            for i in indices {
                if i > 0 { at = copy(separator, to: at) }
                at = copy(self[i], to: at)
            }
            return at
        }
    }
}
