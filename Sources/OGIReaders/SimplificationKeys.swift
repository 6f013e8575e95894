import OGIModel

/// Whether converting a text to simplified characters (ICU's Hant-Hans transform) can change it, told without
/// ICU from the keys of the transform's rules that change text (`HantHansKeys`, generated from the ICU the
/// Swift toolchain ships).
///
/// Exact: the transform's rules are plain replacements (`key > value`, no context, anchor, filter or variable;
/// the generator stops on anything else). Going along the text, the transform applies at each position a rule
/// whose key is found there, or keeps the character. In a text where no changing key occurs, every rule that
/// applies keeps its key, so the text comes out as it went in. `SimplificationKeysTests` checks the keys
/// against the rules of the ICU linked in, and the conversion against converting every line with ICU.
///
/// Converting costs ICU's set-up (about 20 M instructions, once a run) and about 16 K instructions a
/// character; most texts that are read a second time in simplified characters (fewer than three parts found:
/// a page cut short, a document that is no report) are already simplified and hold no changing key.
struct SimplificationKeys: Sendable {
    /// The keys of one character.
    let singles: ScalarSet
    /// The first characters of the longer keys, and per first character the rest of each such key.
    let longFirsts: ScalarSet
    let longTails: [UInt32: [[Unicode.Scalar]]]
    /// Every key, for tests.
    let keys: [String]

    /// The generated keys, read on first use.
    static let hantHans = SimplificationKeys(HantHansKeys.lines)

    /// Keys separated by spaces or line feeds.
    init(_ source: String) {
        var singles = ScalarSet([]), longFirsts = ScalarSet([])
        var longTails: [UInt32: [[Unicode.Scalar]]] = [:]
        var keys: [String] = []
        // Split on the separating scalars, not characters: a key never merges with the space before it.
        for word in source.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let scalars = Array(word)
            keys.append(String(String.UnicodeScalarView(scalars)))
            if scalars.count == 1 {
                singles.insert(scalars[0])
            } else {
                longFirsts.insert(scalars[0])
                longTails[scalars[0].value, default: []].append(Array(scalars.dropFirst()))
            }
        }
        self.singles = singles
        self.longFirsts = longFirsts
        self.longTails = longTails
        self.keys = keys
    }

    /// True when a key occurs in `s`: the transform may change it. False: it leaves `s` as it is.
    func occurs(in s: String) -> Bool {
        let u = UTF8Scan.scalars(of: s)
        for i in u.indices {
            let c = u[i]
            if singles.contains(c) { return true }
            guard longFirsts.contains(c), let tails = longTails[c.value] else { continue }
            for tail in tails where i + tail.count < u.count {
                var k = 0
                while k < tail.count, u[i + 1 + k] == tail[k] { k += 1 }
                if k == tail.count { return true }
            }
        }
        return false
    }
}
