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

/// The coefficient 1 of sums and balances, made once (a `Decimal` literal is converted on every use).
@usableFromInline let unitCoefficient: Decimal = 1

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

    /// `total = parts[0] + parts[1] + …`. Inlinable, so a caller in another module gets it specialized for its
    /// cell type (the generic `map` cost several thousand instructions per call).
    @inlinable
    public static func sum(_ name: String, total: ID, parts: [ID], tolerance: Decimal = 0) -> LinearConstraint {
        LinearConstraint(name: name, left: [(total, unitCoefficient)], right: parts.map { ($0, unitCoefficient) }, tolerance: tolerance)
    }

    /// `left[0] + left[1] + … = right[0] + right[1] + …` (inlinable, as `sum`).
    @inlinable
    public static func balance(_ name: String, left: [ID], right: [ID], tolerance: Decimal = 0) -> LinearConstraint {
        LinearConstraint(
            name: name, left: left.map { ($0, unitCoefficient) }, right: right.map { ($0, unitCoefficient) }, tolerance: tolerance)
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
/// constraint the first touches); the two new values solve the 2×2 system exactly (Cramer's rule) and
/// are checked against every constraint either cell takes part in. Cost: O(cells in the smallest violated
/// constraint × candidates × constraints per cell), well under a millisecond for a 150-cell table.
///
/// The search runs in `Int64` when the caller knows every cell as a whole number (`wholeNumbers`) and every
/// coefficient and tolerance is one: the same steps as in `Decimal`, each exact while its result stays within
/// ±10^15 (`WholeNumber`); past that, the whole search is run again in `Decimal`.
public enum RepairSolver {
    public static func solve<ID>(
        cells: [ID: RepairCellValue], constraints: [LinearConstraint<ID>],
        options: RepairOptions = RepairOptions(), wholeNumbers: [ID: Int64]? = nil
    ) -> RepairResult<ID> {
        run(cells: cells, constraints: constraints, options: options, wholeNumbers: wholeNumbers)
    }

    /// `solve` for cells named by integers (the repair rule names them by key rank): compiled for `Int` here, so
    /// its dictionaries and sets of cells are not reached through generic code at run time.
    public static func solve(
        cells: [Int: RepairCellValue], constraints: [LinearConstraint<Int>],
        options: RepairOptions = RepairOptions(), wholeNumbers: [Int: Int64]? = nil
    ) -> RepairResult<Int> {
        run(cells: cells, constraints: constraints, options: options, wholeNumbers: wholeNumbers)
    }

    private static func run<ID>(
        cells: [ID: RepairCellValue], constraints: [LinearConstraint<ID>], options: RepairOptions, wholeNumbers: [ID: Int64]?
    ) -> RepairResult<ID> {
        if let wholeNumbers,
            let r = solveInWholeNumbers(cells: cells, wholeNumbers: wholeNumbers, constraints: constraints, options: options)
        {
            return r
        }
        return solveInDecimal(cells: cells, constraints: constraints, options: options)
    }

    /// The search in `Decimal` arithmetic: what `solve` answers whenever the whole-number search cannot.
    public static func solveInDecimal<ID>(
        cells: [ID: RepairCellValue], constraints: [LinearConstraint<ID>], options: RepairOptions = RepairOptions()
    ) -> RepairResult<ID> {
        let values = cells.mapValues(\.numeric)
        let integers =
            options.integersOnly
            ?? cells.values.allSatisfy {
                if case .number(let v) = $0 { return ExactDecimal.isInteger(v) }
                return true
            }
        return search(cells: cells, values: values, constraints: constraints, options: options, integers: integers)
    }

    /// The search in `Int64` arithmetic, nil when it cannot give the `Decimal` answer: a cell's whole number does not
    /// equal its value, a coefficient or tolerance is not a whole number, or a step leaves ±10^15.
    public static func solveInWholeNumbers<ID>(
        cells: [ID: RepairCellValue], wholeNumbers: [ID: Int64], constraints: [LinearConstraint<ID>],
        options: RepairOptions = RepairOptions()
    ) -> RepairResult<ID>? {
        var values: [ID: WholeNumber] = [:]
        values.reserveCapacity(cells.count)
        for (id, c) in cells {
            guard let n = wholeNumbers[id], let w = WholeNumber(exactly: n), Decimal(n) == c.numeric else { return nil }
            values[id] = w
        }
        // Every filed number is a whole one, so integers are proposed unless the options say otherwise.
        return try? search(cells: cells, values: values, constraints: constraints, options: options, integers: options.integersOnly ?? true)
    }

    /// The search itself, in the arithmetic of `N`: `Decimal` never fails; `WholeNumber` throws where it would
    /// leave its exact range, and the caller then searches in `Decimal`.
    private static func search<ID, N: RepairArithmetic>(
        cells: [ID: RepairCellValue], values: [ID: N], constraints: [LinearConstraint<ID>], options: RepairOptions,
        integers: Bool
    ) throws(N.Failure) -> RepairResult<ID> {
        // Normalise; leave out constraints that name unknown cells.
        var rows: [(index: Int, a: [ID: N], tol: N)] = []
        var unevaluated: [Int] = []
        for (k, c) in constraints.enumerated() {
            let a = try normalized(c, N.self)
            if a.keys.allSatisfy({ cells[$0] != nil }) {
                rows.append((k, a, try N.exactly(c.tolerance).magnitude))
            } else {
                unevaluated.append(k)
            }
        }
        func value(_ id: ID) -> N { values[id] ?? N.zero }
        var residuals: [N] = []
        residuals.reserveCapacity(rows.count)
        for r in rows {
            var sum = N.zero
            for (id, a) in r.a { sum = try N.add(sum, try N.multiply(a, value(id))) }
            residuals.append(sum)
        }
        let violatedRows = rows.indices.filter { residuals[$0].magnitude > rows[$0].tol }
        let violated = violatedRows.map { rows[$0].index }
        if violatedRows.isEmpty {
            return RepairResult(outcome: .consistent, violated: [], unevaluated: unevaluated)
        }

        // Which rows each cell takes part in.
        var rowsOf: [ID: [Int]] = [:]
        for (ri, r) in rows.enumerated() { for id in r.a.keys { rowsOf[id, default: []].append(ri) } }
        func admissible(_ id: ID, _ newValue: N) -> Bool {
            if integers && !newValue.isInteger { return false }
            if options.nonNegative && newValue < N.zero && value(id) >= N.zero { return false }
            return true
        }
        func holds(_ ri: Int, _ change: [ID: N]) throws(N.Failure) -> Bool {
            var r = residuals[ri]
            for (id, d) in change { if let a = rows[ri].a[id] { r = try N.add(r, try N.multiply(a, d)) } }
            return r.magnitude <= rows[ri].tol
        }
        func makeRepair(_ deltas: [(ID, N)]) -> Repair<ID> {
            Repair(
                changes: deltas.sorted { $0.0 < $1.0 }.map { id, d in
                    let from: Decimal? = {
                        if case .number(let v) = cells[id]! { return v }; return nil
                    }()
                    let fixes = violatedRows.filter { rows[$0].a[id] != nil }.map { rows[$0].index }
                    return CellChange(cell: id, from: from, to: (from ?? 0) + d.decimal, fixes: fixes)
                })
        }
        /// A quotient that is no whole number: `Decimal` would go on with the fraction, which `admissible` refuses
        /// when only integers are proposed; otherwise only `Decimal` can go on.
        func fraction() throws(N.Failure) { if !integers { try N.fractionFound() } }

        // Size 1.
        var single: [Repair<ID>] = []
        var cellsInViolated = Set(rows[violatedRows[0]].a.keys)
        for ri in violatedRows.dropFirst() { cellsInViolated.formIntersection(rows[ri].a.keys) }
        for id in cellsInViolated.sorted() {
            let r0 = violatedRows[0]
            guard let delta = try N.divide(residuals[r0].negated, rows[r0].a[id]!) else { try fraction(); continue }
            guard delta != N.zero, admissible(id, try N.add(value(id), delta)) else { continue }
            var all = true
            for ri in rowsOf[id, default: []] where !(try holds(ri, [id: delta])) { all = false; break }
            if all { single.append(makeRepair([(id, delta)])) }
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
                guard let (qi, qj) = try solvePair(i, j, rowsOf: rowsOf, rows: rows, residuals: residuals) else { continue }
                guard let di = qi, let dj = qj else { try fraction(); continue }
                guard di != N.zero, dj != N.zero,
                    admissible(i, try N.add(value(i), di)), admissible(j, try N.add(value(j), dj))
                else { continue }
                let change = [i: di, j: dj]
                let touched = Set(rowsOf[i, default: []] + rowsOf[j, default: []])
                var all = true
                for ri in touched where !(try holds(ri, change)) { all = false; break }
                guard all, violatedRows.allSatisfy({ touched.contains($0) }) else { continue }
                pairs.append(makeRepair([(i, di), (j, dj)]))
            }
        }
        pairs.sort { $0.changes.map(\.cell).lexicographicallyPrecedes($1.changes.map(\.cell)) }
        if let outcome = outcome(pairs, options) { return RepairResult(outcome: outcome, violated: violated, unevaluated: unevaluated) }
        return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
    }

    /// The constraint as Σ a·x = 0 with each cell once (coefficients of a cell on both sides combined), as
    /// `LinearConstraint.normalized` in the arithmetic of `N`.
    private static func normalized<ID, N: RepairArithmetic>(_ c: LinearConstraint<ID>, _: N.Type) throws(N.Failure) -> [ID: N] {
        var a: [ID: N] = [:]
        for (id, k) in c.left { a[id] = try N.add(a[id] ?? N.zero, try N.exactly(k)) }
        for (id, k) in c.right { a[id] = try N.add(a[id] ?? N.zero, try N.exactly(k).negated) }
        return a.filter { $0.value != N.zero }
    }

    private static func outcome<ID>(_ repairs: [Repair<ID>], _ options: RepairOptions) -> RepairOutcome<ID>? {
        switch repairs.count {
        case 0: return nil
        case 1: return .unique(repairs[0])
        default: return .ambiguous(Array(repairs.prefix(max(2, options.maxListed))))
        }
    }

    /// Solves a_i·δi + a_j·δj = −r over every row either cell is in; nil when the rows give no unique solution. A
    /// quotient that is no whole number in `WholeNumber` arithmetic is nil inside the pair.
    private static func solvePair<ID, N: RepairArithmetic>(
        _ i: ID, _ j: ID, rowsOf: [ID: [Int]], rows: [(index: Int, a: [ID: N], tol: N)], residuals: [N]
    ) throws(N.Failure) -> (N?, N?)? {
        let touched = Array(Set(rowsOf[i, default: []] + rowsOf[j, default: []])).sorted()
        let eqs = touched.map { (rows[$0].a[i] ?? N.zero, rows[$0].a[j] ?? N.zero, residuals[$0].negated) }
        for x in 0..<eqs.count {
            for y in (x + 1)..<max(x + 1, eqs.count) {
                let (a1, b1, c1) = eqs[x], (a2, b2, c2) = eqs[y]
                let det = try N.subtract(try N.multiply(a1, b2), try N.multiply(a2, b1))
                if det == N.zero { continue }
                let ni = try N.subtract(try N.multiply(c1, b2), try N.multiply(c2, b1))
                let nj = try N.subtract(try N.multiply(a1, c2), try N.multiply(a2, c1))
                return (try N.divide(ni, det), try N.divide(nj, det))
            }
        }
        return nil
    }
}

/// The arithmetic the repair search runs in. Each operation gives the exact result or throws `Failure`; `Decimal`
/// never throws (`Never`), `WholeNumber` throws where it would leave its exact range.
protocol RepairArithmetic: Hashable, Comparable {
    associatedtype Failure: Error
    static var zero: Self { get }
    /// Called when a quotient is a fraction and fractions may be proposed: only `Decimal` can go on (it never gets
    /// here), so `WholeNumber` throws.
    static func fractionFound() throws(Failure)
    /// The number a `Decimal` coefficient or tolerance is, exactly.
    static func exactly(_ d: Decimal) throws(Failure) -> Self
    static func add(_ a: Self, _ b: Self) throws(Failure) -> Self
    static func subtract(_ a: Self, _ b: Self) throws(Failure) -> Self
    static func multiply(_ a: Self, _ b: Self) throws(Failure) -> Self
    /// `a / b`; nil when the quotient is not a value of this arithmetic (a fraction of whole numbers).
    static func divide(_ a: Self, _ b: Self) throws(Failure) -> Self?
    var negated: Self { get }
    var magnitude: Self { get }
    var isInteger: Bool { get }
    var decimal: Decimal { get }
}

extension Decimal: RepairArithmetic {
    typealias Failure = Never
    static func fractionFound() {}
    static func exactly(_ d: Decimal) -> Decimal { d }
    static func add(_ a: Decimal, _ b: Decimal) -> Decimal { a + b }
    static func subtract(_ a: Decimal, _ b: Decimal) -> Decimal { a - b }
    static func multiply(_ a: Decimal, _ b: Decimal) -> Decimal { a * b }
    static func divide(_ a: Decimal, _ b: Decimal) -> Decimal? { a / b }
    var negated: Decimal { -self }
    var isInteger: Bool { ExactDecimal.isInteger(self) }
    var decimal: Decimal { self }
}

/// A whole number within ±10^15 in `Int64`. Sums, differences and products of such numbers are exact and so are
/// the `Decimal` ones (at most 31 digits, within `Decimal`'s 38); a quotient that is not whole is reported as such
/// (its distance to the nearest whole number, at least 10^-15, is far above `Decimal`'s rounding at 38 digits,
/// so `Decimal` finds it no whole number either). Any result past the bound throws: the search is redone in
/// `Decimal`.
struct WholeNumber: RepairArithmetic {
    struct OutOfRange: Error {}
    static let bound: Int64 = 1_000_000_000_000_000
    let value: Int64

    init?(exactly v: Int64) {
        guard v.magnitude <= UInt64(Self.bound) else { return nil }
        value = v
    }

    static let zero = WholeNumber(exactly: 0)!
    static func fractionFound() throws(OutOfRange) { throw OutOfRange() }

    static func checked(_ v: Int64, _ overflow: Bool) throws(OutOfRange) -> WholeNumber {
        guard !overflow, let w = WholeNumber(exactly: v) else { throw OutOfRange() }
        return w
    }

    /// ±1 and 0 (the coefficients and tolerances rules write) without reading digits; other values through their
    /// text, checked by converting back.
    static func exactly(_ d: Decimal) throws(OutOfRange) -> WholeNumber {
        if d.isZero { return zero }
        if d == 1 { return WholeNumber(exactly: 1)! }
        if d == -1 { return WholeNumber(exactly: -1)! }
        guard d.exponent >= 0, let v = Int64(d.description), Decimal(v) == d, let w = WholeNumber(exactly: v) else { throw OutOfRange() }
        return w
    }

    static func add(_ a: WholeNumber, _ b: WholeNumber) throws(OutOfRange) -> WholeNumber {
        let (v, o) = a.value.addingReportingOverflow(b.value)
        return try checked(v, o)
    }

    static func subtract(_ a: WholeNumber, _ b: WholeNumber) throws(OutOfRange) -> WholeNumber {
        let (v, o) = a.value.subtractingReportingOverflow(b.value)
        return try checked(v, o)
    }

    static func multiply(_ a: WholeNumber, _ b: WholeNumber) throws(OutOfRange) -> WholeNumber {
        let (v, o) = a.value.multipliedReportingOverflow(by: b.value)
        return try checked(v, o)
    }

    static func divide(_ a: WholeNumber, _ b: WholeNumber) throws(OutOfRange) -> WholeNumber? {
        guard b.value != 0 else { throw OutOfRange() }
        guard a.value % b.value == 0 else { return nil }
        return try checked(a.value / b.value, false)
    }

    var negated: WholeNumber { WholeNumber(exactly: -value)! }
    var magnitude: WholeNumber { WholeNumber(exactly: value < 0 ? -value : value)! }
    var isInteger: Bool { true }
    var decimal: Decimal { Decimal(value) }
    static func < (a: WholeNumber, b: WholeNumber) -> Bool { a.value < b.value }
}
