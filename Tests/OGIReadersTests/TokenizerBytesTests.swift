import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The tokenizer's readings on UTF-8 bytes against the scalar-view readings they replace: the words of an
/// undelimited line (text, norm, value parse and display column of every token) and the test that a word is
/// certainly text, on every line of the samples, renderings and corpus, on labels, and on random strings mixing
/// CJK ideographs from every lead byte, white space, digits, units, sign words and astral or combining scalars.
final class TokenizerBytesTests: XCTestCase {
    static func texts() throws -> [String] {
        var out = try ReadOnePass2Tests.lines() + Read5LabelTests.labels()
        var rng = SplitMix(seed: 5150)
        let alphabet = Array(
            "一丁丂七䀀䶿乙予以公开规章万元件条项个增加减少无空（）()/-—－ 　\t\u{A0}\u{2000}\u{FEFF}0123456789.,，１２．＋－ａé\u{301}😀鿿龥𠀀\u{7F}\u{01}~a|".unicodeScalars)
        for _ in 0..<8000 { out.append(rng.string(from: alphabet, maxLength: 24)) }
        return out
    }

    static func same(_ a: [CellToken], _ b: [CellToken]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.kind == y.kind, FastText.bytesEqual(x.raw, y.raw), FastText.bytesEqual(x.norm, y.norm), x.line == y.line,
                x.field == y.field, x.column == y.column
            else { return false }
            switch (x.parsed, y.parsed) {
            case (nil, nil): break
            case (let p?, let q?): guard p.state == q.state, p.value == q.value, p.unit == q.unit else { return false }
            default: return false
            }
        }
        return true
    }

    func testWordsOnBytesEqualScalarView() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let filter = ValueScalars(syntax: syntax)
        var words = 0
        for t in try Self.texts() {
            var fast: [CellToken] = [], ref: [CellToken] = []
            CellTokenizer.appendWords(of: t, line: 7, syntax: syntax, filter: filter, into: &fast)
            CellTokenizer.appendWordsOnScalars(of: t, line: 7, syntax: syntax, filter: filter, into: &ref)
            XCTAssertTrue(Self.same(fast, ref), t.debugDescription)
            words += ref.count
        }
        XCTAssertGreaterThan(words, 20_000)
    }

    func testCertainlyTextOnBytesEqualsScalarView() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let filter = ValueScalars(syntax: syntax)
        var text = 0, other = 0
        for t in try Self.texts() {
            for w in [t] + t.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                let ref = filter.isCertainlyTextOnScalars(w)
                XCTAssertEqual(filter.isCertainlyText(w), ref, w.debugDescription)
                let scan = filter.scan(w)
                XCTAssertEqual(scan.certainlyText, ref, w.debugDescription)
                XCTAssertEqual(scan.hasComma, w.unicodeScalars.contains { $0 == "," || $0 == "，" }, w.debugDescription)
                XCTAssertEqual(scan.hasSpace, w.unicodeScalars.contains(where: FastText.isSpace), w.debugDescription)
                if ref { text += 1 } else { other += 1 }
            }
        }
        XCTAssertGreaterThan(text, 5000)
        XCTAssertGreaterThan(other, 5000)
    }
}
