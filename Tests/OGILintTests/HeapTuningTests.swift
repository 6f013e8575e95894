import XCTest

@testable import OGILint

#if canImport(Glibc)
    import Glibc
#endif

final class HeapTuningTests: XCTestCase {
    /// After the batch settings, a 24 MB allocation comes from the heap, not from a mapping of its own: glibc marks a
    /// mapped chunk with bit 1 of the size word before it. By default glibc maps anything over 128 KB (its moving
    /// threshold reaches 24 MB only after a mapped chunk that large was freed), so without the settings this fails.
    func testAllocationsUpTo32MBComeFromTheHeap() throws {
        #if os(Linux)
            XCTAssertTrue(HeapTuning.keepFreedMemoryForBatch())
            XCTAssertTrue(HeapTuning.keepFreedMemoryForBatch(), "asked again, the same answer")
            let size = 24 << 20
            guard let p = malloc(size) else { throw XCTSkip("no 24 MB to allocate") }
            defer { free(p) }
            let sizeWord = p.load(fromByteOffset: -MemoryLayout<Int>.size, as: UInt.self)
            XCTAssertEqual(sizeWord & 2, 0, "a 24 MB allocation was mapped on its own")
        #else
            throw XCTSkip("glibc only")
        #endif
    }
}
