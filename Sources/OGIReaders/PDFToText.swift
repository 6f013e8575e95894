import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `pdftotext -layout - -`: the PDF goes in on standard input and the text comes out on standard
/// output, so no temporary copy is written and nothing is left behind if ogilint is stopped (the pipes
/// close and pdftotext ends). The process is waited on, not polled; past the timeout it is killed.
struct PDFToText {
    enum Outcome { case text(Data), failed(String), timedOut, tooMuchOutput }

    let tool: String
    let timeout: TimeInterval
    let maxOutputBytes: Int

    /// util-linux's `setpriv`, which can ask the kernel to signal the child when its parent dies.
    static let setpriv: String? = {
        #if os(Linux)
            return ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        #else
            return nil
        #endif
    }()

    func run(_ pdf: Data, path: String) throws -> Outcome {
        let p = Process()
        let arguments = ["-layout", "-enc", "UTF-8", "-q", "-", "-"]
        if let setpriv = Self.setpriv {
            // Linux: the kernel kills pdftotext if ogilint dies first (even by SIGKILL), so none is left running.
            p.executableURL = URL(fileURLWithPath: setpriv)
            p.arguments = ["--pdeathsig", "KILL", "--", tool] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
        }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        do { try p.run() } catch {
            throw ReaderError.tool(path: path, detail: "cannot run \(tool): \(error.localizedDescription)")
        }
        // A write to a pipe whose reader has gone must fail with EPIPE, not end ogilint with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let h = input.fileHandleForWriting
            try? h.write(contentsOf: pdf)
            try? h.close()
        }
        let errorText = DataBox()
        DispatchQueue.global().async(group: group) {
            errorText.data = (try? errors.fileHandleForReading.readToEnd()) ?? Data()
        }
        // The deadline kills the process, which closes its output and ends the read below.
        let timedOut = ManagedFlag()
        let killer = DispatchWorkItem {
            guard p.isRunning else { return }
            timedOut.set()
            kill(p.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        var text = Data()
        var tooMuch = false
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text.append(chunk)
            if text.count > maxOutputBytes {
                tooMuch = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
        }
        exited.wait()
        killer.cancel()
        group.wait()
        if timedOut.isSet { return .timedOut }
        if tooMuch { return .tooMuchOutput }
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            let message = String(decoding: errorText.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(message.split(separator: "\n").prefix(3).joined(separator: "; "))
        }
        return .text(text)
    }
}

/// A flag set from one thread and read from another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Bytes filled in by another thread, read after it has finished (the group wait orders the two).
final class DataBox: @unchecked Sendable {
    var data = Data()
}
