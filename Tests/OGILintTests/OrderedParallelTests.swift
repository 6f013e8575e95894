import Foundation
import XCTest

@testable import OGILint

/// `OrderedParallel.run` hands every result back once, in index order, on the calling thread, with at most
/// `window` items outstanding, on at most `workers` threads of which the calling thread is one.
final class OrderedParallelTests: XCTestCase {
    /// Counters the work closures update from several threads.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var started = 0
        private(set) var emitted = 0
        private(set) var mostOutstanding = 0
        private(set) var threads: Set<UInt> = []

        func start() {
            lock.lock(); defer { lock.unlock() }
            started += 1
            mostOutstanding = max(mostOutstanding, started - emitted)
            threads.insert(OrderedParallelTests.threadID())
        }

        func emit() { lock.lock(); emitted += 1; lock.unlock() }
    }

    /// The calling thread's identity.
    static func threadID() -> UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// A short pause that differs from item to item, so items finish out of order.
    static func pause(_ i: Int) { usleep(UInt32((i * 7919) % 5) * 300) }

    /// Runs `count` items that each pause (`pause`) and return `make()`; `emit` keeps nothing.
    static func runPausing<T: Sendable>(count: Int, workers: Int, window: Int, _ make: @escaping @Sendable () -> T) throws {
        try OrderedParallel.run(
            count: count, workers: workers, window: window,
            work: { i in
                pause(i)
                return make()
            },
            emit: { _, _ in })
    }

    func testEveryResultComesBackOnceInOrderOnTheCallingThread() throws {
        let caller = Self.threadID()
        for count in [0, 1, 2, 3, 57] {
            for workers in [1, 2, 3, 5] {
                let tally = Tally()
                var seen: [Int] = []
                try OrderedParallel.run(
                    count: count, workers: workers,
                    work: { i in
                        tally.start()
                        Self.pause(i)
                        return i * i
                    },
                    emit: { (i: Int, square: Int) in
                        XCTAssertEqual(Self.threadID(), caller)
                        XCTAssertEqual(square, i * i)
                        tally.emit()
                        seen.append(i)
                    })
                XCTAssertEqual(seen, Array(0..<count), "count \(count), workers \(workers)")
                XCTAssertEqual(tally.started, count)
                XCTAssertLessThanOrEqual(tally.threads.count, workers)
            }
        }
    }

    func testTheCallingThreadWorksAndTheWindowBoundsOutstandingItems() throws {
        let caller = Self.threadID()
        for window in [2, 3, 6] {
            let tally = Tally()
            try OrderedParallel.run(
                count: 80, workers: 2, window: window,
                work: { i in
                    tally.start()
                    Self.pause(i)
                    return i
                },
                emit: { _, _ in tally.emit() })
            // The queue lets an item go just before `emit` counts it, so a worker may start one more in between.
            XCTAssertLessThanOrEqual(tally.mostOutstanding, window + 1)
            XCTAssertTrue(tally.threads.contains(caller), "the calling thread did no work")
            // The other worker may not have started before the calling thread did every item on a loaded machine.
            XCTAssertLessThanOrEqual(tally.threads.count, 2)
        }
    }

    /// A result that records the thread it was made on and the thread it was released on.
    final class Made: @unchecked Sendable {
        let maker = OrderedParallelTests.threadID()
        let log: ReleaseLog
        init(log: ReleaseLog) { self.log = log }
        deinit { log.record(maker: maker, releaser: OrderedParallelTests.threadID()) }
    }

    final class ReleaseLog: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var pairs: [(maker: UInt, releaser: UInt)] = []
        func record(maker: UInt, releaser: UInt) { lock.lock(); pairs.append((maker, releaser)); lock.unlock() }
    }

    /// A worker's results are released on that worker (glibc frees a block into its own thread's heap, under that
    /// heap's lock), except the few handed back after it stopped: those the calling thread releases, and there
    /// are at most a window of them, the items outstanding when the last item was handed out.
    func testAWorkersResultsAreReleasedOnThatWorker() throws {
        let caller = Self.threadID()
        for (workers, window) in [(2, 4), (3, 6), (4, 16)] {
            let log = ReleaseLog()
            try Self.runPausing(count: 400, workers: workers, window: window) { Made(log: log) }
            let pairs = log.pairs
            XCTAssertEqual(pairs.count, 400)
            let byWorkers = pairs.filter { $0.maker != caller }
            XCTAssertGreaterThan(byWorkers.count, 0, "no worker made a result")
            let releasedElsewhere = byWorkers.filter { $0.releaser != $0.maker }
            XCTAssertTrue(releasedElsewhere.allSatisfy { $0.releaser == caller })
            XCTAssertLessThanOrEqual(releasedElsewhere.count, window, "workers \(workers), window \(window)")
            XCTAssertTrue(pairs.filter { $0.maker == caller }.allSatisfy { $0.releaser == caller })
        }
    }

    /// Counts the results alive at once.
    final class Census: @unchecked Sendable {
        private let lock = NSLock()
        private var alive = 0
        private(set) var most = 0
        func born() { lock.lock(); alive += 1; most = max(most, alive); lock.unlock() }
        func died() { lock.lock(); alive -= 1; lock.unlock() }
    }

    final class Counted: @unchecked Sendable {
        let census: Census
        init(_ census: Census) { self.census = census; census.born() }
        deinit { census.died() }
    }

    /// Results handed back to their worker are released there at its next claim, and before it waits: however
    /// many items, the results alive at once stay within a few windows.
    func testResultsAliveAtOnceStayWithinAFewWindows() throws {
        for (workers, window) in [(2, 4), (3, 6), (4, 8)] {
            let census = Census()
            try Self.runPausing(count: 600, workers: workers, window: window) { Counted(census) }
            XCTAssertLessThanOrEqual(census.most, window * (1 + 2 * (workers - 1)) + workers, "workers \(workers), window \(window)")
        }
    }

    /// The threads each worker index ran on.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [Int: Set<UInt>] = [:]
        func add(worker: Int, thread: UInt) { lock.lock(); seen[worker, default: []].insert(thread); lock.unlock() }
        var threadsOf: [Int: Set<UInt>] { lock.lock(); defer { lock.unlock() }; return seen }
    }

    /// `work` is told its worker: 0 on the calling thread, and each other index on one thread of its own.
    func testEachWorkerIndexIsOneThreadAndZeroIsTheCaller() throws {
        let caller = Self.threadID()
        for workers in [2, 3, 4] {
            let seen = Seen()
            try OrderedParallel.run(
                count: 300, workers: workers, window: 2 * workers,
                work: { (i: Int, worker: Int) -> Int in
                    seen.add(worker: worker, thread: Self.threadID())
                    Self.pause(i)
                    return i
                },
                emit: { _, _ in })
            let threadsOf = seen.threadsOf
            XCTAssertEqual(threadsOf[0], [caller], "workers \(workers)")
            XCTAssertTrue(threadsOf.keys.allSatisfy { (0..<workers).contains($0) })
            XCTAssertTrue(threadsOf.values.allSatisfy { $0.count == 1 }, "a worker index on several threads: \(threadsOf)")
            let all = threadsOf.values.reduce(into: Set<UInt>()) { $0.formUnion($1) }
            XCTAssertEqual(all.count, threadsOf.count, "two worker indices on one thread")
        }
    }

    struct Stop: Error {}

    func testAnErrorFromEmitStopsTheWorkAndIsRethrown() {
        let tally = Tally()
        var seen: [Int] = []
        XCTAssertThrowsError(
            try OrderedParallel.run(
                count: 1_000, workers: 3, window: 4,
                work: { i in
                    tally.start()
                    Self.pause(i)
                    return i
                },
                emit: { i, _ in
                    if i == 10 { throw Stop() }
                    seen.append(i)
                })
        ) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, Array(0..<10))
        // No item is handed out once the error is seen: at most the window beyond the failing one was started.
        XCTAssertLessThanOrEqual(tally.started, 11 + 4)
    }
}
