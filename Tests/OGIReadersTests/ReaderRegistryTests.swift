import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// The registry gives each input to the reader with the strongest claim on its bytes and name.
final class ReaderRegistryTests: XCTestCase {
    func readerName(_ path: String, _ bytes: [UInt8]) -> String? {
        Repo.linter.registry.reader(forPath: path, data: Data(bytes))?.name
    }
    func readerName(_ path: String, _ text: String) -> String? { readerName(path, Array(text.utf8)) }

    func testEachInputGoesToTheReaderThatClaimsIt() {
        XCTAssertEqual(readerName("a.doc", [0x50, 0x4B, 0x03, 0x04, 0]), "docx", "content beats the extension")
        XCTAssertEqual(readerName("a.docx", "not a zip"), "docx", "the extension alone still picks DOCX")
        XCTAssertEqual(readerName("a.docx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1]), "legacy-word")
        XCTAssertEqual(readerName("a.txt", "%PDF-1.7\n"), "pdf")
        XCTAssertEqual(readerName("a.bin", "\n\n%PDF-1.4\n"), "pdf", "the PDF marker may follow a few bytes")
        XCTAssertEqual(readerName("a.pdf", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]), "non-report")
        XCTAssertEqual(readerName("a.txt", "{\"ogilint_model\": 1}"), "json-model")
        XCTAssertEqual(readerName("a.json", "ogilint_model: 1"), "json-model", "a .json name is a declaration")
        XCTAssertEqual(readerName("a.txt", "ogilint_model: 1\n"), "yaml-model")
        XCTAssertEqual(readerName("a.yml", "<html><body>x</body></html>"), "yaml-model", "a model extension beats HTML content")
        XCTAssertEqual(readerName("a.txt", "<html><body>x</body></html>"), "html")
        XCTAssertEqual(readerName("a.htm", "plain"), "html")
        XCTAssertEqual(readerName("a.txt", "一、总体情况"), "text")
        XCTAssertEqual(readerName("BMW.txt", "BM is a text that starts with BM"), "text", "two letters are not a BMP signature")
    }

    func testEveryReaderNamesItsFormat() {
        let names = Repo.linter.registry.readers.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "reader names are unique")
        for r in Repo.linter.registry.readers { XCTAssertFalse(r.extensions.isEmpty, r.name) }
        XCTAssertEqual(Repo.linter.registry.readers.last?.name, "text", "text is the fallback")
    }

    func testImagesAndArchivesSayWhatTheyAre() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        XCTAssertThrowsError(try Repo.linter.read(path: "report.pdf", data: Data(png))) { e in
            let m = "\(e)"
            XCTAssertTrue(m.hasPrefix("report.pdf: this is a PNG image"), m)
            XCTAssertFalse(m.contains("Word") || m.contains("plain text"), m)
        }
        XCTAssertThrowsError(try Repo.linter.read(path: "scan.txt", data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]))) { e in
            XCTAssertTrue("\(e)".contains("JPEG image"), "\(e)")
        }
    }
}
