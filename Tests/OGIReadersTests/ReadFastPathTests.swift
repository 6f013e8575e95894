import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The text reader's fast paths (scalar and byte scans in place of character and Foundation calls, the
/// metadata-only pass) must give what the code they replace gives: on every sample, rendering and corpus
/// text, on generated variants of their labels, and on tricky text.
final class ReadFastPathTests: XCTestCase {
    /// Marks and compatibility forms that make a scalar reading differ from a character reading.
    static let troublemakers = ["\u{301}", "\u{302A}", "\u{200D}", "\u{F9D1}", "\u{212A}", "\r\n", "e\u{301}", "\u{1100}\u{1161}", "𠀀"]

    /// Every word and field of the texts, plus tricky labels.
    static func labels() throws -> [String] {
        var out = FastPathTests.trickyLabels
        for t in try FastPathTests.texts() {
            for line in t.text.split(separator: "\n") {
                out.append(String(line))
                out += line.split(whereSeparator: { $0 == "\t" || $0 == "|" || $0 == " " }).map(String.init)
            }
        }
        return out
    }

    /// Numbering prefixes combined with label heads, some with a mark or a compatibility form at each place.
    static func generatedLabels(numerals: String) -> [String] {
        let numbers = ["一、", "(一)", "（二）", "1.", "12、", "(3):", "三、(一)", "十一,", "2)", "(", "()", "一", "1", "(1", "1:2、", ""]
        let heads = ["属于国家秘密", "规章", "、x", ")", ".", "", "1.x", "(二)y"]
        var out: [String] = []
        for n in numbers {
            for h in heads {
                let s = n + h
                out.append(s)
                out.append(LabelText.normalize(s))
                let scalars = Array(s.unicodeScalars)
                for k in 0...min(scalars.count, 6) {
                    for m in troublemakers {
                        var v = String.UnicodeScalarView(scalars[..<k])
                        v.append(contentsOf: m.unicodeScalars)
                        v.append(contentsOf: scalars[k...])
                        out.append(String(v))
                    }
                }
            }
        }
        for u in numerals.unicodeScalars.prefix(3) { out.append(String(u) + "\u{301}、x") }
        return out
    }

    func testNumberingStrippedOnScalarsEqualsTheCharacterReading() throws {
        let numerals = Repo.linter.ruleSet.templates.profile.partNumerals
        let labels = try Self.labels() + Self.generatedLabels(numerals: numerals)
        XCTAssertGreaterThan(labels.count, 10_000)
        var fast = 0, stripped = 0
        for l in labels {
            for ns in [numerals, "", "一二\u{F9D1}", "K", "一二三"] {
                let ref = LabelText.stripNumberingOnCharacters(l, numerals: ns)
                XCTAssertEqual(LabelText.stripNumbering(l, numerals: ns), ref, "\(l.debugDescription) with \(ns)")
                if let f = LabelText.stripNumberingOnScalars(l, numerals: ns) {
                    fast += 1
                    XCTAssertEqual(f, ref, "\(l.debugDescription) with \(ns)")
                    if f != l { stripped += 1 }
                }
            }
        }
        // The scalar reading is the one used almost always, and it strips.
        XCTAssertGreaterThan(fast, labels.count * 3)
        XCTAssertGreaterThan(stripped, 1000)
        // It steps aside where a character is more than one scalar or numerals are not plain.
        XCTAssertNil(LabelText.stripNumberingOnScalars("一\u{301}、x", numerals: numerals))
        XCTAssertNil(LabelText.stripNumberingOnScalars("一、x", numerals: "一\u{F9D1}"))
        XCTAssertEqual(LabelText.stripNumbering("三、(一)予以公开", numerals: numerals), "予以公开")
    }

    /// Lines of the texts, with white space and marks around them, and tricky text.
    static func lines() throws -> [String] {
        var out =
            FastPathTests.tricky + [
                "# 标题 #", "\u{3000}\t# x", " \u{301}年度报告 ", "\u{00A0}a\u{2003}", "\u{200B}x\u{200B}", "\u{205F}\u{3000}",
            ]
        for t in try FastPathTests.texts() {
            for l in t.text.components(separatedBy: "\n").prefix(300) { out += [l, " \(l)\u{3000}", "#\t\(l) #", "\u{00A0}\(l)\u{2002}"] }
        }
        return out
    }

    func testTrimmingEqualsFoundation() throws {
        let marks = CharacterSet(charactersIn: "# \t\u{3000}")
        for l in try Self.lines() {
            XCTAssertEqual(TextScan.trimmingTitleMarks(l), l.trimmingCharacters(in: marks), l.debugDescription)
            XCTAssertEqual(ScalarTrim.whitespaces(l), l.trimmingCharacters(in: .whitespaces), l.debugDescription)
        }
        // The scalar test is exactly Foundation's set, over every scalar.
        for v in UInt32(0)...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(ScalarTrim.isWhitespace(u), CharacterSet.whitespaces.contains(u), String(v, radix: 16))
            XCTAssertEqual(TextScan.isTitleMark(u), marks.contains(u), String(v, radix: 16))
        }
    }

    func testFirstRangeEqualsFoundation() throws {
        let profile = Repo.linter.ruleSet.templates.profile
        let words = profile.titleWords + ["年度报告", "政府", "报告", "a", "e\u{301}", "\u{301}", "é", "工作年"]
        var found = 0
        var lines = try Self.lines()
        lines += ["年度报告", "x年度报告年度报告", "caf\u{E9}", "cafe\u{301}", "年度报\u{301}告", "年度报告\u{301}"]
        for l in lines {
            for w in words {
                let ref = l.range(of: w)
                let fast = TextScan.firstRange(of: w, in: l)
                XCTAssertEqual(fast.map { l[$0] }, ref.map { l[$0] }, "\(w) in \(l.debugDescription)")
                XCTAssertEqual(fast?.lowerBound, ref?.lowerBound, "\(w) in \(l.debugDescription)")
                XCTAssertEqual(fast?.upperBound, ref?.upperBound, "\(w) in \(l.debugDescription)")
                if fast != nil { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 50)
    }

    /// Each inert scalar (`TextScan.isInert`) next to, inside and between matches of plain words: the fast path
    /// answers (the line is plain or inert) and gives Foundation's range.
    func testFirstRangeAroundInertScalarsEqualsFoundation() {
        let words = ["年度报告", "报告", "a", "e", "A", "政府信息公开工作年度报告"]
        var inert = 0, found = 0
        for v in UInt32(0)...0x3000 where TextScan.isInert(v) {
            let u = String(Unicode.Scalar(v)!)
            inert += 1
            let lines = [
                u + "年度报告", "年度报告" + u, "年度" + u + "报告", u, "a" + u + "e", "政府信息公开工作" + u + "年度报告年度报告",
                "x" + u + u + "报告" + u, "e" + u, u + "a", "A" + u + "报告",
            ]
            for l in lines {
                XCTAssertTrue(TextScan.isPlainOrInert(l), l.debugDescription)
                for w in words {
                    let ref = l.range(of: w)
                    let fast = TextScan.firstRange(of: w, in: l)
                    XCTAssertEqual(fast?.lowerBound, ref?.lowerBound, "\(w) in \(l.debugDescription)")
                    XCTAssertEqual(fast?.upperBound, ref?.upperBound, "\(w) in \(l.debugDescription)")
                    if fast != nil { found += 1 }
                }
            }
        }
        XCTAssertGreaterThan(inert, 500)
        XCTAssertGreaterThan(found, 5_000)
        // Scalars that are not inert: a combining mark, a compatibility ideograph (canonically an ideograph), a
        // zero-width space, a soft hyphen.
        for v: UInt32 in [0x301, 0xF900, 0x200B, 0xAD, 0x3099] {
            XCTAssertFalse(TextScan.isInert(v))
            XCTAssertFalse(TextScan.isPlainOrInert("报告" + String(Unicode.Scalar(v)!)))
        }
    }

    func testShortWordSetEqualsSet() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let words = syntax.increaseWords + syntax.decreaseWords + ["+", "＋", "e\u{301}"]
        let fast = ShortWordSet(words), ref = Set(words)
        var probes = try Self.labels() + words + ["\u{E9}", "+\u{301}", String(repeating: "增", count: 40)]
        probes += words.map { $0 + "\u{301}" } + words.map { " " + $0 }
        var hits = 0
        for p in probes {
            XCTAssertEqual(fast.contains(p), ref.contains(p), p.debugDescription)
            if ref.contains(p) { hits += 1 }
        }
        XCTAssertGreaterThan(hits, words.count - 1)
        // A decomposed spelling equals the composed word, and is found.
        XCTAssertTrue(fast.contains("\u{E9}"))
    }

    /// A sign word written apart from its number is told as Swift's `contains` tells it, for plain and other words,
    /// sign words spelled decomposed or with a combining mark, and sign-word lists that hold such spellings.
    func testSignWordIsSwiftsContains() throws {
        let profile = Repo.linter.ruleSet.templates.profile.cells
        let odd = CellSyntax(increaseWords: ["增", "e\u{301}", "＋＋"], decreaseWords: ["减", "\u{E9}\u{301}"])
        var probes = try Self.labels() + ["-", "+", "－", "＋", "−", "+\u{301}", "\u{E9}", "e\u{301}", "增", "减", "增\u{301}", "", " "]
        probes += (profile.increaseWords + profile.decreaseWords).flatMap { [$0, $0 + "\u{301}", " " + $0, String($0.reversed())] }
        var hits = 0
        for syntax in [profile, odd, CellSyntax()] {
            let words = ["-", "+", "－", "＋"] + syntax.increaseWords + syntax.decreaseWords
            for p in probes + words {
                let ref = words.contains(p)
                XCTAssertEqual(CellTokenizer.isSignWord(p, syntax: syntax), ref, p.debugDescription)
                if ref { hits += 1 }
            }
        }
        XCTAssertGreaterThan(hits, 20)
        // A decomposed spelling is the composed sign word.
        XCTAssertTrue(CellTokenizer.isSignWord("\u{E9}", syntax: odd))
    }

    /// The metadata-only reading, which maps tables only where their number decides which reading is kept,
    /// gives the metadata of the full reading: on every text, and on each text in traditional characters.
    func testMetadataReadingEqualsTheFullReading() throws {
        let reader = TextReader(context: try ReaderContext(templates: Repo.linter.ruleSet.templates))
        var texts = try FastPathTests.texts()
        // Traditional-character variants of a few reports: the second reading in simplified characters.
        for t in texts.prefix(8) {
            if let hant = t.text.applyingTransform(StringTransform("Hans-Hant"), reverse: false) {
                texts.append((t.name + " (hant)", hant))
            }
        }
        var fallbacks = 0
        for t in texts {
            let lines = TextReader.lines(of: t.text)
            let full = reader.parse(lines: lines, path: t.name, sourceFormat: "text")
            XCTAssertEqual(reader.parseMetadata(lines: lines, path: t.name, sourceFormat: "text"), full.metadata, t.name)
            let quick = reader.parseOnce(
                lines: lines, path: t.name, sourceFormat: "text", locate: { l, _ in SourceLocation(line: l) }, metadataOnly: true)
            if quick.parts.count < 3 { fallbacks += 1 }
        }
        // Reports read again in simplified characters, and reports with few parts, were among them.
        XCTAssertGreaterThan(fallbacks, 10)
    }
}

extension ReadFastPathTests {
    func testValueScalarsRejectOnlyText() throws {
        let profileSyntax = Repo.linter.ruleSet.templates.profile.cells
        let odd = CellSyntax(placeholders: ["/", "e\u{301}"], increaseWords: ["增"], decreaseWords: ["减"], units: ["元"])
        var words = try Self.labels() + Self.generatedLabels(numerals: "一二三")
        words += [
            "增51", "减 3", "51元", "１２", "+7", "－4", "−4", "/", "无", "空", "（空）", "1,234", "12,34", "1.5万元", "e\u{301}", "\u{E9}", "5件", "3x",
        ]
        var rejected = 0
        for syntax in [profileSyntax, odd, CellSyntax()] {
            let filter = ValueScalars(syntax: syntax)
            for w in words {
                let ref = CellTokenizer.value(w, syntax: syntax)
                let fast = CellTokenizer.value(w, syntax: syntax, filter: filter)
                XCTAssertEqual(fast?.state, ref?.state, w.debugDescription)
                XCTAssertEqual(fast?.value, ref?.value, w.debugDescription)
                XCTAssertEqual(fast?.unit, ref?.unit, w.debugDescription)
                if filter.isCertainlyText(w) {
                    rejected += 1
                    XCTAssertEqual(syntax.parse(w).state, .text, w.debugDescription)
                }
            }
        }
        XCTAssertGreaterThan(rejected, 5000)
        // A word list with a mark in it: nothing is rejected by its scalars.
        XCTAssertFalse(ValueScalars(syntax: odd).isCertainlyText("年度"))
        XCTAssertTrue(ValueScalars(syntax: profileSyntax).isCertainlyText("2021年"))
    }

    func testTokensWithTheFilterEqualTokensWithout() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let filter = ValueScalars(syntax: syntax)
        for t in try FastPathTests.texts() {
            let lines = TextReader.lines(of: t.text)
            // The general reading: every word through `CellSyntax.parseValue`.
            let ref = CellTokenizer.tokens(of: lines, syntax: syntax, filter: ValueScalars(syntax: CellSyntax(placeholders: ["e\u{301}"])))
            let fast = CellTokenizer.tokens(of: lines, syntax: syntax, filter: filter)
            XCTAssertEqual(fast.count, ref.count, t.name)
            for (a, b) in zip(fast, ref) {
                XCTAssertEqual(a.raw, b.raw, t.name)
                XCTAssertEqual(a.norm, b.norm, t.name)
                XCTAssertEqual(a.line, b.line, t.name)
                XCTAssertEqual(a.field, b.field, t.name)
                XCTAssertEqual(a.column, b.column, t.name)
                XCTAssertEqual(a.parsed?.state, b.parsed?.state, t.name)
                XCTAssertEqual(a.parsed?.value, b.parsed?.value, t.name)
                XCTAssertEqual("\(a.kind)", "\(b.kind)", t.name)
            }
        }
    }
}

extension ReadFastPathTests {
    /// Inline noise as it was removed: joined, removed and split again unless no line has a break and no
    /// pattern can match.
    func testInlineNoiseRemovalEqualsJoiningAndSplitting() throws {
        let context = try ReaderContext(templates: Repo.linter.ruleSet.templates)
        let reader = TextReader(context: context)
        func reference(_ texts: [String]) -> [String] {
            if !texts.contains(where: { $0.utf8.contains(0x0A) || $0.utf8.contains(0x0D) }),
                !context.inlineNoise.contains(where: { $0.mayMatch(joinedLinesOf: texts) })
            {
                return texts
            }
            var joined = texts.joined(separator: "\n")
            for p in context.inlineNoise { joined = p.removingAllKeepingNewlines(in: joined) }
            return joined.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        var documents = try FastPathTests.texts().map { TextReader.lines(of: $0.text).map(\.text) }
        documents += [
            ["a\rb", "c"], ["x\r", "y"], ["数(shù)据", "第(1)项"], ["[bookmark:x]正文", "(a)"], ["(", ")"], ["\u{301}(ab)", "汉(ab)"], [],
            ["规章(gz)"],
        ]
        var skipped = 0
        for d in documents {
            let fast = reader.removingInlineNoise(d)
            XCTAssertEqual(fast, reference(d), d.prefix(3).joined(separator: "⏎"))
            if fast == d { skipped += 1 }
        }
        XCTAssertGreaterThan(skipped, 50)
    }
}
