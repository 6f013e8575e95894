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
        return search(
            cells: cells, values: values, constraints: constraints, options: options,
            integers: integersProposed(cells: cells, options: options))
    }

    /// Whether the `Decimal` search proposes only whole numbers: as the options say, else when every filed number
    /// is one (a blank counts as one).
    static func integersProposed<ID>(cells: [ID: RepairCellValue], options: RepairOptions) -> Bool {
        options.integersOnly
            ?? cells.values.allSatisfy {
                if case .number(let v) = $0 { return ExactDecimal.isInteger(v) }
                return true
            }
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
    ///
    /// Cells are numbered 0..<n in their `ID` order, so "sorted by cell" is "sorted by number"; each constraint
    /// kept is a row of ascending cell numbers with their coefficients (none zero), and a cell's coefficient in
    /// a row is found by binary search. No dictionary or set of cells is touched inside the search.
    private static func search<ID, N: RepairArithmetic>(
        cells: [ID: RepairCellValue], values: [ID: N], constraints: [LinearConstraint<ID>], options: RepairOptions,
        integers: Bool
    ) throws(N.Failure) -> RepairResult<ID> {
        let ids = cells.keys.sorted()
        var numberOf: [ID: Int] = [:]
        numberOf.reserveCapacity(ids.count)
        for (x, id) in ids.enumerated() { numberOf[id] = x }
        let value = ids.map { values[$0] ?? N.zero }

        // Normalise; leave out constraints that name unknown cells.
        var kept: [Row<N>] = []
        var unevaluated: [Int] = []
        for (k, c) in constraints.enumerated() {
            guard let (cols, coefs) = try normalizedRow(c, numberOf, N.self) else {
                unevaluated.append(k)
                continue
            }
            kept.append(Row(index: k, cols: cols, coefs: coefs, tol: try N.exactly(c.tolerance).magnitude))
        }
        // Constants from here on (the functions below read them without exclusivity checks).
        let rows = kept
        /// The coefficient of cell `x` in row `ri`, nil when the cell is not in it.
        func coefficient(_ ri: Int, _ x: Int) -> N? {
            let cols = rows[ri].cols
            var lo = 0, hi = cols.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if cols[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return lo < cols.count && cols[lo] == x ? rows[ri].coefs[lo] : nil
        }
        var sums: [N] = []
        sums.reserveCapacity(rows.count)
        for r in rows {
            var sum = N.zero
            for (t, x) in r.cols.enumerated() { sum = try N.add(sum, try N.multiply(r.coefs[t], value[x])) }
            sums.append(sum)
        }
        let residuals = sums
        let violatedRows = rows.indices.filter { residuals[$0].magnitude > rows[$0].tol }
        let violated = violatedRows.map { rows[$0].index }
        if violatedRows.isEmpty {
            return RepairResult(outcome: .consistent, violated: [], unevaluated: unevaluated)
        }

        // Which rows each cell takes part in, ascending.
        // In one array, cell by cell (`rowStart[x]..<rowStart[x + 1]` are cell x's): an array per cell was made
        // and grown for every cell of the table.
        var rowStart = [Int](repeating: 0, count: ids.count + 1)
        for r in rows { for x in r.cols { rowStart[x + 1] += 1 } }
        for x in 0..<ids.count { rowStart[x + 1] += rowStart[x] }
        var cellRows = [Int](repeating: 0, count: rowStart[ids.count])
        var next = rowStart
        for (ri, r) in rows.enumerated() {
            for x in r.cols {
                cellRows[next[x]] = ri
                next[x] += 1
            }
        }
        let starts = rowStart, flatRows = cellRows
        func rowsOf(_ x: Int) -> ArraySlice<Int> { flatRows[starts[x]..<starts[x + 1]] }
        func admissible(_ x: Int, _ newValue: N) -> Bool {
            if integers && !newValue.isInteger { return false }
            if options.nonNegative && newValue < N.zero && value[x] >= N.zero { return false }
            return true
        }
        /// Whether row `ri` holds after cell `x` changes by `dx` (and cell `y`, when given, by `dy`).
        func holds(_ ri: Int, _ x: Int, _ dx: N, _ y: Int = -1, _ dy: N = N.zero) throws(N.Failure) -> Bool {
            var r = residuals[ri]
            if let a = coefficient(ri, x) { r = try N.add(r, try N.multiply(a, dx)) }
            if y >= 0, let a = coefficient(ri, y) { r = try N.add(r, try N.multiply(a, dy)) }
            return r.magnitude <= rows[ri].tol
        }
        func makeRepair(_ deltas: [(Int, N)]) -> Repair<ID> {
            Repair(
                changes: deltas.sorted { $0.0 < $1.0 }.map { x, d in
                    let from: Decimal? = {
                        if case .number(let v) = cells[ids[x]]! { return v }; return nil
                    }()
                    let fixes = violatedRows.filter { coefficient($0, x) != nil }.map { rows[$0].index }
                    return CellChange(cell: ids[x], from: from, to: (from ?? 0) + d.decimal, fixes: fixes)
                })
        }
        /// A quotient that is no whole number: `Decimal` would go on with the fraction, which `admissible` refuses
        /// when only integers are proposed; otherwise only `Decimal` can go on.
        func fraction() throws(N.Failure) { if !integers { try N.fractionFound() } }

        // Size 1: the cells of every violated row.
        var single: [Repair<ID>] = []
        let r0 = violatedRows[0]
        for (t, x) in rows[r0].cols.enumerated() where violatedRows.dropFirst().allSatisfy({ coefficient($0, x) != nil }) {
            guard let delta = try N.divide(residuals[r0].negated, rows[r0].coefs[t]) else { try fraction(); continue }
            guard delta != N.zero, admissible(x, try N.add(value[x], delta)) else { continue }
            var all = true
            for ri in rowsOf(x) where !(try holds(ri, x, delta)) { all = false; break }
            if all { single.append(makeRepair([(x, delta)])) }
        }
        if let outcome = outcome(single, options) { return RepairResult(outcome: outcome, violated: violated, unevaluated: unevaluated) }
        guard options.maxChanges >= 2 else {
            return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
        }

        /// Solves a_i·δi + a_j·δj = −r over the rows either cell is in (`touched`, ascending): Cramer's rule on the
        /// first two rows whose determinant is not zero; nil when there are none. A quotient that is no whole number
        /// in `WholeNumber` arithmetic is nil inside the pair.
        func solvePair(_ i: Int, _ j: Int, _ touched: [Int]) throws(N.Failure) -> (N?, N?)? {
            for x in 0..<touched.count {
                let a1 = coefficient(touched[x], i) ?? N.zero, b1 = coefficient(touched[x], j) ?? N.zero
                let c1 = residuals[touched[x]].negated
                for y in (x + 1)..<max(x + 1, touched.count) {
                    let a2 = coefficient(touched[y], i) ?? N.zero, b2 = coefficient(touched[y], j) ?? N.zero
                    let det = try N.subtract(try N.multiply(a1, b2), try N.multiply(a2, b1))
                    if det == N.zero { continue }
                    let c2 = residuals[touched[y]].negated
                    let ni = try N.subtract(try N.multiply(c1, b2), try N.multiply(c2, b1))
                    let nj = try N.subtract(try N.multiply(a1, c2), try N.multiply(a2, c1))
                    return (try N.divide(ni, det), try N.divide(nj, det))
                }
            }
            return nil
        }

        // Size 2.
        let pivot = violatedRows.min { rows[$0].cols.count < rows[$1].cols.count }!
        // The pairs tried, as smaller · n + larger: in a table of flags up to 512 cells, else in a set.
        let n = ids.count
        var seenFlags = n <= 512 ? [Bool](repeating: false, count: n * n) : []
        var seenSet = Set<Int>()
        func firstTry(_ key: Int) -> Bool {
            if seenFlags.isEmpty { return seenSet.insert(key).inserted }
            if seenFlags[key] { return false }
            seenFlags[key] = true
            return true
        }
        var pairs: [Repair<ID>] = []
        var marked = [Bool](repeating: false, count: ids.count)
        var touchedStamp = [Int](repeating: -1, count: rows.count)
        var touched: [Int] = []
        var pairNumber = 0
        for i in rows[pivot].cols {
            let missed = violatedRows.filter { coefficient($0, i) == nil }
            var partners: [Int]
            if let first = missed.first {
                partners = rows[first].cols.filter { x in missed.dropFirst().allSatisfy { coefficient($0, x) != nil } }
            } else {
                partners = []
                for ri in rowsOf(i) { for x in rows[ri].cols where !marked[x] { marked[x] = true; partners.append(x) } }
                for x in partners { marked[x] = false }
                partners.sort()
            }
            for j in partners where j != i {
                guard firstTry(i < j ? i * n + j : j * n + i) else { continue }
                // The rows either cell is in, ascending, each once.
                pairNumber += 1
                touched.removeAll(keepingCapacity: true)
                for ri in rowsOf(i) where touchedStamp[ri] != pairNumber { touchedStamp[ri] = pairNumber; touched.append(ri) }
                for ri in rowsOf(j) where touchedStamp[ri] != pairNumber { touchedStamp[ri] = pairNumber; touched.append(ri) }
                touched.sort()
                guard let (qi, qj) = try solvePair(i, j, touched) else { continue }
                guard let di = qi, let dj = qj else { try fraction(); continue }
                guard di != N.zero, dj != N.zero,
                    admissible(i, try N.add(value[i], di)), admissible(j, try N.add(value[j], dj))
                else { continue }
                var all = true
                for ri in touched where !(try holds(ri, i, di, j, dj)) { all = false; break }
                guard all else { continue }
                var coversViolated = true
                for ri in violatedRows where touchedStamp[ri] != pairNumber { coversViolated = false; break }
                guard coversViolated else { continue }
                pairs.append(makeRepair([(i, di), (j, dj)]))
            }
        }
        pairs.sort { $0.changes.map(\.cell).lexicographicallyPrecedes($1.changes.map(\.cell)) }
        if let outcome = outcome(pairs, options) { return RepairResult(outcome: outcome, violated: violated, unevaluated: unevaluated) }
        return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
    }

    /// One constraint kept by the search: its index in the input, its cells (ascending numbers) with their
    /// coefficients, and its tolerance.
    private struct Row<N> {
        var index: Int
        var cols: [Int]
        var coefs: [N]
        var tol: N
    }

    /// The constraint as Σ a·x = 0 over cell numbers (`numberOf`), each cell once, ascending, zero coefficients
    /// left out: `normalized` as a row. Nil when a cell it keeps is not in the table (one whose coefficients
    /// cancel out does not count, as in `normalized`).
    private static func normalizedRow<ID, N: RepairArithmetic>(
        _ c: LinearConstraint<ID>, _ numberOf: [ID: Int], _: N.Type
    ) throws(N.Failure) -> (cols: [Int], coefs: [N])? {
        var terms: [(x: Int, a: N)] = []
        terms.reserveCapacity(c.left.count + c.right.count)
        for (id, k) in c.left {
            guard let x = numberOf[id] else { return try normalizedRowNamingUnknownCells(c, numberOf, N.self) }
            terms.append((x, try N.exactly(k)))
        }
        for (id, k) in c.right {
            guard let x = numberOf[id] else { return try normalizedRowNamingUnknownCells(c, numberOf, N.self) }
            terms.append((x, try N.exactly(k).negated))
        }
        terms.sort { $0.x < $1.x }
        var cols: [Int] = []
        var coefs: [N] = []
        cols.reserveCapacity(terms.count)
        coefs.reserveCapacity(terms.count)
        var t = 0
        while t < terms.count {
            var a = terms[t].a
            var u = t + 1
            while u < terms.count && terms[u].x == terms[t].x {
                a = try N.add(a, terms[u].a)
                u += 1
            }
            if a != N.zero {
                cols.append(terms[t].x)
                coefs.append(a)
            }
            t = u
        }
        return (cols, coefs)
    }

    /// `normalizedRow` for a constraint that names a cell not in the table: normalised by cell first, so that a
    /// cell whose coefficients cancel out is dropped before the cells are looked up.
    private static func normalizedRowNamingUnknownCells<ID, N: RepairArithmetic>(
        _ c: LinearConstraint<ID>, _ numberOf: [ID: Int], _: N.Type
    ) throws(N.Failure) -> (cols: [Int], coefs: [N])? {
        var kept: [(x: Int, a: N)] = []
        for (id, a) in try normalized(c, N.self) {
            guard let x = numberOf[id] else { return nil }
            kept.append((x, a))
        }
        kept.sort { $0.x < $1.x }
        return (kept.map(\.x), kept.map(\.a))
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
        if d == ExactDecimal.one { return WholeNumber(exactly: 1)! }
        if d == ExactDecimal.minusOne { return WholeNumber(exactly: -1)! }
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
