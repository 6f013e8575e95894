import Foundation
import OGILint
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The table mapper's fast paths must give what the code they replace gives: templates prepared on first use
/// (not all at init), the tokenizer's one-pass line scan and byte split, the aligner's pointer-based LCS and
/// its context building. Compared with the replaced code, kept here as a reference, on every sample,
/// rendering and corpus text and on generated variants of their tables (shuffled, wrapped and dropped
/// labels, cells one per line, blank cells).
final class TableMappingFastPathTests: XCTestCase {
    static let templates = Repo.linter.ruleSet.templates
    static var numerals: String { templates.profile.partNumerals }
    static var syntax: CellSyntax { templates.profile.cells }

    // MARK: inputs

    /// The lines of every text, and of generated variants of the texts' tables.
    static func texts() throws -> [(name: String, lines: [String])] {
        var out: [(String, [String])] = []
        var rng = SplitMix(seed: 11)
        for t in try FastPathTests.texts() {
            let lines = t.text.components(separatedBy: "\n")
            out.append((t.name, lines))
            for variant in 0..<5 { out.append(("\(t.name) variant \(variant)", Self.variant(variant, of: lines, rng: &rng))) }
        }
        return out
    }

    /// A generated variant of a text's table lines (lines holding a number): 0 rows shuffled, 1 labels wrapped
    /// over two lines, 2 labels dropped, 3 cells one per line, 4 cells blanked (delimited and undelimited).
    static func variant(_ kind: Int, of lines: [String], rng: inout SplitMix) -> [String] {
        func isRow(_ l: String) -> Bool { l.unicodeScalars.contains { ("0"..."9").contains($0) } && l.unicodeScalars.count < 200 }
        func fields(_ l: String) -> [String] {
            l.split(whereSeparator: { $0 == "\t" || $0 == "|" || $0 == " " || $0 == "\u{3000}" }).map(String.init)
        }
        switch kind {
        case 0:
            var out = lines
            let rows = lines.indices.filter { isRow(lines[$0]) }
            let shuffled = rows.shuffled(using: &rng)
            for (a, b) in zip(rows, shuffled) { out[a] = lines[b] }
            return out
        case 1:
            return lines.flatMap { l -> [String] in
                guard isRow(l), let first = fields(l).first, first.count > 3, let r = l.range(of: first) else { return [l] }
                let cut = first.index(first.startIndex, offsetBy: first.count / 2)
                return [String(first[..<cut]), String(first[cut...]) + String(l[r.upperBound...])]
            }
        case 2:
            return lines.map { l in
                guard isRow(l), Bool.random(using: &rng), let first = fields(l).first, let r = l.range(of: first) else { return l }
                return String(l[r.upperBound...])
            }
        case 3:
            return lines.flatMap { l in isRow(l) ? fields(l) : [l] }
        default:
            return lines.map { l in
                guard isRow(l) else { return l }
                let fs = fields(l)
                let blanked = fs.map { f in f.first?.isNumber == true && Bool.random(using: &rng) ? "" : f }
                return Bool.random(using: &rng) ? blanked.joined(separator: "\t") : blanked.joined(separator: "   ")
            }
        }
    }

    static func sourceLines(_ lines: [String]) -> [SourceLine] {
        lines.enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
    }

    /// A token's every field as one string, for comparing token streams.
    static func describe(_ t: CellToken) -> String {
        let p = t.parsed.map { "\($0.state) \($0.value.map { "\($0)" } ?? "nil") \($0.unit ?? "nil")" } ?? "-"
        return "\(t.kind) \(t.raw.debugDescription) \(t.norm.debugDescription) \(t.line) \(t.field ?? -1) \(t.column ?? -1) \(p)"
    }

    // MARK: lazy template preparation

    /// What `TableMapper.init` prepared for every template before preparation became lazy, keyed by
    /// `template/table`.
    static func eagerPreparation(_ templates: [Template], numerals: String)
        -> (prepared: [String: PreparedTable], forms: [String: TableMapper.SearchForms])
    {
        var prepared: [String: PreparedTable] = [:]
        var forms: [String: TableMapper.SearchForms] = [:]
        for t in templates {
            for spec in t.tables {
                // The forms as `SearchForms.init` made them before it normalised a template's anchors once.
                var f = TableMapper.SearchForms(spec: spec, template: t, numerals: numerals)
                f.anchors = spec.anchors.map(LabelText.normalize)
                f.otherAnchors = t.tables.filter { $0.key != spec.key }.flatMap(\.anchors).map(LabelText.normalize)
                f.otherAnchorsInPart = t.tables.filter { $0.part == spec.part && $0.key != spec.key }.flatMap(\.anchors).map(
                    LabelText.normalize)
                f.rowVariants = spec.rows.map { rs in
                    (
                        rs.variants.map { TableMapper.Variant($0, numerals: numerals) },
                        rs.nonstandard.map { TableMapper.Variant($0, numerals: numerals) }
                    )
                }
                forms[t.id + "/" + spec.key] = f
                if !spec.rows.contains(where: \.unlabeled) {
                    prepared[t.id + "/" + spec.key] = PreparedTable(spec: spec, numerals: numerals)
                }
            }
        }
        return (prepared, forms)
    }

    static func describe(_ p: PreparedTable) -> String {
        let rows = p.rows.map { r in
            r.spec.key + ":"
                + r.variants.map { "\($0.text)=\(String(String.UnicodeScalarView($0.chars)))/\($0.nonstandard)" }.joined(separator: ",")
        }
        return rows.joined(separator: ";") + " | " + p.allVariants.sorted().joined(separator: ",")
    }

    static func describe(_ f: TableMapper.SearchForms) -> String {
        let rows = f.rowVariants.map { r in
            (r.variants + [TableMapper.Variant("|", numerals: "")] + r.nonstandard).map { "\($0.text)=\($0.norm)=\($0.bare)" }.joined(
                separator: ",")
        }
        return [f.anchors, f.otherAnchors, f.otherAnchorsInPart, rows].map { $0.joined(separator: ",") }.joined(separator: " | ")
    }

    func testTemplatesPreparedOnFirstUseEqualTheEagerPreparation() throws {
        // The profile's templates, twice with one id changed (a later template with an id already given wins
        // table by table, as at init), and an unknown id.
        var templates = Self.templates.templates
        XCTAssertGreaterThan(templates.count, 1)
        var twin = templates[templates.count - 1]
        twin.id = templates[0].id
        twin.tables = Array(twin.tables.prefix(2))
        templates.append(twin)
        for numerals in [Self.numerals, ""] {
            let eager = Self.eagerPreparation(templates, numerals: numerals)
            let onFirstUse = PreparedTemplates(templates: templates, numerals: numerals)
            var compared = 0
            // From parallel workers, as a batch asks: every one gets the same preparation.
            let ids = Set(templates.map(\.id)).sorted()
            let results = LockedResults()
            DispatchQueue.concurrentPerform(iterations: ids.count * 8) { i in
                let id = ids[i % ids.count]
                results.add(id, onFirstUse.preparation(ofTemplate: id))
            }
            for id in ids {
                let seen = results.all(id)
                XCTAssertEqual(seen.count, 8)
                for p in seen {
                    let p = try XCTUnwrap(p)
                    let keys = Set(templates.filter { $0.id == id }.flatMap(\.tables).map(\.key))
                    XCTAssertEqual(Set(p.searchForms.keys), keys)
                    for key in keys {
                        // An aligned table's forms leave out the row variants (only `mapRowsWithSpan` reads them).
                        var eagerForms = eager.forms[id + "/" + key]!
                        if p.tables[key] != nil {
                            XCTAssertTrue(p.searchForms[key]!.rowVariants.isEmpty)
                            eagerForms.rowVariants = []
                        } else {
                            XCTAssertFalse(p.searchForms[key]!.rowVariants.isEmpty, "\(id)/\(key)")
                        }
                        XCTAssertEqual(Self.describe(p.searchForms[key]!), Self.describe(eagerForms), "\(id)/\(key)")
                        XCTAssertEqual(p.tables[key].map(Self.describe), eager.prepared[id + "/" + key].map(Self.describe), "\(id)/\(key)")
                        compared += 1
                    }
                }
            }
            XCTAssertGreaterThan(compared, 8 * 10)
            XCTAssertNil(onFirstUse.preparation(ofTemplate: "no such template"))
        }
        // A mapper made without templates prepares none (tables are then mapped by their labels alone).
        XCTAssertNil(TableMapper(numerals: Self.numerals, syntax: Self.syntax).preparedTemplates.preparation(ofTemplate: templates[0].id))
    }

    final class LockedResults: @unchecked Sendable {
        let lock = NSLock()
        var byID: [String: [PreparedTemplates.Preparation?]] = [:]
        func add(_ id: String, _ p: PreparedTemplates.Preparation?) { lock.lock(); byID[id, default: []].append(p); lock.unlock() }
        func all(_ id: String) -> [PreparedTemplates.Preparation?] { lock.lock(); defer { lock.unlock() }; return byID[id] ?? [] }
    }

    // MARK: tokenizer

    /// `CellTokenizer.tokens` before its one-pass line scan, byte split and one-word shortcut.
    static func referenceTokens(of lines: [SourceLine], syntax: CellSyntax, filter: ValueScalars) -> [CellToken] {
        var out: [CellToken] = []
        for line in lines {
            let t = line.text
            let delimited = t.utf8.contains(9) || t.utf8.contains(UInt8(ascii: "|")) || t.unicodeScalars.contains("｜")
            if t.unicodeScalars.allSatisfy(FastText.isSpace) {
                out.append(CellToken(kind: delimited ? .blank : .rowBreak, raw: "", line: line.number))
                continue
            }
            if delimited {
                let all =
                    referencePlainFields(t)
                    ?? t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\t" || $0 == "|" || $0 == "｜" })
                    .map { String(FastText.trim(String($0))) }
                let first = all.firstIndex { !$0.isEmpty } ?? 0
                let last = all.lastIndex { !$0.isEmpty } ?? -1
                if first <= last {
                    for i in first...last {
                        let f = all[i]
                        if f.isEmpty { out.append(CellToken(kind: .blank, raw: "", line: line.number, field: i + 1)); continue }
                        let before = out.count
                        referenceAppendField(f, line: line.number, syntax: syntax, filter: filter, into: &out)
                        for j in before..<out.count { out[j].field = i + 1 }
                    }
                }
            } else {
                var col = 0
                var start: Int?
                let scalars = t.unicodeScalars
                var wordStart = scalars.startIndex
                func flush(_ end: String.UnicodeScalarView.Index) {
                    guard let st = start else { return }
                    let before = out.count
                    referenceAppendWord(
                        String(Substring(scalars[wordStart..<end])), line: line.number, syntax: syntax, filter: filter, into: &out)
                    for j in before..<out.count { out[j].column = st }
                    start = nil
                }
                var idx = scalars.startIndex
                while idx < scalars.endIndex {
                    let u = scalars[idx]
                    if FastText.isSpace(u) {
                        flush(idx)
                    } else if start == nil {
                        start = col; wordStart = idx
                    }
                    col += u.value >= 0x1100 && u != "\u{3000}" ? 2 : (u == "\u{3000}" ? 2 : 1)
                    idx = scalars.index(after: idx)
                }
                flush(scalars.endIndex)
            }
        }
        return out
    }

    static func referencePlainFields(_ t: String) -> [String]? {
        let scalars = t.unicodeScalars
        guard scalars.allSatisfy({ $0 == "\t" || FastText.isPlainScalar($0) }) else { return nil }
        var fields: [String] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let u = scalars[i]
            if u == "\t" || u == "|" || u == "｜" {
                fields.append(String(FastText.trim(String(Substring(scalars[start..<i])))))
                start = scalars.index(after: i)
            }
            i = scalars.index(after: i)
        }
        fields.append(String(FastText.trim(String(Substring(scalars[start..<scalars.endIndex])))))
        return fields
    }

    static func referenceAppendField(_ f: String, line: Int, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]) {
        if let p = CellTokenizer.value(f, syntax: syntax, filter: filter) {
            var t = CellToken(kind: .value, raw: f, line: line); t.parsed = p; out.append(t); return
        }
        let words = f.unicodeScalars.split(whereSeparator: FastText.isSpace).map { String($0) }
        if words.count == 2, ["-", "+", "－", "＋"].contains(words[0]) || (syntax.increaseWords + syntax.decreaseWords).contains(words[0]),
            let p = syntax.parseValue(words[1]), p.state == .number
        {
            var t = CellToken(kind: .value, raw: f, line: line); t.parsed = syntax.parse(words[0] + words[1]); out.append(t); return
        }
        let numbered =
            words.count > 1 && CellTokenizer.value(words[0], syntax: syntax, filter: filter) != nil
            && words.dropFirst().allSatisfy { CellTokenizer.value($0, syntax: syntax, filter: filter) == nil }
        if words.count > 1 && !numbered {
            for w in words { referenceAppendWord(w, line: line, syntax: syntax, filter: filter, into: &out) }
        } else {
            out.append(CellToken(kind: .text, raw: f, norm: LabelText.normalize(f), line: line))
        }
    }

    static func referenceAppendWord(_ w: String, line: Int, syntax: CellSyntax, filter: ValueScalars, into out: inout [CellToken]) {
        if let p = CellTokenizer.value(w, syntax: syntax, filter: filter) {
            var t = CellToken(kind: .value, raw: w, line: line); t.parsed = p; out.append(t)
        } else {
            out.append(CellToken(kind: .text, raw: w, norm: LabelText.normalize(w), line: line))
        }
    }

    static let trickyLines = [
        "", " ", "\t", "|", "｜", "\u{3000}", "a|b", "｜ 1 ｜ 2 ｜", "\t\t", "x\t 1\u{3000}|２", "a|\u{301}b", "\u{0600}|x", "a\r\n|b",
        "\u{3000}规章\u{3000}|\u{3000}3\u{3000}", "减 5|+ 7|- 1", "1. 属于国家秘密\t2", "一、 总体情况\t\t", "\u{00A0}|\u{00A0}", "\u{FEFF}|1",
        "规 章 | 3", "a\u{3000}\u{3000}|\u{3000}", "｜｜", "\u{FF5C}x\u{FF5C}", "é|1", "e\u{301}|1", "𠀀|2", "12,345|1，234", "--|—",
        // Plain lines whose three-byte scalars end in the bytes of `｜` (EF BD 9C) or start as it does: “ (E2 80 9C),
        // ｝ (EF BD 9D), ｜ among ideographs.
        "“甲”\t｝｜ｚ", "——|…\t〇｜〇", "｛｝｜｝｛", "表一｜二\t三",
        // Scalars of U+4000...U+4FFF (lead byte E4), plain from U+4E00 on: 䀀 and 䶿 are not, 一 and 俿 are.
        "䀀\t1", "一\t䶿", "俿|一|丁", "䶿",
        // Digits at the edges of what is read as a plain integer: 18 and 19 digits, a sign, full-width digits,
        // leading zeros, digits around white space.
        "123456789012345678|1234567890123456789", "-5|+5|０7|007|0", "\u{3000}42\u{3000}| 9 |4 2",
        // Numbers below 100 (their texts kept once) next to those written with leading zeros and 100.
        "0|00|09|9|10|99|100|099| 5 |\u{3000}7\t0\t1",
    ]

    func testTokensEqualTheReferenceTokenizer() throws {
        let syntax = Self.syntax
        let filter = ValueScalars(syntax: syntax)
        var texts = try Self.texts()
        texts.append(("tricky", Self.trickyLines))
        var tokens = 0, plainLines = 0, digitFields = 0
        for t in texts {
            let lines = Self.sourceLines(t.lines)
            let new = CellTokenizer.tokens(of: lines, syntax: syntax, filter: filter)
            let ref = Self.referenceTokens(of: lines, syntax: syntax, filter: filter)
            XCTAssertEqual(new.map(Self.describe), ref.map(Self.describe), t.name)
            tokens += new.count
            for l in t.lines {
                let shape = CellTokenizer.LineShape(l)
                XCTAssertEqual(shape.blank, l.unicodeScalars.allSatisfy(FastText.isSpace), l.debugDescription)
                XCTAssertEqual(
                    shape.delimited, l.utf8.contains(9) || l.utf8.contains(UInt8(ascii: "|")) || l.unicodeScalars.contains("｜"),
                    l.debugDescription)
                let ref = Self.referencePlainFields(l)
                XCTAssertEqual(shape.plain, ref != nil, l.debugDescription)
                if let ref {
                    XCTAssertEqual(CellTokenizer.plainFieldsOfPlainLine(l), ref, l.debugDescription)
                    let sized = CellTokenizer.plainFieldsOfPlainLine(l, separators: shape.separators)
                    XCTAssertEqual(sized, ref, l.debugDescription)
                    XCTAssertEqual(sized.count, shape.separators + 1, l.debugDescription)
                    // Each field's digits, read from its bytes as it was made, are what its text reads as.
                    // Written over a kept array's elements: those of a longer line before it are not read.
                    var kept = [CellTokenizer.DelimitedField](
                        repeating: CellTokenizer.DelimitedField(text: "stale", digits: 7), count: ref.count + 2)
                    let count = CellTokenizer.plainFieldsOfPlainLine(l, over: &kept)
                    XCTAssertEqual(count, ref.count, l.debugDescription)
                    XCTAssertEqual(kept[count...].map(\.text), ["stale", "stale"], l.debugDescription)
                    var grown: [CellTokenizer.DelimitedField] = []
                    XCTAssertEqual(CellTokenizer.plainFieldsOfPlainLine(l, over: &grown), ref.count, l.debugDescription)
                    let fields = kept[..<count]
                    XCTAssertEqual(fields.map(\.text), ref, l.debugDescription)
                    XCTAssertEqual(grown.map(\.text), ref, l.debugDescription)
                    for f in fields {
                        let plain = (1...18).contains(f.text.utf8.count) && f.text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                        XCTAssertEqual(f.digits, plain ? Int64(f.text)! : CellTokenizer.DelimitedField.notDigits, f.text.debugDescription)
                        if plain { digitFields += 1 }
                    }
                    if shape.delimited { plainLines += 1 }
                }
            }
        }
        XCTAssertGreaterThan(tokens, 100_000)
        XCTAssertGreaterThan(plainLines, 1000)
        XCTAssertGreaterThan(digitFields, 1000)
    }

    // MARK: aligner

    /// `RowAligner.contexts` before it appended pieces in bulk.
    /// `chars`: a piece's characters (`RowAligner.chars(of:)`).
    static func referenceContexts(
        items: [RowAligner.Item], runs: [RowAligner.Run], chars: (RowAligner.Piece) -> [Unicode.Scalar]
    ) -> [RowAligner.Context] {
        var out: [RowAligner.Context] = []
        for (j, run) in runs.enumerated() {
            var ctx = RowAligner.Context()
            func add(_ idx: Int, weight: Float) {
                guard case .piece(let p) = items[idx] else { return }
                for c in chars(p) {
                    ctx.chars.append(c); ctx.weights.append(weight); ctx.pieceOf.append(idx)
                    ctx.bloom[Int(c.value % 1024) >> 6] |= 1 << UInt64(c.value % 64)
                }
                ctx.wholePieces.append((idx, chars(p), weight))
            }
            var before: [Int] = []
            var k = run.item - 1
            while k >= 0, before.count < 16 {
                if case .piece(let p) = items[k] { if p.prose { break }; before.append(k) } else { break }
                k -= 1
            }
            for idx in before.reversed() {
                guard case .piece(let p) = items[idx] else { continue }
                add(idx, weight: p.line == run.firstLine ? 1.0 : max(0.6, 0.9 - 0.01 * Float(run.firstLine - p.line)))
            }
            var g = 0
            let ordered = Array(before.reversed())
            while g < ordered.count {
                guard case .piece(let p0) = items[ordered[g]] else { g += 1; continue }
                var h = g + 1
                var joined = chars(p0)
                while h < ordered.count, case .piece(let ph) = items[ordered[h]], ph.line == p0.line {
                    joined += chars(ph); h += 1
                }
                if h - g > 1 { ctx.wholePieces.append((ordered[h - 1], joined, p0.line == run.firstLine ? 1.0 : 0.9)) }
                g = h
            }
            let nextLine = j + 1 < runs.count ? runs[j + 1].firstLine : Int.max
            var n = run.item + 1
            var taken = 0
            while n < items.count, taken < 16 {
                guard case .piece(let p) = items[n], !p.prose, p.line < nextLine else { break }
                add(n, weight: max(0.4, 0.7 - 0.01 * Float(p.line - run.lastLine)))
                n += 1; taken += 1
            }
            out.append(ctx)
        }
        return out
    }

    static func describe(_ c: RowAligner.Context) -> String {
        let whole = c.wholePieces.map { "\($0.item):\(String(String.UnicodeScalarView($0.chars))):\($0.weight.bitPattern)" }
        return [
            String(String.UnicodeScalarView(c.chars)), c.weights.map { "\($0.bitPattern)" }.joined(separator: ","),
            c.pieceOf.map(String.init).joined(separator: ","), c.bloom.map(String.init).joined(separator: ","),
            whole.joined(separator: ","),
        ].joined(separator: " | ")
    }

    /// `RowAligner.lcs` as it was written with indices (no pointers).
    static func referenceLCS(_ v: [Unicode.Scalar], _ ctx: RowAligner.Context) -> (Int, Float, [Int]) {
        // A context's arrays are parts of larger ones (`RowAligner.contexts`): indexed from 0 here.
        let chars = Array(ctx.chars), weights = Array(ctx.weights), pieceOf = Array(ctx.pieceOf)
        let n = v.count, m = chars.count
        if m == 0 { return (0, 0, []) }
        let w = m + 1
        var score = [Float](repeating: 0, count: (n + 1) * w), count = [Int16](repeating: 0, count: (n + 1) * w)
        for i in 1...n {
            for j in 1...m {
                var s = score[(i - 1) * w + j], c = count[(i - 1) * w + j]
                if score[i * w + j - 1] > s || (score[i * w + j - 1] == s && count[i * w + j - 1] > c) {
                    s = score[i * w + j - 1]; c = count[i * w + j - 1]
                }
                if v[i - 1] == chars[j - 1] {
                    let d = score[(i - 1) * w + j - 1] + weights[j - 1]
                    if d > s { s = d; c = count[(i - 1) * w + j - 1] + 1 }
                }
                score[i * w + j] = s; count[i * w + j] = c
            }
        }
        var pieces: [Int] = []
        var i = n, j = m
        while i > 0 && j > 0 {
            if v[i - 1] == chars[j - 1], score[i * w + j] == score[(i - 1) * w + j - 1] + weights[j - 1],
                count[i * w + j] == count[(i - 1) * w + j - 1] + 1
            {
                if pieces.last != pieceOf[j - 1] { pieces.append(pieceOf[j - 1]) }
                i -= 1; j -= 1
            } else if score[(i - 1) * w + j] == score[i * w + j] && count[(i - 1) * w + j] == count[i * w + j] {
                i -= 1
            } else {
                j -= 1
            }
        }
        return (Int(count[n * w + m]), score[n * w + m], pieces.reversed())
    }

    /// The LCS filled over the columns the variant's characters may be in (`RowAligner.lcs`) against the full
    /// table, on random small inputs: few distinct characters (long runs of left-out columns, at the start, the
    /// end and between kept ones), characters whose hashes collide (kept columns that match nothing), weights
    /// from a few values (many ties), one scratch reused by every comparison.
    func testFilteredLCSEqualsTheFullTableOnRandomInputs() {
        var rng = SystemRandomNumberGenerator()
        var seed = UInt64.random(in: 0...UInt64.max, using: &rng)
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let startSeed = seed
        // "a".."f", "a" + 1024 and "b" + 2048 (same hash as "a", "b"), 规, 章, 文, 件.
        let alphabet: [Unicode.Scalar] = ["a", "b", "c", "d", "e", "f", "\u{461}", "\u{862}", "规", "章", "文", "件"]
        let weightSet: [Float] = [1.0, 0.5, 0.25, 0.75, 0.9, 0.89, 0.7, 0.4, 0.6]
        let aligner = RowAligner(
            numerals: Self.numerals, syntax: Self.syntax, locate: { line, _ in SourceLocation(line: line) },
            signWords: ShortWordSet([String]()), comparable: ComparableLabels(count: 0))
        var scratch = RowAligner.Scratch()
        var compared = 0, nonEmpty = 0
        for _ in 0..<50000 {
            let sub = Int(next() % 5) + 1
            let letters = (0..<sub).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            let n = Int(next() % 9) + 1
            let v = (0..<n).map { _ in letters[Int(next() % UInt64(letters.count))] }
            var ctx = RowAligner.Context()
            let m = Int(next() % 30)
            var piece = 0
            for _ in 0..<m {
                if next() % 4 == 0 { piece += 1 }
                ctx.chars.append(alphabet[Int(next() % UInt64(next() % 3 == 0 ? alphabet.count : min(alphabet.count, 8)))])
                ctx.weights.append(weightSet[Int(next() % UInt64(weightSet.count))])
                ctx.pieceOf.append(piece)
            }
            let a = aligner.lcs(v, bloom: RowAligner.bloom(of: v), ctx, &scratch)
            let b = Self.referenceLCS(v, ctx)
            XCTAssertTrue(
                a.0 == b.0 && a.1.bitPattern == b.1.bitPattern && a.2 == b.2,
                "seed \(startSeed): \(v) against \(ctx.chars) \(ctx.weights): \(a) != \(b)")
            compared += 1
            if !b.2.isEmpty { nonEmpty += 1 }
        }
        XCTAssertEqual(compared, 50000)
        XCTAssertGreaterThan(nonEmpty, 10000)
    }

    /// `RowAligner.isProse` reads eight bytes at a time: each mark, and each character that shares its lead byte
    /// (E3: 、「」《 ; EF: （），：), put at every offset of texts of every length up to 40 bytes, ASCII and
    /// Chinese around it, alone and in pairs, and cut short at the end, against the scalar reading.
    func testProseMarksAtEveryOffsetEqualTheScalarReading() {
        let marks: [String] = ["。", "；", "、", "「", "」", "《", "（", "）", "，", "：", "ｂ", "〇"]
        let fillers: [String] = ["a", "一", "é", "1"]
        var compared = 0, prose = 0
        func check(_ s: String) {
            let expected = s.unicodeScalars.contains { $0 == "。" || $0 == "；" }
            XCTAssertEqual(RowAligner.isProse(s), expected, s)
            compared += 1
            if expected { prose += 1 }
        }
        for filler in fillers {
            for length in 0...14 {
                let base = String(repeating: filler, count: length)
                check(base)
                for mark in marks {
                    for at in 0...length {
                        let head = String(repeating: filler, count: at), tail = String(repeating: filler, count: length - at)
                        check(head + mark + tail)
                        for other in marks { check(head + mark + tail + other) }
                    }
                }
            }
        }
        // A mark's lead byte alone at the end (its bytes cut off): a string cannot end inside a scalar, so the
        // lead is met before a last scalar that is no mark, and after eight-byte words of other lead bytes.
        for k in 0...9 {
            check(String(repeating: "（", count: k) + "」")
            check(String(repeating: "、", count: k) + "；")
            check(String(repeating: "ab", count: k) + "。")
        }
        XCTAssertGreaterThan(compared, 30000)
        XCTAssertGreaterThan(prose, 5000)
    }

    /// A text token's comparable scalars read without making its comparable form (`ComparableLabels.scalars`),
    /// and whether it is prose read on its bytes (`RowAligner.isProse`), against the form's scalars and the
    /// scalar reading, on every text token of every text and variant (and a few made-up ones).
    func testComparableScalarsAndProseEqualTheReference() throws {
        let ctx = try ReaderContext(templates: Self.templates)
        let syntax = Self.syntax
        var compared = 0, prose = 0
        let made = ["（一）予以公开。", "1.属于国家秘密；", "(2) 其他—", "一、本年新收", "", "。", "；", "ａ；ｂ", "规 章"]
        for t in try Self.texts() {
            let tokens = CellTokenizer.tokens(of: Self.sourceLines(t.lines), syntax: syntax, filter: ctx.mapper.valueScalars)
            let labels = ComparableLabels(count: tokens.count)
            for (i, token) in tokens.enumerated() where token.kind == .text {
                let form = LabelText.comparable(normalized: token.norm, numerals: Self.numerals)
                XCTAssertEqual(labels.scalars(of: token, at: i, numerals: Self.numerals), Array(form.unicodeScalars), token.norm)
                XCTAssertEqual(labels.form(of: token, at: i, numerals: Self.numerals), form, token.norm)
                let isProse = token.norm.unicodeScalars.contains { $0 == "。" || $0 == "；" }
                XCTAssertEqual(RowAligner.isProse(token.norm), isProse, token.norm)
                if isProse { prose += 1 }
                compared += 1
            }
        }
        let labels = ComparableLabels(count: 0)
        // Numerals that are not plain, and numbering the byte reading is unsure of (a combining mark, a variation
        // selector), take the stripped text's path.
        let unsure = ["（一\u{301}）予以公开", "1\u{FE0F}.属于", "（二）\u{200D}其他", "\u{F9D1}、本年"]
        var declined = 0
        for numerals in [Self.numerals, "", "一二\u{F9D1}", "（"] {
            for m in made + unsure {
                let token = CellToken(kind: .text, raw: m, norm: LabelText.normalize(m), line: 1)
                if LabelText.stripNumberingOnBytes(token.norm, numerals: LabelNumerals(numerals)) == nil { declined += 1 }
                let form = LabelText.comparable(normalized: token.norm, numerals: numerals)
                XCTAssertEqual(labels.scalars(of: token, at: 0, numerals: numerals), Array(form.unicodeScalars), "\(m) with \(numerals)")
                XCTAssertEqual(RowAligner.isProse(token.norm), token.norm.unicodeScalars.contains { $0 == "。" || $0 == "；" }, m)
            }
        }
        XCTAssertGreaterThan(declined, 8)
        XCTAssertGreaterThan(compared, 5000)
        XCTAssertGreaterThan(prose, 100)
    }

    func testAlignerContextsAndLCSEqualTheReference() throws {
        let ctx = try ReaderContext(templates: Self.templates)
        let mapper = ctx.mapper
        let syntax = Self.syntax
        var tables: [PreparedTable] = []
        for t in Self.templates.templates {
            let p = try XCTUnwrap(mapper.preparedTemplates.preparation(ofTemplate: t.id))
            tables += t.tables.compactMap { p.tables[$0.key] }
        }
        XCTAssertGreaterThan(tables.count, 4)
        var contexts = 0, compared = 0, matched = 0, rejectedByResidues = 0, screenedRows = 0, rowScreened = 0, matchedRows = 0
        var scratch = RowAligner.Scratch()
        for (n, t) in try Self.texts().enumerated() {
            let tokens = CellTokenizer.tokens(of: Self.sourceLines(t.lines), syntax: syntax, filter: mapper.valueScalars)
            let aligner = RowAligner(
                numerals: Self.numerals, syntax: syntax, locate: mapper.locate, signWords: mapper.signWords,
                comparable: ComparableLabels(count: tokens.count))
            // Each table over the whole text (the widest region an alignment reads), every other text.
            // (Every sixth text and variant: the reference is slow in a debug build.)
            guard n % 6 == 0 else { continue }
            for table in tables {
                let (items, runs, _) = aligner.observe(tokens[...], table: table)
                let new = aligner.contexts(items: items, runs: runs)
                let ref = Self.referenceContexts(items: items, runs: runs, chars: aligner.chars(of:))
                XCTAssertEqual(new.map(Self.describe), ref.map(Self.describe), t.name)
                contexts += new.count
                for c in new {
                    XCTAssertEqual(c.residues, c.bloom.reduce(0, |), t.name)
                    // `match`'s rejection by residues: only where the count of characters missing from the bloom
                    // rejects too.
                    for row in table.rows {
                        for v in row.variants where v.chars.count > 2 {
                            XCTAssertEqual(v.residues, v.bloom.reduce(0, |))
                            let allowed = v.chars.count - v.required
                            guard (v.residues & ~c.residues).nonzeroBitCount > allowed else { continue }
                            let missing = v.chars.filter {
                                c.bloom[c.bloom.startIndex + (Int($0.value >> 6) & 15)] & (1 << UInt64($0.value & 63)) == 0
                            }
                            XCTAssertGreaterThan(missing.count, allowed, "\(t.name) \(v.text)")
                            rejectedByResidues += 1
                        }
                    }
                }
                // The row screen `align` asks before `match`: a row it turns away is one `match` finds nothing for;
                // and `match`, which traces back only the winning variant's pieces, gives the match the variants'
                // full comparisons (`lcs`) pick.
                table.screenResidues.withUnsafeBufferPointer { residues in
                    table.screenAllowed.withUnsafeBufferPointer { allowed in
                        table.allRowVariants.withUnsafeBufferPointer { all in
                            for c in new.prefix(20) {
                                for r in table.rows.indices {
                                    let variants = UnsafeBufferPointer(rebasing: all[table.variantRanges[r]])
                                    let got = aligner.match(variants, c, &scratch)
                                    if !table.mayMatch(row: r, contextResidues: c.residues, residues: residues, allowed: allowed) {
                                        XCTAssertNil(got, "\(t.name) row \(r)")
                                        screenedRows += 1
                                    }
                                    // The row-level screen asked first turns away only rows `mayMatch` turns away.
                                    if !table.rowScreens[r].admits(c.residues) {
                                        XCTAssertFalse(
                                            table.mayMatch(row: r, contextResidues: c.residues, residues: residues, allowed: allowed),
                                            "\(t.name) row \(r)")
                                        rowScreened += 1
                                    }
                                    // The match's pieces as the scratch holds them (read before the comparisons below
                                    // add theirs after them).
                                    let gotPieces = got.map { Array(scratch.pieces[$0.pieces]) }
                                    var best: (match: RowAligner.Match, pieces: [Int])?
                                    for vi in variants.indices where variants[vi].chars.count > 2 {
                                        let v = variants[vi], n = Float(v.chars.count)
                                        let (k, w, pieces) = aligner.lcs(v.chars, bloom: v.bloom, c, &scratch)
                                        guard k >= v.required else { continue }
                                        let m = RowAligner.Match(
                                            score: w / n, coverage: Float(k) / n, variant: vi, nonstandard: v.nonstandard, pieces: 0..<0)
                                        if best.map({ aligner.better(m, than: $0.match) }) ?? true { best = (m, pieces) }
                                    }
                                    guard variants.allSatisfy({ $0.chars.count > 2 }) else { continue }
                                    XCTAssertEqual(
                                        got.map { [$0.variant] + gotPieces! }, best.map { [$0.match.variant] + $0.pieces }, t.name)
                                    XCTAssertEqual(got?.score.bitPattern, best?.match.score.bitPattern, t.name)
                                    if got != nil { matchedRows += 1 }
                                }
                            }
                        }
                    }
                }
                for c in new.prefix(12) {
                    for row in table.rows {
                        for v in row.variants where v.chars.count > 2 {
                            let a = aligner.lcs(v.chars, bloom: v.bloom, c, &scratch)
                            let b = Self.referenceLCS(v.chars, c)
                            XCTAssertTrue(a.0 == b.0 && a.1.bitPattern == b.1.bitPattern && a.2 == b.2, "\(t.name) \(v.text)")
                            compared += 1
                            if a.0 >= RowAligner.required(v.chars.count) { matched += 1 }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(contexts, 1000)
        XCTAssertGreaterThan(rejectedByResidues, 1000)
        XCTAssertGreaterThan(compared, 2000)
        XCTAssertGreaterThan(matched, 50)
        XCTAssertGreaterThan(screenedRows, 1000)
        XCTAssertGreaterThan(rowScreened, screenedRows / 2, "the row-level screen turns away most of what the variants turn away")
        XCTAssertGreaterThan(matchedRows, 100)
        // Generated contexts: random scalars from a small alphabet, random weights and pieces.
        var rng = SplitMix(seed: 7)
        let alphabet = Array("规章行政规范性文件其他ab".unicodeScalars)
        for _ in 0..<500 {
            var c = RowAligner.Context()
            let m = Int.random(in: 0...60, using: &rng)
            var piece = 0
            for _ in 0..<m {
                c.chars.append(alphabet.randomElement(using: &rng)!)
                c.weights.append([1.0, 0.9, 0.7, 0.4, 0.89, 0.6][Int.random(in: 0..<6, using: &rng)])
                if Int.random(in: 0..<4, using: &rng) == 0 { piece += 1 }
                c.pieceOf.append(piece)
            }
            let v = (0..<Int.random(in: 1...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let aligner = RowAligner(
                numerals: "", syntax: syntax, locate: mapper.locate, signWords: mapper.signWords, comparable: ComparableLabels(count: 0))
            let a = aligner.lcs(v, bloom: RowAligner.bloom(of: v), c, &scratch)
            let b = Self.referenceLCS(v, c)
            XCTAssertTrue(a.0 == b.0 && a.1.bitPattern == b.1.bitPattern && a.2 == b.2, "\(v) \(c.chars)")
        }
    }
}
