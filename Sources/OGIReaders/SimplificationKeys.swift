import OGIModel

/// ICU's Hant-Hans transform (traditional to simplified characters) without ICU: its rules (`HantHansRules`,
/// generated from the ICU the Swift toolchain ships), whether a text holds a key that changes it, and the
/// conversion itself.
///
/// Exact: the transform's rules are plain replacements (`key > value`, no context, anchor, filter or variable; the
/// generator stops on anything else). ICU goes along the text and, at each position, applies the first rule in its
/// order whose key is found there (the value replaces the key, and the next position is after it), or keeps the
/// character and moves on by one. `simplified` does the same with the rules in the same order; in a text where no
/// changing key occurs (`occurs`), every rule that applies keeps its key, so the text comes out as it went in.
/// `SimplificationKeysTests` checks the rules against those of the ICU linked in, and the conversion against
/// ICU's on every key, pairs of keys, generated texts and every line of the samples and corpus.
///
/// ICU's conversion cost about 60 M instructions to set up (once a run, a third of them parsing these rules) and
/// about 16 K instructions a character; a text that is read a second time in simplified characters (fewer than
/// three parts found: a page cut short, a document that is no report) often holds a key such as 著.
struct SimplificationKeys: Sendable {
    /// One rule: where its key after the first scalar (`tail`) and its value lie in `scalars`, and whether the
    /// value differs from the key.
    struct Rule: Sendable {
        let tail: Range<Int32>
        let value: Range<Int32>
        let changes: Bool
    }

    /// The first scalar of every rule's key, and of every changing rule's key.
    let firsts: ScalarSet
    let changingFirsts: ScalarSet
    /// Every rule's tail and value, one after the other.
    let scalars: [Unicode.Scalar]
    /// The rules in ICU's order, and after each rule the next one whose key has the same first scalar (`next`, -1
    /// after the last).
    let ruleList: [Rule]
    let next: [Int32]
    /// Per first scalar the first of its rules, in an open-addressing table (a power of two slots, linear probing,
    /// key 0 for an empty slot: no key is U+0000), read for every CJK character of a converted text without
    /// hashing a dictionary key.
    let slotKeys: [UInt32]
    let slotHeads: [Int32]

    /// The generated rules, read on first use.
    static let hantHans = SimplificationKeys(HantHansRules.text)

    /// The rules read so far (`init`): a struct whose methods change it, so that the reading loop's state is not
    /// captured by a nested function (each access of a captured variable was checked for exclusivity at run time).
    private struct Reading {
        var firsts = ScalarSet([]), changingFirsts = ScalarSet([])
        var scalars: [Unicode.Scalar] = []
        var ruleList: [Rule] = []
        var ruleFirsts: [UInt32] = []
        var first: Unicode.Scalar?
        var tailStart = 0, valueStart = -1

        /// Ends the rule being read, if any.
        mutating func end() {
            defer { first = nil; valueStart = -1 }
            guard let f = first, valueStart >= 0 else { return }
            let tail = tailStart..<valueStart, value = valueStart..<scalars.count
            // The rule changes its key unless the value is the first scalar and the tail again (compared scalar by
            // scalar in place).
            var changes = value.count != tail.count + 1 || scalars[valueStart] != f
            if !changes {
                var k = 0
                while k < tail.count, scalars[tailStart + k] == scalars[valueStart + 1 + k] { k += 1 }
                changes = k < tail.count
            }
            firsts.insert(f)
            if changes { changingFirsts.insert(f) }
            ruleList.append(
                Rule(
                    tail: Int32(tail.lowerBound)..<Int32(tail.upperBound), value: Int32(value.lowerBound)..<Int32(value.upperBound),
                    changes: changes))
            ruleFirsts.append(f.value)
        }

        /// Reads one scalar of the source.
        mutating func read(_ v: UInt32) {
            switch v {
            case 0x20, 0x0A:
                end()
            case 0x3E where valueStart < 0:
                valueStart = scalars.count
            default:
                let u = Unicode.Scalar(v)!
                if first == nil, valueStart < 0 {
                    first = u
                    tailStart = scalars.count
                } else {
                    scalars.append(u)
                }
            }
        }
    }

    /// Rules written `key>value`, separated by spaces or line feeds, in the transform's order. Read in one pass
    /// into flat arrays (a process that converts reads them once: about 1.9 M instructions).
    init(_ source: String) {
        var r = Reading()
        r.scalars.reserveCapacity(source.utf8.count / 2)
        r.ruleList.reserveCapacity(HantHansRules.count)
        r.ruleFirsts.reserveCapacity(HantHansRules.count)
        // The scalars decoded from the UTF-8 bytes (a Swift string's bytes are valid UTF-8), not through the scalar
        // view: the rules are read in every run that converts a text.
        source.withUTF8Bytes { b in
            var i = 0
            while i < b.count {
                let (v, length) = UTF8Scan.scalar(b, i)
                r.read(v)
                i += length
            }
        }
        r.end()
        let ruleList = r.ruleList, ruleFirsts = r.ruleFirsts
        // The lists per first scalar, built from the last rule back so that each is in ICU's order: a rule becomes
        // its first scalar's head, and the head it replaces comes next.
        var size = 16
        while size < 2 * ruleList.count { size *= 2 }
        var slotKeys = [UInt32](repeating: 0, count: size), slotHeads = [Int32](repeating: -1, count: size)
        var next = [Int32](repeating: -1, count: ruleList.count)
        for i in ruleList.indices.reversed() {
            let key = ruleFirsts[i]
            var k = Self.slot(key, size)
            while slotKeys[k] != 0, slotKeys[k] != key { k = (k + 1) & (size - 1) }
            slotKeys[k] = key
            next[i] = slotHeads[k]
            slotHeads[k] = Int32(i)
        }
        self.firsts = r.firsts
        self.changingFirsts = r.changingFirsts
        self.scalars = r.scalars
        self.ruleList = ruleList
        self.next = next
        self.slotKeys = slotKeys
        self.slotHeads = slotHeads
    }

    /// The first slot to probe for `key` in a table of `size` slots (Fibonacci hashing).
    @inline(__always) static func slot(_ key: UInt32, _ size: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (size - 1)
    }

    /// The first of the rules whose key starts with `first`, or -1.
    @inline(__always) func firstRuleIndex(_ first: UInt32) -> Int32 {
        let mask = slotKeys.count - 1
        var k = Self.slot(first, slotKeys.count)
        while true {
            let key = slotKeys[k]
            if key == first { return slotHeads[k] }
            if key == 0 { return -1 }
            k = (k + 1) & mask
        }
    }

    /// True when the rule's key continues at `i` of `u` with its tail.
    @inline(__always) func tailMatches(_ rule: Rule, _ u: [Unicode.Scalar], after i: Int) -> Bool {
        let start = Int(rule.tail.lowerBound), count = rule.tail.count
        guard i + count < u.count else { return false }
        var k = 0
        while k < count, u[i + 1 + k] == scalars[start + k] { k += 1 }
        return k == count
    }

    /// The first rule in ICU's order whose key is found at `i` of `u`, among those starting with `u[i]`.
    @inline(__always) func firstRule(at i: Int, of u: [Unicode.Scalar], changingOnly: Bool) -> Rule? {
        var r = firstRuleIndex(u[i].value)
        while r >= 0 {
            let rule = ruleList[Int(r)]
            if (!changingOnly || rule.changes) && tailMatches(rule, u, after: i) { return rule }
            r = next[Int(r)]
        }
        return nil
    }

    /// True when a key whose rule changes it occurs in `s`: the transform may change it. False: it leaves `s` as
    /// it is.
    /// Read on the text's UTF-8 bytes, each scalar decoded in place, and a changing rule's tail compared with the
    /// scalars decoded after its first (no array of the text's scalars: most lines of a report hold some changing
    /// key's first scalar, so nearly every line read made one).
    func occurs(in s: String) -> Bool {
        s.withUTF8Bytes { b in
            var i = 0
            while i < b.count {
                let (v, length) = UTF8Scan.scalar(b, i)
                if changingFirsts.contains(value: v), changingRuleMatches(first: v, b, after: i + length) { return true }
                i += length
            }
            return false
        }
    }

    /// `firstRule(at:of:changingOnly: true) != nil` for a scalar `first` whose bytes end at byte `next` of `b`: some
    /// rule that changes its key, among those starting with `first`, has its tail in the scalars from `next` on.
    @inline(__always) private func changingRuleMatches(first: UInt32, _ b: UnsafeBufferPointer<UInt8>, after next: Int) -> Bool {
        var r = firstRuleIndex(first)
        while r >= 0 {
            let rule = ruleList[Int(r)]
            if rule.changes && tailMatches(rule, b, from: next) { return true }
            r = self.next[Int(r)]
        }
        return false
    }

    /// `tailMatches(rule, u, after: i)` on the bytes: the rule's tail is the scalars decoded from byte `j` on.
    @inline(__always) private func tailMatches(_ rule: Rule, _ b: UnsafeBufferPointer<UInt8>, from j: Int) -> Bool {
        var j = j
        for k in Int(rule.tail.lowerBound)..<Int(rule.tail.upperBound) {
            guard j < b.count else { return false }
            let (v, length) = UTF8Scan.scalar(b, j)
            guard v == scalars[k].value else { return false }
            j += length
        }
        return true
    }

    /// `s` converted as ICU's transform converts it, written as UTF-8 bytes.
    func simplified(_ s: String) -> String {
        let u = UTF8Scan.scalars(of: s)
        // Without a changing key's first character nothing changes. With one, the reading starts at the text's
        // start all the same: a rule that keeps its key may begin before it and take it in.
        guard u.contains(where: { changingFirsts.contains($0) }) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        var i = 0
        var changed = false
        while i < u.count {
            let c = u[i]
            if firsts.contains(c), let rule = firstRule(at: i, of: u, changingOnly: false) {
                for k in Int(rule.value.lowerBound)..<Int(rule.value.upperBound) { Self.appendUTF8(scalars[k], to: &out) }
                if rule.changes { changed = true }
                i += 1 + rule.tail.count
            } else {
                Self.appendUTF8(c, to: &out)
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : s
    }

    @inline(__always) static func appendUTF8(_ u: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(u) { out.append($0) }
    }

    /// Every key whose rule changes it, for tests.
    var keys: [String] {
        zip(slotKeys, slotHeads).filter { $0.0 != 0 }.flatMap { first, h -> [String] in
            var out: [String] = []
            var r = h
            while r >= 0 {
                let rule = ruleList[Int(r)]
                if rule.changes {
                    out.append(
                        String(
                            String.UnicodeScalarView(
                                [Unicode.Scalar(first)!] + scalars[Int(rule.tail.lowerBound)..<Int(rule.tail.upperBound)])))
                }
                r = next[Int(r)]
            }
            return out
        }
    }
}
