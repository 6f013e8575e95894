import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The text reader's one-pass shortcuts must give what the code they replace gives: the noise patterns'
/// required characters read for all patterns in one pass over a line (`RequiredScalarsScreen`), prose
/// pieces aligned without their comparable form (never read), and significant digits counted without
/// collecting them. Compared on every sample, rendering and corpus text and on generated inputs.
final class ReadOnePass2Tests: XCTestCase {
    static let context = try! ReaderContext(templates: Repo.linter.ruleSet.templates)

    /// Every line of every text, and lines generated from the characters the noise patterns look for.
    static func lines() throws -> [String] {
        var out: [String] = []
        for t in try FastPathTests.texts() { out += t.text.components(separatedBy: "\n") }
        out += FastPathTests.tricky
        var rng = SplitMix(seed: 23)
        let alphabet = Array("[]()bookmarkimage:数据-—–－第页共/|\\ 1234\n\rāǚü年报告。（）".unicodeScalars)
        for _ in 0..<3000 { out.append(rng.string(from: alphabet, maxLength: 24)) }
        return out
    }

    func testNoiseScreenEqualsPatternByPattern() throws {
        let ctx = Self.context
        let reader = TextReader(context: ctx)
        let inline = try XCTUnwrap(ctx.inlineNoiseScreen)
        let line = try XCTUnwrap(ctx.lineNoiseScreen)
        let lines = try Self.lines()
        XCTAssertGreaterThan(lines.count, 3000)
        var mayMatch = 0, noise = 0
        for s in lines {
            for (k, p) in ctx.lineNoise.enumerated() {
                let a = line.mayMatch(k, s, present: line.presentSlots(s))
                XCTAssertEqual(a, p.mayMatch(s), "\(p.source) \(s.debugDescription)")
                if a { mayMatch += 1 }
            }
            for (k, p) in ctx.inlineNoise.enumerated() {
                let a = inline.mayMatch(k, s, present: inline.presentSlots(s))
                XCTAssertEqual(a, p.mayMatch(s), "\(p.source) \(s.debugDescription)")
                if a { mayMatch += 1 }
            }
            let isNoise = ctx.lineNoise.contains(where: { $0.matches(s) })
            XCTAssertEqual(reader.isLineNoise(s), isNoise, s.debugDescription)
            if isNoise { noise += 1 }
        }
        XCTAssertGreaterThan(mayMatch, 100)
        XCTAssertGreaterThan(noise, 5)
        // Lines joined: runs of 1, 2, 7 and 40 lines from every place of the list.
        var joinedMay = 0
        for size in [1, 2, 7, 40] {
            var i = 0
            while i < lines.count {
                let chunk = Array(lines[i..<min(lines.count, i + size)])
                let ref = ctx.inlineNoise.contains(where: { $0.mayMatch(joinedLinesOf: chunk) })
                XCTAssertEqual(reader.inlineNoiseMayMatch(joinedLinesOf: chunk), ref, chunk.joined(separator: "⏎").debugDescription)
                if ref { joinedMay += 1 }
                i += size
            }
        }
        XCTAssertGreaterThan(joinedMay, 50)
        // Whole texts: the noise-free lines as the pattern-by-pattern reading gives them.
        for t in try FastPathTests.texts() {
            let input = TextReader.lines(of: t.text)
            let cleaned = reader.removingInlineNoise(input.map(\.text))
            let new = reader.noiseFreeLines(input, cleaned: cleaned, in: input.indices)
            let ref = input.indices.compactMap { i -> SourceLine? in
                let text = i < cleaned.count ? cleaned[i] : input[i].text
                if !text.isEmpty, ctx.lineNoise.contains(where: { $0.matches(text) }) { return nil }
                return SourceLine(number: input[i].number, text: text)
            }
            XCTAssertEqual(new.map(\.text), ref.map(\.text), t.name)
            XCTAssertEqual(new.map(\.number), ref.map(\.number), t.name)
        }
    }

    /// A pattern's required characters read in one pass over the bytes (`RequiredScalars.allPresent`) are those
    /// read set by set through the scalar view, for every pattern of the profile (noise, period, publication
    /// date, year and agency names) on every line and on lines made of the patterns' own characters.
    func testRequiredScalarsReadInOnePassEqualSetBySet() throws {
        let ctx = Self.context
        let patterns =
            ctx.inlineNoise + ctx.lineNoise + ctx.periodPatterns + ctx.publishedPatterns + [ctx.yearPattern]
            + (ctx.tableYearPattern.map { [$0] } ?? []) + ctx.governmentNames + ctx.departmentNames
        let required = patterns.compactMap(\.required)
        XCTAssertGreaterThan(required.count, 10)
        XCTAssertTrue(required.contains { !$0.pairs.isEmpty }, "some pattern has neighbouring items")
        var lines = try Self.lines()
        var own = Set<Unicode.Scalar>()
        for r in required { for set in r.sets { own.formUnion(set) } }
        var rng = SplitMix(seed: 91)
        let alphabet = Array(own) + Array("年月日 1\u{80}\u{FFFF}😀".unicodeScalars)
        for _ in 0..<3000 { lines.append(rng.string(from: alphabet, maxLength: 16)) }
        var present = 0
        for r in required {
            XCTAssertNotNil(r.slots)
            for s in lines {
                let a = r.allPresent(in: s)
                XCTAssertEqual(a, r.allPresentByScalarView(in: s), s.debugDescription)
                if a { present += 1 }
            }
        }
        XCTAssertGreaterThan(present, 1000)
    }

    /// The noise screen's pairs looked for only in the lines that hold both their items give what looking in
    /// every line gives, for runs of lines from every place of the list.
    func testPairsLookedForInLinesWithBothItemsAsInEveryLine() throws {
        let screen = try XCTUnwrap(Self.context.noiseScreen)
        XCTAssertTrue(screen.pairs.contains { !$0.isEmpty })
        // The lines, and lines of the pairs' own characters, in and out of order.
        // The lines, and for each pattern with pairs, lines holding a character of each of its sets in their
        // order (the pairs side by side), shuffled (the pairs mostly apart), and with a line break inside.
        var lines = try Self.lines()
        var rng = SplitMix(seed: 17)
        for r in Self.context.inlineNoise.compactMap(\.required) + Self.context.lineNoise.compactMap(\.required) where !r.pairs.isEmpty {
            for _ in 0..<60 {
                let ordered = r.sets.map { $0[Int(rng.next() % UInt64($0.count))] }
                lines.append(String(String.UnicodeScalarView(ordered)))
                var shuffled = ordered
                shuffled.shuffle(using: &rng)
                lines.append("年" + String(String.UnicodeScalarView(shuffled)) + " 1")
                let cut = Int(rng.next() % UInt64(ordered.count))
                lines.append(String(String.UnicodeScalarView(ordered[..<cut])))
                lines.append(String(String.UnicodeScalarView(ordered[cut...])))
            }
        }
        var may = 0, not = 0
        for size in [1, 2, 7, 40] {
            var i = 0
            while i < lines.count {
                let chunk = Array(lines[i..<min(lines.count, i + size)])
                let slots = chunk.map { screen.presentSlots($0) }
                let present = slots.reduce(0, |)
                for k in screen.masks.indices {
                    let a = screen.mayMatch(k, joinedLinesOf: chunk, present: present, lineSlots: slots)
                    XCTAssertEqual(a, screen.mayMatch(k, joinedLinesOf: chunk, present: present), "\(k) \(chunk)")
                    // Counted where the pairs decide: every set is there.
                    if !screen.pairs[k].isEmpty, let mask = screen.masks[k], present & mask == mask {
                        if a { may += 1 } else { not += 1 }
                    }
                }
                i += size
            }
        }
        XCTAssertGreaterThan(may, 100)
        XCTAssertGreaterThan(not, 100)
    }

    func testSignificantDigitsCountedInOnePassEqualCollected() throws {
        var words: [String] = ["", ".", "0", "00", "0.0", "0.", ".0", "100", "100.", "100.00", "0.0100", "1.2.3", "00.00100", "1e5"]
        for t in try FastPathTests.texts() {
            words += t.text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "|" }).map(String.init).prefix(400)
        }
        var rng = SplitMix(seed: 5)
        let alphabet = Array("0000123456789..-+a".unicodeScalars)
        for _ in 0..<20000 { words.append(rng.string(from: alphabet, maxLength: 50)) }
        var over = 0
        for w in words {
            let a = CellSyntax.significantDigits(w), b = CellSyntax.significantDigitsCollected(w)
            XCTAssertEqual(a, b, w.debugDescription)
            if a > CellSyntax.maxSignificantDigits { over += 1 }
        }
        XCTAssertGreaterThan(over, 10)
    }

    /// Prose pieces have no characters; the contexts read from the items are the same as with prose pieces given
    /// their comparable form (what `observe` built before), and every other piece reads its token's comparable
    /// characters.
    func testProsePiecesWithoutCharactersAlignAsBefore() throws {
        let ctx = Self.context
        let mapper = ctx.mapper
        let syntax = ctx.templates.profile.cells
        let numerals = ctx.templates.profile.partNumerals
        var tables: [PreparedTable] = []
        for t in ctx.templates.templates {
            let p = try XCTUnwrap(mapper.preparedTemplates.preparation(ofTemplate: t.id))
            tables += t.tables.compactMap { p.tables[$0.key] }
        }
        var prose = 0, compared = 0
        for (n, t) in try FastPathTests.texts().enumerated() where n % 3 == 0 {
            let tokens = CellTokenizer.tokens(of: TextReader.lines(of: t.text), syntax: syntax, filter: mapper.valueScalars)
            let aligner = RowAligner(
                numerals: numerals, syntax: syntax, locate: mapper.locate, signWords: mapper.signWords,
                comparable: ComparableLabels(count: tokens.count))
            for table in tables {
                let (items, runs, _) = aligner.observe(tokens[...], table: table)
                // Prose pieces have no characters; giving them their comparable form changes no context.
                for case .piece(let p) in items where p.prose {
                    XCTAssertTrue(aligner.chars(of: p).isEmpty)
                    prose += 1
                }
                let filled: (RowAligner.Piece) -> [Unicode.Scalar] = { p in
                    p.prose
                        ? Array(LabelText.comparable(normalized: tokens[p.index].norm, numerals: numerals).unicodeScalars)
                        : aligner.chars(of: p)
                }
                let a = aligner.contexts(items: items, runs: runs), b = aligner.contexts(items: items, runs: runs, charsOf: filled)
                XCTAssertEqual(a.map { TableMappingFastPathTests.describe($0) }, b.map { TableMappingFastPathTests.describe($0) }, t.name)
                compared += a.count
                // A piece that is not prose has the characters observe made for its token.
                for case .piece(let p) in items where !p.prose {
                    XCTAssertEqual(
                        aligner.chars(of: p),
                        Array(LabelText.comparable(normalized: tokens[p.index].norm, numerals: numerals).unicodeScalars))
                }
            }
        }
        XCTAssertGreaterThan(prose, 100)
        XCTAssertGreaterThan(compared, 100)
    }
}
