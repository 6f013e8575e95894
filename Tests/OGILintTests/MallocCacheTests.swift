import COGIMallocCache
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The block cache in front of glibc's allocator (Sources/COGIMallocCache), called directly: the test build does not
/// route `malloc` and `free` through it (only the release `ogilint` does, with `--wrap`). Each case runs on a thread
/// of its own, so it starts from an empty cache and its end hands the cache back.
final class MallocCacheTests: XCTestCase {
    override func setUpWithError() throws {
        #if os(Linux)
            for runtime in ["__asan_init", "__tsan_init"] where dlsym(UnsafeMutableRawPointer(bitPattern: 0), runtime) != nil {
                XCTAssertEqual(ogi_malloc_cache_enabled(), 0, "a sanitizer's allocator is not glibc's")
                throw XCTSkip("a sanitizer's allocator")
            }
            XCTAssertEqual(ogi_malloc_cache_enabled(), 1, "glibc's allocator, and OGILINT_MALLOC_CACHE is not 0")
        #else
            throw XCTSkip("glibc only")
        #endif
    }

    /// Freed blocks are kept in their size class and handed out again to any request of that class, and only to it.
    /// glibc may hand out a chunk a size larger than asked (when the rest of a free chunk would be too small to keep),
    /// and such a block is kept in the class of its chunk: the expectations read each block's chunk size.
    func testFreedBlocksComeBackForRequestsOfTheirSizeClass() {
        let count = Int(OGI_MALLOC_CACHE_CLASS_LIMIT)
        let r = Self.onNewThread { () -> [String: Int] in
            var r: [String: Int] = [:]
            let blocks = (0..<count).map { _ in ogi_malloc_cache_alloc(100)! }
            for b in blocks { memset(b, 0x5a, 100) }
            r["before"] = Int(ogi_malloc_cache_thread_stats().blocks)
            for b in blocks { ogi_malloc_cache_free(b) }
            r["held"] = blocks.filter { ogi_malloc_cache_holds($0) != 0 }.count
            let stats = ogi_malloc_cache_thread_stats()
            r["blocks"] = Int(stats.blocks)
            r["bytes"] = Int(stats.bytes)
            r["chunkBytes"] = blocks.reduce(0) { $0 + Self.usableSize($1) + 8 }
            // 97 and 100 bytes are both asked as a 112-byte chunk; 200 bytes as a 208-byte one, larger than glibc
            // gives for 100 bytes (at most 143).
            let exact = blocks.filter { Self.usableSize($0) + 8 == 112 }
            r["exact"] = exact.count
            r["class"] = Int(ogi_malloc_cache_class_count(97))
            let other = ogi_malloc_cache_alloc(200)!
            let reused = (0..<exact.count).map { _ in ogi_malloc_cache_alloc(97)! }
            r["classAfter"] = Int(ogi_malloc_cache_class_count(97))
            r["reusedAsFreed"] = Set(reused) == Set(exact) ? 1 : 0
            r["otherFromCache"] = blocks.contains(other) ? 1 : 0
            r["largeEnough"] = reused.allSatisfy { Self.usableSize($0) >= 97 } ? 1 : 0
            for b in reused { ogi_malloc_cache_free(b) }
            ogi_malloc_cache_free(other)
            return r
        }
        XCTAssertEqual(r["before"], 0, "nothing cached before a free")
        XCTAssertEqual(r["held"], count, "every freed block is in the cache")
        XCTAssertEqual(r["blocks"], count)
        XCTAssertEqual(r["bytes"], r["chunkBytes"], "bytes counted as glibc's chunk sizes")
        XCTAssertGreaterThan(r["exact"] ?? 0, count / 2, "most blocks are the chunk size asked for")
        XCTAssertEqual(r["class"], r["exact"], "the blocks of the 112-byte chunk class")
        XCTAssertEqual(r["classAfter"], 0, "the class emptied")
        XCTAssertEqual(r["reusedAsFreed"], 1, "the same blocks handed out again")
        XCTAssertEqual(r["otherFromCache"], 0, "a block of another class was not taken from this one")
        XCTAssertEqual(r["largeEnough"], 1, "a reused block is as large as asked")
    }

    /// At most `CLASS_LIMIT` blocks of a class and `BYTE_LIMIT` bytes are kept; large and mapped blocks never.
    func testLimitsAndLargeBlocks() {
        let classLimit = Int(OGI_MALLOC_CACHE_CLASS_LIMIT), byteLimit = Int(OGI_MALLOC_CACHE_BYTE_LIMIT)
        let largest = Int(OGI_MALLOC_CACHE_LARGEST_CHUNK)
        let counts = Self.onNewThread { () -> [Int] in
            var counts: [Int] = []
            let many = (0..<(2 * classLimit)).map { _ in ogi_malloc_cache_alloc(40)! }
            for b in many { ogi_malloc_cache_free(b) }
            counts.append(Int(ogi_malloc_cache_class_count(40)))
            // The largest class cached, and the next size up.
            let top = ogi_malloc_cache_alloc(largest - 8)!, over = ogi_malloc_cache_alloc(largest - 7)!
            let mapped = ogi_malloc_cache_alloc(64 << 20)!
            let topChunk = Self.usableSize(top) + 8
            ogi_malloc_cache_free(top); ogi_malloc_cache_free(over); ogi_malloc_cache_free(mapped)
            // glibc may give a chunk a size larger than asked: the largest class holds `top` when its chunk is that.
            counts.append(ogi_malloc_cache_holds(top) != 0 ? 1 : (topChunk > largest ? 1 : 0))
            counts.append(ogi_malloc_cache_holds(over) != 0 ? 1 : 0)
            counts.append(ogi_malloc_cache_holds(mapped) != 0 ? 1 : 0)
            // Enough blocks of 32 large classes to pass the byte limit before any class is full.
            let big = (0..<(byteLimit / 2048 + 64)).map { i in ogi_malloc_cache_alloc(2048 + 16 * (i % 32))! }
            for b in big { ogi_malloc_cache_free(b) }
            let stats = ogi_malloc_cache_thread_stats()
            counts.append(Int(stats.bytes))
            counts.append(big.filter { ogi_malloc_cache_holds($0) != 0 }.count)
            counts.append(big.count)
            return counts
        }
        XCTAssertEqual(counts[0], classLimit, "a class holds at most its limit (and fills to it)")
        XCTAssertEqual(counts[1], 1, "a block of the largest cached chunk size is kept")
        XCTAssertEqual(counts[2], 0, "a block one chunk size larger goes back to glibc")
        XCTAssertEqual(counts[3], 0, "a mapped block goes back to glibc")
        XCTAssertLessThanOrEqual(counts[4], byteLimit, "the thread's cache stays within its byte limit")
        XCTAssertGreaterThan(counts[4], byteLimit - 4 * largest, "and fills up to it")
        XCTAssertLessThan(counts[5], counts[6], "blocks past the byte limit go back to glibc")
    }

    /// A thread's end hands every block its cache holds back to glibc.
    func testAThreadsEndHandsItsBlocksBack() {
        let before = ogi_malloc_cache_flushed_blocks()
        let held = Self.onNewThread { () -> Int in
            for size in [24, 200, 1000] {
                let blocks = (0..<10).map { _ in ogi_malloc_cache_alloc(size)! }
                for b in blocks { ogi_malloc_cache_free(b) }
            }
            return Int(ogi_malloc_cache_thread_stats().blocks)
        }
        XCTAssertEqual(held, 30)
        XCTAssertEqual(Int(ogi_malloc_cache_flushed_blocks() - before), 30, "the ended thread's 30 blocks were freed")
    }

    /// A block freed twice stops the program (SIGABRT), as glibc's own cache does; freed once, it does not. In a child
    /// process, its message sent to /dev/null.
    func testABlockFreedTwiceStopsTheProgram() throws {
        #if os(Linux)
            func childStatus(freeingTwice twice: Bool) -> Int32 {
                let pid = fork()
                if pid == 0 {
                    let null = open("/dev/null", O_WRONLY)
                    if null >= 0 { dup2(null, 2) }
                    let b = ogi_malloc_cache_alloc(64)
                    ogi_malloc_cache_free(b)
                    if twice { ogi_malloc_cache_free(b) }
                    _exit(0)
                }
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                return status
            }
            XCTAssertEqual(childStatus(freeingTwice: false), 0, "freed once: a normal exit")
            let status = childStatus(freeingTwice: true)
            XCTAssertEqual(status & 0x7f, SIGABRT, "freed twice: stopped by SIGABRT (status \(status))")
        #endif
    }

    /// Random requests and frees of many sizes, each live block filled with a byte of its own and checked before it
    /// is freed: a cache handing out a block still in use, or a block too small, overwrites another's bytes.
    func testLiveBlocksNeverOverlap() {
        let failures = Self.onNewThread { () -> Int in
            var generator = SystemRandomNumberGenerator()
            var live: [(block: UnsafeMutableRawPointer, size: Int, byte: UInt8)] = []
            var failures = 0
            let expected = UnsafeMutableRawPointer.allocate(byteCount: 6_000, alignment: 16)
            defer { expected.deallocate() }
            func check(_ b: (block: UnsafeMutableRawPointer, size: Int, byte: UInt8)) {
                memset(expected, Int32(b.byte), b.size)
                if memcmp(expected, b.block, b.size) != 0 { failures += 1 }
            }
            for step in 0..<40_000 {
                if live.count > 0 && (live.count > 600 || Bool.random(using: &generator)) {
                    let b = live.remove(at: Int.random(in: 0..<live.count, using: &generator))
                    check(b)
                    ogi_malloc_cache_free(b.block)
                } else {
                    let size =
                        [0, 1, 8, 24, 25, 40, 100, 500, 1_000, 2_000, 4_100, 5_000][step % 12] + Int.random(in: 0..<16, using: &generator)
                    let block = ogi_malloc_cache_alloc(size)!
                    let byte = UInt8(truncatingIfNeeded: step)
                    memset(block, Int32(byte), size)
                    live.append((block, size, byte))
                }
            }
            for b in live {
                check(b)
                ogi_malloc_cache_free(b.block)
            }
            ogi_malloc_cache_free(nil)
            return failures
        }
        XCTAssertEqual(failures, 0, "a live block's bytes were overwritten")
    }

    /// Runs `body` on a new POSIX thread and returns its result once the thread has ended (its exit handlers run).
    static func onNewThread<T>(_ body: @escaping () -> T) -> T {
        let box = ThreadBody { body() }
        let context = Unmanaged.passRetained(box).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                let box = Unmanaged<ThreadBody>.fromOpaque(context!).takeUnretainedValue()
                box.result = box.body()
                return nil
            }, context)
        precondition(created == 0, "pthread_create failed")
        pthread_join(thread, nil)
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        return box.result as! T
    }

    /// glibc's `malloc_usable_size` (malloc.h, which the Glibc module does not import).
    static func usableSize(_ block: UnsafeMutableRawPointer) -> Int {
        typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_usable_size") else { return 0 }
        return unsafeBitCast(symbol, to: UsableSize.self)(block)
    }
}

/// A thread's work and its result, handed to `pthread_create`.
private final class ThreadBody: @unchecked Sendable {
    let body: () -> Any
    var result: Any?
    init(_ body: @escaping () -> Any) { self.body = body }
}
