import Foundation
import OGIModel

/// Recognises part headings by similarity to the template's wording and its accepted variants: with the
/// numeral (Chinese or Arabic), with the numeral lost ("、主动公开…"), or alone on a line without one.
/// A heading read through a slip or without its numeral carries the standard heading, so a rule can quote it.
/// The variants are prepared once per rule set.
struct HeadingMatcher: Sendable {
    struct PreparedPart: Sendable {
        var spec: PartSpec
        var variants: [[Unicode.Scalar]]
        var sets: [ScalarSet]
        var standard: String
    }
    let parts: [PreparedPart]
    let numerals: ScalarSet
    let numeralList: [Character]
    /// Separators after a numeral, from the profile's `part_number_separators` (single characters, `\.`, `\s`).
    let separators: ScalarSet

    /// The longest variant, and the characters variants start with.
    let longest: Int
    let firstChars: ScalarSet
    /// Every character of every variant: a line character outside it is shared with no variant.
    let variantChars: ScalarSet

    init(profile: ReaderProfile) {
        // A `ScalarSet` filled directly, and the backslashes skipped scalar by scalar: no `Set<Unicode.Scalar>`
        // and no Foundation string replacement, whose first use costs a run more than the rest of this set-up.
        var seps = ScalarSet([])
        for sep in profile.partNumberSeparators.isEmpty ? ["、"] : profile.partNumberSeparators {
            if sep == "\\s" {
                for u: Unicode.Scalar in [" ", "\u{3000}", "\t"] { seps.insert(u) }
            } else if let u = sep.unicodeScalars.first(where: { $0 != "\\" }) {
                seps.insert(u)
            }
        }
        separators = seps
        numeralList = Array(profile.partNumerals)
        numerals = ScalarSet(profile.partNumerals.unicodeScalars)
        let list = numeralList
        parts = profile.parts.map { spec in
            let vs = ([spec.title] + spec.headings).map { Array(LabelText.comparable($0, numerals: "").unicodeScalars) }
            let numeral = spec.number - 1 < list.count ? String(list[spec.number - 1]) : String(spec.number)
            return PreparedPart(spec: spec, variants: vs, sets: vs.map { ScalarSet($0) }, standard: numeral + "、" + spec.title)
        }
        // One loop, not key paths: each key path literal is made by the runtime on a run's first use.
        var longest = 0
        var firstChars = ScalarSet([]), variantChars = ScalarSet([])
        for part in parts {
            for v in part.variants {
                longest = max(longest, v.count)
                if let first = v.first { firstChars.insert(first) }
                for u in v { variantChars.insert(u) }
            }
        }
        self.longest = longest
        self.firstChars = firstChars
        self.variantChars = variantChars
    }

    struct Match {
        var spec: PartSpec
        var heading: String
        var rest: String
        var standardHeading: String?
    }

    /// Splits a line in which a heading follows the end of a sentence ("…。一、总体情况2019年…") in two lines
    /// with the same number, when what follows the numeral is a part heading.
    func splittingRunInHeadings(_ lines: [SourceLine]) -> [SourceLine] {
        var out: [SourceLine] = []
        out.reserveCapacity(lines.count)
        for l in lines {
            // A cut follows a 。 or ； followed by a numeral and a separator: a line without such three scalars
            // in a row is kept whole, without reading it into scalars.
            guard mayHaveRunInHeading(l.text) else { out.append(l); continue }
            let scalars = Array(l.text.unicodeScalars)
            var cut: Int?
            if scalars.count > 6 {
                for i in 1..<(scalars.count - 2)
                where (scalars[i - 1] == "。" || scalars[i - 1] == "；") && numerals.contains(scalars[i])
                    && separators.contains(scalars[i + 1])
                {
                    let tail = String(String.UnicodeScalarView(scalars[i...]))
                    if match(tail, excluding: []) != nil { cut = i; break }
                }
            }
            if let c = cut {
                out.append(SourceLine(number: l.number, text: String(String.UnicodeScalarView(scalars[..<c]))))
                out.append(SourceLine(number: l.number, text: String(String.UnicodeScalarView(scalars[c...]))))
            } else {
                out.append(l)
            }
        }
        return out
    }

    /// True when a 。 or ； in `s` is directly followed by a scalar of `numerals` and then one of `separators`
    /// (what a cut of `splittingRunInHeadings` needs, before its bounds and heading match). Read on the UTF-8
    /// bytes as `hasSentenceEnd` finds the sentence ends; the two scalars after one are decoded in place.
    func mayHaveRunInHeading(_ s: String) -> Bool {
        var t = s
        return t.withUTF8 { b in
            guard let p = b.baseAddress else { return false }
            let n = b.count
            func follows(_ first: UInt8, _ second: UInt8, _ last: UInt8) -> Bool {
                var from = 2
                while from < n {
                    guard let q = memchr(p + from, Int32(last), n - from) else { return false }
                    let k = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q))
                    from = k + 1
                    guard b[k - 2] == first && b[k - 1] == second, k + 1 < n else { continue }
                    let (numeral, length) = UTF8Scan.scalar(b, k + 1)
                    guard k + 1 + length < n, numerals.contains(Unicode.Scalar(numeral)!) else { continue }
                    let (separator, _) = UTF8Scan.scalar(b, k + 1 + length)
                    if separators.contains(Unicode.Scalar(separator)!) { return true }
                }
                return false
            }
            return follows(0xE3, 0x80, 0x82) || follows(0xEF, 0xBC, 0x9B)
        }
    }

    /// `s.unicodeScalars.contains { $0 == "。" || $0 == "；" }` read on the UTF-8 bytes: 。 is `E3 80 82` and ；
    /// is `EF BC 9B`; a lead byte (`E3`, `EF`) starts a scalar wherever it occurs, so three bytes found in a row
    /// are that scalar. Each last byte is looked for with `memchr`, the two bytes before it compared there.
    static func hasSentenceEnd(_ s: String) -> Bool {
        var t = s
        return t.withUTF8 { b in
            guard let p = b.baseAddress else { return false }
            let n = b.count
            func occurs(_ first: UInt8, _ second: UInt8, _ last: UInt8) -> Bool {
                var from = 2
                while from < n {
                    guard let q = memchr(p + from, Int32(last), n - from) else { return false }
                    let k = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q))
                    if b[k - 2] == first && b[k - 1] == second { return true }
                    from = k + 1
                }
                return false
            }
            return occurs(0xE3, 0x80, 0x82) || occurs(0xEF, 0xBC, 0x9B)
        }
    }

    /// False when `match(line, excluding: e, numbered: false)` is nil for every `e` that contains the parts
    /// `match(line, excluding: d, numbered: true)` was nil for (`d` ⊆ `e`): the line has no text after its
    /// marks, or starts with a numeral (or digits) or with a lost numeral's `、`. Such a line is read the same
    /// way whatever `numbered` says (it only stops lines without a numeral), and more exclusions leave fewer
    /// parts to be the best match, so a line no part matched matches none later. True for every other line.
    func mayMatchWithoutNumeral(_ line: String) -> Bool {
        guard let first = Substring(line).unicodeScalars.first(where: { !(FastText.isSpace($0) || $0 == "#") }) else { return false }
        return !(numerals.contains(first) || ("1"..."9").contains(first) || first == "、")
    }

    /// The part heading that `line` starts with, if any, among the parts not in `excluding`.
    /// `numbered`: only headings with a numeral (or the separator left of a lost one); otherwise also a line
    /// that is nothing but a heading's wording.
    ///
    /// Read on the line's UTF-8 bytes, the comparable characters and the distances in stack buffers: the same
    /// steps as `matchOnScalarView` (each scalar decoded from its bytes, each comparable character's origin a
    /// byte offset instead of a scalar index, the heading and the rest cut at that offset), without the scalar
    /// view's indices and three allocations a line. `Read5HeadingTests` compares the two.
    func match(_ line: String, excluding: Set<String>, numbered: Bool = false) -> Match? {
        var text = line
        return text.withUTF8 { b in match(bytes: b, excluding: excluding, numbered: numbered) }
    }

    /// Most comparable characters a line is read for (`matchOnScalarView`'s cap).
    static let maxComparable = 40

    private func match(bytes b: UnsafeBufferPointer<UInt8>, excluding: Set<String>, numbered: Bool) -> Match? {
        let n = b.count
        @inline(__always) func skipSpaces(_ from: Int) -> Int {
            var i = from
            while i < n {
                let (v, len) = UTF8Scan.scalar(b, i)
                guard FastText.isSpace(Unicode.Scalar(v)!) else { break }
                i += len
            }
            return i
        }
        var i = 0
        while i < n {
            let (v, len) = UTF8Scan.scalar(b, i)
            guard FastText.isSpace(Unicode.Scalar(v)!) || v == 0x23 else { break }
            i += len
        }
        guard i < n else { return nil }
        let (firstValue, firstLength) = UTF8Scan.scalar(b, i)
        var lostNumeral = false
        var hasNumeral = false
        if numerals.contains(Unicode.Scalar(firstValue)!) || (firstValue >= 0x31 && firstValue <= 0x39) {
            var r = i + firstLength
            if firstValue >= 0x30 && firstValue <= 0x39 { while r < n, b[r] >= 0x30, b[r] <= 0x39 { r += 1 } }
            guard r < n else { return nil }
            let (sep, sepLength) = UTF8Scan.scalar(b, r)
            guard separators.contains(Unicode.Scalar(sep)!) else { return nil }
            i = skipSpaces(r + sepLength)
            hasNumeral = true
        } else if firstValue == 0x3001 {
            i = skipSpaces(i + firstLength)
            lostNumeral = true
        }
        let plain = !hasNumeral && !lostNumeral
        if plain && numbered { return nil }
        let cap = plain ? min(Self.maxComparable, longest + 2) : Self.maxComparable
        let ignored = LabelText.ignoredInComparison
        return withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: Self.maxComparable) { compBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.maxComparable) { origin -> Match? in
                var count = 0
                var idx = i
                while idx < n, count < cap {
                    let (v, len) = UTF8Scan.scalar(b, idx)
                    let u = Unicode.Scalar(v)!
                    if !FastText.isSpace(u) && !ignored.contains(u) {
                        let c = (0xFF01...0xFF5E).contains(v) ? Unicode.Scalar(v - 0xFEE0)! : u
                        if !ignored.contains(c) {
                            if plain && count == 0 && !firstChars.contains(c) { return nil }
                            compBuffer[count] = c
                            origin[count] = idx
                            count += 1
                        }
                    }
                    idx += len
                }
                guard count >= 2 else { return nil }
                let comp = UnsafeBufferPointer(rebasing: compBuffer[..<count])
                if plain {
                    guard !numbered, count <= longest + 1, firstChars.contains(comp[0]) else { return nil }
                }
                guard let best = bestPart(comp, excluding: excluding, numeral: hasNumeral || lostNumeral) else { return nil }
                let part = parts[best.part]
                // Without a numeral, the heading must be the whole line.
                if plain && best.length < count { return nil }
                let end = best.length < count ? origin[best.length] : n
                let headingText = ScalarTrim.whitespaces(String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self))
                let shown = String(headingText.drop { $0 == "#" || $0 == " " })
                let rest = ScalarTrim.whitespaces(String(decoding: UnsafeBufferPointer(rebasing: b[end..<n]), as: UTF8.self))
                let deviates = best.distance > 0 || lostNumeral
                return Match(spec: part.spec, heading: shown, rest: rest, standardHeading: deviates ? part.standard : nil)
            }
        }
    }

    /// The best part for the comparable characters `comp` of a line (`matchOnScalarView`'s search): the least
    /// distance, then the longest prefix; `numeral` when the line has a numeral or a lost one's separator.
    private func bestPart(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluding: Set<String>, numeral: Bool)
        -> (part: Int, distance: Int, length: Int)?
    {
        var best: (part: Int, distance: Int, length: Int)?
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (Self.maxComparable + 1)) { buffer in
            let distances = buffer.baseAddress!
            // inVariants[k]: how many of the line's first k characters occur in some variant, a bound of the
            // characters a variant shares with them: a variant that cannot reach its quota of shared characters
            // with that bound is passed over before its own characters are counted (as the count would).
            let inVariants = distances + 2 * (Self.maxComparable + 1)
            inVariants[0] = 0
            for k in 0..<comp.count { inVariants[k + 1] = inVariants[k] + (variantChars.contains(comp[k]) ? 1 : 0) }
            for pi in parts.indices {
                var isExcluded: Bool?
                for vi in parts[pi].variants.indices {
                    let v = parts[pi].variants[vi]
                    guard v.count >= 2 else { continue }
                    let allowed = numeral ? (v.count >= 12 ? 2 : v.count >= 6 ? 1 : 0) : (v.count >= 8 ? 1 : 0)
                    let lo = max(1, v.count - allowed), hi = min(comp.count, v.count + allowed)
                    guard lo <= hi, inVariants[min(comp.count, v.count)] >= v.count - 2 * allowed else { continue }
                    var shared = 0
                    for c in comp[..<min(comp.count, v.count)] where parts[pi].sets[vi].contains(c) { shared += 1 }
                    guard shared >= v.count - 2 * allowed else { continue }
                    v.withUnsafeBufferPointer { vb in
                        LabelText.prefixDistances(
                            vb, UnsafeBufferPointer(rebasing: comp[..<hi]), into: distances, work: distances + (comp.count + 1))
                    }
                    for len in lo...hi {
                        let d = distances[len]
                        guard d <= allowed else { continue }
                        if isExcluded == nil { isExcluded = excluding.contains(parts[pi].spec.key) }
                        if isExcluded == true { break }
                        if best == nil || d < best!.distance || (d == best!.distance && len > best!.length) { best = (pi, d, len) }
                    }
                    if isExcluded == true { break }
                }
            }
            return best
        }
    }

    /// `match` read through the line's scalar view: the reading the byte reading is compared with.
    func matchOnScalarView(_ line: String, excluding: Set<String>, numbered: Bool = false) -> Match? {
        var scalars = Substring(line).unicodeScalars.drop { FastText.isSpace($0) || $0 == "#" }
        guard let first = scalars.first else { return nil }
        var lostNumeral = false
        var hasNumeral = false
        if numerals.contains(first) || ("1"..."9").contains(first) {
            var rest = scalars.dropFirst()
            if ("0"..."9").contains(first) { rest = rest.drop { ("0"..."9").contains($0) } }
            guard let sep = rest.first, separators.contains(sep) else { return nil }
            scalars = rest.dropFirst().drop { FastText.isSpace($0) }
            hasNumeral = true
        } else if first == "、" {
            scalars = scalars.dropFirst().drop { FastText.isSpace($0) }
            lostNumeral = true
        }
        // The comparable text of the rest, remembering where each comparable character came from.
        // Without a numeral only a short line that starts like a heading can be one (most lines are prose):
        // such a line is read no further than a heading could reach.
        let plain = !hasNumeral && !lostNumeral
        if plain && numbered { return nil }
        let cap = plain ? min(40, longest + 2) : 40
        var comp: [Unicode.Scalar] = []
        var origin: [String.UnicodeScalarView.Index] = []
        comp.reserveCapacity(cap)
        origin.reserveCapacity(cap)
        var idx = scalars.startIndex
        while idx < scalars.endIndex, comp.count < cap {
            let u = scalars[idx]
            if !FastText.isSpace(u) && !LabelText.ignoredInComparison.contains(u) {
                let n = (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
                if !LabelText.ignoredInComparison.contains(n) {
                    if plain && comp.isEmpty && !firstChars.contains(n) { return nil }
                    comp.append(n); origin.append(idx)
                }
            }
            idx = scalars.index(after: idx)
        }
        guard comp.count >= 2 else { return nil }
        // Without a numeral only a short line that starts like a heading can be one (most lines are prose).
        if !hasNumeral && !lostNumeral {
            guard !numbered, comp.count <= longest + 1, firstChars.contains(comp[0]) else { return nil }
        }
        // The parts are read in place (no copy of a part per line), and whether a part is excluded is asked
        // only of a part with a variant close enough to count: the same best match, fewer hashes.
        var best: (part: Int, distance: Int, length: Int)?
        // The edit distances of every variant are written into one buffer of the line's length (no arrays per
        // variant); `hi` never exceeds `comp.count`.
        let distances = UnsafeMutablePointer<Int>.allocate(capacity: 2 * (comp.count + 1))
        defer { distances.deallocate() }
        for pi in parts.indices {
            var isExcluded: Bool?
            for vi in parts[pi].variants.indices {
                let v = parts[pi].variants[vi]
                guard v.count >= 2 else { continue }
                let allowed = hasNumeral || lostNumeral ? (v.count >= 12 ? 2 : v.count >= 6 ? 1 : 0) : (v.count >= 8 ? 1 : 0)
                let lo = max(1, v.count - allowed), hi = min(comp.count, v.count + allowed)
                guard lo <= hi else { continue }
                // Quick rejection: too few of the line's first characters occur in the variant.
                var shared = 0
                for c in comp[..<min(comp.count, v.count)] where parts[pi].sets[vi].contains(c) { shared += 1 }
                guard shared >= v.count - 2 * allowed else { continue }
                // Edit distance of the variant to every prefix of the line, in one pass.
                v.withUnsafeBufferPointer { vb in
                    comp.withUnsafeBufferPointer { cb in
                        LabelText.prefixDistances(
                            vb, UnsafeBufferPointer(rebasing: cb[..<hi]), into: distances, work: distances + (comp.count + 1))
                    }
                }
                let dist = distances
                for len in lo...hi {
                    let d = dist[len]
                    guard d <= allowed else { continue }
                    if isExcluded == nil { isExcluded = excluding.contains(parts[pi].spec.key) }
                    if isExcluded == true { break }
                    if best == nil || d < best!.distance || (d == best!.distance && len > best!.length) { best = (pi, d, len) }
                }
                if isExcluded == true { break }
            }
        }
        guard let b = best else { return nil }
        let part = parts[b.part]
        // Without a numeral, the heading must be the whole line.
        if !hasNumeral && !lostNumeral && b.length < comp.count { return nil }
        let end = b.length < origin.count ? origin[b.length] : scalars.endIndex
        // The scalar view's slices end where the match ends (a String slice would round to a character).
        let lineScalars = Substring(line).unicodeScalars
        let headingText = ScalarTrim.whitespaces(String(Substring(lineScalars[..<end])))
        let shown = String(headingText.drop { $0 == "#" || $0 == " " })
        let rest = ScalarTrim.whitespaces(String(Substring(lineScalars[end...])))
        let deviates = b.distance > 0 || lostNumeral
        return Match(spec: part.spec, heading: shown, rest: rest, standardHeading: deviates ? part.standard : nil)
    }
}
