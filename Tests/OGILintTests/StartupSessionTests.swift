import Foundation
import OGITestSupport
import XCTest

@testable import OGILint

/// Start-up shortcuts of the session: the executable's folder found with `realpath`, and configuration
/// groups found without a dictionary keyed by optional paths.
final class StartupSessionTests: XCTestCase {
    func testExecutableFolderEqualsFoundationsResolution() throws {
        let dir = try temporaryFolder("ogilint-exe")
        let real = (dir as NSString).appendingPathComponent("real")
        let linked = (dir as NSString).appendingPathComponent("linked")
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        let exe = (real as NSString).appendingPathComponent("ogilint")
        XCTAssertTrue(FileManager.default.createFile(atPath: exe, contents: Data()))
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: real)
        try FileManager.default.createSymbolicLink(
            atPath: (dir as NSString).appendingPathComponent("ogilint-link"), withDestinationPath: "real/ogilint")
        let paths = [
            exe, (linked as NSString).appendingPathComponent("ogilint"), (dir as NSString).appendingPathComponent("ogilint-link"),
            (dir as NSString).appendingPathComponent("real/../real/./ogilint"), BundledRules.runningExecutable,
            CommandLine.arguments[0], "/usr/bin/env", "/no/such/ogilint", "relative/ogilint",
        ]
        for p in paths {
            let foundation = URL(fileURLWithPath: p).resolvingSymlinksInPath().deletingLastPathComponent().path
            XCTAssertEqual(BundledRules.folder(ofExecutable: p), foundation, p)
        }
        XCTAssertEqual(
            BundledRules.folder(ofExecutable: (linked as NSString).appendingPathComponent("ogilint")),
            URL(fileURLWithPath: real).resolvingSymlinksInPath().path)
    }

    /// Inputs in folders with and without a configuration: grouped by configuration file, in order of first use.
    func testInputsAreGroupedByConfigurationInOrderOfFirstUse() throws {
        let dir = try temporaryFolder("ogilint-groups")
        let report = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        var files: [String] = []
        for sub in ["a", "plain", "b", "a/inner"] {
            let folder = (dir as NSString).appendingPathComponent(sub)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if sub == "a" || sub == "b" {
                try "fail_on: warning\n".write(
                    toFile: (folder as NSString).appendingPathComponent(".ogilint.yml"), atomically: true, encoding: .utf8)
            }
            for n in 1...2 {
                let f = (folder as NSString).appendingPathComponent("\(n).txt")
                try report.write(toFile: f, atomically: true, encoding: .utf8)
                files.append(f)
            }
        }
        let plan = try LintSession(options: LintSession.Options(rulesRoot: Repo.rules)).plan(files)
        // a, a, plain, plain, b, b, a/inner (a's configuration), a/inner.
        XCTAssertEqual(plan.groupOf, [0, 0, 1, 1, 2, 2, 0, 0])
        XCTAssertEqual(plan.groups.count, 3)
        XCTAssertTrue(plan.groups[0].configuration?.file?.hasSuffix("/a/.ogilint.yml") ?? false)
        XCTAssertNil(plan.groups[1].configuration)
        XCTAssertTrue(plan.groups[2].configuration?.file?.hasSuffix("/b/.ogilint.yml") ?? false)
        var none = LintSession.Options(rulesRoot: Repo.rules)
        none.useConfiguration = false
        XCTAssertEqual(try LintSession(options: none).plan(files).groupOf, [Int](repeating: 0, count: 8))
    }
}
