import OGILint
import OGIModel
import OGIRules

/// JUnit XML for GitLab, Jenkins and the like: one test case per rule per report; findings at or above the
/// failure threshold are failures, the rest are reported in the test case's output. The root element
/// carries the totals, so the suites are spooled and written after it at the end.
public final class JUnitFormat: OutputFormat {
    public static let name = "junit"
    public static let purpose = "JUnit XML: one test case per rule per report (GitLab, Jenkins)"

    let options: OutputOptions
    var rules: [Rule] = []
    let suites = Spool()
    var total = 0, failures = 0, errors = 0

    public init(options: OutputOptions) { self.options = options }

    public func begin(_ run: RunStart, to out: OutputSink) throws { rules = run.rules }

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        var cases = ""
        var suiteFailures = 0
        if let e = input.error {
            errors += 1
            cases +=
                "    <testcase classname=\"\(Self.esc(input.path))\" name=\"read\"><error message=\"\(Self.esc(e.description))\" type=\"unreadable\"/></testcase>\n"
        }
        // A configuration file's warnings are test cases of the rules they name.
        let caseRules: [(id: String, title: String)] =
            input.isConfiguration
            ? input.findings.map(\.rule).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.map { ($0, $0) }
            : rules.map { ($0.id, $0.title) }
        for r in caseRules where input.error == nil {
            let found = input.findings.filter { $0.rule == r.id }
            let failing = found.filter { f in options.failOn.map { f.severity >= $0 } ?? false }
            cases += "    <testcase classname=\"\(Self.esc(input.path))\" name=\"\(Self.esc(r.id)): \(Self.esc(r.title))\""
            if found.isEmpty { cases += "/>\n"; continue }
            cases += ">\n"
            if !failing.isEmpty {
                suiteFailures += 1
                let body = failing.map(Self.detail).joined(separator: "\n")
                cases +=
                    "      <failure message=\"\(Self.esc(failing[0].message))\" type=\"\(failing[0].severity.rawValue)\">\(Self.esc(body))</failure>\n"
            }
            let rest = found.filter { f in !failing.contains(f) }
            if !rest.isEmpty { cases += "      <system-out>\(Self.esc(rest.map(Self.detail).joined(separator: "\n")))</system-out>\n" }
            cases += "    </testcase>\n"
        }
        let count = input.error == nil ? caseRules.count : 1
        total += count
        failures += suiteFailures
        try suites.write(
            "  <testsuite name=\"\(Self.esc(input.path))\" tests=\"\(count)\" failures=\"\(suiteFailures)\" errors=\"\(input.error == nil ? 0 : 1)\">\n\(cases)  </testsuite>\n"
        )
    }

    public func finish(_ summary: RunSummary, to out: OutputSink) throws {
        try out.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ogilint\" tests=\"\(total)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        )
        try suites.copy(to: out)
        try out.write("</testsuites>\n")
    }

    static func detail(_ f: Finding) -> String {
        var s = "[\(f.severity.rawValue)] \(TextLayout.position(f.location)) \(f.message)"
        let place = [f.location.table, f.location.row, f.location.column].compactMap { $0 }
        if !place.isEmpty { s += "\n  at: " + place.joined(separator: " › ") }
        if let fix = f.fix { s += "\n  fix: \(fix)" }
        return s
    }

    /// Text for XML 1.0 content and attribute values: markup escaped, and the code points XML 1.0 forbids
    /// (C0 controls other than tab, line feed and carriage return; U+FFFE and U+FFFF) dropped.
    static func esc(_ s: String) -> String { MarkupEscaping.escape(s, for: .xml) }
}
