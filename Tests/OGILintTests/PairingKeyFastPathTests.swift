import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

@testable import OGILint
@testable import OGIReaders

/// A batch pairs its reports with last year's from a reading of only the agency and year
/// (`Linter.readPairing`, `TextReader.pairingMetadata`); it must give exactly the agency and year of the
/// metadata reading it replaces (`readMetadata`, `parseMetadata`), or the pairs would differ.
final class PairingKeyFastPathTests: XCTestCase {
    static let reader = TextReader(context: Repo.linter.context)

    /// Every report file under `folder` (recursively).
    func files(under folder: String, extensions exts: Set<String>) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        return e.compactMap { $0 as? String }.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The sample reports (renderings, previous-year pairs, broken ones) and, when present, the corpus and the seed.
    func inputFiles(extensions: Set<String>) -> [String] {
        var out = files(under: Repo.path("samples"), extensions: extensions)
        if let shared = Repo.shared {
            out += files(under: (shared as NSString).appendingPathComponent("corpus"), extensions: extensions)
            out += files(under: (shared as NSString).appendingPathComponent("seed"), extensions: extensions)
        }
        return out
    }

    /// The pairing reading of a file against the metadata reading, through the linter (reader choice, errors,
    /// `--year`), in every format.
    func assertSameKeys(_ linter: Linter, _ paths: [String], file: StaticString = #filePath, line: UInt = #line) -> Int {
        var keyed = 0
        for path in paths {
            let full: Metadata
            do { full = try linter.readMetadata(path: path) } catch {
                XCTAssertThrowsError(
                    try linter.readPairing(path: path).key, "\(path): the metadata read fails, so must this", file: file, line: line)
                continue
            }
            do {
                let key = try linter.readPairing(path: path).key
                XCTAssertEqual(key, PreviousPairing.key(of: full), path, file: file, line: line)
                if key != nil { keyed += 1 }
                // The readers' own answer (before `--year`): the same agency and year, and nothing else.
                let data = try InputFile.read(path: path, budget: linter.budget)
                let read = try linter.registry.readMetadata(path: path, data: data)
                XCTAssertEqual(
                    try linter.registry.readPairingMetadata(path: path, data: data),
                    Metadata.pairingFields(agency: read.agency, year: read.year),
                    path, file: file, line: line)
            } catch {
                XCTFail("\(path): the pairing read failed where the metadata read did not: \(error)", file: file, line: line)
            }
        }
        return keyed
    }

    func testEveryFileGivesTheMetadataReadingsKey() throws {
        let paths = inputFiles(extensions: ["txt", "md", "docx", "html", "htm", "yml", "json", "pdf"])
        XCTAssertGreaterThan(paths.count, 200)
        let keyed = assertSameKeys(Repo.linter, paths)
        XCTAssertGreaterThan(keyed, 150)
        // Files that are not reports (an image, a legacy Word file) give no key, as their metadata reading fails.
        let dir = try temporaryFolder()
        let png = (dir as NSString).appendingPathComponent("scan.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: png))
        let empty = (dir as NSString).appendingPathComponent("empty.txt")
        try Data(" \n".utf8).write(to: URL(fileURLWithPath: empty))
        XCTAssertEqual(assertSameKeys(Repo.linter, [png, empty]), 0)
    }

    func testForcedYearGivesTheMetadataReadingsKey() throws {
        let linter = try Linter(ruleDirectories: [Repo.rules], options: LintOptions(year: 2022))
        let paths = files(under: Repo.path("samples/previous"), extensions: ["txt", "docx", "html"])
        XCTAssertGreaterThan(assertSameKeys(linter, paths), 10)
    }

    // MARK: Generated variants, read as text

    /// A part heading with its numeral ("一、…"), as the samples write them.
    static func isNumberedHeading(_ line: String) -> Bool {
        let t = line.drop { $0 == " " || $0 == "\u{3000}" || $0 == "#" }
        guard let sep = t.firstIndex(of: "、") else { return false }
        let numeral = t[..<sep]
        return !numeral.isEmpty && numeral.count <= 2 && numeral.allSatisfy { "一二三四五六七八九十".contains($0) }
    }

    static func withoutNumeral(_ line: String) -> String {
        guard isNumberedHeading(line), let sep = line.firstIndex(of: "、") else { return line }
        return String(line[line.index(after: sep)...])
    }

    static func hant(_ s: String) -> String { s.applyingTransform(StringTransform("Hans-Hant"), reverse: false) ?? s }

    /// Variants of a report's lines that move what the agency and year are read from: the title, the headings
    /// that end the preamble, the characters, the year.
    static func variants(of text: String) -> [(String, [String])] {
        let lines = text.components(separatedBy: "\n")
        let titleIndex = lines.firstIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0
        let headingIndices = lines.indices.filter { isNumberedHeading(lines[$0]) }
        var out: [(String, [String])] = [("as is", lines)]
        out.append(("traditional", lines.map(hant)))
        out.append(("traditional title", lines.enumerated().map { $0.offset <= titleIndex + 1 ? hant($0.element) : $0.element }))
        out.append(("traditional body", lines.enumerated().map { $0.offset <= titleIndex + 1 ? $0.element : hant($0.element) }))
        out.append(("headings without numerals", lines.map(withoutNumeral)))
        out.append(
            (
                "two numbered headings",
                lines.enumerated().map { headingIndices.prefix(2).contains($0.offset) ? $0.element : withoutNumeral($0.element) }
            ))
        out.append(("no headings", lines.filter { !isNumberedHeading($0) }))
        out.append(("first heading removed", lines.enumerated().filter { $0.offset != headingIndices.first }.map(\.element)))
        out.append(
            (
                "headings unnumbered after the first",
                lines.enumerated().map { headingIndices.dropFirst().contains($0.offset) ? withoutNumeral($0.element) : $0.element }
            ))
        if let h = headingIndices.dropFirst().first {
            // A heading's wording alone on a line of the preamble: a heading before the first numbered one.
            var l = lines
            l.insert(withoutNumeral(lines[h]), at: titleIndex + 1)
            out.append(("wording-only heading in the preamble", l))
            var top = lines
            top.insert(withoutNumeral(lines[h]), at: 0)
            out.append(("wording-only heading first", top))
        }
        if let first = headingIndices.first {
            var l = lines
            let title = l.remove(at: titleIndex)
            l.insert(title, at: first)
            out.append(("title after the first heading", l))
            out.append(("no title", lines.enumerated().filter { $0.offset != titleIndex }.map(\.element)))
            out.append(("no preamble", Array(lines[first...])))
        }
        out.append(
            (
                "title without digits",
                lines.enumerated().map { $0.offset == titleIndex ? String($0.element.filter { !$0.isNumber }) : $0.element }
            ))
        out.append(
            ("year changed", lines.map { $0.replacingOccurrences(of: "2021", with: "2017").replacingOccurrences(of: "2019", with: "2031") })
        )
        if let first = headingIndices.first, let period = lines[..<first].firstIndex(where: { $0.contains("1月1日") }) {
            // The year read only from the statistics period, which sits 36 lines after the first heading: past the
            // lines read to find three headings, within the 40 the period is looked for in.
            var l = lines.enumerated().map { $0.offset == titleIndex ? String($0.element.filter { !$0.isNumber }) : $0.element }
            let line = l.remove(at: period)
            l.insert(line, at: min(l.count, first - 1 + 36))
            out.append(("title without digits, period far after the first heading", l))
        }
        if headingIndices.count >= 3 {
            // Three headings first, then page numbers (noise lines): the title is looked for in the first five lines
            // kept, which come after all the noise.
            let heads = headingIndices.prefix(3).map { lines[$0] }
            let rest = lines.enumerated().filter { !headingIndices.prefix(3).contains($0.offset) }.map(\.element)
            out.append(("three headings, then page numbers", heads + (1...40).map { "- \($0) -" } + rest))
        }
        out.append(("agency changed", lines.enumerated().map { $0.offset == titleIndex ? "某县" + $0.element : $0.element }))
        out.append(("first 12 lines", Array(lines.prefix(12))))
        return out
    }

    /// Texts to vary: the clean samples, last year's pairs, the seed, the corpus bodies and a few broken samples.
    func baseTexts() throws -> [(String, String)] {
        var paths = files(under: Repo.path("samples/previous"), extensions: ["txt"])
        paths += ["samples/clean-2019-department.txt", "samples/clean-2021-government.txt"].map(Repo.path)
        paths += [
            "no-year", "no-date", "missing-part", "heading-slip", "heading-numbering", "parts-out-of-order", "not-a-report", "no-tables",
        ]
        .map { Repo.path("samples/broken/\($0).txt") }
        if let shared = Repo.shared {
            paths += files(under: (shared as NSString).appendingPathComponent("corpus"), extensions: ["txt"])
            paths += files(under: (shared as NSString).appendingPathComponent("seed"), extensions: ["txt"])
        }
        return try paths.map { p in
            let (text, _) = try TextDecoding.decode(Data(contentsOf: URL(fileURLWithPath: p)), path: p)
            return ((p as NSString).lastPathComponent, SeedAndCorpusTests.body(text).body)
        }
    }

    func testGeneratedVariantsGiveTheMetadataReadingsAgencyAndYear() throws {
        let reader = Self.reader
        var compared = 0, fewParts = 0, converted = 0, keyed = 0, fromBytes = 0, cleanedAll = 0, slotsAsMade = 0
        for (name, text) in try baseTexts() {
            for (what, lines) in Self.variants(of: text) {
                let source = lines.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
                let label = "\(name) (\(what))"
                let full = reader.parseMetadata(lines: source, path: label, sourceFormat: "text")
                let fast = reader.pairingMetadata(lines: source, path: label, sourceFormat: "text")
                XCTAssertEqual(fast, Metadata.pairingFields(agency: full.agency, year: full.year), label)
                compared += 1
                if full.agency != nil && full.year != nil { keyed += 1 }
                if reader.pairingReading(source).fewerThanThreeParts {
                    fewParts += 1
                    if TextReader.simplified(source) != nil { converted += 1 }
                }
                // Read from the text's bytes (a text file's pairing reading), its lines made only as far as the reading
                // goes and their noise slots read from the bytes: the key of the reading of all its lines. Also with a
                // converter's note in its second line, whose removal needs every line made (the samples hold none),
                // or pinyin after the title's first character.
                let noted = lines.enumerated().map { $0.offset == 1 ? $0.element + "[bookmark:_Toc1]" : $0.element }
                let pinyin = lines.enumerated().map {
                    $0.offset == 0 ? String($0.element.prefix(1)) + "(shù)" + $0.element.dropFirst() : $0.element
                }
                for (joined, tag) in [
                    (lines.joined(separator: "\n"), ""), (noted.joined(separator: "\n"), " noted"),
                    (pinyin.joined(separator: "\n"), " pinyin"),
                ] {
                    guard !FastText.isBlank(joined) else { continue }
                    let all = TextReader.lines(of: joined)
                    let made = PairingLines(text: joined, ranges: joined.withUTF8Bytes(TextReader.lineRanges))
                    XCTAssertEqual(made.noiseSlots(reader), reader.noiseSlots(lines: all), label + tag)
                    let some = made.prefix(7)
                    XCTAssertEqual(some.map(\.number), all.prefix(some.count).map(\.number), label + tag)
                    XCTAssertEqual(some.map(\.text), all.prefix(some.count).map(\.text), label + tag)
                    XCTAssertEqual(made.all.map(\.text), all.map(\.text), label + tag)
                    let whole = reader.pairingMetadata(lines: all, path: label, sourceFormat: "text")
                    XCTAssertEqual(try reader.readPairingMetadata(path: label, data: Data(joined.utf8)), whole, label + tag)
                    let removed = reader.removingInlineNoise(lines: all, slots: reader.noiseSlots(lines: all))
                    if removed != nil { cleanedAll += 1 }
                    // When the bytes show that no inline noise can match, it removes nothing, and the slots of the lines
                    // made as the reading goes are those of the whole text's lines.
                    let lazy = PairingLines(text: joined, ranges: joined.withUTF8Bytes(TextReader.lineRanges))
                    if lazy.slotsAsMade(reader) {
                        XCTAssertNil(removed, label + tag)
                        _ = lazy.prefix(9)
                        XCTAssertEqual(lazy.madeSlots, Array(reader.noiseSlots(lines: all)!.prefix(min(9, all.count))), label + tag)
                        slotsAsMade += 1
                    }
                    fromBytes += 1
                }
            }
        }
        XCTAssertGreaterThan(fromBytes, 600)
        // Texts whose inline noise is removed (every line made) among them, and texts read only as far as needed.
        XCTAssertGreaterThan(cleanedAll, 600)
        XCTAssertGreaterThan(slotsAsMade, 300)
        XCTAssertGreaterThan(compared, 300)
        XCTAssertGreaterThan(keyed, compared / 2)
        // The fallback of few parts, with and without a second reading in simplified characters, was taken.
        XCTAssertGreaterThan(fewParts, 20)
        XCTAssertGreaterThan(converted, 10)
    }

    // MARK: The batch's pairs

    /// The pairs a batch makes equal the pairs of the metadata readings' keys.
    func testBatchPairsEqualTheMetadataReadingsPairs() throws {
        let dir = try temporaryFolder()
        var paths: [String] = []
        // One copy of last year's report (with two, neither is paired), this year's in several formats.
        for f in files(under: Repo.path("samples/previous"), extensions: ["txt"])
            + ["samples/previous/this-year-growth.docx", "samples/previous/this-year-copied.html"].map(Repo.path)
            + ["samples/clean-2019-department.txt", "samples/clean-2021-government.html", "samples/broken/no-year.txt"].map(Repo.path)
        {
            let dst = (dir as NSString).appendingPathComponent((f as NSString).lastPathComponent)
            try FileManager.default.copyItem(atPath: f, toPath: dst)
            paths.append(dst)
        }
        for year in [nil, 2021, 2022] as [Int?] {
            var o = LintSession.Options(rulesRoot: Repo.rules)
            o.useConfiguration = false
            o.year = year
            o.workers = 2
            let session = LintSession(options: o)
            let plan = try session.plan([dir])
            let linter = plan.groups[0].linter
            let keys = plan.start.files.map { f in (try? linter.readMetadata(path: f)).flatMap(PreviousPairing.key(of:)) }
            var expected: [Int: String] = [:]
            for p in PreviousPairing.pairIndices(keys: keys) { expected[p.current] = plan.start.files[p.previous] }
            let got = try session.previousFiles(plan)
            XCTAssertEqual(got, expected, "year \(year.map(String.init) ?? "read")")
            if year == nil { XCTAssertGreaterThan(got.count, 3) } else { XCTAssertEqual(got, [:]) }
        }
    }
}
