import Foundation

/// A passage of this year's text found word for word in last year's.
public struct CopiedPassage: Hashable, Sendable {
    /// Span in this year's text.
    public var current: TextSpan
    /// Span of the first occurrence in last year's text.
    public var previous: TextSpan
    /// Length in normalised characters (CJK, letters, digits).
    public var length: Int
    /// This year's text of the passage as written.
    public var text: String
}

/// How much of this year's text was copied from last year's.
public struct CopiedTextReport: Sendable {
    /// Normalised characters of this year's text inside a copied passage.
    public var copiedCharacters: Int
    /// Normalised characters of this year's text.
    public var totalCharacters: Int
    /// copied / total × 100, rounded to one decimal (0 for an empty text).
    public var percent: Decimal
    /// The longest copied passages, not overlapping in this year's text, longest first.
    public var passages: [CopiedPassage]
}

/// Copied text between two reports: a suffix automaton of last year's normalised text, walked with this year's,
/// gives at every position the longest passage ending there that also occurs last year. Linear in both lengths.
public enum CopiedText {
    /// - Parameters:
    ///   - minLength: shortest passage, in normalised characters, that counts as copied (short stock phrases
    ///     such as the part headings are shorter than the default).
    ///   - maxPassages: how many of the longest passages to return.
    public static func compare(previous: ProseText, current: ProseText, minLength: Int = 20, maxPassages: Int = 10) -> CopiedTextReport {
        let prev = NormalizedText(previous.scalars)
        let cur = NormalizedText(current.scalars)
        let sam = SuffixAutomaton(prev.units)
        var copied = 0
        var coveredUpTo = -1
        var maximal: [(start: Int, end: Int, prevEnd: Int)] = []  // normalised, end exclusive
        var v: Int32 = 0, l = 0
        var matchLength = [Int](repeating: 0, count: cur.count)
        var matchState = [Int32](repeating: 0, count: cur.count)
        for i in 0..<cur.count {
            let c = cur.units[i]
            while v != 0 && sam.next(v, c) == nil {
                v = sam.link[Int(v)]
                l = Int(sam.length[Int(v)])
            }
            if let t = sam.next(v, c) { v = t; l += 1 } else { v = 0; l = 0 }
            matchLength[i] = l
            matchState[i] = v
            if l >= minLength {
                let start = i - l + 1
                let from = max(start, coveredUpTo + 1)
                if i >= from { copied += i - from + 1 }
                coveredUpTo = i
            }
        }
        for i in 0..<cur.count where matchLength[i] >= minLength {
            if i + 1 < cur.count && matchLength[i + 1] > matchLength[i] { continue }
            maximal.append((i - matchLength[i] + 1, i + 1, Int(sam.firstEnd[Int(matchState[i])]) + 1))
        }
        maximal.sort { ($0.end - $0.start, -$0.start) > ($1.end - $1.start, -$1.start) }
        var chosen: [CopiedPassage] = []
        var taken: [Range<Int>] = []
        for m in maximal where chosen.count < maxPassages {
            let r = m.start..<m.end
            if taken.contains(where: { $0.overlaps(r) }) { continue }
            taken.append(r)
            let len = m.end - m.start
            let span = cur.sourceSpan(m.start, m.end)
            chosen.append(
                CopiedPassage(
                    current: span, previous: prev.sourceSpan(m.prevEnd - len, m.prevEnd),
                    length: len, text: current.text(span)))
        }
        let percent = cur.count == 0 ? 0 : FactChecks.round(Decimal(copied) * 100 / Decimal(cur.count), decimals: 1)
        return CopiedTextReport(copiedCharacters: copied, totalCharacters: cur.count, percent: percent, passages: chosen)
    }
}

/// A suffix automaton over UInt32 symbols, with the end of each state's first occurrence.
///
/// The transitions are kept in one open-addressing table keyed by state and symbol (at most 3n of them for n
/// symbols, so the table is made once at twice that and never grows), and each state's symbols in a list through
/// `edgeNext`, read only to copy a state's transitions to its clone. A dictionary per state was made for every
/// state and grown as its transitions were added, each symbol hashed with SipHash.
struct SuffixAutomaton {
    var length: [Int32] = [0]
    var link: [Int32] = [-1]
    var firstEnd: [Int32] = [-1]
    /// Per slot: state << 32 | symbol, plus one (0: empty), and the transition's target.
    private var slotKeys: [UInt64]
    private var slotTargets: [Int32]
    private let shift: UInt64
    /// Per state: its first transition's symbol in `edgeSymbol` / `edgeNext` (-1: none).
    private var firstEdge: [Int32] = [-1]
    private var edgeSymbol: [UInt32] = []
    private var edgeNext: [Int32] = []

    init(_ s: [UInt32]) {
        let states = 2 * s.count + 1
        var bits: UInt64 = 4
        while (1 << bits) < 2 * (3 * s.count + 4) { bits += 1 }
        shift = 64 - bits
        slotKeys = [UInt64](repeating: 0, count: 1 << Int(bits))
        slotTargets = [Int32](repeating: 0, count: 1 << Int(bits))
        length.reserveCapacity(states)
        link.reserveCapacity(states)
        firstEnd.reserveCapacity(states)
        firstEdge.reserveCapacity(states)
        edgeSymbol.reserveCapacity(3 * s.count + 4)
        edgeNext.reserveCapacity(3 * s.count + 4)
        var last: Int32 = 0
        for (i, c) in s.enumerated() {
            let cur = Int32(length.count)
            length.append(length[Int(last)] + 1); link.append(0); firstEnd.append(Int32(i)); firstEdge.append(-1)
            var p = last
            while p != -1 && next(p, c) == nil {
                set(p, c, cur)
                p = link[Int(p)]
            }
            if p != -1 {
                let q = next(p, c)!
                if length[Int(p)] + 1 == length[Int(q)] {
                    link[Int(cur)] = q
                } else {
                    let clone = Int32(length.count)
                    length.append(length[Int(p)] + 1); link.append(link[Int(q)]); firstEnd.append(firstEnd[Int(q)])
                    firstEdge.append(-1)
                    var e = firstEdge[Int(q)]
                    while e >= 0 {
                        let symbol = edgeSymbol[Int(e)]
                        set(clone, symbol, next(q, symbol)!)
                        e = edgeNext[Int(e)]
                    }
                    while p != -1 && next(p, c) == q {
                        set(p, c, clone)
                        p = link[Int(p)]
                    }
                    link[Int(q)] = clone
                    link[Int(cur)] = clone
                }
            }
            last = cur
        }
    }

    /// The slot of state `v`'s transition on `c`, or the empty slot where it would go.
    @inline(__always) private func slot(_ key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let mask = slotKeys.count - 1
        while slotKeys[i] != 0 && slotKeys[i] != key { i = (i + 1) & mask }
        return i
    }

    @inline(__always) private static func key(_ v: Int32, _ c: UInt32) -> UInt64 { (UInt64(UInt32(bitPattern: v)) << 32 | UInt64(c)) &+ 1 }

    /// Sets state `v`'s transition on `c` to `target`, adding it when `v` has none on `c`.
    private mutating func set(_ v: Int32, _ c: UInt32, _ target: Int32) {
        let key = Self.key(v, c)
        let i = slot(key)
        if slotKeys[i] == 0 {
            slotKeys[i] = key
            edgeSymbol.append(c)
            edgeNext.append(firstEdge[Int(v)])
            firstEdge[Int(v)] = Int32(edgeSymbol.count - 1)
        }
        slotTargets[i] = target
    }

    @inline(__always) func next(_ v: Int32, _ c: UInt32) -> Int32? {
        let i = slot(Self.key(v, c))
        return slotKeys[i] == 0 ? nil : slotTargets[i]
    }

    /// State `v`'s transitions, by symbol (for tests).
    func transitions(_ v: Int32) -> [UInt32: Int32] {
        var out: [UInt32: Int32] = [:]
        var e = firstEdge[Int(v)]
        while e >= 0 {
            out[edgeSymbol[Int(e)]] = next(v, edgeSymbol[Int(e)])
            e = edgeNext[Int(e)]
        }
        return out
    }
}
