/// Byte-level text helpers for hot paths (Foundation's `contains`/`range(of:)` go through NSString and are slow).
public enum FastText {
    /// True when `needle` occurs in `haystack` (exact UTF-8 bytes).
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                let n = nb.count, h = hb.count
                guard n <= h else { return false }
                let first = nb[0]
                var i = 0
                while i <= h - n {
                    if hb[i] == first {
                        var j = 1
                        while j < n && hb[i + j] == nb[j] { j += 1 }
                        if j == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Trims white space (including U+3000 and no-break space) from both ends.
    public static func trim(_ s: String) -> Substring {
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return Substring(scalars[start..<end])
    }

    /// White space, including the Unicode spaces Chinese documents use (U+3000, no-break and thin spaces).
    @inline(__always) public static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }
}
