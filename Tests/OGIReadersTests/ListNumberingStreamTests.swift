import Foundation
import XCTest

@testable import OGIReaders

/// `ListNumberingReading` reads numbering.xml as it streams, without libxml2's tree (so a DOCX whose parts the
/// scanner reads never loads libxml2). Its lists must be exactly what the tree walk it replaced
/// (`ListNumberer.fromTree`) read, through the scanner and through libxml2's stream alike.
final class ListNumberingStreamTests: XCTestCase {
    private static let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

    /// The lists read three ways: the tree walk, libxml2's stream, the scanner (nil when it leaves the part to libxml2).
    private func readings(_ xml: String, file: StaticString = #filePath, line: UInt = #line)
        -> (tree: ListNumberer, stream: ListNumberer, scanned: ListNumberer?)?
    {
        let data = Data(xml.utf8)
        guard let document = try? XMLTree.parseXML(data) else {
            XCTFail("not well-formed: \(xml)", file: file, line: line)
            return nil
        }
        let streamed = XMLStreamDriver(ListNumberingReading())
        XCTAssertNoThrow(try XMLTree.streamXML(data, into: streamed), file: file, line: line)
        let scanned = XMLStreamDriver(ListNumberingReading())
        let accepted = DocxReaderScanner.stream(data, into: scanned)
        return (ListNumberer.fromTree(document.root), streamed.withReading(\.numberer), accepted ? scanned.withReading(\.numberer) : nil)
    }

    private func assertSame(_ xml: String, scannerTakesIt: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        guard let r = readings(xml, file: file, line: line) else { return }
        XCTAssertEqual(r.stream.levels, r.tree.levels, xml, file: file, line: line)
        XCTAssertEqual(r.stream.abstractOf, r.tree.abstractOf, xml, file: file, line: line)
        if let scanned = r.scanned {
            XCTAssertEqual(scanned.levels, r.tree.levels, xml, file: file, line: line)
            XCTAssertEqual(scanned.abstractOf, r.tree.abstractOf, xml, file: file, line: line)
        } else {
            XCTAssertFalse(scannerTakesIt, "the scanner left to libxml2: \(xml)", file: file, line: line)
        }
    }

    func testEveryDraftsNumbering() {
        var compared = 0
        for (name, _, numbering) in DocxScannerTests.draftParts() {
            guard let numbering, let xml = String(data: numbering, encoding: .utf8) else { continue }
            assertSame(xml)
            XCTAssertFalse(readings(xml)?.tree.levels.isEmpty ?? true, name)
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 10)
    }

    /// The sample's list, read and then used: the numbering text of its paragraphs.
    func testSampleListNumbersParagraphs() throws {
        let xml = """
            <w:numbering \(Self.w)><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>\
            <w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>\
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>
            """
        let r = try XCTUnwrap(readings(xml))
        let numberer = try XCTUnwrap(r.scanned)
        XCTAssertEqual((0..<3).map { _ in numberer.prefix(numId: "1", ilvl: "0") }, ["一、", "二、", "三、"])
        XCTAssertEqual(numberer.prefix(numId: "2", ilvl: "0"), "")
    }

    /// Shapes Word does not write but a part may hold: every rule of the tree walk (first child counts, later ids
    /// win, missing and out-of-range values, elements at other depths, other names and prefixes, white space).
    func testGeneratedVariants() {
        let level = { (ilvl: String, inner: String) in "<w:lvl w:ilvl=\"\(ilvl)\">\(inner)</w:lvl>" }
        let levels = [
            level("0", "<w:start w:val=\"3\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/>"),
            level("1", "<w:start/><w:numFmt/><w:lvlText/>"),
            level("2", "<w:start w:val=\"5\"/><w:start w:val=\"9\"/><w:numFmt w:val=\"lowerLetter\"/><w:numFmt w:val=\"bullet\"/>"),
            level("3", "<w:pPr><w:start w:val=\"7\"/></w:pPr><w:lvlText w:val=\"（%4）\"/>"),
            level("9", "<w:start w:val=\"1\"/>"),
            level("-1", ""),
            level("x", ""),
            "<w:lvl><w:start w:val=\"2\"/></w:lvl>",
            level("4", "<w:start w:val=\"100001\"/><w:lvlText w:val=\"%1.%5\"/>"),
            level("5", "<w:start w:val=\"abc\"/><w:lvlText w:val=\"a-b\"/>"),
            level("6", "<x:start xmlns:x=\"urn:other\" x:val=\"4\"/><w:numFmt w:val=\"upperLetter\"/>"),
            level("0", "<w:start w:val=\"8\"/>"),
        ]
        let nums = [
            "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>",
            "<w:num w:numId=\"2\"><w:abstractNumId/><w:abstractNumId w:val=\"0\"/></w:num>",
            "<w:num w:numId=\"3\"><w:lvlOverride/><w:abstractNumId w:val=\"7\"/><w:abstractNumId w:val=\"0\"/></w:num>",
            "<w:num><w:abstractNumId w:val=\"0\"/></w:num>",
            "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>",
            "<w:num w:numId=\"4\"><w:x><w:abstractNumId w:val=\"0\"/></w:x></w:num>",
        ]
        let abstracts = [
            "<w:abstractNum w:abstractNumId=\"0\">\(levels.joined())</w:abstractNum>",
            "<w:abstractNum w:abstractNumId=\"1\">\(levels.prefix(2).joined())</w:abstractNum>",
            "<w:abstractNum>\(levels.prefix(1).joined())</w:abstractNum>",
            "<w:abstractNum w:abstractNumId=\"1\">\(levels.suffix(3).joined())</w:abstractNum>",
            "<w:abstractNum w:abstractNumId=\"2\"/>",
            "<w:other><w:abstractNum w:abstractNumId=\"5\">\(levels.prefix(1).joined())</w:abstractNum></w:other>",
        ]
        // Every subset order of the abstract lists and nums, in a few arrangements.
        var cases: [String] = []
        for k in 0..<abstracts.count {
            let a = Array(abstracts[k...] + abstracts[..<k])
            let n = Array(nums[(k % nums.count)...] + nums[..<(k % nums.count)])
            cases.append("<w:numbering \(Self.w)>\(a.joined())\(n.joined())</w:numbering>")
            cases.append("<w:numbering \(Self.w)>\(n.joined())\(a.reversed().joined())</w:numbering>")
            cases.append(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:numbering \(Self.w)>\n  "
                    + zip(a, n).map { "\($0)\n  \($1)" }.joined(separator: "\n  ") + "\n</w:numbering>\n")
        }
        // A root of another name is read all the same (the tree walk looks at the root's children whatever it is).
        cases.append("<w:document \(Self.w)>\(abstracts[0])\(nums[0])</w:document>")
        cases.append("<w:numbering \(Self.w)/>")
        for xml in cases { assertSame(xml) }
        // A value with a reference: libxml2 reads it (the scanner leaves such parts to it), and so does the tree.
        assertSame(
            "<w:numbering \(Self.w)><w:abstractNum w:abstractNumId=\"0\">\(level("0", "<w:lvlText w:val=\"a&amp;b%1\"/>"))"
                + "</w:abstractNum></w:numbering>", scannerTakesIt: false)
        XCTAssertEqual(readings(cases[0])!.scanned?.levels, readings(cases[0])!.tree.levels)
        // The variants exercise what they mean to: lists read, later ids win, out-of-range levels dropped.
        let r = readings(cases[0])!
        XCTAssertEqual(r.tree.levels["0"]?[0]?.start, 8)
        XCTAssertNil(r.tree.levels["0"]?[9])
        XCTAssertEqual(r.tree.levels["0"]?[2], ListNumberer.Level(format: "lowerLetter", text: "", start: 5))
        XCTAssertEqual(r.tree.levels["0"]?[5]?.text, "a-b")
        XCTAssertEqual(r.tree.levels["0"]?[3]?.start, 1)
        XCTAssertEqual(r.tree.abstractOf["2"], nil)
        XCTAssertEqual(r.tree.abstractOf["3"], "7")
    }
}
