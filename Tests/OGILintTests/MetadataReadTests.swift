import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGILint

/// A batch pairs reports with last year's from a metadata-only read (`Linter.readMetadata`); it must give
/// exactly the metadata of the full read, or pairs would differ from what each report's check sees.
final class MetadataReadTests: XCTestCase {
    /// Every report file under `folder` (recursively), skipping the models of rule tests.
    func reports(under folder: String) -> [String] {
        let exts: Set<String> = ["txt", "md", "docx", "html", "htm", "yml", "json", "pdf"]
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        return e.compactMap { $0 as? String }.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    func assertSameMetadata(_ files: [String], file: StaticString = #filePath, line: UInt = #line) {
        var compared = 0
        for path in files {
            let full: Metadata
            do { full = try Repo.linter.read(path: path).metadata } catch {
                XCTAssertThrowsError(
                    try Repo.linter.readMetadata(path: path), "\(path): the full read fails, so must this", file: file, line: line)
                continue
            }
            do {
                let quick = try Repo.linter.readMetadata(path: path)
                XCTAssertEqual(quick, full, "\(path): metadata-only read differs from the full read", file: file, line: line)
                compared += 1
            } catch {
                XCTFail("\(path): metadata-only read failed where the full read did not: \(error)", file: file, line: line)
            }
        }
        XCTAssertGreaterThan(compared, 0, "no report compared", file: file, line: line)
    }

    func testSamplesAndRenderingsGiveTheFullReadsMetadata() throws {
        let files = reports(under: Repo.path("samples")).filter { !$0.hasSuffix(".pdf") }
        XCTAssertGreaterThan(files.count, 100)
        assertSameMetadata(files)
    }

    func testCorpusGivesTheFullReadsMetadata() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not beside the repository") }
        let files =
            reports(under: (shared as NSString).appendingPathComponent("corpus")).filter { !$0.hasSuffix(".pdf") }
            + reports(under: (shared as NSString).appendingPathComponent("seed"))
        assertSameMetadata(files)
    }
}
