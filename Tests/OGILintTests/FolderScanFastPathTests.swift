import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGILint
@testable import OGIReaders

/// The folder scan answers path questions without `NSString` (`PathParts`), lists folders with `readdir`'s
/// types instead of an `lstat` per file, and keeps a flag per input instead of sets of paths. These tests
/// compare each shortcut with the code it replaced: on generated paths built from the characters that make
/// Foundation's character-by-character reading differ from a byte reading, on real folders, and on whole scans.
final class FolderScanFastPathTests: XCTestCase {
    /// Pieces paths are built from: separators, dots, ASCII, CJK, a combining mark (glues to what precedes it),
    /// an Arabic number sign (a prepend mark: glues to what follows it), a zero width joiner, CR LF, NFD é.
    static let pieces = [
        "/", "/", ".", ".", "..", "a", "b.txt", "r1", "TXT", "年报", "报告.docx", "\u{301}", "\u{600}", "\u{200D}", "\r\n",
        "e\u{301}", "é", " ", "~", "x.HTML", "//", ".hidden", "🇨🇳",
    ]

    func randomPaths(count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let n = Int.random(in: 0...7, using: &rng)
            return (0..<n).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
        }
    }

    func testPathPartsAnswerLikeFoundationOnGeneratedPaths() {
        var fast = 0
        // Foundation's own answer is not always available: in this test process it traps on some paths with a
        // doubled or trailing slash ("a/", "//é") and on some one-character ones ("\u{600}"). Paths with a
        // doubled or trailing slash are left to Foundation by the shortcuts anyway, so they are not compared.
        for path in randomPaths(count: 40_000, seed: 11) where path.count >= 2 && !path.contains("//") && !path.hasSuffix("/") {
            XCTAssertEqual(PathParts.pathExtension(path), (path as NSString).pathExtension, "extension of \(path.debugDescription)")
            XCTAssertEqual(
                PathParts.deletingLastPathComponent(path), (path as NSString).deletingLastPathComponent,
                "parent of \(path.debugDescription)")
            if PathParts.fastPathExtension(path) != nil { fast += 1 }
        }
        // The shortcut must actually answer for most paths, or it saves nothing.
        XCTAssertGreaterThan(fast, 10_000)
        for path in ["/tmp/batch/r12345.txt", "r1.txt", "/r1.txt", "年报/2021年报告.docx", "a/.hidden", "a/..", "a/b.", "ab"] {
            XCTAssertEqual(PathParts.fastPathExtension(path), (path as NSString).pathExtension, path)
            XCTAssertEqual(PathParts.fastDeletingLastPathComponent(path), (path as NSString).deletingLastPathComponent, path)
        }
    }

    func testAppendingAnswersLikeFoundation() {
        let dirs = randomPaths(count: 3_000, seed: 12) + ["", "a", "/tmp", "年报", "a/\u{301}"]
        let names = ["r1.txt", "年报.txt", "\u{301}x", ".hidden", "a b", "e\u{301}.html", "\u{600}x"]
        for d in dirs where d.count != 1 && !d.contains("//") && !d.hasSuffix("/") {
            for n in names {
                XCTAssertEqual(PathParts.appending(n, to: d), (d as NSString).appendingPathComponent(n), "\(d.debugDescription) + \(n)")
            }
        }
    }

    /// The types `readdir` gives are the ones `lstat` gives, on a folder holding every kind of entry.
    func testEntryTypesMatchLstat() throws {
        let dir = try temporaryFolder("ogilint-scan")
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file.txt"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/年报 e\u{301}.txt"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/.hidden.txt"))
        try fm.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: dir + "/file.txt")
        try fm.createSymbolicLink(atPath: dir + "/dirlink", withDestinationPath: dir + "/sub")
        XCTAssertEqual(mkfifo(dir + "/pipe.txt", 0o600), 0)
        let entries = try XCTUnwrap(InputFinder.entries(of: dir))
        let reference = try XCTUnwrap(InputFinder.foundationEntries(of: dir))
        XCTAssertEqual(entries.map(\.name).sorted(), reference.map(\.name).sorted())
        for e in entries {
            let r = try XCTUnwrap(reference.first { $0.name == e.name })
            XCTAssertEqual("\(e.type)", "\(r.type)", e.name)
        }
        XCTAssertEqual(entries.count, 7)
        XCTAssertNil(InputFinder.entries(of: dir + "/missing"))
    }

    /// The scan as it was: Foundation's listing, `NSString` paths, an `lstat` per file, sets of paths.
    struct ReferenceFinder {
        var files: [String] = []
        var skippedFiles = 0
        var skippedFolders = 0
        var scanned = Set<String>()
        var seen = Set<String>()

        init(_ args: [String]) {
            for arg in args { add(arg) }
        }

        mutating func append(_ p: String) { if seen.insert(p).inserted { files.append(p) } }

        mutating func add(_ arg: String) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: arg, isDirectory: &isDir) {
                guard isDir.boolValue else { append(arg); return }
                var found: [String] = []
                for full in walk(arg) {
                    if InputFinder.isReportFile(full) { found.append(full) } else { skippedFiles += 1 }
                }
                for f in found.sorted() { append(f) }
                scanned.formUnion(found)
            } else {
                append(arg)
            }
        }

        mutating func walk(_ root: String) -> [String] {
            var files: [String] = []
            var stack = [(dir: root, shown: root)]
            while let (dir, shown) = stack.popLast() {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
                for name in names {
                    let full = (dir as NSString).appendingPathComponent(name)
                    let display = shown.isEmpty ? name : (shown as NSString).appendingPathComponent(name)
                    var st = stat()
                    guard lstat(full, &st) == 0 else { skippedFiles += 1; continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR:
                        if name.hasPrefix(".") || InputFinder.skippedFolderNames.contains(name) {
                            skippedFolders += 1
                        } else {
                            stack.append((full, display))
                        }
                    case S_IFREG:
                        if name.hasPrefix(".") { skippedFiles += 1 } else { files.append(display) }
                    default:
                        skippedFiles += 1
                    }
                }
            }
            return files
        }
    }

    func assertSameScan(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let fast = try InputFinder(args)
        let reference = ReferenceFinder(args)
        XCTAssertEqual(fast.files, reference.files, "\(args)", file: file, line: line)
        let fastScanned = Set(fast.files.indices.filter { fast.scannedFlags[$0] }.map { fast.files[$0] })
        XCTAssertEqual(fastScanned, reference.scanned, "\(args)", file: file, line: line)
        XCTAssertEqual(fast.scannedFlags, fast.files.map { reference.scanned.contains($0) }, "\(args)", file: file, line: line)
        XCTAssertEqual(fast.skippedFiles, reference.skippedFiles, "\(args)", file: file, line: line)
        XCTAssertEqual(fast.skippedFolders, reference.skippedFolders, "\(args)", file: file, line: line)
    }

    func testScansOfTheSamplesAndGeneratedFoldersMatchTheReference() throws {
        let samples = Repo.path("samples")
        try assertSameScan([samples])
        try assertSameScan([samples + "/"])
        try assertSameScan([samples + "/broken", samples])
        try assertSameScan([samples + "/clean-2021-government.txt", samples])
        try assertSameScan([samples, samples + "/clean-2021-government.txt", samples + "/broken"])
        // A folder with awkward names: non-ASCII, decomposed and precomposed twins, hidden, build folders,
        // links, a pipe, nested levels, upper-case extensions, names that only look like extensions.
        let dir = try temporaryFolder("ogilint-scan")
        let fm = FileManager.default
        for sub in ["a", "a/b", "年报", ".git", "build", "a/node_modules", "e\u{301}"] {
            try fm.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        var rng = SplitMix(seed: 5)
        let names = [
            "r.txt", "R.TXT", "年报.docx", "e\u{301}.html", "é.html", ".x.txt", "x.pdf", "x.txt.bak", "x.", "..txt", "x.htm", "m.yml",
        ]
        for folder in ["", "/a", "/a/b", "/年报", "/.git", "/build", "/a/node_modules", "/e\u{301}"] {
            for n in names where Bool.random(using: &rng) || n == "r.txt" || folder.isEmpty {
                try Data("x".utf8).write(to: URL(fileURLWithPath: dir + folder + "/" + n))
            }
        }
        try fm.createSymbolicLink(atPath: dir + "/a/link.txt", withDestinationPath: dir + "/a/r.txt")
        XCTAssertEqual(mkfifo(dir + "/a/pipe.txt", 0o600), 0)
        try assertSameScan([dir])
        try assertSameScan([dir + "/a", dir])
        try assertSameScan([dir + "/a/r.txt", dir + "/a", dir + "/a/r.txt"])
        try assertSameScan([dir + "/missing.txt", dir + "/年报"])
    }
}
