import Foundation
import OGIModel

/// How a 其中 list compares with its whole.
public enum BreakdownVerdict: Hashable, Sendable {
    /// The parts add up to the whole.
    case matches
    /// The parts add up to less than the whole, which the open wording (等) allows.
    case withinOpenList(sum: Decimal, whole: Decimal)
    /// The parts add up to less than the whole, and the list reads as complete. Reports often list only the
    /// notable parts after 其中 without 等, so a rule should make this a warning, not an error.
    case shortOfWhole(sum: Decimal, whole: Decimal)
    /// The parts add up to more than the whole: wrong under any reading.
    case exceedsWhole(sum: Decimal, whole: Decimal)
}

/// Whether a stated percentage fits a recomputed one.
public enum RoundingFit: String, Hashable, Sendable {
    /// Fits when the computed figure is rounded half up to the stated decimals.
    case rounded
    /// Fits only when the computed figure is cut off (truncated) at the stated decimals.
    case truncated
    case neither
}

/// The checks prose rules call. Pure functions over `ProseFacts` and numbers.
public enum FactChecks {
    /// Sum of parts against the whole of a 其中 list.
    public static func check(_ b: Breakdown, in facts: ProseFacts) -> BreakdownVerdict {
        let whole = facts.quantities[b.whole].value
        let sum = b.parts.reduce(Decimal(0)) { $0 + facts.quantities[$1].value }
        if sum == whole { return .matches }
        if sum > whole { return .exceedsWhole(sum: sum, whole: whole) }
        return b.openEnded ? .withinOpenList(sum: sum, whole: whole) : .shortOfWhole(sum: sum, whole: whole)
    }

    /// The year-on-year change in percent: (current − previous) / previous × 100, exact in `Decimal`; nil when
    /// previous is 0.
    public static func growthPercent(current: Decimal, previous: Decimal) -> Decimal? {
        guard previous != 0 else { return nil }
        return (current - previous) / previous * 100
    }

    /// part / whole × 100; nil when whole is 0.
    public static func sharePercent(part: Decimal, whole: Decimal) -> Decimal? {
        guard whole != 0 else { return nil }
        return part / whole * 100
    }

    /// `value` rounded half away from zero (the usual school rounding) to `decimals` places.
    public static func round(_ value: Decimal, decimals: Int) -> Decimal {
        var v = value, r = Decimal()
        NSDecimalRound(&r, &v, decimals, .plain)
        return r
    }

    /// Does `stated` (written with `decimals` places, signed: negative for a fall) fit `computed`?
    public static func fit(stated: Decimal, decimals: Int, computed: Decimal) -> RoundingFit {
        if round(computed, decimals: decimals) == stated { return .rounded }
        var v = computed, t = Decimal()
        NSDecimalRound(&t, &v, decimals, computed < 0 ? .up : .down)
        if t == stated { return .truncated }
        return .neither
    }

    /// The stated percentage as a signed figure with its decimals, checked against the change from
    /// `previous` to `current`. `recomputed` is the figure the sentence should give, at its own rounding.
    public static func checkGrowth(_ p: PercentFact, in facts: ProseFacts, current: Decimal, previous: Decimal)
        -> (fit: RoundingFit, recomputed: Decimal)?
    {
        guard let g = growthPercent(current: current, previous: previous) else { return nil }
        let q = facts.quantities[p.quantity]
        // Without a direction word the sign is unknown: compare magnitudes.
        let stated = p.direction == 0 ? q.value : p.signedValue
        let computed = p.direction == 0 ? abs(g) : g
        return (fit(stated: stated, decimals: q.decimals, computed: computed), round(computed, decimals: q.decimals))
    }

    /// A share percentage against its subject and the whole of its 其中 list; nil when either is unknown or the
    /// whole is 0.
    public static func checkShare(_ p: PercentFact, in facts: ProseFacts) -> (fit: RoundingFit, recomputed: Decimal)? {
        guard p.isShare, let subject = p.subject, let whole = p.whole,
            let share = sharePercent(part: facts.quantities[subject].value, whole: facts.quantities[whole].value)
        else { return nil }
        let q = facts.quantities[p.quantity]
        return (fit(stated: q.value, decimals: q.decimals, computed: share), round(share, decimals: q.decimals))
    }

    /// Compares a stated number with the table values of each reading of the sentence.
    public static func compare(stated: Decimal, readings: [Reading], tolerance: Decimal = 0) -> ReadingVerdict {
        let available = readings.filter { $0.value != nil }
        guard !available.isEmpty else { return .notEvaluated }
        let fitting = available.filter { abs($0.value! - stated) <= tolerance }.map(\.name)
        if fitting.isEmpty { return .fitsNone }
        if let first = readings.first, fitting.first == first.name { return .fitsFirst(first.name) }
        return .fitsOther(fitting: fitting, first: readings[0].name)
    }

    /// A qualitative statement ("所有申请均已办结") against the table cells it implies are zero (结转下年度) or
    /// positive: true when the cells contradict it. Blank or missing cells never contradict.
    public static func contradicts(_ expectation: StatementExpectation, values: [Decimal?]) -> Bool {
        let known = values.compactMap { $0 }
        guard !known.isEmpty else { return false }
        let total = known.reduce(Decimal(0), +)
        switch expectation {
        case .zero: return total != 0
        case .positive: return total <= 0
        }
    }
}

/// One reading of an ambiguous sentence: its name (for the message) and the table value it implies (nil when the
/// cells are missing). The first reading is the plain one.
public struct Reading: Hashable, Sendable {
    public var name: String
    public var value: Decimal?
    public init(name: String, value: Decimal?) { self.name = name; self.value = value }
}

/// The outcome of comparing a prose figure with its readings.
public enum ReadingVerdict: Hashable, Sendable {
    /// The plain reading fits: no finding.
    case fitsFirst(String)
    /// Only other readings fit: a warning that names the plain reading and the ones that fit.
    case fitsOther(fitting: [String], first: String)
    /// No reading fits: an error.
    case fitsNone
    /// No reading had a value.
    case notEvaluated
}

/// What a qualitative statement says about the cells it concerns.
public enum StatementExpectation: String, Hashable, Sendable {
    /// "未收到…申请", "所有申请均已办结": the cells are 0.
    case zero
    /// The cells are more than 0.
    case positive
}
