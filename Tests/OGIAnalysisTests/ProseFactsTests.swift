import Foundation
import OGIAnalysis
import OGIModel
import XCTest

/// Quantities, 其中 lists, percentages and statements read from prose, on short phrases and on real reports.
final class ProseFactsTests: XCTestCase {
    func q(_ f: ProseFacts, _ i: Int) -> Quantity { f.quantities[i] }
    func values(_ f: ProseFacts, _ idx: [Int]) -> [Decimal] { idx.map { f.quantities[$0].value } }

    // MARK: Quantities

    func testQuantitiesCarryUnitLabelAndWordsAfter() {
        let f = Fixtures.facts(["2021年，主动公开政府信息162条，涉及12个项目，总预算金额6032.346万元，同比增长1.05%。"])
        XCTAssertEqual(f.quantities.map(\.unit), ["条", "个", "万元", "%"])
        XCTAssertEqual(f.quantities[0].label, "主动公开政府信息")
        XCTAssertEqual(f.quantities[1].following, "项目")
        XCTAssertEqual(f.quantities[2].value, Decimal(string: "6032.346"))
        XCTAssertEqual(f.quantities[2].decimals, 3)
        XCTAssertEqual(f.quantities[3].decimals, 2)
        XCTAssertTrue(f.quantities[3].isPercent)
        // The year is not a quantity (年 is not a unit) and positions point at the number.
        XCTAssertEqual(f.text.text(f.quantities[0].span), "162条")
    }

    func testTwoQuantitiesInOneSentenceKeepTheirOwnLabels() {
        let f = Fixtures.facts(["全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。"])
        XCTAssertEqual(f.quantities.map(\.value), [134, 57])
        XCTAssertTrue(f.quantities[0].label.hasSuffix("行政复议案件"))
        XCTAssertEqual(f.quantities[1].label, "行政诉讼案件")
        XCTAssertEqual(f.quantities(labelContains: ["行政诉讼"], units: ["件"]), [1])
        XCTAssertEqual(f.quantities(labelContains: ["案件"], labelExcludes: ["诉讼"]), [0])
    }

    func testNumbersWithSpacesFullWidthDigitsCommasAndOrdinals() {
        let f = Fixtures.facts(["全年收到申请 34 件，办理１２件，累计3,646件，第3件不计，1.05不是数量。"])
        XCTAssertEqual(f.quantities.map(\.value), [34, 12, 3646])
    }

    func testChineseNumeralsOnlyWhenAskedFor() {
        var v = Fixtures.vocabulary
        XCTAssertEqual(Fixtures.facts(["共召开了四场新闻发布会。"]).quantities.count, 0)
        v.chineseNumerals = true
        let f = ProseFacts(text: ProseText("共召开了四场新闻发布会，第二场在5月。"), vocabulary: v)
        XCTAssertEqual(f.quantities.map(\.value), [4])
    }

    func testWrappedPDFLinesAreJoinedSoANumberMeetsItsUnit() {
        let lines = ["其中，予以公开1431件、部分公开471", "件、不予公开92件。", "（三）政府信息管理方面。"]
        let f = Fixtures.facts(lines, join: true)
        XCTAssertEqual(f.quantities.map(\.value), [1431, 471, 92])
        // Positions map back to the source line and column.
        let o = f.text.origin(of: f.quantities[2].span.start)
        XCTAssertEqual(o.paragraph, 1)
        XCTAssertEqual(o.column, 7)
        // A numbered heading starts a new paragraph.
        XCTAssertEqual(f.sentences.last.map { f.sentenceText($0.index) }, "（三）政府信息管理方面。")
        XCTAssertEqual(Fixtures.facts(lines, join: false).quantities.map(\.value), [1431, 92])
    }

    func testOffsetsBecomeSourceLocations() {
        let paragraphs = [
            Paragraph(text: "总体情况。", location: SourceLocation(file: "r.txt", line: 7)),
            Paragraph(text: "主动公开政府信息162条。", location: SourceLocation(file: "r.txt", line: 9)),
        ]
        let f = ProseFacts(text: ProseText(paragraphs: paragraphs), vocabulary: Fixtures.vocabulary)
        let loc = f.text.location(of: f.quantities[0].span.start)
        XCTAssertEqual(loc, SourceLocation(file: "r.txt", line: 9, column: 9))
        XCTAssertNil(ProseText("162条").location(of: 0))
        let part = Part(number: 1, key: "overview", heading: "一、总体情况", location: nil, paragraphs: paragraphs)
        XCTAssertEqual(ProseText(part: part).string, "总体情况。\n主动公开政府信息162条。")
    }

    // MARK: 其中 lists

    func testAWholeAndItsParts() throws {
        let f = Fixtures.facts(["共收到申请8件，其中在线4件、邮寄4件。"])
        let b = try XCTUnwrap(f.breakdowns.first)
        XCTAssertEqual(f.quantities[b.whole].value, 8)
        XCTAssertEqual(values(f, b.parts), [4, 4])
        XCTAssertEqual(FactChecks.check(b, in: f), .matches)
    }

    func testPartsShortOfTheWholeAreAnErrorUnlessTheListIsOpen() throws {
        let closed = Fixtures.facts(["共收到申请8件，其中在线4件、邮寄3件。"])
        XCTAssertEqual(FactChecks.check(try XCTUnwrap(closed.breakdowns.first), in: closed), .shortOfWhole(sum: 7, whole: 8))
        let open = Fixtures.facts(["共收到申请8件，其中在线4件、邮寄3件等。"])
        XCTAssertEqual(FactChecks.check(try XCTUnwrap(open.breakdowns.first), in: open), .withinOpenList(sum: 7, whole: 8))
        // A single part is a subset, not a complete list.
        let subset = Fixtures.facts(["微信公众号共编发文章1640篇，其中原创文章294篇。"])
        XCTAssertEqual(FactChecks.check(try XCTUnwrap(subset.breakdowns.first), in: subset), .withinOpenList(sum: 294, whole: 1640))
        // …but a single part larger than the whole is still wrong.
        let over = Fixtures.facts(["共收到申请8件，其中在线9件。"])
        XCTAssertEqual(FactChecks.check(try XCTUnwrap(over.breakdowns.first), in: over), .exceedsWhole(sum: 9, whole: 8))
    }

    func testTheWholeIsTheQuantityOfThePartsUnitNotAPercentageInBetween() throws {
        let f = Fixtures.facts(["共收办申请3646件，同比增长1.05%，其中，予以公开1431件、部分公开471件、不予公开92件、无法提供941件、不予处理117件、作其他处理（含申请人主动撤回申请）469件、转下年度办理125件。"])
        let b = try XCTUnwrap(f.breakdowns.first)
        XCTAssertEqual(f.quantities[b.whole].value, 3646)
        XCTAssertEqual(b.parts.count, 7)
        XCTAssertEqual(FactChecks.check(b, in: f), .matches)
    }

    func testSiblingListsAfterClassificationWordsShareTheWhole() throws {
        // The seed's sentence shape: a whole, then three 分类 lists separated by ；.
        let f = Fixtures.facts([
            "2020年度，我局收到依申请公开政府信息8件，全部已经依法办结。按申请途径分类：在线申请4件，邮寄申请4件；按申请人属性分类：自然人3件，社会公益组织4件，其他1件；按办理结果分类：予以公开的2件，部分公开2件，不予公开2件，无法提供2件。"
        ])
        XCTAssertEqual(f.breakdowns.count, 3)
        for b in f.breakdowns {
            XCTAssertEqual(f.quantities[b.whole].value, 8)
            XCTAssertEqual(FactChecks.check(b, in: f), .matches)
        }
        XCTAssertEqual(f.breakdowns.map { values(f, $0.parts) }, [[4, 4], [3, 4, 1], [2, 2, 2, 2]])
        // A slip in one list is caught in that list only.
        let g = Fixtures.facts(["我局收到申请8件，全部已经依法办结。按申请途径分类：在线申请4件，邮寄申请4件；按申请人属性分类：自然人3件，社会公益组织5件，其他1件。"])
        XCTAssertEqual(g.breakdowns.map { FactChecks.check($0, in: g) }, [.matches, .exceedsWhole(sum: 9, whole: 8)])
    }

    func testAListAfterAColonAndABracketedListInsideIt() throws {
        let f = Fixtures.facts(["我局承办市人大代表建议15件：主办件8件，协办件7件（其中7件为2019年B类件）；我局承办市政协委员提案14件：主办件4件，分办件2件，协办件8件。"])
        XCTAssertEqual(f.breakdowns.count, 3)
        let byWhole = f.breakdowns.map { (f.quantities[$0.whole].value, values(f, $0.parts)) }
        XCTAssertEqual(byWhole.map(\.0), [15, 7, 14])
        XCTAssertEqual(byWhole.map(\.1), [[8, 7], [7], [4, 2, 8]])
        XCTAssertTrue(f.breakdowns.allSatisfy { FactChecks.check($0, in: f) == .matches })
    }

    func testNestedListsUnderAPart() throws {
        let f = Fixtures.facts(["收到申请30件，其中自然人20件、法人10件，其中商业企业6件、科研机构3件。"])
        XCTAssertEqual(f.breakdowns.map { f.quantities[$0.whole].value }, [30, 10])
        XCTAssertEqual(f.breakdowns.map { FactChecks.check($0, in: f) }, [.matches, .shortOfWhole(sum: 9, whole: 10)])
    }

    func testPartsOfADifferentUnitAreLeftOutUnlessGrouped() throws {
        let f = Fixtures.facts(["涉及采购项目12个，其中公开招标8个，金额6032.346万元，询价4个。"])
        let b = try XCTUnwrap(f.breakdowns.first)
        XCTAssertEqual(values(f, b.parts), [8, 4])
        XCTAssertEqual(FactChecks.check(b, in: f), .matches)
    }

    // MARK: Percentages

    func testYearOnYearGrowthIsRecomputedAtTheSentencesRounding() throws {
        let f = Fixtures.facts(["共收办申请3646件，同比增长1.05%。"])
        let p = try XCTUnwrap(f.percentages.first)
        XCTAssertTrue(p.yearOnYear)
        XCTAssertEqual(p.direction, 1)
        XCTAssertEqual(p.subject.map { f.quantities[$0].value }, 3646)
        let r = try XCTUnwrap(FactChecks.checkGrowth(p, in: f, current: 3646, previous: 3607))
        XCTAssertEqual(r.fit, .neither)
        XCTAssertEqual(r.recomputed, Decimal(string: "1.08"))
        // 3646 against 3608 is 1.053… → 1.05: fits.
        XCTAssertEqual(FactChecks.checkGrowth(p, in: f, current: 3646, previous: 3608)?.fit, .rounded)
    }

    func testAFallIsNegativeAndRoundingOrTruncationIsTold() throws {
        let f = Fixtures.facts(["办理申请95件，较上年下降5.1%。"])
        let p = try XCTUnwrap(f.percentages.first)
        XCTAssertEqual(p.direction, -1)
        XCTAssertEqual(p.signedValue, Decimal(string: "-5.1"))
        // 95 vs 100: −5 % → stated −5.1 does not fit.
        XCTAssertEqual(FactChecks.checkGrowth(p, in: f, current: 95, previous: 100)?.fit, .neither)
        // 1.0869… rounds to 1.09 and truncates to 1.08.
        XCTAssertEqual(FactChecks.fit(stated: Decimal(string: "1.08")!, decimals: 2, computed: Decimal(string: "1.0869")!), .truncated)
        XCTAssertEqual(FactChecks.fit(stated: Decimal(string: "1.09")!, decimals: 2, computed: Decimal(string: "1.0869")!), .rounded)
        XCTAssertNil(FactChecks.growthPercent(current: 5, previous: 0))
    }

    func testAShareOfAWhole() throws {
        let f = Fixtures.facts(["共收到申请40件，其中予以公开10件，占25%。"])
        let p = try XCTUnwrap(f.percentages.first)
        XCTAssertTrue(p.isShare)
        XCTAssertFalse(p.yearOnYear)
        let part = try XCTUnwrap(p.subject)
        XCTAssertEqual(f.quantities[part].value, 10)
        let share = try XCTUnwrap(FactChecks.sharePercent(part: 10, whole: 40))
        XCTAssertEqual(FactChecks.fit(stated: 25, decimals: 0, computed: share), .rounded)
    }

    func testTheSubjectOfAGrowthIsNotInsideABracketedList() throws {
        let f = Fixtures.facts(["共收办申请案件3607件（市政府349件、沭阳县477件），同比增长70.3%。"])
        let p = try XCTUnwrap(f.percentages.first)
        XCTAssertEqual(p.subject.map { f.quantities[$0].value }, 3607)
    }

    func testBracketedSharesOfAListAreRecomputedAgainstItsWhole() throws {
        let f = Fixtures.facts([
            "办结 1191 件（含上年结转 189 件），均在法定期限内答复。其中，予以公开及部分公开 208 件（17.46%），不予公开 20 件（1.68%），无法提供 564 件（47.36%），不予处理 80 件（6.72%），其他处理 319 件（26.79%，含申请人主动撤回 157 件）。"
        ])
        let b = try XCTUnwrap(f.breakdowns.first)
        XCTAssertEqual(f.quantities[b.whole].value, 1191)
        XCTAssertEqual(FactChecks.check(b, in: f), .matches)
        XCTAssertEqual(f.percentages.count, 5)
        XCTAssertTrue(f.percentages.allSatisfy { $0.isShare && $0.whole == b.whole })
        let fits = f.percentages.compactMap { FactChecks.checkShare($0, in: f) }
        // 319 / 1191 = 26.78…%: the last figure (26.79) is a slip.
        XCTAssertEqual(fits.map(\.fit), [.rounded, .rounded, .rounded, .rounded, .neither])
        XCTAssertEqual(fits.last?.recomputed, Decimal(string: "26.78"))
    }

    // MARK: Readings

    func testTwoReadingsOneFitsGivesAWarningNeitherGivesAnError() {
        let readings = [Reading(name: "新收", value: 34), Reading(name: "新收 + 上年结转", value: 36)]
        XCTAssertEqual(FactChecks.compare(stated: 34, readings: readings), .fitsFirst("新收"))
        XCTAssertEqual(FactChecks.compare(stated: 36, readings: readings), .fitsOther(fitting: ["新收 + 上年结转"], first: "新收"))
        XCTAssertEqual(FactChecks.compare(stated: 35, readings: readings), .fitsNone)
        XCTAssertEqual(FactChecks.compare(stated: 35, readings: [Reading(name: "x", value: nil)]), .notEvaluated)
    }

    // MARK: Statements

    static let statements = [
        StatementPattern(name: "all_done", pattern: "所有|全部…申请…办结|办理完成", exclusions: ["除"]),
        StatementPattern(name: "all_done", pattern: "申请…所有|全部…办结|办理完成", exclusions: ["除"]),
        StatementPattern(name: "none_received", pattern: "未收到…申请"),
        StatementPattern(name: "no_review", pattern: "未发生|无…行政复议|行政诉讼"),
        StatementPattern(name: "no_fee", pattern: "未收取|未发生…费用|收费"),
    ]

    func testQualitativeStatementsAreFoundBySentence() {
        let f = Fixtures.facts([
            "本年度未收到政府信息公开申请。", "未发生因政府信息公开引起的行政复议、行政诉讼。",
            "我局承办的上述建议和提案已全部办结。", "除1件外所有申请均已办结。", "全年未收取任何费用。",
        ])
        XCTAssertEqual(StatementScanner.find(Self.statements, in: f).map(\.pattern), ["none_received", "no_review", "no_fee"])
    }

    func testAllDoneAgainstCarriedOver() {
        let f = Fixtures.facts(["全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件，所有申请均已按要求办理完成。"])
        let m = StatementScanner.find(Self.statements, in: f)
        XCTAssertEqual(Set(m.map(\.pattern)), ["all_done"])
        XCTAssertTrue(FactChecks.contradicts(.zero, values: [1]))
        XCTAssertFalse(FactChecks.contradicts(.zero, values: [0, nil]))
        XCTAssertFalse(FactChecks.contradicts(.zero, values: [nil]))
        XCTAssertTrue(FactChecks.contradicts(.positive, values: [0]))
    }
}
