import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The row aligner reuses the choice of an earlier alignment of the same observed sequence (`AlignmentDecisions`):
/// every alignment must give what choosing anew gives, cells, labels, locations and notes alike, whatever was
/// aligned before it, and a choice must be reused only where the observation is the same.
final class AlignmentDecisionsTests: XCTestCase {
    typealias Support = TableMappingFastPathTests

    /// The prepared tables of every template of the profile, from one reading context (their decisions shared by
    /// every alignment below, as a batch's are).
    static func preparedTables(_ ctx: ReaderContext) throws -> [(spec: TableSpec, table: PreparedTable)] {
        var tables: [(TableSpec, PreparedTable)] = []
        for t in Support.templates.templates {
            let p = try XCTUnwrap(ctx.mapper.preparedTemplates.preparation(ofTemplate: t.id))
            tables += t.tables.compactMap { s in p.tables[s.key].map { (s, $0) } }
        }
        return tables
    }

    static func aligner(_ mapper: TableMapper, tokens: [CellToken], memoize: Bool, shared: LabelScalarsCache? = nil) -> RowAligner {
        var a = RowAligner(
            numerals: Support.numerals, syntax: Support.syntax, locate: mapper.locate, signWords: mapper.signWords,
            comparable: ComparableLabels(count: tokens.count, shared: shared))
        a.memoize = memoize
        return a
    }

    /// Every text, its generated variants and the same texts moved down by blank lines and a paragraph (the same
    /// observations on other lines: the choices are reused, the locations must be the new lines'), each aligned
    /// with every table over the whole text and over its halves, loose and strict; twice, the second time in
    /// the other order, when every choice is kept already. Compared with an aligner that chooses anew each time.
    func testReusedChoicesGiveTheAlignmentsChosenAnew() throws {
        let ctx = try ReaderContext(templates: Support.templates)
        let mapper = ctx.mapper
        let tables = try Self.preparedTables(ctx)
        XCTAssertGreaterThan(tables.count, 4)
        var texts: [(name: String, lines: [String])] = []
        for (n, t) in try Support.texts().enumerated() where n % 8 == 0 {
            texts.append(t)
            texts.append((t.name + " moved", ["", "", "说明：本段落用于移动行号。", ""] + t.lines))
        }
        var aligned = 0, reused = 0, withRows = 0
        for round in 0..<2 {
            for t in round == 0 ? texts : texts.reversed() {
                let tokens = CellTokenizer.tokens(of: Support.sourceLines(t.lines), syntax: Support.syntax, filter: mapper.valueScalars)
                let kept = Self.aligner(mapper, tokens: tokens, memoize: true, shared: mapper.preparedTemplates.labelScalars)
                let fresh = Self.aligner(mapper, tokens: tokens, memoize: false)
                let n = tokens.count
                for (spec, table) in tables {
                    for (region, strict) in [(0..<n, false), (n / 3..<n, true), (n / 2..<n, false)] {
                        let (items, runs, cells) = kept.observe(tokens[region], table: table)
                        let blankOnly = runs.map { run in cells.refs[run.cells].allSatisfy { cells.kind($0) == .blank } }
                        let key = kept.decisionKey(items: items, runs: runs, blankOnly: blankOnly, strict: strict)
                        if table.decisions.decision(for: key.key, hash: key.hash) != nil { reused += 1 }
                        let a = kept.align(tokens[region], spec: spec, table: table, strict: strict)
                        let b = fresh.align(tokens[region], spec: spec, table: table, strict: strict)
                        XCTAssertEqual("\(a)", "\(b)", "\(t.name) \(region) strict \(strict)")
                        aligned += 1
                        if !b.rows.isEmpty { withRows += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(withRows, 100)
        // The second round finds the choices of the first kept (all but those of keys too long to keep, or past the
        // capacity: the whole texts and their halves are many long keys), and the moved texts those of the texts
        // they move.
        XCTAssertGreaterThan(reused, aligned / 3)
    }

    /// Workers sharing the tables' decisions (as a batch's do) each get what choosing anew gives, whichever of them
    /// kept a choice first.
    func testThreadsSharingDecisionsGetTheAlignmentsChosenAnew() throws {
        let ctx = try ReaderContext(templates: Support.templates)
        // Shared by the workers as a batch's reading context is (its caches are locked).
        nonisolated(unsafe) let mapper = ctx.mapper
        let tables = try Self.preparedTables(ctx)
        let texts = try Support.texts().enumerated().filter { $0.offset % 16 == 0 }.map(\.element.lines)
        let streams = texts.map {
            CellTokenizer.tokens(of: Support.sourceLines($0), syntax: Support.syntax, filter: mapper.valueScalars)
        }
        let expected = streams.map { tokens in
            let fresh = Self.aligner(mapper, tokens: tokens, memoize: false)
            return tables.map { "\(fresh.align(tokens[...], spec: $0.spec, table: $0.table))" }
        }
        let lock = NSLock()
        nonisolated(unsafe) var mismatches = 0, compared = 0
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in streams.indices {
                let s = (k + worker * streams.count / 4) % streams.count
                let kept = Self.aligner(mapper, tokens: streams[s], memoize: true, shared: mapper.preparedTemplates.labelScalars)
                for (i, t) in tables.enumerated() {
                    let got = "\(kept.align(streams[s][...], spec: t.spec, table: t.table))"
                    lock.lock()
                    compared += 1
                    if got != expected[s][i] { mismatches += 1 }
                    lock.unlock()
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(compared, 4 * streams.count * tables.count)
        XCTAssertGreaterThan(tables.reduce(0) { $0 + $1.table.decisions.count }, 10)
    }

    /// The key holds what the choice reads and nothing else: other numbers, or the whole table moved down, give the
    /// same key; a label's other characters, a label moved to another line, cells all blank against cells written
    /// "/" (a run of blanks only or not) and strictness give another. Labels named by their characters and by
    /// their entries in a shared label cache alike.
    func testTheKeyTellsApartWhatTheChoiceReads() throws {
        let ctx = try ReaderContext(templates: Support.templates)
        let mapper = ctx.mapper
        let tables = try Self.preparedTables(ctx)
        // A table 3 from a sample: its first labelled lines with numbers.
        let sample = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        let lines = sample.components(separatedBy: "\n")
        // Each key made twice: with the labels' characters, and with their entries in a shared label cache.
        let shared = LabelScalarsCache(numerals: Support.numerals)
        var keysWithEntries = 0
        func key(_ lines: [String], strict: Bool = false) -> [UInt32] {
            let byChars = key(lines, strict: strict, shared: nil)
            let byEntries = key(lines, strict: strict, shared: shared)
            XCTAssertNotEqual(byChars, byEntries)
            if byEntries.count < byChars.count { keysWithEntries += 1 }
            return byChars + [0xFFFF_FFFF] + byEntries
        }
        func key(_ lines: [String], strict: Bool, shared: LabelScalarsCache?) -> [UInt32] {
            let tokens = CellTokenizer.tokens(of: Support.sourceLines(lines), syntax: Support.syntax, filter: mapper.valueScalars)
            let a = Self.aligner(mapper, tokens: tokens, memoize: false, shared: shared)
            // The table with the most runs observed (table 3 of the sample, read over the whole text).
            let table = tables.map(\.table).max {
                a.observe(tokens[...], table: $0).runs.count < a.observe(tokens[...], table: $1).runs.count
            }!
            let (items, runs, cells) = a.observe(tokens[...], table: table)
            let blankOnly = runs.map { run in cells.refs[run.cells].allSatisfy { cells.kind($0) == .blank } }
            return a.decisionKey(items: items, runs: runs, blankOnly: blankOnly, strict: strict).key
        }
        let base = key(lines)
        XCTAssertGreaterThan(base.count, 100)
        // Every digit changed (1 to 2, 0 to 3 ...): the same key.
        func isNumber(_ f: String) -> Bool { !f.isEmpty && f.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        let renumbered = lines.map { l in
            l.components(separatedBy: "\t").map { f in
                isNumber(f)
                    ? String(String.UnicodeScalarView(f.unicodeScalars.map { $0 == "9" ? $0 : Unicode.Scalar($0.value + 1)! })) : f
            }.joined(separator: "\t")
        }
        XCTAssertNotEqual(renumbered, lines)
        XCTAssertEqual(key(renumbered), base)
        XCTAssertEqual(key(["", "", ""] + lines), base)
        XCTAssertNotEqual(key(lines, strict: true), base)
        // A row label with one character changed.
        let labelled = try XCTUnwrap(lines.firstIndex { $0.contains("予以公开") && $0.unicodeScalars.contains { ("0"..."9").contains($0) } })
        var relabelled = lines
        relabelled[labelled] = relabelled[labelled].replacingOccurrences(of: "予以公开", with: "予已公开")
        XCTAssertNotEqual(key(relabelled), base)
        // The same label on a line of its own above its numbers, against the same lines with a blank line there
        // (the lines after it moved alike).
        var moved = lines, spaced = lines
        let row = lines[labelled]
        let cut = try XCTUnwrap(row.range(of: "予以公开"))
        moved[labelled] = String(row[cut.upperBound...])
        moved.insert(String(row[..<cut.upperBound]), at: labelled)
        spaced.insert("", at: labelled)
        XCTAssertNotEqual(key(moved), key(spaced))
        // The row's cells all blank (a run of blanks only), against the same cells written "/".
        var blanks = lines, slashes = lines
        let fields = row.components(separatedBy: "\t")
        let numbers = fields.indices.filter { isNumber(fields[$0]) }
        XCTAssertGreaterThan(numbers.count, 3)
        blanks[labelled] = fields.indices.map { numbers.contains($0) ? "" : fields[$0] }.joined(separator: "\t")
        slashes[labelled] = fields.indices.map { numbers.contains($0) ? "/" : fields[$0] }.joined(separator: "\t")
        XCTAssertNotEqual(key(blanks), key(slashes))
        XCTAssertGreaterThan(keysWithEntries, 8)
    }

    /// Decisions are kept while their keys fit the capacity, then no more; a key is found only whole.
    func testDecisionsKeptWithinTheirCapacity() {
        let choice = AlignmentDecisions.Decision(assigned: [0, nil], matches: [nil, nil], pieces: [])
        let d = AlignmentDecisions(
            capacityBytes: AlignmentDecisions.size(of: choice, key: [1, 2, 3, 4, 5, 6])
                + AlignmentDecisions.size(of: choice, key: [1, 2, 3, 4]))
        d.keep(choice, for: [1, 2, 3, 4, 5, 6], hash: 1)
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.decision(for: [1, 2, 3, 4, 5, 6], hash: 1)?.assigned, [0, nil])
        // Same hash, another key: not found, and not kept over the first.
        XCTAssertNil(d.decision(for: [1, 2, 3, 4, 5, 7], hash: 1))
        d.keep(choice, for: [9], hash: 1)
        XCTAssertNil(d.decision(for: [9], hash: 1))
        // Past the capacity: not kept; what fits exactly is.
        d.keep(choice, for: [1, 2, 3, 4, 5], hash: 2)
        XCTAssertEqual(d.count, 1)
        XCTAssertNil(d.decision(for: [1, 2, 3, 4, 5], hash: 2))
        d.keep(choice, for: [1, 2, 3, 4], hash: 3)
        XCTAssertEqual(d.count, 2)
        // Longer than the longest key kept: not kept, though there is room.
        let e = AlignmentDecisions(capacityBytes: 10_000, longestKey: 3)
        e.keep(choice, for: [1, 2, 3, 4], hash: 4)
        XCTAssertEqual(e.count, 0)
        e.keep(choice, for: [1, 2, 3], hash: 4)
        XCTAssertEqual(e.decision(for: [1, 2, 3], hash: 4)?.assigned, [0, nil])
    }
}
