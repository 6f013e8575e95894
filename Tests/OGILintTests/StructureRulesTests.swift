import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

/// Issue 8's remaining pieces: reader notes as findings, heading rules, the missing publication date,
/// fee-statement wordings, and documents that are not annual reports.
final class StructureRulesTests: XCTestCase {
    let formats = ["txt", "html", "docx"]

    func testAnUndelimitedDigitRunGivesOneExtractionFindingNamingRowTextAndCount() throws {
        for ext in formats {
            let r = try Repo.linter.check(path: Repo.path("samples/broken/row-digit-run.\(ext)"))
            let notes = r.findings.filter { $0.rule == "EXTRACTION-ROW" }
            XCTAssertEqual(notes.count, 1, ext)
            let f = try XCTUnwrap(notes.first)
            XCTAssertEqual(f.category, .extraction)
            XCTAssertEqual(f.location.row, "其他法律行政法规禁止公开", ext)
            XCTAssertTrue(f.message.contains("“270000027”") && f.message.contains("7 栏"), f.message)
            XCTAssertTrue(f.fix?.contains("7 栏") ?? false, f.fix ?? "no fix")
            XCTAssertTrue(f.location.line != nil || f.location.paragraph != nil || ext == "docx", ext)
            // Nothing is computed from that row: no arithmetic error anywhere.
            XCTAssertEqual(r.findings.filter { $0.category == .arithmetic && $0.severity == .error }.map(\.message), [], ext)
        }
        XCTAssertEqual(try Repo.findings("samples/clean-2021-government.txt").filter { $0.rule == "EXTRACTION-ROW" }.count, 0)
    }

    func testADeviatingHeadingGetsOneWarningQuotingTheStandardHeading() throws {
        for ext in formats {
            let f = try Repo.findings("samples/broken/heading-slip.\(ext)")
            XCTAssertEqual(f.map(\.rule), ["HEADING-STANDARD"], ext)
            XCTAssertEqual(f.first?.severity, .warning)
            XCTAssertEqual(f.first?.category, .editorial)
            XCTAssertEqual(f.first?.fix, "改为标准标题“四、政府信息公开行政复议、行政诉讼情况”", ext)
        }
    }

    func testAHeadingNumberedOutOfSequenceGetsOneStructureFinding() throws {
        for ext in formats {
            let f = try Repo.findings("samples/broken/heading-numbering.\(ext)")
            XCTAssertEqual(f.map(\.rule), ["HEADING-NUMBERING"], ext)
            XCTAssertEqual(f.first?.category, .structure)
            XCTAssertTrue(f.first?.fix?.contains("第 5 个") ?? false, ext)
        }
        // Parts out of order keep their own numerals: PARTS-ORDER reports it, not the numbering rule.
        let swapped = try Repo.findings("samples/broken/parts-out-of-order.txt")
        XCTAssertEqual(swapped.filter { $0.rule.hasPrefix("HEADING") }.count, 0)
        XCTAssertEqual(swapped.filter { $0.rule == "PARTS-ORDER" }.count, 1)
        // A part left out leaves a gap in the numerals: PARTS-PRESENT only.
        XCTAssertEqual(try Repo.findings("samples/broken/missing-part.txt").filter { $0.rule.hasPrefix("HEADING") }.count, 0)
    }

    func testNoPublicationDateGivesOneInfoInsteadOfSilence() throws {
        for ext in formats {
            let f = try Repo.findings("samples/broken/no-date.\(ext)")
            XCTAssertEqual(f.map(\.rule), ["PUBLISHED-DATE-MISSING"], ext)
            XCTAssertEqual(f.first?.severity, .info)
            XCTAssertTrue(f.first?.message.hasPrefix("未找到发布日期") ?? false)
            XCTAssertTrue(f.first?.fix?.contains("落款") ?? false)
        }
        XCTAssertEqual(try Repo.findings("samples/clean-2019-department.txt").filter { $0.rule == "PUBLISHED-DATE-MISSING" }.count, 0)
    }

    /// The wordings agencies use for "no fee was charged" satisfy FEE-STATEMENT; a part 6 without any does not.
    func testFeeStatementRecognisesTheWordingsAgenciesUse() throws {
        let sample = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        let original = try XCTUnwrap(sample.split(separator: "\n").first { $0.hasPrefix("2023年全市对25件") })
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fee-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, Bool)] = [
            ("本年度未收取信息公开处理费用。", true),
            ("本机关未对公众依申请公开政府信息收取任何费用。", true),
            ("县发展和改革局政府信息公开未发生收费情况。", true),
            ("本年度不收取任何费用。", true),
            ("本机关未发生政府信息公开收费事项。", true),
            ("本年度无因政府信息公开收取费用的情况。", true),
            ("本年度无其他需要报告的事项。", false),
            ("本年度继续做好政务公开工作。", false),
        ]
        for (i, (sentence, ok)) in cases.enumerated() {
            let url = dir.appendingPathComponent("r\(i).txt")
            try sample.replacingOccurrences(of: String(original), with: sentence).write(to: url, atomically: true, encoding: .utf8)
            let fee = try Repo.linter.check(path: url.path).findings.filter { $0.rule == "FEE-STATEMENT" }
            XCTAssertEqual(fee.isEmpty, ok, sentence)
        }
    }

    func testNoCorpusReportGetsAFeeStatementFinding() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared/corpus is not beside the repository") }
        let dir = (shared as NSString).appendingPathComponent("corpus")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where name.hasSuffix(".txt") {
            let f = try Repo.linter.check(path: (dir as NSString).appendingPathComponent(name)).findings
            // Only real findings: "could not be evaluated" (no part 6 or no year in an excerpt) is not a claim.
            XCTAssertEqual(f.filter { $0.rule == "FEE-STATEMENT" && $0.category != .extraction }.map(\.message), [], name)
            XCTAssertEqual(f.filter { $0.rule == "NOT-A-REPORT" }.count, 0, name)
        }
    }

    func testADocumentThatIsNotAReportGetsOneErrorAndNothingElse() throws {
        for path in [
            "samples/broken/not-a-report.txt", "samples/broken/not-a-report.html", "samples/broken/not-a-report.docx", "README.md",
        ] {
            let f = try Repo.findings(path)
            XCTAssertEqual(f.map(\.rule), ["NOT-A-REPORT"], path)
            XCTAssertEqual(f.first?.severity, .error, path)
        }
        // A report without tables (parts present) is still a report.
        XCTAssertEqual(try Repo.findings("samples/broken/no-tables.txt").filter { $0.rule == "NOT-A-REPORT" }.count, 0)
    }

    func testAFolderScanLeavesOutNotReportsButANamedFileIsChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scan-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for n in ["clean-2021-government.txt", "broken/not-a-report.txt", "broken/not-a-report.docx"] {
            try FileManager.default.copyItem(
                atPath: Repo.path("samples/" + n), toPath: dir.appendingPathComponent((n as NSString).lastPathComponent).path)
        }
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        let scan = try LintSession(options: o).run([dir.path])
        XCTAssertEqual(scan.inputs.map { ($0.path as NSString).lastPathComponent }, ["clean-2021-government.txt"])
        XCTAssertEqual(scan.summary.notReports, 2)
        XCTAssertEqual(scan.summary.errors, 0)
        let named = try LintSession(options: o).run([dir.appendingPathComponent("not-a-report.txt").path])
        XCTAssertEqual(named.inputs.first?.findings.map(\.rule), ["NOT-A-REPORT"])
        XCTAssertEqual(named.summary.notReports, 0)
        XCTAssertEqual(named.summary.errors, 1)
    }
}
