import OGIRules

/// Finds words the user typed among known ones: rule ids in any case, and near misses for "did you mean".
public enum NearMatch {
    /// The candidates within a typo's distance of `word` (case-insensitive), nearest first.
    public static func suggestions(for word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let w = Array(word.uppercased())
        let scored = candidates.map { c -> (String, Int) in (c, distance(w, Array(c.uppercased()))) }
            .filter { $0.1 <= max(2, $0.0.count / 3) }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// Edit distance (insertions, deletions, substitutions).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

/// `ogilint rules ID`: ids match in any case; an unknown id gets the nearest ones.
public enum RuleLookup {
    public static func find(_ id: String, in rules: [Rule]) throws -> Rule {
        if let r = rules.first(where: { $0.id.caseInsensitiveCompare(id) == .orderedSame }) { return r }
        throw SessionError.unknownRule(id: id, suggestions: NearMatch.suggestions(for: id, in: rules.map(\.id)))
    }
}
