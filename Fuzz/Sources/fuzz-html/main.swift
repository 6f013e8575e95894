import Foundation
import FuzzSupport

/// libFuzzer entry: the bytes are a file named x.html, read through Linter.read(path:data:) and checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    FuzzSupport.readAndCheck(FuzzSupport.data(bytes, count), path: "x.html")
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_html_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
