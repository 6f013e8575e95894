import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// `ScalarRegex` against NSRegularExpression (ICU): the same matches, one after another as
/// `matches(in:range:)` finds them, with the same range for the whole match and for every group, on the rule
/// packs' own patterns over every line and text of the samples, renderings and corpus, and on generated
/// patterns over generated texts mixing ASCII, CJK, fullwidth and other digits, U+3000, line terminators and
/// characters outside the Basic Multilingual Plane.
final class ScalarRegexDifferentialTests: XCTestCase {
    /// Why `ScalarRegex` and ICU differ on `text`, or nil when they agree.
    static func difference(_ pattern: String, _ text: String) -> String? {
        guard let mine = ScalarRegex(pattern) else { return "'\(pattern)' is outside the subset" }
        let reference: NSRegularExpression
        do { reference = try NSRegularExpression(pattern: pattern) } catch { return "ICU rejects '\(pattern)': \(error)" }
        let full = NSRange(location: 0, length: text.utf16.count)
        let expected = reference.matches(in: text, range: full).map { m in (0..<m.numberOfRanges).map { m.range(at: $0) } }
        let scalars = ScalarText(text)
        var steps = 0
        guard let found = try? mine.allMatches(in: scalars.values, steps: &steps, budget: 50_000_000) else {
            return "'\(pattern)' passed the step budget on \(text.debugDescription)"
        }
        let got = found.map { slots in
            let m = RegexMatch(slots: slots, in: scalars, groupNumbers: mine.groupNumbers)
            return (0..<m.numberOfRanges).map { m.range(at: $0) }
        }
        func same(_ a: [[NSRange]], _ b: [[NSRange]]) -> Bool {
            a.count == b.count
                && zip(a, b).allSatisfy { x, y in
                    x.count == y.count
                        && zip(x, y).allSatisfy { r, s in r.location == s.location && (r.location == NSNotFound || r.length == s.length) }
                }
        }
        if !same(expected, got) {
            return "'\(pattern)' on \(text.debugDescription): ICU \(expected), ScalarRegex \(got)"
        }
        // The screen of a match's first two characters never refuses a text ICU finds a match in, and its byte
        // search (first scalars listed) answers as reading every scalar does.
        if !expected.isEmpty && !mine.mayMatch(pairsIn: text) {
            return "'\(pattern)' on \(text.debugDescription): the first-two-characters screen refuses a text ICU matches"
        }
        if mine.mayMatch(pairsIn: text) != mine.mayMatchByScalars(pairsIn: text) {
            return "'\(pattern)' on \(text.debugDescription): the screen's byte search answers otherwise than its scalar reading"
        }
        if let first = expected.first, let m = reference.firstMatch(in: text, range: full) {
            for (name, k) in mine.groupNumbers where m.range(withName: name) != first[k] && m.range(withName: name).location != NSNotFound {
                return "'\(pattern)': group \(name) is not group \(k)"
            }
        }
        return nil
    }

    /// Every pattern of the bundled rule packs: the reading profile's, `count_pattern` and `matches(...)`.
    static func bundledPatterns() throws -> [String] {
        let profile = Repo.linter.ruleSet.templates.profile
        var out =
            profile.inlineNoise + profile.lineNoise + profile.periodPatterns + profile.publishedPatterns + [profile.yearPattern]
            + (profile.tableYearPattern.isEmpty ? [] : [profile.tableYearPattern]) + profile.governmentNames + profile.departmentNames
        out += Repo.linter.ruleSet.rules.compactMap { ($0.kind as? PartsKind)?.countPattern }
        // `matches(text, "pattern")` in assertions, read from the YAML source.
        let call = try NSRegularExpression(pattern: #"matches\([^"]*"((?:[^"\\]|\\.)*)"\)"#)
        let folder = Repo.path("rules/national")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".yml") {
            let yaml = try String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
            for m in call.matches(in: yaml, range: NSRange(location: 0, length: yaml.utf16.count)) {
                out.append((yaml as NSString).substring(with: m.range(at: 1)))
            }
        }
        return out
    }

    /// The texts of samples/ (and its renderings) and of ../shared/corpus when present.
    static func texts() throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for folder in ["samples", "samples/broken", "samples/renderings"] {
            let path = Repo.path(folder)
            for name in (try? fm.contentsOfDirectory(atPath: path)) ?? [] where name.hasSuffix(".txt") || name.hasSuffix(".md") {
                files.append((path as NSString).appendingPathComponent(name))
            }
        }
        if let shared = Repo.shared {
            let corpus = (shared as NSString).appendingPathComponent("corpus")
            for name in (try? fm.contentsOfDirectory(atPath: corpus)) ?? [] where name.hasSuffix(".txt") {
                files.append((corpus as NSString).appendingPathComponent(name))
            }
        }
        return files.sorted().compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
    }

    func testBundledPatternsMatchAsICUOnEveryLineAndText() throws {
        let patterns = try Self.bundledPatterns()
        XCTAssertTrue(patterns.contains(Repo.linter.ruleSet.templates.profile.yearPattern))
        XCTAssertGreaterThanOrEqual(patterns.count, 15)
        let texts = try Self.texts()
        XCTAssertGreaterThan(texts.count, 50)
        var lines: [String] = []
        var seen = Set<String>()
        for t in texts {
            for l in t.components(separatedBy: "\n") where seen.insert(l).inserted { lines.append(l) }
        }
        var inSubset = 0
        var matched = 0
        // Lines the first-two-characters screen refuses (no search made).
        var screened = 0
        // Of those, lines refused by the byte search for the listed first scalars (`firstScalarBytes`).
        var screenedByBytes = 0
        for p in patterns {
            guard ScalarRegex(p) != nil else {
                // Outside the subset (lookbehind, \p{..}): run by NSRegularExpression.
                XCTAssertNil(try RegexCache.shared.compile(p).scalarRegex)
                continue
            }
            inSubset += 1
            let reference = try NSRegularExpression(pattern: p)
            let screen = ScalarRegex(p)
            for l in lines {
                if let d = Self.difference(p, l) { XCTFail(d); return }
                if reference.firstMatch(in: l, range: NSRange(location: 0, length: l.utf16.count)) != nil { matched += 1 }
                if let rx = screen, rx.secondItems != nil, !rx.mayMatch(pairsIn: l) {
                    screened += 1
                    if rx.firstScalarBytes != nil { screenedByBytes += 1 }
                }
            }
            // Whole texts for the patterns that are run on whole texts (inline noise).
            for t in texts where Repo.linter.ruleSet.templates.profile.inlineNoise.contains(p) {
                if let d = Self.difference(p, t) { XCTFail(String(d.prefix(500))); return }
            }
        }
        // Every pattern, the pinyin one with its lookbehind and \p{Han} too.
        XCTAssertEqual(inSubset, patterns.count)
        XCTAssertGreaterThan(matched, 200)
        XCTAssertGreaterThan(screened, 1000)
        XCTAssertGreaterThan(screenedByBytes, 1000)
    }

    /// `\d \s \w` and `.` against ICU's over every Unicode scalar: the stdlib's Unicode properties give ICU's sets.
    func testBuiltinClassesAreICUsOverEveryScalar() throws {
        var all = String.UnicodeScalarView()
        for v in UInt32(0)...0x10FFFF { if let s = Unicode.Scalar(v) { all.append(s) } }
        let text = String(all)
        let scalars = ScalarText(text)
        // ICU's own set, found by matching; "(?!.)(?s:.)" is a character `.` does not match.
        let cases: [(String, BuiltinClass, Bool)] = [
            (#"\d"#, .digit, true), (#"\s"#, .space, true), (#"\w"#, .word, true), ("(?!.)(?s:.)", .notLineTerminator, false),
            (#"\p{Han}"#, .han, true),
        ]
        for (pattern, builtin, positive) in cases {
            let rx = try NSRegularExpression(pattern: pattern)
            var icu = Set<Int>()
            rx.enumerateMatches(in: text, range: NSRange(location: 0, length: text.utf16.count)) { m, _, _ in
                if let m { icu.insert(m.range.location) }
            }
            var mine = Set<Int>()
            // UTF-16 offsets counted as we go (utf16Offset(ofScalar:) counts from the start: quadratic here).
            var offset = 0
            for v in scalars.values {
                if builtin.contains(v) == positive { mine.insert(offset) }
                offset += v > 0xFFFF ? 2 : 1
            }
            XCTAssertGreaterThan(icu.count, 0, pattern)
            let onlyICU = icu.subtracting(mine).sorted().prefix(5).map { String(format: "%X", ($0)) }
            let onlyMine = mine.subtracting(icu).sorted().prefix(5).map { String(format: "%X", ($0)) }
            XCTAssertTrue(icu == mine, "\(pattern): only ICU at UTF-16 offsets \(onlyICU), only ScalarRegex at \(onlyMine)")
        }
    }

    /// Texts of up to 12 characters from an alphabet that exercises every class and anchor.
    static let alphabet: [String] = [
        "a", "b", "c", "A", "_", "年", "月", "1", "9", "２", "٣", " ", "\u{3000}", "\u{A0}", "\t", "\n", "\r", "\u{2028}", "\u{85}",
        "😀", "𠀀", "-", ".", "(", ")", "é", "\u{301}", "/", "\u{200D}",
    ]

    static func randomText(_ g: inout SplitMix) -> String {
        let n = Int(g.next() % 13)
        return (0..<n).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }.joined()
    }

    /// A random pattern of the subset, `depth` levels deep at most.
    static func randomPattern(_ g: inout SplitMix, depth: Int = 3) -> String {
        func pick<T>(_ a: [T]) -> T { a[Int(g.next() % UInt64(a.count))] }
        let atoms = [
            "a", "b", "年", "1", "２", " ", "\u{3000}", "😀", "-", #"\."#, #"\("#, ".", #"\d"#, #"\s"#, #"\w"#, #"\D"#, #"\S"#, #"\W"#,
            "[ab]", "[^a年]", "[0-9]", #"[\d年]"#, #"[^\s]"#, "[a-c２]", "[-a]", "[a-]", "[😀b]", #"[\u4e00-\u9fff]"#, #"\u5e74"#,
            #"\x61"#, #"[\n\r]"#, #"\n"#, "[.(]", #"[\w-]"#, "^", "$", #"\p{Han}"#, #"\P{Han}"#, #"[\p{Han}a]"#, "(?<=a)",
            #"(?<![年\d])"#, #"(?<=\p{Han})"#,
        ]
        var out = ""
        let items = 1 + Int(g.next() % 3)
        for _ in 0..<items {
            var atom: String
            switch depth > 0 ? g.next() % 6 : 0 {
            case 0, 1, 2: atom = pick(atoms)
            case 3: atom = "(" + randomPattern(&g, depth: depth - 1) + ")"
            case 4: atom = "(?:" + randomPattern(&g, depth: depth - 1) + "|" + randomPattern(&g, depth: depth - 1) + ")"
            default: atom = "(?<G>" + randomPattern(&g, depth: depth - 1) + ")"
            }
            if atom != "^" && atom != "$" && !atom.hasPrefix("(?<=") && !atom.hasPrefix("(?<!") && g.next() % 2 == 0 {
                atom += pick(["?", "*", "+", "{2}", "{1,}", "{0,2}", "{1,3}", "??", "*?", "+?", "{1,2}?", "{2,}?"])
            }
            out += atom
        }
        if depth == 3 && g.next() % 5 == 0 { out += "|" + randomPattern(&g, depth: 1) }
        return out
    }

    func testGeneratedPatternsMatchAsICUOnGeneratedTexts() throws {
        var g = SplitMix(seed: 11)
        var inSubset = 0
        var matches = 0
        var patterns = 0
        // Patterns whose pair screen searches the bytes for listed first scalars (`firstScalarBytes`).
        var listedFirsts = 0
        while patterns < 2500 {
            var p = Self.randomPattern(&g)
            // Duplicate group names are invalid in ICU: number them apart.
            var k = 0
            while let r = p.range(of: "(?<G>") {
                p.replaceSubrange(r, with: "(?<n\(k)>")
                k += 1
            }
            patterns += 1
            guard let compiled = ScalarRegex(p) else {
                // Refused: ICU must accept it (the subset never refuses for validity alone) or reject it.
                continue
            }
            inSubset += 1
            if compiled.firstScalarBytes != nil { listedFirsts += 1 }
            let reference = try NSRegularExpression(pattern: p)
            for _ in 0..<25 {
                let t = Self.randomText(&g)
                if let d = Self.difference(p, t) { XCTFail(d); return }
                matches += reference.numberOfMatches(in: t, range: NSRange(location: 0, length: t.utf16.count))
            }
        }
        XCTAssertGreaterThan(inSubset, 1500)
        XCTAssertGreaterThan(listedFirsts, 100)
        XCTAssertGreaterThan(matches, 10_000)
    }

    /// Hand-written cases around ICU's particular readings: `$` before a final line terminator, empty
    /// matches one after another, captures kept from an earlier iteration, lazy quantifiers.
    func testICUsParticularReadings() {
        let cases: [(String, [String])] = [
            ("$", ["", "a", "a\n", "a\r\n", "a\r", "a\n\n", "\u{2028}", "a\u{85}", "\r\n", "\n\r"]),
            ("a$", ["a\n", "a\r\n", "a\n\r", "ab\n", "a\u{2029}"]),
            ("^a|b", ["ab", "ba", "\nab"]),
            ("a*", ["baa", "", "aab", "b"]),
            ("a??", ["aa", ""]),
            ("(?:(a)|b)+", ["ab", "ba", "abab"]),
            ("(a|ab)(c|bcd)(d*)", ["abcd"]),
            ("(?<y>(?:19|20)\\d{2})\\s*年", ["２０２１年", "2021 年", "1999\u{3000}年", "20２1年", "2021\n年"]),
            ("[^\\d]{0,6}?至", ["3日起至", "日至", "abcdefgh至"]),
            (".+", ["a\r\nb", "😀x\u{2028}y"]),
            ("x{2,3}?y", ["xxxy", "xxy"]),
            ("(a)?b", ["b", "ab"]),
            ("[-—–－]+", ["-—x－"]),
            ("[a-]+", ["a-b"]),
            ("[.,/;!?'\"()*+|<>=@#%~_`]+", ["a.,b;!?'\"()*+|<>=@#%~_`"]),
            ("[ a]+", ["a a"]),
            ("[:：]", [":", "：", "a:"]),
            ("x[a:]+", ["xa:b", "x:"]),
            (#"[\::]"#, [":"]),
            ("a]b", ["a]b", "ab", "]a]b"]),
            (#"^\[x]\.txt$"#, ["[x].txt", "x.txt", "[x]txt"]),
        ]
        for (pattern, texts) in cases {
            for t in texts { XCTAssertNil(Self.difference(pattern, t)) }
        }
    }

    /// Syntax outside the subset is refused and run by NSRegularExpression, with ICU's results.
    func testUnsupportedSyntaxFallsBackToICU() throws {
        let unsupported = [
            #"(?<=\p{Han}a)\(a\)"#, #"\bword\b"#, "(?i)abc", "a++", "(?>a)", "(a)\\1", #"\p{Latin}+"#, #"\p{han}"#, "(?<=a|b)c",
            "[[a-z]&&[^b]]", "(?=a)a",
            "(a*)*", "(a?)+b", "[:alpha:]", #"\Qa.b\E"#, "a{,3}", "x{1001}", "(?#note)a", #"\N{DIGIT ONE}"#, "[a-z--b]",
        ]
        for p in unsupported {
            XCTAssertNil(ScalarRegex(p), p)
            guard (try? NSRegularExpression(pattern: p)) != nil else {
                XCTAssertThrowsError(try RegexCache.shared.compile(p), p)
                continue
            }
            let compiled = try RegexCache.shared.compile(p)
            XCTAssertNil(compiled.scalarRegex, p)
            let reference = try RegexCache.shared.foundationRegex(p)
            for t in ["汉(a) word abc", "aaab", "b-c", "1"] {
                let expected = reference.firstMatch(in: t, range: NSRange(location: 0, length: t.utf16.count))?.range
                XCTAssertEqual(compiled.firstMatch(in: t)?.range, expected, "\(p) on \(t)")
                XCTAssertEqual(
                    compiled.matches(in: t).map(\.range),
                    reference.matches(in: t, range: NSRange(location: 0, length: t.utf16.count)).map(\.range))
            }
        }
        // Invalid patterns are refused by the subset and reported by ICU.
        for p in ["(a", "a)", "[a", "*a", "a{3,2}", "(?<1a>x)", "(?<n>a)(?<n>b)", #"\"#] {
            XCTAssertNil(ScalarRegex(p), p)
            XCTAssertThrowsError(try RegexCache.shared.compile(p), p)
        }
    }

    /// A pattern that backtracks catastrophically is stopped by the step budget, after exactly the same
    /// number of steps every time, and `matches(...)` reports it as too slow.
    func testCatastrophicPatternIsStoppedByTheStepBudgetDeterministically() throws {
        let rx = try XCTUnwrap(ScalarRegex("^(a|aa)+b$"))
        let text = ScalarText(String(repeating: "a", count: 60)).values
        var counts: [Int] = []
        for _ in 0..<2 {
            var steps = 0
            XCTAssertThrowsError(try rx.firstMatch(in: text, from: 0, steps: &steps, budget: 1_000_000))
            counts.append(steps)
        }
        XCTAssertEqual(counts[0], counts[1])
        XCTAssertGreaterThan(counts[0], 1_000_000)
        let compiled = try RegexCache.shared.compile("^(a|aa)+b$")
        XCTAssertThrowsError(try BoundedRegex.firstMatch(compiled, in: String(repeating: "a", count: 200)))
        // The same pattern on a text it matches quickly is not stopped.
        XCTAssertNotNil(try BoundedRegex.firstMatch(compiled, in: "aaab"))
        // A linear pattern over the longest text allowed stays well inside the budget.
        let linear = try RegexCache.shared.compile("(无|未|没有)[^。；]{0,24}(收取|收费)[^。；]{0,8}(费用|事项|情况)")
        let long = String(repeating: "本年度未收取任何。", count: BoundedRegex.maxTextLength / 9)
        XCTAssertNil(try BoundedRegex.firstMatch(linear, in: long))
        var steps = 0
        _ = try linear.scalarRegex?.firstMatch(in: ScalarText(long).values, from: 0, steps: &steps, budget: .max)
        XCTAssertLessThan(steps, BoundedRegex.stepBudget / 2)
    }

    /// `Glob.matches`, now run by `ScalarRegex`, gives what `String.range(of:options: .regularExpression)` gave.
    func testGlobsMatchAsWithFoundation() {
        let globs = [
            "*.docx", "2024/*.docx", "**/report.txt", "a/**/b.txt", "??.txt", "报告*.pdf", "[x].txt", "a+b(1).html", "*", "**", "年报 2021.txt",
        ]
        let paths = [
            "a.docx", "2024/a.docx", "2024/x/a.docx", "report.txt", "x/y/report.txt", "a/b.txt", "a/x/b.txt", "a/xb.txt", "ab.txt",
            "a/.txt",
            "报告2021.pdf", "[x].txt", "x.txt", "a+b(1).html", "年报 2021.txt", "a\nb.docx", "a.docx\n", "",
        ]
        var matched = 0
        for g in globs {
            let rx = Glob.regularExpression(for: g)
            XCTAssertNotNil(ScalarRegex(rx), rx)
            for p in paths {
                let expected = p.range(of: rx, options: .regularExpression) != nil
                XCTAssertEqual(Glob.matches(p, g), expected, "\(g) on \(p)")
                if expected { matched += 1 }
            }
        }
        XCTAssertGreaterThan(matched, 15)
    }
}
