import Foundation
import OGIModel
import OGITestSupport
import XCTest
import ZIPFoundation

@testable import OGIReaders

/// `ZipStructure.deflatedParts` finds a draft's parts from the zip's central directory without ZIPFoundation's
/// archive object. Every draft of the repository, archives laid out in other ways and damaged copies of them are
/// read both ways (`DocxReader.draft` with and without `throughArchive`): the same lines, the same source
/// of every line, the same error.
final class DocxDirectoryTests: XCTestCase {
    static let reader = DocxReader(context: MarkupStreamingTests.sharedContext)

    /// A reader whose part limit the bundled drafts' parts straddle (some unpack to more than 6,000 bytes).
    static let smallReader: DocxReader = {
        var budget = ReadBudget()
        budget.maxDecodedBytes = 6_000
        return DocxReader(context: MarkupStreamingTests.sharedContext, budget: budget)
    }()

    /// What reading gives, as text: every line with where it came from, or the error.
    static func outcome(_ data: Data, throughArchive: Bool, reader: DocxReader = reader) -> String {
        do {
            let draft = try reader.draft(path: "d.docx", data: data, throughArchive: throughArchive)
            let (lines, locate) = (draft.lines, draft.locator)
            return lines.map { "\($0.number) \($0.text) \(locate($0.number, nil)) \(locate($0.number, 1))" }.joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    /// Archives written by ZIPFoundation with the parts missing, doubled, stored rather than deflated, in
    /// another order, or named with a byte-order mark.
    static func laidOut() throws -> [(String, Data)] {
        let document = Data(
            MarkupStreamingTests.docx(
                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>"
            ).utf8)
        let numbering = Data(
            ("<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\">"
                + "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>"
                + "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>").utf8)
        let other = Data("<x/>".utf8)
        typealias Item = (String, Data, CompressionMethod)
        let layouts: [[Item]] = [
            [("word/document.xml", document, .deflate), ("word/numbering.xml", numbering, .deflate)],
            [("word/numbering.xml", numbering, .deflate), ("word/document.xml", document, .deflate)],
            [("word/document.xml", document, .deflate)],
            [("word/numbering.xml", numbering, .deflate)],
            [("word/document.xml", document, .none), ("word/numbering.xml", numbering, .deflate)],
            [("word/document.xml", document, .deflate), ("word/numbering.xml", numbering, .none)],
            [
                ("word/document.xml", document, .deflate), ("word/document.xml", other, .deflate),
                ("word/numbering.xml", numbering, .deflate),
            ],
            [("word/styles.xml", other, .deflate), ("Word/document.xml", other, .deflate), ("word/document.xml", document, .deflate)],
            [("\u{FEFF}word/document.xml", other, .deflate), ("word/document.xml", document, .deflate)],
            [("word/document.xmlx", other, .deflate), ("word/document.xml", document, .deflate)],
            [("文档/document.xml", other, .deflate), ("word/document.xml", document, .deflate), ("word/numbering.xml", numbering, .deflate)],
        ]
        return try layouts.enumerated().map { i, items in
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, data, method) in items {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: method) {
                    position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            return ("layout \(i)", try XCTUnwrap(archive.data))
        }
    }

    /// Copies of `data` with one central-directory field changed: flags (encrypted, data descriptor, UTF-8 name),
    /// method, sizes, checksum, a name's first byte, the end record's entry count, offset and comment length; and
    /// copies cut short or with bytes flipped at random.
    static func damaged(_ name: String, _ data: Data, seed: UInt64) -> [(String, Data)] {
        let bytes = [UInt8](data)
        let n = bytes.count
        func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        func u32(_ b: [UInt8], _ at: Int) -> Int { u16(b, at) | u16(b, at + 2) << 16 }
        guard n >= 22 else { return [] }
        var eocd = n - 22
        while eocd >= 0, u32(bytes, eocd) != 0x0605_4B50 { eocd -= 1 }
        guard eocd >= 0 else { return [] }
        var out: [(String, Data)] = []
        func variant(_ label: String, _ change: (inout [UInt8]) -> Void) {
            var copy = bytes
            change(&copy)
            out.append(("\(name) \(label)", Data(copy)))
        }
        func put16(_ b: inout [UInt8], _ at: Int, _ v: Int) { b[at] = UInt8(v & 0xFF); b[at + 1] = UInt8((v >> 8) & 0xFF) }
        var pos = u32(bytes, eocd + 16)
        var entry = 0
        while pos + 46 <= n, u32(bytes, pos) == 0x0201_4B50, entry < 12 {
            let at = pos
            for bit in [0x01, 0x08, 0x800] {
                variant("entry \(entry) flag \(bit)") { put16(&$0, at + 8, u16($0, at + 8) ^ bit) }
            }
            variant("entry \(entry) method 0") { put16(&$0, at + 10, 0) }
            variant("entry \(entry) method 12") { put16(&$0, at + 10, 12) }
            variant("entry \(entry) checksum") { $0[at + 16] ^= 0x5A }
            variant("entry \(entry) compressed size") { put16(&$0, at + 20, u16($0, at + 20) / 2) }
            variant("entry \(entry) uncompressed size") { put16(&$0, at + 24, u16($0, at + 24) / 3) }
            variant("entry \(entry) huge size") { $0[at + 27] = 0x7F }
            variant("entry \(entry) signature") { $0[at] = 0 }
            if u16(bytes, at + 28) > 0 {
                variant("entry \(entry) name") { $0[at + 46] ^= 0x20 }
                if u16(bytes, at + 28) >= 3 {
                    variant("entry \(entry) name after a byte-order mark") {
                        $0.replaceSubrange((at + 46)..<(at + 49), with: [0xEF, 0xBB, 0xBF])
                        $0[at + 9] |= 0x08  // bit 11: the name is UTF-8
                    }
                }
            }
            pos += 46 + u16(bytes, at + 28) + u16(bytes, at + 30) + u16(bytes, at + 32)
            entry += 1
        }
        variant("one entry fewer") { put16(&$0, eocd + 10, max(0, u16($0, eocd + 10) - 1)) }
        variant("no entries") { put16(&$0, eocd + 10, 0) }
        variant("directory offset +1") { $0[eocd + 16] &+= 1 }
        variant("comment cut off") { put16(&$0, eocd + 20, 5) }
        out.append(("\(name) with a comment", Data(bytes[..<(eocd + 20)] + [3, 0, 0x61, 0x62, 0x63])))
        var rng = SplitMix(seed: seed)
        for i in 0..<24 {
            variant("flip \(i)") { b in
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let at = Int(rng.next() % UInt64(n))
                    b[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                }
            }
        }
        for cut in [n - 1, n - 10, n / 2, eocd, max(0, eocd - 30)] where cut >= 0 {
            out.append(("\(name) cut at \(cut)", Data(bytes[..<cut])))
        }
        return out
    }

    func testTheDirectoryReadsAsZIPFoundationDoes() throws {
        let drafts = MarkupStreamingTests.files(["docx"])
        XCTAssertGreaterThan(drafts.count, 50)
        let laidOut = try Self.laidOut()
        var inputs: [(String, Data)] = drafts.map { ($0.name, $0.data) } + laidOut
        for (i, (name, data)) in (laidOut + drafts.prefix(4).map { ($0.name, $0.data) }).enumerated() {
            inputs += Self.damaged(name, data, seed: UInt64(i + 1))
        }
        var direct = 0
        var errors = 0
        var overLimit = 0
        for (name, data) in inputs {
            let fast = Self.outcome(data, throughArchive: false)
            let reference = Self.outcome(data, throughArchive: true)
            XCTAssertEqual(fast, reference, name)
            let small = Self.outcome(data, throughArchive: false, reader: Self.smallReader)
            XCTAssertEqual(small, Self.outcome(data, throughArchive: true, reader: Self.smallReader), "\(name), small budget")
            if small.contains("over the 6000-byte limit") { overLimit += 1 }
            if ZipStructure.problem(in: data) == nil,
                ZipStructure.deflatedParts(in: data, document: DocxReader.documentPath, numbering: DocxReader.numberingPath) != nil
            {
                direct += 1
            }
            if fast.hasPrefix("error: ") { errors += 1 }
        }
        // Most inputs took the direct way; many failed, so the errors were compared too.
        XCTAssertGreaterThan(direct, drafts.count + 100)
        XCTAssertGreaterThan(errors, 150)
        XCTAssertGreaterThan(inputs.count - direct, 150)
        XCTAssertGreaterThan(overLimit, 50)
    }

    /// The directory's own account of the parts on the bundled drafts: both parts found, deflated, with the sizes
    /// and checksums ZIPFoundation reports.
    func testDeflatedPartsMatchTheArchiveEntries() throws {
        var compared = 0
        for (name, data) in MarkupStreamingTests.files(["docx"]) {
            let archive = try Archive(data: data, accessMode: .read)
            let parts = try XCTUnwrap(
                ZipStructure.deflatedParts(in: data, document: DocxReader.documentPath, numbering: DocxReader.numberingPath), name)
            for (part, path) in [(parts.document, DocxReader.documentPath), (parts.numbering, DocxReader.numberingPath)] {
                let entry = archive[path]
                XCTAssertEqual(part?.path, entry?.path, name)
                XCTAssertEqual(part?.uncompressedSize, entry?.uncompressedSize, name)
                XCTAssertEqual(part?.checksum, entry?.checksum, name)
                XCTAssertEqual(part.map { UInt64($0.range.count) }, entry?.compressedSize, name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 100)
    }
}
