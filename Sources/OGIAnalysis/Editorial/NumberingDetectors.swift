import OGIModel

extension EditorialDetectors {
    /// Part and item numbering at paragraph starts that skips (一、二、四), repeats (二、二、), restarts at 1 without
    /// a higher-level heading in between (一…六 then 一 again), or runs backwards. A marker resets the numbering of
    /// every style below it (（一） starts over under each 一、). `inlineSuffixes` enables markers such as 一是 (data).
    /// The suggestion is the marker the sequence expects.
    public static func numbering(in text: ProseText, inlineSuffixes: [String] = [], requireStartAtOne: Bool = true) -> [EditorialHit] {
        let s = text.scalars
        // The last number of each style, by the style's level (an array: a dictionary hashed each style's raw text).
        var last = [Int?](repeating: nil, count: NumberingStyle.allCases.count)
        var out: [EditorialHit] = []
        for (p, start) in text.logicalParagraphStarts.enumerated() {
            let end = p + 1 < text.logicalParagraphStarts.count ? text.logicalParagraphStarts[p + 1] : s.count
            let head = Array(s[start..<min(end, start + 16)])
            guard let m = NumberingMarker.parse(head, inlineSuffixes: inlineSuffixes) else { continue }
            let span = TextSpan(start: start + m.span.start, end: start + m.span.end)
            func hit(_ kind: EditorialHit.Kind, _ expected: Int) {
                out.append(EditorialHit(kind: kind, span: span, text: m.text, suggestion: m.rewritten(expected)))
            }
            let previous = last[m.style.level]
            switch previous {
            case nil:
                if requireStartAtOne && m.number != 1 { hit(.numberingSkip, 1) }
            case let n? where m.number == n + 1:
                break
            case let n? where m.number == n:
                hit(.numberingRepeat, n + 1)
            case let n? where m.number > n + 1:
                hit(.numberingSkip, n + 1)
            case let n?:
                hit(m.number == 1 ? .numberingRestart : .numberingOutOfOrder, n + 1)
            }
            last[m.style.level] = m.number
            // Every style below it starts over.
            for level in (m.style.level + 1)..<last.count { last[level] = nil }
        }
        return out
    }

    /// Figure (or table) captions at paragraph starts — a prefix from `prefixes` (data, e.g. 图) and a number — that
    /// skip a number (图1, 图3) or repeat one. The suggestion is the caption number the sequence expects.
    public static func figureNumbering(in text: ProseText, prefixes: [String]) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        for prefix in prefixes {
            let ps = Array(prefix.unicodeScalars)
            guard !ps.isEmpty else { continue }
            var last = 0
            for start in text.logicalParagraphStarts {
                var i = start
                while i < s.count, s[i] != "\n", FastText.isSpace(s[i]) { i += 1 }
                guard s.matches(ps, at: i) else { continue }
                var j = i + ps.count
                while j < s.count, s[j] == " " { j += 1 }
                var n = 0, digits = 0
                var k = j
                while k < s.count, let d = CharClass.digitValue(s[k]), digits < 4 { n = n * 10 + d; k += 1; digits += 1 }
                if digits == 0, let (cn, e) = ChineseNumeral.read(s, from: j) { n = cn; k = e; digits = e - j }
                guard digits > 0, n > 0 else { continue }
                // "图1-2" or "图12.5" are not plain captions.
                if k < s.count, s[k] == "." || s[k] == "-" || s[k] == "－", k + 1 < s.count, CharClass.digitValue(s[k + 1]) != nil {
                    continue
                }
                let span = TextSpan(start: i, end: k)
                let written = s.string(i..<k)
                if n == last {
                    out.append(EditorialHit(kind: .figureNumberingRepeat, span: span, text: written, suggestion: prefix + String(last + 1)))
                } else if n != last + 1 {
                    out.append(EditorialHit(kind: .figureNumberingGap, span: span, text: written, suggestion: prefix + String(last + 1)))
                }
                last = n
            }
        }
        return out.sorted { $0.span < $1.span }
    }
}
