import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// `ExactDecimal.parse` reads whole numbers in one pass over the bytes, without the digit buffer of
/// `parseCollectingDigits`; the two must give the same `Decimal`, bit for bit (mantissa words, length,
/// exponent, sign, compact flag), on every cell text and word of the samples, renderings and corpus, and on
/// generated literals: digits, signs, commas, leading zeros, points, full-width digits, and lengths around
/// `Int64`'s and `Decimal`'s limits.
final class Read5DecimalTests: XCTestCase {
    /// The stored form of a decimal (its 20 bytes: exponent, length, sign and compact flags, mantissa words), so
    /// that equal values stored differently do not pass for the same.
    static func bits(_ d: Decimal?) -> [UInt8]? {
        guard var d else { return nil }
        return withUnsafeBytes(of: &d) { Array($0) }
    }

    func assertSame(_ literal: String, file: StaticString = #filePath, line: UInt = #line) {
        let fast = ExactDecimal.parse(literal), ref = ExactDecimal.parseCollectingDigits(literal)
        XCTAssertEqual(Self.bits(fast), Self.bits(ref), literal.debugDescription, file: file, line: line)
    }

    /// Every field, word and token of every text line (what the tokenizer and the prose readers parse).
    static func cellTexts() throws -> [String] {
        var out: [String] = []
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        for t in try FastPathTests.texts() {
            let lines = TextReader.lines(of: t.text)
            for l in lines {
                out += l.text.split(whereSeparator: { $0 == "\t" || $0 == "|" || $0 == "｜" }).map { String(FastText.trim(String($0))) }
                out += l.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }).map(String.init)
            }
            out += CellTokenizer.tokens(of: lines, syntax: syntax).map(\.raw)
        }
        return out
    }

    func testParseEqualsCollectingParseOnEveryCellText() throws {
        let texts = try Self.cellTexts()
        XCTAssertGreaterThan(texts.count, 10_000)
        var numbers = 0
        for t in texts {
            assertSame(t)
            if ExactDecimal.parse(t) != nil { numbers += 1 }
        }
        XCTAssertGreaterThan(numbers, 1000)
    }

    func testParseEqualsCollectingParseOnGeneratedLiterals() {
        var literals = [
            "", "-", "+", ",", ".", "0", "-0", "+0", "00", "007", "-007", "1,234", ",1", "1,", "1,,2", "+-1", "-+1", "1-", "1+", "--1",
            "0.5", ".5", "5.", "1.2.3", "１２３", "1２", "−5", "－5", "1e5", " 1", "1 ", "٣", "9223372036854775807",
            "9223372036854775808", "-9223372036854775807", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
            "18446744073709551616", String(repeating: "9", count: 38), String(repeating: "9", count: 39), String(repeating: "9", count: 40),
            "1" + String(repeating: "0", count: 37), "1" + String(repeating: "0", count: 38), "1" + String(repeating: "0", count: 60),
            String(repeating: "0", count: 60) + "1", String(repeating: "0", count: 200), "-" + String(repeating: "9", count: 19),
            "1,234,567,890,123,456,789", "+" + String(repeating: "1", count: 18), String(repeating: "1", count: 18) + "x",
            String(repeating: "9", count: 19) + "x", String(repeating: "9", count: 19) + ".", String(repeating: "9", count: 20) + "-",
        ]
        var rng = SplitMix(seed: 55)
        let alphabets: [[Unicode.Scalar]] = [
            Array("0123456789".unicodeScalars), Array("0123456789,-+".unicodeScalars), Array("0000000001,.-+".unicodeScalars),
            Array("0123456789.,-+ １２－x".unicodeScalars), Array("9999999999,".unicodeScalars),
        ]
        for alphabet in alphabets {
            for _ in 0..<4000 { literals.append(rng.string(from: alphabet, maxLength: 24)) }
            for _ in 0..<500 { literals.append(rng.string(from: alphabet, maxLength: 80)) }
        }
        // Lengths around Int64's 19 digits and Decimal's 38, with and without a sign.
        for n in 15...45 {
            for lead in ["", "-", "+", "0", "-00"] {
                var digits = lead
                for _ in 0..<n { digits.unicodeScalars.append(Unicode.Scalar(UInt8(48 + rng.next() % 10))) }
                literals.append(digits)
                literals.append(lead + String(repeating: "9", count: n))
                literals.append(lead + "1" + String(repeating: "0", count: n - 1))
            }
        }
        for l in literals { assertSame(l) }
    }
}
