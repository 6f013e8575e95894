import Foundation
import OGIModel

/// The baseline file (`--write-baseline`, `--baseline`): accepted findings, keyed by rule, file and what
/// the finding says (its cell labels and message), never by line numbers, so edits elsewhere in a report
/// do not make old findings look new. Paths are relative to the baseline's folder.
public struct BaselineFile: Codable, Equatable, Sendable {
    public static let formatVersion = 1

    /// One accepted finding; `message` and `rule` are there for the reader of the file.
    public struct Entry: Codable, Equatable, Sendable {
        public var rule: String
        public var path: String
        public var fingerprint: String
        public var message: String
    }

    public var version: Int
    public var findings: [Entry]

    enum CodingKeys: String, CodingKey {
        case version = "ogilint_baseline"
        case findings
    }

    public init(findings: [Entry] = []) { version = Self.formatVersion; self.findings = findings }

    /// The stable key of a finding in the report at `path` (relative to the baseline's folder).
    public static func fingerprint(_ f: Finding, path: String) -> String {
        let key = [f.rule, path, f.location.table ?? "", f.location.row ?? "", f.location.column ?? "", f.message].joined(
            separator: "\u{1F}")
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// Reads a baseline; anything else is refused with what a baseline looks like.
    public static func load(_ path: String) throws -> BaselineFile {
        let problem = "not an ogilint baseline (expected {\"ogilint_baseline\": 1, \"findings\": [...]}); write one with --write-baseline"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionError.invalidBaseline(path: path, problem: "cannot read the baseline file; check the path")
        }
        guard let file = try? JSONDecoder().decode(BaselineFile.self, from: data), file.version == formatVersion else {
            throw SessionError.invalidBaseline(path: path, problem: problem)
        }
        return file
    }

    /// The file's bytes: sorted keys and two-space indentation, so a baseline diffs well in review.
    public func encoded() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(self) + Data("\n".utf8)
    }
}

/// A loaded baseline, ready to filter findings.
public struct Baseline: Sendable {
    let fingerprints: Set<String>
    /// The folder the baseline's paths are relative to.
    let base: String

    public init(_ file: BaselineFile, path: String) {
        fingerprints = Set(file.findings.map(\.fingerprint))
        base = PathParts.deletingLastPathComponent(path)
    }

    public static func load(_ path: String) throws -> Baseline { Baseline(try BaselineFile.load(path), path: path) }

    /// True when the baseline lists `f`; `relativePath` is the report's path relative to the baseline's folder.
    public func contains(_ f: Finding, relativePath: String) -> Bool {
        fingerprints.contains(BaselineFile.fingerprint(f, path: relativePath))
    }

    /// The baseline file for these inputs' findings, with paths relative to `path`'s folder.
    public static func file(for inputs: [CheckedInput], at path: String) -> BaselineFile {
        let collector = BaselineCollector(path: path)
        inputs.forEach(collector.add)
        return collector.file
    }

    /// Writes the baseline for these inputs to `path` (tests and library callers; the CLI writes through
    /// its checked outputs).
    public static func write(_ inputs: [CheckedInput], to path: String) throws {
        try file(for: inputs, at: path).encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Builds a baseline file as a run streams by, keeping only the entries (not the reports).
public final class BaselineCollector: RunConsumer {
    public let path: String
    let base: String
    public private(set) var file = BaselineFile()
    public private(set) var unreadable = 0

    public init(path: String) { self.path = path; base = PathParts.deletingLastPathComponent(path) }

    public func begin(_ run: RunStart) {}

    public func add(_ input: CheckedInput) {
        if input.error != nil { unreadable += 1 }
        let rel = LintSession.relative(input.path, to: base)
        for f in input.findings {
            file.findings.append(.init(rule: f.rule, path: rel, fingerprint: BaselineFile.fingerprint(f, path: rel), message: f.message))
        }
    }

    public func finish(_ summary: RunSummary) {}

    /// The file's bytes, or an error when an input could not be read (so the baseline would be incomplete).
    public func encoded() throws -> Data {
        if unreadable > 0 { throw SessionError.baselineWithUnreadableInputs(path: path, count: unreadable) }
        do { return try file.encoded() } catch { throw SessionError.baselineNotWritten(path: path, reason: "\(error)") }
    }
}
