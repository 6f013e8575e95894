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

    /// `stripped` as the array the scan wrote (without copying it into a `Data`).
    static func strippedBytes(_ page: Data) -> [UInt8]? {
        strippedPage(page, flatteningSpans: false)?.bytes
    }

    /// What the scan wrote: the bytes libxml2 is handed, and where it left spans out (`flatteningSpans`).
    struct StrippedPage {
        var bytes: [UInt8]
        /// The offsets in `bytes` of the split markers written in place of spans' tags, in increasing order: what
        /// `HTMLTree.parse(_:splits:)` takes.
        var splits: [Int32]
        /// How deeply the elements left out (spans, and the empty `o:p`s ending them) nest, or more; 0 when none was
        /// left out: a page parsed without them has at most this many elements fewer open at any point.
        var spanDepth: Int
    }

    /// The stripped page, and with `flatteningSpans` its spans left out where that changes nothing the HTML reader
    /// reads (below); nil when there is nothing to change or the page holds something the scan does not follow.
    ///
    /// A `span` is a run of text in a style: the reader reads it as if its tags were not there, but libxml2 parses
    /// each as an element (a page saved from Word has a span, often several, in every paragraph and cell, and they
    /// were a sixth of the cost of reading it). A span is left out only when the tree libxml2 builds without its
    /// tags is its tree with them, less the span (its children become its parent's, each node kept as it was):
    /// - the page's `body` has been opened by its start tag and not closed (no `body`, `html` or `head` end tag, no
    ///   `head` or `html` start tag since): then the span's start tag closes nothing and implies nothing, and text in the
    ///   span's parent implies nothing either (libxml2 implies a paragraph only for text in `html` or `head`);
    /// - it holds only text (without '<'), `o:p` elements holding only text, and spans of the same kind, and its end
    ///   tag follows: so nothing in it opens or closes anything else, and its end tag closes it;
    /// - it holds at most two texts, counting those of its `o:p`s and spans: so it can never be the report body,
    ///   which holds the headings of three parts or more (`HTMLReader.reportBody`; `ReaderContext` checks that no
    ///   text can start with the headings of two parts); and one where its parent may be a table, whose children
    ///   the reader reads on lines of their own (a layout table).
    /// In place of the tags left out the scan writes a split marker, `</_` and their line breaks and `>`: an end
    /// tag of a name no element can have (a start tag's name starts with a letter), which libxml2 reads and ignores.
    /// The text before it ends there, as it ended at the span's tag, on the same line; `HTMLTree` makes the text
    /// after it a node of its own (`splits`). Where the tags left out are followed by a start tag (which makes a
    /// node) or by the end tag of the element known to be open (which closes it), no text can join across them:
    /// their line breaks go into that tag, after its name, and no marker is written. What the reader then needs to
    /// know of a parse without spans (the depth and line limits, its budgets) `HTMLReader` checks, reading the page
    /// again without flattening when it must. `HTMLSpanFlatteningTests` compares trees and drafts.
    static func strippedPage(_ page: Data, flatteningSpans: Bool) -> StrippedPage? {
        page.withUnsafeBytes { raw -> StrippedPage? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard !bytes.isEmpty else { return nil }
            var scan = Scan(bytes, flattens: flatteningSpans)
            guard scan.run(), scan.changed else { return nil }
            scan.append(from: scan.copied, to: scan.n)
            return StrippedPage(bytes: scan.out, splits: scan.splits, spanDepth: scan.spanDepth)
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
    /// Names as `nameKey` packs them (lower-case bytes, the first in the low byte): checked against the names by
    /// `HTMLSpanFlatteningTests`.
    enum Key {
        static let span: UInt64 = 0x6E61_7073, op: UInt64 = 0x70_3A6F, body: UInt64 = 0x7964_6F62, a: UInt64 = 0x61
        static let tr: UInt64 = 0x7274, meta: UInt64 = 0x6174_656D, table: UInt64 = 0x65_6C62_6174
        static let head: UInt64 = 0x6461_6568, html: UInt64 = 0x6C6D_7468
        /// libxml2's empty elements (`html40ElementTable`, `empty`), closed as soon as they open: area, base,
        /// basefont, br, col, frame, hr, img, input, isindex, link, meta, param.
        static let void: [UInt64] = [
            0x6165_7261, 0x6573_6162, 0x746E_6F66_6573_6162, 0x7262, 0x6C_6F63, 0x65_6D61_7266, 0x7268, 0x67_6D69,
            0x74_7570_6E69, 0x78_6564_6E69_7369, 0x6B6E_696C, 0x6174_656D, 0x6D_6172_6170,
        ]
    }

    /// The name at `range` packed into a word as `Key`'s are (ASCII letters lower-cased); 0 for a name longer than
    /// eight bytes.
    @inline(__always) static func nameKey(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        guard range.count <= 8 else { return 0 }
        var k: UInt64 = 0
        var shift: UInt64 = 0
        var at = range.lowerBound
        while at < range.upperBound {
            let c = b[at]
            k |= UInt64(Scan.isLetter(c) ? c | 0x20 : c) << shift
            shift += 8
            at += 1
        }
        return k
    }

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

        // Flattening spans (`StrippedPage`).
        let flattens: Bool
        /// The page's `body` start tag has been read, and nothing since that could have closed the body.
        var inBody = false
        /// The body was left (after it had been opened): no span is flattened from there on.
        var bodyLeft = false
        /// Where the name of the element known to be libxml2's current node is (none when not known): set by a
        /// start tag (an empty element's too: `isOpen` tells, where it matters), kept across text and flattened
        /// spans, dropped at anything else.
        var current: Range<Int>?
        /// The tags of the spans being flattened (`flattenableSpan`), in order; `nextRemoval` is the next to read.
        var removals: [Range<Int>] = []
        var nextRemoval = 0
        /// `current` where the first of `removals` starts (the spans' parent), again once the last has been read.
        var currentAroundRemovals: Range<Int>?
        /// Line breaks of the tags left out since the last byte written, and whether a tag was left out there.
        var groupBreaks: [UInt8] = []
        var inGroup = false
        var splits: [Int32] = []
        var spanDepth = 0
        /// An empty `o:p` found by `flattenableSpan` (its start tag, end tag and end).
        var lastEmptyOp: (lowerBound: Int, middle: Int, upperBound: Int)?

        init(_ bytes: UnsafeBufferPointer<UInt8>, flattens: Bool = false) {
            b = bytes
            n = bytes.count
            self.flattens = flattens
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
                    current = nil
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
                guard let lt = find(0x3C, from: i) else {
                    if inGroup, i < n { writeMarker() }
                    return true
                }
                // Text after tags left out: it must not join the text before them.
                if inGroup, lt > i { writeMarker() }
                i = lt
                if nextRemoval < removals.count, removals[nextRemoval].lowerBound == i {
                    let tag = removals[nextRemoval]
                    leaveOut(tag)
                    nextRemoval += 1
                    if nextRemoval == removals.count { current = currentAroundRemovals }
                    i = tag.upperBound
                    continue
                }
                let c1 = at(i + 1)
                if c1 == 0x2F {
                    // Read by name only where it matters: after tags left out, and for `body`, `html` and `head` in
                    // the body.
                    if flattens, inGroup || (inBody && (at(i + 2) | 0x20 == 0x62 || at(i + 2) | 0x20 == 0x68)),
                        case .name(let nameEnd) = name(at: i + 2)
                    {
                        let key = HTMLAttributeStripper.nameKey(b, i + 2..<nameEnd)
                        if inGroup {
                            // The end tag of the element known to be open closes it: no text after it joins the
                            // text before. Any other end tag may be ignored.
                            if let current, isOpen(current), sameName(i + 2..<nameEnd, current) {
                                insertGroupBreaks(at: nameEnd)
                            } else {
                                writeMarker()
                            }
                        }
                        // `</head>` too: where the body is open inside `head` (a page whose `<body>` came while an
                        // element in the head was open), it closes the body (their end tags rank alike).
                        if inBody,
                            key == HTMLAttributeStripper.Key.body || key == HTMLAttributeStripper.Key.html
                                || key == HTMLAttributeStripper.Key.head
                        {
                            inBody = false
                            bodyLeft = true
                        }
                    } else if inGroup {
                        writeMarker()
                    }
                    current = nil
                    i = endTag(at: i)
                } else if c1 == 0x21, matches(HTMLAttributeStripper.doctypeWord, at: i + 2) {
                    if inGroup { writeMarker() }
                    current = nil
                    guard let end = doctype(at: i) else { return false }
                    // After a DOCTYPE inside the page, libxml2 goes on without looking for an end tag: "</" there
                    // is text. Not followed (nor after the DOCTYPE that opens a page, where it is an end tag).
                    if at(end) == 0x3C, at(end + 1) == 0x2F { return false }
                    // Nor is a span flattened there (a marker or an end tag would follow the DOCTYPE).
                    doctypeEnd = end
                    i = end
                } else if c1 == 0x21, at(i + 2) == 0x2D, at(i + 3) == 0x2D {
                    if inGroup { writeMarker() }
                    current = nil
                    let (textEnd, end) = comment(at: i)
                    // A comment's text is never read either: only its line breaks stay.
                    keepBreaksOnly(from: i + 4, to: textEnd)
                    i = end
                } else if c1 == 0x3F {
                    if inGroup { writeMarker() }
                    current = nil
                    guard let end = processingInstruction(at: i) else { return false }
                    i = end
                } else if Self.isLetter(c1) {
                    guard flattens else {
                        guard let end = startTag(at: i) else { return false }
                        i = end
                        continue
                    }
                    guard case .name(let nameEnd) = name(at: i + 1) else { return false }
                    // The names looked for here have one to four letters.
                    let key = nameEnd - i <= 5 ? HTMLAttributeStripper.nameKey(b, i + 1..<nameEnd) : 0
                    if key == HTMLAttributeStripper.Key.span, inBody, nextRemoval == removals.count, i != doctypeEnd, flatten(at: i) {
                        continue  // the span's start tag is read next, as a tag left out
                    }
                    if key == HTMLAttributeStripper.Key.op, inBody, nextRemoval == removals.count, i != doctypeEnd, emptyOp(at: i) {
                        continue  // as for a span
                    }
                    if key == HTMLAttributeStripper.Key.a, inBody, nextRemoval == removals.count, i != doctypeEnd, flattenLink(at: i) {
                        continue  // as for a span
                    }
                    // `html`, `head` and `body` start tags, which libxml2 ignores once the body is open, or which close it.
                    let pageTag =
                        key == HTMLAttributeStripper.Key.body || key == HTMLAttributeStripper.Key.head
                        || key == HTMLAttributeStripper.Key.html
                    if inGroup {
                        // Any other start tag makes an element: no text after it joins the text before.
                        if pageTag { writeMarker() } else { insertGroupBreaks(at: nameEnd) }
                    }
                    guard let end = startTag(at: i, nameEnd: nameEnd) else { return false }
                    if pageTag {
                        if key == HTMLAttributeStripper.Key.body, !bodyLeft {
                            inBody = true
                        } else if inBody {
                            inBody = false
                            bodyLeft = true
                        }
                    }
                    // The element stays open unless it is one of these, an empty one (`isOpen`), one closed by "/>",
                    // or raw text follows.
                    current = pageTag || b[end - 2] == 0x2F || rawElement != nil ? nil : i + 1..<nameEnd
                    // A node whose line the reader does not read (it reads a row's and a meta's), ended by '>'.
                    let linesUnread =
                        !pageTag && b[end - 2] != 0x2F && key != HTMLAttributeStripper.Key.tr && key != HTMLAttributeStripper.Key.meta
                    startEnd = linesUnread ? end : -1
                    i = end
                } else {
                    if inGroup { writeMarker() }
                    i += 1  // a '<' read as text
                }
            }
            return true
        }

        /// Where the last DOCTYPE read ends (-1: none).
        var doctypeEnd = -1
        /// Where the last start tag ends that makes a node whose line the reader does not read (-1: none), and where
        /// the tags being left out begin.
        var startEnd = -1
        var groupStart = -1

        /// True unless the element named at `name` is one of libxml2's empty ones, closed as soon as opened.
        func isOpen(_ name: Range<Int>) -> Bool {
            !HTMLAttributeStripper.Key.void.contains(HTMLAttributeStripper.nameKey(b, name))
        }

        /// True when the names at `a` and `b` are the same name to libxml2.
        func sameName(_ a: Range<Int>, _ c: Range<Int>) -> Bool {
            guard a.count == c.count else { return false }
            for k in 0..<a.count {
                let x = b[a.lowerBound + k], y = b[c.lowerBound + k]
                if x != y, !(Self.isLetter(x) && x | 0x20 == y | 0x20) { return false }
            }
            return true
        }

        /// Checks the span starting at `i` (`flattenableSpan`); when it can be flattened, its tags become the
        /// `removals` to read next, with the empty `o:p` it ends with when that can go too (`lastEmptyOp`).
        mutating func flatten(at i: Int) -> Bool {
            removals.removeAll(keepingCapacity: true)
            nextRemoval = 0
            lastEmptyOp = nil
            // A layout table's children are read each on a line of their own: in a table (or where the parent is not
            // known) a span holding two texts, read on one line, is kept.
            let parentMayBeTable =
                current.map { !isOpen($0) || HTMLAttributeStripper.nameKey(b, $0) == HTMLAttributeStripper.Key.table } ?? true
            guard let span = flattenableSpan(at: i, depth: 1), span.texts <= (parentMayBeTable ? 1 : 2) else {
                removals.removeAll(keepingCapacity: true)
                return false
            }
            var depth = span.depth
            if let op = lastEmptyOp, closesBlock(at: span.end) {
                // Its tags go in order: before the span end tags that follow it.
                let at = removals.firstIndex { $0.lowerBound > op.lowerBound } ?? removals.count
                removals.insert(contentsOf: [op.lowerBound..<op.middle, op.middle..<op.upperBound], at: at)
                depth += 1
            }
            currentAroundRemovals = current
            spanDepth = max(spanDepth, depth)
            return true
        }

        /// Checks the link (`a`) starting at `i`: when it holds only text (without '<') and its end tag follows, and
        /// the element known to be current is open and is not a link (a link's start tag closes an open link, and
        /// nothing else in the body), its tags become the `removals` to read next. The reader reads a link as it
        /// reads a span: a page's menus are mostly links.
        mutating func flattenLink(at i: Int) -> Bool {
            guard let current, isOpen(current), HTMLAttributeStripper.nameKey(b, current) != HTMLAttributeStripper.Key.a,
                let open = tagEnd(at: i), !open.selfClosed
            else { return false }
            var k = open.end
            if at(k) != 0x3C {
                guard let lt = find(0x3C, from: k) else { return false }
                k = lt
            }
            guard let end = closingTag(HTMLAttributeStripper.Key.a, at: k) else { return false }
            leaveOutNext(i..<open.end, k..<end)
            return true
        }

        /// Makes an element's start and end tags the `removals` to read next (an element nested one deep).
        mutating func leaveOutNext(_ start: Range<Int>, _ end: Range<Int>) {
            removals.removeAll(keepingCapacity: true)
            removals.append(start)
            removals.append(end)
            nextRemoval = 0
            currentAroundRemovals = current
            spanDepth = max(spanDepth, 1)
        }

        /// Checks the `o:p` starting at `i`: when it is empty and the end tag after it closes the element known to be
        /// current, which ends a line (`closesBlock`), its tags become the `removals` to read next.
        mutating func emptyOp(at i: Int) -> Bool {
            guard let open = tagEnd(at: i), !open.selfClosed, let end = closingTag(HTMLAttributeStripper.Key.op, at: open.end),
                closesBlock(at: end)
            else { return false }
            leaveOutNext(i..<open.end, open.end..<end)
            return true
        }

        /// The span whose start tag is at `i`, nested `depth` spans deep, when it can be flattened: it ends with its
        /// end tag (`</span`, blanks, `>`) and holds only text without '<', `o:p` elements holding only such text,
        /// and spans of the same kind. Its tags and those of the spans in it are added to `removals` in order.
        /// Returns where it ends, how many texts it holds (a text is a run between two tags) and how deep its spans
        /// nest. `lastEmptyOp` is left at an empty `o:p` (`<o:p>` and `</o:p>` with nothing between) when nothing
        /// but span end tags follows it.
        mutating func flattenableSpan(at i: Int, depth: Int) -> (end: Int, texts: Int, depth: Int)? {
            guard depth <= 8, let start = tagEnd(at: i), !start.selfClosed else { return nil }
            removals.append(i..<start.end)
            var j = start.end, texts = 0, deepest = depth
            while true {
                guard j < n else { return nil }
                if b[j] != 0x3C {
                    guard let lt = find(0x3C, from: j) else { return nil }
                    texts += 1
                    lastEmptyOp = nil
                    j = lt
                    continue
                }
                if at(j + 1) == 0x2F {
                    guard let end = closingTag(HTMLAttributeStripper.Key.span, at: j) else { return nil }
                    removals.append(j..<end)
                    return (end, texts, deepest)
                }
                guard case .name(let nameEnd) = name(at: j + 1) else { return nil }
                let key = HTMLAttributeStripper.nameKey(b, j + 1..<nameEnd)
                if key == HTMLAttributeStripper.Key.span {
                    lastEmptyOp = nil
                    guard let inner = flattenableSpan(at: j, depth: depth + 1) else { return nil }
                    texts += inner.texts
                    deepest = max(deepest, inner.depth)
                    j = inner.end
                } else if key == HTMLAttributeStripper.Key.op {
                    guard let open = tagEnd(at: j), !open.selfClosed else { return nil }
                    var k = open.end
                    if at(k) != 0x3C {
                        guard let lt = find(0x3C, from: k) else { return nil }
                        texts += 1
                        k = lt
                    }
                    guard at(k + 1) == 0x2F, let end = closingTag(HTMLAttributeStripper.Key.op, at: k) else { return nil }
                    lastEmptyOp = k == open.end ? (j, k, end) : nil
                    j = end
                } else {
                    return nil
                }
            }
        }

        /// True when an end tag at `i` closes the element known to be current and that element ends a line where the
        /// HTML reader reads it (`HTMLTag.endsLine`): then an empty `o:p` (which the reader reads as a paragraph, its
        /// name after the colon, and so as the end of a line) left last in it ends no line the element's end does not.
        func closesBlock(at i: Int) -> Bool {
            guard let current, at(i) == 0x3C, at(i + 1) == 0x2F, case .name(let nameEnd) = name(at: i + 2),
                sameName(i + 2..<nameEnd, current), isOpen(current)
            else { return false }
            // A name with a colon is read by its part after it: not looked at.
            if current.contains(where: { b[$0] == 0x3A }) { return false }
            let tag = HTMLTag.lookedUp(HTMLTag.key(current.lazy.map { Self.isLetter(self.b[$0]) ? self.b[$0] | 0x20 : self.b[$0] }))
            return tag.contains(.endsLine)
        }

        /// Where the end tag of the name packed as `key` at `i` ("</", the name, blanks, ">") ends; nil for anything else.
        func closingTag(_ key: UInt64, at i: Int) -> Int? {
            guard at(i) == 0x3C, at(i + 1) == 0x2F, case .name(let nameEnd) = name(at: i + 2),
                HTMLAttributeStripper.nameKey(b, i + 2..<nameEnd) == key
            else {
                return nil
            }
            let k = skipBlanks(nameEnd)
            return at(k) == 0x3E ? k + 1 : nil
        }

        /// Leaves out the tag at `tag`: what precedes it is written, its line breaks wait for a place.
        mutating func leaveOut(_ tag: Range<Int>) {
            if out.isEmpty { out.reserveCapacity(n) }
            append(from: copied, to: tag.lowerBound)
            if !inGroup { groupStart = tag.lowerBound }
            HTMLAttributeStripper.appendBreaks(b, from: tag.lowerBound, to: tag.upperBound, into: &groupBreaks)
            copied = tag.upperBound
            inGroup = true
            changed = true
        }

        /// Writes a split marker holding the line breaks of the tags left out, where they were. Right after a start
        /// tag (`startEnd`) no text can be joined (the tag made a node): the breaks go into that tag, before its '>'
        /// (which moves only its element's line, which the reader does not read).
        mutating func writeMarker() {
            if groupStart == startEnd, out.last == 0x3E {
                if !groupBreaks.isEmpty {
                    out.removeLast()
                    out.append(contentsOf: groupBreaks)
                    out.append(0x3E)
                    groupBreaks.removeAll(keepingCapacity: true)
                }
                inGroup = false
                return
            }
            splits.append(Int32(out.count))
            out.append(0x3C)  // "</_"
            out.append(0x2F)
            out.append(0x5F)
            out.append(contentsOf: groupBreaks)
            out.append(0x3E)
            groupBreaks.removeAll(keepingCapacity: true)
            inGroup = false
        }

        /// Writes the line breaks of the tags left out after the name of the tag that follows them (ending at `nameEnd`).
        mutating func insertGroupBreaks(at nameEnd: Int) {
            append(from: copied, to: nameEnd)
            copied = nameEnd
            out.append(contentsOf: groupBreaks)
            groupBreaks.removeAll(keepingCapacity: true)
            inGroup = false
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
            return startTag(at: i, nameEnd: nameEnd)
        }

        /// `startTag` of a tag whose name ends at `nameEnd`.
        mutating func startTag(at i: Int, nameEnd: Int) -> Int? {
            let nameLength = nameEnd - i - 1
            guard let (j, count, removes, keeps) = attributeScan(from: skipBlanks(nameEnd), recording: true) else { return nil }
            attributeCount = count
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

        /// Where the start tag at `i` ends, and whether it ends with "/>"; nil where `startTag` does not follow it.
        mutating func tagEnd(at i: Int) -> (end: Int, selfClosed: Bool)? {
            guard case .name(let nameEnd) = name(at: i + 1) else { return nil }
            guard let (j, _, _, _) = attributeScan(from: skipBlanks(nameEnd), recording: false) else { return nil }
            return b[j] == 0x2F ? (j + 2, true) : (j + 1, false)
        }

        /// `htmlParseStartTag`'s attributes from `start` (after the name and blanks): where the terminator ('>' or
        /// "/>") is, how many attributes there are, and whether some are removed and some kept; each is written to
        /// `attributes` when `recording`. Nil where not followed (a name of 100 characters or more, a quote left open,
        /// the page ending inside the tag).
        mutating func attributeScan(from first: Int, recording: Bool) -> (
            terminator: Int, count: Int, removes: Bool, keeps: Bool
        )? {
            var attributeCount = 0
            var removes = false, keeps = false
            var j = first
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
                if recording {
                    if attributeCount < attributes.count {
                        attributes[attributeCount] = (start, j, kept)
                    } else {
                        attributes.append((start, j, kept))
                    }
                }
                attributeCount += 1
                j = skipBlanks(j)
            }
            guard j < n else { return nil }
            return (j, attributeCount, removes, keeps)
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

        /// Appends the line feeds and carriage returns of `start..<end` to the output, in order.
        mutating func breaks(from start: Int, to end: Int) {
            HTMLAttributeStripper.appendBreaks(b, from: start, to: end, into: &out)
        }
    }

    /// Appends the line feeds and carriage returns of `b[start..<end]` to `target`, in order (most removed text has
    /// none: it is searched with `memchr`).
    static func appendBreaks(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into target: inout [UInt8]) {
        guard end > start, let base = b.baseAddress else { return }
        // A short run (the blanks between two attributes, most often one space) is read byte by byte: two
        // calls of `memchr` cost more than its bytes.
        if end - start <= 16 {
            for k in start..<end where b[k] <= 0x0D && (b[k] == 0x0A || b[k] == 0x0D) { target.append(b[k]) }
            return
        }
        let hasCR = memchr(base + start, 0x0D, end - start) != nil
        if !hasCR {
            var k = start
            while k < end, let hit = memchr(base + k, 0x0A, end - k) {
                target.append(0x0A)
                k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
            }
            return
        }
        for k in start..<end where b[k] == 0x0A || b[k] == 0x0D { target.append(b[k]) }
    }
}
