import Foundation
import XCTest

@testable import OGIRules

/// `LintConfiguration.standardized` (a canonical absolute path kept as it is, anything else standardized by
/// Foundation) gives what Foundation's `standardizingPath` gives, for canonical paths, symbolic links (to folders,
/// relative and absolute, chained, dangling), `.`, `..`, doubled and trailing slashes, missing folders and relative
/// paths; and the configuration a search finds is the one the search through Foundation finds.
final class ConfigurationFindTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        // The temporary folder by its canonical path, so that the tree below has symbolic links only where made.
        let base = NSTemporaryDirectory() + "ogilint-config-find-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/a/b/c/d", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base + "/other/x", withIntermediateDirectories: true)
        guard let resolved = realpath(base, nil) else { throw XCTSkip("realpath failed for \(base)") }
        root = String(cString: resolved)
        free(resolved)
        try fm.createSymbolicLink(atPath: root + "/a/link-abs", withDestinationPath: root + "/other/x")
        try fm.createSymbolicLink(atPath: root + "/a/link-rel", withDestinationPath: "../other")
        try fm.createSymbolicLink(atPath: root + "/a/b/chain", withDestinationPath: "../link-rel")
        try fm.createSymbolicLink(atPath: root + "/a/dangling", withDestinationPath: root + "/missing")
        try Data("rules: []\n".utf8).write(to: URL(fileURLWithPath: root + "/other/.ogilint.yml"))
        try Data("rules: []\n".utf8).write(to: URL(fileURLWithPath: root + "/a/.ogilint.yml"))
    }

    override func tearDownWithError() throws {
        if !root.isEmpty { try? FileManager.default.removeItem(atPath: root) }
    }

    var paths: [String] {
        let r = root
        return [
            r, r + "/a", r + "/a/b/c/d", r + "/a/b/c/d/", r + "/a//b", r + "/a/./b", r + "/a/b/..", r + "/a/b/../../other",
            r + "/a/link-abs", r + "/a/link-abs/", r + "/a/link-rel", r + "/a/link-rel/x", r + "/a/b/chain", r + "/a/b/chain/x",
            r + "/a/link-abs/..", r + "/a/dangling", r + "/a/missing", r + "/a/missing/deeper", r + "/a/b/c/d/../../../..",
            "/", "//", "/.", "/..", "/tmp", "/nonexistent-folder-of-ogilint", ".", "..", "a/b", "", "~", "~/x",
            "/usr/lib/../bin", "/private", "/private/tmp", "/privatefoo", "/var/automount", "/var/automount/x",
        ]
    }

    func testStandardizedEqualsFoundation() {
        for p in paths {
            XCTAssertEqual(LintConfiguration.standardized(p), (p as NSString).standardizingPath, p)
        }
    }

    /// The search from each folder finds what the search starting from Foundation's standardized path finds.
    func testFindEqualsTheSearchThroughFoundation() {
        func reference(_ directory: String) -> String? {
            var dir = (directory as NSString).standardizingPath
            if !dir.hasPrefix("/") { dir = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(dir) }
            while true {
                let candidate = (dir as NSString).appendingPathComponent(LintConfiguration.fileName)
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { return nil }
                dir = parent
            }
        }
        var found = 0
        for p in paths where p.hasPrefix(root) {
            let f = LintConfiguration.find(from: p)
            XCTAssertEqual(f, reference(p), p)
            if f != nil { found += 1 }
        }
        XCTAssertGreaterThan(found, 10)
        // Through a link, the search walks the link's target's folders: the configuration beside the target
        // (swift-corelibs-foundation resolves links when standardizing; Apple's Foundation does not, and there the
        // reference above changes alike).
        XCTAssertEqual(LintConfiguration.find(from: root + "/a/link-abs"), root + "/other/.ogilint.yml")
        XCTAssertEqual(LintConfiguration.find(from: root + "/a/b/c/d"), root + "/a/.ogilint.yml")
    }
}
