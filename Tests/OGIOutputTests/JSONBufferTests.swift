import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIOutput

/// `JSONFormat.add` writes each report straight into a `JSONBuffer`; it must give byte for byte what rendering
/// the report's `JSONValue` tree (`ReportJSONTree.report`, the code it replaced) gave, for every sample and for findings with every field.
final class JSONBufferTests: XCTestCase {
    /// The report object both ways, at the indentation `add` writes it.
    func assertSame(_ input: CheckedInput, file: StaticString = #filePath, line: UInt = #line) {
        var reference = ""
        ReportJSONTree.report(input).render(into: &reference, indent: 2)
        var json = JSONBuffer(indent: 2)
        JSONFormat.write(input, into: &json)
        XCTAssertEqual(json.text, reference, input.path, file: file, line: line)
    }

    func testEverySampleIsWrittenAsItsTreeRenders() throws {
        let fm = FileManager.default
        var paths: [String] = []
        for dir in ["samples", "samples/broken", "samples/previous", "samples/renderings"] {
            let full = Repo.path(dir)
            guard let names = try? fm.contentsOfDirectory(atPath: full) else { continue }
            for n in names.sorted() where [".txt", ".docx", ".html"].contains(where: n.hasSuffix) {
                paths.append((full as NSString).appendingPathComponent(n))
            }
        }
        XCTAssertGreaterThan(paths.count, 50)
        var findings = 0
        for p in paths {
            do {
                let r = try Repo.linter.check(path: p)
                findings += r.findings.count
                assertSame(CheckedInput(path: p, report: r.report, findings: r.findings))
            } catch {
                assertSame(CheckedInput(path: p, error: InputError(path: p, error: error)))
            }
        }
        XCTAssertGreaterThan(findings, 50, "the samples give findings to write")
    }

    func testEveryFieldAndOddStrings() {
        // The last two pass the buffer's first capacity (4,096 bytes), in one piece and as escapes.
        let odd = [
            "", "\"", "a\\b", "行\n一\r\n二\t三", "\u{0}\u{1F}", "😀", String(repeating: "表", count: 200),
            String(repeating: "表格", count: 1_500), String(repeating: "\"表\n\u{1}", count: 1_200),
        ]
        let location = FindingLocation(line: 3, page: 2, paragraph: nil, table: "表三", row: odd[3], column: nil, cell: "a.b.c")
        let suggestion = CellSuggestion(cell: "t.r.c", location: FindingLocation(), value: nil, suggestedValue: Decimal(string: "-12.50")!)
        var nested = Finding(rule: "R2", severity: .info, category: .extraction, message: odd[4], fix: nil, location: FindingLocation())
        nested.related = [Finding(rule: "R3", severity: .warning, category: .consistency, message: "x", fix: "y", location: location)]
        var findings: [Finding] = []
        for (i, s) in odd.enumerated() {
            var f = Finding(
                rule: "R\(i)", severity: i % 2 == 0 ? .error : .warning, category: .arithmetic, message: s, fix: i % 3 == 0 ? nil : s,
                location: i % 2 == 0 ? location : FindingLocation())
            if i % 2 == 1 { f.suggestion = suggestion }
            if i % 3 == 1 { f.related = [nested, nested] }
            findings.append(f)
        }
        var report = Report(path: "x.txt", sourceFormat: "text")
        report.metadata.year = 2021
        report.metadata.agency = odd[3]
        report.metadata.template = "2021"
        assertSame(CheckedInput(path: odd[5], report: report, findings: findings))
        assertSame(CheckedInput(path: "empty", report: report, findings: []))
        assertSame(CheckedInput(path: "none", report: nil, findings: findings))
        assertSame(CheckedInput(configuration: ".ogilint.yml", findings: findings))
        assertSame(CheckedInput(path: "bad\"path", error: InputError(path: "bad\"path", error: CocoaError(.fileNoSuchFile))))
    }
}

/// The report, finding and location objects as `JSONValue` trees, as `JSONFormat` built them before `JSONBuffer`.
enum ReportJSONTree {
    /// One report as a `JSONValue`: the tree `JSONFormat` rendered before it wrote reports straight into a buffer.
    static func report(_ input: CheckedInput) -> JSONValue {
        var fields: [(String, JSONValue)] = [("path", .string(input.path))]
        let m = input.report?.metadata
        fields += [
            ("year", .opt(m?.year)),
            ("agency", .opt(m?.agency)),
            ("agency_kind", .opt(m?.agencyKind?.rawValue)),
            ("template", .opt(m?.template)),
            ("findings", .array(input.findings.map(finding))),
        ]
        if let e = input.error { fields.append(("error", .string(e.description))) }
        if input.isConfiguration { fields.append(("configuration", .bool(true))) }
        return .object(fields)
    }

    static func finding(_ f: Finding) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)), ("category", .string(f.category.rawValue)),
            ("message", .string(f.message)), ("fix", .opt(f.fix)), ("location", location(f.location)),
        ]
        // The cell to change and the value the table's sums call for (only when the engine names one).
        if let sg = f.suggestion {
            fields.append(
                (
                    "suggestion",
                    .object([
                        ("cell", .string(sg.cell)), ("location", location(sg.location)),
                        ("value", .opt(sg.value.map(ExactDecimal.format))),
                        ("suggested_value", .string(ExactDecimal.format(sg.suggestedValue))),
                    ])
                ))
        }
        // Findings with the same root cause, folded under this one (only when there are any).
        if !f.related.isEmpty { fields.append(("related", .array(f.related.map(finding)))) }
        return .object(fields)
    }

    static func location(_ l: FindingLocation) -> JSONValue {
        .object([
            ("line", .opt(l.line)), ("page", .opt(l.page)), ("paragraph", .opt(l.paragraph)), ("table", .opt(l.table)),
            ("row", .opt(l.row)), ("column", .opt(l.column)), ("cell", .opt(l.cell)),
        ])
    }
}
