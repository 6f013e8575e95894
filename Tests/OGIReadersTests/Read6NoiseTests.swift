import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The inline-noise and line-noise checks answered from one reading of each line (`ReaderContext.noiseScreen`,
/// `TextReader.noiseSlots`) must give what the two separate screens give: the same cleaned texts and the same
/// noise-free lines. Compared on every sample, rendering and corpus text, their generated variants
/// (`TextFrontFastPathTests.documents`), and runs of generated lines holding the characters the patterns
/// look for (line breaks among them).
final class Read6NoiseTests: XCTestCase {
    static let context = ReadOnePass2Tests.context

    func testCombinedScreenEqualsPatternByPattern() throws {
        let ctx = Self.context
        let reader = TextReader(context: ctx)
        let screen = try XCTUnwrap(ctx.noiseScreen)
        let offset = ctx.inlineNoise.count
        var noise = 0, mayMatch = 0
        for s in try ReadOnePass2Tests.lines() {
            let present = screen.presentSlots(s)
            XCTAssertEqual(present, screen.presentSlotsByScalars(s), s.debugDescription)
            for (k, p) in ctx.inlineNoise.enumerated() {
                let a = screen.mayMatch(k, s, present: present)
                XCTAssertEqual(a, p.mayMatch(s), "\(p.source) \(s.debugDescription)")
                if a { mayMatch += 1 }
            }
            for (k, p) in ctx.lineNoise.enumerated() {
                let a = screen.mayMatch(offset + k, s, present: present)
                XCTAssertEqual(a, p.mayMatch(s), "\(p.source) \(s.debugDescription)")
                if a { mayMatch += 1 }
            }
            let isNoise = reader.isLineNoise(s, present: present)
            XCTAssertEqual(isNoise, reader.isLineNoise(s), s.debugDescription)
            XCTAssertEqual(isNoise, ctx.lineNoise.contains(where: { $0.matches(s) }), s.debugDescription)
            if isNoise { noise += 1 }
        }
        XCTAssertGreaterThan(mayMatch, 100)
        XCTAssertGreaterThan(noise, 5)
    }

    /// The noise screen marks line breaks: a text's slots have `lineBreakMask` exactly when it holds a line-feed or
    /// carriage-return byte (what the inline-noise removal asks of the lines), and the patterns' slots are those of
    /// the screen without the mark.
    func testNoiseSlotsMarkLineBreaks() throws {
        let ctx = Self.context
        let screen = try XCTUnwrap(ctx.noiseScreen)
        XCTAssertNotEqual(screen.lineBreakMask, 0)
        let unmarked = try XCTUnwrap(RequiredScalarsScreen(ctx.inlineNoise + ctx.lineNoise))
        XCTAssertEqual(unmarked.lineBreakMask, 0)
        var texts = try TextFrontFastPathTests.documents().flatMap { $0.map(\.text) }
        texts += ["a\nb", "\r", "x\r\ny", "數\n", "\u{2028}", "\u{85}", "", "|\t|", "\u{0B}", "\u{0C}", "[bookmark:\r]"]
        var withBreaks = 0
        for t in texts {
            let present = screen.presentSlots(t)
            XCTAssertEqual(present & screen.lineBreakMask != 0, TextReader.hasLineBreakByte(t), t.debugDescription)
            XCTAssertEqual(present, screen.presentSlotsByScalars(t), t.debugDescription)
            XCTAssertEqual(present & ~screen.lineBreakMask, unmarked.presentSlots(t), t.debugDescription)
            if present & screen.lineBreakMask != 0 { withBreaks += 1 }
        }
        XCTAssertGreaterThan(withBreaks, 100)
        XCTAssertGreaterThan(texts.count - withBreaks, 1000)
    }

    /// `removingInlineNoise(_:slots:)` and `noiseFreeLines(unchanged:in:slots:)` against the readings without slots,
    /// over whole documents and over the ranges of 32 lines the pairing reading cleans.
    func testOneReadingCleansAsTheTwoScreens() throws {
        let reader = TextReader(context: Self.context)
        var docs = try TextFrontFastPathTests.documents()
        let generated = try ReadOnePass2Tests.lines()
        for size in [1, 2, 7, 40] {
            var i = 0
            while i < generated.count {
                let end = min(generated.count, i + size)
                docs.append((i..<end).map { SourceLine(number: $0 + 1, text: generated[$0]) })
                i = end
            }
        }
        XCTAssertGreaterThan(docs.count, 1000)
        var unchanged = 0, changed = 0, dropped = 0, keptDropped = 0
        for doc in docs {
            let texts = doc.map(\.text)
            let reference = reader.removingInlineNoise(texts)
            let slots = reader.noiseSlots(texts)
            XCTAssertNotNil(slots)
            let new = reader.removingInlineNoise(texts, slots: slots)
            XCTAssertEqual(new.texts, reference, texts.joined(separator: "⏎").debugDescription)
            // The readers' entry: the lines' texts read in place, gathered only past the screen; nil when unchanged.
            XCTAssertEqual(reader.noiseSlots(lines: doc), slots)
            let fromLines = reader.removingInlineNoise(lines: doc, slots: slots)
            XCTAssertEqual(fromLines == nil, new.unchanged, texts.joined(separator: "⏎").debugDescription)
            if let fromLines { XCTAssertEqual(fromLines, new.texts) }
            if new.unchanged {
                XCTAssertEqual(new.texts.count, texts.count)
                for (a, b) in zip(new.texts, texts) { XCTAssertTrue(FastText.bytesEqual(a, b)) }
                unchanged += 1
            } else {
                changed += 1
            }
            var ranges = [doc.indices]
            var start = 0
            while start < doc.count {
                ranges.append(start..<min(doc.count, start + 32))
                start += 32
            }
            for r in ranges {
                let old = reader.noiseFreeLines(doc, cleaned: reference, in: r)
                // As the readers clean: texts the removal left as they were give the input's own lines, noise lines
                // left out, their slots read once; changed texts are cleaned line by line.
                let fast =
                    new.unchanged
                    ? Array(reader.noiseFreeLines(unchanged: doc, in: r, slots: slots))
                    : reader.noiseFreeLines(doc, cleaned: new.texts, in: r)
                XCTAssertEqual(fast.map(\.text), old.map(\.text))
                XCTAssertEqual(fast.map(\.number), old.map(\.number))
                if r == doc.indices { dropped += r.count - old.count }
                if new.unchanged {
                    let withoutScreen = reader.noiseFreeLines(unchanged: doc, in: r, slots: nil)
                    XCTAssertEqual(withoutScreen.map(\.number), old.map(\.number))
                    if fast.count < r.count { keptDropped += 1 }
                }
            }
        }
        XCTAssertGreaterThan(unchanged, 100)
        XCTAssertGreaterThan(changed, 10)
        XCTAssertGreaterThan(dropped, 10)
        XCTAssertGreaterThan(keptDropped, 10)
    }
    /// `removingInlineNoise(_:slots:)` against the removal as it was before the scalar one: every pattern in
    /// order over the joined text through NSString (`LazyPatternTests.referenceRemoval`), compared byte for byte.
    /// Among the documents, texts where a removal makes the only match of a later pattern that the screen
    /// ruled out on the text as read (a bookmark note inside pinyin brackets).
    func testCleaningEqualsTheNSStringRemovalPatternByPattern() throws {
        let ctx = Self.context
        let reader = TextReader(context: ctx)
        var docs = try TextFrontFastPathTests.documents().map { $0.map(\.text) }
        docs += [
            ["數([bookmark:x]shù)據"], ["一", "數([bookmark:a]shù)", "二"], ["據([image:p]jù)", "[bookmark:b]"],
            ["數(shù)[bookmark:\r\n]"], ["a\r\nb", "數(shù)"], ["𠀀(zhù)", "國([bookmark:]guó)"],
        ]
        var changedByChain = 0, compared = 0
        for texts in docs {
            let original = texts.joined(separator: "\n")
            var joined = original
            for p in ctx.inlineNoise { joined = LazyPatternTests.referenceRemoval(p, joined) }
            let hasBreaks = texts.contains(where: TextReader.hasLineBreakByte)
            let reference =
                !hasBreaks && FastText.bytesEqual(joined, original)
                ? texts : joined.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let new = reader.removingInlineNoise(texts, slots: reader.noiseSlots(texts))
            XCTAssertEqual(new.texts.map { Array($0.utf8) }, reference.map { Array($0.utf8) }, original.debugDescription)
            // Line breaks inside lines among them ("a\r\nb"): the lines' entry goes on past the screen.
            let doc = texts.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
            let fromLines = reader.removingInlineNoise(lines: doc, slots: reader.noiseSlots(lines: doc))
            XCTAssertEqual(fromLines?.map { Array($0.utf8) } ?? nil, new.unchanged ? nil : new.texts.map { Array($0.utf8) })
            compared += 1
            if original.contains("([bookmark:"), !FastText.bytesEqual(joined, original) { changedByChain += 1 }
        }
        XCTAssertGreaterThan(compared, 100)
        XCTAssertGreaterThanOrEqual(changedByChain, 3)
        // The chain: the pinyin pattern cannot match the text as read, only once the bookmark is gone.
        let chained = ["數([bookmark:x]shù)據"]
        XCTAssertEqual(reader.removingInlineNoise(chained, slots: reader.noiseSlots(chained)).texts, ["數據"])
    }

    /// A pattern whose matches stay inside a line is first searched only in the lines the screen lets it match,
    /// joined: generated documents of lines holding pinyin notes, brackets before letters that are no pinyin, a note
    /// at a line's start after a line ending in an ideograph (its look-behind sees a line feed in the joined text),
    /// brackets opened on one line and closed on the next, bookmarks, image notes split over lines (whose pattern can
    /// span them) and ideographs beyond the BMP come out as the reference removal over the joined text
    /// (`LazyPatternTests.referenceRemoval`), texts and unchanged flag alike; among them texts where the screen lets
    /// the pinyin pattern through the joined text but through none of its lines.
    func testLineLocalPatternsSearchedInTheirLinesCleanAsTheJoinedText() throws {
        let ctx = Self.context
        let reader = TextReader(context: ctx)
        let pieces = ["數", "(shù)", "(a)", "(www", "(", ")", "x", "中文", "[bookmark:y]", "[image:", "]", "一", " ", "𠀀", "(zhù)", "(ABC)"]
        var rng = SplitMix(seed: 0x11E)
        var changed = 0, unchanged = 0, linesWithNotes = 0, throughNoLine = 0
        let screen = try XCTUnwrap(ctx.noiseScreen)
        let pinyin = try XCTUnwrap(ctx.inlineNoise.firstIndex { $0.matcher.scalarRegex?.isLineLocal == true })
        for n in 0..<4_000 {
            // A quarter of the documents without the notes' brackets on one line: "(" and ")" on lines of their own.
            let source = n % 4 == 0 ? ["數", "(", ")", "shù", "中文", " ", "x"] : pieces
            let texts = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                (0..<Int.random(in: 0...6, using: &rng)).map { _ in source.randomElement(using: &rng)! }.joined()
            }
            let original = texts.joined(separator: "\n")
            var joined = original
            for p in ctx.inlineNoise { joined = LazyPatternTests.referenceRemoval(p, joined) }
            let reference =
                FastText.bytesEqual(joined, original)
                ? texts : joined.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let new = reader.removingInlineNoise(texts, slots: reader.noiseSlots(texts))
            XCTAssertEqual(new.texts.map { Array($0.utf8) }, reference.map { Array($0.utf8) }, original.debugDescription)
            XCTAssertEqual(new.unchanged, FastText.bytesEqual(joined, original), original.debugDescription)
            let doc = texts.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
            let fromLines = reader.removingInlineNoise(lines: doc, slots: reader.noiseSlots(lines: doc))
            XCTAssertEqual(fromLines?.map { Array($0.utf8) } ?? nil, new.unchanged ? nil : reference.map { Array($0.utf8) })
            if FastText.bytesEqual(joined, original) { unchanged += 1 } else { changed += 1 }
            let slots = try XCTUnwrap(reader.noiseSlots(texts))
            if screen.mayMatch(pinyin, joinedLinesOf: texts, present: slots.reduce(0, |), lineSlots: slots),
                !texts.indices.contains(where: { screen.mayMatch(pinyin, texts[$0], present: slots[$0]) })
            {
                throughNoLine += 1
            }
            linesWithNotes += texts.filter { $0.contains("(shù)") || $0.contains("(zhù)") }.count
        }
        XCTAssertGreaterThan(changed, 300)
        XCTAssertGreaterThan(unchanged, 300)
        XCTAssertGreaterThan(linesWithNotes, 1_000)
        XCTAssertGreaterThan(throughNoLine, 50)
        // The profile's pinyin pattern is read line by line, its bookmark and image patterns (whose runs take line
        // feeds) are not; anchors, line feeds and look-behinds that take them make a pattern not line-local.
        let local = ctx.inlineNoise.map { $0.matcher.scalarRegex?.isLineLocal }
        XCTAssertEqual(local, [false, false, true])
        for (pattern, isLocal) in [
            ("a.b", true), ("[^x]+", false), ("^a", false), ("a$", false), ("a\\nb", false), ("(?<=\\n)a", false), ("(?<!a)b", true),
            ("[a-z]{1,6}", true), ("\\s+", false), ("[ \\t]+", true),
        ] {
            XCTAssertEqual(ScalarRegex(pattern)?.isLineLocal, isLocal, pattern)
        }
    }

    /// A pair of required neighbours is looked for on the text's UTF-8 bytes as over its scalar view: the pairs of
    /// the profile's patterns and random pairs (ASCII, CJK, beyond the BMP), on every document's lines and on
    /// generated texts.
    func testRequiredPairsOccurAsOverTheScalarView() throws {
        let profile = Self.context.templates.profile
        var pairs: [RequiredScalars.Pair] = []
        for source in profile.inlineNoise + profile.lineNoise + profile.periodPatterns + profile.publishedPatterns {
            pairs += RequiredScalars(pattern: source)?.pairs ?? []
        }
        XCTAssertFalse(pairs.isEmpty)
        let alphabet = Array("(（a數據ā\n 𠀀😀1年".unicodeScalars)
        var rng = SplitMix(seed: 0x9a125)
        func pick() -> [Unicode.Scalar] { (0...(rng.next() % 3)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] } }
        for _ in 0..<40 { pairs.append(RequiredScalars.Pair(first: pick(), second: pick())) }
        var texts = try TextFrontFastPathTests.documents().flatMap { $0.map(\.text) }
        for _ in 0..<2000 {
            texts.append(
                String(String.UnicodeScalarView((0..<(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })))
        }
        var found = 0
        for pair in pairs {
            for t in texts {
                let expected = pair.occursByScalarView(in: t)
                XCTAssertEqual(pair.occurs(in: t), expected, "\(pair.first) \(pair.second) in \(t.debugDescription)")
                if expected { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 1000)
    }

    /// The lines after a removal are cut at line feeds on the bytes as the split by characters cut them: on every
    /// document joined, and on generated texts of line feeds, carriage returns (a "\r\n" is one character, not
    /// cut), combining marks after a line feed (a character of their own after it), empty lines and wide characters.
    func testSplitAtLineFeedsEqualsTheSplitByCharacters() throws {
        func reference(_ s: String) -> [String] { s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var texts = try TextFrontFastPathTests.documents().map { $0.map(\.text).joined(separator: "\n") }
        texts += ["", "\n", "\n\n", "\r\n", "a\r\nb", "\r", "\r\r\n\n", "a\n\u{301}b", "\n\u{301}", "數\n", "\n𠀀\r"]
        let alphabet = Array("\n\r\n\ra數\u{301}𠀀 ".unicodeScalars)
        var rng = SplitMix(seed: 0x5b117)
        for _ in 0..<3000 {
            texts.append(
                String(String.UnicodeScalarView((0..<(rng.next() % 14)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })))
        }
        var withCRLF = 0
        for t in texts {
            XCTAssertEqual(TextReader.splitAtLineFeeds(t).map { Array($0.utf8) }, reference(t).map { Array($0.utf8) }, t.debugDescription)
            if t.contains("\r\n") { withCRLF += 1 }
        }
        XCTAssertGreaterThan(withCRLF, 100)
    }

    /// The scalars the inline-noise patterns are first searched in, decoded line by line, are those of the
    /// joined text: on every document, on no lines, on empty lines and on characters of one to four bytes.
    func testScalarsOfJoinedLinesAreThoseOfTheJoinedText() throws {
        var docs = try TextFrontFastPathTests.documents().map { $0.map(\.text) }
        docs += [
            [], [""], ["", ""], ["a", "", "b"], ["𠀀(zhù)", "é", "數(shù)"], ["\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"],
        ]
        for texts in docs {
            XCTAssertEqual(TextReader.scalarsOfJoinedLines(texts), UTF8Scan.scalarValues(of: texts.joined(separator: "\n")).values)
        }
    }

}

/// `HeadingMatcher.splittingRunInHeadings` screening lines with `mayHaveRunInHeading` (a sentence end, a
/// numeral and a separator in a row, read on bytes) must split every line as the reading it replaces, which
/// read every line with a sentence end into scalars (`referenceSplitting`, kept here).
final class Read6RunInHeadingTests: XCTestCase {
    /// The splitting as it was: every line with a 。 or ； read into scalars and searched for a cut.
    static func referenceSplitting(_ matcher: HeadingMatcher, _ lines: [SourceLine]) -> [SourceLine] {
        var out: [SourceLine] = []
        for l in lines {
            guard HeadingMatcher.hasSentenceEnd(l.text) else { out.append(l); continue }
            let scalars = Array(l.text.unicodeScalars)
            var cut: Int?
            if scalars.count > 6 {
                for i in 1..<(scalars.count - 2)
                where (scalars[i - 1] == "。" || scalars[i - 1] == "；") && matcher.numerals.contains(scalars[i])
                    && matcher.separators.contains(scalars[i + 1])
                {
                    let tail = String(String.UnicodeScalarView(scalars[i...]))
                    if matcher.match(tail, excluding: []) != nil { cut = i; break }
                }
            }
            if let c = cut {
                out.append(SourceLine(number: l.number, text: String(String.UnicodeScalarView(scalars[..<c]))))
                out.append(SourceLine(number: l.number, text: String(String.UnicodeScalarView(scalars[c...]))))
            } else {
                out.append(l)
            }
        }
        return out
    }

    func testScreenedSplittingEqualsTheScalarReading() throws {
        let ctx = ReadOnePass2Tests.context
        let matcher = ctx.headingMatcher
        var docs = try TextFrontFastPathTests.documents()
        // Generated lines: sentence ends, numerals, separators and heading words in every order, with
        // multi-byte and astral neighbours; and sample lines with a heading run in after a sentence end.
        let numerals = matcher.numeralList
        let headings = ctx.templates.profile.parts.map { String(numerals[($0.number - 1) % numerals.count]) + "、" + $0.title }
        var rng = SplitMix(seed: 606)
        let alphabet = Array("。；一二三四五六七八九十、.． 1a总体情况主动公开😀é\u{301}".unicodeScalars)
        var generated: [SourceLine] = []
        for n in 0..<6000 {
            var s = rng.string(from: alphabet, maxLength: 20)
            if n % 3 == 0, let h = headings.randomElement(using: &rng) {
                s += (n % 2 == 0 ? "。" : "；") + h + rng.string(from: alphabet, maxLength: 6)
            }
            generated.append(SourceLine(number: n + 1, text: s))
        }
        docs.append(generated)
        var candidates = 0, cuts = 0
        for doc in docs {
            for l in doc where matcher.mayHaveRunInHeading(l.text) { candidates += 1 }
            let fast = matcher.splittingRunInHeadings(doc)
            let reference = Self.referenceSplitting(matcher, doc)
            XCTAssertEqual(fast.map(\.text), reference.map(\.text))
            XCTAssertEqual(fast.map(\.number), reference.map(\.number))
            // A part of the lines (as the pairing reading cleans them, 32 at a time) splits as the same lines alone.
            var start = 0
            while start < doc.count {
                let part = doc[start..<min(doc.count, start + 32)]
                let split = matcher.splittingRunInHeadings(part), alone = Self.referenceSplitting(matcher, Array(part))
                XCTAssertEqual(split.map(\.text), alone.map(\.text))
                XCTAssertEqual(split.map(\.number), alone.map(\.number))
                start += 32
            }
            cuts += reference.count - doc.count
        }
        XCTAssertGreaterThan(candidates, 100)
        XCTAssertGreaterThan(cuts, 20)
    }

}
