import Foundation
import OGIModel
import OGIReaders
import OGIRules

/// Turns command-line arguments into the list of files to check: files as named, the reports found in
/// named folders (recursively) and wildcard matches, each list sorted, in argument order, without
/// duplicates. A folder scan takes regular files only (no FIFOs, devices or links, so it never blocks and
/// never leaves the folder), and leaves out hidden and build folders and files that are not reports,
/// counting what it left out.
public struct InputFinder {
    /// Extensions read from folders; report models only when they say so in their first bytes.
    public static let reportExtensions: Set<String> = ["txt", "docx", "html", "htm", "pdf"]
    public static let modelExtensions: Set<String> = ["yml", "yaml", "json"]
    /// Folders a scan does not enter (besides hidden ones, which include `.build*`): build and package output.
    public static let skippedFolderNames: Set<String> = ["build", "dist", "node_modules", "DerivedData", "__pycache__"]

    /// The files to check.
    public private(set) var files: [String] = []
    /// Files in scanned folders that were left out: not reports, hidden, not regular files, or ogilint's own output.
    public private(set) var skippedFiles = 0
    /// Folders a scan did not enter: hidden or build output.
    public private(set) var skippedFolders = 0

    /// For each of `files`, whether a folder scan found it (it was not only named on the command line): a scan
    /// leaves out the ones that turn out not to be annual reports at all. An index per file, not a set of paths,
    /// so a scan of 100,000 files keeps no second copy of the list.
    public private(set) var scannedFlags: [Bool] = []

    /// The index of each file in `files`, for leaving out duplicates; built only once a second argument
    /// arrives (the first argument's own list is free of duplicates once sorted).
    private var indexOf: [String: Int]?
    private var arguments = 0

    public init(_ args: [String]) throws {
        for arg in args { try add(arg) }
    }

    /// Adds one argument's files in order, leaving out those already listed; `scanned`: found by a folder scan
    /// (a duplicate of an earlier entry then marks that entry as scanned, as the set of paths did).
    private mutating func append(_ list: [String], scanned: Bool) {
        arguments += 1
        if arguments == 1 {
            // One argument: its list is sorted (or a single path), so a duplicate sits next to its first copy.
            files.reserveCapacity(list.count)
            for p in list where files.last != p { files.append(p) }
            scannedFlags = [Bool](repeating: scanned, count: files.count)
            return
        }
        if indexOf == nil {
            var index: [String: Int] = [:]
            index.reserveCapacity(files.count + list.count)
            for (i, f) in files.enumerated() { index[f] = i }
            indexOf = index
        }
        for p in list {
            if let i = indexOf![p] {
                if scanned { scannedFlags[i] = true }
            } else {
                indexOf![p] = files.count
                files.append(p)
                scannedFlags.append(scanned)
            }
        }
    }

    private mutating func add(_ arg: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) {
            guard isDir.boolValue else { append([arg], scanned: false); return }
            var found: [String] = []
            for full in walk(arg) {
                if Self.isReportFile(full) { found.append(full) } else { skippedFiles += 1 }
            }
            // An empty folder must not pass a gate silently.
            if found.isEmpty {
                throw SessionError.inputs(
                    .noReports(path: arg, detail: "no report files (.txt, .docx, .html, .pdf or report models) in this folder"))
            }
            found.sort()
            append(found, scanned: true)
        } else if arg.contains(where: { "*?[".contains($0) }) {
            // The folder part before the first wildcard, then everything below it matched against the pattern.
            let parts = arg.split(separator: "/", omittingEmptySubsequences: false)
            let fixed = parts.prefix { !$0.contains(where: { "*?[".contains($0) }) }.joined(separator: "/")
            var found = walk(fixed.isEmpty ? "." : fixed, prefix: fixed.isEmpty ? "" : nil).filter { Glob.matches($0, arg) }
            if found.isEmpty { throw SessionError.inputs(.noReports(path: arg, detail: "no file matches this pattern")) }
            found.sort()
            append(found, scanned: false)
        } else {
            append([arg], scanned: false)  // does not exist: reading it reports the error
        }
    }

    /// Every regular file below `root` that is not hidden, outside hidden and build folders, counting what
    /// it skips. Paths are `root/relative`, or `prefix/relative`.
    private mutating func walk(_ root: String, prefix: String? = nil) -> [String] {
        var files: [String] = []
        var stack = [(dir: root, shown: prefix ?? root)]
        while let (dir, shown) = stack.popLast() {
            guard let entries = Self.entries(of: dir) else { continue }
            for (name, type) in entries {
                let display = shown.isEmpty ? name : PathParts.appending(name, to: shown)
                switch type {
                case .directory:
                    if name.hasPrefix(".") || Self.skippedFolderNames.contains(name) {
                        skippedFolders += 1
                    } else {
                        stack.append((PathParts.appending(name, to: dir), display))
                    }
                case .regular:
                    if name.hasPrefix(".") { skippedFiles += 1 } else { files.append(display) }
                case .other, .unreadable:
                    skippedFiles += 1  // FIFOs, sockets, devices, symbolic links; or gone before it could be looked at
                }
            }
        }
        return files
    }

    /// What a folder entry is, as `lstat` tells (links are not followed).
    enum EntryType { case directory, regular, other, unreadable }

    /// The entries of `dir` (without "." and "..") and their types, in the order the system lists them; nil
    /// when the folder cannot be read. The type comes from `readdir` where the file system gives it (one call
    /// for the whole folder instead of an `lstat` per file), else from `lstat`. A folder with a name that is
    /// not valid UTF-8 is listed by Foundation instead, so names are exactly the ones Foundation gives.
    static func entries(of dir: String) -> [(name: String, type: EntryType)]? {
        guard let handle = opendir(dir) else { return nil }
        defer { closedir(handle) }
        var out: [(name: String, type: EntryType)] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(validatingCString: $0)
                }
            }
            guard let name else { return foundationEntries(of: dir) }
            if name == "." || name == ".." { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): out.append((name, .directory))
            case Int32(DT_REG): out.append((name, .regular))
            case Int32(DT_UNKNOWN): out.append((name, lstatType(PathParts.appending(name, to: dir))))
            default: out.append((name, .other))
            }
        }
        return out
    }

    /// The entries as Foundation lists them, each looked up with `lstat`.
    static func foundationEntries(of dir: String) -> [(name: String, type: EntryType)]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
        return names.map { ($0, lstatType((dir as NSString).appendingPathComponent($0))) }
    }

    static func lstatType(_ path: String) -> EntryType {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .unreadable }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular
        default: return .other
        }
    }

    /// True for a file a folder scan checks: a report extension, or a report model that says so in its
    /// first bytes, and not a report ogilint wrote itself (HTML, JSON, SARIF output or a baseline).
    public static func isReportFile(_ path: String) -> Bool {
        let ext = PathParts.pathExtension(path).lowercased()
        let isModel = modelExtensions.contains(ext)
        guard reportExtensions.contains(ext) || isModel else { return false }
        guard ext == "html" || ext == "htm" || isModel else { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return true }  // reading it reports the error
        defer { try? h.close() }
        let head = String(decoding: h.readData(ofLength: 8192), as: UTF8.self)
        // The markers are ASCII, so a byte search finds exactly what a character search would, short of a
        // combining mark glued to a marker's last letter (Foundation's search took about 9 M instructions a file).
        if ogilintOutputMarkers.contains(where: { FastText.contains(head, $0) }) { return false }
        return !isModel || FastText.contains(head, "ogilint_model")
    }

    /// Text that only ogilint's own outputs carry near their start.
    static let ogilintOutputMarkers = [
        "<meta name=\"generator\" content=\"ogilint",
        "\"ogilint_baseline\"",
        "\"tool\": {\n    \"name\": \"ogilint\"",
        "\"$schema\": \"https://json.schemastore.org/sarif",
    ]
}
