import Foundation

/// Runs work on all cores and hands the results back in index order, with a bounded number of results
/// computed but not yet handed back, so memory stays flat however many items there are.
enum OrderedParallel {
    /// Calls `work(i)` for every `i` in `0..<count` on up to `workers` threads (nil: one per core), and
    /// `emit(i, result)` on the calling thread in index order. At most `window` results wait at a time. When
    /// `emit` throws, the workers stop after their current item and the error is rethrown.
    ///
    /// The calling thread is one of the workers: while the result it must hand back next is not ready, it works
    /// on the next item instead of waiting. It sleeps only when every item is handed out or the window is full,
    /// and a worker wakes it only when it is asleep.
    static func run<T: Sendable>(
        count: Int, workers: Int? = nil,
        window: Int? = nil, work: @escaping @Sendable (Int) -> T,
        emit: (Int, T) throws -> Void
    ) throws {
        let workers = count <= 1 ? 1 : max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, count))
        if workers <= 1 {
            for i in 0..<count { try emit(i, work(i)) }
            return
        }
        let queue = WorkQueue<T>(count: count, window: max(workers, window ?? workers * 8))
        let group = DispatchGroup()
        for _ in 1..<workers {
            DispatchQueue.global().async(group: group) {
                while let i = queue.claim() { queue.put(i, work(i)) }
            }
        }
        do {
            var i = 0
            while i < count {
                switch queue.takeOrClaim(i) {
                case .result(let value):
                    try emit(i, value)
                    i += 1
                case .claimed(let j):
                    queue.put(j, work(j))
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

/// The shared state of `OrderedParallel.run`: the next index to hand out and the results not yet taken.
private final class WorkQueue<T>: @unchecked Sendable {
    /// What the calling thread gets from `takeOrClaim`: the result it asked for, or an item to work on first.
    enum Next {
        case result(T)
        case claimed(Int)
    }

    private let condition = NSCondition()
    private var ready: [Int: T] = [:]
    private var next = 0
    /// Items handed out and not yet taken back (worked on, or ready and waiting).
    private var outstanding = 0
    private var cancelled = false
    /// Whether the calling thread sleeps in `takeOrClaim`, and how many workers sleep in `claim`: a change
    /// wakes the sleepers that can act on it, and no one when no one sleeps.
    private var takerAsleep = false
    private var claimersAsleep = 0
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) { self.count = count; self.window = window }

    /// The next index to work on, once fewer than `window` items are outstanding; nil when all are handed out.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && next < count && outstanding >= window {
            claimersAsleep += 1
            condition.wait()
            claimersAsleep -= 1
        }
        guard !cancelled, next < count else { return nil }
        return handOut()
    }

    func put(_ i: Int, _ value: T) {
        condition.lock(); defer { condition.unlock() }
        ready[i] = value
        if takerAsleep { condition.broadcast() }
    }

    /// Result `i`, removed, when it is ready; otherwise the next item to work on, when one may be handed out;
    /// otherwise waits for either.
    func takeOrClaim(_ i: Int) -> Next {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let value = ready.removeValue(forKey: i) {
                outstanding -= 1
                if claimersAsleep > 0 { condition.broadcast() }
                return .result(value)
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
