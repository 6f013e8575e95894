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
