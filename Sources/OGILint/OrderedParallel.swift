import Foundation

/// Runs work on all cores and hands the results back in index order, with a bounded number of results
/// computed but not yet handed back, so memory stays flat however many items there are.
enum OrderedParallel {
    /// Calls `work(i)` for every `i` in `0..<count` on up to `workers` threads (nil: one per core), and
    /// `emit(i, result)` on the calling thread in index order. At most `window` results wait at a time. When
    /// `emit` throws, the workers stop after their current item and the error is rethrown.
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
        let queue = WorkQueue<T>(count: count, window: max(workers, window ?? workers * 4))
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while let i = queue.claim() { queue.put(i, work(i)) }
            }
        }
        do {
            for i in 0..<count { try emit(i, queue.take(i)) }
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
    private let condition = NSCondition()
    private var ready: [Int: T] = [:]
    private var next = 0
    private var waiting = 0
    private var cancelled = false
    private let count: Int
    private let window: Int

    init(count: Int, window: Int) { self.count = count; self.window = window }

    /// The next index to work on, once fewer than `window` results wait; nil when all are handed out.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && next < count && waiting >= window { condition.wait() }
        guard !cancelled, next < count else { return nil }
        defer { next += 1; waiting += 1 }
        return next
    }

    func put(_ i: Int, _ value: T) {
        condition.lock(); ready[i] = value; condition.broadcast(); condition.unlock()
    }

    /// Waits for result `i` and removes it.
    func take(_ i: Int) -> T {
        condition.lock(); defer { condition.unlock() }
        while true {
            if let v = ready.removeValue(forKey: i) {
                waiting -= 1
                condition.broadcast()
                return v
            }
            condition.wait()
        }
    }

    func cancel() { condition.lock(); cancelled = true; condition.broadcast(); condition.unlock() }
}
