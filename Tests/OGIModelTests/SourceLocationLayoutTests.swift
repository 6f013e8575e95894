import Foundation
import OGIModel
import OGITestSupport
import XCTest

/// `SourceLocation` keeps its numbers as plain `Int`s with a sentinel for "unknown": it must read, compare,
/// encode and decode exactly as a struct of optional fields does.
final class SourceLocationLayoutTests: XCTestCase {
    typealias Reference = OptionalFieldsLocation

    /// Random references, each field unknown half of the time; numbers include 0, negatives and `Int.max`.
    func references(_ n: Int) -> [Reference] {
        var rng = SplitMix(seed: 46)
        func number() -> Int? {
            switch rng.next() % 8 {
            case 0, 1, 2, 3: return nil
            case 4: return Int(rng.next() % 4)
            case 5: return Int.max - Int(rng.next() % 3)
            case 6: return Int.min + 1 + Int(rng.next() % 3)
            default: return Int(truncatingIfNeeded: rng.next() % 100_000) - 50
            }
        }
        return (0..<n).map { _ in
            Reference(
                file: rng.next() % 2 == 0 ? nil : "f\(rng.next() % 5).txt", line: number(), column: number(), page: number(),
                paragraph: number(), tableIndex: number(), rowIndex: number(), cellIndex: number())
        }
    }

    func testFieldsReadBackAsGiven() {
        for r in references(2_000) {
            let l = r.location
            XCTAssertEqual(
                [l.line, l.column, l.page, l.paragraph, l.tableIndex, l.rowIndex, l.cellIndex],
                [r.line, r.column, r.page, r.paragraph, r.tableIndex, r.rowIndex, r.cellIndex])
            XCTAssertEqual(l.file, r.file)
        }
    }

    func testSettingAFieldChangesOnlyThatField() {
        var l = SourceLocation(file: "a.txt", line: 3, column: 4, page: 5, paragraph: 6, tableIndex: 7, rowIndex: 8, cellIndex: 9)
        l.column = nil
        l.rowIndex = 80
        XCTAssertEqual(l, SourceLocation(file: "a.txt", line: 3, page: 5, paragraph: 6, tableIndex: 7, rowIndex: 80, cellIndex: 9))
        l.column = 0
        XCTAssertEqual(l.column, 0)
        XCTAssertNil(SourceLocation().line)
    }

    func testEqualityAndHashingFollowTheFields() {
        let rs = references(400)
        for a in rs.prefix(60) {
            for b in rs {
                XCTAssertEqual(a.location == b.location, a == b)
                if a == b { XCTAssertEqual(a.location.hashValue, b.location.hashValue) }
            }
        }
        XCTAssertNotEqual(SourceLocation(line: 0), SourceLocation())
    }

    func testEncodingIsTheOptionalFieldsEncoding() throws {
        // Key order is compared with sorted keys (unsorted, Foundation's order on Linux follows a hash).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for r in references(500) {
            XCTAssertEqual(
                String(decoding: try encoder.encode(r.location), as: UTF8.self), String(decoding: try encoder.encode(r), as: UTF8.self))
        }
    }

    func testDecodingReadsWhatTheOptionalFieldsRead() throws {
        let encoder = JSONEncoder()
        for r in references(500) {
            let data = try encoder.encode(r)
            XCTAssertEqual(try JSONDecoder().decode(SourceLocation.self, from: data), r.location)
        }
        let written = Data(#"{"line": 12, "table_index": 2, "extra": 1}"#.utf8)
        XCTAssertEqual(try JSONDecoder().decode(SourceLocation.self, from: written), SourceLocation(line: 12, tableIndex: 2))
        XCTAssertEqual(try JSONDecoder().decode(SourceLocation.self, from: Data("{}".utf8)), SourceLocation())
    }

    func testTheSentinelIsRefusedWithTheFieldNamed() {
        let data = Data(#"{"line": 3, "row_index": -9223372036854775808}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(SourceLocation.self, from: data)) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(context.debugDescription.contains("row_index"), context.debugDescription)
        }
    }

    /// The point of the layout: a location is a string and seven words, not seven optionals of two words each.
    func testLayoutIsAStringAndSevenWords() {
        XCTAssertEqual(MemoryLayout<SourceLocation>.size, MemoryLayout<String?>.size + 7 * MemoryLayout<Int>.size)
    }

    func testMirrorShowsTheModelFieldNames() {
        let labels = Mirror(reflecting: SourceLocation(line: 1)).children.compactMap(\.label)
        XCTAssertEqual(labels, Mirror(reflecting: Reference()).children.compactMap(\.label))
    }
}
