import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis

/// A `ProseText` built from paragraphs read once (`ProseParagraph`) is the text built from the strings.
final class ProseTextPreparedTests: XCTestCase {
    /// `ProseText`'s construction as it was: each paragraph read into scalars in the loop, and the numbering
    /// marker test made only where the joining rule asks for it.
    static func textAsItWas(_ paragraphs: [String], join: Bool) -> (scalars: [Unicode.Scalar], starts: [Int], logical: [Int]) {
        var out: [Unicode.Scalar] = []
        var starts: [Int] = []
        var logical: [Int] = []
        var previousIsHeading = false
        for (i, p) in paragraphs.enumerated() {
            let ps = Array(p.unicodeScalars)
            let isHeading = ps.count <= ProseText.headingLength && NumberingMarker.startsWithMarker(ps)
            defer { previousIsHeading = isHeading }
            if i > 0 {
                let joins =
                    join && !out.isEmpty && !ProseText.endsSentence(out) && !ps.isEmpty && !NumberingMarker.startsWithMarker(ps)
                    && !previousIsHeading
                if joins {
                    if let a = out.last, let b = ps.first, CharClass.isASCIIAlnum(a), CharClass.isASCIIAlnum(b) { out.append(" ") }
                } else {
                    out.append("\n")
                    logical.append(out.count)
                }
            } else {
                logical.append(0)
            }
            starts.append(out.count)
            out.append(contentsOf: ps)
        }
        if paragraphs.isEmpty { logical = [0] }
        return (out, starts, logical)
    }

    func testPreparedParagraphsBuildTheSameText() throws {
        var documents: [[String]] = [[], [""], ["一、总体情况", "2023", "年", "（一）主动公开", "本年新制发", "文件 12 件。"]]
        let files = Fixtures.sampleAndCorpusTextFiles()
        for f in files {
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { continue }
            documents.append(text.components(separatedBy: "\n"))
        }
        // Generated: numbering markers, sentence ends, ASCII words to join with a space, empty lines.
        let pieces = ["一、", "（二）", "3.", "1、", "abc", "12", "件", "。", "；", "", " ", "：", "第三", "e\u{301}", "\r"]
        var rng = SplitMix(seed: 5)
        for _ in 0..<300 {
            documents.append(
                (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                    (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                })
        }
        for paragraphs in documents {
            let locations = paragraphs.indices.map { SourceLocation(file: "f", line: $0 + 1) }
            let prepared = zip(paragraphs, locations).map { ProseParagraph($0, location: $1) }
            for join in [true, false] {
                let expected = Self.textAsItWas(paragraphs, join: join)
                for got in [
                    ProseText(prepared: prepared, joinWrappedLines: join), ProseText(paragraphs: paragraphs, joinWrappedLines: join),
                ] {
                    XCTAssertEqual(got.scalars, expected.scalars)
                    XCTAssertEqual(got.paragraphStarts, expected.starts)
                    XCTAssertEqual(got.logicalParagraphStarts, expected.logical)
                }
                XCTAssertEqual(ProseText(prepared: prepared, joinWrappedLines: join).paragraphLocations, locations)
            }
        }
        XCTAssertGreaterThan(documents.count, 300)
    }
}
