import Foundation
import OGIModel
import OGIRules
import OGITestSupport
import XCTest

/// Bundled templates, profile and message catalog plus extra YAML texts, loaded as one rule set.
enum PackFixture {
    static let bundledFiles = ["templates/common.yml", "templates/2019.yml", "templates/2021.yml", "messages.yml"]

    static func load(_ extra: [(String, String)], withMessages: Bool = true) throws -> RuleSet {
        var texts: [(String, String)] = []
        for f in bundledFiles where withMessages || f != "messages.yml" {
            texts.append((f, try String(contentsOfFile: Repo.path("rules/" + f), encoding: .utf8)))
        }
        return try RulePackLoader.load(texts: texts + extra)
    }

    static func rules(_ yaml: String) throws -> RuleSet { try load([("extra.yml", yaml)]) }

    /// A rule pack with one rule; `body` holds its keys after id, title, severity and category.
    static func oneRule(_ body: String, id: String = "T-ONE") -> String {
        "rules:\n  - id: \(id)\n    title: t\n    severity: error\n    category: consistency\n" + body
    }

    /// Asserts that loading fails at `file:line:` with `expected` in the message.
    static func assertRejected(
        _ load: @autoclosure () throws -> RuleSet, _ expected: String, file name: String = "extra.yml", line: Int,
        file: StaticString = #filePath, _ l: UInt = #line
    ) {
        XCTAssertThrowsError(try load(), file: file, line: l) { e in
            let s = "\(e)"
            XCTAssertTrue(s.hasPrefix("\(name):\(line):"), "expected \(name):\(line): in “\(s)”", file: file, line: l)
            XCTAssertTrue(s.contains(expected), "expected “\(expected)” in “\(s)”", file: file, line: l)
        }
    }

    /// The clean 2021 and 2019 samples as read by the bundled linter.
    static func clean2021() throws -> Report { try Repo.linter.read(path: Repo.path("samples/clean-2021-government.txt")) }
    static func clean2019() throws -> Report { try Repo.linter.read(path: Repo.path("samples/clean-2019-department.txt")) }
}
