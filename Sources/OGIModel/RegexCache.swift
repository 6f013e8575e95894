import Foundation

/// Compiles each regular expression once per process, so validating a rule pack and reading with it
/// do not compile the same pattern twice.
public final class RegexCache: @unchecked Sendable {
    public static let shared = RegexCache()
    private let lock = NSLock()
    private var cache: [String: CompiledRegex] = [:]
    private var foundationCache: [String: NSRegularExpression] = [:]

    /// The pattern compiled for matching: by `ScalarRegex` when it is inside its subset (no ICU set-up at
    /// all), else by NSRegularExpression. Throws NSRegularExpression's error for an invalid pattern.
    public func compile(_ pattern: String) throws -> CompiledRegex {
        lock.lock()
        if let r = cache[pattern] { lock.unlock(); return r }
        lock.unlock()
        let r = try CompiledRegex(pattern: pattern)
        lock.lock(); cache[pattern] = r; lock.unlock()
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
