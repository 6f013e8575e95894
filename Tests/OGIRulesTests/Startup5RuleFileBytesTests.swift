import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// A cache entry is read straight into an array of bytes: the same bytes `contents(of:)` reads, and nil where it
/// gives nil (no file, a folder, a FIFO).
final class RuleFileBytesTests: XCTestCase {
    func testBytesAreTheContents() throws {
        var paths: [String] = []
        for folders in RuleLoadingCacheTests.folderSets {
            for folder in folders { paths += try RulePackLoader.ruleFiles(in: folder) }
        }
        let dir = try temporaryFolder("ogilint-bytes")
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/empty", contents: Data()))
        XCTAssertTrue(
            FileManager.default.createFile(atPath: dir + "/big", contents: Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })))
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o600), 0)
        paths += [dir + "/empty", dir + "/big", dir + "/fifo", dir, dir + "/missing"]
        for p in paths {
            XCTAssertEqual(RuleFolderListing.bytes(of: p), RuleFolderListing.contents(of: p).map { [UInt8]($0) }, p)
        }
        XCTAssertEqual(RuleFolderListing.bytes(of: dir + "/empty"), [])
        XCTAssertNil(RuleFolderListing.bytes(of: dir + "/fifo"))
    }
}
