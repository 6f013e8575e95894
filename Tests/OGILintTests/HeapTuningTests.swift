import XCTest

@testable import OGILint

#if canImport(Glibc)
    import Glibc
#endif

final class HeapTuningTests: XCTestCase {
    /// After the batch settings, a 3 MB allocation comes from the heap and a 24 MB one is mapped on its own: glibc
    /// marks a mapped block with bit 1 of the size word before it. By default glibc maps anything over 128 KB until a
    /// mapped block that large was freed, and then (its threshold rising up to 32 MB) serves 24 MB from the heap, so
    /// without the settings one of the two fails. Skipped under a sanitizer, whose allocator is not glibc's.
    func testAllocationsUpTo4MBComeFromTheHeapAndLargerAreMapped() throws {
        #if os(Linux)
            for runtime in ["__asan_init", "__tsan_init"] where dlsym(UnsafeMutableRawPointer(bitPattern: 0), runtime) != nil {
                throw XCTSkip("a sanitizer's allocator")
            }
            XCTAssertTrue(HeapTuning.keepFreedMemoryForBatch())
            XCTAssertTrue(HeapTuning.keepFreedMemoryForBatch(), "asked again, the same answer")
            func isMapped(_ size: Int) throws -> Bool {
                guard let p = malloc(size) else { throw XCTSkip("no \(size) bytes to allocate") }
                defer { free(p) }
                return p.load(fromByteOffset: -MemoryLayout<Int>.size, as: UInt.self) & 2 != 0
            }
            XCTAssertFalse(try isMapped(3 << 20), "a 3 MB allocation was mapped on its own")
            XCTAssertTrue(try isMapped(24 << 20), "a 24 MB allocation came from the heap")
        #else
            throw XCTSkip("glibc only")
        #endif
    }
}
