import Foundation

/// Takes out of a page, before libxml2 parses it, the attributes no reader reads, so that libxml2 neither parses
/// nor stores them. A page saved from Word, or a portal page around a report, is mostly attributes (a `style`,
/// `class` and `lang` on every run of text and every cell): parsing them was most of the cost of reading it.
///
/// The tree libxml2 builds from the stripped page is the tree it builds from the page, less those attributes
/// (and the text of comments, scripts and styles, below): the same elements, texts, comments and line numbers.
/// That holds because the scan below follows libxml2 2.9's HTML parser (`HTMLparser.c`) through everything that
/// decides where a start tag and its attributes begin and end (end tags, comments, processing instructions, the
/// DOCTYPE, `script` and `style` text), and gives up, leaving the page as it is, on anything it does not follow
/// exactly. Within a start tag only the
/// attributes are removed: the name and the `>` or `/>` that ends it stay as written, and every line break of
/// a removed attribute stays inside the tag, so each node is counted on the line it was on.
///
/// The text of comments and of `script` and `style` elements, which no reader reads (the readers skip comments
/// and both elements), goes too, but for its line breaks: libxml2 reads it character by character (Word puts tens
/// of kilobytes of style definitions and latent styles in a page's head).
///
/// Kept: every attribute of `meta` (the page's date and charset), `rowspan` and `colspan` (table cells). Those
/// are the attributes the HTML reader asks for (`XMLNode.attribute`); a cell left without attributes reads as
/// spanning one row and one column, as a cell whose attributes hold no span does.
/// `HTMLAttributeStrippingTests` compares both trees node by node on every page and rendering in the
/// repository, on Word-style and portal variants of them and on generated markup.
enum HTMLAttributeStripper {
    /// The stripped page, or nil when there is nothing to strip or the page holds something the scan does not
    /// follow (then the page is parsed as it is). `page` is UTF-8 (`HTMLReader.decode`'s output).
    static func stripped(_ page: Data) -> Data? {
        strippedBytes(page).map { Data($0) }
    }

    /// `stripped` as the array the scan wrote (what `HTMLReader` hands to libxml2, without copying it into a `Data`).
    static func strippedBytes(_ page: Data) -> [UInt8]? {
        page.withUnsafeBytes { raw -> [UInt8]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard !bytes.isEmpty else { return nil }
            var scan = Scan(bytes)
            guard scan.run(), scan.changed else { return nil }
            scan.append(from: scan.copied, to: scan.n)
            return scan.out
        }
    }

    /// A name as `htmlParseHTMLName` reads it at some index.
    enum Name {
        /// No name starts there.
        case none
        /// A name ending before `end`.
        case name(end: Int)
        /// A name of 100 characters or more, which libxml2 cuts: not followed.
        case tooLong
    }

    static let doctypeWord = Array("doctype".utf8), publicWord = Array("public".utf8), systemWord = Array("system".utf8)
    static let metaWord = Array("meta".utf8), scriptWord = Array("script".utf8), styleWord = Array("style".utf8)

    /// One pass over the page, mirroring libxml2's content loop (`htmlParseContentInternal`).
    struct Scan {
        let b: UnsafeBufferPointer<UInt8>
        let n: Int
        /// The output so far; bytes from `copied` on are not in it yet (copied lazily, in runs).
        var out: [UInt8] = []
        var copied = 0
        var changed = false
        /// The element whose text libxml2 reads raw (`script` or `style`), while inside one.
        var rawElement: [UInt8]?
        /// The attributes of the start tag being read (the first `attributeCount`; the array is reused from tag to
        /// tag): where each begins and ends, and whether it is kept.
        var attributes: [(start: Int, end: Int, kept: Bool)] = []
        var attributeCount = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            b = bytes
            n = bytes.count
        }

        @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? b[i] : 0 }
        @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        /// `htmlParseHTMLName`'s first and following characters.
        @inline(__always) static func isNameStart(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F || c == 0x3A || c == 0x2E }
        @inline(__always) static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) || c == 0x2D }

        func skipBlanks(_ i: Int) -> Int {
            var j = i
            while j < n, Self.isBlank(b[j]) { j += 1 }
            return j
        }

        /// The first index at or after `i` holding `byte`, or nil.
        func find(_ byte: UInt8, from i: Int) -> Int? {
            guard i < n, let base = b.baseAddress, let hit = memchr(base + i, Int32(byte), n - i) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }

        /// The `htmlParseHTMLName` name at `i`.
        func name(at i: Int) -> Name {
            guard i < n, Self.isNameStart(b[i]) else { return .none }
            var j = i + 1
            while j < n, Self.isNameChar(b[j]) { j += 1 }
            return j - i >= 100 ? .tooLong : .name(end: j)
        }

        /// ASCII case-insensitive comparison of the bytes at `i` with lower-case `word`.
        func matches(_ word: [UInt8], at i: Int) -> Bool {
            guard i + word.count <= n else { return false }
            for k in word.indices where b[i + k] | (Self.isLetter(b[i + k]) ? 0x20 : 0) != word[k] { return false }
            return true
        }

        /// Runs the scan; false when the page holds something it does not follow.
        mutating func run() -> Bool {
            // libxml2 reads a NUL byte as the end of the input in some places and as a space in others.
            if find(0, from: 0) != nil { return false }
            var i = 0
            while i < n {
                if let raw = rawElement {
                    // At the start of a raw element's text libxml2 reads an end tag first (followed only when it
                    // closes this element), and a start tag there could close the element: not followed.
                    if at(i) == 0x3C {
                        if at(i + 1) == 0x2F {
                            guard let end = rawEndTag(at: i, raw) else { return false }
                            i = end
                            rawElement = nil
                            continue
                        }
                        if Self.isLetter(at(i + 1)) || at(i + 1) == 0x5F || at(i + 1) == 0x3A { return false }
                    }
                    // `htmlParseScript` (in recovery mode): the text runs to "</" and the element's name.
                    var j = i
                    var stop: Int?
                    while let lt = find(0x3C, from: j) {
                        if at(lt + 1) == 0x2F, matches(raw, at: lt + 2) { stop = lt; break }
                        j = lt + 1
                    }
                    // The text itself is never read (`script` and `style` are skipped): only its line breaks stay.
                    let s = stop ?? n  // without the end tag, raw to the end of the page
                    keepBreaksOnly(from: i, to: s)
                    i = s
                    continue
                }
                guard let lt = find(0x3C, from: i) else { return true }
                i = lt
                let c1 = at(i + 1)
                if c1 == 0x2F {
                    i = endTag(at: i)
                } else if c1 == 0x21, matches(HTMLAttributeStripper.doctypeWord, at: i + 2) {
                    guard let end = doctype(at: i) else { return false }
                    // After a DOCTYPE inside the page, libxml2 goes on without looking for an end tag: "</" there
                    // is text. Not followed (nor after the DOCTYPE that opens a page, where it is an end tag).
                    if at(end) == 0x3C, at(end + 1) == 0x2F { return false }
                    i = end
                } else if c1 == 0x21, at(i + 2) == 0x2D, at(i + 3) == 0x2D {
                    let (textEnd, end) = comment(at: i)
                    // A comment's text is never read either: only its line breaks stay.
                    keepBreaksOnly(from: i + 4, to: textEnd)
                    i = end
                } else if c1 == 0x3F {
                    guard let end = processingInstruction(at: i) else { return false }
                    i = end
                } else if Self.isLetter(c1) {
                    guard let end = startTag(at: i) else { return false }
                    i = end
                } else {
                    i += 1  // a '<' read as text
                }
            }
            return true
        }

        /// `htmlParseEndTag` from `i` ("</"): where it stops reading. Without a name it has read "</" (the rest is
        /// text); with one (whole or cut at 100 characters) it reads up to the next '>'.
        func endTag(at i: Int) -> Int {
            guard Self.isNameStart(at(i + 2)) else { return i + 2 }
            guard let gt = find(0x3E, from: i + 2) else { return n }
            return gt + 1
        }

        /// The end tag closing raw element `raw` at `i`: where it ends, or nil unless it is "</", the name,
        /// blanks and ">".
        func rawEndTag(at i: Int, _ raw: [UInt8]) -> Int? {
            guard matches(raw, at: i + 2) else { return nil }
            let j = skipBlanks(i + 2 + raw.count)
            return at(j) == 0x3E ? j + 1 : nil
        }

        /// `htmlParseComment` from `i` ("<!--"): it ends after the first "-->" or "--!>" that begins two or more
        /// characters after the opening; without one, the comment runs to the end of the page. Returns where its
        /// text ends and where the comment does.
        func comment(at i: Int) -> (textEnd: Int, end: Int) {
            var j = i + 4
            while let dash = find(0x2D, from: j) {
                if at(dash + 1) == 0x2D {
                    if at(dash + 2) == 0x3E { return (dash, dash + 3) }
                    if at(dash + 2) == 0x21, at(dash + 3) == 0x3E { return (dash, dash + 4) }
                }
                j = dash + 1
            }
            return (n, n)
        }

        /// `htmlParsePI` from `i` ("<?"), for targets of ASCII characters: where it stops, or nil.
        func processingInstruction(at i: Int) -> Int? {
            let s = i + 2
            let c = at(s)
            // `htmlParseName`'s quick path; a target starting with another ASCII character is no target ("<?" is
            // read), one starting with a non-ASCII letter takes a path not followed here.
            guard Self.isLetter(c) || c == 0x5F || c == 0x3A else { return c < 0x80 && s < n ? s : nil }
            var j = s + 1
            while j < n, Self.isNameChar(b[j]) { j += 1 }
            guard j < n, b[j] < 0x80 else { return nil }
            guard let gt = find(0x3E, from: j) else { return n }
            return gt + 1
        }

        /// `htmlParseDocTypeDecl` from `i`, for the usual forms: `<!DOCTYPE name>`, with `PUBLIC "id"`,
        /// `PUBLIC "id" "uri"` or `SYSTEM "uri"` (either quote); nil for anything else.
        func doctype(at i: Int) -> Int? {
            var j = skipBlanks(i + 9)
            guard Self.isLetter(at(j)) else { return nil }
            while j < n, Self.isLetter(b[j]) || Self.isDigit(b[j]) { j += 1 }
            j = skipBlanks(j)
            func literal(_ k: Int) -> Int? {
                let q = at(k)
                guard q == 0x22 || q == 0x27, let close = find(q, from: k + 1) else { return nil }
                for m in (k + 1)..<close where b[m] == 0x3E || b[m] == 0x3C || b[m] == 0x22 || b[m] == 0x27 { return nil }
                return close + 1
            }
            if matches(HTMLAttributeStripper.publicWord, at: j) {
                guard Self.isBlank(at(j + 6)), let e = literal(skipBlanks(j + 6)) else { return nil }
                j = skipBlanks(e)
                if at(j) == 0x22 || at(j) == 0x27 {
                    guard let e2 = literal(j) else { return nil }
                    j = skipBlanks(e2)
                }
            } else if matches(HTMLAttributeStripper.systemWord, at: j) {
                guard Self.isBlank(at(j + 6)), let e = literal(skipBlanks(j + 6)) else { return nil }
                j = skipBlanks(e)
            }
            return at(j) == 0x3E ? j + 1 : nil
        }

        /// `htmlParseStartTag` and the end of `htmlParseElementInternal` from `i` ('<' and a letter): writes the
        /// tag without the attributes no reader reads and returns where it ends; nil where the tag is not
        /// followed (a name of 100 characters or more, a quote left open, the page ending inside the tag).
        mutating func startTag(at i: Int) -> Int? {
            guard case .name(let nameEnd) = name(at: i + 1) else { return nil }
            let nameLength = nameEnd - i - 1
            attributeCount = 0
            var removes = false, keeps = false
            var j = skipBlanks(nameEnd)
            while j < n, b[j] != 0x3E, !(b[j] == 0x2F && at(j + 1) == 0x3E) {
                let start = j
                var kept = false
                switch name(at: j) {
                case .tooLong: return nil
                case .none:
                    // Not a name (`htmlParseAttribute` fails): libxml2 drops the text up to a blank or the end
                    // of the tag.
                    while j < n, !Self.isBlank(b[j]), b[j] != 0x3E, !(b[j] == 0x2F && at(j + 1) == 0x3E) { j += 1 }
                case .name(let e):
                    kept = Self.isSpan(b, start, e)
                    let k = skipBlanks(e)
                    if at(k) == 0x3D {
                        // `htmlParseAttValue`: quoted up to the same quote, else up to a blank or '>'.
                        j = skipBlanks(k + 1)
                        let q = at(j)
                        if q == 0x22 || q == 0x27 {
                            guard let close = find(q, from: j + 1) else { return nil }
                            j = close + 1
                        } else {
                            while j < n, !Self.isBlank(b[j]), b[j] != 0x3E { j += 1 }
                        }
                    } else {
                        j = e  // no value
                    }
                }
                if !kept { removes = true } else { keeps = true }
                if attributeCount < attributes.count {
                    attributes[attributeCount] = (start, j, kept)
                } else {
                    attributes.append((start, j, kept))
                }
                attributeCount += 1
                j = skipBlanks(j)
            }
            guard j < n else { return nil }
            let closesAtOnce = b[j] == 0x2F
            let end = closesAtOnce ? j + 2 : j + 1
            let isMeta = nameLength == 4 && matches(HTMLAttributeStripper.metaWord, at: i + 1)
            if removes, !isMeta { rewrite(tag: i, nameEnd: nameEnd, terminator: j, end: end, keeps: keeps) }
            if !closesAtOnce {
                if nameLength == 6, matches(HTMLAttributeStripper.scriptWord, at: i + 1) { rawElement = HTMLAttributeStripper.scriptWord }
                if nameLength == 5, matches(HTMLAttributeStripper.styleWord, at: i + 1) { rawElement = HTMLAttributeStripper.styleWord }
            }
            return end
        }

        /// True when the attribute name at `start..<end` is `rowspan` or `colspan` (any case).
        static func isSpan(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
            guard end - start == 7 else { return false }
            let c = (b[start] | 0x20, b[start + 1] | 0x20, b[start + 2] | 0x20)
            guard c == (0x72, 0x6F, 0x77) || c == (0x63, 0x6F, 0x6C) else { return false }  // "row", "col"
            return b[start + 3] | 0x20 == 0x73 && b[start + 4] | 0x20 == 0x70 && b[start + 5] | 0x20 == 0x61 && b[start + 6] | 0x20 == 0x6E
        }

        /// Writes the tag at `tag`: '<' and its name as written, each kept attribute after a space, every line
        /// break of what is left out (in order), then the terminator ("/>" or ">") as written, after a blank when it is
        /// "/>". `keeps`: some attribute is kept.
        mutating func rewrite(tag: Int, nameEnd: Int, terminator: Int, end: Int, keeps: Bool) {
            if out.isEmpty { out.reserveCapacity(n) }
            append(from: copied, to: nameEnd)
            var k = nameEnd
            // Without a kept attribute, all from the name to the terminator goes: its line breaks are read in one piece.
            if keeps {
                for index in 0..<attributeCount {
                    let a = attributes[index]
                    breaks(from: k, to: a.start)
                    if a.kept {
                        out.append(0x20)
                        append(from: a.start, to: a.end)
                    } else {
                        breaks(from: a.start, to: a.end)
                    }
                    k = a.end
                }
            }
            breaks(from: k, to: terminator)
            // "/>" right after a kept unquoted value would be read as part of it ("rowspan=2/"): a blank between.
            if end - terminator == 2, let last = out.last, !Self.isBlank(last) { out.append(0x20) }
            append(from: terminator, to: end)
            copied = end
            changed = true
        }

        /// Replaces `start..<end` (a comment's text, or a `script` or `style` element's) with its line breaks.
        mutating func keepBreaksOnly(from start: Int, to end: Int) {
            guard end > start else { return }
            if out.isEmpty { out.reserveCapacity(n) }
            append(from: copied, to: start)
            breaks(from: start, to: end)
            copied = end
            changed = true
        }

        mutating func append(from start: Int, to end: Int) {
            guard end > start else { return }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<end]))
        }

        /// Appends the line feeds and carriage returns of `start..<end`, in order (most removed text has none:
        /// it is searched with `memchr`).
        mutating func breaks(from start: Int, to end: Int) {
            guard end > start, let base = b.baseAddress else { return }
            // A short run (the blanks between two attributes, most often one space) is read byte by byte: two
            // calls of `memchr` cost more than its bytes.
            if end - start <= 16 {
                for k in start..<end where b[k] <= 0x0D && (b[k] == 0x0A || b[k] == 0x0D) { out.append(b[k]) }
                return
            }
            let hasCR = memchr(base + start, 0x0D, end - start) != nil
            if !hasCR {
                var k = start
                while k < end, let hit = memchr(base + k, 0x0A, end - k) {
                    out.append(0x0A)
                    k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
                }
                return
            }
            for k in start..<end where b[k] == 0x0A || b[k] == 0x0D { out.append(b[k]) }
        }
    }
}
