import Dispatch
import Foundation

/// Runs checks off the server's event loops and async pool, at most `maxRunning` at a time, with at most
/// `maxWaiting` more waiting for a slot (beyond that: 429) and a time limit per check (beyond it: 503).
/// A check that overruns keeps its slot until it really ends, so runaway inputs cannot pile up work.
final class CheckGate: @unchecked Sendable {
    let maxRunning: Int
    let maxWaiting: Int
    let timeLimit: TimeInterval
    private let queue = DispatchQueue(label: "ogilint.serve.checks", qos: .userInitiated, attributes: .concurrent)
    private let lock = NSLock()
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(maxRunning: Int, maxWaiting: Int, timeLimit: TimeInterval) {
        self.maxRunning = max(1, maxRunning); self.maxWaiting = max(0, maxWaiting); self.timeLimit = timeLimit
    }

    enum Outcome<T: Sendable>: Sendable { case done(T), timedOut }

    /// Runs `work` when a slot is free. Throws `APIError` 429 when too many checks are already waiting.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> Outcome<T> {
        try await acquire()
        let once = Once<Outcome<T>>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome<T>, Never>) in
            once.set(continuation)
            let timer = Timer(DispatchWorkItem { once.resume(.timedOut) })
            queue.asyncAfter(deadline: .now() + timeLimit, execute: timer.item)
            queue.async {
                let value = work()
                timer.item.cancel()
                once.resume(.done(value))
                self.release()
            }
        }
    }

    private func acquire() async throws {
        switch tryAcquire() {
        case .acquired: return
        case .full: throw APIError.busy("too many checks at once (\(maxRunning) running, \(maxWaiting) waiting); try again in a moment")
        case .wait: await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in enqueue(c) }
        }
    }

    private enum Admission { case acquired, wait, full }

    private func tryAcquire() -> Admission {
        lock.lock(); defer { lock.unlock() }
        if running < maxRunning { running += 1; return .acquired }
        return waiting.count >= maxWaiting ? .full : .wait
    }

    private func enqueue(_ c: CheckedContinuation<Void, Never>) {
        lock.lock()
        // A slot may have been released since `tryAcquire`.
        if running < maxRunning { running += 1; lock.unlock(); c.resume(); return }
        waiting.append(c)
        lock.unlock()
    }

    private func release() {
        lock.lock()
        if waiting.isEmpty { running -= 1; lock.unlock(); return }
        let next = waiting.removeFirst()  // the slot passes straight to the next waiter
        lock.unlock()
        next.resume()
    }

    /// Checks running and waiting now (for /healthz).
    var load: (running: Int, waiting: Int) {
        lock.lock(); defer { lock.unlock() }
        return (running, waiting.count)
    }
}

/// A timer work item handed between queues (it is only cancelled or run, both thread-safe).
private final class Timer: @unchecked Sendable {
    let item: DispatchWorkItem
    init(_ item: DispatchWorkItem) { self.item = item }
}

/// Resumes a continuation exactly once, whichever of the result and the timer comes first.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    func set(_ c: CheckedContinuation<T, Never>) { lock.lock(); continuation = c; lock.unlock() }

    func resume(_ value: T) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: value)
    }
}
