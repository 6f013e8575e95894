import Foundation
import OGIModel

/// Label normalisation shared by every reader: white space removed, full-width ASCII forms made half-width,
/// so "规 章", "第二十条第(一)项" and "第二十条 第（一）项" compare equal.
public enum LabelText {
    public static func normalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if FastText.isSpace(u) { continue }
            if (0xFF01...0xFF5E).contains(u.value) { out.append(UnicodeScalar(u.value - 0xFEE0)!) } else { out.append(u) }
        }
        return String(out)
    }

    /// Characters left out when labels are compared: brackets, quotes, list and sentence punctuation.
    static let ignoredInComparison: Set<Unicode.Scalar> = Set("()（）[]【】<>《》“”\"'‘’、.．,，:：;；。!！?？·-—–/／_".unicodeScalars)

    /// A label in the form used for similarity: normalised, numbering removed, punctuation left out.
    public static func comparable(_ s: String, numerals: String) -> String {
        let bare = stripNumbering(normalize(s), numerals: numerals)
        var out = String.UnicodeScalarView()
        for u in bare.unicodeScalars where !ignoredInComparison.contains(u) { out.append(u) }
        return String(out)
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

    /// Removes leading numbering such as `一、`, `(一)`, `1.`, `3、`, repeated (`三、(一)`), from a normalised label.
    public static func stripNumbering(_ s: String, numerals: String) -> String {
        var chars = Substring(s)
        // Most labels start with no numbering at all: nothing to strip, nothing to build.
        guard let head = chars.first, head == "(" || head.isASCII && head.isNumber || numerals.contains(head) else { return s }
        func isDigit(_ c: Character) -> Bool { (c.isASCII && c.isNumber) || numerals.contains(c) }
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
                if let f = rest.first, "、.,:".contains(f) { rest = rest.dropFirst() }
            } else {
                guard let f = rest.first, "、.,:)".contains(f) else { break }
                rest = rest.dropFirst()
            }
            chars = rest
        }
        return String(chars)
    }
}

/// A compiled regular expression with named-group access; wraps NSRegularExpression.
final class Pattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ source: String) throws {
        regex = try RegexCache.shared.compile(source)
    }

    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// The first match's named groups (absent groups are left out) and its range.
    func firstGroups(_ s: String, names: [String]) -> (groups: [String: String], range: Range<String.Index>)? {
        guard let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
            let whole = Range(m.range, in: s)
        else { return nil }
        var out: [String: String] = [:]
        for n in names {
            let r = m.range(withName: n)
            if r.location != NSNotFound, let rr = Range(r, in: s) { out[n] = String(s[rr]) }
        }
        return (out, whole)
    }

    /// Removes every match, keeping any line breaks inside a match so line numbers do not move.
    func removingAllKeepingNewlines(in s: String) -> String {
        let ns = s as NSString
        let matches = regex.matches(in: s, range: NSRange(location: 0, length: ns.length))
        if matches.isEmpty { return s }
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

    /// Indices of the lines that this pattern matches in full or in part.
    func matchingLineIndices(in lines: [Substring]) -> Set<Int> {
        var out = Set<Int>()
        for (i, l) in lines.enumerated() where !l.isEmpty {
            let s = String(l)
            if regex.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) != nil { out.insert(i) }
        }
        return out
    }
}
