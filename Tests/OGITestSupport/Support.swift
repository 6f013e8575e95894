import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIRules
import XCTest

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
public func assertGolden(
    _ actual: String, _ name: String, directory: String = "OGIOutputTests", file: StaticString = #filePath, line: UInt = #line
) throws {
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
        XCTFail(
            "\(name) differs from the golden file at line \(i + 1):\n  expected: \(i < e.count ? String(e[i]) : "<end>")\n  actual:   \(i < a.count ? String(a[i]) : "<end>")\n(run with OGILINT_UPDATE_GOLDEN=1 to accept)",
            file: file, line: line)
    }
}

/// The built `ogilint` binary, run as a user would: arguments, working folder, environment, and what it printed.
public enum CLI {
    /// What one run printed and how it ended.
    public struct Result {
        public var code: Int32
        public var outData: Data
        public var err: String
        /// True when a signal ended the process (`code` is then the signal's number).
        public var signalled = false
        public var out: String { String(decoding: outData, as: UTF8.self) }
    }

    /// The binary `swift test` built beside the test bundle, else the debug build of the checkout.
    public static var binary: String {
        let beside = (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path as NSString)
            .appendingPathComponent("ogilint")
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Repo.path(".build/debug/ogilint")
    }

    /// Runs `ogilint ARGS` in `dir` (the checkout by default) with the checkout's rules, plus `env`; `shellFirst`
    /// is a shell command run before it in the same process (`ulimit -f 2000`).
    public static func run(
        _ args: [String], in dir: String = Repo.root, env: [String: String] = [:], shellFirst: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            XCTFail("ogilint binary not found at \(binary); `swift test` builds it", file: file, line: line)
            return Result(code: -1, outData: Data(), err: "")
        }
        let p = Process()
        if let shellFirst {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", shellFirst + "; exec \"$0\" \"$@\"", binary] + args
        } else {
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
        }
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var environment = ProcessInfo.processInfo.environment
        environment["OGILINT_RULES"] = Repo.rules
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(
            code: p.terminationStatus, outData: o, err: String(decoding: e, as: UTF8.self),
            signalled: p.terminationReason == .uncaughtSignal)
    }
}

extension XCTestCase {
    /// A new empty folder under the system's temporary folder, removed when the test ends.
    public func temporaryFolder(_ prefix: String = "ogilint-test") throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }
}

/// Small deterministic random numbers (SplitMix64), so generated test inputs are the same on every run.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A string of 0 to `maxLength` scalars drawn from `alphabet`.
    public mutating func string(from alphabet: [Unicode.Scalar], maxLength: Int) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &self) { s.append(alphabet.randomElement(using: &self)!) }
        return String(s)
    }
}
