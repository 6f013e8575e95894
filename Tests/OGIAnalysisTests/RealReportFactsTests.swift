import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

/// The facts the issue lists, read from the seed and the corpus reports in ../shared (skipped when absent).
final class RealReportFactsTests: XCTestCase {
    private func breakdown(_ f: ProseFacts, whole: Decimal, unit: String) throws -> Breakdown {
        try XCTUnwrap(
            f.breakdowns.first { f.quantities[$0.whole].value == whole && f.quantities[$0.whole].unit == unit },
            "no list with the whole \(whole)\(unit)")
    }

    func testSeedFacts() throws {
        let f = Fixtures.facts(try Fixtures.seedLines())
        // 8962条 = the five platform counts (the bracketed remark after the first is not a part).
        let platforms = try breakdown(f, whole: 8962, unit: "条")
        XCTAssertEqual(platforms.parts.map { f.quantities[$0].value }, [1178, 357, 43, 6029, 1355])
        XCTAssertEqual(FactChecks.check(platforms, in: f), .matches)
        // 8 applications: by channel, by applicant, by result.
        let lists = f.breakdowns.filter { f.quantities[$0.whole].value == 8 && f.quantities[$0.whole].unit == "件" }
        XCTAssertEqual(lists.map { $0.parts.map { f.quantities[$0].value } }, [[4, 4], [3, 4, 1], [2, 2, 2, 2]])
        XCTAssertTrue(lists.allSatisfy { FactChecks.check($0, in: f) == .matches })
        // 人大代表建议15件 = 8 + 7, 政协提案14件 = 4 + 2 + 8.
        XCTAssertEqual(FactChecks.check(try breakdown(f, whole: 15, unit: "件"), in: f), .matches)
        let proposals = try breakdown(f, whole: 14, unit: "件")
        XCTAssertEqual(proposals.parts.map { f.quantities[$0].value }, [4, 2, 8])
        XCTAssertEqual(FactChecks.check(proposals, in: f), .matches)
        // 12个项目 / 6032.346万元, ready to compare with table 2's procurement row.
        let projects = try XCTUnwrap(f.quantities.first { $0.unit == "个" && $0.following == "项目" })
        XCTAssertEqual(projects.value, 12)
        let amount = try XCTUnwrap(f.quantities.first { $0.unit == "万元" })
        XCTAssertEqual(amount.value, Decimal(string: "6032.346"))
        XCTAssertEqual(amount.label, "总预算金额")
        // No list in the seed fails.
        XCTAssertTrue(
            f.breakdowns.allSatisfy {
                if case .exceedsWhole = FactChecks.check($0, in: f) { return false }
                if case .shortOfWhole = FactChecks.check($0, in: f) { return false }
                return true
            }, "\(f.breakdowns.map { (f.quantities[$0.whole].value, FactChecks.check($0, in: f)) })")
        // 全部已经依法办结 with nothing carried over: no contradiction.
        let done = StatementScanner.find(ProseFactsTests.statements, in: f).filter { $0.pattern == "all_done" }
        XCTAssertEqual(done.count, 1)
        XCTAssertFalse(FactChecks.contradicts(.zero, values: [0]))
    }

    func testSuqian2024ProseAgainstTable4AndLastYear() throws {
        let f = Fixtures.facts(try Fixtures.sharedLines("corpus/2024-suqian-shi-renminzhengfu.txt"), join: true)
        // 3646 with its seven results adds up.
        let received = try breakdown(f, whole: 3646, unit: "件")
        XCTAssertEqual(received.parts.map { f.quantities[$0].value }, [1431, 471, 92, 941, 117, 469, 125])
        XCTAssertEqual(FactChecks.check(received, in: f), .matches)
        // 同比增长1.05%, but 3646 against last year's 3607 is 1.08%.
        let growth = try XCTUnwrap(f.percentages.first { $0.yearOnYear && f.quantities[$0.quantity].value == Decimal(string: "1.05") })
        XCTAssertEqual(growth.subject.map { f.quantities[$0].value }, 3646)
        let r = try XCTUnwrap(FactChecks.checkGrowth(growth, in: f, current: 3646, previous: 3607))
        XCTAssertEqual(r.fit, .neither)
        XCTAssertEqual(r.recomputed, Decimal(string: "1.08"))
        // 行政复议案件134件 vs table 4's 170; 行政诉讼案件57件 vs 25 + 52 = 77 (or either column alone): no reading fits.
        let review = try XCTUnwrap(f.quantities(labelContains: ["行政复议案件"], units: ["件"]).first)
        let suit = try XCTUnwrap(f.quantities(labelContains: ["行政诉讼案件"], units: ["件"]).first)
        XCTAssertEqual(f.quantities[review].value, 134)
        XCTAssertEqual(f.quantities[suit].value, 57)
        XCTAssertEqual(FactChecks.compare(stated: 134, readings: [Reading(name: "行政复议·总计", value: 170)]), .fitsNone)
        XCTAssertEqual(
            FactChecks.compare(
                stated: 57,
                readings: [
                    Reading(name: "行政诉讼·总计", value: 77), Reading(name: "未经复议直接起诉·总计", value: 25),
                    Reading(name: "复议后起诉·总计", value: 52),
                ]), .fitsNone)
        // 98期 = 48 + 17 + 15 + 9 + 7 + 2.
        XCTAssertEqual(FactChecks.check(try breakdown(f, whole: 98, unit: "期"), in: f), .matches)
    }

    func testRonganPartsExceedTheWhole() throws {
        let f = Fixtures.facts(try Fixtures.sharedLines("corpus/2024-rongan-dapoxiang.txt"), join: true)
        let b = try breakdown(f, whole: 162, unit: "条")
        // 41条 and 293篇 after 其中, and 42条 in the sentence opened by 此外.
        XCTAssertEqual(b.parts.map { f.quantities[$0].value }, [41, 293, 42])
        XCTAssertEqual(FactChecks.check(b, in: f), .exceedsWhole(sum: 376, whole: 162))
    }

    func testShanghaiAllDoneWhileOneIsCarriedOver() throws {
        let f = Fixtures.facts(try Fixtures.sharedLines("corpus/peer-shanghai-science-technology-commission_2024.txt"), join: true)
        let done = StatementScanner.find(ProseFactsTests.statements, in: f).filter { $0.pattern == "all_done" }
        XCTAssertEqual(done.count, 1)
        XCTAssertTrue(f.sentenceText(done[0].sentence).contains("所有申请均已按要求办理完成"))
        // Table 3 carries 1 application into next year (the prose says so too).
        let carried = try XCTUnwrap(f.quantities(labelContains: ["转下一年度"], units: ["件"]).first)
        XCTAssertEqual(f.quantities[carried].value, 1)
        XCTAssertTrue(FactChecks.contradicts(.zero, values: [f.quantities[carried].value]))
        // "received 34, carried in 2" is 34 under the plain reading and 36 under the other.
        let received = try XCTUnwrap(f.quantities(labelContains: ["收到政府信息公开申请"], units: ["件"]).first)
        XCTAssertEqual(
            FactChecks.compare(
                stated: f.quantities[received].value,
                readings: [Reading(name: "新收", value: 34), Reading(name: "新收 + 上年结转", value: 36)]),
            .fitsFirst("新收"))
        // 未发生…收费 is found and agrees with zero fees.
        XCTAssertTrue(StatementScanner.find(ProseFactsTests.statements, in: f).contains { $0.pattern == "no_fee" })
    }

    func testShanghaiWebsitePostsExceedTheirTotal() throws {
        // 网站全年累计发布信息2139条，其中 1744 + 393 + 21 + 2 = 2160: a contradiction the issue did not list.
        let f = Fixtures.facts(try Fixtures.sharedLines("corpus/peer-shanghai-science-technology-commission_2024.txt"), join: true)
        XCTAssertEqual(FactChecks.check(try breakdown(f, whole: 2139, unit: "条"), in: f), .exceedsWhole(sum: 2160, whole: 2139))
        // Subsets named after 其中 are not contradictions.
        XCTAssertEqual(FactChecks.check(try breakdown(f, whole: 1640, unit: "篇"), in: f), .withinOpenList(sum: 294, whole: 1640))
    }

    func testNoListInTheCorpusFailsExceptTheKnownOnes() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not available") }
        let dir = (shared as NSString).appendingPathComponent("corpus")
        var failures: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".txt") {
            let f = Fixtures.facts(try Fixtures.sharedLines("corpus/" + name), join: true)
            for b in f.breakdowns {
                switch FactChecks.check(b, in: f) {
                case .exceedsWhole, .shortOfWhole: failures.append("\(name) \(f.quantities[b.whole].numberText)")
                default: break
                }
            }
        }
        XCTAssertEqual(failures, ["2024-rongan-dapoxiang.txt 162", "peer-shanghai-science-technology-commission_2024.txt 2139"])
    }
}
