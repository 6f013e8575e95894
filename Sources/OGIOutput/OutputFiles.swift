import Foundation
import OGILint
import OGIModel

#if canImport(Glibc)
    import Glibc
#endif

/// The files a run writes, checked and opened before anything is written, and put in place only at the end.
///
/// Refused before any output is written: a path that is one of the inputs (the same file by device and
/// inode, whatever the spelling, through links too), two outputs to one file, a folder, a missing folder,
/// and anything that exists and is neither a regular file nor a FIFO or character device. A regular file
/// (new or existing) is written to a temporary file beside it and renamed over it at `commit`, so a failed
/// run leaves the old file as it was; a symbolic link is followed and the link itself kept. A FIFO or a
/// character device (`/dev/stdout`, `/dev/null`) that the user named is written in place, never replaced.
public final class OutputFiles {
    /// One opened output.
    final class Output {
        let path: String
        /// Where the bytes finally belong (the link target for a symbolic link).
        let target: String
        /// The temporary file renamed over `target` at commit; nil when writing in place.
        let temporary: String?
        let sink: FileSink
        init(path: String, target: String, temporary: String?, sink: FileSink) {
            self.path = path; self.target = target; self.temporary = temporary; self.sink = sink
        }
    }

    private var outputs: [Output] = []

    /// Checks every path, then opens each; throws `OutputError` (and opens nothing) when any is refused.
    public init(paths: [String], inputs: [String]) throws {
        // The inputs' identities are needed only to refuse an output that is one of them: a run that writes to
        // standard output only looks up none (a batch of 10,000 inputs made 10,000 `stat` calls for nothing).
        var inputIDs: [FileID: String] = [:]
        if !paths.isEmpty { for i in inputs { if let id = FileID(i) { inputIDs[id] = inputIDs[id] ?? i } } }
        var seen: [String: String] = [:]
        var plans: [(path: String, target: String, inPlace: Bool)] = []
        for path in paths {
            let (target, inPlace) = try Self.check(path)
            if let id = FileID(target), let input = inputIDs[id] { throw OutputError.isInput(path: path, input: input) }
            let key = FileID(target).map { "\($0.device):\($0.inode)" } ?? Self.absolute(target)
            if let other = seen[key] { throw OutputError.sameOutput(path: path, other: other) }
            seen[key] = path
            plans.append((path, target, inPlace))
        }
        do {
            for p in plans { outputs.append(try Self.open(p.path, target: p.target, inPlace: p.inPlace)) }
        } catch {
            discard()
            throw error
        }
    }

    /// The sink for `path` (one of those given to `init`).
    public func sink(for path: String) -> OutputSink {
        outputs.first { $0.path == path }!.sink
    }

    /// Flushes every output and puts each in place; outputs named in `except` are dropped instead.
    public func commit(except: Set<String> = []) throws {
        defer { outputs = [] }
        for o in outputs {
            if except.contains(o.path) { o.sink.close(); if let t = o.temporary { TemporaryFiles.remove(t) }; continue }
            do {
                try o.sink.flush()
                o.sink.close()
                if let t = o.temporary {
                    guard rename(t, o.target) == 0 else {
                        throw OutputError.cannotWrite(path: o.path, reason: String(cString: strerror(errno)))
                    }
                    TemporaryFiles.forget(t)
                }
            } catch {
                if let t = o.temporary { TemporaryFiles.remove(t) }
                throw error
            }
        }
    }

    /// Leaves every target as it was: temporary files are removed.
    public func discard() {
        for o in outputs {
            o.sink.close()
            if let t = o.temporary { TemporaryFiles.remove(t) }
        }
        outputs = []
    }

    deinit { discard() }

    /// Where the output for `path` goes and whether it is written in place, or why it cannot be written.
    static func check(_ path: String) throws -> (target: String, inPlace: Bool) {
        var st = stat()
        if lstat(path, &st) != 0 {
            // A new file: its folder must exist.
            let folder = PathParts.deletingLastPathComponent(path)
            var d = stat()
            let dir = folder.isEmpty ? "." : folder
            guard stat(dir, &d) == 0, (d.st_mode & S_IFMT) == S_IFDIR else { throw OutputError.noFolder(path: path, folder: dir) }
            return (path, false)
        }
        var target = path
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &st) == 0, let resolved = realpath(path, nil) else {
                throw OutputError.notRegular(path: path, kind: "symbolic link to a file that does not exist")
            }
            target = String(cString: resolved)
            free(resolved)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return (target, false)
        case S_IFDIR: throw OutputError.isFolder(path: path)
        case S_IFIFO, S_IFCHR: return (target, true)
        case S_IFBLK: throw OutputError.notRegular(path: path, kind: "block device")
        case S_IFSOCK: throw OutputError.notRegular(path: path, kind: "socket")
        default: throw OutputError.notRegular(path: path, kind: "special file")
        }
    }

    static func open(_ path: String, target: String, inPlace: Bool) throws -> Output {
        if inPlace {
            let fd = Glibc.open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            return Output(path: path, target: target, temporary: nil, sink: FileSink(fd: fd, name: path))
        }
        let folder = PathParts.deletingLastPathComponent(target)
        let name = PathParts.lastPathComponent(target)
        var template = Array(((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(".\(name).ogilint-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        TemporaryFiles.add(temporary)
        // The mode a new file gets (0666 less the umask), or the mode of the file it replaces.
        var existing = stat()
        let mode: mode_t
        if stat(target, &existing) == 0 {
            mode = existing.st_mode & 0o7777
        } else {
            let mask = umask(0); umask(mask)
            mode = 0o666 & ~mask
        }
        fchmod(fd, mode)
        return Output(path: path, target: target, temporary: temporary, sink: FileSink(fd: fd, name: path))
    }

    static func absolute(_ path: String) -> String {
        let abs =
            (path as NSString).isAbsolutePath ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (abs as NSString).standardizingPath
    }
}

/// A file's identity: two paths name the same file when these agree (links followed).
struct FileID: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev); inode = UInt64(st.st_ino)
    }
}

/// Buffered writes to a file descriptor.
public final class FileSink: OutputSink {
    let fd: Int32
    let name: String
    /// Bytes written and not yet flushed: `buffered` of them at `buffer`, which holds `capacity`; flushed once
    /// they reach it (a write that does not fit after a flush goes to the file at once). A `Data` buffer was copied
    /// again each time it grew.
    private let buffer: UnsafeMutableRawPointer
    private var buffered = 0
    private let capacity = 1 << 16
    private var closed = false
    let ownsDescriptor: Bool

    init(fd: Int32, name: String, ownsDescriptor: Bool = true) {
        self.fd = fd; self.name = name; self.ownsDescriptor = ownsDescriptor
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    /// Standard output.
    public static func standardOutput() -> FileSink { FileSink(fd: 1, name: "standard output", ownsDescriptor: false) }

    public func write(_ bytes: Data) throws {
        try bytes.withUnsafeBytes { try write(bytes: $0) }
    }

    public func write(bytes: UnsafeRawBufferPointer) throws {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        if buffered + bytes.count > capacity {
            try flush()
            if bytes.count >= capacity { return try writeOut(from, bytes.count) }
        }
        (buffer + buffered).copyMemory(from: from, byteCount: bytes.count)
        buffered += bytes.count
        if buffered == capacity { try flush() }
    }

    /// Writes `text` and flushes.
    public func writeAll(_ text: String) throws {
        try write(text)
        try flush()
    }

    public func flush() throws {
        try writeOut(buffer, buffered)
        buffered = 0
    }

    /// Writes `count` bytes at `start` to the descriptor, all of them.
    private func writeOut(_ start: UnsafeRawPointer, _ count: Int) throws {
        var offset = 0
        while offset < count {
            let n = Glibc.write(fd, start + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError.cannotWrite(path: name, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    func close() {
        if !closed && ownsDescriptor { Glibc.close(fd) }
        closed = true
    }

    deinit {
        close()
        buffer.deallocate()
    }
}

/// The temporary output files not yet renamed into place, removed when the process is interrupted
/// (SIGINT, SIGTERM, SIGHUP), so a killed run leaves nothing behind.
public enum TemporaryFiles {
    /// C strings, so the signal handler can unlink them without allocating.
    nonisolated(unsafe) private static var paths: [UnsafeMutablePointer<CChar>?] = Array(repeating: nil, count: 64)
    private static let lock = NSLock()

    /// Installs the handlers (the CLI calls this once at start).
    public static func removeOnInterrupt() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                for p in TemporaryFiles.paths { if let p { unlink(p) } }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func add(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        if let free = paths.firstIndex(where: { $0 == nil }) { paths[free] = strdup(path) }
    }

    /// Forgets `path` (it was renamed into place).
    static func forget(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        if let i = paths.firstIndex(where: { $0.map { String(cString: $0) == path } ?? false }) {
            let p = paths[i]
            paths[i] = nil
            free(p)
        }
    }

    /// Removes `path` and forgets it.
    static func remove(_ path: String) {
        unlink(path)
        forget(path)
    }
}
