import Foundation
import OGITestSupport
import XCTest

@testable import OGIRules

/// The byte lexer for ASCII expressions gives exactly the tokens, offsets and errors of the character lexer.
final class ExpressionLexTests: XCTestCase {
    /// Tokens and offsets, or the error, as one comparable text.
    func outcome(_ lex: () throws -> [(ExpressionParser.Tok, Int)]) -> String {
        do { return try lex().map { "\($0.0)@\($0.1)" }.joined(separator: " ") } catch let e as ExpressionError {
            return "error@\(e.offset): \(e.message)"
        } catch { return "other error: \(error)" }
    }

    func assertSame(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            outcome { try ExpressionParser.lexASCII(Array(s.utf8)) }, outcome { try ExpressionParser.lexCharacters(s) },
            "\(s.debugDescription)",
            file: file, line: line)
    }

    func testHandWrittenCases() {
        for s in [
            "", "a == b", "sum(t3.row.*) != 0.5", "1.x", "12.5.3", "$col + $", "\"unterminated", "'a b' == x", "x = 1", "a >= b <= c",
            "[1, 2].len", "#", "a\tb\u{0B}c\u{0C}d\ne", "_x1 * 3/4 - -2", "a\u{1F}b", "a\u{7F}", "1..2", "3.", ".5",
        ] {
            assertSame(s)
        }
    }

    func testEveryExpressionOfTheBundledRules() throws {
        // Every line of the rule files, cut at each operator-ish position, is lexed both ways.
        let files = try RulePackLoader.ruleFiles(in: Repo.rules)
        var compared = 0
        for f in files {
            let text = try String(contentsOfFile: f, encoding: .utf8)
            for line in text.split(separator: "\n") where !line.utf8.contains(where: { $0 >= 0x80 || $0 == 0x0D }) {
                let s = String(line.drop { $0 == " " || $0 == "-" })
                guard let colon = s.firstIndex(of: ":") else { continue }
                assertSame(String(s[s.index(after: colon)...]))
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 200)
    }

    func testRandomASCII() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab_Z09.$\"' =!<>+-*/()[],#\t\n\u{0B}\u{0C}\u{01}~".utf8)
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<16, using: &rng)
            let s = String(decoding: (0..<n).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
            assertSame(s)
        }
    }
}
