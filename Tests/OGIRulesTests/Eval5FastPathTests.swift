import Foundation
import OGITestSupport
import XCTest

@testable import OGIAnalysis
@testable import OGIModel
@testable import OGIRules

/// The fifth pass's evaluation shortcuts give the answers of the code they replace: a table's repair constraints are
/// tested for a failure without being built (`RepairKind.anyViolated`, planned once per layout or read through the
/// rules), a sum's lines are read without touching their cells, a row's missing cells are found in place, and `\d`
/// and `\s` pass over CJK ideographs without reading their properties.
final class Eval5FastPathTests: XCTestCase, BundledEvaluatorTesting {
    static var namedReports: [(path: String, report: Report)] { EvaluationFastPath2Tests.namedReports }

    /// Every report and `EvaluationFastPath3Tests`' variants (rows and cells moved, dropped, repeated), and variants
    /// whose number cells are made blank, placeholders, fractions, negatives, text, numbers past 15 digits or near
    /// the `Int64` limit, or nudged by one: tables that add up, that fail by one cell, by several, or that can only
    /// be summed in `Decimal`.
    static func reportsAndCellVariants() -> [Report] {
        var out = EvaluationFastPath3Tests.reportsAndVariants()
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let raws = ["", "/", "1.5", "-3", "文字", "1234567890123456", "999999999999999", "-999999999999999", "0", "0.25", "12"]
        var rng = SplitMix(seed: 55)
        for (_, report) in namedReports {
            for _ in 0..<4 {
                var r = report
                for ti in r.tables.indices {
                    for ri in r.tables[ti].rows.indices {
                        for ci in r.tables[ti].rows[ri].cells.indices where rng.next() % 9 == 0 {
                            let c = r.tables[ti].rows[ri].cells[ci]
                            let raw: String
                            if rng.next() % 2 == 0, let v = c.value {
                                raw = ExactDecimal.format(v + (rng.next() % 2 == 0 ? 1 : -1))
                            } else {
                                raw = raws[Int(rng.next() % UInt64(raws.count))]
                            }
                            r.tables[ti].rows[ri].cells[ci] = Cell(column: c.column, raw: raw, location: c.location, syntax: syntax)
                        }
                    }
                }
                out.append(r)
            }
        }
        return out
    }

    // MARK: repair constraints

    /// `anyViolated` says what the built constraints say, table by table, whether or not they were built before, and
    /// leaves the bindings and touched cells as they were; `inconsistentTables` is the same set either way.
    func testAnyViolatedIsWhatTheBuiltConstraintsSay() {
        let rules = Repo.linter.ruleSet.rules
        let plans = Repo.linter.engine.constraintPlans
        var compared = 0, failing = 0
        for report in Self.reportsAndCellVariants() {
            // Planned (the engine's shared plans, as a check uses them) and read through the rules (no plans).
            let screened = evaluator(report), scanned = evaluator(report), built = evaluator(report), afterBuilding = evaluator(report)
            screened.constraintPlans = plans
            guard let layout = screened.compiled else { continue }
            // Entered without bindings (as the engine enters it) or with one left by a rule.
            let entry: [String: String] = compared % 2 == 0 ? [:] : ["col": "x"]
            built.bindings = entry
            afterBuilding.bindings = entry
            for table in layout.tables {
                let reference = !RepairKind.constraints(table, rules, built).violated.isEmpty
                for ev in [screened, scanned] {
                    ev.bindings = entry
                    ev.touched = []
                    let fails = RepairKind.anyViolated(table, rules, ev)
                    XCTAssertEqual(ev.bindings, entry)
                    XCTAssertTrue(ev.touched.isEmpty)
                    XCTAssertEqual(fails, reference, "\(report.path) \(table.key) \(ev === screened ? "planned" : "scanned")")
                }
                _ = RepairKind.constraints(table, rules, afterBuilding)
                XCTAssertEqual(RepairKind.anyViolated(table, rules, afterBuilding), reference)
                compared += 1
                if reference { failing += 1 }
            }
            let reference = evaluator(report)
            reference.repairScreen = false
            XCTAssertEqual(evaluator(report).inconsistentTables, reference.inconsistentTables, report.path)
        }
        if !Self.namedReports.isEmpty {
            XCTAssertGreaterThan(compared, 500)
            XCTAssertGreaterThan(failing, 100)
            XCTAssertGreaterThan(compared - failing, 100)
        }
    }

    /// The same with the equations read by `RepairKind.linear` instead of the plans (`equationPlans` off).
    func testAnyViolatedWithoutEquationPlans() {
        let rules = Repo.linter.ruleSet.rules
        var compared = 0
        for report in Self.reportsAndCellVariants().prefix(150) {
            let screened = evaluator(report), built = evaluator(report)
            screened.equationPlans = false
            built.equationPlans = false
            guard let layout = screened.compiled else { continue }
            for table in layout.tables {
                XCTAssertEqual(
                    RepairKind.anyViolated(table, rules, screened), !RepairKind.constraints(table, rules, built).violated.isEmpty,
                    "\(report.path) \(table.key)")
                compared += 1
            }
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(compared, 100) }
    }

    /// The repair rule's findings and folds, and every finding of a check, with and without the screen.
    func testRepairFindingsWithAndWithoutTheScreen() {
        let engine = Repo.linter.engine
        let rules = engine.ruleSet.rules
        guard let repairIndex = rules.firstIndex(where: { $0.kind is RepairKind }) else { return XCTFail("no repair rule") }
        var found = 0
        for report in Self.reportsAndCellVariants() {
            let screened = evaluator(report), reference = evaluator(report)
            screened.constraintPlans = engine.constraintPlans
            reference.repairScreen = false
            let a = engine.check(rules, repairIndex, screened), b = engine.check(rules, repairIndex, reference)
            XCTAssertEqual(a, b, report.path)
            XCTAssertEqual(screened.folds.map(\.keys), reference.folds.map(\.keys))
            XCTAssertEqual(screened.folds.map(\.note), reference.folds.map(\.note))
            found += a.count
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(found, 10) }
    }

    // MARK: digits and white space in CJK text

    /// `\d` and `\s` answer for CJK ideographs without reading properties what the properties say: no ideograph is
    /// a decimal digit or white space (the classes against ICU over every scalar: `ScalarRegexDifferentialTests`).
    func testIdeographsAreNeitherDigitsNorSpace() {
        var checked = 0
        // With CJK punctuation (U+3000...) and the full-width forms (U+FF01...U+FF5E), also answered without properties.
        for v in Array(UInt32(0x3000)...0xA000) + Array(UInt32(0xFF00)...0xFF60) {
            let p = BuiltinClass.knownProperties(v)
            XCTAssertEqual(BuiltinClass.digit.contains(v), p.map { $0.generalCategory == .decimalNumber } ?? false, String(v, radix: 16))
            XCTAssertEqual(BuiltinClass.space.contains(v), p.map { $0.isWhitespace } ?? false, String(v, radix: 16))
            if BuiltinClass.isIdeograph(v) { checked += 1 }
        }
        XCTAssertEqual(checked, 0x4DC0 - 0x3400 + 0xA000 - 0x4E00)
    }

    // MARK: rows with missing cells, sum lines

    /// `CompleteKind.hasMissingCell` is the filter it stands before, on every row of every report and variant.
    func testMissingCellsFoundInPlace() {
        var rows = 0, missing = 0
        for report in EvaluationFastPath3Tests.reportsAndVariants() {
            for table in report.tables {
                for var row in table.rows {
                    let reference = !row.cells.filter { $0.state == .missing }.isEmpty
                    XCTAssertEqual(CompleteKind.hasMissingCell(row.cells), reference)
                    rows += 1
                    if reference { missing += 1 }
                    // The same row with one of its cells made missing.
                    if !row.cells.isEmpty {
                        row.cells[rows % row.cells.count].state = .missing
                        XCTAssertTrue(CompleteKind.hasMissingCell(row.cells))
                    }
                }
            }
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(rows, 1_000) }
    }

    /// A sum's lines read without adding their cells to `touched` are the lines read through `Evaluator.cell`, and
    /// what each sum rule finds is unchanged by the cells an earlier read touched.
    func testSumLinesAreTheCellsEvaluatorReads() throws {
        let sums = Repo.linter.engine.sums
        var lines = 0
        for report in Self.reportsAndCellVariants().prefix(400) {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for sum in sums {
                for binding in Self.bindings(sum.forEach, layout) {
                    ev.bindings = binding
                    ev.touched = []
                    guard let (spec, read) = try? sum.lines(ev) else { continue }
                    XCTAssertTrue(ev.touched.isEmpty)
                    let cells = ev.cells(spec.index)
                    for (n, result) in read.enumerated() {
                        let alongRows = sum.along == .rows
                        // The reference: the same cells read through `Evaluator.cell`, which throws the same reasons.
                        func ref(_ i: Int) throws -> TouchedCell {
                            alongRows ? try ev.cell(cells, row: i, column: n) : try ev.cell(cells, row: n, column: i)
                        }
                        switch result {
                        case .success(let line):
                            let own = { (c: TouchedCell) in alongRows ? c.row : c.column }
                            XCTAssertEqual(try ref(own(line.total)).key, line.total.key)
                            XCTAssertEqual(try line.parts.map { try ref(own($0)).key }, line.parts.map(\.key))
                            lines += 1
                        case .failure(let e as NotEvaluated):
                            XCTAssertFalse(e.reasons.isEmpty)
                        case .failure: XCTFail("not a NotEvaluated")
                        }
                    }
                }
            }
        }
        if !Self.namedReports.isEmpty { XCTAssertGreaterThan(lines, 1_000) }
    }

    /// The bindings a rule's `for_each` gives (one empty binding without one).
    static func bindings(_ it: Iteration?, _ layout: CompiledLayout) -> [[String: String]] {
        guard let it else { return [[:]] }
        switch it {
        case let .values(values, name): return values.map { [name: $0] }
        case let .columns(table, except), let .rows(table, except):
            guard let spec = layout.table(table) else { return [] }
            if case .columns = it { return spec.columnKeys.filter { !except.contains($0) }.map { ["col": $0] } }
            return spec.rowKeys.filter { !except.contains($0) }.map { ["row": $0] }
        }
    }
}
