import Foundation
import OGILint
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The label readings done on UTF-8 bytes must give what the scalar readings they replace give: label
/// normalisation, numbering stripped with the numerals read once, punctuation left out of the comparable
/// form, and the noise screens' slots. Compared on every line, field and word of the samples, renderings and
/// corpus, on generated labels and on random strings with multi-byte, astral and combining scalars.
final class Read5LabelTests: XCTestCase {
    static let context = try! ReaderContext(templates: Repo.linter.ruleSet.templates)

    /// The scalar mapping `LabelText.normalize` was.
    static func referenceNormalize(_ s: String) -> String {
        FastText.mapScalars(s) { u in
            if FastText.isSpace(u) { return nil }
            return (0xFF01...0xFF5E).contains(u.value) ? UnicodeScalar(u.value - 0xFEE0)! : u
        }
    }

    /// The scalar mapping `FastText.removingScalars` replaces.
    static func referenceRemoving(_ set: ScalarSet, _ s: String) -> String { FastText.mapScalars(s) { set.contains($0) ? nil : $0 } }

    /// Labels of the texts, generated labels, and random strings over an alphabet of troublemakers.
    static func labels() throws -> [String] {
        let numerals = Repo.linter.ruleSet.templates.profile.partNumerals
        var out = try ReadFastPathTests.labels() + ReadFastPathTests.generatedLabels(numerals: numerals)
        var rng = SplitMix(seed: 77)
        let alphabet = Array(
            "一二三十1 2(（)）、.．,:：;；。 \t\u{3000}\u{A0}\u{FEFF}\u{200B}ＡＺａｚ！～\u{FF5F}\u{FF00}é\u{301}\u{F9D1}𠀀😀-—/予以公开规章x"
                .unicodeScalars)
        for _ in 0..<6000 { out.append(rng.string(from: alphabet, maxLength: 20)) }
        return out
    }

    func testNormalizeOnBytesEqualsScalarMapping() throws {
        let labels = try Self.labels()
        XCTAssertGreaterThan(labels.count, 20_000)
        var changed = 0
        for l in labels {
            let fast = LabelText.normalize(l), ref = Self.referenceNormalize(l)
            XCTAssertTrue(FastText.bytesEqual(fast, ref), "\(l.debugDescription): \(fast.debugDescription) vs \(ref.debugDescription)")
            if !FastText.bytesEqual(ref, l) { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 3000)
    }

    /// Every ASCII scalar (white space 09...0D and 20 dropped, every other kept as it is) in labels of each kind
    /// of neighbour, against the scalar mapping.
    func testNormalizeReadsEveryASCIIScalar() {
        var dropped = 0
        for v in 0..<128 {
            let c = String(UnicodeScalar(UInt8(v)))
            for l in [c, "a\(c)b", "中\(c)文", "Ａ\(c)\(c)１", "\(c)é\(c)", "\u{3000}\(c)"] {
                let fast = LabelText.normalize(l), ref = Self.referenceNormalize(l)
                XCTAssertTrue(FastText.bytesEqual(fast, ref), "\(l.debugDescription): \(fast.debugDescription) vs \(ref.debugDescription)")
                if fast.utf8.count < l.utf8.count { dropped += 1 }
            }
        }
        XCTAssertGreaterThan(dropped, 30)
    }

    func testNumberingStrippedOnBytesEqualsScalarReading() throws {
        let numerals = Repo.linter.ruleSet.templates.profile.partNumerals
        let labels = try Self.labels()
        var stripped = 0, declined = 0
        for ns in [numerals, "", "一二\u{F9D1}", "K", "一二三", "（"] {
            let form = LabelNumerals(ns)
            for raw in labels {
                for l in [raw, LabelText.normalize(raw)] {
                    let fast = LabelText.stripNumberingOnBytes(l, numerals: form)
                    let ref = LabelText.stripNumberingOnScalars(l, numerals: ns)
                    XCTAssertEqual(fast, ref, "\(l.debugDescription) with \(ns)")
                    if let f = fast, f != l { stripped += 1 }
                    if fast == nil { declined += 1 }
                    XCTAssertEqual(
                        LabelText.stripNumbering(l, numerals: form), LabelText.stripNumberingOnCharacters(l, numerals: ns),
                        "\(l.debugDescription) with \(ns)")
                }
            }
        }
        XCTAssertGreaterThan(stripped, 3000)
        XCTAssertGreaterThan(declined, 100)
    }

    func testComparableFormsEqualScalarMapping() throws {
        let numerals = Repo.linter.ruleSet.templates.profile.partNumerals
        let form = LabelNumerals(numerals)
        var removed = 0
        for raw in try Self.labels() {
            let norm = LabelText.normalize(raw)
            let ref = Self.referenceRemoving(
                LabelText.ignoredInComparison, LabelText.stripNumberingOnCharacters(Self.referenceNormalize(raw), numerals: numerals))
            XCTAssertTrue(FastText.bytesEqual(LabelText.comparable(normalized: norm, numerals: form), ref), raw.debugDescription)
            XCTAssertTrue(FastText.bytesEqual(LabelText.comparable(normalized: norm, numerals: numerals), ref), raw.debugDescription)
            XCTAssertTrue(FastText.bytesEqual(LabelText.comparable(raw, numerals: numerals), ref), raw.debugDescription)
            let plain = FastText.removingScalars(in: LabelText.ignoredInComparison, from: raw)
            XCTAssertTrue(FastText.bytesEqual(plain, Self.referenceRemoving(LabelText.ignoredInComparison, raw)), raw.debugDescription)
            if !FastText.bytesEqual(plain, raw) { removed += 1 }
        }
        XCTAssertGreaterThan(removed, 3000)
        // Sets with multi-byte and astral members.
        let set = ScalarSet("、😀é一\u{301}".unicodeScalars)
        for s in ["", "、", "a、b😀c", "é\u{301}x", "一一一", "😀", "x"] {
            XCTAssertEqual(FastText.removingScalars(in: set, from: s), Self.referenceRemoving(set, s), s.debugDescription)
        }
    }

    func testNoiseSlotsOnBytesEqualScalarReading() throws {
        let ctx = Self.context
        let screens = [try XCTUnwrap(ctx.inlineNoiseScreen), try XCTUnwrap(ctx.lineNoiseScreen)]
        var lines = try ReadOnePass2Tests.lines() + Self.labels()
        var rng = SplitMix(seed: 78)
        let alphabet = Array("[]()bookmarkimage:第页-—–－|\\ 1\u{80}\u{7FF}\u{800}\u{FFFF}😀ǚü\u{0}\u{7F}".unicodeScalars)
        for _ in 0..<3000 { lines.append(rng.string(from: alphabet, maxLength: 30)) }
        var hits = 0
        for screen in screens {
            for s in lines {
                let fast = screen.presentSlots(s)
                XCTAssertEqual(fast, screen.presentSlotsByScalars(s), s.debugDescription)
                if fast != 0 { hits += 1 }
            }
        }
        XCTAssertGreaterThan(hits, 1000)
    }

    /// Every scalar of the BMP and some beyond, alone and among others, gets the slots the scalar reading gives it:
    /// from the block tables (three-byte scalars) as from the sets. The screens of the profile (the noise screen
    /// with its line-break slot), and sets spread over many blocks: two sets sharing scalars, a scalar alone in its
    /// block, the first and last three-byte scalars, ideographs, and 64 sets.
    func testScalarSlotsOfEveryScalarEqualScalarReading() throws {
        let ctx = Self.context
        var tables = [try XCTUnwrap(ctx.noiseScreen).table, try XCTUnwrap(ctx.inlineNoiseScreen).table]
        let spread: [[Unicode.Scalar]] = [
            Array("第页共一二三、。".unicodeScalars), Array("页共\u{800}\u{FFFF}\u{FFFD}".unicodeScalars), ["\u{E000}", "\u{D7FF}"],
            Array("aé😀\u{7FF}".unicodeScalars), Array("\u{4E00}\u{4E3F}\u{4E40}\u{9FFF}".unicodeScalars),
        ]
        tables.append(try XCTUnwrap(ScalarSlots(spread, lookups: spread.map { ScalarSet($0) })))
        let many = (0..<64).map { k in [Unicode.Scalar(0x4E00 + UInt32(k) * 97)!, Unicode.Scalar(0x3000 + UInt32(k))!] }
        tables.append(try XCTUnwrap(ScalarSlots(many, lookups: many.map { ScalarSet($0) })))
        var hits = 0
        for table in tables {
            for v in UInt32(0)...0x10000 + 0x40 {
                guard let u = Unicode.Scalar(v) else { continue }
                for s in [String(u), "a" + String(u) + "一", String(u) + "\u{FFFF}"] {
                    let fast = table.presentSlots(s)
                    if fast != table.presentSlotsByScalars(s) { XCTFail("\(String(v, radix: 16)) in \(s.debugDescription)"); break }
                    if v >= 0x800 && v < 0x10000 && fast != 0 && s.unicodeScalars.count == 1 { hits += 1 }
                }
            }
        }
        XCTAssertGreaterThan(hits, 100)
    }

    /// The tokenizer's line shape and the comparable scalars read on bytes, against the scalar-view readings.
    func testLineShapeAndScalarsOnBytesEqualScalarView() throws {
        var lines = try ReadOnePass2Tests.lines() + Self.labels()
        lines += [
            "\t", "|", "｜", " \u{3000}\t", "a\u{FF5C}b", "\u{A0}", "😀\t1", "é\u{301}|2", "\u{7F}", "\u{01}a", " \u{0B} ", "\r|", "~\t}",
        ]
        var delimited = 0, blank = 0, plain = 0
        for l in lines {
            let fast = CellTokenizer.LineShape(l), ref = CellTokenizer.LineShape(scalarsOf: l)
            XCTAssertEqual(fast.delimited, ref.delimited, l.debugDescription)
            XCTAssertEqual(fast.blank, ref.blank, l.debugDescription)
            XCTAssertEqual(fast.plain, ref.plain, l.debugDescription)
            XCTAssertEqual(fast.separators, ref.separators, l.debugDescription)
            if ref.delimited { delimited += 1 }
            if ref.blank { blank += 1 }
            if ref.plain { plain += 1 }
            XCTAssertEqual(UTF8Scan.scalars(of: l), Array(l.unicodeScalars), l.debugDescription)
        }
        XCTAssertGreaterThan(delimited, 500)
        XCTAssertGreaterThan(blank, 100)
        XCTAssertGreaterThan(plain, 1000)
        XCTAssertLessThan(plain, lines.count)
    }

    /// The tokenizer's byte tests for a comma and for white space against the scalar tests they replace.
    func testCommaAndSpaceOnBytesEqualScalarTests() throws {
        var words = try Self.labels() + ReadOnePass2Tests.lines()
        words += [",", "，", "1,234", "1，234", "\u{FF0C}", "\u{FE50}", "\u{FF0B}", "ｌ", "a\u{3000}b", "\u{A0}", "\u{2028}", "😀,"]
        var rng = SplitMix(seed: 93)
        let alphabet = Array(",，\u{FE50}\u{FF0B}\u{FF0D}ｌ１ 　\u{A0}\u{200B}\u{FEFF}1😀".unicodeScalars)
        for _ in 0..<3000 { words.append(rng.string(from: alphabet, maxLength: 8)) }
        var commas = 0, spaces = 0
        let filter = ValueScalars(syntax: Repo.linter.ruleSet.templates.profile.cells)
        for w in words {
            let comma = w.unicodeScalars.contains { $0 == "," || $0 == "，" }
            XCTAssertEqual(CellTokenizer.hasComma(w), comma, w.debugDescription)
            let space = w.unicodeScalars.contains(where: FastText.isSpace)
            // The tokenizer's one-pass scan of a field.
            let scan = filter.scan(w)
            XCTAssertEqual(scan.hasComma, comma, w.debugDescription)
            XCTAssertEqual(scan.hasSpace, space, w.debugDescription)
            XCTAssertEqual(scan.certainlyText, filter.isCertainlyTextOnScalars(w), w.debugDescription)
            if comma { commas += 1 }
            if space { spaces += 1 }
        }
        XCTAssertGreaterThan(commas, 1000)
        XCTAssertGreaterThan(spaces, 1000)
    }
}
