import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

/// The solver numbers its cells and keeps each constraint as a row of cell numbers; on generated tables (one to
/// three changed cells, blanks, fractions, coefficients of 2, cells on both sides, unknown cells, values near the
/// `Int64` range) it gives what the search over dictionaries gave (`ReferenceRepairSolver`), in both arithmetics.
final class RepairSolverRowTests: XCTestCase {
    func testRowsGiveTheAnswersOfTheDictionarySearch() {
        var rng = SplitMix(seed: 1202)
        var repaired = 0, ambiguous = 0, unevaluated = 0
        for n in 0..<1_500 {
            var c = RepairSolverFastPathTests.generate(&rng)
            if n % 5 == 0 {
                // A cell that is not in the table on both sides (it cancels out, so the constraint is evaluated),
                // and the same cell twice on one side.
                let ids = c.cells.keys.sorted()
                c.constraints.append(
                    LinearConstraint(name: "cancels", left: [(ids[0], 1), (50_000, 1)], right: [(50_000, 1), (ids[1], 1), (ids[2], 1)]))
                c.constraints.append(LinearConstraint(name: "twice", left: [(ids[3], 1), (ids[3], 1)], right: [(ids[1], 2)]))
            }
            let options =
                n % 9 == 0
                ? RepairOptions(integersOnly: false)
                : n % 7 == 0 ? RepairOptions(nonNegative: false) : n % 11 == 0 ? RepairOptions(maxChanges: 1) : RepairOptions()
            let reference = RepairSolverFastPathTests.describe(
                ReferenceRepairSolver.solve(cells: c.cells, constraints: c.constraints, options: options))
            XCTAssertEqual(
                RepairSolverFastPathTests.describe(
                    RepairSolver.solveInDecimal(cells: c.cells, constraints: c.constraints, options: options)),
                reference, "case \(n), Decimal")
            let solved = RepairSolver.solve(cells: c.cells, constraints: c.constraints, options: options, wholeNumbers: c.whole)
            XCTAssertEqual(RepairSolverFastPathTests.describe(solved), reference, "case \(n)")
            switch solved.outcome {
            case .unique: repaired += 1
            case .ambiguous: ambiguous += 1
            default: break
            }
            if !solved.unevaluated.isEmpty { unevaluated += 1 }
        }
        XCTAssertGreaterThan(repaired, 100)
        XCTAssertGreaterThan(ambiguous, 5)
        XCTAssertGreaterThan(unevaluated, 50)
    }
}
