import Foundation
import FuzzSupport

/// libFuzzer entry for submitted report models: bytes whose first non-blank character is `{` or `[` are
/// read as `x.json`, any others as `x.yml`, so JSON and YAML seeds both mutate in their own syntax.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = FuzzSupport.data(bytes, count)
    let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    let json = first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    FuzzSupport.readAndCheck(data, path: json ? "x.json" : "x.yml")
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_model_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
