import Foundation
import OGIModel
import XCTest

@testable import OGIRules

/// The compiled form of a template must find exactly the cells the template's own lookups find.
final class CompiledLayoutTests: XCTestCase {
    func table(rows: [String], columns: [String]) -> TableSpec {
        TableSpec(
            key: "t", title: "T", part: "p", group: nil, anchors: [],
            columns: columns.map { ColumnSpec(key: $0, label: $0.uppercased(), variants: [], kind: .count, unit: nil) },
            rows: rows.map { RowSpec(key: $0, label: $0, variants: []) }, reference: nil)
    }

    /// Root-cause keys find a finding's row by label and its table by title in dictionaries made once
    /// (`CompiledTable.rowByLabel`, `CompiledLayout.tableByTitle`): they must give the first row or table the scans
    /// they replace found, where a label is another row's shown label or variant, where two titles are equal, and
    /// where two texts are canonically equivalent (equal as `String`s, different bytes).
    func testRootCauseLookupsFindTheFirstMatchAsTheScansDid() {
        let rows = [
            RowSpec(key: "a", label: "甲", variants: ["乙"]),  // shown as 乙
            RowSpec(key: "b", label: "乙", variants: []),
            RowSpec(key: "c", label: "\u{E9}", variants: []),
            RowSpec(key: "d", label: "e\u{301}", variants: []),
            RowSpec(key: "e", label: "丙", variants: ["丁"]),
            RowSpec(key: "f", label: "戊", variants: ["丙"]),
            RowSpec(key: "g", label: "己", variants: []),
            RowSpec(key: "h", label: "己", variants: []),
        ]
        let spec = TableSpec(
            key: "t", title: "表", part: "p", group: nil, anchors: [],
            columns: [ColumnSpec(key: "n", label: "N", variants: [], kind: .count, unit: nil)], rows: rows, reference: nil)
        let compiled = CompiledTable(index: 0, spec: spec)
        var labels = rows.flatMap { [$0.label] + $0.variants } + ["不存在", "\u{212B}", ""]
        labels += labels.map { $0 + "\u{301}" }
        for label in labels {
            let scanned = spec.rows.first { Evaluator.displayLabel($0) == label || $0.label == label }
            XCTAssertEqual(RootCauses.row(label, compiled)?.key, scanned?.key, label.debugDescription)
        }
        XCTAssertEqual(RootCauses.row("乙", compiled)?.key, "a")
        XCTAssertEqual(RootCauses.row("e\u{301}", compiled)?.key, "c")
        XCTAssertEqual(RootCauses.row("丙", compiled)?.key, "e")
        XCTAssertEqual(RootCauses.row("己", compiled)?.key, "g")

        let titles = ["表", "表", "\u{C5}", "A\u{30A}", "\u{212B}", "另表"]
        let tables = titles.enumerated().map { i, title in
            var t = spec
            t.key = "t\(i)"
            t.title = title
            return t
        }
        let layout = CompiledLayout(
            Template(id: "x", title: "X", reference: nil, fromYear: nil, toYear: nil, markers: [], tables: tables), rules: [])
        for title in titles + ["无", "A"] {
            XCTAssertEqual(layout.tableByTitle[title], tables.firstIndex { $0.title == title }, title.debugDescription)
        }
        XCTAssertEqual(layout.tableByTitle["A\u{30A}"], 2)
    }

    func testResolveAgreesWithTableSpecEvenWhenKeysHoldDots() {
        let specs = [
            table(rows: ["a", "a.b", "withheld.secret"], columns: ["c", "b.c", "total"]),
            table(rows: ["new", "granted"], columns: ["natural", "review.total", "total"]),
        ]
        for spec in specs {
            let compiled = CompiledTable(index: 0, spec: spec)
            var spellings: [[String]] = []
            for r in spec.rows.map(\.key) + ["x", "a.x"] {
                for c in spec.columns.map(\.key) + ["y"] {
                    spellings.append([r, c])
                    spellings.append((r + "." + c).components(separatedBy: "."))
                }
            }
            for s in spellings {
                let expected = spec.resolve(s.joined(separator: ".")).map { (r, c) in
                    (spec.rows.firstIndex { $0.key == r.key }!, spec.columns.firstIndex { $0.key == c.key }!)
                }
                let got = compiled.resolve(s[...])
                XCTAssertEqual(got?.row, expected?.0, "\(s)")
                XCTAssertEqual(got?.column, expected?.1, "\(s)")
            }
        }
    }

    func testSubstitutionAgreesWithFoundation() {
        for (text, target, with) in [
            ("$g.total", "$g", "review"), ("$g.$g", "$g", "x"), ("$gg.$g", "$g", "y"), ("none", "$g", "z"), ("行$g", "$g", "a"),
        ] {
            XCTAssertEqual(SumKind.replacing(target, with: with, in: text), text.replacingOccurrences(of: target, with: with))
        }
    }

    func testTableRowTestAgreesWithSplittingOnBars() {
        for t in ["a | b | c", "a | b", " | | ", "a  |  b  |  c", "|a", "a\tb\tc", "甲 | 乙 | 丙", "a | b |c", " |  | ", "e\u{301} | x | y"] {
            let expected = t.hasPrefix("|") || t.components(separatedBy: " | ").count >= 3 || t.utf8.filter { $0 == 9 }.count >= 2
            XCTAssertEqual(ProseCache.isTableRow(t), expected, t)
        }
    }
}
