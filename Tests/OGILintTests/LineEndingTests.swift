import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// A text report reads the same whatever ends its lines: Word's plain-text export writes CR LF on Windows and can
/// write CR alone. Every text sample, rewritten with CR LF and with CR, gives the findings of its LF original, at
/// the same lines.
final class LineEndingTests: XCTestCase {
    func testEveryTextSampleGivesTheSameFindingsWithCRLFAndCR() throws {
        let fm = FileManager.default
        var samples: [String] = []
        for folder in ["samples", "samples/broken", "samples/previous", "samples/renderings"] {
            let names = (try? fm.contentsOfDirectory(atPath: Repo.path(folder))) ?? []
            samples += names.filter { $0.hasSuffix(".txt") }.sorted().map { "\(folder)/\($0)" }
        }
        XCTAssertGreaterThan(samples.count, 20)
        let dir = fm.temporaryDirectory.appendingPathComponent("line-endings-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        func shown(_ findings: [Finding]) -> [String] {
            findings.map { f in
                let l = f.location
                return "\(f.rule) \(f.severity) \(l.line ?? 0) \(l.table ?? "") \(l.row ?? "") \(l.column ?? "") \(f.message)"
            }
        }
        for sample in samples {
            let text = try String(contentsOfFile: Repo.path(sample), encoding: .utf8)
            XCTAssertFalse(text.contains("\r"), sample)
            let expected = shown(try Repo.findings(sample))
            for (name, ending) in [("crlf", "\r\n"), ("cr", "\r")] {
                let url = dir.appendingPathComponent("\(name)-\((sample as NSString).lastPathComponent)")
                try Data(text.replacingOccurrences(of: "\n", with: ending).utf8).write(to: url)
                let checked = try Repo.linter.check(path: url.path)
                XCTAssertEqual(shown(checked.findings), expected, "\(sample) with \(name)")
            }
        }
    }

    func testLinesEndAtLFCRLFAndCR() {
        XCTAssertEqual(TextReader.lines(of: "a\r\nb\nc\rd").map(\.text), ["a", "b", "c", "d"])
        XCTAssertEqual(TextReader.lines(of: "a\r\n\r\nb\r\n").map(\.text), ["a", "", "b"])
        XCTAssertEqual(TextReader.lines(of: "a\r\rb\n\rc").map(\.text), ["a", "", "b", "", "c"])
        XCTAssertEqual(TextReader.lines(of: "x\r").map(\.text), ["x"])
        XCTAssertEqual(TextReader.lines(of: "\r\n").map(\.text), [""])
        XCTAssertEqual(TextReader.lines(of: "").map(\.text), [])
        XCTAssertEqual(TextReader.lines(of: "一、总体情况\r\n二").map(\.number), [1, 2])
    }
}
