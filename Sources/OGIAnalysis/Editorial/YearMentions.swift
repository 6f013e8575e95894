import OGIModel

/// A four-digit year written in the prose (2024年, 2024 年).
public struct YearMention: Hashable, Sendable {
    public var year: Int
    public var span: TextSpan
    public var sentence: Int
}

extension EditorialDetectors {
    /// The marks between the two years of a range ("2018-2020年", "2021年至2025年"), built once.
    static let rangeDashes: Set<Unicode.Scalar> = ["-", "－", "—", "–", "~", "～", "至"]

    /// Every year written as four digits before 年 (spaces allowed), leaving out years inside titles 《…》 and the
    /// ends of ranges (2018-2020年, 2024－2027 年, 2021年至2025年).
    public static func yearMentions(in facts: ProseFacts) -> [YearMention] {
        let s = facts.text.scalars
        var out: [YearMention] = []
        var titleDepth = 0
        var i = 0
        while i < s.count {
            let u = s[i]
            if u == "\n" { titleDepth = 0 }
            if u == "《" { titleDepth += 1 }
            if u == "》", titleDepth > 0 { titleDepth -= 1 }
            guard CharClass.digitValue(u) != nil, i == 0 || (CharClass.digitValue(s[i - 1]) == nil && !CharClass.isASCIIAlnum(s[i - 1]))
            else { i += 1; continue }
            var j = i, n = 0
            // Only the first five digits are kept: a longer run is not a year, and must not overflow.
            while j < s.count, let d = CharClass.digitValue(s[j]) { if j - i < 5 { n = n * 10 + d }; j += 1 }
            defer { i = j }
            guard j - i == 4, (1900...2100).contains(n) else { continue }
            var k = j
            while k < s.count, s[k] == " " { k += 1 }
            // The end of a range: "2018-2020年" — the first year has no 年, the second follows a dash.
            let afterDash: Bool = {
                var b = i - 1
                while b >= 0, s[b] == " " { b -= 1 }
                return b >= 0 && Self.rangeDashes.contains(s[b])
            }()
            var c = k
            let rangeStart: Bool = {
                if k < s.count, s[k] == "年" { c = k + 1 }
                while c < s.count, s[c] == " " { c += 1 }
                return c < s.count && Self.rangeDashes.contains(s[c])
            }()
            guard k < s.count, s[k] == "年", titleDepth == 0, !afterDash, !rangeStart else { continue }
            guard let sentence = facts.sentence(at: i) else { continue }
            out.append(YearMention(year: n, span: TextSpan(start: i, end: k + 1), sentence: sentence))
        }
        return out
    }

    /// Years that are neither the report year nor the one before, in sentences that speak of this year's work
    /// (they contain one of `thisYearWords`, e.g. 全年 本年 今年) and not of plans (none of `planWords`, e.g. 将 计划).
    /// The suggestion is the report year.
    public static func strayYears(in facts: ProseFacts, reportYear: Int, thisYearWords: [String], planWords: [String] = [])
        -> [EditorialHit]
    {
        var out: [EditorialHit] = []
        for m in yearMentions(in: facts) where m.year != reportYear && m.year != reportYear - 1 {
            let sentence = facts.sentenceText(m.sentence)
            guard thisYearWords.contains(where: { FastText.contains(sentence, $0) }),
                !planWords.contains(where: { FastText.contains(sentence, $0) })
            else { continue }
            out.append(EditorialHit(kind: .strayYear, span: m.span, text: facts.text.text(m.span), suggestion: "\(reportYear)年"))
        }
        return out
    }
}
