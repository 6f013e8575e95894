import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The text reader's front-end shortcuts (conversion to simplified characters, the neighbouring-pair
/// reading of patterns, the byte comparison after inline noise removal, the heading matcher reading its
/// parts in place) give what the code they replace gives, on every sample, rendering and corpus report and
/// on generated variants of them.
final class TextFrontFastPathTests: XCTestCase {
    /// Documents as lines: the repository's texts and the corpus, their traditional-character renderings,
    /// and hand-made edge cases.
    static func documents() throws -> [[SourceLine]] {
        var docs = try FastPathTests.texts().map { TextReader.lines(of: $0.text) }
        let originals = docs
        for d in originals.prefix(40) {
            // Traditional characters, the brackets 「」, lines joined without breaks and lines ending in "\r".
            let traditional = d.map { l in
                SourceLine(number: l.number, text: l.text.applyingTransform(StringTransform("Hans-Hant"), reverse: false) ?? l.text)
            }
            docs.append(traditional)
            docs.append(
                traditional.enumerated().map {
                    SourceLine(number: $0.element.number, text: $0.offset % 3 == 0 ? $0.element.text + "\r" : $0.element.text)
                })
            docs.append(d.map { SourceLine(number: $0.number, text: "「" + $0.text + "」\u{200B}") })
        }
        let edge: [[String]] = [
            [], [""], ["abc", "123"], ["巡察", "稽察工作"], ["乾隆", "關係", "聯繫"], ["a\nb", "國家"], ["國\r", "家\r\n"],
            ["甚", "麼"], ["", "資訊", "", "1 2 3"], ["１２３　國", "\u{FEFF}臺灣"], ["𠀀國", "\u{301}國"], ["\u{2E80}", "\u{2E7F}"],
            ["政府信息公开", "一、總體情況"],
        ]
        docs += edge.map { $0.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) } }
        return docs
    }

    /// The conversion as it was: every line converted alone.
    static func referenceSimplified(_ input: [SourceLine]) -> [SourceLine]? {
        var changed = false
        let out = input.map { l -> SourceLine in
            guard let s = l.text.applyingTransform(StringTransform("Hant-Hans"), reverse: false), s != l.text else { return l }
            changed = true
            return SourceLine(number: l.number, text: s)
        }
        return changed ? out : nil
    }

    func testSimplifiedEqualsConvertingEachLineAlone() throws {
        var converted = 0, unchanged = 0
        for d in try Self.documents() {
            let fast = TextReader.simplified(d), ref = Self.referenceSimplified(d)
            XCTAssertEqual(fast == nil, ref == nil, d.prefix(3).map(\.text).joined(separator: "⏎"))
            XCTAssertEqual(fast?.map(\.text), ref?.map(\.text), d.prefix(3).map(\.text).joined(separator: "⏎"))
            XCTAssertEqual(fast?.map(\.number), ref?.map(\.number))
            if fast == nil { unchanged += 1 } else { converted += 1 }
        }
        // Both outcomes occur: simplified documents that stay, traditional ones that change.
        XCTAssertGreaterThan(converted, 30)
        XCTAssertGreaterThan(unchanged, 3)
    }

    /// The premise of skipping lines: no scalar below `firstConvertible` is changed by the transform, alone
    /// or among others; and a line feed between lines converts as a line break.
    func testScalarsBelowTheConvertibleRangeStay() {
        var all: [Unicode.Scalar] = []
        for v in UInt32(1)..<TextReader.firstConvertible { if let u = Unicode.Scalar(v) { all.append(u) } }
        XCTAssertGreaterThan(all.count, 9_000)
        for u in all {
            let s = String(u)
            XCTAssertEqual(s.applyingTransform(StringTransform("Hant-Hans"), reverse: false), s, String(format: "U+%04X", u.value))
            XCTAssertFalse(TextReader.mayChangeWhenSimplified(s))
        }
        for start in stride(from: 0, to: all.count, by: 500) {
            let s = String(String.UnicodeScalarView(all[start..<min(all.count, start + 500)]))
            XCTAssertEqual(s.applyingTransform(StringTransform("Hant-Hans"), reverse: false), s)
        }
        XCTAssertTrue(TextReader.mayChangeWhenSimplified("國"))
        XCTAssertTrue(TextReader.mayChangeWhenSimplified("开展巡察"))
        #if os(Linux)
            // From `firstConvertible` up, only a text holding a key of a changing rule (`SimplificationKeys`).
            XCTAssertFalse(TextReader.mayChangeWhenSimplified("a\u{2E80}"))
            XCTAssertFalse(TextReader.mayChangeWhenSimplified("政府信息公开"))
        #endif
        // A key does not match across the joining line feed (巡察 is one, 巡 and 察 alone are not changed).
        XCTAssertEqual(TextReader.simplifiedTogether(["巡", "察"]), ["巡", "察"])
        XCTAssertEqual(TextReader.simplifiedTogether(["巡察"]), [TextReader.simplifiedAlone("巡察")])
        XCTAssertNil(TextReader.simplifiedTogether(["a\nb"]))
    }

    func testNeighbouringPairsAreReadConservatively() {
        func pairs(_ p: String) -> [String]? {
            RequiredScalars(pattern: p)?.pairs.map {
                String(String.UnicodeScalarView($0.first)) + "|" + String(String.UnicodeScalarView($0.second))
            }
        }
        XCTAssertEqual(pairs(#"(?<=\p{Han})\([ab]{1,6}\)"#), ["(|ab"])
        XCTAssertEqual(pairs(#"\[bk:[^\]]*\]"#), ["[|b", "b|k", "k|:"])
        XCTAssertEqual(pairs("ab+c"), ["a|b"])
        XCTAssertEqual(pairs("ab?c"), [])
        XCTAssertEqual(pairs("a.b"), [])
        XCTAssertEqual(pairs("a(x)b"), [])
        XCTAssertEqual(pairs("a^b"), [])
        XCTAssertEqual(pairs(#"a\db"#), [])
        XCTAssertEqual(pairs("a{1}b"), [])
        XCTAssertEqual(pairs("第页"), ["第|页"])
    }

    /// With the pairs, a text the shortcut skips is still one the regular expression does not match: the
    /// profile's patterns and variants of the pinyin pattern over every line and generated neighbours.
    func testTextsSkippedForAMissingPairDoNotMatch() throws {
        let profile = Repo.linter.ruleSet.templates.profile
        var sources =
            profile.inlineNoise + profile.lineNoise + profile.periodPatterns + profile.publishedPatterns + [profile.yearPattern]
            + (profile.tableYearPattern.isEmpty ? [] : [profile.tableYearPattern]) + profile.governmentNames + profile.departmentNames
        // More than 64 sets and pairs: each is searched on its own.
        let long = String(repeating: "ab", count: 40)
        sources += [#"\(\d+\)"#, "ab+c", #"a\)"#, #"\n\("#, long]
        let patterns = sources.map(Pattern.init)
        var lines = FastPathTests.tricky + ["数(shù)据", "(a)", "( a)", "汉(ab)", "汉 (ab)", "((x", "a)", "abbc", "ac", "\n(", "(1)", "()"]
        lines += [long, "x" + long + "y", String(long.dropLast()), "ba" + String(repeating: "ba", count: 40), "a b"]
        for t in try FastPathTests.texts() { lines += t.text.components(separatedBy: "\n") }
        var skippedForPair = 0
        for p in patterns {
            guard let req = p.required else { continue }
            for l in lines where !p.mayMatch(l) {
                XCTAssertNil(p.regex.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)), "\(p.source) on \(l)")
                if req.lookups.allSatisfy({ set in l.unicodeScalars.contains(where: { set.contains($0) }) }) { skippedForPair += 1 }
            }
        }
        // Enough skipped texts that the pair shortcut is really exercised: about 50 from the samples alone (a
        // clean clone without ../shared), more with the corpus.
        XCTAssertGreaterThan(skippedForPair, Repo.shared == nil ? 30 : 100)
        XCTAssertTrue(Pattern(long).mayMatch("x" + long))
        XCTAssertFalse(Pattern(long).mayMatch(String(repeating: "a b ", count: 40)))
        // The joined form: a pair must sit inside one line unless it holds a line feed.
        let p = Pattern(#"\([shu]{1,6}\)"#)
        XCTAssertFalse(p.mayMatch(joinedLinesOf: ["数(", "shu)"]))
        XCTAssertTrue(p.mayMatch(joinedLinesOf: ["数(shu", ")"]))
        let q = Pattern(#"\n\("#)
        XCTAssertTrue(q.mayMatch(joinedLinesOf: ["a", "(b"]))
    }

    func testByteEqualityEqualsComparingUTF8Views() throws {
        var texts = FastPathTests.tricky + ["", "a", "é", "e\u{301}", "國", "国", "\u{FEFF}"]
        for t in try FastPathTests.texts().prefix(30) { texts.append(t.text) }
        for a in texts {
            for b in texts.prefix(20) {
                XCTAssertEqual(FastText.bytesEqual(a, b), a.utf8.elementsEqual(b.utf8), "\(a.prefix(20)) / \(b.prefix(20))")
            }
            XCTAssertTrue(FastText.bytesEqual(a, String(decoding: Array(a.utf8), as: UTF8.self)))
        }
    }

    func testHeadingMatchEqualsTheMatchItReplaces() throws {
        let context = try ReaderContext(templates: Repo.linter.ruleSet.templates)
        let matcher = context.headingMatcher
        let keys = matcher.parts.map(\.spec.key)
        var lines: [String] = ["一、总体情况", "、主动公开政府信息情况", "  ## 三、收到和处理政府信息公开申请情况 其后", "1.总体情况", "12、x", "总体情况"]
        for d in try Self.documents().prefix(150) { lines += d.map(\.text) }
        let exclusions: [Set<String>] = [[], Set(keys.prefix(1)), Set(keys.prefix(3)), Set(keys.suffix(2)), Set(keys)]
        var matched = 0
        for l in lines {
            for e in exclusions {
                for numbered in [true, false] {
                    let a = matcher.match(l, excluding: e, numbered: numbered)
                    let b = matcher.referenceMatch(l, excluding: e, numbered: numbered)
                    XCTAssertEqual(a?.spec.key, b?.spec.key, l)
                    XCTAssertEqual(a?.heading, b?.heading, l)
                    XCTAssertEqual(a?.rest, b?.rest, l)
                    XCTAssertEqual(a?.standardHeading, b?.standardHeading, l)
                    XCTAssertEqual(a?.part, b?.part, l)
                    if a != nil { matched += 1 }
                }
            }
        }
        XCTAssertGreaterThan(matched, 500)
    }

    func testTitleMarkScanEqualsTheCharacterReading() throws {
        var texts = FastPathTests.tricky + FastPathTests.trickyLabels + ["《报告》", "ａ", "Ab", "e\u{301}", "，\u{301}", "2021年度报告", "x"]
        for t in try FastPathTests.texts() { texts += t.text.components(separatedBy: "\n").prefix(15) }
        var letters = 0
        for t in texts {
            let ref = t.contains(where: { ($0.isASCII && $0.isLetter) || "。，,；《》".contains($0) })
            XCTAssertEqual(TextScan.hasLetterOrSentenceMark(t), ref, t)
            if ref { letters += 1 }
        }
        XCTAssertGreaterThan(letters, 50)
    }

    /// `mapScalars` as it was: every string rebuilt.
    static func referenceMapScalars(_ s: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar?) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.compactMap(transform)))
    }

    func testMapScalarsEqualsRebuildingEveryString() throws {
        var texts = FastPathTests.tricky + FastPathTests.trickyLabels + ["ａ　ｂ", "e\u{301} x", "\u{1F600}ｘ", "x\u{1F600}", "无变化"]
        for t in try FastPathTests.texts().prefix(20) { texts += t.text.components(separatedBy: "\n") }
        let transforms: [(Unicode.Scalar) -> Unicode.Scalar?] = [
            { $0 }, { _ in nil }, { FastText.isSpace($0) ? nil : $0 },
            { (0xFF01...0xFF5E).contains($0.value) ? Unicode.Scalar($0.value - 0xFEE0)! : $0 },
            { $0 == "x" ? "y" : $0 }, { $0.value > 0x7F ? nil : $0 },
        ]
        for t in texts {
            XCTAssertEqual(
                LabelText.normalize(t),
                Self.referenceMapScalars(t) { u in
                    FastText.isSpace(u) ? nil : (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
                }, t)
            for f in transforms {
                let fast = FastText.mapScalars(t, f)
                XCTAssertEqual(fast, Self.referenceMapScalars(t, f), t)
                XCTAssertTrue(fast.utf8.elementsEqual(Self.referenceMapScalars(t, f).utf8), t)
            }
        }
    }
}

/// The heading matcher's `match` as it was: a copy of each prepared part per candidate, every part's key
/// looked up in `excluding` first, the heading cut through `String.UnicodeScalarView`.
extension HeadingMatcher {
    func referenceMatch(_ line: String, excluding: Set<String>, numbered: Bool = false) -> Match? {
        var scalars = Substring(line).unicodeScalars.drop { FastText.isSpace($0) || $0 == "#" }
        guard let first = scalars.first else { return nil }
        var lostNumeral = false
        var hasNumeral = false
        if numerals.contains(first) || ("1"..."9").contains(first) {
            var rest = scalars.dropFirst()
            if ("0"..."9").contains(first) { rest = rest.drop { ("0"..."9").contains($0) } }
            guard let sep = rest.first, separators.contains(sep) else { return nil }
            scalars = rest.dropFirst().drop { FastText.isSpace($0) }
            hasNumeral = true
        } else if first == "、" {
            scalars = scalars.dropFirst().drop { FastText.isSpace($0) }
            lostNumeral = true
        }
        // The comparable text of the rest, remembering where each comparable character came from.
        // Without a numeral only a short line that starts like a heading can be one (most lines are prose):
        // such a line is read no further than a heading could reach.
        let plain = !hasNumeral && !lostNumeral
        if plain && numbered { return nil }
        let cap = plain ? min(40, longest + 2) : 40
        var comp: [Unicode.Scalar] = []
        var origin: [String.UnicodeScalarView.Index] = []
        var idx = scalars.startIndex
        while idx < scalars.endIndex, comp.count < cap {
            let u = scalars[idx]
            if !FastText.isSpace(u) && !LabelText.ignoredInComparison.contains(u) {
                let n = (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
                if !LabelText.ignoredInComparison.contains(n) {
                    if plain && comp.isEmpty && !firstChars.contains(n) { return nil }
                    comp.append(n); origin.append(idx)
                }
            }
            idx = scalars.index(after: idx)
        }
        guard comp.count >= 2 else { return nil }
        // Without a numeral only a short line that starts like a heading can be one (most lines are prose).
        if !hasNumeral && !lostNumeral {
            guard !numbered, comp.count <= longest + 1, firstChars.contains(comp[0]) else { return nil }
        }
        var best: (part: PreparedPart, distance: Int, length: Int)?
        for p in parts where !excluding.contains(p.spec.key) {
            for (vi, v) in p.variants.enumerated() where v.count >= 2 {
                let allowed = hasNumeral || lostNumeral ? (v.count >= 12 ? 2 : v.count >= 6 ? 1 : 0) : (v.count >= 8 ? 1 : 0)
                let lo = max(1, v.count - allowed), hi = min(comp.count, v.count + allowed)
                guard lo <= hi else { continue }
                // Quick rejection: too few of the line's first characters occur in the variant.
                let set = p.sets[vi]
                var shared = 0
                for c in comp[..<min(comp.count, v.count)] where set.contains(c) { shared += 1 }
                guard shared >= v.count - 2 * allowed else { continue }
                // Edit distance of the variant to every prefix of the line, in one pass.
                let dist = LabelText.prefixDistances(v, comp[..<hi])
                for len in lo...hi {
                    let d = dist[len]
                    guard d <= allowed else { continue }
                    if best == nil || d < best!.distance || (d == best!.distance && len > best!.length) { best = (p, d, len) }
                }
            }
        }
        guard let b = best else { return nil }
        // Without a numeral, the heading must be the whole line.
        if !hasNumeral && !lostNumeral && b.length < comp.count { return nil }
        let end = b.length < origin.count ? origin[b.length] : scalars.endIndex
        let headingText = ScalarTrim.whitespaces(String(String.UnicodeScalarView(Substring(line).unicodeScalars[..<end])))
        let shown = String(headingText.drop { $0 == "#" || $0 == " " })
        let rest = ScalarTrim.whitespaces(String(String.UnicodeScalarView(Substring(line).unicodeScalars[end...])))
        let deviates = b.distance > 0 || lostNumeral
        return Match(
            spec: b.part.spec, heading: shown, rest: rest, standardHeading: deviates ? b.part.standard : nil,
            part: parts.firstIndex { $0.spec.key == b.part.spec.key }!)
    }
}
