import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The evaluation's shortcuts give the answers of the code they replace.
final class EvaluationFastPathTests: XCTestCase {
    /// `HeadingsKind.numeral` as it was, trimming with Foundation.
    static func numeralWithFoundation(_ heading: String) -> (String, Int)? {
        var s = Substring(heading.trimmingCharacters(in: .whitespaces))
        if let f = s.first, "（(".contains(f) { s = s.dropFirst() }
        let digits = s.prefix { "一二两三四五六七八九十0123456789０１２３４５６７８９".contains($0) }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = s.dropFirst(digits.count).first
        guard let rest, "、.．)）,，: 　".contains(rest) else { return nil }
        let ascii = String(
            digits.map { c -> Character in
                guard let v = c.unicodeScalars.first?.value, v >= 0xFF10, v <= 0xFF19 else { return c }
                return Character(UnicodeScalar(v - 0xFF10 + 0x30)!)
            })
        guard let n = chineseNumberAsItWas(ascii) else { return nil }
        return (String(digits), n)
    }

    /// `ChineseNumber.parse` as it was, with its table built in the call.
    static func chineseNumberAsItWas(_ s: String) -> Int? {
        if let n = Int(s) { return n }
        let digits: [Character: Int] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        if s == "十" { return 10 }
        if s.count == 1 { return digits[s.first!] }
        let c = Array(s)
        if c.count == 2, c[0] == "十" { return digits[c[1]].map { 10 + $0 } }
        if c.count == 2, c[1] == "十" { return digits[c[0]].map { $0 * 10 } }
        if c.count == 3, c[1] == "十", let a = digits[c[0]], let b = digits[c[2]] { return a * 10 + b }
        return nil
    }

    func testHeadingNumeralsAgreeOnRealAndGeneratedHeadings() throws {
        var headings: [String] = []
        // Every line of the samples and the corpus that could be a heading (short lines).
        var files = try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples")).filter { $0.hasSuffix(".txt") }
            .map { Repo.path("samples/" + $0) }
        if let corpus = Repo.shared.map({ ($0 as NSString).appendingPathComponent("corpus") }),
            let names = try? FileManager.default.contentsOfDirectory(atPath: corpus)
        {
            files += names.filter { $0.hasSuffix(".txt") }.map { (corpus as NSString).appendingPathComponent($0) }
        }
        for f in files {
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { continue }
            headings += text.components(separatedBy: "\n").filter { $0.count < 40 }
        }
        XCTAssertGreaterThan(headings.count, 100)
        // Generated: numerals, marks and spaces of every kind around them, combining marks after a space.
        let pieces = [
            "四", "十", "二十一", "1", "１２", "（", "(", "、", "．", ")", "）", " ", "\t", "\u{3000}", "\u{A0}", "\u{2003}", "\u{301}", "一", "x",
            "\n",
        ]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            headings.append((0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for h in headings {
            let a = HeadingsKind.numeral(h), b = Self.numeralWithFoundation(h)
            XCTAssertEqual(a?.0, b?.0, h.debugDescription)
            XCTAssertEqual(a?.1, b?.1, h.debugDescription)
        }
    }

    func testPreambleSentencesSplitAsCharactersSplitThem() throws {
        var paragraphs = ["一、二。三；四", "。。a；", "", "e\u{301}。x", "甲。\u{301}乙；丙", "\r\n。\n", "全文包括：总体情况。主动公开；收到和处理"]
        for f in try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples")) where f.hasSuffix(".txt") {
            paragraphs += try String(contentsOfFile: Repo.path("samples/" + f), encoding: .utf8).components(separatedBy: "\n")
        }
        var plain = 0
        for p in paragraphs {
            let (got, isPlain) = PartsKind.sentences(p)
            XCTAssertEqual(got, p.split(whereSeparator: { $0 == "。" || $0 == "；" }).map(String.init), p.debugDescription)
            if isPlain { plain += 1 }
        }
        XCTAssertGreaterThan(plain, 100)
    }

    /// `PartsKind.listingSentence` as it was: every part of every sentence asked about.
    static func listingSentenceAsItWas(_ preamble: [Paragraph], _ specs: [PartSpec]) -> (String, [PartSpec], SourceLocation?)? {
        var best: (String, [PartSpec], SourceLocation?)?
        for para in preamble {
            let (sentences, plainParagraph) = PartsKind.sentences(para.text)
            for sentence in sentences {
                let plain = plainParagraph || TextSearch.isPlain(sentence)
                let named = specs.filter { s in s.mentions.contains { TextSearch.contains(sentence, $0, haystackIsPlain: plain) } }
                if named.count >= 3, named.count > (best?.1.count ?? 0) { best = (sentence, named, para.location) }
            }
        }
        return best
    }

    /// The preamble's listing sentence is the one of counting every part, on the lines of the samples and the corpus
    /// as one preamble and line by line, and on generated preambles: sentences naming from none to every part, in
    /// any order, with ties, other scripts and an empty mention.
    func testPreambleListingSentenceIsTheOneOfCountingEveryPart() throws {
        let specs = Repo.linter.ruleSet.templates.profile.parts
        XCTAssertEqual(specs.count, 6)
        var files = try FileManager.default.contentsOfDirectory(atPath: Repo.path("samples")).filter { $0.hasSuffix(".txt") }
            .map { Repo.path("samples/" + $0) }
        if let corpus = Repo.shared.map({ ($0 as NSString).appendingPathComponent("corpus") }),
            let names = try? FileManager.default.contentsOfDirectory(atPath: corpus)
        {
            files += names.filter { $0.hasSuffix(".txt") }.map { (corpus as NSString).appendingPathComponent($0) }
        }
        var preambles: [[Paragraph]] = []
        for f in files {
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { continue }
            let lines = text.components(separatedBy: "\n").enumerated().map {
                Paragraph(text: $0.element, location: SourceLocation(file: f, line: $0.offset + 1))
            }
            preambles.append(lines)
            preambles += lines.map { [$0] }
        }
        let words = specs.flatMap(\.mentions) + ["报告", "、", "和", "。", "；", "e\u{301}", "情况", "\u{3000}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let paragraphs = (0..<Int.random(in: 0...4, using: &rng)).map { k in
                Paragraph(
                    text: (0..<Int.random(in: 0...14, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(),
                    location: SourceLocation(line: k + 1))
            }
            preambles.append(paragraphs)
        }
        var oddSpecs = specs
        oddSpecs[1].mentions.append("")
        oddSpecs[2].mentions.append("e\u{301}")
        var found = 0
        for p in preambles {
            for s in [specs, oddSpecs, Array(specs.prefix(2)), Array(specs.reversed())] {
                let a = PartsKind.listingSentence(p, s), b = Self.listingSentenceAsItWas(p, s)
                XCTAssertEqual(a?.0, b?.0)
                XCTAssertEqual(a?.1, b?.1)
                XCTAssertEqual(a?.2, b?.2)
                if a != nil { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 1_000)
    }

    /// `ReportField.named` finds what `init(rawValue:)` finds: every field, its name cut, extended and changed by one
    /// letter, other names of the same lengths, and names too long for any field.
    func testReportFieldsAreNamedAsTheirRawValues() {
        var names = ["", "x", "总计", "year ", " year", "Year", "YEAR", String(repeating: "a", count: 40), "title_years", "tables_years"]
        for f in ReportField.allCases {
            let n = f.rawValue
            names += [n, String(n.dropLast()), String(n.dropFirst()), n + "s", n.uppercased(), "_" + n]
            names += n.indices.map { i in
                var m = n; m.replaceSubrange(i...i, with: "x"); return m
            }
        }
        names += ["total", "received", "public", "applications", "handled", "reviews", "rate", "percent"]
        var found = 0
        for n in names {
            XCTAssertEqual(ReportField.named(n), ReportField(rawValue: n), n)
            if ReportField.named(n) != nil { found += 1 }
        }
        XCTAssertEqual(found, ReportField.allCases.count)
    }

    func testChineseNumbersAgree() {
        let numerals = ["一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "0", "7", "x"]
        for a in numerals {
            for b in [""] + numerals {
                for c in ["", "十", "三"] {
                    let s = a + b + c
                    XCTAssertEqual(ChineseNumber.parse(s), Self.chineseNumberAsItWas(s), s)
                }
            }
        }
    }

    /// Key ranks order cells as their key strings do, and equal keys (a row key and a column key that both hold
    /// a dot) share a rank.
    func testKeyRanksOrderCellsAsTheirKeys() {
        let spec = TableSpec(
            key: "t", title: "T", part: "p", group: nil, anchors: [],
            columns: ["c", "b.c", "total", "a-b", "Z"].map { ColumnSpec(key: $0, label: $0, variants: [], kind: .count, unit: nil) },
            rows: ["a", "a.b", "a-b", "withheld.secret", "b", "新"].map { RowSpec(key: $0, label: $0, variants: []) }, reference: nil)
        let table = CompiledTable(index: 0, spec: spec)
        let ranks = table.keyRanks
        let keys = (0..<(table.rowCount * table.columnCount)).map {
            "t.\(table.rowKeys[$0 / table.columnCount]).\(table.columnKeys[$0 % table.columnCount])"
        }
        XCTAssertEqual(ranks.count, keys.count)
        var sawShared = false
        for i in keys.indices {
            for j in keys.indices {
                XCTAssertEqual(ranks[i] < ranks[j], keys[i] < keys[j], "\(keys[i]) \(keys[j])")
                XCTAssertEqual(ranks[i] == ranks[j], keys[i] == keys[j], "\(keys[i]) \(keys[j])")
                if i != j && keys[i] == keys[j] { sawShared = true }
            }
        }
        XCTAssertTrue(sawShared)
    }
}
