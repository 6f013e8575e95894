import Foundation
import OGITestSupport
import XCTest

/// Every `ogilint` command shown in README.md and docs/**/*.md is run, so the documents cannot show an example the
/// tool rejects. The documents are read when the tests run; nothing of them is copied here.
///
/// What counts as a shown command (the convention for whoever writes the documents):
/// - In a fenced block marked `sh`, `shell`, `bash`, `console` or unmarked: every line that starts with
///   `ogilint ` or `swift run ogilint ` (after an optional `$ ` prompt). A line ending in `\` continues on the next.
///   Other lines (`swift test`, `cd …`) are not run.
/// - A shell comment on the command's line steers the test: `# not run` leaves it out (for commands that need
///   something the clone does not have); `# exit N` states the exit code; without it the code must be 0 or 1.
/// - Shown output is compared exactly with standard output, where a line holding only `…` stands for any number
///   of lines. Output is shown (a) in an unmarked or `text` block right after a block holding a single command,
///   (b) in such a block right after a line of prose that quotes one command and ends with `:`, as in
///   "A report with problems (`ogilint check …`):" — that command is run too — or (c) in a `console` block, as
///   the lines after a `$ ogilint …` line up to the next prompt.
///
/// The commands of one document run in order, through `/bin/sh`, with the built `ogilint` first on the PATH and
/// `OGILINT_RULES` unset, in a scratch folder that links every top-level entry of the repository (so `samples/…`
/// and `rules/` resolve, and files the commands write do not land in the clone). `reports/`, the folder of
/// reports the CI examples speak of, holds copies of the two clean text samples and `samples/broken/app-balance.txt`.
final class ReadmeCommandTests: XCTestCase {
    // MARK: The documents

    /// README.md and every Markdown file under docs/.
    static var documents: [String] {
        var found = ["README.md"]
        let docs = Repo.path("docs")
        if let walker = FileManager.default.enumerator(atPath: docs) {
            for case let relative as String in walker where relative.hasSuffix(".md") {
                found.append("docs/" + relative)
            }
        }
        return found.sorted()
    }

    func testTheREADMEShowsCommandsAndOutput() throws {
        // Guards the extraction itself: if the README's examples stopped being recognised, every other test here
        // would pass on nothing.
        let examples = DocumentExamples.parse(try String(contentsOfFile: Repo.path("README.md"), encoding: .utf8), file: "README.md")
        XCTAssertTrue(
            examples.contains { $0.command.hasPrefix("ogilint check ") && !$0.skipped },
            "no runnable `ogilint check` command found in README.md")
        XCTAssertTrue(examples.contains { $0.shownOutput != nil }, "no command with shown output found in README.md")
    }

    func testEveryCommandInTheDocumentsRunsAsShown() throws {
        var ran = 0
        for document in Self.documents {
            let text = try String(contentsOfFile: Repo.path(document), encoding: .utf8)
            let examples = DocumentExamples.parse(text, file: document)
            guard examples.contains(where: { !$0.skipped }) else { continue }
            let scratch = try ScratchCheckout()
            defer { scratch.remove() }
            for example in examples where !example.skipped {
                let result = try scratch.run(example.command)
                ran += 1
                let place = "\(example.file):\(example.line): `\(example.command)`"
                if let expected = example.expectedExit {
                    XCTAssertEqual(result.code, expected, "\(place) exited \(result.code), the document says \(expected)\n\(result.err)")
                } else {
                    XCTAssertTrue(result.code == 0 || result.code == 1, "\(place) exited \(result.code) (expected 0 or 1)\n\(result.err)")
                }
                if let shown = example.shownOutput, let mismatch = OutputMatch.mismatch(shown: shown, actual: result.out) {
                    XCTFail("\(place): the output differs from the one shown at \(example.file):\(example.outputLine ?? 0): \(mismatch)")
                }
            }
        }
        XCTAssertGreaterThan(ran, 0)
    }

    /// The report-model example in the README (the YAML block that starts with `ogilint_model:`) is a model the
    /// tool accepts: `ogilint model` reads it and prints it back.
    func testTheREADMEModelExampleIsAccepted() throws {
        let readme = try String(contentsOfFile: Repo.path("README.md"), encoding: .utf8)
        let blocks = FencedBlock.all(in: readme).filter { block in
            let firstLine = block.lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
            return ["yaml", "yml"].contains(block.language) && firstLine?.hasPrefix("ogilint_model:") == true
        }
        let block = try XCTUnwrap(blocks.first, "README.md shows no report model (a yaml block starting with `ogilint_model:`)")
        let scratch = try ScratchCheckout()
        defer { scratch.remove() }
        try block.lines.joined(separator: "\n").write(toFile: scratch.path("readme-model.yml"), atomically: true, encoding: .utf8)
        let result = try scratch.run("ogilint model readme-model.yml")
        XCTAssertEqual(result.code, 0, "README.md:\(block.startLine): the report-model example is rejected:\n\(result.err)")
        XCTAssertTrue(result.out.hasPrefix("ogilint_model: 1"), result.out)
    }

    // MARK: The extraction and the comparison themselves

    func testExtractionFollowsTheConvention() {
        let doc = """
            Intro.

            ```sh
            swift run ogilint check a.txt   # the sample
            swift test
            ogilint check --fail-on error reports/   # exit 1 blocks the pipeline
            ogilint check drafts/   # not run: needs your drafts
            ogilint check --format json \\
              b.txt
            ```

            Problems (`swift run ogilint check c.txt`):

            ```
            line one
              …
            last
            ```

            ```sh
            ogilint rules APP-BALANCE
            ```

            ```text
            APP-BALANCE
            ```

            ```console
            $ ogilint --version
            0.1.0
            $ ogilint rules   # exit 0
            ```

            ```yaml
            ogilint check not-a-command.txt
            ```
            """
        let examples = DocumentExamples.parse(doc, file: "X.md")
        XCTAssertEqual(
            examples.map(\.command),
            [
                "ogilint check a.txt   # the sample",
                "ogilint check --fail-on error reports/   # exit 1 blocks the pipeline",
                "ogilint check drafts/   # not run: needs your drafts",
                "ogilint check --format json \\\n  b.txt",
                "ogilint check c.txt",
                "ogilint rules APP-BALANCE",
                "ogilint --version",
                "ogilint rules   # exit 0",
            ])
        XCTAssertEqual(examples.map(\.line), [4, 6, 7, 8, 12, 21, 29, 31])
        XCTAssertEqual(examples.map(\.skipped), [false, false, true, false, false, false, false, false])
        XCTAssertEqual(examples.map(\.expectedExit), [nil, 1, nil, nil, nil, nil, nil, 0])
        XCTAssertEqual(examples[4].shownOutput, ["line one", "  …", "last"])
        XCTAssertEqual(examples[4].outputLine, 14)
        XCTAssertEqual(examples[5].shownOutput, ["APP-BALANCE"])
        XCTAssertEqual(examples[6].shownOutput, ["0.1.0"])
        XCTAssertNil(examples[0].shownOutput)
        XCTAssertNil(examples[7].shownOutput)
    }

    func testOutputComparisonIsExactExceptForElisions() {
        XCTAssertNil(OutputMatch.mismatch(shown: ["a", "b"], actual: "a\nb\n"))
        XCTAssertNotNil(OutputMatch.mismatch(shown: ["a", "b"], actual: "a\nb \n"), "trailing spaces count")
        XCTAssertNotNil(OutputMatch.mismatch(shown: ["a"], actual: "a\nb\n"), "extra output is a difference")
        XCTAssertNotNil(OutputMatch.mismatch(shown: ["a", "b"], actual: "a\n"), "missing output is a difference")
        XCTAssertNil(OutputMatch.mismatch(shown: ["a", "  …", "d"], actual: "a\nb\nc\nd\n"))
        XCTAssertNil(OutputMatch.mismatch(shown: ["a", "…", "d"], actual: "a\nd\n"), "an elision may stand for nothing")
        XCTAssertNil(OutputMatch.mismatch(shown: ["a", "…", "x", "…"], actual: "a\nx\nb\nx\nc\n"))
        XCTAssertNotNil(OutputMatch.mismatch(shown: ["a", "…", "e"], actual: "a\nb\nc\nd\n"))
    }
}

// MARK: - Reading the documents

/// A fenced code block of a Markdown document.
struct FencedBlock {
    /// The info string's first word, lower-cased ("" when unmarked).
    var language: String
    /// Lines between the fences, with the fence's indentation removed.
    var lines: [String]
    /// 1-based line number of the opening fence.
    var startLine: Int
    /// 1-based line number of the closing fence.
    var endLine: Int

    static func all(in text: String) -> [FencedBlock] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [FencedBlock] = []
        var i = 0
        while i < lines.count {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { i += 1; continue }
            let indent = lines[i].prefix { $0 == " " }.count
            let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
            let language = String(info.split(separator: " ").first ?? "").lowercased()
            var body: [String] = []
            var j = i + 1
            while j < lines.count, lines[j].trimmingCharacters(in: .whitespaces) != "```" {
                var line = Substring(lines[j])
                var dropped = 0
                while dropped < indent, line.first == " " { line = line.dropFirst(); dropped += 1 }
                body.append(String(line))
                j += 1
            }
            blocks.append(FencedBlock(language: language, lines: body, startLine: i + 1, endLine: j + 1))
            i = j + 1
        }
        return blocks
    }
}

/// One command shown in a document, and what the document says about its result.
struct DocumentExample {
    var file: String
    var line: Int
    /// As written (a leading `swift run ` removed, continuation lines joined with their `\`), comment included.
    var command: String
    var skipped: Bool
    var expectedExit: Int32?
    var shownOutput: [String]?
    var outputLine: Int?
}

enum DocumentExamples {
    static let commandBlockLanguages: Set<String> = ["", "sh", "shell", "bash", "console"]
    static let outputBlockLanguages: Set<String> = ["", "text"]

    static func parse(_ text: String, file: String) -> [DocumentExample] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var examples: [DocumentExample] = []
        // The single command of the previous block, while only blank lines follow it.
        var previousBlock: (endLine: Int, index: Int)?
        var lineAfterPrevious = 1
        for block in FencedBlock.all(in: text) {
            let commands =
                block.language == "console"
                ? consoleCommands(block, file: file)
                : commandBlockLanguages.contains(block.language) ? plainCommands(block, file: file) : []
            if !commands.isEmpty {
                examples += commands
                previousBlock = commands.count == 1 && commands[0].shownOutput == nil ? (block.endLine, examples.count - 1) : nil
            } else if outputBlockLanguages.contains(block.language) {
                let between = lines[(lineAfterPrevious - 1)..<(block.startLine - 1)]
                if let previous = previousBlock, previous.endLine == lineAfterPrevious - 1,
                    between.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty })
                {
                    examples[previous.index].shownOutput = block.lines
                    examples[previous.index].outputLine = block.startLine
                } else if var introduced = introducedCommand(before: block, lines: lines, file: file) {
                    introduced.shownOutput = block.lines
                    introduced.outputLine = block.startLine
                    examples.append(introduced)
                }
                previousBlock = nil
            } else {
                previousBlock = nil
            }
            lineAfterPrevious = block.endLine + 1
        }
        return examples
    }

    /// `ogilint …` or `swift run ogilint …` without the `swift run `; nil for any other line.
    static func command(_ line: String) -> String? {
        if line.hasPrefix("ogilint ") || line == "ogilint" { return line }
        if line.hasPrefix("swift run ogilint ") || line == "swift run ogilint" { return String(line.dropFirst("swift run ".count)) }
        return nil
    }

    static func example(_ command: String, file: String, line: Int) -> DocumentExample {
        let comment = shellComment(command)?.lowercased() ?? ""
        var expected: Int32?
        if let match = comment.range(of: #"^exit\s+[0-9]+"#, options: .regularExpression) {
            expected = Int32(comment[match].split(whereSeparator: \.isWhitespace).last ?? "")
        }
        return DocumentExample(file: file, line: line, command: command, skipped: comment.hasPrefix("not run"), expectedExit: expected)
    }

    /// The text after the first `#` that starts a shell comment (outside quotes, at the start or after a blank).
    static func shellComment(_ command: String) -> String? {
        var quote: Character?
        var previous: Character = " "
        for (offset, c) in command.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "#", previous.isWhitespace {
                return String(command.dropFirst(offset + 1)).trimmingCharacters(in: .whitespaces)
            }
            previous = c
        }
        return nil
    }

    static func plainCommands(_ block: FencedBlock, file: String) -> [DocumentExample] {
        var found: [DocumentExample] = []
        var i = 0
        while i < block.lines.count {
            let start = i
            var text = block.lines[i]
            while text.hasSuffix("\\"), i + 1 < block.lines.count {
                i += 1
                text += "\n" + block.lines[i]
            }
            if let command = command(text) { found.append(example(command, file: file, line: block.startLine + 1 + start)) }
            i += 1
        }
        return found
    }

    static func consoleCommands(_ block: FencedBlock, file: String) -> [DocumentExample] {
        var found: [DocumentExample] = []
        var current: DocumentExample?
        var output: [String] = []
        func finish() {
            guard var done = current else { return }
            while output.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { output.removeLast() }
            if !output.isEmpty { done.shownOutput = output; done.outputLine = done.line + 1 }
            found.append(done)
            current = nil
            output = []
        }
        for (offset, line) in block.lines.enumerated() {
            if line.hasPrefix("$ ") {
                finish()
                if let command = command(String(line.dropFirst(2))) {
                    current = example(command, file: file, line: block.startLine + 1 + offset)
                }
            } else if current != nil {
                output.append(line)
            }
        }
        finish()
        return found
    }

    /// The command quoted in the last line of prose before an output block, when that line ends with `:`.
    static func introducedCommand(before block: FencedBlock, lines: [String], file: String) -> DocumentExample? {
        var n = block.startLine - 2
        while n >= 0, lines[n].trimmingCharacters(in: .whitespaces).isEmpty { n -= 1 }
        guard n >= 0 else { return nil }
        let prose = lines[n].trimmingCharacters(in: .whitespaces)
        guard prose.hasSuffix(":") || prose.hasSuffix("：") else { return nil }
        let spans = prose.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map {
            String($0.element)
        }
        let commands = spans.compactMap(command)
        guard commands.count == 1 else { return nil }
        return example(commands[0], file: file, line: n + 1)
    }
}

/// Compares shown output with actual output, where a line holding only `…` stands for any number of lines.
enum OutputMatch {
    /// nil when they match; else what differs.
    static func mismatch(shown: [String], actual: String) -> String? {
        var actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while actualLines.last == "" { actualLines.removeLast() }
        var shownLines = shown
        while shownLines.last?.isEmpty == true { shownLines.removeLast() }
        if matches(shownLines[...], actualLines[...]) { return nil }
        // Point at the first shown line that is not printed where it should be (after an elision: anywhere later).
        var cursor = 0
        var afterElision = false
        for (i, line) in shownLines.enumerated() {
            if isElision(line) { afterElision = true; continue }
            if afterElision, let found = actualLines[cursor...].firstIndex(of: line) {
                cursor = found + 1
            } else if !afterElision, cursor < actualLines.count, actualLines[cursor] == line {
                cursor += 1
            } else {
                let printed =
                    afterElision
                    ? "not printed after line \(cursor)" : "printed \"\(cursor < actualLines.count ? actualLines[cursor] : "<nothing>")\""
                return "shown line \(i + 1) \"\(line)\" is \(printed)\nprinted:\n\(actual)"
            }
            afterElision = false
        }
        return afterElision
            ? "printed lines match; this should not happen"
            : "\(actualLines.count - cursor) more lines printed than shown, from \"\(actualLines[cursor])\"\nprinted:\n\(actual)"
    }

    static func isElision(_ line: String) -> Bool { line.trimmingCharacters(in: .whitespaces) == "…" }

    static func matches(_ shown: ArraySlice<String>, _ actual: ArraySlice<String>) -> Bool {
        guard let first = shown.first else { return actual.isEmpty }
        if isElision(first) {
            let rest = shown.dropFirst()
            return (actual.startIndex...actual.endIndex).contains { matches(rest, actual[$0...]) }
        }
        guard let line = actual.first, line == first else { return false }
        return matches(shown.dropFirst(), actual.dropFirst())
    }
}

// MARK: - Running the commands

/// A scratch folder standing in for the repository root, with the built `ogilint` on the PATH.
struct ScratchCheckout {
    let root: URL

    init() throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("ogilint-docs-\(UUID().uuidString)")
        try fm.createDirectory(at: root.appendingPathComponent(".bin"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent(".bin/ogilint").path, withDestinationPath: try Self.binary())
        for entry in try fm.contentsOfDirectory(atPath: Repo.root) where !entry.hasPrefix(".") && entry != "dist" {
            try fm.createSymbolicLink(atPath: path(entry), withDestinationPath: Repo.path(entry))
        }
        if !fm.fileExists(atPath: path("reports")) {
            // Copies in a real folder: a folder given as a symbolic link is not searched for reports.
            try fm.createDirectory(atPath: path("reports"), withIntermediateDirectories: false)
            for sample in Self.reportsFolder {
                try fm.copyItem(atPath: Repo.path(sample), toPath: path("reports/" + (sample as NSString).lastPathComponent))
            }
        }
    }

    /// What `reports/` holds: two clean reports and one with an error, so a gate on errors fails.
    static let reportsFolder = ["samples/clean-2019-department.txt", "samples/clean-2021-government.txt", "samples/broken/app-balance.txt"]

    /// The `ogilint` that `swift test` built, found as the CLI tests find it.
    static func binary() throws -> String {
        let beside = (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path as NSString).appendingPathComponent(
            "ogilint")
        let path = FileManager.default.isExecutableFile(atPath: beside) ? beside : Repo.path(".build/debug/ogilint")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("ogilint binary not found at \(path); `swift test` builds it")
        }
        return path
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Runs one shell command line here; gives up after a minute.
    func run(_ command: String) throws -> (code: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["OGILINT_RULES"] = nil
        environment["NO_COLOR"] = "1"
        environment["PATH"] = path(".bin") + ":/usr/bin:/bin"
        process.environment = environment
        // Files rather than pipes: nothing to drain while waiting, whatever the command prints.
        let outFile = path(".out-\(UUID().uuidString)"), errFile = path(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outFile); try? FileManager.default.removeItem(atPath: errFile) }
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            XCTFail("`\(command)` still running after 60 s; stopped")
        }
        process.waitUntilExit()
        let outData = FileManager.default.contents(atPath: outFile) ?? Data()
        let errData = FileManager.default.contents(atPath: errFile) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
