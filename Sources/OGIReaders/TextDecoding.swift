import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the bytes of a text export into a String: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.
public enum TextDecoding {
    /// Which encoding was recognised.
    public enum Encoding: String, Sendable { case utf8, utf16le, utf16be, gb18030 }

    public static func decode(_ data: Data, path: String) throws -> (String, Encoding) {
        if data.isEmpty { throw ReaderError.empty(path: path) }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(bytes: bytes.dropFirst(3), encoding: .utf8) else { throw ReaderError.undecodable(path: path) }
            return (s, .utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            guard let s = String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian) else {
                throw ReaderError.undecodable(path: path)
            }
            return (s, .utf16le)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            guard let s = String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian) else {
                throw ReaderError.undecodable(path: path)
            }
            return (s, .utf16be)
        }
        // NUL bytes in a file without a UTF-16 BOM mean binary content (a .doc, a zip, an image).
        // (memchr: `contains` read the bytes one by one, about six instructions each.)
        let hasNUL = bytes.withUnsafeBufferPointer { b in
            b.isEmpty ? false : memchr(b.baseAddress!, 0, min(b.count, 8192)) != nil
        }
        if hasNUL { throw ReaderError.binary(path: path) }
        // Validated once here (`isValidUTF8`), not again by the standard library.
        if let s = bytes.withUnsafeBufferPointer({ isValidUTF8($0) ? String(knownValidUTF8: $0) : nil }) { return (s, .utf8) }
        if let s = gb18030(bytes) { return (s, .gb18030) }
        throw ReaderError.undecodable(path: path)
    }

    static func gb18030(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        let end = output.firstIndex(of: 0) ?? output.count
        return String(decoding: output[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `b` is well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates, nothing past
    /// U+10FFFF, no sequence cut short): what `String(validating: b, as: UTF8.self) != nil` answers, with runs of
    /// ASCII checked eight bytes at a time (a web page is mostly ASCII markup) and runs of three-byte scalars four
    /// bytes at a time (a text is mostly Chinese). `UTF8ValidationTests` compares both.
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        while i < n {
            // ASCII eight bytes at a time, up to the first byte that is not (the lowest high bit of the word in
            // memory order), so the ASCII before a character is not stepped over byte by byte.
            while i + 8 <= n {
                let high = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) & 0x8080_8080_8080_8080
                if high != 0 {
                    i += high.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { return true }
            let c0 = base[i]
            if c0 < 0x80 {
                i += 1
                continue
            }
            // A run of three-byte scalars (most of a Chinese text), four bytes loaded at a time while there is room:
            // a lead E0...EF and two continuation bytes, with the second byte's narrower range after E0 (no overlong
            // forms) and ED (no surrogates): E0 or ED with its second byte out of that range is refused here; the
            // first sequence not of that shape, or one too near the end for a four-byte load, is read by the general
            // steps below. Before that, two sequences at a time from one eight-byte load, while both have a lead of
            // E1...EC or EE...EF (any continuation byte may follow those): a pair with an E0 or ED lead, or not of
            // that shape, is left to the loop of one sequence at a time, which reads it as before.
            if c0 & 0xF0 == 0xE0 {
                let from = i
                while i + 8 <= n {
                    let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                    guard w & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0 else { break }
                    let lead0 = w & 0x0F, lead1 = (w >> 24) & 0x0F
                    guard lead0 != 0, lead0 != 0x0D, lead1 != 0, lead1 != 0x0D else { break }
                    i += 6
                }
                while i + 4 <= n {
                    let w = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
                    guard w & 0x00C0_C0F0 == 0x0080_80E0 else { break }
                    let lead = w & 0x0F, c1 = (w >> 8) & 0xFF
                    if lead == 0 {
                        guard c1 >= 0xA0 else { return false }
                    } else if lead == 0x0D {
                        guard c1 <= 0x9F else { return false }
                    }
                    i += 3
                }
                if i > from { continue }
            }
            @inline(__always) func continuation(_ k: Int) -> Bool { k < n && base[k] & 0xC0 == 0x80 }
            switch c0 {
            case 0xC2...0xDF:
                guard continuation(i + 1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard i + 2 < n, continuation(i + 2) else { return false }
                let c1 = base[i + 1]
                switch c0 {
                case 0xE0: guard c1 >= 0xA0, c1 <= 0xBF else { return false }  // no overlong forms
                case 0xED: guard c1 >= 0x80, c1 <= 0x9F else { return false }  // no surrogates
                default: guard c1 & 0xC0 == 0x80 else { return false }
                }
                i += 3
            case 0xF0...0xF4:
                guard i + 3 < n, continuation(i + 2), continuation(i + 3) else { return false }
                let c1 = base[i + 1]
                switch c0 {
                case 0xF0: guard c1 >= 0x90, c1 <= 0xBF else { return false }  // no overlong forms
                case 0xF4: guard c1 >= 0x80, c1 <= 0x8F else { return false }  // nothing past U+10FFFF
                default: guard c1 & 0xC0 == 0x80 else { return false }
                }
                i += 4
            default:
                return false  // a continuation byte without a lead, C0, C1, F5...FF
            }
        }
        return true
    }
}
