import Foundation

/// How glibc's allocator is told to keep freed memory during a batch.
///
/// A batch allocates the same large buffers over and over: a web page's bytes (hundreds of KB), its copy without
/// attributes, a DOCX part inflated, each report's lines. By default glibc serves an allocation above its mmap
/// threshold (128 KB at first) with fresh pages from the kernel and unmaps them when it is freed; the threshold rises
/// to the size of such a freed block (and the heap trim threshold to twice that), so which buffers get fresh pages
/// depends on the order in which sizes come, and worker threads' heaps are trimmed too. Each fresh page is a page
/// fault when first written (about 1.3 µs on a virtual machine): a batch of 1,000 Word-saved web pages took from
/// 2,900 to 58,000 faults from one run to the next. With allocations up to 4 MB served from the heaps and up to 8 MB
/// of free memory kept at a heap's top, freed buffers are reused and the same batch takes about 2,600 faults every
/// run. Buffers over 4 MB (inputs of several MB) are still mapped and unmapped, so a batch with such inputs peaks
/// where it did; the 8 MB kept per heap is the most the settings can add.
public enum HeapTuning {
    /// glibc's `mallopt` parameters (malloc.h).
    static let trimThresholdParameter: Int32 = -1
    static let mmapThresholdParameter: Int32 = -3
    /// The settings.
    static let mmapThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 8 << 20

    /// The settings, once per process. Found with `dlsym`, so a C library without `mallopt` (not glibc) is left as it
    /// is. True when both settings were taken.
    public static func keepFreedMemoryForBatch() -> Bool { applied }

    private static let applied: Bool = {
        #if os(Linux)
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
            let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
            let mmap = mallopt(mmapThresholdParameter, mmapThreshold)
            let trim = mallopt(trimThresholdParameter, trimThreshold)
            return mmap == 1 && trim == 1
        #else
            return false
        #endif
    }()
}
