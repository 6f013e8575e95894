import Foundation
import OGIAnalysis
import XCTest

/// The editorial detectors on short texts and on real reports.
final class EditorialTests: XCTestCase {
    func text(_ s: String...) -> ProseText { ProseText(paragraphs: s) }

    func testDoubledWords() {
        let t = text("2023年上海市科技计划资金资金分配结果信息。", "研究研究再说，哈哈哈哈，进一步进一步加强。")
        let hits = EditorialDetectors.doubledWords(in: t, allowed: ["研究研究"])
        XCTAssertEqual(hits.map(\.text), ["资金资金", "进一步进一步"])
        XCTAssertEqual(hits.map(\.suggestion), ["资金", "进一步"])
        XCTAssertEqual(t.text(hits[0].span), "资金资金")
    }

    func testNestedDoubleQuotes() {
        let t = text("发布“我为赣州市“十四五”生态环境保护规划编制”建言献策活动公告，“三公”经费。")
        let hits = EditorialDetectors.nestedDoubleQuotes(in: t)
        XCTAssertEqual(hits.count, 1)
        XCTAssertEqual(hits[0].text, "“我为赣州市“十四五”生态环境保护规划编制”")
        XCTAssertEqual(hits[0].suggestion, "“我为赣州市‘十四五’生态环境保护规划编制”")
    }

    func testSpaceBeforeChinesePunctuationAndHalfWidthCommas() {
        let t = text("同时做好政务公开和宣传报道结合文章 ，提升政务公开时效。", "　缩进不算。", "本报告由六部分, 并附相关指标统计表,1.05%不算。")
        let spaces = EditorialDetectors.spaceBeforePunctuation(in: t)
        XCTAssertEqual(spaces.map(\.text), ["章 ，"])
        XCTAssertEqual(spaces.map(\.suggestion), ["章，"])
        let commas = EditorialDetectors.halfWidthPunctuation(in: t)
        XCTAssertEqual(commas.map(\.text), ["分, 并"])
        XCTAssertEqual(commas.map(\.suggestion), ["分，并"])
    }

    func testUnbalancedBrackets() {
        let t = text("本报告（含附表数据统计。", "1）第一项不算。", "关于《条例》的“解读）。", "正常（一）“好”《书》。")
        let hits = EditorialDetectors.unbalancedBrackets(in: t)
        XCTAssertEqual(hits.map(\.text), ["（", "“", "）"])
        XCTAssertEqual(hits.map { t.origin(of: $0.span.start).paragraph }, [0, 2, 2])
    }

    func testEmptyBracketsAndPlaceholders() {
        let t = text("国办公开办函〔 〕30号，XX市XXXX局，××单位，此处填写机关名称，VOCs和XXL不算，（）。")
        XCTAssertEqual(EditorialDetectors.emptyBrackets(in: t).map(\.text), ["〔 〕", "（）"])
        let hits = EditorialDetectors.placeholders(in: t, words: ["XX", "××", "此处填写"])
        XCTAssertEqual(hits.map(\.text), ["XX", "XXXX", "××", "此处填写"])
    }

    func testNumberingSkipsRepeatsAndRestarts() {
        let t = text(
            "一、总体情况", "（一）主动公开", "（三）依申请公开", "二、主动公开情况", "（一）规章", "（一）规范性文件",
            "四、复议诉讼", "一、存在的问题", "1.问题一", "3.问题三")
        let hits = EditorialDetectors.numbering(in: t)
        XCTAssertEqual(hits.map(\.kind), [.numberingSkip, .numberingRepeat, .numberingSkip, .numberingRestart, .numberingSkip])
        XCTAssertEqual(hits.map(\.text), ["（三）", "（一）", "四、", "一、", "3."])
        XCTAssertEqual(hits.map(\.suggestion), ["（二）", "（二）", "三、", "五、", "2."])
    }

    func testInlineOrdinalsAreData() {
        let t = text("一是做好财务信息公开。", "二是积极开展政策解读。", "四是做好环境质量信息公开。")
        XCTAssertEqual(EditorialDetectors.numbering(in: t).count, 0)
        let hits = EditorialDetectors.numbering(in: t, inlineSuffixes: ["是"])
        XCTAssertEqual(hits.map(\.text), ["四是"])
        XCTAssertEqual(hits.map(\.suggestion), ["三是"])
    }

    func testFigureNumberingGaps() {
        let t = text("图1 各平台发布信息数", "正文见图3。", " 图3 截图", "图3 重复", "图说图解不算", "图4 截图")
        let hits = EditorialDetectors.figureNumbering(in: t, prefixes: ["图"])
        XCTAssertEqual(hits.map(\.kind), [.figureNumberingGap, .figureNumberingRepeat])
        XCTAssertEqual(hits.map(\.text), ["图3", "图3"])
        XCTAssertEqual(hits.map(\.suggestion), ["图2", "图4"])
    }

    func testSeedHasTheNestedQuoteTheStraySpaceAndAnUnbrokenFigureSequence() throws {
        let t = ProseText(paragraphs: try Fixtures.seedLines())
        XCTAssertTrue(EditorialDetectors.nestedDoubleQuotes(in: t).contains { $0.suggestion == "“我为赣州市‘十四五’生态环境保护规划编制”" })
        XCTAssertTrue(EditorialDetectors.spaceBeforePunctuation(in: t).contains { $0.text == "章 ，" })
        XCTAssertEqual(EditorialDetectors.figureNumbering(in: t, prefixes: ["图"]), [])
        let numbering = EditorialDetectors.numbering(in: t, inlineSuffixes: ["是"])
        XCTAssertFalse(numbering.contains { $0.kind == .numberingSkip && $0.text.hasSuffix("是") }, "\(numbering)")
    }

    func testShanghaiSlips() throws {
        let lines = try Fixtures.sharedLines("corpus/peer-shanghai-science-technology-commission_2024.txt")
        let t = ProseText(paragraphs: lines, joinWrappedLines: true)
        // The narrative before the statistical parts (whose table headers the PDF flattened into "结果结果…").
        let narrativeEnd = try XCTUnwrap(lines.firstIndex(of: "一、主动公开政府信息情况"))
        let narrative = ProseText(paragraphs: Array(lines[..<narrativeEnd]), joinWrappedLines: true)
        XCTAssertEqual(EditorialDetectors.doubledWords(in: narrative).map(\.text), ["资金资金"])
        XCTAssertTrue(EditorialDetectors.halfWidthPunctuation(in: t).contains { $0.text == "分, 并" })
        let numbering = EditorialDetectors.numbering(in: t)
        XCTAssertTrue(numbering.contains { $0.kind == .numberingRestart && $0.text == "一、" }, "\(numbering)")
        XCTAssertTrue(numbering.contains { $0.kind == .numberingSkip && $0.text == "五、" }, "\(numbering)")
    }

    func testStrayYearsInSentencesAboutThisYearsWork() {
        let f = Fixtures.facts([
            "2022年，我局全年主动公开政府信息162条。", "2024年全年收到申请8件，2023年为7件。",
            "2025年，我局将继续做好全年公开工作。", "印发《2018年工作要点》，全年落实2018-2020年规划和2024－2027 年行动方案。",
        ])
        XCTAssertEqual(EditorialDetectors.yearMentions(in: f).map(\.year), [2022, 2024, 2023, 2025])
        let hits = EditorialDetectors.strayYears(in: f, reportYear: 2024, thisYearWords: ["全年", "本年"], planWords: ["将"])
        XCTAssertEqual(hits.map(\.text), ["2022年"])
        XCTAssertEqual(hits.map(\.suggestion), ["2024年"])
        XCTAssertEqual(hits.first.map { f.text.origin(of: $0.span.start).paragraph }, 0)
    }
}
