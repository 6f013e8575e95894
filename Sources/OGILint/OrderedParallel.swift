import Foundation

/// Runs work on all cores and hands the results back in index order, with a bounded number of results
/// computed but not yet handed back, so memory stays flat however many items there are.
enum OrderedParallel {
    /// Calls `work(i)` for every `i` in `0..<count` on up to `workers` threads (nil: one per core), and
    /// `emit(i, result)` on the calling thread in index order. At most `window` items are worked on or wait to be
    /// emitted at a time; after `emit`, a worker's results wait to be released on it until its next claim (a few
    /// windows at most, whatever `count`). When `emit` throws, the workers stop after their current item and the
    /// error is rethrown.
    ///
    /// The calling thread is one of the workers: while the result it must hand back next is not ready, it works
    /// on the next item instead of waiting. It sleeps only when every item is handed out or the window is full,
    /// and a worker wakes it only when it is asleep.
    ///
    /// A result is released on the thread that made it: after `emit`, the calling thread hands a worker's result
    /// back to that worker, which lets it go at its next claim. glibc's allocator gives each thread its own heap
    /// (arena) and frees a block into the heap it came from, taking that heap's lock: a report's model is
    /// thousands of blocks, and freeing them on the calling thread while the worker allocated in the same heap
    /// made the two threads wait on each other's lock (about 1,700 sleeps in a batch of 1,000 text reports).
    static func run<T: Sendable>(
        count: Int, workers: Int? = nil,
        window: Int? = nil, work: @escaping @Sendable (Int) -> T,
        emit: (Int, T) throws -> Void
    ) throws {
        try run(count: count, workers: workers, window: window, work: { i, _ in work(i) }, emit: emit)
    }

    /// As `run(count:workers:window:work:emit:)`, telling `work` which worker calls it: 0 is the calling thread,
    /// 1..<`threadCount(count:workers:)` the others; each worker is one thread for the whole run (two runs may
    /// give the same worker index to different threads).
    static func run<T: Sendable>(
        count: Int, workers: Int? = nil,
        window: Int? = nil, work: @escaping @Sendable (_ item: Int, _ worker: Int) -> T,
        emit: (Int, T) throws -> Void
    ) throws {
        let workers = threadCount(count: count, workers: workers)
        if workers <= 1 {
            for i in 0..<count { try emit(i, work(i, 0)) }
            return
        }
        let queue = WorkQueue<T>(count: count, window: max(workers, window ?? workers * 8), workers: workers)
        let group = DispatchGroup()
        for worker in 1..<workers {
            DispatchQueue.global().async(group: group) {
                // The results this worker made that were handed back, released here (outside the lock).
                var done: [T] = []
                done.reserveCapacity(queue.window)
                work: while true {
                    let next = queue.claim(worker: worker, releasing: &done)
                    done.removeAll(keepingCapacity: true)
                    switch next {
                    case .item(let i): queue.put(i, work(i, worker), by: worker)
                    case .release: continue
                    case .done: break work
                    }
                }
                queue.finished(worker: worker)
            }
        }
        do {
            var i = 0
            while i < count {
                switch queue.takeOrClaim(i) {
                case .result(let value, let maker):
                    try emit(i, value)
                    queue.handBack(consume value, to: maker)
                    i += 1
                case .claimed(let j):
                    queue.put(j, work(j, 0), by: 0)
                }
            }
        } catch {
            queue.cancel()
            group.wait()
            throw error
        }
        group.wait()
    }
}

extension OrderedParallel {
    /// How many threads `run` works on for `count` items: `workers` (nil: one per core), at most one per item.
    static func threadCount(count: Int, workers: Int?) -> Int {
        count <= 1 ? 1 : max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, count))
    }
}

/// The shared state of `OrderedParallel.run`: the next index to hand out and the results not yet taken.
private final class WorkQueue<T>: @unchecked Sendable {
    /// What the calling thread gets from `takeOrClaim`: the result it asked for, or an item to work on first.
    enum Next {
        /// The result, and the worker that made it (0: the calling thread).
        case result(T, maker: Int)
        case claimed(Int)
    }

    private let condition = NSCondition()
    private var ready: [Int: (value: T, maker: Int)] = [:]
    /// Per worker (index 1...), its results handed back after `emit`, for it to release; nil once it has stopped
    /// (and for the calling thread, index 0, which releases its own).
    private var handedBack: [[T]?]
    private var next = 0
    /// Items handed out and not yet taken back (worked on, or ready and waiting).
    private var outstanding = 0
    private var cancelled = false
    /// Whether the calling thread sleeps in `takeOrClaim`, and how many workers sleep in `claim`: a change
    /// wakes the sleepers that can act on it, and no one when no one sleeps.
    private var takerAsleep = false
    private var claimersAsleep = 0
    private let count: Int
    let window: Int

    init(count: Int, window: Int, workers: Int) {
        self.count = count; self.window = window
        handedBack = (0..<workers).map { worker in
            guard worker > 0 else { return nil }
            var results: [T] = []
            results.reserveCapacity(window)
            return results
        }
    }

    /// What a worker gets from `claim`.
    enum Claim {
        /// The next index to work on.
        case item(Int)
        /// Nothing to work on yet: release what was handed back before waiting (then claim again).
        case release
        /// Every item is handed out (or the run was cancelled).
        case done
    }

    /// The next index to work on, once fewer than `window` items are outstanding. `released` (empty when called)
    /// gets the worker's results handed back since its last claim; with some and the window full, the worker is
    /// sent to release them before it waits, so a sleeping worker holds none.
    func claim(worker: Int, releasing released: inout [T]) -> Claim {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let back = handedBack[worker], !back.isEmpty {
                released.append(contentsOf: back)
                handedBack[worker]!.removeAll(keepingCapacity: true)
            }
            if cancelled || next >= count { return .done }
            if outstanding < window { return .item(handOut()) }
            if !released.isEmpty { return .release }
            claimersAsleep += 1
            condition.wait()
            claimersAsleep -= 1
        }
    }

    func put(_ i: Int, _ value: T, by maker: Int) {
        condition.lock(); defer { condition.unlock() }
        ready[i] = (value, maker)
        if takerAsleep { condition.broadcast() }
    }

    /// Gives a result back to the worker that made it, to release at its next claim; a result of the calling
    /// thread, or of a worker that has stopped, is released by the caller.
    func handBack(_ value: consuming T, to maker: Int) {
        guard maker != 0 else { return }
        condition.lock(); defer { condition.unlock() }
        handedBack[maker]?.append(value)
    }

    /// Marks a worker stopped; results handed back to it from now on are released by the calling thread.
    /// Returns what it was still to release, for the caller to let go.
    @discardableResult
    func finished(worker: Int) -> [T] {
        condition.lock(); defer { condition.unlock() }
        let left = handedBack[worker] ?? []
        handedBack[worker] = nil
        return left
    }

    /// Result `i`, removed, when it is ready; otherwise the next item to work on, when one may be handed out;
    /// otherwise waits for either.
    func takeOrClaim(_ i: Int) -> Next {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let entry = ready.removeValue(forKey: i) {
                outstanding -= 1
                if claimersAsleep > 0 { condition.broadcast() }
                return .result(entry.value, maker: entry.maker)
            }
            if !cancelled && next < count && outstanding < window { return .claimed(handOut()) }
            takerAsleep = true
            condition.wait()
            takerAsleep = false
        }
    }

    func cancel() { condition.lock(); cancelled = true; condition.broadcast(); condition.unlock() }

    /// Hands out the next index; called with the lock held.
    private func handOut() -> Int {
        defer { next += 1; outstanding += 1 }
        return next
    }
}
