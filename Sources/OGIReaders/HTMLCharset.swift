import Foundation
import OGIModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A page's `charset=` declarations, found and rewritten with a scan of the bytes instead of a regular expression
/// over the page. The scan matches what the pattern `charset\s*=\s*["']?[A-Za-z0-9_-]+` matches (ICU's `\s`:
/// the Unicode White_Space characters), leftmost first, so a page reads as it did with the expression
/// (HTMLCharsetTests compares the two).
enum HTMLCharset {
    /// The declared names that mean GBK, whose superset GB18030 is what the page is decoded as.
    static let gbkNames: Set<String> = ["gbk", "gb2312", "gb18030", "x-gbk", "cp936"]

    /// True when the first 4,096 bytes (non-ASCII bytes read as spaces, letters in lower case) declare a GBK
    /// charset: the first `charset=name` there names one, with only spaces (or a quote after them) between the
    /// `=` and the name. The expression-based reading trimmed spaces and quotes, not other white space, from
    /// what followed the `=`, so a name after a tab or a line feed was never taken as GBK.
    static func declaresGBK(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { declaresGBK($0) }
    }

    /// `declaresGBK` of the bytes in a buffer.
    static func declaresGBK(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The head written byte by byte into an array made at its size (a `map` over the bytes called its closure for
        // each of the 4,096).
        let count = min(bytes.count, 4096)
        let head = [UInt8](unsafeUninitializedCapacity: count) { out, written in
            for k in 0..<count {
                let b = bytes[k]
                out[k] = b >= 0x80 ? 0x20 : (b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
            written = count
        }
        return head.withUnsafeBufferPointer { b -> Bool in
            guard let m = nextDeclaration(in: b, from: 0, lowerCaseNamesOnly: true), m.spacesOnlyAfterEquals else { return false }
            return gbkNames.contains(String(decoding: b[m.name], as: UTF8.self))
        }
    }

    /// `text` with every `charset=name` made `charset=utf-8`: the bytes libxml2 gets are UTF-8 whatever the
    /// page declared.
    static func declaringUTF8(_ text: String) -> String {
        guard FastText.contains(text, "charset") else { return text }
        return text.withUTF8Bytes { b -> String in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var copied = 0
            var i = 0
            while let m = nextDeclaration(in: b, from: i, lowerCaseNamesOnly: false) {
                out.append(contentsOf: b[copied..<m.range.lowerBound])
                out.append(contentsOf: "charset=utf-8".utf8)
                copied = m.range.upperBound
                i = m.range.upperBound
            }
            if copied == 0 { return text }
            out.append(contentsOf: b[copied..<b.count])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `declaringUTF8` on text of valid UTF-8 bytes, giving its UTF-8 bytes. Every match is ASCII from `charset` to
    /// the name (its white space whole characters), so the bytes between matches are whole characters and the
    /// rewritten bytes are valid UTF-8: `String(decoding:)` of them, as `declaringUTF8` makes, repairs nothing.
    static func declaringUTF8(utf8 b: UnsafeBufferPointer<UInt8>) -> Data {
        declaringUTF8(utf8: b, unchanged: nil)
    }

    /// `declaringUTF8(utf8:)`, giving `unchanged` (the same bytes as `b`, kept by the caller) without a copy when
    /// every declaration already reads `charset=utf-8` (or there is none): the rewrite would give the same bytes.
    static func declaringUTF8(utf8 b: UnsafeBufferPointer<UInt8>, unchanged: Data?) -> Data {
        let replacement: StaticString = "charset=utf-8"
        let replacementBytes = UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount)
        var out = Data()
        var rewriting = false
        var copied = 0
        var i = 0
        while let m = nextDeclaration(in: b, from: i, lowerCaseNamesOnly: false) {
            i = m.range.upperBound
            // A declaration that is already the replacement, byte for byte, is left where it is.
            if m.range.count == replacementBytes.count,
                memcmp(b.baseAddress! + m.range.lowerBound, replacementBytes.baseAddress!, m.range.count) == 0
            {
                continue
            }
            if !rewriting {
                rewriting = true
                out.reserveCapacity(b.count + 16)
            }
            out.append(UnsafeBufferPointer(rebasing: b[copied..<m.range.lowerBound]))
            out.append(replacementBytes)
            copied = m.range.upperBound
        }
        if !rewriting { return unchanged ?? Data(b) }
        out.append(UnsafeBufferPointer(rebasing: b[copied..<b.count]))
        return out
    }

    /// The UTF-8 bytes of `TextDecoding.gb18030(bytes)`, made without the copies between `CChar` and `UInt8`: what
    /// iconv gives up to its first NUL byte, repaired as `String(decoding:)` repairs (iconv writes valid UTF-8, so
    /// nothing is); nil when iconv fails.
    static func utf8FromGB18030(_ bytes: [UInt8]) -> [UInt8]? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        let capacity = bytes.count * 4 + 16
        var input = bytes
        var output = [UInt8](repeating: 0, count: capacity)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                let outBase = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = outBase
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                guard r != -1, inLeft == 0 else { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        // The old reading ended the text at the first NUL of the whole (zero-filled) output buffer.
        let end = output.withUnsafeBufferPointer { b in
            (memchr(b.baseAddress!, 0, written)).map { b.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? written
        }
        output.removeSubrange(end...)
        if String(validating: output, as: UTF8.self) == nil { return Array(String(decoding: output, as: UTF8.self).utf8) }
        return output
    }

    struct Declaration {
        /// The whole match, from `charset` to the end of the name.
        var range: Range<Int>
        /// The name's bytes.
        var name: Range<Int>
        /// True when the white space between `=` and the name (or its quote) is all spaces (U+0020).
        var spacesOnlyAfterEquals: Bool
    }

    /// The leftmost match at or after `start`. Names are `[a-z0-9_-]+` with `lowerCaseNamesOnly`, else
    /// `[A-Za-z0-9_-]+`.
    ///
    /// A match starts only at a `c` that can begin `charset` before the end: each is found by `memchr` and its seven
    /// bytes compared in one eight-byte load where there is room (a Word-saved page holds thousands of `c`s).
    static func nextDeclaration(in b: UnsafeBufferPointer<UInt8>, from start: Int, lowerCaseNamesOnly: Bool) -> Declaration? {
        guard let base = b.baseAddress else { return nil }
        let count = 7  // charsetWord.count
        var i = start
        while i + count <= b.count {
            guard let hit = memchr(base + i, 0x63, b.count - count + 1 - i) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if i + 8 <= b.count {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                guard w & 0x00FF_FFFF_FFFF_FFFF == charsetWordBits else { i += 1; continue }
            } else {
                var k = 1
                while k < count, b[i + k] == charsetWord[k] { k += 1 }
                guard k == count else { i += 1; continue }
            }
            var p = i + count
            while p < b.count, let n = whiteSpaceLength(b, p) { p += n }
            guard p < b.count, b[p] == 0x3D else { i += 1; continue }
            p += 1
            var spacesOnly = true
            while p < b.count, let n = whiteSpaceLength(b, p) {
                if b[p] != 0x20 { spacesOnly = false }
                p += n
            }
            if p < b.count, b[p] == 0x22 || b[p] == 0x27 { p += 1 }
            let nameStart = p
            while p < b.count, isNameByte(b[p], lowerCaseOnly: lowerCaseNamesOnly) { p += 1 }
            guard p > nameStart else { i += 1; continue }
            return Declaration(range: i..<p, name: nameStart..<p, spacesOnlyAfterEquals: spacesOnly)
        }
        return nil
    }

    /// `charset`, and its seven bytes as the low bytes of a little-endian word (63 68 61 72 73 65 74; a constant,
    /// not computed, so the loop reads no global: `HTMLCharsetTests` checks it against the word).
    static let charsetWord: [UInt8] = Array("charset".utf8)
    static var charsetWordBits: UInt64 { 0x0074_6573_7261_6863 }

    @inline(__always) static func isNameByte(_ c: UInt8, lowerCaseOnly: Bool) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D || (!lowerCaseOnly && c >= 0x41 && c <= 0x5A)
    }

    /// The length in bytes of the white-space character (Unicode White_Space, what ICU's `\s` matches) at `p`
    /// of valid UTF-8, or nil.
    @inline(__always) static func whiteSpaceLength(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> Int? {
        let c = b[p]
        if c < 0x80 { return (c >= 0x09 && c <= 0x0D) || c == 0x20 ? 1 : nil }
        guard c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 else { return nil }
        var u: UInt32 = 0
        var n = 0
        if c == 0xC2, p + 1 < b.count {
            u = UInt32(c & 0x1F) << 6 | UInt32(b[p + 1] & 0x3F); n = 2
        } else if c != 0xC2, p + 2 < b.count {
            u = UInt32(c & 0x0F) << 12 | UInt32(b[p + 1] & 0x3F) << 6 | UInt32(b[p + 2] & 0x3F); n = 3
        } else {
            return nil
        }
        switch u {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return n
        default: return nil
        }
    }
}
