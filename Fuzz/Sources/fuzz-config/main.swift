import Foundation
import FuzzSupport

/// libFuzzer entry for `.ogilint.yml`: the bytes are written as a configuration file in a private
/// temporary folder, loaded with LintConfiguration.load and applied to the bundled rule set; one that
/// applies is then used to check a clean sample report. Its `rules:` folders are not loaded (a fuzzed path
/// could name any folder on the machine); RulePackLoader's folder walk is covered by the tests.
let configPath = FuzzSupport.scratchFolder + "/.ogilint.yml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: configPath, contents: FuzzSupport.data(bytes, count)) else {
        fatalError("fuzz: cannot write \(configPath)")
    }
    guard let configuration = try? LintConfiguration.load(configPath),
          let set = try? configuration.apply(to: FuzzSupport.linter.ruleSet) else { return 0 }
    _ = Engine(ruleSet: set).check(FuzzSupport.sampleReport)
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_config_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
