import CLibXML2
import Foundation
import OGIModel
import OGITestSupport
import XCTest
import ZIPFoundation

@testable import OGIReaders

/// The DOCX reader streams `word/document.xml` from the parser (`DocxLineariser`) instead of walking a libxml2 tree;
/// it must give the lines, origins and errors the tree walk it replaced gives (kept below, as it was, as the
/// reference), on every draft the repository has and on generated documents: list numbering, tracked changes,
/// merged cells, content controls, nested tables, namespaces, entities and character references in text and
/// attributes, white space, huge and deep documents, and malformed XML (the same typed errors and messages).
final class MarkupFastPath2Tests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext

    /// The streamed reading of a document part: lines and origins, or the error.
    static func streamed(_ document: Data, numbering: Data?, budget: ReadBudget) -> String {
        let reader = DocxReader(context: context, budget: budget)
        do {
            let lineariser = DocxLineariser(maxLines: budget.maxLines)
            do { try XMLTree.streamXML(document, into: lineariser) } catch XMLTree.Failure.unparseable(let why) {
                return "unparseable: \(why)"
            }
            let numberer = try numbering.map { data in
                let driver = XMLStreamDriver(ListNumberingReading())
                try XMLTree.streamXML(data, into: driver)
                return driver.withReading(\.numberer)
            }
            let (lines, origins) = try lineariser.lines(numberer: numberer ?? ListNumberer(), budget: reader.budget, path: "d.docx")
            return describe(lines, origins)
        } catch {
            return "error: \(error)"
        }
    }

    /// The tree reading the streamed one replaced, with the same outputs.
    static func tree(_ document: Data, numbering: Data?, budget: ReadBudget) -> String {
        let reader = DocxReader(context: context, budget: budget)
        do {
            let doc: XMLDocument
            do { doc = try XMLTree.parseXML(document) } catch XMLTree.Failure.unparseable(let why) { return "unparseable: \(why)" }
            let num = try numbering.map { try XMLTree.parseXML($0) }
            let (lines, origins) = try reader.linearise(document: doc, numbering: num, path: "d.docx")
            return describe(lines, origins)
        } catch {
            return "error: \(error)"
        }
    }

    static func describe(_ lines: [SourceLine], _ origins: [DocxReader.Origin]) -> String {
        zip(lines, origins).map { "\($0.number)|\($1)|\(Array($0.text.utf8))|\($0.text)" }.joined(separator: "\n")
    }

    static var budgets: [ReadBudget] {
        var small = ReadBudget()
        small.maxLines = 20
        return [ReadBudget(), small]
    }

    func assertSame(_ document: Data, numbering: Data?, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for budget in Self.budgets {
            let s = Self.streamed(document, numbering: numbering, budget: budget)
            let t = Self.tree(document, numbering: numbering, budget: budget)
            XCTAssertEqual(s, t, "\(name) (max \(budget.maxLines) lines)", file: file, line: line)
        }
    }

    /// The parts of every draft in the repository, and each document part cut off at several points.
    func testStreamedDocxEqualsTheTreeOnEveryDraft() throws {
        let drafts = MarkupStreamingTests.files(["docx"])
        XCTAssertGreaterThanOrEqual(drafts.count, 70)
        let reader = DocxReader(context: Self.context)
        var read = 0
        for (name, data) in drafts {
            guard ZipStructure.problem(in: data) == nil, let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil),
                let entry = archive["word/document.xml"],
                let document = try? reader.partData(.archive(archive, entry), zipData: data, path: name)
            else { continue }
            let numbering = archive["word/numbering.xml"].flatMap { try? reader.partData(.archive(archive, $0), zipData: data, path: name) }
            assertSame(document, numbering: numbering, name)
            for k in [1, 3, 5] { assertSame(document.prefix(document.count * k / 7), numbering: numbering, "\(name) cut \(k)/7") }
            read += 1
        }
        XCTAssertGreaterThanOrEqual(read, 70)
    }

    func testStreamedDocxEqualsTheTreeOnGeneratedDrafts() {
        let numbering = Data(MarkupStreamingTests.numbering.utf8)
        for (i, xml) in (MarkupStreamingTests.generatedDrafts + Self.generatedDrafts).enumerated() {
            assertSame(Data(xml.utf8), numbering: numbering, "generated \(i)")
            assertSame(Data(xml.utf8), numbering: nil, "generated \(i) without numbering")
        }
    }

    static func docx(_ body: String) -> String { MarkupStreamingTests.docx(body) }
    static func p(_ text: String) -> String { "<w:p><w:r><w:t>\(text)</w:t></w:r></w:p>" }

    static let generatedDrafts: [String] = [
        // Attribute values with entities, character references, white space, empty values, duplicates in two
        // namespaces, and a prefix bound to no namespace (the tree names such nodes `prefix:name`).
        docx(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\" 1\"/><w:numId w:val=\"&#49;\"/></w:numPr></w:pPr><w:r><w:t>引用</w:t></w:r></w:p>"
                + "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"&#x31;\"/><w:numId w:val=\"1\" x:val=\"2\"/></w:numPr></w:pPr><w:r><w:t>两个</w:t></w:r></w:p>"
                + "<w:p><w:pPr><w:numPr><w:numId w:val=\"\"/></w:numPr></w:pPr><w:r><w:t>空值</w:t></w:r></w:p>"
                + "<w:p><w:pPr><w:numPr><w:numId q:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>未绑定</w:t></w:r></w:p>"
                + "<w:p><w:pPr><w:numPr><w:numId/><w:numId w:val=\"1\"/><w:ilvl w:val=\"1\"/><w:ilvl w:val=\"0\"/></w:numPr><w:numPr><w:numId w:val=\"2\"/></w:numPr></w:pPr><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>首个</w:t></w:r></w:p>"
                + "<w:p><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>a&amp;b</w:t></w:r></w:p>"
                + "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"con&#116;inue\"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:tcPr><w:vMerge w:val=\"a&amp;b&#38;c&lt;&#60;\"/></w:tcPr><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:tcPr><w:vMerge w:val=\"\"/></w:tcPr><w:p><w:r><w:t>z</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:tcPr><w:vMerge q:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>未绑定</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:tcPr><w:vMerge w:val=\"restart\" x:val=\"continue\"/></w:tcPr><w:p><w:r><w:t>后者</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:tcPr><w:shd/></w:tcPr><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>次个</w:t></w:r></w:p></w:tc>"
                + "<w:tc><w:p><w:r><w:t>前</w:t></w:r></w:p><w:tcPr><w:vMerge w:val=\"continue\"/></w:tcPr></w:tc>"
                + "<w:tc><w:tcPr><w:vMerge w:val=\"\tcontinue\n\"/></w:tcPr><w:p><w:r><w:t>空白</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
        // Elements with a prefix bound to no namespace, and body, paragraph and table names in other namespaces.
        docx("<q:p><w:r><w:t>未绑定段</w:t></w:r></q:p><w:p><q:r><w:t>运行</w:t></q:r><w:r><q:t>文字</q:t><w:t>可见</w:t></w:r></w:p>"),
        "<w:document xmlns:w=\"urn:w\"><q:body xmlns:q=\"urn:q\"><w:p><w:r><w:t>他空间正文</w:t></w:r></w:p></q:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:x/><w:body><w:p><w:r><w:t>一</w:t></w:r></w:p></w:body><w:body><w:p><w:r><w:t>二</w:t></w:r></w:p></w:body></w:document>",
        "<w:body xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>根即正文</w:t></w:r></w:p></w:body></w:body>",
        // Text everywhere: entities, references, CDATA, comments, processing instructions, white space between elements.
        docx(
            "\n  <w:p>\n    <w:r>\n      <w:t xml:space=\"preserve\"> 前&#x20;&lt;&gt;&amp;&apos;&quot;&#12288;</w:t><!-- 注 --><?pi x?>\n"
                + "<w:t><![CDATA[甲]]>乙<!-- c -->丙<w:b>丁<w:del>戊</w:del></w:b>\t己\r\n庚</w:t>\n    </w:r>\n  </w:p>\n"
                + "<w:tbl>\n <w:tr>\n  <w:tc>\n   <w:p><w:r><w:t>a\tb</w:t></w:r></w:p>\n   <w:tbl><w:tr><w:tc><w:tcPr>属性</w:tcPr><w:p><w:pPr>段属</w:pPr><w:r><w:delText>删</w:delText><w:instrText>域</w:instrText><w:t>内</w:t></w:r></w:p></w:tc></w:tr>\n</w:tbl>\n  尾</w:tc>\n </w:tr>\n</w:tbl>\n"
        ),
        // Content controls at every level, nested; rows and cells outside their places.
        docx(
            "<w:sdt><w:sdtPr><w:p><w:r><w:t>属性段</w:t></w:r></w:p></w:sdtPr><w:sdtContent><w:sdt><w:sdtContent><w:p><w:r><w:t>深</w:t></w:r></w:p></w:sdtContent></w:sdt>"
                + "<w:tbl><w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>控件行</w:t></w:r></w:p></w:tc></w:tr></w:sdtContent></w:sdt>"
                + "<w:tr><w:sdt><w:sdtContent><w:sdt><w:sdtContent><w:tc><w:p/></w:tc></w:sdtContent></w:sdt><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc></w:sdtContent>"
                + "<w:sdtContent><w:tc><w:p><w:r><w:t>次内容</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt><w:tc/><w:tc><w:p/><w:p/></w:tc><w:p><w:r><w:t>行内段</w:t></w:r></w:p></w:tr></w:tbl>"
                + "</w:sdtContent><w:sdtContent><w:p><w:r><w:t>次个内容</w:t></w:r></w:p></w:sdtContent></w:sdt><w:tr><w:tc><w:p><w:r><w:t>游离行</w:t></w:r></w:p></w:tc></w:tr>"
        ),
        // A paragraph holding a table, a table holding a paragraph outside its rows, a break inside a field code.
        docx(
            "<w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>段中表</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:r><w:t>后</w:t><w:br/></w:r></w:p>"
                + "<w:tbl><w:p><w:r><w:t>表中段</w:t></w:r></w:p><w:tr><w:tc><w:p><w:r><w:instrText><w:tab/>x</w:instrText><w:t>y</w:t><w:cr/></w:r></w:p></w:tc></w:tr></w:tbl>"
        ),
        // Deep nesting and many lines.
        docx(String(repeating: "<w:ins>", count: 200) + "<w:p><w:r><w:t>深层</w:t></w:r></w:p>" + String(repeating: "</w:ins>", count: 200)),
        docx(
            "<w:p>" + String(repeating: "<w:ins>", count: 200) + "<w:r><w:t>深层文字</w:t></w:r>" + String(repeating: "</w:ins>", count: 200)
                + "</w:p>"),
        docx(
            String(
                repeating: MarkupStreamingTests.numbered("列表", num: 1, level: 0) + p("段落")
                    + "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc/></w:tr></w:tbl>", count: 3000)),
        // Malformed: unclosed, mismatched, undefined entity, bad reference, bad names, text after the root, two roots,
        // nothing, only a declaration, a DOCTYPE.
        docx("<w:p><w:r><w:t>未闭合</w:t></w:r>"),
        docx("<w:p><w:r><w:t>错配</w:r></w:t></w:p>"),
        docx(p("&nbsp;未定义")),
        docx(p("&#0;零")),
        docx(p("&#xD800;代理")),
        docx("<w:p><w:r><w:t a=\"1\" a=\"2\">重复属性</w:t></w:r></w:p>"),
        docx("<w:p><1r/></w:p>"),
        docx(p("x")) + "尾随",
        docx(p("x")) + "<w:document/>",
        "",
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\"?><!DOCTYPE w:document><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml version=\"1.0\" encoding=\"GBK\"?><w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>声明编码</w:t></w:r></w:p></w:body></w:document>",
    ]

    /// Byte-level damage: invalid UTF-8 in text, in names and in attributes, and a byte-order mark.
    func testStreamedDocxEqualsTheTreeOnDamagedBytes() {
        let base = Array(
            Self.docx(Self.p("正文") + "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"continue\"/></w:tcPr></w:tc></w:tr></w:tbl>").utf8)
        var variants: [(String, [UInt8])] = [("bom", [0xEF, 0xBB, 0xBF] + base)]
        let text = base.firstIndex(of: 0xE6)!
        for (label, bytes): (String, [UInt8]) in [
            ("lone continuation", [0x80]), ("cut sequence", [0xE6, 0xAD]), ("overlong", [0xC0, 0xAF]), ("latin-1", [0xE9, 0x41]),
        ] {
            var v = base
            v.replaceSubrange(text..<(text + 3), with: bytes)
            variants.append((label, v))
        }
        let attr = base.indices.first { base[$0...].starts(with: Array("continue".utf8)) }!
        var v = base
        v.replaceSubrange(attr..<(attr + 1), with: [0xFF])
        variants.append(("attribute", v))
        for (label, bytes) in variants { assertSame(Data(bytes), numbering: nil, label) }
    }

    /// The whole reader on malformed archives and parts keeps its typed errors.
    func testDocxReaderErrorsOnDamagedDocumentParts() throws {
        let reader = DocxReader(context: Self.context)
        for (i, xml) in ([Self.docx("<w:p>"), Self.docx(Self.p("&foo;")), "<w:document xmlns:w=\"urn:w\"><w:nobody/></w:document>"])
            .enumerated()
        {
            let docx = try FormatFixtures.zip([("word/document.xml", Data(xml.utf8))])
            XCTAssertThrowsError(try reader.read(path: "d\(i).docx", data: docx)) { error in
                guard case ReaderError.corrupt(_, let detail) = error else { return XCTFail("\(i): \(error)") }
                XCTAssertTrue(detail.hasPrefix("word/document.xml "), detail)
            }
        }
    }
}

extension MarkupFastPath2Tests {
    // MARK: HTML

    /// Everything a reader can see of a parsed page: each element's name, attributes and line, each text and its line.
    static func describeTree(_ n: ReferenceNode, into out: inout [String]) {
        out.append("\(n.name)|\(n.attributes.sorted { $0.key < $1.key })|\(n.text.map { Array($0.utf8) } ?? [])|\(n.line)")
        for c in n.children { describeTree(c, into: &out) }
        out.append("/")
    }

    /// The parser options added for speed (compact texts, no default DOCTYPE) give the same tree as before, on
    /// every page, re-cased, cut and generated.
    func testHTMLParseOptionsKeepTheTree() throws {
        var pages = MarkupStreamingTests.files(["html", "htm"]).map { ($0.name, $0.data) }
        pages += MarkupStreamingTests.generatedPages.enumerated().map { ("generated \($0.offset)", Data($0.element.utf8)) }
        pages += [
            ("doctype", Data("<!DOCTYPE html><html><body><p>一、总体情况</p></body></html>".utf8)),
            ("texts", Data("a<b>bb</b>\n<i>0123456789abcdefghij</i>&amp;<br>x".utf8)),
        ]
        var compared = 0
        for (name, data) in pages {
            var variants = [data]
            if let text = try? TextDecoding.decode(data, path: name).0 {
                variants.append(Data(MarkupStreamingTests.mapTags(text) { $0.uppercased() }.utf8))
                variants.append(Data(text.utf8).prefix(data.count / 3))
            }
            for v in variants {
                guard let utf8 = try? HTMLReader.decode(v, path: name) else { continue }
                let old = try? XMLTree.parseHTML(utf8, options: XMLTree.htmlOptions)
                let new = try? XMLTree.parseHTML(utf8)
                XCTAssertEqual(old == nil, new == nil, name)
                guard let old, let new else { continue }
                var a: [String] = [], b: [String] = []
                Self.describeTree(ReferenceNode.copy(old.root.ptr, html: true), into: &a)
                Self.describeTree(ReferenceNode.copy(new.root.ptr, html: true), into: &b)
                XCTAssertEqual(a, b, name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 150)
    }

    /// Element flags found by packed bytes equal membership of the sets, for every name in them, re-cased, and for
    /// names that are not ASCII (the Kelvin sign lower-cases to `k`), long, or unknown.
    func testHTMLTagFlagsEqualTheSets() throws {
        var names = Array(HTMLReader.skipTags.union(HTMLReader.blockTags).union(Lineariser.layoutTags)) + ["br", "table", "tr", "td", "th"]
        names += names.map { $0.uppercased() } + names.map { String($0.prefix(1)).uppercased() + $0.dropFirst() }
        names += [
            "bloc\u{212A}quote", "\u{212A}", "x", "tablex", "tabl", "t", "h7", "abcdefghijklmnop", "abcdefghijklmnopq", "blockquotes",
            "BLOCKQUOTE2",
            "sectionsectionse", "figcaption", "é", "Δiv",
        ]
        let xml = "<root>" + names.map { "<\($0)/>" }.joined() + "</root>"
        let document = try XMLTree.parseXML(Data(xml.utf8))
        var count = 0
        for node in document.root.children where node.isElement {
            XCTAssertEqual(HTMLTag.of(node), HTMLTag.named(node.lowercasedName), node.name)
            count += 1
        }
        XCTAssertEqual(count, names.count)
        XCTAssertFalse(HTMLTag.byKey.isEmpty)
    }

    /// The hash table a look-up reads answers what `byKey` holds: each of its names' flags, and none for every
    /// other name of up to three letters and for the names of a Word-saved page.
    func testHTMLTagHashTableAnswersAsTheSortedTable() {
        func sorted(_ k: HTMLTag.Key) -> HTMLTag { HTMLTag.byKey.first { $0.key == k }?.tag ?? [] }
        for entry in HTMLTag.byKey { XCTAssertEqual(HTMLTag.lookedUp(entry.key), entry.tag, "\(entry.key)") }
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789:".utf8)
        var names: [[UInt8]] = [[]]
        for a in letters {
            names.append([a])
            for b in letters {
                names.append([a, b])
                for c in letters { names.append([a, b, c]) }
            }
        }
        names += ["span", "font", "o:p", "v:shape", "w:sdt", "strong", "tbody", "colgroup", "abcdefghijklmnop", "blockquotes"].map {
            Array($0.utf8)
        }
        var flagged = 0
        for name in names {
            let k = HTMLTag.key(name)
            XCTAssertEqual(HTMLTag.lookedUp(k), sorted(k), String(decoding: name, as: UTF8.self))
            if name.count <= 3, !sorted(k).isEmpty { flagged += 1 }
        }
        XCTAssertEqual(flagged, HTMLTag.byKey.filter { $0.key.high == 0 && $0.key.low < 1 << 24 }.count)
    }

    /// The name table written out in the source equals the one built from the sets: same keys, same order, same flags.
    func testHTMLTagTableEqualsTheOneFromTheSets() {
        let written = HTMLTag.byKey, built = HTMLTag.byKeyFromSets()
        XCTAssertEqual(written.count, built.count)
        for (w, b) in zip(written, built) {
            XCTAssertEqual(w.key, b.key)
            XCTAssertEqual(w.tag, b.tag, "\(w.key)")
        }
        XCTAssertEqual(built.count, 49)
    }

    /// The report body found with part bits equals the one found with sets, on every page (and re-cased and cut
    /// copies) and on the generated pages; the byte-level numbering check equals the string one on every text.
    func testReportBodyWithBitsEqualsSets() throws {
        let reader = HTMLReader(context: Self.context)
        let numerals = Self.context.templates.profile.partNumerals
        let headings = Self.context.templates.profile.parts.map { $0.headings.map(LabelText.normalize) }
        let scan = HeadingScan(numerals: numerals, headings: headings)
        var pages = MarkupStreamingTests.files(["html", "htm"]).map { ($0.name, $0.data) }
        pages += MarkupStreamingTests.generatedPages.enumerated().map { ("generated \($0.offset)", Data($0.element.utf8)) }
        var texts = 0
        for (name, data) in pages {
            var variants = [data]
            if let text = try? TextDecoding.decode(data, path: name).0 {
                variants.append(Data(MarkupStreamingTests.mapTags(text) { $0.uppercased() }.utf8))
                variants.append(Data(text.utf8).prefix(data.count / 2))
            }
            for v in variants {
                guard let utf8 = try? HTMLReader.decode(v, path: name), let document = try? XMLTree.parseHTML(utf8) else { continue }
                let body = HTMLReader.firstChild(of: document.root, named: "body") ?? document.root
                XCTAssertEqual(reader.reportBody(body), reader.reportBodyBySets(body), name)
                func visit(_ n: XMLNode) {
                    for c in n.children {
                        if let t = c.text {
                            XCTAssertEqual(scan.mayBeNumbered(utf8: c.content!), scan.mayBeNumbered(t), t)
                            texts += 1
                        } else {
                            visit(c)
                        }
                    }
                }
                visit(document.root)
            }
        }
        XCTAssertGreaterThan(texts, 1000)
        // Ill-formed bytes read as U+FFFD, as String reads them.
        for bytes: [UInt8] in [
            [0x80], [0x20, 0xE4, 0xB8], [0x20, 0xFF, 0x31], [0xC0, 0xAF], [0x20, 0x20], [], [0xE3, 0x80, 0x80, 0x31], [0xED, 0xA0, 0x80],
        ] {
            let z = bytes + [0]
            z.withUnsafeBufferPointer { b in
                XCTAssertEqual(
                    scan.mayBeNumbered(utf8: b.baseAddress!), scan.mayBeNumbered(String(decoding: bytes, as: UTF8.self)), "\(bytes)")
            }
        }
    }
}

extension MarkupFastPath2Tests {
    // MARK: Unpacking and scans

    /// The declaration scan as it was: `memchr` for each `<`, one word at a time.
    static func referenceContainsDeclaration(_ data: Data, _ word: String) -> Bool {
        let w = Array(word.uppercased().utf8)
        return data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Bool in
            let b = buf.bindMemory(to: UInt8.self)
            guard b.count >= w.count + 2, let base = buf.baseAddress else { return false }
            var i = 0
            let last = b.count - w.count - 2
            while i <= last, let hit = memchr(base + i, 0x3C, last + 1 - i) {
                i = base.distance(to: UnsafeRawPointer(hit))
                if b[i + 1] == 0x21 {
                    var k = 0
                    while k < w.count, (b[i + 2 + k] & 0xDF) == w[k] { k += 1 }
                    if k == w.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// The one-pass `memmem` scan finds what the per-word scan found, on every page and part and on generated bytes.
    func testDeclarationScanEqualsThePerWordScan() throws {
        var inputs = MarkupStreamingTests.files(["html", "htm", "txt"]).map(\.data)
        var rng = SplitMix(seed: 11)
        let pieces = [
            "<!", "<!DOCTYPE", "<!doctype", "<!EnTiTy", "<!ENTIT", "<", "!", "<!-- x -->", "<![CDATA[", "DOCTYPE", "a", "\u{4E00}", "\0",
            "<!\u{C4}",
        ]
        for _ in 0..<3000 {
            inputs.append(Data((0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined().utf8))
        }
        for data in inputs {
            let doctype = Self.referenceContainsDeclaration(data, "DOCTYPE"), entity = Self.referenceContainsDeclaration(data, "ENTITY")
            XCTAssertEqual(XMLTree.containsDeclaration(data, "DOCTYPE"), doctype)
            XCTAssertEqual(XMLTree.containsDeclaration(data, "entity"), entity)
            XCTAssertEqual(XMLTree.containsDeclaration(data, anyOf: ["DOCTYPE", "ENTITY"]), doctype || entity)
            for cut in [1, 2, 3] where data.count > cut {
                let slice = data.dropFirst(cut)
                XCTAssertEqual(XMLTree.containsDeclaration(slice, anyOf: ["DOCTYPE"]), Self.referenceContainsDeclaration(slice, "DOCTYPE"))
            }
        }
    }

    /// zlib called directly gives what ZIPFoundation's decompress gave the reader (bytes, or too big past the
    /// limit) for every deflated entry of every draft, at limits below, at and above its size; damaged and cut
    /// streams are refused as damaged, never read past.
    func testInflateEqualsZIPFoundation() throws {
        var entries = 0
        for (name, data) in MarkupStreamingTests.files(["docx"]) {
            guard ZipStructure.problem(in: data) == nil, let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else {
                continue
            }
            for entry in archive {
                guard let stored = ZipStructure.storedData(of: entry.path, in: data), stored.method == 8 else { continue }
                let bytes = data[stored.range]
                let size = Int(entry.uncompressedSize)
                for limit in [size, size - 1, size / 2, 0, 1 << 20] {
                    var old = Data()
                    struct TooBig: Error {}
                    let reference: String
                    do {
                        let crc = try Data.decompress(
                            size: Int64(bytes.count), bufferSize: 64 * 1024, skipCRC32: false,
                            provider: { position, size in
                                let start = bytes.startIndex + Int(position)
                                return Data(bytes[start..<min(bytes.endIndex, start + size)])
                            },
                            consumer: { chunk in
                                old.append(chunk)
                                if old.count > limit { throw TooBig() }
                            })
                        reference = crc == entry.checksum ? "\(Array(old))" : "damaged"
                    } catch is TooBig { reference = "too big" } catch { reference = "damaged" }
                    let new: String
                    do {
                        new =
                            "\(Array(try bytes.withUnsafeBytes { try ZipStructure.inflate($0, expectedSize: size, limit: limit, crc: entry.checksum) }))"
                    } catch ZipStructure.InflateFailure.tooBig { new = "too big" } catch { new = "damaged" }
                    XCTAssertEqual(new, reference, "\(name) \(entry.path) limit \(limit)")
                }
                // A wrong CRC, a cut stream, damaged bytes and a lying size.
                XCTAssertThrowsError(
                    try bytes.withUnsafeBytes { try ZipStructure.inflate($0, expectedSize: size, limit: 1 << 20, crc: entry.checksum ^ 1) })
                for cut in [0, 1, bytes.count / 2, bytes.count - 1] {
                    XCTAssertThrowsError(
                        try Data(bytes.prefix(cut)).withUnsafeBytes {
                            try ZipStructure.inflate($0, expectedSize: size, limit: 1 << 20, crc: entry.checksum)
                        })
                }
                var damaged = Data(bytes)
                damaged[damaged.count / 3] ^= 0xFF
                if let out = try? damaged.withUnsafeBytes({
                    try ZipStructure.inflate($0, expectedSize: size, limit: 1 << 20, crc: entry.checksum)
                }) {
                    XCTAssertEqual(out.count, size, "a damaged stream got through only with the right CRC")
                }
                for lie in [0, 1, size * 100] {
                    XCTAssertEqual(
                        try bytes.withUnsafeBytes { try ZipStructure.inflate($0, expectedSize: lie, limit: 1 << 20, crc: entry.checksum) }
                            .count, size)
                }
                entries += 1
            }
        }
        XCTAssertGreaterThan(entries, 100)
        // A bomb: a megabyte of zeros is too big for a small limit whatever its header says.
        let zeros = try FormatFixtures.zip([("word/document.xml", Data(count: 1 << 20))])
        let archive = try Archive(data: zeros, accessMode: .read)
        let entry = try XCTUnwrap(archive["word/document.xml"])
        if let stored = ZipStructure.storedData(of: entry.path, in: zeros), stored.method == 8 {
            XCTAssertThrowsError(
                try zeros[stored.range].withUnsafeBytes {
                    try ZipStructure.inflate($0, expectedSize: 10, limit: 100_000, crc: entry.checksum)
                }
            ) {
                XCTAssertEqual($0 as? ZipStructure.InflateFailure, .tooBig)
            }
        }
    }

    /// List numbering fills `%1`…`%9` with its own scan; on level texts made of percent signs, digits, letters,
    /// ideographs and combining marks it gives what Foundation's `replacingOccurrences` gave, for every level.
    func testNumberingPlaceholdersEqualReplacingOccurrences() {
        let pieces = ["%", "%%", "1", "2", "9", "%1", "%2", "、", "（", "）", ".", "a", "\u{301}", "一", " ", "%1\u{301}"]
        var rng = SystemRandomNumberGenerator()
        var texts = ["", "%1", "%1.", "%1.%2", "（%1）", "%%1", "%1%1", "第%1章", "%12", "%", "1%"]
        for _ in 0..<3000 {
            texts.append((0..<Int.random(in: 1...7, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var replaced = 0
        for text in texts {
            for level in 1...9 {
                for value in ["3", "十二", "", "%1", "b"] {
                    let expected = text.replacingOccurrences(of: "%\(level)", with: value)
                    XCTAssertEqual(
                        ListNumberer.replacing(placeholder: Character("\(level)"), in: text, with: value), expected,
                        "level \(level) in \(text.unicodeScalars.map { String($0.value, radix: 16) }) with \(value)")
                    if expected != text { replaced += 1 }
                }
            }
        }
        XCTAssertGreaterThan(replaced, 1000)
    }
}

/// The tree walk over numbering.xml the streamed reading (`ListNumberingReading`) replaced, as it was.
extension ListNumberer {
    static func fromTree(_ numbering: XMLNode?) -> ListNumberer {
        guard let numbering else { return ListNumberer() }
        var levels: [String: [Int: Level]] = [:]
        var abstractOf: [String: String] = [:]
        func value(_ n: XMLNode?, _ name: String) -> String? { n?.attribute(name, html: false) }
        for a in numbering.all("abstractNum") {
            guard let id = value(a, "abstractNumId") else { continue }
            var ls: [Int: Level] = [:]
            for l in a.all("lvl") {
                guard let i = value(l, "ilvl").flatMap(Int.init), (0...8).contains(i) else { continue }
                let start = value(l.first("start"), "val").flatMap(Int.init) ?? 1
                ls[i] = Level(
                    format: value(l.first("numFmt"), "val") ?? "decimal",
                    text: value(l.first("lvlText"), "val") ?? "",
                    start: (0...100_000).contains(start) ? start : 1)
            }
            levels[id] = ls
        }
        for n in numbering.all("num") {
            if let id = value(n, "numId"), let a = value(n.first("abstractNumId"), "val") { abstractOf[id] = a }
        }
        return ListNumberer(levels: levels, abstractOf: abstractOf)
    }
}

/// The DOCX tree walk the streamed reading replaced, as it was (the reference MarkupFastPath2Tests and
/// MarkupStreamingTests compare with).
extension DocxReader {
    func linearise(document: XMLDocument, numbering: XMLDocument?, path: String) throws -> ([SourceLine], [Origin]) {
        guard let body = document.root.first("body") else {
            throw ReaderError.corrupt(path: path, detail: "word/document.xml has no document body")
        }
        var lines: [SourceLine] = []
        var origins: [Origin] = []
        var paragraphNo = 0, tableNo = 0
        let numberer = ListNumberer.fromTree(numbering?.root)
        var overBudget = false
        func add(_ text: String, _ origin: Origin) {
            if lines.count >= budget.maxLines { overBudget = true; return }
            lines.append(SourceLine(number: lines.count + 1, text: text))
            origins.append(origin)
        }
        func block(_ node: XMLNode) {
            if node.isElement(named: "p") {
                paragraphNo += 1
                add(numberer.prefix(for: node) + Self.paragraphText(node), .paragraph(paragraphNo))
            } else if node.isElement(named: "tbl") {
                tableNo += 1
                var rowNo = 0
                for tr in node.children where tr.isElement(named: "tr") {
                    rowNo += 1
                    // The row's cells in order, those inside content controls (`sdt`) in their place.
                    var texts: [String] = []
                    for c in tr.children {
                        if c.isElement(named: "tc") {
                            texts.append(Self.cellText(c))
                        } else if c.isElement(named: "sdt"), let content = c.first("sdtContent") {
                            for tc in content.children where tc.isElement(named: "tc") { texts.append(Self.cellText(tc)) }
                        }
                    }
                    add(texts.joined(separator: "\t"), .tableRow(table: tableNo, row: rowNo))
                }
            } else if node.isElement(named: "sdt") {
                node.first("sdtContent")?.children.forEach(block)
            }
        }
        body.children.forEach(block)
        if overBudget {
            throw budget.refusal(
                path, "word/document.xml has more than \(budget.maxLines) paragraphs and table rows", limit: budget.maxLines,
                unit: "paragraphs and rows")
        }
        return (lines, origins)
    }

    /// A table cell's text: its paragraphs and nested tables joined with spaces, tabs made spaces.
    static func cellText(_ tc: XMLNode) -> String {
        // A vertically merged continuation cell is empty in the grid; its text is in the first cell.
        if let m = tc.first("tcPr")?.first("vMerge"), (m.attribute("val", html: false) ?? "continue") == "continue" { return "" }
        var text = ""
        var first = true
        for c in tc.children {
            let isParagraph = c.isElement(named: "p")
            guard isParagraph || c.isElement(named: "tbl") else { continue }
            if !first { text += " " }
            first = false
            text += isParagraph ? paragraphText(c) : c.allText
        }
        // A tab is a character of its own: without one there is nothing to replace.
        return text.utf8.contains(0x09) ? text.replacingOccurrences(of: "\t", with: " ") : text
    }

    /// A paragraph's text: runs joined, tracked insertions kept, deletions and field codes left out.
    static func paragraphText(_ p: XMLNode) -> String {
        var out = ""
        func walk(_ n: XMLNode) {
            guard n.isElement else { return }  // text outside a `t` element is not document text
            if n.isElement(named: "t") {
                out += n.allText
            } else if n.isElement(named: "tab") || n.isElement(named: "br") || n.isElement(named: "cr") {
                out += " "
            } else if !Self.paragraphTextSkipped.contains(where: { n.isElement(named: $0) }) {
                n.children.forEach(walk)
            }
        }
        p.children.forEach(walk)
        return out
    }

    /// Elements whose text is not the paragraph's: tracked deletions, field codes, references, properties.
    static let paragraphTextSkipped: [StaticString] = [
        "del", "delText", "instrText", "commentReference", "footnoteReference", "endnoteReference", "pPr", "rPr",
    ]
}

extension ListNumberer {
    /// The numbering text for a paragraph node, as the tree walk read it.
    func prefix(for p: XMLNode) -> String {
        guard let numPr = p.first("pPr")?.first("numPr") else { return "" }
        return prefix(numId: numPr.first("numId")?.attribute("val", html: false), ilvl: numPr.first("ilvl")?.attribute("val", html: false))
    }
}

extension HTMLTag {
    /// The name table built from the reader's tag sets: what `byKey` writes out (only this test builds it).
    static func byKeyFromSets() -> [(key: Key, tag: HTMLTag)] {
        let names = HTMLReader.skipTags.union(HTMLReader.blockTags).union(Lineariser.layoutTags).union(["br", "table", "tr", "td", "th"])
        return names.filter { $0.utf8.count <= 16 && $0.utf8.allSatisfy { $0 < 0x80 } }
            .map { (key: key($0.utf8), tag: named($0)) }.sorted { $0.key < $1.key }
    }
}
