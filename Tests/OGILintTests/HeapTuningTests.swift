import Foundation
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
            // A free block of the heap as large serves it whatever the threshold (earlier tests of this process may
            // have left one): the answer counts only when the heap's free blocks add up to less.
            if try !isMapped(24 << 20) {
                guard let free = Self.freeHeapBytes() else { throw XCTSkip("malloc_info could not be read") }
                XCTAssertGreaterThanOrEqual(free, 24 << 20, "a 24 MB allocation came from the heap, which had no free block that large")
            }
        #else
            throw XCTSkip("glibc only")
        #endif
    }

    #if os(Linux)
        /// Bytes in the allocator's free blocks over every arena (malloc_info's closing `rest` and `fast` totals); nil
        /// when they cannot be read.
        static func freeHeapBytes() -> Int? {
            typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_info") else { return nil }
            var buffer: UnsafeMutablePointer<CChar>?
            var size = 0
            guard let stream = open_memstream(&buffer, &size) else { return nil }
            let status = unsafeBitCast(symbol, to: MallocInfo.self)(0, stream)
            fclose(stream)
            defer { free(buffer) }
            guard status == 0, let buffer else { return nil }
            // The totals over every arena follow the last heap's closing tag.
            let xml = String(cString: buffer)
            guard let end = xml.range(of: "</heap>", options: .backwards) else { return nil }
            var total = 0
            for line in xml[end.upperBound...].split(separator: "\n")
            where line.contains("<total type=\"rest\"") || line.contains("<total type=\"fast\"") {
                guard let at = line.range(of: "size=\""), let value = Int(line[at.upperBound...].prefix { $0.isNumber }) else { return nil }
                total += value
            }
            return total
        }
    #endif
}
