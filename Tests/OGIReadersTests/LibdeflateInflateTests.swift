import COGILibdeflate
import COGIZlib
import Foundation
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `ZipStructure.inflate` gives the same bytes, or the same error, whether libdeflate inflates first or zlib alone
/// does: on every deflated part of every DOCX in the repository, and on generated streams (compressed at every
/// level, stored, fixed Huffman codes, empty) told the right size, a smaller or larger one, a limit below their
/// size or the wrong CRC, cut short at many lengths and with single bits flipped. Where libdeflate is installed
/// (CI installs it), intact streams are shown to be inflated by it, so the comparison is not of zlib with itself.
final class LibdeflateInflateTests: XCTestCase {
    /// What `inflate` gave.
    enum Outcome: Equatable {
        /// The bytes, and whether a NUL follows them in their allocation (the scanner reads parts in place).
        case bytes(Data, nulAfter: Bool)
        case tooBig
        case damaged
        case other(String)
    }

    static func outcome(_ stream: [UInt8], expectedSize: Int, limit: Int, crc: UInt32, libdeflate: Bool) -> Outcome {
        do {
            let data = try stream.withUnsafeBytes {
                try ZipStructure.inflate($0, expectedSize: expectedSize, limit: limit, crc: crc, libdeflate: libdeflate)
            }
            let nul = data.withUnsafeBytes { $0.baseAddress!.load(fromByteOffset: $0.count, as: UInt8.self) == 0 }
            return .bytes(Data(data), nulAfter: nul)
        } catch ZipStructure.InflateFailure.tooBig {
            return .tooBig
        } catch ZipStructure.InflateFailure.damaged {
            return .damaged
        } catch {
            return .other("\(error)")
        }
    }

    /// Both ways of inflating give the same outcome.
    func assertSame(
        _ stream: [UInt8], expectedSize: Int, limit: Int = 1 << 26, crc: UInt32, _ name: @autoclosure () -> String, line: UInt = #line
    ) {
        let fast = Self.outcome(stream, expectedSize: expectedSize, limit: limit, crc: crc, libdeflate: true)
        let zlib = Self.outcome(stream, expectedSize: expectedSize, limit: limit, crc: crc, libdeflate: false)
        XCTAssertEqual(fast, zlib, name(), line: line)
    }

    /// `bytes` as a raw deflate stream (no zlib header), by zlib at `level` with `strategy`.
    static func deflated(_ bytes: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION, strategy: Int32 = Z_DEFAULT_STRATEGY) -> [UInt8] {
        var stream = z_stream()
        precondition(
            deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, strategy, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 16)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(out.prefix(produced))
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { CRC32Tests.zlib(0, $0) } }

    func testLibdeflateIsLoaded() {
        #if os(Linux)
            XCTAssertEqual(
                ogilint_libdeflate_available(), 1,
                "libdeflate.so.0 could not be loaded: install it (Debian: apt-get install libdeflate0), as .ci/run does")
        #endif
    }

    /// Every deflated part of every DOCX in the repository (samples, renderings, Word-saved copies), read with its
    /// real size and with wrong sizes, limits and CRCs.
    func testEveryPartOfEveryDocx() throws {
        var parts = 0, byLibdeflate = 0
        for (name, data) in MarkupStreamingTests.files(["docx"]) + RenderingDocx.files() {
            guard let found = ZipStructure.deflatedParts(in: data, document: "word/document.xml", numbering: "word/numbering.xml") else {
                continue
            }
            for part in [found.document] + (found.numbering.map { [$0] } ?? []) {
                let stream = [UInt8](data[part.range])
                let size = Int(part.uncompressedSize), crc = part.checksum
                parts += 1
                let label = "\(name) \(part.path)"
                assertSame(stream, expectedSize: size, crc: crc, label)
                assertSame(stream, expectedSize: size - 1, crc: crc, "\(label), expected 1 byte short")
                assertSame(stream, expectedSize: size + 100, crc: crc, "\(label), expected 100 bytes more")
                assertSame(stream, expectedSize: size, limit: size - 1, crc: crc, "\(label), limit 1 byte short")
                assertSame(stream, expectedSize: size, limit: size, crc: crc, "\(label), limit at its size")
                assertSame(stream, expectedSize: size, crc: crc ^ 1, "\(label), wrong CRC")
                let direct = stream.withUnsafeBytes {
                    ZipStructure.inflatedByLibdeflate($0, expectedSize: size, limit: 1 << 26, crc: crc)
                }
                if direct != nil { byLibdeflate += 1 }
            }
        }
        XCTAssertGreaterThan(parts, 20)
        #if os(Linux)
            XCTAssertEqual(byLibdeflate, parts, "every intact part is inflated by libdeflate")
        #endif
    }

    /// Generated streams: each compression level, stored blocks, fixed codes, Huffman only, and an empty input; cut
    /// at many lengths and with one bit flipped at many places.
    func testGeneratedStreamsWholeCutAndDamaged() {
        var random = SplitMix(seed: 0xDEF1_A7E0)
        let words = ["政府信息公开", "申请", "办理结果", "总计", "0", "12", "\t", "\n", "<w:t>", "</w:t>", "rsidR=\"00A1\""]
        let text = (0..<6_000).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined()
        let noise = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let inputs: [(String, [UInt8])] = [("text", Array(text.utf8)), ("noise", noise), ("empty", []), ("one byte", [0x41])]
        var streams: [(String, [UInt8], [UInt8])] = []
        for (name, input) in inputs {
            for level: Int32 in [0, 1, 6, 9] { streams.append(("\(name) level \(level)", input, Self.deflated(input, level: level))) }
            streams.append(("\(name) fixed codes", input, Self.deflated(input, strategy: Z_FIXED)))
            streams.append(("\(name) Huffman only", input, Self.deflated(input, strategy: Z_HUFFMAN_ONLY)))
        }
        var byLibdeflate = 0
        for (name, input, stream) in streams {
            let crc = Self.crc(input)
            assertSame(stream, expectedSize: input.count, crc: crc, name)
            assertSame(stream, expectedSize: 0, crc: crc, "\(name), expected size 0")
            assertSame(stream, expectedSize: input.count, limit: max(input.count - 1, 0), crc: crc, "\(name), limit short")
            let direct = stream.withUnsafeBytes {
                ZipStructure.inflatedByLibdeflate($0, expectedSize: input.count, limit: 1 << 26, crc: crc)
            }
            if direct != nil {
                byLibdeflate += 1
                XCTAssertEqual(direct.map { [UInt8]($0) }, input, name)
            }
            // Cut short: every length of a short stream, 300 lengths of a long one (the last 40 bytes all).
            let cuts =
                stream.count <= 400
                ? Array(0..<stream.count)
                : Array(Set((0..<260).map { $0 * stream.count / 260 } + ((stream.count - 40)..<stream.count))).sorted()
            for k in cuts { assertSame(Array(stream.prefix(k)), expectedSize: input.count, crc: crc, "\(name) cut at \(k)") }
            // One bit flipped, at 300 places.
            for _ in 0..<300 where !stream.isEmpty {
                var damaged = stream
                let at = Int.random(in: 0..<damaged.count, using: &random)
                damaged[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                assertSame(damaged, expectedSize: input.count, crc: crc, "\(name) bit flipped at \(at)")
            }
        }
        #if os(Linux)
            XCTAssertEqual(byLibdeflate, streams.count, "every intact stream is inflated by libdeflate")
        #endif
    }
}
