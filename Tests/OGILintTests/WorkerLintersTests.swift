import Foundation
import OGIModel
import OGIOutput
import OGIRules
import OGITestSupport
import XCTest

@testable import OGILint

/// A batch gives each worker thread besides the calling one a replica of its linters (`WorkerLinters`): built
/// from the bytes the rules were loaded from, sharing no object with the original, and checking every input as
/// the original does.
final class WorkerLintersTests: XCTestCase {
    /// Every sample and rendering in the repository that a linter reads.
    func inputs() throws -> [String] {
        var paths: [String] = []
        for folder in ["samples", "samples/broken", "samples/renderings", "samples/previous"] {
            let dir = Repo.path(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where [".txt", ".docx", ".html", ".json"].contains(where: name.hasSuffix) {
                paths.append((dir as NSString).appendingPathComponent(name))
            }
        }
        XCTAssertGreaterThan(paths.count, 20)
        return paths
    }

    /// What a linter makes of an input: its findings, or its error's text.
    struct Outcome: Equatable {
        var findings: [Finding] = []
        var error: String?
    }

    func outcome(_ linter: Linter, _ path: String) -> Outcome {
        do { return Outcome(findings: try linter.check(path: path).findings) } catch { return Outcome(error: "\(error)") }
    }

    /// `every`: checks every `every`-th input (the other variants of a test need not read all of them again).
    func assertReplicaChecksAsOriginal(_ original: Linter, _ label: String, every: Int = 1) throws {
        let replica = try XCTUnwrap(try original.replica(), label)
        XCTAssertFalse(replica === original)
        XCTAssertFalse(replica.context === original.context, "\(label): the reading context is shared")
        let mine = try XCTUnwrap(replica.ruleSet.source), theirs = try XCTUnwrap(original.ruleSet.source)
        XCTAssertEqual(mine.entry, theirs.entry)
        mine.entry.withUnsafeBufferPointer { a in
            theirs.entry.withUnsafeBufferPointer { b in XCTAssertNotEqual(a.baseAddress, b.baseAddress, "\(label): the bytes are shared") }
        }
        XCTAssertEqual(replica.ruleSet.rules.map(\.id), original.ruleSet.rules.map(\.id), label)
        XCTAssertEqual(replica.ruleSet.rules.map(\.severity), original.ruleSet.rules.map(\.severity), label)
        var findings = 0
        for (i, path) in try inputs().enumerated() where i % every == 0 {
            let expected = outcome(original, path)
            findings += expected.findings.isEmpty ? 0 : 1
            XCTAssertEqual(outcome(replica, path), expected, "\(label): \(path)")
        }
        XCTAssertGreaterThan(findings, 10 / every, "the inputs give findings to compare")
    }

    func testAReplicaChecksEveryInputAsTheOriginal() throws {
        // Without a cache (the rules parsed and validated), then with one: its first load writes the entry, the
        // second is a hit built from it.
        try assertReplicaChecksAsOriginal(try Linter(ruleDirectories: [Repo.rules], rulesCache: nil, replicable: true), "no cache")
        // Without a cache and not asked to be replicable, nothing is kept to make one from.
        XCTAssertNil(try Linter(ruleDirectories: [Repo.rules], rulesCache: nil).replica())
        let cacheDir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-replica-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: cacheDir) }
        let cache = ParsedRulesCache(directory: cacheDir)
        try assertReplicaChecksAsOriginal(try Linter(ruleDirectories: [Repo.rules], rulesCache: cache), "cache written", every: 5)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: cacheDir).isEmpty)
        try assertReplicaChecksAsOriginal(try Linter(ruleDirectories: [Repo.rules], rulesCache: cache), "cache hit", every: 3)
    }

    func testAReplicaOfAConfiguredLinterKeepsTheConfiguration() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-conf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        let file = (dir as NSString).appendingPathComponent(".ogilint.yml")
        try "disable:\n  - APP-ROW-TOTAL\nseverity:\n  APP-BALANCE: warning\n".write(toFile: file, atomically: true, encoding: .utf8)
        let conf = try LintConfiguration.load(file)
        let original = try Linter(ruleDirectories: [Repo.rules], configuration: conf, rulesCache: nil, replicable: true)
        XCTAssertNil(original.ruleSet.rule("APP-ROW-TOTAL"))
        XCTAssertEqual(original.ruleSet.rule("APP-BALANCE")?.severity, .warning)
        try assertReplicaChecksAsOriginal(original, "configured", every: 4)
    }

    /// A replica is built from the bytes loaded, not from the rule files: changed or gone, they make no difference.
    func testAReplicaIsBuiltFromTheBytesLoadedNotFromTheFiles() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-rules-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Repo.rules, toPath: copy)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: copy) }
        let original = try Linter(ruleDirectories: [copy], rulesCache: nil, replicable: true)
        try FileManager.default.removeItem(atPath: copy)
        let replica = try XCTUnwrap(try original.replica())
        XCTAssertEqual(replica.ruleSet.rules.map(\.id), original.ruleSet.rules.map(\.id))
        let sample = Repo.path("samples/broken/app-balance.txt")
        XCTAssertEqual(outcome(replica, sample), outcome(original, sample))
        XCTAssertFalse(outcome(replica, sample).findings.isEmpty)
    }

    func testReplicasOnlyForWorkersOfALargeEnoughBatch() throws {
        let original = try Linter(ruleDirectories: [Repo.rules], rulesCache: nil, replicable: true)
        let perThread = WorkerLinters.minimumItemsPerThread
        let small = WorkerLinters(originals: [original], count: 2 * perThread - 1, workers: 2)
        XCTAssertTrue(small.linter(group: 0, worker: 1) === original)
        let large = WorkerLinters(originals: [original], count: 2 * perThread, workers: 2)
        XCTAssertTrue(large.linter(group: 0, worker: 0) === original, "the calling thread keeps the original")
        let replica = large.linter(group: 0, worker: 1)
        XCTAssertFalse(replica === original)
        XCTAssertTrue(large.linter(group: 0, worker: 1) === replica, "made once")
        XCTAssertEqual(large.replicasMade, 1)
        let one = WorkerLinters(originals: [original], count: 1_000, workers: 1)
        XCTAssertTrue(one.linter(group: 0, worker: 0) === original)
        XCTAssertEqual(one.replicasMade, 0)
    }

    /// A batch large enough for replicas gives the output of one thread, in every format.
    func testABatchWithReplicasGivesTheOutputOfOneThread() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-replicas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let sources = try inputs()
        let count = 2 * WorkerLinters.minimumItemsPerThread + 5
        for i in 0..<count {
            let src = sources[i % sources.count]
            let name = String(format: "r%03d.", i) + (src as NSString).pathExtension
            try FileManager.default.copyItem(atPath: src, toPath: dir.appendingPathComponent(name).path)
        }
        for format in OutputFormats.all {
            let one = try batchOutput(dir, workers: 1, format: format)
            let two = try batchOutput(dir, workers: 2, format: format)
            XCTAssertEqual(one.replicas, 0)
            XCTAssertEqual(two.replicas, 1, "the second thread checked with a replica")
            XCTAssertEqual(two.text, one.text, format.name)
        }
    }
}
