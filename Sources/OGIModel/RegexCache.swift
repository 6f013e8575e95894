import Foundation

/// Compiles each regular expression once per process, so validating a rule pack and reading with it
/// do not compile the same pattern twice.
public final class RegexCache: @unchecked Sendable {
    public static let shared = RegexCache()
    private let lock = NSLock()
    private var cache: [String: NSRegularExpression] = [:]

    public func compile(_ pattern: String) throws -> NSRegularExpression {
        lock.lock()
        if let r = cache[pattern] { lock.unlock(); return r }
        lock.unlock()
        let r = try NSRegularExpression(pattern: pattern)
        lock.lock(); cache[pattern] = r; lock.unlock()
        return r
    }
}
