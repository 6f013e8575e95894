import Foundation
@_exported import OGILint
@_exported import OGIModel
@_exported import OGIRules

/// State shared by the fuzz targets, built once per process: the bundled rule folder, a linter loaded
/// from it, and the texts of the bundled templates and catalog (for loading a fuzzed pack beside them).
public enum FuzzSupport {
    /// The repository's `rules/` folder (found from the executable's folder upwards, or `$OGILINT_RULES`).
    public static let rulesFolder: String = {
        guard let dir = BundledRules.locate() else { fatalError("fuzz: cannot find the rules/ folder; set OGILINT_RULES") }
        return dir
    }()

    /// A linter over the bundled rules, with the default options.
    public static let linter: Linter = {
        do { return try Linter(ruleDirectories: [rulesFolder]) } catch { fatalError("fuzz: bundled rules do not load: \(error)") }
    }()

    /// (file name, text) of every bundled YAML file that is not a national rule pack: the reader profile,
    /// the templates and the message catalog. A fuzzed pack is loaded beside these.
    public static let packFoundation: [(String, String)] = {
        do {
            return try RulePackLoader.ruleFiles(in: rulesFolder)
                .filter { !$0.contains("/national/") }
                .map { ($0, try String(contentsOfFile: $0, encoding: .utf8)) }
        } catch { fatalError("fuzz: cannot read the bundled rules: \(error)") }
    }()

    /// A clean report read from samples/, to run fuzzed rules and configurations against.
    public static let sampleReport: Report = {
        let path = (rulesFolder as NSString).deletingLastPathComponent + "/samples/clean-2021-government.txt"
        do { return try linter.read(path: path) } catch { fatalError("fuzz: cannot read \(path): \(error)") }
    }()

    /// A private temporary folder for targets that must pass a file path.
    public static let scratchFolder: String = {
        let dir = NSTemporaryDirectory() + "ogilint-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Loads the shared state before the first input, so its one-time allocations are not charged to an input.
    public static func warmUp() {
        _ = sampleReport; _ = packFoundation; _ = scratchFolder; _ = StoredZip.sampleParts
    }

    /// Reads `data` as the file `path` and checks it: a thrown error is a correct outcome (the input was
    /// refused with a message); a crash, a hang or an out-of-memory is what the fuzzer looks for.
    public static func readAndCheck(_ data: Data, path: String) {
        guard let report = try? linter.read(path: path, data: data) else { return }
        _ = linter.check(report)
    }

    /// Wraps bytes of a UnsafePointer into Data without copying twice.
    public static func data(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data {
        Data(bytes: bytes, count: count)
    }
}
