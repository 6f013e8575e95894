import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

@testable import OGILint

/// Last year's report (`check --previous`, automatic pairs, `previous:` pairs in `.ogilint.yml`).
final class PreviousAndRollupTests: XCTestCase {
    func temp() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("prevtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func copy(_ sample: String, to dir: URL, as name: String? = nil) throws -> String {
        let src = Repo.path("samples/previous/\(sample)")
        let dst = dir.appendingPathComponent(name ?? sample).path
        try FileManager.default.copyItem(atPath: src, toPath: dst)
        return dst
    }

    func session(previous: String? = nil, noConfig: Bool = true) -> LintSession {
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = !noConfig
        o.previousPath = previous
        o.workers = 2
        return LintSession(options: o)
    }

    func rules(_ input: CheckedInput) -> [String] { input.findings.map(\.rule) }

    func testGivenPreviousReportIsCheckedAgainstInEveryFormat() throws {
        for ext in ["txt", "docx", "html"] {
            let last = Repo.path("samples/previous/last-year.\(ext)")
            let broken = try session(previous: last).run([Repo.path("samples/previous/this-year-carried-in.\(ext)")])
            XCTAssertEqual(broken.inputs.count, 1, "the previous report is not itself reported")
            let carried = broken.inputs[0].findings.filter { $0.rule == "PREV-CARRIED-OVER" }
            XCTAssertFalse(carried.isEmpty, ext)
            XCTAssertTrue(carried.contains { $0.message.contains("81") && $0.message.contains("91") }, "\(ext): \(carried.map(\.message))")
            let clean = try session(previous: last).run([Repo.path("samples/previous/this-year.\(ext)")])
            XCTAssertFalse(rules(clean.inputs[0]).contains { $0.hasPrefix("PREV-") }, "\(ext): \(rules(clean.inputs[0]))")
        }
    }

    func testWithoutPreviousReportNoPreviousRuleSpeaks() throws {
        let r = try session().run([Repo.path("samples/previous/this-year-carried-in.txt")])
        XCTAssertFalse(rules(r.inputs[0]).contains { $0.hasPrefix("PREV-") })
    }

    func testYearOptionIsNotForcedOnLastYearsReport() throws {
        // `--year` says which year this year's report covers; last year's report keeps its own year.
        let linter = try Linter(ruleDirectories: [Repo.rules], options: LintOptions(year: 2023))
        let last = Repo.path("samples/previous/last-year.txt")
        XCTAssertEqual(try linter.read(path: last).metadata.year, 2023, "the option applies to a report being checked")
        XCTAssertEqual(try linter.readPrevious(path: last).metadata.year, 2022)
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        o.previousPath = last
        o.year = 2023
        let r = try LintSession(options: o).run([Repo.path("samples/previous/this-year-carried-in.txt")])
        XCTAssertTrue(rules(r.inputs[0]).contains("PREV-CARRIED-OVER"), "\(rules(r.inputs[0]))")
    }

    func testUnreadablePreviousReportIsAToolError() throws {
        XCTAssertThrowsError(try session(previous: "/nonexistent/last.txt").run([Repo.path("samples/previous/this-year.txt")])) { e in
            XCTAssertTrue("\(e)".contains("--previous"), "\(e)")
            XCTAssertEqual((e as? SessionError)?.exitStatus, .toolError)
        }
    }

    func testFolderPairsConsecutiveYearsOfOneAgencyAndStillChecksLastYear() throws {
        let dir = try temp()
        _ = try copy("last-year.txt", to: dir)
        _ = try copy("this-year-carried-in.txt", to: dir)
        let r = try session().run([dir.path])
        XCTAssertEqual(r.inputs.count, 2)
        let this = try XCTUnwrap(r.inputs.first { $0.path.hasSuffix("this-year-carried-in.txt") })
        let last = try XCTUnwrap(r.inputs.first { $0.path.hasSuffix("last-year.txt") })
        XCTAssertTrue(rules(this).contains("PREV-CARRIED-OVER"), "\(rules(this))")
        XCTAssertFalse(rules(last).contains { $0.hasPrefix("PREV-") }, "last year has no earlier report")
        // Paired automatically exactly as the given previous report.
        let given = try session(previous: Repo.path("samples/previous/last-year.txt")).run([
            Repo.path("samples/previous/this-year-carried-in.txt")
        ])
        XCTAssertEqual(this.findings.map(\.message), given.inputs[0].findings.map(\.message))
        // One report alone in a run is not paired with anything.
        let alone = try session().run([dir.appendingPathComponent("this-year-carried-in.txt").path])
        XCTAssertFalse(rules(alone.inputs[0]).contains { $0.hasPrefix("PREV-") })
    }

    func testConfigurationPairWinsOverTheAutomaticOne() throws {
        let dir = try temp()
        _ = try copy("last-year.txt", to: dir)
        _ = try copy("this-year.txt", to: dir)
        let other = dir.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        // Last year's report as another copy with 90 carried over instead of 91.
        let text = try String(contentsOfFile: Repo.path("samples/previous/last-year.txt"), encoding: .utf8)
        let altered = text.replacingOccurrences(of: "四、结转下年度继续办理\t91\t", with: "四、结转下年度继续办理\t90\t")
        XCTAssertNotEqual(text, altered)
        try altered.write(to: other.appendingPathComponent("2022.txt"), atomically: true, encoding: .utf8)
        // Automatic pair: clean.
        let auto = try session().run([dir.appendingPathComponent("last-year.txt").path, dir.appendingPathComponent("this-year.txt").path])
        XCTAssertFalse(auto.inputs.flatMap(rules).contains { $0.hasPrefix("PREV-") })
        try "previous:\n  - {current: \"this-*.txt\", previous: archive/2022.txt}\n".write(
            to: dir.appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        let r = try session(noConfig: false).run([dir.path])
        let this = try XCTUnwrap(r.inputs.first { $0.path.hasSuffix("this-year.txt") })
        let carried = this.findings.filter { $0.rule == "PREV-CARRIED-OVER" }
        XCTAssertEqual(carried.count, 1, "\(rules(this))")
        XCTAssertTrue(carried[0].message.contains("90"), carried[0].message)
    }

    func testCommandLinePreviousOption() throws {
        let broken = try CLI.run([
            "check", "--previous", "samples/previous/last-year.docx", "--format", "json", "samples/previous/this-year-carried-in.txt",
        ])
        XCTAssertEqual(broken.code, 1, broken.err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(broken.out.utf8)) as? [String: Any])
        let reports = try XCTUnwrap(doc["reports"] as? [[String: Any]])
        XCTAssertEqual(reports.count, 1, "last year's report is not itself reported")
        let rules = (reports[0]["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        XCTAssertTrue(rules.contains("PREV-CARRIED-OVER"), "\(rules)")
        XCTAssertEqual(try CLI.run(["check", "--previous", "samples/previous/last-year.txt", "samples/previous/this-year.txt"]).code, 0)
        // Automatic pairs, and --no-pairing.
        let paired = try CLI.run(["check", "samples/previous/last-year.txt", "samples/previous/this-year-carried-in.txt"])
        XCTAssertEqual(paired.code, 1, paired.out)
        XCTAssertTrue(paired.out.contains("PREV-CARRIED-OVER"), paired.out)
        let unpaired = try CLI.run(["check", "--no-pairing", "samples/previous/last-year.txt", "samples/previous/this-year-carried-in.txt"])
        XCTAssertFalse(unpaired.out.contains("PREV-"), unpaired.out)
        let missing = try CLI.run(["check", "--previous", "samples/previous/nope.txt", "samples/previous/this-year.txt"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.contains("nope.txt") && missing.err.contains("--previous"), missing.err)
    }

    func testConfigurationPairsAreValidatedWithLineNumbers() throws {
        let dir = try temp()
        let conf = dir.appendingPathComponent(".ogilint.yml")
        try "fail_on: error\nprevious:\n  - {current: \"*.txt\", previous: missing.txt}\n".write(
            to: conf, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LintConfiguration.load(conf.path)) { e in
            XCTAssertTrue("\(e)".contains(":3:"), "\(e)")
            XCTAssertTrue("\(e)".contains("missing.txt"), "\(e)")
        }
        try "previous:\n  - {current: \"*.txt\"}\n".write(to: conf, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LintConfiguration.load(conf.path)) { e in XCTAssertTrue("\(e)".contains(":2:"), "\(e)") }
        try "previous:\n  - {current: \"*.txt\", previous: a.txt, when: x}\n".write(to: conf, atomically: true, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LintConfiguration.load(conf.path)) { e in XCTAssertTrue("\(e)".contains("when"), "\(e)") }
        try "previous:\n  - {current: \"*.txt\", previous: a.txt}\n".write(to: conf, atomically: true, encoding: .utf8)
        let c = try LintConfiguration.load(conf.path)
        XCTAssertEqual(c.previous.count, 1)
        XCTAssertEqual(c.previous[0].previousPath(base: dir.path), dir.appendingPathComponent("a.txt").path)
        XCTAssertTrue(c.previous[0].covers(path: "sub/b.txt"))
        XCTAssertFalse(c.previous[0].covers(path: "b.docx"))
    }

    // MARK: rollup

    let districts = (1...3).map { Repo.path("samples/rollup/district-\($0).txt") }

    func rollup(_ parent: String, _ children: [String], force: Bool = false) throws -> CheckedInput {
        try Rollup(linter: Repo.linter).check(parent: parent, children: children, force: force)
    }

    func testCompiledReportThatSumsItsChildrenExactlyIsClean() throws {
        let r = try rollup(Repo.path("samples/rollup/city-compiled.txt"), districts)
        XCTAssertEqual(r.findings.map(\.message), [])
        XCTAssertGreaterThan(
            Rollup.numberCells(try XCTUnwrap(r.report), layout: Repo.linter.ruleSet.templates.layout(for: r.report!)).count, 100,
            "every number cell of the tables is compared")
        // Leaving a child out is not a sum any more: every non-zero cell differs.
        let short = try rollup(Repo.path("samples/rollup/city-compiled.txt"), Array(districts.prefix(2)))
        XCTAssertGreaterThan(short.findings.filter { $0.rule == Rollup.sumRule }.count, 50)
    }

    func testEachCellThatDiffersIsNamedWithTheChildrensValues() throws {
        let r = try rollup(Repo.path("samples/rollup/city-compiled-broken.txt"), districts)
        XCTAssertEqual(r.findings.map(\.rule), [Rollup.sumRule])
        let f = r.findings[0]
        XCTAssertEqual(f.severity, .error)
        XCTAssertEqual(f.location.cell, "applications.granted.commercial")
        XCTAssertEqual(f.location.line, 33)
        XCTAssertEqual(f.suggestion?.suggestedValue, 72)
        XCTAssertEqual(f.suggestion?.value, 73)
        for part in ["73", "72", "district-1.txt 12", "district-2.txt 24", "district-3.txt 36", "相差 1"] {
            XCTAssertTrue(f.message.contains(part), "\(part) in \(f.message)")
        }
    }

    func testMissingChildFiguresAreNamedAndNotCompared() throws {
        let dir = try temp()
        // A child whose 商业企业 cell of 予以公开 is blank, and one without table 4's figures.
        let text = try String(contentsOfFile: districts[2], encoding: .utf8)
        let blank = text.replacingOccurrences(of: "（一）予以公开\t3525\t36\t", with: "（一）予以公开\t3525\t\t")
        XCTAssertNotEqual(blank, text)
        let blankPath = dir.appendingPathComponent("blank.txt").path
        try blank.write(toFile: blankPath, atomically: true, encoding: .utf8)
        let r = try rollup(Repo.path("samples/rollup/city-compiled-broken.txt"), [districts[0], districts[1], blankPath])
        let missing = r.findings.filter { $0.rule == Rollup.childMissingRule }
        XCTAssertEqual(missing.count, 1, "\(r.findings.map(\.message))")
        XCTAssertEqual(missing.first?.severity, .warning)
        XCTAssertTrue(missing.first?.message.contains("blank.txt") ?? false)
        XCTAssertTrue(missing.first?.message.contains("商业企业") ?? false, missing.first?.message ?? "")
        XCTAssertFalse(r.findings.contains { $0.rule == Rollup.sumRule }, "the incomplete cell is not compared; the others add up")
        // An unreadable child: named, and nothing is compared.
        let corrupt = dir.appendingPathComponent("corrupt.docx")
        try Data("PK\u{3}\u{4} not a zip".utf8).write(to: corrupt)
        let gone = try rollup(Repo.path("samples/rollup/city-compiled-broken.txt"), [districts[0], districts[1], corrupt.path])
        XCTAssertEqual(gone.findings.map(\.rule), [Rollup.childMissingRule])
        XCTAssertTrue(gone.findings[0].message.contains("corrupt.docx"))
        // A path that names no file is a command-line mistake.
        XCTAssertThrowsError(try rollup(Repo.path("samples/rollup/city-compiled.txt"), [dir.appendingPathComponent("gone.txt").path])) {
            e in
            XCTAssertEqual((e as? RollupError)?.exitStatus, .toolError)
            XCTAssertTrue("\(e)".contains("gone.txt"))
        }
        // A child without table 4's figures: the table is named.
        let lines = text.components(separatedBy: "\n")
        let noTable4 = lines.filter { !$0.hasPrefix("\(Int(309 * 3))\t") }.joined(separator: "\n")
        XCTAssertNotEqual(noTable4, text)
        let noTablePath = dir.appendingPathComponent("no-table-4.txt").path
        try noTable4.write(toFile: noTablePath, atomically: true, encoding: .utf8)
        let cut = try rollup(Repo.path("samples/rollup/city-compiled.txt"), [districts[0], districts[1], noTablePath])
        XCTAssertFalse(cut.findings.isEmpty)
        XCTAssertTrue(
            cut.findings.allSatisfy { $0.rule == Rollup.childMissingRule && $0.message.contains("no-table-4.txt") },
            "\(cut.findings.map(\.message))")
    }

    func testParentMustDeclareItselfACompilationUnlessForced() throws {
        XCTAssertTrue(Repo.linter.ruleSet.templates.profile.compilationWords.contains("汇总"))
        XCTAssertThrowsError(try rollup(districts[0], [districts[0]])) { e in
            XCTAssertEqual((e as? RollupError)?.exitStatus, .toolError)
            XCTAssertTrue("\(e)".contains("--force"), "\(e)")
        }
        XCTAssertEqual(try rollup(districts[0], [districts[0]], force: true).findings.map(\.rule), [])
        XCTAssertEqual(try rollup(districts[1], [districts[0]], force: true).findings.first?.rule, Rollup.sumRule)
    }

    func testRollupCommandOutputsAndExitCodes() throws {
        let clean = try CLI.run(["rollup", "samples/rollup/city-compiled.txt"] + (1...3).map { "samples/rollup/district-\($0).txt" })
        XCTAssertEqual(clean.code, 0, clean.err)
        let broken = try CLI.run(
            ["rollup", "--format", "json", "samples/rollup/city-compiled-broken.txt"] + (1...3).map { "samples/rollup/district-\($0).txt" })
        XCTAssertEqual(broken.code, 1, broken.err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(broken.out.utf8)) as? [String: Any])
        let findings = try XCTUnwrap((doc["reports"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.compactMap { $0["rule"] as? String }, ["ROLLUP-SUM"])
        XCTAssertEqual((findings[0]["suggestion"] as? [String: Any])?["suggested_value"] as? String, "72")
        let text = try CLI.run(["rollup", "samples/rollup/city-compiled-broken.txt"] + (1...3).map { "samples/rollup/district-\($0).txt" })
        XCTAssertTrue(text.out.contains("ROLLUP-SUM") && text.out.contains("district-3.txt 36"), text.out)
        XCTAssertEqual(
            try CLI.run(["rollup", "--fail-on", "never", "samples/rollup/city-compiled-broken.txt", "samples/rollup/district-1.txt"]).code,
            0)
        let notCompiled = try CLI.run(["rollup", "samples/rollup/district-2.txt", "samples/rollup/district-1.txt"])
        XCTAssertEqual(notCompiled.code, 2)
        XCTAssertTrue(notCompiled.err.contains("--force"), notCompiled.err)
        XCTAssertEqual(try CLI.run(["rollup", "samples/rollup/city-compiled.txt"]).code, 2, "no children")
        XCTAssertEqual(
            try CLI.run(["rollup", "--format", "sarif", "samples/rollup/city-compiled.txt", "samples/rollup/district-1.txt"]).code, 2)
    }
}
