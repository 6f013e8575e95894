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

/// `CellSyntax.parse` reads a plain literal without the word lists; that shortcut must give the full reading.
final class CellParseShortcutTests: XCTestCase {
    static let words = CellSyntax(
        placeholders: ["/", "／", "-", "—", "——", "－", "–", "\\", "无", "空"], blanks: ["(blank)", "（空）", "\"\"", "“”"],
        increaseWords: ["增加", "增"], decreaseWords: ["减少", "减"], units: ["万元", "元", "件", "条", "项", "个"])

    static let cells = [
        "0", "00", "7", "12", "0012", "1.5", "1.", ".5", ".", "..", "1..2", "6032.346", "100.000", "0.0", "1,234", "12,34", " 12", "12 ",
        "１２", "+3", "-3", "增3", "减 51", "3元", "万元", "123456789012345678901234567890123456789",
        "12345678901234567890123456789012345678", "0000000000000000000000000000000000000000001", "9223372036854775808",
        "1.00000000000000000000000000000000000000000", "/", "无", "(blank)", "", "abc", "1e5", "１.５",
    ]

    /// `parseValue` as it was before its first-character table: the word lists scanned on every call.
    static func referenceParseValue(_ syntax: CellSyntax, _ raw: String) -> (state: CellState, value: Decimal?, unit: String?)? {
        guard let first = raw.unicodeScalars.first(where: { !FastText.isSpace($0) }) else { return nil }
        let isDigit = ("0"..."9").contains(first) || (0xFF10...0xFF19).contains(first.value)
        if !isDigit && !"+-.－＋−".unicodeScalars.contains(first)
            && !(syntax.placeholders + syntax.blanks + syntax.increaseWords + syntax.decreaseWords).contains(where: {
                $0.unicodeScalars.first == first
            })
        {
            return nil
        }
        let p = syntax.parseInFull(raw)
        switch p.state {
        case .text, .missing: return nil
        default: return p
        }
    }

    func testShortcutGivesTheFullReading() {
        let digitWords = CellSyntax(placeholders: ["0"], units: ["1"])
        let emptyWord = CellSyntax(increaseWords: [""])
        for syntax in [Self.words, CellSyntax(), digitWords, emptyWord] {
            for c in Self.cells {
                let a = syntax.parse(c), b = syntax.parseInFull(c)
                XCTAssertEqual(a.state, b.state, c)
                XCTAssertEqual(a.value, b.value, c)
                XCTAssertEqual(a.unit, b.unit, c)
                XCTAssertEqual(syntax.parseValue(c)?.state, Self.referenceParseValue(syntax, c)?.state, c)
            }
        }
        // A word list that touches digits turns the shortcut off: "0" is that syntax's placeholder.
        XCTAssertEqual(digitWords.parse("0").state, .placeholder)
    }

    func testSyntaxSurvivesCodingWithItsTables() throws {
        let back = try JSONDecoder().decode(CellSyntax.self, from: JSONEncoder().encode(Self.words))
        XCTAssertEqual(back, Self.words)
        XCTAssertEqual(back.parseValue("减 51")?.value, -51)
        XCTAssertEqual(back.parse("12").value, 12)
        var changed = back
        changed.placeholders.append("12")
        XCTAssertEqual(changed.parse("12").state, .placeholder)
    }
}
