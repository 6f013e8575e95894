import Foundation

/// The linters each thread of a batch checks with: the calling thread uses the configuration groups' own, every
/// other worker a replica of each (`Linter.replica()`), made by the thread that first works as that worker and
/// needs it. One `WorkerLinters` serves a run's pairing pass and its check, one after the other; a worker index
/// may be a different thread in each, never two threads at once.
///
/// A linter is mostly shared, immutable objects (rules, templates, compiled patterns, vocabularies) whose
/// reference counts change each time a report is read or checked with them. Two cores changing the same count
/// pass its cache line back and forth, which cost a batch of text reports on two cores about 12% more CPU than
/// two processes checking half the reports each. A replica shares nothing with its original, so each thread's
/// counts stay in its own core's cache. Replicas give the same findings: they are built from the same bytes
/// (`RulePackLoader.replica(of:)`), as a second run with a warm rule cache would load them.
final class WorkerLinters: @unchecked Sendable {
    /// One worker's linters, by group; only the thread working as that worker touches it.
    private final class Slot {
        var linters: [Linter?]
        init(groups: Int) { linters = Array(repeating: nil, count: groups) }
    }

    /// The fewest items per thread for which a batch makes replicas: making one costs about as much as
    /// checking a few reports, and it saves a few percent of each report's time.
    static let minimumItemsPerThread = 32

    private let originals: [Linter]
    private let slots: [Slot]

    /// The linters of a run of `count` items on `OrderedParallel.threadCount(count:workers:)` threads; with fewer
    /// than `minimumItemsPerThread` items a thread, every thread uses the originals.
    init(originals: [Linter], count: Int, workers: Int?) {
        self.originals = originals
        let threads = OrderedParallel.threadCount(count: count, workers: workers)
        slots = Self.replicates(count: count, threads: threads) ? (0..<threads).map { _ in Slot(groups: originals.count) } : []
    }

    /// Whether a run of `count` items makes replicas (so its linters should be loaded `replicable`).
    static func replicates(count: Int, workers: Int?) -> Bool {
        replicates(count: count, threads: OrderedParallel.threadCount(count: count, workers: workers))
    }

    private static func replicates(count: Int, threads: Int) -> Bool { threads > 1 && count >= threads * minimumItemsPerThread }

    /// How many replicas the workers have made so far (read once the run is over; for tests).
    var replicasMade: Int {
        slots.reduce(0) { sum, slot in
            sum + zip(slot.linters, originals).filter { made, original in made.map { $0 !== original } ?? false }.count
        }
    }

    /// The linter of configuration group `group` for worker `worker` (0: the calling thread). Called only on that
    /// worker's thread. A replica that cannot be made (rules not loaded from files) leaves the original.
    func linter(group: Int, worker: Int) -> Linter {
        guard worker > 0, worker < slots.count else { return originals[group] }
        let slot = slots[worker]
        if let made = slot.linters[group] { return made }
        var made = originals[group]
        do {
            if let replica = try originals[group].replica() { made = replica }
        } catch {
            // The bytes loaded the same rules once: a failure is a bug. Checking goes on with the original.
            assertionFailure("a replica of the rules could not be made: \(error)")
        }
        slot.linters[group] = made
        return made
    }
}
