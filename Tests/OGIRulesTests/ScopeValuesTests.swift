import XCTest

@testable import OGIRules

/// The prose cache keeps its texts by scope in `ScopeValues`: a scope looked up finds the value added for it, a
/// scope added with no text (a missing part) is found as such and not read again, and an unknown one is nil.
/// (`EvaluationFastPath2Tests` compares the cache's texts, scope by scope, with texts built anew.)
final class ScopeValuesTests: XCTestCase {
    func testLookupFindsWhatWasAddedAndTellsAMissingTextFromAnUnknownScope() {
        var v = ScopeValues<String?>()
        XCTAssertEqual(v["report"], .none)
        v.add("report", "全文")
        v.add("part:三", nil)
        v.add("part:一", "一")
        XCTAssertEqual(v["report"], .some("全文"))
        XCTAssertEqual(v["part:一"], .some("一"))
        // Added without a text: found (.some(nil)), not unknown (nil).
        XCTAssertEqual(v["part:三"], .some(nil))
        XCTAssertEqual(v["part:二"], .none)
        XCTAssertEqual(v["part"], .none)
    }

}
