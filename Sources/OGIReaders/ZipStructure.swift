import COGICRC32
import COGIZlib
import Foundation

/// Checks a zip archive's directory before ZIPFoundation sees it. ZIPFoundation's in-memory archive traps
/// (ends the process) when a record points past the end of the data, so every offset it will seek to is
/// validated here first: the end-of-central-directory record (found the way ZIPFoundation finds it, the last
/// one in the file), each central-directory entry, each local header, its data and its data descriptor.
/// ZIP64 is refused: a report's DOCX is never near 4 GB, and ZIP64's 64-bit fields are where overflows hide.
enum ZipStructure {
    /// Offset of the end-of-central-directory record as ZIPFoundation finds it: the first signature met scanning
    /// backwards from 22 bytes before the end; nil when there is none.
    static func endRecord<Bytes: RandomAccessCollection>(in bytes: Bytes) -> Int? where Bytes.Element == UInt8, Bytes.Index == Int {
        var p = bytes.endIndex - 22
        while p >= bytes.startIndex {
            if bytes[p] == 0x50, bytes[p + 1] == 0x4B, bytes[p + 2] == 0x05, bytes[p + 3] == 0x06 { return p }
            p -= 1
        }
        return nil
    }

    /// What is wrong with the archive, or nil when ZIPFoundation can safely read it.
    static func problem(in data: Data) -> String? {
        let bytes = [UInt8](data)
        let n = bytes.count
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func signature(_ at: Int, _ sig: UInt32) -> Bool { at >= 0 && at + 4 <= n && UInt32(u32(at)) == sig }

        guard n >= 22 else { return "it is too short to be a zip archive" }
        guard let eocd = endRecord(in: bytes) else { return "its end-of-central-directory record is missing" }
        if eocd >= 20, signature(eocd - 20, 0x0706_4B50) || signature(eocd - 76, 0x0606_4B50) {
            return "it uses ZIP64 records, which a report's DOCX never needs"
        }
        let total = u16(eocd + 10)
        let cdSize = u32(eocd + 12)
        let cdOffset = u32(eocd + 16)
        guard cdOffset <= eocd, cdOffset + cdSize <= eocd else {
            return "its central directory (offset \(cdOffset), \(cdSize) bytes) lies outside the \(n)-byte file"
        }
        var pos = cdOffset
        for i in 0..<total {
            // ZIPFoundation stops at the first record without the signature; past the end it would trap.
            guard pos <= n else { return "central-directory entry \(i + 1) lies past the end of the file" }
            guard signature(pos, 0x0201_4B50) else { break }
            guard pos + 46 <= n else { return "central-directory entry \(i + 1) is cut off" }
            let version = u16(pos + 6) & 0xFF
            let flags = u16(pos + 8)
            let method = u16(pos + 10)
            let compressed = u32(pos + 20), uncompressed = u32(pos + 24)
            let nameLength = u16(pos + 28), extraLength = u16(pos + 30), commentLength = u16(pos + 32)
            let local = u32(pos + 42)
            let end = pos + 46 + nameLength + extraLength + commentLength
            guard end <= n else { return "central-directory entry \(i + 1) is cut off" }
            if version >= 45 || [compressed, uncompressed, local].contains(0xFFFF_FFFF) {
                return "it uses ZIP64 entries, which a report's DOCX never needs"
            }
            var e = pos + 46 + nameLength
            while e + 4 <= pos + 46 + nameLength + extraLength {
                if u16(e) == 0x0001 { return "it uses ZIP64 entries, which a report's DOCX never needs" }
                e += 4 + u16(e + 2)
            }
            guard local + 30 <= n, signature(local, 0x0403_4B50) else {
                return "entry \(i + 1)'s local header (offset \(local)) is missing or lies past the end of the file"
            }
            let dataOffset = local + 30 + u16(local + 26) + u16(local + 28)
            let dataSize = method == 0 ? uncompressed : compressed
            guard dataOffset + compressed <= n, dataOffset + dataSize <= n else {
                return "entry \(i + 1)'s data (\(compressed) bytes at offset \(dataOffset)) runs past the end of the file"
            }
            if flags & 0x08 != 0, dataOffset + dataSize > n {
                return "entry \(i + 1)'s data descriptor lies past the end of the file"
            }
            pos = end
        }
        return nil
    }

    /// Where the stored bytes of the entry named `name` lie and how they are stored (method 0 stored, 8 deflated),
    /// from the central directory and the entry's local header; nil when there is no such entry. Call only on
    /// data `problem(in:)` accepted.
    static func storedData(of name: String, in data: Data) -> (range: Range<Int>, method: Int)? {
        let bytes = [UInt8](data)
        let n = bytes.count
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard let eocd = endRecord(in: bytes) else { return nil }
        let target = Array(name.utf8)
        var pos = u32(eocd + 16)
        for _ in 0..<u16(eocd + 10) {
            guard pos + 46 <= n, UInt32(u32(pos)) == 0x0201_4B50 else { return nil }
            let method = u16(pos + 10)
            let compressed = u32(pos + 20), uncompressed = u32(pos + 24)
            let nameLength = u16(pos + 28), extraLength = u16(pos + 30), commentLength = u16(pos + 32)
            let local = u32(pos + 42)
            if pos + 46 + nameLength <= n, Array(bytes[(pos + 46)..<(pos + 46 + nameLength)]) == target, local + 30 <= n {
                let start = local + 30 + u16(local + 26) + u16(local + 28)
                let size = method == 0 ? uncompressed : compressed
                guard start + size <= n else { return nil }
                return (start..<(start + size), method)
            }
            pos += 46 + nameLength + extraLength + commentLength
        }
        return nil
    }

    /// A deflated part found from the central directory alone: its name, what the directory says of it, and
    /// where its deflated bytes lie.
    struct DeflatedPart: Equatable {
        let path: String
        let uncompressedSize: UInt64
        let checksum: UInt32
        let range: Range<Int>
    }

    /// The first entries named `document` and `numbering` (ASCII names), found as ZIPFoundation's iteration over
    /// the archive finds them (from the last end-of-central-directory record, stopping at the first record it
    /// cannot read or at an encrypted entry), when that can be settled from the directory's bytes alone: nil
    /// whenever ZIPFoundation must decide (the record's comment runs past the end, a UTF-8 flagged name starts
    /// with a byte-order mark, no `document`), or a found part is not deflated or keeps its sizes in a data
    /// descriptor. Call only on data `problem(in:)` accepted, whose records all lie inside the data.
    static func deflatedParts(in data: Data, document: String, numbering: String) -> (document: DeflatedPart, numbering: DeflatedPart?)? {
        data.withUnsafeBytes { raw -> (document: DeflatedPart, numbering: DeflatedPart?)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
            // ZIPFoundation refuses an end record whose comment is cut off: its error is the slow path's.
            guard let eocd = endRecord(in: bytes), eocd + 22 + u16(eocd + 20) <= n else { return nil }
            let targets = [Array(document.utf8), Array(numbering.utf8)]
            var found: [DeflatedPart?] = [nil, nil]
            var pos = u32(eocd + 16)
            for _ in 0..<u16(eocd + 10) {
                guard pos + 46 <= n, UInt32(u32(pos)) == 0x0201_4B50 else { break }
                let flags = u16(pos + 8)
                let nameLength = u16(pos + 28)
                let end = pos + 46 + nameLength + u16(pos + 30) + u16(pos + 32)
                guard end <= n, flags & 0x01 == 0 else { break }
                let name = UnsafeBufferPointer(rebasing: bytes[(pos + 46)..<(pos + 46 + nameLength)])
                // A UTF-8 name is decoded by Foundation, which may drop a leading byte-order mark.
                if flags & 0x800 != 0, name.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
                if let which = (0..<2).first(where: { found[$0] == nil && name.elementsEqual(targets[$0]) }) {
                    let local = u32(pos + 42)
                    guard u16(pos + 10) == 8, flags & 0x08 == 0, local + 30 <= n else { return nil }
                    let start = local + 30 + u16(local + 26) + u16(local + 28)
                    let compressed = u32(pos + 20)
                    guard start + compressed <= n else { return nil }
                    found[which] = DeflatedPart(
                        path: which == 0 ? document : numbering, uncompressedSize: UInt64(u32(pos + 24)),
                        checksum: UInt32(u32(pos + 16)), range: start..<(start + compressed))
                    if found[0] != nil, found[1] != nil { break }
                }
                pos = end
            }
            guard let first = found[0] else { return nil }
            return (first, found[1])
        }
    }

    /// Why `inflate` gave up.
    enum InflateFailure: Error {
        /// More than the limit came out: the stream (or its header) lied about its size, or it is a bomb.
        case tooBig
        /// The stream is damaged, does not end inside the entry's bytes, or its CRC is not the entry's.
        case damaged
    }

    /// The raw deflate stream `compressed` inflated, checked against `crc` (with `ogilint_crc32`, zlib's CRC-32).
    /// What ZIPFoundation's `Data.decompress(bufferSize: 64 KiB, skipCRC32: false)` gave the reader, fed the same
    /// 64 KiB input chunks and counting output after each 64 KiB `inflate` call as its consumer did (over `limit` is
    /// `tooBig`; an `inflate` error, a stream that does not end inside the bytes or a CRC mismatch is `damaged`),
    /// without a `Data` per chunk: output goes straight into one buffer. The byte after the returned bytes, in the
    /// same allocation, is NUL, so `DocxReaderScanner` reads them in place.
    ///
    /// One call of zlib's `inflate` with the whole stream and a buffer of the expected size (or the limit, if smaller)
    /// comes first (`oneCall: true`): zlib decodes a stream the same whatever buffers it is handed, so a stream that
    /// ends within that buffer with the entry's CRC gives the bytes the chunked reading below gives, and never went
    /// over the limit. Any other stream (damaged, cut, larger than expected, a CRC mismatch) is read again in chunks,
    /// which says which error it is. The one call saves the chunks' copies into zlib's window.
    /// `InflateOneCallTests` compares both ways.
    static func inflate(
        _ compressed: UnsafeRawBufferPointer, expectedSize: Int, limit: Int, crc expected: UInt32, oneCall: Bool = true
    ) throws -> Data {
        if oneCall, let done = inflatedInOneCall(compressed, expectedSize: expectedSize, limit: limit, crc: expected) {
            return done
        }
        let chunk = 64 * 1024
        var stream = z_stream()
        guard ogilint_inflate_init_raw(&stream) == Z_OK else { throw InflateFailure.damaged }
        defer { inflateEnd(&stream) }
        // Output goes into memory that is not zero-filled first (every byte handed on was written by zlib), grown
        // as a `Data` of that size would have been, and handed to the returned `Data` without a copy.
        var capacity = min(max(expectedSize, 0), limit) + chunk
        guard var out = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else { throw InflateFailure.tooBig }
        var owned = true
        defer { if owned { free(out) } }
        var produced = 0
        var consumed = 0
        var result = Z_OK
        guard let base = compressed.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw InflateFailure.damaged }
        repeat {
            // The next input chunk; none left means the stream never ended.
            guard consumed < compressed.count else { throw InflateFailure.damaged }
            let size = min(chunk, compressed.count - consumed)
            stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
            stream.avail_in = UInt32(size)
            consumed += size
            repeat {
                if capacity < produced + chunk {
                    let grown = max(capacity * 2, produced + chunk)
                    guard let bigger = realloc(out, grown)?.assumingMemoryBound(to: UInt8.self) else { throw InflateFailure.tooBig }
                    out = bigger
                    capacity = grown
                }
                stream.next_out = out + produced
                stream.avail_out = UInt32(chunk)
                result = COGIZlib.inflate(&stream, Z_NO_FLUSH)
                let filled = UInt32(chunk) - stream.avail_out
                guard result != Z_NEED_DICT, result != Z_DATA_ERROR, result != Z_MEM_ERROR else { throw InflateFailure.damaged }
                produced += Int(filled)
                if produced > limit { throw InflateFailure.tooBig }
            } while stream.avail_out == 0
        } while result != Z_STREAM_END
        guard ogilint_crc32(0, out, produced) == expected else { throw InflateFailure.damaged }
        if capacity == produced {
            guard let bigger = realloc(out, produced + 1)?.assumingMemoryBound(to: UInt8.self) else { throw InflateFailure.tooBig }
            out = bigger
        }
        out[produced] = 0
        owned = false
        return Data(bytesNoCopy: out, count: produced, deallocator: .free)
    }

    /// `inflate`'s bytes from one call of zlib's `inflate` (`Z_FINISH`), NUL-terminated in their allocation; nil
    /// when the stream did not end within the expected size (or the limit) with the entry's CRC.
    static func inflatedInOneCall(_ compressed: UnsafeRawBufferPointer, expectedSize: Int, limit: Int, crc expected: UInt32) -> Data? {
        guard let base = compressed.baseAddress?.assumingMemoryBound(to: UInt8.self), compressed.count <= Int(UInt32.max) else {
            return nil
        }
        let capacity = min(max(expectedSize, 0), limit, Int(UInt32.max))
        guard let out = malloc(capacity + 1)?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var stream = z_stream()
        guard ogilint_inflate_init_raw(&stream) == Z_OK else {
            free(out)
            return nil
        }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = UInt32(compressed.count)
        stream.next_out = out
        stream.avail_out = UInt32(capacity)
        let result = COGIZlib.inflate(&stream, Z_FINISH)
        let produced = capacity - Int(stream.avail_out)
        inflateEnd(&stream)
        guard result == Z_STREAM_END, ogilint_crc32(0, out, produced) == expected else {
            free(out)
            return nil
        }
        out[produced] = 0
        return Data(bytesNoCopy: out, count: produced, deallocator: .free)
    }
}
