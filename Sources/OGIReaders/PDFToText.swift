import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `pdftotext -layout - -`: the PDF goes in on standard input and the text comes out on standard
/// output, so no temporary copy is written and nothing is left behind if ogilint is stopped (the pipes
/// close and pdftotext ends). The process is started with `posix_spawn` and served by one `poll` loop on the
/// calling thread (Foundation's `Process` cost a single run about 10 M instructions of set-up, threads and
/// run-time look-ups); past the timeout it is killed.
struct PDFToText {
    /// `serveFailed`: the pipes could not be served (`poll` failed with this errno); the tool was stopped.
    enum Outcome { case text(Data), failed(String), timedOut, tooMuchOutput, serveFailed(Int32) }

    /// The most of the tool's error output kept: a failure's message is its first lines, and a tool writing
    /// endless warnings must not fill ogilint's memory (the rest is read and dropped, so the tool never blocks).
    static let maxErrorBytes = 65_536
    /// How long a tool that has closed both outputs is given to exit, even past the deadline: its output is
    /// complete, so finishing just before the deadline is not a timeout.
    static let exitGrace: Double = 3

    let tool: String
    let timeout: TimeInterval
    let maxOutputBytes: Int

    /// util-linux's `setpriv`, which can ask the kernel to signal the child when its parent dies.
    static let setpriv: String? = {
        #if os(Linux)
            return ["/usr/bin/setpriv", "/bin/setpriv"].first { access($0, X_OK) == 0 }
        #else
            return nil
        #endif
    }()

    /// The program started and its argument vector (`argv[0]` first).
    var command: (program: String, arguments: [String]) {
        let arguments = ["-layout", "-enc", "UTF-8", "-q", "-", "-"]
        if let setpriv = Self.setpriv {
            // Linux: the kernel kills pdftotext if ogilint dies first (even by SIGKILL), so none is left running.
            return (setpriv, [setpriv, "--pdeathsig", "KILL", "--", tool] + arguments)
        }
        return (tool, [tool] + arguments)
    }

    func run(_ pdf: Data, path: String) throws -> Outcome {
        // A write to a pipe whose reader has gone must fail with EPIPE, not end ogilint with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let (program, arguments) = command
        // The pipes are made and the child started under one lock: another worker's child started in between
        // could otherwise inherit these pipes before they are marked close-on-exec, and hold them open.
        Self.spawnLock.lock()
        let pipes: [(read: Int32, write: Int32)]
        switch Self.pipes(3) {
        case .success(let made): pipes = made
        case .failure(let e):
            Self.spawnLock.unlock()
            throw ReaderError.tool(path: path, detail: "cannot run \(tool): \(String(cString: strerror(e.code)))")
        }
        let (input, output, errors) = (pipes[0], pipes[1], pipes[2])
        let spawned = Self.spawn(program, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
        Self.spawnLock.unlock()
        // The child's ends are the child's alone now.
        close(input.read); close(output.write); close(errors.write)
        let pid: pid_t
        switch spawned {
        case .success(let p): pid = p
        case .failure(let e):
            close(input.write); close(output.read); close(errors.read)
            throw ReaderError.tool(path: path, detail: "cannot run \(tool): \(String(cString: strerror(e.code)))")
        }
        let exchange = Exchange(
            pid: pid, input: input.write, output: output.read, errors: errors.read, pdf: pdf, maxOutputBytes: maxOutputBytes,
            deadline: Self.now() + max(0, timeout))
        let finish = exchange.run()
        let reapBy = finish == .done ? max(exchange.deadline, Self.now() + Self.exitGrace) : exchange.deadline
        guard let status = Self.wait(pid, deadline: reapBy, killed: finish != .done) else { return .timedOut }
        switch finish {
        case .timedOut: return .timedOut
        case .tooMuchOutput: return .tooMuchOutput
        case .serveFailed(let code): return .serveFailed(code)
        case .done: break
        }
        guard status.exited, status.code == 0 else {
            let message = String(decoding: exchange.errorText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(message.split(separator: "\n").prefix(3).joined(separator: "; "))
        }
        return .text(Data(exchange.text))
    }

    /// Held while pipes are made and a child is started (see `run`).
    static let spawnLock = NSLock()

    /// `count` pipes made by `make`, or the `errno` of the first that could not be made; the pipes made before
    /// it are closed then (a run that fails for want of descriptors must not leak more of them).
    static func pipes(
        _ count: Int, make: () -> (read: Int32, write: Int32)? = { pipe() }
    ) -> Result<[(read: Int32, write: Int32)], SpawnError> {
        var made: [(read: Int32, write: Int32)] = []
        for _ in 0..<count {
            guard let p = make() else {
                let code = errno
                for q in made { close(q.read); close(q.write) }
                return .failure(SpawnError(code: code))
            }
            made.append(p)
        }
        return .success(made)
    }

    /// A pipe whose two ends are closed on `exec` (so no other child inherits them); nil when none can be made.
    static func pipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
            guard Glibc.pipe(&fds) == 0 else { return nil }
        #else
            guard Darwin.pipe(&fds) == 0 else { return nil }
        #endif
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Starts `program` with the three descriptors as its standard streams, the caller's environment, no blocked
    /// signals and SIGPIPE and SIGXFSZ at their defaults (ogilint ignores them; the child should not inherit that). The process
    /// id, or the `errno` of the failure.
    static func spawn(_ program: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let code = argv.withUnsafeBufferPointer { av in
            posix_spawn(&pid, program, &actions, &attributes, av.baseAddress!, environ)
        }
        return code == 0 ? .success(pid) : .failure(SpawnError(code: code))
    }

    struct SpawnError: Error { var code: Int32 }

    /// The exit of the process: whether it exited (rather than being killed by a signal) and its status.
    struct ExitStatus {
        var exited: Bool
        var code: Int32
    }

    /// Reaps `pid`. Its output pipes are closed by now, so it has exited or is about to; one that closed them and
    /// goes on running is waited for in short naps until `deadline` and then killed (nil: it was stopped
    /// there). `killed`: it was already killed (past the deadline or the output limit), so it is reaped at once.
    static func wait(_ pid: pid_t, deadline: Double, killed alreadyKilled: Bool) -> ExitStatus? {
        var status: Int32 = 0
        var nap: UInt32 = 20
        var killed = false
        while true {
            let r = waitpid(pid, &status, killed || alreadyKilled ? 0 : WNOHANG)
            if r == pid { break }
            if r < 0 {
                if errno == EINTR { continue }
                return killed ? nil : ExitStatus(exited: false, code: -1)
            }
            if now() >= deadline {
                kill(pid, SIGKILL)
                killed = true
                continue
            }
            usleep(nap)
            nap = min(nap * 2, 10_000)
        }
        if killed { return nil }
        // The bits of `<sys/wait.h>`'s WIFEXITED and WEXITSTATUS, which Swift does not import (they are macros).
        let exited = status & 0x7f == 0
        return ExitStatus(exited: exited, code: (status >> 8) & 0xff)
    }

    /// Seconds on a clock that only moves forward.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Feeds the PDF to the child and collects what it writes on its two outputs, all from one `poll` loop,
    /// until both outputs are closed, the output passes its limit or the deadline passes (the child is then
    /// killed). Every descriptor it was given is closed when `run` returns.
    final class Exchange {
        enum Finish: Equatable { case done, timedOut, tooMuchOutput, serveFailed(Int32) }

        let pid: pid_t
        var input: Int32
        var output: Int32
        var errors: Int32
        let pdf: Data
        let maxOutputBytes: Int
        let deadline: Double
        var written = 0
        var text: [UInt8] = []
        var errorText: [UInt8] = []

        init(pid: pid_t, input: Int32, output: Int32, errors: Int32, pdf: Data, maxOutputBytes: Int, deadline: Double) {
            self.pid = pid; self.input = input; self.output = output; self.errors = errors
            self.pdf = pdf; self.maxOutputBytes = maxOutputBytes; self.deadline = deadline
        }

        func run() -> Finish {
            defer {
                for fd in [input, output, errors] where fd >= 0 { close(fd) }
                input = -1; output = -1; errors = -1
            }
            if pdf.isEmpty {
                closeInput()
            } else {
                _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while output >= 0 || errors >= 0 {
                let left = deadline - PDFToText.now()
                if left <= 0 {
                    kill(pid, SIGKILL)
                    return .timedOut
                }
                var fds: [pollfd] = []
                if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
                if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
                if errors >= 0 { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
                let r = poll(&fds, nfds_t(fds.count), Int32(min(left * 1000 + 1, 60_000)))
                if r < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    kill(pid, SIGKILL)
                    return .serveFailed(code)
                }
                if r == 0 { continue }
                for p in fds where p.revents != 0 {
                    if p.fd == input {
                        feed()
                    } else if p.fd == output {
                        guard drain(&output, into: &text, buffer: &buffer) else { continue }
                        if text.count > maxOutputBytes {
                            kill(pid, SIGKILL)
                            return .tooMuchOutput
                        }
                    } else if p.fd == errors {
                        _ = drain(&errors, into: &errorText, buffer: &buffer, keepingAtMost: PDFToText.maxErrorBytes)
                    }
                }
            }
            return .done
        }

        /// Writes what the pipe takes of the rest of the PDF; closes the input when all is written or the reader
        /// has gone.
        func feed() {
            let n = pdf.withUnsafeBytes { all in
                write(input, all.baseAddress! + written, min(all.count - written, 65_536))
            }
            if n > 0 {
                written += n
                if written == pdf.count { closeInput() }
            } else if n < 0, errno != EAGAIN, errno != EINTR {
                closeInput()
            }
        }

        func closeInput() {
            if input >= 0 { close(input) }
            input = -1
        }

        /// Reads once from `fd` into `out`, which keeps at most `limit` bytes (what is read past them is dropped);
        /// at its end (or an error) closes it and sets it to -1. True when bytes were read.
        func drain(_ fd: inout Int32, into out: inout [UInt8], buffer: inout [UInt8], keepingAtMost limit: Int = .max) -> Bool {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                let kept = min(n, max(0, limit - out.count))
                if kept > 0 { out.append(contentsOf: buffer[0..<kept]) }
                return true
            }
            if n < 0, errno == EINTR || errno == EAGAIN { return false }
            close(fd)
            fd = -1
            return false
        }
    }
}
