import OGIModel

/// The typographic numbering styles of Chinese documents, outermost first.
public enum NumberingStyle: String, Sendable, CaseIterable, Comparable {
    /// 一、
    case chineseComma = "chinese_comma"
    /// （一）
    case chineseParen = "chinese_paren"
    /// 一是 (a Chinese numeral followed by one of the caller's inline suffixes)
    case chineseInline = "chinese_inline"
    /// 1. 1、 1．
    case arabicDot = "arabic_dot"
    /// （1） (1)
    case arabicParen = "arabic_paren"

    /// The style's place in `allCases` (its order, outermost first), without making the array of cases.
    var level: Int {
        switch self {
        case .chineseComma: return 0
        case .chineseParen: return 1
        case .chineseInline: return 2
        case .arabicDot: return 3
        case .arabicParen: return 4
        }
    }
    public static func < (a: NumberingStyle, b: NumberingStyle) -> Bool { a.level < b.level }
}

/// A numbering marker at the start of a paragraph, e.g. 三、 or （2）.
public struct NumberingMarker: Hashable, Sendable {
    public var style: NumberingStyle
    public var number: Int
    /// Offsets of the marker inside the text it was read from (leading spaces skipped).
    public var span: TextSpan
    public var text: String

    /// The marker written for another number in the same style, e.g. 四、 → 三、 (used in fixes).
    public func rewritten(_ n: Int, inlineSuffix: String? = nil) -> String {
        switch style {
        case .chineseComma: return ChineseNumeral.format(n) + "、"
        case .chineseParen: return "（" + ChineseNumeral.format(n) + "）"
        case .chineseInline:
            let suffix = inlineSuffix ?? String(text.unicodeScalars.drop { ChineseNumeral.digit($0) != nil }.map(Character.init))
            return ChineseNumeral.format(n) + suffix
        case .arabicDot:
            let sep = text.unicodeScalars.last.map { String($0) } ?? "."
            return String(n) + sep
        case .arabicParen:
            return text.hasPrefix("(") ? "(\(n))" : "（\(n)）"
        }
    }

    /// Reads a marker at the start of `s` (after white space). `inlineSuffixes` enables the 一是 style.
    public static func parse(_ s: [Unicode.Scalar], inlineSuffixes: [String] = []) -> NumberingMarker? {
        var i = 0
        while i < s.count, FastText.isSpace(s[i]) { i += 1 }
        let start = i
        guard i < s.count else { return nil }
        func make(_ style: NumberingStyle, _ n: Int, _ end: Int) -> NumberingMarker {
            NumberingMarker(style: style, number: n, span: TextSpan(start: start, end: end), text: s.string(start..<end))
        }
        // Parenthesised: （一） （1） (1)
        if s[i] == "（" || s[i] == "(" {
            var j = i + 1
            if let (n, e) = ChineseNumeral.read(s, from: j), e < s.count, s[e] == "）" || s[e] == ")" {
                return make(.chineseParen, n, e + 1)
            }
            var n = 0, digits = 0
            while j < s.count, let d = CharClass.digitValue(s[j]), digits < 3 { n = n * 10 + d; j += 1; digits += 1 }
            if digits > 0, j < s.count, s[j] == "）" || s[j] == ")" { return make(.arabicParen, n, j + 1) }
            return nil
        }
        if let (n, e) = ChineseNumeral.read(s, from: i), e < s.count {
            if s[e] == "、" { return make(.chineseComma, n, e + 1) }
            for suffix in inlineSuffixes {
                let u = Array(suffix.unicodeScalars)
                if !u.isEmpty, s.matches(u, at: e) { return make(.chineseInline, n, e + u.count) }
            }
            return nil
        }
        var j = i, n = 0, digits = 0
        while j < s.count, let d = CharClass.digitValue(s[j]), digits < 3 { n = n * 10 + d; j += 1; digits += 1 }
        if digits > 0, j < s.count, s[j] == "." || s[j] == "、" || s[j] == "．" {
            // "1.05" is a number, not a marker.
            if j + 1 < s.count, CharClass.digitValue(s[j + 1]) != nil { return nil }
            return make(.arabicDot, n, j + 1)
        }
        return nil
    }

    static func startsWithMarker(_ s: [Unicode.Scalar]) -> Bool { parse(s) != nil }
}

/// Chinese numerals 一 … 九十九 (also 〇/零 and 两).
public enum ChineseNumeral {
    static func digit(_ u: Unicode.Scalar) -> Int? {
        switch u {
        case "〇", "零": return 0
        case "一": return 1
        case "二", "两": return 2
        case "三": return 3
        case "四": return 4
        case "五": return 5
        case "六": return 6
        case "七": return 7
        case "八": return 8
        case "九": return 9
        default: return nil
        }
    }

    /// Reads a numeral up to 9999 at `from`; returns the value and the end offset.
    public static func read(_ s: [Unicode.Scalar], from: Int) -> (Int, Int)? {
        var i = from
        var total = 0, current = -1
        var sawAny = false
        while i < s.count {
            let u = s[i]
            if let d = digit(u) {
                if current >= 0 { current = current * 10 + d } else { current = d }
                sawAny = true
            } else if u == "十" || u == "百" || u == "千" {
                let m = u == "十" ? 10 : (u == "百" ? 100 : 1000)
                total += (current < 0 ? 1 : current) * m
                current = -1
                sawAny = true
            } else {
                break
            }
            i += 1
        }
        guard sawAny else { return nil }
        if current >= 0 { total += current }
        return (total, i)
    }

    /// Formats 1 … 99 as 一 … 九十九 (larger numbers as digits).
    public static func format(_ n: Int) -> String {
        let d = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 0...9: return d[n]
        case 10...19: return "十" + (n == 10 ? "" : d[n - 10])
        case 20...99: return d[n / 10] + "十" + (n % 10 == 0 ? "" : d[n % 10])
        default: return String(n)
        }
    }
}
