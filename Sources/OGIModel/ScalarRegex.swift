#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small backtracking matcher for the part of ICU's regular-expression syntax that rule packs and reading
/// profiles use, matching exactly as NSRegularExpression (ICU, no options) does for those patterns, without
/// ICU's process-wide set-up (several million instructions on the first expression of a process).
///
/// The subset: literal characters; escaped punctuation; `\t \n \r \f \xhh \uhhhh`; `.` (any character but a
/// line terminator); classes `[...]` and `[^...]` of characters, ranges and `\d \s \w \D \S \W`; those six
/// escapes with ICU's Unicode meanings (`\d` a decimal digit of any script, `\s` Unicode white space, `\w`
/// letters, marks, decimal digits, connector punctuation, ZWNJ and ZWJ); groups `(...)`, `(?<name>...)`,
/// `(?:...)`; alternation; the quantifiers `? * + {m} {m,} {m,n}` greedy or lazy (`*?`); `^` (start of the
/// text) and `$` (end of the text, or before a line terminator that ends it) as ICU reads them without the
/// multiline flag; `\p{Han}` and `\P{Han}` (the Han script); a lookbehind of one character, `(?<=X)` or
/// `(?<!X)`. `init?` returns nil for anything else (other lookaround, `\b`, other properties, back
/// references, flags, possessive quantifiers, a repeated group that can match the empty string, ...): callers
/// run such a pattern through NSRegularExpression. Matching works on Unicode scalars, as ICU matches code
/// points.
///
/// Every search counts its steps (one per instruction, per character consumed and per backtrack) and stops
/// with `StepBudgetExceeded` past its budget, so a catastrophic pattern cannot hang a run and is stopped at
/// the same point on every machine.
public struct ScalarRegex: Sendable {
    /// The search needed more steps (or more backtracking memory) than it was allowed.
    public struct StepBudgetExceeded: Error {}

    /// Number of capturing groups (group 0, the whole match, not counted).
    public let groupCount: Int
    /// Capturing group numbers by name.
    public let groupNumbers: [String: Int]
    /// `groupNumbers` as a list: a pattern has a few named groups, found by name without hashing it.
    public let namedGroups: [(name: String, number: Int)]
    let program: [Instruction]
    let sets: [RegexCharacterSet]
    /// True when every match must start at the start of the text (`^` first in every alternative).
    let anchoredAtStart: Bool
    /// What a match's first character can be; nil when a match may be empty or the first item is unknown.
    let firstItems: [FirstItem]?
    /// The one character every match starts with, when `firstItems` is that single character: the positions
    /// before it are skipped by comparing scalars alone.
    let firstScalar: UInt32?
    /// The set every match's first character is in, when `firstItems` is that single set (as `[（(]`): the positions
    /// before one of its characters are skipped by asking that set alone.
    let firstSet: Int?
    /// What a match's second character can be, when every match starts with one character read by a single
    /// scalar or set and reads another right after it (`RegexNode.secondItems`); nil otherwise. With `firstItems`,
    /// a text none of whose characters admitted first is followed by one admitted second holds no match
    /// (`mayMatch(pairsIn:)`), and is not decoded for a search.
    let secondItems: [FirstItem]?
    /// With `secondItems`: the scalars a match may start with, as their UTF-8 bytes, when `firstItems` names at most
    /// four (single scalars, or sets of listed scalars without a class or negation, as `[（(]`); nil otherwise.
    /// `mayMatch(pairsIn:)` then finds where each occurs in a text's bytes with `memchr` (on its last byte) instead
    /// of decoding every scalar of the text.
    let firstScalarBytes: [ListedScalar]?

    /// A scalar a match may start with, as its UTF-8 bytes: the last one (looked for with `memchr`) and those before
    /// it, packed into one word (the first in the lowest byte).
    struct ListedScalar: Sendable {
        let last: Int32
        let before: UInt32
        let beforeCount: Int

        init(_ u: Unicode.Scalar) {
            let bytes = Array(String(u).utf8)
            last = Int32(bytes[bytes.count - 1])
            beforeCount = bytes.count - 1
            var packed: UInt32 = 0
            for k in 0..<beforeCount { packed |= UInt32(bytes[k]) << UInt32(8 * k) }
            before = packed
        }
    }
    /// True when whether a match starts at a position of a text depends only on the line it is in (the text between
    /// line feeds): no character, set or run can be a line feed, and there is no `^` or `$`. A look-behind's set
    /// holds no line feed either, so at a line's start it fails or holds alike whether a line feed or nothing comes
    /// before. Then a text joined from lines holds a match exactly when one of its lines does, and every match is
    /// inside a line.
    public let isLineLocal: Bool

    /// Largest number of instructions a pattern may compile to (counted repetitions are written out).
    static let maxProgramLength = 20_000
    /// Largest backtracking stack, in frames; a search needing more stops as over budget.
    public static let maxFrames = 1_000_000

    /// Compiles `pattern`; nil when it uses anything outside the supported subset.
    public init?(_ pattern: String) {
        var parser = RegexParser(pattern: Array(pattern.unicodeScalars))
        guard let tree = try? parser.parseWhole() else { return nil }
        var compiler = RegexCompiler(sets: parser.sets)
        compiler.emit(.save(0))
        guard (try? compiler.compile(tree)) != nil else { return nil }
        compiler.emit(.save(1))
        compiler.emit(.match)
        guard compiler.program.count <= Self.maxProgramLength else { return nil }
        program = compiler.program
        sets = compiler.sets
        groupCount = parser.groupCount
        groupNumbers = parser.groupNumbers
        namedGroups = parser.groupNumbers.map { (name: $0.key, number: $0.value) }.sorted { $0.number < $1.number }
        anchoredAtStart = tree.isAnchoredAtStart
        let first = tree.firstItems
        firstItems = first.nullable ? nil : first.items
        if let items = firstItems, items.count == 1, case .scalar(let v) = items[0] { firstScalar = v } else { firstScalar = nil }
        if let items = firstItems, items.count == 1, case .set(let k) = items[0] { firstSet = k } else { firstSet = nil }
        secondItems = firstItems == nil ? nil : tree.secondItems
        let compiledSets = compiler.sets
        firstScalarBytes = secondItems == nil ? nil : Self.listedScalars(firstItems, compiledSets, atMost: 4)?.map(ListedScalar.init)
        isLineLocal = compiler.program.allSatisfy { instruction in
            switch instruction {
            case .textStart, .textEnd: return false
            case .scalar(let v): return v != 0x0A
            case .set(let k), .repeatSet(set: let k, _, _, _), .lookbehind(set: let k, _): return !compiledSets[k].contains(0x0A)
            case .split, .jump, .save, .match: return true
            }
        }
    }

    /// The first match starting at or after scalar offset `start`: the start and end offsets (in scalars) of
    /// the whole match and of every group, -1 for a group that took no part. `steps` counts the work done
    /// and the search throws once it passes `budget`.
    public func firstMatch(in text: [UInt32], from start: Int, steps: inout Int, budget: Int) throws(StepBudgetExceeded) -> [Int]? {
        // The program, its sets and the text are read through buffer pointers for the whole search: a matcher
        // holding the arrays retained and released each of them (the program and sets shared by every thread) at
        // every search, about a hundred searches a report.
        try program.withUnsafeBufferPointer { program throws(StepBudgetExceeded) in
            try sets.withUnsafeBufferPointer { sets throws(StepBudgetExceeded) in
                try text.withUnsafeBufferPointer { text throws(StepBudgetExceeded) in
                    var matcher = Backtracker(
                        program: program, sets: sets, text: text, groupCount: groupCount, budget: budget, steps: steps)
                    defer { steps = matcher.steps }
                    return try search(&matcher, from: start)
                }
            }
        }
    }

    /// `firstMatch(in:from:steps:budget:)` with its matcher.
    private func search(_ matcher: inout Backtracker, from start: Int) throws(StepBudgetExceeded) -> [Int]? {
        let text = matcher.text, sets = matcher.sets
        if anchoredAtStart {
            guard start == 0 else { return nil }
            return try matcher.attempt(at: 0) ? matcher.slots : nil
        }
        var position = start
        let n = text.count
        while position <= n {
            if let firstScalar {
                // The same skip as below, one step a position, with the steps counted once for the run skipped.
                let from = position
                while position < n && text[position] != firstScalar { position += 1 }
                try matcher.count(position - from)
                if position == n { return nil }
            } else if let k = firstSet {
                // The same skip, the set asked directly (not through the list of first items).
                let from = position
                while position < n && !sets[k].contains(text[position]) { position += 1 }
                try matcher.count(position - from)
                if position == n { return nil }
            } else if let firstItems {
                // A match consumes a first character: skip the positions that cannot start one.
                while position < n && !firstItems.contains(where: { $0.admits(text[position], sets) }) {
                    position += 1
                    try matcher.count(1)
                }
                if position == n { return nil }
            }
            if try matcher.attempt(at: position) { return matcher.slots }
            position += 1
        }
        return nil
    }

    /// False when `text` holds no match by both screens: its first scalar cannot begin a match anchored at the start
    /// (`mayMatch(textStartingWith:)`), or no character a match may start with is followed by one that may come second
    /// (`mayMatch(pairsIn:)`). What `CompiledRegex` asks before it decodes a text for a search.
    public func mayMatch(_ text: String) -> Bool {
        mayMatch(textStartingWith: text.unicodeScalars.first?.value) && mayMatch(pairsIn: text)
    }

    /// False when no match can start anywhere in `text`: no character of it that a match may start with is followed
    /// by one that may come second (`firstItems`, `secondItems`). True otherwise, and when the pattern has no such
    /// pair. Read on the text's UTF-8 bytes, without decoding it into an array.
    public func mayMatch(pairsIn text: String) -> Bool {
        guard let second = secondItems else { return true }
        guard let firstScalarBytes else { return mayMatchByScalars(pairsIn: text) }
        return text.withUTF8Bytes { b in
            guard let base = b.baseAddress else { return false }
            let n = b.count
            return firstScalarBytes.withUnsafeBufferPointer { listed in
                for scalar in listed {
                    // Each place the scalar's last byte occurs with its other bytes before it: the scalar itself (a
                    // lead byte only ever starts a scalar in UTF-8), then the scalar after it, if any.
                    let count = scalar.beforeCount
                    var end = count
                    while end < n, let found = memchr(base + end, scalar.last, n - end) {
                        end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                        var packed: UInt32 = 0
                        for k in 0..<count { packed |= UInt32(base[end - count + k]) << UInt32(8 * k) }
                        if packed == scalar.before && end + 1 < n {
                            let (v, _) = UTF8Scan.scalar(b, end + 1)
                            if sets.withUnsafeBufferPointer({ sets in second.contains { $0.admits(v, sets) } }) { return true }
                        }
                        end += 1
                    }
                }
                return false
            }
        }
    }

    /// `mayMatch(pairsIn:)` read scalar by scalar: every scalar decoded and asked whether a match may start with it.
    /// What `mayMatch(pairsIn:)` does for a pattern whose first scalars are not listed (`firstScalarBytes`), and the
    /// reference the tests compare its byte search with.
    public func mayMatchByScalars(pairsIn text: String) -> Bool {
        guard let first = firstItems, let second = secondItems else { return true }
        return sets.withUnsafeBufferPointer { sets in
            text.withUTF8Bytes { b in
                var i = 0
                var previousIsFirst = false
                while i < b.count {
                    let (v, length) = UTF8Scan.scalar(b, i)
                    if previousIsFirst && second.contains(where: { $0.admits(v, sets) }) { return true }
                    previousIsFirst = first.contains { $0.admits(v, sets) }
                    i += length
                }
                return false
            }
        }
    }

    /// The scalars `items` name, when they are at most `limit` in all: single scalars, and sets of ranges without a
    /// class or negation; nil otherwise (or without items).
    static func listedScalars(_ items: [FirstItem]?, _ sets: [RegexCharacterSet], atMost limit: Int) -> [Unicode.Scalar]? {
        guard let items else { return nil }
        var out: [Unicode.Scalar] = []
        func add(_ v: UInt32) -> Bool {
            guard let u = Unicode.Scalar(v) else { return false }
            if !out.contains(u) { out.append(u) }
            return out.count <= limit
        }
        for item in items {
            switch item {
            case .scalar(let v):
                guard add(v) else { return nil }
            case .set(let k):
                let set = sets[k]
                guard set.classes.isEmpty, !set.negated else { return nil }
                for r in set.ranges {
                    guard r.upperBound - r.lowerBound < UInt32(limit) else { return nil }
                    for v in r { guard add(v) else { return nil } }
                }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// False when the text cannot hold a match because of its first scalar alone (`first`; nil for an empty
    /// text): every match starts at the start of the text (`^`) and consumes a first character, which `first`
    /// is not. True otherwise: then only a search can tell. (A search of such a text makes one attempt, which
    /// fails at the first character, unless it runs out of steps first.)
    public func mayMatch(textStartingWith first: UInt32?) -> Bool {
        guard anchoredAtStart, let items = firstItems else { return true }
        guard let first else { return false }
        return sets.withUnsafeBufferPointer { sets in items.contains { $0.admits(first, sets) } }
    }

    /// Every match from the start, found as ICU finds them one after another: the next search starts where
    /// the last match ended, or one character further after an empty match.
    public func allMatches(in text: [UInt32], steps: inout Int, budget: Int) throws(StepBudgetExceeded) -> [[Int]] {
        var out: [[Int]] = []
        var position = 0
        while position <= text.count, let m = try firstMatch(in: text, from: position, steps: &steps, budget: budget) {
            out.append(m)
            position = m[1] == m[0] ? m[1] + 1 : m[1]
        }
        return out
    }
}

// MARK: - Character sets

/// The character classes written with a backslash, with ICU's definitions.
enum BuiltinClass: Sendable {
    case digit, space, word, notLineTerminator, han

    /// The code points of the Han script (`\p{Han}`), as ICU 76 (Unicode 16) has them; the tests compare them
    /// with ICU's over every scalar.
    static let hanRanges: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029, 0x3038...0x303B,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3, 0x16FF0...0x16FF1,
        0x20000...0x2A6DF, 0x2A700...0x2B739, 0x2B740...0x2B81D, 0x2B820...0x2CEA1, 0x2CEB0...0x2EBE0, 0x2EBF0...0x2EE5D,
        0x2F800...0x2FA1D, 0x30000...0x3134A, 0x31350...0x323AF,
    ]

    /// The newest Unicode version whose characters ICU (76: Unicode 16) knows; a character the standard
    /// library knows from a later version is unassigned to ICU, so in none of these classes.
    static let icuUnicodeMajorVersion = 16

    /// The scalar's properties when ICU knows the character.
    static func knownProperties(_ v: UInt32) -> Unicode.Scalar.Properties? {
        guard let p = Unicode.Scalar(v)?.properties, let age = p.age, age.major <= icuUnicodeMajorVersion else { return nil }
        return p
    }

    /// CJK Extension A and the unified ideographs: letters (or unassigned), so never a digit or white space;
    /// answered without reading the scalar's properties, which Chinese text would ask of nearly every scalar.
    @inline(__always) static func isIdeograph(_ v: UInt32) -> Bool { (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x4E00 && v <= 0x9FFF) }

    /// CJK Symbols and Punctuation (U+3000...U+303F) and the full-width forms of ASCII (U+FF01...U+FF5E), the
    /// punctuation of a Chinese text: assigned since Unicode 1.1, their only white space is U+3000 and their only
    /// decimal digits U+FF10...U+FF19, answered without reading the scalar's properties (`Eval5FastPathTests` compares
    /// every one with them, `ScalarRegexDifferentialTests` with ICU).
    @inline(__always) static func isCJKPunctuationOrFullWidth(_ v: UInt32) -> Bool {
        (v >= 0x3000 && v <= 0x303F) || (v >= 0xFF01 && v <= 0xFF5E)
    }

    /// The class's members below 128 as two bit masks (scalars 0–63, 64–127), from `contains`; made once per class.
    var asciiMask: (low: UInt64, high: UInt64) {
        switch self {
        case .digit: Self.asciiMasks[0]
        case .space: Self.asciiMasks[1]
        case .word: Self.asciiMasks[2]
        case .notLineTerminator: Self.asciiMasks[3]
        case .han: Self.asciiMasks[4]
        }
    }

    private static let asciiMasks: [(low: UInt64, high: UInt64)] = ([.digit, .space, .word, .notLineTerminator, .han] as [BuiltinClass]).map
    {
        (c: BuiltinClass) -> (low: UInt64, high: UInt64) in
        var low: UInt64 = 0, high: UInt64 = 0
        for v in UInt32(0)..<128 where c.contains(v) {
            if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
        }
        return (low, high)
    }

    func contains(_ v: UInt32) -> Bool {
        switch self {
        case .digit:
            if v < 128 { return v >= 0x30 && v <= 0x39 }
            if Self.isIdeograph(v) { return false }
            if Self.isCJKPunctuationOrFullWidth(v) { return v >= 0xFF10 && v <= 0xFF19 }
            return Self.knownProperties(v).map { $0.generalCategory == .decimalNumber } ?? false
        case .space:
            if v < 128 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
            if Self.isIdeograph(v) { return false }
            if Self.isCJKPunctuationOrFullWidth(v) { return v == 0x3000 }
            return Self.knownProperties(v).map { $0.isWhitespace } ?? false
        case .word:
            if v < 128 {
                return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
            }
            if v == 0x200C || v == 0x200D { return true }
            guard let p = Self.knownProperties(v) else { return false }
            if p.isAlphabetic { return true }
            switch p.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
            default: return false
            }
        case .notLineTerminator:
            return !((v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029)
        case .han:
            if v >= 0x4E00 && v <= 0x9FFF { return true }
            return v >= 0x2E80 && Self.hanRanges.contains { $0.contains(v) }
        }
    }
}

/// A set of Unicode scalars: ranges and builtin classes (each possibly negated), the whole possibly negated;
/// ASCII membership is precomputed in a bitmap, and so is how the set answers for the CJK unified ideographs
/// (`ideographAnswer`), most of a Chinese text's scalars.
struct RegexCharacterSet: Sendable {
    let ranges: [ClosedRange<UInt32>]
    let classes: [(BuiltinClass, negated: Bool)]
    let negated: Bool
    private let asciiLow: UInt64
    private let asciiHigh: UInt64
    /// How `contains` answers for a scalar of `ideographs`: by `slowContains` (0), no (1), yes (2), or by
    /// `ideographBits` (3).
    private let ideographAnswer: UInt8
    /// One bit per scalar of `ideographs`, set for the members (answer 3 only; else empty).
    private let ideographBits: [UInt64]

    /// The CJK unified ideographs, U+4E00...U+9FFF (computed, not stored: `contains` reads its bounds as constants).
    static var ideographs: ClosedRange<UInt32> { 0x4E00...0x9FFF }

    init(ranges: [ClosedRange<UInt32>] = [], classes: [(BuiltinClass, negated: Bool)] = [], negated: Bool = false) {
        self.ranges = ranges
        self.classes = classes
        self.negated = negated
        (asciiLow, asciiHigh) = Self.asciiBits(ranges: ranges, classes: classes, negated: negated)
        (ideographAnswer, ideographBits) = Self.ideographMembership(ranges: ranges, classes: classes, negated: negated)
    }

    /// How a set answers for the scalars of `ideographs` (`ideographAnswer`, `ideographBits`), worked out from its
    /// parts without asking `slowContains` for each scalar. A class holds none or all of them where that is known
    /// from its definition: `\d` and `\s` none (`BuiltinClass.isIdeograph`), `\p{Han}` and `.` all (`hanRanges`
    /// holds them, and no line terminator is one), each negated the other way; `\w` is not worked out. When a
    /// class holds all of them, so does the set (before its own negation); when one is not worked out, the set is
    /// asked scalar by scalar; otherwise the ranges alone decide, through a bitmap when a range holds some but not
    /// all of them. `RegexASCIIMaskTests` compares `contains` with `slowContains` over these scalars.
    static func ideographMembership(ranges: [ClosedRange<UInt32>], classes: [(BuiltinClass, negated: Bool)], negated: Bool)
        -> (UInt8, [UInt64])
    {
        let block = ideographs
        var classesHoldAll = false
        for (c, classNegated) in classes {
            let holdsAll: Bool
            switch c {
            case .digit, .space: holdsAll = false
            case .han, .notLineTerminator: holdsAll = true
            case .word: return (0, [])
            }
            if holdsAll != classNegated { classesHoldAll = true }
        }
        let yes: UInt8 = negated ? 1 : 2, no: UInt8 = negated ? 2 : 1
        if classesHoldAll { return (yes, []) }
        let inside = ranges.filter { $0.overlaps(block) }
        if inside.isEmpty { return (no, []) }
        if inside.contains(where: { $0.lowerBound <= block.lowerBound && $0.upperBound >= block.upperBound }) { return (yes, []) }
        let count = Int(block.upperBound - block.lowerBound) + 1
        var bits = [UInt64](filledWith: negated ? ~0 : 0, count: (count + 63) / 64)
        for r in inside {
            for v in max(r.lowerBound, block.lowerBound)...min(r.upperBound, block.upperBound) {
                let k = Int(v - block.lowerBound)
                if negated { bits[k >> 6] &= ~(1 << UInt64(k & 63)) } else { bits[k >> 6] |= 1 << UInt64(k & 63) }
            }
        }
        return (3, bits)
    }

    /// The ASCII members as two bit masks (scalars 0–63, 64–127): what `slowContains` says of each, found range by
    /// range and class by class instead of asking it 128 times.
    static func asciiBits(ranges: [ClosedRange<UInt32>], classes: [(BuiltinClass, negated: Bool)], negated: Bool) -> (UInt64, UInt64) {
        var bits: (low: UInt64, high: UInt64) = (0, 0)
        func insert(_ v: UInt32) {
            if v < 64 { bits.low |= 1 << UInt64(v) } else { bits.high |= 1 << UInt64(v - 64) }
        }
        for r in ranges where r.lowerBound < 128 {
            for v in r.lowerBound...min(r.upperBound, 127) { insert(v) }
        }
        for (c, classNegated) in classes {
            let mask = c.asciiMask
            bits.low |= classNegated ? ~mask.low : mask.low
            bits.high |= classNegated ? ~mask.high : mask.high
        }
        return negated ? (~bits.low, ~bits.high) : bits
    }

    /// The ASCII members as `slowContains` gives them, one scalar at a time (the reference `asciiBits` is tested
    /// against).
    func asciiBitsOneByOne() -> (UInt64, UInt64) {
        var low: UInt64 = 0, high: UInt64 = 0
        for v in UInt32(0)..<128 where slowContains(v) {
            if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
        }
        return (low, high)
    }

    /// The two masks `init` made (for tests).
    var asciiMasks: (UInt64, UInt64) { (asciiLow, asciiHigh) }

    @inline(__always) func contains(_ v: UInt32) -> Bool {
        if v < 64 { return asciiLow & (1 << UInt64(v)) != 0 }
        if v < 128 { return asciiHigh & (1 << UInt64(v - 64)) != 0 }
        // A value below `ideographs` wraps round past the block's width.
        if v &- Self.ideographs.lowerBound <= Self.ideographs.upperBound &- Self.ideographs.lowerBound {
            switch ideographAnswer {
            case 1: return false
            case 2: return true
            case 3:
                let k = Int(v &- Self.ideographs.lowerBound)
                return ideographBits[k >> 6] & (1 << UInt64(k & 63)) != 0
            default: break
            }
        }
        return slowContains(v)
    }

    /// Membership asked of the ranges and classes, scalar by scalar: what `contains` answers.
    func slowContains(_ v: UInt32) -> Bool {
        var hit = ranges.contains { $0.contains(v) }
        if !hit { hit = classes.contains { $0.0.contains(v) != $0.negated } }
        return hit != negated
    }
}

// MARK: - Syntax tree

/// A parsed pattern.
indirect enum RegexNode: Sendable {
    case scalar(UInt32)
    case set(Int)
    case textStart
    case textEnd
    /// `(?<=X)` (or `(?<!X)` when negated) of a one-character X, as a set.
    case lookbehind(Int, negated: Bool)
    case capture(Int, RegexNode)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, lazy: Bool)

    /// True when the node can match without consuming a character.
    var canBeEmpty: Bool {
        switch self {
        case .scalar, .set: return false
        case .textStart, .textEnd, .lookbehind: return true
        case .capture(_, let body): return body.canBeEmpty
        case .sequence(let items): return items.allSatisfy(\.canBeEmpty)
        case .alternation(let branches): return branches.contains(where: \.canBeEmpty)
        case .repetition(let body, let min, _, _): return min == 0 || body.canBeEmpty
        }
    }

    /// True when every match of the node starts with `^`.
    var isAnchoredAtStart: Bool {
        switch self {
        case .textStart: return true
        case .capture(_, let body): return body.isAnchoredAtStart
        case .sequence(let items): return items.first?.isAnchoredAtStart ?? false
        case .alternation(let branches): return branches.allSatisfy(\.isAnchoredAtStart)
        default: return false
        }
    }

    /// The items a match's second character must match, when every match of the node begins with one character
    /// read by a single scalar or set (after any `^` and look-behinds, which read none) and must read at least one
    /// more: the first items of what follows that character. Nil otherwise.
    var secondItems: [FirstItem]? {
        guard let rest = restAfterSingleFirst else { return nil }
        let f = RegexNode.sequence(rest).firstItems
        return f.nullable ? nil : f.items
    }

    /// What follows the first character of every match, when it is read by a single scalar or set.
    private var restAfterSingleFirst: [RegexNode]? {
        switch self {
        case .scalar, .set: return []
        case .capture(_, let body): return body.restAfterSingleFirst
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                switch item {
                case .textStart, .lookbehind: continue
                case .scalar, .set, .capture, .sequence:
                    guard let inner = item.restAfterSingleFirst else { return nil }
                    return inner + items[(i + 1)...]
                default: return nil
                }
            }
            return nil
        default: return nil
        }
    }

    /// The items the first consumed character must match, and whether the node may consume nothing.
    var firstItems: (items: [FirstItem], nullable: Bool) {
        switch self {
        case .scalar(let v): return ([.scalar(v)], false)
        case .set(let k): return ([.set(k)], false)
        case .textStart, .textEnd, .lookbehind: return ([], true)
        case .capture(_, let body): return body.firstItems
        case .sequence(let items):
            var out: [FirstItem] = []
            for item in items {
                let f = item.firstItems
                out += f.items
                if !f.nullable { return (out, false) }
            }
            return (out, true)
        case .alternation(let branches):
            var out: [FirstItem] = []
            var nullable = false
            for b in branches {
                let f = b.firstItems
                out += f.items
                nullable = nullable || f.nullable
            }
            return (out, nullable)
        case .repetition(let body, let min, _, _):
            let f = body.firstItems
            return (f.items, f.nullable || min == 0)
        }
    }
}

/// One possible first character of a match.
enum FirstItem: Sendable {
    case scalar(UInt32)
    case set(Int)

    @inline(__always) func admits(_ v: UInt32, _ sets: UnsafeBufferPointer<RegexCharacterSet>) -> Bool {
        switch self {
        case .scalar(let s): return s == v
        case .set(let k): return sets[k].contains(v)
        }
    }
}

/// The pattern uses something outside the subset.
struct UnsupportedSyntax: Error {}

/// Reads a pattern into a `RegexNode`, refusing (with `UnsupportedSyntax`) anything outside the subset,
/// including everything ICU would reject as invalid.
struct RegexParser {
    let pattern: [Unicode.Scalar]
    var i = 0
    var groupCount = 0
    var groupNumbers: [String: Int] = [:]
    var sets: [RegexCharacterSet] = []
    /// Largest count written in `{m,n}`.
    static let maxCount = 1000

    init(pattern: [Unicode.Scalar]) { self.pattern = pattern }

    var atEnd: Bool { i >= pattern.count }
    var peek: Unicode.Scalar? { i < pattern.count ? pattern[i] : nil }

    mutating func parseWhole() throws(UnsupportedSyntax) -> RegexNode {
        let node = try parseAlternation()
        guard atEnd else { throw UnsupportedSyntax() }
        return node
    }

    mutating func parseAlternation() throws(UnsupportedSyntax) -> RegexNode {
        var branches = [try parseSequence()]
        while peek == "|" {
            i += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(UnsupportedSyntax) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            let atom = try parseAtom()
            items.append(try parseQuantifier(on: atom))
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseAtom() throws(UnsupportedSyntax) -> RegexNode {
        let c = pattern[i]
        i += 1
        switch c {
        case "(":
            var number: Int?
            if peek == "?" {
                i += 1
                if peek == ":" {
                    i += 1
                } else if peek == "<" {
                    i += 1
                    if let kind = peek, kind == "=" || kind == "!" {
                        i += 1
                        let body = try parseAlternation()
                        guard peek == ")" else { throw UnsupportedSyntax() }
                        i += 1
                        switch body {
                        case .scalar(let v): return .lookbehind(addSet(RegexCharacterSet(ranges: [v...v])), negated: kind == "!")
                        case .set(let k): return .lookbehind(k, negated: kind == "!")
                        default: throw UnsupportedSyntax()
                        }
                    }
                    let name = try parseGroupName()
                    groupCount += 1
                    guard groupNumbers[name] == nil else { throw UnsupportedSyntax() }
                    groupNumbers[name] = groupCount
                    number = groupCount
                } else {
                    throw UnsupportedSyntax()
                }
            } else {
                groupCount += 1
                number = groupCount
            }
            let body = try parseAlternation()
            guard peek == ")" else { throw UnsupportedSyntax() }
            i += 1
            return number.map { .capture($0, body) } ?? body
        case "[": return .set(try parseClass())
        case ".": return .set(addSet(RegexCharacterSet(classes: [(.notLineTerminator, false)])))
        case "^": return .textStart
        case "$": return .textEnd
        case "\\":
            switch try parseEscape(inClass: false) {
            case .scalar(let v): return .scalar(v)
            case .builtin(let b, let negated): return .set(addSet(RegexCharacterSet(classes: [(b, negated)])))
            }
        case "]": return .scalar(c.value)  // outside a class ICU reads ']' as itself
        case "*", "+", "?", "{", "}", ")", "|": throw UnsupportedSyntax()
        default: return .scalar(c.value)
        }
    }

    mutating func parseGroupName() throws(UnsupportedSyntax) -> String {
        var name = ""
        while let c = peek, c != ">" {
            let isLetter = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
            let isDigit = c >= "0" && c <= "9"
            guard isLetter || (isDigit && !name.isEmpty) else { throw UnsupportedSyntax() }
            name.unicodeScalars.append(c)
            i += 1
        }
        guard peek == ">", !name.isEmpty else { throw UnsupportedSyntax() }
        i += 1
        return name
    }

    mutating func parseQuantifier(on atom: RegexNode) throws(UnsupportedSyntax) -> RegexNode {
        guard let c = peek else { return atom }
        var min = 0
        var max: Int?
        switch c {
        case "*": i += 1
        case "+": i += 1; min = 1
        case "?": i += 1; max = 1
        case "{":
            i += 1
            min = try parseCount()
            if peek == "," {
                i += 1
                if peek != "}" { max = try parseCount() }
            } else {
                max = min
            }
            guard peek == "}" else { throw UnsupportedSyntax() }
            i += 1
            if let max, max < min || max == 0 { throw UnsupportedSyntax() }
        default: return atom
        }
        var lazy = false
        if peek == "?" { lazy = true; i += 1 }
        // Possessive quantifiers and quantified quantifiers are outside the subset.
        if let next = peek, next == "+" || next == "*" || next == "?" || next == "{" { throw UnsupportedSyntax() }
        switch atom {
        case .textStart, .textEnd, .lookbehind: throw UnsupportedSyntax()
        case .scalar, .set: break
        default:
            // A repeated group that can match the empty string: ICU's special handling of empty iterations
            // is not reproduced.
            if atom.canBeEmpty && (max ?? 2) > 1 { throw UnsupportedSyntax() }
        }
        return .repetition(atom, min: min, max: max, lazy: lazy)
    }

    mutating func parseCount() throws(UnsupportedSyntax) -> Int {
        var n = 0
        var digits = 0
        while let c = peek, c >= "0" && c <= "9" {
            n = n * 10 + Int(c.value - 0x30)
            digits += 1
            i += 1
            guard n <= Self.maxCount else { throw UnsupportedSyntax() }
        }
        guard digits > 0 else { throw UnsupportedSyntax() }
        return n
    }

    enum Escaped {
        case scalar(UInt32)
        case builtin(BuiltinClass, negated: Bool)
    }

    /// An escape after its backslash.
    mutating func parseEscape(inClass: Bool) throws(UnsupportedSyntax) -> Escaped {
        guard let c = peek else { throw UnsupportedSyntax() }
        i += 1
        switch c {
        case "d": return .builtin(.digit, negated: false)
        case "D": return .builtin(.digit, negated: true)
        case "s": return .builtin(.space, negated: false)
        case "S": return .builtin(.space, negated: true)
        case "w": return .builtin(.word, negated: false)
        case "W": return .builtin(.word, negated: true)
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "r": return .scalar(0x0D)
        case "f": return .scalar(0x0C)
        case "x": return .scalar(try parseHex(digits: 2))
        case "p", "P":
            // Only the Han script, written exactly `\p{Han}`.
            let name = "{Han}".unicodeScalars
            guard i + name.count <= pattern.count, pattern[i..<i + name.count].elementsEqual(name) else { throw UnsupportedSyntax() }
            i += name.count
            return .builtin(.han, negated: c == "P")
        case "u": return .scalar(try parseHex(digits: 4))
        default:
            // Escaped ASCII punctuation stands for itself.
            let v = c.value
            let punctuation = (v >= 0x21 && v <= 0x2F) || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60) || (v >= 0x7B && v <= 0x7E)
            guard punctuation else { throw UnsupportedSyntax() }
            return .scalar(v)
        }
    }

    mutating func parseHex(digits: Int) throws(UnsupportedSyntax) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<digits {
            guard let c = peek, let d = c.properties.isASCIIHexDigit ? Int(String(c), radix: 16) : nil else { throw UnsupportedSyntax() }
            v = v * 16 + UInt32(d)
            i += 1
        }
        // Surrogate code points cannot occur in a Swift string.
        guard Unicode.Scalar(v) != nil else { throw UnsupportedSyntax() }
        return v
    }

    /// Unescaped ASCII characters a class may hold as themselves: anything with a meaning in ICU's set
    /// syntax (`[ ] & $ { } ^ :` ...) is refused.
    static let plainClassPunctuation: Set<UInt32> = Set(".,/;!?'\"()*+|<>=@#%~_`".unicodeScalars.map(\.value))

    /// A class after its `[`; returns the index of its set.
    mutating func parseClass() throws(UnsupportedSyntax) -> Int {
        var negated = false
        if peek == "^" { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [(BuiltinClass, negated: Bool)] = []
        var first = true
        while true {
            guard let c = peek else { throw UnsupportedSyntax() }
            if c == "]" {
                guard !first else { throw UnsupportedSyntax() }
                i += 1
                break
            }
            let item = try parseClassItem(first: first)
            first = false
            switch item {
            case .builtin(let b, let n):
                classes.append((b, n))
                if peek == "-" && pattern.indices.contains(i + 1) && pattern[i + 1] != "]" { throw UnsupportedSyntax() }
            case .scalar(let lo):
                if peek == "-", i + 1 < pattern.count, pattern[i + 1] != "]" {
                    i += 1
                    guard case .scalar(let hi) = try parseClassItem(first: false), lo <= hi else { throw UnsupportedSyntax() }
                    ranges.append(lo...hi)
                } else {
                    ranges.append(lo...lo)
                }
            }
        }
        return addSet(RegexCharacterSet(ranges: ranges, classes: classes, negated: negated))
    }

    mutating func parseClassItem(first: Bool) throws(UnsupportedSyntax) -> Escaped {
        let c = pattern[i]
        i += 1
        if c == "\\" { return try parseEscape(inClass: true) }
        let v = c.value
        if v < 0x80 {
            let plain = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x20
            if c == "-" {
                // A hyphen is itself only first or last (`[-a]`, `[a-]`), never as `--`.
                guard first || peek == "]" else { throw UnsupportedSyntax() }
            } else if c == ":" {
                // `[:name:]` is a POSIX-style property; a colon first is accepted only when no `:]` follows.
                if first {
                    var k = i
                    while k < pattern.count && pattern[k] != "]" { k += 1 }
                    guard k < pattern.count, pattern[k - 1] != ":" else { throw UnsupportedSyntax() }
                }
            } else if !plain && !Self.plainClassPunctuation.contains(v) {
                throw UnsupportedSyntax()
            }
        }
        return .scalar(v)
    }

    mutating func addSet(_ s: RegexCharacterSet) -> Int {
        sets.append(s)
        return sets.count - 1
    }
}

// MARK: - Program

/// One instruction of the backtracking program.
enum Instruction: Sendable {
    case scalar(UInt32)
    case set(Int)
    case textStart
    case textEnd
    case lookbehind(set: Int, negated: Bool)
    /// Continue at `preferred`; on failure, at `other`.
    case split(preferred: Int, other: Int)
    case jump(Int)
    /// Record the position in a capture slot (2g start, 2g+1 end of group g).
    case save(Int)
    /// A run of characters of one set, `min` to `max` of them, as many as possible or as few.
    case repeatSet(set: Int, min: Int, max: Int, lazy: Bool)
    case match
}

struct RegexCompiler {
    var sets: [RegexCharacterSet]
    var program: [Instruction] = []

    mutating func emit(_ i: Instruction) { program.append(i) }

    mutating func compile(_ node: RegexNode) throws(UnsupportedSyntax) {
        guard program.count <= ScalarRegex.maxProgramLength else { throw UnsupportedSyntax() }
        switch node {
        case .scalar(let v): emit(.scalar(v))
        case .set(let k): emit(.set(k))
        case .textStart: emit(.textStart)
        case .textEnd: emit(.textEnd)
        case .lookbehind(let k, let negated): emit(.lookbehind(set: k, negated: negated))
        case .capture(let g, let body):
            emit(.save(2 * g))
            try compile(body)
            emit(.save(2 * g + 1))
        case .sequence(let items):
            for item in items { try compile(item) }
        case .alternation(let branches):
            var jumpsToEnd: [Int] = []
            for (k, b) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = program.count
                    emit(.split(preferred: split + 1, other: -1))
                    try compile(b)
                    jumpsToEnd.append(program.count)
                    emit(.jump(-1))
                    program[split] = .split(preferred: split + 1, other: program.count)
                } else {
                    try compile(b)
                }
            }
            for j in jumpsToEnd { program[j] = .jump(program.count) }
        case .repetition(let body, let min, let max, let lazy):
            switch body {
            case .scalar(let v):
                sets.append(RegexCharacterSet(ranges: [v...v]))
                emit(.repeatSet(set: sets.count - 1, min: min, max: max ?? Int.max, lazy: lazy))
            case .set(let k):
                emit(.repeatSet(set: k, min: min, max: max ?? Int.max, lazy: lazy))
            default:
                for _ in 0..<min { try compile(body) }
                if let max {
                    // Each optional copy either runs or skips to the end of the whole repetition.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        emit(.split(preferred: -1, other: -1))
                        try compile(body)
                    }
                    let end = program.count
                    for s in splits { program[s] = lazy ? .split(preferred: end, other: s + 1) : .split(preferred: s + 1, other: end) }
                } else {
                    let loop = program.count
                    emit(.split(preferred: -1, other: -1))
                    try compile(body)
                    emit(.jump(loop))
                    let end = program.count
                    program[loop] = lazy ? .split(preferred: end, other: loop + 1) : .split(preferred: loop + 1, other: end)
                }
            }
        }
    }
}

// MARK: - Matching

/// Runs a program at one start position after another, with an explicit stack of backtracking frames.
struct Backtracker {
    /// A way back: resume at `pc` and `position` (`branch`); put `position` back into slot `value` (`restore`);
    /// give back one character of a greedy run down to `value` (`greedy`); take one more character of a
    /// lazy run up to `value` (`lazy`).
    struct Frame {
        enum Kind { case branch, restore, greedy, lazy }
        var kind: Kind
        var pc: Int
        var position: Int
        var value: Int
    }

    /// The regex's program and sets and the text searched, valid while the search runs (`ScalarRegex.firstMatch`).
    let program: UnsafeBufferPointer<Instruction>
    let sets: UnsafeBufferPointer<RegexCharacterSet>
    let text: UnsafeBufferPointer<UInt32>
    let budget: Int
    var steps: Int
    var slots: [Int]
    var stack: [Frame] = []

    init(
        program: UnsafeBufferPointer<Instruction>, sets: UnsafeBufferPointer<RegexCharacterSet>, text: UnsafeBufferPointer<UInt32>,
        groupCount: Int, budget: Int, steps: Int
    ) {
        self.program = program
        self.sets = sets
        self.text = text
        self.budget = budget
        self.steps = steps
        slots = Array(filledWith: -1, count: 2 * (groupCount + 1))
    }

    @inline(__always) mutating func count(_ n: Int) throws(ScalarRegex.StepBudgetExceeded) {
        steps += n
        if steps > budget { throw ScalarRegex.StepBudgetExceeded() }
    }

    /// `$` without the multiline flag: the end, or before a line terminator that ends the text (not between
    /// the CR and LF of a final CR LF), or before a final CR LF.
    func isTextEnd(_ p: Int) -> Bool {
        let n = text.count
        if p >= n { return true }
        let c = text[p]
        let isTerminator = (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029
        if p + 1 == n { return isTerminator && !(c == 0x0A && p > 0 && text[p - 1] == 0x0D) }
        return p + 2 == n && c == 0x0D && text[p + 1] == 0x0A
    }

    mutating func push(_ f: Frame) throws(ScalarRegex.StepBudgetExceeded) {
        guard stack.count < ScalarRegex.maxFrames else { throw ScalarRegex.StepBudgetExceeded() }
        // Room for 32 frames at the first push, not grown one doubling at a time from one.
        if stack.capacity == 0 { stack.reserveCapacity(32) }
        stack.append(f)
    }

    /// True when the program matches at `start`; the capture slots then hold the match.
    mutating func attempt(at start: Int) throws(ScalarRegex.StepBudgetExceeded) -> Bool {
        stack.removeAll(keepingCapacity: true)
        for k in slots.indices { slots[k] = -1 }
        let n = text.count
        var pc = 0
        var position = start
        while true {
            try count(1)
            var failed = false
            switch program[pc] {
            case .scalar(let v):
                if position < n && text[position] == v { position += 1; pc += 1 } else { failed = true }
            case .set(let k):
                if position < n && sets[k].contains(text[position]) { position += 1; pc += 1 } else { failed = true }
            case .textStart:
                if position == 0 { pc += 1 } else { failed = true }
            case .textEnd:
                if isTextEnd(position) { pc += 1 } else { failed = true }
            case .lookbehind(let k, let negated):
                if (position > 0 && sets[k].contains(text[position - 1])) != negated { pc += 1 } else { failed = true }
            case .split(let preferred, let other):
                try push(Frame(kind: .branch, pc: other, position: position, value: 0))
                pc = preferred
            case .jump(let target):
                pc = target
            case .save(let slot):
                try push(Frame(kind: .restore, pc: 0, position: slots[slot], value: slot))
                slots[slot] = position
                pc += 1
            case .repeatSet(let k, let min, let max, let lazy):
                // The set read in place (a copy of it retained and released its arrays at every repetition).
                var end = position
                let wanted = lazy ? min : max
                while end - position < wanted && end < n && sets[k].contains(text[end]) { end += 1 }
                try count(end - position)
                if end - position < min {
                    failed = true
                } else {
                    if lazy {
                        if max > min {
                            try push(Frame(kind: .lazy, pc: pc + 1, position: end, value: max == Int.max ? Int.max : position + max))
                        }
                    } else if end - position > min {
                        try push(Frame(kind: .greedy, pc: pc + 1, position: end, value: position + min))
                    }
                    position = end
                    pc += 1
                }
            case .match:
                return true
            }
            guard failed else { continue }
            // Backtrack to the most recent way back that still has an alternative.
            backtracking: while true {
                guard var f = stack.popLast() else { return false }
                try count(1)
                switch f.kind {
                case .restore:
                    slots[f.value] = f.position
                case .branch:
                    pc = f.pc
                    position = f.position
                    break backtracking
                case .greedy:
                    f.position -= 1
                    if f.position > f.value { stack.append(f) }
                    pc = f.pc
                    position = f.position
                    break backtracking
                case .lazy:
                    guard case .repeatSet(let k, _, _, _) = program[f.pc - 1], f.position < f.value, f.position < n,
                        sets[k].contains(text[f.position])
                    else { continue }
                    f.position += 1
                    if f.position < f.value { stack.append(f) }
                    pc = f.pc
                    position = f.position
                    break backtracking
                }
            }
        }
    }
}
