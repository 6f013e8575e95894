import Foundation
import XCTest

@testable import OGIReaders

/// `PDFToText` starts the tool with `posix_spawn` and serves its three pipes from one `poll` loop: the input is
/// fed whole (past a pipe's buffer), both outputs are read to their end, a failure keeps the first lines of the
/// error output, too much output and the deadline stop the tool.
final class PDFToTextTests: XCTestCase {
    /// A fake pdftotext running `script` (sh), in a fresh folder.
    func fake(_ script: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pdftotext").path
        try "#!/bin/sh\n\(script)\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(path, 0o755), 0)
        return path
    }

    func run(_ script: String, input: Data, timeout: TimeInterval = 20, max: Int = 50_000_000) throws -> PDFToText.Outcome {
        try PDFToText(tool: try fake(script), timeout: timeout, maxOutputBytes: max).run(input, path: "x.pdf")
    }

    func testTheWholeInputGoesInAndTheWholeOutputComesOut() throws {
        // Larger than a pipe's buffer both ways, with bytes of every value.
        var input = Data()
        for i in 0..<700_000 { input.append(UInt8(truncatingIfNeeded: i &* 31 &+ i >> 9)) }
        guard case .text(let out) = try run("cat; echo done >&2", input: input) else { return XCTFail("not text") }
        XCTAssertEqual(out, input)
        guard case .text(let empty) = try run("cat", input: Data()) else { return XCTFail("not text") }
        XCTAssertEqual(empty, Data())
    }

    func testTheArgumentsAreThoseOfReadingStandardInputToStandardOutput() throws {
        guard case .text(let out) = try run("printf '%s|' \"$@\"", input: Data("x".utf8)) else { return XCTFail("not text") }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "-layout|-enc|UTF-8|-q|-|-|")
    }

    func testAFailureKeepsTheFirstThreeLinesOfItsErrors() throws {
        let outcome = try run(
            "cat >/dev/null; printf ' one\\ntwo\\nthree\\nfour\\n' >&2; exit 3", input: Data(repeating: 7, count: 200_000))
        guard case .failed(let message) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(message, "one; two; three")
    }

    func testAToolThatReadsNothingStillEnds() throws {
        // The input cannot all be written: the write fails when the reader has gone, without ending ogilint.
        let outcome = try run("echo partial; exit 0", input: Data(repeating: 1, count: 2_000_000))
        guard case .text(let out) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "partial\n")
    }

    func testASignalIsAFailure() throws {
        let outcome = try run("cat >/dev/null; kill -TERM $$", input: Data("x".utf8))
        guard case .failed = outcome else { return XCTFail("\(outcome)") }
    }

    func testTooMuchOutputStopsTheTool() throws {
        let start = Date()
        let outcome = try run("exec yes", input: Data("x".utf8), max: 100_000)
        guard case .tooMuchOutput = outcome else { return XCTFail("\(outcome)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// A tool that closes both outputs shortly before the deadline and exits shortly after it has finished: its
    /// output is complete, so it is read, not taken for a timeout.
    func testAToolThatClosesItsOutputsBeforeTheDeadlineIsNotTimedOut() throws {
        // Outputs closed at ~0.8 s (1.2 s before the deadline), exit at ~2.6 s (past it, 1.2 s before the grace ends).
        let outcome = try run("cat; sleep 0.8; exec >&- 2>&-; sleep 1.8", input: Data("late".utf8), timeout: 2)
        guard case .text(let out) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "late")
    }

    /// Endless error output is read to its end but only its first bytes are kept: a 3 MB line of errors gives a
    /// message of the kept bytes; lines after a cut-off are not read into the message.
    func testErrorOutputIsKeptUpToItsLimit() throws {
        let outcome = try run("cat >/dev/null; head -c 3000000 /dev/zero | tr '\\0' x >&2; exit 3", input: Data("x".utf8))
        guard case .failed(let message) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(message.utf8.count, PDFToText.maxErrorBytes)
        XCTAssertTrue(message.utf8.allSatisfy { $0 == 0x78 })
        let lines = try run(
            "cat >/dev/null; printf 'one\\ntwo\\nthree\\n' >&2; head -c 3000000 /dev/zero | tr '\\0' x >&2; exit 3",
            input: Data("x".utf8))
        guard case .failed(let first) = lines else { return XCTFail("\(lines)") }
        XCTAssertEqual(first, "one; two; three")
    }

    func testDrainKeepsAtMostItsLimitAndReadsTheRest() throws {
        guard let p = PDFToText.pipe() else { return XCTFail("no pipe") }
        let bytes = [UInt8](repeating: 0x61, count: 300)
        XCTAssertEqual(write(p.write, bytes, bytes.count), 300)
        close(p.write)
        let exchange = PDFToText.Exchange(
            pid: 1 << 30, input: -1, output: -1, errors: -1, pdf: Data(), maxOutputBytes: 0, deadline: 0)
        var fd = p.read
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 128)
        var reads = 0
        while fd >= 0 {
            if exchange.drain(&fd, into: &out, buffer: &buffer, keepingAtMost: 200) { reads += 1 }
        }
        XCTAssertEqual(reads, 3)
        XCTAssertEqual(out.count, 200)
        XCTAssertEqual(fd, -1)
    }

    func testTheDeadlineStopsATool() throws {
        let start = Date()
        let outcome = try run("exec sleep 60", input: Data("x".utf8), timeout: 1)
        guard case .timedOut = outcome else { return XCTFail("\(outcome)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // One that closes its outputs and goes on running is stopped too, once its grace to exit (PDFToText.exitGrace) is over.
        let closed = try run("exec sleep 60 >/dev/null 2>&1 </dev/null", input: Data("x".utf8), timeout: 1)
        guard case .timedOut = closed else { return XCTFail("\(closed)") }
    }

    func testAToolThatCannotStartIsAToolError() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-none-\(UUID().uuidString)").path
        do {
            let outcome = try PDFToText(tool: missing, timeout: 5, maxOutputBytes: 1000).run(Data("x".utf8), path: "x.pdf")
            // Through setpriv the tool is started by setpriv, which then fails.
            guard case .failed = outcome else { return XCTFail("\(outcome)") }
            XCTAssertNotNil(PDFToText.setpriv)
        } catch let e as ReaderError {
            XCTAssertNil(PDFToText.setpriv)
            XCTAssertTrue("\(e)".contains("cannot run"), "\(e)")
        }
    }
}

/// When one of the three pipes cannot be made (descriptors exhausted), the ones already made are closed.
final class PDFToTextPipeTests: XCTestCase {
    func testPipesMadeBeforeAFailureAreClosed() {
        var made: [(read: Int32, write: Int32)] = []
        let result = PDFToText.pipes(3) {
            guard made.count < 2, let p = PDFToText.pipe() else { errno = EMFILE; return nil }
            made.append(p)
            return p
        }
        guard case .failure(let e) = result else { return XCTFail("three pipes made") }
        XCTAssertEqual(e.code, EMFILE)
        XCTAssertEqual(made.count, 2)
        for p in made {
            XCTAssertEqual(fcntl(p.read, F_GETFD), -1, "read end \(p.read) still open")
            XCTAssertEqual(fcntl(p.write, F_GETFD), -1, "write end \(p.write) still open")
        }
    }

    func testAllPipesAreMadeAndOpen() {
        guard case .success(let pipes) = PDFToText.pipes(3) else { return XCTFail("no pipes") }
        XCTAssertEqual(pipes.count, 3)
        for p in pipes {
            XCTAssertNotEqual(fcntl(p.read, F_GETFD), -1)
            XCTAssertNotEqual(fcntl(p.write, F_GETFD) & FD_CLOEXEC, 0, "not close-on-exec")
            close(p.read); close(p.write)
        }
    }
}
