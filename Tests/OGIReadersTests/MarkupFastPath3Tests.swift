import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The model readers rule out an input by its first byte before the sniffer's text forms are computed
/// (`ModelReader.ruledOutByFirstByte`); their claim must be what the text forms alone give (`claimByText`), on
/// every file the repository and the shared corpus have and on generated heads: byte-order marks, white space and
/// controls before a model, marks after the first character, cases, and the bytes of pages in GBK.
final class MarkupFastPath3Tests: XCTestCase {
    static let context = MarkupStreamingTests.sharedContext

    /// Every file under the repository's samples and Tests folders and the shared corpus.
    static func allFiles() -> [(name: String, data: Data)] {
        var out: [(String, Data)] = []
        var roots = ["samples", "Tests"].map(Repo.path)
        if let shared = Repo.shared { roots.append((shared as NSString).appendingPathComponent("corpus")) }
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let rel as String in walker {
                let p = (root as NSString).appendingPathComponent(rel)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue,
                    let data = FileManager.default.contents(atPath: p)
                else { continue }
                out.append((p, data))
            }
        }
        return out
    }

    static let generatedHeads: [String] = [
        "", " ", "{", "{\"ogilint_model\": 1}", " {\"ogilint_model\": 1}", "\t\n{\"OGILINT_MODEL\": 1}", "\u{FEFF}{\"ogilint_model\": 1}",
        "\u{FEFF}ogilint_model: 1", "ogilint_model: 1", "OGILINT_MODEL: 1", "Ogilint_Model: 1", "  ogilint_model: 1",
        "\u{3000}ogilint_model: 1",
        "\u{00A0}{\"ogilint_model\"}", "\u{200B}{\"ogilint_model\"}", "\u{1C}{\"ogilint_model\"}", "\u{7F}{\"ogilint_model\"}",
        "\u{0}{\"ogilint_model\"}", "{\u{301}\"ogilint_model\"}", "o\u{301}gilint_model: 1", "<\u{301}html>",
        "<html><body>一、总体情况</body></html>",
        "<!DOCTYPE html>", "[\"ogilint_model\"]", "ogilint_model 1", "o", "O", "x", "ｏgilint_model: 1", "｛\"ogilint_model\"｝",
        "ΟGILINT_MODEL: 1", "\u{212A}", "#ogilint_model: 1", "一、总体情况",
        "㐀ogilint_model: 1", "䶿{", "鿿{", "丁\u{301}{", "\u{4DC0}ogilint_model: 1", "\u{A000}{", "\u{3000}{", "\u{33FF}{", "\u{E000}{",
    ]

    func testFirstByteShortcutEqualsTheTextForms() throws {
        var heads: [(String, [UInt8])] = Self.allFiles().map { ($0.name, [UInt8]($0.data.prefix(2048))) }
        XCTAssertGreaterThan(heads.count, 300)
        heads += Self.generatedHeads.map { ($0, Array($0.utf8)) }
        // GBK bytes of a page read as UTF-8, and single bytes of every value.
        if let gbk = "<html><meta charset=gbk>一、总体情况".data(using: .init(rawValue: 0x8000_0632)) { heads.append(("gbk", [UInt8](gbk))) }
        heads += (0...255).map { ("byte \($0)", [UInt8($0)] + Array("ogilint_model: 1 {\"ogilint_model\"}".utf8)) }
        // Three-byte leads with every second byte, well-formed or not, before a model.
        for lead in UInt8(0xE2)...0xEA {
            for second in stride(from: 0, through: 255, by: 5) {
                heads.append(("bytes \(lead) \(second)", [lead, UInt8(second), 0x80] + Array("{\"ogilint_model\": 1}".utf8)))
            }
        }
        var ruledOut = 0
        for syntax in [ModelReader.Syntax.json, .yaml] {
            let reader = ModelReader(context: Self.context, syntax: syntax)
            for (name, head) in heads {
                // A path whose extension claims nothing, so the bytes decide.
                let input = InputSniffer(path: "/tmp/input.unknown", data: Data(head))
                XCTAssertEqual(reader.claim(input), reader.claimByText(input), "\(syntax) \(name)")
                if ModelReader.ruledOutByFirstByte(input.head, syntax: syntax) { ruledOut += 1 }
            }
        }
        // The shortcut is taken for most inputs (pages start with `<`).
        XCTAssertGreaterThan(ruledOut, 300)
        // The HTML reader's shortcut, on the same heads and on heads that lead to a page.
        heads += [
            "<html>", " <html>", "\u{FEFF}<html>", "\u{FEFF}\u{301}<html>", "<\u{301}html>", "\u{3000}<html>", "x<html>", "一<html>",
            "\u{7F}<html>", "\u{1C}<html>", "一\u{301}<html>", "\u{FEFF}x<html>", "\u{85}<html>", "\u{2028}<html>",
        ]
        .map {
            ($0, Array($0.utf8))
        }
        let html = HTMLReader(context: Self.context)
        var htmlRuledOut = 0, claimed = 0
        for (name, head) in heads {
            let input = InputSniffer(path: "/tmp/input.unknown", data: Data(head))
            XCTAssertEqual(html.claim(input), html.claimByText(input), "html \(name)")
            if HTMLReader.ruledOutByFirstByte(input.head) { htmlRuledOut += 1 }
            if html.claim(input) == .content { claimed += 1 }
        }
        XCTAssertGreaterThan(htmlRuledOut, 300)
        XCTAssertGreaterThan(claimed, 20)
    }

    /// The PDF reader finds `%PDF-` in the first kilobyte at each `%`; it claims what the search at every offset
    /// claimed, on every file and on heads with the marker cut, repeated, late, past 1 KB and after other `%`s.
    func testPDFSignatureScanEqualsTheSearchAtEveryOffset() throws {
        func reference(_ input: InputSniffer) -> ReaderClaim {
            let marker = Array("%PDF-".utf8)
            let window = input.head.prefix(1024)
            if input.starts(with: Array("%PDF".utf8)) { return .signature }
            if window.count >= marker.count,
                (0...(window.count - marker.count)).contains(where: { window[$0..<($0 + marker.count)].elementsEqual(marker) })
            {
                return .signature
            }
            return input.pathExtension == "pdf" ? .fileExtension : .none
        }
        var heads: [[UInt8]] = Self.allFiles().map { [UInt8]($0.data.prefix(2048)) }
        let pieces: [[UInt8]] = [
            Array("%PDF-".utf8), Array("%PDF".utf8), Array("%%PD".utf8), Array("%".utf8), Array("x".utf8), Array("F-".utf8),
        ]
        var rng = SplitMix(seed: 11)
        for _ in 0..<2_000 {
            var h: [UInt8] = []
            for _ in 0..<Int(rng.next() % 6) { h += pieces[Int(rng.next() % UInt64(pieces.count))] }
            // Sometimes padded so that the marker sits across or past the 1 KB window.
            if rng.next() % 3 == 0 { h = [UInt8](repeating: 0x20, count: 1015 + Int(rng.next() % 12)) + h }
            heads.append(h)
        }
        var signatures = 0
        for (n, head) in heads.enumerated() {
            for path in ["/tmp/a.pdf", "/tmp/a.txt"] {
                let input = InputSniffer(path: path, data: Data(head))
                let claim = PDFReader(context: Self.context).claim(input)
                XCTAssertEqual(claim, reference(input), "head \(n) \(path)")
                if claim == .signature { signatures += 1 }
            }
        }
        XCTAssertGreaterThan(signatures, 500)
    }

    /// Every text node of a parsed page, in document order.
    static func texts(_ n: XMLNode, into out: inout [String]) {
        if let t = n.text { out.append(t) }
        for c in n.children { texts(c, into: &out) }
    }

    /// Tabs made spaces byte by byte equal `replacingOccurrences(of: "\t", with: " ")` on every text of every page
    /// (and the texts joined as cells are), and on generated texts: tabs beside marks, joiners, line ends, emoji.
    func testTabsMadeSpacesEqualsReplacingOccurrences() throws {
        var texts: [String] = [
            "", "\t", "\t\t", "a\tb", "\t\u{301}", "\u{301}\t", "e\u{301}\tx", "\r\n\t\r\n", "一\t二", "\u{3000}\t\u{3000}",
            "👩\u{200D}\t💻", "\u{200D}\t\u{200C}", "\t\u{FE0F}", "(\t)", "\u{FFFD}\t\u{0}", String(repeating: "表\t格", count: 500),
        ]
        for (name, data) in MarkupStreamingTests.files(["html", "htm"]) {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let doc = try? XMLTree.parseHTML(utf8) else { continue }
            var pageTexts: [String] = []
            Self.texts(doc.root, into: &pageTexts)
            texts += pageTexts
            texts.append(pageTexts.joined(separator: "\t"))
        }
        XCTAssertGreaterThan(texts.count, 1000)
        var withTabs = 0
        for t in texts {
            let old = t.utf8.contains(0x09) ? t.replacingOccurrences(of: "\t", with: " ") : t
            let new = Lineariser.tabsMadeSpaces(t)
            XCTAssertEqual(Array(new.utf8), Array(old.utf8), t)
            XCTAssertEqual(new, old)
            if t.utf8.contains(0x09) { withTabs += 1 }
        }
        XCTAssertGreaterThan(withTabs, 50)
    }

    /// A text `HeadingScan.holdsNoHeading` passes over finds no part heading when read in full (normalised,
    /// numbering stripped, every heading tried), on every text of every page and on generated figures and numbered
    /// texts; and most table figures are passed over.
    func testTextsOfNumberBytesHoldNoHeading() throws {
        let profile = Self.context.templates.profile
        let numerals = profile.partNumerals
        let headings = profile.parts.map { $0.headings.map(LabelText.normalize) }
        let scan = HeadingScan(numerals: numerals, headings: headings)
        XCTAssertTrue(scan.headingsStartOutsideNumbers)
        var texts = [
            "", " ", "12", "1.", "1、", "(1)", "(1)2", "1.5", "3.5%", "-", "1/2", "1,234", "12:30", "\n\t 0 \r", "(一)", "一、",
            "1.总体情况", "一、总体情况", "（一）", "１２", "1.2.3.", "()", "%", "+1", "0)",
        ]
        texts += headings.flatMap { $0 }.flatMap { ["1." + $0, "(1)" + $0, "1" + $0, $0] }
        for (name, data) in MarkupStreamingTests.files(["html", "htm"]) {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let doc = try? XMLTree.parseHTML(utf8) else { continue }
            Self.texts(doc.root, into: &texts)
        }
        var passed = 0
        for t in texts {
            let skipped = t.withCString {
                $0.withMemoryRebound(to: UInt8.self, capacity: t.utf8.count + 1) { scan.holdsNoHeading(utf8: $0) }
            }
            guard skipped else { continue }
            passed += 1
            let norm = LabelText.normalize(t)
            let bare = LabelText.stripNumbering(norm, numerals: numerals)
            let found = bare != norm && headings.contains { $0.contains { bare.hasPrefix($0) } }
            XCTAssertFalse(found, t)
        }
        XCTAssertGreaterThan(passed, 1000)
    }

    /// A text node's text spaced out scalar by scalar equals the general rewriting (`generallySpacedOut`) on every
    /// text of every page and on generated texts: no-break spaces beside marks, joiners, line ends and controls.
    func testSpacedOutEqualsTheGeneralRewriting() throws {
        var texts: [String] = [
            "", "\u{A0}", "\u{A0}\u{A0}", "a\u{A0}b", "\u{A0}\u{301}", "e\u{301}\u{A0}", "\u{A0}\u{200D}x", "\u{200D}\u{A0}",
            "\r\n\u{A0}\n",
            "\n\u{A0}\t", "一\u{A0}二\n三", "\u{A0}\u{FE0F}", "\u{A0}\u{302A}", "\u{3099}\u{A0}", "\u{A0}\u{0308}\n", "\u{1100}\u{A0}\u{1161}",
            "\u{A0}\r", "\r\u{A0}", "\u{FFFD}\u{A0}", "(\u{A0})", String(repeating: "表\u{A0}格\n", count: 300),
        ]
        for (name, data) in MarkupStreamingTests.files(["html", "htm"]) {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let doc = try? XMLTree.parseHTML(utf8) else { continue }
            Self.texts(doc.root, into: &texts)
        }
        var withNoBreakSpaces = 0
        for t in texts {
            let new = Lineariser.spacedOut(t)
            let old = Lineariser.generallySpacedOut(t)
            XCTAssertEqual(Array(new.utf8), Array(old.utf8), t)
            if t.unicodeScalars.contains("\u{A0}") { withNoBreakSpaces += 1 }
        }
        XCTAssertGreaterThan(withNoBreakSpaces, 10)
    }

    /// `spacedOut` reading the bytes once (`plainSpacing`) gives the bytes the scalar- and UTF-8-view reading gave,
    /// for every scalar of the Basic Multilingual Plane and every 37th beyond it, alone, between ideographs, and
    /// beside a line feed, a tab or a no-break space; and on every text of every page.
    func testSpacedOutOnBytesEqualsTheViewReading() throws {
        var texts: [String] = []
        for (name, data) in MarkupStreamingTests.files(["html", "htm"]) {
            guard let utf8 = try? HTMLReader.decode(data, path: name), let doc = try? XMLTree.parseHTML(utf8) else { continue }
            Self.texts(doc.root, into: &texts)
        }
        var values = Array(0..<0xD800) + Array(0xE000..<0x10000)
        values += stride(from: 0x10000, to: 0x110000, by: 37)
        var kinds: [Lineariser.PlainSpacing: Int] = [:]
        for v in values {
            let u = String(Unicode.Scalar(UInt32(v))!)
            let samples = v % 3 == 0 ? [u, "表" + u + "格", u + "\n", "\u{A0}" + u, "\t" + u + "一"] : [u, "表" + u + "\n"]
            for t in samples {
                XCTAssertEqual(Array(Lineariser.spacedOut(t).utf8), Array(Lineariser.spacedOutByViews(t).utf8), t.debugDescription)
                kinds[Lineariser.plainSpacing(t), default: 0] += 1
            }
        }
        for t in texts {
            XCTAssertEqual(Array(Lineariser.spacedOut(t).utf8), Array(Lineariser.spacedOutByViews(t).utf8), t.debugDescription)
        }
        XCTAssertGreaterThan(texts.count, 1000)
        XCTAssertEqual(kinds.count, 3)
        XCTAssertGreaterThan(kinds[.plainWithoutBreaks] ?? 0, 20_000)
    }
}
