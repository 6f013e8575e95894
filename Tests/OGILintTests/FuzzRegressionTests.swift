import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGIRules
import OGITestSupport
import XCTest

/// Inputs the fuzzers (Fuzz/, scripts/fuzz.sh) found crashing, hanging or exhausting memory, replayed the
/// way their fuzz target feeds them. Each must now end with a typed error that names the file (or be read and
/// checked), within seconds. A new reproducer goes into Fuzz/regressions/TARGET/ with an entry in `expected`
/// below, or, when it is large, is generated in a test here.
final class FuzzRegressionTests: XCTestCase {
    /// What each committed reproducer must produce: a fragment of the error message, or nil when the input
    /// is read and checked without error. Every file under Fuzz/regressions/ needs an entry.
    static let expected: [String: String?] = [
        // ZIPFoundation trapped ("Range requires lowerBound <= upperBound") on an entry's local header past the
        // end (found by the docx target in 60 s on the main before the readers' zip validation).
        "docx/eocd-past-end.docx": "not a readable zip archive",
        // word/document.xml's deflate stream has no final block: ZIPFoundation read on past the entry and waited
        // forever for the stream's end (found by the docx target after ~4 min). DocxReader now inflates exactly
        // the entry's own bytes and refuses a stream that does not end inside them.
        "docx/deflate-stream-without-end.docx": "cannot be unpacked",
    ]

    static let regressions = Repo.path("Fuzz/regressions")

    /// The outcome of feeding `data` to fuzz target `target` (see Fuzz/Sources/fuzz-*/main.swift).
    func replay(_ target: String, _ data: Data) throws {
        let linter = Repo.linter
        func readAndCheck(_ path: String, _ data: Data) throws { _ = linter.check(try linter.read(path: path, data: data)) }
        switch target {
        case "text": try readAndCheck("x.txt", data)
        case "html": try readAndCheck("x.html", data)
        case "docx": try readAndCheck("x.docx", data.starts(with: [0x50, 0x4B]) ? data : try Self.storedDocx(documentXML: data))
        case "model":
            let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            try readAndCheck(first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? "x.json" : "x.yml", data)
        case "rulepack":
            guard let text = String(validating: data, as: UTF8.self) else { return }
            let set = try RulePackLoader.load(texts: try Self.packFoundation() + [("fuzz-pack.yml", text)])
            _ = Engine(ruleSet: set).check(try linter.read(path: Repo.path("samples/clean-2021-government.txt")))
        case "config":
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-fuzzreg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent(".ogilint.yml").path
            try data.write(to: URL(fileURLWithPath: path))
            let set = try LintConfiguration.load(path).apply(to: linter.ruleSet)
            _ = Engine(ruleSet: set).check(try linter.read(path: Repo.path("samples/clean-2021-government.txt")))
        default: XCTFail("unknown fuzz target folder \(target)")
        }
    }

    func testEveryCommittedReproducerEndsWithItsExpectedOutcome() throws {
        let fm = FileManager.default
        var seen: Set<String> = []
        for target in try fm.contentsOfDirectory(atPath: Self.regressions).sorted() where !target.hasPrefix(".") {
            for name in try fm.contentsOfDirectory(atPath: Self.regressions + "/" + target).sorted() where !name.hasPrefix(".") {
                let key = target + "/" + name
                seen.insert(key)
                guard let expectation = Self.expected[key] else {
                    XCTFail("\(key): add its expected outcome to FuzzRegressionTests.expected"); continue
                }
                let data = try Data(contentsOf: URL(fileURLWithPath: Self.regressions + "/" + key))
                let start = Date()
                do {
                    try replay(target, data)
                    if let fragment = expectation { XCTFail("\(key): read without error; expected an error containing '\(fragment)'") }
                } catch {
                    XCTAssert(error is ReaderError || error is RulePackError, "\(key): untyped error \(type(of: error)): \(error)")
                    if let fragment = expectation {
                        XCTAssert("\(error)".contains(fragment), "\(key): '\(error)' does not mention '\(fragment)'")
                    } else {
                        XCTFail("\(key): expected to be read, but: \(error)")
                    }
                }
                XCTAssertLessThan(Date().timeIntervalSince(start), 10, "\(key) took too long (the fuzzers' -timeout is 10 s)")
            }
        }
        XCTAssertEqual(seen, Set(Self.expected.keys), "entries in FuzzRegressionTests.expected without a file")
    }

    /// The reproducer that hung the reader forever is refused quickly also through the CLI (a child process with
    /// a deadline, so a regression fails instead of hanging the suite).
    func testDeflateStreamWithoutEndIsRefusedInTime() throws {
        let file = Repo.path("Fuzz/regressions/docx/deflate-stream-without-end.docx")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["check", "--no-config", file]
        p.environment = ProcessInfo.processInfo.environment.merging(["OGILINT_RULES": Repo.rules]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while p.isRunning && Date() < deadline { usleep(100_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            XCTFail("\(file) hangs the DOCX reader again")
            return
        }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 2, message)
        XCTAssert(message.contains("deflate-stream-without-end.docx: the file is damaged"), message)
    }

    /// The harness's own pieces stay honest: the stored-zip wrapper the docx target uses yields a DOCX the
    /// reader accepts, so fuzzing `word/document.xml` really reaches the XML walker.
    func testDocumentXMLWrappedInAStoredZipIsReadAsTheSampleIs() throws {
        let sample = try Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/clean-2021-government.docx")))
        let original = try Repo.linter.read(path: "x.docx", data: sample)
        let xml = try XCTUnwrap(try Self.sampleParts().first { $0.0 == "word/document.xml" }?.1)
        let wrapped = try Repo.linter.read(path: "x.docx", data: Self.storedDocx(documentXML: xml))
        XCTAssertEqual(wrapped.tables.count, original.tables.count)
        XCTAssertGreaterThan(wrapped.tables.count, 0)
        XCTAssertEqual(Repo.linter.check(wrapped).map(\.rule), Repo.linter.check(original).map(\.rule))
        XCTAssertEqual(Self.crc32(Data("123456789".utf8)), 0xCBF4_3926, "the CRC-32 check value")
    }

    /// The hand-written seeds in Fuzz/seeds/ are valid inputs, so mutations start from deep inside the parsers
    /// (a seed that fails at its first line would only fuzz the error path).
    func testHandWrittenSeedsAreValidInputs() throws {
        let seeds = Repo.path("Fuzz/seeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds + "/config").sorted() {
            let configuration = try LintConfiguration.load(seeds + "/config/" + name)
            XCTAssertNoThrow(try configuration.apply(to: Repo.linter.ruleSet), name)
            XCTAssertFalse(configuration.disable.isEmpty, "\(name) sets rules to disable")
        }
        let starter = try LintConfiguration.load(seeds + "/config/starter-filled.yml")
        for key in ["rules", "disable", "severity", "suppress", "agency_kind", "year", "blank_cells", "fail_on"] {
            XCTAssert(
                LintConfiguration.starter.contains("# \(key):"),
                "ogilint init's starter no longer shows '\(key)'; update Fuzz/seeds/config/starter-filled.yml")
        }
        XCTAssertEqual(starter.suppress.count, 1)
        XCTAssertEqual(starter.year, 2024)
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds + "/model").sorted() {
            let report = try Repo.linter.read(path: seeds + "/model/" + name)
            XCTAssertEqual(report.tables.first?.rows.count, 2, name)
        }
    }

    /// A batch that mixes the reproducers with good reports, checked on several threads: every hostile file
    /// gets its own error, every good one its findings, in input order (a trap in one file once ended the whole
    /// batch). scripts/ci-tsan.sh runs this under the thread sanitizer.
    func testABatchWithHostileFilesChecksEveryOtherFileInOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-fuzzbatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var hostile: Set<String> = []
        var index = 0
        func add(_ source: String, hostileFile: Bool) throws {
            let name = String(format: "f%02d-", index) + (source as NSString).lastPathComponent
            index += 1
            try FileManager.default.copyItem(atPath: source, toPath: dir.appendingPathComponent(name).path)
            if hostileFile { hostile.insert(name) }
        }
        for _ in 0..<3 {
            try add(Repo.path("samples/clean-2021-government.txt"), hostileFile: false)
            try add(Self.regressions + "/docx/eocd-past-end.docx", hostileFile: true)
            try add(Repo.path("samples/clean-2019-department.docx"), hostileFile: false)
            try add(Repo.path("samples/broken/app-balance.html"), hostileFile: false)
        }
        var options = LintSession.Options(rulesRoot: Repo.rules)
        options.useConfiguration = false
        options.workers = 4
        let result = try LintSession(options: options).run([dir.path])
        let names = result.inputs.map { ($0.path as NSString).lastPathComponent }
        XCTAssertEqual(names, names.sorted(), "input order")
        XCTAssertEqual(names.count, index)
        for input in result.inputs {
            let name = (input.path as NSString).lastPathComponent
            if hostile.contains(name) {
                XCTAssertNotNil(input.error, name)
                XCTAssertNil(input.report, name)
            } else {
                XCTAssertNil(input.error, "\(name): \(String(describing: input.error))")
                XCTAssertNotNil(input.report, name)
            }
        }
        XCTAssertEqual(result.summary.unreadable, hostile.count)
        XCTAssertEqual(result.summary.exitStatus(failOn: .error), .toolError)
    }

    // MARK: - Helpers shared with the fuzz targets' behaviour

    /// The bundled reader profile, templates and catalog as (file, text): what the rulepack target loads a
    /// fuzzed pack beside.
    static func packFoundation() throws -> [(String, String)] {
        try RulePackLoader.ruleFiles(in: Repo.rules).filter { !$0.contains("/national/") }
            .map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
    }

    /// samples/clean-2021-government.docx with its `word/document.xml` replaced by `documentXML`, every part
    /// stored (uncompressed), as the docx fuzz target builds it (Fuzz/Sources/FuzzSupport/StoredZip.swift).
    static func storedDocx(documentXML: Data) throws -> Data {
        var out = Data(), central = Data()
        func le(_ v: Int, _ bytes: Int, into d: inout Data) { for i in 0..<bytes { d.append(UInt8((v >> (8 * i)) & 0xFF)) } }
        let parts = try sampleParts().map { $0.0 == "word/document.xml" ? ($0.0, documentXML) : $0 }
        for (name, content) in parts {
            let crc = Int(crc32(content)), size = content.count, offset = out.count, nameBytes = Data(name.utf8)
            for (v, n) in [
                (0x0403_4B50, 4), (20, 2), (0, 2), (0, 2), (0, 2), (0, 2), (crc, 4), (size, 4), (size, 4), (nameBytes.count, 2), (0, 2),
            ] { le(v, n, into: &out) }
            out.append(nameBytes); out.append(content)
            for (v, n) in [
                (0x0201_4B50, 4), (20, 2), (20, 2), (0, 2), (0, 2), (0, 2), (0, 2), (crc, 4), (size, 4), (size, 4),
                (nameBytes.count, 2), (0, 2), (0, 2), (0, 2), (0, 2), (0, 4), (offset, 4),
            ] { le(v, n, into: &central) }
            central.append(nameBytes)
        }
        let centralOffset = out.count
        out.append(central)
        for (v, n) in [
            (0x0605_4B50, 4), (0, 2), (0, 2), (parts.count, 2), (parts.count, 2), (central.count, 4), (centralOffset, 4), (0, 2),
        ] { le(v, n, into: &out) }
        return out
    }

    static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// The parts (name, bytes) of samples/clean-2021-government.docx in archive order, through python3's
    /// zipfile (the sample deflates its parts; the test targets do not link a zip library).
    static func sampleParts() throws -> [(String, Data)] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            """
            import base64, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            for i in z.infolist(): print(i.filename + "\t" + base64.b64encode(z.read(i)).decode())
            """, Repo.path("samples/clean-2021-government.docx"),
        ]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 could not unpack the sample DOCX")
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", maxSplits: 1)
            guard f.count == 2, let d = Data(base64Encoded: String(f[1])) else { return nil }
            return (String(f[0]), d)
        }
    }
}
