import OGIModel

/// A sentence of a `ProseText`: ends at 。！？!? (closing quotes and brackets after the mark included) or at a
/// paragraph end. `clauses` splits it further at ；/; (Chinese reports separate list groups with semicolons).
public struct Sentence: Hashable, Sendable {
    public var index: Int
    /// The logical paragraph it belongs to.
    public var paragraph: Int
    /// The span, without the leading white space.
    public var span: TextSpan
    /// Clause spans inside the sentence, split after each ；/; .
    public var clauses: [TextSpan]
}

public enum SentenceSplitter {
    /// Splits a text into sentences with positions. Empty sentences (only spaces) are left out.
    public static func sentences(of text: ProseText) -> [Sentence] {
        let s = text.scalars
        var out: [Sentence] = []
        var start = 0
        var clauseStart = 0
        var clauses: [TextSpan] = []
        var i = 0
        func emit(_ end: Int) {
            var a = start
            while a < end, FastText.isSpace(s[a]) { a += 1 }
            var b = end
            while b > a, FastText.isSpace(s[b - 1]) { b -= 1 }
            if b > a {
                // The clauses that end inside the sentence, cut at its start, and the last one up to its end; the
                // empty ones left out. Made in one array with room for them all.
                var cl: [TextSpan] = []
                cl.reserveCapacity(clauses.count + 1)
                for c in clauses where c.end > a {
                    let t = TextSpan(start: max(c.start, a), end: c.end)
                    if t.length > 0 { cl.append(t) }
                }
                if clauseStart < b {
                    let t = TextSpan(start: max(clauseStart, a), end: b)
                    if t.length > 0 { cl.append(t) }
                }
                out.append(
                    Sentence(index: out.count, paragraph: text.logicalParagraph(of: a), span: TextSpan(start: a, end: b), clauses: cl))
            }
            clauses = []
        }
        while i < s.count {
            let u = s[i]
            if u == "\n" {
                emit(i)
                start = i + 1; clauseStart = start
            } else if CharClass.isSentenceEnder(u) {
                var j = i + 1
                while j < s.count, CharClass.isSentenceEnder(s[j]) || CharClass.isCloser(s[j]) { j += 1 }
                emit(j)
                start = j; clauseStart = j
                i = j
                continue
            } else if u == "；" || u == ";" {
                clauses.append(TextSpan(start: clauseStart, end: i + 1))
                clauseStart = i + 1
            }
            i += 1
        }
        emit(s.count)
        return out
    }
}
