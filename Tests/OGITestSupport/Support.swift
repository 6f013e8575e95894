import Foundation
import XCTest
import OGILint
import OGIModel
import OGIOutput
import OGIRules

/// Paths and shared fixtures for the tests.
public enum Repo {
    /// The package root, found from this file's location.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    public static let rules = path("rules")

    /// ../shared beside the repository, when present (it is in the project workspace, not in a user's clone).
    public static let shared: String? = {
        let candidates = [ProcessInfo.processInfo.environment["OGILINT_SHARED"], path("../shared")].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("corpus")) }
    }()

    /// One linter for the whole test run: loading the packs once keeps the suite fast.
    public static let linter: Linter = try! Linter(ruleDirectories: [rules])

    public static func findings(_ relative: String) throws -> [Finding] {
        try linter.check(path: path(relative)).findings
    }
}

extension Array where Element == Finding {
    public func rules(category: OGIModel.Category? = nil) -> [String] {
        filter { category == nil || $0.category == category }.map(\.rule)
    }
    public var errors: [Finding] { filter { $0.severity == .error } }
}

/// Writes `actual` to the golden file when OGILINT_UPDATE_GOLDEN=1, else compares with it.
/// `directory` is the test target's folder under Tests/ that holds a `Golden/` folder.
public func assertGolden(_ actual: String, _ name: String, directory: String = "OGIOutputTests", file: StaticString = #filePath, line: UInt = #line) throws {
    let path = Repo.path("Tests/\(directory)/Golden/\(name)")
    if ProcessInfo.processInfo.environment["OGILINT_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    if expected != actual {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        XCTFail("\(name) differs from the golden file at line \(i + 1):\n  expected: \(i < e.count ? String(e[i]) : "<end>")\n  actual:   \(i < a.count ? String(a[i]) : "<end>")\n(run with OGILINT_UPDATE_GOLDEN=1 to accept)", file: file, line: line)
    }
}
