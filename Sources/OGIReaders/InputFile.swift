import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an input file from disk: only a regular file (a FIFO, a device or a socket would block or never
/// end), opened without blocking, and no larger than the budget allows.
public enum InputFile {
    public static func read(path: String, budget: ReadBudget) throws -> Data {
        // O_NONBLOCK: opening a FIFO with no writer must not wait; the type is checked on the open descriptor.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw ReaderError.unreadable(path: path, reason: "no such file") }
            throw ReaderError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ReaderError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ReaderError.unreadable(path: path, reason: "it is a folder; pass the report files inside it")
        case S_IFIFO:
            throw ReaderError.unreadable(path: path, reason: "it is a named pipe (FIFO), not a file; ogilint reads only regular files")
        case S_IFCHR, S_IFBLK:
            throw ReaderError.unreadable(path: path, reason: "it is a device, not a file; ogilint reads only regular files")
        case S_IFSOCK: throw ReaderError.unreadable(path: path, reason: "it is a socket, not a file; ogilint reads only regular files")
        default: throw ReaderError.unreadable(path: path, reason: "it is not a regular file; ogilint reads only regular files")
        }
        let size = Int(st.st_size)
        if size > budget.maxInputBytes { throw oversize(path, size, budget) }
        // A regular file never blocks, so O_NONBLOCK is left set (two system calls a file saved); should a file
        // system answer EAGAIN all the same, the flag is cleared then and the read made again.
        // Read into memory that is not zeroed first (`Data(count:)` clears every byte the read then writes).
        if size == 0 { return Data() }
        guard let memory = malloc(size) else { throw ReaderError.unreadable(path: path, reason: "out of memory for \(size) bytes") }
        var data = Data(bytesNoCopy: memory, count: size, deallocator: .free)
        var filled = 0
        var blocking = false
        try data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) in
            while filled < size {
                let n = systemRead(fd, buf.baseAddress! + filled, size - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    if (errno == EAGAIN || errno == EWOULDBLOCK) && !blocking {
                        blocking = true
                        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                        continue
                    }
                    throw ReaderError.unreadable(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
            }
        }
        // The file may have shrunk since fstat; keep what was read. Growth past the size is not read.
        if filled < size { data.removeSubrange(filled..<size) }
        return data
    }

    /// The first bytes of a regular file, without blocking; nil for anything else (a FIFO, a device, a
    /// folder, a missing file). For a folder scan deciding whether a `.yml` is a report model.
    public static func head(path: String, count: Int) -> Data? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        var data = Data(count: count)
        let n = data.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, count) }
        return n < 0 ? nil : data.prefix(n)
    }

    private static func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.read(fd, buf, count)
        #else
            return Darwin.read(fd, buf, count)
        #endif
    }

    /// The error for a file over `--max-size`.
    public static func oversize(_ path: String, _ size: Int, _ budget: ReadBudget) -> ReaderError {
        .overLimit(path: path, detail: "the file is \(size) bytes, over the \(budget.maxInputBytes)-byte limit")
    }
}
