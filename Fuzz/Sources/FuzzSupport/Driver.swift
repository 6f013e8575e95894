/// libFuzzer's entry for programs that have their own `main` (in libclang_rt.fuzzer since LLVM 12).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The fuzzer `main`. SwiftPM links a debug executable with `--defsym main=<module>_main`, so libFuzzer's
/// own `main` is never linked in; each target therefore defines `<module>_main` (e.g. `fuzz_text_main`)
/// and calls this with its `LLVMFuzzerTestOneInput`.
public func runFuzzer(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt {
    FuzzSupport.warmUp()
    var count = argc
    var arguments = argv
    return withUnsafeMutablePointer(to: &count) { c in
        withUnsafeMutablePointer(to: &arguments) { a in LLVMFuzzerRunDriver(c, a, callback) }
    }
}
