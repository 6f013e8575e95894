// Strings made from UTF-8 that is valid by construction, without the standard library validating it again.
//
// `String(unsafeUninitializedCapacity:initializingUTF8With:)` and `String(decoding:as:)` check every byte they are
// given (about 11 instructions a byte of a Chinese report), often more than the work of callers that only copy or
// map the bytes of strings that are already valid (a line's normal form, lines joined, a field cut at a separator).
// Text a file gives is still validated once, by `TextDecoding.isValidUTF8` (about 6 instructions a byte).

extension String {
    /// The string whose UTF-8 form is `bytes`, which the caller guarantees to be valid UTF-8: bytes of valid
    /// strings copied whole, cut only at scalar boundaries, or scalars encoded one by one. Release builds do not
    /// check it again; debug builds (the tests) stop on invalid bytes, so a caller that is wrong is caught there.
    /// The string is marked ASCII exactly when every byte is, as a validated string would be (an ASCII string not
    /// marked so would be hashed and compared through Unicode normalisation).
    @inlinable
    public init(knownValidUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        self.init(knownValidUTF8: bytes, isASCII: KnownValidUTF8.isASCII(bytes))
    }

    /// `init(knownValidUTF8:)` for bytes whose ASCII-ness the caller knows already (`isASCII` must be
    /// `KnownValidUTF8.isASCII(bytes)`; debug builds check it): bytes read as ASCII digits, say, are not read again.
    @inlinable
    public init(knownValidUTF8 bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        #if DEBUG
            precondition(String(validating: bytes, as: UTF8.self) != nil, "String(knownValidUTF8:) given invalid UTF-8")
            precondition(isASCII == KnownValidUTF8.isASCII(bytes), "String(knownValidUTF8:isASCII:) told the wrong ASCII-ness")
        #endif
        // UTF8Span and String(copying:) are in the standard library from Swift 6.2; an older compiler (the
        // manifest's tools version is 6.0) validates as before.
        #if compiler(>=6.2)
            if #available(macOS 26, *) {
                self = String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: isASCII))
                return
            }
        #endif
        self = String(decoding: bytes, as: UTF8.self)
    }

    /// The string of the valid UTF-8 (as for `init(knownValidUTF8:)`) that `body` writes into a buffer of
    /// `capacity` bytes, returning how many it wrote. The buffer is on the stack when small (up to 1,024 bytes on
    /// Linux; a larger one is allocated on the heap and freed, the string being a second copy).
    @inlinable
    public init(knownValidUTF8Capacity capacity: Int, initializingWith body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        if capacity <= 0 {
            self = ""
            return
        }
        self = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            let count = body(buffer)
            // A count past the buffer would copy bytes after it into the string (slicing an unsafe buffer is not
            // bounds-checked in release builds): one comparison a string.
            precondition(count >= 0 && count <= capacity, "String(knownValidUTF8Capacity:) body wrote past its buffer")
            return String(knownValidUTF8: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

/// Helpers of `String(knownValidUTF8:)`.
public enum KnownValidUTF8 {
    /// True when every byte of `b` is below 0x80, read eight bytes at a time.
    @inlinable
    public static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= n {
            high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < n {
            high |= UInt64(base[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
