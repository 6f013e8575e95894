import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// The seed report and the real corpus in ../shared (skipped when ../shared is absent).
final class SeedAndCorpusTests: XCTestCase {
    func sharedDir() throws -> String {
        guard let s = Repo.shared else { throw XCTSkip("../shared is not present; corpus tests need the project workspace") }
        return s
    }

    func testSeedHasNoErrorsAndExactlyItsSignedTextWarningsAndEditorialSlips() throws {
        let dir = (try sharedDir() as NSString).appendingPathComponent("seed")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }
        XCTAssertEqual(files.count, 1)
        let result = try Repo.linter.check(path: (dir as NSString).appendingPathComponent(files[0]))
        XCTAssertEqual(result.findings.errors, [])
        // The nested quotes, the sentence pasted twice with 完/安, the four signed changes and the space before a comma.
        XCTAssertEqual(
            result.findings.map(\.rule),
            ["ED-NESTED-QUOTES", "ED-REPEATED-SENTENCE"] + Array(repeating: "CELL-SIGN-TEXT", count: 4)
                + ["ED-SPACE-PUNCTUATION"])
        XCTAssertEqual(result.findings.compactMap(\.location.line), [14, 47, 89, 94, 106, 111, 448])
        let m = result.report.metadata
        XCTAssertEqual(m.year, 2020)
        XCTAssertEqual(m.agency, "赣州市生态环境局")
        XCTAssertEqual(m.agencyKind, .department)
        XCTAssertEqual(m.template, "2019")
        XCTAssertEqual(m.published, CalendarDate(year: 2021, month: 1, day: 25))
        let app = try XCTUnwrap(result.report.table("applications"))
        XCTAssertEqual(app.rows.count, 23)
        XCTAssertEqual(app.row("results_total")?.cells.map(\.raw), ["3", "0", "0", "4", "0", "1", "8"])
        XCTAssertEqual(result.report.table("procurement")?.row("procurement")?.cell("amount")?.value, Decimal(string: "6032.346"))
    }

    /// Corpus files: header lines (source:, agency:, …) end at a line `---`; peer-* files have none.
    static func body(_ text: String) -> (header: String, body: String) {
        guard text.hasPrefix("source:"), let r = text.range(of: "\n---\n") else { return ("", text) }
        return (String(text[..<r.lowerBound]), String(text[r.upperBound...]))
    }

    func corpus() throws -> [(name: String, header: String, report: Report)] {
        let dir = (try sharedDir() as NSString).appendingPathComponent("corpus")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") && $0 != "README.md" }.sorted()
        XCTAssertGreaterThan(names.count, 20)
        return try names.map { n in
            let data = try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(n)))
            let (text, _) = try TextDecoding.decode(data, path: n)
            let (header, body) = Self.body(text)
            return (n, header, Repo.linter.read(text: body, path: n))
        }
    }

    func testEveryCorpusReportReadsAndGivesNoArithmeticErrorUnlessNoted() throws {
        for c in try corpus() {
            let findings = Repo.linter.check(c.report)
            let noted = c.header.lowercased().contains("inconsisten") || c.header.contains("mismatch")
            let arithmetic = findings.filter { $0.category == .arithmetic }
            if !noted {
                XCTAssertEqual(arithmetic.map(\.message), [], "\(c.name): arithmetic error on a report whose header notes no inconsistency")
            }
        }
    }

    func testCorpusMetadataMatchesHeaders() throws {
        for c in try corpus() where !c.header.isEmpty {
            let fields = Dictionary(
                uniqueKeysWithValues: c.header.split(separator: "\n").compactMap { line -> (String, String)? in
                    guard let i = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<i]), line[line.index(after: i)...].trimmingCharacters(in: .whitespaces))
                })
            if let t = c.report.metadata.template, let f = fields["format"] {
                XCTAssertTrue(f.hasPrefix(t), "\(c.name): detected template \(t), header says \(f)")
            }
            if let y = c.report.metadata.year, let f = fields["year"] {
                XCTAssertEqual(String(y), f, "\(c.name): year")
            }
            if let k = c.report.metadata.agencyKind, let f = fields["kind"] {
                XCTAssertEqual(k == .government ? "人民政府" : "部门", f, "\(c.name): agency kind")
            }
        }
    }

    /// Full reports whose tables are complete: every table, row and cell is extracted with the published figures.
    func testCompleteCorpusReportsAreFullyExtracted() throws {
        let all = try corpus()
        let expected: [String: (new: String, done: String, carried: String, review: String)] = [
            "2023-suqian-shi-renminzhengfu.txt": ("3511", "3486", "121", "440"),
            "2024-huaian-shi-renminzhengfu.txt": ("3119", "3050", "103", "351"),
            "peer-huaian-city-government_2024.txt": ("3119", "3050", "103", "351"),
            "2024-suqian-shi-renminzhengfu.txt": ("3525", "3521", "125", "170"),
        ]
        for (name, figures) in expected {
            let c = try XCTUnwrap(all.first { $0.name == name }, name)
            // Second-hand copies without a title: supply year and kind as --year/--agency-kind would.
            var report = c.report
            if report.metadata.year == nil { report.metadata.year = Int(name.prefix(4)) ?? Int(name.suffix(8).prefix(4)) }
            if report.metadata.agencyKind == nil { report.metadata.agencyKind = .government }
            let findings = Repo.linter.check(report)
            XCTAssertEqual(findings.filter { $0.category == .completeness && $0.rule.hasSuffix("-COMPLETE") }.map(\.message), [], name)
            XCTAssertEqual(findings.filter { $0.category == .extraction }.map(\.message), [], name)
            XCTAssertEqual(c.report.extractionNotes.map(\.found), [], "\(name): every row placed with certainty")
            XCTAssertEqual(c.report.parts.compactMap(\.standardHeading), [], "\(name): standard headings")
            let app = try XCTUnwrap(c.report.table("applications"), name)
            XCTAssertEqual(app.row("new")?.cell("total")?.raw, figures.new, name)
            XCTAssertEqual(app.row("results_total")?.cell("total")?.raw, figures.done, name)
            XCTAssertEqual(app.row("carried_out")?.cell("total")?.raw, figures.carried, name)
            XCTAssertEqual(c.report.table("reviews")?.row("cases")?.cell("review.total")?.raw, figures.review, name)
        }
    }
}
