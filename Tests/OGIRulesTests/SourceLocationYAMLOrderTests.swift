import Foundation
import OGIModel
import OGITestSupport
import XCTest
import Yams

/// `ogilint model` writes YAML in encoding order (`ModelWriter`, keys not sorted): a location's fields must come
/// in the order the synthesised encoding of its optional fields gave them.
final class SourceLocationYAMLOrderTests: XCTestCase {
    typealias Reference = OptionalFieldsLocation

    func testFieldsComeInTheirOrder() throws {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = false
        let full = SourceLocation(file: "a.docx", line: 3, column: 4, page: 5, paragraph: 6, tableIndex: 7, rowIndex: 8, cellIndex: 9)
        let reference = Reference(file: "a.docx", line: 3, column: 4, page: 5, paragraph: 6, tableIndex: 7, rowIndex: 8, cellIndex: 9)
        XCTAssertEqual(try encoder.encode(full), try encoder.encode(reference))
        let some = SourceLocation(line: 12, tableIndex: 2, cellIndex: 1)
        XCTAssertEqual(try encoder.encode(some), try encoder.encode(Reference(line: 12, tableIndex: 2, cellIndex: 1)))
        XCTAssertEqual(
            try encoder.encode(full),
            "file: a.docx\nline: 3\ncolumn: 4\npage: 5\nparagraph: 6\ntable_index: 7\nrow_index: 8\ncell_index: 9\n")
    }
}
