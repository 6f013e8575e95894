import Foundation
import OGIAnalysis
import XCTest

/// Copied text between years and repeated sentences within a report.
final class OverlapTests: XCTestCase {
    // MARK: Copied text

    func testACopiedPartIsMeasuredAndQuoted() throws {
        let copied = "我局将进一步加强政务公开队伍建设，提升工作人员业务能力，确保政府信息公开工作规范有序开展"
        let last = ProseText(paragraphs: ["2023年主动公开信息100条。", copied + "。"])
        let this = ProseText(paragraphs: ["2024年主动公开信息120条，同比增长20%。", copied + "。", "新增政策解读专栏。"])
        let r = CopiedText.compare(previous: last, current: this, minLength: 10)
        XCTAssertEqual(r.passages.count, 1)
        let p = try XCTUnwrap(r.passages.first)
        XCTAssertEqual(p.text, copied)
        XCTAssertEqual(last.text(p.previous), copied)
        // Normalised characters: punctuation is not counted.
        XCTAssertEqual(p.length, copied.unicodeScalars.filter { CharClass.isCJK($0) }.count)
        XCTAssertEqual(r.copiedCharacters, p.length)
        XCTAssertEqual(r.percent, FactChecks.round(Decimal(p.length) * 100 / Decimal(r.totalCharacters), decimals: 1))
        // Short shared phrases (主动公开信息) stay below the threshold.
        XCTAssertGreaterThan(r.percent, 50)
        XCTAssertLessThan(r.percent, 80)
    }

    func testSpacesAndPunctuationDoNotHideACopy() {
        let last = ProseText("一是加强组织领导，二是完善工作机制，三是强化监督考核。")
        let this = ProseText("一是加强组织领导, 二是完善工作机制；三是强化监督考核")
        let r = CopiedText.compare(previous: last, current: this, minLength: 10)
        XCTAssertEqual(r.percent, 100)
        XCTAssertEqual(r.passages.first?.length, 24)
    }

    func testUnrelatedTextsShareNothing() {
        let r = CopiedText.compare(previous: ProseText("今年收到申请八件全部办结没有结转"), current: ProseText("行政复议和行政诉讼均未发生过任何案件"), minLength: 5)
        XCTAssertEqual(r.copiedCharacters, 0)
        XCTAssertEqual(r.passages, [])
        XCTAssertEqual(CopiedText.compare(previous: ProseText(""), current: ProseText(""), minLength: 5).percent, 0)
    }

    func testOverlappingCopiesAreCountedOnce() {
        // Two maximal matches that overlap in this year's text: coverage is their union.
        let last = ProseText("甲乙丙丁戊己庚辛壬癸 子丑寅卯辰巳午未申酉")
        let this = ProseText("甲乙丙丁戊己庚辛壬癸子丑寅卯辰")
        let r = CopiedText.compare(previous: last, current: this, minLength: 5)
        XCTAssertEqual(r.copiedCharacters, 15)
        XCTAssertEqual(r.totalCharacters, 15)
    }

    func testSuqian2023Against2024InMilliseconds() throws {
        let last = ProseText(paragraphs: try Fixtures.sharedLines("corpus/2023-suqian-shi-renminzhengfu.txt"), joinWrappedLines: true)
        let this = ProseText(paragraphs: try Fixtures.sharedLines("corpus/2024-suqian-shi-renminzhengfu.txt"), joinWrappedLines: true)
        let start = Date()
        let r = CopiedText.compare(previous: last, current: this, minLength: 20)
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        XCTAssertGreaterThan(r.totalCharacters, 3000)
        // Consecutive years of one city share boilerplate (the table labels, the legal basis) but not everything.
        XCTAssertGreaterThan(r.percent, 5)
        XCTAssertLessThan(r.percent, 95)
        let lengths = r.passages.map(\.length)
        XCTAssertEqual(lengths, lengths.sorted(by: >))
        for p in r.passages {
            XCTAssertGreaterThanOrEqual(p.length, 20)
            // What is quoted from this year is really in last year's text (normalised).
            let a = NormalizedText(Array(this.text(p.current).unicodeScalars)).units
            let b = NormalizedText(Array(last.text(p.previous).unicodeScalars)).units
            XCTAssertEqual(a, b)
        }
    }

    // MARK: Repeated sentences

    func testTheSeedsPastedSentenceWithOneCharacterChanged() throws {
        let text = ProseText(paragraphs: try Fixtures.seedLines())
        let sentences = SentenceSplitter.sentences(of: text)
        let start = Date()
        let pairs = RepeatedSentences.find(in: text, sentences: sentences)
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.2)
        XCTAssertEqual(pairs.count, 1, "\(pairs.map { text.text($0.firstSpan) })")
        let p = try XCTUnwrap(pairs.first)
        XCTAssertEqual(p.distance, 1)
        XCTAssertEqual(p.firstDifference, "完")
        XCTAssertEqual(p.secondDifference, "安")
        XCTAssertTrue(text.text(p.firstSpan).hasPrefix("强化网站完全监测"))
        XCTAssertEqual(text.text(p.secondDifferenceSpan), "安")
    }

    func testExactRepeatsLinkToTheFirstCopyAndShortSentencesAreIgnored() {
        let s = "进一步规范依申请公开办理流程并加强答复文书审核工作。"
        let text = ProseText(paragraphs: [s, "好。", s, "好。", s])
        let pairs = RepeatedSentences.find(in: text, sentences: SentenceSplitter.sentences(of: text))
        XCTAssertEqual(pairs.map { [$0.first, $0.second] }, [[0, 2], [0, 4]])
        XCTAssertTrue(pairs.allSatisfy { $0.distance == 0 })
    }

    func testNearButNotTooFar() {
        let a = "强化网站安全监测和检查，及时对网站内容保障情况进行自查。"
        let twoEdits = "强化网站完全监测和检察，及时对网站内容保障情况进行自查。"
        let manyEdits = "加强平台安全管理和巡查，按时对平台内容保障情况开展自查。"
        let text = ProseText(paragraphs: [a, twoEdits, manyEdits])
        let pairs = RepeatedSentences.find(in: text, sentences: SentenceSplitter.sentences(of: text))
        XCTAssertEqual(pairs.map { [$0.first, $0.second, $0.distance] }, [[0, 1, 2]])
        // A 95 % similarity lets long sentences differ in more than two places.
        let long = String(repeating: "政务公开工作要点落实情况良好", count: 8)
        var changed = Array(long)
        for k in [5, 30, 60] { changed[k] = "某" }
        let t2 = ProseText(paragraphs: [long + "。", String(changed) + "。"])
        XCTAssertEqual(RepeatedSentences.find(in: t2, sentences: SentenceSplitter.sentences(of: t2)).first?.distance, 3)
        XCTAssertEqual(RepeatedSentences.find(in: t2, sentences: SentenceSplitter.sentences(of: t2), minSimilarity: 0.99).count, 0)
    }
}
