import Foundation
import OGITestSupport
import XCTest

@testable import OGIAnalysis
@testable import OGIModel
@testable import OGIRules

/// The sixth pass's evaluation shortcuts give the answers of the code they replace: assertions' whole-number
/// comparisons read from plans made once per rule set (`IntegerComparisonPlan`) and plain whole numbers read from
/// a cell's bytes in place (`TableCells.plainDigits`).
final class Eval6FastPathTests: XCTestCase, BundledEvaluatorTesting {
    // MARK: planned comparisons

    /// What one comparison gave: its answer (nil: no `Int64` answer) or the reasons it could not be made, and the
    /// cells it read.
    struct Outcome: Equatable {
        var answer: String
        var touched: [String]
    }

    func outcome(_ ev: Evaluator, _ body: () throws -> Bool?) -> Outcome {
        ev.touched = []
        let answer: String
        do { answer = (try body()).map { "value \($0)" } ?? "none" } catch let n as NotEvaluated {
            answer = "not evaluated " + n.reasons.map { ev.messages.text($0) }.joined(separator: " | ")
        } catch { answer = "error \(error)" }
        return Outcome(answer: answer, touched: ev.touched.map(\.key))
    }

    /// Random comparisons over the cells of real reports and their variants (counts, blanks, placeholders,
    /// fractions, text, missing rows and tables), literals, bound and unbound variables and other shapes: a plan,
    /// when one is made, gives `integerComparison`'s answer, reasons and touched cells; and it is made for every
    /// comparison of plannable shape whose paths all name cells.
    func testPlannedComparisonsAgreeWithIntegerComparison() throws {
        let literals: [Decimal] = [
            0, 1, -1, 7, 42, -13, 999_999_999_999_999, 1_000_000_000_000_000, -999_999_999_999_999,
            Decimal(Int64.max), Decimal(Int64.min), Decimal(string: "1.5")!, Decimal(string: "3.000")!, Decimal(string: "1e3")!,
        ]
        let ops = ["==", "!=", "<", "<=", ">", ">="]
        var rng = SplitMix(seed: 20_261_202)
        let reports = Eval5FastPathTests.reportsAndCellVariants()
        guard reports.count > 20 else { throw XCTSkip("too few reports") }
        var compared = 0, planned = 0, answered = 0
        for report in reports.prefix(160) {
            let ev = evaluator(report)
            guard let layout = ev.compiled else { continue }
            for table in layout.tables {
                func leaf() -> Expr {
                    let row = Int.random(in: 0..<(table.rowCount + 1), using: &rng)
                    let col = Int.random(in: 0..<(table.columnCount + 1), using: &rng)
                    let rowKey = row < table.rowCount ? table.rowKeys[row] : "no_such_row"
                    let colKey = col < table.columnCount ? table.columnKeys[col] : "no_such_column"
                    switch Int.random(in: 0..<12, using: &rng) {
                    case 0: return .number(literals.randomElement(using: &rng)!)
                    case 1: return .path([.name(table.key), .name(rowKey), .index(.path([.variable("col")]))])
                    case 2: return .path([.name(table.key), .name(rowKey), .variable("col")])
                    case 3: return .path([.name(table.key), .name(rowKey), .index(.path([.variable("unbound")]))])
                    case 4: return .path([.name("year")])
                    case 5: return .path([.name(table.key), .index(.path([.variable("it")])), .name(colKey)])
                    case 6: return .path([.name("no_such_table"), .name(rowKey), .name(colKey)])
                    case 7: return .path([.name("previous"), .name(table.key), .name(rowKey), .name(colKey)])
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
                    default: return leaf()
                    }
                }
                for _ in 0..<40 {
                    let a = expr(Int.random(in: 0...3, using: &rng)), b = expr(Int.random(in: 0...3, using: &rng))
                    let op = ops.randomElement(using: &rng)!
                    ev.bindings = ["col": table.columnKeys.randomElement(using: &rng)!, "it": table.rowKeys.randomElement(using: &rng)!]
                    let expected = outcome(ev) { try ev.integerComparison(op, a, b, tolerance: 0) }
                    compared += 1
                    guard let plan = IntegerComparisonPlan.make(a, b, ev) else {
                        // A comparison `integerComparison` answers has only plannable shapes, bound variables and
                        // cells of the layout: it always has a plan.
                        XCTAssertFalse(expected.answer.hasPrefix("value"), "\(a) \(op) \(b) unplanned")
                        continue
                    }
                    planned += 1
                    let got = outcome(ev) { try ev.integerComparison(op, plan) }
                    XCTAssertEqual(got, expected, "\(a) \(op) \(b)")
                    if got.answer.hasPrefix("value") { answered += 1 }
                }
            }
        }
        XCTAssertGreaterThan(compared, 2_000)
        XCTAssertGreaterThan(planned, 300)
        XCTAssertGreaterThan(answered, 100)
    }

    /// Every assertion of the rule set on every report and variant gives the same findings and the same reasons
    /// for not being evaluated with the engine's shared plans as without plans.
    func testAssertionsGiveTheSameFindingsWithPlans() throws {
        let engine = Repo.linter.engine
        let rules = engine.ruleSet.rules
        let asserts = rules.indices.filter { rules[$0].kind is AssertKind }
        XCTAssertGreaterThan(asserts.count, 5)
        let reports = Eval5FastPathTests.reportsAndCellVariants()
        guard reports.count > 20 else { throw XCTSkip("too few reports") }
        var checked = 0, found = 0
        for report in reports {
            let planned = evaluator(report), plain = evaluator(report)
            planned.comparisonPlans = engine.comparisonPlans
            for index in asserts {
                if let layout = planned.compiled, !layout.ruleApplies[index] { continue }
                var results: [([Finding], [CatalogMessage], [String])] = []
                for ev in [planned, plain] {
                    ev.bindings = [:]
                    ev.touched = []
                    ev.lastUnevaluated = []
                    let findings = engine.check(rules, index, ev)
                    results.append((findings, ev.lastUnevaluated, ev.touched.map(\.key)))
                }
                XCTAssertEqual(results[0].0, results[1].0, rules[index].id)
                XCTAssertEqual(results[0].1, results[1].1, rules[index].id)
                XCTAssertEqual(results[0].2, results[1].2, rules[index].id)
                checked += 1
                found += results[0].0.count
            }
        }
        XCTAssertGreaterThan(checked, 1_000)
        XCTAssertGreaterThan(found, 10)
    }

    /// One run serves every rule of a report (`Engine.check(_:_:)`, the run started anew for each rule): each rule's
    /// findings and reasons for not being evaluated are those a run made for it gives, whatever the rules before it
    /// left in the run.
    func testOneRunForEveryRuleGivesEachRulesFindings() throws {
        let engine = Repo.linter.engine
        let rules = engine.ruleSet.rules
        let reports = Eval5FastPathTests.reportsAndCellVariants()
        guard reports.count > 20 else { throw XCTSkip("too few reports") }
        var checked = 0, found = 0, unevaluated = 0, reasons = 0, known = 0
        for report in reports {
            let shared = evaluator(report), fresh = evaluator(report)
            let run = RuleRun(rules: rules, index: 0, ev: shared)
            for index in rules.indices where !rules[index].needsPrevious {
                if let layout = shared.compiled, !layout.ruleApplies[index] { continue }
                var results: [([Finding], [CatalogMessage])] = []
                for ev in [shared, fresh] {
                    ev.bindings = [:]
                    ev.touched = []
                    ev.lastUnevaluated = []
                    let findings = ev === shared ? engine.check(run, index) : engine.check(rules, index, ev)
                    results.append((findings, ev.lastUnevaluated))
                }
                XCTAssertEqual(results[0].0, results[1].0, rules[index].id)
                XCTAssertEqual(results[0].1, results[1].1, rules[index].id)
                checked += 1
                found += results[0].0.count
                if !results[0].1.isEmpty { unevaluated += 1 }
                // Each reason's root-cause key, found once per report and then known: the key found anew.
                for r in results[0].1 {
                    XCTAssertEqual(RootCauses.knownCauseKey(r, shared), RootCauses.causeKey(r, fresh), "\(rules[index].id): \(r)")
                    reasons += 1
                }
            }
            known += shared.causeKeys.count
        }
        XCTAssertGreaterThan(checked, 1_000)
        XCTAssertGreaterThan(found, 50)
        XCTAssertGreaterThan(unevaluated, 20)
        // Reasons recur from rule to rule: many were known when asked.
        XCTAssertLessThan(known * 3, reasons * 2)
    }

    /// Each rule's root-cause role (`RootCauses.Role`, found by the kind's type) is the one casting the kind to each
    /// kind in turn gives, over the bundled rules (every role among them).
    func testRootCauseRolesEqualTheKindCasts() throws {
        func cast(_ kind: any RuleKind) -> String {
            switch kind {
            case let p as PartsKind where p.check == .present: return "partPresent"
            case is CompleteKind: return "complete"
            case is NotesKind: return "notes"
            case is CellsKind: return "cells"
            default: return "other"
            }
        }
        let kinds = Repo.linter.engine.ruleSet.rules.map(\.kind)
        XCTAssertGreaterThan(kinds.count, 40)
        var seen = Set<String>()
        for kind in kinds {
            XCTAssertEqual("\(RootCauses.Role(kind))", cast(kind), "\(type(of: kind))")
            seen.insert(cast(kind))
        }
        XCTAssertEqual(seen, ["partPresent", "complete", "notes", "cells", "other"])
        XCTAssertEqual(Repo.linter.engine.rootCauseRoles.map { "\($0)" }, Repo.linter.engine.ruleSet.rules.map { cast($0.kind) })
    }

    // MARK: plain whole numbers

    /// `plainInteger` as it read a cell's text before (enumerating the UTF-8 view): the reference.
    static func referencePlainInteger(state: CellState, value: Decimal?, raw: String) -> Int64? {
        switch state {
        case .blank, .placeholder: return value?.isZero == true ? 0 : nil
        case .number:
            guard value != nil else { return nil }
            var v: Int64 = 0, digits = 0, negative = false
            for (i, b) in raw.utf8.enumerated() {
                if i == 0 && b == UInt8(ascii: "-") { negative = true; continue }
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int64(b - 48)
                digits += 1
                if digits > 15 { return nil }
            }
            return digits == 0 ? nil : (negative ? -v : v)
        default: return nil
        }
    }

    /// Every cell of every report and variant, and random texts of digits, signs and other characters (native,
    /// small and bridged strings), give the reference's whole number.
    func testPlainIntegersAreTheReferences() throws {
        var seen = 0
        for report in Eval5FastPathTests.reportsAndCellVariants() {
            for t in report.tables {
                for r in t.rows {
                    for c in r.cells {
                        XCTAssertEqual(
                            TableCells.plainInteger(state: c.state, value: c.value, raw: c.raw),
                            Self.referencePlainInteger(state: c.state, value: c.value, raw: c.raw), c.raw)
                        seen += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(seen, 1_000)
        var rng = SplitMix(seed: 66)
        let alphabet: [Unicode.Scalar] = ["0", "1", "5", "9", "-", "+", ".", ",", " ", "１", "一", "a"]
        let states: [CellState] = [.number, .blank, .placeholder, .missing]
        let values: [Decimal?] = [nil, 0, 1, Decimal(string: "2.5")]
        for n in 0..<20_000 {
            let core = rng.string(from: alphabet, maxLength: 20)
            // Long texts are native heap strings, short ones small strings; `NSString` ones are bridged.
            let raw = n % 3 == 0 ? core + String(repeating: "7", count: Int(rng.next() % 20)) : core
            let text = n % 5 == 0 ? String(NSString(string: raw)) : raw
            let state = states[Int(rng.next() % UInt64(states.count))]
            let value = values[Int(rng.next() % UInt64(values.count))]
            XCTAssertEqual(
                TableCells.plainInteger(state: state, value: value, raw: text),
                Self.referencePlainInteger(state: state, value: value, raw: text), text)
        }
        for raw in ["", "-", "0", "-0", "999999999999999", "-999999999999999", "1000000000000000", "--1", "1-", "12a"] {
            XCTAssertEqual(
                TableCells.plainInteger(state: .number, value: 1, raw: raw), Self.referencePlainInteger(state: .number, value: 1, raw: raw),
                raw)
        }
    }
}
