import COGIZlib
import Foundation
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `ZipStructure.inflate` gives the same bytes, or the same error, whether one call of zlib's `inflate` is tried
/// first or the stream is read in 64 KiB chunks only: on every deflated part of every DOCX in the repository, and on
/// generated streams (levels 0, 1, 6 and 9, fixed codes, Huffman codes only, empty, larger than a chunk, with bytes
/// after their end) told the right size, a smaller or larger one, a negative one, a limit below, at or above their
/// size or the wrong CRC, cut short at many lengths and with single bits flipped; and on streams that decoders more
/// lenient than zlib finish (symbols a fixed block may not use, too many code lengths, a repeat past the last one,
/// a match with no distance code) with the CRC of what such a decoder makes of them. Intact streams are shown to be
/// read in the one call, so the comparison is not of the chunked path with itself.
final class InflateOneCallTests: XCTestCase {
    /// What `inflate` gave.
    enum Outcome: Equatable {
        /// The bytes, and whether a NUL follows them in their allocation (the scanner reads parts in place).
        case bytes(Data, nulAfter: Bool)
        case tooBig
        case damaged
        case other(String)
    }

    static func outcome(_ stream: [UInt8], expectedSize: Int, limit: Int, crc: UInt32, oneCall: Bool) -> Outcome {
        do {
            let data = try stream.withUnsafeBytes {
                try ZipStructure.inflate($0, expectedSize: expectedSize, limit: limit, crc: crc, oneCall: oneCall)
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

    /// Both ways of inflating give the same outcome; returns it.
    @discardableResult
    func assertSame(
        _ stream: [UInt8], expectedSize: Int, limit: Int = 1 << 26, crc: UInt32, _ name: @autoclosure () -> String, line: UInt = #line
    ) -> Outcome {
        let fast = Self.outcome(stream, expectedSize: expectedSize, limit: limit, crc: crc, oneCall: true)
        let chunked = Self.outcome(stream, expectedSize: expectedSize, limit: limit, crc: crc, oneCall: false)
        XCTAssertEqual(fast, chunked, name(), line: line)
        return fast
    }

    /// True when the one call alone reads `stream` (with its real size, CRC and a generous limit).
    static func readInOneCall(_ stream: [UInt8], size: Int, crc: UInt32) -> Bool {
        stream.withUnsafeBytes { ZipStructure.inflatedInOneCall($0, expectedSize: size, limit: 1 << 26, crc: crc) } != nil
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

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// Every deflated part of every DOCX in the repository (samples, renderings, Word-saved copies), read with its
    /// real size and with wrong sizes, limits and CRCs.
    func testEveryPartOfEveryDocx() throws {
        var parts = 0, inOneCall = 0
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
                assertSame(stream, expectedSize: -1, crc: crc, "\(label), expected size negative")
                assertSame(stream, expectedSize: size, limit: size - 1, crc: crc, "\(label), limit 1 byte short")
                assertSame(stream, expectedSize: size, limit: size, crc: crc, "\(label), limit at its size")
                assertSame(stream, expectedSize: size * 2, limit: size, crc: crc, "\(label), expected over the limit")
                assertSame(stream, expectedSize: size, crc: crc ^ 1, "\(label), wrong CRC")
                if Self.readInOneCall(stream, size: size, crc: crc) { inOneCall += 1 }
            }
        }
        XCTAssertGreaterThan(parts, 20)
        XCTAssertEqual(inOneCall, parts, "every intact part is read in one call")
    }

    /// Generated streams: each compression level, stored blocks, fixed codes, Huffman only, an empty input, inputs
    /// whose streams span several 64 KiB chunks and outputs of exactly one and two chunks; with bytes after their
    /// end; cut at many lengths and with one bit flipped at many places.
    func testGeneratedStreamsWholeCutAndDamaged() {
        var random = SplitMix(seed: 0xDEF1_A7E0)
        let words = ["政府信息公开", "申请", "办理结果", "总计", "0", "12", "\t", "\n", "<w:t>", "</w:t>", "rsidR=\"00A1\""]
        let text = (0..<6_000).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined()
        let noise = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let bigNoise = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let inputs: [(String, [UInt8])] = [
            ("text", Array(text.utf8)), ("noise", noise), ("empty", []), ("one byte", [0x41]),
            ("one chunk", Array(Array(text.utf8).prefix(65_536))), ("two chunks", Array(repeating: 0x61, count: 131_072)),
        ]
        var streams: [(String, [UInt8], [UInt8])] = []
        for (name, input) in inputs {
            for level: Int32 in [0, 1, 6, 9] { streams.append(("\(name) level \(level)", input, Self.deflated(input, level: level))) }
            streams.append(("\(name) fixed codes", input, Self.deflated(input, strategy: Z_FIXED)))
            streams.append(("\(name) Huffman only", input, Self.deflated(input, strategy: Z_HUFFMAN_ONLY)))
        }
        // Streams of several input chunks (200 KB of noise stored or barely compressed).
        streams.append(("big noise level 0", bigNoise, Self.deflated(bigNoise, level: 0)))
        streams.append(("big noise level 1", bigNoise, Self.deflated(bigNoise, level: 1)))
        var inOneCall = 0
        for (name, input, stream) in streams {
            let crc = Self.crc(input)
            let whole = assertSame(stream, expectedSize: input.count, crc: crc, name)
            XCTAssertEqual(whole, .bytes(Data(input), nulAfter: true), name)
            assertSame(stream, expectedSize: 0, crc: crc, "\(name), expected size 0")
            assertSame(stream, expectedSize: input.count, limit: max(input.count - 1, 0), crc: crc, "\(name), limit short")
            assertSame(stream + [0x00, 0xFF, 0x13], expectedSize: input.count, crc: crc, "\(name), bytes after its end")
            if Self.readInOneCall(stream, size: input.count, crc: crc) { inOneCall += 1 }
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
        XCTAssertEqual(inOneCall, streams.count, "every intact stream is read in one call")
    }

    /// A bomb: a megabyte of zeros in a kilobyte, against a limit of 64 KiB and a header that says 100 bytes.
    func testABombIsTooBigBothWays() {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let stream = Self.deflated(zeros, level: 9)
        XCTAssertLessThan(stream.count, 2_000)
        let outcome = assertSame(stream, expectedSize: 100, limit: 65_536, crc: Self.crc(zeros), "bomb")
        XCTAssertEqual(outcome, .tooBig)
    }

    /// Streams that zlib refuses and a more lenient decoder (libdeflate 1.14) finishes, each with the CRC of what
    /// that decoder makes of it (the CRC a writer of such a file would put in the zip): still damaged, both ways.
    /// The last is a well-formed stream of the same shape, read by both.
    func testStreamsOnlyALenientDecoderFinishesAreDamaged() {
        let aaaa = Self.crc(Array("aaaa".utf8))
        let cases: [(String, String, UInt32, Int)] = [
            ("fixed block using length symbol 286", "4b1c0300", Self.crc([UInt8](repeating: 0x61, count: 259)), 259),
            ("fixed block using distance symbol 30", "4b043e000000", 0, 0),
            ("32 distance code lengths", "0dffd19224499224497c2bfeff4f1021fe8905", aaaa, 4),
            ("288 literal/length code lengths", "fde1d19224499224497c2bfeff4f10fd09a205", aaaa, 4),
            ("a code length repeat past the last length", "0de2d19224499224497c2bfeff4f1021fe8405", aaaa, 4),
            ("a match with an empty distance code", "0de0d19224499224497c2bfeff4f108105", aaaa, 4),
            ("a distance code of one codeword, sent as 1", "0de0d19224499224497c2bfeff4f10a107", aaaa, 4),
        ]
        for (name, hex, crc, size) in cases {
            XCTAssertEqual(assertSame(Self.hex(hex), expectedSize: size, crc: crc, name), .damaged, name)
        }
        let control = Self.hex("0de1d19224499224497c2bfeff4f10215a")
        XCTAssertEqual(
            assertSame(control, expectedSize: 4, crc: aaaa, "well-formed dynamic block"), .bytes(Data("aaaa".utf8), nulAfter: true))
    }

    /// An empty buffer (no base address) is damaged both ways.
    func testAnEmptyBufferIsDamaged() {
        let one = ZipStructure.inflatedInOneCall(UnsafeRawBufferPointer(start: nil, count: 0), expectedSize: 0, limit: 10, crc: 0)
        XCTAssertNil(one)
        XCTAssertEqual(assertSame([], expectedSize: 0, crc: 0, "empty"), .damaged)
    }
}
