import Foundation
import OGILint
import OGIModel
import OGIOutput
import OGIReaders
import OGITestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Outputs never destroy anything and never pass report text through unescaped (issue 10, items 12–20).
final class OutputSafetyTests: XCTestCase {
    /// A fresh folder holding a clean report `in.txt` and a broken one `bad.txt`.
    func folder() throws -> String {
        let d = try temporaryFolder("ogilint-out")
        try FileManager.default.copyItem(atPath: Repo.path("samples/clean-2021-government.txt"), toPath: d + "/in.txt")
        try FileManager.default.copyItem(atPath: Repo.path("samples/broken/app-balance.txt"), toPath: d + "/bad.txt")
        return d
    }

    @discardableResult
    func run(_ args: [String], in dir: String) throws -> (code: Int32, out: Data, err: String) {
        let r = try CLI.run(args, in: dir)
        return (r.code, r.outData, r.err)
    }

    func contents(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

    func leftovers(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("ogilint-") }
    }

    // Item 12
    func testWriteBaselineWithAnUnreadableInputExitsTwoAndWritesNothing() throws {
        let d = try folder()
        try "".write(toFile: d + "/empty.txt", atomically: true, encoding: .utf8)
        let r = try run(["check", "--write-baseline", "b.json", "bad.txt", "empty.txt"], in: d)
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("empty.txt") && r.err.contains("was not written"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: d + "/b.json"))
        XCTAssertEqual(try leftovers(d), [])
        // Readable inputs: written, exit 0, and it reads back.
        XCTAssertEqual(try run(["check", "--write-baseline", "b.json", "bad.txt"], in: d).code, 0)
        XCTAssertEqual(try BaselineFile.load(d + "/b.json").findings.count, 2)
        XCTAssertEqual(try run(["check", "--baseline", "b.json", "bad.txt"], in: d).code, 0)
    }

    // Item 13
    func testFileNamesStartingWithADashAreFiles() throws {
        let d = try folder()
        try FileManager.default.copyItem(atPath: d + "/bad.txt", toPath: d + "/-dash.txt")
        for args in [
            ["-dash.txt"], ["check", "-dash.txt"], ["check", "in.txt", "-dash.txt", "--format", "json"], ["check", "--", "-dash.txt"],
        ] {
            let r = try run(args, in: d)
            XCTAssertEqual(r.code, 1, "\(args): \(r.err)")
            XCTAssertTrue(String(decoding: r.out, as: UTF8.self).contains("-dash.txt"), "\(args)")
        }
        let json = try run(["check", "--format", "json", "in.txt", "-dash.txt", "bad.txt"], in: d)
        let reports = try XCTUnwrap((try JSONSerialization.jsonObject(with: json.out) as? [String: Any])?["reports"] as? [[String: Any]])
        XCTAssertEqual(reports.map { $0["path"] as? String }, ["in.txt", "-dash.txt", "bad.txt"], "in the order given")
        let unknown = try run(["check", "-nofile.txt", "in.txt"], in: d)
        XCTAssertEqual(unknown.code, 2, "a dash argument that is no file is an unknown option")
        XCTAssertTrue(unknown.err.contains("-nofile.txt"), unknown.err)
    }

    /// The option lists used to tell files from options match `check --help`.
    func testTheOptionListsMatchTheHelp() throws {
        let help = String(decoding: try run(["check", "--help"], in: Repo.root).out, as: UTF8.self)
        let withValue = Set(help.matches(of: /(--[a-z-]+) </).map { String($0.1) })
        XCTAssertEqual(
            withValue,
            [
                "--format", "--fail-on", "--config", "--baseline", "--write-baseline", "--rules", "--rules-root", "--agency-kind", "--year",
                "--max-size", "--previous",
            ])
        let all = Set(help.matches(of: /(?m)^  (?:-[a-z], )?(--[a-z-]+)/).map { String($0.1) })
        XCTAssertEqual(all.subtracting(withValue), ["--quiet", "--no-config", "--no-pairing", "--help", "--version"])
    }

    // Item 14
    func testAnOutputThatIsAnInputIsRefused() throws {
        let d = try folder()
        let original = contents(d + "/in.txt")
        try FileManager.default.createSymbolicLink(atPath: d + "/link.txt", withDestinationPath: d + "/in.txt")
        try FileManager.default.linkItem(atPath: d + "/in.txt", toPath: d + "/hard.txt")
        for args in [
            ["--format", "html=in.txt", "in.txt"], ["--format", "json=./in.txt", "in.txt"], ["--write-baseline", "in.txt", "in.txt"],
            ["--format", "sarif=link.txt", "in.txt"], ["--format", "sarif=hard.txt", "in.txt"], ["--format", "json=in.txt", "."],
        ] {
            let r = try run(["check"] + args, in: d)
            XCTAssertEqual(r.code, 2, "\(args)")
            XCTAssertTrue(r.err.contains("refusing to write") && r.err.contains("in.txt"), r.err)
            XCTAssertEqual(contents(d + "/in.txt"), original, "\(args)")
        }
        XCTAssertEqual(try leftovers(d), [])
    }

    // Item 15
    func testNonRegularFilesAreWrittenInPlaceNeverReplaced() throws {
        let d = try folder()
        // A FIFO the user named is written into; it stays a FIFO.
        XCTAssertEqual(mkfifo(d + "/pipe", 0o600), 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [d + "/pipe"]
        let got = Pipe()
        reader.standardOutput = got
        try reader.run()
        let r = try run(["check", "--format", "text", "--format", "json=pipe", "in.txt"], in: d)
        let piped = got.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(String(decoding: piped, as: UTF8.self).contains("\"reports\""))
        var st = stat()
        XCTAssertEqual(lstat(d + "/pipe", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
        // A character device is written in place.
        XCTAssertEqual(try run(["check", "--format", "sarif=/dev/null", "in.txt"], in: d).code, 0)
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType,
            FileAttributeType.typeCharacterSpecial)
        // A symbolic link stays a link; the file it points at gets the output.
        try "old".write(toFile: d + "/target.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: d + "/out.json", withDestinationPath: "target.json")
        XCTAssertEqual(try run(["check", "--format", "json=out.json", "in.txt"], in: d).code, 0)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: d + "/out.json"), "target.json")
        XCTAssertTrue(contents(d + "/target.json")?.contains("\"reports\"") == true)
        // A dangling link and a socket-like special file are refused.
        try FileManager.default.createSymbolicLink(atPath: d + "/dangling.json", withDestinationPath: "nowhere/x.json")
        let dangling = try run(["check", "--format", "json=dangling.json", "in.txt"], in: d)
        XCTAssertEqual(dangling.code, 2)
        XCTAssertTrue(dangling.err.contains("symbolic link"), dangling.err)
        XCTAssertEqual(try leftovers(d), [])
    }

    // Item 16
    func testEveryOutputIsCheckedBeforeAnyIsWritten() throws {
        let d = try folder()
        let same = try run(["check", "--format", "sarif=o.txt", "--format", "json=./o.txt", "in.txt"], in: d)
        XCTAssertEqual(same.code, 2)
        XCTAssertTrue(same.err.contains("two outputs would write the same file"), same.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: d + "/o.txt"))
        let second = try run(["check", "--format", "sarif=first.sarif", "--format", "json=missing/o.json", "in.txt"], in: d)
        XCTAssertEqual(second.code, 2)
        XCTAssertTrue(second.err.contains("missing") && second.err.contains("does not exist"), second.err)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: d + "/first.sarif"), "the first output is not written when the second is refused")
        // An existing output keeps its old content when the run fails before writing.
        try "old".write(toFile: d + "/keep.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["check", "--format", "json=keep.json", "--config", "nope.yml", "in.txt"], in: d).code, 2)
        XCTAssertEqual(contents(d + "/keep.json"), "old")
        XCTAssertEqual(try leftovers(d), [])
    }

    // Item 17
    func testTextOutputShowsControlCharactersInsteadOfSendingThem() throws {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m"
        var f = Finding(
            rule: "X", severity: .error, category: .cell, message: "值\(hostile)", fix: "改\(hostile)",
            location: FindingLocation(line: 3, table: "表\u{1B}", row: "行", column: "列"))
        f.location.cell = "a.b.c"
        let input = CheckedInput(path: "r\(hostile).txt", report: nil, findings: [f])
        let bad = CheckedInput(
            path: "e\u{1B}.txt", error: InputError(path: "e\u{1B}.txt", error: ReaderError.empty(path: "e\u{1B}[2J.txt")))
        let text = TextFormat.render(
            [input, bad],
            run: RunStart(files: [], rules: [], templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages))
        let forbidden: Set<UInt32> = [0x1B, 0x07, 0x9B]
        XCTAssertFalse(text.unicodeScalars.contains { forbidden.contains($0.value) }, text)
        XCTAssertTrue(text.contains("r␛]0;pwned␇␛[2J<U+9B>31m.txt"), text)
        // A file name with an escape sequence, through the command line.
        let d = try folder()
        try FileManager.default.copyItem(atPath: d + "/bad.txt", toPath: d + "/x\u{1B}[2J.txt")
        let r = try run(["check", "."], in: d)
        XCTAssertFalse(r.out.contains(0x1B))
        XCTAssertTrue(String(decoding: r.out, as: UTF8.self).contains("x␛[2J.txt"))
    }

    // Item 18
    func testJUnitDropsWhatXMLForbids() throws {
        let f = Finding(
            rule: "APP-BALANCE", severity: .error, category: .arithmetic, message: "a\u{FFFE}b\u{FFFF}c\u{01}d\u{1B}e<&>", fix: nil,
            location: FindingLocation())
        let xml = JUnitFormat.render(
            [CheckedInput(path: "p\u{FFFF}.txt", report: nil, findings: [f])],
            run: RunStart(
                files: [], rules: Repo.linter.ruleSet.rules, templates: Repo.linter.ruleSet.templates,
                messages: Repo.linter.ruleSet.messages))
        let doc = try XMLDocument(xmlString: xml)
        let failure = try XCTUnwrap(try doc.nodes(forXPath: "//failure").first as? XMLElement)
        XCTAssertEqual(failure.attribute(forName: "message")?.stringValue, "abcde<&>")
        let forbidden: Set<UInt32> = [0xFFFE, 0xFFFF, 0x01]
        XCTAssertFalse(xml.unicodeScalars.contains { forbidden.contains($0.value) })
    }

    // Item 19
    func testMarkdownEscapesHTMLAndBackticks() throws {
        let f = Finding(
            rule: "X", severity: .error, category: .cell, message: "<img/src=x/onerror=alert(1)> `code` | *b*", fix: "<script>x</script>",
            location: FindingLocation(row: "a|b"))
        let md = MarkdownFormat.render(
            [CheckedInput(path: "a`b``c.txt", report: nil, findings: [f]), CheckedInput(path: "`x", report: nil, findings: [])],
            run: RunStart(files: [], rules: [], templates: Repo.linter.ruleSet.templates, messages: Repo.linter.ruleSet.messages))
        XCTAssertFalse(md.contains("<img") || md.contains("<script"), md)
        XCTAssertTrue(md.contains("&lt;img/src=x/onerror=alert(1)&gt; \\`code\\` \\| \\*b\\*"), md)
        XCTAssertTrue(md.contains("### ```a`b``c.txt```"), "a code span fenced longer than any backtick run inside: \(md)")
        XCTAssertTrue(md.contains("### `` `x ``"), md)
    }

    // Item 20
    func testAFolderAsOutputHasAClearMessage() throws {
        let d = try folder()
        try FileManager.default.createDirectory(atPath: d + "/out", withIntermediateDirectories: true)
        let r = try run(["check", "--format", "html=out", "in.txt"], in: d)
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("out: it is a folder; give a file name"), r.err)
        XCTAssertFalse(r.err.contains("NSCocoaErrorDomain"))
    }

    func testOwnOutputsAndSpecialFilesInAScannedFolderAreNotReports() throws {
        let d = try folder()
        XCTAssertEqual(
            try run(
                ["check", "--format", "html=report.html", "--format", "json=report.json", "--format", "sarif=report.sarif", "."], in: d
            ).code, 1)
        XCTAssertEqual(try run(["check", "--write-baseline", "baseline.json", "."], in: d).code, 0)
        XCTAssertEqual(mkfifo(d + "/fifo.txt", 0o600), 0, "a FIFO would block a reader forever")
        try FileManager.default.createSymbolicLink(
            atPath: d + "/outside.txt", withDestinationPath: Repo.path("samples/broken/cell-blank.txt"))
        let json = try run(["check", "--format", "json", "."], in: d)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.out) as? [String: Any])
        let paths = (root["reports"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
        XCTAssertEqual(paths, ["./bad.txt", "./in.txt"])
        XCTAssertEqual((root["summary"] as? [String: Any])?["skipped_files"] as? Int, 6, "4 outputs, the FIFO and the link")
    }

    func testRegularFilesAreReplacedAtomicallyKeepingTheirMode() throws {
        let d = try folder()
        try "old".write(toFile: d + "/r.json", atomically: true, encoding: .utf8)
        chmod(d + "/r.json", 0o640)
        let before = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: d + "/r.json")[.systemFileNumber] as? Int)
        XCTAssertEqual(try run(["check", "--format", "json=r.json", "in.txt"], in: d).code, 0)
        let attrs = try FileManager.default.attributesOfItem(atPath: d + "/r.json")
        XCTAssertNotEqual(attrs[.systemFileNumber] as? Int, before, "a new file renamed over the old one")
        XCTAssertEqual((attrs[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o640)
        XCTAssertTrue(contents(d + "/r.json")?.hasSuffix("}\n") == true)
        XCTAssertEqual(try leftovers(d), [])
    }

    /// A run killed while writing leaves no temporary file behind.
    func testAnInterruptedRunLeavesNoTemporaryFile() throws {
        let d = try folder()
        try FileManager.default.createDirectory(atPath: d + "/many", withIntermediateDirectories: true)
        for i in 0..<400 { try FileManager.default.copyItem(atPath: d + "/bad.txt", toPath: d + "/many/r\(i).txt") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["check", "--format", "json=out.json", "many"]
        p.currentDirectoryURL = URL(fileURLWithPath: d)
        p.environment = ProcessInfo.processInfo.environment.merging(["OGILINT_RULES": Repo.rules]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var sawTemporary = false
        for _ in 0..<500 where p.isRunning {
            if try !leftovers(d).isEmpty { sawTemporary = true; break }
            usleep(10_000)
        }
        guard sawTemporary else { p.waitUntilExit(); throw XCTSkip("the run ended before it could be interrupted") }
        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertEqual(try leftovers(d), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: d + "/out.json"))
    }
}
