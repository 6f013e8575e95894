import Foundation

/// A regular expression ready to match: run by `ScalarRegex` when the pattern is inside its subset, else by
/// NSRegularExpression. Either way a search gives NSRegularExpression's results, with ranges in UTF-16
/// units (`NSRange`) as NSRegularExpression reports them.
public final class CompiledRegex: @unchecked Sendable {
    public let pattern: String
    /// The matcher of our own; nil when the pattern is outside its subset.
    public let scalarRegex: ScalarRegex?
    private let lock = NSLock()
    private var compiledFoundation: NSRegularExpression?

    /// Steps a search by `ScalarRegex` may take in the unbounded searches (`firstMatch(in:)`,
    /// `matches(in:)`) before it is handed to NSRegularExpression, which then finishes it as before.
    public static let exactSearchStepBudget = 20_000_000

    /// Compiles `pattern`; throws NSRegularExpression's error when the pattern is invalid (a pattern inside
    /// the subset is always valid).
    init(pattern: String) throws {
        self.pattern = pattern
        scalarRegex = ScalarRegex(pattern)
        if scalarRegex == nil { compiledFoundation = try RegexCache.shared.foundationRegex(pattern) }
    }

    /// The pattern compiled by NSRegularExpression, compiled on first use when `scalarRegex` runs it.
    public var foundation: NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let compiledFoundation { return compiledFoundation }
        do {
            let r = try RegexCache.shared.foundationRegex(pattern)
            compiledFoundation = r
            return r
        } catch {
            preconditionFailure("'\(pattern)' is inside ScalarRegex's subset, which ICU accepts: \(error)")
        }
    }

    /// The first match in `text`, or nil.
    public func firstMatch(in text: String) -> RegexMatch? {
        if let scalarRegex {
            // A text the screens rule out (a pattern anchored at the start and a first scalar that cannot begin a
            // match, or no first two characters a match may start with): the search would find none, or run out of
            // steps and leave it to NSRegularExpression, which finds none. The text is then not decoded for a search.
            if !scalarRegex.mayMatch(text) { return nil }
            // No match is an answer too: only a search stopped by the step budget goes to NSRegularExpression.
            do { return try firstMatch(in: text, stepBudget: Self.exactSearchStepBudget) } catch {}
        }
        return foundation.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)).map(RegexMatch.init)
    }

    /// What `firstMatchGroupTexts(in:names:)` found.
    public enum GroupTexts: Equatable {
        /// No match.
        case noMatch
        /// The texts of the named groups of the first match that took part in it, by name, and the whole match's
        /// place in the text's UTF-8 bytes.
        case groups(GroupTextMap, utf8: Range<Int>)
        /// Left to `firstMatch(in:)` and the conversion of its ranges: the pattern is outside `ScalarRegex`'s subset,
        /// its search ran out of steps, or an end of the match or of a group lies next to a scalar that may join a
        /// neighbour (a combining mark), where only the text's indices tell whether it starts a character.
        case unanswered
    }

    /// The texts of the named groups of `firstMatch(in:)`'s match (`names` it does not know, and groups that took
    /// no part, left out), when `ScalarRegex` finds the first match or finds there is none, and the match and its
    /// groups lie between plain scalars or the text's ends (else `.unanswered`): each group's text is
    /// made from its scalars, without the UTF-16 offsets `RegexMatch` holds and their conversion back into the
    /// text's indices (several thousand instructions a match, most of a short line's reading). A group's scalars
    /// are the text's own between two scalar boundaries, so its text is the one `String(text[range])` gives for
    /// the group's range.
    public func firstMatchGroupTexts(in text: String, names: [String]) -> GroupTexts {
        guard let scalarRegex else { return .unanswered }
        // As in `firstMatch(in:)`: a text the screens rule out is not decoded.
        if !scalarRegex.mayMatch(text) { return .noMatch }
        let values = UTF8Scan.scalarValues(of: text).values
        var steps = 0
        let found: [Int]?
        do {
            found = try scalarRegex.firstMatch(in: values, from: 0, steps: &steps, budget: Self.exactSearchStepBudget)
        } catch {
            return .unanswered
        }
        guard let slots = found else { return .noMatch }
        // The match and each group must start and end where a character (a grapheme cluster) does, as the text's
        // indices for them exist only there (`String.indexRange(utf16:)`); known here where the scalars on both
        // sides are plain (`FastText.isPlainValue`: none joins a neighbour), else left to the conversion.
        func startsCharacter(_ k: Int) -> Bool {
            k == 0 || k == values.count || (FastText.isPlainValue(values[k - 1]) && FastText.isPlainValue(values[k]))
        }
        guard slots.count >= 2, startsCharacter(slots[0]), startsCharacter(slots[1]) else { return .unanswered }
        var out = GroupTextMap(names: names)
        for name in names {
            guard let g = scalarRegex.namedGroups.first(where: { $0.name == name })?.number, 2 * g + 1 < slots.count else { continue }
            let start = slots[2 * g], end = slots[2 * g + 1]
            guard start >= 0, end >= 0 else { continue }
            guard startsCharacter(start), startsCharacter(end) else { return .unanswered }
            out[name] = Self.string(ofScalars: values[start..<end])
        }
        // The match's byte offsets: the UTF-8 lengths of the scalars before its ends.
        var lower = 0
        for v in values[..<slots[0]] { lower += UTF8Scan.length(of: v) }
        var upper = lower
        for v in values[slots[0]..<slots[1]] { upper += UTF8Scan.length(of: v) }
        return .groups(out, utf8: lower..<upper)
    }

    /// The text of scalar values (each a valid scalar, decoded from a string), written as UTF-8.
    static func string(ofScalars values: ArraySlice<UInt32>) -> String {
        String(knownValidUTF8Capacity: values.count * 4) { out in
            var n = 0
            for v in values { n = UTF8Scan.write(v, to: out, at: n) }
            return n
        }
    }

    /// Every match in `text`, in order, as NSRegularExpression's `matches(in:range:)` finds them.
    public func matches(in text: String) -> [RegexMatch] {
        if let scalarRegex {
            if !scalarRegex.mayMatch(textStartingWith: text.unicodeScalars.first?.value) { return [] }  // as in firstMatch(in:)
            let scalars = ScalarText(text)
            var steps = 0
            if let all = try? scalarRegex.allMatches(in: scalars.values, steps: &steps, budget: Self.exactSearchStepBudget) {
                return all.map { RegexMatch(slots: $0, in: scalars, groupNumbers: scalarRegex.groupNumbers) }
            }
        }
        return foundation.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)).map(RegexMatch.init)
    }

    /// Every match of `matches(in:)` as a range of scalar offsets into `values` (the text's scalars), when
    /// `ScalarRegex` runs the pattern and finishes within the step budget; nil otherwise (then `matches(in:)`
    /// asks NSRegularExpression). Each range is the whole match's.
    public func scalarMatchRanges(in values: [UInt32]) -> [Range<Int>]? {
        guard let scalarRegex else { return nil }
        var steps = 0
        guard let all = try? scalarRegex.allMatches(in: values, steps: &steps, budget: Self.exactSearchStepBudget) else { return nil }
        return all.map { $0[0]..<$0[1] }
    }

    /// The first match in `text` found by `ScalarRegex` within `stepBudget` steps; only for a pattern inside
    /// its subset (`scalarRegex` not nil).
    public func firstMatch(in text: String, stepBudget: Int) throws(ScalarRegex.StepBudgetExceeded) -> RegexMatch? {
        guard let scalarRegex else { preconditionFailure("'\(pattern)' is not run by ScalarRegex") }
        let scalars = ScalarText(text)
        var steps = 0
        guard let slots = try scalarRegex.firstMatch(in: scalars.values, from: 0, steps: &steps, budget: stepBudget) else { return nil }
        return RegexMatch(slots: slots, in: scalars, groupNumbers: scalarRegex.groupNumbers)
    }
}

/// One match: the whole match's range and each group's, in UTF-16 units (location `NSNotFound` for a group
/// that took no part), as `NSTextCheckingResult` gives them.
public struct RegexMatch {
    private enum Source {
        case scalar(ranges: [NSRange], groupNumbers: [String: Int])
        case foundation(NSTextCheckingResult)
    }
    private let source: Source

    public init(_ result: NSTextCheckingResult) { source = .foundation(result) }

    init(slots: [Int], in text: ScalarText, groupNumbers: [String: Int]) {
        var ranges: [NSRange] = []
        ranges.reserveCapacity(slots.count / 2)
        for g in 0..<slots.count / 2 {
            let start = slots[2 * g]
            let end = slots[2 * g + 1]
            if start < 0 || end < 0 {
                ranges.append(NSRange(location: NSNotFound, length: 0))
            } else {
                let location = text.utf16Offset(ofScalar: start)
                ranges.append(NSRange(location: location, length: text.utf16Offset(ofScalar: end) - location))
            }
        }
        source = .scalar(ranges: ranges, groupNumbers: groupNumbers)
    }

    /// The whole match.
    public var range: NSRange { range(at: 0) }

    /// Number of ranges: the whole match and one per capturing group.
    public var numberOfRanges: Int {
        switch source {
        case .scalar(let ranges, _): return ranges.count
        case .foundation(let r): return r.numberOfRanges
        }
    }

    /// Group `k`'s range (0: the whole match).
    public func range(at k: Int) -> NSRange {
        switch source {
        case .scalar(let ranges, _): return ranges[k]
        case .foundation(let r): return r.range(at: k)
        }
    }

    /// The named group's range; location `NSNotFound` when it took no part or there is no such group.
    public func range(withName name: String) -> NSRange {
        switch source {
        case .scalar(let ranges, let numbers): return numbers[name].map { ranges[$0] } ?? NSRange(location: NSNotFound, length: 0)
        case .foundation(let r): return r.range(withName: name)
        }
    }
}

/// A text as Unicode scalar values, with the conversion of scalar offsets to UTF-16 offsets.
struct ScalarText {
    let values: [UInt32]
    /// The UTF-16 offset of every scalar offset (`values.count + 1` of them), only when some scalar takes two
    /// UTF-16 units (outside the Basic Multilingual Plane); else a scalar offset is its UTF-16 offset. Counted
    /// once, so converting the ranges of many matches stays linear in the text.
    private let utf16Offsets: [Int]?

    init(_ s: String) {
        // Decoded from the UTF-8 bytes; a four-byte scalar is the one kind that takes two UTF-16 units.
        let (values, astral) = UTF8Scan.scalarValues(of: s)
        self.values = values
        guard astral else {
            utf16Offsets = nil
            return
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(values.count + 1)
        var offset = 0
        for v in values {
            offsets.append(offset)
            offset += v > 0xFFFF ? 2 : 1
        }
        offsets.append(offset)
        utf16Offsets = offsets
    }

    func utf16Offset(ofScalar k: Int) -> Int { utf16Offsets?[k] ?? k }
}

/// The texts of a match's named groups, by name (a group that took no part in the match has none). A match has
/// a handful of named groups at most: the names asked for are kept as given and each name's text beside it, found
/// by comparing names (a dictionary made for every match allocated its storage and hashed each name put in it).
/// Compared as the dictionaries were: the same names with texts, and the same text for each.
public struct GroupTextMap: Equatable, Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var names: [String]
    private var texts: [String?]

    /// A map with room for `names` (each a text once set) and no text yet.
    public init(names: [String]) {
        self.names = names
        texts = [String?](repeating: nil, count: names.count)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        names = elements.map(\.0)
        texts = elements.map(\.1)
    }

    /// The text of the group named `name`, nil when it has none. Setting a name not given at `init` adds it.
    public subscript(name: String) -> String? {
        get {
            for i in names.indices where names[i] == name { return texts[i] }
            return nil
        }
        set {
            for i in names.indices where names[i] == name {
                texts[i] = newValue
                return
            }
            names.append(name)
            texts.append(newValue)
        }
    }

    /// True when no name has a text.
    public var isEmpty: Bool { !texts.contains { $0 != nil } }

    /// The names with a text, and their texts, in the order of the names.
    public var entries: [(name: String, text: String)] {
        names.indices.compactMap { i in texts[i].map { (names[i], $0) } }
    }

    public static func == (a: GroupTextMap, b: GroupTextMap) -> Bool {
        let ea = a.entries
        return ea.count == b.entries.count && ea.allSatisfy { b[$0.name] == $0.text }
    }

    public var description: String {
        "[" + entries.map { "\($0.name): \($0.text)" }.joined(separator: ", ") + "]"
    }
}
