/// Two sentences of one report that are the same or nearly the same.
public struct RepeatedSentence: Hashable, Sendable {
    /// Sentence indices, `first` < `second`.
    public var first: Int
    public var second: Int
    public var firstSpan: TextSpan
    public var secondSpan: TextSpan
    /// Edit distance between the normalised sentences (0: an exact repeat).
    public var distance: Int
    /// The differing middle of the two sentences as written (common beginning and end removed), e.g. 完 / 安.
    public var firstDifference: String
    public var secondDifference: String
    public var secondDifferenceSpan: TextSpan
}

/// Repeated and near-repeated sentences within one text.
///
/// Sentences are normalised (CJK, letters, digits) and sorted by length; only pairs whose lengths differ by at most
/// the allowed distance are compared, a character count filter (one edit changes at most two counts by one) and a
/// bigram count filter (one edit removes at most two bigrams) reject most of them, and a banded edit distance
/// decides the rest.
public enum RepeatedSentences {
    /// - Parameters:
    ///   - minLength: shortest sentence considered, in normalised characters.
    ///   - maxEdits: a pair at this edit distance or less is a near repeat…
    ///   - minSimilarity: …and so is one with 1 − distance / longer length at least this.
    public static func find(
        in text: ProseText, sentences: [Sentence], minLength: Int = 15, maxEdits: Int = 2,
        minSimilarity: Double = 0.95
    ) -> [RepeatedSentence] {
        struct Item { var index: Int; var units: [UInt32] }
        var items: [Item] = []
        for s in sentences {
            // A sentence has no more units than scalars: a shorter one is left out without reading it.
            guard s.span.end - s.span.start >= minLength else { continue }
            let units = NormalizedText.units(text.scalars, range: s.span.start..<s.span.end)
            guard units.count >= minLength else { continue }
            items.append(Item(index: s.index, units: units))
        }
        items.sort { ($0.units.count, $0.index) < ($1.units.count, $1.index) }
        // Each item's sorted bigrams, made when a pair first needs them: most sentences have no other of a length
        // close enough to compare, or only exact copies.
        var sortedBigrams = [[UInt64]?](filledWith: nil, count: items.count)
        func bigrams(_ k: Int) -> [UInt64] {
            if let b = sortedBigrams[k] { return b }
            let b = Self.sortedBigrams(items[k].units)
            sortedBigrams[k] = b
            return b
        }
        // Each item's units counted into 64 buckets (a unit's value modulo 64), made when a pair first needs them, in
        // one array (item k's at 64 k).
        var histograms = [UInt16](filledWith: 0, count: items.count * 64)
        var histogramMade = [Bool](filledWith: false, count: items.count)
        func histogram(_ k: Int) {
            guard !histogramMade[k] else { return }
            histogramMade[k] = true
            histograms.withUnsafeMutableBufferPointer { h in
                for u in items[k].units { h[64 * k + Int(u & 63)] &+= 1 }
            }
        }
        func allowed(_ longer: Int) -> Int { max(maxEdits, Int((1 - minSimilarity) * Double(longer) + 1e-9)) }
        var out: [RepeatedSentence] = []
        var exactSeen: [[UInt32]: Int] = [:]
        for a in 0..<items.count {
            let A = items[a]
            var b = a + 1
            while b < items.count {
                let B = items[b], j = b
                let k = allowed(B.units.count)
                if B.units.count - A.units.count > k { break }
                b += 1
                if A.units == B.units {
                    // Exact repeats: link each later copy to the first one only.
                    let lo = min(A.index, B.index)
                    if let firstCopy = exactSeen[A.units], firstCopy != lo { continue }
                    exactSeen[A.units] = lo
                    out.append(pair(text, sentences, A.index, B.index, 0))
                    continue
                }
                // One edit changes the counts of at most two units by one each, so the counts of two units at distance
                // d or less differ by 2 d or less in all, and those of their buckets by no more: more than 2 k apart,
                // the pair is further apart than k (as `bandedDistance` would find).
                histogram(a)
                histogram(j)
                if Self.bucketDifference(histograms, a, j) > 2 * k { continue }
                let a2 = bigrams(a), b2 = bigrams(j)
                if commonCount(a2, b2) < max(a2.count, b2.count) - 2 * k { continue }
                if let d = bandedDistance(A.units, B.units, k) {
                    out.append(pair(text, sentences, A.index, B.index, d))
                }
            }
        }
        return out.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    static func pair(_ text: ProseText, _ sentences: [Sentence], _ x: Int, _ y: Int, _ d: Int) -> RepeatedSentence {
        let (i, j) = x < y ? (x, y) : (y, x)
        let a = sentences[i].span, b = sentences[j].span
        let s = text.scalars
        var p = 0
        while a.start + p < a.end, b.start + p < b.end, s[a.start + p] == s[b.start + p] { p += 1 }
        var q = 0
        while a.end - q > a.start + p, b.end - q > b.start + p, s[a.end - 1 - q] == s[b.end - 1 - q] { q += 1 }
        let diffA = TextSpan(start: a.start + p, end: a.end - q), diffB = TextSpan(start: b.start + p, end: b.end - q)
        return RepeatedSentence(
            first: i, second: j, firstSpan: a, secondSpan: b, distance: d,
            firstDifference: text.text(diffA), secondDifference: text.text(diffB), secondDifferenceSpan: diffB)
    }

    /// The summed differences of items `a`'s and `b`'s bucket counts (`find`'s histograms, 64 an item).
    static func bucketDifference(_ histograms: [UInt16], _ a: Int, _ b: Int) -> Int {
        histograms.withUnsafeBufferPointer { h in
            var sum = 0
            for i in 0..<64 { sum += abs(Int(h[64 * a + i]) - Int(h[64 * b + i])) }
            return sum
        }
    }

    /// The bigrams of a sentence's units (each pair of neighbours as one number), sorted.
    static func sortedBigrams(_ units: [UInt32]) -> [UInt64] {
        var bg: [UInt64] = []
        bg.reserveCapacity(units.count)
        for i in stride(from: 1, to: units.count, by: 1) { bg.append(UInt64(units[i - 1]) << 32 | UInt64(units[i])) }
        return bg.sorted()
    }

    /// Size of the multiset intersection of two sorted arrays.
    static func commonCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var i = 0, j = 0, n = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }

    /// Levenshtein distance when it is at most `k`, else nil; O(len × k).
    static func bandedDistance(_ a: [UInt32], _ b: [UInt32], _ k: Int) -> Int? {
        let n = a.count, m = b.count
        if abs(n - m) > k { return nil }
        let inf = k + 1
        var prev = [Int](repeating: inf, count: m + 1)
        var cur = [Int](repeating: inf, count: m + 1)
        for j in 0...min(m, k) { prev[j] = j }
        for i in 1...max(1, n) where n > 0 {
            let lo = max(1, i - k), hi = min(m, i + k)
            for j in 0...m { cur[j] = inf }
            if i <= k { cur[0] = i }
            var best = cur[0]
            if lo <= hi {
                for j in lo...hi {
                    let sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                    let v = min(sub, prev[j] + 1, cur[j - 1] + 1)
                    cur[j] = min(v, inf)
                    best = min(best, cur[j])
                }
            }
            if best > k { return nil }
            swap(&prev, &cur)
        }
        let d = n == 0 ? m : prev[m]
        return d <= k ? d : nil
    }
}
