#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One environment variable, read with `getenv`: `ProcessInfo.processInfo.environment` builds a dictionary of
/// every variable on each call, which a single run paid several times for the two or three it reads.
public enum EnvironmentVariable {
    /// The value of `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}
