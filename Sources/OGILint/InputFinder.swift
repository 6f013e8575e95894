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

    /// Files found by scanning a folder (not named on the command line): a scan leaves out the ones that turn
    /// out not to be annual reports at all.
    public private(set) var scanned = Set<String>()

    private var seen = Set<String>()

    public init(_ args: [String]) throws {
        for arg in args { try add(arg) }
    }

    private mutating func append(_ p: String) { if seen.insert(p).inserted { files.append(p) } }

    private mutating func add(_ arg: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) {
            guard isDir.boolValue else { append(arg); return }
            var found: [String] = []
            for full in walk(arg) {
                if Self.isReportFile(full) { found.append(full) } else { skippedFiles += 1 }
            }
            // An empty folder must not pass a gate silently.
            if found.isEmpty {
                throw SessionError.inputs(
                    .noReports(path: arg, detail: "no report files (.txt, .docx, .html, .pdf or report models) in this folder"))
            }
            for f in found.sorted() { append(f) }
            scanned.formUnion(found)
        } else if arg.contains(where: { "*?[".contains($0) }) {
            // The folder part before the first wildcard, then everything below it matched against the pattern.
            let parts = arg.split(separator: "/", omittingEmptySubsequences: false)
            let fixed = parts.prefix { !$0.contains(where: { "*?[".contains($0) }) }.joined(separator: "/")
            let found = walk(fixed.isEmpty ? "." : fixed, prefix: fixed.isEmpty ? "" : nil).filter { Glob.matches($0, arg) }
            if found.isEmpty { throw SessionError.inputs(.noReports(path: arg, detail: "no file matches this pattern")) }
            for f in found.sorted() { append(f) }
        } else {
            append(arg)  // does not exist: reading it reports the error
        }
    }

    /// Every regular file below `root` that is not hidden, outside hidden and build folders, counting what
    /// it skips. Paths are `root/relative`, or `prefix/relative`.
    private mutating func walk(_ root: String, prefix: String? = nil) -> [String] {
        var files: [String] = []
        var stack = [(dir: root, shown: prefix ?? root)]
        while let (dir, shown) = stack.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let full = (dir as NSString).appendingPathComponent(name)
                let display = shown.isEmpty ? name : (shown as NSString).appendingPathComponent(name)
                var st = stat()
                guard lstat(full, &st) == 0 else { skippedFiles += 1; continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR:
                    if name.hasPrefix(".") || Self.skippedFolderNames.contains(name) {
                        skippedFolders += 1
                    } else {
                        stack.append((full, display))
                    }
                case S_IFREG:
                    if name.hasPrefix(".") { skippedFiles += 1 } else { files.append(display) }
                default:
                    skippedFiles += 1  // FIFOs, sockets, devices, symbolic links
                }
            }
        }
        return files
    }

    /// True for a file a folder scan checks: a report extension, or a report model that says so in its
    /// first bytes, and not a report ogilint wrote itself (HTML, JSON, SARIF output or a baseline).
    public static func isReportFile(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
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
