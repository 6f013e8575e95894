import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Template-guided table reconstruction: the template's rows drive the alignment, the layout is evidence,
/// and a row whose numbers cannot be placed with certainty is noted, never guessed.
final class TableReconstructionTests: XCTestCase {
    func clean2021() throws -> String {
        try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
    }

    func edited(_ text: String, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertTrue(text.contains(old), "sample lacks \(old)", file: file, line: line)
        return text.replacingOccurrences(of: old, with: new)
    }

    func check(_ text: String, _ name: String = "t.txt") -> (Report, [Finding]) {
        let r = Repo.linter.read(text: text, path: name)
        return (r, Repo.linter.check(r))
    }

    func testADigitRunThatCannotBeSplitIsNotedAndNoNumberIsTakenFromIt() throws {
        let text = edited(try clean2021(), "2.其他法律行政法规禁止公开\t27\t0\t0\t0\t0\t0\t27", "2.其他法律行政法规禁止公开\t2700000\t27")
        let (r, findings) = check(text)
        XCTAssertEqual(r.extractionNotes.count, 1)
        let note = try XCTUnwrap(r.extractionNotes.first)
        XCTAssertEqual([note.table, note.row, note.found], ["applications", "withheld.prohibited", "2700000 27"])
        XCTAssertEqual([note.foundCells, note.expectedCells], [2, 7])
        XCTAssertEqual(note.location?.line, 36)
        let row = try XCTUnwrap(r.table("applications")?.row("withheld.prohibited"))
        XCTAssertTrue(row.cells.allSatisfy { $0.state == .missing && $0.value == nil })
        // The neighbours keep their own numbers: nothing shifts into or out of the unreadable row.
        XCTAssertEqual(r.table("applications")?.row("withheld.security")?.cells.map(\.raw), ["6", "0", "0", "0", "0", "0", "6"])
        XCTAssertEqual(r.table("applications")?.row("withheld.secret")?.cells.map(\.raw), ["0", "0", "0", "0", "0", "0", "0"])
        XCTAssertEqual(findings.filter { $0.category == .arithmetic && $0.severity == .error }.map(\.message), [])
    }

    func testFewerNumbersThanColumnsInASpacedRowAreNotedNotGuessed() throws {
        let text = edited(try clean2021(), "规章\t2\t0\t11", "规章  2  11")
        let (r, _) = check(text)
        XCTAssertEqual(r.extractionNotes.map(\.row), ["rules"])
        XCTAssertEqual(r.table("regulations")?.row("rules")?.cells.map(\.state), [.missing, .missing, .missing])
        XCTAssertEqual(r.table("regulations")?.row("normative")?.cells.map(\.raw), ["109", "489", "597"])
    }

    func testSignsSpacedApartSeparatorsAndFullWidthDigits() throws {
        var text = try String(contentsOfFile: Repo.path("samples/clean-2019-department.txt"), encoding: .utf8)
        text = edited(text, "\t行政许可\n\t312\n\t-51\n\t261", "行政许可  312  减 51  261")
        text = edited(text, "\t其他对外管理服务事项\n\t3\n\t+7\n\t10", "其他对外管理服务事项  3  + 7  10")
        text = edited(text, "\t行政处罚\n\t25\n\t-8\n\t17", "行政处罚  ２５  - 8  17")
        let (r, findings) = check(text)
        XCTAssertEqual(r.extractionNotes, [])
        XCTAssertEqual(r.table("licensing")?.row("licensing")?.cells.map(\.value), [312, -51, 261])
        XCTAssertEqual(r.table("licensing")?.row("other_services")?.cells.map(\.value), [3, 7, 10])
        XCTAssertEqual(r.table("enforcement")?.row("penalty")?.cells.map(\.value), [25, -8, 17])
        XCTAssertEqual(findings.errors.map(\.message), [])

        let syntax = CellSyntax()
        let tokens = CellTokenizer.tokens(of: [SourceLine(number: 1, text: "1,234 1，234 １，２３４ 12,34 1,2345")], syntax: syntax)
        XCTAssertEqual(tokens.map(\.kind), [.value, .value, .value, .text, .text])
    }

    func testBlankMarkersAndALabelWithoutCellsGiveBlankCells() throws {
        var text = edited(try clean2021(), "规章\t2\t0\t11", "规章\t\"\"\t（空）\t11")
        text = edited(text, "行政强制\t20163", "行政强制")
        let (r, findings) = check(text)
        XCTAssertEqual(r.table("regulations")?.row("rules")?.cells.map(\.state), [.blank, .blank, .number])
        XCTAssertEqual(r.table("enforcement")?.row("coercion")?.cells.map(\.state), [.blank])
        XCTAssertEqual(findings.filter { $0.rule == "CELL-BLANK" }.count, 3)
        XCTAssertEqual(findings.filter { $0.rule == "A20-COMPLETE" }.map(\.message), [])
    }

    func testALabelWithASlipIsMatchedAndReportedOnceWithTheStandardWording() throws {
        let text = edited(try clean2021(), "2.其他法律行政法规禁止公开\t27", "2.其他法律行政止公开\t27")
        let (r, findings) = check(text)
        let row = try XCTUnwrap(r.table("applications")?.row("withheld.prohibited"))
        XCTAssertEqual(row.matchedVariant, "2.其他法律行政止公开")
        XCTAssertEqual(row.cells.map(\.raw), ["27", "0", "0", "0", "0", "0", "27"])
        let labels = findings.filter { $0.rule == "LABEL-NONSTANDARD" }
        XCTAssertEqual(labels.count, 1)
        XCTAssertTrue(labels.first?.message.contains("2.其他法律行政法规禁止公开") ?? false)
        XCTAssertEqual(findings.errors.map(\.message), [])
    }

    func testATableIsFoundWithoutItsHeadingAndAHeaderRepeatedAfterAPageBreakIsSkipped() throws {
        var text = edited(try clean2021(), "三、收到和处理政府信息公开申请情况\n", "")
        text = edited(
            text, "\t\t8.属于行政查询事项\t20\t1\t0\t0\t0\t0\t21\n",
            "\t\t8.属于行政查询事项\t20\t1\t0\t0\t0\t0\t21\n- 4 -\n\t自然人\t法人或其他组织\t总计\n\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n")
        let (r, findings) = check(text)
        XCTAssertEqual(r.table("applications")?.rows.count, 25)
        XCTAssertEqual(r.table("applications")?.row("unavailable.not_held")?.cells.map(\.raw), ["968", "74", "0", "1", "3", "1", "1047"])
        XCTAssertEqual(findings.errors.map(\.rule), ["PARTS-PRESENT"])
    }

    /// One cell per line: a row whose cells are all lost sits between two rows that have theirs. The numbers
    /// after it belong to the label just above them, not to the lost row.
    func testARowWithoutCellsDoesNotTakeTheNextRowsNumbers() throws {
        var text = try String(contentsOfFile: Repo.path("samples/clean-2019-department.txt"), encoding: .utf8)
        text = edited(text, "\t行政处罚\n\t25\n\t-8\n\t17\n", "\t行政处罚\n\n")
        let (r, findings) = check(text)
        XCTAssertEqual(r.table("enforcement")?.row("penalty")?.cells.map(\.state), [.blank, .blank, .blank])
        XCTAssertEqual(r.table("enforcement")?.row("coercion")?.cells.map(\.raw), ["0", "+1", "1"])
        XCTAssertEqual(Set(findings.map(\.rule)), ["CELL-BLANK"])
    }

    /// PDF text: an empty cell is only spaces; the other rows' columns say which cell is empty.
    func testAnEmptyCellInPDFTextIsPlacedByTheOtherRowsColumns() throws {
        var text = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        text = edited(
            text, "规章\t2\t0\t11\n行政规范性文件\t109\t489\t597",
            "规章              2                  11\n行政规范性文件    109      489      597")
        let (r, findings) = check(text)
        XCTAssertEqual(r.table("regulations")?.row("rules")?.cells.map(\.raw), ["2", "", "11"])
        XCTAssertEqual(r.table("regulations")?.row("rules")?.cells.map(\.state), [.number, .blank, .number])
        XCTAssertEqual(findings.map(\.rule), ["CELL-BLANK"])
        // A number between two columns is not placed.
        let unclear = edited(text, "规章              2                  11", "规章                   2             11")
        XCTAssertEqual(check(unclear).0.extractionNotes.map(\.row), ["rules"])
    }

    func testArticle20TablesSideBySide() throws {
        let src = try String(contentsOfFile: Repo.path("samples/clean-2019-department.txt"), encoding: .utf8)
        let start = try XCTUnwrap(src.range(of: "二、主动公开政府信息情况\n")).upperBound
        let end = try XCTUnwrap(src.range(of: "三、收到和处理政府信息公开申请情况")).lowerBound
        let block = """
                     第二十条第（一）项                                   第二十条第（五）项
            信息内容  本年新制作数量 本年新公开数量 对外公开总数量   信息内容  上一年项目数量  本年增/减  处理决定数量
            规章          0            0            0         行政许可        312          -51        261
            规范性文件    0            0            0         其他对外管理服务事项  3     +7         10
                     第二十条第（六）项                                   第二十条第（八）项
            信息内容  上一年项目数量  本年增/减  处理决定数量        信息内容  上一年项目数量  本年增/减
            行政处罚     25          -8         17              行政事业性收费    0          0
            行政强制     0           +1         1
                     第二十条第（九）项
            信息内容  采购项目数量  采购总金额
            政府集中采购  12   6032.346

            """
        let (r, findings) = check(String(src[..<start]) + block + String(src[end...]))
        let sample = Repo.linter.read(text: src, path: "s.txt")
        for key in ["regulations", "licensing", "enforcement", "fees", "procurement"] {
            XCTAssertEqual(r.table(key)?.rows.map { $0.cells.map(\.value) }, sample.table(key)?.rows.map { $0.cells.map(\.value) }, key)
        }
        XCTAssertEqual(findings.map(\.message), [])
    }

    func testCorpusCasesFromTheIssue() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not present") }
        func read(_ name: String) throws -> Report {
            let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/corpus/" + name))
            let (text, _) = try TextDecoding.decode(data, path: name)
            return Repo.linter.read(text: text, path: name)
        }
        let hangzhou = try read("peer-test-city-hangzhou-style_2025.txt")
        XCTAssertNotNil(hangzhou.part("problems"), "五、存在问题及改进情况")
        let zhashui = try read("2021-zhashui-fenghuangzhen.txt")
        // A partial copy: the rows it has are found, in traditional characters.
        XCTAssertEqual(zhashui.table("applications")?.rows.map(\.key), ["new", "carried_in", "granted"])
        XCTAssertEqual(zhashui.table("regulations")?.row("rules")?.cells.map(\.state), [.number, .number, .number])
        let shuyang = try read("peer-shuyang-county-development-reform-bureau_2023.txt")
        let new = try XCTUnwrap(shuyang.table("applications")?.row("new"))
        XCTAssertEqual(new.cells.map(\.state), [.number, .blank, .blank, .blank, .blank, .blank, .number], "\"\" cells are blanks")
    }
}
