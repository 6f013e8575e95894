import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system calls of loading a rule folder, made directly: FileManager's listing, link and file reading
/// cost a single run more than half a million instructions for a dozen small files.
enum RuleFolderListing {
    /// What a path is, without following a final symbolic link (`lstat`), or following it (`stat`).
    enum EntryType: Equatable {
        case missing, link, folder, other
    }

    static func type(of path: String, followingLinks: Bool) -> EntryType {
        var st = stat()
        guard (followingLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: return .link
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    /// The names in a folder except `.` and `..`; nil when it cannot be listed.
    static func names(in folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The bytes of a regular file; nil when it cannot be opened or read, or is not a regular file (a FIFO
    /// would block a read).
    static func contents(of path: String) -> Data? {
        withRegularFile(path) { fd, size in
            var data = Data(count: size)
            let filled = data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) -> Int? in
                readFully(fd, into: buf.baseAddress, count: size)
            }
            guard let filled else { return nil }
            if filled < data.count { data.removeSubrange(filled..<data.count) }
            return data
        }
    }

    /// `contents(of:)` as an array of bytes, read straight into it (no `Data` to copy from).
    static func bytes(of path: String) -> [UInt8]? {
        withRegularFile(path) { fd, size in
            guard size > 0 else { return [] }
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
                guard let filled = readFully(fd, into: UnsafeMutableRawPointer(buf.baseAddress), count: size) else {
                    failed = true
                    count = 0
                    return
                }
                count = filled
            }
            return failed ? nil : bytes
        }
    }

    /// `body` with the bytes of a regular file, read into `buffer` (grown when the file is larger and kept for the
    /// next file); false, without calling `body`, when `contents(of:)` would be nil.
    static func readFile(_ path: String, into buffer: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        withRegularFile(path) { fd, size -> Bool? in
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: max(size, 2 * buffer.count)) }
            return buffer.withUnsafeMutableBytes { b -> Bool? in
                guard let filled = readFully(fd, into: b.baseAddress, count: size) else { return nil }
                body(UnsafeRawBufferPointer(start: b.baseAddress, count: filled))
                return true
            }
        } ?? false
    }

    /// `body` with the open file and its size, when `path` is a regular file that opens; nil otherwise.
    private static func withRegularFile<T>(_ path: String, _ body: (Int32, Int) -> T?) -> T? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return body(fd, Int(st.st_size))
    }

    /// Reads up to `count` bytes into `buffer` (fewer at the end of the file); the number read, nil on an error.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawPointer?, count: Int) -> Int? {
        var filled = 0
        while filled < count {
            let n = read(fd, buffer! + filled, count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
