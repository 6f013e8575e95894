import Foundation
import FuzzSupport

/// libFuzzer entry for rule packs: the bytes are one more pack file loaded beside the bundled reader
/// profile, templates and message catalog (RulePackLoader.load(texts:)); a pack that loads is then run
/// against a clean sample report, so its expressions and patterns are evaluated too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = String(validating: FuzzSupport.data(bytes, count), as: UTF8.self) else { return 0 }
    guard let set = try? RulePackLoader.load(texts: FuzzSupport.packFoundation + [("fuzz-pack.yml", text)]) else { return 0 }
    _ = Engine(ruleSet: set).check(FuzzSupport.sampleReport)
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_rulepack_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
