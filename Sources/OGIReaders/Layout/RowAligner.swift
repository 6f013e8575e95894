import Foundation
import OGIModel

/// A template table's labelled rows prepared for alignment once per template (not once per report):
/// each label variant in comparable form (normalised, numbering and punctuation removed).
struct PreparedTable: Sendable {
    struct Variant: Sendable {
        var text: String
        var chars: [Unicode.Scalar]
        /// A variant the template accepts but does not print (e.g. 规范性文件 for 行政规范性文件).
        var nonstandard: Bool
        /// `RowAligner.required(chars.count)`, computed once.
        var required: Int
        /// Which characters occur, hashed into 1024 bits as a context's are (`RowAligner.Context.bloom`).
        var bloom: [UInt64]
        /// `bloom`'s 16 words or-ed into one: bit `b` set when a character's value is `b` modulo 64.
        var residues: UInt64

        init(text: String, chars: [Unicode.Scalar], nonstandard: Bool) {
            self.text = text; self.chars = chars; self.nonstandard = nonstandard
            required = RowAligner.required(chars.count)
            bloom = RowAligner.bloom(of: chars)
            residues = bloom.reduce(0, |)
        }
    }
    struct PreparedRow: Sendable {
        var spec: RowSpec
        var variants: [Variant]
    }
    var rows: [PreparedRow]
    /// Every row variant, for telling a label from a text cell (`containsVariant`).
    var variantSet: TextSet
    var allVariants: Set<String> { variantSet.texts }
    /// Every row's variants in one array, row by row (`variantRanges[r]` are row r's), read in place by
    /// `RowAligner.align`.
    var allRowVariants: [Variant]
    var variantRanges: [Range<Int>]
    /// Per variant of `allRowVariants`: its residues, and how many of its characters may be missing from a context
    /// (`chars.count - required`), -1 for a variant of two characters or fewer (matched as a whole piece, never
    /// screened). `RowAligner.align` asks these before comparing a row with a run: when every variant of the row
    /// misses more residues than it may miss characters, `match` would turn each away at its first test.
    var screenResidues: [UInt64]
    var screenAllowed: [Int]
    /// Per row, asked before its variants (`RowScreen.admits`).
    var rowScreens: [RowScreen]
    /// The rows chosen by earlier alignments against this table, by what they read (`RowAligner.decisionKey`):
    /// shared by every report read with the preparation this table belongs to (copies of the table share it).
    let decisions: AlignmentDecisions

    /// The residues all of a row's variants have (their `screenResidues` and-ed), and the most characters any of them
    /// may miss (`Int.max` when one is never screened). A context missing more of the shared residues than that is
    /// missing more than each variant may miss (each variant has them all): the row is turned away with one test
    /// instead of one per variant. A row without variants has every residue and may miss none (`Int.min`): turned
    /// away, as `mayMatch` turns it away.
    struct RowScreen: Sendable {
        let residues: UInt64
        let allowed: Int

        /// False when the row cannot pass `mayMatch` because of the residues its variants share; true when
        /// `mayMatch` must tell.
        @inline(__always) func admits(_ contextResidues: UInt64) -> Bool { (residues & ~contextResidues).nonzeroBitCount <= allowed }
    }

    init(spec: TableSpec, numerals: String) {
        // Each variant's comparable form as it was computed (`chars` are its scalars): rebuilding the strings from
        // `chars` went through the unspecialised `UnicodeScalarView.append(contentsOf:)`, which looks up the
        // sequence's associated types in the runtime on every call.
        var comparableForms = Set<String>()
        let numeralForm = LabelNumerals(numerals)
        rows = spec.rows.map { rs in
            var vs: [Variant] = []
            // A row has a few variants: asked in an array (`==`, as the set's membership is), not hashed.
            var seen: [String] = []
            for (texts, nonstandard) in [(rs.variants.isEmpty ? [rs.label] : [rs.label] + rs.variants, false), (rs.nonstandard, true)] {
                for t in texts {
                    let c = LabelText.comparable(t, numerals: numeralForm)
                    guard !c.isEmpty, !seen.contains(c) else { continue }
                    seen.append(c)
                    vs.append(Variant(text: t, chars: UTF8Scan.scalars(of: c), nonstandard: nonstandard))
                    comparableForms.insert(c)
                }
            }
            return PreparedRow(spec: rs, variants: vs)
        }
        variantSet = TextSet(comparableForms)
        allRowVariants = []
        variantRanges = []
        for row in rows {
            let lo = allRowVariants.count
            allRowVariants.append(contentsOf: row.variants)
            variantRanges.append(lo..<allRowVariants.count)
        }
        screenResidues = allRowVariants.map(\.residues)
        screenAllowed = allRowVariants.map { $0.chars.count <= 2 ? -1 : $0.chars.count - $0.required }
        let residues = screenResidues, allowed = screenAllowed
        rowScreens = variantRanges.map { vs in
            RowScreen(
                residues: vs.reduce(~UInt64(0)) { $0 & residues[$1] },
                allowed: vs.reduce(Int.min) { max($0, allowed[$1] < 0 ? Int.max : allowed[$1]) })
        }
        decisions = AlignmentDecisions()
    }

    /// False when `match` of row `r`'s variants would give nil at its first test of each (`screenResidues`): no
    /// variant is short, and each misses more of its residues in `contextResidues` than it may miss characters.
    @inline(__always)
    func mayMatch(row r: Int, contextResidues: UInt64, residues: UnsafeBufferPointer<UInt64>, allowed: UnsafeBufferPointer<Int>) -> Bool {
        for vi in variantRanges[r] {
            let a = allowed[vi]
            if a < 0 || (residues[vi] & ~contextResidues).nonzeroBitCount <= a { return true }
        }
        return false
    }
}

extension PreparedTable {
    /// `allVariants.contains(form)`, where `scalars` are the form's scalars (`TextSet`).
    func containsVariant(_ form: String, scalars: [Unicode.Scalar]) -> Bool { variantSet.contains(form, scalars: scalars) }
}

/// Which run each row of one prepared table was matched with, by what the choice read, kept across the reports of a
/// batch: a table's labels are most often the template's own words, laid out alike in report after report, and
/// only its numbers differ, which the choice never reads.
///
/// The choice (`RowAligner.decide`) reads the observed sequence alone: each label piece's comparable characters,
/// whether it is prose and its line, each run's lines and whether it holds only blanks, and whether the alignment is
/// strict; the lines only as differences from one another. `RowAligner.decisionKey` writes exactly these, lines as
/// differences from the first item's, into a key of 32-bit words; an entry is found by the key's hash and used only
/// when the whole key is equal, so a decision is reused only for an observation that would make the same one. The
/// cells (`fit`, values, locations) are read from each report's own tokens, never kept here.
///
/// Holds decisions while they and their keys fit in `capacityBytes`, then keeps those it has; a key longer than
/// `longestKey` words (a table looked for over a whole long text) is not kept, so that such keys, seldom seen twice,
/// leave the room to the tables read in their parts. Locked: a reading context, and its preparations, may be shared by
/// threads (the workers of a small batch share the originals; those of a large one each read with a replica).
final class AlignmentDecisions: @unchecked Sendable {
    /// What an alignment chose, in a form that names no token: item indices of the observed sequence only.
    struct Decision {
        /// Per template row, the run matched with it (an index of `runs`), nil for none.
        var assigned: [Int?]
        /// Per template row matched, its match (its `pieces` a range of `pieces`); nil for a row not matched.
        var matches: [RowAligner.Match?]
        /// The item indices of the pieces that carried each match's label.
        var pieces: [Int]
    }

    /// Most bytes of keys and decisions kept (their elements', `size(of:key:)`).
    let capacityBytes: Int
    /// Most words of one key kept.
    let longestKey: Int
    private let lock = NSLock()
    private var index: [UInt64: Int] = [:]
    private var keys: [[UInt32]] = []
    private var values: [Decision] = []
    private var bytes = 0

    init(capacityBytes: Int = 1 << 18, longestKey: Int = 4_096) {
        self.capacityBytes = capacityBytes
        self.longestKey = longestKey
    }

    /// The bytes of the elements of `decision` and `key`.
    static func size(of decision: Decision, key: [UInt32]) -> Int {
        4 * key.count + MemoryLayout<Int?>.stride * decision.assigned.count
            + MemoryLayout<RowAligner.Match?>.stride * decision.matches.count + MemoryLayout<Int>.stride * decision.pieces.count
    }

    /// The decision kept for `key` (hash `hash`), nil when none is.
    func decision(for key: [UInt32], hash: UInt64) -> Decision? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = index[hash], keys[e] == key else { return nil }
        return values[e]
    }

    /// Keeps `decision` for `key` while there is room and no other key has its hash.
    func keep(_ decision: Decision, for key: [UInt32], hash: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        let size = Self.size(of: decision, key: key)
        guard index[hash] == nil, key.count <= longestKey, bytes + size <= capacityBytes else { return }
        index[hash] = keys.count
        keys.append(key)
        values.append(decision)
        bytes += size
    }

    /// How many decisions are kept (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return keys.count
    }
}

/// The comparable form (`LabelText.comparable(normalized:)`) of the text tokens of one token stream, by
/// position, each computed once on first use, and its scalars (a table aligned in its part, then in the
/// whole text, reads the same tokens again: neither the form nor its scalars are made twice).
///
/// Only a few tokens of a stream are ever asked for (the labels of its tables), so what was made is kept in
/// arrays of those alone, found through a slot per position (an `Int32`, −1 for none made): a cache of one
/// optional per token cost more to free, element by element through Optional's generic witnesses, than its
/// lookups saved.
///
/// The storage is private and only read and written inside the methods below, never across a call out of them
/// that could come back, so no two accesses can overlap: the run-time exclusivity checks (a `swift_beginAccess` on each
/// property at each call, several hundred instructions a label) are left out.
final class ComparableLabels {
    @exclusivity(unchecked) private var formSlots: [Int32]
    @exclusivity(unchecked) private var scalarSlots: [Int32]
    @exclusivity(unchecked) private var forms: [String] = []
    @exclusivity(unchecked) private var scalars: [[Unicode.Scalar]] = []
    /// Per slot of `scalars`, the shared cache's entry for the text (-1: not kept there, or not read from it).
    @exclusivity(unchecked) private var entries: [Int32] = []
    /// The numerals last asked with, read once (`LabelNumerals`).
    @exclusivity(unchecked) private var numeralForm: LabelNumerals?
    /// Scalars made for earlier streams, by label text (nil: none shared).
    private let shared: LabelScalarsCache?

    init(count: Int, shared: LabelScalarsCache? = nil) {
        formSlots = [Int32](filledWith: -1, count: count)
        scalarSlots = [Int32](filledWith: -1, count: count)
        self.shared = shared
    }

    /// The comparable form of `token`, the text token at `position` of the stream this cache was made for.
    func form(of token: CellToken, at position: Int, numerals: String) -> String {
        form(ofNormalized: token.norm, at: position, numerals: numerals)
    }

    /// `form(of:at:numerals:)` of the token whose normalised text (`CellToken.norm`) is `norm`: only that field is
    /// read, so the aligner passes it without copying the token (its strings and value retained and released).
    func form(ofNormalized norm: String, at position: Int, numerals: String) -> String {
        if position < formSlots.count, formSlots[position] >= 0 { return forms[Int(formSlots[position])] }
        if numeralForm?.text != numerals { numeralForm = LabelNumerals(numerals) }
        let f = LabelText.comparable(normalized: norm, numerals: numeralForm!)
        if position < formSlots.count {
            formSlots[position] = Int32(forms.count)
            forms.append(f)
        }
        return f
    }

    /// The scalars of `form(of:at:numerals:)` (`scalarsSlot`'s).
    func scalars(of token: CellToken, at position: Int, numerals: String) -> [Unicode.Scalar] {
        scalars[Int(scalarsSlot(of: token, at: position, numerals: numerals))]
    }

    /// Scalars kept by `scalarsSlot`.
    func scalars(atSlot slot: Int32) -> [Unicode.Scalar] { scalars[Int(slot)] }

    /// The shared cache's entry for the text whose scalars are at `slot` (`LabelScalarsCache.entry`), -1 when they
    /// were not read from it: two slots with the same entry (≥ 0) have the same scalars.
    func sharedEntry(atSlot slot: Int32) -> Int32 { entries[Int(slot)] }

    /// The shared cache's `serial`, 0 for none: entries of one serial are comparable.
    var sharedSerial: UInt64 { shared?.serial ?? 0 }

    /// Where the scalars of `form(of:at:numerals:)` (`Array(form.unicodeScalars)`) are kept (`scalars(atSlot:)`),
    /// made on first use without making the form: the form is the text with its numbering stripped
    /// (`LabelText.stripNumbering`) less every scalar of `LabelText.ignoredInComparison` (`FastText.removingScalars`,
    /// which copies each scalar it keeps as it is), so its scalars are that text's scalars not in the set, in order.
    /// The form is made only where it is asked for. Scalars made for a position past the count given at init are
    /// kept too (a new slot each time), but not found again by position.
    func scalarsSlot(of token: CellToken, at position: Int, numerals: String) -> Int32 {
        scalarsSlot(ofNormalized: token.norm, at: position, numerals: numerals)
    }

    /// `scalarsSlot(of:at:numerals:)` of the token whose normalised text is `norm` (as `form(ofNormalized:)`).
    func scalarsSlot(ofNormalized norm: String, at position: Int, numerals: String) -> Int32 {
        if position < scalarSlots.count, scalarSlots[position] >= 0 { return scalarSlots[position] }
        let c: [Unicode.Scalar]
        var entry: Int32 = -1
        if let shared, shared.numerals == numerals {
            (c, entry) = shared.entry(ofNormalized: norm) { comparableScalars(ofNormalized: norm, numerals: numerals) }
        } else {
            c = comparableScalars(ofNormalized: norm, numerals: numerals)
        }
        let slot = Int32(scalars.count)
        scalars.append(c)
        entries.append(entry)
        if position < scalarSlots.count { scalarSlots[position] = slot }
        return slot
    }

    /// The scalars `scalarsSlot(ofNormalized:at:numerals:)` keeps for a token whose normalised text is `norm`: they
    /// depend on that text and the numerals alone.
    private func comparableScalars(ofNormalized norm: String, numerals: String) -> [Unicode.Scalar] {
        if numeralForm?.text != numerals { numeralForm = LabelNumerals(numerals) }
        let numerals = numeralForm!
        let ignored = LabelText.ignoredInComparison
        /// The scalars of `b` from `start` on that are not in `ignored`.
        /// Made by `reserveCapacity` and appends, not `init(unsafeUninitializedCapacity:)`, which allocates through the
        /// standard library's unspecialised code (`ArrayAllocation.swift`); appended one by one rather than copied from a
        /// temporary buffer (`Array(writingAtMost:_:)`), which costs more for a label's few scalars.
        func kept(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(b.count - start)
            var i = start
            while i < b.count {
                let (v, len) = UTF8Scan.scalar(b, i)
                let u = Unicode.Scalar(v)!
                if !ignored.contains(u) { out.append(u) }
                i += len
            }
            return out
        }
        // The numbering's end found on the label's own bytes when that reading is sure (`LabelText.numberingEnd`,
        // what `stripNumbering` keeps the bytes from), so the stripped text is not made; when it is unsure (or the
        // numerals are not plain), `stripNumbering` reads the characters, as it does then.
        return
            (numerals.plain
            ? norm.withUTF8Bytes { b in LabelText.numberingEnd(b, numerals: numerals).map { kept(b, from: $0) } } : nil)
            ?? {
                let stripped = LabelText.stripNumberingOnCharacters(norm, numerals: numerals.text)
                return stripped.withUTF8Bytes { kept($0, from: 0) }
            }()
    }
}

/// The comparable scalars of label texts (`ComparableLabels`), kept across the token streams and reports one
/// reading context reads, by the text's UTF-8 bytes: a table's labels are most often the template's own words,
/// written alike in every report (three labels in four of a real batch's were read before; the scalars depend on
/// the text and the numerals alone, so a text with the same bytes has the same scalars). Holds at most
/// `capacity` texts, then keeps those it has. Locked: copies of a reading context share it across threads.
///
/// Its own table, open addressing over the bytes' FNV-1a hash (seeded per cache): a `Dictionary` keyed by the
/// bytes hashed them with SipHash and cost more to look a label up in than making its scalars again, for a label
/// read once before.
final class LabelScalarsCache: @unchecked Sendable {
    /// The numerals the scalars were made with.
    let numerals: String
    /// Most texts kept.
    let capacity: Int
    private let lock = NSLock()
    /// Per slot (a power of two, at least twice the entries): the entry there, -1 for none.
    private var slots: [Int32]
    private var mask: Int
    private let seed: UInt64
    /// The entries, in the order they were kept: each text, its hash and its scalars.
    private var texts: [String] = []
    private var hashes: [UInt64] = []
    private var values: [[Unicode.Scalar]] = []

    /// This cache's number, different for every cache made in the process (from 1): an entry names a text only
    /// together with it.
    let serial: UInt64
    private static let serials = NSLock()
    nonisolated(unsafe) private static var lastSerial: UInt64 = 0

    init(numerals: String, capacity: Int = 4_096) {
        self.numerals = numerals
        self.capacity = capacity
        Self.serials.lock()
        Self.lastSerial += 1
        serial = Self.lastSerial
        Self.serials.unlock()
        slots = [Int32](filledWith: -1, count: 256)
        mask = 255
        seed = UInt64.random(in: 0...UInt64.max)
    }

    /// Twice the slots, every entry put again (by the hash kept with it).
    private func grow() {
        slots = [Int32](filledWith: -1, count: 2 * slots.count)
        mask = slots.count - 1
        for e in hashes.indices {
            var j = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[j] >= 0 { j = (j + 1) & mask }
            slots[j] = Int32(e)
        }
    }

    /// The scalars kept for `norm`, else those `make` gives (kept while there is room).
    func scalars(ofNormalized norm: String, make: () -> [Unicode.Scalar]) -> [Unicode.Scalar] {
        entry(ofNormalized: norm, make: make).scalars
    }

    /// `scalars(ofNormalized:make:)`, and where the text is kept: its entry, the same for every text with the same
    /// bytes and different for every other, for as long as the cache lasts (entries are never removed); -1 when it
    /// is not kept (no room).
    func entry(ofNormalized norm: String, make: () -> [Unicode.Scalar]) -> (scalars: [Unicode.Scalar], entry: Int32) {
        let h = norm.withUTF8Bytes { b in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
            for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
            return h
        }
        lock.lock()
        if case .entry(let e) = probe(norm, h) {
            let found = values[e]
            lock.unlock()
            return (found, Int32(e))
        }
        lock.unlock()
        let c = make()
        lock.lock()
        defer { lock.unlock() }
        // Looked for again: another thread may have kept the text meanwhile.
        switch probe(norm, h) {
        case .entry(let e):
            return (c, Int32(e))
        case .free(let slot):
            guard texts.count < capacity else { return (c, -1) }
            let e = texts.count
            slots[slot] = Int32(e)
            texts.append(norm)
            hashes.append(h)
            values.append(c)
            if 2 * texts.count > slots.count { grow() }
            return (c, Int32(e))
        }
    }

    /// The text kept at `entry` (for tests).
    func text(ofEntry entry: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return texts[Int(entry)]
    }

    /// Where `norm` (hash `h`) is: its entry, or the free slot its probe ends at. Called with the lock held.
    private enum Probe { case entry(Int), free(Int) }
    @inline(__always) private func probe(_ norm: String, _ h: UInt64) -> Probe {
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 {
            let e = Int(slots[i])
            if hashes[e] == h, FastText.bytesEqual(texts[e], norm) { return .entry(e) }
            i = (i + 1) & mask
        }
        return .free(i)
    }

    /// How many texts are kept (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return texts.count
    }
}

/// Aligns the observed sequence of label fragments and number groups of one table region with the
/// template's row sequence (dynamic programming, as in sequence alignment). The template decides which
/// rows exist, in which order, and how many cells each holds; line breaks, blank lines and separators are
/// only evidence of which label text belongs to which group of numbers.
struct RowAligner {
    let numerals: String
    let syntax: CellSyntax
    let locate: Locator
    /// The sign words a value may be written apart from (`TableMapper.signWords`).
    let signWords: ShortWordSet
    /// The comparable form of each text token, computed on first use and shared by every alignment of one
    /// token stream (a table may be aligned in its part, then in the whole text).
    let comparable: ComparableLabels
    /// The buffers every alignment of this aligner reuses (one alignment at a time: an aligner is made for one
    /// reading of one token stream, `TableMapper.mapTables`, and used on its thread), made once, not once per table.
    let scratch = Scratch()
    /// Whether choices are taken from and kept in the prepared table's `decisions` (false: every alignment chooses
    /// anew; the tests compare the two).
    var memoize = true

    /// A label fragment: one text token. The token is named by its position in the tokens aligned, its text read
    /// there and its comparable characters in `comparable` (`chars(of:)`): a piece holds no reference, so items are
    /// copied and freed without retains and releases (a piece holding a copy of the token, two strings and the
    /// characters, was copied with a retain and a release of each every time an item was matched against `.piece`).
    struct Piece {
        /// The token's position in the tokens aligned (`observe`'s and `align`'s `tokens`).
        var index: Int
        var line: Int
        var field: Int?
        var prose: Bool
        /// Where `comparable` keeps its characters (`ComparableLabels.scalarsSlot`); -1 for prose.
        var charsSlot: Int32
    }

    /// A piece's comparable characters: none for prose (never put in comparable form, see `observe`), else those
    /// `observe` made for its token.
    func chars(of p: Piece) -> [Unicode.Scalar] { p.charsSlot < 0 ? [] : comparable.scalars(atSlot: p.charsSlot) }

    /// A group of consecutive cell values (numbers, placeholders, blanks, text cells between numbers). Its cells
    /// are a range of `RunCells.refs`: the runs of one observation hold no tokens of their own, so a run is made,
    /// copied and freed without copying or releasing tokens (each token held a copy of two strings and a value).
    struct Run {
        /// The run's cells: positions in `RunCells.refs`.
        var cells: Range<Int>
        var firstLine: Int
        var lastLine: Int
        /// Index in `items` of the run.
        var item = 0
    }

    /// The cells of the runs of one observation, and of the rows `fit` and `placedByColumn` read from them: each a
    /// token of the stream aligned (its position, 0 or more) or a token made by the aligner (`~k` for `made[k]`: a
    /// sign joined to its number, a text cell read as a value, a blank filled in).
    struct RunCells {
        let tokens: ArraySlice<CellToken>
        /// The cells of every run, run after run (`Run.cells`).
        var refs: [Int32] = []
        var made: [CellToken] = []

        init(tokens: ArraySlice<CellToken>) { self.tokens = tokens }

        // The fields of the token a cell names, each read in place (a subscript giving the token would copy it, and
        // one that lends it (`_read`) is a coroutine, called and given a frame on the heap every time).
        @inline(__always) func kind(_ ref: Int32) -> CellToken.Kind { ref >= 0 ? tokens[Int(ref)].kind : made[Int(~ref)].kind }
        @inline(__always) func raw(_ ref: Int32) -> String { ref >= 0 ? tokens[Int(ref)].raw : made[Int(~ref)].raw }
        @inline(__always) func line(_ ref: Int32) -> Int { ref >= 0 ? tokens[Int(ref)].line : made[Int(~ref)].line }
        @inline(__always) func field(_ ref: Int32) -> Int? { ref >= 0 ? tokens[Int(ref)].field : made[Int(~ref)].field }
        @inline(__always) func column(_ ref: Int32) -> Int? { ref >= 0 ? tokens[Int(ref)].column : made[Int(~ref)].column }
        @inline(__always) func parsed(_ ref: Int32) -> (state: CellState, value: Decimal?, unit: String?)? {
            ref >= 0 ? tokens[Int(ref)].parsed : made[Int(~ref)].parsed
        }

        /// A reference to `token`, kept in `made`.
        mutating func make(_ token: CellToken) -> Int32 {
            made.append(token)
            return ~Int32(made.count - 1)
        }
    }

    enum Item { case piece(Piece), run(Int) }

    struct Result {
        var rows: [Row] = []
        var notes: [ExtractionNote] = []
        var firstLine: Int?
        var lastLine: Int?
    }

    // MARK: observed sequence

    /// Builds the observed sequence: label pieces and value runs, with the runs' cells. Sign words written apart
    /// from their number ("减 51") are joined; a text cell between numbers on one line stays inside its run.
    func observe(_ tokens: ArraySlice<CellToken>, table: PreparedTable) -> (
        items: [Item], runs: [Run], cells: RunCells
    ) {
        var items: [Item] = []
        var runs: [Run] = []
        var cells = RunCells(tokens: tokens)
        var open = false
        // The tokens that are not row breaks are read in order, each in place (not copied unless kept).
        let end = tokens.endIndex
        func next(after p: Int) -> Int {
            var q = p + 1
            while q < end, tokens[q].kind == .rowBreak { q += 1 }
            return q
        }
        var read = 0
        for p in tokens.indices where tokens[p].kind != .rowBreak { read += 1 }
        items.reserveCapacity(read)
        cells.refs.reserveCapacity(read)
        // At most one run per cell read (grown run by run, the array was made anew several times per table).
        runs.reserveCapacity(read)
        /// Appends the cell `ref` (on `line`) to the open run, opening one if none is.
        func append(_ ref: Int32, line: Int) {
            if !open {
                runs.append(Run(cells: cells.refs.count..<cells.refs.count, firstLine: line, lastLine: line, item: items.count))
                items.append(.run(runs.count - 1))
                open = true
            }
            cells.refs.append(ref)
            runs[runs.count - 1].cells = runs[runs.count - 1].cells.lowerBound..<cells.refs.count
            runs[runs.count - 1].lastLine = line
        }
        var p = next(after: tokens.startIndex - 1)
        while p < end {
            let q = next(after: p)
            // The next token read is a value on this token's line.
            let valueNext = q < end && tokens[q].kind == .value && tokens[q].line == tokens[p].line
            // The cheap tests first (what follows the token), the hashing of the sign words last.
            if tokens[p].kind == .text, valueNext, tokens[q].parsed?.state == .number, signWords.contains(tokens[p].raw) {
                // "减 51", "+ 7": one signed cell.
                let sign = tokens[p].raw
                var t = CellToken(kind: .value, raw: sign + " " + tokens[q].raw, line: tokens[p].line, field: tokens[p].field)
                t.parsed = syntax.parse(sign + tokens[q].raw)
                append(cells.make(t), line: t.line)
                p = next(after: q)
                continue
            }
            switch tokens[p].kind {
            case .text:
                // A prose piece's characters are never read: the contexts stop at prose (`contexts`), and a
                // standalone label, a label shown and a row's leading cells are never prose. So prose is not
                // put in comparable form (it is the longest text of a report): its piece has no characters.
                if Self.isProse(tokens[p].norm) {
                    items.append(.piece(Piece(index: p, line: tokens[p].line, field: tokens[p].field, prose: true, charsSlot: -1)))
                    open = false
                    break
                }
                // A label token's `norm` is its raw text normalised (`CellTokenizer`).
                let slot = comparable.scalarsSlot(ofNormalized: tokens[p].norm, at: p, numerals: numerals)
                let chars = comparable.scalars(atSlot: slot)
                // A text cell between two values of the same delimited line (e.g. "若干") belongs to the run.
                if open, tokens[p].field != nil, runs[runs.count - 1].lastLine == tokens[p].line, valueNext, chars.count <= 8,
                    !table.containsVariant(comparable.form(ofNormalized: tokens[p].norm, at: p, numerals: numerals), scalars: chars)
                {
                    var cell = CellToken(kind: .value, raw: tokens[p].raw, line: tokens[p].line, field: tokens[p].field)
                    cell.parsed = syntax.parse(tokens[p].raw)
                    append(cells.make(cell), line: cell.line)
                } else {
                    items.append(.piece(Piece(index: p, line: tokens[p].line, field: tokens[p].field, prose: false, charsSlot: slot)))
                    open = false
                }
            case .value, .blank:
                append(Int32(p), line: tokens[p].line)
            case .rowBreak:
                break
            }
            p = q
        }
        return (items, runs, cells)
    }

    /// Whether `s` holds 。 or ； (prose), read as UTF-8 bytes (E3 80 82, EF BC 9B: a lead byte starts
    /// either, so the bytes are found only where the character is). Eight bytes are read at a time: only the
    /// places of an E3 or EF byte in the word (`bytesEqual`) are compared with the two characters, the last
    /// few bytes one by one. `TableMappingFastPathTests` compares it with the scalars.
    static func isProse(_ s: String) -> Bool {
        s.withUTF8Bytes { b in
            guard let p = b.baseAddress else { return false }
            let n = b.count
            /// True when one of the two characters starts at `k` (which has two bytes after it).
            @inline(__always) func startsMark(_ k: Int) -> Bool {
                let x = p[k]
                if x == 0xE3 { return p[k &+ 1] == 0x80 && p[k &+ 2] == 0x82 }
                if x == 0xEF { return p[k &+ 1] == 0xBC && p[k &+ 2] == 0x9B }
                return false
            }
            var i = 0
            while i &+ 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                var leads = bytesEqual(w, 0xE3E3_E3E3_E3E3_E3E3) | bytesEqual(w, 0xEFEF_EFEF_EFEF_EFEF)
                while leads != 0 {
                    let k = i &+ (leads.trailingZeroBitCount >> 3)
                    if k &+ 2 < n && startsMark(k) { return true }
                    leads &= leads &- 1
                }
                i &+= 8
            }
            while i &+ 2 < n {
                if startsMark(i) { return true }
                i &+= 1
            }
            return false
        }
    }

    /// The high bit of each byte of `w` that equals the same byte of `pattern`, no other bit: exact per byte (the
    /// low seven bits of each byte are added apart, so no carry crosses into the next byte).
    @inline(__always) static func bytesEqual(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern, low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low) &+ low) | x | low)
    }

    // MARK: scoring

    /// Label text around a run, each character weighted by where it sits: on the run's own line before the
    /// numbers (1.0), on the lines above (0.9), on the lines after it up to the next run's line (0.7), a little
    /// less for each line further away.
    /// The arrays of every context of one alignment are parts of one array each (`contexts`: five arrays for
    /// all the runs, not five a run); they are read through buffer pointers, indexed from 0.
    struct Context {
        var chars: ArraySlice<Unicode.Scalar> = []
        var weights: ArraySlice<Float> = []
        var pieceOf: ArraySlice<Int> = []
        /// Which characters occur (hashed into 1024 bits), for quick rejection.
        var bloom = ArraySlice([UInt64](repeating: 0, count: 16))
        /// `bloom`'s 16 words or-ed into one (`PreparedTable.Variant.residues`).
        var residues: UInt64 = 0
        /// Pieces (item indices) whose whole comparable text is a short label, for exact matching.
        var wholePieces: ArraySlice<(item: Int, chars: [Unicode.Scalar], weight: Float)> = []
    }

    /// The arrays of which every context of one alignment is a part (`contexts`).
    private struct ContextArrays {
        var chars: [Unicode.Scalar] = []
        var weights: [Float] = []
        var pieceOf: [Int] = []
        var wholePieces: [(item: Int, chars: [Unicode.Scalar], weight: Float)] = []
        /// 16 words a run.
        var blooms: [UInt64] = []

        /// Appends the characters `cs` of piece `item` with `weight` on each to run `j`'s context.
        mutating func add(_ cs: [Unicode.Scalar], item: Int, weight: Float, run j: Int) {
            chars.append(contentsOf: cs)
            // One element at a time (room is reserved for them all): appending a `repeatElement` cost about 120
            // instructions a call, more than a label's few characters.
            for _ in 0..<cs.count {
                weights.append(weight)
                pieceOf.append(item)
            }
            blooms.withUnsafeMutableBufferPointer { b in
                for c in cs { b[16 * j + (Int(c.value >> 6) & 15)] |= 1 << UInt64(c.value & 63) }
            }
            wholePieces.append((item, cs, weight))
        }
    }

    /// `charsOf`: a piece's characters (`chars(of:)` unless given; the tests give prose pieces characters too).
    func contexts(items: [Item], runs: [Run], charsOf: ((Piece) -> [Unicode.Scalar])? = nil) -> [Context] {
        // Each item read once (an item's piece was copied, with its token's strings, every time a context read it):
        // a piece's characters and line, and whether it is a piece that is not prose (a context reads no other).
        struct Seen {
            var chars: [Unicode.Scalar]
            var line: Int
            var label: Bool
        }
        var seen: [Seen] = []
        seen.reserveCapacity(items.count)
        var pieceChars = 0
        for item in items {
            if case .piece(let p) = item {
                let cs = charsOf?(p) ?? chars(of: p)
                seen.append(Seen(chars: cs, line: p.line, label: !p.prose))
                pieceChars += cs.count
            } else {
                seen.append(Seen(chars: [], line: 0, label: false))
            }
        }
        // A piece is read before one run at most (the next) and after one at most (the one before it); each read
        // adds one whole piece, and each line of pieces before a run one more at most.
        var all = ContextArrays()
        all.chars.reserveCapacity(2 * pieceChars)
        all.weights.reserveCapacity(2 * pieceChars)
        all.pieceOf.reserveCapacity(2 * pieceChars)
        all.wholePieces.reserveCapacity(3 * items.count)
        all.blooms = [UInt64](filledWith: 0, count: 16 * runs.count)
        var bounds: [(chars: Range<Int>, whole: Range<Int>)] = []
        bounds.reserveCapacity(runs.count)
        for (j, run) in runs.enumerated() {
            let charsStart = all.chars.count, wholeStart = all.wholePieces.count
            // Before: back to the previous run or prose, at most 16 pieces (items `lo..<run.item`).
            var lo = run.item
            while lo > 0, run.item - lo < 16, seen[lo - 1].label { lo -= 1 }
            for idx in lo..<run.item {
                let line = seen[idx].line
                // Nearer text is stronger evidence: a label two lines up belongs here less than one just above.
                all.add(
                    seen[idx].chars, item: idx, weight: line == run.firstLine ? 1.0 : max(0.6, 0.9 - 0.01 * Float(run.firstLine - line)),
                    run: j)
            }
            // A short label spaced out on one line ("规 章") is its pieces on that line joined.
            var g = lo
            while g < run.item {
                let line = seen[g].line
                var h = g + 1
                while h < run.item, seen[h].line == line { h += 1 }
                if h - g > 1 {
                    var joined = seen[g].chars
                    for x in g + 1..<h { joined += seen[x].chars }
                    all.wholePieces.append((h - 1, joined, line == run.firstLine ? 1.0 : 0.9))
                }
                g = h
            }
            // After: up to the next run, leaving out the pieces on the next run's own line.
            let nextLine = j + 1 < runs.count ? runs[j + 1].firstLine : Int.max
            var n = run.item + 1
            while n < items.count, n - run.item - 1 < 16, seen[n].label, seen[n].line < nextLine {
                all.add(seen[n].chars, item: n, weight: max(0.4, 0.7 - 0.01 * Float(seen[n].line - run.lastLine)), run: j)
                n += 1
            }
            bounds.append((charsStart..<all.chars.count, wholeStart..<all.wholePieces.count))
        }
        // The parts taken once every array is whole (a part taken earlier would have had an array copied on the
        // next append).
        var out: [Context] = []
        out.reserveCapacity(runs.count)
        for (j, b) in bounds.enumerated() {
            out.append(
                Context(
                    chars: all.chars[b.chars], weights: all.weights[b.chars], pieceOf: all.pieceOf[b.chars],
                    bloom: all.blooms[16 * j..<16 * j + 16], residues: all.blooms[16 * j..<16 * j + 16].reduce(0, |),
                    wholePieces: all.wholePieces[b.whole]))
        }
        return out
    }

    /// `chars` hashed into 1024 bits (16 words), as a context's characters are.
    static func bloom(of chars: [Unicode.Scalar]) -> [UInt64] {
        var b = [UInt64](filledWith: 0, count: 16)
        for c in chars { b[Int(c.value % 1024) >> 6] |= 1 << UInt64(c.value % 64) }
        return b
    }

    struct Match {
        var score: Float
        var coverage: Float
        /// The variant read: its index among its row's variants, and whether it is nonstandard (a match holds no
        /// copy of the variant, whose text and characters were retained and released with every match).
        var variant: Int
        var nonstandard: Bool
        /// Where the item indices of the pieces that carried the label are in the alignment's `Scratch.pieces`
        /// (an array a match, each allocated and freed, cost more than the tracing that filled it).
        var pieces: Range<Int>
    }

    /// Buffers reused by every comparison of one alignment: the table (`lcs`: a cell's score and count in one
    /// key), and the kept columns of one comparison (context positions, characters, weights). Raw memory, grown
    /// as needed.
    final class Scratch {
        private(set) var keys: UnsafeMutablePointer<UInt64>
        /// The pieces of every match of one alignment, one after the other (`Match.pieces` are ranges of it):
        /// appended to, never emptied, while the alignment lasts. Only read and written by the aligner's own
        /// methods, one at a time: the run-time exclusivity checks are left out.
        @exclusivity(unchecked) var pieces: [Int] = []
        private(set) var columns: UnsafeMutablePointer<Int>
        private(set) var chars: UnsafeMutablePointer<Unicode.Scalar>
        private(set) var weights: UnsafeMutablePointer<Float>
        private var cellCapacity = 256
        private var columnCapacity = 64

        init() {
            keys = .allocate(capacity: cellCapacity)
            columns = .allocate(capacity: columnCapacity); chars = .allocate(capacity: columnCapacity)
            weights = .allocate(capacity: columnCapacity)
        }

        deinit {
            keys.deallocate(); columns.deallocate(); chars.deallocate(); weights.deallocate()
        }

        /// Room for `columns` kept columns.
        func reserve(columns n: Int) {
            guard n > columnCapacity else { return }
            columns.deallocate(); chars.deallocate(); weights.deallocate()
            columnCapacity = max(n, 2 * columnCapacity)
            columns = .allocate(capacity: columnCapacity); chars = .allocate(capacity: columnCapacity)
            weights = .allocate(capacity: columnCapacity)
        }

        /// Room for `cells` table cells.
        func reserve(cells n: Int) {
            guard n > cellCapacity else { return }
            keys.deallocate()
            cellCapacity = max(n, 2 * cellCapacity)
            keys = .allocate(capacity: cellCapacity)
        }
    }

    /// How well `ctx` carries one of `row`'s variants: weighted longest common subsequence, normalised by
    /// the variant's length. Short variants (two characters or fewer) must be a whole piece.
    /// `variants` are one template row's variants, read in place.
    func match(_ variants: UnsafeBufferPointer<PreparedTable.Variant>, _ ctx: Context, _ scratch: inout Scratch) -> Match? {
        var best: Match?
        for vi in variants.indices {
            let n = variants[vi].chars.count
            if n <= 2 {
                if let w = ctx.wholePieces.last(where: { $0.chars == variants[vi].chars }) {
                    let m = Match(
                        score: w.weight, coverage: 1, variant: vi, nonstandard: variants[vi].nonstandard,
                        pieces: scratch.pieces.count..<(scratch.pieces.count + 1))
                    if best.map({ better(m, than: $0) }) ?? true {
                        scratch.pieces.append(w.item)
                        best = m
                    }
                }
                continue
            }
            // Quick rejection: too few of the variant's characters occur in the context at all (present < need,
            // that is more than n - need missing: counted until there are too many).
            let need = variants[vi].required
            let allowed = n - need
            // First from the residues alone: a residue of the variant's that no character of the context has is
            // at least one character missing (its bloom bit is in no word of the context's), so more such residues
            // than `allowed` are more characters missing than allowed, as the count below would find.
            if (variants[vi].residues & ~ctx.residues).nonzeroBitCount > allowed { continue }
            var missing = 0
            ctx.bloom.withUnsafeBufferPointer { bloom in
                variants[vi].chars.withUnsafeBufferPointer { chars in
                    for c in chars where bloom[Int(c.value >> 6) & 15] & (1 << UInt64(c.value & 63)) == 0 {
                        missing += 1
                        if missing > allowed { break }
                    }
                }
            }
            if missing > allowed { continue }
            // The pieces are traced back only for a match that wins so far: which one wins never depends on them.
            guard let filled = lcsTable(variants[vi].chars, bloom: variants[vi].bloom, ctx, &scratch, need: need),
                filled.matched >= need
            else { continue }
            var m = Match(
                score: filled.total / Float(n), coverage: Float(filled.matched) / Float(n), variant: vi,
                nonstandard: variants[vi].nonstandard, pieces: 0..<0)
            if best.map({ better(m, than: $0) }) ?? true {
                m.pieces = lcsPieces(variants[vi].chars, ctx, scratch, filled)
                best = m
            }
        }
        return best
    }

    /// A standard variant wins over a nonstandard one unless the nonstandard one is read better.
    func better(_ a: Match, than b: Match) -> Bool {
        if a.coverage != b.coverage { return a.coverage > b.coverage }
        if a.nonstandard != b.nonstandard { return !a.nonstandard }
        return a.score > b.score
    }

    /// Characters of a variant of length `n` that must be read: all up to 3, one slip up to 7, then three in four.
    static func required(_ n: Int) -> Int {
        if n <= 3 { return n }
        if n < 8 { return n - 1 }
        return Int((Float(n) * 0.75).rounded(.up))
    }

    /// Weighted LCS of `v` against the context: matched count, matched weight, pieces used. With `need`, when
    /// fewer than `need` characters match, only that is told (a count below `need`; the weight and pieces,
    /// which the caller never reads, are not worked out).
    ///
    /// The table is filled over the context's columns that may hold one of `v`'s characters (`bloom`: the
    /// variant's characters hashed as the context's are) and traced back as over all columns. Exact: a column
    /// whose character is in no place of `v` never takes the diagonal, so each of its cells is the larger of the
    /// cell above and the cell to the left, ties to the one above (score, then count); a cell is never smaller
    /// than the one above it nor than the one to its left, so the column is a copy of the column before it, and
    /// a kept column reads, to its left, the kept column before it (or the zero column). Tracing back through
    /// such a column moves up while the cell above is equal, then left: through a gap of left-out columns (a copy
    /// of the kept column before it), up while that column's cell above is equal, then on to that column.
    /// Keeping a column that matches nothing (a hash collision) changes nothing either: it is filled and traced
    /// as the full table would.
    func lcs(_ v: [Unicode.Scalar], bloom: [UInt64], _ ctx: Context, _ scratch: inout Scratch, need: Int = 0) -> (Int, Float, [Int]) {
        guard let filled = lcsTable(v, bloom: bloom, ctx, &scratch, need: need) else { return (0, 0, []) }
        if filled.matched < need { return (filled.matched, filled.total, []) }
        return (filled.matched, filled.total, Array(scratch.pieces[lcsPieces(v, ctx, scratch, filled)]))
    }

    /// The table `lcsTable` filled in its scratch: the matched count and weight, and how many columns were kept.
    struct FilledTable {
        var matched: Int
        var total: Float
        var kept: Int
    }

    /// The filling half of `lcs`: nil where `lcs` tells (0, 0, []) at once (no column kept, or fewer than `need`).
    /// The table stays in `scratch` for `lcsPieces` until the next comparison.
    func lcsTable(_ v: [Unicode.Scalar], bloom: [UInt64], _ ctx: Context, _ scratch: inout Scratch, need: Int = 0) -> FilledTable? {
        let n = v.count, m = ctx.chars.count
        if m == 0 { return nil }
        // The kept columns: context positions, characters and weights.
        scratch.reserve(columns: m)
        let columns = scratch.columns, chars = scratch.chars, weights = scratch.weights
        var M = 0
        bloom.withUnsafeBufferPointer { vb in
            ctx.chars.withUnsafeBufferPointer { cb in
                ctx.weights.withUnsafeBufferPointer { wb in
                    for j in 0..<m {
                        let c = cb[j].value
                        if vb[Int(c >> 6) & 15] & (1 << UInt64(c & 63)) != 0 {
                            columns[M] = j; chars[M] = cb[j]; weights[M] = wb[j]; M += 1
                        }
                    }
                }
            }
        }
        if M == 0 { return nil }
        // A match holds at most one kept column per character: fewer kept columns than `need`, fewer matched.
        if M < need { return nil }
        // Cell [i][k] over v[..<i], the kept columns [..<k]: its score and count, ties broken by count, in one key,
        // the score's bits above the count's 16 (`key`). Scores are sums of weights, never negative (nor -0, nor
        // NaN), whose bit patterns order as the numbers do and are equal when the numbers are: comparing keys is
        // comparing (score, count) in that order, and `d > s` is `bits(d) > bits(s)`.
        let w = M + 1
        scratch.reserve(cells: (n + 1) * w)
        let keys = scratch.keys
        for k in 0...M { keys[k] = 0 }
        for i in 0...n { keys[i * w] = 0 }
        v.withUnsafeBufferPointer { vb in
            for i in 1...n {
                let vi = vb[i - 1]
                let up = keys + (i - 1) * w, row = keys + i * w
                var left: UInt64 = 0
                // The cell above to the left (`key[i - 1][k - 1]`): the cell above of the column before.
                var diag: UInt64 = 0
                var k = 1
                while k <= M {
                    let above = up[k]
                    // The larger of the cell above and the cell to the left, ties to the one above (equal keys: the
                    // same cell values).
                    var cell = left > above ? left : above
                    if vi == chars[k &- 1] {
                        let d = Self.score(diag) + weights[k &- 1]
                        // A count is at most the variant's length (a few dozen): never near 65,535.
                        if d.bitPattern > UInt32(truncatingIfNeeded: cell >> 16) { cell = Self.key(d, (diag & 0xFFFF) &+ 1) }
                    }
                    row[k] = cell
                    left = cell
                    diag = above
                    k &+= 1
                }
            }
        }
        return FilledTable(matched: Int(keys[n * w + M] & 0xFFFF), total: Self.score(keys[n * w + M]), kept: M)
    }

    /// The tracing half of `lcs`: the pieces that carried the matched characters of the table `lcsTable` just
    /// filled for `v` and `ctx` (no other comparison in between), appended to `scratch.pieces`: where they are.
    func lcsPieces(_ v: [Unicode.Scalar], _ ctx: Context, _ scratch: Scratch, _ filled: FilledTable) -> Range<Int> {
        let n = v.count, m = ctx.chars.count, M = filled.kept, w = M + 1
        let keys = scratch.keys, columns = scratch.columns, chars = scratch.chars, weights = scratch.weights
        // Trace back the pieces that carried matched characters, as over the full table. `gap`: at a left-out
        // column (a copy of kept column `k`), between kept columns `k` and `k + 1` (or after the last).
        let start = scratch.pieces.count
        var i = n, k = M
        var gap = columns[M - 1] != m - 1
        ctx.pieceOf.withUnsafeBufferPointer { pieceOf in
            v.withUnsafeBufferPointer { vb in
                while i > 0 && k > 0 {
                    if gap {
                        while i > 0 && keys[(i - 1) * w + k] == keys[i * w + k] { i -= 1 }
                        gap = false
                        continue
                    }
                    let j = columns[k - 1]
                    let cell = keys[i * w + k], diag = keys[(i - 1) * w + k - 1]
                    if vb[i - 1] == chars[k - 1], Self.score(cell) == Self.score(diag) + weights[k - 1],
                        cell & 0xFFFF == (diag & 0xFFFF) + 1
                    {
                        if scratch.pieces.count == start || scratch.pieces[scratch.pieces.count - 1] != pieceOf[j] {
                            scratch.pieces.append(pieceOf[j])
                        }
                        i -= 1; k -= 1
                        gap = k > 0 && columns[k - 1] != j - 1
                    } else if keys[(i - 1) * w + k] == cell {
                        i -= 1
                    } else {
                        k -= 1
                        gap = k > 0 && columns[k - 1] != j - 1
                    }
                }
            }
        }
        // Traced from the end: put in order (most often one to three pieces; swapped in place, not through a
        // slice's setter).
        var lo = start, hi = scratch.pieces.count - 1
        while lo < hi {
            scratch.pieces.swapAt(lo, hi)
            lo += 1
            hi -= 1
        }
        return start..<scratch.pieces.count
    }

    /// A table cell's key (`lcs`): the score's bits, then the count in the low 16 bits.
    @inline(__always) private static func key(_ score: Float, _ count: UInt64) -> UInt64 {
        UInt64(score.bitPattern) << 16 | count
    }

    /// A key's score.
    @inline(__always) private static func score(_ key: UInt64) -> Float {
        Float(bitPattern: UInt32(truncatingIfNeeded: key >> 16))
    }

    // MARK: alignment

    /// The words `decide` reads of an observed sequence (`AlignmentDecisions`), and their hash: whether the alignment
    /// is strict and the shared label cache's serial (two words); then per item, a label piece as 5, its line and
    /// its text's entry in the shared label cache (the same entry, the same characters), or, for a text not kept
    /// there, as 1, its line, its characters' count and its characters; a prose piece as 2 and its line; a run as
    /// 3 (4 when it holds only blanks), its first and last lines. Lines are differences from the first item's line
    /// (`decide` reads them only as differences).
    func decisionKey(items: [Item], runs: [Run], blankOnly: [Bool], strict: Bool) -> (key: [UInt32], hash: UInt64) {
        var key: [UInt32] = []
        key.reserveCapacity(3 * items.count + 3)
        let serial = comparable.sharedSerial
        key.append(strict ? 1 : 0)
        key.append(UInt32(truncatingIfNeeded: serial))
        key.append(UInt32(truncatingIfNeeded: serial >> 32))
        var base = 0
        switch items.first {
        case .piece(let p): base = p.line
        case .run(let j): base = runs[j].firstLine
        case nil: break
        }
        @inline(__always) func line(_ l: Int) -> UInt32 { UInt32(truncatingIfNeeded: l &- base) }
        for item in items {
            switch item {
            case .piece(let p):
                if p.prose {
                    key.append(2); key.append(line(p.line))
                } else if case let entry = comparable.sharedEntry(atSlot: p.charsSlot), entry >= 0 {
                    key.append(5); key.append(line(p.line)); key.append(UInt32(entry))
                } else {
                    let cs = chars(of: p)
                    key.append(1); key.append(line(p.line)); key.append(UInt32(cs.count))
                    for c in cs { key.append(c.value) }
                }
            case .run(let j):
                key.append(blankOnly[j] ? 4 : 3); key.append(line(runs[j].firstLine)); key.append(line(runs[j].lastLine))
            }
        }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        key.withUnsafeBufferPointer { b in
            for w in b { h = (h ^ UInt64(w)) &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 32 }
        }
        return (key, h)
    }

    /// Which run each of `table`'s rows takes in the observed sequence, and with which match: every (row, run) pair
    /// that the label evidence allows scored, then the monotone alignment with the largest summed score.
    func decide(items: [Item], runs: [Run], blankOnly: [Bool], table: PreparedTable, strict: Bool) -> AlignmentDecisions.Decision {
        let ctxs = contexts(items: items, runs: runs)
        let R = table.rows.count, J = runs.count

        // Scores of every (row, run) pair that the label evidence allows.
        var scratch = self.scratch
        // The previous alignment's matches are gone: their pieces are not read again.
        scratch.pieces.removeAll(keepingCapacity: true)
        // The matches found, and per (row, run) pair the index of its match among them (-1: none). Most pairs
        // have none: an array of optional matches (large values, each destroyed) cost more than the scoring.
        var found: [Match] = []
        var matchAt = [Int32](filledWith: -1, count: R * max(J, 1))
        func matches(_ k: Int) -> Match? { matchAt[k] < 0 ? nil : found[Int(matchAt[k])] }
        // Every row's variants in one array (each row a range of it), read in place through one buffer
        // pointer, and each run's context taken once for all rows: the pairs are scored run by run, not row
        // by row, which copied the run's context (five arrays) for every pair. Exact: a pair's match depends
        // only on its row's variants and its run's context, and each comparison clears the scratch cells it
        // reads (`lcs`), so the order in which pairs are scored changes nothing.
        let variantRanges = table.variantRanges
        table.allRowVariants.withUnsafeBufferPointer { all in
            table.screenResidues.withUnsafeBufferPointer { screenResidues in
                table.screenAllowed.withUnsafeBufferPointer { screenAllowed in
                    table.rowScreens.withUnsafeBufferPointer { rowScreens in
                        for j in 0..<J {
                            let context = ctxs[j]
                            for r in 0..<R {
                                guard
                                    rowScreens[r].admits(context.residues),
                                    table.mayMatch(
                                        row: r, contextResidues: context.residues, residues: screenResidues, allowed: screenAllowed)
                                else { continue }
                                let variants = UnsafeBufferPointer(rebasing: all[variantRanges[r]])
                                guard var m = match(variants, context, &scratch) else { continue }
                                if strict {
                                    let line = runs[j].firstLine
                                    guard m.coverage == 1,
                                        scratch.pieces[m.pieces].allSatisfy({
                                            if case .piece(let p) = items[$0] { return p.line == line } else { return false }
                                        })
                                    else { continue }
                                }
                                // A run of blanks only is a row's empty cells only when the label is on its line, in front of
                                // them; otherwise it is padding of a spanned title or header row.
                                if blankOnly[j] {
                                    let line = runs[j].firstLine
                                    guard
                                        scratch.pieces[m.pieces].allSatisfy({
                                            if case .piece(let p) = items[$0] { return p.line == line } else { return false }
                                        })
                                    else { continue }
                                    m.score *= 0.5
                                }
                                matchAt[r * J + j] = Int32(found.count)
                                found.append(m)
                            }
                        }
                    }
                }
            }
        }
        // Monotone alignment maximising the summed scores. The pairs' scores are read from one array (`pairScore`,
        // 0 where a pair has no match, told apart by `matchAt`), and the table is filled and traced through buffer
        // pointers: every index below is inside its array by construction (r ≤ R, j ≤ J).
        var pairScore = [Float](filledWith: 0, count: R * max(J, 1))
        for (k, m) in matchAt.enumerated() where m >= 0 { pairScore[k] = found[Int(m)].score }
        var best = [Float](filledWith: 0, count: (R + 1) * (J + 1))
        var assigned = [Int?](filledWith: nil, count: R)
        let w = J + 1
        best.withUnsafeMutableBufferPointer { bestBuffer in
            matchAt.withUnsafeBufferPointer { at in
                pairScore.withUnsafeBufferPointer { score in
                    let best = bestBuffer.baseAddress!
                    if J > 0 {
                        for r in 1...R {
                            let above = best + (r - 1) * w, here = best + r * w, pairs = (r - 1) * J
                            for j in 1...J {
                                var s = max(above[j], here[j - 1])
                                if at[pairs + j - 1] >= 0 { s = max(s, above[j - 1] + score[pairs + j - 1]) }
                                here[j] = s
                            }
                        }
                    }
                    var r = R, j = J
                    while r > 0 && j > 0 {
                        let k = (r - 1) * J + (j - 1), cell = best[r * w + j], up = best[(r - 1) * w + j]
                        if at[k] >= 0, cell == best[(r - 1) * w + j - 1] + score[k], cell != up {
                            assigned[r - 1] = j - 1; r -= 1; j -= 1
                        } else if cell == up {
                            r -= 1
                        } else {
                            j -= 1
                        }
                    }
                }
            }
        }

        // Each matched row's match, its pieces copied into one array of their own.
        var rowMatches = [Match?](filledWith: nil, count: R)
        var pieces: [Int] = []
        for (ri, jj) in assigned.enumerated() {
            guard let jj, var m = matches(ri * J + jj) else { continue }
            let lo = pieces.count
            pieces.append(contentsOf: scratch.pieces[m.pieces])
            m.pieces = lo..<pieces.count
            rowMatches[ri] = m
        }
        return AlignmentDecisions.Decision(assigned: assigned, matches: rowMatches, pieces: pieces)
    }

    /// Aligns `table`'s rows with the runs in `tokens`, then reads each matched row's cells.
    /// `strict`: only labels written in full on the line of their numbers count (used when a table is looked
    /// for without its title, where another table's rows are near).
    func align(_ tokens: ArraySlice<CellToken>, spec: TableSpec, table: PreparedTable, strict: Bool = false) -> Result {
        let k = spec.columns.count
        var (items, runs, cells) = observe(tokens, table: table)
        let rows = table.rows
        let R = rows.count
        var result = Result()
        guard R > 0 else { return result }
        result.rows.reserveCapacity(R)
        let blankOnly = runs.map { run in cells.refs[run.cells].allSatisfy { cells.kind($0) == .blank } }
        // Which run each row takes: as an earlier alignment of the same observed sequence chose, else chosen now.
        let decision: AlignmentDecisions.Decision
        if memoize {
            let (key, hash) = decisionKey(items: items, runs: runs, blankOnly: blankOnly, strict: strict)
            if let kept = table.decisions.decision(for: key, hash: hash) {
                decision = kept
            } else {
                decision = decide(items: items, runs: runs, blankOnly: blankOnly, table: table, strict: strict)
                table.decisions.keep(decision, for: key, hash: hash)
            }
        } else {
            decision = decide(items: items, runs: runs, blankOnly: blankOnly, table: table, strict: strict)
        }
        let assigned = decision.assigned
        // The matches' pieces (`Match.pieces` are ranges of it).
        let piecePool = decision.pieces
        // Where each column's numbers start, from the rows whose numbers fill one undelimited line exactly.
        var columnStarts: [[Int]] = Array(filledWith: [], count: k)
        // Each matched row's cells fitted once, here, and read again below: `fit` reads the run's own cells, which
        // the tokens it makes (kept apart in `cells`) leave as they are, so a second fit would give the same cells.
        var fittedRows = [ArraySlice<Int32>?](filledWith: nil, count: R)
        for (ri, jj) in assigned.enumerated() {
            guard let jj, let m = decision.matches[ri],
                let fitted = fit(runs[jj], k: k, items: items, cells: &cells, label: piecePool[m.pieces])
            else { continue }
            fittedRows[ri] = fitted
            guard fitted.allSatisfy({ cells.column($0) != nil && cells.line($0) == cells.line(fitted.first!) }) else { continue }
            for (ci, ref) in fitted.enumerated() {
                // Made at once with room for a start per row (grown one row at a time, each column's array was made
                // anew about six times per table).
                if columnStarts[ci].isEmpty { columnStarts[ci].reserveCapacity(R) }
                columnStarts[ci].append(cells.column(ref)!)
            }
        }
        let columnAt: [Int]? = columnStarts.allSatisfy({ !$0.isEmpty }) ? columnStarts.map { $0.sorted()[$0.count / 2] } : nil

        // A token's text read through the slice's buffer: `tokens[i].raw` copied the whole token (its texts and parsed
        // value retained, then released) to read one field.
        @inline(__always) func raw(_ i: Int) -> String { tokens.withUnsafeBufferPointer { $0[i - tokens.startIndex].raw } }
        // Rows: matched ones with their cells; unmatched ones whose label stands alone get blank cells. Each template
        // row is read in place (`rows[ri]`): a row taken out of the array was copied (its spec and variants retained)
        // and destroyed again for every row of every table.
        for ri in rows.indices {
            if let jj = assigned[ri], let m = decision.matches[ri] {
                let run = runs[jj]
                let labelPieces: [Piece] = piecePool[m.pieces].compactMap {
                    if case .piece(let p) = items[$0] { return p } else { return nil }
                }
                // The label as shown: on one line, that line's pieces up to the label (a block label in front
                // of it included, "三、本年度办理结果 （一）予以公开"); over several lines, the pieces that carried it.
                let shown: String
                if let lastItem = piecePool[m.pieces].last, let line = labelPieces.first?.line, labelPieces.allSatisfy({ $0.line == line })
                {
                    // The pieces from the label back while they are on its line, joined by spaces (most often one).
                    var first = lastItem + 1
                    while first > 0, case .piece(let p) = items[first - 1], p.line == line, !p.prose { first -= 1 }
                    var text = ""
                    for i in first..<(lastItem + 1) {
                        guard case .piece(let p) = items[i] else { continue }
                        if i == first { text = raw(p.index) } else { text += " " + raw(p.index) }
                    }
                    shown = text
                } else {
                    shown = labelPieces.map { raw($0.index) }.joined(separator: " ")
                }
                // The label as written, only where it is told (a label read in part).
                let used: String? =
                    m.coverage < 1
                    ? labelPieces.map { raw($0.index) }.joined() : (m.nonstandard ? rows[ri].variants[m.variant].text : nil)
                let labelLine = labelPieces.first?.line ?? run.firstLine
                var rowCells: [Cell]
                if let fitted = fittedRows[ri] ?? placedByColumn(run, columnAt: columnAt, cells: &cells) {
                    // Each token read in place (not copied); each cell made where the array keeps it (`map`: a cell
                    // appended was made, copied into the array and the first one destroyed).
                    rowCells = fitted.indices.map { i in
                        let t = fitted[i]
                        let p = cells.parsed(t) ?? syntax.parse(cells.raw(t))
                        let blank = cells.kind(t) == .blank
                        return Cell(
                            column: spec.columns[i - fitted.startIndex].key, raw: blank ? "" : cells.raw(t),
                            location: locate(cells.line(t), cells.field(t)), parsed: blank ? (.blank, 0, nil) : p)
                    }
                } else {
                    let found = cells.refs[run.cells].map { cells.kind($0) == .blank ? "" : cells.raw($0) }
                    result.notes.append(
                        ExtractionNote(
                            reason: .cellCount, table: spec.key, row: rows[ri].spec.key, rowLabel: rows[ri].spec.label,
                            found: found.joined(separator: " "), foundCells: found.count, expectedCells: k,
                            location: locate(run.firstLine, run.cells.isEmpty ? nil : cells.field(cells.refs[run.cells.lowerBound]))))
                    rowCells = spec.columns.map { Cell.missing(column: $0.key, location: locate(run.firstLine, nil)) }
                }
                result.rows.append(
                    Row(
                        key: rows[ri].spec.key, label: shown.isEmpty ? rows[ri].spec.label : shown, matchedVariant: used,
                        location: locate(labelLine, nil), cells: rowCells))
                result.firstLine = min(result.firstLine ?? Int.max, labelLine, run.firstLine)
                result.lastLine = max(result.lastLine ?? 0, run.lastLine, labelPieces.last?.line ?? 0)
            } else if let piece = standaloneLabel(rows[ri], items: items, runs: runs, assigned: assigned, row: ri) {
                let cells = spec.columns.map {
                    Cell(column: $0.key, raw: "", location: locate(piece.line, nil), parsed: (.blank, 0, nil))
                }
                result.rows.append(
                    Row(key: rows[ri].spec.key, label: raw(piece.index), location: locate(piece.line, nil), cells: cells))
                result.firstLine = min(result.firstLine ?? Int.max, piece.line)
                result.lastLine = max(result.lastLine ?? 0, piece.line)
            }
        }
        return result
    }

    /// The label of an unmatched row written on its own (no cells at all), between the runs of its
    /// matched neighbours: the whole piece must equal one of its variants.
    func standaloneLabel(_ row: PreparedTable.PreparedRow, items: [Item], runs: [Run], assigned: [Int?], row ri: Int) -> Piece? {
        let prevRun = assigned[..<ri].compactMap { $0 }.last
        let nextRun = assigned[(ri + 1)...].compactMap { $0 }.first
        // Only between two rows that were read: a label at the end of a copy that breaks off has lost its cells.
        // The template's last row may end its table with empty cells.
        guard nextRun != nil || ri == assigned.count - 1 else { return nil }
        let lo = prevRun.map { runs[$0].item + 1 } ?? 0
        let hi = nextRun.map { runs[$0].item } ?? items.count
        guard lo < hi else { return nil }
        for idx in lo..<hi {
            guard case .piece(let p) = items[idx], !p.prose else { continue }
            let cs = chars(of: p)
            if row.variants.contains(where: { !$0.nonstandard && $0.chars == cs && $0.chars.count >= 2 }) {
                // The piece must not be followed by a run before the next piece (that run was someone else's).
                return p
            }
        }
        return nil
    }

    /// A row with fewer numbers than columns on one undelimited line, placed by where its numbers start
    /// against the other rows' columns: each number must sit clearly nearest one column (within 3 display
    /// columns, and twice as near as to any other), the columns in order; the cells left are blank (tokens made in
    /// `cells`).
    func placedByColumn(_ run: Run, columnAt: [Int]?, cells: inout RunCells) -> ArraySlice<Int32>? {
        let runCells = cells.refs[run.cells]
        guard let at = columnAt, runCells.count < at.count, run.firstLine == run.lastLine,
            runCells.allSatisfy({ cells.column($0) != nil && cells.kind($0) == .value })
        else { return nil }
        var placed: [Int: Int32] = [:]
        var last = -1
        for t in runCells {
            let d = at.enumerated().map { (i: $0.offset, d: abs($0.element - cells.column(t)!)) }.sorted { $0.d < $1.d }
            guard let best = d.first, best.d <= 3, d.count < 2 || d[1].d >= 2 * max(best.d, 2), best.i > last else { return nil }
            placed[best.i] = t
            last = best.i
        }
        var out: [Int32] = []
        out.reserveCapacity(at.count)
        for i in 0..<at.count { out.append(placed[i] ?? cells.make(CellToken(kind: .blank, raw: "", line: run.firstLine))) }
        return out[...]
    }

    /// `refs` less their leading, then their trailing blank cells, while more than `k` are left.
    private func trimmingBlanks(_ refs: ArraySlice<Int32>, to k: Int, _ cells: RunCells) -> ArraySlice<Int32> {
        var refs = refs
        while refs.count > k, cells.kind(refs.first!) == .blank { refs.removeFirst() }
        while refs.count > k, cells.kind(refs.last!) == .blank { refs.removeLast() }
        return refs
    }

    /// The run's cells fitted to `k` columns (references into `cells`, where the tokens it makes are kept), or nil
    /// when they cannot be placed with certainty. `label` holds the items of the row's label, which are never taken
    /// for cells (a few items: asked in the array, as a set would answer, without building a set per row).
    func fit(_ run: Run, k: Int, items: [Item], cells: inout RunCells, label: ArraySlice<Int> = []) -> ArraySlice<Int32>? {
        var row = cells.refs[run.cells]
        if row.count == k { return row }
        if row.count > k {
            // Leading and trailing empty cells of a delimited row are merged label cells or padding.
            row = trimmingBlanks(row, to: k, cells)
            if row.count == k { return row }
            // A sign written apart from its number ("- 3", "+ 7") on an undelimited line.
            var merged: [Int32] = []
            merged.reserveCapacity(row.count)
            var i = row.startIndex
            while i < row.endIndex {
                let t = row[i]
                if merged.count + (row.endIndex - i) > k, cells.field(t) == nil, ["-", "+", "－", "＋"].contains(cells.raw(t)),
                    i + 1 < row.endIndex, cells.line(row[i + 1]) == cells.line(t), cells.field(row[i + 1]) == nil,
                    cells.parsed(row[i + 1])?.state == .number
                {
                    let sign = cells.raw(t), number = cells.raw(row[i + 1])
                    var m = CellToken(kind: .value, raw: sign + " " + number, line: cells.line(t))
                    m.parsed = syntax.parse(sign + number)
                    merged.append(cells.make(m)); i += 2; continue
                }
                merged.append(t); i += 1
            }
            if merged.count == k { return merged[...] }
            // Numbers over several lines: the line the label is on, when it holds exactly the row's cells
            // (the other lines are stray numbers of a broken copy, left unread).
            let labelLines = Set(
                label.compactMap { i -> Int? in if case .piece(let p) = items[i] { return p.line } else { return nil } })
            if labelLines.contains(run.firstLine), run.lastLine != run.firstLine {
                let lineCells = trimmingBlanks(cells.refs[run.cells].filter { cells.line($0) == run.firstLine }[...], to: k, cells)
                if lineCells.count == k { return lineCells }
            }
            return nil
        }
        // Fewer: text fields right before the numbers on the same delimited line may be the row's first cells ("无数据").
        let item = run.item
        var lead: [Int] = []
        var idx = item - 1
        while idx >= 0, lead.count < k - row.count, case .piece(let p) = items[idx], p.line == run.firstLine, !p.prose,
            p.field != nil, !label.contains(idx)
        {
            lead.insert(p.index, at: 0); idx -= 1
        }
        // Only when a label remains in front of them on that line or above.
        if lead.count == k - row.count, idx >= 0, case .piece = items[idx] {
            var out: [Int32] = []
            out.reserveCapacity(k)
            for position in lead {
                let t = cells.tokens[position]
                var c = CellToken(kind: .value, raw: t.raw, line: t.line, field: t.field)
                c.parsed = syntax.parse(t.raw)
                out.append(cells.make(c))
            }
            out += row
            return out[...]
        }
        return nil
    }
}
