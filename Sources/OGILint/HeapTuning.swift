import Foundation

/// How glibc's allocator is told to keep freed memory during a batch.
///
/// A batch allocates the same large buffers over and over: a web page's bytes (hundreds of KB), its copy without
/// attributes, a DOCX part inflated, each report's lines. With glibc's default settings an allocation above the
/// (moving) mmap threshold gets fresh pages from the kernel and gives them back when freed, and a heap whose free top
/// passes the trim threshold is shrunk; worker threads' heaps make the threshold move back and forth. Each fresh
/// page is a page fault when first written (about 1.3 µs on a virtual machine), so a batch of 1,000 Word-saved web
/// pages took anywhere from 2,900 to 45,000 faults from one run to the next, and up to a fifth of its CPU time in the
/// kernel. With allocations up to 32 MB served from the heaps, and up to 4 MB of free memory kept at a heap's top,
/// freed buffers are reused and the same batch takes about 2,550 faults every run. Peak memory does not grow: what
/// is kept is what the batch had in use at once.
public enum HeapTuning {
    /// glibc's `mallopt` parameters (malloc.h).
    static let trimThresholdParameter: Int32 = -1
    static let mmapThresholdParameter: Int32 = -3

    /// The settings, once per process. Found with `dlsym`, so a C library without `mallopt` (not glibc) is left as it
    /// is. True when both settings were taken.
    public static func keepFreedMemoryForBatch() -> Bool { applied }

    private static let applied: Bool = {
        #if os(Linux)
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
            let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
            let mmap = mallopt(mmapThresholdParameter, 32 << 20)
            let trim = mallopt(trimThresholdParameter, 4 << 20)
            return mmap == 1 && trim == 1
        #else
            return false
        #endif
    }()
}
