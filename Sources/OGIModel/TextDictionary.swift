/// A dictionary keyed by texts that answers a lookup as `[String: Value]` does (keys compared by canonical
/// equivalence), looking a plain text up by its UTF-8 bytes. A `String` hashes by canonical equivalence, normalising
/// a Chinese text scalar by scalar at every hash (a few thousand instructions for a table's title or a row's label).
/// A plain scalar (`FastText.isPlainScalar`) has no decomposition and is a character of its own, so two plain texts
/// are equivalent exactly when their bytes are equal: when every key is plain, a plain text is looked up by its
/// bytes, and any other text in the `[String: Value]` (a text that is not plain may still be equivalent to a plain
/// key, e.g. through U+F900, canonically an ideograph). `TextDictionaryTests` compare the two lookups.
public struct TextDictionary<Value: Sendable>: Sendable {
    /// The dictionary as given.
    public let byText: [String: Value]
    /// `byText` by the keys' bytes when every key is plain, else nil.
    let byBytes: [PlainTextKey: Value]?

    public init(_ byText: [String: Value]) {
        self.byText = byText
        if byText.keys.allSatisfy(FastText.isAllPlain) {
            var bytes: [PlainTextKey: Value] = [:]
            bytes.reserveCapacity(byText.count)
            for (k, v) in byText { bytes[PlainTextKey(k)] = v }
            byBytes = bytes
        } else {
            byBytes = nil
        }
    }

    /// `byText[text]`.
    public subscript(_ text: String) -> Value? {
        if let byBytes, FastText.isAllPlain(text) { return byBytes[PlainTextKey(text)] }
        return byText[text]
    }
}

/// A text compared and hashed by its UTF-8 bytes: for texts of plain scalars only (`FastText.isAllPlain`), which
/// are equal as `String`s exactly when their bytes are (`TextDictionary`'s keys, the reader's `TextSet`).
public struct PlainTextKey: Hashable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    @inlinable public static func == (a: PlainTextKey, b: PlainTextKey) -> Bool { FastText.bytesEqual(a.text, b.text) }
    @inlinable public func hash(into hasher: inout Hasher) {
        text.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
