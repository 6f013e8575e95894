import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// `HeadingMatcher.match` reads a line's UTF-8 bytes into stack buffers; it must find what the reading through
/// the scalar view (`matchOnScalarView`) finds — the part, the heading as shown, the rest of the line and the
/// standard heading — for every line of the samples, renderings and corpus, for generated headings (numerals,
/// digits, lost numerals, separators, white space, slips, full-width forms, multi-byte and astral scalars), with
/// and without numerals required and with parts excluded.
final class Read5HeadingTests: XCTestCase {
    static let context = try! ReaderContext(templates: Repo.linter.ruleSet.templates)

    static func lines() throws -> [String] {
        var out = try ReadOnePass2Tests.lines()
        let profile = Repo.linter.ruleSet.templates.profile
        let heads = ["一、", "二.", "三．", "四 ", "五\u{3000}", "六\t", "1、", "12.", "、", "#  一、", "  3 ", "十、", "一", "1", "9x", "0、", "一、 "]
        var words: [String] = []
        for p in profile.parts { words += [p.title] + p.headings }
        var rng = SplitMix(seed: 91)
        let noise = Array("的（）()【】：:，。；、 \u{3000}ＡＢ１a😀é\u{301}#".unicodeScalars)
        for w in words {
            let ws = Array(w.unicodeScalars)
            for h in heads {
                out.append(h + w)
                out.append(h + w + "。本年度")
                out.append(h + "（" + w + "）")
                // A slip: one scalar dropped, swapped for noise, or noise put in.
                for _ in 0..<3 {
                    var v = ws
                    let k = Int(rng.next() % UInt64(v.count))
                    switch rng.next() % 3 {
                    case 0: v.remove(at: k)
                    case 1: v[k] = noise[Int(rng.next() % UInt64(noise.count))]
                    default: v.insert(noise[Int(rng.next() % UInt64(noise.count))], at: k)
                    }
                    out.append(h + String(String.UnicodeScalarView(v)) + rng.string(from: noise, maxLength: 6))
                }
            }
            out.append(w)
            out.append(" " + w + " ")
        }
        let alphabet = Array("一二三四五六七八九十123、.．  \t#总体情况主动公开政府信息（）()😀é\u{301}ＡＢ".unicodeScalars)
        for _ in 0..<4000 { out.append(rng.string(from: alphabet, maxLength: 60)) }
        out.append(String(repeating: "一、总体情况", count: 12))
        return out
    }

    func testByteMatchEqualsScalarViewMatch() throws {
        let matcher = Self.context.headingMatcher
        let keys = matcher.parts.map(\.spec.key)
        var exclusions: [Set<String>] = [[]]
        for k in keys {
            exclusions.append([k])
            exclusions.append(Set(keys.filter { $0 != k }))
        }
        let lines = try Self.lines()
        XCTAssertGreaterThan(lines.count, 10_000)
        var found = 0
        for l in lines {
            for numbered in [true, false] {
                for e in exclusions {
                    let fast = matcher.match(l, excluding: e, numbered: numbered)
                    let ref = matcher.matchOnScalarView(l, excluding: e, numbered: numbered)
                    XCTAssertEqual(fast?.spec.key, ref?.spec.key, "\(l.debugDescription) \(numbered) \(e)")
                    XCTAssertEqual(fast?.heading, ref?.heading, l.debugDescription)
                    XCTAssertEqual(fast?.rest, ref?.rest, l.debugDescription)
                    XCTAssertEqual(fast?.standardHeading, ref?.standardHeading, l.debugDescription)
                    XCTAssertEqual(fast?.part, ref?.part, l.debugDescription)
                    if let fast { XCTAssertEqual(matcher.parts[fast.part].spec.key, fast.spec.key) }
                    if fast != nil { found += 1 }
                }
            }
        }
        XCTAssertGreaterThan(found, 5000)
    }

    /// The byte scans for a sentence end (`splittingRunInHeadings`) and for line-break bytes
    /// (`removingInlineNoise`) against the scans they replace.
    func testByteScansEqualScalarScans() throws {
        var lines = try Self.lines()
        lines += ["。", "；", "a。", "。a", "あ", "ꀂ", "。", "\u{FF1B}", "\u{FF1A}", "ｼ", "\r", "\n", "\r\n", "a\rb", "😀。", "ﾛ；"]
        var rng = SplitMix(seed: 92)
        let alphabet = Array("。；あꀂ。ｼ；：\r\n a😀".unicodeScalars)
        for _ in 0..<3000 { lines.append(rng.string(from: alphabet, maxLength: 12)) }
        var ends = 0
        for l in lines {
            let ref = l.unicodeScalars.contains { $0 == "。" || $0 == "；" }
            XCTAssertEqual(HeadingMatcher.hasSentenceEnd(l), ref, l.debugDescription)
            if ref { ends += 1 }
            XCTAssertEqual(
                TextReader.hasLineBreakByte(l),
                FastText.firstByteOffset(of: "\n", in: l) != nil || FastText.firstByteOffset(of: "\r", in: l) != nil,
                l.debugDescription)
        }
        XCTAssertGreaterThan(ends, 1000)
    }

    /// `mayMatchWithoutNumeral`, read on the UTF-8 bytes, against its scalar-view reading on every line of the
    /// samples, renderings, corpus and generated headings, and on lines of white space and `#` alone.
    func testMayMatchWithoutNumeralOnBytesEqualsScalarView() throws {
        let matcher = Self.context.headingMatcher
        var lines = try Self.lines()
        lines += ["", " ", "#", "# ## \u{3000}", "\u{FEFF}一、", "\u{3000}#9", "\u{200B}、", "😀一"]
        var yes = 0
        for l in lines {
            let fast = matcher.mayMatchWithoutNumeral(l)
            XCTAssertEqual(fast, matcher.mayMatchWithoutNumeralOnScalars(l), l.debugDescription)
            if fast { yes += 1 }
        }
        XCTAssertGreaterThan(yes, 1000)
        XCTAssertGreaterThan(lines.count - yes, 1000)
    }
}
