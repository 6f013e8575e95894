import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// DOCX, HTML and PDF: the same findings as text, locations of their own, and clear refusals of bad input.
final class FormatReaderTests: XCTestCase {
    /// What a finding says, leaving out where it is (lines differ between formats by nature).
    struct Said: Hashable { var rule, severity, message, table, row, column: String }

    func said(_ path: String) throws -> [Said] {
        try Repo.findings(path).map {
            Said(
                rule: $0.rule, severity: $0.severity.rawValue, message: $0.message,
                table: $0.location.table ?? "", row: $0.location.row ?? "", column: $0.location.column ?? "")
        }.sorted { "\($0)" < "\($1)" }
    }

    /// Every sample, clean or broken, gives identical findings as text, DOCX, HTML (and, for the clean ones, YAML and JSON).
    func testEveryFormatGivesIdenticalFindings() throws {
        let broken = try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/broken"))
            .filter { $0.hasSuffix(".txt") }.map { "samples/broken/" + $0.dropLast(4) }
        XCTAssertGreaterThanOrEqual(broken.count, 30)
        for base in ["samples/clean-2019-department", "samples/clean-2021-government"] + broken.sorted() {
            let text = try said(base + ".txt")
            XCTAssertEqual(try said(base + ".docx"), text, base + ".docx")
            XCTAssertEqual(try said(base + ".html"), text, base + ".html")
            if base.contains("clean") {
                XCTAssertEqual(try said(base + ".yml"), text, base + ".yml")
                XCTAssertEqual(try said(base + ".json"), text, base + ".json")
            }
        }
    }

    func testDocxDetailsAreRead() throws {
        let r = try Repo.linter.read(path: Repo.path("samples/clean-2021-government.docx"))
        XCTAssertEqual(r.sourceFormat, "docx")
        // Headings numbered by Word's list numbering come back with their 一、 … 六、.
        XCTAssertEqual(r.parts.map(\.heading).first, "一、总体情况")
        XCTAssertEqual(r.parts.count, 6)
        // A tracked deletion is dropped, the insertion kept.
        XCTAssertFalse(r.preamble.contains { $0.text.contains("旧稿") })
        XCTAssertTrue(r.preamble.contains { $0.text.hasPrefix("本报告由") })
        // "规" and "章" in two runs read as one label; cells carry table, row and cell indices.
        let rules = try XCTUnwrap(r.table("regulations")?.row("rules"))
        XCTAssertEqual(rules.cells.map(\.raw), ["2", "0", "11"])
        XCTAssertEqual(rules.cells[0].location?.tableIndex, 1)
        XCTAssertEqual(rules.cells[0].location?.rowIndex, 3)
        XCTAssertEqual(rules.cells[0].location?.cellIndex, 2)
        XCTAssertNotNil(r.parts[0].location?.paragraph)
        // Merged label cells resolved: the sub-rows of 不予公开 are all there.
        XCTAssertEqual(r.table("applications")?.rows.count, 25)
    }

    func testHTMLFindsTheBodyAndReadsGBK() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/clean-2019-department.html")))
        XCTAssertNil(String(data: data, encoding: .utf8), "the sample page is GBK-encoded")
        let r = try Repo.linter.read(path: "page.txt", data: data)  // an .htm saved as .txt: found by content
        XCTAssertEqual(r.sourceFormat, "html")
        XCTAssertEqual(r.metadata.agency, "示例市生态环境局")
        XCTAssertFalse(r.preamble.contains { $0.text.contains("首页") || $0.text.contains("机构职能") }, "page furniture left out")
        XCTAssertFalse(r.parts.last!.paragraphs.contains { $0.text.contains("网站标识码") }, "footer left out")
        XCTAssertEqual(r.table("applications")?.row("partly")?.cells.map(\.raw), ["1", "0", "0", "0", "0", "1", "2"])
        // Locations are lines of the HTML source.
        let line = try XCTUnwrap(r.table("licensing")?.row("licensing")?.cells.first?.location?.line)
        let (html, encoding) = try TextDecoding.decode(data, path: "page")
        XCTAssertEqual(encoding, .gb18030)
        XCTAssertTrue(html.components(separatedBy: "\n")[line - 1].contains("312"))
    }

    func testPDFIsReadThroughPdftotext() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not present") }
        let pdf = (shared as NSString).appendingPathComponent("corpus/original/huaian-shi-2024.pdf")
        let result = try Repo.linter.check(path: pdf)
        XCTAssertEqual(result.report.sourceFormat, "pdf")
        XCTAssertEqual(result.findings.errors.map(\.message), [])
        let app = try XCTUnwrap(result.report.table("applications"))
        XCTAssertEqual(app.rows.count, 25, "every row found, including labels broken across lines")
        XCTAssertEqual(app.row("new")?.cell("total")?.raw, "3119")
        XCTAssertEqual(app.row("other.overdue_correction")?.cell("total")?.raw, "71")
        XCTAssertEqual(app.row("rejected.confirm")?.cell("natural")?.raw, "1")
        XCTAssertEqual(result.report.table("reviews")?.row("cases")?.cell("review.total")?.raw, "351")
        XCTAssertEqual(app.row("new")?.location?.page, 4)
    }

    func testMissingPdftotextSaysHowToInstallIt() throws {
        setenv("OGILINT_PDFTOTEXT", "/nonexistent/pdftotext", 1)
        defer { unsetenv("OGILINT_PDFTOTEXT") }
        XCTAssertThrowsError(try Repo.linter.read(path: "r.pdf", data: Data("%PDF-1.4\n".utf8))) { e in
            XCTAssertTrue("\(e)".contains("cannot run") || "\(e)".contains("apt-get install poppler-utils"), "\(e)")
        }
    }

    // MARK: bad input: one test per case, each a clear error naming the file

    func zip(_ entries: [(String, Data)]) throws -> Data { try FormatFixtures.zip(entries) }

    func assertRefused(_ data: Data, _ name: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Repo.linter.read(path: name, data: data), file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(expected), "\(name): expected “\(expected)” in “\(e)”", file: file, line: line)
            XCTAssertTrue("\(e)".hasPrefix(name), "\(name): the message names the file", file: file, line: line)
        }
    }

    func testTruncatedZip() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/clean-2021-government.docx")))
        assertRefused(good.prefix(good.count / 2), "cut.docx", "damaged")
    }

    func testZipThatIsNotADocx() throws {
        assertRefused(try zip([("notes.txt", Data("hello".utf8))]), "notes.docx", "not a DOCX")
    }

    func testDecompressionBomb() throws {
        let big = Data(repeating: UInt8(ascii: " "), count: 3_000_000)
        let bomb = try zip([("word/document.xml", big)])
        XCTAssertLessThan(bomb.count, 100_000)
        let small = try Linter(ruleDirectories: [Repo.rules], options: LintOptions(maxInputBytes: 1_000_000))
        XCTAssertThrowsError(try small.read(path: "bomb.docx", data: bomb)) { e in
            XCTAssertTrue("\(e)".contains("over the 1000000-byte limit") || "\(e)".contains("decompression bomb"), "\(e)")
        }
    }

    func testDoctypeAndEntitiesAreRefused() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>
            """
        assertRefused(try zip([("word/document.xml", Data(xml.utf8))]), "entities.docx", "DOCTYPE")
        let external = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">]><d>&x;</d>"
        assertRefused(try zip([("word/document.xml", Data(external.utf8))]), "external.docx", "DOCTYPE")
        assertRefused(Data("<html><!DOCTYPE x [<!ENTITY a \"b\">]><body>&a;</body></html>".utf8), "e.html", "entities")
    }

    func testBrokenXMLInADocx() throws {
        assertRefused(try zip([("word/document.xml", Data("<w:document><w:body><w:p>".utf8))]), "broken.docx", "not well-formed")
    }

    func testLegacyWordAndOversizedFiles() throws {
        assertRefused(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), "old.doc", "save it as .docx")
        let small = try Linter(ruleDirectories: [Repo.rules], options: LintOptions(maxInputBytes: 100))
        XCTAssertThrowsError(try small.read(path: "big.txt", data: Data(repeating: 0x41, count: 200))) { e in
            XCTAssertTrue("\(e)".contains("over the 100-byte limit"), "\(e)")
        }
    }
}
