import Foundation

/// What a cell's raw text turned out to be.
public enum CellState: String, Codable, Sendable, CaseIterable {
    /// A plain number, e.g. `12` or `6032.346`.
    case number
    /// A number written with a sign word or sign, e.g. `减51`, `增7`, `+2`.
    case signedText = "signed_text"
    /// A number written with a unit, e.g. `251000元`.
    case numberWithUnit = "number_with_unit"
    /// Nothing in the cell.
    case blank
    /// A placeholder such as `/`, `-`, `—`.
    case placeholder
    /// Text that is not a number.
    case text
    /// The cell was expected but not found in the input.
    case missing
    /// A number with more significant digits than exact arithmetic holds (`CellSyntax.maxSignificantDigits`).
    /// It is never rounded to fit: it has no value, so no rule computes with it.
    case tooManyDigits = "too_many_digits"
}

/// How cell text is read: which tokens are placeholders, which words mean plus or minus, which units exist.
/// Loaded from the rule packs (`rules/templates/common.yml`), never written in Swift.
public struct CellSyntax: Codable, Sendable, Equatable {
    public var placeholders: [String] { didSet { prepare() } }
    public var blanks: [String] { didSet { prepare() } }
    public var increaseWords: [String] { didSet { prepare() } }
    public var decreaseWords: [String] { didSet { prepare() } }
    public var units: [String] { didSet { prepare() } }

    /// Derived from the word lists once (not per cell): the first scalars a value can start with, and whether
    /// a plain decimal literal ("123", "6.5") can be read without looking at the word lists at all.
    private(set) var valueStarts: [Unicode.Scalar] = []
    @usableFromInline private(set) var plainLiteralsAreNumbers = false

    public init(
        placeholders: [String] = ["/", "-", "—"], blanks: [String] = [],
        increaseWords: [String] = [], decreaseWords: [String] = [], units: [String] = []
    ) {
        self.placeholders = placeholders
        self.blanks = blanks
        self.increaseWords = increaseWords
        self.decreaseWords = decreaseWords
        // Longest first, so "万元" is tried before "元".
        self.units = units.sorted { $0.count > $1.count }
        prepare()
    }

    enum CodingKeys: String, CodingKey { case placeholders, blanks, increaseWords, decreaseWords, units }

    /// Decodes the word lists as written (units in their given order) and prepares the lookup tables.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        placeholders = try c.decode([String].self, forKey: .placeholders)
        blanks = try c.decode([String].self, forKey: .blanks)
        increaseWords = try c.decode([String].self, forKey: .increaseWords)
        decreaseWords = try c.decode([String].self, forKey: .decreaseWords)
        units = try c.decode([String].self, forKey: .units)
        prepare()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(placeholders, forKey: .placeholders)
        try c.encode(blanks, forKey: .blanks)
        try c.encode(increaseWords, forKey: .increaseWords)
        try c.encode(decreaseWords, forKey: .decreaseWords)
        try c.encode(units, forKey: .units)
    }

    public static func == (a: CellSyntax, b: CellSyntax) -> Bool {
        a.placeholders == b.placeholders && a.blanks == b.blanks && a.increaseWords == b.increaseWords
            && a.decreaseWords == b.decreaseWords && a.units == b.units
    }

    private mutating func prepare() {
        var starts: [Unicode.Scalar] = Array("+-.－＋−".unicodeScalars)
        for w in placeholders + blanks + increaseWords + decreaseWords {
            if let f = w.unicodeScalars.first, !starts.contains(f) { starts.append(f) }
        }
        valueStarts = starts
        // A word that is empty or holds a digit or a point could be a prefix, suffix or whole of a plain literal.
        plainLiteralsAreNumbers = !(placeholders + blanks + increaseWords + decreaseWords + units).contains { w in
            w.isEmpty || w.unicodeScalars.contains { ("0"..."9").contains($0) || $0 == "." }
        }
    }

    /// True when `raw` is a non-empty run of ASCII digits and points with at least one digit.
    static func isPlainLiteral(_ raw: String) -> Bool {
        var digit = false
        for b in raw.utf8 {
            if b >= 0x30 && b <= 0x39 { digit = true } else if b != 0x2E { return false }
        }
        return digit
    }

    /// Reads raw cell text into a state, a value (for arithmetic) and a unit.
    public func parse(_ raw: String) -> (state: CellState, value: Decimal?, unit: String?) {
        // A plain literal ("123", "6.5") with no word list touching digits or points: no trimming, no word,
        // no unit, no sign applies, so only the number itself is read (the same steps as below).
        if plainLiteralsAreNumbers, let significant = Self.plainLiteralSignificantDigits(raw) {
            if significant > Self.maxSignificantDigits {
                return ExactDecimal.parse(raw) == nil ? (.text, nil, nil) : (.tooManyDigits, nil, nil)
            }
            guard let v = ExactDecimal.parse(raw) else { return (.text, nil, nil) }
            return (.number, v, nil)
        }
        return parseInFull(raw)
    }

    /// `parse` without the plain-literal shortcut (kept callable so tests can compare the two).
    public func parseInFull(_ raw: String) -> (state: CellState, value: Decimal?, unit: String?) {
        let t = FastText.trimmed(raw)
        if t.isEmpty || blanks.contains(where: { FastText.equal($0, t) }) { return (.blank, 0, nil) }
        if placeholders.contains(where: { FastText.equal($0, t) }) { return (.placeholder, 0, nil) }
        var body = normalizeDigits(t)
        var unit: String?
        for u in units where FastText.hasSuffix(body, u) && body.count > u.count {
            unit = u
            body = FastText.trimmed(String(body.dropLast(u.count)))
            break
        }
        var sign: Decimal = 1
        var signed = false
        for w in increaseWords where FastText.hasPrefix(body, w) && body.count > w.count {
            body = String(body.dropFirst(w.count)); signed = true; break
        }
        if !signed {
            for w in decreaseWords where FastText.hasPrefix(body, w) && body.count > w.count {
                body = String(body.dropFirst(w.count)); sign = -1; signed = true; break
            }
        }
        if !signed, FastText.hasPrefix(body, "+") { body.removeFirst() }
        body = FastText.trimmed(body)
        if Self.significantDigits(body) > Self.maxSignificantDigits {
            return ExactDecimal.parse(body) == nil ? (.text, nil, nil) : (.tooManyDigits, nil, unit)
        }
        guard let v = ExactDecimal.parse(body) else { return (.text, nil, nil) }
        let value = sign == -1 ? -v : v
        if signed { return (.signedText, value, unit) }
        if unit != nil { return (.numberWithUnit, value, unit) }
        return (.number, value, nil)
    }

    /// `isPlainLiteral(s) ? significantDigits(s) : nil`, both read in one pass over the UTF-8 bytes.
    /// `CellParseTests` compares the two.
    static func plainLiteralSignificantDigits(_ s: String) -> Int? {
        return s.withUTF8Bytes { b -> Int? in
            var n = 0
            var lo = -1
            var trailingZeros = 0
            var fractionStart = -1
            for c in b {
                if c >= 48 && c <= 57 {
                    if c == 48 {
                        trailingZeros += 1
                    } else {
                        trailingZeros = 0
                        if lo < 0 { lo = n }
                    }
                    n += 1
                } else if c == 0x2E {
                    if fractionStart < 0 { fractionStart = n }
                } else {
                    return nil
                }
            }
            if n == 0 { return nil }
            if lo < 0 { lo = n }
            var hi = n
            if fractionStart >= 0 { hi -= max(0, min(trailingZeros, n - max(lo, fractionStart))) }
            return hi - lo
        }
    }

    /// Most significant digits a cell's number may have: what `Decimal` holds exactly.
    public static let maxSignificantDigits = 38

    /// Digits of a plain decimal literal without leading zeros and without trailing zeros after the point.
    /// Counted in one pass without collecting the digits: with the digits `D` (every ASCII digit in order),
    /// `lo` the index of the first nonzero one, `f` the number of digits before the first point, the count is
    /// `D` up to its end less the zeros at its end past `max(lo, f)` (only when there is a point), less `lo`.
    /// `significantDigitsCollected` is the form that collects them; `ReadOnePass2Tests` compares the two.
    static func significantDigits(_ s: String) -> Int {
        var n = 0
        var lo = -1
        var trailingZeros = 0
        var fractionStart = -1
        for b in s.utf8 {
            if b >= 48 && b <= 57 {
                if b == 48 {
                    trailingZeros += 1
                } else {
                    trailingZeros = 0
                    if lo < 0 { lo = n }
                }
                n += 1
            } else if b == UInt8(ascii: "."), fractionStart < 0 {
                fractionStart = n
            }
        }
        if lo < 0 { lo = n }
        var hi = n
        if fractionStart >= 0 { hi -= max(0, min(trailingZeros, n - max(lo, fractionStart))) }
        return hi - lo
    }

    /// `significantDigits` collecting the digits first: the reference the one-pass count is compared with.
    static func significantDigitsCollected(_ s: String) -> Int {
        var digits: [UInt8] = []
        var fractionStart: Int?
        for b in s.utf8 {
            if b >= 48 && b <= 57 { digits.append(b) } else if b == UInt8(ascii: "."), fractionStart == nil { fractionStart = digits.count }
        }
        var lo = 0, hi = digits.count
        while lo < hi, digits[lo] == 48 { lo += 1 }
        if let f = fractionStart { while hi > max(lo, f), digits[hi - 1] == 48 { hi -= 1 } }
        return hi - lo
    }

    /// The parse of `raw` when it is a cell value (number, sign word, placeholder or blank marker), else nil.
    public func parseValue(_ raw: String) -> (state: CellState, value: Decimal?, unit: String?)? {
        // Fast rejection of label text: a value starts with a digit, a sign, or the first character of a
        // placeholder, blank marker or sign word.
        // The first scalar not white space: the first byte when it is ASCII and not white space (most values
        // start with a digit), else looked for in the scalars.
        let first: Unicode.Scalar
        if let b = raw.utf8.first, b < 0x80, !FastText.isSpace(Unicode.Scalar(b)) {
            first = Unicode.Scalar(b)
        } else {
            guard let f = raw.unicodeScalars.first(where: { !FastText.isSpace($0) }) else { return nil }
            first = f
        }
        let isDigit = ("0"..."9").contains(first) || (0xFF10...0xFF19).contains(first.value)
        if !isDigit && !valueStarts.contains(first) { return nil }
        let p = parse(raw)
        switch p.state {
        case .text, .missing: return nil
        default: return p
        }
    }

    /// True when `raw` would be read as a cell value (number, sign word, placeholder or blank marker).
    public func isValueToken(_ raw: String) -> Bool { parseValue(raw) != nil }

    /// The value of `raw` when it is one to 18 ASCII digits and no word list touches digits or points: what
    /// `parseValue(raw)` and `parse(raw)` then give is `(.number, value, nil)`. Nil for any other text (the caller
    /// asks `parseValue`). Most cells of a table are such a number ("0", "12"), read here in one pass over the
    /// bytes instead of the rejection tests, the literal's digit count and `ExactDecimal.parse` one after another.
    /// Exact: such a text is a plain literal (`isPlainLiteral`) of at most 18 significant digits, so `parse` takes
    /// its shortcut and gives `(.number, ExactDecimal.parse(raw), nil)`; `ExactDecimal.parse` reads digits whose
    /// value fits an `Int64` as `Decimal(Int64)` of that value; `parseValue` keeps a number (its first scalar is a
    /// digit). `CellParseTests` compares the two.
    public func plainIntegerValue(_ raw: String) -> Decimal? {
        guard plainLiteralsAreNumbers, let v = raw.withUTF8Bytes(Self.plainDigits) else { return nil }
        return plainIntegerValue(digits: v)
    }

    /// `plainIntegerValue(raw)` of a text whose bytes `plainDigits` has already read as `v` (a reader that had
    /// the bytes at hand when it made the text, as the tokenizer has for the fields of a plain line).
    /// Inlinable: the tokenizer asks it for most cells of a table.
    @inlinable @inline(__always)
    public func plainIntegerValue(digits v: Int64) -> Decimal? {
        guard plainLiteralsAreNumbers else { return nil }
        return v < Self.smallDecimals.count ? Self.smallDecimals[Int(v)] : Decimal(v)
    }

    /// The value of one to 18 ASCII digits, nil for any other bytes (`plainIntegerValue`'s test of its text).
    @inlinable @inline(__always)
    public static func plainDigits(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 1, b.count <= 18 else { return nil }
        var v: Int64 = 0
        for c in b {
            let d = c &- 0x30
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
        }
        return v
    }

    /// `Decimal(Int64(n))` for n below 128, made once: most cells of a report hold small counts (nine in ten of the
    /// bench's and the corpus's integers are below 128, zeros above all), and making a `Decimal` from an integer
    /// costs about a hundred instructions.
    @usableFromInline static let smallDecimals: [Decimal] = (0..<128).map { Decimal(Int64($0)) }

    private func normalizeDigits(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: out.unicodeScalars.append(UnicodeScalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF0E: out.append(".")
            case 0xFF0B: out.append("+")
            case 0xFF0D, 0x2212: out.append("-")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// One table cell: its column key, the raw text as found, and where it was.
///
/// Its optional properties are spelled `Optional<T>` so that an initialiser builds the cell in place (see the note
/// at the top of Report.swift).
public struct Cell: Codable, Sendable, Equatable {
    public var column: String
    public var raw: String
    public var location: Optional<SourceLocation>
    /// Derived from `raw` by the reader; stored so `ogilint model` shows what was understood.
    public var state: CellState
    public var value: Optional<Decimal>
    public var unit: Optional<String>

    public init(column: String, raw: String, location: SourceLocation?, syntax: CellSyntax) {
        self.column = column
        self.raw = raw
        self.location = location
        let p = syntax.parse(raw)
        self.state = p.state
        self.value = p.value
        self.unit = p.unit
    }

    enum CodingKeys: String, CodingKey { case column, raw, location, state, value, unit }

    /// Decodes a cell as written in a report model: `raw` text (or a plain `value`); the state is derived later.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        column = try c.decode(String.self, forKey: .column)
        location = try c.decodeIfPresent(SourceLocation.self, forKey: .location)
        if let r = try? c.decodeIfPresent(String.self, forKey: .raw) {
            raw = r
        } else if let i = try? c.decodeIfPresent(Int.self, forKey: .raw) {
            raw = String(i)
        } else if let s = try? c.decodeIfPresent(String.self, forKey: .value) {
            raw = s
        } else if let i = try? c.decodeIfPresent(Int.self, forKey: .value) {
            raw = String(i)
        } else if let d = try? c.decodeIfPresent(Double.self, forKey: .value) {
            // Only reached for non-integer numbers written unquoted; quote amounts to keep them exact.
            raw = String(d)
        } else {
            raw = ""
        }
        state = .text
        value = nil
        unit = nil
    }

    /// Encodes the cell with its value as an exact decimal string.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column)
        try c.encode(raw, forKey: .raw)
        try c.encodeIfPresent(location, forKey: .location)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(value.map(ExactDecimal.format), forKey: .value)
        try c.encodeIfPresent(unit, forKey: .unit)
    }

    /// Re-reads `raw` with `syntax` (used after decoding a submitted model).
    public mutating func reparse(with syntax: CellSyntax) {
        guard state != .missing else { return }
        let p = syntax.parse(raw)
        state = p.state; value = p.value; unit = p.unit
    }

    /// A cell whose text was already read with a `CellSyntax`.
    @inlinable
    public init(column: String, raw: String, location: SourceLocation?, parsed: (state: CellState, value: Decimal?, unit: String?)) {
        self.column = column
        self.raw = raw
        self.location = location
        self.state = parsed.state
        self.value = parsed.value
        self.unit = parsed.unit
    }

    /// A cell that the template expects but the input did not have.
    /// Made directly (no `CellSyntax` built per cell): the fields reading "" and then marking it missing gave.
    @inlinable public static func missing(column: String, location: SourceLocation?) -> Cell {
        Cell(column: column, raw: "", location: location, parsed: (.missing, nil, nil))
    }
}
