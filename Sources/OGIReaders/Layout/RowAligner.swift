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

        init(text: String, chars: [Unicode.Scalar], nonstandard: Bool) {
            self.text = text; self.chars = chars; self.nonstandard = nonstandard
            required = RowAligner.required(chars.count)
        }
    }
    struct PreparedRow: Sendable {
        var spec: RowSpec
        var variants: [Variant]
    }
    var rows: [PreparedRow]
    /// Every row variant, for telling a label from a text cell.
    var allVariants: Set<String>

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
        allVariants = comparableForms
    }
}

/// The comparable form (`LabelText.comparable(normalized:)`) of the text tokens of one token stream, by
/// position, each computed once on first use, with its scalars (a table aligned in its part, then in the
/// whole text, reads the same tokens again: neither the form nor its scalars are made twice).
final class ComparableLabels {
    private var forms: [String?]
    private var scalars: [[Unicode.Scalar]?]
    /// The numerals last asked with, read once (`LabelNumerals`).
    private var numeralForm: LabelNumerals?

    init(count: Int) {
        forms = [String?](repeating: nil, count: count)
        scalars = [[Unicode.Scalar]?](repeating: nil, count: count)
    }

    /// The comparable form of `token`, the text token at `position` of the stream this cache was made for.
    func form(of token: CellToken, at position: Int, numerals: String) -> String {
        if position < forms.count, let f = forms[position] { return f }
        if numeralForm?.text != numerals { numeralForm = LabelNumerals(numerals) }
        let f = LabelText.comparable(normalized: token.norm, numerals: numeralForm!)
        if position < forms.count { forms[position] = f }
        return f
    }

    /// `form(of:at:numerals:)` and its scalars (`Array(form.unicodeScalars)`).
    func formAndScalars(of token: CellToken, at position: Int, numerals: String) -> (form: String, scalars: [Unicode.Scalar]) {
        let f = form(of: token, at: position, numerals: numerals)
        if position < scalars.count, let c = scalars[position] { return (f, c) }
        let c = UTF8Scan.scalars(of: f)
        if position < scalars.count { scalars[position] = c }
        return (f, c)
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

    /// A label fragment: one text token in comparable form.
    struct Piece {
        var token: CellToken
        var chars: [Unicode.Scalar]
        var prose: Bool
    }

    /// A group of consecutive cell values (numbers, placeholders, blanks, text cells between numbers).
    struct Run {
        var cells: [CellToken] = []
        var firstLine: Int { cells.first!.line }
        var lastLine: Int { cells.last!.line }
        /// Index in `items` of the run.
        var item = 0
    }

    enum Item { case piece(Piece), run(Int) }

    struct Result {
        var rows: [Row] = []
        var notes: [ExtractionNote] = []
        var firstLine: Int?
        var lastLine: Int?
    }

    // MARK: observed sequence

    /// Builds the observed sequence: label pieces and value runs. Sign words written apart from their
    /// number ("减 51") are joined; a text cell between numbers on one line stays inside its run.
    func observe(_ tokens: ArraySlice<CellToken>, table: PreparedTable) -> (items: [Item], runs: [Run]) {
        var items: [Item] = []
        var runs: [Run] = []
        var open = false
        // Positions (in the token stream) of the tokens that are not row breaks, read in order.
        let toks = tokens.indices.filter { tokens[$0].kind != .rowBreak }
        var i = 0
        func nextValue(after i: Int) -> CellToken? {
            guard i + 1 < toks.count else { return nil }
            let n = tokens[toks[i + 1]]
            return n.kind == .value && n.line == tokens[toks[i]].line ? n : nil
        }
        /// `nextValue(after: i) != nil`, without copying the token.
        func hasNextValue(after i: Int) -> Bool {
            i + 1 < toks.count && tokens[toks[i + 1]].kind == .value && tokens[toks[i + 1]].line == tokens[toks[i]].line
        }
        while i < toks.count {
            var t = tokens[toks[i]]
            let position = toks[i]
            // The cheap tests first (what follows the token), the hashing of the sign words last.
            if t.kind == .text, hasNextValue(after: i), tokens[toks[i + 1]].parsed?.state == .number, signWords.contains(t.raw),
                let n = nextValue(after: i), let p = n.parsed, p.state == .number
            {
                // "减 51", "+ 7": one signed cell.
                let sign = t.raw
                t = CellToken(kind: .value, raw: sign + " " + n.raw, line: t.line, field: t.field)
                t.parsed = syntax.parse(sign + n.raw)
                i += 1
            }
            switch t.kind {
            case .text:
                let prose = t.norm.unicodeScalars.contains { $0 == "。" || $0 == "；" }
                // A prose piece's characters are never read: the contexts stop at prose (`contexts`), and a
                // standalone label, a label shown and a row's leading cells are never prose. So prose is not
                // put in comparable form (it is the longest text of a report): its piece has no characters.
                if prose {
                    items.append(.piece(Piece(token: t, chars: [], prose: true)))
                    open = false
                    break
                }
                // A label token's `norm` is its raw text normalised (`CellTokenizer`).
                let (c, chars) = comparable.formAndScalars(of: t, at: position, numerals: numerals)
                // A text cell between two values of the same delimited line (e.g. "若干") belongs to the run.
                if open, t.field != nil, let last = runs.last?.cells.last, last.line == t.line, hasNextValue(after: i),
                    chars.count <= 8, !table.allVariants.contains(c)
                {
                    var cell = CellToken(kind: .value, raw: t.raw, line: t.line, field: t.field)
                    cell.parsed = syntax.parse(t.raw)
                    runs[runs.count - 1].cells.append(cell)
                } else {
                    items.append(.piece(Piece(token: t, chars: chars, prose: false)))
                    open = false
                }
            case .value, .blank:
                if !open {
                    runs.append(Run(item: items.count))
                    items.append(.run(runs.count - 1))
                    open = true
                }
                runs[runs.count - 1].cells.append(t)
            case .rowBreak:
                break
            }
            i += 1
        }
        return (items, runs)
    }

    // MARK: scoring

    /// Label text around a run, each character weighted by where it sits: on the run's own line before the
    /// numbers (1.0), on the lines above (0.9), on the lines after it up to the next run's line (0.7), a little
    /// less for each line further away.
    struct Context {
        var chars: [Unicode.Scalar] = []
        var weights: [Float] = []
        var pieceOf: [Int] = []
        /// Which characters occur (hashed into 1024 bits), for quick rejection.
        var bloom = [UInt64](repeating: 0, count: 16)
        /// Pieces (item indices) whose whole comparable text is a short label, for exact matching.
        var wholePieces: [(item: Int, chars: [Unicode.Scalar], weight: Float)] = []
    }

    func contexts(items: [Item], runs: [Run]) -> [Context] {
        var out: [Context] = []
        out.reserveCapacity(runs.count)
        for (j, run) in runs.enumerated() {
            var ctx = Context()
            // Room for a few labels' characters at once (the arrays grew from empty, reallocated many times).
            ctx.chars.reserveCapacity(64)
            ctx.weights.reserveCapacity(64)
            ctx.pieceOf.reserveCapacity(64)
            ctx.wholePieces.reserveCapacity(16)
            // Before: back to the previous run or prose, at most 16 pieces.
            var before: [Int] = []
            var k = run.item - 1
            while k >= 0, before.count < 16 {
                if case .piece(let p) = items[k] { if p.prose { break }; before.append(k) } else { break }
                k -= 1
            }
            for idx in before.reversed() {
                guard case .piece(let p) = items[idx] else { continue }
                // Nearer text is stronger evidence: a label two lines up belongs here less than one just above.
                Self.add(
                    p, item: idx, weight: p.token.line == run.firstLine ? 1.0 : max(0.6, 0.9 - 0.01 * Float(run.firstLine - p.token.line)),
                    to: &ctx)
            }
            // A short label spaced out on one line ("规 章") is its pieces on that line joined.
            var g = 0
            let ordered = Array(before.reversed())
            while g < ordered.count {
                guard case .piece(let p0) = items[ordered[g]] else { g += 1; continue }
                var h = g + 1
                var chars = p0.chars
                while h < ordered.count, case .piece(let ph) = items[ordered[h]], ph.token.line == p0.token.line {
                    chars += ph.chars; h += 1
                }
                if h - g > 1 { ctx.wholePieces.append((ordered[h - 1], chars, p0.token.line == run.firstLine ? 1.0 : 0.9)) }
                g = h
            }
            // After: up to the next run, leaving out the pieces on the next run's own line.
            let nextLine = j + 1 < runs.count ? runs[j + 1].firstLine : Int.max
            var n = run.item + 1
            var taken = 0
            while n < items.count, taken < 16 {
                guard case .piece(let p) = items[n], !p.prose, p.token.line < nextLine else { break }
                Self.add(p, item: n, weight: max(0.4, 0.7 - 0.01 * Float(p.token.line - run.lastLine)), to: &ctx)
                n += 1; taken += 1
            }
            out.append(ctx)
        }
        return out
    }

    /// Appends piece `p` (item `item`) to `ctx` with `weight` on each of its characters.
    private static func add(_ p: Piece, item: Int, weight: Float, to ctx: inout Context) {
        ctx.chars.append(contentsOf: p.chars)
        ctx.weights.append(contentsOf: repeatElement(weight, count: p.chars.count))
        ctx.pieceOf.append(contentsOf: repeatElement(item, count: p.chars.count))
        for c in p.chars { ctx.bloom[Int(c.value % 1024) >> 6] |= 1 << UInt64(c.value % 64) }
        ctx.wholePieces.append((item, p.chars, weight))
    }

    struct Match {
        var score: Float
        var coverage: Float
        var variant: PreparedTable.Variant
        /// Item indices of the pieces that carried the label.
        var pieces: [Int]
    }

    /// How well `ctx` carries one of `row`'s variants: weighted longest common subsequence, normalised by
    /// the variant's length. Short variants (two characters or fewer) must be a whole piece.
    /// Buffers reused by every comparison of one alignment.
    struct Scratch { var score: [Float] = []; var count: [Int16] = [] }

    /// `variants` are one template row's variants, read in place: a variant is copied only into a match.
    func match(_ variants: UnsafeBufferPointer<PreparedTable.Variant>, _ ctx: Context, _ scratch: inout Scratch) -> Match? {
        var best: Match?
        for vi in variants.indices {
            let n = variants[vi].chars.count
            if n <= 2 {
                if let w = ctx.wholePieces.last(where: { $0.chars == variants[vi].chars }) {
                    let m = Match(score: w.weight, coverage: 1, variant: variants[vi], pieces: [w.item])
                    if best.map({ better(m, than: $0) }) ?? true { best = m }
                }
                continue
            }
            // Quick rejection: too few of the variant's characters occur in the context at all.
            var present = 0
            for c in variants[vi].chars where ctx.bloom[Int(c.value % 1024) >> 6] & (1 << UInt64(c.value % 64)) != 0 { present += 1 }
            let need = variants[vi].required
            if present < need { continue }
            let (matched, weight, pieces) = lcs(variants[vi].chars, ctx, &scratch)
            guard matched >= need else { continue }
            let m = Match(score: weight / Float(n), coverage: Float(matched) / Float(n), variant: variants[vi], pieces: pieces)
            if best.map({ better(m, than: $0) }) ?? true { best = m }
        }
        return best
    }

    /// A standard variant wins over a nonstandard one unless the nonstandard one is read better.
    func better(_ a: Match, than b: Match) -> Bool {
        if a.coverage != b.coverage { return a.coverage > b.coverage }
        if a.variant.nonstandard != b.variant.nonstandard { return !a.variant.nonstandard }
        return a.score > b.score
    }

    /// Characters of a variant of length `n` that must be read: all up to 3, one slip up to 7, then three in four.
    static func required(_ n: Int) -> Int {
        if n <= 3 { return n }
        if n < 8 { return n - 1 }
        return Int((Float(n) * 0.75).rounded(.up))
    }

    /// Weighted LCS of `v` against the context: matched count, matched weight, pieces used.
    func lcs(_ v: [Unicode.Scalar], _ ctx: Context, _ scratch: inout Scratch) -> (Int, Float, [Int]) {
        let n = v.count, m = ctx.chars.count
        if m == 0 { return (0, 0, []) }
        // score[i][j] over v[..<i], ctx[..<j]; ties broken by count.
        let size = (n + 1) * (m + 1)
        if scratch.score.count < size {
            scratch.score = [Float](repeating: 0, count: size); scratch.count = [Int16](repeating: 0, count: size)
        }
        let w = m + 1
        for j in 0...m { scratch.score[j] = 0; scratch.count[j] = 0 }
        for i in 0...n { scratch.score[i * w] = 0; scratch.count[i * w] = 0 }
        return scratch.score.withUnsafeMutableBufferPointer { score in
            scratch.count.withUnsafeMutableBufferPointer { count in
                lcsFill(v, ctx, n: n, m: m, score: score, count: count)
            }
        }
    }

    /// Fills the score and count tables row by row through raw pointers (no bounds checks in the inner loop);
    /// each cell is computed from the same values in the same order as the indexed form
    /// (`score[i][j - 1]` is the cell just written, kept in `leftScore`), so the tables are the same.
    private func lcsFill(
        _ v: [Unicode.Scalar], _ ctx: Context, n: Int, m: Int,
        score: UnsafeMutableBufferPointer<Float>, count: UnsafeMutableBufferPointer<Int16>
    ) -> (Int, Float, [Int]) {
        let w = m + 1
        let sp = score.baseAddress!, cp = count.baseAddress!
        v.withUnsafeBufferPointer { vb in
            ctx.chars.withUnsafeBufferPointer { cb in
                ctx.weights.withUnsafeBufferPointer { wb in
                    for i in 1...n {
                        let vi = vb[i - 1]
                        let upScore = sp + (i - 1) * w, rowScore = sp + i * w
                        let upCount = cp + (i - 1) * w, rowCount = cp + i * w
                        var leftScore = rowScore[0], leftCount = rowCount[0]
                        for j in 1...m {
                            var s = upScore[j], c = upCount[j]
                            if leftScore > s || (leftScore == s && leftCount > c) { s = leftScore; c = leftCount }
                            if vi == cb[j - 1] {
                                let d = upScore[j - 1] + wb[j - 1]
                                if d > s { s = d; c = upCount[j - 1] + 1 }
                            }
                            rowScore[j] = s; rowCount[j] = c
                            leftScore = s; leftCount = c
                        }
                    }
                }
            }
        }
        // Trace back the pieces that carried matched characters.
        var pieces: [Int] = []
        var i = n, j = m
        while i > 0 && j > 0 {
            if v[i - 1] == ctx.chars[j - 1], score[i * w + j] == score[(i - 1) * w + j - 1] + ctx.weights[j - 1],
                count[i * w + j] == count[(i - 1) * w + j - 1] + 1
            {
                if pieces.last != ctx.pieceOf[j - 1] { pieces.append(ctx.pieceOf[j - 1]) }
                i -= 1; j -= 1
            } else if score[(i - 1) * w + j] == score[i * w + j] && count[(i - 1) * w + j] == count[i * w + j] {
                i -= 1
            } else {
                j -= 1
            }
        }
        return (Int(count[n * w + m]), score[n * w + m], pieces.reversed())
    }

    // MARK: alignment

    /// Aligns `table`'s rows with the runs in `tokens`, then reads each matched row's cells.
    /// `strict`: only labels written in full on the line of their numbers count (used when a table is looked
    /// for without its title, where another table's rows are near).
    func align(_ tokens: ArraySlice<CellToken>, spec: TableSpec, table: PreparedTable, strict: Bool = false) -> Result {
        let (items, runs) = observe(tokens, table: table)
        let k = spec.columns.count
        let ctxs = contexts(items: items, runs: runs)
        let rows = table.rows
        let R = rows.count, J = runs.count
        var result = Result()
        guard R > 0 else { return result }

        // Scores of every (row, run) pair that the label evidence allows.
        var scratch = Scratch()
        // The matches found, and per (row, run) pair the index of its match among them (-1: none). Most pairs
        // have none: an array of optional matches (large values, each destroyed) cost more than the scoring.
        var found: [Match] = []
        var matchAt = [Int32](repeating: -1, count: R * max(J, 1))
        func matches(_ k: Int) -> Match? { matchAt[k] < 0 ? nil : found[Int(matchAt[k])] }
        let blankOnly = runs.map { $0.cells.allSatisfy { $0.kind == .blank } }
        // Every row's variants in one array (each row a range of it), read in place through one buffer
        // pointer, and each run's context taken once for all rows: the pairs are scored run by run, not row
        // by row, which copied the run's context (five arrays) for every pair. Exact: a pair's match depends
        // only on its row's variants and its run's context, and each comparison clears the scratch cells it
        // reads (`lcs`), so the order in which pairs are scored changes nothing.
        var allVariants: [PreparedTable.Variant] = []
        var variantRanges: [Range<Int>] = []
        variantRanges.reserveCapacity(R)
        for r in 0..<R {
            let lo = allVariants.count
            allVariants.append(contentsOf: rows[r].variants)
            variantRanges.append(lo..<allVariants.count)
        }
        allVariants.withUnsafeBufferPointer { all in
            for j in 0..<J {
                let context = ctxs[j]
                for r in 0..<R {
                    let variants = UnsafeBufferPointer(rebasing: all[variantRanges[r]])
                    guard var m = match(variants, context, &scratch) else { continue }
                    if strict {
                        let line = runs[j].firstLine
                        guard m.coverage == 1,
                            m.pieces.allSatisfy({
                                if case .piece(let p) = items[$0] { return p.token.line == line } else { return false }
                            })
                        else { continue }
                    }
                    // A run of blanks only is a row's empty cells only when the label is on its line, in front of
                    // them; otherwise it is padding of a spanned title or header row.
                    if blankOnly[j] {
                        let line = runs[j].firstLine
                        guard
                            m.pieces.allSatisfy({
                                if case .piece(let p) = items[$0] { return p.token.line == line } else { return false }
                            })
                        else { continue }
                        m.score *= 0.5
                    }
                    matchAt[r * J + j] = Int32(found.count)
                    found.append(m)
                }
            }
        }
        // Monotone alignment maximising the summed scores.
        var best = [Float](repeating: 0, count: (R + 1) * (J + 1))
        let w = J + 1
        if J > 0 {
            for r in 1...R {
                for j in 1...J {
                    var s = max(best[(r - 1) * w + j], best[r * w + j - 1])
                    let k = matchAt[(r - 1) * J + (j - 1)]
                    if k >= 0 { s = max(s, best[(r - 1) * w + j - 1] + found[Int(k)].score) }
                    best[r * w + j] = s
                }
            }
        }
        var assigned = [Int?](repeating: nil, count: R)
        var r = R, j = J
        while r > 0 && j > 0 {
            if case let k = matchAt[(r - 1) * J + (j - 1)], k >= 0, best[r * w + j] == best[(r - 1) * w + j - 1] + found[Int(k)].score,
                best[r * w + j] != best[(r - 1) * w + j]
            {
                assigned[r - 1] = j - 1; r -= 1; j -= 1
            } else if best[r * w + j] == best[(r - 1) * w + j] {
                r -= 1
            } else {
                j -= 1
            }
        }

        // Where each column's numbers start, from the rows whose numbers fill one undelimited line exactly.
        var columnStarts: [[Int]] = Array(repeating: [], count: k)
        for (ri, jj) in assigned.enumerated() {
            guard let jj, let m = matches(ri * J + jj), let cells = fit(runs[jj], k: k, items: items, label: m.pieces),
                cells.allSatisfy({ $0.column != nil && $0.line == cells[0].line })
            else { continue }
            for (ci, c) in cells.enumerated() { columnStarts[ci].append(c.column!) }
        }
        let columnAt: [Int]? = columnStarts.allSatisfy({ !$0.isEmpty }) ? columnStarts.map { $0.sorted()[$0.count / 2] } : nil

        // Rows: matched ones with their cells; unmatched ones whose label stands alone get blank cells.
        for (ri, prow) in rows.enumerated() {
            if let jj = assigned[ri], let m = matches(ri * J + jj) {
                let run = runs[jj]
                let labelPieces: [Piece] = m.pieces.compactMap { if case .piece(let p) = items[$0] { return p } else { return nil } }
                let written = labelPieces.map { $0.token.raw }.joined()
                // The label as shown: on one line, that line's pieces up to the label (a block label in front
                // of it included, "三、本年度办理结果 （一）予以公开"); over several lines, the pieces that carried it.
                var shown = labelPieces.map { $0.token.raw }.joined(separator: " ")
                if let lastItem = m.pieces.last, let line = labelPieces.first?.token.line, labelPieces.allSatisfy({ $0.token.line == line })
                {
                    var k = lastItem
                    var onLine: [String] = []
                    while k >= 0, case .piece(let p) = items[k], p.token.line == line, !p.prose {
                        onLine.insert(p.token.raw, at: 0); k -= 1
                    }
                    shown = onLine.joined(separator: " ")
                }
                let used: String? = m.coverage < 1 ? written : (m.variant.nonstandard ? m.variant.text : nil)
                let labelLine = labelPieces.first?.token.line ?? run.firstLine
                var cells: [Cell] = []
                if let fitted = fit(run, k: k, items: items, label: m.pieces) ?? placedByColumn(run, columnAt: columnAt) {
                    for (ci, t) in fitted.enumerated() {
                        let p = t.parsed ?? syntax.parse(t.raw)
                        cells.append(
                            Cell(
                                column: spec.columns[ci].key, raw: t.kind == .blank ? "" : t.raw,
                                location: locate(t.line, t.field), parsed: t.kind == .blank ? (.blank, 0, nil) : p))
                    }
                } else {
                    let found = run.cells.map { $0.kind == .blank ? "" : $0.raw }
                    result.notes.append(
                        ExtractionNote(
                            reason: .cellCount, table: spec.key, row: prow.spec.key, rowLabel: prow.spec.label,
                            found: found.joined(separator: " "), foundCells: found.count, expectedCells: k,
                            location: locate(run.firstLine, run.cells.first?.field)))
                    cells = spec.columns.map { Cell.missing(column: $0.key, location: locate(run.firstLine, nil)) }
                }
                result.rows.append(
                    Row(
                        key: prow.spec.key, label: shown.isEmpty ? prow.spec.label : shown, matchedVariant: used,
                        location: locate(labelLine, nil), cells: cells))
                result.firstLine = min(result.firstLine ?? Int.max, labelLine, run.firstLine)
                result.lastLine = max(result.lastLine ?? 0, run.lastLine, labelPieces.last?.token.line ?? 0)
            } else if let piece = standaloneLabel(prow, items: items, runs: runs, assigned: assigned, row: ri) {
                let cells = spec.columns.map {
                    Cell(column: $0.key, raw: "", location: locate(piece.token.line, nil), parsed: (.blank, 0, nil))
                }
                result.rows.append(Row(key: prow.spec.key, label: piece.token.raw, location: locate(piece.token.line, nil), cells: cells))
                result.firstLine = min(result.firstLine ?? Int.max, piece.token.line)
                result.lastLine = max(result.lastLine ?? 0, piece.token.line)
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
            if row.variants.contains(where: { !$0.nonstandard && $0.chars == p.chars && $0.chars.count >= 2 }) {
                // The piece must not be followed by a run before the next piece (that run was someone else's).
                return p
            }
        }
        return nil
    }

    /// A row with fewer numbers than columns on one undelimited line, placed by where its numbers start
    /// against the other rows' columns: each number must sit clearly nearest one column (within 3 display
    /// columns, and twice as near as to any other), the columns in order; the cells left are blank.
    func placedByColumn(_ run: Run, columnAt: [Int]?) -> [CellToken]? {
        guard let at = columnAt, run.cells.count < at.count, run.firstLine == run.lastLine,
            run.cells.allSatisfy({ $0.column != nil && $0.kind == .value })
        else { return nil }
        var placed: [Int: CellToken] = [:]
        var last = -1
        for t in run.cells {
            let d = at.enumerated().map { (i: $0.offset, d: abs($0.element - t.column!)) }.sorted { $0.d < $1.d }
            guard let best = d.first, best.d <= 3, d.count < 2 || d[1].d >= 2 * max(best.d, 2), best.i > last else { return nil }
            placed[best.i] = t
            last = best.i
        }
        return (0..<at.count).map { i in
            placed[i] ?? CellToken(kind: .blank, raw: "", line: run.firstLine)
        }
    }

    /// The run's cells fitted to `k` columns, or nil when they cannot be placed with certainty. `label` holds the
    /// items of the row's label, which are never taken for cells (a few items: asked in the array, as a set would
    /// answer, without building a set per row).
    func fit(_ run: Run, k: Int, items: [Item], label: [Int] = []) -> [CellToken]? {
        var cells = run.cells
        if cells.count == k { return cells }
        if cells.count > k {
            // Leading and trailing empty cells of a delimited row are merged label cells or padding.
            while cells.count > k, cells.first?.kind == .blank { cells.removeFirst() }
            while cells.count > k, cells.last?.kind == .blank { cells.removeLast() }
            if cells.count == k { return cells }
            // A sign written apart from its number ("- 3", "+ 7") on an undelimited line.
            var merged: [CellToken] = []
            var i = 0
            while i < cells.count {
                let t = cells[i]
                if merged.count + (cells.count - i) > k, t.field == nil, ["-", "+", "－", "＋"].contains(t.raw), i + 1 < cells.count,
                    cells[i + 1].line == t.line, cells[i + 1].field == nil, cells[i + 1].parsed?.state == .number
                {
                    var m = CellToken(kind: .value, raw: t.raw + " " + cells[i + 1].raw, line: t.line)
                    m.parsed = syntax.parse(t.raw + cells[i + 1].raw)
                    merged.append(m); i += 2; continue
                }
                merged.append(t); i += 1
            }
            if merged.count == k { return merged }
            // Numbers over several lines: the line the label is on, when it holds exactly the row's cells
            // (the other lines are stray numbers of a broken copy, left unread).
            let labelLines = Set(
                label.compactMap { i -> Int? in if case .piece(let p) = items[i] { return p.token.line } else { return nil } })
            let first = run.cells.filter { $0.line == run.firstLine }
            if labelLines.contains(run.firstLine), run.lastLine != run.firstLine {
                var lineCells = first
                while lineCells.count > k, lineCells.first?.kind == .blank { lineCells.removeFirst() }
                while lineCells.count > k, lineCells.last?.kind == .blank { lineCells.removeLast() }
                if lineCells.count == k { return lineCells }
            }
            return nil
        }
        // Fewer: text fields right before the numbers on the same delimited line may be the row's first cells ("无数据").
        let item = run.item
        var lead: [CellToken] = []
        var idx = item - 1
        while idx >= 0, lead.count < k - cells.count, case .piece(let p) = items[idx], p.token.line == run.firstLine, !p.prose,
            p.token.field != nil, !label.contains(idx)
        {
            lead.insert(p.token, at: 0); idx -= 1
        }
        // Only when a label remains in front of them on that line or above.
        if lead.count == k - cells.count, idx >= 0, case .piece = items[idx] {
            let asCells = lead.map { t -> CellToken in
                var c = CellToken(kind: .value, raw: t.raw, line: t.line, field: t.field); c.parsed = syntax.parse(t.raw); return c
            }
            return asCells + cells
        }
        return nil
    }
}
