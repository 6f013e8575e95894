import Foundation
import OGIModel
import OGIReaders
import OGIRules

/// Version of the tool, reported in JSON output.
public enum OGILintVersion {
    public static let string = "0.1.0"
}

/// Options that change how reports are read or judged.
public struct LintOptions: Sendable {
    /// Overrides the agency kind inferred from the agency name.
    public var agencyKind: AgencyKind?
    /// Overrides the report year read from the title.
    public var year: Int?
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int

    public init(agencyKind: AgencyKind? = nil, year: Int? = nil, maxInputBytes: Int = 50 * 1024 * 1024) {
        self.agencyKind = agencyKind; self.year = year; self.maxInputBytes = maxInputBytes
    }
}

/// One report's outcome: the model read from it and the findings.
public struct ReportResult: Sendable {
    public var report: Report
    public var findings: [Finding]
}

/// The whole pipeline: rule packs loaded once, then any number of files read and checked.
public final class Linter: Sendable {
    public let ruleSet: RuleSet
    public let engine: Engine
    let context: ReaderContext
    public let options: LintOptions

    /// Loads the rule folders (the bundled one first, then any extra packs).
    public init(ruleDirectories: [String], options: LintOptions = LintOptions()) throws {
        let set = try RulePackLoader.load(directories: ruleDirectories)
        self.ruleSet = set
        self.engine = Engine(ruleSet: set)
        self.context = try ReaderContext(templates: set.templates)
        self.options = options
    }

    /// Reads a file into the report model, choosing the reader by content and extension.
    public func read(path: String) throws -> Report {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ReaderError.unreadable(path: path, reason: "no such file")
        }
        if isDir.boolValue { throw ReaderError.unreadable(path: path, reason: "it is a folder; pass the report files inside it") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > options.maxInputBytes {
            throw ReaderError.unsupportedFormat(path: path, detail: "the file is \(size) bytes, over the \(options.maxInputBytes)-byte limit; is this really a report?")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReaderError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try read(path: path, data: data)
    }

    /// Reads bytes that came from `path` (the name decides nothing the content contradicts).
    public func read(path: String, data: Data) throws -> Report {
        try InputSniffer.rejectUnsupported(data, path: path)
        let ext = (path as NSString).pathExtension.lowercased()
        var report: Report
        let head = String(decoding: data.prefix(512), as: UTF8.self)
        if ext == "json" || (head.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") && head.contains("\"ogilint_model\"")) {
            report = try ModelReader(context: context).read(path: path, data: data, json: true)
        } else if ext == "yml" || ext == "yaml" || head.hasPrefix("ogilint_model:") {
            report = try ModelReader(context: context).read(path: path, data: data, json: false)
        } else {
            report = try TextReader(context: context).read(path: path, data: data)
        }
        apply(options, to: &report)
        return report
    }

    /// Reads already-decoded draft text (for callers that hold the text in memory).
    public func read(text: String, path: String) -> Report {
        var report = TextReader(context: context).parse(text: text, path: path)
        apply(options, to: &report)
        return report
    }

    func apply(_ options: LintOptions, to report: inout Report) {
        if let k = options.agencyKind { report.metadata.agencyKind = k; report.metadata.agencyKindSource = "option" }
        if let y = options.year { report.metadata.year = y }
    }

    public func check(_ report: Report) -> [Finding] { engine.check(report) }

    public func check(path: String) throws -> ReportResult {
        let r = try read(path: path)
        return ReportResult(report: r, findings: engine.check(r))
    }

    /// Checks many files on all cores; results come back in input order.
    public func check(paths: [String]) -> [Result<ReportResult, Error>] {
        let out = ResultBox(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let r: Result<ReportResult, Error>
            do { r = .success(try check(path: paths[i])) } catch { r = .failure(error) }
            out.set(i, r)
        }
        return out.values.map { $0! }
    }
}

/// Thread-safe slots for parallel results.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<ReportResult, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: Result<ReportResult, Error>) { lock.lock(); values[i] = v; lock.unlock() }
}

/// Recognises inputs this version cannot read yet, to say so plainly instead of reading them as text.
enum InputSniffer {
    static func rejectUnsupported(_ data: Data, path: String) throws {
        let b = [UInt8](data.prefix(8))
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ReaderError.unsupportedFormat(path: path, detail: "this is a zip file (DOCX or similar); DOCX reading is not available in this version: save the draft as plain text (.txt, UTF-8) and check that")
        }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ReaderError.unsupportedFormat(path: path, detail: "this is a legacy Word/WPS binary file (.doc/.wps); save it as plain text (.txt, UTF-8) and check that")
        }
        if b.starts(with: Array("%PDF".utf8)) {
            throw ReaderError.unsupportedFormat(path: path, detail: "this is a PDF; PDF reading is not available in this version: extract the text with `pdftotext -layout FILE.pdf` (Debian package poppler-utils) and check the .txt")
        }
    }
}
