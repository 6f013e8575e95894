import Foundation
import OGIModel

/// Label normalisation shared by every reader: white space removed, full-width ASCII forms made half-width,
/// so "规 章", "第二十条第(一)项" and "第二十条 第（一）项" compare equal.
public enum LabelText {
    public static func normalize(_ s: String) -> String {
        return s.withUTF8Bytes { b in
            // Most labels hold no white space and no full-width form: they are their own normal form.
            var i = 0
            let n = b.count
            while i < n {
                // A lead byte E4...EE starts a scalar of U+4000...U+EFFF (CJK ideographs and beyond), neither
                // white space nor a full-width form: passed over without decoding it.
                if b[i] &- 0xE4 < 0x0B {
                    i &+= 3
                    continue
                }
                let (v, len) = UTF8Scan.scalar(b, i)
                if FastText.isSpace(Unicode.Scalar(v)!) || (v >= 0xFF01 && v <= 0xFF5E) { break }
                i += len
            }
            if i == n { return s }
            return normalizedCopy(b, from: i)
        }
    }

    /// `normalize(lines.map(\.text).joined())`, each line's normalised bytes written straight into one string
    /// (normalisation maps scalar by scalar, so the normal form of the joined text is the normal forms joined):
    /// no joined copy of the text first. `ReadSpeedTests` compares the two.
    static func normalizedJoined<Lines: Collection<SourceLine>>(_ lines: Lines) -> String {
        var capacity = 0
        for l in lines { capacity += l.text.utf8.count }
        if capacity == 0 { return "" }
        return String(knownValidUTF8Capacity: capacity) { out in
            var o = 0
            for l in lines {
                l.text.withUTF8Bytes { b in o = normalizedBytes(b, from: 0, into: out, at: o) }
            }
            return o
        }
    }

    /// `normalize` of the text in `b` whose first `start` bytes need no change, written byte by byte: a scalar
    /// kept is copied as it is (its UTF-8 form is what re-encoding it gives), white space is dropped and a
    /// full-width form (three bytes) becomes its ASCII byte. `Read5LabelTests` compares it with the
    /// scalar mapping it replaces.
    private static func normalizedCopy(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        let n = b.count
        return String(knownValidUTF8Capacity: n) { out in
            if start > 0 { out.baseAddress!.update(from: b.baseAddress!, count: start) }
            return normalizedBytes(b, from: start, into: out, at: start)
        }
    }

    /// Writes the normal form of `b[start...]` into `out` from `o` on, and returns where it ends: a scalar kept is
    /// copied as it is (a scalar of U+4000...U+EFFF, as in `normalize`, by its three bytes, and an ASCII byte by
    /// itself, without decoding either), white space is dropped and a full-width form becomes its ASCII byte. `out`
    /// has room for `b.count - start` bytes from `o` (the normal form is never longer).
    @inline(__always)
    private static func normalizedBytes(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, into out: UnsafeMutableBufferPointer<UInt8>, at o: Int
    ) -> Int {
        let n = b.count
        var o = o
        var i = start
        while i < n {
            if b[i] &- 0xE4 < 0x0B {
                out[o] = b[i]; out[o &+ 1] = b[i &+ 1]; out[o &+ 2] = b[i &+ 2]
                o &+= 3; i &+= 3
                continue
            }
            // An ASCII byte is its scalar: white space (`FastText.isSpace`) is dropped, any other byte kept, without
            // decoding it.
            if b[i] < 0x80 {
                let c = b[i]
                if !FastText.isSpace(Unicode.Scalar(c)) {
                    out[o] = c
                    o &+= 1
                }
                i &+= 1
                continue
            }
            let (v, len) = UTF8Scan.scalar(b, i)
            if FastText.isSpace(Unicode.Scalar(v)!) {
                // dropped
            } else if v >= 0xFF01 && v <= 0xFF5E {
                out[o] = UInt8(v - 0xFEE0); o += 1
            } else {
                for k in 0..<len { out[o + k] = b[i + k] }
                o += len
            }
            i += len
        }
        return o
    }

    /// Characters left out when labels are compared: brackets, quotes, list and sentence punctuation.
    static let ignoredInComparison = ScalarSet("()（）[]【】<>《》“”\"'‘’、.．,，:：;；。!！?？·-—–/／_".unicodeScalars)

    /// A label in the form used for similarity: normalised, numbering removed, punctuation left out.
    public static func comparable(_ s: String, numerals: String) -> String {
        comparable(normalized: normalize(s), numerals: numerals)
    }

    /// `comparable` of a text already normalised (`normalize`), e.g. a label token's `norm`.
    static func comparable(normalized: String, numerals: String) -> String {
        comparable(normalized: normalized, numerals: LabelNumerals(numerals))
    }

    /// `comparable(normalized:numerals:)` with the numerals read once (`LabelNumerals`).
    static func comparable(normalized: String, numerals: LabelNumerals) -> String {
        FastText.removingScalars(in: ignoredInComparison, from: stripNumbering(normalized, numerals: numerals))
    }

    /// `comparable(_:numerals:)` with the numerals read once (`LabelNumerals`).
    static func comparable(_ s: String, numerals: LabelNumerals) -> String {
        comparable(normalized: normalize(s), numerals: numerals)
    }

    /// Edit distance between `a` and each prefix of `b`: element `k` is the distance to `b`'s first `k` scalars.
    public static func prefixDistances(_ a: [Unicode.Scalar], _ b: ArraySlice<Unicode.Scalar>) -> [Int] {
        let bs = Array(b)
        var prev = Array(0...bs.count)
        if a.isEmpty { return prev }
        var cur = [Int](repeating: 0, count: bs.count + 1)
        for i in 1...a.count {
            cur[0] = i
            if !bs.isEmpty {
                for j in 1...bs.count {
                    cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == bs[j - 1] ? 0 : 1))
                }
            }
            swap(&prev, &cur)
        }
        return prev
    }

    /// `prefixDistances(a, b)` written into `out` (`b.count + 1` elements), with `work` (as many) as the other
    /// row: the same recurrence over the same cells in the same order, in caller-owned memory instead of
    /// three arrays allocated per call (`HeadingMatcher.match` asks for it for every variant of every line).
    static func prefixDistances(
        _ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>,
        into out: UnsafeMutablePointer<Int>, work: UnsafeMutablePointer<Int>
    ) {
        let m = b.count
        // Each row ends with a swap, so the last row written is the first `prev` after an even number of
        // rows and the first `cur` after an odd one: start so that it is `out`.
        var prev = out, cur = work
        if a.count % 2 == 1 { swap(&prev, &cur) }
        for j in 0...m { prev[j] = j }
        if a.isEmpty { return }
        for i in 1...a.count {
            cur[0] = i
            if m > 0 {
                let ai = a[i - 1]
                for j in 1...m {
                    cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai == b[j - 1] ? 0 : 1))
                }
            }
            swap(&prev, &cur)
        }
    }

    /// `prefixDistances(a, b)` for `a` of `length` scalars (1...64) computed a column of `b` at a time, the
    /// column's vertical differences held in two bit vectors (Myers' bit-parallel algorithm, in Hyyrö's form
    /// for the distance to a whole text: the top row grows by one each column). `b` is given as character
    /// numbers `line[0..<count]`, `masks[c]` the bits of the positions of `a` holding character `c`; element
    /// `k` of `out` (`count + 1` elements) is the distance of `a` to `b`'s first `k` scalars.
    /// `HeadingBitParallelTests` compares it with the recurrence.
    @inline(__always) static func prefixDistancesBitParallel(
        masks: UnsafePointer<UInt64>, length: Int, line: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<Int>
    ) {
        var pv: UInt64 = ~0, mv: UInt64 = 0
        var score = length
        let high = UInt64(1) << UInt64(length - 1)
        out[0] = score
        var j = 0
        while j < count {
            let eq = masks[Int(line[j])]
            let xv = eq | mv
            let xh = (((eq & pv) &+ pv) ^ pv) | eq
            var ph = mv | ~(xh | pv)
            var mh = pv & xh
            if ph & high != 0 { score += 1 } else if mh & high != 0 { score -= 1 }
            ph = (ph << 1) | 1
            mh = mh << 1
            pv = mh | ~(xv | ph)
            mv = ph & xv
            j += 1
            out[j] = score
        }
    }

    /// Removes leading numbering such as `一、`, `(一)`, `1.`, `3、`, repeated (`三、(一)`), from a normalised label.
    public static func stripNumbering(_ s: String, numerals: String) -> String {
        stripNumbering(s, numerals: LabelNumerals(numerals))
    }

    /// `stripNumbering(_:numerals:)` with the numerals read once (`LabelNumerals`).
    static func stripNumbering(_ s: String, numerals: LabelNumerals) -> String {
        if let fast = stripNumberingOnBytes(s, numerals: numerals) { return fast }
        return stripNumberingOnCharacters(s, numerals: numerals.text)
    }

    /// `stripNumberingOnScalars` read on the UTF-8 bytes, the numerals read once: the same reading (the same
    /// scalars asked the same questions in the same order), each scalar decoded from its bytes instead of
    /// through the scalar view's indices. The text left is the bytes from a scalar boundary on.
    static func stripNumberingOnBytes(_ s: String, numerals: LabelNumerals) -> String? {
        if !numerals.plain { return nil }
        return s.withUTF8Bytes { b -> String? in
            guard let start = numberingEnd(b, numerals: numerals) else { return nil }
            return start == 0 ? s : String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[start...]))
        }
    }

    /// Where the text left by `stripNumberingOnBytes` starts in the UTF-8 bytes `b`: its byte offset (0 when
    /// there is no numbering), or nil when unsure. `numerals` must be plain (`LabelNumerals.plain`).
    static func numberingEnd(_ b: UnsafeBufferPointer<UInt8>, numerals: LabelNumerals) -> Int? {
        let end = b.count
        /// The scalar at `i` when it is a whole character (see `stripNumberingOnScalars`): its value and
        /// byte length; `end` (length 0) at the end; nil when unsure.
        @inline(__always) func read(_ i: Int) -> (value: UInt32, length: Int)? {
            if i == end { return (0, 0) }
            let (u, len) = UTF8Scan.scalar(b, i)
            guard FastText.isPlainScalar(Unicode.Scalar(u)!) else { return nil }
            let n = i + len
            if n != end && !FastText.isPlainScalar(Unicode.Scalar(UTF8Scan.scalar(b, n).value)!) { return nil }
            return (u, len)
        }
        @inline(__always) func isDigit(_ u: UInt32) -> Bool { (u >= 0x30 && u <= 0x39) || numerals.contains(u) }
        guard let head = read(0) else { return nil }
        if head.length == 0 { return 0 }
        if !(head.value == 0x28 || isDigit(head.value)) { return 0 }
        var cur = 0
        while true {
            var r = cur
            var opened = false
            guard let first = read(r) else { return nil }
            if first.length > 0 && first.value == 0x28 { opened = true; r += first.length }
            var digits = 0
            while true {
                guard let d = read(r) else { return nil }
                if d.length > 0 && isDigit(d.value) { digits += 1; r += d.length } else { break }
            }
            if digits == 0 { break }
            if opened {
                guard let close = read(r) else { return nil }
                guard close.length > 0 && close.value == 0x29 else { break }
                r += close.length
                guard let f = read(r) else { return nil }
                if f.length > 0 && (f.value == 0x3001 || f.value == 0x2E || f.value == 0x2C || f.value == 0x3A) { r += f.length }
            } else {
                guard let f = read(r) else { return nil }
                if f.length > 0 && (f.value == 0x3001 || f.value == 0x2E || f.value == 0x2C || f.value == 0x3A || f.value == 0x29) {
                    r += f.length
                } else {
                    return cur
                }
            }
            cur = r
        }
        return cur
    }

    /// `stripNumbering` read scalar by scalar, or nil when that reading could differ from the character reading.
    /// Exact because it only looks at plain scalars (`FastText.isPlainScalar`) followed by a plain scalar or
    /// the end: there is a character boundary on both sides of such a scalar, so it is a character of its own,
    /// equal (as characters compare) only to itself. Any other scalar where the reading looks gives nil.
    static func stripNumberingOnScalars(_ s: String, numerals: String) -> String? {
        let us = s.unicodeScalars
        let end = us.endIndex
        var numeralsArePlain = true
        for u in numerals.unicodeScalars where !FastText.isPlainScalar(u) { numeralsArePlain = false; break }
        if !numeralsArePlain { return nil }
        /// The scalar at `i` when it is a whole character (see above); `.none` at the end; nil when unsure.
        enum Read { case end, char(Unicode.Scalar), unsure }
        @inline(__always) func read(_ i: String.UnicodeScalarView.Index) -> Read {
            if i == end { return .end }
            let u = us[i]
            guard FastText.isPlainScalar(u) else { return .unsure }
            let n = us.index(after: i)
            if n != end && !FastText.isPlainScalar(us[n]) { return .unsure }
            return .char(u)
        }
        @inline(__always) func isDigit(_ u: Unicode.Scalar) -> Bool {
            (u.value >= 0x30 && u.value <= 0x39) || numerals.unicodeScalars.contains(u)
        }
        switch read(us.startIndex) {
        case .end: return s
        case .unsure: return nil
        case .char(let head): if !(head == "(" || isDigit(head)) { return s }
        }
        var cur = us.startIndex
        while true {
            var r = cur
            var opened = false
            switch read(r) {
            case .unsure: return nil
            case .char("("): opened = true; r = us.index(after: r)
            default: break
            }
            var digits = 0
            scan: while true {
                switch read(r) {
                case .unsure: return nil
                case .char(let u) where isDigit(u): digits += 1; r = us.index(after: r)
                default: break scan
                }
            }
            if digits == 0 { break }
            if opened {
                guard case .char(")") = read(r) else {
                    if case .unsure = read(r) { return nil }
                    break
                }
                r = us.index(after: r)
                switch read(r) {
                case .unsure: return nil
                case .char(let f) where f == "、" || f == "." || f == "," || f == ":": r = us.index(after: r)
                default: break
                }
            } else {
                switch read(r) {
                case .unsure: return nil
                case .char(let f) where f == "、" || f == "." || f == "," || f == ":" || f == ")": r = us.index(after: r)
                default:
                    return cur == us.startIndex ? s : String(us[cur...])
                }
            }
            cur = r
        }
        return cur == us.startIndex ? s : String(us[cur...])
    }

    /// `stripNumbering` comparing characters: the general reading.
    static func stripNumberingOnCharacters(_ s: String, numerals: String) -> String {
        var chars = Substring(s)
        // Most labels start with no numbering at all: nothing to strip, nothing to build.
        guard let head = chars.first, head == "(" || head.isASCII && head.isNumber || FastText.contains(numerals, head) else { return s }
        func isDigit(_ c: Character) -> Bool { (c.isASCII && c.isNumber) || FastText.contains(numerals, c) }
        while true {
            var rest = chars
            var opened = false
            if rest.first == "(" { opened = true; rest = rest.dropFirst() }
            let n = rest.prefix(while: isDigit)
            if n.isEmpty { break }
            rest = rest.dropFirst(n.count)
            if opened {
                guard rest.first == ")" else { break }
                rest = rest.dropFirst()
                if let f = rest.first, FastText.contains("、.,:", f) { rest = rest.dropFirst() }
            } else {
                guard let f = rest.first, FastText.contains("、.,:)", f) else { break }
                rest = rest.dropFirst()
            }
            chars = rest
        }
        return String(chars)
    }
}

/// A profile's numerals read once for `LabelText.stripNumbering`: whether they are all plain scalars
/// (`FastText.isPlainScalar`), and their values for membership tests without reading the string again.
struct LabelNumerals: Sendable {
    let text: String
    let plain: Bool
    let values: [UInt32]

    init(_ text: String) {
        self.text = text
        values = text.unicodeScalars.map(\.value)
        plain = text.unicodeScalars.allSatisfy(FastText.isPlainScalar)
    }

    @inline(__always) func contains(_ v: UInt32) -> Bool {
        for x in values where x == v { return true }
        return false
    }
}

/// A regular expression with named-group access, compiled on first use: by `ScalarRegex` when the pattern is
/// inside its subset (as the bundled profile's are), else by NSRegularExpression (`CompiledRegex`).
///
/// Compiling is deferred because most patterns of a profile never run in a single check (a text lacking a
/// character every match needs is not searched). The sources were validated (compiled) when the rule pack was
/// loaded, so compiling here cannot fail.
final class Pattern: @unchecked Sendable {
    let source: String
    /// Characters a match cannot do without (`RequiredScalars`): a text lacking one of them is not searched.
    let required: RequiredScalars?
    private let lock = NSLock()
    private var compiled: CompiledRegex?

    init(_ source: String) {
        self.source = source
        required = RequiredScalars(pattern: source)
    }

    /// The compiled expression, compiled by the first caller (under a lock: readers share patterns across threads).
    var matcher: CompiledRegex {
        lock.lock()
        defer { lock.unlock() }
        if let compiled { return compiled }
        do {
            let r = try RegexCache.shared.compile(source)
            compiled = r
            return r
        } catch {
            preconditionFailure("the profile pattern '\(source)' was validated when its rule pack was loaded: \(error)")
        }
    }

    /// The pattern compiled by NSRegularExpression: the reference the tests compare `matcher` with.
    var regex: NSRegularExpression { matcher.foundation }

    /// True once the expression has been compiled (for tests of the deferral).
    var isCompiled: Bool { lock.lock(); defer { lock.unlock() }; return compiled != nil }

    /// False when the text cannot hold a match (it lacks a character every match has); true when it may.
    @inline(__always) func mayMatch(_ s: String) -> Bool { required?.allPresent(in: s) ?? true }

    /// `mayMatch` of the lines joined with "\n", without joining them. A set or pair that holds a line feed
    /// could be met by the joining line feeds and is not required; a pair without one cannot straddle two
    /// lines, so it must occur inside one.
    func mayMatch(joinedLinesOf lines: [String]) -> Bool {
        guard let required else { return true }
        for (k, set) in required.lookups.enumerated() {
            if lines.count > 1 && required.sets[k].contains("\n") { continue }
            if !lines.contains(where: { $0.unicodeScalars.contains(where: { set.contains($0) }) }) { return false }
        }
        for pair in required.pairs {
            if lines.count > 1 && (pair.first.contains("\n") || pair.second.contains("\n")) { continue }
            if !lines.contains(where: { pair.occurs(in: $0) }) { return false }
        }
        return true
    }

    func matches(_ s: String) -> Bool {
        guard mayMatch(s) else { return false }
        return matcher.firstMatch(in: s) != nil
    }

    /// The first match's named groups (those that took part) and its range; nil without a match, or when the match
    /// does not start and end where characters do. Read from the scalars `ScalarRegex` matched where it can
    /// (`CompiledRegex.firstMatchGroupTexts`: the range from the match's byte offsets, which start characters
    /// there), else from the match's UTF-16 ranges.
    func firstGroups(_ s: String, names: [String]) -> (groups: GroupTextMap, range: Range<String.Index>)? {
        guard mayMatch(s) else { return nil }
        switch matcher.firstMatchGroupTexts(in: s, names: names) {
        case .noMatch: return nil
        case .groups(let groups, let bytes):
            let u = s.utf8
            return (groups, u.index(u.startIndex, offsetBy: bytes.lowerBound)..<u.index(u.startIndex, offsetBy: bytes.upperBound))
        case .unanswered: return firstGroupsFromUTF16Ranges(s, names: names)
        }
    }

    /// `firstGroups` from the match's UTF-16 ranges (`CompiledRegex.firstMatch(in:)`): the reference, and the way
    /// for what `firstMatchGroupTexts` leaves unanswered.
    func firstGroupsFromUTF16Ranges(_ s: String, names: [String]) -> (groups: GroupTextMap, range: Range<String.Index>)? {
        guard mayMatch(s), let m = matcher.firstMatch(in: s), let whole = s.indexRange(utf16: m.range) else { return nil }
        var out = GroupTextMap(names: names)
        for n in names {
            let r = m.range(withName: n)
            if r.location != NSNotFound, let rr = s.indexRange(utf16: r) { out[n] = String(s[rr]) }
        }
        return (out, whole)
    }

    /// Removes every match, keeping any line breaks inside a match so line numbers do not move.
    func removingAllKeepingNewlines(in s: String) -> String {
        guard mayMatch(s) else { return s }
        if let removed = Self.removingAllKeepingNewlines(in: s, matcher: matcher) { return removed }
        return removingAllThroughFoundation(in: s)
    }

    /// The removal through NSString with NSRegularExpression's matches: for a pattern outside ScalarRegex's subset,
    /// or a search it handed over (out of steps), where `removingAllKeepingNewlines(in:matcher:)` gives nil. The
    /// matches are those `matcher.matches(in:)` gives then, without asking ScalarRegex again.
    func removingAllThroughFoundation(in s: String) -> String {
        Self.removing(matcher.foundation.matches(in: s, range: NSRange(location: 0, length: s.utf16.count)).map(RegexMatch.init), from: s)
    }

    /// `s` without `matches` (in order, UTF-16 ranges), through NSString: each match's text replaced by as many
    /// line feeds as it has `Character`s equal to "\n".
    static func removing(_ matches: [RegexMatch], from s: String) -> String {
        if matches.isEmpty { return s }
        let ns = s as NSString
        var out = ""
        var last = 0
        for m in matches {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let removed = ns.substring(with: m.range)
            out += String(repeating: "\n", count: removed.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) })
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// `removingAllKeepingNewlines(in:)` on the text's scalars, when `ScalarRegex` finds the matches (nil: the
    /// caller goes through NSString as before). The same text: the text's own bytes between matches, and for each
    /// match as many line feeds as the removed text has `Character`s equal to "\n" — a line feed not right
    /// after a carriage return inside the match ("\r\n" is one character, and a line feed is never joined to
    /// what follows it).
    static func removingAllKeepingNewlines(in s: String, matcher: CompiledRegex) -> String? {
        let (values, _) = UTF8Scan.scalarValues(of: s)
        guard let ranges = matcher.scalarMatchRanges(in: values) else { return nil }
        return removing(ranges, ofScalars: values, from: s)
    }

    /// `s` without the matches `ranges` (in order, as scalar offsets into `values`, the scalars of `s`), each
    /// match's line feeds kept: what `removingAllKeepingNewlines(in:matcher:)` makes of the matches it found.
    static func removing(_ ranges: [Range<Int>], ofScalars values: [UInt32], from s: String) -> String {
        if ranges.isEmpty { return s }
        return s.withUTF8Bytes { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            // The byte offset of scalar `scalar`, walked forward as the ranges go (they are in order).
            var scalar = 0, byte = 0
            func advance(to k: Int) {
                while scalar < k { byte += UTF8Scan.scalar(b, byte).length; scalar += 1 }
            }
            var keptFrom = 0
            for r in ranges {
                advance(to: r.lowerBound)
                out.append(contentsOf: b[keptFrom..<byte])
                for k in r where values[k] == 0x0A && (k == r.lowerBound || values[k - 1] != 0x0D) { out.append(0x0A) }
                advance(to: r.upperBound)
                keptFrom = byte
            }
            out.append(contentsOf: b[keptFrom..<b.count])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Indices of the lines that this pattern matches in full or in part.
    func matchingLineIndices(in lines: [Substring]) -> Set<Int> {
        var out = Set<Int>()
        for (i, l) in lines.enumerated() where !l.isEmpty {
            let s = String(l)
            guard mayMatch(s) else { continue }
            if matcher.firstMatch(in: s) != nil { out.insert(i) }
        }
        return out
    }
}

/// The characters every match of a regular expression must contain, read from its source: one set per
/// top-level item that must occur at least once (a literal character, an escaped one, or a bracket class of
/// plain characters), and for a group of literal alternatives that must, the characters they start with and those
/// they end with (`groupSets`). A text without any character of one set cannot match, so the regex need not run.
/// The reading is conservative: a pattern with top-level alternation, inline flags, or any construct it does
/// not know gives no sets (nil), and every text is searched.
///
/// It also reads the pairs of items that must occur side by side: an item that occurs exactly once followed
/// directly by an item that must occur at least once (`\([a-z]{1,6}`: a "(" right before a letter of the
/// class). A text without such a neighbouring pair of characters cannot match either.
struct RequiredScalars: Sendable {
    let sets: [[Unicode.Scalar]]
    /// `sets` as constant-time sets, in the same order.
    let lookups: [ScalarSet]
    /// Items that must occur side by side: a character of `first` directly followed by one of `second`.
    let pairs: [Pair]
    /// Per pair, the index in `sets` of its first item. A pair is two neighbouring required items, so its `first`
    /// and `second` are sets of their own, one after the other: `sets[k]` and `sets[k + 1]`.
    let pairSets: [Int]
    /// `sets` read together in one pass over a text (nil with more than 64 sets).
    let slots: ScalarSlots?

    /// Two neighbouring items of a pattern: every match has a character of `first` right before one of `second`.
    struct Pair: Sendable {
        let first: [Unicode.Scalar]
        let second: [Unicode.Scalar]
        let firstSet: ScalarSet
        let secondSet: ScalarSet

        init(first: [Unicode.Scalar], second: [Unicode.Scalar]) {
            self.first = first
            self.second = second
            firstSet = ScalarSet(first)
            secondSet = ScalarSet(second)
        }

        /// True when the text has a character of `first` directly followed by one of `second`; the scalars are
        /// decoded from the text's UTF-8 bytes (`occursByScalarView` reads the scalar view: the tests' reference).
        func occurs(in s: String) -> Bool {
            return s.withUTF8Bytes { b in
                var previousIsFirst = false
                var i = 0
                while i < b.count {
                    let (v, length) = UTF8Scan.scalar(b, i)
                    if previousIsFirst && secondSet.contains(value: v) { return true }
                    previousIsFirst = firstSet.contains(value: v)
                    i += length
                }
                return false
            }
        }

        /// `occurs(in:)` over the string's scalar view.
        func occursByScalarView(in s: String) -> Bool {
            var previousIsFirst = false
            for u in s.unicodeScalars {
                if previousIsFirst && secondSet.contains(u) { return true }
                previousIsFirst = firstSet.contains(u)
            }
            return false
        }
    }

    init?(pattern: String) {
        let u = Array(pattern.unicodeScalars)
        var sets: [[Unicode.Scalar]] = []
        var pairs: [Pair] = []
        var pairSets: [Int] = []
        /// The characters of the item just read when it is a single character that occurs exactly once.
        var previousOnce: [Unicode.Scalar]?
        var i = 0
        func isAlnum(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c))
        }
        /// Index after the bracket class opening at `j`, with its characters when they are all plain (nil otherwise).
        func bracket(_ j: Int) -> (end: Int, chars: [Unicode.Scalar]?)? {
            var k = j + 1
            var chars: [Unicode.Scalar] = []
            var plain = true
            if k < u.count, u[k] == "^" { plain = false; k += 1 }
            var first = true
            while k < u.count {
                let c = u[k]
                if c == "]" {
                    if first { return nil }  // "[]…" is read differently by different engines: not read
                    return (k + 1, plain && !chars.isEmpty ? chars : nil)
                }
                first = false
                if c == "[" { return nil }  // nested sets and set operations: not read
                if c == "\\" {
                    guard k + 1 < u.count else { return nil }
                    let n = u[k + 1]
                    if isAlnum(n) {
                        plain = false
                        if n == "p" || n == "P" {
                            guard let close = u[(k + 2)...].firstIndex(of: "}"), k + 2 < u.count, u[k + 2] == "{" else { return nil }
                            k = close + 1; continue
                        }
                        guard "dDsSwW".unicodeScalars.contains(n) else { return nil }
                    } else {
                        chars.append(n)
                    }
                    k += 2; continue
                }
                if c == "-", k + 1 < u.count, u[k + 1] != "]", !chars.isEmpty || !plain { plain = false }
                if c == "&" && k + 1 < u.count && u[k + 1] == "&" { return nil }
                chars.append(c)
                k += 1
            }
            return nil
        }
        /// Index after the group opening at `j` (nested groups, classes and escapes skipped).
        func group(_ j: Int) -> Int? {
            var depth = 0
            var k = j
            while k < u.count {
                switch u[k] {
                case "\\": k += 2; continue
                case "[": guard let b = bracket(k) else { return nil }; k = b.end; continue
                case "(": depth += 1
                case ")": depth -= 1; if depth == 0 { return k + 1 }
                default: break
                }
                k += 1
            }
            return nil
        }
        while i < u.count {
            let c = u[i]
            var atom: [Unicode.Scalar]?
            /// A group's sets (`groupSets`), required when the group is.
            var fromGroup: [[Unicode.Scalar]] = []
            switch c {
            case "|", "*", "+", "?", "{", "}", ")": return nil
            case "(":
                if i + 2 < u.count, u[i + 1] == "?", !":=!<>".unicodeScalars.contains(u[i + 2]) { return nil }  // inline flags
                guard let end = group(i) else { return nil }
                fromGroup = Self.groupSets(u, open: i, end: end) ?? []
                i = end
            case "[":
                guard let b = bracket(i) else { return nil }
                atom = b.chars; i = b.end
            case "\\":
                guard i + 1 < u.count else { return nil }
                let n = u[i + 1]
                if isAlnum(n) {
                    if n == "p" || n == "P" {
                        guard i + 2 < u.count, u[i + 2] == "{", let close = u[(i + 2)...].firstIndex(of: "}") else { return nil }
                        i = close + 1
                    } else {
                        guard "dDsSwWbB".unicodeScalars.contains(n) else { return nil }
                        i += 2
                    }
                } else {
                    atom = [n]; i += 2
                }
            case ".", "^", "$":
                i += 1
            default:
                atom = [c]; i += 1
            }
            // The quantifier, if any: the item is required only when it must occur at least once.
            var required = true
            var quantified = false
            if i < u.count, "*?+{".unicodeScalars.contains(u[i]) { quantified = true }
            if i < u.count {
                switch u[i] {
                case "*", "?": required = false; i += 1
                case "+": i += 1
                case "{":
                    var k = i + 1
                    var n = 0, digits = 0
                    while k < u.count, let d = Int(String(u[k])), ("0"..."9").contains(u[k]) { n = n * 10 + d; digits += 1; k += 1 }
                    guard digits > 0, k < u.count else { return nil }
                    if u[k] == "," { k += 1; while k < u.count, ("0"..."9").contains(u[k]) { k += 1 } }
                    guard k < u.count, u[k] == "}" else { return nil }
                    required = n >= 1; i = k + 1
                default: break
                }
                if i < u.count, u[i] == "?" || u[i] == "+" {
                    i += 1
                    if i < u.count, "*+?{".unicodeScalars.contains(u[i]) { return nil }
                }
            }
            if required { sets += fromGroup }
            if required, let a = atom {
                sets.append(a)
                if let p = previousOnce {
                    // `p` was the item before, read once and required: the set appended just before `a`.
                    pairs.append(Pair(first: p, second: a))
                    pairSets.append(sets.count - 2)
                }
            }
            // Anything but a single character read exactly once (a group, an anchor, a class escape, a
            // quantified item) ends the run of neighbours.
            previousOnce = quantified ? nil : atom
        }
        if sets.isEmpty { return nil }
        self.sets = sets
        self.lookups = sets.map { ScalarSet($0) }
        self.pairs = pairs
        self.pairSets = pairSets
        self.slots = ScalarSlots(sets, lookups: lookups)
    }

    /// The sets a group of literal alternatives adds when it must occur (`(?:发布时间|公开日期|日期)`): every match
    /// goes through one of the alternatives, and so holds its first character and its last; the alternatives' first
    /// characters together are a required set, and so are their last ones. Nil when the group adds none: a
    /// lookaround (what it looks at is not matched, and a negative one requires nothing), an empty alternative, or
    /// anything in it but plain characters and `|` (a class, an escape, a quantifier, a nested group: such a group
    /// is passed over, as before). `open` is the group's "(", `end` the index after its ")".
    private static func groupSets(_ u: [Unicode.Scalar], open: Int, end: Int) -> [[Unicode.Scalar]]? {
        var start = open + 1
        let close = end - 1
        if start < close, u[start] == "?" {
            // `(?:` and `(?<name>` only; `(?=`, `(?!`, `(?<=` and `(?<!` are lookarounds.
            guard start + 1 < close else { return nil }
            if u[start + 1] == ":" {
                start += 2
            } else if u[start + 1] == "<", start + 2 < close, u[start + 2] != "=", u[start + 2] != "!",
                let name = u[(start + 2)..<close].firstIndex(of: ">")
            {
                start = name + 1
            } else {
                return nil
            }
        }
        var firsts: [Unicode.Scalar] = [], lasts: [Unicode.Scalar] = []
        var from = start
        for k in start...close {
            let c = u[k]
            if k < close, c != "|" {
                guard !Self.special.contains(c) else { return nil }
                continue
            }
            // The end of an alternative (a "|", or the group's ")").
            guard from < k else { return nil }
            if !firsts.contains(u[from]) { firsts.append(u[from]) }
            if !lasts.contains(u[k - 1]) { lasts.append(u[k - 1]) }
            from = k + 1
        }
        return firsts == lasts ? [firsts] : [firsts, lasts]
    }

    /// The characters with a meaning of their own in a pattern: a group whose alternatives hold one is not read.
    private static let special = Set("\\[](){}.*+?^$|".unicodeScalars)

    /// True when the text has at least one character of every set, and every pair side by side. The sets are
    /// read together in one pass over the text's bytes (`ScalarSlots`), instead of one scan of its scalars per
    /// set; `allPresentByScalarView` is that reading, the tests' reference.
    func allPresent(in s: String) -> Bool {
        if let slots {
            let all: UInt64 = sets.count == 64 ? ~0 : (1 << UInt64(sets.count)) - 1
            guard slots.presentSlots(s) == all else { return false }
        } else {
            for set in lookups where !s.unicodeScalars.contains(where: { set.contains($0) }) { return false }
        }
        for pair in pairs where !pair.occurs(in: s) { return false }
        return true
    }

    /// `allPresent(in:)` read set by set through the scalar view.
    func allPresentByScalarView(in s: String) -> Bool {
        for set in lookups where !s.unicodeScalars.contains(where: { set.contains($0) }) { return false }
        for pair in pairs where !pair.occursByScalarView(in: s) { return false }
        return true
    }
}

/// Sets of scalars ("slots", at most 64) read together in one pass over a text's UTF-8 bytes: which slots the
/// text has a scalar of. Exact: a slot's bit is set exactly when the text has a scalar of its set
/// (`presentSlotsByScalars`, read through the scalar view, is the tests' reference).
struct ScalarSlots: Sendable {
    /// Per slot: its set.
    let slotSets: [ScalarSet]
    /// Every scalar of every slot: most scalars of a text are in none, and are passed over with one test.
    let any: ScalarSet
    /// Per ASCII scalar (by value): the slots whose set holds it.
    let asciiSlots: [UInt64]
    /// Per block of 64 scalars of U+0000...U+FFFF (`value >> 6`, 1,024 blocks): 0 when no member of `any` is in
    /// the block (always for the blocks below U+0800, whose scalars are not of three bytes), else 1 + the block's
    /// number in `blockMasks`. A three-byte scalar's block is read from its first two
    /// bytes and its place in the block from the third, so a scalar of a Chinese text is looked up, not decoded.
    let blockSlots: [UInt16]
    /// 64 masks a block that has members of `any`: per scalar of the block, the slots whose set holds it
    /// (`slots(of:)` of a member of `any`, 0 for any other scalar).
    let blockMasks: [UInt64]
    /// `blockSlots` without a member, made once and shared by the sets that have no three-byte member (copied by
    /// the first member written).
    private static let noBlocks = [UInt16](repeating: 0, count: 1024)

    /// Nil with more than 64 sets. `lookups` are `sets` as `ScalarSet`s, in the same order.
    init?(_ sets: [[Unicode.Scalar]], lookups: [ScalarSet]) {
        guard sets.count <= 64, sets.count == lookups.count else { return nil }
        var any = ScalarSet([])
        var ascii = [UInt64](repeating: 0, count: 128)
        // Each three-byte member's slots in its block's masks (the slots whose set holds it: what `slots(of:)`
        // gives a member of `any`; every other scalar of the block has none).
        var blockSlots = Self.noBlocks
        var blockMasks: [UInt64] = []
        for (k, set) in sets.enumerated() {
            for u in set {
                any.insert(u)
                if u.value < 0x80 { ascii[Int(u.value)] |= UInt64(1) << UInt64(k) }
                guard u.value >= 0x800 && u.value < 0x10000 else { continue }
                let block = Int(u.value >> 6)
                if blockSlots[block] == 0 {
                    blockMasks.append(contentsOf: repeatElement(0, count: 64))
                    blockSlots[block] = UInt16(blockMasks.count / 64)
                }
                blockMasks[(Int(blockSlots[block]) - 1) << 6 | Int(u.value & 63)] |= UInt64(1) << UInt64(k)
            }
        }
        slotSets = lookups
        self.any = any
        asciiSlots = ascii
        self.blockSlots = blockSlots
        self.blockMasks = blockMasks
    }

    /// The slots whose set has a scalar in `s`, read on the UTF-8 bytes: an ASCII byte is its scalar, looked
    /// up in `asciiSlots`; other scalars are decoded and asked of `any` first.
    /// A scalar of three bytes (most of a Chinese text) is read in place through a pointer (a Swift string is
    /// valid UTF-8: a lead byte E0...EF is followed by two continuation bytes, and the scalar is in the BMP): its
    /// block of 64 (lead byte's low four bits, then the second byte's low six) is looked up in `blockSlots`, and
    /// in a block with a member of `any` its slots in `blockMasks` (by the third byte's low six bits).
    func presentSlots(_ s: String) -> UInt64 {
        s.withUTF8Bytes { presentSlots(bytes: $0) }
    }

    /// `presentSlots` of the text whose UTF-8 is `b` (valid UTF-8: a line's bytes cut from a text at line breaks).
    @inline(__always) func presentSlots(bytes b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let p = b.baseAddress else { return 0 }
        var present: UInt64 = 0
        var i = 0
        let n = b.count
        asciiSlots.withUnsafeBufferPointer { ascii in
            blockSlots.withUnsafeBufferPointer { blockSlots in
                blockMasks.withUnsafeBufferPointer { blockMasks in
                    while i < n {
                        let c = p[i]
                        if c < 0x80 {
                            present |= ascii[Int(c)]
                            i &+= 1
                            continue
                        }
                        if c & 0xF0 == 0xE0 {
                            let slot = Int(blockSlots[Int(c & 0x0F) << 6 | Int(p[i &+ 1] & 0x3F)])
                            if slot != 0 { present |= blockMasks[(slot &- 1) << 6 | Int(p[i &+ 2] & 0x3F)] }
                            i &+= 3
                            continue
                        }
                        let (v, len) = UTF8Scan.scalar(b, i)
                        i += len
                        let u = Unicode.Scalar(v)!
                        if any.contains(u) { present |= slots(of: u) }
                    }
                }
            }
        }
        return present
    }

    /// The slots whose set holds `u`.
    @inline(__always) func slots(of u: Unicode.Scalar) -> UInt64 {
        var m: UInt64 = 0
        for k in slotSets.indices where slotSets[k].contains(u) { m |= UInt64(1) << UInt64(k) }
        return m
    }

    /// `presentSlots` read scalar by scalar through the scalar view: the reference the byte reading is compared with.
    func presentSlotsByScalars(_ s: String) -> UInt64 {
        var present: UInt64 = 0
        for u in s.unicodeScalars where any.contains(u) { present |= slots(of: u) }
        return present
    }
}

/// The required characters (`RequiredScalars`) of a list of patterns, read for all of them in one pass over
/// a text: which of their required sets the text has a character of, one bit per set ("slot"). A pattern's
/// `mayMatch` is then a mask test (and its pairs, only when every set is there) instead of one scan of the
/// text per set. Exact: a slot's bit is set exactly when the text has a scalar of that set, which is what
/// `RequiredScalars.allPresent` asks of each set; pairs are checked as before. `ReadOnePass2Tests` compares it
/// with `Pattern.mayMatch` on every line of the samples and on generated lines.
struct RequiredScalarsScreen: Sendable {
    /// Per pattern: the slots of its required sets, or nil when it has none (every text may match).
    let masks: [UInt64?]
    /// Per pattern: its pairs (`RequiredScalars.pairs`).
    let pairs: [[RequiredScalars.Pair]]
    /// Per pattern and pair: the slots of the pair's two items. A text holding the pair side by side has both.
    let pairMasks: [[UInt64]]
    /// Per pattern: the slots whose set holds a line feed (left out for lines joined, as `mayMatch(joinedLinesOf:)`).
    let newlineMasks: [UInt64]
    /// Every pattern's sets, in order, read in one pass.
    let table: ScalarSlots
    /// The slot of a set of the line breaks (line feed and carriage return) after the patterns' sets, when the screen
    /// marks them (`markingLineBreaks`, and there is room for it): a text holds a line-feed or carriage-return byte
    /// exactly when its slots have this bit, known from the pass that reads the patterns' sets. 0 when not marked.
    let lineBreakMask: UInt64

    /// Nil when the patterns have more than 64 required sets in all.
    init?(_ patterns: [Pattern], markingLineBreaks: Bool = false) {
        var masks: [UInt64?] = []
        var pairs: [[RequiredScalars.Pair]] = []
        var pairMasks: [[UInt64]] = []
        var newlineMasks: [UInt64] = []
        var sets: [[Unicode.Scalar]] = []
        var lookups: [ScalarSet] = []
        for p in patterns {
            guard let r = p.required else { masks.append(nil); pairs.append([]); pairMasks.append([]); newlineMasks.append(0); continue }
            guard sets.count + r.sets.count <= 64 else { return nil }
            let base = sets.count
            var mask: UInt64 = 0
            var newline: UInt64 = 0
            for (k, set) in r.sets.enumerated() {
                let bit = UInt64(1) << UInt64(base + k)
                mask |= bit
                if set.contains("\n") { newline |= bit }
            }
            sets += r.sets
            lookups += r.lookups
            masks.append(mask)
            pairs.append(r.pairs)
            pairMasks.append(r.pairSets.map { k in UInt64(3) << UInt64(base + k) })
            newlineMasks.append(newline)
        }
        var lineBreak: UInt64 = 0
        if markingLineBreaks, sets.count < 64 {
            lineBreak = UInt64(1) << UInt64(sets.count)
            let breaks: [Unicode.Scalar] = ["\n", "\r"]
            sets.append(breaks)
            lookups.append(ScalarSet(breaks))
        }
        guard let table = ScalarSlots(sets, lookups: lookups) else { return nil }
        lineBreakMask = lineBreak
        self.masks = masks
        self.pairs = pairs
        self.pairMasks = pairMasks
        self.newlineMasks = newlineMasks
        self.table = table
    }

    /// The slots whose set has a scalar in `s` (`ScalarSlots.presentSlots`).
    @inline(__always) func presentSlots(_ s: String) -> UInt64 { table.presentSlots(s) }

    /// `presentSlots` of the text whose UTF-8 is `b`.
    @inline(__always) func presentSlots(bytes b: UnsafeBufferPointer<UInt8>) -> UInt64 { table.presentSlots(bytes: b) }

    /// `presentSlots` read through the scalar view (the tests' reference).
    func presentSlotsByScalars(_ s: String) -> UInt64 { table.presentSlotsByScalars(s) }

    /// `patterns[k].mayMatch(s)`, with `present` = `presentSlots(s)`. Inlined: most calls end at the mask test.
    @inline(__always) func mayMatch(_ k: Int, _ s: String, present: UInt64) -> Bool {
        guard let mask = masks[k] else { return true }
        if present & mask != mask { return false }
        for pair in pairs[k] where !pair.occurs(in: s) { return false }
        return true
    }

    /// The first test of `mayMatch(_:joinedLinesOf:present:lineSlots:)`, which needs only the number of lines: false
    /// when the lines' slots (`present`, their union) lack a set of pattern `k` (a set holding a line feed left out
    /// when they are joined), so that `mayMatch` is false; true when its pairs must tell.
    @inline(__always) func joinedLinesHoldSets(_ k: Int, lineCount: Int, present: UInt64) -> Bool {
        guard var mask = masks[k] else { return true }
        if lineCount > 1 { mask &= ~newlineMasks[k] }
        return present & mask == mask
    }

    /// `patterns[k].mayMatch(joinedLinesOf: lines)`, with `present` = the union of `presentSlots` of the lines.
    /// With `lineSlots` (each line's `presentSlots`), a pair is looked for only in the lines that have both
    /// its items: a line holding them side by side has both, so the answer is the same.
    func mayMatch(_ k: Int, joinedLinesOf lines: [String], present: UInt64, lineSlots: [UInt64]? = nil) -> Bool {
        guard joinedLinesHoldSets(k, lineCount: lines.count, present: present) else { return false }
        let lineSlots = lineSlots.flatMap { $0.count == lines.count ? $0 : nil }
        for (j, pair) in pairs[k].enumerated() {
            if lines.count > 1 && (pair.first.contains("\n") || pair.second.contains("\n")) { continue }
            if let lineSlots {
                let both = pairMasks[k][j]
                if !lines.indices.contains(where: { lineSlots[$0] & both == both && pair.occurs(in: lines[$0]) }) { return false }
            } else if !lines.contains(where: { pair.occurs(in: $0) }) {
                return false
            }
        }
        return true
    }
}
