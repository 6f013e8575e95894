// Arrays allocated through specialised code.
//
// `Array(repeating:count:)` and `Array(unsafeUninitializedCapacity:initializingWith:)` allocate their storage through
// the standard library's `_allocateBufferUninitialized(minimumCapacity:)`, which is not inlinable: it runs unspecialised
// and looks the storage class (`_ContiguousArrayStorage<Element>`) up in the runtime's generic metadata cache on every
// call, about 450 instructions before the allocation itself. `reserveCapacity` on an empty array is specialised for the
// element type in the caller's module and finds that class through a metadata accessor that caches it after the first
// call. A report's reading and checking make a few hundred short arrays, so the lookups cost about one percent of a
// batch. The initialisers here make the same arrays through `reserveCapacity`.

extension Array {
    /// `Array(repeating: value, count: count)`, allocated through `reserveCapacity` (see the top of this file).
    @inlinable @inline(__always)
    public init(filledWith value: Element, count: Int) {
        self.init()
        reserveCapacity(count)
        append(contentsOf: repeatElement(value, count: count))
    }
}

extension Array where Element: BitwiseCopyable {
    /// `Array(unsafeUninitializedCapacity: capacity) { buffer, count in count = body(buffer) }`, allocated through
    /// `reserveCapacity` (see the top of this file): `body` writes its elements into a temporary buffer of
    /// `capacity` (on the stack when it is small) and returns how many it wrote, which are then copied into an
    /// array of that size.
    @inlinable @inline(__always)
    public init(writingAtMost capacity: Int, _ body: (UnsafeMutableBufferPointer<Element>) -> Int) {
        self.init()
        withUnsafeTemporaryAllocation(of: Element.self, capacity: Swift.max(capacity, 1)) { buffer in
            let made = body(UnsafeMutableBufferPointer(rebasing: buffer[..<capacity]))
            precondition(made >= 0 && made <= capacity, "wrote more elements than the capacity")
            reserveCapacity(made)
            append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<made]))
        }
    }
}
