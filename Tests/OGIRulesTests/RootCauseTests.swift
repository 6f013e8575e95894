import Foundation
import OGILint
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// Root-cause keys (issue 8 item 4, prepared for folding): roots carry the key of what is missing or unreadable,
/// consequences the keys of what caused them.
final class RootCauseTests: XCTestCase {
    func caused(_ path: String) throws -> (plain: [Finding], caused: [CausedFinding]) {
        let report = try Repo.linter.read(path: path)
        return (Repo.linter.engine.check(report), Repo.linter.engine.checkWithCauses(report))
    }

    func describe(_ folded: [FoldedFinding]) -> [String] {
        folded.map { f in
            "\(f.root.finding.rule) \(f.root.rootKey ?? "-") ← "
                + f.related.map { "\($0.finding.rule)[\($0.causeKeys.joined(separator: ","))]" }.joined(separator: " ")
        }
    }

    /// `check` gives exactly the annotated findings folded under their roots, in the same order.
    func testCheckFoldsTheCausedFindings() throws {
        for p in [
            "samples/clean-2021-government.txt", "samples/broken/missing-part.txt", "samples/broken/app-missing-row.txt",
            "samples/broken/row-digit-run.txt", "samples/broken/cell-text.txt", "samples/broken/a20-missing-block.txt",
            "samples/broken/not-a-report.txt",
        ] {
            let (plain, caused) = try caused(Repo.path(p))
            let folded = RootCauses.fold(caused).map { f -> Finding in
                var root = f.root.finding
                root.related += f.related.map(\.finding)
                return root
            }
            XCTAssertEqual(folded, plain, p)
        }
    }

    func testAMissingRowIsTheRootOfItsNotEvaluatedRules() throws {
        let folded = RootCauses.fold(try caused(Repo.path("samples/broken/app-missing-row.txt")).caused)
        XCTAssertEqual(folded.count, 1, describe(folded).joined(separator: "\n"))
        XCTAssertEqual(folded[0].root.rootKey, "row:applications.rejected.publication")
        XCTAssertEqual(folded[0].related.map(\.finding.rule), ["APP-RESULTS-TOTAL", "APP-ROW-TOTAL"])
    }

    func testAnUnreadableRowIsTheRootOfItsIncompleteCellsAndNotEvaluatedRules() throws {
        let folded = RootCauses.fold(try caused(Repo.path("samples/broken/row-digit-run.txt")).caused)
        XCTAssertEqual(folded.map(\.root.finding.rule), ["EXTRACTION-ROW"], describe(folded).joined(separator: "\n"))
        XCTAssertEqual(folded[0].root.rootKey, "row:applications.withheld.prohibited")
        XCTAssertEqual(Set(folded[0].related.map(\.finding.rule)), ["APP-COMPLETE", "APP-RESULTS-TOTAL", "APP-ROW-TOTAL"])
    }

    func testACellThatIsNotANumberIsTheRootOfWhatCouldNotBeComputed() throws {
        let folded = RootCauses.fold(try caused(Repo.path("samples/broken/cell-text.txt")).caused)
        XCTAssertEqual(folded.map(\.root.finding.rule), ["CELL-NOT-NUMBER"], describe(folded).joined(separator: "\n"))
        XCTAssertEqual(folded[0].root.rootKey, "cell:applications.rejected.publication.natural")
    }

    /// The excerpt of the Suqian report (issue 8: "one missing part yields up to 27 findings"): the roots and
    /// what each folds.
    func testSuqianExcerptRootsAndWhatTheyFold() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared/corpus is not beside the repository") }
        let path = (shared as NSString).appendingPathComponent("corpus/peer-suqian-city_2025-partial.txt")
        let (plain, caused) = try caused(path)
        let folded = RootCauses.fold(caused)
        let lines = describe(folded)
        XCTAssertEqual(folded.count, plain.count)
        XCTAssertEqual(folded.map(\.related.count), plain.map(\.related.count))
        // Every missing part is a root, and nothing is left over that only follows from a missing part or table.
        for f in folded where f.root.rootKey == nil {
            XCTAssertFalse(f.root.causeKeys.contains { k in caused.contains { $0.rootKey == k } }, lines.joined(separator: "\n"))
        }
        // The excerpt stops after the first row of table 3 and leaves out three Article 20 tables: each missing
        // table is a root, the 24 missing rows of table 3 are one root, and the arithmetic that needs them folds
        // under it: 6 findings where there were 27.
        XCTAssertEqual(
            folded.filter { $0.root.finding.rule == "A20-COMPLETE" }.compactMap(\.root.rootKey),
            ["table:licensing", "table:enforcement", "table:fees"])
        let rows = try XCTUnwrap(folded.first { $0.root.finding.rule == "APP-COMPLETE" }, lines.joined(separator: "\n"))
        XCTAssertEqual(folded.filter { $0.root.finding.rule == "APP-COMPLETE" }.count, 1)
        XCTAssertEqual(rows.root.rootKeys.count, 24)
        XCTAssertEqual(rows.related.map(\.finding.rule).sorted(), ["APP-BALANCE", "APP-RESULTS-TOTAL", "APP-ROW-TOTAL"])
        XCTAssertEqual(plain.count, 6)
        XCTAssertEqual(folded.filter { $0.root.rootKey == nil }.map(\.root.finding.rule), ["GOV-ASSESSMENT", "PUBLISHED-DATE-MISSING"])
    }
}

extension RootCauseTests {
    /// A missing part is the root of its tables' "missing" findings and of everything that follows from them.
    func testAMissingPartFoldsItsTablesAndTheirConsequences() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roots-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Part 3 and its table cut out of the clean sample.
        let text = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("三、") })
        let end = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("四、") })
        let url = dir.appendingPathComponent("no-part-3.txt")
        try (Array(lines[..<start]) + Array(lines[end...])).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let (plain, caused) = try caused(url.path)
        let folded = RootCauses.fold(caused)
        let part = try XCTUnwrap(folded.first { $0.root.rootKey == "part:applications" }, describe(folded).joined(separator: "\n"))
        XCTAssertEqual(part.root.finding.rule, "PARTS-PRESENT")
        XCTAssertTrue(part.related.contains { $0.rootKey == "table:applications" && $0.finding.rule == "APP-COMPLETE" })
        XCTAssertTrue(part.related.contains { $0.finding.rule == "APP-BALANCE" })
        XCTAssertGreaterThanOrEqual(part.related.count, 4, describe(folded).joined(separator: "\n"))
        XCTAssertEqual(folded.count, plain.count)
    }
}
