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
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var data = Data(count: Int(st.st_size))
        var filled = 0
        let ok = data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) -> Bool in
            while filled < buf.count {
                let n = read(fd, buf.baseAddress! + filled, buf.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { break }
                filled += n
            }
            return true
        }
        guard ok else { return nil }
        if filled < data.count { data.removeSubrange(filled..<data.count) }
        return data
    }
}
