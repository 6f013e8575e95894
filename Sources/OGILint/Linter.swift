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

    /// The configuration applied, when there is one.
    public let configuration: LintConfiguration?

    /// Loads the rule folders (the bundled one first, then any extra packs), then applies a configuration's
    /// disabled rules and severity changes.
    public init(ruleDirectories: [String], options: LintOptions = LintOptions(), configuration: LintConfiguration? = nil) throws {
        var set = try RulePackLoader.load(directories: ruleDirectories + (configuration?.rules ?? []))
        if let configuration { set = try configuration.apply(to: set) }
        self.configuration = configuration
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

    /// Reads bytes that came from `path`. The reader is chosen by content first (a `.doc` that is really
    /// DOCX, an `.htm` saved as `.txt`), then by extension.
    public func read(path: String, data: Data) throws -> Report {
        if data.count > options.maxInputBytes {
            throw ReaderError.unsupportedFormat(path: path, detail: "the file is \(data.count) bytes, over the \(options.maxInputBytes)-byte limit (--max-size)")
        }
        var report: Report
        switch InputSniffer.kind(of: data, path: path) {
        case .legacyWord:
            throw ReaderError.unsupportedFormat(path: path, detail: "this is a legacy Word/WPS binary file (.doc/.wps); open it in Word or WPS and save it as .docx")
        case .zip:
            report = try DocxReader(context: context, maxPartBytes: options.maxInputBytes).read(path: path, data: data)
        case .pdf:
            report = try PDFReader(context: context).read(path: path, data: data)
        case .html:
            report = try HTMLReader(context: context).read(path: path, data: data)
        case .jsonModel:
            report = try ModelReader(context: context).read(path: path, data: data, json: true)
        case .yamlModel:
            report = try ModelReader(context: context).read(path: path, data: data, json: false)
        case .text:
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
}

/// Recognises what a file is from its first bytes, falling back to its extension.
enum InputSniffer {
    enum Kind { case zip, legacyWord, pdf, html, jsonModel, yamlModel, text }

    static func kind(of data: Data, path: String) -> Kind {
        let b = [UInt8](data.prefix(8))
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) || b.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return .legacyWord }
        if b.starts(with: Array("%PDF".utf8)) { return .pdf }
        let ext = (path as NSString).pathExtension.lowercased()
        var head = String(decoding: data.prefix(2048), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        let lower = head.lowercased()
        let trimmed = lower.trimmingCharacters(in: .whitespacesAndNewlines)
        if ext == "json" || (trimmed.hasPrefix("{") && lower.contains("\"ogilint_model\"")) { return .jsonModel }
        if ext == "yml" || ext == "yaml" || trimmed.hasPrefix("ogilint_model:") { return .yamlModel }
        if ext == "htm" || ext == "html" || ext == "xhtml" { return .html }
        if trimmed.hasPrefix("<") && ["<html", "<!doctype html", "<body", "<table", "<div", "<p>", "<p ", "<meta", "<head"].contains(where: { lower.contains($0) }) {
            return .html
        }
        if ext == "docx" { return .zip }
        return .text
    }
}
