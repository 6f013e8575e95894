import Foundation
import OGIModel

@testable import OGIAnalysis

/// The repair search as it was before cells were numbered (dictionaries of coefficients by cell, sets of cells), in
/// `Decimal` arithmetic: the reference `RepairSolverRowTests` compares the solver with.
enum ReferenceRepairSolver {
    static func solve<ID>(cells: [ID: RepairCellValue], constraints: [LinearConstraint<ID>], options: RepairOptions = RepairOptions())
        -> RepairResult<ID>
    {
        let values = cells.mapValues(\.numeric)
        // Which values may be proposed did not change with the search: the solver's own rule.
        let integers = RepairSolver.integersProposed(cells: cells, options: options)
        var rows: [(index: Int, a: [ID: Decimal], tol: Decimal)] = []
        var unevaluated: [Int] = []
        for (k, c) in constraints.enumerated() {
            let a = c.normalized
            if a.keys.allSatisfy({ cells[$0] != nil }) {
                rows.append((k, a, c.tolerance.magnitude))
            } else {
                unevaluated.append(k)
            }
        }
        func value(_ id: ID) -> Decimal { values[id] ?? 0 }
        let residuals = rows.map { r in r.a.reduce(Decimal(0)) { $0 + $1.value * value($1.key) } }
        let violatedRows = rows.indices.filter { residuals[$0].magnitude > rows[$0].tol }
        let violated = violatedRows.map { rows[$0].index }
        if violatedRows.isEmpty { return RepairResult(outcome: .consistent, violated: [], unevaluated: unevaluated) }
        var rowsOf: [ID: [Int]] = [:]
        for (ri, r) in rows.enumerated() { for id in r.a.keys { rowsOf[id, default: []].append(ri) } }
        func admissible(_ id: ID, _ v: Decimal) -> Bool {
            if integers && !ExactDecimal.isInteger(v) { return false }
            if options.nonNegative && v < 0 && value(id) >= 0 { return false }
            return true
        }
        func holds(_ ri: Int, _ change: [ID: Decimal]) -> Bool {
            var r = residuals[ri]
            for (id, d) in change { if let a = rows[ri].a[id] { r += a * d } }
            return r.magnitude <= rows[ri].tol
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
        func outcome(_ repairs: [Repair<ID>]) -> RepairOutcome<ID>? {
            switch repairs.count {
            case 0: return nil
            case 1: return .unique(repairs[0])
            default: return .ambiguous(Array(repairs.prefix(max(2, options.maxListed))))
            }
        }
        var single: [Repair<ID>] = []
        var cellsInViolated = Set(rows[violatedRows[0]].a.keys)
        for ri in violatedRows.dropFirst() { cellsInViolated.formIntersection(rows[ri].a.keys) }
        for id in cellsInViolated.sorted() {
            let r0 = violatedRows[0]
            let delta = -residuals[r0] / rows[r0].a[id]!
            guard delta != 0, admissible(id, value(id) + delta) else { continue }
            if rowsOf[id, default: []].allSatisfy({ holds($0, [id: delta]) }) { single.append(makeRepair([(id, delta)])) }
        }
        if let o = outcome(single) { return RepairResult(outcome: o, violated: violated, unevaluated: unevaluated) }
        guard options.maxChanges >= 2 else { return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated) }
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
                guard seen.insert(i < j ? [i, j] : [j, i]).inserted else { continue }
                let touched = Array(Set(rowsOf[i, default: []] + rowsOf[j, default: []])).sorted()
                let eqs = touched.map { (rows[$0].a[i] ?? 0, rows[$0].a[j] ?? 0, -residuals[$0]) }
                var solution: (Decimal, Decimal)?
                search: for x in 0..<eqs.count {
                    for y in (x + 1)..<max(x + 1, eqs.count) {
                        let (a1, b1, c1) = eqs[x], (a2, b2, c2) = eqs[y]
                        let det = a1 * b2 - a2 * b1
                        if det == 0 { continue }
                        solution = ((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det)
                        break search
                    }
                }
                guard let (di, dj) = solution, di != 0, dj != 0, admissible(i, value(i) + di), admissible(j, value(j) + dj) else {
                    continue
                }
                guard touched.allSatisfy({ holds($0, [i: di, j: dj]) }), violatedRows.allSatisfy({ touched.contains($0) }) else { continue }
                pairs.append(makeRepair([(i, di), (j, dj)]))
            }
        }
        pairs.sort { $0.changes.map(\.cell).lexicographicallyPrecedes($1.changes.map(\.cell)) }
        if let o = outcome(pairs) { return RepairResult(outcome: o, violated: violated, unevaluated: unevaluated) }
        return RepairResult(outcome: .noneWithinLimit, violated: violated, unevaluated: unevaluated)
    }
}
