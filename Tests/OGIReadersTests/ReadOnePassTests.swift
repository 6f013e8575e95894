import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The full text reading's per-report shortcuts (issue 11, "read in one pass") give what the code they
/// replace gives: edit distances written into caller-owned buffers, the heading search that does not read a
/// numbered line twice, on every sample, rendering and corpus text and on generated input.
final class ReadOnePassTests: XCTestCase {
    func testPrefixDistancesIntoBuffersEqualTheArrays() throws {
        var words: [[Unicode.Scalar]] = [[], ["a"], Array("总体情况".unicodeScalars), Array("主动公开政府信息情况".unicodeScalars)]
        for t in try FastPathTests.texts().prefix(60) {
            for line in t.text.split(separator: "\n").prefix(80) { words.append(Array(line.unicodeScalars.prefix(45))) }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let n = Int.random(in: 0...20, using: &rng)
            words.append((0..<n).map { _ in Unicode.Scalar(UInt32.random(in: 0x61...0x64, using: &rng))! })
        }
        var compared = 0
        for (k, a) in words.enumerated() where k % 3 == 0 {
            for b in words[(k / 3)...].prefix(12) {
                for hi in Set([0, b.count / 2, b.count]) {
                    let reference = LabelText.prefixDistances(a, b[..<hi])
                    let out = UnsafeMutablePointer<Int>.allocate(capacity: 2 * (hi + 1))
                    defer { out.deallocate() }
                    out.initialize(repeating: -7, count: 2 * (hi + 1))
                    a.withUnsafeBufferPointer { ab in
                        b.withUnsafeBufferPointer { bb in
                            LabelText.prefixDistances(ab, UnsafeBufferPointer(rebasing: bb[..<hi]), into: out, work: out + (hi + 1))
                        }
                    }
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: out, count: hi + 1)), reference)
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 1000)
    }

    /// A line the numbered pass settles (`mayMatchWithoutNumeral` false) is read alike with and without
    /// `numbered`, and a line no part matched matches none once more parts are excluded.
    func testLinesSettledByTheNumberedPassMatchNothingLater() throws {
        let context = try ReaderContext(templates: Repo.linter.ruleSet.templates)
        let matcher = context.headingMatcher
        let keys = matcher.parts.map(\.spec.key)
        var lines: [String] = ["一、总体情况", "、主动公开政府信息情况", "  ## 三、收到和处理政府信息公开申请情况 其后", "1.总体情况", "12、x", "总体情况", "", "  ", "# 1", "0.总体情况"]
        for d in try TextFrontFastPathTests.documents().prefix(150) { lines += d.map(\.text) }
        // Chains of exclusions, each a superset of the one before.
        let chains: [[Set<String>]] = [
            [[], Set(keys.prefix(1)), Set(keys.prefix(3)), Set(keys)],
            [[], Set(keys.suffix(2)), Set(keys.suffix(4)), Set(keys)],
        ]
        var settled = 0, numberedMatches = 0
        for l in lines {
            if matcher.mayMatchWithoutNumeral(l) {
                // Only a line with text that starts without a numeral or a lost numeral's mark.
                let first = l.unicodeScalars.first { !(FastText.isSpace($0) || $0 == "#") }
                XCTAssertNotNil(first, l)
                if let f = first { XCTAssertFalse(matcher.numerals.contains(f) || ("1"..."9").contains(f) || f == "、", l) }
                continue
            }
            settled += 1
            for chain in chains {
                for (k, e) in chain.enumerated() {
                    let numbered = matcher.match(l, excluding: e, numbered: true)
                    let plain = matcher.match(l, excluding: e, numbered: false)
                    XCTAssertEqual(numbered?.spec.key, plain?.spec.key, l)
                    XCTAssertEqual(numbered?.heading, plain?.heading, l)
                    XCTAssertEqual(numbered?.rest, plain?.rest, l)
                    XCTAssertEqual(numbered?.standardHeading, plain?.standardHeading, l)
                    if numbered != nil { numberedMatches += 1 }
                    if numbered == nil {
                        for wider in chain[k...] { XCTAssertNil(matcher.match(l, excluding: wider, numbered: false), l) }
                    }
                }
            }
        }
        XCTAssertGreaterThan(settled, 500)
        XCTAssertGreaterThan(numberedMatches, 100)
    }

    /// The heading search as it was: every line not yet a heading read in both passes.
    static func referenceHeadings(_ lines: [SourceLine], matcher: HeadingMatcher, partCount: Int) -> [(
        key: String, line: Int, heading: String
    )] {
        var headings: [(key: String, index: Int, heading: String)] = []
        var found = Set<String>()
        var headingLines = Set<Int>()
        for numbered in [true, false] {
            for (i, l) in lines.enumerated() where !headingLines.contains(i) {
                guard let m = matcher.match(l.text, excluding: found, numbered: numbered) else { continue }
                headings.append((m.spec.key, i, m.heading))
                found.insert(m.spec.key)
                headingLines.insert(i)
            }
            if headings.count == partCount { break }
        }
        return headings.sorted { $0.index < $1.index }.map { ($0.key, lines[$0.index].number, $0.heading) }
    }

    func testPartsFoundEqualTheTwoPassSearch() throws {
        let context = try ReaderContext(templates: Repo.linter.ruleSet.templates)
        let reader = TextReader(context: context)
        var withParts = 0
        for doc in try TextFrontFastPathTests.documents() {
            let cleaned = reader.removingInlineNoise(doc.map(\.text))
            let lines = context.headingMatcher.splittingRunInHeadings(reader.noiseFreeLines(doc, cleaned: cleaned, in: doc.indices))
            let reference = Self.referenceHeadings(
                lines, matcher: context.headingMatcher, partCount: context.templates.profile.parts.count)
            let report = reader.parseOnce(
                lines: doc, path: "x.txt", sourceFormat: "text", locate: { line, _ in SourceLocation(line: line) }, metadataOnly: true)
            XCTAssertEqual(report.parts.map(\.key), reference.map(\.key))
            XCTAssertEqual(report.parts.map(\.heading), reference.map(\.heading))
            let full = reader.parseOnce(lines: doc, path: "x.txt", sourceFormat: "text", locate: { line, _ in SourceLocation(line: line) })
            XCTAssertEqual(full.parts.map { $0.location?.line }, reference.map { Optional($0.line) })
            if reference.count >= 3 { withParts += 1 }
        }
        XCTAssertGreaterThan(withParts, 50)
    }

    func testWrappedLineScanEqualsTheCharacterReading() throws {
        var lines: [String] = [
            "", "短", String(repeating: "字", count: 29), String(repeating: "字", count: 30), String(repeating: "字", count: 30) + "。",
            String(repeating: "字", count: 30) + "\t", String(repeating: "字", count: 30) + "\t\u{301}",
            String(repeating: "e\u{301}", count: 30),
            String(repeating: "字", count: 29) + "e\u{301}", String(repeating: "a", count: 40) + "”",
            String(repeating: "a", count: 40) + "\r\n",
        ]
        // Each closing mark (ASCII and full-width) after 29 and 30 characters, and scalars at the edges of the plain
        // ranges (a control, DEL, two- and four-byte scalars, U+2028) last, in the middle and alone.
        for closer in TextScan.lineClosers + "a字」" {
            for n in [28, 29, 30] { lines.append(String(repeating: "字", count: n) + String(closer)) }
        }
        for odd in ["\u{7F}", "\u{1F}", "é", "\u{2028}", "\u{2027}", "\u{205F}", "𠀀", "\u{3029}", "\u{302A}", "\u{FF5E}", "\u{FF5F}"] {
            lines += [String(repeating: "字", count: 30) + odd, odd + String(repeating: "字", count: 30), odd]
        }
        // A closing mark last after a scalar that is not plain (read from the end only after a plain one): a combining
        // mark, a prepended sign that joins the mark into one character, a two- and a four-byte scalar; and alone.
        for before in ["\u{301}", "\u{600}", "é", "𠀀", "\u{200D}", "字", ""] {
            for closer in ["。", ")", "”", "?"] {
                lines += [
                    String(repeating: "字", count: 30) + before + closer, before + closer,
                    String(repeating: "字", count: 28) + before + closer,
                ]
            }
        }
        for t in try FastPathTests.texts() { lines += t.text.split(separator: "\n").map { String(FastText.trim(String($0))) } }
        var wrapped = 0, plain = 0
        for l in lines where !l.isEmpty {
            let reference = TextScan.isWrappedLineByCharacters(l)
            XCTAssertEqual(TextScan.isWrappedLine(l), reference, l.debugDescription)
            if reference { wrapped += 1 }
            if l.unicodeScalars.allSatisfy(FastText.isPlainScalar) { plain += 1 }
        }
        XCTAssertGreaterThan(wrapped, 500)
        XCTAssertGreaterThan(plain, lines.count / 2)
    }
}
