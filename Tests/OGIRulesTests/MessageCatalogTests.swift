import Foundation
import OGILint
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// Every sentence the engine words comes from rules/messages.yml; the catalog is checked when it loads.
final class MessageCatalogTests: XCTestCase {
    func testTheBundledCatalogDefinesEveryKeyTheToolUses() throws {
        let messages = Repo.linter.ruleSet.messages
        XCTAssertEqual(Set(messages.entries.keys), Set(MessageKeys.all.keys))
        XCTAssertEqual(messages.text("agency_kind.government"), "人民政府")
        XCTAssertEqual(messages.text("engine.not_evaluated.table_missing", ["table": "表三"]), "未找到表「表三」")
        XCTAssertTrue(messages.entries["value.none"]!.file.hasSuffix("rules/messages.yml"))
    }

    func testUnknownKeysAndPlaceholdersAreRejectedWithTheirPosition() {
        PackFixture.assertRejected(
            try PackFixture.load([("prov/messages.yml", "messages:\n  engine.unevaluated.fx: 核对\n")]),
            "unknown message key 'engine.unevaluated.fx' (did you mean 'engine.unevaluated.fix'?)", file: "prov/messages.yml", line: 2)
        PackFixture.assertRejected(
            try PackFixture.load([("prov/messages.yml", "messages:\n  engine.not_evaluated.table_missing: \"没有{tabel}\"\n")]),
            "unknown placeholder {tabel} in message 'engine.not_evaluated.table_missing'", file: "prov/messages.yml", line: 2)
        PackFixture.assertRejected(
            try PackFixture.load([("prov/messages.yml", "messages:\n  value.yes: \"{open\"\n")]),
            "unclosed '{'", file: "prov/messages.yml", line: 2)
    }

    func testAMissingKeyIsRejected() throws {
        let full = try String(contentsOfFile: Repo.path("rules/messages.yml"), encoding: .utf8)
        let cut = full.split(separator: "\n").filter { !$0.contains("engine.sum.rest_zero") }.joined(separator: "\n")
        PackFixture.assertRejected(
            try PackFixture.load([("messages.yml", cut)], withMessages: false), "lacks engine.sum.rest_zero", file: "messages.yml", line: 4)
        XCTAssertThrowsError(try PackFixture.load([], withMessages: false)) { e in
            XCTAssertTrue("\(e)".contains("no message catalog found"), "\(e)")
        }
    }

    /// A province rewords an engine message without Swift: a later folder's messages.yml overrides keys.
    func testAProvinceOverridesAMessage() throws {
        let national = try String(contentsOfFile: Repo.path("rules/national/arithmetic.yml"), encoding: .utf8)
        let set = try PackFixture.load([
            ("national/arithmetic.yml", national),
            ("prov/messages.yml", "messages:\n  engine.unevaluated.fix: 请按本省填报说明补齐表格\n  value.none: 未填写\n"),
        ])
        XCTAssertEqual(set.messages.text("engine.unevaluated.fix"), "请按本省填报说明补齐表格")
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.year = 2023
        report.metadata.template = "2021"
        let f = Engine(ruleSet: set).check(report, only: ["APP-BALANCE"])
        XCTAssertEqual(f.map(\.fix), ["请按本省填报说明补齐表格"])
        XCTAssertTrue(f.first?.message.hasPrefix("无法完成检查「表三勾稽关系") == true, "\(f)")

    }

    /// "Not evaluated" reasons are keys and values, worded only when the finding is made.
    func testReasonsAreWordedByTheCatalogWhenTheFindingIsMade() throws {
        let set = try PackFixture.load([
            ("prov/messages.yml", "messages:\n  engine.not_evaluated.table_missing: \"缺表：{table}\"\n  separator.reasons: \" / \"\n"),
            ("extra.yml", PackFixture.oneRule("    assert: applications.new.total > 0 and reviews.cases.review.total >= 0\n")),
        ])
        var report = Report(path: "x", sourceFormat: "yaml")
        report.metadata.template = "2021"
        let f = Engine(ruleSet: set).check(report, only: ["T-ONE"])
        XCTAssertEqual(f.map(\.message), ["无法完成检查「t」：缺表：收到和处理政府信息公开申请情况"])
    }

    /// The unused-suppression warning of the session comes from the catalog too.
    func testTheUnusedSuppressionWarningIsFromTheCatalog() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-msg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "suppress:\n  - rule: CELL-BLANK\n    reason: 测试\n".write(
            to: dir.appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: Repo.path("samples/clean-2021-government.txt"), toPath: dir.appendingPathComponent("r.txt").path)
        var options = LintSession.Options(rulesRoot: Repo.rules)
        options.useConfiguration = true
        let result = try LintSession(options: options).run([dir.appendingPathComponent("r.txt").path])
        let w = result.inputs.flatMap(\.findings).filter { $0.rule == "CONFIG-UNUSED-SUPPRESSION" }
        XCTAssertEqual(w.map(\.fix), [Repo.linter.ruleSet.messages.text("session.unused_suppression.fix")])
        XCTAssertTrue(w.first?.message.hasSuffix("第 2 行对 CELL-BLANK 的抑制没有匹配任何发现（理由：测试）") == true, "\(w)")
    }
}
