import Foundation
import OGIAnalysis
import OGIModel
import XCTest

/// The fast paths of the prose scanners give the answers of the slow ones they replace.
final class ProseFastPathTests: XCTestCase {
    func testOpenerOfACloserAgreesWithThePairTable() {
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(CharClass.opener(of: u), CharClass.pairOf[u], "U+\(String(v, radix: 16))")
        }
    }

    func testFactsFromSentencesSplitBeforeAreTheSame() {
        let text = ProseText(paragraphs: ["共收到申请8件，其中在线4件、邮寄4件；占比50%。", "同比增长1.05%，较上年下降2件。"])
        let a = ProseFacts(text: text, vocabulary: Fixtures.vocabulary)
        let b = ProseFacts(text: text, vocabulary: Fixtures.vocabulary, sentences: SentenceSplitter.sentences(of: text))
        XCTAssertEqual(a.sentences, b.sentences)
        XCTAssertEqual(a.quantities, b.quantities)
        XCTAssertEqual(a.breakdowns, b.breakdowns)
        XCTAssertEqual(a.percentages, b.percentages)
    }

    func testNumbersWithoutAUnitArePassedOverButTheirDigitsAreNotReadAgain() {
        // "1,234" without a unit is skipped whole: "234件" is not read from its tail.
        let f = Fixtures.facts(["累计1,234 人次，另有56件；编号2021.5 不计，12345678901234567890123456789012345件。"])
        XCTAssertEqual(f.quantities.map(\.numberText), ["56", "12345678901234567890123456789012345"])
        XCTAssertEqual(f.quantities.map(\.unit), ["件", "件"])
    }

    func testNoUnitsNoQuantities() {
        let f = ProseFacts(text: ProseText("收到申请8件，办结7件。"), vocabulary: ProseVocabulary())
        XCTAssertTrue(f.quantities.isEmpty)
        XCTAssertEqual(f.sentences.count, 1)
    }

    func testNearestDirectionWordWinsInPlainAndInOtherText() throws {
        // Plain text is searched scalar by scalar; a combining mark sends it to Foundation. Both agree.
        for mark in ["", "e\u{301}"] {
            let up = Fixtures.facts(["办理申请95件，先下降\(mark)后增长5.1%。"])
            XCTAssertEqual(try XCTUnwrap(up.percentages.first).direction, 1, mark)
            let down = Fixtures.facts(["办理申请95件，先增长\(mark)后下降5.1%。"])
            XCTAssertEqual(try XCTUnwrap(down.percentages.first).direction, -1, mark)
            let none = Fixtures.facts(["办理申请95件，\(mark)占5.1%。"])
            XCTAssertEqual(try XCTUnwrap(none.percentages.first).direction, 0, mark)
        }
    }

    func testHalfWidthMarksOutsideTheirRangeAreNotLookedUp() {
        let hits = EditorialDetectors.halfWidthPunctuation(in: ProseText("六部分,本报告"), marks: ["，": ","])
        XCTAssertTrue(hits.isEmpty)
        let custom = EditorialDetectors.halfWidthPunctuation(in: ProseText("六部分，本报告"), marks: ["，": "、"])
        XCTAssertEqual(custom.map(\.suggestion), ["分、本"])
        XCTAssertEqual(EditorialDetectors.halfWidthPunctuation(in: ProseText("六部分,本报告")).map(\.suggestion), ["分，本"])
    }
}
