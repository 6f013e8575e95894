import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIAnalysis
@testable import OGIRules

/// The evaluation's third round of shortcuts gives the answers of the code it replaces: a report's cells found at
/// their expected template positions before any key is hashed, the repair kind's equations planned once per layout,
/// and the doubled-word scan's first comparison asked first.
final class EvaluationFastPath3Tests: XCTestCase, BundledEvaluatorTesting {
    static var namedReports: [(path: String, report: Report)] { EvaluationFastPath2Tests.namedReports }

    /// The reports, and variants of each that reorder, repeat, drop and rename rows and cells (deterministic).
    static func reportsAndVariants() -> [Report] {
        var out: [Report] = []
        var rng = SplitMix(seed: 11)
        for (_, report) in namedReports {
            out.append(report)
            for _ in 0..<3 {
                var r = report
                for ti in r.tables.indices {
                    var rows = r.tables[ti].rows
                    for ri in rows.indices {
                        switch rng.next() % 8 {
                        case 0: rows[ri].cells.reverse()
                        case 1: if !rows[ri].cells.isEmpty { rows[ri].cells.remove(at: Int(rng.next() % UInt64(rows[ri].cells.count))) }
                        case 2: if let c = rows[ri].cells.first { rows[ri].cells.append(c) }
                        case 3: if !rows[ri].cells.isEmpty { rows[ri].cells[0].column += "x" }
                        default: break
                        }
                    }
                    switch rng.next() % 6 {
                    case 0: rows.reverse()
                    case 1: if !rows.isEmpty { rows.remove(at: Int(rng.next() % UInt64(rows.count))) }
                    case 2: if let f = rows.first { rows.append(f) }
                    case 3: if rows.count > 2 { rows.swapAt(0, rows.count - 1) }
                    case 4: if !rows.isEmpty { rows[0].key += "x" }
                    default: break
                    }
                    r.tables[ti].rows = rows
                }
                if rng.next() % 4 == 0, !r.tables.isEmpty { r.tables.append(r.tables[0]) }
                out.append(r)
            }
        }
        return out
    }

    // MARK: cells at their expected positions

    /// `TableCells` as it was built: every row and cell found by hashing its key.
    struct CellsByKey: Equatable {
        var found: Bool
        var rowFound: [Bool]
        var states: [CellState]
        var values: [Decimal?]
        var ints: [Int64?]
        /// The report's cell at each slot and row at each template row (content: a repeated row is an equal copy).
        var cells: [Cell?]
        var rows: [Row?]
        var complete: Bool

        init(_ table: CompiledTable, report: Report) {
            let n = table.rowCount * table.columnCount
            var rowPositions = [Int](repeating: -1, count: table.rowCount)
            var cellPositions = [Int](repeating: -1, count: n)
            states = [CellState](repeating: .missing, count: n)
            values = [Decimal?](repeating: nil, count: n)
            ints = [Int64?](repeating: nil, count: n)
            var repeats = false
            let source = report.tables.first(where: { $0.key == table.key })
            if let t = source {
                for (ri, r) in t.rows.enumerated() {
                    guard let tr = table.rowIndex[r.key] else { continue }
                    if rowPositions[tr] >= 0 { repeats = true; continue }
                    rowPositions[tr] = ri
                    let base = tr * table.columnCount
                    for (ci, cell) in r.cells.enumerated() {
                        guard let c = table.columnIndex[cell.column] else { continue }
                        let i = base + c
                        if cellPositions[i] >= 0 { repeats = true; continue }
                        cellPositions[i] = ci
                        states[i] = cell.state
                        values[i] = cell.value
                        ints[i] = TableCells.plainInteger(cell)
                    }
                }
            }
            found = source != nil
            rowFound = rowPositions.map { $0 >= 0 }
            complete = !repeats
            cells = (0..<n).map { i in
                let r = rowPositions[i / table.columnCount], c = cellPositions[i]
                return c < 0 ? nil : source!.rows[r].cells[c]
            }
            rows = rowPositions.map { $0 < 0 ? nil : source!.rows[$0] }
        }

        init(_ cells: TableCells) {
            let table = cells.table
            let n = table.rowCount * table.columnCount
            found = cells.found
            rowFound = (0..<table.rowCount).map { cells.rowFound($0) }
            states = (0..<n).map { cells.state($0) }
            values = (0..<n).map { cells.value($0) }
            ints = (0..<n).map { cells.int($0) }
            complete = cells.complete
            self.cells = (0..<n).map { cells.cell($0) }
            rows = (0..<table.rowCount).map { cells.row($0) }
        }
    }

    func testCellsFoundByPositionAreTheCellsFoundByKey() throws {
        var compared = 0, filled = 0
        for report in Self.reportsAndVariants() {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for t in layout.tables {
                let fast = TableCells(t, report: report)
                XCTAssertEqual(CellsByKey(fast), CellsByKey(t, report: report), t.key)
                compared += 1
                if fast.found { filled += 1 }
            }
        }
        XCTAssertGreaterThan(compared, 100)
        XCTAssertGreaterThan(filled, 100)
    }

    // MARK: planned equations

    /// What the repair kind read of a table: its constraints, their owners, the cells' values and the failing ones.
    func reading(_ t: RepairKind.TableConstraints) -> [String] {
        var out = t.constraints.map { c in
            "\(c.name) \(c.left.map { "\($0.cell)*\($0.coefficient)" }) = \(c.right.map { "\($0.cell)*\($0.coefficient)" }) ±\(c.tolerance)"
        }
        out += t.owners.map { "\($0.rule) \($0.direction)" }
        out += t.cells.enumerated().map { "\($0.offset): \(String(describing: $0.element))" }
        out += ["unit \(t.unit)", "violated \(t.violated)"]
        return out
    }

    /// Every table's constraints read with the planned equations are those `RepairKind.linear` reads, for the
    /// reports, their variants, and with outer bindings a prose rule's `for_each` may leave (`$col`, `$row`).
    func testPlannedEquationsReadWhatLinearReads() throws {
        let rules = Repo.linter.engine.ruleSet.rules
        var tables = 0, equations = 0
        for (n, report) in Self.reportsAndVariants().enumerated() {
            guard let layout = evaluator(report).compiled else { continue }
            var outer: [[String: String]] = [[:]]
            // Outer bindings for the reports as read (every fourth: `reportsAndVariants` adds three variants each).
            for t in layout.tables.prefix(n % 4 == 0 ? 3 : 0) {
                if let c = t.columnKeys.first { outer.append(["col": c]) }
                if let r = t.rowKeys.last { outer.append(["row": r]) }
            }
            for bindings in outer {
                let planned = evaluator(report), dynamic = evaluator(report)
                dynamic.equationPlans = false
                planned.bindings = bindings
                dynamic.bindings = bindings
                for t in layout.tables {
                    let a = RepairKind.constraints(t, rules, planned), b = RepairKind.constraints(t, rules, dynamic)
                    XCTAssertEqual(reading(a), reading(b), t.key)
                    XCTAssertEqual(planned.bindings, bindings)
                    tables += 1
                    equations += a.owners.filter { $0.direction == .other }.count
                }
            }
        }
        XCTAssertGreaterThan(tables, 100)
        XCTAssertGreaterThan(equations, 100)
    }

    /// Expressions of every shape `linear` reads, planned and read, against `linear` itself, in every binding of
    /// the layout's columns and rows, including unbound variables, other tables, `[$it]` and computed indexes.
    func testPlannedSidesAgreeWithLinearOnGeneratedExpressions() throws {
        let report = try XCTUnwrap(Self.namedReports.first { $0.path.hasSuffix("clean-2021-government.txt") }?.report)
        let ev = evaluator(report)
        let layout = try XCTUnwrap(ev.compiled)
        var parsed: [Expr] = []
        for (i, t) in layout.tables.enumerated() {
            let other = layout.tables[(i + 1) % layout.tables.count]
            for r in t.rowKeys.prefix(3) {
                for text in [
                    "\(t.key).\(r)[$col]", "\(t.key).\(r).\(t.columnKeys[0])", "-\(t.key).\(r)[$col] + 3",
                    "sum(\(t.key).\(r)[$col], \(t.key)[$row][$col], 2) - \(t.key).\(r)[$col]", "\(t.key)[$row].\(t.columnKeys.last!)",
                    "\(t.key).\(r)[$it]", "\(t.key).\(r)[$nothing]", "\(other.key).\(r)[$col]", "\(t.key).\(r)[1 + 1]",
                    "\(t.key).\(r)[$col] * 2", "previous.\(t.key).\(r)[$col]", "\(t.key).nosuchrow[$col]",
                    "sum(\(t.key).\(r)[1 + 1], \(t.key).nosuchrow[$col])", "\(t.key).\(r)[1 + 1] - \(t.key).nosuchrow[$col]",
                ] {
                    parsed.append(try ExpressionParser.parse(text))
                }
            }
        }
        var agreed = 0, linearCount = 0
        for spec in layout.tables {
            for col in spec.columnKeys.prefix(4).map(Optional.some) + [nil] {
                for row in spec.rowKeys.prefix(4).map(Optional.some) + [nil] {
                    ev.bindings = [:]
                    if let col { ev.bindings["col"] = col }
                    if let row { ev.bindings["row"] = row }
                    ev.bindings["it"] = col
                    for e in parsed {
                        let expected = RepairKind.linear(e, ev, spec).map { l in
                            "\(l.terms.map { "\($0.cell.tableKey):\($0.cell.index)*\($0.coefficient)" }) + \(l.constant)"
                        }
                        switch RepairKind.form(e, ev, spec, layout) {
                        case nil: XCTAssertNil(expected, "\(e)")
                        case .dynamic?: continue
                        case .linear(let f)?:
                            let got = RepairKind.read(f, ev).map { terms in
                                "\(terms.map { "\($0.cell.tableKey):\($0.cell.index)*\($0.coefficient)" }) + \(f.constant)"
                            }
                            XCTAssertEqual(got, expected, "\(e)")
                            if got != nil { linearCount += 1 }
                        }
                        agreed += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(agreed, 1_000)
        XCTAssertGreaterThan(linearCount, 100)
    }

    // MARK: doubled words

    /// `EditorialDetectors.doubledWords` as it was, comparing each candidate length from its first character.
    static func doubledWordsAsTheyWere(in text: ProseText, minLength: Int, maxLength: Int, allowed: [String]) -> [EditorialHit] {
        let s = text.scalars
        var out: [EditorialHit] = []
        var i = 0
        while i < s.count {
            var found = false
            if CharClass.isCJK(s[i]) {
                for len in stride(from: maxLength, through: minLength, by: -1) where i + 2 * len <= s.count {
                    var same = true
                    for k in 0..<len where !(CharClass.isCJK(s[i + k]) && s[i + k] == s[i + len + k]) { same = false; break }
                    guard same else { continue }
                    if (1..<len).allSatisfy({ s[i + $0] == s[i] }) { continue }
                    let word = String(String.UnicodeScalarView(s[i..<(i + len)]))
                    let doubled = word + word
                    if allowed.contains(doubled) || allowed.contains(word) { continue }
                    out.append(
                        EditorialHit(kind: .doubledWord, span: TextSpan(start: i, end: i + 2 * len), text: doubled, suggestion: word))
                    i += 2 * len
                    found = true
                    break
                }
            }
            if !found { i += 1 }
        }
        return out
    }

    func testDoubledWordsAgreeOnReportsAndGeneratedText() throws {
        var texts = Self.namedReports.map { ProseText(report: $0.report) }
        var rng = SplitMix(seed: 7)
        let pieces = ["资金", "资", "金", "研究", "哈", "a", "1", "，", "\n", "𠀀", "公开公开", "工作"]
        for _ in 0..<2_000 {
            texts.append(ProseText((0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()))
        }
        // Longer texts, read eight positions at a time where they reach far enough: doublings at every offset from
        // such a block's start, and single characters between them.
        let singles = ["政", "府", "信", "息", "a", "1", "，", "𠀀"]
        for _ in 0..<600 {
            texts.append(
                ProseText(
                    (0..<(20 + Int(rng.next() % 60))).map { _ in
                        rng.next() % 7 == 0
                            ? pieces[Int(rng.next() % UInt64(pieces.count))] : singles[Int(rng.next() % UInt64(singles.count))]
                    }.joined()))
        }
        var hits = 0
        for t in texts {
            for (minLength, maxLength, allowed) in [(2, 4, ["研究研究"]), (1, 3, []), (2, 2, ["工作"]), (3, 6, []), (4, 2, [])] {
                let got = EditorialDetectors.doubledWords(in: t, minLength: minLength, maxLength: maxLength, allowed: allowed)
                XCTAssertEqual(got, Self.doubledWordsAsTheyWere(in: t, minLength: minLength, maxLength: maxLength, allowed: allowed))
                hits += got.count
            }
        }
        XCTAssertGreaterThan(hits, 100)
    }

    // MARK: statements and repeated sentences

    /// `StatementScanner.find` as it was: every pattern tried on every sentence, exclusions scanned first.
    static func statementsAsTheyWere(_ patterns: [StatementPattern], in facts: ProseFacts) -> [StatementMatch] {
        let s = facts.text.scalars
        var out: [StatementMatch] = []
        for sentence in facts.sentences {
            var named = Set<String>()
            for p in patterns where !p.fragments.isEmpty && !named.contains(p.name) {
                if p.exclusions.contains(where: { e in
                    (sentence.span.start..<sentence.span.end).contains { i in
                        e.first == s[i] && i + e.count <= s.count && (0..<e.count).allSatisfy { s[i + $0] == e[$0] }
                    }
                }) {
                    continue
                }
                if let span = StatementScanner.match(p, s, from: sentence.span.start, to: sentence.span.end) {
                    out.append(StatementMatch(pattern: p.name, sentence: sentence.index, span: span))
                    named.insert(p.name)
                }
            }
        }
        return out.sorted { ($0.span.start, $0.pattern) < ($1.span.start, $1.pattern) }
    }

    func testStatementsFoundAsWhenEveryPatternWasTriedOnEverySentence() throws {
        var patterns = Repo.linter.engine.ruleSet.rules.compactMap { ($0.kind as? FactsKind)?.patterns }.flatMap { $0 }
        // Generated: shared names, exclusions inside and at the end of sentences, fragments found nowhere.
        patterns += [
            StatementPattern(name: "a", pattern: "申请…办结", exclusions: ["除"]),
            StatementPattern(name: "a", pattern: "申请", exclusions: ["。"]),
            StatementPattern(name: "b", pattern: "公开|政府…信息", maxGap: 3, exclusions: ["未", "没有"]),
            StatementPattern(name: "c", pattern: "无此词语…申请"),
            StatementPattern(name: "d", pattern: "年", exclusions: ["年度"]),
        ]
        XCTAssertGreaterThan(patterns.count, 8)
        var found = 0
        for (_, report) in Self.namedReports {
            let text = ProseText(report: report)
            let facts = ProseFacts(text: text, vocabulary: ProseVocabulary(), sentences: SentenceSplitter.sentences(of: text))
            let got = StatementScanner.find(patterns, in: facts)
            XCTAssertEqual(got, Self.statementsAsTheyWere(patterns, in: facts))
            found += got.count
        }
        XCTAssertGreaterThan(found, 100)
    }

    func testNormalizedUnitsAreTheUnitsOfTheNormalizedText() throws {
        var compared = 0
        for (_, report) in Self.namedReports {
            let text = ProseText(report: report)
            for s in SentenceSplitter.sentences(of: text) {
                let r = s.span.start..<s.span.end
                XCTAssertEqual(NormalizedText.units(text.scalars, range: r), NormalizedText(text.scalars, range: r).units)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
    }
}
