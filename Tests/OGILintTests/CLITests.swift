import Foundation
import OGIRules
import OGITestSupport
import XCTest

/// The command-line front end: exit codes and streams. Everything else is tested through the libraries.
final class CLITests: XCTestCase {
    func run(_ args: [String], env: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        let r = try CLI.run(args, env: env)
        return (r.code, r.out, r.err)
    }

    func testExitCodes() throws {
        XCTAssertEqual(try run(["check", "samples/clean-2021-government.txt"]).code, 0)
        XCTAssertEqual(try run(["check", "samples/broken/app-balance.txt"]).code, 1)
        // A warning fails the gate only when asked to.
        XCTAssertEqual(try run(["check", "samples/broken/cell-sign-text.txt"]).code, 0)
        XCTAssertEqual(try run(["check", "--fail-on", "warning", "samples/broken/cell-sign-text.txt"]).code, 1)
        XCTAssertEqual(try run(["check", "--fail-on", "never", "samples/broken/app-balance.txt"]).code, 0)
        let missing = try run(["check", "samples/nope.txt"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.contains("samples/nope.txt"), missing.err)
        XCTAssertEqual(try run(["check", "--format", "xml", "samples/clean-2021-government.txt"]).code, 2)
        XCTAssertEqual(try run(["check"]).code, 2)
        XCTAssertEqual(try run(["--help"]).code, 0)
    }

    /// Paths on which Foundation's path functions trap: a file named with one character in the working folder,
    /// and a doubled slash before a last non-ASCII character. Each run ends with an exit code, not a signal.
    func testOneCharacterAndDoubledSlashPathsEndWithAnExitCode() throws {
        let dir = try temporaryFolder("ogilint-paths")
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: true)
        let report = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        for name in ["b", "报", "d/r.txt"] { try report.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let cases: [([String], Int32)] = [
            (["check", "b"], 0), (["check", "报"], 0), (["check", "d//r.txt"], 0),
            (["check", "d//é"], 2), (["check", "d//.\u{301}"], 2), (["check", "x"], 2),
            (["check", "--baseline", "b", "d/r.txt"], 2), (["check", "--format", "json=o", "d/r.txt"], 0),
        ]
        for (args, code) in cases {
            let r = try CLI.run(args, in: dir)
            XCTAssertFalse(r.signalled, "\(args) ended by signal \(r.code): \(r.err)")
            XCTAssertEqual(r.code, code, "\(args): \(r.err)")
        }
    }

    func testBadRulePackExitsTwoWithPosition() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "rules:\n  - id: PROV-X\n    severity: eror\n    category: cell\n    assert: 'true'\n".write(
            to: dir.appendingPathComponent("p.yml"), atomically: true, encoding: .utf8)
        let r = try run(["check", "--rules", dir.path, "samples/clean-2021-government.txt"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("p.yml:3:15"), r.err)
        XCTAssertTrue(r.err.contains("did you mean 'error'"), r.err)
    }

    func testJSONAndModelAndRules() throws {
        let j = try run(["check", "--format", "json", "samples/broken/app-balance.txt"])
        XCTAssertEqual(j.code, 1)
        let root = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        XCTAssertEqual((root?["summary"] as? [String: Int])?["errors"], 2)
        let m = try run(["model", "samples/clean-2019-department.txt"])
        XCTAssertEqual(m.code, 0)
        XCTAssertTrue(m.out.hasPrefix("ogilint_model: 1"), m.out)
        let list = try run(["rules"])
        XCTAssertTrue(list.out.contains("APP-BALANCE"))
        let one = try run(["rules", "DEADLINE-DEPARTMENT"])
        XCTAssertTrue(one.out.contains("条例第四十九条"), one.out)
        XCTAssertEqual(try run(["rules", "NO-SUCH-RULE"]).code, 2)
        XCTAssertEqual(try run(["check", "--agency-kind", "government", "samples/broken/late-department.txt"]).code, 0)
    }

    func testSeveralFormatsQuietConfigAndInit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sarif = dir.appendingPathComponent("out.sarif").path, junit = dir.appendingPathComponent("out.xml").path
        let r = try run([
            "check", "--format", "text", "--format", "sarif=\(sarif)", "--format", "junit=\(junit)", "samples/broken/app-balance.txt",
        ])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.out.contains("APP-BALANCE"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: sarif) && FileManager.default.fileExists(atPath: junit))
        XCTAssertEqual(
            try run(["check", "--format", "text", "--format", "json", "samples/clean-2021-government.txt"]).code, 2,
            "two formats on standard output")
        let quiet = try run(["check", "--quiet", "samples/broken/app-balance.txt"])
        XCTAssertEqual(quiet.code, 1)
        XCTAssertEqual(quiet.out, "")
        // fail_on from the configuration, found upward from the report; --fail-on overrides it.
        try FileManager.default.copyItem(
            atPath: Repo.path("samples/broken/cell-sign-text.txt"), toPath: dir.appendingPathComponent("r.txt").path)
        try "fail_on: warning\n".write(to: dir.appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["check", dir.appendingPathComponent("r.txt").path]).code, 1)
        XCTAssertEqual(try run(["check", "--fail-on", "error", dir.appendingPathComponent("r.txt").path]).code, 0)
        XCTAssertEqual(try run(["check", "--no-config", dir.appendingPathComponent("r.txt").path]).code, 0)
        try "fail_on: sometimes\n".write(to: dir.appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
        let bad = try run(["check", dir.appendingPathComponent("r.txt").path])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains(".ogilint.yml:1:10"), bad.err)
        // init writes a starter file that loads as it is, and does not overwrite.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["init"]
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".ogilint.yml"))
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertNoThrow(try OGIRules.LintConfiguration.load(dir.appendingPathComponent(".ogilint.yml").path))
        let again = Process()
        again.executableURL = URL(fileURLWithPath: CLI.binary)
        again.arguments = ["init"]
        again.currentDirectoryURL = dir
        again.standardError = FileHandle.nullDevice
        try again.run(); again.waitUntilExit()
        XCTAssertEqual(again.terminationStatus, 2)
        let tr = try run(["test-rules"])
        XCTAssertEqual(tr.code, 0)
        XCTAssertTrue(tr.out.hasSuffix("189 passed, 0 failed (65 rules, 189 examples)\n"), tr.out)
    }
}
