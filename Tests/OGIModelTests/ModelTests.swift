import Foundation
import OGIModel
import XCTest

/// The report model on its own: dates, cell values and the Codable form used for submitted models.
final class ModelTests: XCTestCase {
    func testCalendarDatesParseOnlyRealDates() {
        XCTAssertEqual(CalendarDate(string: "2024-02-29")?.description, "2024-02-29")
        XCTAssertEqual(CalendarDate(string: "2024/3/5")?.description, "2024-03-05")
        XCTAssertNil(CalendarDate(string: "2023-02-29"))
        XCTAssertNil(CalendarDate(string: "2023-13-01"))
        XCTAssertNil(CalendarDate(string: "yesterday"))
        XCTAssertLessThan(CalendarDate(year: 2024, month: 1, day: 31), CalendarDate(year: 2024, month: 2, day: 1))
    }

    func testReportRoundTripsThroughJSON() throws {
        var meta = Metadata()
        meta.year = 2023
        meta.agency = "示例市人民政府"
        meta.agencyKind = .government
        meta.published = CalendarDate(year: 2024, month: 3, day: 20)
        let report = Report(
            path: "x.json", sourceFormat: "json", metadata: meta,
            parts: [Part(number: 1, key: "overview", heading: "一、总体情况", location: SourceLocation(line: 3))])
        let data = try JSONEncoder().encode(report)
        let back = try JSONDecoder().decode(Report.self, from: data)
        XCTAssertEqual(back, report)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"ogilint_model\":1"), text)
        XCTAssertTrue(text.contains("\"agency_kind\":\"government\""), text)
    }

    func testSeverityOrder() {
        XCTAssertLessThan(Severity.info, Severity.warning)
        XCTAssertLessThan(Severity.warning, Severity.error)
        XCTAssertEqual(Severity.allCases.max(), .error)
    }
}
