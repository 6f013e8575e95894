import Foundation
import XCTest

@testable import OGIModel

/// `CalendarDate.description` writes the digits itself for the usual ranges; it must give exactly what
/// Foundation's `%04d-%02d-%02d` gives, there and at the edges where it falls back to Foundation.
final class CalendarDateDescriptionTests: XCTestCase {
    func testDirectDigitsEqualTheFormatter() {
        var checked = 0
        for year in [0, 1, 9, 10, 99, 100, 999, 1000, 1999, 2019, 2021, 2024, 9998, 9999] {
            for month in 0...99 {
                for day in [0, 1, 9, 10, 28, 29, 30, 31, 99] {
                    let d = CalendarDate(year: year, month: month, day: day)
                    XCTAssertEqual(d.description, CalendarDate.formatted(year, month, day), "\(year) \(month) \(day)")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 14 * 100 * 9)
        XCTAssertEqual(CalendarDate(year: 2021, month: 3, day: 7).description, "2021-03-07")
    }

    func testOutOfRangeDatesAreFormattedAsBefore() {
        for (y, m, d) in [(-1, 1, 1), (10_000, 1, 1), (2021, -3, 5), (2021, 100, 5), (2021, 1, -2), (2021, 1, 100), (-12345, 7, 8)] {
            XCTAssertEqual(CalendarDate(year: y, month: m, day: d).description, String(format: "%04d-%02d-%02d", y, m, d))
        }
    }
}
