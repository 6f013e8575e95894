import Foundation
import OGIModel

/// Substring search that gives Foundation's answer (`range(of:)`, which compares canonically equivalent text)
/// without its cost where it can: text made only of "plain" scalars — ones that are their own canonical form and
/// never join a neighbour in one character (ASCII but CR, CJK ideographs and punctuation, full-width forms, common
/// dashes and quotes, and the symbols Chinese reports and their PDF extractions carry: Kangxi and supplementary
/// radicals standing for ideographs, circled and Roman numerals, shapes, units, half-width CJK punctuation) — is
/// searched byte by byte; anything else is left to Foundation. Foundation folds only canonical equivalents, so a
/// scalar with no canonical decomposition (a radical's or a circled digit's mapping is a compatibility one)
/// matches only itself; `TextSearchTests` checks every plain scalar against Foundation.
public enum TextSearch {
    /// True when every scalar of `s` is plain: then canonical and byte-wise comparison agree, and every scalar is
    /// a character of its own.
    ///
    /// Read on the UTF-8 bytes: an ASCII byte is its scalar, and a scalar led by E5...E9 (U+5000...U+9FFF, CJK
    /// ideographs all) is plain without decoding it; other scalars are decoded and asked of `isPlain(_:)` as a
    /// scalar. `isPlainByScalars` reads the scalar view: the tests' reference.
    public static func isPlain(_ s: String) -> Bool {
        return s.withUTF8Bytes { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    guard c >= 0x20 ? c != 0x7F : (c == 0x09 || c == 0x0A) else { return false }
                    i &+= 1
                } else if c >= 0xE5 && c <= 0xE9 {
                    i &+= 3
                } else {
                    let (v, length) = UTF8Scan.scalar(b, i)
                    guard let u = Unicode.Scalar(v), isPlain(u) else { return false }
                    i &+= length
                }
            }
            return true
        }
    }

    /// `isPlain` read scalar by scalar through the scalar view.
    public static func isPlainByScalars(_ s: String) -> Bool {
        for u in s.unicodeScalars where !isPlain(u) { return false }
        return true
    }

    @inline(__always) static func isPlain(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x0A, 0x20...0x7E, 0xB7, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xFF01...0xFF5E:
            return true
        // Latin-1 signs (not the soft hyphen), × and ÷, ‰ and the rest of general punctuation, −, ∕, √, ∶, Roman
        // numerals, enclosed alphanumerics, box drawing, blocks and shapes, CJK and Kangxi radicals, CJK strokes,
        // enclosed CJK letters, CJK units, CJK compatibility and small forms, half-width CJK punctuation,
        // full-width signs and half-width forms.
        case 0xA0...0xAC, 0xAE...0xBF, 0xD7, 0xF7, 0x2030...0x205E, 0x2212, 0x2215, 0x221A, 0x2236, 0x2160...0x217F,
            0x2460...0x24FF, 0x2500...0x25FF, 0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x31C0...0x31E3,
            0x3200...0x321E, 0x3220...0x32FF, 0x3300...0x33FF, 0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B,
            0xFF5F...0xFF65, 0xFFE0...0xFFE6, 0xFFE8...0xFFEE:
            return true
        default:
            return false
        }
    }

    /// True when `needle` occurs in `haystack`, as Foundation's `haystack.range(of: needle) != nil`.
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        contains(haystack, needle, haystackIsPlain: isPlain(haystack))
    }

    /// `contains` for a haystack already known to be plain (or not), when one text is searched for many words.
    public static func contains(_ haystack: String, _ needle: String, haystackIsPlain: Bool) -> Bool {
        if haystackIsPlain, !needle.isEmpty, isPlain(needle) { return FastText.contains(haystack, needle) }
        return haystack.range(of: needle) != nil
    }

    /// The first (or, `backwards`, the last) byte range of `needle` in `haystack[from...]`; both are UTF-8 bytes
    /// of plain text. Nil for an empty needle, as Foundation finds nothing there.
    public static func range(of needle: [UInt8], in haystack: [UInt8], from: Int, backwards: Bool = false) -> Range<Int>? {
        let n = needle.count
        guard n > 0, haystack.count - from >= n else { return nil }
        let first = needle[0]
        func at(_ i: Int) -> Bool {
            guard haystack[i] == first else { return false }
            var j = 1
            while j < n && haystack[i + j] == needle[j] { j += 1 }
            return j == n
        }
        if backwards {
            var i = haystack.count - n
            while i >= from {
                if at(i) { return i..<(i + n) }
                i -= 1
            }
        } else {
            var i = from
            while i <= haystack.count - n {
                if at(i) { return i..<(i + n) }
                i += 1
            }
        }
        return nil
    }
}
