import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// PDFs that cannot be read say what is wrong with them; pdftotext is waited on and stopped at its deadline.
final class PDFReaderTests: XCTestCase {
    /// A one-page PDF without text, optionally with an encryption dictionary in its trailer.
    static func minimalPDF(encrypted: Bool) -> Data {
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        ]
        if encrypted {
            objects.append(
                "<< /Filter /Standard /V 1 /R 2 /O <\(String(repeating: "11", count: 32))> /U <\(String(repeating: "22", count: 32))> /P -4 >>"
            )
        }
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        let id = String(repeating: "ab", count: 16)
        out +=
            "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R\(encrypted ? " /Encrypt 4 0 R" : "") /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    func message(_ data: Data, _ name: String) -> String {
        do { _ = try Repo.linter.read(path: name, data: data); return "" } catch { return "\(error)" }
    }

    func testEncryptedPDFGetsItsOwnMessage() {
        let m = message(Self.minimalPDF(encrypted: true), "locked.pdf")
        XCTAssertTrue(m.hasPrefix("locked.pdf: the PDF is encrypted"), m)
        XCTAssertFalse(m.contains("Word") || m.contains("plain text"), m)
    }

    func testTruncatedPDFSaysItIsIncomplete() {
        let whole = Self.minimalPDF(encrypted: false)
        let m = message(whole.prefix(whole.count - 60), "cut.pdf")
        XCTAssertTrue(m.contains("damaged or incomplete") && m.contains("cut off"), m)
        XCTAssertFalse(m.contains("Word") || m.contains("plain text"), m)
        // A complete PDF without text is a picture, not a damaged file.
        XCTAssertTrue(message(whole, "scan.pdf").contains("no text layer"), message(whole, "scan.pdf"))
    }

    func testAHangingPdftotextIsStoppedAtItsDeadline() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("pdftotext").path
        try "#!/bin/sh\nexec sleep 60\n".write(toFile: fake, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(fake, 0o755), 0)
        setenv("OGILINT_PDFTOTEXT", fake, 1)
        defer { unsetenv("OGILINT_PDFTOTEXT") }
        let reader = PDFReader(context: try ReaderContext(templates: Repo.linter.ruleSet.templates), timeout: 1)
        let start = Date()
        XCTAssertThrowsError(try reader.read(path: "slow.pdf", data: Self.minimalPDF(encrypted: false))) { e in
            XCTAssertTrue("\(e)".contains("did not finish within 1 s"), "\(e)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testNoTemporaryCopyIsWritten() throws {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not present") }
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
        _ = try Repo.linter.read(path: (shared as NSString).appendingPathComponent("corpus/original/huaian-shi-2024.pdf"))
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
        XCTAssertTrue(after.subtracting(before).filter { $0.hasPrefix("ogilint") }.isEmpty)
    }

    func testKillingOgilintEndsPdftotext() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { throw XCTSkip("needs util-linux setpriv") }
        let beside = (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path as NSString).appendingPathComponent(
            "ogilint")
        let binary = FileManager.default.isExecutableFile(atPath: beside) ? beside : Repo.path(".build/debug/ogilint")
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("ogilint binary not built") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid").path
        let fake = dir.appendingPathComponent("pdftotext").path
        try "#!/bin/sh\necho $$ > \(pidFile)\nexec sleep 30\n".write(toFile: fake, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(fake, 0o755), 0)
        let pdf = dir.appendingPathComponent("r.pdf")
        try Self.minimalPDF(encrypted: false).write(to: pdf)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["check", pdf.path]
        p.environment = ProcessInfo.processInfo.environment.merging(["OGILINT_PDFTOTEXT": fake]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var child: pid_t = 0
        for _ in 0..<100 where child == 0 {
            usleep(50_000)
            child =
                pid_t((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        }
        XCTAssertGreaterThan(child, 0, "the fake pdftotext started")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        func alive(_ pid: pid_t) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            // A zombie waiting for its new parent to reap it is already dead.
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
        }
        var gone = false
        for _ in 0..<40 where !gone { usleep(50_000); gone = !alive(child) }
        if !gone { kill(child, SIGKILL) }
        XCTAssertTrue(gone, "pdftotext ended with ogilint")
    }
}
