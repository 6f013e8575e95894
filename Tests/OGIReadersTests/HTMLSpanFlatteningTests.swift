import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `HTMLAttributeStripper.strippedPage(_:flatteningSpans:)` leaves out the tags of spans (and of an empty `o:p` last
/// in a block) where that changes nothing the HTML reader reads. Checked two ways, on every page of the repository,
/// on Word-saved variants of them (each run of text in a span whose tag Word wrapped over lines, digits in runs of
/// their own, an `o:p` ending each paragraph and cell, nested spans, upper case, CR LF), and on generated markup:
/// - the tree libxml2's events build from the flattened page (with its split markers) is the tree of the page less
///   those elements: the same elements, texts (none joined) and lines;
/// - the reader's drafts (lines, origins, page date) are the same with and without flattening, also under budgets
///   small enough to be reached, where the reader reads the page again without flattening.
final class HTMLSpanFlatteningTests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext

    // MARK: readings compared

    /// The reader's draft of `page` (UTF-8), flattening spans or not (attributes stripped either way, unless `strips`
    /// is false), or its error.
    static func draft(_ page: Data, flattens: Bool, strips: Bool = true, budget: ReadBudget = ReadBudget()) -> String {
        HTMLAttributeStrippingTests.draft(page, "page.html", strips: strips, flattens: flattens, budget: budget)
    }

    /// The report the reader reads from `page`, flattening spans or not; nil when it refuses it.
    static func report(_ page: Data, flattens: Bool, budget: ReadBudget = ReadBudget()) -> Report? {
        var reader = HTMLReader(context: context, budget: budget)
        reader.flattensSpans = flattens
        return try? reader.read(path: "page.html", data: page)
    }

    /// The tree below `node`, one line a node, with spans, links and `p` elements holding no text (an empty `o:p` reads as
    /// one) left out and their children in their place: depth, name, line (of texts, rows and metas: the lines the
    /// reader reads), flags, the spans a cell reads; texts whole.
    static func describeSpliced<N: MarkupNode>(_ node: N, depth: Int = 0, into out: inout [String]) {
        guard node.isElement else {
            out.append("\(depth) text line \(node.line) \(node.text.debugDescription)")
            return
        }
        let name = node.lowercasedName
        func holdsText(_ n: N) -> Bool { n.children.contains { !$0.isElement || holdsText($0) } }
        let left = name == "span" || name == "a" || (name == "p" && !holdsText(node))
        if !left {
            // Of elements, the reader reads the lines of rows and metas only.
            let line = name == "tr" || name == "meta" ? "\(node.line)" : "-"
            out.append(
                "\(depth) <\(name) line \(line) tag \(node.htmlTag.rawValue) rowspan=\(node.attribute("rowspan", html: true) ?? "-") colspan=\(node.attribute("colspan", html: true) ?? "-")>"
            )
        }
        for c in node.children { describeSpliced(c, depth: left ? depth : depth + 1, into: &out) }
        if !left { out.append("\(depth) </\(name)>") }
    }

    /// Compares the trees of `page` stripped and stripped with spans flattened (spliced as above); returns whether
    /// anything was flattened (false also where the reader would not read the flattened tree).
    @discardableResult
    func assertSameTreeLessSpans(_ page: Data, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let flattened = HTMLAttributeStripper.strippedPage(page, flatteningSpans: true), flattened.spanDepth > 0 else {
            return false
        }
        let plain = HTMLAttributeStripper.strippedBytes(page).map { Data($0) } ?? page
        guard let a = try? HTMLTree.parse(plain), let b = try? HTMLTree.parse(flattened.bytes, splits: flattened.splits) else {
            XCTFail("\(name): a tree could not be made", file: file, line: line)
            return false
        }
        guard !b.stopped, !b.reachedLineCap, b.mostOpen + flattened.spanDepth <= 256, let ra = a.rootNode, let rb = b.rootNode else {
            return false
        }
        var x: [String] = []
        var y: [String] = []
        Self.describeSpliced(ra, into: &x)
        Self.describeSpliced(rb, into: &y)
        if let difference = HTMLAttributeStrippingTests.firstDifference(x, y, "flattened: ") {
            XCTFail("\(name): trees differ at \(difference)", file: file, line: line)
        }
        return true
    }

    func assertSameDrafts(_ page: Data, _ name: String, budgets: [ReadBudget], file: StaticString = #filePath, line: UInt = #line) {
        for budget in budgets {
            XCTAssertEqual(
                Self.draft(page, flattens: true, budget: budget), Self.draft(page, flattens: false, budget: budget),
                "\(name) (max \(budget.maxLines) lines, \(budget.maxTableCells) cells)", file: file, line: line)
        }
    }

    static var smallBudget: ReadBudget {
        var small = ReadBudget()
        small.maxTableCells = 40
        small.maxLines = 30
        small.maxSpan = 3
        return small
    }

    // MARK: pages

    /// `page` as Word saves it (its body only): every run of text in spans (digits and Latin letters in runs of their
    /// own, as Word starts a run where the language changes), the span tags' attributes wrapped over lines, an
    /// `o:p` in a span ending each paragraph, cell and heading, and per `variant` nested spans, upper-case tags,
    /// CR LF breaks, text wrapped inside a run, `</span >`, and empty paragraphs holding `<o:p>&nbsp;</o:p>`.
    static func wordSaved(_ page: String, variant: Int) -> String {
        var rng = StrippingRandom(seed: UInt64(variant) &* 0x9E37 &+ 11)
        let bodyStart = page.range(of: "<body", options: .caseInsensitive)?.lowerBound ?? page.startIndex
        var out = String(page[..<bodyStart])
        var rest = page[bodyStart...]
        let br = variant % 4 == 3 ? "\r\n" : "\n"
        var lastTag = ""
        func span(_ piece: Substring) -> String {
            let latin = piece.unicodeScalars.first.map { $0.isASCII && CharacterSet.alphanumerics.contains($0) } ?? false
            let attributes =
                latin
                ? " lang=EN-US\(br)style='font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:\"Times\(br)New Roman\"'"
                : "\(br)style='font-size:16.0pt;font-family:仿宋_GB2312;mso-ascii-font-family:\"Times New Roman\"'"
            var text = String(piece)
            if variant % 5 == 2, text.count > 6, rng.next(upTo: 3) == 0 {
                let cut = text.index(text.startIndex, offsetBy: text.count / 2)
                text = String(text[..<cut]) + br + String(text[cut...])
            }
            let open = variant % 6 == 4 && rng.next(upTo: 4) == 0 ? "<SPAN" : "<span"
            let close = variant % 7 == 5 && rng.next(upTo: 3) == 0 ? "</span >" : "</span>"
            var s = "\(open)\(attributes)>\(text)\(close)"
            if variant % 3 == 1, rng.next(upTo: 5) == 0 { s = "<span style='mso-bidi-font-weight:\(br)bold'>\(s)</span>" }
            return s
        }
        func runs(_ text: Substring) -> String {
            var out = ""
            var piece = text.startIndex
            var inEntity = false
            var latin: Bool?
            for i in text.indices {
                let c = text[i]
                if c == "&" { inEntity = true }
                if inEntity {
                    if c == ";" { inEntity = false }
                    continue
                }
                let isLatin = c.isASCII && (c.isLetter || c.isNumber || c == ".")
                if let l = latin, l != isLatin, i > piece {
                    out += span(text[piece..<i])
                    piece = i
                }
                latin = isLatin
            }
            if piece < text.endIndex { out += span(text[piece...]) }
            return out
        }
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            let tagEnd = rest[open...].firstIndex(of: ">").map { rest.index(after: $0) } ?? rest.endIndex
            let tag = rest[open..<tagEnd]
            let lower = tag.lowercased()
            let raw = ["<script", "<style", "<title"].contains { lastTag.hasPrefix($0) }
            if !raw, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out += runs(text)
            } else {
                out += text
            }
            if ["</p>", "</td>", "</th>", "</h3>", "</h2>", "</li>"].contains(lower) {
                out += variant % 2 == 0 ? "<span lang=EN-US\(br)style='font-size:16.0pt'><o:p></o:p></span>" : "<o:p></o:p>"
            }
            out += tag
            if lower == "</p>", variant % 4 == 1, rng.next(upTo: 4) == 0 {
                out += "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
            }
            lastTag = lower
            rest = rest[tagEnd...]
        }
        return out + rest
    }

    /// The repository's pages, decoded as the reader decodes them.
    static func pages() -> [(name: String, data: Data)] {
        (MarkupStreamingTests.files(["html", "htm"]) + HTMLTreeTests.renderings()).compactMap { page in
            (try? HTMLReader.decode(page.data, path: page.name)).map { (page.name, $0) }
        }
    }

    // MARK: tests

    func testKeysAreTheNames() {
        func key(_ s: String) -> UInt64 {
            let bytes = Array(s.utf8)
            return bytes.withUnsafeBufferPointer { HTMLAttributeStripper.nameKey($0, 0..<bytes.count) }
        }
        typealias K = HTMLAttributeStripper.Key
        XCTAssertEqual(
            [K.span, K.op, K.body, K.head, K.html, K.a, K.tr, K.meta], ["span", "o:p", "body", "head", "html", "a", "tr", "meta"].map(key))
        XCTAssertEqual([K.span, K.op, K.body], ["SPAN", "O:P", "Body"].map(key))
        let voids = ["area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "isindex", "link", "meta", "param"]
        XCTAssertEqual(K.void, voids.map(key))
        XCTAssertEqual(key("blockquote"), 0, "names past eight bytes have no key")
    }

    func testHeadingsThatStartWithAnotherPartsAreNotPrefixFree() {
        XCTAssertTrue(PartHeadings.prefixFree([["总体情况"], ["主动公开"], ["收到和处理"]]))
        XCTAssertTrue(PartHeadings.prefixFree([["总体情况", "总体"], ["主动公开"]]), "within one part it does not matter")
        XCTAssertFalse(PartHeadings.prefixFree([["总体"], ["主动公开"], ["总体情况"]]))
        XCTAssertFalse(PartHeadings.prefixFree([["a\u{301}b"], ["\u{E1}"]]), "as characters")
        XCTAssertFalse(PartHeadings.prefixFree([["x"], [""]]))
        XCTAssertTrue(Self.context.partHeadings.value.prefixFree, "the bundled profile's headings")
    }

    /// What is left out and what is written in its place, on small pages.
    func testWhatIsLeftOut() {
        func flattened(_ page: String) -> String? {
            HTMLAttributeStripper.strippedPage(Data(page.utf8), flatteningSpans: true).flatMap {
                $0.spanDepth > 0 ? String(decoding: $0.bytes, as: UTF8.self) : nil
            }
        }
        // A marker where text follows, the breaks moved into the next tag where a tag follows.
        XCTAssertEqual(
            flattened("<body><p>前<span\nstyle='a'>中</span><span\nlang=EN-US>2023</span>后</p>"),
            "<body><p>前</_\n>中</_\n>2023</_>后</p>")
        XCTAssertEqual(flattened("<body><p><span>中</span>后</p>"), "<body><p>中</_>后</p>")
        // Right after a start tag no text can join: the breaks go into that tag (its element's line is not read),
        // but not into a row's or a meta's.
        XCTAssertEqual(flattened("<body><p><span\nx=1>一</span></p>"), "<body><p\n>一</p>")
        XCTAssertEqual(flattened("<body><table><tr><span\nx=1>一</span></tr>"), "<body><table><tr></_\n>一</tr>")
        // An empty o:p last in a paragraph goes with its span; the paragraph's end tag takes the breaks.
        XCTAssertEqual(
            flattened("<body><p>a<span lang=EN-US\nstyle='b'><o:p></o:p></span></p>"), "<body><p>a</p\n>")
        XCTAssertEqual(flattened("<body><td>a<o:p></o:p></td>"), "<body><td>a</td>")
        // Kept: outside the body, a span holding an element other than o:p, a span without its end tag, an o:p
        // with text, an o:p followed by text, or whose end tag is not the open element's, or in an inline element.
        for page in [
            "<p><span>a</span></p>", "<html><head><span>a</span></head><body>x</body>", "<body><p><span>a<b>b</b></span></p>",
            "<body><p><span>a", "<body><p><span>a</p>", "<body><p>a<o:p>&nbsp;</o:p></p>", "<body><p>a<o:p></o:p>b</p>",
            "<body><p><b>a<o:p></o:p></b></p>",
            "<body></body><p><span>a</span></p>", "<body><p><!DOCTYPE html><span>a</span></p>", "<body><span/>a",
            // From the second reader's fuzzer: a body opened inside the head is closed by `</head>`; a layout
            // table reads each child on its own line (a span of two texts there is one line).
            "<html><head><x><body></head><span>正</span>", "<body><table><span>a<o:p></o:p>b</span></table>",
        ] {
            XCTAssertNil(flattened(page), page)
        }
        // A link holding only text, where the open element is known and is not a link.
        XCTAssertEqual(flattened("<body><ul><li><a href=/x\ntarget=_blank>栏目</a></li>"), "<body><ul><li\n>栏目</li>")
        XCTAssertEqual(flattened("<body><div><a href=x>一</a><a\nhref=y>二</a></div>"), "<body><div>一</_\n>二</div>")
        for page in ["<body><a href=x>a</a>", "<body><p><a>x<a>y</a></a></p>", "<body><p><a href=x><b>t</b></a></p>", "<body><br><a>t</a>"]
        {
            XCTAssertNil(flattened(page), page)
        }
        // Where the parent may be a table (here an empty element, so not known), one text at most.
        XCTAssertEqual(
            flattened("<body><table><div></div><img><span><span>1</span>文</span>"), "<body><table><div></div><img><span>1</_>文</span>")
        for page in [
            "<html><head><x><body></head><span>正</span>", "<body><table><span>a<o:p></o:p>b</span></table>",
            "<body><table><div></div><img><span><span>1</span>文</span>", "<body><i><span>二、主动公开政府信息<span>四、政府信息公开行政复议</span>一、总体情况</span>n",
        ] {
            assertSameTreeLessSpans(Data(page.utf8), page)
            assertSameDrafts(Data(page.utf8), page, budgets: [ReadBudget()])
            XCTAssertEqual(Self.report(Data(page.utf8), flattens: true), Self.report(Data(page.utf8), flattens: false), page)
        }
        // Two texts at most: a third keeps the span (it could hold the headings of three parts); a span in it with
        // one text is flattened on its own.
        XCTAssertNotNil(flattened("<body><p><span>a<o:p>b</o:p></span></p>"))
        XCTAssertNil(flattened("<body><p><span>a<o:p>b</o:p>c</span></p>"))
        XCTAssertEqual(
            flattened("<body><p><span>a<o:p></o:p>b<span>c</span>d</span></p>"), "<body><p><span>a<o:p></o:p>b</_>c</_>d</span></p>")
    }

    func testWordSavedPagesReadTheSame() throws {
        var flattened = 0
        let pages = Self.pages()
        XCTAssertGreaterThanOrEqual(pages.count, 50)
        for (name, data) in pages {
            let text = String(decoding: data, as: UTF8.self)
            for variant in 0..<4 {
                let page = Data(Self.wordSaved(text, variant: variant).utf8)
                if assertSameTreeLessSpans(page, "\(name) word-saved \(variant)") { flattened += 1 }
                assertSameDrafts(page, "\(name) word-saved \(variant)", budgets: [ReadBudget(), Self.smallBudget])
                XCTAssertEqual(Self.report(page, flattens: true), Self.report(page, flattens: false), "\(name) word-saved \(variant)")
            }
            assertSameDrafts(data, name, budgets: [ReadBudget()])
        }
        XCTAssertGreaterThan(flattened, pages.count * 3)
        // And as the reader reads a page not stripped at all.
        for (name, data) in pages.prefix(20) {
            let page = Data(Self.wordSaved(String(decoding: data, as: UTF8.self), variant: 2).utf8)
            XCTAssertEqual(Self.draft(page, flattens: true), Self.draft(page, flattens: false, strips: false), name)
        }
    }

    /// Pieces of markup around spans: tags that may or may not close the open element, the body's tags, texts
    /// that join (a combining mark, a no-break space), entities, line breaks of every kind.
    static let pieces: [String] = [
        "<body>", "<body lang=ZH-CN\nstyle='x'>", "</body>", "<html>", "</html>", "<head>", "</head>", "<p>",
        "<p class=MsoNormal\nstyle='a:b'>", "</p>", "<div>", "</div>", "<td>", "<td rowspan=2\nx=1>", "</td>", "<tr>", "</tr>",
        "<table>", "</table>", "<h3>", "</h3>", "<b>", "</b>", "<br>", "<li>", "<font>", "</font>", "<img src=x>",
        "<span>", "<span lang=EN-US\nstyle='font-size:16.0pt'>", "<SPAN\r\nstyle=\"a\">", "</span>", "</span >", "</SPAN>",
        "<span/>", "<o:p>", "</o:p>", "<o:p></o:p>", "<O:P>", "<o:p>&nbsp;</o:p>", "一、总体情况", "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "正文", "2023", "年", " ", "\n", "\r\n", "\r",
        "&nbsp;", "&amp;", "&#20013;", "<!-- c -->", "<!DOCTYPE html>", "<script>x</script>", "<style>p{}</style>",
        "<title>t</title>", "<meta name=\"PubDate\" content=\"2021-03-05\">", "</x>", "</_>", "<_>", "<", "a < b",
        "e\u{301}", "\u{301}", "\u{00A0}", "发布时间：2022-03-01",
        // Spans as Word writes them, whole.
        "<span>正文</span>", "<span\nlang=EN-US>2023</span>", "<span lang=EN-US><o:p></o:p></span>",
        "<span\r\nx=1>&nbsp;<o:p></o:p></span>", "<span><span>一、总体情况</span></span>", "<span>二、主动公开政府信息情况<o:p></o:p></span>",
        "<span><o:p>&nbsp;</o:p></span>", "<span>三、收到和处理政府信息公开申请情况</span><span lang=EN-US\nstyle='a'><o:p></o:p></span></p>",
        "<p><span>四、政府信息公开行政复议、行政诉讼情况</span></p>", "<td><span>1</span><o:p></o:p></td>",
        // Links, as a portal's menus hold them.
        "<a href=x>", "</a>", "<A HREF=y>链接</A>", "<li><a href=/x\ntitle=y>栏目</a></li>", "<a href=z>一、总体情况</a>",
    ]

    func testGeneratedMarkupReadsTheSame() {
        var rng = StrippingRandom(seed: 20_261_205)
        var flattened = 0
        for i in 0..<6000 {
            var page = rng.next(upTo: 3) == 0 ? "" : "<html><body>"
            for _ in 0..<rng.next(upTo: 40) + 1 { page += Self.pieces[rng.next(upTo: Self.pieces.count)] }
            let data = Data(page.utf8)
            if assertSameTreeLessSpans(data, "generated \(i): \(page.debugDescription)") { flattened += 1 }
            assertSameDrafts(data, "generated \(i): \(page.debugDescription)", budgets: [ReadBudget(), Self.smallBudget])
        }
        XCTAssertGreaterThan(flattened, 1500)
    }

    /// Where the flattened page could read otherwise, the page is read again without flattening: libxml2's depth
    /// limit reached with the spans (not without), lines past libxml2's cap, budgets reached (lines, cells, lines
    /// in a cell), a page date looked for in a page over its line budget.
    func testPagesReadAgainWhereFlatteningCouldChangeTheReading() throws {
        let heads = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
        let body = heads.map { "<p><span\nx=1>\($0)</span><span lang=EN-US><o:p></o:p></span></p>" }.joined()
        let deep =
            "<html><body>" + String(repeating: "<div>", count: 253) + "<p><span><span>深</span></span>二</p>"
            + String(repeating: "</div>", count: 253) + body
        let long = "<html><body>" + String(repeating: "<p><span>行</span></p>\n", count: 66_000) + body
        // Past line 65535 a text's line is read from the node before it when it has no node after it: a span's text
        // has none, the same text flattened has the paragraph before it.
        let capped =
            "<html><body>" + body + String(repeating: "\n", count: 65_520) + "<div><p>前</p><span"
            + String(repeating: "\n", count: 20) + ">后</span></div>"
        // The reading stops at the first element it meets past its line budget: a span right after a paragraph.
        let stops = "<html><body><div>" + body + String(repeating: "<span>行</span><p>段</p>", count: 6) + "</div>"
        var lines = ReadBudget()
        lines.maxLines = 3
        var many = ReadBudget()
        many.maxLines = 1_000_000
        var cells = ReadBudget()
        cells.maxTableCells = 2
        let table = "<html><body>" + body + "<table><tr><td><span>1</span></td><td><p><span>2</span></p><p>3</p></td></tr></table>"
        let dated = "<html><body><div>发布时间：2022-03-01</div><div>" + body + "</div>" + String(repeating: "<p><span>x</span></p>", count: 8)
        // A page date after the report, in a footer longer than the line budget (the report itself within it): the
        // page is walked for the date up to the budget.
        let footer =
            "<html><body><div>" + body + "</div><div><p>发布时间：<span>2022-03-01</span></p>"
            + String(repeating: "<p><span>栏目</span></p>", count: 40) + "</div>"
        var footerBudget = ReadBudget()
        footerBudget.maxLines = 30
        XCTAssertEqual(
            Self.report(Data(footer.utf8), flattens: true, budget: footerBudget),
            Self.report(Data(footer.utf8), flattens: false, budget: footerBudget))
        XCTAssertEqual(
            Self.report(Data(footer.utf8), flattens: true, budget: footerBudget)?.metadata.published?.year, 2022, "the page date is found")
        // The same page in GBK, declared in upper case (decoding again would read the decoded page as GBK).
        let gbkFooter = footer.replacingOccurrences(
            of: "<html>", with: "<html><head><meta http-equiv=Content-Type content=\"text/html; CHARSET=GBK\"></head>")
        let gbk = try XCTUnwrap(try ReaderTests.gb18030(gbkFooter))
        XCTAssertEqual(Self.report(gbk, flattens: true, budget: footerBudget)?.metadata.published?.year, 2022, "GBK")
        XCTAssertEqual(Self.report(gbk, flattens: true, budget: footerBudget), Self.report(gbk, flattens: false, budget: footerBudget))
        for (name, page) in [
            ("deep", deep), ("long", long), ("capped", capped), ("stops", stops), ("table", table), ("dated", dated), ("footer", footer),
        ] {
            let data = Data(page.utf8)
            XCTAssertGreaterThan(HTMLAttributeStripper.strippedPage(data, flatteningSpans: true)?.spanDepth ?? 0, 0, name)
            assertSameDrafts(
                data, name,
                budgets: ["long", "capped"].contains(name) ? [ReadBudget(), many] : [ReadBudget(), lines, cells, Self.smallBudget])
        }
        let flattened = HTMLAttributeStripper.strippedPage(Data(deep.utf8), flatteningSpans: true)
        let tree = try? flattened.map { try HTMLTree.parse($0.bytes) }
        XCTAssertEqual(tree?.mostOpen, 256, "the flattened page stays within the limit the page itself reaches")
    }
}
