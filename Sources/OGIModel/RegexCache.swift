import Foundation

/// Compiles each regular expression once per thread, so validating a rule pack and reading with it do not
/// compile the same pattern twice.
///
/// Each thread keeps its own compiled patterns: a batch's worker threads then never change the reference counts of
/// the same compiled pattern (an atomic increment of a count another core holds waits for its cache line), and a
/// look-up takes no lock. A pattern compiles in microseconds (`ScalarRegex`); the ICU expressions, slower to make
/// and rarely needed, are kept once per process.
public final class RegexCache: @unchecked Sendable {
    public static let shared = RegexCache()
    private let lock = NSLock()
    private var foundationCache: [String: NSRegularExpression] = [:]

    /// The compiled patterns of one thread (released with it).
    private final class ThreadPatterns {
        var compiled: [String: CompiledRegex] = [:]
    }

    private let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let made = pthread_key_create(&key) { box in
            guard let box else { return }
            Unmanaged<ThreadPatterns>.fromOpaque(box).release()
        }
        precondition(made == 0, "pthread_key_create failed: \(made)")
        return key
    }()

    /// This thread's compiled patterns.
    private var patterns: ThreadPatterns {
        if let box = pthread_getspecific(threadKey) { return Unmanaged<ThreadPatterns>.fromOpaque(box).takeUnretainedValue() }
        let made = ThreadPatterns()
        pthread_setspecific(threadKey, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    /// The pattern compiled for matching: by `ScalarRegex` when it is inside its subset (no ICU set-up at
    /// all), else by NSRegularExpression. Throws NSRegularExpression's error for an invalid pattern.
    public func compile(_ pattern: String) throws -> CompiledRegex {
        let mine = patterns
        if let r = mine.compiled[pattern] { return r }
        let r = try CompiledRegex(pattern: pattern)
        mine.compiled[pattern] = r
        return r
    }

    /// The pattern compiled by NSRegularExpression (ICU), whatever it holds: the reference `ScalarRegex` is
    /// compared with, and the matcher of the patterns outside its subset.
    public func foundationRegex(_ pattern: String) throws -> NSRegularExpression {
        lock.lock()
        if let r = foundationCache[pattern] { lock.unlock(); return r }
        lock.unlock()
        let r = try NSRegularExpression(pattern: pattern)
        lock.lock(); foundationCache[pattern] = r; lock.unlock()
        return r
    }
}
