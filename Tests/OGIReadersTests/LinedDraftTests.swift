import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// A DOCX, HTML page or PDF read from its draft (`LinedDraft`) gives the report its reader gives, also after the
/// draft has been through its bytes (`encoded()`), which is how a batch keeps it between pairing and checking.
final class LinedDraftTests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext
    static let registry = ReaderRegistry.standard(context: context, budget: ReadBudget())
    static let text = TextReader(context: context)

    /// Every DOCX, HTML and (when pdftotext is installed) PDF sample and rendering.
    func draftFiles() -> [String] {
        var exts: Set<String> = ["docx", "html", "htm"]
        if PDFReader.pdftotext() != nil { exts.insert("pdf") }
        let root = Repo.path("samples")
        let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return all.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { root + "/" + $0 }
    }

    func testEveryDraftReadsAsItsReaderReadsTheFile() throws {
        let files = draftFiles()
        XCTAssertGreaterThan(files.count, 130)
        var formats: Set<String> = []
        var settled = 0
        for path in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let read: Report
            do { read = try Self.registry.read(path: path, data: data) } catch {
                XCTAssertThrowsError(try Self.registry.draft(path: path, data: data), "\(path): the read fails, so must the draft")
                continue
            }
            let draft = try XCTUnwrap(try Self.registry.draft(path: path, data: data), path)
            XCTAssertEqual(
                draft, try (Self.registry.claimant(path: path, data: data) as? any DraftingReader)?.draft(path: path, data: data))
            formats.insert(draft.sourceFormat)
            let kept = try XCTUnwrap(draft.encoded().withUnsafeBytes { LinedDraft(encoded: $0) }, "\(path): bytes read back")
            XCTAssertEqual(kept, draft, path)
            if let fromDraft = Self.text.report(from: kept) {
                XCTAssertEqual(fromDraft, read, path)
                XCTAssertEqual(
                    Self.text.report(from: kept, depth: .metadata)?.metadata, try Self.registry.readMetadata(path: path, data: data), path)
                settled += 1
            } else {
                XCTAssertTrue(kept.pageDateUnresolved, path)
                XCTAssertNil(
                    Self.text.report(from: kept, depth: .report) { nil }.metadata.published, "\(path): only an unsigned page is read again")
            }
            XCTAssertEqual(Self.text.pairingMetadata(of: kept), try Self.registry.readPairingMetadata(path: path, data: data), path)
        }
        XCTAssertTrue(formats.isSuperset(of: ["docx", "html"]), "\(formats)")
        XCTAssertGreaterThan(settled, files.count * 9 / 10, "most drafts settle their report")
    }

    func testTextAndModelsAreReadFromTheirBytesNotFromADraft() throws {
        for sample in ["clean-2021-government.txt", "clean-2021-government.json", "clean-2021-government.yml"] {
            let path = Repo.path("samples/" + sample)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertNil(try Self.registry.draft(path: path, data: data), sample)
            let m: Metadata
            switch try Self.registry.pairingReading(path: path, data: data) {
            case .draft: return XCTFail("\(sample): a draft was made")
            case .text(let read, _):
                XCTAssertEqual(sample.hasSuffix(".txt"), true, "\(sample): only a plain text gives its decoded text")
                m = read
            case .metadata(let read):
                XCTAssertEqual(sample.hasSuffix(".txt"), false, "\(sample): a plain text gives its decoded text")
                m = read
            }
            XCTAssertEqual(m, try Self.registry.readPairingMetadata(path: path, data: data), sample)
        }
    }

    /// A plain text's pairing reading gives the text it decoded, and the report read from that text is the one read
    /// from the file's bytes: for every text sample and rendering, a GB18030 copy of each that holds Chinese (its
    /// bytes differ from the UTF-8 ones), UTF-8 with a byte-order mark, UTF-16 in both byte orders with theirs, and
    /// a copy with CRLF line ends. A blank text is refused as its file is.
    func testTheDecodedTextOfAPairingReadingReadsAsTheFile() throws {
        let text = TextReader(context: Self.context, budget: ReadBudget())
        var paths: [String] = []
        for folder in ["samples", "samples/broken", "samples/renderings", "samples/previous"] {
            paths += try FileManager.default.contentsOfDirectory(atPath: Repo.path(folder)).filter { $0.hasSuffix(".txt") }.sorted().map {
                Repo.path(folder + "/" + $0)
            }
        }
        XCTAssertGreaterThan(paths.count, 100)
        var checked = 0, gb18030 = 0
        for path in paths {
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            var variants = [original, Data([0xEF, 0xBB, 0xBF]) + original]
            let utf8 = try XCTUnwrap(String(data: original, encoding: .utf8), path)
            variants.append(Data(utf8.replacingOccurrences(of: "\n", with: "\r\n").utf8))
            variants.append(Data([0xFF, 0xFE]) + Data(utf8.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
            variants.append(Data([0xFE, 0xFF]) + Data(utf8.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }))
            if let gb = Self.gb18030(utf8), gb != original {
                variants.append(gb)
                gb18030 += 1
            }
            for data in variants {
                guard case .text(let meta, let decoded) = try Self.registry.pairingReading(path: path, data: data) else {
                    return XCTFail("\(path): a text gives its decoded text")
                }
                XCTAssertEqual(meta, try text.readPairingMetadata(path: path, data: data), path)
                XCTAssertEqual(try text.read(path: path, decodedText: decoded), try text.read(path: path, data: data), path)
                checked += 1
            }
        }
        XCTAssertGreaterThan(gb18030, 100, "the GB18030 copies were made")
        XCTAssertGreaterThan(checked, 600)
        XCTAssertThrowsError(try text.read(path: "blank.txt", decodedText: " \n\t\n")) { error in
            XCTAssertEqual("\(error)", "\(ReaderError.empty(path: "blank.txt"))")
        }
    }

    /// `s` encoded as GB18030 (with iconv, as the reader decodes it), nil when it cannot be.
    static func gb18030(_ s: String) -> Data? {
        let cd = iconv_open("GB18030", "UTF-8")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = Array(s.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        return Data(output[..<written].map { UInt8(bitPattern: $0) })
    }

    /// A page without a signature date takes its `<meta>` date; the draft keeps it, and a report that has its own
    /// signature date keeps that one.
    func testPageDateIsKeptInTheDraftAndUsedOnlyWithoutASignatureDate() throws {
        let html = try String(contentsOfFile: Repo.path("samples/clean-2021-government.html"), encoding: .utf8)
        let withMeta = html.replacingOccurrences(of: "<head>", with: "<head><meta name=\"PubDate\" content=\"2022-01-20 09:30\">")
        XCTAssertNotEqual(withMeta, html, "the sample has a <head>")
        let data = Data(withMeta.utf8)
        let draft = try XCTUnwrap(try Self.registry.draft(path: "p.html", data: data))
        XCTAssertEqual(draft.pageDate?.date, CalendarDate(year: 2022, month: 1, day: 20))
        let read = try Self.registry.read(path: "p.html", data: data)
        XCTAssertEqual(Self.text.report(from: draft), read)
        XCTAssertEqual(read.metadata.published, CalendarDate(year: 2024, month: 3, day: 20), "the signature date")
        // The same page without its signature date: the page's date is the report's.
        var unsigned = draft
        unsigned.lines = draft.lines.map { l in
            l.text == "2024年3月20日" ? SourceLine(number: l.number, text: "") : l
        }
        XCTAssertNotEqual(unsigned, draft, "the sample is signed and dated")
        XCTAssertEqual(Self.text.report(from: unsigned)?.metadata.published, CalendarDate(year: 2022, month: 1, day: 20))
    }

    /// A page whose report has no signature date takes a date line from the page around it, which the draft does not
    /// look for: its report is not read from the draft, and the file's reading finds the date.
    func testAnUnsignedPageWithADateLineAroundTheReportIsNotSettledByItsDraft() throws {
        let html = try String(contentsOfFile: Repo.path("samples/clean-2021-government.html"), encoding: .utf8)
        let unsigned = html.replacingOccurrences(of: "<p>2024年3月20日</p>", with: "")
            .replacingOccurrences(of: "<div class=\"nav\">", with: "<div class=\"nav\">发布时间：2024-03-25 ")
        XCTAssertTrue(!unsigned.contains("2024年3月20日") && unsigned.contains("发布时间：2024-03-25"), "both edits were made")
        let data = Data(unsigned.utf8)
        let draft = try XCTUnwrap(try Self.registry.draft(path: "u.html", data: data))
        XCTAssertTrue(draft.pageDateUnresolved)
        XCTAssertNil(draft.pageDate)
        XCTAssertNil(Self.text.report(from: draft))
        XCTAssertEqual(try Self.registry.read(path: "u.html", data: data).metadata.published, CalendarDate(year: 2024, month: 3, day: 25))
        // Signed, the same page is settled by its draft: the page's date line is not needed.
        let signed = try XCTUnwrap(try Self.registry.draft(path: "s.html", data: Data(html.utf8)))
        XCTAssertTrue(signed.pageDateUnresolved)
        XCTAssertEqual(Self.text.report(from: signed), try Self.registry.read(path: "s.html", data: Data(html.utf8)))
    }

    func testBytesThatAreNotAWholeDraftAreRefused() throws {
        let path = Repo.path("samples/clean-2019-department.docx")
        let draft = try XCTUnwrap(try Self.registry.draft(path: path, data: Data(contentsOf: URL(fileURLWithPath: path))))
        var small = draft
        small.lines = Array(draft.lines.prefix(3))
        small.origins = Array(draft.origins.prefix(3))
        small.pageDate = .init(date: CalendarDate(year: 2020, month: 1, day: 31), line: 7)
        let bytes = small.encoded()
        XCTAssertEqual(bytes.withUnsafeBytes { LinedDraft(encoded: $0) }, small)
        for cut in 0..<bytes.count {
            XCTAssertNil(Array(bytes.prefix(cut)).withUnsafeBytes { LinedDraft(encoded: $0) }, "cut at \(cut)")
        }
        XCTAssertNil((bytes + [0]).withUnsafeBytes { LinedDraft(encoded: $0) }, "a byte too many")
        var unresolved = small
        unresolved.pageDate = nil
        unresolved.pageDateUnresolved = true
        XCTAssertEqual(unresolved.encoded().withUnsafeBytes { LinedDraft(encoded: $0) }, unresolved)
        for flag: UInt8 in [3, 0xFF] {
            var wrongFlag = bytes
            wrongFlag[bytes.count - 33] = flag
            XCTAssertNil(wrongFlag.withUnsafeBytes { LinedDraft(encoded: $0) }, "an unknown page-date flag")
        }
        // Lengths and counts that no bytes could hold, or negative ones, are refused (not trapped on).
        func int(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        for n: Int64 in [.max, .max - 4, -1, Int64.min, 1 << 40] {
            XCTAssertNil((int(n) + [0, 0, 0, 0]).withUnsafeBytes { LinedDraft(encoded: $0) }, "path length \(n)")
            let header = int(1) + Array("x".utf8) + int(4) + Array("html".utf8)
            XCTAssertNil((header + int(n) + int(0)).withUnsafeBytes { LinedDraft(encoded: $0) }, "line count \(n)")
            XCTAssertNil((header + int(0) + int(n) + [0]).withUnsafeBytes { LinedDraft(encoded: $0) }, "origin count \(n)")
        }
        // A cell flag other than 0 or 1.
        let cellFlagAt = bytes.count - 33 - 1
        XCTAssertEqual(bytes[cellFlagAt], small.origins[2].fieldIsCell ? 1 : 0)
        var wrongCell = bytes
        wrongCell[cellFlagAt] = 2
        XCTAssertNil(wrongCell.withUnsafeBytes { LinedDraft(encoded: $0) }, "an unknown cell flag")
        // Lines and origins of different counts come back as they were.
        var uneven = small
        uneven.origins.removeLast()
        XCTAssertEqual(uneven.encoded().withUnsafeBytes { LinedDraft(encoded: $0) }, uneven)
        uneven.origins += [LineOrigin(line: 1), LineOrigin(page: 2)]
        XCTAssertEqual(uneven.encoded().withUnsafeBytes { LinedDraft(encoded: $0) }, uneven)
    }

    /// Origins give the locations each reader gave before drafts: a DOCX table row names its cells, a paragraph
    /// does not; an HTML line names a cell only inside a table row; a PDF line never does.
    func testOriginsGiveEachFormatsLocations() {
        XCTAssertEqual(LineOrigin(paragraph: 4).location(field: 2), SourceLocation(paragraph: 4))
        XCTAssertEqual(
            LineOrigin(table: 1, row: 3, fieldIsCell: true).location(field: 2), SourceLocation(tableIndex: 1, rowIndex: 3, cellIndex: 2))
        XCTAssertEqual(LineOrigin(line: 9, page: 2).location(field: 5), SourceLocation(line: 9, page: 2))
        let draft = LinedDraft(
            path: "x", sourceFormat: "html", lines: [SourceLine(number: 1, text: "a")], origins: [LineOrigin(line: 12)])
        XCTAssertEqual(draft.locator(1, 3), SourceLocation(line: 12))
        XCTAssertEqual(draft.locator(0, nil), SourceLocation())
        XCTAssertEqual(draft.locator(2, nil), SourceLocation())
    }
}

extension ReaderRegistry {
    /// The draft of the input, nil when its reader reads it straight from its bytes.
    func draft(path: String, data: Data) throws -> LinedDraft? {
        guard case .draft(let d) = try pairingReading(path: path, data: data) else { return nil }
        return d
    }
}
