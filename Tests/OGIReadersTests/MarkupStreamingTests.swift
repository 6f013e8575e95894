import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest
import ZIPFoundation

@testable import OGIReaders

/// The HTML and DOCX readers walk libxml2's tree in place; they must read exactly what the readers read when they
/// copied the tree first (MarkupReferenceReaders.swift), on every page and draft the repository has, on damaged
/// and re-cased copies of them, and on generated pages and drafts (nested tables, merged cells, entities,
/// encodings, tracked changes, list numbering).
final class MarkupStreamingTests: XCTestCase {
    static let folders = ["samples", "samples/broken", "samples/previous", "samples/rollup"]

    static func files(_ extensions: [String]) -> [(name: String, data: Data)] {
        var out: [(String, Data)] = []
        for d in folders.map(Repo.path) {
            for n in (try? FileManager.default.contentsOfDirectory(atPath: d).sorted()) ?? []
            where extensions.contains((n as NSString).pathExtension.lowercased()) {
                let p = (d as NSString).appendingPathComponent(n)
                if let data = FileManager.default.contents(atPath: p) { out.append((p, data)) }
            }
        }
        return out
    }

    static let sharedContext = try! ReaderContext(templates: Repo.linter.ruleSet.templates)
    var context: ReaderContext { Self.sharedContext }

    // MARK: HTML

    /// Budgets: the default, and one small enough that tables go over the cell limit and pages over the line limit.
    static var budgets: [ReadBudget] {
        var small = ReadBudget()
        small.maxTableCells = 40
        small.maxLines = 30
        small.maxSpan = 3
        return [ReadBudget(), small]
    }

    func assertSameHTMLReading(_ page: Data, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let utf8 = try? HTMLReader.decode(page, path: name), let document = try? XMLTree.parseHTML(utf8) else { return }
        for budget in Self.budgets {
            let reader = HTMLReader(context: context, budget: budget)
            let r = reader.bodyReading(document.root)
            let streamed = ReferenceHTMLReading.Result(
                lines: r.lines, overCells: r.overCells,
                content: r.content == r.body ? nil : ["\(r.content.line)", r.content.lowercasedName],
                pageLines: reader.pageLines(r.body).lines, metaDate: HTMLReader.metaDate(document.root).map { "\($0.0) \($0.1)" })
            let copied = ReferenceHTMLReading(ctx: context, budget: budget).read(ReferenceNode.copy(document.root.ptr, html: true))
            XCTAssertEqual(streamed, copied, "\(name) (max \(budget.maxTableCells) cells)", file: file, line: line)
        }
    }

    /// The repository's pages, and variants of each: tags and attributes in upper case, end tags of cells, rows
    /// and paragraphs left out (libxml2 repairs them), and cut off at several points.
    func testHTMLReadingEqualsTheCopiedTreeOnEveryPage() throws {
        let pages = Self.files(["html", "htm"])
        XCTAssertGreaterThanOrEqual(pages.count, 70)
        for (name, data) in pages {
            try assertSameHTMLReading(data, name)
            guard let text = try? TextDecoding.decode(data, path: name).0 else { continue }
            let upper = Self.mapTags(text) { $0.uppercased() }
            let mixed = Self.mapTags(text) { s in
                String(s.enumerated().flatMap { $0.offset % 2 == 0 ? Array($0.element.uppercased()) : [$0.element] })
            }
            let unclosed = text.replacingOccurrences(of: #"</(td|tr|p|th|li)>"#, with: "", options: .regularExpression)
            for (variant, t) in [("upper", upper), ("mixed", mixed), ("unclosed", unclosed)] {
                try assertSameHTMLReading(Data(t.utf8), "\(name) \(variant)")
            }
            let bytes = Data(text.utf8)
            for k in 1...6 {
                try assertSameHTMLReading(bytes.prefix(bytes.count * k / 7), "\(name) cut \(k)/7")
            }
        }
    }

    /// `text` with every tag (name and attributes, not attribute values in quotes) mapped.
    static func mapTags(_ text: String, _ f: (String) -> String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            rest = rest[open...]
            let close = rest.firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[..<close]
            var mapped = ""
            var inQuote: Character?
            var plain = ""
            for c in tag {
                if let q = inQuote {
                    mapped.append(c)
                    if c == q { inQuote = nil }
                } else if c == "\"" || c == "'" {
                    mapped += f(plain); plain = ""
                    mapped.append(c)
                    inQuote = c
                } else {
                    plain.append(c)
                }
            }
            mapped += f(plain)
            out += mapped
            rest = rest[close...]
        }
        return out + rest
    }

    static let generatedPages: [String] = {
        let heads = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
        let paragraphs = heads.map { "<p>\($0)</p><p>正文。</p>" }.joined()
        return [
            // Nested tables: a layout table whose cell holds the report and a data table; a data table inside a data cell.
            "<html><body><table><tr><td>菜单</td><td>\(paragraphs)<table><tr><td rowspan=\"2\">规章</td><td>1</td></tr><tr><td>2</td></tr></table></td></tr></table></body></html>",
            "<html><body>\(paragraphs)<table><tr><td>外<table><tr><td>内1</td><td>内2</td></tr></table></td><td>3</td></tr></table></body></html>",
            // Merged cells: spans of every kind, nonsense values, spans past the table's end, duplicated attributes.
            "<body>\(paragraphs)<table><tr><th colspan=\"2\">项目</th><th ROWSPAN=\"3\">合计</th></tr><tr><td rowspan=\"abc\">a</td><td colspan=\"-1\">b</td></tr>"
                + "<tr><td rowspan=\"0\" colspan=\"0\">c</td><td rowspan=\"99\">d</td></tr><tr><td colspan=\"5000\">e</td><td rowSpan=\"2\" rowspan=\"3\">f</td></tr>"
                + "<tr><td colspan=\"2\" rowspan=\"2\">g</td></tr><tr><td>h\ti</td></tr></table></body>",
            // Entities, white space and line breaks inside cells and paragraphs.
            "<body>\(paragraphs)<p>&nbsp;&#12288;一、总体情况&amp;&lt;x&gt;</p><table><tr><td>&#x4E00;<br>二\n三</td><td>&nbsp;4&nbsp;</td></tr></table></body>",
            // Meta dates in every place and spelling.
            "<html><head><META NAME=\"PubDate\" CONTENT=\"2021-03-05 08:58\"><meta property=\"article:published_time\" content=\"2020-01-02\"></head><body>\(paragraphs)</body></html>",
            "<html><head><meta name=\"keywords\" content=\"2021-01-01\"><meta itemprop=\"publishDate\" content=\"2022年3月4日\"></head><body>\(paragraphs)</body></html>",
            "<html><head><meta name=\"pubdate\" content=\"2021-02-30\"></head><body><meta name=\"PubDate\" content=\"2021/5/6\">\(paragraphs)</body></html>",
            "<html><head></head><body><div>发布时间：2022-03-01</div><div id=\"zoom\">\(paragraphs)</div><div>网站标识码</div></body></html>",
            // Skipped elements, comments, CDATA and processing instructions among the text.
            "<body><script>一、总体情况</script><style>p{}</style><noscript>二、主动公开</noscript><!-- 三、收到 -->\(paragraphs)<![CDATA[五、x]]><?pi 六?><select><option>x</option></select></body>",
            // No body, no html, only text; an empty document; a fragment of a table.
            "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>",
            "just text, 一、总体情况",
            "<td>1</td><td rowspan=2>2</td><tr><td>3",
            // Headings split across elements and numbered in other ways; deeper blocks tying the count.
            "<body><div><div><h3>一、<span>总体情况</span></h3><p>（二）主动公开政府信息情况</p><p>３．收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p></div></div><div><p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p></div></body>",
            // Odd names: upper case, unknown elements, names with digits and dashes.
            "<BODY><DIV><H1>示例市2023年政府信息公开工作年度报告</H1></DIV><X-REPORT>\(paragraphs)<TABLE><TR><TD>1</TD><TH>2</TH></TR></TABLE></X-REPORT></BODY>",
        ]
    }()

    func testHTMLReadingEqualsTheCopiedTreeOnGeneratedPages() throws {
        for (i, page) in Self.generatedPages.enumerated() {
            try assertSameHTMLReading(Data(page.utf8), "generated \(i)")
            // The same page declared as GBK and saved that way, and as UTF-16 with a byte-order mark.
            let declared = "<html><head><meta charset=\"gbk\"></head>" + page
            if let gbk = try ReaderTests.gb18030(declared) { try assertSameHTMLReading(gbk, "generated \(i) gbk") }
            var utf16 = Data([0xFF, 0xFE])
            utf16.append(page.data(using: .utf16LittleEndian)!)
            try assertSameHTMLReading(utf16, "generated \(i) utf-16")
        }
    }

    /// The heading shortcuts give what reading every text in full gives, on every text of every page and on
    /// tricky text (combining marks, compatibility ideographs, full-width numbering, white space of all kinds).
    func testHeadingScanShortcutsEqualTheFullReading() throws {
        let numerals = context.templates.profile.partNumerals
        let headings = context.templates.profile.parts.map { $0.headings.map(LabelText.normalize) }
        let scan = HeadingScan(numerals: numerals, headings: headings)
        XCTAssertNotNil(scan.numberingStarts, "the profile's numerals are plain scalars")
        XCTAssertTrue(scan.plainHeadings)
        var texts = [
            "", " ", "\u{3000}", "一、总体情况", "（一）主动公开", "(一)", "１．收到", "1.", "12、", "\u{3000}二、主动公开", "一\u{301}、总体情况",
            "\u{F9B2}、总体", "零、", "〇、", "十一、", "百", "a一、", "“一、", "\u{FEFF}三、", "\u{A0}四、", "五\u{200D}、", "Ａ、", "（", "(", "①", "Ⅰ、",
            "一、总体情况\u{301}", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "\r\n一、",
        ]
        for (name, data) in Self.files(["html", "htm"]) {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let document = try? XMLTree.parseHTML(utf8) else { continue }
            func collect(_ n: XMLNode) {
                for c in n.children { if let t = c.text { texts.append(t) } else { collect(c) } }
            }
            collect(document.root)
        }
        XCTAssertGreaterThan(texts.count, 1000)
        for t in texts {
            let norm = LabelText.normalize(t)
            let bare = LabelText.stripNumbering(norm, numerals: numerals)
            if !scan.mayBeNumbered(t) { XCTAssertEqual(bare, norm, t.debugDescription) }
            let plain = bare.unicodeScalars.allSatisfy(FastText.isPlainScalar)
            for h in headings.joined() + ["", "一", "总体情况\u{301}", "\u{F9B2}"] {
                let hPlain = plain && h.unicodeScalars.allSatisfy(FastText.isPlainScalar)
                XCTAssertEqual(HeadingScan.hasPrefix(bare, h, plain: hPlain), bare.hasPrefix(h), "\(bare.debugDescription) \(h)")
            }
        }
    }

    // MARK: DOCX

    func assertSameDocxReading(document: Data, numbering: Data?, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let doc = try? XMLTree.parseXML(document) else { return XCTFail("\(name) is not well-formed", file: file, line: line) }
        let num = numbering.flatMap { try? XMLTree.parseXML($0) }
        for budget in [
            ReadBudget(),
            {
                var b = ReadBudget(); b.maxLines = 20; return b
            }(),
        ] {
            let streamed = try? DocxReader(context: context, budget: budget).linearise(document: doc, numbering: num, path: name)
            let copied = ReferenceDocxReading(budget: budget).linearise(
                document: ReferenceNode.copy(doc.root.ptr, html: false), numbering: num.map { ReferenceNode.copy($0.root.ptr, html: false) }
            )
            XCTAssertEqual(streamed?.0.map(\.text), copied?.0, name, file: file, line: line)
            XCTAssertEqual(streamed?.1, copied?.1, name, file: file, line: line)
        }
    }

    /// Every draft in the repository: its document and numbering parts as the reader unpacks them.
    func testDocxReadingEqualsTheCopiedTreeOnEveryDraft() throws {
        let drafts = Self.files(["docx"])
        XCTAssertGreaterThanOrEqual(drafts.count, 70)
        let reader = DocxReader(context: context)
        var read = 0
        for (name, data) in drafts {
            guard ZipStructure.problem(in: data) == nil, let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil),
                let entry = archive["word/document.xml"],
                let document = try? reader.partData(.archive(archive, entry), zipData: data, path: name),
                (try? XMLTree.parseXML(document)) != nil
            else { continue }
            let numbering = archive["word/numbering.xml"].flatMap { try? reader.partData(.archive(archive, $0), zipData: data, path: name) }
            assertSameDocxReading(document: document, numbering: numbering, name)
            read += 1
        }
        XCTAssertGreaterThanOrEqual(read, 70)
    }

    static let numbering = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:x="urn:x">
        <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:numFmt w:val="lowerLetter" x:val="bullet"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
        <w:lvl w:ilvl="9"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="x"/></w:abstractNum>
        <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="999999"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
        </w:numbering>
        """

    static func docx(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:x="urn:x"><w:body>\(body)</w:body></w:document>
        """
    }

    static func numbered(_ text: String, num: Int, level: Int) -> String {
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"\(num)\"/></w:numPr></w:pPr><w:r><w:t>\(text)</w:t></w:r></w:p>"
    }

    static let generatedDrafts: [String] = [
        // List numbering at several levels, restarted, bullets, unknown lists, levels out of range.
        docx(
            numbered("总体情况", num: 1, level: 0) + numbered("主动公开", num: 1, level: 1) + numbered("细目", num: 1, level: 2)
                + numbered("再一项", num: 1, level: 1) + numbered("依申请公开", num: 1, level: 0) + numbered("下级", num: 1, level: 1)
                + numbered("要点", num: 2, level: 0) + numbered("未知", num: 3, level: 0) + numbered("越界", num: 1, level: 12)
                + numbered("零", num: 0, level: 0)
                + "<w:p><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>无级别</w:t></w:r></w:p>"),
        // Tracked changes, field codes, tabs and breaks, text outside runs, CDATA and entities in text.
        docx(
            "<w:p><w:r><w:t xml:space=\"preserve\">本报告 </w:t></w:r><w:del><w:r><w:delText>旧稿</w:delText></w:r></w:del><w:ins><w:r><w:t>新稿</w:t></w:r></w:ins>"
                + "<w:r><w:instrText> PAGE </w:instrText><w:tab/><w:t>a&amp;b&#x4E00;</w:t><w:br/><w:cr/><w:t><![CDATA[<c>]]></w:t></w:r>游离文字"
                + "<w:r><w:rPr><w:t>格式</w:t></w:rPr><w:commentReference/><w:footnoteReference/><w:t>尾</w:t></w:r><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>"
        ),
        // Tables: merged cells down (restart, continue, no value), cells in content controls, nested tables, tabs in cells.
        docx(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>不予公开</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>"
                + "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p><w:p><w:r><w:t>二段</w:t></w:r></w:p></w:tc></w:tr>"
                + "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"continue\" x:val=\"restart\"/></w:tcPr></w:tc><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt></w:tr>"
                + "<w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>a</w:t><w:tab/><w:t>b\tc</w:t></w:r></w:p></w:tc><w:sdt/></w:tr>"
                + "<w:tblPr/></w:tbl><w:sdt><w:sdtContent><w:p><w:r><w:t>控件段落</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
                + "<w:sectPr/>"),
        // Many paragraphs and rows: over the small budget.
        docx(String(repeating: "<w:p><w:r><w:t>段</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>", count: 15)),
        // Elements named like Word's in another namespace or with other case; no body.
        docx("<x:p><x:r><x:t>他空间</x:t></x:r></x:p><w:P><w:r><w:t>大写</w:t></w:r></w:P><w:p><w:T>x</w:T><w:r><w:t>y</w:t></w:r></w:p>"),
        "<w:document xmlns:w=\"urn:w\"><w:nobody/></w:document>",
    ]

    func testDocxReadingEqualsTheCopiedTreeOnGeneratedDrafts() {
        for (i, xml) in Self.generatedDrafts.enumerated() {
            assertSameDocxReading(document: Data(xml.utf8), numbering: Data(Self.numbering.utf8), "generated \(i)")
            assertSameDocxReading(document: Data(xml.utf8), numbering: nil, "generated \(i) without numbering")
        }
    }
}
