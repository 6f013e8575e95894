import Foundation
import OGIModel
import XCTest

/// `RegexCache` compiles a pattern once per thread: the same instance on one thread, another on another thread (so
/// a batch's threads never share a compiled pattern's reference count), both matching alike.
final class RegexCacheTests: XCTestCase {
    final class Box: @unchecked Sendable { var value: CompiledRegex? }

    func testEachThreadHasItsOwnCompiledPattern() throws {
        let pattern = "(\\d{4})年(度)?"
        let here = try RegexCache.shared.compile(pattern)
        XCTAssertTrue(try RegexCache.shared.compile(pattern) === here, "compiled once on a thread")
        let there = Box()
        let done = expectation(description: "other thread")
        Thread.detachNewThread {
            there.value = try? RegexCache.shared.compile(pattern)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        let other = try XCTUnwrap(there.value)
        XCTAssertFalse(other === here, "a thread of its own compiles its own")
        for text in ["2023年度报告", "二〇二三年", "1999年"] {
            XCTAssertEqual(other.firstMatch(in: text)?.range, here.firstMatch(in: text)?.range, text)
        }
        XCTAssertThrowsError(try RegexCache.shared.compile("(unclosed"))
    }
}
