extension String {
    /// `body` over the string's UTF-8 bytes, read where they are: what `var copy = self; copy.withUTF8(body)` gives,
    /// without the copy. `withUTF8` is mutating (it may first make the bytes contiguous), so calling it needs a `var`
    /// copy, which costs a retain and a release of the string's storage (atomic operations: retains and releases are
    /// about a fifth of a batch's time). A native string's bytes are always contiguous; any other string is read as
    /// `withUTF8` reads it.
    @inlinable @inline(__always)
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
