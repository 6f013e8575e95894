import OGIModel

/// A set of texts that answers `contains` as a `Set<String>` does (by canonical equivalence), hashing a plain
/// text's UTF-8 bytes. A `String` hashes by canonical equivalence, normalising a Chinese text scalar by scalar
/// at every hash (about 2,000 instructions for a short label). A plain scalar (`FastText.isPlainScalar`) has no
/// decomposition and is a character of its own, so two plain texts are canonically equivalent exactly when their
/// bytes are equal: when every text of the set is plain, a plain text is looked up by its bytes, and any other
/// text is asked of the `Set<String>` (a text that is not plain may still be equivalent to a plain one: a letter
/// with a combining mark to its precomposed form, or a character with a one-character canonical mapping, such as
/// U+F900 or U+212A KELVIN SIGN, to that character). `VariantLookupTests` compares the two.
struct TextSet: Sendable {
    let texts: Set<String>
    /// `texts` as byte keys when every text is plain, else nil.
    let plainKeys: Set<PlainTextKey>?

    init<S: Sequence>(_ texts: S) where S.Element == String {
        self.texts = Set(texts)
        plainKeys = self.texts.allSatisfy(Self.isPlain) ? Set(self.texts.map(PlainTextKey.init)) : nil
    }

    func contains(_ s: String) -> Bool {
        if let keys = plainKeys, Self.isPlain(s) { return keys.contains(PlainTextKey(s)) }
        return texts.contains(s)
    }

    /// `contains(s)` where `scalars` are `s`'s scalars (read already).
    func contains(_ s: String, scalars: [Unicode.Scalar]) -> Bool {
        if let keys = plainKeys, scalars.allSatisfy(FastText.isPlainScalar) { return keys.contains(PlainTextKey(s)) }
        return texts.contains(s)
    }

    /// True when every scalar of `s` is plain.
    static func isPlain(_ s: String) -> Bool { FastText.isAllPlain(s) }
}
