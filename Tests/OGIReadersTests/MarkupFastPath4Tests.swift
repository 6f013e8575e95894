import Foundation
import OGIModel
import OGITestSupport
import XCTest
import ZIPFoundation

@testable import OGIReaders

/// Shortcuts in reading pages and drafts, each compared with the code it replaced:
/// - `HTMLReader.decode` rewrites a page's bytes directly where `decodedByString` went through a `String`;
/// - `HTMLTag.of` keeps an element's flags in the node once found;
/// - `Lineariser.emitTable` keeps the rows a rowspan still covers in an array instead of a dictionary;
/// - `DocxReader.documentParts` finds both parts of a draft in one pass over the archive.
final class MarkupFastPath4Tests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext

    /// Every page of the repository and, when present, the shared corpus.
    static func pages() -> [(name: String, data: Data)] {
        var out = MarkupFastPath3Tests.allFiles().filter {
            ["html", "htm", "xhtml"].contains(($0.name as NSString).pathExtension.lowercased())
        }
        out += MarkupStreamingTests.generatedPages.enumerated().map { ("generated \($0.offset)", Data($0.element.utf8)) }
        return out
    }

    static func gbk(_ s: String) -> Data? { s.data(using: .init(rawValue: 0x8000_0632)) }

    /// Pages in other encodings and damaged pages: byte-order marks, GBK declared (truly, falsely, with a NUL in
    /// the converted text), NULs, bytes that are no UTF-8, several and odd `charset=` declarations, cuts.
    static func generatedBytes(from pages: [(name: String, data: Data)]) -> [(String, Data)] {
        var out: [(String, Data)] = []
        let body = "<p>一、总体情况</p><p>本报告…2023年</p>"
        let heads = [
            "<meta charset=gbk>", "<meta charset=\"GB2312\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">",
            "<meta charset = 'gb18030'>", "<meta charset=\tgbk>", "<meta charset=utf-8>", "<meta CHARSET=gbk>",
            "<meta charset=x-gbk><meta charset=utf-8>",
            "charset=charset=gbk", "<meta charset=\u{3000}gbk>", "<meta charset=cp936 charset=big5>", "", "<meta charset=>", "chars",
        ]
        for head in heads {
            let page = "<html><head>\(head)</head><body>\(body)</body></html>"
            out.append(("utf-8 \(head)", Data(page.utf8)))
            if let g = gbk(page) { out.append(("gbk \(head)", g)) }
            if let g = gbk(page.replacingOccurrences(of: "总体", with: "总\u{0}体")) { out.append(("gbk nul \(head)", g)) }
            out.append(("bom \(head)", Data([0xEF, 0xBB, 0xBF]) + Data(page.utf8)))
            if let u = page.data(using: .utf16LittleEndian) { out.append(("utf-16le \(head)", Data([0xFF, 0xFE]) + u)) }
            if let u = page.data(using: .utf16BigEndian) { out.append(("utf-16be \(head)", Data([0xFE, 0xFF]) + u)) }
            out.append(("nul \(head)", Data(page.utf8) + Data([0]) + Data(body.utf8)))
            out.append(("late nul \(head)", Data(page.utf8) + Data(count: 9000) + Data([0]) + Data(body.utf8)))
            out.append(("invalid \(head)", Data(page.utf8) + Data([0xFF, 0xC0, 0x80])))
            out.append(
                ("gbk bytes \(head)", Data("<html><head>\(head)</head>".utf8) + Data([0xD2, 0xBB, 0xA1, 0xA2]) + Data("</html>".utf8)))
        }
        out += [("empty", Data()), ("one byte", Data([0x3C])), ("only c", Data("c".utf8)), ("charset", Data("charset".utf8))]
        for (name, data) in pages.prefix(40) {
            for k in [1, 2, 3, 5] { out.append(("\(name) cut \(k)/7", data.prefix(data.count * k / 7))) }
            if let text = String(data: data, encoding: .utf8), let g = gbk(text.replacingOccurrences(of: "utf-8", with: "gbk")) {
                out.append(("\(name) as gbk", g))
            }
        }
        return out
    }

    func testDecodeEqualsDecodingThroughAString() {
        let pages = Self.pages()
        XCTAssertGreaterThan(pages.count, 60)
        var decoded = 0, thrown = 0
        for (name, data) in pages + Self.generatedBytes(from: pages) {
            let fast = Result { try HTMLReader.decode(data, path: name) }
            let reference = Result { try HTMLReader.decodedByString(data, path: name) }
            switch (fast, reference) {
            case let (.success(a), .success(b)):
                XCTAssertEqual(a, b, name)
                decoded += 1
            case let (.failure(a), .failure(b)):
                XCTAssertEqual("\(a)", "\(b)", name)
                thrown += 1
            default:
                XCTFail("\(name): \(fast) but \(reference)")
            }
        }
        XCTAssertGreaterThan(decoded, 200)
        XCTAssertGreaterThan(thrown, 10)
    }

    func testGB18030BytesEqualTheTextDecodingString() {
        var inputs: [[UInt8]] = [
            [], [0x80], [0xD2, 0xBB], [0xD2], [0x81, 0x30, 0x81, 0x30], [0x41, 0x00, 0x42], [0xFF, 0xFF], [0x84, 0x31, 0xA4, 0x39],
        ]
        inputs += Self.pages().prefix(60).compactMap { p in String(data: p.data, encoding: .utf8).flatMap(Self.gbk).map { [UInt8]($0) } }
        for bytes in inputs {
            XCTAssertEqual(HTMLCharset.utf8FromGB18030(bytes), TextDecoding.gb18030(bytes).map { Array($0.utf8) }, "\(bytes.prefix(16))")
        }
    }

    /// Every element of every page, looked at three times (found, then kept), has the flags of its name.
    func testKeptTagFlagsEqualTheSets() throws {
        var elements = 0
        for (name, data) in Self.pages() {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let document = try? XMLTree.parseHTML(utf8) else { continue }
            func visit(_ n: XMLNode) {
                if n.isElement {
                    let expected = HTMLTag.named(n.lowercasedName)
                    for _ in 0..<3 { XCTAssertEqual(HTMLTag.of(n), expected, "\(name) \(n.name)") }
                    XCTAssertEqual(HTMLTag.looked(up: n), expected)
                    elements += 1
                } else {
                    XCTAssertEqual(HTMLTag.of(n), [])
                }
                for c in n.children { visit(c) }
            }
            visit(document.root)
        }
        XCTAssertGreaterThan(elements, 5_000)
    }

    /// The grid of a table as the lineariser placed it before, with the covered rows in a dictionary.
    static func referenceRows(_ table: XMLNode, budget: ReadBudget) -> [String] {
        var rows: [XMLNode] = []
        Lineariser.rows(table, into: &rows)
        var pending: [Int: Int] = [:]
        var out: [String] = []
        for (ri, tr) in rows.enumerated() {
            var fields: [String] = []
            var col = 0
            func skipCovered() {
                while let left = pending[col], left > 0 {
                    fields.append("")
                    pending[col] = left - 1
                    col += 1
                }
            }
            for cell in tr.children where cell.isElement && HTMLTag.named(cell.lowercasedName).contains(.cell) {
                skipCovered()
                let rowspan = min(budget.maxSpan, rows.count - ri, max(1, Int(cell.attribute("rowspan", html: true) ?? "1") ?? 1))
                let colspan = min(budget.maxSpan, max(1, Int(cell.attribute("colspan", html: true) ?? "1") ?? 1))
                fields.append(Lineariser.tabsMadeSpaces(Lineariser.trimmed(Lineariser.textOnly(cell) ?? "")))
                for k in 0..<colspan where rowspan > 1 { pending[col + k] = rowspan - 1 }
                col += colspan
            }
            skipCovered()
            out.append(fields.joined(separator: "\t"))
        }
        return out
    }

    /// Tables of text cells with spans of every shape (and spans that are not numbers, zero or negative): the rows
    /// the lineariser gives equal the reference's.
    func testTableGridEqualsTheDictionaryGrid() throws {
        var generator = SystemRandomNumberGenerator()
        var tables: [String] = []
        let spans = [
            "", " rowspan=\"2\"", " colspan=\"3\"", " rowspan=\"3\" colspan=\"2\"", " rowspan=\"0\"", " colspan=\"-1\"", " rowspan=\"x\"",
            " rowspan=\"9\"", " colspan=\"1\" rowspan=\"1\"", " ROWSPAN=\"2\"",
        ]
        for t in 0..<300 {
            var html = "<table>"
            for r in 0..<Int.random(in: 1...6, using: &generator) {
                html += "<tr>"
                for c in 0..<Int.random(in: 0...5, using: &generator) {
                    html += "<td\(spans.randomElement(using: &generator)!)>t\(t)r\(r)c\(c)</td>"
                }
                html += "</tr>"
            }
            tables.append(html + "</table>")
        }
        for (_, data) in Self.pages() {
            if let text = String(data: data, encoding: .utf8) { tables.append(text) }
        }
        let budget = ReadBudget()
        var rowsCompared = 0
        for html in tables {
            guard let document = try? XMLTree.parseHTML(Data("<html><body>\(html)</body></html>".utf8)) else { continue }
            func visit(_ n: XMLNode) {
                if n.isElement, n.lowercasedName == "table", !Lineariser.hasLayoutDescendant(n), Lineariser.textOnlyCells(n) {
                    var lineariser = Lineariser(budget: budget)
                    lineariser.emitTable(n)
                    let expected = Self.referenceRows(n, budget: budget)
                    XCTAssertEqual(lineariser.lines.map(\.text), expected, html.prefix(300).description)
                    rowsCompared += expected.count
                }
                for c in n.children { visit(c) }
            }
            visit(document.root)
        }
        XCTAssertGreaterThan(rowsCompared, 800)
    }

    /// The parts found in one pass equal `archive[path]`'s, on every draft and on archives with the parts missing,
    /// doubled or in another order.
    func testDocumentPartsEqualTheArchiveLookups() throws {
        var archives: [(String, Data)] = MarkupStreamingTests.files(["docx"]).map { ($0.name, $0.data) }
        let document = Data(MarkupStreamingTests.docx("<w:p><w:r><w:t>一</w:t></w:r></w:p>").utf8)
        let numbering = Data("<w:numbering xmlns:w=\"urn:w\"/>".utf8)
        let other = Data("<x/>".utf8)
        let layouts: [[(String, Data)]] = [
            [("word/document.xml", document), ("word/numbering.xml", numbering)],
            [("word/numbering.xml", numbering), ("word/document.xml", document)],
            [("word/document.xml", document)],
            [("word/numbering.xml", numbering)],
            [("word/styles.xml", other)],
            [
                ("word/document.xml", document), ("word/document.xml", other), ("word/numbering.xml", numbering),
                ("word/numbering.xml", other),
            ],
            [
                ("word/numbering.xml", other), ("Word/document.xml", other), ("word/document.xml", document),
                ("word/numbering.xml", numbering),
            ],
        ]
        for (i, entries) in layouts.enumerated() {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, data) in entries {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                    position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            archives.append(("layout \(i)", try XCTUnwrap(archive.data)))
        }
        var compared = 0
        for (name, data) in archives {
            let archive: Archive
            do { archive = try Archive(data: data, accessMode: .read) } catch { continue }
            let parts = DocxReader.documentParts(archive)
            XCTAssertEqual(parts.document, archive["word/document.xml"], name)
            XCTAssertEqual(parts.numbering, archive["word/numbering.xml"], name)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 70)
    }
}

extension Lineariser {
    /// True when every cell of the table holds only text (what the reference grid reads).
    static func textOnlyCells(_ table: XMLNode) -> Bool {
        var rows: [XMLNode] = []
        Lineariser.rows(table, into: &rows)
        return rows.allSatisfy { tr in tr.children.allSatisfy { !$0.isElement || textOnly($0) != nil } }
    }
}
