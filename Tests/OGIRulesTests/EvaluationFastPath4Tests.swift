import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis
@testable import OGIRules

/// The batch pass's evaluation shortcuts give the answers of the code they replace: a table's cell summary read
/// with one state switch per cell, prose paragraphs without a tab or "|" ruled out as table rows by a byte scan,
/// sum plans of `$variable` spellings made once per rule set, and rules read in place by the engine.
final class EvaluationFastPath4Tests: XCTestCase {
    static var namedReports: [(path: String, report: Report)] { EvaluationFastPath2Tests.namedReports }

    // MARK: cell summaries

    func testCellBitsAreTheMatchesOfEachCell() {
        let values: [Decimal?] = [
            nil, 0, 1, -1, Decimal(string: "1.5"), Decimal(string: "-2.25"), Decimal(string: "3.0"), Decimal(string: "-0.10"),
        ]
        let matches = CellsKind.Match.allCases
        let every: UInt32 = (1 << UInt32(matches.count)) - 1
        var compared = 0
        for state in CellState.allCases where state != .missing {
            for value in values {
                for missing in 0...every {
                    var reference: UInt32 = 0
                    for (m, match) in matches.enumerated() where missing & (1 << UInt32(m)) != 0 {
                        if CellsKind.Summary.cell(state, value, makes: match) { reference |= 1 << UInt32(m) }
                    }
                    XCTAssertEqual(
                        CellsKind.Summary.bits(state, value, missing: missing), reference,
                        "\(state) \(String(describing: value)) \(missing)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
        for (m, match) in matches.enumerated() { XCTAssertEqual(CellsKind.Summary.bit(match), 1 << UInt32(m)) }
    }

    /// The summary as it was made: every match asked of every present cell until its column kind has them all;
    /// per column kind, one bit per match (by `Match.allCases` index).
    static func referenceSummary(_ cells: TableCells) -> [UInt32] {
        let kinds = ColumnSpec.Kind.allCases, matches = CellsKind.Match.allCases
        var masks = [UInt32](repeating: 0, count: kinds.count)
        let t = cells.table
        for c in 0..<t.columnCount {
            guard let k = kinds.firstIndex(of: t.columnKinds[c]) else { continue }
            var i = c
            while i < cells.cellCount {
                if cells.state(i) != .missing {
                    for m in matches.indices where CellsKind.Summary.cell(cells.state(i), cells.value(i), makes: matches[m]) {
                        masks[k] |= 1 << UInt32(m)
                    }
                }
                i += t.columnCount
            }
        }
        return masks
    }

    func testSummariesOfEveryReportAndVariant() {
        let engine = Repo.linter.engine
        var compared = 0
        for report in EvaluationFastPath3Tests.reportsAndVariants() {
            guard let layout = engine.compiled.layout(for: report) else { continue }
            for table in layout.tables {
                let cells = TableCells(table, report: report)
                XCTAssertEqual(CellsKind.Summary(cells).found, Self.referenceSummary(cells), report.path)
                compared += 1
            }
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(compared, 50) }
    }

    // MARK: table rows in prose

    func testParagraphsWithoutTabOrBarHaveNoSeparators() {
        var texts = ["", "a", "\t", "|", " | ", "a | b | c", "a\t\tb", "x|y", "表\t三", "全角｜竖线", "a  |  b", "| a", "😀|"]
        for (_, report) in Self.namedReports {
            texts += report.preamble.map(\.text)
            for p in report.parts { texts += [p.heading] + p.paragraphs.map(\.text) }
        }
        var rng = SplitMix(seed: 5)
        let pieces = ["a", " ", "|", "\t", "表", "｜", "\u{3000}", "1"]
        for _ in 0..<3_000 { texts.append((0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % 8)] }.joined()) }
        var ruledOut = 0
        for t in texts {
            let (tabs, bars) = ProseCache.separators(t)
            if !ProseCache.mayHoldSeparators(t) {
                XCTAssertEqual(tabs, 0, t)
                XCTAssertEqual(bars, 0, t)
                ruledOut += 1
            } else {
                XCTAssertTrue(t.utf8.contains(9) || t.utf8.contains(0x7C), t)
            }
            // The table-row test as it was: no shortcut.
            let reference = t.utf8.first == UInt8(ascii: "|") || tabs >= 2 || (bars >= 2 && t.components(separatedBy: " | ").count >= 3)
            XCTAssertEqual(ProseCache.isTableRow(t), reference, t)
        }
        XCTAssertGreaterThan(ruledOut, 100)
    }

    // MARK: sum plans and rules read in place

    /// Checking reports one after another through one engine (plans made on first use and then shared) gives what
    /// a fresh engine gives each report.
    func testSharedPlansGiveWhatFreshEnginesGive() throws {
        let reports = Self.namedReports.prefix(40)
        let shared = Repo.linter.engine
        var checked = 0, found = 0
        for (path, report) in reports {
            let fresh = Engine(ruleSet: Repo.linter.ruleSet)
            let expected = fresh.check(report)
            XCTAssertEqual(shared.check(report), expected, path)
            XCTAssertEqual(shared.check(report), expected, path)
            checked += 1
            found += expected.count
        }
        if !reports.isEmpty {
            XCTAssertGreaterThan(checked, 20)
            XCTAssertGreaterThan(found, 20)
        }
    }

    /// A `$variable` spelling read with its variable bound gives the plan of the substituted spelling.
    func testBoundSpellingsPlanAsTheirSubstitution() throws {
        let engine = Repo.linter.engine
        let sums = engine.sums.filter { s in s.total.contains("$") || s.parts.contains { $0.contains("$") } }
        XCTAssertFalse(sums.isEmpty, "the national pack has a sum with a loop variable")
        var compared = 0
        for (_, report) in Self.namedReports.prefix(10) {
            guard let layout = engine.compiled.layout(for: report) else { continue }
            for sum in sums {
                guard case let .values(values, name)? = sum.forEach, let spec = layout.table(sum.table) else { continue }
                for v in values {
                    let ev = Evaluator(
                        report: report, layout: layout, templates: engine.ruleSet.templates, messages: engine.ruleSet.messages,
                        sums: engine.sums)
                    ev.bindings = [name: v]
                    guard let (_, lines) = try sum.lines(ev) else { continue }
                    let subst = { (k: String) in k.replacingOccurrences(of: "$" + name, with: v) }
                    let plan = layout.sumPlan(
                        SumPlanKey(table: spec.index, total: subst(sum.total), parts: sum.parts.map(subst), alongRows: sum.along == .rows))
                    XCTAssertEqual(ev.sumLines[plan.id].map { $0.count }, lines.count)
                    XCTAssertFalse(lines.isEmpty)
                    compared += 1
                }
            }
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(compared, 10) }
    }
}
