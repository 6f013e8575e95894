import Foundation
import OGIModel
import OGITestSupport
import XCTest
import ZIPFoundation

@testable import OGIReaders

/// The DOCX reader scans Word's plain XML itself (`DocxReaderScanner`) and leaves any other document part to
/// libxml2; where the scanner accepts a part, it must hand the lineariser exactly what libxml2's parse hands it
/// (the same lines, origins and line-budget errors), and it must accept only parts libxml2 reads as well-formed.
/// Compared on every draft the repository has, cut at many points and mutated byte by byte, pretty-printed, with
/// references, and on the generated drafts of the streaming tests.
final class DocxScannerTests: XCTestCase {
    /// The scanner's reading of a document part (lines and origins, or the error), or nil when it leaves the part
    /// to libxml2.
    static func scanned(_ document: Data, numbering: Data?, budget: ReadBudget) -> String? {
        let reader = DocxReader(context: MarkupFastPath2Tests.context, budget: budget)
        let lineariser = DocxLineariser(maxLines: budget.maxLines)
        guard let elements = DocxReaderScanner.streamCountingElements(document, into: lineariser) else { return nil }
        // The element budget is checked against the scanner's count where it accepts a part.
        XCTAssertEqual(elements, XMLTree.elementCount(document), "the scanner counts the elements the budget counts")
        do {
            let numberer = try numbering.map { data in
                var driver = XMLStreamDriver(ListNumberingReading())
                if !DocxReaderScanner.stream(data, into: driver) {
                    driver = XMLStreamDriver(ListNumberingReading())
                    try XMLTree.streamXML(data, into: driver)
                }
                return driver.withReading(\.numberer)
            }
            let (lines, origins) = try lineariser.lines(numberer: numberer ?? ListNumberer(), budget: reader.budget, path: "d.docx")
            return MarkupFastPath2Tests.describe(lines, origins)
        } catch {
            return "error: \(error)"
        }
    }

    /// A reading that hands every call to a `DocxReading` but never says it ignores an element's content, so the
    /// scanner hands it everything and scans every byte (no `IgnoredContent` is kept or compared).
    struct Unmuted: XMLStreamReading {
        var inner: DocxReading
        mutating func start(_ element: XMLStreamElement) { inner.start(element) }
        mutating func end() { inner.end() }
        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) { inner.text(bytes) }
        var ignoresContent: Bool { false }
    }

    /// The scanner's reading through `Unmuted`, or nil when it leaves the part to libxml2.
    static func scannedUnmuted(_ document: Data, budget: ReadBudget) -> String? {
        let driver = XMLStreamDriver(Unmuted(inner: DocxReading(maxLines: budget.maxLines)))
        guard DocxReaderScanner.stream(document, into: driver) else { return nil }
        do {
            let (lines, origins) = try driver.withReading { try $0.inner.lines(numberer: ListNumberer(), budget: budget, path: "d.docx") }
            return MarkupFastPath2Tests.describe(lines, origins)
        } catch {
            return "error: \(error)"
        }
    }

    /// Compares the two readings; true when the scanner accepted the part. The scanner must also accept and read
    /// the part the same when it hands the reading every call (`Unmuted`).
    @discardableResult
    func assertSame(_ document: Data, numbering: Data?, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        var accepted = false
        for budget in MarkupFastPath2Tests.budgets {
            let unmuted = Self.scannedUnmuted(document, budget: budget)
            XCTAssertEqual(
                unmuted, Self.scanned(document, numbering: nil, budget: budget), "\(name) muted and unmuted (max \(budget.maxLines) lines)",
                file: file, line: line)
            guard let s = Self.scanned(document, numbering: numbering, budget: budget) else { continue }
            accepted = true
            let parsed = MarkupFastPath2Tests.streamed(document, numbering: numbering, budget: budget)
            XCTAssertEqual(s, parsed, "\(name) (max \(budget.maxLines) lines)", file: file, line: line)
        }
        return accepted
    }

    /// The document parts of every draft in the repository.
    static func draftParts() -> [(name: String, document: Data, numbering: Data?)] {
        let reader = DocxReader(context: MarkupFastPath2Tests.context)
        return MarkupStreamingTests.files(["docx"]).compactMap { name, data in
            guard ZipStructure.problem(in: data) == nil, let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil),
                let entry = archive["word/document.xml"],
                let document = try? reader.partData(.archive(archive, entry), zipData: data, path: name)
            else { return nil }
            let numbering = archive["word/numbering.xml"].flatMap { try? reader.partData(.archive(archive, $0), zipData: data, path: name) }
            return (name, document, numbering)
        }
    }

    /// The scanner's name comparison (a word from each place, or `memcmp`) answers as the byte-by-byte one, for
    /// every pair of places and every length up to 12 in buffers of Word-like names, near the end too.
    func testNameComparisonEqualsTheByteReading() {
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        let words = ["w:rPr", "w:pPr", "w:r", "w:rFonts", "w:sectPr", "w:tcPr", "w:t", "wx:sub", "w:rPrChange", "表"]
        var compared = 0, equalPairs = 0
        for round in 0..<40 {
            var bytes: [UInt8] = []
            while bytes.count < 24 + round * 3 { bytes += Array(words[Int(next() % UInt64(words.count))].utf8) }
            bytes.withUnsafeBufferPointer { b in
                var reading = ListNumberingReading()
                withUnsafeMutablePointer(to: &reading) { r in
                    let scan = DocxReaderScanner.Scan(b.baseAddress!, count: b.count, reading: r)
                    defer { scan.deallocate() }
                    for a in 0..<b.count {
                        for c in a..<b.count {
                            for count in 0...min(12, b.count - max(a, c)) {
                                let fast = scan.equal(a, c, count: count), slow = scan.equalByBytes(a, c, count: count)
                                XCTAssertEqual(fast, slow, "\(a) \(c) \(count)")
                                if slow { equalPairs += 1 }
                                compared += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 500_000)
        XCTAssertGreaterThan(equalPairs, 10_000)
    }

    func testScannerEqualsLibxml2OnEveryDraftAndTakesThemAll() {
        let parts = Self.draftParts()
        XCTAssertGreaterThanOrEqual(parts.count, 70)
        for (name, document, numbering) in parts {
            // The drafts are what Word writes: the scanner reads every one of them.
            XCTAssertTrue(assertSame(document, numbering: numbering, name), "\(name): left to libxml2")
            // And so is each as Word saves it (CR LF after the declaration, properties and revision ids).
            let word = Data(Self.wordSaved(String(decoding: document, as: UTF8.self)).utf8)
            let wordNumbering = numbering.map { Data(Self.wordSaved(String(decoding: $0, as: UTF8.self)).utf8) }
            XCTAssertTrue(
                assertSame(word, numbering: wordNumbering, "\(name) as Word saves it"), "\(name) as Word saves it: left to libxml2")
        }
    }

    /// Every draft cut short at many points: a cut part is never accepted (its root is not closed), whatever is cut.
    func testScannerLeavesCutPartsToLibxml2() {
        for (name, document, numbering) in Self.draftParts().prefix(12) {
            for k in stride(from: 0, to: document.count, by: max(1, document.count / 97)) {
                XCTAssertFalse(assertSame(document.prefix(k), numbering: numbering, "\(name) cut at \(k)"), "\(name) cut at \(k)")
            }
        }
    }

    /// Every draft with single bytes changed at random into bytes that matter to XML: where the scanner accepts
    /// the result, libxml2 reads it the same.
    func testScannerEqualsLibxml2OnMutatedDrafts() {
        var rng = SplitMix(seed: 29)
        let replacements: [[UInt8]] = [
            [0x3C], [0x3E], [0x2F], [0x26], [0x22], [0x27], [0x3D], [0x3A], [0x20], [0x0A], [0x0D], [0x09], [0x00], [0x01],
            [0x5D, 0x5D, 0x3E], [0x80], [0xE4], [0xEF, 0xBF, 0xBE], [0x61], [0x31], [0x2D], [0x2E], [0x3F], [0x21],
            Array("&amp;".utf8), Array("&#38;".utf8), Array("&#x4E00;".utf8), Array("&#0;".utf8), Array("&nbsp;".utf8),
            Array("<!-- c -->".utf8), Array("<![CDATA[x]]>".utf8), Array(" q:a=\"1\"".utf8), Array(" xmlns:q=\"urn:q\"".utf8),
            Array(" xmlns:q=\"\"".utf8), Array(" a=\"1\" a=\"2\"".utf8), Array("<q:x/>".utf8), Array("<w:x/>".utf8),
        ]
        var accepted = 0, compared = 0
        for (name, document, numbering) in Self.draftParts().prefix(20) {
            let bytes = [UInt8](document)
            for _ in 0..<100 {
                var v = bytes
                let at = Int(rng.next() % UInt64(v.count))
                let r = replacements[Int(rng.next() % UInt64(replacements.count))]
                if rng.next() % 2 == 0 { v.replaceSubrange(at..<(at + 1), with: r) } else { v.insert(contentsOf: r, at: at) }
                if assertSame(Data(v), numbering: numbering, "\(name) mutated at \(at) with \(r)") { accepted += 1 }
                compared += 1
            }
        }
        // Some mutations land in text, where they leave a well-formed part (about one in nine).
        XCTAssertGreaterThan(accepted, compared / 20)
        XCTAssertLessThan(accepted, compared)
    }

    /// Pretty-printed drafts (white space between elements everywhere, nested tables' white space included) and
    /// drafts with their text written as references.
    func testScannerEqualsLibxml2OnRewrittenDrafts() throws {
        for (name, document, numbering) in Self.draftParts().prefix(20) {
            let text = String(decoding: document, as: UTF8.self)
            let indented = text.replacingOccurrences(of: "><", with: ">\n  <")
            XCTAssertTrue(assertSame(Data(indented.utf8), numbering: numbering, "\(name) indented"), name)
            let spaced = text.replacingOccurrences(of: "/>", with: " \t/>").replacingOccurrences(of: "=\"", with: " = \"")
            XCTAssertTrue(assertSame(Data(spaced.utf8), numbering: numbering, "\(name) spaced"), name)
            let referenced = text.replacingOccurrences(of: "情况", with: "&#24773;&#x51B5;").replacingOccurrences(
                of: "、", with: "&amp;&lt;&gt;&quot;&apos;")
            XCTAssertTrue(assertSame(Data(referenced.utf8), numbering: numbering, "\(name) referenced"), name)
            let singleQuoted = text.replacingOccurrences(of: "w:val=\"", with: "w:val='").replacingOccurrences(of: "\"/>", with: "'/>")
            assertSame(Data(singleQuoted.utf8), numbering: numbering, "\(name) single quotes")
            // Line ends written CR LF or CR alone: white space in tags, and line feeds in text.
            let crlf = indented.replacingOccurrences(of: "\n", with: "\r\n")
            XCTAssertTrue(assertSame(Data(crlf.utf8), numbering: numbering, "\(name) CRLF"), name)
            let cr = indented.replacingOccurrences(of: "\n", with: "\r")
            XCTAssertTrue(assertSame(Data(cr.utf8), numbering: numbering, "\(name) CR"), name)
            let mixed = text.replacingOccurrences(of: "><", with: ">\r\r\n\n\r<").replacingOccurrences(of: " w:", with: "\r\n w:")
            XCTAssertTrue(assertSame(Data(mixed.utf8), numbering: numbering, "\(name) mixed line ends"), name)
            let inText = text.replacingOccurrences(of: "情况", with: "情\r\n况\r").replacingOccurrences(of: "、", with: "\r&amp;\r")
            XCTAssertTrue(assertSame(Data(inText.utf8), numbering: numbering, "\(name) line ends in text"), name)
            let word = Self.wordSaved(text)
            XCTAssertTrue(
                assertSame(
                    Data(word.utf8), numbering: numbering.map { Data(Self.wordSaved(String(decoding: $0, as: UTF8.self)).utf8) },
                    "\(name) as Word saves it"), name)
        }
    }

    /// A part as Word writes it: the declaration ended with CR LF, Word's namespaces on the root, revision ids on
    /// paragraphs, runs and rows, run properties on every run (fonts, sizes, language), paragraph properties.
    static func wordSaved(_ part: String) -> String {
        var text = part
        if let end = text.range(of: "?>"), text.hasPrefix("<?xml") { text.removeSubrange(text.startIndex..<end.upperBound) }
        let namespaces =
            " xmlns:wpc=\"http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas\""
            + " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
            + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
            + " xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" mc:Ignorable=\"w14 wp14\""
        if let close = text.firstIndex(of: ">"), text[text.startIndex..<close].contains("xmlns:w=") {
            text.insert(contentsOf: namespaces, at: text[..<close].last == "/" ? text.index(before: close) : close)
        }
        let runProperties =
            "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:hAnsi=\"Times New Roman\" w:hint=\"eastAsia\"/>"
            + "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr>"
        text = text.replacingOccurrences(of: "<w:r>", with: "<w:r w:rsidRPr=\"00A1B2C3\">" + runProperties)
            .replacingOccurrences(
                of: "<w:p>",
                with: "<w:p w14:paraId=\"1A2B3C4D\" w14:textId=\"77777777\" w:rsidR=\"00D4E5F6\" w:rsidRDefault=\"00D4E5F6\">"
                    + "<w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\"/>" + runProperties
                    + "</w:pPr>"
            )
            .replacingOccurrences(of: "<w:tr>", with: "<w:tr w:rsidR=\"00A1B2C3\"><w:trPr><w:trHeight w:val=\"454\"/></w:trPr>")
            .replacingOccurrences(
                of: "<w:tc>", with: "<w:tc><w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
            )
            .replacingOccurrences(of: "<w:t>", with: "<w:proofErr w:type=\"gramStart\"/><w:t>")
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + text
    }

    /// A part as the DOCX reader unpacks it (`ZipStructure.inflate`, a NUL after it) is scanned in place, and
    /// reads the same as a copy of it, for every DOCX in the repository (samples, renderings, Word-saved ones).
    func testPartsAreScannedInPlaceAsTheirCopies() throws {
        var inPlace = 0
        for (name, data) in MarkupStreamingTests.files(["docx"]) + RenderingDocx.files() {
            guard let parts = ZipStructure.deflatedParts(in: data, document: "word/document.xml", numbering: "word/numbering.xml") else {
                continue
            }
            for part in [parts.document] + (parts.numbering.map { [$0] } ?? []) {
                let unpacked = try data[part.range].withUnsafeBytes {
                    try ZipStructure.inflate($0, expectedSize: Int(part.uncompressedSize), limit: 1 << 26, crc: part.checksum)
                }
                XCTAssertEqual(unpacked.withUnsafeBytes { $0.baseAddress!.load(fromByteOffset: $0.count, as: UInt8.self) }, 0, name)
                let copied = Data(Array(unpacked))
                for budget in MarkupFastPath2Tests.budgets {
                    let a = DocxLineariser(maxLines: budget.maxLines), b = DocxLineariser(maxLines: budget.maxLines)
                    let countA = DocxReaderScanner.streamCountingElements(unpacked, terminated: true, into: a)
                    let countB = DocxReaderScanner.streamCountingElements(copied, terminated: false, into: b)
                    XCTAssertEqual(countA, countB, name)
                    guard countA != nil else { continue }
                    inPlace += 1
                    let readA = try? a.lines(numberer: ListNumberer(), budget: budget, path: name)
                    let readB = try? b.lines(numberer: ListNumberer(), budget: budget, path: name)
                    XCTAssertEqual(
                        readA.map { MarkupFastPath2Tests.describe($0.0, $0.1) }, readB.map { MarkupFastPath2Tests.describe($0.0, $0.1) },
                        name)
                }
            }
        }
        XCTAssertGreaterThan(inPlace, 100)
    }

    /// The element budget refuses a part with one element too many, with the same error whether the scanner reads
    /// the part or leaves it to libxml2 (a comment sends it there), and lets a part with exactly as many through.
    func testTheElementBudgetIsTheSameThroughTheScannerAndLibxml2() throws {
        let parts = Self.draftParts().prefix(8)
        let wordSaved = parts.map {
            ($0.name + " as Word saves it", Data(Self.wordSaved(String(decoding: $0.document, as: UTF8.self)).utf8))
        }
        for (name, document) in parts.map({ ($0.name, $0.document) }) + wordSaved {
            let count = XMLTree.elementCount(document)
            let text = String(decoding: document, as: UTF8.self)
            let close = try XCTUnwrap(text.range(of: "<w:body>"), name)
            let commented = Data(text.replacingCharacters(in: close, with: "<w:body><!-- 注释 -->").utf8)
            XCTAssertEqual(XMLTree.elementCount(commented), count, name)
            XCTAssertTrue(assertSame(document, numbering: nil, name) && !assertSame(commented, numbering: nil, name), name)
            for limit in [count - 1, count] {
                var budget = ReadBudget()
                budget.maxElements = limit
                let reader = DocxReader(context: MarkupFastPath2Tests.context, budget: budget)
                var outcomes: [String] = []
                for part in [document, commented] {
                    do {
                        let driver = try reader.stream(
                            DocxReader.PartBytes(data: part, terminated: false), partPath: "word/document.xml", path: name
                        ) {
                            DocxReading(maxLines: budget.maxLines)
                        }
                        let (lines, _) = try driver.lines(numberer: ListNumberer(), budget: budget, path: name)
                        outcomes.append("\(lines.count) lines")
                    } catch {
                        outcomes.append("\(error)")
                    }
                }
                XCTAssertEqual(outcomes[0], outcomes[1], "\(name) with at most \(limit) elements")
                if limit < count {
                    XCTAssertTrue(outcomes[0].contains("has \(count) XML elements"), outcomes[0])
                } else {
                    XCTAssertTrue(outcomes[0].hasSuffix(" lines"), outcomes[0])
                }
            }
        }
    }

    /// Content the reading ignores is compared with content read before instead of being scanned again: never where
    /// the same bytes would not be well-formed, because they nest too deep, name a prefix no longer declared, close
    /// an element of another name, or come after the element budget is spent.
    func testIgnoredContentSeenBeforeIsReusedOnlyWhereItIsWellFormed() throws {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        func document(_ body: String) -> Data {
            Data(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document \(w)><w:body>\(body)</w:body></w:document>"
                    .utf8)
        }
        func run(_ properties: String, _ text: String) -> String { "<w:r><w:rPr>\(properties)</w:rPr><w:t>\(text)</w:t></w:r>" }
        let nested = "<w:rFonts w:ascii=\"宋体\"/><w:lang><w:x><w:y/></w:x></w:lang><w:sz w:val=\"32\"/>"
        let paragraph = "<w:p>" + run(nested, "一") + run(nested, "二") + "</w:p>"
        // Accepted: the same run properties over and over, read the same as libxml2 and as when nothing is reused.
        let repeated = document(String(repeating: paragraph, count: 30))
        XCTAssertTrue(assertSame(repeated, numbering: nil, "repeated run properties"))
        XCTAssertEqual(Self.scanned(repeated, numbering: nil, budget: ReadBudget())?.components(separatedBy: "\n").count, 30)
        // Too deep the second time: the scanner's depth limit (200) is met inside the repeated content, nested in
        // insertions the reading walks (document, body, paragraph, insertions, run, properties, then 3 levels).
        func nestedInParagraph(_ insertions: Int) -> Data {
            document(
                paragraph + "<w:p>" + String(repeating: "<w:ins>", count: insertions) + run(nested, "三")
                    + String(repeating: "</w:ins>", count: insertions) + "</w:p>")
        }
        let depth = DocxReaderScanner.maxDepth
        let deep = nestedInParagraph(depth - 7), deepEnough = nestedInParagraph(depth - 8)
        for budget in MarkupFastPath2Tests.budgets {
            XCTAssertNil(Self.scanned(deep, numbering: nil, budget: budget), "nested past the depth limit")
            XCTAssertNil(Self.scannedUnmuted(deep, budget: budget))
            XCTAssertNotNil(Self.scanned(deepEnough, numbering: nil, budget: budget), "nested to the depth limit")
        }
        XCTAssertTrue(assertSame(deepEnough, numbering: nil, "nested to the depth limit"))
        // A prefix declared around the first content and not around the second (nor on the element itself).
        let prefixed = "<w:b x:val=\"1\"/>"
        let declared = "<w:p xmlns:x=\"urn:x\">" + run(prefixed, "一") + run(prefixed, "二") + "</w:p>"
        XCTAssertTrue(assertSame(document(declared + declared), numbering: nil, "declared each time"))
        XCTAssertNil(Self.scanned(document(declared + "<w:p>" + run(prefixed, "三") + "</w:p>"), numbering: nil, budget: ReadBudget()))
        let onElement = "<w:p><w:r><w:rPr xmlns:x=\"urn:x\">\(prefixed)</w:rPr><w:t>一</w:t></w:r>" + run(prefixed, "二") + "</w:p>"
        XCTAssertNil(Self.scanned(document(onElement), numbering: nil, budget: ReadBudget()))
        // The same content after a start tag of another name: its end tag does not close that element.
        let otherName = "<w:p>" + run(nested, "一") + "<w:r><w:tab>\(nested)</w:rPr><w:t>二</w:t></w:r></w:p>"
        XCTAssertNil(Self.scanned(document(otherName), numbering: nil, budget: ReadBudget()))
        // The element budget: spent exactly, and one short, inside repeated content that ends the document's start
        // tags (run properties after the text).
        let last = document(String(repeating: "<w:p><w:r><w:t>一</w:t><w:rPr>\(nested)</w:rPr></w:r></w:p>", count: 30))
        XCTAssertTrue(assertSame(last, numbering: nil, "run properties last"))
        let count = XMLTree.elementCount(last)
        for limit in [count - 1, count, count - 7] {
            let counted = DocxReaderScanner.streamCountingElements(last, into: DocxLineariser(maxLines: 2_000), maxElements: limit)
            XCTAssertEqual(counted, limit >= count ? count : nil, "at most \(limit) elements")
            var budget = ReadBudget()
            budget.maxElements = limit
            let reader = DocxReader(context: MarkupFastPath2Tests.context, budget: budget)
            let outcome: String
            do {
                let driver = try reader.stream(
                    DocxReader.PartBytes(data: last, terminated: false), partPath: "word/document.xml", path: "d.docx"
                ) {
                    DocxReading(maxLines: budget.maxLines)
                }
                outcome = "\(try driver.lines(numberer: ListNumberer(), budget: budget, path: "d.docx").0.count) lines"
            } catch {
                outcome = "\(error)"
            }
            XCTAssertEqual(outcome.hasSuffix(" lines"), limit >= count, outcome)
            XCTAssertEqual(outcome.contains("has \(count) XML elements"), limit < count, outcome)
        }
    }

    /// Attribute values with references, tabs and line ends are read by the scanner, handed over as libxml2 rewrites
    /// them (compared with libxml2 by `assertSame`); an unknown or non-character reference, and any of these in
    /// a namespace declaration, leave the part to libxml2.
    func testAttributeValuesWithReferencesAndLineEndsAreRead() {
        let read = Self.generatedDrafts.filter { $0.contains("属性值") }
        XCTAssertEqual(read.count, 4)
        for xml in read { XCTAssertTrue(assertSame(Data(xml.utf8), numbering: nil, xml), xml) }
        let left = Self.generatedDrafts.filter { xml in ["&nbsp;", "&#0;", "声明引用", "声明换行"].contains { xml.contains($0) } }
        XCTAssertEqual(left.count, 4)
        for xml in left { XCTAssertNil(Self.scanned(Data(xml.utf8), numbering: nil, budget: ReadBudget()), xml) }
        // A list whose level text holds references, a tab and a line end: read into the paragraph's numbering.
        let numbering =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:numbering xmlns:w=\"urn:w\">"
            + "<w:abstractNum w:abstractNumId=\"&#48;\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
            + "<w:lvlText w:val=\"第%1&amp;&#12289;&amp;#38;\r\n&lt;\t\"/></w:lvl></w:abstractNum>"
            + "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
        let driver = XMLStreamDriver(ListNumberingReading())
        XCTAssertTrue(DocxReaderScanner.stream(Data(numbering.utf8), into: driver), "the scanner reads the list")
        let document =
            "<w:document xmlns:w=\"urn:w\"><w:body>" + MarkupStreamingTests.numbered("标题", num: 1, level: 0) + "</w:body></w:document>"
        XCTAssertTrue(assertSame(Data(document.utf8), numbering: Data(numbering.utf8), "a list with references"))
        XCTAssertEqual(
            Self.scanned(Data(document.utf8), numbering: Data(numbering.utf8), budget: ReadBudget())?.hasSuffix("|第一&、&#38; < 标题"), true,
            Self.scanned(Data(document.utf8), numbering: Data(numbering.utf8), budget: ReadBudget()) ?? "")
    }

    func testScannerEqualsLibxml2OnGeneratedDrafts() {
        let numbering = Data(MarkupStreamingTests.numbering.utf8)
        // Numbering whose values hold references and line ends (level texts are read into the lines).
        let referenced = Data(
            MarkupStreamingTests.numbering.replacingOccurrences(of: "\"%1、\"", with: "\"第%1&amp;&#12289;\r\n&lt;\t\"")
                .replacingOccurrences(of: "w:abstractNumId=\"0\"", with: "w:abstractNumId=\"&#48;\"").utf8)
        var accepted = 0
        let drafts = MarkupStreamingTests.generatedDrafts + MarkupFastPath2Tests.generatedDrafts + Self.generatedDrafts
        for (i, xml) in drafts.enumerated() {
            if assertSame(Data(xml.utf8), numbering: numbering, "generated \(i)") { accepted += 1 }
            assertSame(Data(xml.utf8), numbering: nil, "generated \(i) without numbering")
            assertSame(Data(xml.utf8), numbering: referenced, "generated \(i) with referenced numbering")
        }
        XCTAssertGreaterThan(accepted, 10)
    }

    /// A draft written from a text: a paragraph per line, a table row per line with tabs, text escaped.
    static func draft(fromLines lines: [String]) -> String {
        func escaped(_ s: String) -> String {
            // Control characters are no XML characters: a draft cannot hold them.
            let s = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" }))
            return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
                of: ">", with: "&gt;")
        }
        func paragraph(_ s: String) -> String { "<w:p><w:r><w:t xml:space=\"preserve\">\(escaped(s))</w:t></w:r></w:p>" }
        var body = ""
        var inTable = false
        for line in lines {
            if line.contains("\t") {
                if !inTable { body += "<w:tbl>" }
                inTable = true
                body +=
                    "<w:tr>"
                    + line.split(separator: "\t", omittingEmptySubsequences: false).map { "<w:tc>\(paragraph(String($0)))</w:tc>" }.joined()
                    + "</w:tr>"
            } else {
                if inTable { body += "</w:tbl>" }
                inTable = false
                body += paragraph(line)
            }
        }
        if inTable { body += "</w:tbl>" }
        return docx(body)
    }

    /// Drafts made from the text samples and the corpus, as written and in traditional characters, with the
    /// title moved after the first table and the lines reversed: every one is scanned, as libxml2 reads it.
    func testScannerEqualsLibxml2OnDraftsMadeFromTexts() throws {
        var paths = ["samples/clean-2019-department.txt", "samples/clean-2021-government.txt"].map(Repo.path)
        paths += (try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples/previous"))).filter { $0.hasSuffix(".txt") }
            .sorted().map { Repo.path("samples/previous/\($0)") }
        if let shared = Repo.shared {
            let corpus = (shared as NSString).appendingPathComponent("corpus")
            paths += (try FileManager.default.contentsOfDirectory(atPath: corpus)).filter { $0.hasSuffix(".txt") }.sorted()
                .map { (corpus as NSString).appendingPathComponent($0) }
        }
        var compared = 0
        for path in paths {
            let (text, _) = try TextDecoding.decode(Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            let lines = text.components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\r", with: "") }
            let hant = lines.map { $0.applyingTransform(StringTransform("Hans-Hant"), reverse: false) ?? $0 }
            var moved = lines
            if let table = moved.firstIndex(where: { $0.contains("\t") }), table > 0 { moved.insert(moved.removeFirst(), at: table) }
            for (what, variant) in [("as is", lines), ("traditional", hant), ("title moved", moved), ("reversed", lines.reversed())] {
                let xml = Self.draft(fromLines: variant)
                XCTAssertTrue(assertSame(Data(xml.utf8), numbering: nil, "\(path) (\(what))"), "\(path) (\(what)): left to libxml2")
                compared += 1
            }
        }
        // Every draft of every text was compared (the corpus is absent from a clean checkout; the samples alone
        // give several texts).
        XCTAssertGreaterThan(paths.count, 4)
        XCTAssertEqual(compared, 4 * paths.count)
    }

    static func docx(_ body: String) -> String { MarkupStreamingTests.docx(body) }

    /// Documents at the edges of the subset, accepted or not.
    static let generatedDrafts: [String] = [
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>无声明</w:t></w:r></w:p></w:body></w:document>",
        "\n <w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>前有空白</w:t></w:r></w:p></w:body></w:document>\n\t ",
        " <?xml version=\"1.0\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml version='1.0' encoding='utf-8'?><w:document xmlns:w='urn:w'><w:body><w:p><w:r><w:t>单引号</w:t></w:r></w:p></w:body></w:document>",
        "<?xml version=\"1.1\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml encoding=\"UTF-8\" version=\"1.0\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml version=\"1.0\"standalone=\"yes\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<?xml-stylesheet href=\"a\"?><w:document xmlns:w=\"urn:w\"><w:body/></w:document>",
        "<document><body><p><r><t>无前缀</t></r></p></body></document>",
        "<document xmlns=\"urn:w\"><body><p><r><t>默认空间</t></r></p></body></document>",
        "<document xmlns=\"\"><body><p><r><t>空默认</t></r></p></body></document>",
        "<w:document xmlns:w=\"\"><w:body/></w:document>",
        "<w:document xmlns:w=\"http://www.w3.org/XML/1998/namespace\"><w:body/></w:document>",
        "<xml:document><xml:body/></xml:document>",
        "<w:document xmlns:w=\"urn:w\" xmlns:w=\"urn:v\"><w:body/></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p xmlns:w=\"urn:v\"><w:r><w:t>重声明</w:t></w:r></w:p><v:p xmlns:v=\"urn:v\"/><v:p/></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"1\" x:val=\"2\"/></w:numPr></w:pPr></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\" xmlns:x=\"urn:x\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"1\" x:val=\"2\"/></w:numPr></w:pPr><w:r><w:t>两值</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t a=\"1\"b=\"2\">紧挨</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>a]]>b</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>a]]b]>c</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>&#x10FFFF;&#65533;&#xFFFE;</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>&#x10FFFF;&#65533;&#9;&#10;&#13;&#000065;</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>&#123456789;</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>&#x;&#;</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>\u{7F}\u{85}\u{FFFD}\u{10000}</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r ><w:t\n>换行</w:t\n></w:r ></w:p></w:body ></w:document >",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>错配</w:x></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>前缀错配</v:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document><!-- 尾注 -->",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>y",
        "<w:document xmlns:w=\"urn:w\"/>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t xml:space=\"preserve\" xml:lang=\"zh\">  两端空白  </w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t xml:space=\"keep\">坏值</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t w:a-b.c_d=\"1\" _x=\"2\">名字</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t a:b:c=\"1\">双冒号</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>" + String(repeating: "长", count: 400_000)
            + "</w:t></w:r></w:p></w:body></w:document>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document\r\nxmlns:w=\"urn:w\"\r><w:body\r\n><w:p><w:r><w:t>回车\r</w:t\r\n></w:r></w:p></w:body></w:document\r>\r\n\r",
        "<?xml\rversion=\"1.0\"\r\nencoding=\"UTF-8\"\r?>\r<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>\r\r\n\n\r&#13;\r&amp;\r</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>\r\n" + String(repeating: "行\r\n", count: 2_000)
            + "</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"1\r\n\"/></w:numPr></w:pPr><w:r><w:t>值里回车</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>\r]]>\r</w:t></w:r></w:p></w:body></w:document>",
        // The default namespace declared twice on one element (libxml2: "Attribute xmlns redefined"), found by a
        // differential fuzzer; once on each of two elements is well-formed.
        "<?xml version='1.0' standalone=\"no\"?><a xmlns=\"\" xmlns=\"\"></a>",
        "<?xml version=\"1.0\" standalone=\"no\"?><p:b a=\"\" xmlns:p='a'><p:b xmlns=\"\" xmlns=\"\">惠</p:b></p:b>",
        "<w:document xmlns:w=\"urn:w\" xmlns=\"urn:d\"><w:body xmlns=\"urn:e\"><w:p><w:r><w:t>默认两次</w:t></w:r></w:p></w:body></w:document>",
        // Attribute values with references and line ends, as the reader reads them (numbering ids, merges).
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"&#48;\"/><w:numId w:val=\"&#x31;\"/></w:numPr></w:pPr><w:r><w:t>属性值一</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1&amp;2\"/></w:numPr></w:pPr><w:r><w:t>属性值二</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"\t1\r\n2\r3\n&#13;&#10;&#9;&#38;&#x26;&lt;&gt;&quot;&apos;'\"/></w:numPr></w:pPr><w:r><w:t>属性值三</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"&#x63;ontinue\"/></w:tcPr><w:p><w:r><w:t>属性值四</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge w:val='re&#115;tart' w:x=\"&amp;&amp;\"/></w:tcPr><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"&nbsp;\"/></w:numPr></w:pPr></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:pPr><w:numPr><w:numId w:val=\"&#0;\"/></w:numPr></w:pPr></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\" xmlns:x=\"urn:&#120;\"><w:body><w:p x:a=\"1\"><w:r><w:t>声明引用</w:t></w:r></w:p></w:body></w:document>",
        "<w:document xmlns:w=\"urn:w\" xmlns:x=\"urn:\r\nx\"><w:body><w:p x:a=\"1\"><w:r><w:t>声明换行</w:t></w:r></w:p></w:body></w:document>",
        docx(String(repeating: "<w:ins>", count: 199) + "<w:p><w:r><w:t>深层</w:t></w:r></w:p>" + String(repeating: "</w:ins>", count: 199)),
        docx(String(repeating: "<w:ins>", count: 260) + "<w:p><w:r><w:t>过深</w:t></w:r></w:p>" + String(repeating: "</w:ins>", count: 260)),
    ]
}

/// The DOCX renderings (samples/renderings/*.docx: the samples as Word saves them).
enum RenderingDocx {
    static func files() -> [(name: String, data: Data)] {
        let dir = Repo.path("samples/renderings")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".docx") }.sorted().compactMap {
            n in
            FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(n)).map { (n, $0) }
        }
    }
}
