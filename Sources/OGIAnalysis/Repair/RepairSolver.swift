import Foundation
import OGIModel

/// A cell's value as the repair solver sees it: a number, or blank (counts as 0 and may be filled in).
public enum RepairCellValue: Hashable, Sendable {
    case number(Decimal)
    case blank

    var numeric: Decimal {
        if case .number(let v) = self { return v }
        return 0
    }
}

/// One linear constraint of a table: Σ coefficient·cell on the left equals Σ coefficient·cell on the right,
/// within `tolerance` (0 for counts; amounts may declare one). `name` is the caller's handle (a rule id and scope).
public struct LinearConstraint<ID: Hashable & Comparable & Sendable>: Sendable {
    public var name: String
    public var left: [(cell: ID, coefficient: Decimal)]
    public var right: [(cell: ID, coefficient: Decimal)]
    public var tolerance: Decimal

    public init(name: String, left: [(cell: ID, coefficient: Decimal)], right: [(cell: ID, coefficient: Decimal)], tolerance: Decimal = 0) {
        self.name = name; self.left = left; self.right = right; self.tolerance = tolerance
    }

    /// `total = parts[0] + parts[1] + …`
    public static func sum(_ name: String, total: ID, parts: [ID], tolerance: Decimal = 0) -> LinearConstraint {
        LinearConstraint(name: name, left: [(total, 1)], right: parts.map { ($0, 1) }, tolerance: tolerance)
    }

    /// `left[0] + left[1] + … = right[0] + right[1] + …`
    public static func balance(_ name: String, left: [ID], right: [ID], tolerance: Decimal = 0) -> LinearConstraint {
        LinearConstraint(name: name, left: left.map { ($0, 1) }, right: right.map { ($0, 1) }, tolerance: tolerance)
    }

    /// The constraint as Σ a·x = 0 with each cell once (coefficients of a cell on both sides combined).
    var normalized: [ID: Decimal] {
        var a: [ID: Decimal] = [:]
        for (c, k) in left { a[c, default: 0] += k }
        for (c, k) in right { a[c, default: 0] -= k }
        return a.filter { $0.value != 0 }
    }
}

/// One cell change of a repair.
public struct CellChange<ID: Hashable & Comparable & Sendable>: Hashable, Sendable {
    public var cell: ID
    /// The value as filed (nil when blank).
    public var from: Decimal?
    public var to: Decimal
    /// The constraints failing as filed that this cell takes part in (indices into the input), e.g. its row total
    /// and its column total: what the message names ("按所在行与列的合计").
    public var fixes: [Int]
    public init(cell: ID, from: Decimal?, to: Decimal, fixes: [Int] = []) {
        self.cell = cell; self.from = from; self.to = to; self.fixes = fixes
    }
}

/// A set of cell changes after which every constraint holds.
public struct Repair<ID: Hashable & Comparable & Sendable>: Hashable, Sendable {
    /// Sorted by cell.
    public var changes: [CellChange<ID>]
}

/// What the solver found.
public enum RepairOutcome<ID: Hashable & Comparable & Sendable>: Sendable {
    /// Every evaluable constraint already holds.
    case consistent
    /// Exactly one smallest repair.
    case unique(Repair<ID>)
    /// Several repairs of the same smallest size fit; the finding should list them.
    case ambiguous([Repair<ID>])
    /// No repair of size ≤ `maxChanges`; the failing constraints are in `RepairResult.violated`.
    case noneWithinLimit
}

/// The solver's answer: the outcome, which constraints fail as filed (indices into the input), and which could not
/// be evaluated because they name a cell that is not in the table.
public struct RepairResult<ID: Hashable & Comparable & Sendable>: Sendable {
    public var outcome: RepairOutcome<ID>
    public var violated: [Int]
    public var unevaluated: [Int]
}

/// Options for `RepairSolver.solve`.
public struct RepairOptions: Sendable {
    /// Largest repair tried (1 and 2 are supported; larger values are treated as 2).
    public var maxChanges: Int
    /// Only integer values are proposed; nil: decide from the data (integers when every filed number is one).
    public var integersOnly: Bool?
    /// A cell filed with a value ≥ 0 (or blank) is never proposed a negative value.
    public var nonNegative: Bool
    /// Stop listing after this many repairs of the smallest size (the outcome is still `ambiguous`).
    public var maxListed: Int

    public init(maxChanges: Int = 2, integersOnly: Bool? = nil, nonNegative: Bool = true, maxListed: Int = 20) {
        self.maxChanges = maxChanges; self.integersOnly = integersOnly
        self.nonNegative = nonNegative; self.maxListed = maxListed
    }
}

/// Finds the smallest set of cell changes that makes every linear constraint of a table hold.
///
/// Size 1 first: a single cell must lie in every violated constraint and in no satisfied one it would break; its
/// new value is fixed by any violated constraint and checked against all. Then size 2: one cell of the pair lies in
/// the violated constraint with the fewest cells, the other in every violated constraint the first misses (or in a
/// constraint the first touches); the two new values solve the 2×2 system exactly (Cramer's rule in `Decimal`) and
/// are checked against every constraint either cell takes part in. Cost: O(cells in the smallest violated
/// constraint × candidates × constraints per cell), well under a millisecond for a 150-cell table.
public enum RepairSolver {
    public static func solve<ID>(
        cells: [ID: RepairCellValue], constraints: [LinearConstraint<ID>],
        options: RepairOptions = RepairOptions()
    ) -> RepairResult<ID> {
        // Normalise; leave out constraints that name unknown cells.
        var rows: [(index: Int, a: [ID: Decimal], tol: Decimal)] = []
        var unevaluated: [Int] = []
        for (k, c) in constraints.enumerated() {
            let a = c.normalized
            if a.keys.allSatisfy({ cells[$0] != nil }) {
                rows.append((k, a, abs(c.tolerance)))
            } else {
                unevaluated.append(k)
            }
        }
        func value(_ id: ID) -> Decimal { cells[id]?.numeric ?? 0 }
        let residuals: [Decimal] = rows.map { r in r.a.reduce(Decimal(0)) { $0 + $1.value * value($1.key) } }
        let violatedRows = rows.indices.filter { abs(residuals[$0]) > rows[$0].tol }
        let violated = violatedRows.map { rows[$0].index }
        if violatedRows.isEmpty {
            return RepairResult(outcome: .consistent, violated: [], unevaluated: unevaluated)
        }

        // Which rows each cell takes part in.
        var rowsOf: [ID: [Int]] = [:]
        for (ri, r) in rows.enumerated() { for id in r.a.keys { rowsOf[id, default: []].append(ri) } }
        let integers =
            options.integersOnly
            ?? cells.values.allSatisfy {
                if case .number(let v) = $0 { return ExactDecimal.isInteger(v) }
                return true
            }
        func admissible(_ id: ID, _ newValue: Decimal) -> Bool {
            if integers && !ExactDecimal.isInteger(newValue) { return false }
            if options.nonNegative && newValue < 0 && (cells[id]?.numeric ?? 0) >= 0 { return false }
            return true
        }
        func holds(_ ri: Int, _ change: [ID: Decimal]) -> Bool {
            var r = residuals[ri]
            for (id, d) in change { if let a = rows[ri].a[id] { r += a * d } }
            return abs(r) <= rows[ri].tol
        }
        func makeRepair(_ deltas: [(ID, Decimal)]) -> Repair<ID> {
            Repair(
                changes: deltas.sorted { $0.0 < $1.0 }.map { id, d in
                    let from: Decimal? = {
                        if case .number(let v) = cells[id]! { return v }; return nil
                    }()
                    let fixes = violatedRows.filter { rows[$0].a[id] != nil }.map { rows[$0].index }
                    return CellChange(cell: id, from: from, to: (from ?? 0) + d, fixes: fixes)
                })
        }

        // Size 1.
        var single: [Repair<ID>] = []
        var cellsInViolated = Set(rows[violatedRows[0]].a.keys)
        for ri in violatedRows.dropFirst() { cellsInViolated.formIntersection(rows[ri].a.keys) }
        for id in cellsInViolated.sorted() {
            let r0 = violatedRows[0]
            let delta = -residuals[r0] / rows[r0].a[id]!
            guard delta != 0, admissible(id, value(id) + delta) else { continue }
            if rowsOf[id, default: []].allSatisfy({ holds($0, [id: delta]) }) {
                single.append(makeRepair([(id, delta)]))
            }
        }
        if let outcome = outcome(single, options) { return RepairResult(outcome: outcome, violated: violated, unevaluated: unevaluated) }
        guard options.maxChanges >= 2 else {
            return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
        }

        // Size 2.
        let pivot = violatedRows.min { rows[$0].a.count < rows[$1].a.count }!
        var seen = Set<[ID]>()
        var pairs: [Repair<ID>] = []
        for i in rows[pivot].a.keys.sorted() {
            let missed = violatedRows.filter { rows[$0].a[i] == nil }
            var partners: Set<ID>
            if let first = missed.first {
                partners = Set(rows[first].a.keys)
                for ri in missed.dropFirst() { partners.formIntersection(rows[ri].a.keys) }
            } else {
                partners = []
                for ri in rowsOf[i, default: []] { partners.formUnion(rows[ri].a.keys) }
            }
            partners.remove(i)
            for j in partners.sorted() {
                let key = i < j ? [i, j] : [j, i]
                guard seen.insert(key).inserted else { continue }
                guard let (di, dj) = solvePair(i, j, rowsOf: rowsOf, rows: rows, residuals: residuals),
                    di != 0, dj != 0,
                    admissible(i, value(i) + di), admissible(j, value(j) + dj)
                else { continue }
                let change = [i: di, j: dj]
                let touched = Set(rowsOf[i, default: []] + rowsOf[j, default: []])
                guard touched.allSatisfy({ holds($0, change) }), violatedRows.allSatisfy({ touched.contains($0) }) else { continue }
                pairs.append(makeRepair([(i, di), (j, dj)]))
            }
        }
        pairs.sort { $0.changes.map(\.cell).lexicographicallyPrecedes($1.changes.map(\.cell)) }
        if let outcome = outcome(pairs, options) { return RepairResult(outcome: outcome, violated: violated, unevaluated: unevaluated) }
        return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
    }

    private static func outcome<ID>(_ repairs: [Repair<ID>], _ options: RepairOptions) -> RepairOutcome<ID>? {
        switch repairs.count {
        case 0: return nil
        case 1: return .unique(repairs[0])
        default: return .ambiguous(Array(repairs.prefix(max(2, options.maxListed))))
        }
    }

    /// Solves a_i·δi + a_j·δj = −r over every row either cell is in; nil when the rows give no unique solution.
    private static func solvePair<ID>(
        _ i: ID, _ j: ID, rowsOf: [ID: [Int]], rows: [(index: Int, a: [ID: Decimal], tol: Decimal)],
        residuals: [Decimal]
    ) -> (Decimal, Decimal)? {
        let touched = Array(Set(rowsOf[i, default: []] + rowsOf[j, default: []])).sorted()
        let eqs = touched.map { (rows[$0].a[i] ?? 0, rows[$0].a[j] ?? 0, -residuals[$0]) }
        for x in 0..<eqs.count {
            for y in (x + 1)..<max(x + 1, eqs.count) {
                let (a1, b1, c1) = eqs[x], (a2, b2, c2) = eqs[y]
                let det = a1 * b2 - a2 * b1
                if det == 0 { continue }
                return ((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det)
            }
        }
        return nil
    }
}
