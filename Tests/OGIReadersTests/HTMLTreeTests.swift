import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The HTML reader reads a page from the tree it builds from libxml2's parse events (`HTMLTree`), not from the tree
/// libxml2 builds itself; both trees must give the same answers to every question the reader asks, node by node
/// (names, texts, lines, attributes, flags, children), on every page and rendering the repository has, on variants of
/// them, on generated tag soup and on the edge cases of libxml2's tree builder, with and without the attribute
/// stripping the reader does first.
final class HTMLTreeTests: XCTestCase {
    /// The attributes compared on every element (those the reader reads, and boolean and other ones).
    static let attributeNames = [
        "rowspan", "colspan", "name", "content", "property", "itemprop", "charset", "http-equiv", "class", "id", "style",
        "checked", "selected", "nowrap", "lang", "href", "o:p", "x",
    ]

    /// A description of `node` and everything below it, as the reader's questions answer it.
    static func describe<N: MarkupNode>(_ node: N, into out: inout [String]) {
        if node.isElement {
            var attributes: [String] = []
            for a in attributeNames { if let v = node.attribute(a, html: true) { attributes.append("\(a)=\(v.debugDescription)") } }
            let name = node.rawName.map { String(cString: $0) } ?? "nil"
            out.append(
                "<\(name) \(node.lowercasedName) line \(node.line) tag \(node.htmlTag.rawValue) has \(node.hasAttributes) \(attributes)>")
            for c in node.children { describe(c, into: &out) }
            out.append("</\(name)>")
        } else {
            out.append("text line \(node.line) \(node.text.debugDescription) \(node.content.map { String(cString: $0) } == node.text)")
        }
    }

    /// Both trees of `bytes` (UTF-8) described; nil for a page neither can parse (both must fail together).
    static func trees(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> (libxml2: [String], built: [String])? {
        let document = try? XMLTree.parseHTML(bytes)
        let tree = try? HTMLTree.parse(bytes)
        XCTAssertEqual(document == nil, tree == nil, "one tree could not be made", file: file, line: line)
        guard let document, let tree, let root = tree.rootNode else { return nil }
        var a: [String] = []
        var b: [String] = []
        describe(document.root, into: &a)
        describe(root, into: &b)
        return (a, b)
    }

    func assertSameTrees(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (variant, input) in [("", bytes), (" stripped", HTMLAttributeStripper.strippedBytes(Data(bytes)))] {
            guard let input, let (a, b) = Self.trees(input, file: file, line: line) else { continue }
            if a != b {
                let k = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                XCTFail(
                    "\(name)\(variant): trees differ at node \(k) of \(a.count)/\(b.count): libxml2 \(k < a.count ? a[k] : "-") | built \(k < b.count ? b[k] : "-")",
                    file: file, line: line)
            }
        }
    }

    /// Every page and rendering of the repository (decoded as the reader decodes it), cut at several points, with
    /// upper-case tags and without the end tags libxml2 repairs.
    func testTheTreesAgreeOnEveryPage() throws {
        let pages = MarkupStreamingTests.files(["html", "htm"]) + Self.renderings()
        XCTAssertGreaterThanOrEqual(pages.count, 70)
        for (name, data) in pages {
            guard let utf8 = try? HTMLReader.decode(data, path: name) else { continue }
            let bytes = [UInt8](utf8)
            assertSameTrees(bytes, name)
            for k in 1...4 { assertSameTrees(Array(bytes.prefix(bytes.count * k / 5)), "\(name) cut \(k)/5") }
            guard let text = String(bytes: bytes, encoding: .utf8) else { continue }
            assertSameTrees(Array(MarkupStreamingTests.mapTags(text) { $0.uppercased() }.utf8), "\(name) upper")
            let unclosed = text.replacingOccurrences(of: #"</(td|tr|p|th|li|html|body|table)>"#, with: "", options: .regularExpression)
            assertSameTrees(Array(unclosed.utf8), "\(name) unclosed")
        }
    }

    static func renderings() -> [(name: String, data: Data)] {
        let folder = Repo.path("samples/renderings")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) ?? [])
            .filter { ["html", "htm"].contains(($0 as NSString).pathExtension.lowercased()) }
            .compactMap { n in
                let p = (folder as NSString).appendingPathComponent(n)
                return FileManager.default.contents(atPath: p).map { (p, $0) }
            }
    }

    /// The places where libxml2's tree builder does something of its own.
    func testTheTreesAgreeOnTheTreeBuildersEdgeCases() {
        let deep = String(repeating: "<div>", count: 300) + "深" + String(repeating: "</div>", count: 300) + "<p>after</p>"
        let exactlyDeep = String(repeating: "<span>", count: 255) + "x" + "<b>y</b>"
        let longPage = String(repeating: "<p>line</p>\n", count: 70_000) + "<p>last</p>\n<div>a<!--c--><script>s</script></div>"
        // Past line 65535 a node's line is read from its first child, its next or its previous node when one has a
        // smaller line: a last text after an element begun before, CDATA after an element, a last element.
        let gap = String(repeating: "\n", count: 66_000)
        let lateTail =
            "<div><p>a</p><span>\(gap)</span>tail</div><div><b>x</b><script>\(gap)s</script></div><div><i>y</i><u>\(gap)</u><em>z</em></div>"
        // A text joined from pieces stops at 10,000,000 bytes, and the parse with it; just under, it goes on.
        let over = "<html><body><p>" + String(repeating: "字a", count: 2_600_000) + "<b>in</b>tail</p><p>after</p></body></html>"
        let under = "<html><body><p>" + String(repeating: "字a", count: 2_400_000) + "<b>in</b>tail</p><p>after</p></body></html>"
        let overScript = "<html><body><script>" + String(repeating: "a", count: 10_500_000) + "</script><p>after</p></body></html>"
        let cases = [
            // Names with prefixes: the part after the first colon, unless it starts or ends with the colon.
            "<html><body><o:p>a</o:p><w:sdt><w:x:y>b</w:x:y></w:sdt><:odd>c</:odd><tail:>d</tail:><a:b:c>e</a:b:c></body></html>",
            // Comments, instructions and a DOCTYPE before the root, and content after the end of the root.
            "<!-- first --><html><body><p>a</p></body></html><p>after</p>text after",
            "<?pi first?><html><body><p>a</p></body></html><div>after</div>",
            "<!DOCTYPE html><html><body><p>a</p></body></html><p>after</p>",
            "<html><body><p>a</p></body></html><!-- c --><p>after</p>",
            "<html><body><p>a</p></body></html><p>after</p><!DOCTYPE html><p>more</p>",
            "<p>no root</p></html><p>second</p>",
            // Text split by entities and references, by comments and by instructions; CDATA of scripts and styles.
            "<body><p>a&amp;b&nbsp;c&#20013;d&unknown;e&lt</p><p>x<!--c-->y<?pi?>z</p><script>1<2</script><style>p{}</style>q</body>",
            "<body><script>a</script><script>b<!--c-->d</script>text<style></style></body>",
            // White space in every place (kept or not by libxml2's blank rules), and text outside any element.
            "  \n<html> <head> <title> t </title> </head> <body> <p> a </p> <b> </b> <i>x</i> <p> </p>\n</body> </html>  ",
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html><body> <p>a</p> <div> </div> </body></html>",
            // Attributes: without values, boolean ones, duplicated, upper case, empty, with entities.
            "<body><td nowrap rowspan colspan=\"\" x=\"&amp;&lt;\" CHECKED selected=\"selected\" id=a id=b>c</td></body>",
            // Depth past libxml2's limit (the parse stops), and just within it.
            deep, exactlyDeep,
            // Lines past 65535.
            longPage, lateTail, over, under, overScript,
            // Nothing to parse, or no element.
            "", " ", "<!-- only a comment -->", "text only",
            // Misnested and stray end tags.
            "<body><b><i>x</b>y</i><p>z</span></p></div><table><tr><td>1<td>2</table></body>",
        ]
        for (i, page) in cases.enumerated() { assertSameTrees(Array(page.utf8), "case \(i)") }
    }

    /// Random tag soup from the pieces above, seeded: 2,000 pages.
    func testTheTreesAgreeOnGeneratedTagSoup() {
        let pieces = [
            "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>", "<table>",
            "</table>", "<tr>", "</tr>", "<td>", "</td>", "<td rowspan=2>", "<th colspan=\"3\" nowrap>", "<span>", "</span>",
            "<o:p>", "</o:p>", "<b>", "</b>", "<br>", "<script>", "</script>", "<style>", "</style>", "<!-- c -->",
            "<?pi x?>", "<!DOCTYPE html>", "<meta name=\"PubDate\" content=\"2021-03-05\">", "<title>", "</title>",
            "一、总体情况", "正文", " ", "\n", "&nbsp;", "&amp;", "&#x4E00;", "<li>", "<ul>", "</ul>", "<a:b:c>", "<:x>",
            "<x:>", "text", "<", ">", "&", "\"", "<select><option>o", "<![CDATA[d]]>", "<img src=x>", "</td></tr>",
        ]
        var random = SplitMix(seed: 20_261_204)
        for i in 0..<2_000 {
            var page = ""
            for _ in 0..<Int.random(in: 0...60, using: &random) { page += pieces.randomElement(using: &random)! }
            assertSameTrees(Array(page.utf8), "soup \(i): \(page)")
        }
    }
}
