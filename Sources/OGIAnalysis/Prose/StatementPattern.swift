/// A keyword pattern for a qualitative statement, written as data: fragments separated by "…" must occur in
/// order within one sentence, at most `maxGap` characters apart; a fragment may list alternatives with "|".
/// Example: `所有|全部…申请…办结|办理完成`, `未收到…申请`, `未发生…行政复议|行政诉讼`.
public struct StatementPattern: Hashable, Sendable {
    public var name: String
    public var fragments: [[[Unicode.Scalar]]]
    public var maxGap: Int
    /// Words that, anywhere in the sentence, cancel a match (e.g. 除 in "除1件外均已办结").
    public var exclusions: [[Unicode.Scalar]]

    public init(name: String, pattern: String, maxGap: Int = 30, exclusions: [String] = []) {
        self.name = name
        self.maxGap = maxGap
        self.fragments = Self.fragments(of: pattern)
        self.exclusions = exclusions.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }
    }

    /// The pattern's fragments: split at "…", each split at "|" into its alternatives, empty ones left out. A
    /// pattern of plain scalars (`isPlain`) is split on scalars, without Foundation or substrings: none of them
    /// joins a separator into a larger character, so the scalar splits are the character splits (a test compares
    /// the two); any other pattern is split by characters as before.
    static func fragments(of pattern: String) -> [[[Unicode.Scalar]]] {
        guard pattern.unicodeScalars.allSatisfy(isPlain) else { return fragmentsByCharacters(of: pattern) }
        var fragments: [[[Unicode.Scalar]]] = []
        var alternatives: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        for u in pattern.unicodeScalars {
            switch u {
            case "…":
                if !word.isEmpty { alternatives.append(word) }
                if !alternatives.isEmpty { fragments.append(alternatives) }
                word = []; alternatives = []
            case "|":
                if !word.isEmpty { alternatives.append(word) }
                word = []
            default:
                word.append(u)
            }
        }
        if !word.isEmpty { alternatives.append(word) }
        if !alternatives.isEmpty { fragments.append(alternatives) }
        return fragments
    }

    /// Scalars that form a character of their own or only with other plain scalars (Latin-1, general
    /// punctuation up to "…", CJK punctuation without its combining tone marks, CJK ideographs, full-width forms):
    /// none is a combining mark, joiner, spacing mark or prepended mark that could glue a separator to a neighbour.
    static func isPlain(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0x300, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E: return true
        default: return false
        }
    }

    /// The fragments as the first version split them (Foundation's `components(separatedBy:)`, then characters);
    /// kept for the test that compares the two.
    static func fragmentsByCharacters(of pattern: String) -> [[[Unicode.Scalar]]] {
        pattern.components(separatedBy: "…").map { f in
            f.split(separator: "|").map { Array(String($0).unicodeScalars) }.filter { !$0.isEmpty }
        }.filter { !$0.isEmpty }
    }
}

/// A sentence that states a pattern.
public struct StatementMatch: Hashable, Sendable {
    public var pattern: String
    public var sentence: Int
    /// From the first fragment to the end of the last.
    public var span: TextSpan
}

public enum StatementScanner {
    /// Every sentence matching each pattern: one match per pattern name and sentence (patterns that share a name
    /// are alternative wordings of one statement).
    public static func find(_ patterns: [StatementPattern], in facts: ProseFacts) -> [StatementMatch] {
        let s = facts.text.scalars
        // A pattern with a fragment that occurs nowhere in the text matches no sentence: it is left out at once.
        let possible = patterns.filter { p in !p.fragments.isEmpty && p.fragments.allSatisfy { occurs($0, in: s) } }
        return find(possible: possible, in: facts)
    }

    /// `find` for patterns the caller has already screened as `find` does: each has fragments, and each fragment
    /// an alternative that occurs in the text (e.g. found by a byte search of the text's UTF-8, which finds the
    /// same occurrences). The patterns keep their order.
    public static func find(possible: [StatementPattern], in facts: ProseFacts) -> [StatementMatch] {
        let s = facts.text.scalars
        let possible = possible.filter { !$0.fragments.isEmpty }
        // Where each pattern's first fragment occurs: a sentence that holds none of its occurrences whole cannot
        // match, so `match` is asked only of sentences that do.
        let firsts = possible.map { firstFragmentOccurrences($0.fragments[0], in: s) }
        var out: [StatementMatch] = []
        for sentence in facts.sentences {
            var named = Set<String>()
            // Patterns read in place by index (a pattern copied out for each sentence retained and released its
            // name and arrays every time), its occurrences screened before its name is looked up.
            for k in possible.indices {
                guard firsts[k].holdsOne(from: sentence.span.start, to: sentence.span.end), !named.contains(possible[k].name)
                else { continue }
                // The match is looked for before the exclusions: a sentence that is excluded or does not match adds
                // nothing either way, and most sentences do not match.
                guard let span = match(possible[k], s, from: sentence.span.start, to: sentence.span.end) else { continue }
                if possible[k].exclusions.contains(where: { e in
                    (sentence.span.start..<sentence.span.end).contains { e.first == s[$0] && s.matches(e, at: $0) }
                }) {
                    continue
                }
                out.append(StatementMatch(pattern: possible[k].name, sentence: sentence.index, span: span))
                named.insert(possible[k].name)
            }
        }
        return out.sorted { ($0.span.start, $0.pattern) < ($1.span.start, $1.pattern) }
    }

    /// The offsets where an alternative of a fragment occurs, each with the shortest alternative occurring there,
    /// in text order.
    struct Occurrences {
        var starts: [Int] = []
        var lengths: [Int] = []

        /// True when an occurrence lies wholly in `from..<to` (where `match` looks for the first fragment).
        func holdsOne(from: Int, to: Int) -> Bool {
            // The first occurrence at or after `from`.
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < from { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            while k < starts.count, starts[k] < to {
                if starts[k] + lengths[k] <= to { return true }
                k += 1
            }
            return false
        }
    }

    /// Every offset of `s` where one of the alternatives occurs.
    static func firstFragmentOccurrences(_ alts: [[Unicode.Scalar]], in s: [Unicode.Scalar]) -> Occurrences {
        var out = Occurrences()
        // An alternative can start only at a scalar whose low six bits one of their first scalars has: most scalars
        // are passed over on that bit alone.
        var firsts: UInt64 = 0
        for a in alts { if let f = a.first { firsts |= 1 << UInt64(f.value & 63) } }
        for i in s.indices {
            let u = s[i]
            guard firsts & (1 << UInt64(u.value & 63)) != 0 else { continue }
            var shortest = Int.max
            for a in alts where a.first == u && a.count < shortest && i + a.count <= s.count && s.matches(a, at: i) { shortest = a.count }
            if shortest != Int.max {
                out.starts.append(i)
                out.lengths.append(shortest)
            }
        }
        return out
    }

    /// True when one of the alternatives occurs somewhere in `s` (as `match` would find it in a sentence).
    static func occurs(_ alts: [[Unicode.Scalar]], in s: [Unicode.Scalar]) -> Bool {
        for i in s.indices {
            let u = s[i]
            for a in alts where a.first == u && i + a.count <= s.count && s.matches(a, at: i) { return true }
        }
        return false
    }

    /// Leftmost match of the fragments in order, trying each occurrence of the first fragment.
    static func match(_ p: StatementPattern, _ s: [Unicode.Scalar], from: Int, to: Int) -> TextSpan? {
        func occurrence(_ alts: [[Unicode.Scalar]], _ lo: Int, _ hi: Int) -> (Int, Int)? {
            var i = lo
            while i < hi {
                let u = s[i]
                for a in alts where a.first == u && i + a.count <= to && s.matches(a, at: i) { return (i, i + a.count) }
                i += 1
            }
            return nil
        }
        var start = from
        while let (a, b) = occurrence(p.fragments[0], start, to) {
            var end = b
            var ok = true
            for f in p.fragments.dropFirst() {
                guard let (_, e) = occurrence(f, end, min(to, end + p.maxGap + 1)) else { ok = false; break }
                end = e
            }
            if ok { return TextSpan(start: a, end: end) }
            start = a + 1
        }
        return nil
    }
}
