import Foundation
import OGIAnalysis
import XCTest

/// Every analysis on degenerate input: no crash, no finding from nothing.
final class EdgeCaseTests: XCTestCase {
    static let inputs: [[String]] = [
        [], [""], ["\n"], ["。"], ["（"], ["）"], ["“”"], ["1"], ["1."], ["１２"], ["其中"], ["其中8件"], ["8件其中"],
        ["：8件："], ["2024"], ["2024年"], ["图"], ["图0"], ["XX"], ["十"], ["一、"], ["（一"], ["%"], ["1.5%"],
        ["同比增长%"], ["资金资"], ["   ", "\u{3000}"], [String(repeating: "政务公开", count: 500)],
    ]

    func testNoAnalysisCrashesOnDegenerateInput() {
        for paragraphs in Self.inputs {
            for join in [false, true] {
                let t = ProseText(paragraphs: paragraphs, joinWrappedLines: join)
                let f = ProseFacts(text: t, vocabulary: Fixtures.vocabulary)
                for b in f.breakdowns { _ = FactChecks.check(b, in: f) }
                for p in f.percentages {
                    _ = FactChecks.checkGrowth(p, in: f, current: 1, previous: 0)
                    _ = FactChecks.checkShare(p, in: f)
                }
                _ = StatementScanner.find(ProseFactsTests.statements, in: f)
                _ = RepeatedSentences.find(in: t, sentences: f.sentences, minLength: 0)
                _ = CopiedText.compare(previous: t, current: t, minLength: 1)
                _ = EditorialDetectors.doubledWords(in: t)
                _ = EditorialDetectors.nestedDoubleQuotes(in: t)
                _ = EditorialDetectors.spaceBeforePunctuation(in: t)
                _ = EditorialDetectors.halfWidthPunctuation(in: t)
                _ = EditorialDetectors.unbalancedBrackets(in: t)
                _ = EditorialDetectors.emptyBrackets(in: t)
                _ = EditorialDetectors.placeholders(in: t, words: ["XX", ""])
                _ = EditorialDetectors.numbering(in: t, inlineSuffixes: ["是", ""])
                _ = EditorialDetectors.figureNumbering(in: t, prefixes: ["图", ""])
                _ = EditorialDetectors.strayYears(in: f, reportYear: 2024, thisYearWords: ["全年"])
                if t.count > 0 { _ = t.origin(of: t.count - 1); _ = t.location(of: 0) }
            }
        }
        // Copying a text onto itself covers all of it.
        let t = ProseText(paragraphs: ["本机关全年主动公开政府信息一百余条。"])
        XCTAssertEqual(CopiedText.compare(previous: t, current: t, minLength: 5).percent, 100)
        // An empty problem is consistent.
        guard case .consistent = RepairSolver.solve(cells: [String: RepairCellValue](), constraints: []).outcome else { return XCTFail() }
    }
}
