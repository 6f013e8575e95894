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
        if bytes.prefix(8192).contains(0) { throw ReaderError.binary(path: path) }
        if let s = String(validating: bytes, as: UTF8.self) { return (s, .utf8) }
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
}
