import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

/// The repair solver on hand-made constraints and on table 3 of the clean 2021 sample.
final class RepairSolverTests: XCTestCase {
    typealias C = LinearConstraint<String>

    /// Table 3 of samples/clean-2021-government.txt as solver input, with the constraints of the national pack:
    /// each row's 总计 = the six applicant columns; each column's （七）总计 = the result rows; 新收 + 上年结转 =
    /// （七）总计 + 结转下年度.
    static func table3(change: [String: Decimal] = [:]) throws -> ([String: RepairCellValue], [C]) {
        let report = try Repo.linter.read(path: Repo.path("samples/clean-2021-government.txt"))
        let table = try XCTUnwrap(report.table("applications"))
        var cells: [String: RepairCellValue] = [:]
        for row in table.rows {
            for cell in row.cells {
                let id = "\(row.key)·\(cell.column)"
                if let v = change[id] { cells[id] = .number(v); continue }
                cells[id] = cell.state == .blank ? .blank : (cell.value.map { .number($0) } ?? .blank)
            }
        }
        let columns = ["natural", "commercial", "research", "public_good", "legal", "other_org", "total"]
        let resultRows = table.rows.map(\.key).filter {
            ["granted", "partly"].contains($0) || $0.hasPrefix("withheld.") || $0.hasPrefix("unavailable.")
                || $0.hasPrefix("rejected.") || $0.hasPrefix("other")
        }
        var constraints: [C] = []
        for row in table.rows {
            constraints.append(
                .sum("row-total \(row.key)", total: "\(row.key)·total", parts: columns.dropLast().map { "\(row.key)·\($0)" }))
        }
        for col in columns {
            constraints.append(.sum("results-total \(col)", total: "results_total·\(col)", parts: resultRows.map { "\($0)·\(col)" }))
            constraints.append(
                .balance(
                    "balance \(col)", left: ["new·\(col)", "carried_in·\(col)"], right: ["results_total·\(col)", "carried_out·\(col)"]))
        }
        return (cells, constraints)
    }

    func testCleanTableIsConsistent() throws {
        let (cells, constraints) = try Self.table3()
        XCTAssertGreaterThan(cells.count, 150)
        XCTAssertGreaterThan(constraints.count, 30)
        let r = RepairSolver.solve(cells: cells, constraints: constraints)
        guard case .consistent = r.outcome else { return XCTFail("expected consistent, got \(r.outcome)") }
        XCTAssertEqual(r.violated, [])
    }

    func testOneChangedCellIsPointedOutWhereTheFailingRowAndColumnCross() throws {
        let (cells, constraints) = try Self.table3(change: ["granted·commercial": 13])
        let r = RepairSolver.solve(cells: cells, constraints: constraints)
        // Both the row total of 予以公开 and the column total of 商业企业 fail…
        let failing = Set(r.violated.map { constraints[$0].name })
        XCTAssertTrue(failing.contains("row-total granted"))
        XCTAssertTrue(failing.contains("results-total commercial"))
        // …and the only single-cell repair is that cell back to 12.
        guard case .unique(let repair) = r.outcome else { return XCTFail("expected a unique repair, got \(r.outcome)") }
        XCTAssertEqual(repair.changes.map(\.cell), ["granted·commercial"])
        XCTAssertEqual(repair.changes.map(\.from), [13])
        XCTAssertEqual(repair.changes.map(\.to), [12])
        // The change names the row and the column that fail.
        XCTAssertEqual(Set(repair.changes[0].fixes.map { constraints[$0].name }), ["row-total granted", "results-total commercial"])
    }

    func testATotalOffOnItsOwnIsRepairedAtTheTotal() throws {
        let (cells, constraints) = try Self.table3(change: ["granted·total": 1190])
        let r = RepairSolver.solve(cells: cells, constraints: constraints)
        guard case .unique(let repair) = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(repair.changes.map(\.cell), ["granted·total"])
        XCTAssertEqual(repair.changes.first?.to, 1191)
    }

    func testTwoIndependentSlipsNeedTwoChanges() throws {
        let (cells, constraints) = try Self.table3(change: ["granted·commercial": 13, "withheld.third_party·natural": 40])
        let r = RepairSolver.solve(cells: cells, constraints: constraints)
        guard case .unique(let repair) = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(repair.changes.map(\.cell), ["granted·commercial", "withheld.third_party·natural"])
        XCTAssertEqual(repair.changes.map(\.to), [12, cellsValue(try Self.table3().0, "withheld.third_party·natural")])
    }

    private func cellsValue(_ cells: [String: RepairCellValue], _ id: String) -> Decimal {
        if case .number(let v) = cells[id]! { return v }
        return 0
    }

    func testThreeSlipsInTable3AreBeyondTwoChangesAndSaidQuickly() throws {
        let (cells, constraints) = try Self.table3(change: [
            "granted·commercial": 13, "withheld.third_party·natural": 40, "carried_out·legal": 5,
        ])
        let r = RepairSolver.solve(cells: cells, constraints: constraints)
        guard case .noneWithinLimit = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(
            Set(r.violated.map { constraints[$0].name }),
            [
                "row-total granted", "results-total commercial", "row-total withheld.third_party", "results-total natural",
                "row-total carried_out", "balance legal",
            ])
    }

    func testSwappedValuesInOneRowAreAmbiguous() {
        // total = a + b and a + b = c: changing a or b by the same amount both fit.
        let cells: [String: RepairCellValue] = ["t": .number(10), "a": .number(4), "b": .number(5)]
        let r = RepairSolver.solve(cells: cells, constraints: [C.sum("s", total: "t", parts: ["a", "b"])])
        guard case .ambiguous(let repairs) = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(repairs.map { $0.changes.map(\.cell) }, [["a"], ["b"], ["t"]])
        XCTAssertEqual(repairs.map { $0.changes[0].to }, [5, 6, 9])
    }

    func testNoRepairOfSizeTwoNamesTheFailingSums() {
        // Three disjoint sums each off: no one or two cells can fix all three.
        let cells: [String: RepairCellValue] = [
            "t1": .number(3), "a1": .number(1), "b1": .number(1),
            "t2": .number(3), "a2": .number(1), "b2": .number(1),
            "t3": .number(3), "a3": .number(1), "b3": .number(1),
        ]
        let cs = (1...3).map { C.sum("s\($0)", total: "t\($0)", parts: ["a\($0)", "b\($0)"]) }
        let r = RepairSolver.solve(cells: cells, constraints: cs)
        guard case .noneWithinLimit = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(r.violated, [0, 1, 2])
    }

    func testIntegerTablesGetOnlyIntegerRepairsAndCountsStayNonNegative() {
        // 2·x = t has the exact solution x = 3.5 for t = 7: refused for an integer table, so only t is changed.
        let cells: [String: RepairCellValue] = ["t": .number(7), "x": .number(3)]
        let c = C(name: "double", left: [("t", 1)], right: [("x", 2)])
        let r = RepairSolver.solve(cells: cells, constraints: [c])
        guard case .unique(let repair) = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(repair.changes, [CellChange(cell: "t", from: 7, to: 6, fixes: [0])])
        // Amounts: the half is allowed when the table has decimals.
        let amounts: [String: RepairCellValue] = ["t": .number(Decimal(string: "7.5")!), "x": .number(3)]
        let r2 = RepairSolver.solve(cells: amounts, constraints: [c])
        guard case .ambiguous(let both) = r2.outcome else { return XCTFail("got \(r2.outcome)") }
        XCTAssertEqual(both.map { $0.changes[0].to }, [6, Decimal(string: "3.75")!])
        // A count is never proposed below zero: t = a + b with a = 0, b = 0, t = 5 cannot be fixed by a = −… .
        let counts: [String: RepairCellValue] = ["t": .number(0), "a": .number(2), "b": .number(0)]
        let r3 = RepairSolver.solve(cells: counts, constraints: [C.sum("s", total: "t", parts: ["a", "b"])])
        guard case .ambiguous(let fixes) = r3.outcome else { return XCTFail("got \(r3.outcome)") }
        XCTAssertEqual(fixes.map { $0.changes.map(\.cell) }, [["a"], ["t"]])
    }

    func testBlankCellsCountAsZeroAndMayBeFilledIn() {
        let cells: [String: RepairCellValue] = ["t": .number(5), "a": .number(5), "b": .blank, "u": .number(3), "c": .number(3)]
        let cs = [C.sum("s", total: "t", parts: ["a", "b"]), C.balance("bal", left: ["t"], right: ["u", "b"])]
        let r = RepairSolver.solve(cells: cells, constraints: cs)
        // t = a + b holds (b blank = 0); t = u + b fails by 2. Fixing b to 2 breaks the first; fixing u works.
        guard case .unique(let repair) = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(repair.changes, [CellChange(cell: "u", from: 3, to: 5, fixes: [1])])
    }

    func testConstraintsOnUnknownCellsAreNotEvaluated() {
        let cells: [String: RepairCellValue] = ["t": .number(2), "a": .number(1), "b": .number(1)]
        let cs = [C.sum("s", total: "t", parts: ["a", "b"]), C.sum("missing", total: "t", parts: ["zz"])]
        let r = RepairSolver.solve(cells: cells, constraints: cs)
        guard case .consistent = r.outcome else { return XCTFail("got \(r.outcome)") }
        XCTAssertEqual(r.unevaluated, [1])
    }

    func testAmountsWithinToleranceHold() {
        let cells: [String: RepairCellValue] = ["t": .number(Decimal(string: "10.01")!), "a": .number(4), "b": .number(6)]
        let r = RepairSolver.solve(
            cells: cells, constraints: [C.sum("s", total: "t", parts: ["a", "b"], tolerance: Decimal(string: "0.01")!)])
        guard case .consistent = r.outcome else { return XCTFail("got \(r.outcome)") }
    }
}
