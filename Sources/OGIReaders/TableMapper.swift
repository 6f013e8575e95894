import Foundation
import OGIModel

/// One line of input after noise removal, with its 1-based line number in the original file.
public struct SourceLine: Sendable {
    public var number: Int
    public var text: String
    public init(number: Int, text: String) { self.number = number; self.text = text }
}

/// A piece of a table as it appears in the input stream: label text, a cell value, an empty cell, or a row break.
public struct CellToken: Sendable {
    public enum Kind: Sendable { case text, value, blank, rowBreak }
    public var kind: Kind
    public var raw: String
    /// Normalised text (labels only): always `LabelText.normalize(raw)`.
    public var norm: String
    public var line: Int
    /// 1-based position of the cell among the line's separated fields, when the line is delimited.
    public var field: Int?
    /// Display column where the token starts on an undelimited line (wide characters count two), used to
    /// place the numbers of a row that has fewer than its columns (PDF text, where an empty cell is spaces).
    public var column: Int?
    /// What a value token was read as (kept so the cell is not parsed twice).
    var parsed: (state: CellState, value: Decimal?, unit: String?)?

    public init(kind: Kind, raw: String, norm: String = "", line: Int, field: Int? = nil) {
        self.kind = kind; self.raw = raw; self.norm = norm; self.line = line; self.field = field
    }
}

/// Splits lines into cell tokens. Rows may be one cell per line (Word export), tab- or `|`-separated,
/// or separated by runs of spaces (web and PDF copies).
public enum CellTokenizer {
    public static func tokens(of lines: [SourceLine], syntax: CellSyntax) -> [CellToken] {
        tokens(of: lines, syntax: syntax, filter: ValueScalars(syntax: syntax))
    }

    /// `tokens(of:syntax:)` with the syntax's `ValueScalars` built once (`TableMapper.valueScalars`).
    static func tokens(of lines: [SourceLine], syntax: CellSyntax, filter: ValueScalars) -> [CellToken] {
        tokens(of: [lines[...]], syntax: syntax, filter: filter).tokens
    }

    /// The tokens of several runs of lines, run after run, and the range of each run's tokens. A line's tokens
    /// depend on that line alone, so the tokens of a run are those the run's lines have among all the lines.
    static func tokens(of runs: [ArraySlice<SourceLine>], syntax: CellSyntax, filter: ValueScalars) -> (
        tokens: [CellToken], ranges: [Range<Int>]
    ) {
        // The lines' shapes first, for room for two tokens a line and one more per field separator: a bound of
        // the tokens of delimited lines made of one word a field, so the array is seldom grown (each growth
        // copies every token made so far).
        let shapes = runs.map { run in run.map { LineShape($0.text) } }
        var separators = 0, lineCount = 0
        for run in shapes {
            lineCount += run.count
            for shape in run { separators += shape.separators }
        }
        var out: [CellToken] = []
        out.reserveCapacity(lineCount * 2 + separators)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(runs.count)
        // The fields of a delimited line, the first `fieldCount` of one array kept from line to line (an array a
        // line was made and freed for every row of a table; emptying it for every line cost more than writing
        // over its elements).
        var plainFields: [DelimitedField] = []
        var fieldCount = 0
        for (r, lines) in runs.enumerated() {
            let start = out.count
            for (k, line) in zip(lines.indices, lines) {
                let t = line.text
                let shape = shapes[r][k - lines.startIndex]
                let delimited = shape.delimited
                if shape.blank {
                    out.append(CellToken(kind: delimited ? .blank : .rowBreak, raw: "", line: line.number))
                    continue
                }
                if delimited {
                    if shape.plain {
                        fieldCount = plainFieldsOfPlainLine(t, over: &plainFields)
                    } else {
                        plainFields = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\t" || $0 == "|" || $0 == "｜" })
                            .map { DelimitedField(text: FastText.trimmed(String($0)), digits: DelimitedField.unread) }
                        fieldCount = plainFields.count
                    }
                    let first = (0..<fieldCount).first { !plainFields[$0].text.isEmpty } ?? 0
                    let last = (0..<fieldCount).last { !plainFields[$0].text.isEmpty } ?? -1
                    if first <= last {
                        for i in first...last {
                            let f = plainFields[i].text
                            if f.isEmpty { out.append(CellToken(kind: .blank, raw: "", line: line.number, field: i + 1)); continue }
                            appendField(
                                f, digits: plainFields[i].digits, line: line.number, field: i + 1, syntax: syntax, filter: filter,
                                into: &out)
                        }
                    }
                } else {
                    appendWords(of: t, line: line.number, syntax: syntax, filter: filter, into: &out)
                }
            }
            ranges.append(start..<out.count)
        }
        return (out, ranges)
    }

    /// The words of an undelimited line (split at white space), each with the display column where it starts
    /// (a scalar from U+1100 up counts two). Read on the UTF-8 bytes: each scalar decoded from them, a scalar of
    /// U+4000...U+9FFF (lead byte E4...E9: not white space, two columns) passed over by its lead byte; each
    /// word is the line's bytes between the offsets of its first scalar and the white space after it (scalar
    /// boundaries, so copied without validating them again).
    /// `appendWordsOnScalars` is the scalar-view reading; `TokenizerBytesTests` compares the two.
    static func appendWords(of t: String, line: Int, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]) {
        t.withUTF8Bytes { b in
            let n = b.count
            var col = 0
            var start = -1
            var wordStart = 0
            func flush(_ end: Int) {
                guard start >= 0 else { return }
                let before = out.count
                appendWord(
                    String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[wordStart..<end])), line: line, syntax: syntax, filter: filter,
                    into: &out)
                for j in before..<out.count { out[j].column = start }
                start = -1
            }
            var i = 0
            while i < n {
                if b[i] &- 0xE4 < 6 {
                    if start < 0 { start = col; wordStart = i }
                    col += 2
                    i &+= 3
                    continue
                }
                let (v, len) = UTF8Scan.scalar(b, i)
                if FastText.isSpace(Unicode.Scalar(v)!) {
                    flush(i)
                } else if start < 0 {
                    start = col; wordStart = i
                }
                col += v >= 0x1100 ? 2 : 1
                i += len
            }
            flush(n)
        }
    }

    /// `appendWords(of:...)` read through the scalar view: the reading the byte reading is compared with.
    static func appendWordsOnScalars(of t: String, line: Int, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]) {
        var col = 0
        var start: Int?
        let scalars = t.unicodeScalars
        var wordStart = scalars.startIndex
        func flush(_ end: String.UnicodeScalarView.Index) {
            guard let st = start else { return }
            let before = out.count
            appendWord(String(Substring(scalars[wordStart..<end])), line: line, syntax: syntax, filter: filter, into: &out)
            for j in before..<out.count { out[j].column = st }
            start = nil
        }
        var idx = scalars.startIndex
        while idx < scalars.endIndex {
            let u = scalars[idx]
            if FastText.isSpace(u) {
                flush(idx)
            } else if start == nil {
                start = col; wordStart = idx
            }
            col += u.value >= 0x1100 && u != "\u{3000}" ? 2 : (u == "\u{3000}" ? 2 : 1)
            idx = scalars.index(after: idx)
        }
        flush(scalars.endIndex)
    }

    /// The trimmed fields of a delimited line split at tabs, `|` and `｜`, read scalar by scalar when every
    /// scalar is a tab or plain (`FastText.isPlainScalar`: each its own character, so the split is the same as
    /// splitting the characters); nil otherwise.
    static func plainFields(_ t: String) -> [String]? {
        let scalars = t.unicodeScalars
        guard scalars.allSatisfy({ $0 == "\t" || FastText.isPlainScalar($0) }) else { return nil }
        var fields: [String] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let u = scalars[i]
            if u == "\t" || u == "|" || u == "｜" {
                fields.append(FastText.trimmed(String(Substring(scalars[start..<i]))))
                start = scalars.index(after: i)
            }
            i = scalars.index(after: i)
        }
        fields.append(FastText.trimmed(String(Substring(scalars[start..<scalars.endIndex]))))
        return fields
    }

    /// What one pass over a line's scalars tells the tokenizer: whether it has a field separator (tab, `|`,
    /// `｜`), is white space only (`FastText.isSpace`), and is made of tabs and plain scalars only
    /// (`FastText.isPlainScalar`, the condition of `plainFields`).
    struct LineShape {
        var delimited = false
        var blank = true
        var plain = true
        /// How many field separators the line has.
        var separators = 0

        /// Read on the UTF-8 bytes, each scalar decoded from them and asked the same questions in the same order.
        /// A lead byte E5...E9 starts a scalar of U+5000...U+9FFF (CJK unified ideographs): no separator, not
        /// white space, plain; its three bytes are passed over without decoding them. A lead byte E4 starts one of
        /// U+4000...U+4FFF: no separator, not white space, plain from U+4E00 on, where its second byte is B8 or
        /// more. An ASCII byte is asked without decoding (plain is U+0020...U+007E, `FastText.isPlainScalar`'s
        /// ASCII range).
        init(_ t: String) {
            var delimited = false, blank = true, plain = true
            var separators = 0
            t.withUTF8Bytes { b in
                var i = 0
                while i < b.count {
                    let c = b[i]
                    if c &- 0xE5 < 5 {
                        blank = false
                        i &+= 3
                        continue
                    }
                    if c == 0xE4 {
                        blank = false
                        if b[i &+ 1] < 0xB8 { plain = false }
                        i &+= 3
                        continue
                    }
                    // An ASCII byte is its scalar: the same questions, asked of the byte.
                    if c < 0x80 {
                        if c == 9 || c == 0x7C { delimited = true; separators += 1 }
                        if blank && !FastText.isSpace(Unicode.Scalar(c)) { blank = false }
                        if plain && c != 9 && !(c >= 0x20 && c <= 0x7E) { plain = false }
                        i &+= 1
                        continue
                    }
                    let (v, len) = UTF8Scan.scalar(b, i)
                    let u = Unicode.Scalar(v)!
                    if v == 9 || v == 0x7C || v == 0xFF5C { delimited = true; separators += 1 }
                    if blank && !FastText.isSpace(u) { blank = false }
                    if plain && v != 9 && !FastText.isPlainScalar(u) { plain = false }
                    i += len
                }
            }
            self.delimited = delimited
            self.blank = blank
            self.plain = plain
            self.separators = separators
        }

        /// The reading scalar by scalar through the scalar view (the reference for tests).
        init(scalarsOf t: String) {
            for u in t.unicodeScalars {
                let v = u.value
                if v == 9 || v == 0x7C || v == 0xFF5C { delimited = true; separators += 1 }
                if blank && !FastText.isSpace(u) { blank = false }
                if plain && v != 9 && !FastText.isPlainScalar(u) { plain = false }
            }
        }
    }

    /// `plainFields(t)` for a line known to be plain (`LineShape.plain`), split and trimmed on its UTF-8 bytes.
    /// Exact: a tab and `|` are single bytes that occur in UTF-8 only as themselves, and `EF BD 9C` (`｜`)
    /// starts with a lead byte, so it is that scalar wherever it is found; among tabs and plain scalars the
    /// only white space is U+0020 and U+3000 (`E3 80 80`), so trimming those bytes at the ends of a field is
    /// `FastText.trim`. The fields hold the same bytes, so they are the same strings. `separators`: how many
    /// separators the line has when known (`LineShape.separators`), for an array made at its size.
    static func plainFieldsOfPlainLine(_ line: String, separators: Int = 0) -> [String] {
        var fields: [DelimitedField] = []
        fields.reserveCapacity(separators + 1)
        let count = plainFieldsOfPlainLine(line, over: &fields)
        return fields[..<count].map(\.text)
    }

    /// "0" to "99", the texts of the numbers below 100 (`plainFieldsOfPlainLine`'s fields of such a number).
    static let smallNumberTexts: [String] = (0..<100).map { String($0) }

    /// One field of a delimited line: its text, trimmed, and what its bytes read as when they were at hand
    /// (`CellSyntax.plainDigits`: the value of 1 to 18 ASCII digits, `notDigits` for any other text, `unread`
    /// when the field was not made from its bytes).
    struct DelimitedField {
        var text: String
        var digits: Int64
        static let notDigits: Int64 = -1
        static let unread: Int64 = -2
    }

    /// `plainFieldsOfPlainLine(line)`, each field with what its bytes read as digits, written over the first
    /// elements of `fields` (appended past its end); returns how many. The elements after those are left as they
    /// were.
    static func plainFieldsOfPlainLine(_ line: String, over fields: inout [DelimitedField]) -> Int {
        var made = 0
        @inline(__always) func put(_ f: DelimitedField) {
            if made < fields.count { fields[made] = f } else { fields.append(f) }
            made += 1
        }
        line.withUTF8Bytes { b in
            let n = b.count
            func field(_ from: Int, _ to: Int) -> DelimitedField {
                var lo = from, hi = to
                while lo < hi {
                    if b[lo] == 0x20 {
                        lo += 1
                    } else if hi - lo >= 3, b[lo] == 0xE3, b[lo + 1] == 0x80, b[lo + 2] == 0x80 {
                        lo += 3
                    } else {
                        break
                    }
                }
                while hi > lo {
                    if b[hi - 1] == 0x20 {
                        hi -= 1
                    } else if hi - lo >= 3, b[hi - 3] == 0xE3, b[hi - 2] == 0x80, b[hi - 1] == 0x80 {
                        hi -= 3
                    } else {
                        break
                    }
                }
                let bytes = UnsafeBufferPointer(rebasing: b[lo..<hi])
                // A field of digits (most value cells) is ASCII: its bytes are not read again to tell.
                let digits = CellSyntax.plainDigits(bytes)
                // A number below 100 written without leading zeros (most cells of a report: "0", "3", "27") is
                // the text `smallNumberTexts` keeps for it, the same bytes, not a string made anew.
                if let d = digits, d < 100, bytes.count == (d < 10 ? 1 : 2) {
                    return DelimitedField(text: Self.smallNumberTexts[Int(d)], digits: d)
                }
                return DelimitedField(
                    text: lo == hi ? "" : String(knownValidUTF8: bytes, isASCII: digits != nil || KnownValidUTF8.isASCII(bytes)),
                    digits: digits ?? DelimitedField.notDigits)
            }
            // Scalar by scalar: a separator is a scalar of its own, and no continuation byte is one of its bytes,
            // so a scalar of two, three or four bytes that is not `｜` is passed over by its lead byte (a line of
            // ideographs is read a third as many times as byte by byte).
            var start = 0, i = 0
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c == 9 || c == 0x7C { put(field(start, i)); start = i + 1 }
                    i += 1
                } else if c == 0xEF {
                    if i + 2 < n, b[i + 1] == 0xBD, b[i + 2] == 0x9C { put(field(start, i)); start = i + 3 }
                    i += 3
                } else {
                    i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
                }
            }
            put(field(start, n))
        }
        return made
    }

    /// The value a field or word is read as. A comma is only a thousands separator ("1,234"); "12,34" may be
    /// two cells run together, so it is not read as a number.
    static func value(_ w: String, syntax: CellSyntax) -> (state: CellState, value: Decimal?, unit: String?)? {
        if hasComma(w) { return separatedNumber(w, syntax: syntax) }
        return syntax.parseValue(w)
    }

    /// `value(_:syntax:)`, answering nil at once for a word `filter` knows to be text.
    /// A field of ASCII digits only (most value cells) is read at once (`CellSyntax.plainIntegerValue`): it has no
    /// comma and no scalar outside the filter's, so the steps below give `parseValue`'s reading, which is that.
    static func value(_ w: String, syntax: CellSyntax, filter: ValueScalars) -> (state: CellState, value: Decimal?, unit: String?)? {
        if let v = syntax.plainIntegerValue(w) { return (.number, v, nil) }
        return value(w, syntax: syntax, scan: filter.scan(w))
    }

    /// `value(_:syntax:filter:)` of a word that is no plain whole number, read from its scan (`ValueScalars.scan`).
    /// Kept a call of its own: inlined into `appendField`, it made the tokenizer's loop cost more (about 0.1% of a
    /// batch report, through the inlining of what else it calls).
    @inline(never)
    static func value(_ w: String, syntax: CellSyntax, scan: ValueScalars.FieldScan) -> (state: CellState, value: Decimal?, unit: String?)?
    {
        if scan.hasComma { return separatedNumber(w, syntax: syntax) }
        if scan.certainlyText { return nil }
        return syntax.parseValue(w)
    }

    /// `w.unicodeScalars.contains { $0 == "," || $0 == "，" }` read on the UTF-8 bytes: `,` is the byte `2C` (which
    /// occurs in UTF-8 only as itself) and `，` (U+FF0C) is `EF BC 8C`, found where its lead byte is.
    static func hasComma(_ w: String) -> Bool {
        return w.withUTF8Bytes { b in
            var i = 0
            while i < b.count {
                let c = b[i]
                if c == 0x2C { return true }
                if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] == 0x8C { return true }
                i += 1
            }
            return false
        }
    }

    /// A number written with thousands separators ("1,234", "1，234", full-width digits too), read without them.
    static func separatedNumber(_ w: String, syntax: CellSyntax) -> (state: CellState, value: Decimal?, unit: String?)? {
        guard w.unicodeScalars.contains(where: { $0 == "," || $0 == "，" || $0 == "\u{FF0C}" }) else { return nil }
        var digitsBefore = 0, groups: [Int] = [], sawDot = false
        var plain = ""
        for (i, u) in w.unicodeScalars.enumerated() {
            let isDigit = ("0"..."9").contains(u) || (0xFF10...0xFF19).contains(u.value)
            if isDigit {
                if groups.isEmpty || sawDot { digitsBefore += groups.isEmpty ? 1 : 0 } else { groups[groups.count - 1] += 1 }
                plain.unicodeScalars.append(u)
            } else if u == "," || u == "，" {
                if sawDot || (groups.isEmpty && digitsBefore == 0) { return nil }
                groups.append(0)
            } else if u == "." && !sawDot {
                sawDot = true; plain.append(".")
            } else if i == 0 && (u == "-" || u == "+") {
                plain.unicodeScalars.append(u)
            } else {
                return nil
            }
        }
        guard !groups.isEmpty, (1...3).contains(digitsBefore), groups.allSatisfy({ $0 == 3 }) else { return nil }
        let p = syntax.parse(plain)
        return p.state == .number ? p : nil
    }

    /// `digits`: what the field's bytes read as (`DelimitedField.digits`).
    /// `field`: the field's position on its line, given to every token made of it.
    private static func appendField(
        _ f: String, digits: Int64, line: Int, field: Int, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]
    ) {
        let plain =
            digits >= 0
            ? syntax.plainIntegerValue(digits: digits)
            : digits == DelimitedField.unread ? syntax.plainIntegerValue(f) : nil
        if let v = plain {
            appendValue(f, line: line, field: field, parsed: (.number, v, nil), into: &out); return
        }
        // Its value and whether it holds white space, from one pass over the field's bytes (`ValueScalars.scan`).
        let scan = filter.scan(f)
        if let p = value(f, syntax: syntax, scan: scan) {
            appendValue(f, line: line, field: field, parsed: p, into: &out); return
        }
        // One word (no white space inside): neither a sign apart from its number nor numbering apart from
        // its label, so the field is one text token, as the general reading below finds.
        if !scan.hasSpace {
            out.append(CellToken(kind: .text, raw: f, norm: LabelText.normalize(f), line: line, field: field)); return
        }
        let words = f.unicodeScalars.split(whereSeparator: FastText.isSpace).map { String($0) }
        // A sign written apart from its number inside one cell ("- 51", "减 51") is one signed value.
        // (The words compared as texts from their bytes where that is certain: `FastText.equal`.)
        if words.count == 2, Self.isSignWord(words[0], syntax: syntax), let p = syntax.parseValue(words[1]), p.state == .number {
            appendValue(f, line: line, field: field, parsed: syntax.parse(words[0] + words[1]), into: &out); return
        }
        // "1. 属于国家秘密": numbering set apart from its label inside one cell is part of the label.
        let numbered =
            words.count > 1 && value(words[0], syntax: syntax, filter: filter) != nil
            && words.dropFirst().allSatisfy { value($0, syntax: syntax, filter: filter) == nil }
        if words.count > 1 && !numbered {
            for w in words { appendWord(w, line: line, field: field, syntax: syntax, filter: filter, into: &out) }
        } else {
            out.append(CellToken(kind: .text, raw: f, norm: LabelText.normalize(f), line: line, field: field))
        }
    }

    /// `["-", "+", "－", "＋"].contains(w) || (syntax.increaseWords + syntax.decreaseWords).contains(w)`, each word
    /// compared by `FastText.equal` (Swift's equality, without normalising two different plain texts), with `w`'s
    /// plainness read once instead of at every comparison (`w` is often a long label word).
    static func isSignWord(_ w: String, syntax: CellSyntax) -> Bool {
        let plain = FastText.isAllPlain(w)
        func equal(_ c: String) -> Bool { FastText.equal(c, w, bIsPlain: plain) }
        return signs.contains(where: equal) || syntax.increaseWords.contains(where: equal) || syntax.decreaseWords.contains(where: equal)
    }

    /// The signs written apart from their numbers (`isSignWord`), made once.
    static let signs = ["-", "+", "－", "＋"]

    /// Appends a value token and sets what it was read as in place: a token made with its reading before it was
    /// appended was copied into the array and the one made destroyed.
    @inline(__always)
    private static func appendValue(
        _ raw: String, line: Int, field: Int? = nil, parsed: (state: CellState, value: Decimal?, unit: String?),
        into out: inout [CellToken]
    ) {
        out.append(CellToken(kind: .value, raw: raw, line: line, field: field))
        out[out.count - 1].parsed = parsed
    }

    /// `field`: the position on its line of the field the word is in (nil on an undelimited line).
    private static func appendWord(
        _ w: String, line: Int, field: Int? = nil, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]
    ) {
        if let p = Self.value(w, syntax: syntax, filter: filter) {
            appendValue(w, line: line, field: field, parsed: p, into: &out)
        } else {
            out.append(CellToken(kind: .text, raw: w, norm: LabelText.normalize(w), line: line, field: field))
        }
    }
}

/// The scalars a cell value can be written with, for rejecting label text before `CellSyntax.parseValue`
/// reads it in full: digits, points, commas, signs (ASCII and full-width), white space, and every scalar of
/// the syntax's placeholders, blank markers, sign words and units.
struct ValueScalars: Sendable {
    let allowed: ScalarSet
    /// True when every word of the syntax is made of plain scalars (`FastText.isPlainScalar`).
    let wordsArePlain: Bool

    init(syntax: CellSyntax) {
        let words = syntax.placeholders + syntax.blanks + syntax.increaseWords + syntax.decreaseWords + syntax.units
        var set = ScalarSet("0123456789.,+-\u{FF0E}\u{FF0B}\u{FF0D}\u{2212}".unicodeScalars)
        for v in UInt32(0xFF10)...0xFF19 { set.insert(Unicode.Scalar(v)!) }
        // The white space up to U+3000 (`FastText.isSpace`), from its list rather than by testing every scalar.
        for u in FastText.spaceScalars where u.value <= 0x3000 { set.insert(u) }
        set.insert("\u{FEFF}")
        for w in words { for u in w.unicodeScalars { set.insert(u) } }
        allowed = set
        wordsArePlain = words.allSatisfy { $0.unicodeScalars.allSatisfy(FastText.isPlainScalar) }
    }

    /// True when `CellSyntax.parse` reads `w` as text, known from one scalar: `w` is made of plain scalars
    /// and has one outside `allowed`. Exact: plain strings are equal only when their scalars are, so `w`
    /// is no placeholder or blank marker; that scalar is not changed by the digit normalisation, removed
    /// with a unit or sign word, or trimmed, so the number left contains it and is not a decimal.
    ///
    /// `scan(w).certainlyText`; `isCertainlyTextOnScalars` is the scalar-view reading, `TokenizerBytesTests`
    /// compares the two.
    func isCertainlyText(_ w: String) -> Bool { scan(w).certainlyText }

    /// What the tokenizer asks of a field or word that is no plain whole number (`ValueScalars.scan`).
    struct FieldScan {
        /// It holds `,` or `，` (`CellTokenizer.hasComma`).
        var hasComma: Bool
        /// `CellSyntax.parse` reads it as text, known from one scalar (`isCertainlyText`).
        var certainlyText: Bool
        /// It holds white space (`FastText.isSpace`).
        var hasSpace: Bool
    }

    /// The three answers of `FieldScan` in one pass over the text's UTF-8 bytes. A scalar of U+5000...U+9FFF (lead
    /// byte E5...E9) is plain, no comma and no white space, so it is decoded only while no scalar outside `allowed`
    /// has been found; one of U+4000...U+4FFF (lead byte E4) is no comma and no white space, and plain from U+4E00
    /// on; every other scalar is decoded and asked each question.
    func scan(_ w: String) -> FieldScan {
        w.withUTF8Bytes { b in
            var comma = false, space = false, outside = false
            // False once a scalar is not plain (or the syntax's words are not): then the text is not certainly text.
            var plain = wordsArePlain
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c &- 0xE5 < 5 {
                    if plain && !outside {
                        let v = UInt32(c & 0x0F) << 12 | UInt32(b[i &+ 1] & 0x3F) << 6 | UInt32(b[i &+ 2] & 0x3F)
                        if !allowed.contains(Unicode.Scalar(v)!) { outside = true }
                    }
                    i &+= 3
                    continue
                }
                if c == 0xE4 {
                    if plain {
                        let v = UInt32(c & 0x0F) << 12 | UInt32(b[i &+ 1] & 0x3F) << 6 | UInt32(b[i &+ 2] & 0x3F)
                        if v < 0x4E00 { plain = false } else if !outside && !allowed.contains(Unicode.Scalar(v)!) { outside = true }
                    }
                    i &+= 3
                    continue
                }
                // An ASCII byte is its scalar, plain from U+0020 to U+007E.
                if c < 0x80 {
                    let u = Unicode.Scalar(c)
                    if c == 0x2C { comma = true }
                    if FastText.isSpace(u) { space = true }
                    if plain {
                        if c < 0x20 || c > 0x7E { plain = false } else if !outside && !allowed.contains(u) { outside = true }
                    }
                    i &+= 1
                    continue
                }
                let (v, len) = UTF8Scan.scalar(b, i)
                let u = Unicode.Scalar(v)!
                if v == 0xFF0C { comma = true }
                if FastText.isSpace(u) { space = true }
                if plain {
                    if !FastText.isPlainScalar(u) { plain = false } else if !allowed.contains(u) { outside = true }
                }
                i += len
            }
            return FieldScan(hasComma: comma, certainlyText: plain && outside, hasSpace: space)
        }
    }

    /// `isCertainlyText` read through the scalar view.
    func isCertainlyTextOnScalars(_ w: String) -> Bool {
        guard wordsArePlain else { return false }
        var outside = false
        for u in w.unicodeScalars {
            guard FastText.isPlainScalar(u) else { return false }
            if !allowed.contains(u) { outside = true }
        }
        return outside
    }
}

/// A set of short words (sign words, placeholders) with a cheap length test in front of the hashing:
/// `contains` equals `Set<String>.contains`. Strings compare by canonical equivalence; a scalar's canonical
/// decomposition has at most 4 scalars and a scalar takes at most 4 UTF-8 bytes, so a text equal to a word of
/// `n` scalars has at most `16 * n` bytes. Longer texts (labels, prose) are rejected without hashing them.
struct ShortWordSet: Sendable {
    let words: TextSet
    let maxBytes: Int

    init<S: Sequence>(_ words: S) where S.Element == String {
        self.words = TextSet(words)
        maxBytes = 16 * (self.words.texts.map { $0.unicodeScalars.count }.max() ?? 0)
    }

    @inline(__always) func contains(_ s: String) -> Bool { s.utf8.count <= maxBytes && words.contains(s) }
}

/// Turns a line number (and, for delimited lines, a field number) into a source location.
public typealias Locator = @Sendable (_ line: Int, _ field: Int?) -> SourceLocation

/// Places a token stream onto a template's tables. Shared by every reader: whatever the file format, a table
/// arrives here as tokens. Labelled tables are aligned with the template's rows (`RowAligner`); a table
/// whose only row has no label (table 4) takes the numbers that follow its header.
public struct TableMapper {
    let numerals: String
    /// `numerals` read once for `LabelText.stripNumbering`.
    let numeralForm: LabelNumerals
    let syntax: CellSyntax
    var locate: Locator = { line, _ in SourceLocation(line: line) }

    /// The sign words a value may be written apart from ("减 51", "+ 7"), gathered once.
    let signWords: ShortWordSet
    /// The scalars of cell values, for the tokenizer (`ValueScalars`).
    let valueScalars: ValueScalars

    /// The templates given at init, each prepared on its first use (shared by copies of this mapper).
    let preparedTemplates: PreparedTemplates

    /// A template table's anchors (normalised) and row label variants, prepared once per template.
    struct SearchForms: Sendable {
        /// The table's own anchors.
        var anchors: [String]
        /// The anchors of the template's other tables.
        var otherAnchors: [String]
        /// The anchors of the other tables of the same part.
        var otherAnchorsInPart: [String]
        /// The longest text `anchors` (and `otherAnchors`) all start with, when not empty (the template's anchors
        /// all start "第二十条第"): a line without it holds none of them, found with one search instead of one per
        /// anchor (`containsAny`).
        var anchorsPrefix: String?
        var otherAnchorsPrefix: String?
        /// Per template row: its variants and its nonstandard variants, prepared for matching
        /// (`mapRowsWithSpan`); empty when made for a table `RowAligner` aligns, which never reads them.
        var rowVariants: [(variants: [Variant], nonstandard: [Variant])]

        init(spec: TableSpec, template: Template, numerals: String) {
            self.init(spec: spec, template: template, numerals: numerals, normalizedAnchors: nil, rowVariants: true)
        }

        /// `normalizedAnchors`: each of the template's tables' anchors normalised (`LabelText.normalize`), by
        /// table index, when the caller has them (made once per template rather than once per table).
        init(spec: TableSpec, template: Template, numerals: String, normalizedAnchors: [[String]]?, rowVariants withRows: Bool) {
            let normalized = normalizedAnchors ?? template.tables.map { $0.anchors.map(LabelText.normalize) }
            anchors = spec.anchors.map(LabelText.normalize)
            otherAnchors = template.tables.indices.filter { template.tables[$0].key != spec.key }.flatMap { normalized[$0] }
            otherAnchorsInPart = template.tables.indices.filter {
                template.tables[$0].part == spec.part && template.tables[$0].key != spec.key
            }
            .flatMap { normalized[$0] }
            anchorsPrefix = TableMapper.commonPrefix(anchors)
            otherAnchorsPrefix = TableMapper.commonPrefix(otherAnchors)
            rowVariants =
                withRows
                ? spec.rows.map { rs in
                    (rs.variants.map { Variant($0, numerals: numerals) }, rs.nonstandard.map { Variant($0, numerals: numerals) })
                } : []
        }
    }

    /// The longest run of scalars every text of `texts` starts with; nil when there is none (or no text). Read on
    /// the UTF-8 bytes (the common bytes, cut back to where a scalar starts), without generic sequences, whose
    /// metadata the runtime would look up on first use.
    static func commonPrefix(_ texts: [String]) -> String? {
        guard let first = texts.first else { return nil }
        return first.withUTF8Bytes { f -> String? in
            var n = f.count
            for t in texts.dropFirst() {
                t.withUTF8Bytes { b in
                    var k = 0
                    while k < n && k < b.count && b[k] == f[k] { k += 1 }
                    n = k
                }
            }
            // Not inside a scalar: a continuation byte next means the last scalar is cut.
            while n > 0 && n < f.count && f[n] & 0xC0 == 0x80 { n -= 1 }
            return n == 0 ? nil : String(knownValidUTF8: UnsafeBufferPointer(rebasing: f[0..<n]))
        }
    }

    /// The text an anchor is looked for in at token `i` (nil for a token that is no text): its normalised text and
    /// that of up to three text tokens right after it on its line, before `end`. An anchor may be written in
    /// pieces on one line ("第二十条 第（一）项").
    static func anchorText(_ tokens: [CellToken], _ i: Int, end: Int) -> String? {
        guard tokens[i].kind == .text else { return nil }
        var s = tokens[i].norm
        var j = i + 1
        while j < end, j < i + 4, tokens[j].kind == .text, tokens[j].line == tokens[i].line {
            s += tokens[j].norm; j += 1
        }
        return s
    }

    /// The first token in `start..<end` whose `anchorText` holds one of `anchors` (`containsAny`). An anchor text
    /// joins neighbouring text tokens of one line, so it is part of their run joined (bytes, as `containsAny`
    /// compares them): a run whose joined tokens hold no anchor is passed over whole, without joining its tokens
    /// again from each of them; a run of one token is its own anchor text. A run's tokens are joined as bytes in
    /// one buffer kept from run to run, not into a string grown token by token.
    static func firstWithAnchor(_ tokens: [CellToken], from start: Int, end: Int, _ anchors: [String], prefix: String?) -> Int? {
        var joined: [UInt8] = []
        var i = start
        while i < end {
            guard tokens[i].kind == .text else { i += 1; continue }
            let line = tokens[i].line
            var runEnd = i + 1
            while runEnd < end, tokens[runEnd].kind == .text, tokens[runEnd].line == line { runEnd += 1 }
            if runEnd == i + 1 {
                if containsAny(tokens[i].norm, anchors, prefix: prefix) { return i }
            } else {
                joined.removeAll(keepingCapacity: true)
                for j in i..<runEnd { tokens[j].norm.withUTF8Bytes { joined.append(contentsOf: $0) } }
                if joined.withUnsafeBufferPointer({ containsAny(bytes: $0, anchors, prefix: prefix) }) {
                    for k in i..<runEnd where anchorText(tokens, k, end: end).map({ containsAny($0, anchors, prefix: prefix) }) ?? false {
                        return k
                    }
                }
            }
            i = runEnd
        }
        return nil
    }

    /// True when `text` holds one of `texts` (their bytes, `FastText.contains`), `prefix` being the run of scalars
    /// they all start with (`SearchForms.anchorsPrefix`): a text without the prefix holds none of them.
    static func containsAny(_ text: String, _ texts: [String], prefix: String?) -> Bool {
        text.withUTF8Bytes { containsAny(bytes: $0, texts, prefix: prefix) }
    }

    /// `containsAny` of the text whose UTF-8 is `bytes`.
    static func containsAny(bytes: UnsafeBufferPointer<UInt8>, _ texts: [String], prefix: String?) -> Bool {
        func holds(_ t: String) -> Bool { t.isEmpty || FastText.firstByteOffset(of: t, inBytes: bytes) != nil }
        if let prefix, !holds(prefix) { return false }
        return texts.contains(where: holds)
    }

    public init(numerals: String, syntax: CellSyntax, templates: [Template] = []) {
        self.numerals = numerals
        numeralForm = LabelNumerals(numerals)
        self.syntax = syntax
        signWords = ShortWordSet(syntax.increaseWords + syntax.decreaseWords + ["+", "＋"])
        valueScalars = ValueScalars(syntax: syntax)
        preparedTemplates = PreparedTemplates(templates: templates, numerals: numerals)
    }

    /// The search forms of a template table: prepared ones (`prep`, the template's preparation), or made now
    /// for a template not given at init.
    func searchForms(_ spec: TableSpec, in template: Template, prep: PreparedTemplates.Preparation?) -> SearchForms {
        prep?.searchForms[spec.key] ?? SearchForms(spec: spec, template: template, numerals: numerals)
    }

    /// A label group followed by the value tokens up to the next label.
    struct Segment {
        var pieces: [CellToken] = []
        var values: [CellToken] = []
        /// All pieces' normalised text joined, and each piece without its numbering; filled by `segments`.
        var joined = ""
        var bare: [String] = []
    }

    func segments(_ tokens: ArraySlice<CellToken>) -> [Segment] {
        var segs: [Segment] = []
        var cur: Segment?
        for t in tokens {
            switch t.kind {
            case .text:
                // Running prose rather than a label: the token holds 。 or ； (read as bytes, not hashed scalar by
                // scalar through a set).
                if RowAligner.isProse(t.norm) {
                    if let c = cur { segs.append(c) }
                    cur = nil
                    continue
                }
                // A label continues across blank lines (PDF text breaks labels); values end it.
                if let c = cur, c.values.contains(where: { $0.kind != .rowBreak }) { segs.append(c); cur = nil }
                if cur != nil { cur!.values.removeAll() }
                if cur == nil { cur = Segment() }
                cur!.pieces.append(t)
            case .value, .blank, .rowBreak:
                if cur == nil {
                    if t.kind == .rowBreak { continue }
                    cur = Segment()
                }
                // Room for a row of the template's tables (seven columns) at the first value: grown value by value,
                // the array was made anew three or four times per row.
                if cur!.values.isEmpty { cur!.values.reserveCapacity(8) }
                cur!.values.append(t)
            }
        }
        if let c = cur { segs.append(c) }
        for i in segs.indices {
            segs[i].joined = segs[i].pieces.map { $0.norm }.joined()
            segs[i].bare = segs[i].pieces.map { LabelText.stripNumbering($0.norm, numerals: numeralForm) }
        }
        return segs
    }

    /// A label variant prepared for matching: normalised, and without numbering.
    struct Variant: Sendable {
        var text: String
        var norm: String
        var bare: String
        init(_ v: String, numerals: String) {
            text = v
            norm = LabelText.normalize(v)
            bare = LabelText.stripNumbering(norm, numerals: numerals)
        }
    }

    /// The variant of a row label that `seg` carries, and the piece that carried it when a single piece did
    /// (nil when only the pieces joined together match, as with labels broken across lines).
    func matchLabel(_ seg: Segment, variants: [Variant]) -> (variant: String, piece: Int?)? {
        guard !seg.pieces.isEmpty else { return nil }
        for v in variants {
            let bare = v.bare
            for (i, p) in seg.pieces.enumerated() {
                if seg.bare[i] == bare || p.norm == v.norm { return (v.text, i) }
                if bare.count >= 3 && FastText.contains(p.norm, bare) { return (v.text, i) }
            }
            // A label spaced out within one line ("规 章") is several pieces on the same line.
            var i = 0
            while i < seg.pieces.count {
                var j = i
                var lineText = ""
                while j < seg.pieces.count, seg.pieces[j].line == seg.pieces[i].line { lineText += seg.pieces[j].norm; j += 1 }
                if j - i > 1, LabelText.stripNumbering(lineText, numerals: numeralForm) == bare { return (v.text, j - 1) }
                i = j
            }
            if bare.count >= 3 && FastText.contains(seg.joined, bare) { return (v.text, nil) }
        }
        return nil
    }

    /// True when some segment in `tokens` contains one of `anchors`; returns the index of the first such segment.
    /// `normalizedAnchors` are already normalised (`LabelText.normalize`).
    func findAnchor(_ segs: [Segment], normalizedAnchors ns: [String], from: Int = 0) -> Int? {
        guard from < segs.count else { return nil }
        for i in from..<segs.count where ns.contains(where: { FastText.contains(segs[i].joined, $0) }) { return i }
        return nil
    }

    /// Maps the segments of one table region onto `spec`. Rows not found are left out; short rows get `missing` cells.
    /// The rows, and the last input line they used (in input line numbers, before any locator).
    func mapRowsWithSpan(_ segs: [Segment], spec: TableSpec, forms: SearchForms) -> (rows: [Row], lastLine: Int?) {
        var lastUsed: Int?
        var rows: [Row] = []
        var cursor = 0
        let k = spec.columns.count
        for (ri, rs) in spec.rows.enumerated() {
            let (variants, nonstandard) = forms.rowVariants[ri]
            var found: (Int, String?)?
            var piece: Int?
            if rs.unlabeled {
                let withValues = (cursor..<segs.count).filter { i in segs[i].values.contains { $0.kind != .rowBreak } }
                if let i = withValues.first(where: { i in segs[i].values.filter { $0.kind == .value }.count >= k }) ?? withValues.first {
                    found = (i, nil)
                }
            } else if cursor < segs.count {
                for i in cursor..<segs.count where segs[i].values.contains(where: { $0.kind != .rowBreak }) {
                    if let m = matchLabel(segs[i], variants: variants) { found = (i, nil); piece = m.piece; break }
                    if let m = matchLabel(segs[i], variants: nonstandard) { found = (i, m.variant); piece = m.piece; break }
                }
            }
            guard let (idx, nonstandard) = found else { continue }
            let seg = segs[idx]
            // Text after the label on the label's own line sits in the row's first cells (e.g. a cell reading "无数据").
            var leading: [CellToken] = []
            if let pi = piece, pi + 1 < seg.pieces.count {
                let line = seg.pieces[pi].line
                leading = seg.pieces[(pi + 1)...].prefix { $0.line == line }.map { CellToken(kind: .value, raw: $0.raw, line: $0.line) }
                if seg.values.filter({ $0.kind != .rowBreak }).count >= k { leading = [] }
            }
            // Without leading text the segment's values are passed as they are (not copied token by token into a new array).
            var picked = takeValues(leading.isEmpty ? seg.values : leading + seg.values, count: k)
            if rs.unlabeled && picked.count < k {
                // A table split into groups (e.g. table 4 as three small tables): gather numbers across segments.
                let numeric = segs[idx...].filter { $0.values.contains { $0.kind == .value } }
                picked = Array(numeric.flatMap { $0.values.filter { $0.kind != .rowBreak } }.prefix(k))
            }
            lastUsed = max(lastUsed ?? 0, picked.last?.line ?? seg.pieces.last?.line ?? 0)
            var cells: [Cell] = []
            for (i, t) in picked.enumerated() {
                if let p = t.parsed {
                    cells.append(Cell(column: spec.columns[i].key, raw: t.raw, location: locate(t.line, t.field), parsed: p))
                } else {
                    cells.append(Cell(column: spec.columns[i].key, raw: t.raw, location: locate(t.line, t.field), syntax: syntax))
                }
            }
            let lastLine = cells.last?.location?.line ?? seg.pieces.last?.line
            while cells.count < k {
                cells.append(.missing(column: spec.columns[cells.count].key, location: lastLine.map { locate($0, nil) }))
            }
            let labelLine = seg.pieces.last?.line ?? seg.values.first?.line
            // The label as written: the matched piece and what precedes it on its own line (not the header
            // above); when only the pieces joined matched, all of them (a label broken across lines).
            let labelPieces = piece.map { pi in seg.pieces[...pi].filter { $0.line == seg.pieces[pi].line } } ?? seg.pieces
            let label = labelPieces.map { $0.raw }.joined(separator: " ")
            rows.append(
                Row(
                    key: rs.key, label: label.isEmpty ? rs.label : label, matchedVariant: nonstandard,
                    location: labelLine.map { locate($0, nil) }, cells: cells))
            cursor = idx + 1
        }
        return (rows, lastUsed)
    }

    /// Up to `count` cell tokens for one row. A run that stops at a row break ends the row. When the run spans
    /// several lines and one line holds exactly `count` cells (a delimited row), that line wins over stray tokens.
    func takeValues(_ values: [CellToken], count k: Int) -> [CellToken] {
        var taken: [CellToken] = []
        for t in values {
            if taken.count == k { break }
            if t.kind == .rowBreak { if taken.isEmpty { continue } else { break } }
            taken.append(t)
        }
        let lines = Set(taken.map { $0.line })
        if lines.count > 1 {
            var byLine: [(Int, [CellToken])] = []
            for t in values where t.kind != .rowBreak {
                if byLine.last?.0 == t.line { byLine[byLine.count - 1].1.append(t) } else { byLine.append((t.line, [t])) }
            }
            if byLine.first.map({ $0.1.count < k }) == true, let full = byLine.first(where: { $0.1.count == k }) {
                return full.1
            }
        }
        return taken
    }

    /// Maps every table of `template` found in `tokens`, using `partRanges` (token index ranges per part key).
    /// Labelled tables are aligned with the template's rows (`RowAligner`); a table whose part was not found,
    /// or is not in its part, is looked for in the whole text by its own row labels.
    public func mapTables(tokens: [CellToken], template: Template, partRanges: [String: Range<Int>], file: String?)
        -> (tables: [Table], consumedLines: [ClosedRange<Int>], notes: [ExtractionNote])
    {
        let m = mapTables(tokens: tokens, template: template, partRanges: partRanges, file: file, partsOnly: false)
        return (m.tables, m.consumed, m.notes)
    }

    /// What `mapTables` read: the tables found among the template's tables read so far (in the template's order),
    /// the lines they took and the notes of their reading, and the first table not read, if any.
    struct TableMapping {
        var tables: [Table] = []
        var consumed: [ClosedRange<Int>] = []
        var notes: [ExtractionNote] = []
        /// The index among the template's tables of the first one not read (nil: every one was read).
        var unreadFrom: Int?
    }

    /// `mapTables(tokens:template:partRanges:file:)`; with `partsOnly`, `tokens` are not the whole text's but only
    /// those of the parts that hold the template's tables, part after part (`partRanges`). The reading then stops
    /// (`unreadFrom`) at the first table it would read beyond a part: a labelled table whose part is missing or
    /// holds none of its rows (looked for in the whole text), a table with anchors whose part is missing, or a
    /// part whose range is all the tokens given (compared with the whole text's range, which it would not be).
    /// The tables before it are the whole text's: each reading stays inside one part's range, whose tokens are
    /// the same in both. `continuing`: a reading that stopped, whose tables are kept and continued from the one it
    /// stopped at (with the whole text's tokens).
    func mapTables(
        tokens: [CellToken], template: Template, partRanges: [String: Range<Int>], file: String?, partsOnly: Bool,
        continuing prior: TableMapping? = nil
    ) -> TableMapping {
        var tables = prior?.tables ?? []
        var consumed = prior?.consumed ?? []
        var notes = prior?.notes ?? []
        var segCache: [String: [Segment]] = [:]
        let aligner = RowAligner(
            numerals: numerals, syntax: syntax, locate: locate, signWords: signWords,
            comparable: ComparableLabels(count: tokens.count, shared: preparedTemplates.labelScalars))
        let preparation = preparedTemplates.preparation(ofTemplate: template.id)
        /// The reading so far, stopped before table `k`.
        func stopped(at k: Int) -> TableMapping { TableMapping(tables: tables, consumed: consumed, notes: notes, unreadFrom: k) }
        for (k, spec) in template.tables.enumerated() where k >= prior?.unreadFrom ?? 0 {
            if let prep = preparation?.tables[spec.key] {
                let inPart = partRanges[spec.part]
                if partsOnly, inPart == nil || inPart == tokens.indices { return stopped(at: k) }
                var found = inPart.flatMap {
                    alignedTable(
                        tokens: tokens, range: $0, spec: spec, template: template, forms: preparation, prep: prep, aligner: aligner)
                }
                // Not under its heading (or no heading): the whole text, with enough rows to be sure.
                // A table with a title of its own whose rows are not after its title (a copy that repeats the
                // table elsewhere) is looked for by its rows alone.
                if (found?.rows.count ?? 0) == 0 {
                    if partsOnly { return stopped(at: k) }
                    for anchored in spec.anchors.isEmpty ? [true] : [true, false] where (found?.rows.count ?? 0) == 0 {
                        // By its rows alone only inside its part, when the part was found.
                        let scope = anchored ? tokens.indices : (inPart ?? tokens.indices)
                        if !anchored || inPart != tokens.indices,
                            let whole = alignedTable(
                                tokens: tokens, range: scope, spec: spec, template: template, forms: preparation, prep: prep,
                                aligner: aligner, useAnchors: anchored),
                            whole.rows.count >= min(3, spec.rows.count)
                        {
                            found = whole
                        }
                    }
                }
                guard let t = found, !t.rows.isEmpty || t.title != nil else { continue }
                tables.append(t.table)
                consumed.append(contentsOf: t.consumed)
                notes.append(contentsOf: t.notes)
                continue
            }
            // Without its part, a table is searched for in the whole text only when it has anchors of its own.
            if partsOnly, partRanges[spec.part] == nil, !spec.anchors.isEmpty { return stopped(at: k) }
            guard let range = partRanges[spec.part] ?? (spec.anchors.isEmpty ? nil : tokens.indices) else { continue }
            let forms = searchForms(spec, in: template, prep: preparation)
            let segs: [Segment]
            if let s = segCache[spec.part] {
                segs = s
            } else {
                segs = segments(tokens[range]); segCache[spec.part] = segs
            }
            var region = segs[...]
            var title: String?
            var titleLine: Int?
            if !spec.anchors.isEmpty {
                if let a = findAnchor(segs, normalizedAnchors: forms.anchors) {
                    let end = findAnchor(segs, normalizedAnchors: forms.otherAnchorsInPart, from: a + 1) ?? segs.count
                    region = segs[a..<end]
                    title = spec.title
                    titleLine = segs[a].pieces.first?.line
                }
            }
            let (rows, lastLine) = mapRowsWithSpan(Array(region), spec: spec, forms: forms)
            if rows.isEmpty && title == nil { continue }
            let first = titleLine ?? region.first { !$0.pieces.isEmpty }?.pieces.first?.line
            let last = lastLine ?? first
            if let f = first, let l = last, l >= f { consumed.append(f...l) }
            tables.append(
                Table(
                    key: spec.key, title: spec.title,
                    location: (titleLine ?? rows.first.flatMap { _ in first }).map { locate($0, nil) }, rows: rows))
        }
        return TableMapping(tables: tables, consumed: consumed, notes: notes)
    }

    struct AlignedTable {
        var table: Table
        var rows: [Row] { table.rows }
        var title: String?
        var consumed: [ClosedRange<Int>]
        var notes: [ExtractionNote]
    }

    /// Aligns one labelled table inside `range`: from its anchor (when it has anchors) to the next table's anchor.
    func alignedTable(
        tokens: [CellToken], range: Range<Int>, spec: TableSpec, template: Template, forms preparation: PreparedTemplates.Preparation?,
        prep: PreparedTable,
        aligner: RowAligner, useAnchors: Bool = true
    ) -> AlignedTable? {
        var region = range
        var title: String?
        var titleLine: Int?
        if !spec.anchors.isEmpty && useAnchors {
            let forms = searchForms(spec, in: template, prep: preparation)
            let bound = range.upperBound
            guard let a = Self.firstWithAnchor(tokens, from: range.lowerBound, end: bound, forms.anchors, prefix: forms.anchorsPrefix)
            else { return nil }
            let end = Self.firstWithAnchor(tokens, from: a + 1, end: bound, forms.otherAnchors, prefix: forms.otherAnchorsPrefix) ?? bound
            region = a..<end
            title = spec.title
            titleLine = tokens[a].line
        }
        let r = aligner.align(tokens[region], spec: spec, table: prep, strict: !useAnchors && !spec.anchors.isEmpty)
        var consumed: [ClosedRange<Int>] = []
        // A table without a title starts at the first text of its part (its header), when read inside its part.
        let headerLine =
            region == range && range != tokens.indices && !r.rows.isEmpty
            ? region.first(where: { tokens[$0].kind == .text }).map { tokens[$0].line } : nil
        let first = titleLine ?? headerLine.map { min($0, r.firstLine ?? $0) } ?? r.firstLine
        if let f = first, let l = r.lastLine ?? first, l >= f { consumed.append(f...l) }
        let table = Table(key: spec.key, title: spec.title, location: first.map { locate($0, nil) }, rows: r.rows)
        return AlignedTable(table: table, title: title, consumed: consumed, notes: r.notes)
    }
}

/// The template tables of a `TableMapper`, prepared on first use of each template rather than all at init:
/// a report uses one template, and a run that reads one report needs only its tables. Thread-safe: the
/// mapper (through `ReaderContext`) is shared by parallel workers; the first to ask prepares, under a lock.
/// Exact: a preparation depends only on the templates given at init and the numerals, so preparing later
/// gives what preparing at init gave (a template id given twice: the later one's tables win, key by key, as
/// at init).
final class PreparedTemplates: @unchecked Sendable {
    /// One template's tables, keyed by table key.
    struct Preparation: Sendable {
        /// Labelled tables (no unlabelled row) prepared for `RowAligner`.
        var tables: [String: PreparedTable] = [:]
        /// Every table's anchors and row variants in the forms matching uses.
        var searchForms: [String: TableMapper.SearchForms] = [:]
    }

    private let templates: [Template]
    private let numerals: String
    private let lock = NSLock()
    /// The comparable scalars of the labels read so far, shared by every report read with these templates.
    let labelScalars: LabelScalarsCache
    /// Preparations made so far, by template id; nil for an id no template given at init has.
    private var done: [String: Preparation?] = [:]

    init(templates: [Template], numerals: String) {
        self.templates = templates
        self.numerals = numerals
        labelScalars = LabelScalarsCache(numerals: numerals)
    }

    /// The preparation of the template with `id` among those given at init, made now when first asked for;
    /// nil when there is none.
    func preparation(ofTemplate id: String) -> Preparation? {
        lock.lock()
        defer { lock.unlock() }
        if let p = done[id] { return p }
        let p = Self.prepare(templates.filter { $0.id == id }, numerals: numerals)
        done[id] = p
        return p
    }

    /// The tables of `templates` (all with one id) prepared as `TableMapper.init` once prepared every template.
    static func prepare(_ templates: [Template], numerals: String) -> Preparation? {
        guard !templates.isEmpty else { return nil }
        var p = Preparation()
        for t in templates {
            let normalizedAnchors = t.tables.map { $0.anchors.map(LabelText.normalize) }
            for spec in t.tables {
                // A table with an unlabelled row is mapped by its row labels (`mapRowsWithSpan`), the others
                // are aligned (`RowAligner`) and need no row variants in their search forms.
                let aligned = !spec.rows.contains(where: \.unlabeled)
                p.searchForms[spec.key] = TableMapper.SearchForms(
                    spec: spec, template: t, numerals: numerals, normalizedAnchors: normalizedAnchors, rowVariants: !aligned)
                if aligned { p.tables[spec.key] = PreparedTable(spec: spec, numerals: numerals) }
            }
        }
        return p
    }
}
