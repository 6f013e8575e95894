import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGITestSupport
import XCTest

/// What a newcomer trips over (issue 13, items 3, 4 and 7): commands, sizes, folder scans, text alignment,
/// SARIF rule help, the HTML index.
final class NewcomerTests: XCTestCase {
    func run(_ args: [String], in dir: String = Repo.root) throws -> (code: Int32, out: String, err: String) {
        let r = try CLI.run(args, in: dir)
        return (r.code, r.out, r.err)
    }

    func folder() throws -> String { try temporaryFolder("ogilint-new") }

    func testUnknownSubcommandsGetASuggestionAndFilesStillWork() throws {
        let r = try run(["chek", "x"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("unknown command 'chek' (did you mean 'check'?)"), r.err)
        XCTAssertTrue(try run(["rule"]).err.contains("did you mean 'rules'"))
        // The default subcommand: a file is checked, also one whose name is close to a command.
        XCTAssertEqual(try run(["samples/broken/app-balance.txt"]).code, 1)
        let d = try folder()
        try FileManager.default.copyItem(atPath: Repo.path("samples/broken/app-balance.txt"), toPath: d + "/chek")
        XCTAssertEqual(try run(["chek"], in: d).code, 1, "an existing file named like a command is checked")
        // A word close to no command is a missing file.
        let missing = try run(["report2023"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.contains("report2023: cannot read the file"), missing.err)
    }

    func testBareOgilintListsTheCommandsWithoutAnError() throws {
        let r = try run([])
        XCTAssertEqual(r.code, 2, "nothing to check is not a pass")
        XCTAssertEqual(r.err, "")
        for c in ["check", "model", "rules", "test-rules", "init"] { XCTAssertTrue(r.out.contains("  \(c)"), r.out) }
        XCTAssertFalse(r.out.lowercased().contains("error"))
    }

    func testRuleIdsMatchInAnyCaseWithSuggestions() throws {
        let lower = try run(["rules", "app-balance"])
        XCTAssertEqual(lower.code, 0)
        XCTAssertTrue(lower.out.hasPrefix("APP-BALANCE"), lower.out)
        let near = try run(["rules", "app-balanse"])
        XCTAssertEqual(near.code, 2)
        XCTAssertTrue(near.err.contains("did you mean 'APP-BALANCE'"), near.err)
        XCTAssertEqual(NearMatch.suggestions(for: "cell-blnk", in: ["CELL-BLANK", "CELL-TEXT", "APP-BALANCE"]), ["CELL-BLANK"])
        XCTAssertEqual(NearMatch.suggestions(for: "zzz", in: ["CELL-BLANK"]), [])
    }

    func testMaxSizeAcceptsUnits() throws {
        let file = "samples/clean-2021-government.txt"
        XCTAssertEqual(try run(["check", "--max-size", "1M", file]).code, 0)
        XCTAssertEqual(try run(["check", "--max-size", "50m", file]).code, 0)
        XCTAssertEqual(try run(["check", "--max-size", "1G", file]).code, 0)
        let small = try run(["check", "--max-size", "1k", file])
        XCTAssertEqual(small.code, 2)
        XCTAssertTrue(small.err.contains("limit"), small.err)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: Repo.path(file))[.size] as? Int)
        XCTAssertEqual(try run(["check", "--max-size", String(size), file]).code, 0, "plain bytes, as before")
        XCTAssertEqual(try run(["check", "--max-size", "10x", file]).code, 2)
        XCTAssertEqual(try run(["check", "--max-size", "99999999999999999999G", file]).code, 2)
    }

    func testAFolderScanSkipsHiddenBuildAndNonReportFilesAndCountsThem() throws {
        let d = try folder()
        for sub in [".git", ".build-release", "build", "node_modules", "reports/2024"] {
            try FileManager.default.createDirectory(atPath: d + "/" + sub, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Repo.path("samples/broken/app-balance.txt"), toPath: d + "/\(sub)/r.txt")
        }
        try "notes".write(toFile: d + "/notes.md", atomically: true, encoding: .utf8)
        try "x".write(toFile: d + "/.hidden.txt", atomically: true, encoding: .utf8)
        let r = try run(["check", "."], in: d)
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.out.contains("./reports/2024/r.txt"))
        XCTAssertEqual(r.out.split(separator: "\n").filter { $0.hasPrefix("./") }.count, 1, r.out)
        XCTAssertTrue(
            r.out.hasSuffix(
                "1 report checked: 2 errors, 0 warnings, 0 infos; skipped 2 files and 4 folders in scanned folders (hidden, build output or not reports)\n"
            ), r.out)
        let json = try run(["check", "--format", "json", "."], in: d)
        let summary = (try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["summary"] as? [String: Int]
        XCTAssertEqual(summary?["skipped_files"], 2)
        XCTAssertEqual(summary?["skipped_folders"], 4)
        // A named folder is scanned even when its name would be skipped below another.
        XCTAssertEqual(try run(["check", "build"], in: d).code, 1)
    }

    func testTheTextTableIsAlignedByDisplayWidth() throws {
        let long = String(repeating: "很长的文件夹名称/", count: 6) + "报告.txt"
        let f = Finding(
            rule: "PROVINCE-VERY-LONG-RULE-ID-42", severity: .warning, category: .cell, message: "m", fix: nil,
            location: FindingLocation(line: 1))
        let g = Finding(rule: "X", severity: .warning, category: .cell, message: "m", fix: nil, location: FindingLocation(line: 2))
        let inputs = [
            CheckedInput(path: "湖北省/武汉市.txt", report: nil, findings: [f, g]), CheckedInput(path: "a.txt", report: nil, findings: []),
            CheckedInput(path: long, report: nil, findings: [f]),
        ]
        let text = TextFormat.render(
            inputs, run: RunStart(files: [], rules: [], templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Finding lines: the message starts in the same column whatever the rule id's length.
        let findingLines = lines.filter { $0.hasPrefix("  1 ") || $0.hasPrefix("  2 ") }.prefix(2)
        XCTAssertEqual(findingLines.map { TextLayout.displayWidth(String($0.dropLast())) }, [47, 47], findingLines.joined(separator: "\n"))
        // Table rows: the counts start in the column of the header's "errors".
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("file ") })
        let column = TextLayout.displayWidth(String(header[..<header.firstRange(of: "errors")!.lowerBound]))
        let rows = lines.drop { !$0.hasPrefix("file ") }.dropFirst().prefix { !$0.isEmpty }
        for row in rows where !row.hasSuffix(".txt") {
            let counts = row.drop { $0 != " " }.drop { $0 == " " }
            XCTAssertEqual(TextLayout.displayWidth(String(row.prefix(row.count - counts.count))), column, "\(row)\n\(text)")
        }
        XCTAssertTrue(rows.contains(long), "a path longer than the column has a line of its own")
        XCTAssertEqual(TextLayout.displayWidth("湖北a"), 5)
    }

    func testTheUnusedSuppressionComesUnderTheConfigurationFile() throws {
        let d = try folder()
        try FileManager.default.copyItem(atPath: Repo.path("samples/clean-2021-government.txt"), toPath: d + "/a.txt")
        try FileManager.default.copyItem(atPath: Repo.path("samples/clean-2021-government.txt"), toPath: d + "/b.txt")
        try "suppress:\n  - rule: CELL-BLANK\n    reason: 不再需要\n".write(toFile: d + "/.ogilint.yml", atomically: true, encoding: .utf8)
        let r = try run(["check", "a.txt", "b.txt"], in: d)
        XCTAssertEqual(r.code, 0)
        let blocks = r.out.components(separatedBy: "\n\n")
        XCTAssertTrue(blocks[0].hasPrefix("a.txt (") && blocks[0].hasSuffix("no findings"), blocks[0])
        XCTAssertTrue(blocks[2].hasPrefix(".ogilint.yml\n  2     warning CONFIG-UNUSED-SUPPRESSION"), blocks[2])
        XCTAssertTrue(r.out.contains("2 reports checked: 0 errors, 1 warning"), r.out)
    }

    func testSARIFRuleHelpHasDescriptionAndFixWithoutPlaceholders() throws {
        let sarif = SARIFFormat.render(
            [],
            run: RunStart(
                files: [], rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates,
                messages: Repo.linter.ruleSet.messages))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let driver = try XCTUnwrap((((root["runs"] as? [[String: Any]])?.first?["tool"]) as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        for r in rules {
            let help = try XCTUnwrap((r["help"] as? [String: String])?["text"])
            XCTAssertNil(help.firstMatch(of: /\{[a-z_]+\}/), "\(r["id"]!): \(help)")
            XCTAssertNil(((r["fullDescription"] as? [String: String])?["text"])?.firstMatch(of: /\{[a-z_]+\}/))
        }
        let balance = try XCTUnwrap(rules.first { $0["id"] as? String == "APP-BALANCE" })
        let help = try XCTUnwrap((balance["help"] as? [String: String])?["text"])
        let rule = try XCTUnwrap(Repo.linter.ruleSet.rule("APP-BALANCE"))
        XCTAssertTrue(help.hasPrefix(rule.description ?? rule.title), help)
        XCTAssertTrue(help.contains("\n建议：核对「…」列的新收"), help)
    }

    func testTheHTMLReportOfABatchOpensWithAnIndexAndCollapsibleReports() throws {
        let files = ["samples/clean-2021-government.txt", "samples/broken/app-balance.txt"]
        let inputs = try files.map { f in
            let c = try Repo.linter.check(path: Repo.path(f))
            return CheckedInput(path: f, report: c.report, findings: c.findings)
        }
        let run = RunStart(
            files: files, rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages
        )
        let html = HTMLFormat.render(inputs, run: run)
        let index = try XCTUnwrap(html.firstRange(of: "<nav class=\"index\""))
        XCTAssertLessThan(
            index.lowerBound, try XCTUnwrap(html.firstRange(of: "<section class=\"report\"")).lowerBound, "the index comes first")
        XCTAssertTrue(
            html.contains("<td><a href=\"#r2\">samples/broken/app-balance.txt</a></td><td>2</td><td>0</td><td>0</td>"), "counts and links")
        XCTAssertTrue(html.contains("data-col=\"2\">错误</button>"), "sortable headers")
        XCTAssertEqual(html.matches(of: /<section class="report" id="r[0-9]+"><details open>/).count, 2)
        XCTAssertTrue(html.contains("<meta name=\"generator\" content=\"ogilint"))
        // A large batch starts collapsed; a single report has no index.
        let many = HTMLFormat.render(inputs, run: RunStart(files: Array(repeating: "x", count: 6), rules: [], templates: run.templates))
        XCTAssertEqual(many.matches(of: /<details>/).count, 2)
        XCTAssertFalse(HTMLFormat.render([inputs[0]], run: run).contains("<nav class=\"index\""))
    }

    /// The CI examples work as written: the package index is updated before installing, no placeholders, the
    /// release archive's name, and their `ogilint check` commands run as shown.
    func testTheCIExamplesWorkAsWritten() throws {
        for name in ["github-actions.yml", "gitlab-ci.yml"] {
            let text = try String(contentsOfFile: Repo.path("docs/ci/" + name), encoding: .utf8)
            XCTAssertNil(text.firstMatch(of: /<[a-z][a-z ]+>/), "\(name) has a placeholder")
            let lines = text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            for (i, line) in lines.enumerated() where line.contains("apt-get install") {
                XCTAssertTrue(lines[...i].contains { $0.contains("apt-get update") }, "\(name): apt-get install before apt-get update")
            }
            XCTAssertTrue(text.contains("ogilint-$OGILINT_VERSION-linux-x86_64.tar.gz"), name)
            // Join continued lines, then run each `ogilint check` command on a folder with one clean report.
            let joined = lines.joined(separator: "\n").replacingOccurrences(of: "\\\n", with: " ")
            let commands = joined.split(separator: "\n").compactMap { line -> [String]? in
                guard let r = line.range(of: "ogilint check ") else { return nil }
                return line[r.lowerBound...].split(separator: " ").dropFirst().map {
                    String($0).replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "$GITHUB_STEP_SUMMARY", with: "summary.md")
                }
            }
            XCTAssertEqual(commands.count, 1, name)
            let d = try folder()
            try FileManager.default.createDirectory(atPath: d + "/reports", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Repo.path("samples/clean-2021-government.txt"), toPath: d + "/reports/r.txt")
            for args in commands {
                let r = try run(args, in: d)
                XCTAssertEqual(r.code, 0, "\(name): \(args) \(r.err)")
                for case let out? in args.map({ $0.split(separator: "=", maxSplits: 1).dropFirst().first }) {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: d + "/" + out), "\(name) writes \(out)")
                }
            }
        }
    }
}
