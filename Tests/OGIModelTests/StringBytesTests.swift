import Foundation
import XCTest

@testable import OGIModel

/// `withUTF8Bytes` must read exactly the bytes `withUTF8` reads, for every kind of string storage.
final class StringBytesTests: XCTestCase {
    func testBytesAreTheStringsUTF8() {
        let long = String(repeating: "政府信息公开工作年度报告", count: 40)
        let strings: [String] = [
            "", "a", "1234567890abcde", "1234567890abcdef", "一、", "第十五条第十五条", long, String(long.dropFirst(3)),
            String(Substring(long).prefix(9)), "\u{1F600}\t|｜\r\n", String(decoding: [0xE4, 0xB8, 0x80, 0x41], as: UTF8.self),
            NSString(string: "桥接的字符串 bridged").description, "cafe\u{301}",
        ]
        for s in strings {
            var copy = s
            let reference = copy.withUTF8 { Array($0) }
            XCTAssertEqual(s.withUTF8Bytes { Array($0) }, reference, s)
            XCTAssertEqual(s.withUTF8Bytes { $0.count }, s.utf8.count, s)
        }
    }

    func testErrorsThrownByTheBodyPassThrough() {
        struct Stop: Error {}
        XCTAssertThrowsError(try "报告".withUTF8Bytes { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
    }
}
