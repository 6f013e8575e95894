import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Submitted report models: what is required, and how mistakes are reported (with their line).
final class ModelReaderTests: XCTestCase {
    func read(_ yaml: String, _ name: String = "m.yml", linter: Linter = Repo.linter) throws -> Report {
        try linter.read(path: name, data: Data(yaml.utf8))
    }

    func assertModelError(
        _ yaml: String, line: Int?, _ expected: [String], name: String = "m.yml", file: StaticString = #filePath, at: UInt = #line
    ) {
        XCTAssertThrowsError(try read(yaml, name), file: file, line: at) { e in
            let m = "\(e)"
            if let line { XCTAssertTrue(m.hasPrefix("\(name):\(line):"), "expected line \(line): \(m)", file: file, line: at) }
            for x in expected { XCTAssertTrue(m.contains(x), "expected “\(x)” in “\(m)”", file: file, line: at) }
        }
    }

    static let head = "ogilint_model: 1\nmetadata:\n  year: 2023\n  template: '2021'\n"

    func testRowsNeedOnlyAKey() throws {
        let r = try read(
            Self.head + """
                tables:
                  - key: applications
                    rows:
                      - key: new
                        cells:
                          - {column: natural, raw: '3402'}
                """)
        let row = try XCTUnwrap(r.table("applications")?.row("new"))
        XCTAssertFalse(row.label.isEmpty, "the label comes from the template")
        XCTAssertEqual(row.cell("natural")?.value, 3402)
        XCTAssertEqual(row.cell("total")?.state, .missing)
    }

    func testKeyTyposGetSuggestionsAndLines() {
        assertModelError(
            Self.head + "tables:\n  - key: applications\n    rows:\n      - key: nwe\n", line: 8,
            ["unknown row key 'nwe'", "did you mean 'new'?"])
        assertModelError(
            Self.head + "tables:\n  - key: aplications\n", line: 6, ["unknown table key 'aplications'", "did you mean 'applications'?"])
        assertModelError(
            Self.head + "tables:\n  - key: applications\n    rows:\n      - key: new\n        lable: x\n", line: 9,
            ["unknown field 'lable'", "did you mean 'label'?"])
        assertModelError(
            Self.head
                + "tables:\n  - key: applications\n    rows:\n      - key: new\n        cells:\n          - {column: natrual, raw: '1'}\n",
            line: 10, ["unknown column key 'natrual'", "did you mean 'natural'?"])
        assertModelError("ogilint_model: 1\nmetdata:\n  year: 2023\n", line: 2, ["unknown field 'metdata'", "did you mean 'metadata'?"])
        assertModelError(
            "ogilint_model: 1\nparts:\n  - key: overveiw\n", line: 3, ["unknown part key 'overveiw'", "did you mean 'overview'?"])
    }

    func testDuplicateKeysAreRefusedWithTheirLine() {
        assertModelError(
            Self.head + "tables:\n  - key: applications\n    rows:\n      - key: new\n      - key: new\n", line: 9,
            ["row 'new' is given twice", "first at line 8"])
        assertModelError(Self.head + "tables:\n  - key: reviews\n  - key: reviews\n", line: 7, ["table 'reviews' is given twice"])
        assertModelError(
            Self.head
                + "tables:\n  - key: applications\n    rows:\n      - key: new\n        cells:\n          - {column: natural, raw: '1'}\n          - {column: natural, raw: '2'}\n",
            line: 11, ["column 'natural' is given twice"])
        assertModelError("ogilint_model: 1\nmetadata:\n  year: 2023\n  year: 2024\n", line: nil, ["'year' is given twice"])
        // JSON is checked the same way.
        let json = #"{"ogilint_model": 1, "tables": [{"key": "reviews", "rows": [{"key": "cases"}, {"key": "cases"}]}]}"#
        assertModelError(json, line: 1, ["row 'cases' is given twice"], name: "m.json")
    }

    func testAbsurdYearsAreRefused() {
        assertModelError("ogilint_model: 1\nmetadata:\n  year: 9223372036854775807\n", line: 3, ["not a plausible report year"])
        assertModelError("ogilint_model: 1\nmetadata:\n  title_year: -5\n", line: 3, ["not a plausible report year"])
        assertModelError("ogilint_model: 1\nmetadata:\n  published: '99999-01-01'\n", line: 3, ["plausible year"])
        assertModelError(
            #"{"ogilint_model": 1, "metadata": {"year": 9223372036854775807}}"#, line: nil, ["not a plausible report year"], name: "m.json")
    }

    func testAliasExpansionIsBounded() throws {
        // One 100 KB string aliased 2,000 times: 200 MB once expanded, from a 110 KB file.
        let big = String(repeating: "x", count: 100_000)
        let aliases = String(repeating: "  - text: *big\n", count: 2_000)
        let yaml = "ogilint_model: 1\nmetadata:\n  title: &big \(big)\npreamble:\n" + aliases
        let start = Date()
        assertModelError(yaml, line: nil, ["YAML aliases", "--max-size"])
        // Nested aliases (a "billion laughs"): tiny file, exponential expansion.
        var laughs = "ogilint_model: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...12 { laughs += "x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        assertModelError(laughs, line: nil, ["YAML aliases", "over the limit"])
        // Many aliases of a small value.
        let many = "ogilint_model: 1\nmetadata:\n  agency: &a 某局\npreamble:\n" + String(repeating: "  - text: *a\n", count: 20_000)
        assertModelError(many, line: nil, ["YAML aliases", "over the limit of"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // A few aliases are fine.
        let ok = try read(Self.head + "  agency: &a 某县人民政府\npreamble:\n  - text: *a\n")
        XCTAssertEqual(ok.preamble.first?.text, "某县人民政府")
    }

    func testSamplesStillRead() throws {
        for name in ["clean-2019-department", "clean-2021-government"] {
            let y = try Repo.linter.read(path: Repo.path("samples/\(name).yml"))
            let j = try Repo.linter.read(path: Repo.path("samples/\(name).json"))
            XCTAssertEqual(y.tables, j.tables)
            XCTAssertFalse(y.tables.isEmpty)
        }
    }
}

/// Numbers exact arithmetic cannot hold are never rounded into a value.
final class CellPrecisionTests: XCTestCase {
    func testNumbersBeyondDecimalPrecisionHaveNoValue() throws {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        let exact38 = String(repeating: "9", count: 38)
        XCTAssertEqual(syntax.parse(exact38).state, .number)
        XCTAssertEqual(syntax.parse(exact38).value.map(ExactDecimal.format), exact38)
        for raw in [
            exact38 + "9", "1" + String(repeating: "0", count: 38) + "1", "0.000" + String(repeating: "3", count: 39), "-" + exact38 + "1",
        ] {
            let p = syntax.parse(raw)
            XCTAssertEqual(p.state, .tooManyDigits, raw)
            XCTAssertNil(p.value, raw)
        }
        XCTAssertEqual(syntax.parse("000000000000000000000000000000000000000012").state, .number, "leading zeros are not significant")
        XCTAssertEqual(
            syntax.parse("12.5000000000000000000000000000000000000000").state, .number, "trailing fractional zeros are not significant")
        // A total off by one in the 40th digit cannot pass: the cells have no value, so the sum is not evaluated.
        let a = "1" + String(repeating: "0", count: 39), b = "1" + String(repeating: "0", count: 38) + "1"
        let yaml =
            ModelReaderTests.head
            + "tables:\n  - key: reviews\n    rows:\n      - key: cases\n        cells:\n          - {column: review.upheld, raw: '\(a)'}\n          - {column: review.total, raw: '\(b)'}\n"
        let r = try Repo.linter.read(path: "m.yml", data: Data(yaml.utf8))
        let row = try XCTUnwrap(r.table("reviews")?.row("cases"))
        XCTAssertEqual(row.cell("review.upheld")?.state, .tooManyDigits)
        XCTAssertNil(row.cell("review.total")?.value)
        // The same in a text cell read from a draft.
        XCTAssertTrue(syntax.isValueToken(exact38 + "1"), "still read as a cell, not as label text")
    }
}

final class ReadingOptionTests: XCTestCase {
    func testAbsurdYearOptionIsRefusedBeforeAnyReport() {
        XCTAssertThrowsError(try Linter(ruleDirectories: [Repo.rules], options: LintOptions(year: Int.max))) { e in
            XCTAssertTrue("\(e)".hasPrefix("--year: 9223372036854775807 is not a plausible report year"), "\(e)")
        }
        XCTAssertThrowsError(try Linter(ruleDirectories: [Repo.rules], options: LintOptions(maxInputBytes: 0))) { e in
            XCTAssertTrue("\(e)".hasPrefix("--max-size"), "\(e)")
        }
        XCTAssertNoThrow(try Linter(ruleDirectories: [Repo.rules], options: LintOptions(year: 2023)))
    }
}
