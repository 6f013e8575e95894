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
    /// The variants' characters numbered 1... (`VariantAlphabet`), and per variant (the parts' variants in order,
    /// `variantStart[part]` the first of a part) one row of `alphabet.count + 1` match masks: bit `i` of entry
    /// `c` is set when the variant's scalar `i` is character `c` (entry 0, a character in no variant, is 0).
    /// Nil when a variant is longer than 64 scalars or a character is astral: `bestPart` then runs the
    /// recurrence cell by cell.
    let alphabet: VariantAlphabet?
    let masks: [UInt64]
    /// Per part: its first variant's number among all variants; one more entry, the number of variants.
    let variantStart: [Int]
    /// Per variant (numbered as for `masks`): what `bestPart` asks of it before reading the line.
    let shapes: [VariantShape]
    /// The best parts found so far, by the characters read, the parts left out and whether there was a numeral:
    /// shared by every report read with this matcher (nil: each one computed).
    var bestParts: BestPartMemo? = BestPartMemo()

    struct VariantShape: Sendable {
        /// Its number of scalars.
        var length: Int
        /// The distance allowed after a numeral (or a lost numeral's separator), and without one.
        var allowedNumbered: Int
        var allowedPlain: Int
        /// True when an earlier variant of its part has the same scalars.
        var repeats: Bool
    }

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
        var starts: [Int] = []
        var flat: [[Unicode.Scalar]] = []
        var shapes: [VariantShape] = []
        for part in parts {
            starts.append(flat.count)
            flat += part.variants
            for (vi, v) in part.variants.enumerated() {
                let m = v.count
                shapes.append(
                    VariantShape(
                        length: m, allowedNumbered: m >= 12 ? 2 : m >= 6 ? 1 : 0, allowedPlain: m >= 8 ? 1 : 0,
                        repeats: part.variants[..<vi].contains(v)))
            }
        }
        starts.append(flat.count)
        variantStart = starts
        self.shapes = shapes
        let alphabet = VariantAlphabet(flat)
        if let alphabet, longest <= 64 {
            let stride = alphabet.count + 1
            var masks = [UInt64](repeating: 0, count: flat.count * stride)
            for (f, v) in flat.enumerated() {
                for (i, u) in v.enumerated() { masks[f * stride + Int(alphabet.index(u))] |= UInt64(1) << UInt64(i) }
            }
            self.alphabet = alphabet
            self.masks = masks
        } else {
            self.alphabet = nil
            self.masks = []
        }
    }

    struct Match {
        var spec: PartSpec
        var heading: String
        var rest: String
        var standardHeading: String?
        /// The part's index in `parts`.
        var part: Int
    }

    /// The parts a match leaves out: a bit per part of `parts` (the first 64), the keys of any further ones. Asked
    /// before a part's variants are compared with a line, not after one is close enough (a set of keys was hashed
    /// then): an excluded part is never the best match either way.
    struct Exclusion: Sendable {
        var bits: UInt64 = 0
        var furtherKeys: Set<String> = []

        init() {}

        /// The parts of `matcher` whose keys are in `keys`.
        init(keys: Set<String>, of matcher: HeadingMatcher) {
            guard !keys.isEmpty else { return }
            for pi in matcher.parts.indices where keys.contains(matcher.parts[pi].spec.key) { insert(pi, key: matcher.parts[pi].spec.key) }
        }

        mutating func insert(_ part: Int, key: String) {
            if part < 64 { bits |= UInt64(1) << UInt64(part) } else { furtherKeys.insert(key) }
        }

        @inline(__always) func contains(_ part: Int, key: String) -> Bool {
            part < 64 ? bits & (UInt64(1) << UInt64(part)) != 0 : furtherKeys.contains(key)
        }
    }

    /// Splits a line in which a heading follows the end of a sentence ("…。一、总体情况2019年…") in two lines
    /// with the same number, when what follows the numeral is a part heading.
    func splittingRunInHeadings(_ lines: [SourceLine]) -> [SourceLine] {
        // Most texts have no line to cut: they come back as they are (no new array, no line copied).
        guard let first = lines.firstIndex(where: { mayHaveRunInHeading($0.text) }) else { return lines }
        return splittingRunInHeadings(lines[...], from: first)
    }

    /// `splittingRunInHeadings` of a part of the lines, given back as it is when no line has a cut.
    func splittingRunInHeadings(_ lines: ArraySlice<SourceLine>) -> ArraySlice<SourceLine> {
        guard let first = lines.firstIndex(where: { mayHaveRunInHeading($0.text) }) else { return lines }
        return splittingRunInHeadings(lines, from: first)[...]
    }

    /// The cuts of `splittingRunInHeadings` made from line `first` on (no line before it can have one).
    private func splittingRunInHeadings(_ lines: ArraySlice<SourceLine>, from first: Int) -> [SourceLine] {
        var out: [SourceLine] = []
        out.reserveCapacity(lines.count + 1)
        out.append(contentsOf: lines[..<first])
        for l in lines[first...] {
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
        return s.withUTF8Bytes { b in
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
        return s.withUTF8Bytes { b in
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
    /// The first scalar that is neither white space nor `#` is found on the line's UTF-8 bytes, each scalar decoded
    /// in place (`mayMatchWithoutNumeralOnScalars` reads the scalar view; `Read5HeadingTests` compares the two).
    func mayMatchWithoutNumeral(_ line: String) -> Bool {
        let first = line.withUTF8Bytes { b -> Unicode.Scalar? in
            let i = Self.afterSpacesAndMarks(b)
            return i < b.count ? Unicode.Scalar(UTF8Scan.scalar(b, i).value)! : nil
        }
        guard let first else { return false }
        return !(numerals.contains(first) || ("1"..."9").contains(first) || first == "、")
    }

    /// The byte offset of the first scalar of `b` that is neither white space nor `#` (`b.count` when there is none):
    /// where a heading's numeral or wording starts.
    @inline(__always)
    static func afterSpacesAndMarks(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < b.count {
            let (v, length) = UTF8Scan.scalar(b, i)
            guard FastText.isSpace(Unicode.Scalar(v)!) || v == 0x23 else { break }
            i += length
        }
        return i
    }

    /// `mayMatchWithoutNumeral` read through the scalar view (the reference for tests).
    func mayMatchWithoutNumeralOnScalars(_ line: String) -> Bool {
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
        match(line, excluding: Exclusion(keys: excluding, of: self), numbered: numbered)
    }

    /// `match(_:excluding:numbered:)` with the parts left out given as an `Exclusion`.
    func match(_ line: String, excluding: Exclusion, numbered: Bool = false) -> Match? {
        return line.withUTF8Bytes { b in match(bytes: b, excluding: excluding, numbered: numbered) }
    }

    /// Most comparable characters a line is read for (`matchOnScalarView`'s cap).
    static let maxComparable = 40

    private func match(bytes b: UnsafeBufferPointer<UInt8>, excluding: Exclusion, numbered: Bool) -> Match? {
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
        var i = Self.afterSpacesAndMarks(b)
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
                    // A lead byte E4...E9 starts a scalar of U+4000...U+9FFF (CJK ideographs): not white space, not
                    // a full-width form, and not in `ignored` (`HeadingBitParallelTests` checks it), so it is
                    // comparable as it is.
                    if b[idx] &- 0xE4 < 6 {
                        let v = UInt32(b[idx] & 0x0F) << 12 | UInt32(b[idx &+ 1] & 0x3F) << 6 | UInt32(b[idx &+ 2] & 0x3F)
                        let c = Unicode.Scalar(v)!
                        if plain && count == 0 && !firstChars.contains(c) { return nil }
                        compBuffer[count] = c
                        origin[count] = idx
                        count += 1
                        idx &+= 3
                        continue
                    }
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
                let headingText = ScalarTrim.whitespaces(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[0..<end])))
                let shown = Self.droppingLeadingMarks(headingText)
                let rest = ScalarTrim.whitespaces(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[end..<n])))
                let deviates = best.distance > 0 || lostNumeral
                return Match(spec: part.spec, heading: shown, rest: rest, standardHeading: deviates ? part.standard : nil, part: best.part)
            }
        }
    }

    /// The best part for the comparable characters `comp` of a line (`matchOnScalarView`'s search): the least
    /// distance, then the longest prefix; `numeral` when the line has a numeral or a lost one's separator.
    /// The answer depends on `comp`, `excluding` and `numeral` alone (the parts and their variants are the matcher's):
    /// a line's sub-headings and table titles are most often the template's words, read in report after report,
    /// so the answers are kept (`bestParts`, when the excluded parts are all among the first 64).
    func bestPart(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluding: Exclusion, numeral: Bool)
        -> (part: Int, distance: Int, length: Int)?
    {
        guard let alphabet else { return bestPartByCells(comp, excluding: excluding, numeral: numeral) }
        guard let memo = bestParts, excluding.furtherKeys.isEmpty else {
            return bestPartBitParallel(comp, alphabet: alphabet, excluding: excluding, numeral: numeral)
        }
        let hash = BestPartMemo.hash(comp, excluded: excluding.bits, numeral: numeral)
        if let kept = memo.find(comp, excluded: excluding.bits, numeral: numeral, hash: hash) { return kept }
        let best = bestPartBitParallel(comp, alphabet: alphabet, excluding: excluding, numeral: numeral)
        memo.keep(best, for: comp, excluded: excluding.bits, numeral: numeral, hash: hash)
        return best
    }

    /// `bestPartByCells` with the line's characters numbered once (`alphabet`) and each variant's distances
    /// to the line's prefixes computed a column at a time (`LabelText.prefixDistancesBitParallel`, the same
    /// numbers as the recurrence). The same variants are passed over in the same order: a character is in some
    /// variant exactly when its number is not 0, and in a variant exactly when that variant's mask for it is
    /// not 0. A variant that repeats an earlier one of its part is skipped: it has the same distances, and a
    /// tie never replaces the best match.
    func bestPartBitParallel(
        _ comp: UnsafeBufferPointer<Unicode.Scalar>, alphabet: VariantAlphabet, excluding: Exclusion, numeral: Bool
    ) -> (part: Int, distance: Int, length: Int)? {
        var best: (part: Int, distance: Int, length: Int)?
        let stride = alphabet.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (Self.maxComparable + 1)) { buffer in
            let distances = buffer.baseAddress!
            let inVariants = distances + (Self.maxComparable + 1)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxComparable) { indexBuffer in
                let index = indexBuffer.baseAddress!
                inVariants[0] = 0
                for k in 0..<comp.count {
                    let c = alphabet.index(comp[k])
                    index[k] = c
                    inVariants[k + 1] = inVariants[k] + (c != 0 ? 1 : 0)
                }
                return masks.withUnsafeBufferPointer { allMasks in
                    shapes.withUnsafeBufferPointer { shapes in
                        for pi in parts.indices where !excluding.contains(pi, key: parts[pi].spec.key) {
                            for f in variantStart[pi]..<variantStart[pi + 1] {
                                let shape = shapes[f]
                                let m = shape.length
                                guard m >= 2, !shape.repeats else { continue }
                                let allowed = numeral ? shape.allowedNumbered : shape.allowedPlain
                                let lo = max(1, m - allowed), hi = min(comp.count, m + allowed)
                                guard lo <= hi, inVariants[min(comp.count, m)] >= m - 2 * allowed else { continue }
                                let row = allMasks.baseAddress! + f * stride
                                var shared = 0
                                for k in 0..<min(comp.count, m) where row[Int(index[k])] != 0 { shared += 1 }
                                guard shared >= m - 2 * allowed else { continue }
                                LabelText.prefixDistancesBitParallel(masks: row, length: m, line: index, count: hi, into: distances)
                                for len in lo...hi {
                                    let d = distances[len]
                                    guard d <= allowed else { continue }
                                    if best == nil || d < best!.distance || (d == best!.distance && len > best!.length) {
                                        best = (pi, d, len)
                                    }
                                }
                            }
                        }
                        return best
                    }
                }
            }
        }
    }

    /// The best part computed cell by cell (`LabelText.prefixDistances`): the reading `bestPartBitParallel`
    /// stands in for, and the one used when the variants do not fit its masks.
    func bestPartByCells(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluding: Exclusion, numeral: Bool)
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
            // An excluded part is passed over before its variants are compared (it is never the best match).
            for pi in parts.indices where !excluding.contains(pi, key: parts[pi].spec.key) {
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
                        if best == nil || d < best!.distance || (d == best!.distance && len > best!.length) { best = (pi, d, len) }
                    }
                }
            }
            return best
        }
    }

    /// `String(text.drop { $0 == "#" || $0 == " " })`, the text itself when its first byte is neither (a character
    /// equal to "#" or " " is that one scalar, so a text starting with another scalar has none to drop): a heading
    /// starts with its numeral, and comparing that character with "#" and " " normalised it.
    static func droppingLeadingMarks(_ text: String) -> String {
        if let first = text.utf8.first, first != UInt8(ascii: "#"), first != UInt8(ascii: " ") { return text }
        return String(text.drop { $0 == "#" || $0 == " " })
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
        return Match(spec: part.spec, heading: shown, rest: rest, standardHeading: deviates ? part.standard : nil, part: b.part)
    }
}

/// `HeadingMatcher.bestPart`'s answers, by the line's comparable characters (at most `maxComparable`), the parts
/// left out (`Exclusion.bits`) and whether the line had a numeral: an answer is found only for the same three.
/// Holds `capacity` answers, then keeps those it has. Its own table, open addressing over a hash of the three, the
/// characters of every answer in one array. Locked: a reading context, and its matcher, may be shared by threads.
final class BestPartMemo: @unchecked Sendable {
    private struct Entry {
        var hash: UInt64
        var excluded: UInt64
        /// Where its characters are in `scalars`.
        var start: Int32
        var count: Int32
        var numeral: Bool
        var best: (part: Int32, distance: Int32, length: Int32)?
    }

    /// Most answers kept.
    let capacity: Int
    private let lock = NSLock()
    /// Per slot (a power of two, at least twice the capacity): the entry there, -1 for none.
    private var slots: [Int32]
    private let mask: Int
    private var entries: [Entry] = []
    private var scalars: [Unicode.Scalar] = []

    init(capacity: Int = 4_096) {
        self.capacity = capacity
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Int32](filledWith: -1, count: size)
        mask = size - 1
    }

    /// The hash `find` and `keep` are given.
    static func hash(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluded: UInt64, numeral: Bool) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ excluded ^ (numeral ? 0x5555 : 0)
        for c in comp { h = (h ^ UInt64(c.value)) &* 0xFF51_AFD7_ED55_8CCD }
        return h ^ (h >> 29)
    }

    /// Where the answer for the three is, or the free slot its probe ends at. Called with the lock held.
    private enum Probe { case entry(Int), free(Int) }
    private func probe(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluded: UInt64, numeral: Bool, hash: UInt64) -> Probe {
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 {
            let e = entries[Int(slots[i])]
            if e.hash == hash, e.excluded == excluded, e.numeral == numeral, Int(e.count) == comp.count,
                scalars.withUnsafeBufferPointer({ kept in
                    (0..<comp.count).allSatisfy { kept[Int(e.start) + $0] == comp[$0] }
                })
            {
                return .entry(Int(slots[i]))
            }
            i = (i + 1) & mask
        }
        return .free(i)
    }

    /// The answer kept for the three (itself nil when no part was close enough), nil when none is kept.
    func find(_ comp: UnsafeBufferPointer<Unicode.Scalar>, excluded: UInt64, numeral: Bool, hash: UInt64)
        -> (part: Int, distance: Int, length: Int)??
    {
        lock.lock()
        defer { lock.unlock() }
        guard case .entry(let e) = probe(comp, excluded: excluded, numeral: numeral, hash: hash) else { return nil }
        return .some(entries[e].best.map { (Int($0.part), Int($0.distance), Int($0.length)) })
    }

    /// Keeps `best` for the three, while there is room.
    func keep(
        _ best: (part: Int, distance: Int, length: Int)?, for comp: UnsafeBufferPointer<Unicode.Scalar>, excluded: UInt64,
        numeral: Bool, hash: UInt64
    ) {
        lock.lock()
        defer { lock.unlock() }
        guard entries.count < capacity, case .free(let slot) = probe(comp, excluded: excluded, numeral: numeral, hash: hash) else {
            return
        }
        slots[slot] = Int32(entries.count)
        entries.append(
            Entry(
                hash: hash, excluded: excluded, start: Int32(scalars.count), count: Int32(comp.count), numeral: numeral,
                best: best.map { (Int32($0.part), Int32($0.distance), Int32($0.length)) }))
        scalars.append(contentsOf: comp)
    }

    /// How many answers are kept (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}

/// The characters of a set of texts numbered 1...`count` in order of first appearance, looked up in two levels
/// as `ScalarSet` does (a block of 256 scalars, then a byte per scalar): 0 for a character in none of them.
/// Nil when there are more than 255 characters or an astral one.
struct VariantAlphabet: Sendable {
    /// For each block of 256 BMP scalars, the number of its 256 entries in `entries` (block 0 is all zero).
    let blockOf: [UInt16]
    let entries: [UInt8]
    let count: Int

    init?(_ texts: [[Unicode.Scalar]]) {
        var blockOf = [UInt16](repeating: 0, count: 256)
        var entries = [UInt8](repeating: 0, count: 256)
        var count = 0
        for t in texts {
            for u in t {
                let v = Int(u.value)
                guard v < 0x10000 else { return nil }
                var block = Int(blockOf[v >> 8])
                if block == 0 {
                    block = entries.count >> 8
                    entries += [UInt8](repeating: 0, count: 256)
                    blockOf[v >> 8] = UInt16(block)
                }
                if entries[block << 8 | (v & 0xFF)] == 0 {
                    guard count < 255 else { return nil }
                    count += 1
                    entries[block << 8 | (v & 0xFF)] = UInt8(count)
                }
            }
        }
        self.blockOf = blockOf
        self.entries = entries
        self.count = count
    }

    /// The number of `u`, 0 when it is in none of the texts.
    @inline(__always) func index(_ u: Unicode.Scalar) -> UInt8 {
        let v = Int(u.value)
        guard v < 0x10000 else { return 0 }
        let block = blockOf.withUnsafeBufferPointer { Int($0[v >> 8]) }
        return entries.withUnsafeBufferPointer { $0[block << 8 | (v & 0xFF)] }
    }
}
