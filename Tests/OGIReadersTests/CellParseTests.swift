import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The one-pass reading of a plain literal's significant digits against the two readings it joins, and
/// `parseValue`'s first-scalar shortcut against reading every token of the samples, renderings and corpus and
/// random words with white space, signs, full-width digits and units the scalar way (`parseValue` of the word
/// with its first non-space scalar found through the scalar view gives the same parse).
final class CellParseTests: XCTestCase {
    static func words() throws -> [String] {
        var words: [String] = [
            "", ".", "0", "00", "0.0", "0.", ".0", "100", "100.", "100.00", "0.0100", "1.2.3", "00.00100", "1e5", " 1", "\t2",
        ]
        for t in try FastPathTests.texts() {
            words += t.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "|" }).map(String.init).prefix(400)
        }
        var rng = SplitMix(seed: 6)
        let alphabet = Array("0000123456789..-+a \t\u{3000}\u{A0}１２．－＋万元件增加减少无空/—（空）".unicodeScalars)
        for _ in 0..<20000 { words.append(rng.string(from: alphabet, maxLength: 45)) }
        return words
    }

    func testPlainLiteralDigitsInOnePassEqualTwoReadings() throws {
        var plain = 0
        for w in try Self.words() {
            let ref: Int? = CellSyntax.isPlainLiteral(w) ? CellSyntax.significantDigits(w) : nil
            XCTAssertEqual(CellSyntax.plainLiteralSignificantDigits(w), ref, w.debugDescription)
            if ref != nil { plain += 1 }
        }
        XCTAssertGreaterThan(plain, 1000)
    }

    func testParseValueEqualsParseOfFirstScalarReading() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        var values = 0
        for w in try Self.words() {
            // The reading before the shortcut: the first non-space scalar through the scalar view.
            let ref: (state: CellState, value: Decimal?, unit: String?)?
            if let first = w.unicodeScalars.first(where: { !FastText.isSpace($0) }),
                ("0"..."9").contains(first) || (0xFF10...0xFF19).contains(first.value) || syntax.valueStarts.contains(first)
            {
                let p = syntax.parse(w)
                ref = p.state == .text || p.state == .missing ? nil : p
            } else {
                ref = nil
            }
            let fast = syntax.parseValue(w)
            XCTAssertEqual(fast?.state, ref?.state, w.debugDescription)
            XCTAssertEqual(fast?.value, ref?.value, w.debugDescription)
            XCTAssertEqual(fast?.unit, ref?.unit, w.debugDescription)
            if ref != nil { values += 1 }
        }
        XCTAssertGreaterThan(values, 3000)
    }

    /// The digits-only reading (`CellSyntax.plainIntegerValue`) against `parseValue` and against the tokenizer's
    /// value reading without it (comma, filter, `parseValue`): the same value wherever it answers, and it answers
    /// for every run of one to 18 ASCII digits; a syntax whose words hold a digit gets no answer at all.
    func testPlainIntegerValueEqualsParseValue() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let filter = ValueScalars(syntax: syntax)
        var words = try Self.words()
        words += ["123456789012345678", "1234567890123456789", "000000000000000000", "9223372036854775807", "0009", "٣", "１２"]
        var rng = SplitMix(seed: 11)
        let digits = Array("0123456789".unicodeScalars)
        for _ in 0..<5000 { words.append(rng.string(from: digits, maxLength: 22)) }
        var answered = 0
        for w in words {
            let fast = syntax.plainIntegerValue(w)
            let isShortDigits = (1...18).contains(w.utf8.count) && w.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            XCTAssertEqual(fast != nil, isShortDigits, w.debugDescription)
            guard let fast else { continue }
            answered += 1
            let p = syntax.parseValue(w)
            XCTAssertEqual(p?.state, .number, w.debugDescription)
            XCTAssertEqual(p?.value, fast, w.debugDescription)
            XCTAssertNil(p?.unit, w.debugDescription)
            XCTAssertEqual(p?.value?.description, fast.description, w.debugDescription)
            // The tokenizer's reading without the shortcut: the comma test, the filter, then `parseValue`.
            let v =
                CellTokenizer.hasComma(w)
                ? CellTokenizer.separatedNumber(w, syntax: syntax) : filter.isCertainlyText(w) ? nil : syntax.parseValue(w)
            XCTAssertEqual(v?.state, .number, w.debugDescription)
            XCTAssertEqual(v?.value, fast, w.debugDescription)
            XCTAssertNil(v?.unit, w.debugDescription)
        }
        XCTAssertGreaterThan(answered, 3000)
        let digitWords = CellSyntax(placeholders: ["/"], units: ["2号"])
        for w in ["0", "12", "2"] { XCTAssertNil(digitWords.plainIntegerValue(w)) }
    }

    /// The small integers `plainIntegerValue` takes from its table are stored as `Decimal(Int64)` stores them (the
    /// same bytes, not only equal values), with and without leading zeros, on both sides of the table's end.
    func testSmallIntegersAreTheDecimalsOfTheirValues() {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        func bytes(_ d: Decimal) -> [UInt8] { withUnsafeBytes(of: d) { Array($0) } }
        for n in 0..<300 {
            for text in [String(n), "00" + String(n)] {
                let got = syntax.plainIntegerValue(text)
                XCTAssertEqual(got.map(bytes), bytes(Decimal(Int64(n))), text)
                XCTAssertEqual(got?.description, String(n), text)
            }
        }
    }
}
