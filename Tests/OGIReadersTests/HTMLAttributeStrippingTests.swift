import CLibXML2Loader
import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `HTMLAttributeStripper` takes the attributes no reader reads out of a page before libxml2 parses it. libxml2's
/// tree of the stripped page must be its tree of the page less those attributes: every node (elements, texts,
/// comments, processing instructions) with the same name, content and line, the same `rowspan` and `colspan`,
/// and every attribute of each `meta`; comments, `script` and `style` with the same line breaks in their text
/// (the rest of it is left out). Compared on every page in the repository, on Word-style and portal
/// variants of them (an attribute on every run and cell, line breaks inside tags, comments, scripts and styles
/// holding markup, a DOCTYPE, processing instructions), and on thousands of generated pages made of the pieces
/// whose reading the scan has to follow; and the HTML reader's drafts must be the same with and without it.
final class HTMLAttributeStrippingTests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext

    /// Every node of a libxml2 document, one line each: depth, type, name, line, content, the attributes that are
    /// kept (all of `meta`'s; `rowspan` and `colspan` elsewhere).
    static func describe(_ document: XMLDocument) -> [String] {
        let commentNode: Int32 = 8  // XML_COMMENT_NODE (the loader's layout names only the types the readers read)
        var out: [String] = []
        func visit(_ ptr: UnsafeMutableRawPointer, depth: Int) {
            var child = ptr.load(fromByteOffset: libxml2.nodeChildren, as: UnsafeMutableRawPointer?.self)
            while let c = child {
                let node = XMLNode(c)
                let type = XMLNode.type(c)
                var line = "\(depth) \(type) \(node.line)"
                if let name = node.rawName { line += " <\(String(cString: name))>" }
                if !node.isElement, let content = node.content {
                    let text = String(cString: content)
                    // A comment's text is never read; the stripper keeps only its line breaks.
                    line += type == commentNode ? " comment: \(text.utf8.filter { $0 == 0x0A }.count)" : " [\(Array(text.utf8))]"
                }
                if node.isElement {
                    if node.lowercasedName == "meta" {
                        line += " meta:\(attributes(c))"
                    } else {
                        line +=
                            " rowspan=\(node.attribute("rowspan", html: true) ?? "-") colspan=\(node.attribute("colspan", html: true) ?? "-")"
                    }
                }
                if node.isElement, ["script", "style"].contains(node.lowercasedName) {
                    // Their text is never read; the stripper keeps only its line breaks.
                    line += " raw: \(breaks(in: c))"
                    out.append(line)
                } else {
                    out.append(line)
                    if type == libxml2.elementNode { visit(c, depth: depth + 1) }
                }
                child = c.load(fromByteOffset: libxml2.nodeNext, as: UnsafeMutableRawPointer?.self)
            }
        }
        visit(document.doc, depth: 0)
        return out
    }

    /// The line breaks in the text below `element` (libxml2 has made each CR LF, and each lone CR, one line feed).
    static func breaks(in element: UnsafeMutableRawPointer) -> Int {
        var count = 0
        var child = element.load(fromByteOffset: libxml2.nodeChildren, as: UnsafeMutableRawPointer?.self)
        while let c = child {
            let node = XMLNode(c)
            if node.isElement {
                count += breaks(in: c)
            } else if let content = node.content {
                count += String(cString: content).utf8.filter { $0 == 0x0A || $0 == 0x0D }.count
            }
            child = c.load(fromByteOffset: libxml2.nodeNext, as: UnsafeMutableRawPointer?.self)
        }
        return count
    }

    /// All attributes of an element, name=value, in order.
    static func attributes(_ element: UnsafeMutableRawPointer) -> [String] {
        var out: [String] = []
        var a = element.load(fromByteOffset: libxml2.nodeProperties, as: UnsafeMutableRawPointer?.self)
        while let attr = a {
            let name = String(cString: attr.load(fromByteOffset: libxml2.attributeName, as: UnsafePointer<XMLChar>.self))
            var value = "-"
            if let v = ogilint_xmlNodeGetContent(attr) {
                value = String(cString: v)
                ogilint_xml_free(v)
            }
            out.append("\(name)=\(value)")
            a = attr.load(fromByteOffset: libxml2.attributeNext, as: UnsafeMutableRawPointer?.self)
        }
        return out
    }

    /// Compares the trees of `page` (UTF-8) and of its stripped form; returns whether anything was stripped.
    @discardableResult
    func assertSameTree(_ page: Data, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let stripped = HTMLAttributeStripper.stripped(page) else { return false }
        XCTAssertLessThanOrEqual(stripped.count, page.count, name, file: file, line: line)
        let original = try? XMLTree.parseHTML(page)
        let rewritten = try? XMLTree.parseHTML(stripped)
        XCTAssertEqual(original == nil, rewritten == nil, "\(name): parsed once only", file: file, line: line)
        guard let original, let rewritten else { return true }
        if let difference = Self.firstDifference(Self.describe(original), Self.describe(rewritten), "stripped: ") {
            XCTFail("\(name): trees differ at \(difference)", file: file, line: line)
        }
        return true
    }

    /// Where two descriptions of trees first differ ("node K:" and both lines, the second labelled `label`), or nil.
    static func firstDifference(_ a: [String], _ b: [String], _ label: String) -> String? {
        guard a != b else { return nil }
        let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let padding = String(repeating: " ", count: max(0, label.count - 6))
        return "node \(at):\n  page: \(padding)\(at < a.count ? a[at] : "(end)")\n  \(label)\(at < b.count ? b[at] : "(end)")"
    }

    /// The HTML reader's draft (lines and origins) of `page`, with or without stripping (and flattening spans, where
    /// stripping), or its error.
    static func draft(_ page: Data, _ name: String, strips: Bool, flattens: Bool = true, budget: ReadBudget = ReadBudget()) -> String {
        var reader = HTMLReader(context: context, budget: budget)
        reader.stripsAttributes = strips
        reader.flattensSpans = flattens
        do {
            let d = try reader.draft(path: name, data: page)
            return zip(d.lines, d.origins).map { "\($0.number)|\($1)|\($0.text)" }.joined(separator: "\n")
                + "\n\(String(describing: d.pageDate)) \(d.pageDateUnresolved)"
        } catch {
            return "error: \(error)"
        }
    }

    // MARK: pages

    /// Word's "save as web page" style: the namespaces on `html`, an attribute list on every start tag (quoted both
    /// ways, unquoted, without a value, with line breaks, entities and `>` inside values), the head's conditional
    /// comments and style block, a script holding markup, a DOCTYPE and a processing instruction.
    static func wordStyled(_ page: String, variant: Int) -> String {
        let attributes = [
            " class=MsoNormal style='font-size:16.0pt;font-family:\"仿宋_GB2312\";\nmso-hansi-font-family:\"Times New Roman\"'",
            " lang=EN-US style=\"mso-bidi-font-family:宋体;color:black\" nowrap",
            "\r\n  width=95 valign=top style='width:71.3pt;border:solid windowtext 1.0pt;\r\n  padding:0cm 5.4pt 0cm 5.4pt'",
            " data-x=\"a > b &amp; c &#x41; &#65\" title='它的\n标题' id=_x0000_i1025",
            " align=center/",
            " x:str=\"1\" v:shapes=\"_x0000_s1026\" o:gfxdata=\"\"",
        ]
        var k = variant
        var tagged = ""
        var rest = Substring(page)
        // Each start tag (a letter after '<') gets one of the attribute lists after its name.
        while let open = rest.firstIndex(of: "<") {
            tagged += rest[..<open]
            rest = rest[open...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let body = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            guard let first = body.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first) else {
                tagged += "<\(body)>"
                continue
            }
            k += 1
            let extra = attributes[k % attributes.count]
            let nameEnd = body.firstIndex { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "/" } ?? body.endIndex
            tagged += "<\(body[..<nameEnd])\(extra)\(body[nameEnd...])>"
        }
        tagged += rest
        let head = """
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
            <?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" />
            <!--[if gte mso 9]><xml>
             <w:WordDocument><w:View>Print</w:View></w:WordDocument>
            </xml><![endif]-->
            <style>
            <!-- p.MsoNormal { margin:0cm; } td > p { color: red; } /* </p> <div> */ -->
            </style>
            <script type="text/javascript">
            var s = "<div class='x'>" + '</td>' + "<p style=\\"a\\">"; if (a < b && c > d) { s += "</div>"; }
            </script>

            """
        if variant % 3 == 1 {
            tagged = tagged.replacingOccurrences(of: "<body", with: "<BODY lang=ZH-CN\n style='tab-interval:21.0pt'")
            tagged = head + tagged
        } else if variant % 3 == 2 {
            tagged =
                "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"\nxmlns:o=\"urn:schemas-microsoft-com:office:office\">\n" + head + tagged
        }
        return tagged
    }

    /// The repository's pages, decoded as the reader decodes them.
    static func pages() -> [(name: String, data: Data)] {
        MarkupStreamingTests.files(["html", "htm"]).compactMap { page in
            (try? HTMLReader.decode(page.data, path: page.name)).map { (page.name, $0) }
        }
    }

    func testTreesAreTheSameOnEveryPageAndItsWordStyledVariants() throws {
        let pages = Self.pages()
        XCTAssertGreaterThanOrEqual(pages.count, 50)
        var stripped = 0
        for (name, data) in pages {
            if assertSameTree(data, name) { stripped += 1 }
            let text = String(decoding: data, as: UTF8.self)
            for variant in 0..<3 {
                let styled = Data(Self.wordStyled(text, variant: variant).utf8)
                XCTAssertTrue(assertSameTree(styled, "\(name) word-styled \(variant)"), "\(name) word-styled \(variant): nothing stripped")
            }
        }
        XCTAssertGreaterThan(stripped, 20)
        for (i, page) in MarkupStreamingTests.generatedPages.enumerated() {
            assertSameTree(Data(page.utf8), "generated page \(i)")
            assertSameTree(Data(Self.wordStyled(page, variant: i).utf8), "generated page \(i) word-styled")
        }
    }

    /// The reader's drafts of the same pages, stripped or not (both budgets: tables over the cell limit too).
    func testDraftsAreTheSameWithAndWithoutStripping() throws {
        var small = ReadBudget()
        small.maxTableCells = 40
        small.maxLines = 30
        small.maxSpan = 3
        for (name, data) in Self.pages() {
            let text = String(decoding: data, as: UTF8.self)
            for page in [data, Data(Self.wordStyled(text, variant: 1).utf8), Data(Self.wordStyled(text, variant: 2).utf8)] {
                for budget in [ReadBudget(), small] {
                    XCTAssertEqual(
                        Self.draft(page, name, strips: true, budget: budget), Self.draft(page, name, strips: false, budget: budget),
                        "\(name) (max \(budget.maxTableCells) cells)")
                }
            }
        }
    }

    /// A Word-styled page, and the page as Word saves it (its runs in spans: `HTMLSpanFlatteningTests.wordSaved`),
    /// read as the plain page does: the same lines (line numbers aside, which move with the added line breaks), so
    /// the same report; the first is stripped, the second has its spans flattened.
    func testWordStyledPageReadsAsThePlainPage() throws {
        let name = Repo.path("samples/clean-2021-government.html")
        let data = try HTMLReader.decode(Data(contentsOf: URL(fileURLWithPath: name)), path: name)
        let text = String(decoding: data, as: UTF8.self)
        let styled = Data(Self.wordStyled(text, variant: 0).utf8)
        let saved = Data(HTMLSpanFlatteningTests.wordSaved(text, variant: 0).utf8)
        let reader = HTMLReader(context: Self.context)
        for page in [styled, saved] {
            XCTAssertEqual(
                try reader.draft(path: name, data: page).lines.map(\.text), try reader.draft(path: name, data: data).lines.map(\.text))
        }
        XCTAssertNotNil(HTMLAttributeStripper.stripped(styled))
        XCTAssertGreaterThan(HTMLAttributeStripper.strippedPage(saved, flatteningSpans: true)?.splits.count ?? 0, 40)
    }

    // MARK: generated markup

    /// Pieces whose reading the scan follows: tags with every kind of attribute, end tags, comments (closed with
    /// "-->", "--!>", not closed), processing instructions, DOCTYPEs, raw `script` and `style` text with markup and
    /// near-miss end tags in it, bare '<', '&', line breaks (LF, CR, CRLF), spans and meta tags.
    static let pieces: [String] = [
        "<p>", "</p>", "<div class=\"a\">", "</div>", "<td colspan=2 style='x'>", "<TD ROWSPAN=\"3\" class=c>", "</td>",
        "<tr lang=en>", "</tr>", "<table border=1>", "</table>", "<span style='a:b;\nc:d'>", "</span>", "<br/>", "<br />",
        "<br clear=all style='page-break-before:always'>", "<img src=a.png alt=\"x > y\"/>", "<o:p>", "</o:p>",
        "<meta name=\"PubDate\" content=\"2024-01-20 10:00\">", "<meta charset=utf-8 />", "<a href=/x/y.html>", "</a>",
        "<p nowrap>", "<p =bad x=1>", "<p \"q\" x=1>", "<p x=1/>", "<p x=\"1\"/>", "<p/ x>", "<p a=\"\"b=c>",
        "<p a='it\"s'>", "<p a=\"x\r\ny\">", "<font face=宋体 size=3>", "</font>", "<P STYLE=X>", "<td colspan=\"2\"\ncolspan=3 x=1>",
        "<!-- c -->", "<!-- <p x=1> -->", "<!--->", "<!-->", "<!-- a --!> b", "<!--x", "<!---->", "<!-- - -- --->",
        "<?xml version=\"1.0\"?>", "<?php echo 1 ?>", "<? x>", "<!DOCTYPE html>", "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">",
        "<!DOCTYPE html SYSTEM 'about:legacy-compat'>", "<![if !supportLists]>", "<![endif]>", "<!x>", "< p>", "<3", "a < b",
        "<script>var a = '<p x=1>' + \"</div>\";</script>", "<script src=a.js></script>", "<SCRIPT>x</SCRIPT >",
        "<script>a</scriptx>b</script>", "<script>", "</script>", "<style>p { a: b } </p></style>", "<style/>",
        "<script type='t'>if (a<b) {}</script>", "<style>", "</style>", "&amp;", "&#12;", "&nbsp", "& x",
        "一、总体情况", "（一）主动公开", "行政许可", "1808595", "\n", "\r\n", "\r", "  ", "\t", "text", "</ p>", "</p x>",
        "</>", "</.x>", "<html lang=zh>", "<head>", "</head>", "<body bgcolor=white>", "</body>", "<title>t</title>",
        "<p x=\"unterminated>", "<p x='a'", "<td", "<p ", "<p x=", "<td rowspan=2 class=x />", "<td colspan=3 x=1/>",
        "<!DOCTYPE html></a x>",
    ]

    func testTreesAreTheSameOnGeneratedMarkup() throws {
        var rng = StrippingRandom(seed: 20_261_203)
        var stripped = 0, bailed = 0
        for i in 0..<20000 {
            var page = ""
            for _ in 0..<rng.next(upTo: 40) + 1 { page += Self.pieces[rng.next(upTo: Self.pieces.count)] }
            let data = Data(page.utf8)
            if assertSameTree(data, "generated \(i): \(page.debugDescription)") { stripped += 1 } else { bailed += 1 }
        }
        // Most generated pages have something to strip; pages the scan does not follow are parsed as they are.
        XCTAssertGreaterThan(stripped, 10000)
        XCTAssertGreaterThan(bailed, 300)
    }

    /// What a differential fuzzer against libxml2 found in the scan's first version (both fixed): "/>" written
    /// right after a kept unquoted span ("rowspan=2/"), and "</" after a DOCTYPE inside the page, which libxml2
    /// reads as text.
    func testFuzzerCounterexamples() {
        for page in [
            "<td rowspan=2 class=x />", "<table><tr><td colspan=3 style=\"w\" />a</table>", "<td colspan=2 x=1\n/>b",
            "<td rowspan=2 class=x/>", "<p><!DOCTYPE html></a <b title='><i class=\"'>visible</i>\"'>more",
            "<p>x<!DOCTYPE html></a <script>hello<u class=\"</script>\">world</u>", "<p>x<!DOCTYPE html><p class=a>y",
        ] {
            assertSameTree(Data(page.utf8), page.debugDescription)
            XCTAssertEqual(Self.draft(Data(page.utf8), "p.html", strips: true), Self.draft(Data(page.utf8), "p.html", strips: false), page)
        }
        XCTAssertEqual(
            HTMLAttributeStripper.stripped(Data("<td rowspan=2 class=x />".utf8)).map { String(decoding: $0, as: UTF8.self) },
            "<td rowspan=2 />")
    }

    /// Pages the scan does not follow are left alone: a NUL byte, a quote left open, a page ending inside a tag, a
    /// start tag at the beginning of a script's text, a script closed by another element's end tag.
    func testPagesNotFollowedAreLeftAlone() {
        for page in [
            "<p x=1>a\u{0}b</p>", "<p x=\"1>a</p>", "<p x=1", "<script><p x=1></script>", "<script></div><p x=1>",
            "<!DOCTYPE html \"x\"><p x=1>", "<?中 x><p x=1>", "<p><!DOCTYPE html></a x=1><p x=1>",
            "<\(String(repeating: "a", count: 120)) x=1>",
        ] {
            XCTAssertNil(HTMLAttributeStripper.stripped(Data(page.utf8)), page.debugDescription)
        }
        XCTAssertNil(HTMLAttributeStripper.stripped(Data("<p>plain</p><td colspan=2>".utf8)), "nothing to strip")
        XCTAssertEqual(
            HTMLAttributeStripper.stripped(Data("<td class=a\n colspan=2 style='x\ny'>t</td><meta name=a content=b>".utf8)).map {
                String(decoding: $0, as: UTF8.self)
            }, "<td\n colspan=2\n>t</td><meta name=a content=b>")
    }
}

/// A small seeded generator (SplitMix64), so the generated pages are the same on every run.
struct StrippingRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(upTo n: Int) -> Int { Int(next() % UInt64(n)) }
}
