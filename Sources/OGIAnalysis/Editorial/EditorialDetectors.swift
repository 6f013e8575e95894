import OGIModel

/// What an editorial detector found: where, the text as written, and the corrected text a fix quotes (nil when
/// there is no single correction, e.g. an unmatched bracket).
public struct EditorialHit: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case doubledWord = "doubled_word"
        case nestedDoubleQuotes = "nested_double_quotes"
        case spaceBeforePunctuation = "space_before_punctuation"
        case halfWidthPunctuation = "half_width_punctuation"
        case unbalancedBracket = "unbalanced_bracket"
        case numberingSkip = "numbering_skip"
        case numberingRepeat = "numbering_repeat"
        case numberingRestart = "numbering_restart"
        case numberingOutOfOrder = "numbering_out_of_order"
        case figureNumberingGap = "figure_numbering_gap"
        case figureNumberingRepeat = "figure_numbering_repeat"
        case placeholder
        case emptyBrackets = "empty_brackets"
        case strayYear = "stray_year"
    }
    public var kind: Kind
    /// Offsets in the `ProseText` the detector was given.
    public var span: TextSpan
    public var text: String
    public var suggestion: String?
}

/// Small editorial detectors: pure functions over a `ProseText`, each returning hits with positions.
/// Word lists (placeholders, allowed doublings, figure prefixes) come from the caller.
public enum EditorialDetectors {
    // MARK: Doubled words

    /// A run of 2 … `maxLength` CJK characters written twice in a row ("资金资金" → "资金"). `allowed` lists
    /// legitimate doublings (e.g. 研究研究) that are not reported.
    public static func doubledWords(in text: ProseText, minLength: Int = 2, maxLength: Int = 4, allowed: [String] = []) -> [EditorialHit] {
        // (A length below 1 reads before the text: the rule loader allows 1 and more.)
        precondition(minLength >= 1, "doubledWords: minLength must be at least 1")
        let s = text.scalars
        var out: [EditorialHit] = []
        // The scalars read in place through one buffer pointer for the whole scan.
        s.withUnsafeBufferPointer { b in
            let n = b.count
            let widest = max(minLength, maxLength)
            // The scalars as 32-bit words, read eight positions at a time below.
            let words = UnsafeRawPointer(b.baseAddress)
            var i = 0
            while i < n {
                // Eight positions at a time, while the text reaches far enough: where no scalar of them equals the
                // one 1 … `widest` places after it (the first pair of every length compared below), none starts a
                // doubled word, and each would be passed over one by one below.
                if let words, i + 8 + 2 * widest <= n {
                    let here = words.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<UInt32>.self)
                    var pairs = false
                    for len in minLength...widest {
                        let there = words.loadUnaligned(fromByteOffset: 4 * (i + len), as: SIMD8<UInt32>.self)
                        if any(here .== there) { pairs = true; break }
                    }
                    if !pairs { i += 8; continue }
                }
                var found = false
                if CharClass.isCJK(b[i]) {
                    // The first pair of each length's comparison below, asked first (most positions fail it for
                    // every length).
                    var firstPairs = false
                    var len = minLength
                    while len <= widest {
                        if i + 2 * len <= n && b[i] == b[i + len] { firstPairs = true; break }
                        len += 1
                    }
                    if !firstPairs { i += 1; continue }
                    for len in stride(from: maxLength, through: minLength, by: -1) where i + 2 * len <= n {
                        guard b[i] == b[i + len] else { continue }
                        var same = true
                        for k in 0..<len where !(CharClass.isCJK(b[i + k]) && b[i + k] == b[i + len + k]) { same = false; break }
                        guard same else { continue }
                        // A run of one character ("哈哈哈哈") is reduplication, not a doubled word.
                        if (1..<len).allSatisfy({ b[i + $0] == b[i] }) { continue }
                        let word = s.string(i..<(i + len))
                        let doubled = word + word
                        if allowed.contains(doubled) || allowed.contains(word) { continue }
                        out.append(
                            EditorialHit(kind: .doubledWord, span: TextSpan(start: i, end: i + 2 * len), text: doubled, suggestion: word))
                        i += 2 * len
                        found = true
                        break
                    }
                }
                if !found { i += 1 }
            }
        }
        return out
    }

    // MARK: Quotes

    /// Double quotes inside double quotes (“…“…”…”), which should be single quotes inside (“…‘…’…”). The hit spans
    /// the outer quotation; the suggestion is it with the inner quotes made single.
    public static func nestedDoubleQuotes(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        var stack: [Int] = []
        var inner: [(Int, Int)] = []
        // Read in place; only a line feed and the two double quotes do anything, none of them a CJK ideograph: most
        // scalars are passed over on that test alone (`CharClass.isUnifiedIdeograph`).
        s.withUnsafeBufferPointer { b in
            for i in 0..<b.count {
                if CharClass.isUnifiedIdeograph(b[i]) { continue }
                let v = b[i].value
                if v == 0x0A { stack = []; inner = []; continue }
                if v == 0x201C { stack.append(i) }
                if v == 0x201D, let open = stack.popLast() {
                    if !stack.isEmpty {
                        inner.append((open, i))
                    } else if !inner.isEmpty {
                        var fixed = Array(s[open...i])
                        for (a, b) in inner { fixed[a - open] = "‘"; fixed[b - open] = "’" }
                        out.append(
                            EditorialHit(
                                kind: .nestedDoubleQuotes, span: TextSpan(start: open, end: i + 1),
                                text: s.string(open..<(i + 1)), suggestion: fixed.string(0..<fixed.count)))
                        inner = []
                    }
                }
            }
        }
        return out
    }

    // MARK: Spacing and half-width marks

    static let chinesePunctuation: Set<Unicode.Scalar> = ["，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "】", "”", "’"]

    /// White space right before Chinese punctuation ("文章 ，" → "文章，").
    public static func spaceBeforePunctuation(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        // Read in place. `FastText.isSpace` holds no scalar in U+0021...U+0084 or U+3001...U+FEFE (ASCII text, CJK
        // punctuation and ideographs): those are passed over on the range test alone.
        s.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i < n {
                let v = b[i].value
                if (v > 0x20 && v < 0x85) || (v > 0x3000 && v < 0xFEFF) { i += 1; continue }
                if v != 0x0A, FastText.isSpace(b[i]) {
                    var j = i
                    while j < n, b[j] != "\n", FastText.isSpace(b[j]) { j += 1 }
                    // Only between text and the mark, not indentation at a paragraph start.
                    if j < n, chinesePunctuation.contains(b[j]), i > 0, b[i - 1] != "\n" {
                        let from = i - 1
                        out.append(
                            EditorialHit(
                                kind: .spaceBeforePunctuation, span: TextSpan(start: from, end: j + 1),
                                text: s.string(from..<(j + 1)), suggestion: String(Character(b[from])) + String(Character(b[j]))))
                    }
                    i = j
                    continue
                }
                i += 1
            }
        }
        return out
    }

    /// Half-width marks and their full-width forms, for Chinese text.
    public static let defaultHalfWidthMarks: [Unicode.Scalar: Unicode.Scalar] = [",": "，", ";": "；", ":": "：", "?": "？", "!": "！"]

    /// A half-width mark between Chinese characters ("六部分,本报告" → "六部分，本报告"). A mark followed by a space
    /// and a Chinese character counts too.
    public static func halfWidthPunctuation(in text: ProseText, marks: [Unicode.Scalar: Unicode.Scalar] = defaultHalfWidthMarks)
        -> [EditorialHit]
    {
        let s = text.scalars
        var out: [EditorialHit] = []
        // The marks are looked up only for scalars in their range (ASCII for the usual marks).
        let highest = marks.keys.map(\.value).max() ?? 0
        for i in 1..<max(1, s.count) {
            // The cheap test of the character before first: the marks are looked up only after CJK text.
            guard s[i].value <= highest, CharClass.isCJK(s[i - 1]), let full = marks[s[i]] else { continue }
            var j = i + 1
            while j < s.count, s[j] == " " { j += 1 }
            guard j < s.count, CharClass.isCJK(s[j]) || CharClass.isOpenBracket(s[j]) else { continue }
            out.append(
                EditorialHit(
                    kind: .halfWidthPunctuation, span: TextSpan(start: i - 1, end: j + 1),
                    text: s.string((i - 1)..<(j + 1)),
                    suggestion: String(Character(s[i - 1])) + String(Character(full)) + String(Character(s[j]))))
        }
        return out
    }

    // MARK: Brackets

    /// Brackets and quotes that do not close (or close without opening) within their paragraph. A closing
    /// bracket right after a list number at a paragraph start ("1）") is a numbering mark, not a slip.
    public static func unbalancedBrackets(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        var stack: [Int] = []
        var paragraphStart = 0
        func flush() {
            for o in stack {
                out.append(
                    EditorialHit(
                        kind: .unbalancedBracket, span: TextSpan(start: o, end: o + 1), text: String(Character(s[o])), suggestion: nil))
            }
            stack = []
        }
        for i in 0..<s.count {
            let u = s[i]
            // No CJK ideograph is a bracket, a quote or a line feed: most scalars are passed over here.
            if CharClass.isUnifiedIdeograph(u) { continue }
            if u == "\n" { flush(); paragraphStart = i + 1; continue }
            if CharClass.isOpenBracket(u) { stack.append(i); continue }
            guard let opener = CharClass.opener(of: u) else { continue }
            if let top = stack.last, s[top] == opener { stack.removeLast(); continue }
            if let k = stack.lastIndex(where: { s[$0] == opener }) {
                // Everything opened after the matching opener is unclosed.
                for o in stack[(k + 1)...] {
                    out.append(
                        EditorialHit(
                            kind: .unbalancedBracket, span: TextSpan(start: o, end: o + 1), text: String(Character(s[o])), suggestion: nil))
                }
                stack.removeSubrange(k...)
                continue
            }
            // A closer with no opener: allowed after a leading list number ("1）", "a)").
            var j = paragraphStart
            while j < i, FastText.isSpace(s[j]) { j += 1 }
            let lead = (j..<i).allSatisfy {
                CharClass.digitValue(s[$0]) != nil || CharClass.isASCIIAlnum(s[$0]) || ChineseNumeral.digit(s[$0]) != nil || s[$0] == "十"
            }
            if lead && i - j <= 3 && i > j { continue }
            out.append(
                EditorialHit(kind: .unbalancedBracket, span: TextSpan(start: i, end: i + 1), text: String(Character(u)), suggestion: nil))
        }
        flush()
        return out.sorted { $0.span < $1.span }
    }

    /// Brackets with nothing but spaces inside: 〔 〕, （）, 【】 — a blank left in a template.
    public static func emptyBrackets(in text: ProseText) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        // No CJK ideograph opens a bracket: most scalars are passed over on that test.
        for i in 0..<s.count
        where !CharClass.isUnifiedIdeograph(s[i]) && CharClass.isOpenBracket(s[i]) && s[i] != "“" && s[i] != "‘" {
            var j = i + 1
            while j < s.count, s[j] != "\n", FastText.isSpace(s[j]) { j += 1 }
            if j < s.count, CharClass.opener(of: s[j]) == s[i] {
                out.append(
                    EditorialHit(kind: .emptyBrackets, span: TextSpan(start: i, end: j + 1), text: s.string(i..<(j + 1)), suggestion: nil))
            }
        }
        return out
    }

    // MARK: Placeholders

    /// Template placeholders left in (XX, ××, 此处填写 — the list is data). A run of the same placeholder character
    /// is one hit ("XXXX"). A Latin placeholder inside a longer Latin word is not a hit.
    public static func placeholders(in text: ProseText, words: [String]) -> [EditorialHit] {
        let s = text.scalars
        let ws = words.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        // A word matches only where its first scalar is: most offsets are passed over on that test alone.
        let firsts = ws.map { $0[0] }
        // The same test on the low six bits of each first scalar first: in Chinese text few scalars pass it.
        var mask: UInt64 = 0
        for f in firsts { mask |= 1 << UInt64(f.value & 63) }
        var out: [EditorialHit] = []
        var i = 0
        while i < s.count {
            guard mask & (1 << UInt64(s[i].value & 63)) != 0, firsts.contains(s[i]), let w = ws.first(where: { s.matches($0, at: i) })
            else { i += 1; continue }
            var end = i + w.count
            // Extend over a run of the same character(s).
            let uniform = Set(w).count == 1
            if uniform { while end < s.count, s[end] == w[0] { end += 1 } }
            let latin = w.allSatisfy { CharClass.isASCIIAlnum($0) }
            if latin
                && ((i > 0 && CharClass.isASCIIAlnum(s[i - 1]) && !(uniform && s[i - 1] == w[0]))
                    || (end < s.count && CharClass.isASCIIAlnum(s[end])))
            {
                i = end
                continue
            }
            out.append(EditorialHit(kind: .placeholder, span: TextSpan(start: i, end: end), text: s.string(i..<end), suggestion: nil))
            i = end
        }
        return out
    }
}
