import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Hostile inputs (issue 10): each ends in a clear refusal naming the file, never a crash, a hang or
/// unbounded memory. Large inputs are generated here, never committed.
final class HardeningTests: XCTestCase {
    func refusal(_ data: Data, _ name: String, linter: Linter = Repo.linter, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try linter.read(path: name, data: data)
            XCTFail("\(name) was read", file: file, line: line)
            return ""
        } catch {
            let m = "\(error)"
            XCTAssertTrue(m.hasPrefix(name), "the message names the file: \(m)", file: file, line: line)
            return m
        }
    }

    func sampleDocx() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/clean-2021-government.docx")))
    }

    /// Offset of the end-of-central-directory record.
    func eocd(_ d: [UInt8]) -> Int {
        var p = d.count - 22
        while p >= 0, !(d[p] == 0x50 && d[p + 1] == 0x4B && d[p + 2] == 5 && d[p + 3] == 6) { p -= 1 }
        return p
    }

    func put32(_ d: inout [UInt8], _ at: Int, _ v: UInt32) {
        for k in 0..<4 { d[at + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
    }

    // MARK: 1. zip directories that point past the end

    func testZipOffsetsPastTheEndAreRefusedNotTrapped() throws {
        let good = [UInt8](try sampleDocx())
        let e = eocd(good)
        XCTAssertGreaterThan(e, 0)
        var cases: [(String, [UInt8])] = []
        var a = good; put32(&a, e + 16, UInt32(good.count + 1000)); cases.append(("cd-offset.docx", a))
        var b = good; put32(&b, e + 12, 0x7FFF_FFFF); cases.append(("cd-size.docx", b))
        var c = good; put32(&c, e + 16, 0xFFFF_FFF0); cases.append(("cd-offset-max.docx", c))
        // The first central-directory entry's local-header offset and sizes.
        let cd = Int(good[e + 16]) | Int(good[e + 17]) << 8 | Int(good[e + 18]) << 16 | Int(good[e + 19]) << 24
        var d = good; put32(&d, cd + 42, UInt32(good.count + 5)); cases.append(("local-offset.docx", d))
        var f = good; put32(&f, cd + 20, 0x7FFF_0000); cases.append(("compressed-size.docx", f))
        var g = good; g[cd + 28] = 0xFF; g[cd + 29] = 0xFF; cases.append(("name-length.docx", g))
        for (name, bytes) in cases {
            let m = refusal(Data(bytes), name)
            XCTAssertTrue(m.contains("not a readable zip archive"), m)
        }
    }

    func testRandomDamageToTheZipDirectoryNeverTraps() throws {
        let good = [UInt8](try sampleDocx())
        let cdStart = good.count - 3000
        var rng = SplitMix(state: 7)
        for _ in 0..<300 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                bytes[Int.random(in: cdStart..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            // Either read or refused; reaching the next iteration is the test (a trap ends the process).
            _ = try? Repo.linter.read(path: "damaged.docx", data: Data(bytes))
        }
    }

    func testABatchSurvivesADamagedDocx() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bad = [UInt8](try sampleDocx())
        put32(&bad, eocd(bad) + 16, UInt32(bad.count + 1000))
        try Data(bad).write(to: dir.appendingPathComponent("a-bad.docx"))
        try FileManager.default.copyItem(
            atPath: Repo.path("samples/clean-2021-government.txt"), toPath: dir.appendingPathComponent("b-good.txt").path)
        let session = LintSession(options: LintSession.Options(rulesRoot: Repo.rules))
        let result = try session.run([dir.path])
        XCTAssertEqual(result.inputs.count, 2)
        XCTAssertNotNil(result.inputs.first { $0.path.hasSuffix("a-bad.docx") }?.error)
        XCTAssertNotNil(result.inputs.first { $0.path.hasSuffix("b-good.txt") }?.report)
    }

    // MARK: 4, 5. lines and paragraphs

    func testManyLinesAreRefusedBeforeTheyAreBuilt() {
        let small = try! Linter(ruleDirectories: [Repo.rules], options: LintOptions(maxInputBytes: 1_000_000))
        XCTAssertEqual(small.budget.maxLines, 3_906)
        let lines = Data(String(repeating: "a\n", count: 100_000).utf8)
        let start = Date()
        let m = refusal(lines, "lines.txt", linter: small)
        XCTAssertTrue(m.contains("100000 lines") && m.contains("over the limit of 3906 lines") && m.contains("--max-size"), m)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        // Only white space is an empty file, however long.
        XCTAssertTrue(refusal(Data(String(repeating: "\n", count: 500_000).utf8), "nl.txt", linter: small).contains("empty"))
        XCTAssertTrue(refusal(Data(" \t\u{3000}\r\n".utf8), "ws.txt").contains("the file is empty"))
    }

    func testDocxWithMillionsOfEmptyParagraphsIsRefused() throws {
        let paragraphs = String(repeating: "<w:p/>", count: 2_000_000)
        let xml =
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(paragraphs)</w:body></w:document>"
        let docx = try FormatFixtures.zip([("word/document.xml", Data(xml.utf8))])
        XCTAssertLessThan(docx.count, 200_000)
        let start = Date()
        let m = refusal(docx, "paras.docx")
        XCTAssertTrue(m.contains("XML elements") && m.contains("--max-size"), m)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    // MARK: 7. spans

    func testHTMLSpansCannotBlowUpTheGrid() {
        // Each cell spans 1000 × 1000: the grid would be billions of cells.
        let row = "<tr>" + String(repeating: "<td rowspan=\"100000\" colspan=\"100000\">1</td>", count: 200) + "</tr>"
        let page = "<html><body><table>" + String(repeating: row, count: 300) + "</table></body></html>"
        let start = Date()
        let m = refusal(Data(page.utf8), "spans.html")
        XCTAssertTrue(m.contains("table cells") && m.contains("--max-size"), m)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // Real rowspans are still read.
        let ok = "<html><body><p>一、总体情况</p><table><tr><td rowspan=\"2\">a</td><td>1</td></tr><tr><td>2</td></tr></table></body></html>"
        XCTAssertNoThrow(try Repo.linter.read(path: "ok.html", data: Data(ok.utf8)))
    }

    // MARK: 11. declarations anywhere

    func testDoctypeAfterTheFirstKilobytesIsRefused() throws {
        let filler = String(repeating: "<w:p><w:r><w:t>正文</w:t></w:r></w:p>", count: 2_000)
        let xml =
            "<?xml version=\"1.0\"?><!-- \(String(repeating: "x", count: 10_000)) --><!DOCTYPE d [<!ENTITY a \"b\">]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(filler)</w:body></w:document>"
        XCTAssertTrue(refusal(try FormatFixtures.zip([("word/document.xml", Data(xml.utf8))]), "late.docx").contains("DOCTYPE"))
        let lower = "<?xml version=\"1.0\"?>" + String(repeating: " ", count: 8_000) + "<!doctype d><d/>"
        XCTAssertTrue(refusal(try FormatFixtures.zip([("word/document.xml", Data(lower.utf8))]), "lower.docx").contains("DOCTYPE"))
        let page = "<html><body>" + String(repeating: "<p>正文</p>", count: 2_000) + "<!ENTITY a \"b\"></body></html>"
        XCTAssertTrue(refusal(Data(page.utf8), "late.html").contains("entities"))
    }

    // MARK: 8. FIFOs and devices

    func testOnlyRegularFilesAreRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.txt").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let start = Date()
        XCTAssertThrowsError(try Repo.linter.read(path: fifo)) { e in XCTAssertTrue("\(e)".contains("named pipe"), "\(e)") }
        XCTAssertThrowsError(try Repo.linter.read(path: "/dev/zero")) { e in XCTAssertTrue("\(e)".contains("device"), "\(e)") }
        XCTAssertThrowsError(try Repo.linter.read(path: dir.path)) { e in XCTAssertTrue("\(e)".contains("folder"), "\(e)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "nothing blocks")
        // A symbolic link to a regular file is read.
        let link = dir.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Repo.path("samples/clean-2021-government.txt"))
        XCTAssertNoThrow(try Repo.linter.read(path: link))
    }
}

/// Zip archives made for tests, with Python's zipfile.
enum FormatFixtures {
    static func zip(_ entries: [(String, Data)]) throws -> Data {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, data) in entries {
            let f = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: f.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: f)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.currentDirectoryURL = dir
        p.arguments = [
            "python3", "-c",
            "import zipfile,os\nz=zipfile.ZipFile('out.zip','w',zipfile.ZIP_DEFLATED)\n[z.write(os.path.join(r,f), os.path.relpath(os.path.join(r,f))) for r,_,fs in os.walk('.') for f in fs if f!='out.zip']\nz.close()",
        ]
        try p.run(); p.waitUntilExit()
        return try Data(contentsOf: dir.appendingPathComponent("out.zip"))
    }
}

final class InputFileHeadTests: XCTestCase {
    func testHeadReadsOnlyRegularFilesWithoutBlocking() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-head-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("model.yml").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertNil(InputFile.head(path: fifo, count: 64))
        XCTAssertNil(InputFile.head(path: dir.path, count: 64))
        let file = dir.appendingPathComponent("m.yml")
        try Data("ogilint_model: 1\n".utf8).write(to: file)
        XCTAssertEqual(InputFile.head(path: file.path, count: 7), Data("ogilint".utf8))
    }

    /// `read` gives a file's bytes exactly, whatever its size (its buffer is not zeroed before the read fills it),
    /// and stays usable after the file is gone.
    func testReadGivesEveryByteOfFilesOfAnySize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for size in [0, 1, 7, 4096, 100_003] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let file = dir.appendingPathComponent("f\(size).txt")
            try bytes.write(to: file)
            var read = try InputFile.read(path: file.path, budget: ReadBudget())
            try FileManager.default.removeItem(at: file)
            XCTAssertEqual(read, bytes, "\(size) bytes")
            if size > 0 {
                read[0] ^= 0xFF  // writable, and its own copy
                XCTAssertNotEqual(read, bytes)
            }
        }
    }
}
