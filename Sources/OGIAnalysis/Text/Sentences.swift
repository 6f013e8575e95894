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
                var cl = clauses.filter { $0.end > a }.map { TextSpan(start: max($0.start, a), end: $0.end) }
                if clauseStart < b { cl.append(TextSpan(start: max(clauseStart, a), end: b)) }
                cl = cl.filter { $0.length > 0 }
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
