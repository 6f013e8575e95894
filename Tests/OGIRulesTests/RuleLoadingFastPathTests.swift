import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The load-time shortcuts of a single run, each against the code it replaces.
final class RuleLoadingFastPathTests: XCTestCase {
    static let folderSets: [[String]] = [[Repo.rules], [Repo.rules, Repo.path("samples/province-example")]]

    /// `RuleReferences.satisfied` as it was written before it read the tables in place (through `TableSpec.resolve`).
    static func referenceSatisfied(_ refs: RuleReferences, by t: Template) -> Bool {
        for p in refs.tables
        where !t.tables.contains(where: {
            KeyPattern.matches($0.key, pattern: p) || ($0.group.map { KeyPattern.matches($0, pattern: p) } ?? false)
        }) {
            return false
        }
        for (table, cell) in refs.cells {
            guard let spec = t.table(table), spec.resolve(cell) != nil else { return false }
        }
        for (table, row) in refs.rows where t.table(table)?.row(row) == nil { return false }
        for (table, column) in refs.columns where t.table(table)?.column(column) == nil { return false }
        return true
    }

    func testEveryRuleAppliesToTheSameTemplates() throws {
        for folders in Self.folderSets {
            let set = try RulePackLoader.load(directories: folders)
            var compared = 0
            for rule in set.rules {
                for t in set.templates.templates {
                    let refs = rule.kind.references
                    XCTAssertEqual(refs.satisfied(by: t), Self.referenceSatisfied(refs, by: t), "\(rule.id) on \(t.id)")
                    compared += 1
                }
            }
            XCTAssertGreaterThan(compared, 100)
        }
    }

    /// Every cell of every table, and keys that are near misses: prefixes, wrong separators, other tables' keys,
    /// non-ASCII look-alikes (U+212A KELVIN SIGN is canonically "K") and combining marks after the dot.
    func testHasCellIsResolve() throws {
        let set = try RulePackLoader.load(directories: [Repo.rules])
        var keys: [String] = ["", ".", "..", "a.b", "\r\n.x", "K.K", "\u{212A}.\u{212A}"]
        for t in set.templates.templates {
            for spec in t.tables {
                for r in spec.rows {
                    for c in spec.columns {
                        let k = r.key + "." + c.key
                        keys += [k, k + "x", String(k.dropLast()), r.key + "." + c.key.uppercased(), r.key + ".\u{301}" + c.key]
                        keys.append(r.key + "_" + c.key)
                    }
                    keys += [r.key, r.key + "."]
                }
            }
        }
        var specs: [TableSpec] = set.templates.templates.flatMap(\.tables)
        // A table whose keys are not plain ASCII takes the `resolve` path and still answers alike.
        specs.append(
            TableSpec(
                key: "t", title: "t", part: "p", group: nil, anchors: [],
                columns: [ColumnSpec(key: "\u{212A}", label: "k", variants: [], kind: .count, unit: nil)],
                rows: [RowSpec(key: "r", label: "r", variants: [], nonstandard: [], unlabeled: false)], reference: nil))
        keys += ["r.K", "r.\u{212A}"]
        var agreed = 0
        for spec in specs {
            for k in keys {
                XCTAssertEqual(RuleReferences.hasCell(spec, k), spec.resolve(k) != nil, "\(spec.key): '\(k)'")
                agreed += 1
            }
        }
        XCTAssertGreaterThan(agreed, 10_000)
        XCTAssertTrue(RuleReferences.hasCell(specs.last!, "r.K"), "canonical equivalence is kept")
    }
}

/// Listing and reading rule folders with direct system calls gives what FileManager gave.
final class RuleFolderListingTests: XCTestCase {
    /// `RulePackLoader.ruleFiles` as it was written with FileManager.
    static func referenceRuleFiles(in dir: String) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir) else { throw RulePackError.unreadable(path: dir, reason: "no such folder") }
        if !isDir.boolValue { return [dir] }
        var found: [String] = []
        var queue: [String] = [""]
        while let rel = queue.popLast() {
            let full = rel.isEmpty ? dir : (dir as NSString).appendingPathComponent(rel)
            guard let names = try? fm.contentsOfDirectory(atPath: full) else {
                if rel.isEmpty { throw RulePackError.unreadable(path: dir, reason: "cannot list the folder") }
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let r = rel.isEmpty ? name : (rel as NSString).appendingPathComponent(name)
                let path = (dir as NSString).appendingPathComponent(r)
                var sub: ObjCBool = false
                if (try? fm.destinationOfSymbolicLink(atPath: path)) != nil { continue }
                guard fm.fileExists(atPath: path, isDirectory: &sub) else { continue }
                if sub.boolValue {
                    queue.append(r)
                } else if name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
                    found.append(path)
                }
            }
        }
        if found.isEmpty { throw RulePackError.unreadable(path: dir, reason: "no rule files (.yml or .yaml) in the folder") }
        return found.sorted()
    }

    func outcome(_ f: () throws -> [String]) -> String {
        do { return try f().joined(separator: "\n") } catch { return "error: \(error)" }
    }

    func testListingIsAsBefore() throws {
        let root = try temporaryFolder("ogilint-listing")
        let fm = FileManager.default
        let tree = root + "/pack"
        for d in ["a", "a/b", "a/b/c", ".hidden", "empty", "x.yml"] {
            try fm.createDirectory(atPath: tree + "/" + d, withIntermediateDirectories: true)
        }
        for f in [
            "one.yml", "two.yaml", "three.YML", "notes.txt", ".dot.yml", "a/four.yml", "a/b/five.yaml", "a/b/c/六.yml", ".hidden/no.yml",
            "x.yml/in.yml",
        ] {
            try "rules: []\n".write(toFile: tree + "/" + f, atomically: false, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: tree + "/link.yml", withDestinationPath: tree + "/one.yml")
        try fm.createSymbolicLink(atPath: tree + "/linkdir", withDestinationPath: tree + "/a")
        try fm.createSymbolicLink(atPath: tree + "/broken.yml", withDestinationPath: tree + "/nowhere.yml")
        XCTAssertEqual(mkfifo(tree + "/pipe.yml", 0o600), 0)
        try fm.createSymbolicLink(atPath: root + "/packlink", withDestinationPath: tree)
        try fm.createDirectory(atPath: root + "/none", withIntermediateDirectories: true)
        let cases = [
            Repo.rules, Repo.path("samples/province-example"), tree, tree + "/", tree + "//a", root + "/packlink", root + "/none",
            root + "/missing", tree + "/one.yml", tree + "/link.yml", tree + "/broken.yml", tree + "/x.yml",
        ]
        for dir in cases {
            XCTAssertEqual(
                outcome { try RulePackLoader.ruleFiles(in: dir) }, outcome { try Self.referenceRuleFiles(in: dir) }, dir)
        }
        XCTAssertTrue(outcome { try RulePackLoader.ruleFiles(in: tree) }.contains("六.yml"))
        XCTAssertTrue(outcome { try RulePackLoader.ruleFiles(in: tree) }.contains("pipe.yml"), "a FIFO is listed as before")
    }

    func testReadingIsAsBefore() throws {
        let root = try temporaryFolder("ogilint-listing")
        try "".write(toFile: root + "/empty.yml", atomically: false, encoding: .utf8)
        var paths = try RulePackLoader.ruleFiles(in: Repo.rules) + [root + "/empty.yml", root + "/missing.yml"]
        paths.append(Repo.path("samples/clean-2021-government.txt"))
        for p in paths {
            XCTAssertEqual(RuleFolderListing.contents(of: p), FileManager.default.contents(atPath: p), p)
        }
        XCTAssertNil(RuleFolderListing.contents(of: root), "a folder is not read")
        XCTAssertEqual(mkfifo(root + "/pipe.yml", 0o600), 0)
        XCTAssertNil(RuleFolderListing.contents(of: root + "/pipe.yml"), "a FIFO is not waited on")
    }
}
