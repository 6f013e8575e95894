import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The reading shortcuts (byte and scalar scans instead of regular expressions, String.split and Foundation)
/// must give what the general code gives, on every sample, rendering and corpus report and on tricky text.
final class FastPathTests: XCTestCase {
    /// OGIModel's `joined(separator:)` for arrays of strings gives the standard library's string (reached here
    /// through an array slice, which the overload does not cover), on empty arrays, empty strings, separators
    /// of every kind and text with combining marks, CJK and emoji.
    func testArrayJoinedEqualsTheStandardLibrary() {
        let pieces = ["", "a", "一、总体情况", "e\u{301}", "\u{301}", "👩‍👩‍👧", "\t", "\n", "12", "（七）总计", " "]
        let separators = ["", " ", "\t", "\n", "、", " › ", "\u{301}", ", "]
        var rng = SplitMix(seed: 7)
        func next(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        var compared = 0
        for _ in 0..<2_000 {
            let array = (0..<next(7)).map { _ in pieces[next(pieces.count)] }
            let separator = separators[next(separators.count)]
            let mine = array.joined(separator: separator)
            let standard = array[...].joined(separator: separator)
            XCTAssertEqual(Array(mine.utf8), Array(standard.utf8), "\(array) \(separator)")
            XCTAssertEqual(array.joined(), array[...].joined())
            compared += 1
        }
        XCTAssertEqual(compared, 2_000)
    }

    /// Every text input the repository has (samples, renderings, previous years, roll-ups) and the shared corpus.
    static func texts() throws -> [(name: String, text: String)] {
        var dirs = ["samples", "samples/broken", "samples/renderings", "samples/previous", "samples/rollup"].map(Repo.path)
        if let shared = Repo.shared { dirs.append((shared as NSString).appendingPathComponent("corpus")) }
        var out: [(String, String)] = []
        for d in dirs {
            for n in (try? FileManager.default.contentsOfDirectory(atPath: d).sorted()) ?? []
            where n.hasSuffix(".txt") || n.hasSuffix(".md") {
                let p = (d as NSString).appendingPathComponent(n)
                if let t = try? String(contentsOfFile: p, encoding: .utf8) { out.append((p, t)) }
            }
        }
        return out
    }

    static let tricky = [
        "", "\n", "\r\n", "a\r\nb", "a\rb\nc", "a\n\rb", "x\r", "x\r\n", "\n\n", "一、总体情况\r\n\r\n二、主动公开\n", "\u{301}\n\u{301}a",
        "末行无换行", "a\n\u{3000}\n", "\r\r\n\n", "｜ 1 ｜ 2 ｜", "[bookmark:x]\n数(shù)据", "- 4 -", "第 3 页 共 9 页", "|---|---|",
        // Each alternative of the profile's groups of literal alternatives, matched.
        "发布时间：2021-01-20", "发布日期: 2021年1月20日", "公开日期 2021.01.20", "成文日期：2021/1/20", "日期：2021-1-20", "某某镇",
        "某乡", "某街道办事处", "（2021年1月20日）",
    ]

    /// Line splitting on characters: a line ends at "\n", "\r\n" (one character) or "\r"; an empty last line is
    /// not a line. (Before stop 38 the reader split only at "\n", so a CR LF file was one line.)
    static func referenceLines(_ text: String) -> [SourceLine] {
        var raw = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if raw.last?.isEmpty == true { raw.removeLast() }
        return raw.enumerated().map { SourceLine(number: $0.offset + 1, text: String($0.element)) }
    }

    func testLineSplittingOnBytesEqualsCharacterSplitting() throws {
        let all = try Self.texts().map(\.text) + Self.tricky
        XCTAssertGreaterThan(all.count, 100)
        for t in all {
            let fast = TextReader.lines(of: t), ref = Self.referenceLines(t)
            XCTAssertEqual(fast.map(\.text), ref.map(\.text), t.debugDescription.prefix(80).description)
            XCTAssertEqual(fast.map(\.number), ref.map(\.number))
        }
        // CR LF ends a line, as LF and CR do.
        XCTAssertEqual(TextReader.lines(of: "a\r\nb\nc").map(\.text), ["a", "b", "c"])
    }

    func testRequiredCharactersAreReadConservatively() {
        func sets(_ p: String) -> [String]? { RequiredScalars(pattern: p)?.sets.map { String(String.UnicodeScalarView($0)) } }
        XCTAssertEqual(sets(#"^\s*[-—–－]+\s*\d+\s*[-—–－]+\s*$"#), ["-—–－", "-—–－"])
        XCTAssertEqual(sets(#"^\s*第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?\s*$"#), ["第", "页"])
        XCTAssertEqual(sets(#"\[bookmark:[^\]]*\]"#), ["[", "b", "o", "o", "k", "m", "a", "r", "k", ":", "]"])
        XCTAssertEqual(sets(#"(?<=\p{Han})\([a-zā]{1,6}\)"#), ["(", ")"])
        XCTAssertEqual(sets("a?b*c{0,2}d{2}"), ["d"])
        XCTAssertEqual(sets("人民政府$"), ["人", "民", "政", "府"])
        // A group of literal alternatives that must occur: their first characters, and their last ones.
        XCTAssertEqual(sets("(?:镇|乡|街道办事处)$"), ["镇乡街", "镇乡处"])
        XCTAssertEqual(sets("(?:发布时间|发布日期|公开日期|成文日期|日期)[:：]"), ["发公成日", "间期", ":："])
        XCTAssertEqual(sets("a(x)b"), ["a", "x", "b"])
        XCTAssertEqual(sets("a(?<n>bc|d)e"), ["a", "bd", "cd", "e"])
        // A group that may be left out, has an empty alternative, holds anything but plain characters, or looks
        // around: none.
        XCTAssertEqual(sets(#"(?<y>(?:19|20)\d{2})年"#), ["年"])
        XCTAssertEqual(sets("a(b|c)?d"), ["a", "d"])
        XCTAssertEqual(sets("a(b|)d"), ["a", "d"])
        XCTAssertEqual(sets("a(|b)d"), ["a", "d"])
        XCTAssertEqual(sets("a(b|.)d"), ["a", "d"])
        XCTAssertEqual(sets("a(b|[cd]e)f"), ["a", "f"])
        XCTAssertEqual(sets("a(b(c|d)|e)f"), ["a", "f"])
        XCTAssertEqual(sets("a(?=b)c"), ["a", "c"])
        XCTAssertEqual(sets("a(?!b)c"), ["a", "c"])
        XCTAssertEqual(sets("a(?<!b)c"), ["a", "c"])
        XCTAssertEqual(sets("a(?<=b)c"), ["a", "c"])
        XCTAssertEqual(sets(#"a(b\|c)d"#), ["a", "d"])
        XCTAssertEqual(sets("a([|]b)d"), ["a", "d"])
        XCTAssertEqual(sets("a(?:b|c){2}d"), ["a", "bc", "d"])
        XCTAssertEqual(sets("a(?:b|c){0,2}d"), ["a", "d"])
        // Nothing is required, or the pattern is not read: no shortcut.
        XCTAssertNil(sets("."))
        XCTAssertNil(sets("a|b"))
        XCTAssertNil(sets("(?i)abc"))
        XCTAssertNil(sets(#"\x41"#))
        XCTAssertNil(sets("[[a]]"))
        XCTAssertNil(sets("[]a]"))
        XCTAssertNil(sets("a{x}"))
    }

    /// The profile's own patterns: a line the shortcut skips is one the regular expression does not match.
    func testSkippedLinesAreLinesThePatternsDoNotMatch() throws {
        let profile = Repo.linter.ruleSet.templates.profile
        let sources =
            profile.inlineNoise + profile.lineNoise + profile.periodPatterns + profile.publishedPatterns + [profile.yearPattern]
            + (profile.tableYearPattern.isEmpty ? [] : [profile.tableYearPattern]) + profile.governmentNames
        let patterns = sources.map(Pattern.init)
        XCTAssertTrue(patterns.contains { $0.required != nil })
        var lines = Self.tricky
        for t in try Self.texts() { lines += t.text.components(separatedBy: "\n") }
        var skipped = 0
        for p in patterns {
            for l in lines where !p.mayMatch(l) {
                skipped += 1
                XCTAssertNil(p.regex.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)), "\(p.regex.pattern) on \(l)")
            }
        }
        XCTAssertGreaterThan(skipped, 1000)
        // The joined form: a set may be present in one line only.
        let p = Pattern(#"\[bookmark:[^\]]*\]"#)
        XCTAssertTrue(p.mayMatch(joinedLinesOf: ["[bookmark:", "x]"]))
        XCTAssertFalse(p.mayMatch(joinedLinesOf: ["bookmark:", "x]"]))
    }

    func testSnifferShortcutEqualsLowercasingAndTrimming() throws {
        var heads =
            Self.tricky + [
                "  <HTML>\n", "\u{3000}ＡＢＣ ", "ΣΑΣ ", "İ", "\u{3000}\u{302A}x", " \u{200D}a", "<!DOCTYPE Html>\t", "Ogilint_Model: 1",
                "\u{200B}<html>\u{200B}", "\u{2060}{ }\u{2060}",
            ]
        for t in try Self.texts() { heads.append(String(decoding: Array(t.text.utf8.prefix(2048)), as: UTF8.self)) }
        var fast = 0
        for h in heads {
            let s = InputSniffer(path: "x.txt", data: Data(h.utf8))
            var text = String(decoding: Array(h.utf8.prefix(2048)), as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let lower = text.lowercased()
            XCTAssertEqual(s.lowercasedText, lower, h)
            XCTAssertEqual(s.trimmedText, lower.trimmingCharacters(in: .whitespacesAndNewlines), h)
            if InputSniffer.caselessLowercased(text) != nil { fast += 1 }
        }
        XCTAssertGreaterThan(fast, 100)
    }

    /// Label normalisation as it was, appending scalars one by one.
    static func referenceNormalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if FastText.isSpace(u) { continue }
            if (0xFF01...0xFF5E).contains(u.value) { out.append(UnicodeScalar(u.value - 0xFEE0)!) } else { out.append(u) }
        }
        return String(out)
    }

    /// Numbering stripped as it was, comparing characters.
    static func referenceStrip(_ s: String, numerals: String) -> String {
        var chars = Substring(s)
        guard let head = chars.first, head == "(" || head.isASCII && head.isNumber || numerals.contains(head) else { return s }
        func isDigit(_ c: Character) -> Bool { (c.isASCII && c.isNumber) || numerals.contains(c) }
        while true {
            var rest = chars
            var opened = false
            if rest.first == "(" { opened = true; rest = rest.dropFirst() }
            let n = rest.prefix(while: isDigit)
            if n.isEmpty { break }
            rest = rest.dropFirst(n.count)
            if opened {
                guard rest.first == ")" else { break }
                rest = rest.dropFirst()
                if let f = rest.first, "、.,:".contains(f) { rest = rest.dropFirst() }
            } else {
                guard let f = rest.first, "、.,:)".contains(f) else { break }
                rest = rest.dropFirst()
            }
            chars = rest
        }
        return String(chars)
    }

    static let trickyLabels = [
        "（一）属于国家秘密", "一、总体情况", "三、(一)予以公开", "1.　规 章", "12、x", "(1):a", "一\u{301}、x", "\u{F9D1}、复合", "十一、其他",
        "（\u{302A}一）", "Ａ１．", "", " ", "\u{3000}", "a\u{200D}b", "𠀀、", "①、", "K、",
    ]

    func testLabelTextShortcutsEqualTheCharacterReading() throws {
        let numerals = Repo.linter.ruleSet.templates.profile.partNumerals
        var labels = Self.trickyLabels
        for t in try Self.texts() {
            for line in t.text.split(separator: "\n") {
                labels += line.split(whereSeparator: { $0 == "\t" || $0 == "|" || $0 == " " }).map(String.init)
            }
        }
        XCTAssertGreaterThan(labels.count, 10_000)
        for l in labels {
            let norm = LabelText.normalize(l)
            XCTAssertEqual(norm, Self.referenceNormalize(l), l)
            for ns in [numerals, "", "一二\u{F9D1}", "K"] {
                XCTAssertEqual(LabelText.stripNumbering(norm, numerals: ns), Self.referenceStrip(norm, numerals: ns), l)
            }
        }
        // A compatibility ideograph is not a plain scalar: it is compared as a character, as before.
        for (set, c) in [("六", Character("\u{F9D1}")), ("\u{F9D1}", "六"), ("K", "\u{212A}"), ("、.,:", "、"), ("一二", "三")] {
            XCTAssertEqual(FastText.contains(set, c), set.contains(c), "\(set) \(c)")
        }
    }

    func testDelimitedFieldsEqualTheCharacterSplit() throws {
        var lines = ["a|b", "|", "｜ 1 ｜ 2 ｜", "\t\t", "x\t 1\u{3000}|２", "a|\u{301}b", "\u{0600}|x", "a\r\n|b"]
        for t in try Self.texts() { lines += t.text.components(separatedBy: "\n") }
        var fast = 0
        for l in lines {
            let ref = l.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\t" || $0 == "|" || $0 == "｜" })
                .map { String(FastText.trim(String($0))) }
            if let f = CellTokenizer.plainFields(l) {
                fast += 1
                XCTAssertEqual(f, ref, l)
            }
        }
        XCTAssertGreaterThan(fast, 1000)
        XCTAssertNil(CellTokenizer.plainFields("a|\u{301}b"))
    }

    func testPageTextShortcutsEqualFoundation() throws {
        var texts = ["\n  ", " a\nb ", "\u{3000}一、总体情况\u{3000}", "\t x \t", "a\u{00A0}b", "\r\n x", "\n\u{301}", "", "  ", "x\u{2028}"]
        for t in try Self.texts() { texts += t.text.components(separatedBy: "\n").prefix(200).map { " \($0)\n" } }
        for t in texts {
            XCTAssertEqual(
                Lineariser.spacedOut(t), t.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{00A0}", with: " "),
                t.debugDescription)
            XCTAssertEqual(Lineariser.trimmed(t), t.trimmingCharacters(in: .whitespacesAndNewlines), t.debugDescription)
        }
    }

    func testScalarSetHoldsExactlyItsScalars() {
        let members: [Unicode.Scalar] = ["a", "、", "\u{3000}", "\u{FFFF}", "\u{10000}", "\u{1F600}"]
        let set = ScalarSet(members)
        for u in members { XCTAssertTrue(set.contains(u)) }
        for u: Unicode.Scalar in ["b", "。", "\u{2000}", "\u{FFFE}", "\u{10001}", "\u{1F601}", "\u{0}"] { XCTAssertFalse(set.contains(u)) }
    }
}
