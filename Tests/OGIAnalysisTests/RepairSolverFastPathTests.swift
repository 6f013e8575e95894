import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

/// The solver's `Int64` search gives the answers of its `Decimal` search, on generated tables: consistent ones, one,
/// two or three changed cells, blanks, negative values, coefficients other than 1, tolerances, values near and past
/// the `Int64` range and fractions (where it must hand over to `Decimal`).
final class RepairSolverFastPathTests: XCTestCase {
    /// A generated table: cells by id, their whole numbers (nil when some value is not one), and its constraints.
    struct Case {
        var cells: [Int: RepairCellValue]
        var whole: [Int: Int64]?
        var constraints: [LinearConstraint<Int>]
    }

    /// A grid of `rows × cols` parts with a total column and a total row, filled to add up, then disturbed.
    static func generate(_ rng: inout SplitMix) -> Case {
        let rows = 2 + Int(rng.next() % 5), cols = 2 + Int(rng.next() % 5)
        let width = cols + 1
        func id(_ r: Int, _ c: Int) -> Int { r * width + c }
        // Magnitudes: small counts mostly, sometimes near the 10^15 bound or near Int64's limit.
        let scale: Int64 = {
            switch rng.next() % 10 {
            case 0: return 400_000_000_000_000
            case 1: return 3_000_000_000_000_000_000
            default: return 1_000
            }
        }()
        var grid = [[Int64]](repeating: [Int64](repeating: 0, count: width), count: rows + 1)
        for r in 0..<rows {
            for c in 0..<cols { grid[r][c] = Int64(rng.next() % UInt64(scale)) - (rng.next() % 8 == 0 ? scale / 2 : 0) }
        }
        for r in 0..<rows { grid[r][cols] = grid[r][0..<cols].reduce(0, &+) }
        for c in 0...cols { grid[rows][c] = (0..<rows).map { grid[$0][c] }.reduce(0, &+) }
        // Disturb 0 to 3 cells.
        for _ in 0..<Int(rng.next() % 4) {
            let r = Int(rng.next() % UInt64(rows + 1)), c = Int(rng.next() % UInt64(width))
            grid[r][c] = grid[r][c] &+ Int64(rng.next() % 20) - 7
        }
        var cells: [Int: RepairCellValue] = [:]
        var whole: [Int: Int64]? = [:]
        for r in 0...rows {
            for c in 0...cols {
                let v = grid[r][c]
                if rng.next() % 30 == 0 {
                    cells[id(r, c)] = .blank; whole?[id(r, c)] = 0
                } else if rng.next() % 40 == 0 {
                    // A fraction: the whole-number search cannot be asked.
                    cells[id(r, c)] = .number(Decimal(v) + Decimal(string: "0.5")!); whole = nil
                } else {
                    cells[id(r, c)] = .number(Decimal(v)); whole?[id(r, c)] = v
                }
            }
        }
        let tolerance: Decimal = rng.next() % 12 == 0 ? 2 : 0
        var constraints: [LinearConstraint<Int>] = []
        for r in 0...rows {
            constraints.append(.sum("row \(r)", total: id(r, cols), parts: (0..<cols).map { id(r, $0) }, tolerance: tolerance))
        }
        for c in 0...cols {
            constraints.append(.sum("col \(c)", total: id(rows, c), parts: (0..<rows).map { id($0, c) }, tolerance: tolerance))
        }
        if rng.next() % 6 == 0 {
            // An equation with a coefficient of 2 (a doubled cell) or a cell on both sides, and one naming an unknown cell.
            let a = id(0, 0), b = id(0, 1)
            constraints.append(LinearConstraint(name: "double", left: [(a, 2), (b, 1)], right: [(a, 1), (b, 1), (id(1, 0), 1)]))
            constraints.append(.sum("unknown", total: a, parts: [10_000]))
        }
        return Case(cells: cells, whole: whole, constraints: constraints)
    }

    /// Everything a caller reads of a result, with values as messages show them.
    static func describe<ID>(_ r: RepairResult<ID>, name: (ID) -> String = { "\($0)" }) -> String {
        func repair(_ rp: Repair<ID>) -> String {
            rp.changes.map { c in
                "\(name(c.cell)):\(c.from.map(ExactDecimal.format) ?? "-")→\(ExactDecimal.format(c.to))\(c.fixes)"
            }.joined(separator: ",")
        }
        let outcome: String
        switch r.outcome {
        case .consistent: outcome = "consistent"
        case .noneWithinLimit: outcome = "none"
        case .unique(let rp): outcome = "unique " + repair(rp)
        case .ambiguous(let rps): outcome = "ambiguous " + rps.map(repair).joined(separator: " | ")
        }
        return "\(outcome) violated \(r.violated) unevaluated \(r.unevaluated)"
    }

    func testWholeNumberSearchAgreesWithDecimalOnGeneratedTables() {
        var rng = SplitMix(seed: 2026)
        var fast = 0, repaired = 0
        for n in 0..<1_500 {
            let c = Self.generate(&rng)
            let options = n % 9 == 0 ? RepairOptions(integersOnly: false) : n % 7 == 0 ? RepairOptions(nonNegative: false) : RepairOptions()
            let reference = Self.describe(RepairSolver.solveInDecimal(cells: c.cells, constraints: c.constraints, options: options))
            let solved = Self.describe(
                RepairSolver.solve(cells: c.cells, constraints: c.constraints, options: options, wholeNumbers: c.whole))
            XCTAssertEqual(solved, reference, "case \(n)")
            if let w = c.whole,
                let r = RepairSolver.solveInWholeNumbers(cells: c.cells, wholeNumbers: w, constraints: c.constraints, options: options)
            {
                fast += 1
                XCTAssertEqual(Self.describe(r), reference, "case \(n), whole numbers")
                if case .unique = r.outcome { repaired += 1 }
            }
        }
        // The fast path is taken for most tables and finds repairs, and falls back for the others.
        XCTAssertGreaterThan(fast, 500)
        XCTAssertLessThan(fast, 1_450)
        XCTAssertGreaterThan(repaired, 100)
    }

    func testWholeNumbersThatDisagreeWithTheValuesAreNotUsed() {
        let cells: [Int: RepairCellValue] = [0: .number(5), 1: .number(2), 2: .number(2)]
        let sum = [LinearConstraint<Int>.sum("s", total: 0, parts: [1, 2])]
        XCTAssertNil(RepairSolver.solveInWholeNumbers(cells: cells, wholeNumbers: [0: 4, 1: 2, 2: 2], constraints: sum))
        XCTAssertNil(RepairSolver.solveInWholeNumbers(cells: cells, wholeNumbers: [0: 5, 1: 2], constraints: sum))
        XCTAssertEqual(
            Self.describe(RepairSolver.solve(cells: cells, constraints: sum, wholeNumbers: [0: 4, 1: 2, 2: 2])),
            Self.describe(RepairSolver.solveInDecimal(cells: cells, constraints: sum)))
    }

    func testValuesPastTheBoundFallBackToDecimal() {
        let big: Int64 = 2_000_000_000_000_000
        let cells: [Int: RepairCellValue] = [0: .number(Decimal(big)), 1: .number(Decimal(big - 1)), 2: .number(0)]
        let sum = [LinearConstraint<Int>.sum("s", total: 0, parts: [1, 2])]
        XCTAssertNil(RepairSolver.solveInWholeNumbers(cells: cells, wholeNumbers: [0: big, 1: big - 1, 2: 0], constraints: sum))
        let r = RepairSolver.solve(cells: cells, constraints: sum, wholeNumbers: [0: big, 1: big - 1, 2: 0])
        XCTAssertEqual(Self.describe(r), Self.describe(RepairSolver.solveInDecimal(cells: cells, constraints: sum)))
    }

    /// Cells named by integer ranks of their keys give the repairs the keys themselves give (what the repair rule
    /// relies on when it passes `CompiledTable.keyRanks`).
    func testKeyRanksGiveTheRepairsOfTheKeys() {
        var rng = SplitMix(seed: 7)
        for n in 0..<300 {
            let c = Self.generate(&rng)
            // Keys whose string order differs from their numeric order, some of them sharing a prefix.
            let key: (Int) -> String = { "t.r\($0 % 7)-\($0 / 7).c\($0 % 3)" }
            let sortedKeys = Set(c.cells.keys.map(key)).sorted()
            let rank = Dictionary(uniqueKeysWithValues: sortedKeys.enumerated().map { ($1, $0) })
            var byKey: [String: RepairCellValue] = [:]
            var byRank: [Int: RepairCellValue] = [:]
            for (id, v) in c.cells { byKey[key(id)] = v; byRank[rank[key(id)]!] = v }
            let keyed = c.constraints.map { k in
                LinearConstraint(
                    name: k.name, left: k.left.map { (key($0.cell), $0.coefficient) }, right: k.right.map { (key($0.cell), $0.coefficient) }
                )
            }
            let ranked = c.constraints.map { k in
                LinearConstraint(
                    name: k.name, left: k.left.map { (rank[key($0.cell)] ?? -1 - $0.cell, $0.coefficient) },
                    right: k.right.map { (rank[key($0.cell)] ?? -1 - $0.cell, $0.coefficient) })
            }
            let a = Self.describe(RepairSolver.solveInDecimal(cells: byKey, constraints: keyed))
            let b = Self.describe(RepairSolver.solveInDecimal(cells: byRank, constraints: ranked), name: { sortedKeys[$0] })
            XCTAssertEqual(a, b, "case \(n)")
        }
    }
}
