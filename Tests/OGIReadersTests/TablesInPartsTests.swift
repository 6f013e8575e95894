import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The tables read from the tokens of their parts alone (`TextReader.tablesInParts`: the preamble and the prose
/// parts are not tokenised) must be the tables read from the whole text's tokens; where that reading could
/// differ (a table outside its part, a part missing) it must stop and be continued with the whole text's tokens,
/// and where line numbers do not increase (a heading split from the line it was run into) the whole text must be
/// read from the start. Compared on every sample, rendering and corpus text, their generated variants, and
/// variants of the clean samples made to reach each of those cases.
final class TablesInPartsTests: XCTestCase {
    static let context = ReadOnePass2Tests.context

    /// The report read with the tables taken from the parts first, and read from the whole text's tokens only.
    func assertSameReading(
        _ lines: [SourceLine], counts: TableReadingCounts, _ message: @autoclosure () -> String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var parts = TextReader(context: Self.context)
        parts.tableReadingCounts = counts
        var whole = TextReader(context: Self.context)
        whole.readsTablesInPartsFirst = false
        let a = parts.parse(lines: lines, path: "r.txt", sourceFormat: "text")
        let b = whole.parse(lines: lines, path: "r.txt", sourceFormat: "text")
        XCTAssertEqual(a, b, message(), file: file, line: line)
    }

    func testEveryDocumentReadsTheSameTables() throws {
        let counts = TableReadingCounts()
        let docs = try TextFrontFastPathTests.documents()
        XCTAssertGreaterThan(docs.count, 100)
        for d in docs { assertSameReading(d, counts: counts, d.prefix(2).map(\.text).joined(separator: "⏎")) }
        // Most documents are read from their parts; some go on with the whole text (tables outside their parts),
        // some are read from the whole text only (run-in headings).
        XCTAssertGreaterThan(counts.inParts, docs.count / 3)
        XCTAssertGreaterThan(counts.continued, 5)
        XCTAssertGreaterThan(counts.inWholeText, 5)
    }

    /// The two clean text samples, as lines.
    func samples() throws -> [[String]] {
        try ["samples/clean-2021-government.txt", "samples/clean-2019-department.txt"].map {
            try String(contentsOfFile: Repo.path($0), encoding: .utf8).components(separatedBy: "\n")
        }
    }

    static func numbered(_ texts: [String]) -> [SourceLine] {
        texts.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
    }

    /// Index of the first line starting with `prefix`.
    static func index(_ texts: [String], _ prefix: String) throws -> Int {
        try XCTUnwrap(texts.firstIndex { $0.hasPrefix(prefix) }, prefix)
    }

    /// Variants that reach every way the parts reading gives way to the whole text, and some it does not.
    func variants(of texts: [String]) throws -> [(name: String, lines: [SourceLine], reading: TableReadingCounts.Reading)] {
        var out: [(String, [SourceLine], TableReadingCounts.Reading)] = [("as written", Self.numbered(texts), .inParts)]
        let p2 = try Self.index(texts, "二、"), p3 = try Self.index(texts, "三、收到"), p4 = try Self.index(texts, "四、政府信息公开")
        let p5 = try Self.index(texts, "五、")
        // Table 3 moved to the end of the report: not in its part, found in the whole text.
        var moved = texts
        let table3 = Array(moved[(p3 + 1)..<p4])
        moved.removeSubrange((p3 + 1)..<p4)
        moved += ["附表："] + table3
        out.append(("table 3 at the end", Self.numbered(moved), .continued))
        // The heading of part 2 left out: its tables are looked for in the whole text.
        var noPart2 = texts
        noPart2.remove(at: p2)
        out.append(("no heading of part 2", Self.numbered(noPart2), .continued))
        // Only the heading of part 3 among the table parts: its range is all the tokens the parts give.
        var only3 = texts
        only3.remove(at: p4)
        only3.remove(at: p2)
        out.append(("only part 3 holds tables", Self.numbered(only3), .continued))
        // Part 5's heading run into the line before it: split into two lines of one number.
        var runIn = texts
        runIn[p5 - 1] += "以上为复议诉讼情况。" + runIn[p5]
        runIn.remove(at: p5)
        out.append(("run-in heading", Self.numbered(runIn), .inWholeText))
        // Numbers that do not increase: two lines of one number, and numbers counting down.
        out.append(("shared numbers", texts.enumerated().map { SourceLine(number: $0.offset / 2 + 1, text: $0.element) }, .inWholeText))
        out.append(("numbers down", texts.enumerated().map { SourceLine(number: 1000 - $0.offset, text: $0.element) }, .inWholeText))
        // Numbers with gaps (lines removed as noise) and blank and separator-only lines inside the table parts.
        out.append(("gaps", texts.enumerated().map { SourceLine(number: 3 * $0.offset + 7, text: $0.element) }, .inParts))
        var blanks = texts
        blanks.insert("|\t|", at: p3 + 1)
        blanks.insert("", at: p4 + 2)
        blanks.insert("\t\t", at: p2 + 1)
        out.append(("blank and separator lines", Self.numbered(blanks), .inParts))
        // Prose in the table parts and a table row in a prose part.
        var prose = texts
        prose.insert("本部分数据来源于年度统计报表。", at: p3 + 1)
        prose.insert("行政许可\t12", at: p5 + 1)
        out.append(("prose in a table part", Self.numbered(prose), .inParts))
        return out
    }

    func testVariantsReadTheSameTablesAndReachBothReadings() throws {
        for texts in try samples() {
            for v in try variants(of: texts) {
                let counts = TableReadingCounts()
                assertSameReading(v.lines, counts: counts, v.name)
                XCTAssertEqual(counts.inParts > 0, v.reading == .inParts, "\(v.name): read from the parts")
                XCTAssertEqual(counts.continued > 0, v.reading == .continued, "\(v.name): continued with the whole text")
                XCTAssertEqual(counts.inWholeText > 0, v.reading == .inWholeText, "\(v.name): read from the whole text")
            }
        }
    }

    /// The mapper's own refusals, on tokens given to it directly.
    func testMapperStopsAtTheTableItCannotReadInParts() throws {
        let ctx = Self.context
        let template = try XCTUnwrap(ctx.templates.template("2021"))
        let texts = try samples()[0]
        let lines = Self.numbered(texts)
        let p2 = try Self.index(texts, "二、"), p3 = try Self.index(texts, "三、收到"), p4 = try Self.index(texts, "四、政府信息公开")
        let p5 = try Self.index(texts, "五、")
        let (tokens, ranges) = CellTokenizer.tokens(
            of: [lines[(p2 + 1)..<p3], lines[(p3 + 1)..<p4], lines[(p4 + 1)..<p5]], syntax: ctx.templates.profile.cells,
            filter: ctx.mapper.valueScalars)
        let all = ["proactive": ranges[0], "applications": ranges[1], "reviews": ranges[2]]
        func mapped(_ tokens: [CellToken], _ partRanges: [String: Range<Int>]) -> TableMapper.TableMapping {
            ctx.mapper.mapTables(tokens: tokens, template: template, partRanges: partRanges, file: nil, partsOnly: true)
        }
        let whole = mapped(tokens, all)
        XCTAssertNil(whole.unreadFrom)
        XCTAssertEqual(whole.tables.count, template.tables.count)
        // The first table (regulations) is in the part left out: nothing is read.
        var noProactive = all
        noProactive["proactive"] = nil
        XCTAssertEqual(mapped(tokens, noProactive).unreadFrom, 0)
        XCTAssertEqual(mapped(tokens, noProactive).tables.count, 0)
        // A part whose range is every token given (here overlapping part 2's): part 2's tables are read, table 3
        // stops.
        let applications = try XCTUnwrap(template.tables.firstIndex { $0.key == "applications" })
        let two = Array(tokens[ranges[0]] + tokens[ranges[1]])
        let overlapping = mapped(two, ["proactive": 0..<ranges[0].count, "applications": two.indices])
        XCTAssertEqual(overlapping.unreadFrom, applications)
        XCTAssertEqual(overlapping.tables.map(\.key), whole.tables.prefix(applications).map(\.key))
        // Table 3's part empty: part 2's four tables are read, table 3 (none of its rows there) stops.
        var emptied = all
        emptied["applications"] = ranges[1].lowerBound..<ranges[1].lowerBound
        let stopped = mapped(tokens, emptied)
        XCTAssertEqual(stopped.unreadFrom, applications)
        XCTAssertEqual(stopped.tables.map(\.key), whole.tables.prefix(applications).map(\.key))
        // The tokens of several runs are the tokens of each run alone, run after run.
        let wholeTokens = CellTokenizer.tokens(of: lines, syntax: ctx.templates.profile.cells, filter: ctx.mapper.valueScalars)
        var expected: [CellToken] = []
        for r in [(p2 + 1)..<p3, (p3 + 1)..<p4, (p4 + 1)..<p5] {
            expected += CellTokenizer.tokens(of: Array(lines[r]), syntax: ctx.templates.profile.cells, filter: ctx.mapper.valueScalars)
        }
        XCTAssertEqual(tokens.map(\.raw), expected.map(\.raw))
        XCTAssertEqual(tokens.map(\.line), expected.map(\.line))
        let partLines = Set(((p2 + 1)..<p5).filter { $0 != p3 && $0 != p4 }.map { $0 + 1 })
        let inPartLines: [CellToken] = wholeTokens.filter { partLines.contains($0.line) }
        XCTAssertEqual(inPartLines.map(\.raw), expected.map(\.raw))
    }

    /// The anchor search screens a line by the anchors' common prefix first (`TableMapper.containsAny`): it must
    /// answer as asking each anchor, for the templates' anchors and generated ones (no common prefix, one anchor,
    /// an empty one, prefixes ending inside a multi-byte scalar's neighbour).
    func testAnchorPrefixScreenAnswersAsEachAnchor() throws {
        var lists: [[String]] = []
        for t in Self.context.templates.templates {
            let all = t.tables.flatMap { $0.anchors.map(LabelText.normalize) }
            lists.append(all)
            for table in t.tables { lists.append(table.anchors.map(LabelText.normalize)) }
        }
        lists += [["第二十条第(一)项"], ["甲乙", "甲丙", "乙"], ["", "甲"], ["ab", "ac", "a"], ["é", "e\u{301}"], []]
        XCTAssertEqual(TableMapper.commonPrefix(["第二十条第(一)项", "第二十条第五项"]), "第二十条第")
        XCTAssertNil(TableMapper.commonPrefix(["甲乙", "乙"]))
        // 乙 and 丙 share their first UTF-8 byte: the prefix stops before them.
        XCTAssertEqual(TableMapper.commonPrefix(["甲乙", "甲丙"]), "甲")
        XCTAssertEqual(TableMapper.commonPrefix(["甲", "甲乙"]), "甲")
        var texts = try TextFrontFastPathTests.documents().prefix(60).flatMap { $0.map { LabelText.normalize($0.text) } }
        texts += ["第二十条第(一)项", "第二十条第五项 信息内容", "第二十条", "甲丙", "ac", "a", "", "e\u{301}"]
        var hits = 0
        for list in lists {
            let prefix = TableMapper.commonPrefix(list)
            for t in texts {
                let expected = list.contains { FastText.contains(t, $0) }
                XCTAssertEqual(TableMapper.containsAny(t, list, prefix: prefix), expected, "\(list) in \(t.debugDescription)")
                if expected { hits += 1 }
            }
        }
        XCTAssertGreaterThan(hits, 20)
    }

    /// The anchor search passes over a run of text tokens on one line whose tokens joined hold no anchor
    /// (`TableMapper.firstWithAnchor`): it
    /// must find the token that asking every token finds, on the tokens of every sample and corpus text, for the
    /// templates' anchor lists and for lists of pieces of the texts' own lines (so that most lists are found, some
    /// only across two tokens), from several starting tokens and with the range cut short.
    func testAnchorSearchByRunsFindsTheTokenOfTheTokenByTokenSearch() throws {
        let ctx = Self.context
        var lists: [[String]] = []
        for t in ctx.templates.templates {
            lists.append(t.tables.flatMap { $0.anchors.map(LabelText.normalize) })
            for table in t.tables where !table.anchors.isEmpty { lists.append(table.anchors.map(LabelText.normalize)) }
        }
        var found = 0, across = 0, searches = 0
        var rng = SystemRandomNumberGenerator()
        for (_, text) in try FastPathTests.texts() {
            let lines = text.components(separatedBy: "\n").enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
            let tokens = CellTokenizer.tokens(of: lines, syntax: ctx.templates.profile.cells, filter: ctx.mapper.valueScalars)
            guard tokens.count > 10 else { continue }
            var own = lists
            for _ in 0..<6 {
                // A piece of one token's text, or of two neighbours' joined: found where it was taken, or before.
                let i = Int.random(in: 0..<(tokens.count - 1), using: &rng)
                let both = tokens[i].norm + tokens[i + 1].norm
                let scalars = Array(both.unicodeScalars)
                guard scalars.count > 1 else { continue }
                let from = Int.random(in: 0..<(scalars.count - 1), using: &rng)
                let to = Int.random(in: (from + 1)...scalars.count, using: &rng)
                own.append([String(String.UnicodeScalarView(scalars[from..<to]))])
                own.append([String(String.UnicodeScalarView(scalars[from..<to])), "不在文中的锚"])
            }
            for list in own {
                let prefix = TableMapper.commonPrefix(list)
                for start in [0, tokens.count / 3, Int.random(in: 0..<tokens.count, using: &rng)] {
                    for end in [tokens.count, Int.random(in: start...tokens.count, using: &rng)] {
                        let expected = (start..<end).first { i in
                            TableMapper.anchorText(tokens, i, end: end).map { TableMapper.containsAny($0, list, prefix: prefix) } ?? false
                        }
                        let got = TableMapper.firstWithAnchor(tokens, from: start, end: end, list, prefix: prefix)
                        XCTAssertEqual(got, expected, "\(list) from \(start) to \(end)")
                        searches += 1
                        if let k = expected {
                            found += 1
                            if !TableMapper.containsAny(tokens[k].norm, list, prefix: prefix) { across += 1 }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(searches, 1_000)
        XCTAssertGreaterThan(found, 300)
        XCTAssertGreaterThan(across, 10)
    }
}
