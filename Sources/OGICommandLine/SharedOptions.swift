import ArgumentParser
import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGIRules

/// Options shared by commands that load rules.
public struct RuleOptions: ParsableArguments {
    public init() {}

    @Option(name: .customLong("rules"), help: ArgumentHelp("Add a rule pack folder (repeatable).", valueName: "DIR"))
    public var extraRules: [String] = []

    @Option(
        name: .customLong("rules-root"),
        help: ArgumentHelp(
            "Use this folder instead of the bundled rules (default: $OGILINT_RULES, or the rules/ folder shipped with ogilint).",
            valueName: "DIR"))
    public var rulesRoot: String?

    public func root() throws -> String { try Self.root(given: rulesRoot) }

    /// The folder given with `--rules-root`, else the bundled rules.
    public static func root(given rulesRoot: String?) throws -> String {
        guard let root = rulesRoot ?? BundledRules.locate() else { throw SessionError.rulesNotFound }
        return root
    }

    public func directories() throws -> [String] { [try root()] + extraRules }

    /// The rules loaded, without a configuration.
    public func linter(_ options: LintOptions = LintOptions()) throws -> Linter {
        do { return try Linter(ruleDirectories: try directories(), options: options) } catch let e as RulePackError {
            throw SessionError.rulePack(e, configuration: false)
        }
    }
}

/// Options that change how reports are read.
public struct ReadOptions: ParsableArguments {
    public init() {}

    @Option(name: .customLong("agency-kind"), help: "Override the agency kind inferred from the name: government or department.")
    public var agencyKind: AgencyKind?

    @Option(help: "Override the report year read from the title.")
    public var year: Int?

    @Option(
        name: .customLong("max-size"),
        help: ArgumentHelp("Largest input accepted (also the cap on what a DOCX may unpack to).", valueName: "SIZE"))
    public var maxSize: ByteSize = .defaultMaxInput

    public var lintOptions: LintOptions { LintOptions(agencyKind: agencyKind, year: year, maxInputBytes: maxSize.bytes) }
}

extension AgencyKind: ExpressibleByArgument {}

/// A size in bytes, written as a number with an optional unit: `10k`, `50M`, `1G` (powers of 1024).
public struct ByteSize: ExpressibleByArgument, Equatable, Sendable {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// The reader's default budget for one input, the default of every `--max-size`.
    public static let defaultMaxInput = ByteSize(bytes: ReadBudget.defaultMaxInputBytes)

    public init?(argument: String) {
        guard let bytes = ByteSize.parse(argument) else { return nil }
        self.bytes = bytes
    }

    public static func parse(_ text: String) -> Int? {
        var s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if s.hasSuffix("ib") { s.removeLast(2) } else if s.hasSuffix("b") { s.removeLast() }
        let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var factor = 1
        if let last = s.last, let f = units[last] { factor = f; s.removeLast() }
        guard let n = Int(s), n > 0 else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : bytes
    }

    public static var defaultValueDescription: String { "50M" }
    public var defaultValueDescription: String { bytes % (1 << 20) == 0 ? "\(bytes >> 20)M" : "\(bytes)" }
}

/// The failure threshold: a severity, or `never`.
public struct FailThreshold: ExpressibleByArgument, Equatable, Sendable {
    /// Nil means never fail on findings.
    public var severity: Severity?

    public init?(argument: String) {
        if argument == "never" { severity = nil } else if let s = Severity(rawValue: argument) { severity = s } else { return nil }
    }

    public static var allValueStrings: [String] { ["error", "warning", "info", "never"] }
}

/// Whether the file descriptor is a terminal (colours, progress).
public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
