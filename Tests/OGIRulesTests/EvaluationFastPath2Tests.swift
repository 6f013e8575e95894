import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The evaluation's second round of shortcuts gives the answers of the code it replaces: whole-number comparisons
/// in `Int64`, prose texts built from paragraphs read once, heading numerals and sentence splits on scalars or
/// bytes, the unit-column skip of `cells` rules and the not-a-report filter.
final class EvaluationFastPath2Tests: XCTestCase {
    /// The text reports of the samples (clean, broken, previous years) and of the corpus.
    static func reportFiles() throws -> [String] {
        var files: [String] = []
        for dir in ["samples", "samples/broken", "samples/previous"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path(dir))) ?? []
            files += names.filter { $0.hasSuffix(".txt") }.sorted().map { Repo.path(dir + "/" + $0) }
        }
        if let corpus = Repo.shared.map({ ($0 as NSString).appendingPathComponent("corpus") }),
            let names = try? FileManager.default.contentsOfDirectory(atPath: corpus)
        {
            files += names.filter { $0.hasSuffix(".txt") }.sorted().map { (corpus as NSString).appendingPathComponent($0) }
        }
        return files
    }

    /// The reports of `reportFiles`, read once for all the tests, with their paths.
    static let namedReports: [(path: String, report: Report)] = ((try? reportFiles()) ?? []).compactMap { f in
        (try? Repo.linter.read(path: f)).map { (f, $0) }
    }

    static func reports() throws -> [Report] { namedReports.map(\.report) }

    func evaluator(_ report: Report) -> Evaluator {
        let engine = Repo.linter.engine
        return Evaluator(
            report: report, layout: engine.compiled.layout(for: report), templates: engine.ruleSet.templates,
            messages: engine.ruleSet.messages, sums: engine.sums)
    }

    // MARK: whole numbers

    /// What one evaluation gave: the answer's text or the reasons it could not be made, and the cells it read.
    struct Outcome: Equatable {
        var answer: String
        var touched: [String]
    }

    func outcome(_ ev: Evaluator, _ body: () throws -> Value) -> Outcome {
        ev.touched = []
        let answer: String
        do { answer = "value " + ev.text(try body()) } catch let n as NotEvaluated {
            answer = "not evaluated " + n.reasons.map { ev.messages.text($0) }.joined(separator: " | ")
        } catch { answer = "error \(error)" }
        return Outcome(answer: answer, touched: ev.touched.map(\.key))
    }

    /// Random comparisons over the cells of real reports (counts, blanks, placeholders, fractions, negatives, text,
    /// missing rows and tables), literals at and beyond the Int64 range, unbound variables and other shapes: the
    /// `Int64` comparison gives the `Decimal` evaluation's answer, reasons and touched cells.
    func testIntegerComparisonsAgreeWithDecimalEvaluation() throws {
        let literals: [Decimal] = [
            0, 1, -1, 7, 42, -13, 999_999_999_999_999, 1_000_000_000_000_000, -999_999_999_999_999,
            Decimal(Int64.max), Decimal(Int64.min), Decimal(string: "1.5")!, Decimal(string: "-2.25")!,
            Decimal(string: "1e20")!, Decimal(string: "0.0")!, Decimal(string: "3.000")!, Decimal(string: "1e3")!,
        ]
        let ops = ["==", "!=", "<", "<=", ">", ">="]
        var rng = SplitMix(seed: 20_261_201)
        let reports = Self.namedReports.prefix(60)
        XCTAssertGreaterThan(reports.count, 20)
        var compared = 0, fast = 0
        for (path, report) in reports {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for table in layout.tables {
                func leaf() -> Expr {
                    let row = Int.random(in: 0..<(table.rowCount + 1), using: &rng)
                    let col = Int.random(in: 0..<(table.columnCount + 1), using: &rng)
                    let rowKey = row < table.rowCount ? table.rowKeys[row] : "no_such_row"
                    let colKey = col < table.columnCount ? table.columnKeys[col] : "no_such_column"
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0: return .number(literals.randomElement(using: &rng)!)
                    case 1: return .path([.name(table.key), .name(rowKey), .index(.path([.variable("col")]))])
                    case 2: return .path([.name(table.key), .name(rowKey), .variable("col")])
                    case 3: return .path([.name(table.key), .name(rowKey), .index(.path([.variable("unbound")]))])
                    case 4: return .path([.name("year")])
                    case 5: return .path([.name(table.key), .index(.path([.variable("it")])), .name(colKey)])
                    default: return .path([.name(table.key), .name(rowKey), .name(colKey)])
                    }
                }
                func expr(_ depth: Int) -> Expr {
                    guard depth > 0 else { return leaf() }
                    switch Int.random(in: 0..<8, using: &rng) {
                    case 0: return .binary("+", expr(depth - 1), expr(depth - 1))
                    case 1: return .binary("-", expr(depth - 1), expr(depth - 1))
                    case 2: return .unary("-", expr(depth - 1))
                    case 3: return .call("sum", (0..<Int.random(in: 0...4, using: &rng)).map { _ in expr(depth - 1) })
                    case 4: return .binary("*", expr(depth - 1), expr(depth - 1))
                    case 5: return .call("abs", [expr(depth - 1)])
                    default: return leaf()
                    }
                }
                for _ in 0..<60 {
                    let a = expr(Int.random(in: 0...3, using: &rng)), b = expr(Int.random(in: 0...3, using: &rng))
                    let op = ops.randomElement(using: &rng)!
                    let tolerance: Decimal = Int.random(in: 0..<8, using: &rng) == 0 ? 1 : 0
                    ev.bindings = ["col": table.columnKeys.randomElement(using: &rng)!, "it": table.rowKeys.randomElement(using: &rng)!]
                    ev.integerShortcut = true
                    ev.touched = []
                    if (try? ev.integerComparison(op, a, b, tolerance: tolerance)) != nil { fast += 1 }
                    let got = outcome(ev) { try ev.binary(op, a, b, tolerance: tolerance) }
                    ev.integerShortcut = false
                    let expected = outcome(ev) { try ev.binary(op, a, b, tolerance: tolerance) }
                    XCTAssertEqual(got, expected, "\(a) \(op) \(b) (tolerance \(tolerance)) in \(path)")
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 1_000)
        // The shortcut answers hundreds of them (the rest are other shapes, fractions, text, missing cells, tolerances).
        XCTAssertGreaterThan(fast, 500)
    }

    /// `TableCells.int(_:)`, which the `Int64` comparison reads, holds each cell's value where it is not nil.
    func testPlainIntegersAreTheCellValues() throws {
        var seen = 0
        for report in try Self.reports() {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for t in layout.tables {
                let cells = ev.cells(t.index)
                for i in 0..<cells.cellCount {
                    guard let n = cells.int(i) else { continue }
                    XCTAssertEqual(Decimal(n), cells.value(i), "\(t.key) slot \(i)")
                    seen += 1
                }
            }
        }
        XCTAssertGreaterThan(seen, 1_000)
    }

    /// The whole-number literal reading.
    func testLiteralIntegers() {
        XCTAssertEqual(Evaluator.literalInteger(0), 0)
        XCTAssertEqual(Evaluator.literalInteger(Decimal(string: "0.000")!), 0)
        XCTAssertEqual(Evaluator.literalInteger(-12), -12)
        XCTAssertEqual(Evaluator.literalInteger(Decimal(string: "1e3")!), 1_000)
        XCTAssertEqual(Evaluator.literalInteger(999_999_999_999_999), 999_999_999_999_999)
        XCTAssertNil(Evaluator.literalInteger(1_000_000_000_000_000))
        XCTAssertNil(Evaluator.literalInteger(Decimal(string: "1.5")!))
        XCTAssertNil(Evaluator.literalInteger(Decimal.nan))
    }

    // MARK: prose texts

    /// `ProseCache.text` as it was: each scope's paragraphs filtered by `prose` and handed to `ProseText` as
    /// paragraphs (read into scalars again for every text).
    static func textAsItWas(_ report: Report, _ scope: String, join: Bool) -> ProseText? {
        let preamble = ProseCache.prose(report.preamble)
        let headings = report.parts.map { ProseCache.prose([Paragraph(text: $0.heading, location: $0.location)]) }
        let paragraphs = report.parts.map { ProseCache.prose($0.paragraphs) }
        func part(_ key: String) -> Int? { report.parts.firstIndex { $0.key == key } }
        if scope == ProseCache.wholeReport {
            var ps = preamble
            for k in report.parts.indices { ps += headings[k] + paragraphs[k] }
            return ProseText(paragraphs: ps, joinWrappedLines: join)
        }
        if scope == ProseCache.body { return ProseText(paragraphs: paragraphs.flatMap { $0 }, joinWrappedLines: join) }
        if scope.hasPrefix("part:") {
            return part(String(scope.dropFirst(5))).map { ProseText(paragraphs: paragraphs[$0], joinWrappedLines: join) }
        }
        return part(scope).map { ProseText(paragraphs: headings[$0] + paragraphs[$0], joinWrappedLines: join) }
    }

    func testSharedProseTextsAreTheTextsBuiltPerScope() throws {
        var compared = 0
        for report in try Self.reports() {
            let cache = ProseCache(report: report)
            var scopes = [ProseCache.wholeReport, ProseCache.body, "no_such_part"]
            for p in report.parts { scopes += [p.key, "part:" + p.key] }
            for scope in scopes {
                for join in [true, false] {
                    let got = cache.text(scope, join: join), expected = Self.textAsItWas(report, scope, join: join)
                    XCTAssertEqual(got == nil, expected == nil, scope)
                    guard let got, let expected else { continue }
                    XCTAssertEqual(got.scalars, expected.scalars, scope)
                    XCTAssertEqual(got.paragraphStarts, expected.paragraphStarts, scope)
                    XCTAssertEqual(got.logicalParagraphStarts, expected.logicalParagraphStarts, scope)
                    XCTAssertEqual(got.paragraphLocations, expected.paragraphLocations, scope)
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 200)
    }

    // MARK: headings and sentences

    /// Heading numerals read by scalars where that is exact: generated headings with characters that are
    /// canonically a numeral (U+F9D1 is 六) or a mark (U+037E is ";"), combining marks and full-width forms.
    func testHeadingNumeralsAgreeWithCharacterComparison() {
        let pieces = [
            "六", "\u{F9D1}", "\u{037E}", ";", ":", "：", "四", "十", "1", "１", "（", "(", "、", ".", "．", "）", ")", "，", ",", " ",
            "\u{3000}", "\u{301}", "\u{FF0E}", "\u{2F00}", "一", "x", "Ａ", "〇",
        ]
        var rng = SplitMix(seed: 7)
        var headings = ["六、概述", "\u{F9D1}、概述", "（\u{F9D1}）说明", "4\u{037E}x", "四\u{301}、x", "一、", "（二）\u{3000}"]
        for _ in 0..<20_000 {
            headings.append((0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for h in headings {
            let a = HeadingsKind.numeral(h), b = EvaluationFastPathTests.numeralWithFoundation(h)
            XCTAssertEqual(a?.0, b?.0, h.debugDescription)
            XCTAssertEqual(a?.1, b?.1, h.debugDescription)
        }
    }

    /// The scalar reading of heading numerals answers for plain headings (the bundled profile's, with their
    /// numerals, marks and spaces) and, where it answers, agrees with the character reading; it leaves to
    /// that reading headings where a scalar it reads is not plain or a white-space mark could be trimmed.
    func testHeadingNumeralsReadOnPlainScalarsAnswerWhereSure() {
        let pieces = [
            "四", "十", "二", "1", "１", "０", "（", "(", "、", "．", ")", "）", " ", "\u{3000}", "\t", "\u{301}", "x", "中", ",", "七", "两",
        ]
        var rng = SplitMix(seed: 23)
        var answered = 0, unsure = 0
        var headings = ["一、总体情况", "（二）主动公开", "6．其他", "四 收到", "十二、x", "二十一、x", "1234、x", "四\u{3000}", "四 \t"]
        for _ in 0..<20_000 {
            headings.append((0..<Int.random(in: 0...7, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for h in headings {
            guard let fast = HeadingsKind.numeralOnPlainScalars(h) else { unsure += 1; continue }
            answered += 1
            let b = EvaluationFastPathTests.numeralWithFoundation(h)
            XCTAssertEqual(fast?.0, b?.0, h.debugDescription)
            XCTAssertEqual(fast?.1, b?.1, h.debugDescription)
        }
        XCTAssertEqual(HeadingsKind.numeralOnPlainScalars("一、总体情况")??.1, 1)
        XCTAssertEqual(HeadingsKind.numeralOnPlainScalars("二十一、x")??.1, 21)
        XCTAssertNil(HeadingsKind.numeralOnPlainScalars("四\u{301}、x") as Any?, "a combining mark after the numeral: unsure")
        XCTAssertNil(HeadingsKind.numeralOnPlainScalars("四 \t") as Any?, "a space mark that trimming could remove: unsure")
        XCTAssertGreaterThan(answered, 10_000)
        XCTAssertGreaterThan(unsure, 1_000)
    }

    /// Chinese numbers read from scalars as from characters: every string of up to three numerals, digits and others.
    func testChineseNumbersReadFromScalarsAsFromCharacters() {
        let numerals = ["一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "0", "7", "x", "〇"]
        for a in numerals {
            for b in [""] + numerals {
                for c in [""] + numerals {
                    let s = a + b + c
                    let scalars = s.unicodeScalars.map(\.value)
                    XCTAssertEqual(scalars.withUnsafeBufferPointer { ChineseNumber.parse(scalars: $0) }, ChineseNumber.parse(s), s)
                }
            }
        }
    }

    /// Plain paragraphs split on bytes as characters split them: the corpus and generated text with the separators
    /// next to scalars that share their first bytes (＂ EF BC 82, 〃 E3 80 83).
    func testPlainSentencesSplitAsCharactersSplitThem() throws {
        var paragraphs: [String] = []
        for f in try Self.reportFiles() {
            paragraphs += ((try? String(contentsOfFile: f, encoding: .utf8)) ?? "").components(separatedBy: "\n")
        }
        let pieces = ["。", "；", "＂", "〃", "a", "中", " ", "\t", "·", "―", "\u{FF5E}"]
        var rng = SplitMix(seed: 11)
        for _ in 0..<5_000 {
            paragraphs.append((0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var plain = 0
        for p in paragraphs where TextSearch.isPlain(p) {
            XCTAssertEqual(
                PartsKind.plainSentences(p), p.split(whereSeparator: { $0 == "。" || $0 == "；" }).map(String.init), p.debugDescription)
            plain += 1
        }
        XCTAssertGreaterThan(plain, 1_000)
    }

    // MARK: cells and the not-a-report filter

    /// A table without a unit column of a kind a `unit_mismatch` rule reads has no cell it reports.
    func testTablesWithoutUnitColumnsHaveNoUnitMismatch() throws {
        let rules = Repo.linter.engine.ruleSet.rules.compactMap { $0.kind as? CellsKind }
        let unitRules = rules.filter { $0.match == .unit_mismatch }
        XCTAssertFalse(unitRules.isEmpty)
        var skipped = 0
        for report in try Self.reports() {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for kind in unitRules {
                for t in layout.tables where !kind.hasUnitColumn(t) {
                    skipped += 1
                    guard let table = report.table(t.key) else { continue }
                    for row in table.rows {
                        for cell in row.cells {
                            guard let c = t.columnIndex[cell.column] else { continue }
                            let cs = t.spec.columns[c]
                            XCTAssertFalse(kind.columnKinds.contains(cs.kind) && kind.cellMatches(cell, cs), "\(t.key) \(row.key)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(skipped, 100)
    }

    /// The per-report summary of a table's cells says what each rule's own scan (`mayMatch`) says, for every
    /// match and column kinds of the pack's rules and of every single kind.
    func testCellSummariesAgreeWithEachRulesScan() throws {
        var kinds = Repo.linter.engine.ruleSet.rules.compactMap { $0.kind as? CellsKind }
        for m in CellsKind.Match.allCases {
            kinds.append(CellsKind(tables: ["*"], columnKinds: Set(ColumnSpec.Kind.allCases), match: m))
            for k in ColumnSpec.Kind.allCases { kinds.append(CellsKind(tables: ["*"], columnKinds: [k], match: m)) }
        }
        var agreed = 0, yes = 0
        for report in try Self.reports() {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for t in layout.tables {
                let cells = ev.cells(t.index)
                let summary = CellsKind.Summary(cells)
                for kind in kinds {
                    let expected = kind.mayMatch(cells)
                    XCTAssertEqual(summary.mayMatch(kind.match, kind.columnKinds), expected, "\(t.key) \(kind.match)")
                    agreed += 1
                    if expected { yes += 1 }
                }
            }
        }
        XCTAssertGreaterThan(yes, 100)
        XCTAssertGreaterThan(agreed - yes, 100)
    }

    func testNotAReportFilterKeepsWhatTheRuleSetFilterKeeps() throws {
        let engine = Repo.linter.engine
        let own = Array(engine.notAReportRules)
        XCTAssertFalse(own.isEmpty)
        let others = engine.ruleSet.rules.map(\.id).filter { !engine.notAReportRules.contains($0) }
        var rng = SplitMix(seed: 3)
        for _ in 0..<500 {
            let findings = (0..<Int.random(in: 0...6, using: &rng)).map { i in
                Finding(
                    rule: Int.random(in: 0..<5, using: &rng) == 0 ? own.randomElement(using: &rng)! : others.randomElement(using: &rng)!,
                    severity: .error, category: .structure, message: "m\(i)", fix: nil, location: FindingLocation())
            }
            XCTAssertEqual(
                engine.onlyNotAReport(findings) { $0.rule }.map(\.message), Engine.onlyNotAReport(findings, engine.ruleSet).map(\.message))
        }
    }
}
