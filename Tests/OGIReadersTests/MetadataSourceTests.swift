import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Metadata from wherever a person finds it (issue 8 item 3): page dates and a preamble that names the report.
final class MetadataSourceTests: XCTestCase {
    static let body = "<div><p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p><p>正文。</p><p>三、收到和处理政府信息公开申请情况</p><p>正文。</p></div>"

    func read(_ html: String) throws -> Report { try Repo.linter.read(path: "p.html", data: Data(html.utf8)) }

    func testPublicationDateFromMetaTags() throws {
        for name in ["PubDate", "publishdate"] {
            let r = try read("<html><head>\n<meta name=\"\(name)\" content=\"2021-03-05 08:58\">\n</head><body>\(Self.body)</body></html>")
            XCTAssertEqual(r.metadata.published, CalendarDate(year: 2021, month: 3, day: 5), name)
            XCTAssertEqual(r.metadata.publishedLocation?.line, 2)
        }
        let og = try read(
            "<html><head><meta property=\"article:published_time\" content=\"2022-01-28T10:00:00+08:00\"></head><body>\(Self.body)</body></html>"
        )
        XCTAssertEqual(og.metadata.published, CalendarDate(year: 2022, month: 1, day: 28))
        let bad = try read("<html><head><meta name=\"PubDate\" content=\"2021-02-30\"></head><body>\(Self.body)</body></html>")
        XCTAssertNil(bad.metadata.published, "not a real date")
    }

    func testSignatureDateStaysFirst() throws {
        let signed = Self.body.replacingOccurrences(of: "</div>", with: "<p>某县人民政府</p><p>2024年3月28日</p></div>")
        let r = try read("<html><head><meta name=\"PubDate\" content=\"2024-04-02\"></head><body>\(signed)</body></html>")
        XCTAssertEqual(r.metadata.published, CalendarDate(year: 2024, month: 3, day: 28))
    }

    func testVisibleDateLineAroundTheBody() throws {
        let page = "<html><body><div class=\"info\">来源：某县人民政府办公室 发布时间：2023-01-20</div>\(Self.body)<div>网站标识码</div></body></html>"
        let r = try read(page)
        XCTAssertEqual(r.metadata.published, CalendarDate(year: 2023, month: 1, day: 20))
    }

    func testAgencyAndYearFromThePreamble() {
        let text = "根据《中华人民共和国政府信息公开条例》规定，现发布河北省教育厅2021年政府信息公开工作年度报告。\n一、总体情况\n正文。\n"
        let r = Repo.linter.read(text: text, path: "t.txt")
        XCTAssertNil(r.metadata.title)
        XCTAssertEqual(r.metadata.agency, "河北省教育厅")
        XCTAssertEqual(r.metadata.year, 2021)
        let titled = Repo.linter.read(text: "发布河北省教育厅2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n", path: "t.txt")
        XCTAssertEqual(titled.metadata.agency, "河北省教育厅", "a lead word is not part of the agency")
        XCTAssertEqual(titled.metadata.year, 2021)
    }

    /// The title's layouts around the year: the agency on the line before a title that starts with the year, a short
    /// line before a title that does not, and a title line of a few characters, as the reader reads them (the year
    /// pattern is asked once of a title that is its line, and its match kept).
    func testTitleOverOneOrTwoLines() throws {
        let parts = "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        let cases: [(String, title: String?, agency: String?, year: Int?)] = [
            ("示例市人民政府办公室\n2021年政府信息公开工作年度报告\n\n", "示例市人民政府办公室2021年政府信息公开工作年度报告", "示例市人民政府办公室", 2021),
            ("某某局\n关于某某局2020年政府信息公开工作年度报告\n", "关于某某局2020年政府信息公开工作年度报告", "某某局", 2020),
            ("示例县\n政府信息公开工作年度报告\n", "政府信息公开工作年度报告", nil, nil),
            ("示例局\n年度报告\n", "示例局年度报告", "示例局", nil),
            ("通知，请查收\n2022年度示例区人民政府政府信息公开工作年度报告\n", "2022年度示例区人民政府政府信息公开工作年度报告", "示例区人民政府", 2022),
            ("2023年示例镇人民政府政府信息公开工作年度报告\n", "2023年示例镇人民政府政府信息公开工作年度报告", "示例镇人民政府", 2023),
        ]
        for (head, title, agency, year) in cases {
            let data = Data((head + parts).utf8)
            let r = try Repo.linter.read(path: "t.txt", data: data)
            XCTAssertEqual(r.metadata.title, title, head)
            XCTAssertEqual(r.metadata.agency, agency, head)
            XCTAssertEqual(r.metadata.titleYear, year, head)
        }
    }
}
