import COGICRC32
import COGIZlib
import Foundation
import OGITestSupport
import XCTest
import ZIPFoundation

/// `ogilint_crc32` (carry-less multiplication on x86_64 CPUs with PCLMUL and SSE4.1) gives zlib's `crc32` on random
/// data of every length to 1,100 bytes at every alignment, on long, all-zero and all-0xFF buffers, on every DOCX of
/// samples/ and every part in them; so does its zlib path (`ogilint_crc32_choosing` with `allow_clmul` 0).
final class CRC32Tests: XCTestCase {
    /// zlib's CRC-32 of `bytes` continuing `crc`.
    static func zlib(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(crc32(uLong(crc), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), uInt(bytes.count)))
    }

    /// Both of ogilint's paths equal zlib's CRC of `bytes`, starting at 0 and continuing `crc`.
    func assertSame(_ bytes: UnsafeRawBufferPointer, crc: UInt32, _ name: @autoclosure () -> String, line: UInt = #line) {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        for start in [0, crc] {
            let expected = Self.zlib(start, bytes)
            XCTAssertEqual(ogilint_crc32(start, base, bytes.count), expected, "\(name()) from \(start)", line: line)
            XCTAssertEqual(
                ogilint_crc32_choosing(start, base, bytes.count, 0), expected, "\(name()) from \(start), zlib's path", line: line)
        }
    }

    func assertSame(_ bytes: [UInt8], crc: UInt32 = 0x1234_5678, _ name: String, line: UInt = #line) {
        bytes.withUnsafeBytes { assertSame($0, crc: crc, name, line: line) }
    }

    func testReportsThePath() {
        #if arch(x86_64)
            print("CRC32Tests: carry-less multiplication \(ogilint_crc32_uses_clmul() == 1 ? "used" : "not available")")
        #else
            XCTAssertEqual(ogilint_crc32_uses_clmul(), 0)
        #endif
    }

    func testCheckValue() {
        assertSame(Array("123456789".utf8), "the check value")
        XCTAssertEqual(ogilint_crc32(0, Array("123456789".utf8), 9), 0xCBF4_3926)
        XCTAssertEqual(ogilint_crc32(0, nil, 0), 0)
    }

    func testEveryLengthAtEveryAlignment() {
        var random = SplitMix(seed: 0xC4C3_2000)
        let data = (0..<(1_100 + 16)).map { _ in UInt8.random(in: 0...255, using: &random) }
        data.withUnsafeBytes { all in
            for offset in 0..<16 {
                for length in 0...1_100 {
                    let crc = UInt32.random(in: 0...UInt32.max, using: &random)
                    assertSame(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)]), crc: crc, "\(length) bytes at +\(offset)")
                }
            }
        }
    }

    func testLongBuffers() {
        var random = SplitMix(seed: 0xC4C3_2001)
        for count in [1 << 20, (4 << 20) + 3] {
            assertSame((0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }, "\(count) random bytes")
        }
    }

    func testZerosAndOnes() {
        for count in [0, 1, 15, 16, 63, 64, 65, 127, 128, 1_000, 4_096, 65_537, 1 << 20] {
            assertSame([UInt8](repeating: 0, count: count), crc: 0, "\(count) zero bytes")
            assertSame([UInt8](repeating: 0xFF, count: count), crc: 0xFFFF_FFFF, "\(count) 0xFF bytes")
        }
    }

    /// Every DOCX under samples/, whole and each part inflated; the parts' CRCs are also the ones the zip records.
    func testSampleDrafts() throws {
        let root = Repo.path("samples")
        let files = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: root))
            .filter { ($0 as NSString).pathExtension.lowercased() == "docx" }.sorted()
        XCTAssertGreaterThan(files.count, 70)
        var parts = 0
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: (root as NSString).appendingPathComponent(file)))
            assertSame([UInt8](data), file)
            let archive: Archive
            do { archive = try Archive(data: data, accessMode: .read) } catch { continue }
            for entry in archive where entry.type == .file {
                var content = Data()
                guard (try? archive.extract(entry, skipCRC32: true) { content.append($0) }) != nil else { continue }
                let bytes = [UInt8](content)
                assertSame(bytes, "\(file): \(entry.path)")
                XCTAssertEqual(ogilint_crc32(0, bytes, bytes.count), entry.checksum, "\(file): \(entry.path), the zip's CRC")
                parts += 1
            }
        }
        XCTAssertGreaterThan(parts, 500)
    }
}
