import Foundation
import OGILint
import OGIOutput
import OGITestSupport
import XCTest

/// `InputFinder.isReportFile` looks for ogilint's own output markers with a byte search; these tests compare it
/// with the character search it replaced on every sample, on ogilint's outputs in every format, and on
/// generated heads that put a marker at awkward places.
final class InputFinderFastPathTests: XCTestCase {
    /// The decision as it was made before, with a character-based search of the decoded head.
    func referenceIsReportFile(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        let isModel = InputFinder.modelExtensions.contains(ext)
        guard InputFinder.reportExtensions.contains(ext) || isModel else { return false }
        guard ext == "html" || ext == "htm" || isModel else { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? h.close() }
        let head = String(decoding: h.readData(ofLength: 8192), as: UTF8.self)
        let markers = [
            "<meta name=\"generator\" content=\"ogilint",
            "\"ogilint_baseline\"",
            "\"tool\": {\n    \"name\": \"ogilint\"",
            "\"$schema\": \"https://json.schemastore.org/sarif",
        ]
        if markers.contains(where: { head.contains($0) }) { return false }
        return !isModel || head.contains("ogilint_model")
    }

    func testEverySampleIsClassifiedAsBefore() throws {
        let root = Repo.path("samples")
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
        var compared = 0
        for relative in files {
            let path = (root as NSString).appendingPathComponent(relative)
            XCTAssertEqual(InputFinder.isReportFile(path), referenceIsReportFile(path), relative)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 50)
    }

    func testOgilintOutputsInEveryFormatAreLeftOutAsBefore() throws {
        let dir = URL(fileURLWithPath: try temporaryFolder("ogilint-finder"))
        var o = LintSession.Options(rulesRoot: Repo.rules)
        o.useConfiguration = false
        let session = LintSession(options: o)
        let plan = try session.plan([Repo.path("samples/broken/app-balance.txt")])
        var leftOut = 0
        for format in OutputFormats.all {
            let sink = StringSink()
            try session.run(plan, to: RunConsumers([FormatWriter(format.init(options: OutputOptions(version: "t")), to: sink)]))
            for ext in ["html", "json", "yml"] {
                let url = dir.appendingPathComponent("out-\(format.name).\(ext)")
                try sink.text.write(to: url, atomically: true, encoding: .utf8)
                let fast = InputFinder.isReportFile(url.path)
                XCTAssertEqual(fast, referenceIsReportFile(url.path), "\(format.name) as .\(ext)")
                if !fast { leftOut += 1 }
            }
        }
        XCTAssertGreaterThan(leftOut, 0, "some output format carries a marker")
    }

    func testMarkersAtAwkwardPlacesAreFoundAsBefore() throws {
        let dir = URL(fileURLWithPath: try temporaryFolder("ogilint-finder"))
        let markers = [
            "<meta name=\"generator\" content=\"ogilint", "\"ogilint_baseline\"", "ogilint_model",
            "\"$schema\": \"https://json.schemastore.org/sarif", "\"tool\": {\n    \"name\": \"ogilint\"",
        ]
        let fillers = ["", "报告正文", "a", "é", "\u{301}", "\r\n", "\"ogilint"]
        var generator = SystemRandomNumberGenerator()
        var index = 0
        for marker in markers {
            for filler in fillers {
                // Around the 8 KB window's end: whole, cut in the middle, just outside.
                for offset in [
                    0, 8192 - marker.utf8.count, 8192 - marker.utf8.count / 2, 8192, Int.random(in: 0..<9000, using: &generator),
                ] {
                    var text = String(repeating: filler.isEmpty ? " " : filler, count: max(0, offset / max(1, filler.utf8.count)))
                    while text.utf8.count > offset, !text.isEmpty { text.removeLast() }
                    text += marker + filler
                    for ext in ["html", "json", "yaml"] {
                        let url = dir.appendingPathComponent("g\(index).\(ext)")
                        index += 1
                        try text.write(to: url, atomically: true, encoding: .utf8)
                        let fast = InputFinder.isReportFile(url.path)
                        if filler == "\u{301}" && text.utf8.count <= 8192 {
                            // The one documented difference: a combining mark glued to the marker's last
                            // letter hides it from a character search, not from a byte search.
                            XCTAssertEqual(fast, marker == "ogilint_model", "\(marker.debugDescription) in .\(ext)")
                            continue
                        }
                        XCTAssertEqual(
                            fast, referenceIsReportFile(url.path),
                            "marker \(marker.debugDescription) after \(offset) bytes of \(filler.debugDescription) in .\(ext)")
                    }
                }
            }
        }
    }
}
