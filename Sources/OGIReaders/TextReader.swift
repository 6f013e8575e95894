import Foundation
import OGIModel

/// Reads a plain-text draft (exported from Word or copied from a web page or PDF) into a `Report`.
/// Also the reader of last resort: any input no other reader claims is tried as text.
public struct TextReader: ReportReader {
    let ctx: ReaderContext
    let budget: ReadBudget

    /// Whether the tables are read from the tokens of their parts first (`tablesInParts`); off only in the tests
    /// that compare it with the reading of the whole text's tokens.
    var readsTablesInPartsFirst = true
    /// Counts, for the tests, the readings `tablesInParts` gave and those it left to `tablesInWholeText`.
    var tableReadingCounts: TableReadingCounts?

    public init(context: ReaderContext, budget: ReadBudget = ReadBudget()) { self.ctx = context; self.budget = budget }

    public var name: String { "text" }
    public var extensions: [String] { ["txt", "text", "md"] }
    public func claim(_ input: InputSniffer) -> ReaderClaim { .fallback }

    /// Reads a file from disk: decodes it, refuses it when it holds no text, then parses it.
    public func read(path: String, data: Data) throws -> Report {
        parse(lines: try decodedLines(path: path, data: data), path: path, sourceFormat: "text")
    }

    /// Reads only the metadata of a file: what `read(path:data:).metadata` gives, without mapping the tables.
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        parseMetadata(lines: try decodedLines(path: path, data: data), path: path, sourceFormat: "text")
    }

    /// The file's text in numbered lines; an error when it holds no text.
    func decodedLines(path: String, data: Data) throws -> [SourceLine] {
        try Self.lines(of: decodedText(path: path, data: data), path: path, budget: budget)
    }

    /// The file's text, decoded; an error when it holds no text.
    func decodedText(path: String, data: Data) throws -> String {
        let (text, _) = try TextDecoding.decode(data, path: path)
        if FastText.isBlank(text) { throw ReaderError.empty(path: path) }
        return text
    }

    /// Parses already-decoded text.
    public func parse(text: String, path: String) -> Report {
        parse(lines: Self.lines(of: text), path: path, sourceFormat: "text")
    }

    /// Splits text into numbered lines, refusing more lines than the budget allows (counted before any is built).
    static func lines(of text: String, path: String, budget: ReadBudget) throws -> [SourceLine] {
        lines(of: text, ranges: try lineRanges(of: text, path: path, budget: budget))
    }

    /// The byte ranges of the lines of `lines(of:path:budget:)`, refusing more lines than the budget allows.
    static func lineRanges(of text: String, path: String, budget: ReadBudget) throws -> [Range<Int>] {
        let ranges = text.withUTF8Bytes(lineRanges)
        try budget.check(ranges.count, budget.maxLines, path, "the text has \(ranges.count) lines", unit: "lines")
        return ranges
    }

    /// Splits text into numbered lines (1-based). A line ends at a line feed, a carriage return and line feed
    /// (Windows, and Word's plain-text export there) or a carriage return alone (Word's "CR only"); the last line
    /// ends at the end of the text, and an empty last line is not a line. Each line is a slice of the text's bytes
    /// cut at ASCII bytes, so at scalar boundaries: copied as it is, without decoding it again.
    public static func lines(of text: String) -> [SourceLine] {
        lines(of: text, ranges: text.withUTF8Bytes(lineRanges))
    }

    /// The byte ranges of the lines of `lines(of:)`. Without a carriage return in the text (the usual case) each
    /// line feed is found with `memchr`; otherwise the bytes are read one by one.
    static func lineRanges(_ buf: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        // Room for a line per 20 bytes (a report's lines are about 25 bytes on average), 65,536 at most: grown one
        // line at a time, the array was made anew about eight times per report.
        ranges.reserveCapacity(min(buf.count / 20 + 1, 65_536))
        var start = 0
        if let p = buf.baseAddress {
            let n = buf.count
            if memchr(p, 0x0D, n) == nil {
                var from = 0
                while from < n, let q = memchr(p + from, 0x0A, n - from) {
                    let i = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(q))
                    ranges.append(start..<i)
                    start = i + 1
                    from = i + 1
                }
            } else {
                var i = 0
                while i < n {
                    let c = buf[i]
                    if c == 0x0A || c == 0x0D {
                        ranges.append(start..<i)
                        i += c == 0x0D && i + 1 < n && buf[i + 1] == 0x0A ? 2 : 1
                        start = i
                    } else {
                        i += 1
                    }
                }
            }
        }
        ranges.append(start..<buf.count)
        if ranges.last?.isEmpty == true { ranges.removeLast() }
        return ranges
    }

    /// The lines of `text` at `ranges` (`lineRanges`), each copied from the text's bytes between its offsets (cut
    /// at ASCII bytes, so on scalar boundaries): the same bytes, without validating them as UTF-8 again.
    static func lines(of text: String, ranges: [Range<Int>]) -> [SourceLine] {
        text.withUTF8Bytes { buf in
            var out: [SourceLine] = []
            out.reserveCapacity(ranges.count)
            for (k, r) in ranges.enumerated() {
                out.append(SourceLine(number: k + 1, text: String(knownValidUTF8: UnsafeBufferPointer(rebasing: buf[r]))))
            }
            return out
        }
    }

    /// Parses numbered lines: text files, or the linearised text of a DOCX, HTML or PDF file.
    /// `locate` turns a line (and a field of a delimited line) into the location reported to the user.
    public func parse(
        lines input: [SourceLine], path: String, sourceFormat: String,
        locate: @escaping Locator = { line, _ in SourceLocation(line: line) }
    ) -> Report {
        let report = parseOnce(lines: input, path: path, sourceFormat: sourceFormat, locate: locate)
        // A report in traditional characters finds few headings and tables: read it again in simplified ones.
        guard report.parts.count < 3 && report.tables.count < 2 else { return report }
        guard let simplified = Self.simplified(input) else { return report }
        var second = parseOnce(lines: simplified, path: path, sourceFormat: sourceFormat, locate: locate)
        guard second.parts.count + second.tables.count > report.parts.count + report.tables.count else { return report }
        // Conversion is not one-to-one (覆 stays 覆 where the template prints 复): a label read through a slip
        // in converted text is the conversion's doing, not the agency's. The template's own nonstandard
        // variants are still reported.
        if let layout = second.metadata.template.flatMap({ ctx.templates.template($0) }) {
            for ti in second.tables.indices {
                guard let spec = layout.table(second.tables[ti].key) else { continue }
                for ri in second.tables[ti].rows.indices {
                    let row = second.tables[ti].rows[ri]
                    if let used = row.matchedVariant, !(spec.row(row.key)?.nonstandard.contains(used) ?? false) {
                        second.tables[ti].rows[ri].matchedVariant = nil
                    }
                }
            }
        }
        return second
    }

    /// The metadata `parse(lines:path:sourceFormat:locate:)` gives, without tokenising or mapping the tables.
    /// The metadata comes from the noise-free lines, the headings, the title, preamble and signature, and the
    /// template markers; the tables only matter when a second reading in simplified characters may replace
    /// the first (fewer than three parts found), and then the full reading is done.
    public func parseMetadata(
        lines input: [SourceLine], path: String, sourceFormat: String,
        locate: @escaping Locator = { line, _ in SourceLocation(line: line) }
    ) -> Metadata {
        let quick = parseOnce(lines: input, path: path, sourceFormat: sourceFormat, locate: locate, metadataOnly: true)
        guard quick.parts.count < 3 else { return quick.metadata }
        // The steps of `parse`, reading tables only where their number decides which reading is kept. A
        // reading's metadata and parts do not depend on its tables, so a metadata-only reading gives them.
        let first = parseOnce(lines: input, path: path, sourceFormat: sourceFormat, locate: locate)
        guard first.tables.count < 2, let simplified = Self.simplified(input) else { return first.metadata }
        let secondQuick = parseOnce(lines: simplified, path: path, sourceFormat: sourceFormat, locate: locate, metadataOnly: true)
        // More parts alone than the first reading's parts and tables: the second reading is kept whatever its tables.
        if secondQuick.parts.count > first.parts.count + first.tables.count { return secondQuick.metadata }
        let second = parseOnce(lines: simplified, path: path, sourceFormat: sourceFormat, locate: locate)
        return second.parts.count + second.tables.count > first.parts.count + first.tables.count ? second.metadata : first.metadata
    }

    /// The lines converted from traditional to simplified characters, or nil when no line changes.
    ///
    /// What ICU's Hant-Hans transform is makes two shortcuts exact: its rules are plain replacements
    /// (`key > value`, no context, anchor or filter), and every key is made of CJK characters (U+3000 and up)
    /// and a line feed in none.
    /// - A line in which no key of a rule that changes text occurs stays as it is (`SimplificationKeys`); such a
    ///   line is not given to ICU, and a text with no such line is not converted at all (most texts read a
    ///   second time are simplified already).
    /// - The other lines are converted in one call, joined with line feeds: no key matches across a line
    ///   feed, so each line converts as it would alone and the line feeds come out as they went in (checked:
    ///   with another count of lines, or a line feed inside a line, each line is converted alone).
    /// `TextFrontFastPathTests` compares both with converting every line alone.
    static func simplified(_ input: [SourceLine]) -> [SourceLine]? {
        let convertible = input.indices.filter { mayChangeWhenSimplified(input[$0].text) }
        if convertible.isEmpty { return nil }
        let texts = convertible.map { input[$0].text }
        let converted = simplifiedTogether(texts) ?? texts.map(simplifiedAlone)
        var out = input
        var changed = false
        for (k, i) in convertible.enumerated() where converted[k] != input[i].text {
            out[i] = SourceLine(number: input[i].number, text: converted[k])
            changed = true
        }
        return changed ? out : nil
    }

    /// The lowest scalar of any Hant-Hans rule key, with a margin (the lowest is U+3473 in ICU 76; the CJK
    /// radicals block starts here).
    static let firstConvertible: UInt32 = 0x2E80

    /// False when the Hant-Hans transform leaves the text as it is: no key of a rule that changes text occurs
    /// in it (`SimplificationKeys`). A text without a scalar from `firstConvertible` up holds no key at all.
    static func mayChangeWhenSimplified(_ s: String) -> Bool {
        // Such a scalar takes three or four UTF-8 bytes, whose lead byte is 0xE2 or above.
        guard s.utf8.contains(where: { $0 >= 0xE2 }) else { return false }
        #if os(Linux)
            // The keys are those of the ICU inside the Swift toolchain's Foundation, which a Linux build links
            // (`SimplificationKeysTests` fails when they differ).
            return SimplificationKeys.hantHans.occurs(in: s)
        #else
            // Elsewhere Foundation uses the system's ICU, whose rules may differ: every line with a scalar from
            // `firstConvertible` up is converted.
            return s.unicodeScalars.contains { $0.value >= firstConvertible }
        #endif
    }

    /// One line converted to simplified characters (unchanged when the transform fails). On Linux by the rules of
    /// the toolchain's ICU without ICU (`SimplificationKeys.simplified`, which converts as ICU does); elsewhere by
    /// the system's ICU, whose rules may differ.
    static func simplifiedAlone(_ s: String) -> String {
        #if os(Linux)
            return SimplificationKeys.hantHans.simplified(s)
        #else
            return s.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? s
        #endif
    }

    /// The lines converted in one call, joined with line feeds; nil when a line holds a line feed or the
    /// output does not split into as many lines. On Linux each line is converted by `simplifiedAlone`, which is the
    /// same (no key holds a line feed, so none spans two lines) without joining them.
    static func simplifiedTogether(_ texts: [String]) -> [String]? {
        if texts.contains(where: { $0.utf8.contains(0x0A) }) { return nil }
        #if os(Linux)
            return texts.map(simplifiedAlone)
        #else
            guard let all = texts.joined(separator: "\n").applyingTransform(StringTransform("Hant-Hans"), reverse: false) else {
                return nil
            }
            let pieces = all.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            guard pieces.count == texts.count else { return nil }
            return pieces.map { String(Substring($0)) }
        #endif
    }

    /// The input lines in `range` with their inline noise removed (`cleaned`: `removingInlineNoise` of every
    /// input line's text) and noise lines left out, numbered as in the input.
    func noiseFreeLines(_ input: [SourceLine], cleaned: [String], in range: Range<Int>) -> [SourceLine] {
        var lines: [SourceLine] = []
        lines.reserveCapacity(range.count)
        for i in range {
            let text = i < cleaned.count ? cleaned[i] : input[i].text
            if !text.isEmpty, isLineNoise(text) { continue }
            lines.append(SourceLine(number: input[i].number, text: text))
        }
        return lines
    }

    /// Per text: the slots of `ctx.noiseScreen` it has (the inline-noise patterns' required sets, then the
    /// line-noise patterns'), each text read once for both checks; nil when there is no such screen.
    func noiseSlots(_ texts: [String]) -> [UInt64]? {
        guard let screen = ctx.noiseScreen else { return nil }
        return texts.map { screen.presentSlots($0) }
    }

    /// `noiseSlots` of the lines' texts, read in place (not gathered into an array of texts).
    func noiseSlots(lines input: [SourceLine]) -> [UInt64]? {
        guard let screen = ctx.noiseScreen else { return nil }
        return input.map { screen.presentSlots($0.text) }
    }

    /// True when no inline-noise pattern can match the lines of a text whose UTF-8 is `b` (cut at line feeds and
    /// carriage returns, joined with line feeds), so removing the inline noise leaves them as they are: every pattern
    /// has a required set of ASCII bytes (`ReaderContext.inlineNoiseBytes`), none of which `b` holds, each looked
    /// for with `memchr` (a few instructions for many bytes, where reading the lines' noise slots costs several a byte).
    func inlineNoiseCannotMatch(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        for bytes in ctx.inlineNoiseBytes {
            guard let bytes else { return false }
            for byte in bytes where memchr(p, Int32(byte), b.count) != nil { return false }
        }
        return true
    }

    /// `removingInlineNoise(_:slots:)` of the lines' texts, nil when they come back unchanged; `slots` = `noiseSlots(lines:
    /// input)`. The texts are gathered into an array only when a pattern gets past the screen's test of the sets it
    /// requires in the joined lines (`RequiredScalarsScreen.joinedLinesHoldSets`, the first test its `mayMatch` of
    /// them makes) or a line holds a line break: otherwise no pattern may match, and they are unchanged.
    func removingInlineNoise(lines input: [SourceLine], slots: [UInt64]?) -> [String]? {
        removingInlineNoise(lineCount: input.count, slots: slots) { input }
    }

    /// `removingInlineNoise(lines:slots:)` of `lineCount` lines that `lines` gives, asked for only when the slots
    /// leave the answer open (the pairing reading makes a text's lines only as far as it reads them).
    func removingInlineNoise(lineCount: Int, slots: [UInt64]?, lines: () -> [SourceLine]) -> [String]? {
        guard let slots, let screen = ctx.noiseScreen, slots.count == lineCount else { return removingInlineNoise(lines().map(\.text)) }
        var present: UInt64 = 0
        for s in slots { present |= s }
        let hasBreaks = Self.hasLineBreak(present: present, screen: screen) { lines().contains { Self.hasLineBreakByte($0.text) } }
        if !hasBreaks,
            !ctx.inlineNoise.indices.contains(where: { screen.joinedLinesHoldSets($0, lineCount: lineCount, present: present) })
        {
            return nil
        }
        let (texts, unchanged) = removingInlineNoise(
            lines().map(\.text), slots: slots, present: present, screen: screen, hasBreaks: hasBreaks)
        return unchanged ? nil : texts
    }

    /// `removingInlineNoise(texts)`, with `slots` = `noiseSlots(texts)` standing in for a new reading of the
    /// texts by the inline-noise screen; `unchanged` is true when the texts come back as they are (so their
    /// slots still hold for `isLineNoise(_:present:)`).
    func removingInlineNoise(_ texts: [String], slots: [UInt64]?) -> (texts: [String], unchanged: Bool) {
        guard let slots, let screen = ctx.noiseScreen, slots.count == texts.count else { return (removingInlineNoise(texts), false) }
        var present: UInt64 = 0
        for s in slots { present |= s }
        let hasBreaks = Self.hasLineBreak(present: present, screen: screen) { texts.contains(where: Self.hasLineBreakByte) }
        return removingInlineNoise(texts, slots: slots, present: present, screen: screen, hasBreaks: hasBreaks)
    }

    /// Whether a text holds a line break, from `present` (the union of the texts' slots) when the screen marks line
    /// breaks, else by reading the texts (`read`).
    @inline(__always) static func hasLineBreak(present: UInt64, screen: RequiredScalarsScreen, orRead read: () -> Bool) -> Bool {
        screen.lineBreakMask != 0 ? present & screen.lineBreakMask != 0 : read()
    }

    /// `removingInlineNoise(_:slots:)` with the screen, `present` (the union of `slots`) and `hasBreaks`: whether a
    /// text holds a line break.
    private func removingInlineNoise(
        _ texts: [String], slots: [UInt64], present: UInt64, screen: RequiredScalarsScreen, hasBreaks: Bool
    ) -> (texts: [String], unchanged: Bool) {
        // Per pattern: whether the screen lets it match the joined lines (always, with line breaks in a line).
        var mayMatch = [Bool](filledWith: true, count: ctx.inlineNoise.count)
        if !hasBreaks {
            for k in mayMatch.indices { mayMatch[k] = screen.mayMatch(k, joinedLinesOf: texts, present: present, lineSlots: slots) }
            if !mayMatch.contains(true) { return (texts, true) }
        }
        // Patterns that `ScalarRegex` runs are first searched in the scalars of the joined lines, decoded line by
        // line without joining them into a text: a pattern that finds nothing there would leave the joined text as
        // it is. When every pattern the screen lets through finds nothing, the lines come back unchanged without a
        // joined text being made; at the first that finds something (or that ScalarRegex does not run, or whose
        // search runs out of steps), the removal goes on below from that pattern, as before.
        // The search of the pattern it stopped at is not made again below: its matches are removed from the joined
        // text as found, and a search that ran out of steps goes straight to NSRegularExpression.
        enum Stop {
            /// The pattern's matches, as scalar offsets into `values`: the scalars of the joined lines.
            case matches([Range<Int>], values: [UInt32])
            case outOfSteps
        }
        var searched = 0
        var stop: Stop?
        if !hasBreaks {
            var values: [UInt32]?
            while searched < ctx.inlineNoise.count {
                if !mayMatch[searched] { searched += 1; continue }
                let matcher = ctx.inlineNoise[searched].matcher
                guard let scalarRegex = matcher.scalarRegex else { break }
                // A pattern whose matches stay inside a line (`ScalarRegex.isLineLocal`) finds something in the
                // joined lines exactly when it finds something in one of them, and only in a line the screen lets
                // it match. Those lines alone, joined, are searched first (most texts the screen lets through hold no
                // match: a bracket before a letter, apart from any pinyin); when they hold one, or their search runs
                // out of steps, the search of all the joined lines below decides, as before. When every line is one of
                // them, that search is the only one.
                if scalarRegex.isLineLocal {
                    let candidates = texts.indices.filter { screen.mayMatch(searched, texts[$0], present: slots[$0]) }.map { texts[$0] }
                    if candidates.isEmpty { searched += 1; continue }
                    if candidates.count < texts.count, let ranges = matcher.scalarMatchRanges(in: Self.scalarsOfJoinedLines(candidates)),
                        ranges.isEmpty
                    {
                        searched += 1
                        continue
                    }
                }
                let scalars = values ?? Self.scalarsOfJoinedLines(texts)
                values = scalars
                guard let ranges = matcher.scalarMatchRanges(in: scalars) else { stop = .outOfSteps; break }
                if !ranges.isEmpty { stop = .matches(ranges, values: scalars); break }
                searched += 1
            }
            if searched == ctx.inlineNoise.count { return (texts, true) }
        }
        let original = texts.joined(separator: "\n")
        var joined = original
        // While no pattern has removed anything, the joined text is the one the screen read: a pattern it rules
        // out finds nothing and is not run, and one it lets through is run without its own reading of the
        // whole text for its required characters (`Pattern.mayMatch`), which only saves a search that would find
        // nothing. A removal only takes characters out (a match's line feeds are put back), so the text is
        // unchanged exactly when its length is.
        var untouched = true
        for (k, p) in ctx.inlineNoise.enumerated() where k >= searched {
            if untouched && !mayMatch[k] { continue }
            let before = joined.utf8.count
            if k == searched, let stop {
                // `joined` is still the text the search above read: its outcome stands.
                switch stop {
                case .matches(let ranges, let values): joined = Pattern.removing(ranges, ofScalars: values, from: joined)
                case .outOfSteps: joined = p.removingAllThroughFoundation(in: joined)
                }
            } else if untouched {
                joined = Pattern.removingAllKeepingNewlines(in: joined, matcher: p.matcher) ?? p.removingAllThroughFoundation(in: joined)
            } else {
                joined = p.removingAllKeepingNewlines(in: joined)
            }
            if joined.utf8.count != before { untouched = false }
        }
        if !hasBreaks && FastText.bytesEqual(joined, original) { return (texts, true) }
        return (Self.splitAtLineFeeds(joined), false)
    }

    /// `noiseFreeLines(input, cleaned:in:)` where the inline-noise removal gave every text back as it was
    /// (`cleaned` are the input's own texts), with `slots` (when given) their `noiseSlots`, so that the line-noise
    /// check does not read them again: the input lines in `range` themselves when none is a noise line (no line
    /// copied), else those that are not. `input` may be the first lines of those `slots` are of (the pairing reading
    /// makes a text's lines only as far as it reads them).
    func noiseFreeLines(unchanged input: [SourceLine], in range: Range<Int>, slots: [UInt64]?) -> ArraySlice<SourceLine> {
        let screened = slots != nil && ctx.noiseScreen != nil && slots!.count >= input.count
        // With every line-noise pattern's mask, a line whose slots hold none whole is passed over before its text is
        // read (`isLineNoise(_:present:)` would find each pattern's mask wanting).
        let masks = screened ? ctx.lineNoiseMasks : nil
        func isNoise(_ i: Int) -> Bool {
            if let masks {
                let present = slots![i]
                if !masks.contains(where: { present & $0 == $0 }) { return false }
            }
            let text = input[i].text
            if text.isEmpty { return false }
            return screened ? isLineNoise(text, present: slots![i]) : isLineNoise(text)
        }
        guard let first = range.first(where: isNoise) else { return input[range] }
        var lines: [SourceLine] = []
        lines.reserveCapacity(range.count - 1)
        lines.append(contentsOf: input[range.lowerBound..<first])
        for i in first + 1..<range.upperBound where !isNoise(i) { lines.append(input[i]) }
        return lines[...]
    }

    /// `isLineNoise(text)`, with `present` = `ctx.noiseScreen.presentSlots(text)` (the screen must exist). Inlined
    /// into the per-line loops that ask it (called, with the screen bound and its masks read anew for every line, it
    /// cost 0.4% of a batch).
    @inline(__always) func isLineNoise(_ text: String, present: UInt64) -> Bool {
        guard let screen = ctx.noiseScreen else { return isLineNoise(text) }
        let offset = ctx.inlineNoise.count
        for k in ctx.lineNoise.indices where screen.mayMatch(offset + k, text, present: present) {
            if ctx.lineNoise[k].matcher.firstMatch(in: text) != nil { return true }
        }
        return false
    }

    /// True when a line-noise pattern matches `text` (`ctx.lineNoise.contains { $0.matches(text) }`), the
    /// patterns' required characters read in one pass over the line (`RequiredScalarsScreen`).
    func isLineNoise(_ text: String) -> Bool {
        guard let screen = ctx.lineNoiseScreen else { return ctx.lineNoise.contains(where: { $0.matches(text) }) }
        let present = screen.presentSlots(text)
        for k in ctx.lineNoise.indices where screen.mayMatch(k, text, present: present) {
            if ctx.lineNoise[k].matcher.firstMatch(in: text) != nil { return true }
        }
        return false
    }

    /// True when an inline-noise pattern may match the lines joined with line feeds
    /// (`ctx.inlineNoise.contains { $0.mayMatch(joinedLinesOf: texts) }`), every line read once.
    func inlineNoiseMayMatch(joinedLinesOf texts: [String]) -> Bool {
        guard let screen = ctx.inlineNoiseScreen else { return ctx.inlineNoise.contains(where: { $0.mayMatch(joinedLinesOf: texts) }) }
        let slots = texts.map { screen.presentSlots($0) }
        var present: UInt64 = 0
        for s in slots { present |= s }
        return ctx.inlineNoise.indices.contains { screen.mayMatch($0, joinedLinesOf: texts, present: present, lineSlots: slots) }
    }

    /// One reading of the lines. With `metadataOnly`, the tables are neither tokenised nor mapped and the
    /// parts carry no paragraphs: only the metadata and the number of parts are meaningful.
    func parseOnce(
        lines input: [SourceLine], path: String, sourceFormat: String, locate: @escaping Locator, metadataOnly: Bool = false
    ) -> Report {
        // 1. Noise removed, original numbering kept. Inline patterns run once over the whole text.
        //    Each line is read once for the required characters of both kinds of noise (`noiseSlots`).
        let slots = noiseSlots(lines: input)
        var lines =
            if let cleaned = removingInlineNoise(lines: input, slots: slots) {
                noiseFreeLines(input, cleaned: cleaned, in: input.indices)
            } else {
                Array(noiseFreeLines(unchanged: input, in: input.indices, slots: slots))
            }

        // 2. Part headings, identified by their wording (by similarity), not their numeral. A heading run into
        //    the paragraph before it ("…。一、总体情况…") starts a line of its own.
        let matcher = ctx.headingMatcher
        lines = matcher.splittingRunInHeadings(lines)
        struct Heading { var spec: PartSpec; var lineIndex: Int; var heading: String; var rest: String; var standard: String? }
        var headings: [Heading] = []
        // Numbered headings first; a line that is only a heading's wording, for the parts still missing.
        var found = HeadingMatcher.Exclusion()
        // Per line: whether it is settled after the first pass (a heading, or a line that cannot become one
        // in the second; see `HeadingMatcher.mayMatchWithoutNumeral`).
        var settled = [Bool](filledWith: false, count: lines.count)
        for numbered in [true, false] {
            for (i, l) in lines.enumerated() where !settled[i] {
                guard let m = matcher.match(l.text, excluding: found, numbered: numbered) else {
                    if numbered && !matcher.mayMatchWithoutNumeral(l.text) { settled[i] = true }
                    continue
                }
                headings.append(Heading(spec: m.spec, lineIndex: i, heading: m.heading, rest: m.rest, standard: m.standardHeading))
                found.insert(m.part, key: m.spec.key)
                settled[i] = true
            }
            if headings.count == ctx.templates.profile.parts.count { break }
        }
        let ordered = headings.sorted { $0.lineIndex < $1.lineIndex }

        // 3. The line range of each part (after its heading, up to the next heading).
        var partLineRanges: [String: Range<Int>] = [:]
        for (k, h) in ordered.enumerated() {
            let endLine = k + 1 < ordered.count ? ordered[k + 1].lineIndex : lines.count
            partLineRanges[h.spec.key] = (h.lineIndex + 1)..<endLine
        }

        // 4. Metadata from the title, preamble and signature.
        var meta = Metadata()
        let firstHeading = ordered.first?.lineIndex ?? lines.count
        // The preamble and the period's lines read in place (not copied).
        let preambleLines = lines[0..<firstHeading]
        extractTitle(preambleLines.isEmpty ? lines.prefix(5) : preambleLines, locate: locate, into: &meta)
        let preambleYear = meta.title == nil ? extractAgencyFromPreamble(preambleLines, into: &meta) : nil
        extractPeriod(lines[0..<min(lines.count, max(firstHeading, 0) + 40)], locate: locate, into: &meta)
        extractPublished(lines, locate: locate, into: &meta)
        meta.year = meta.titleYear ?? meta.periodEnd?.year ?? meta.periodStart?.year ?? preambleYear
        if meta.year == nil {
            for l in preambleLines where Self.hasDigit(l.text) {
                if let y = ctx.yearPattern.firstGroups(l.text, names: ["y"])?.groups["y"].flatMap({ Int($0) }) { meta.year = y; break }
            }
        }
        if let a = meta.agency, let kind = ctx.agencyKind(forName: a) {
            meta.agencyKind = kind
            meta.agencyKindSource = "name"
        }

        // 5. Template generation from the labels present, then the tables placed onto it.
        // The lines of the parts that hold tables, read in place (not copied into one array).
        let tableScope: FlattenSequence<[ArraySlice<SourceLine>]> = {
            let rs = ctx.tablePartKeys.compactMap { partLineRanges[$0] }
            if rs.isEmpty { return [lines[...]].joined() }
            return rs.sorted { $0.lowerBound < $1.lowerBound }.map { lines[$0] }.joined()
        }()
        let scopeText = LabelText.normalizedJoined(tableScope)
        // Templates by index, read in place: a `Template` copied out of the array (each loop element, an optional
        // layout) was destroyed through its optional's generic value witness, about 3 K instructions a copy.
        let templates = ctx.templates.templates
        var best: (index: Int, hits: [String])?
        var tie = false
        for ti in templates.indices {
            let markers = ctx.normalizedMarkers[ti]
            var hits: [String] = []
            for (k, marker) in markers.enumerated() where FastText.contains(scopeText, marker) { hits.append(templates[ti].markers[k]) }
            guard !hits.isEmpty else { continue }
            if let b = best {
                if hits.count > b.hits.count { best = (ti, hits); tie = false } else if hits.count == b.hits.count { tie = true }
            } else {
                best = (ti, hits)
            }
        }
        if let b = best, !tie {
            meta.template = templates[b.index].id
            meta.templateEvidence = b.hits
        }
        var years: [Int] = []
        if let typ = ctx.tableYearPattern {
            let screen = ctx.tableYearScreen
            for l in tableScope where Self.hasDigit(l.text) {
                // A line the screen refuses holds no match (the screen never refuses one a search would match in).
                if let screen, !screen.mayMatch(pairsIn: l.text) { continue }
                if let y = typ.firstGroups(l.text, names: ["y"])?.groups["y"].flatMap({ Int($0) }), !years.contains(y) { years.append(y) }
            }
        }
        meta.tableYears = years.isEmpty ? nil : years
        if metadataOnly {
            let parts = ordered.map {
                Part(
                    number: $0.spec.number, key: $0.spec.key, heading: $0.heading, location: SourceLocation(), paragraphs: [],
                    standardHeading: $0.standard)
            }
            return Report(path: path, sourceFormat: sourceFormat, metadata: meta, parts: parts)
        }

        let layoutIndex =
            ctx.templates.layoutIndex(template: meta.template, year: meta.year) ?? (templates.isEmpty ? nil : templates.count - 1)
        var tables: [Table] = []
        var consumed: [ClosedRange<Int>] = []
        var notes: [ExtractionNote] = []
        if let layoutIndex {
            var mapper = ctx.mapper
            mapper.locate = locate
            let headings = ordered.map { (key: $0.spec.key, lineIndex: $0.lineIndex) }
            let inParts =
                readsTablesInPartsFirst
                ? tablesInParts(
                    lines, headings, partLineRanges, templates[layoutIndex], mapper, path,
                    tableParts: ctx.tablePartKeysByTemplate[layoutIndex])
                : nil
            var mapping: TableMapper.TableMapping
            if let inParts, inParts.mapping.unreadFrom == nil {
                mapping = inParts.mapping
            } else {
                mapping = tablesInWholeText(lines, headings, templates[layoutIndex], mapper, path, continuing: inParts)
            }
            tableReadingCounts?.count(inParts.map { $0.mapping.unreadFrom == nil ? .inParts : .continued } ?? .inWholeText)
            (tables, consumed, notes) = (mapping.tables, mapping.consumed, mapping.notes)
        }

        // 6. Paragraphs: preamble and part prose, leaving out lines that tables consumed.
        func isConsumed(_ line: Int) -> Bool { consumed.contains { $0.contains(line) } }
        // A line of PDF text wrapped inside a sentence (long, no closing punctuation) continues on the next line.
        func paragraphs(_ ls: ArraySlice<SourceLine>) -> [Paragraph] {
            var out: [Paragraph] = []
            var open = false
            for l in ls {
                // A line a table took is passed over before it is trimmed (most lines of the table parts).
                if isConsumed(l.number) { open = false; continue }
                let t = FastText.trimmed(l.text)
                if t.isEmpty { open = false; continue }
                if open, let last = out.last {
                    out[out.count - 1] = Paragraph(text: last.text + t, location: last.location)
                } else {
                    out.append(Paragraph(text: t, location: locate(l.number, nil)))
                }
                let wrapped = TextScan.isWrappedLine(t)
                open = wrapped && sourceFormat != "docx" && sourceFormat != "html"
            }
            return out
        }
        var parts: [Part] = []
        for h in ordered {
            var paras = paragraphs(lines[partLineRanges[h.spec.key]!])
            if !ScalarTrim.whitespaces(h.rest).isEmpty {
                paras.insert(Paragraph(text: h.rest, location: locate(lines[h.lineIndex].number, nil)), at: 0)
            }
            parts.append(
                Part(
                    number: h.spec.number, key: h.spec.key, heading: h.heading,
                    location: locate(lines[h.lineIndex].number, nil), paragraphs: paras, standardHeading: h.standard))
        }
        return Report(
            path: path, sourceFormat: sourceFormat, metadata: meta,
            preamble: paragraphs(lines[0..<firstHeading]), parts: parts, tables: tables, extractionNotes: notes)
    }

    /// The tokens of the lines of the parts that hold a layout's tables, and how far they read the tables
    /// (`tablesInParts`).
    struct PartsReading {
        var mapping: TableMapper.TableMapping
        var tokens: [CellToken]
        /// The parts' line ranges (in line order), and the range of each one's tokens in `tokens`.
        var lineRanges: [Range<Int>]
        var tokenRanges: [Range<Int>]
    }

    /// The tables of `layout` read from the tokens of all the lines, each part's token range found from its
    /// heading's line index (`headings`, in line order). `continuing`: a reading from the parts' tokens that
    /// stopped (`tablesInParts`): its tables are kept, the reading goes on from the table it stopped at, and its
    /// tokens are not made again (the other lines' tokens are made and the parts' put between them: a line's tokens
    /// depend on that line alone).
    func tablesInWholeText(
        _ lines: [SourceLine], _ headings: [(key: String, lineIndex: Int)], _ layout: Template, _ mapper: TableMapper, _ path: String,
        continuing: PartsReading? = nil
    ) -> TableMapper.TableMapping {
        let cells = ctx.templates.profile.cells, filter = ctx.mapper.valueScalars
        let tokens: [CellToken]
        if let parts = continuing {
            var others: [ArraySlice<SourceLine>] = []
            var next = 0
            for r in parts.lineRanges {
                others.append(lines[next..<r.lowerBound])
                next = r.upperBound
            }
            others.append(lines[next...])
            let (otherTokens, otherRanges) = CellTokenizer.tokens(of: others, syntax: cells, filter: filter)
            var all: [CellToken] = []
            all.reserveCapacity(otherTokens.count + parts.tokens.count)
            for i in parts.lineRanges.indices {
                all += otherTokens[otherRanges[i]]
                all += parts.tokens[parts.tokenRanges[i]]
            }
            all += otherTokens[otherRanges[otherRanges.count - 1]]
            tokens = all
        } else {
            tokens = CellTokenizer.tokens(of: lines, syntax: cells, filter: filter)
        }
        // The first token of each line, in an array indexed by line number (from the smallest), not a
        // dictionary: every token's line is the number of one of `lines`.
        let lowestNumber = lines.map { $0.number }.min() ?? 0
        let numberSpan = (lines.map { $0.number }.max() ?? lowestNumber) - lowestNumber + 1
        var tokenStartOfLine = [Int](filledWith: -1, count: lines.isEmpty ? 0 : numberSpan)
        for i in tokens.indices {
            let slot = tokens[i].line - lowestNumber
            if slot >= 0, slot < tokenStartOfLine.count, tokenStartOfLine[slot] < 0 { tokenStartOfLine[slot] = i }
        }
        func tokenIndex(atOrAfterLineIndex li: Int) -> Int {
            var j = li
            while j < lines.count {
                let slot = lines[j].number - lowestNumber
                if tokenStartOfLine[slot] >= 0 { return tokenStartOfLine[slot] }
                j += 1
            }
            return tokens.count
        }
        var partRanges: [String: Range<Int>] = [:]
        for (k, h) in headings.enumerated() {
            let endLine = k + 1 < headings.count ? headings[k + 1].lineIndex : lines.count
            let a = tokenIndex(atOrAfterLineIndex: h.lineIndex + 1)
            let b = tokenIndex(atOrAfterLineIndex: endLine)
            partRanges[h.key] = a..<max(a, b)
        }
        return mapper.mapTables(
            tokens: tokens, template: layout, partRanges: partRanges, file: path, partsOnly: false, continuing: continuing?.mapping)
    }

    /// `tablesInWholeText`'s tables read from the tokens of the parts that hold `layout`'s tables alone (most of a
    /// report's prose is in the other parts and the preamble, whose lines are then not tokenised), as far as that
    /// reading is the same (`TableMapper.mapTables(…partsOnly:)`: it stops at a table it would look for beyond its
    /// part). Nil when two lines share a number or numbers do not increase (a heading split from the line it was
    /// run into): `tablesInWholeText` finds a part's tokens by the number of its first line, which then may start in
    /// the line before. With increasing numbers, the whole text's range of a part is the tokens of the part's
    /// lines, those `CellTokenizer` gives for them alone. `tableParts`: the keys of the parts holding `layout`'s
    /// tables (`ReaderContext.tablePartKeysByTemplate`).
    func tablesInParts(
        _ lines: [SourceLine], _ headings: [(key: String, lineIndex: Int)], _ partLineRanges: [String: Range<Int>],
        _ layout: Template, _ mapper: TableMapper, _ path: String, tableParts: Set<String>
    ) -> PartsReading? {
        for i in lines.indices.dropFirst() where lines[i].number <= lines[i - 1].number { return nil }
        var keys: [String] = []
        var lineRanges: [Range<Int>] = []
        for h in headings where tableParts.contains(h.key) {
            guard let r = partLineRanges[h.key] else { continue }
            keys.append(h.key)
            lineRanges.append(r)
        }
        let (tokens, ranges) = CellTokenizer.tokens(
            of: lineRanges.map { lines[$0] }, syntax: ctx.templates.profile.cells, filter: ctx.mapper.valueScalars)
        var partRanges: [String: Range<Int>] = [:]
        for (key, range) in zip(keys, ranges) { partRanges[key] = range }
        let mapping = mapper.mapTables(tokens: tokens, template: layout, partRanges: partRanges, file: path, partsOnly: true)
        return PartsReading(mapping: mapping, tokens: tokens, lineRanges: lineRanges, tokenRanges: ranges)
    }

    /// The scalar values of `texts.joined(separator: "\n")` (`UTF8Scan.scalarValues`), decoded line by line.
    static func scalarsOfJoinedLines(_ texts: [String]) -> [UInt32] {
        var count = max(texts.count - 1, 0)
        for t in texts { count += t.utf8.count }
        return [UInt32](unsafeUninitializedCapacity: count) { out, made in
            made = 0
            for (i, t) in texts.enumerated() {
                if i > 0 {
                    out[made] = 0x0A
                    made += 1
                }
                t.withUTF8Bytes { b in
                    var at = 0
                    while at < b.count {
                        let (value, length) = UTF8Scan.scalar(b, at)
                        out[made] = value
                        made += 1
                        at += length
                    }
                }
            }
        }
    }

    /// The lines with the profile's inline noise removed, as if removed from the whole text joined with line
    /// feeds and split again (a line break inside a match is kept, so line numbers do not move).
    func removingInlineNoise(_ texts: [String]) -> [String] {
        // Lines without line breaks in them that no inline pattern can match come out of the join, removal
        // and split unchanged: skip those steps. A line feed is a character of its own (never joined to a
        // neighbour), so splitting the joined lines at it gives them back when nothing was removed.
        let hasBreaks = texts.contains(where: Self.hasLineBreakByte)
        if !hasBreaks, !inlineNoiseMayMatch(joinedLinesOf: texts) { return texts }
        let original = texts.joined(separator: "\n")
        var joined = original
        for p in ctx.inlineNoise { joined = p.removingAllKeepingNewlines(in: joined) }
        if !hasBreaks && FastText.bytesEqual(joined, original) { return texts }
        return Self.splitAtLineFeeds(joined)
    }

    /// `s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)`, read on the UTF-8 bytes:
    /// the split compares characters (grapheme clusters), and a line feed is a character of its own except right
    /// after a carriage return, where the two are one character ("\r\n") that is not "\n". So the text is cut at
    /// every line feed byte not preceded by a carriage return byte, found with `memchr`; each piece, cut at ASCII
    /// bytes of a valid string, is copied without validating it again (as `lines(of:ranges:)`). Comparing characters
    /// cost about a twentieth of a corpus batch's reading of a report with noise removed.
    static func splitAtLineFeeds(_ s: String) -> [String] {
        s.withUTF8Bytes { b -> [String] in
            guard let base = b.baseAddress else { return [""] }
            var pieces: [String] = []
            var start = 0, from = 0
            let n = b.count
            while from < n, let hit = memchr(base + from, 0x0A, n - from) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                from = at + 1
                if at > 0 && base[at - 1] == 0x0D { continue }
                pieces.append(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[start..<at])))
                start = at + 1
            }
            pieces.append(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[start..<n])))
            return pieces
        }
    }

    /// True when the text holds a line feed or a carriage return byte (each a scalar of its own in UTF-8):
    /// `firstByteOffset(of: "\n") != nil || firstByteOffset(of: "\r") != nil`, both bytes looked for with
    /// `memchr` in one access to the text's bytes.
    static func hasLineBreakByte(_ s: String) -> Bool {
        return s.withUTF8Bytes { b in
            guard let p = b.baseAddress, b.count > 0 else { return false }
            return memchr(p, 0x0A, b.count) != nil || memchr(p, 0x0D, b.count) != nil
        }
    }

    /// True when the text has an ASCII digit. Year and date patterns capture digits that must parse as
    /// integers, so a line without one cannot give a year or a date and needs no regular expression.
    /// Read on the UTF-8 bytes through a pointer, eight bytes a word (`wordHasDigit`), the last few one by one.
    /// `ReadSpeedTests` compares it with `hasDigitByBytes`.
    static func hasDigit(_ s: String) -> Bool {
        return s.withUTF8Bytes { b in
            guard let p = b.baseAddress else { return false }
            let n = b.count
            var i = 0
            while i + 8 <= n {
                if wordHasDigit(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) { return true }
                i += 8
            }
            while i < n {
                if p[i] >= 0x30 && p[i] <= 0x39 { return true }
                i += 1
            }
            return false
        }
    }

    /// True when a byte of `w` is an ASCII digit (0x30...0x39). Per byte x, with the high bit cleared first
    /// (y = x & 0x7F, so no addition below carries into the next byte): y + 0x50 has its high bit set when
    /// y >= 0x30, and y + 0x46 has it set when y >= 0x3A; a digit is a byte whose high bit was clear, with the
    /// first set and the second clear.
    @inline(__always) static func wordHasDigit(_ w: UInt64) -> Bool {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high: UInt64 = 0x8080_8080_8080_8080
        let y = w & low
        let atLeast30 = y &+ 0x5050_5050_5050_5050
        let atLeast3A = y &+ 0x4646_4646_4646_4646
        return (atLeast30 & ~atLeast3A & ~w & high) != 0
    }

    /// `s.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }`: the reading `hasDigit` stands in for.
    static func hasDigitByBytes(_ s: String) -> Bool { s.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }

    func extractTitle(_ lines: ArraySlice<SourceLine>, locate: Locator, into meta: inout Metadata) {
        let words = ctx.templates.profile.titleWords
        let content = lines.prefix(40).filter { !FastText.isBlank($0.text) }.prefix(12)
        // A title run into the following sentence (PDF text) is cut after the title word.
        func titlePart(_ text: String) -> String? {
            let t = TextScan.trimmingTitleMarks(text)
            guard let w = words.compactMap({ TextScan.firstRange(of: $0, in: t) }).min(by: { $0.lowerBound < $1.lowerBound }) else {
                return nil
            }
            let cut = String(t[..<w.upperBound])
            if TextScan.hasLetterOrSentenceMark(cut) { return nil }
            return cut
        }
        // The first line with a title part, read once.
        var found: (index: Int, line: String)?
        for i in content.indices {
            if let part = titlePart(content[i].text) { found = (i, part); break }
        }
        guard let (idx, line) = found else { return }
        var title = line
        var prefixLine: String?
        /// The year pattern's match in the normalised line, when it was asked for it (the title's own when the title
        /// is that line).
        var lineYear: (normalized: String, match: (groups: GroupTextMap, range: Range<String.Index>)?)?
        if idx > content.startIndex {
            let prev = TextScan.trimmingTitleMarks(content[content.index(before: idx)].text)
            let isShort = TextScan.mayLeadTitle(prev)
            let normLine = LabelText.normalize(line)
            if isShort {
                let m = ctx.yearPattern.firstGroups(normLine, names: ["y"])
                lineYear = (normLine, m)
                if m?.range.lowerBound == normLine.startIndex || normLine.count <= 6 {
                    prefixLine = prev
                    title = prev + line
                }
            }
        }
        meta.title = title
        meta.titleLocation = locate(content[idx].number, nil)
        let nt: String
        let titleYear: (groups: GroupTextMap, range: Range<String.Index>)?
        if prefixLine == nil, let lineYear {
            // The title is the line, already normalised and matched.
            (nt, titleYear) = (lineYear.normalized, lineYear.match)
        } else {
            nt = LabelText.normalize(title)
            titleYear = ctx.yearPattern.firstGroups(nt, names: ["y"])
        }
        guard let ym = titleYear else {
            meta.agency = prefixLine
            return
        }
        meta.titleYear = ym.groups["y"].flatMap { Int($0) }
        var before = String(nt[..<ym.range.lowerBound])
        if let p = prefixLine, LabelText.normalize(p) == before { before = p }
        for lead in ctx.templates.profile.titleLeads where FastText.hasPrefix(before, lead) { before.removeFirst(lead.count) }
        if !before.isEmpty { meta.agency = before; return }
        var after = String(nt[ym.range.upperBound...])
        for lead in ctx.templates.profile.titleYearSuffixes where FastText.hasPrefix(after, lead) { after.removeFirst(lead.count) }
        for tail in ctx.templates.profile.titleTails {
            if let r = after.range(of: LabelText.normalize(tail)) { after = String(after[..<r.lowerBound]); break }
        }
        meta.agency = after.isEmpty ? nil : after
    }

    /// Without a title, the agency and year named in a preamble sentence that names the report
    /// ("现发布某省教育厅2021年政府信息公开工作年度报告。").
    /// Returns the year of that sentence.
    func extractAgencyFromPreamble(_ lines: ArraySlice<SourceLine>, into meta: inout Metadata) -> Int? {
        let profile = ctx.templates.profile
        for l in lines.prefix(40) {
            let t = l.text
            guard let w = profile.titleWords.compactMap({ TextScan.firstRange(of: $0, in: t) }).min(by: { $0.lowerBound < $1.lowerBound })
            else { continue }
            // The clause that ends with the title word: from the last punctuation before it.
            let upTo = t[..<w.upperBound]
            let start = upTo.lastIndex(where: { "，。；：,;:（(《“\"、".contains($0) }).map { upTo.index(after: $0) } ?? upTo.startIndex
            var clause = LabelText.normalize(String(upTo[start...]))
            for lead in profile.titleLeads where FastText.hasPrefix(clause, lead) { clause.removeFirst(lead.count) }
            guard let ym = ctx.yearPattern.firstGroups(clause, names: ["y"]) else { continue }
            let agency = String(clause[..<ym.range.lowerBound])
            guard !agency.isEmpty, agency.count <= 40 else { continue }
            meta.agency = agency
            return ym.groups["y"].flatMap { Int($0) }
        }
        return nil
    }

    func extractPeriod(_ lines: ArraySlice<SourceLine>, locate: Locator, into meta: inout Metadata) {
        let names = ["y1", "m1", "d1", "y2", "m2", "d2"]
        for l in lines where Self.hasDigit(l.text) {
            for p in ctx.periodPatterns {
                guard let g = p.firstGroups(l.text, names: names)?.groups,
                    let y1 = g["y1"].flatMap({ Int($0) }), let m1 = g["m1"].flatMap({ Int($0) }), let d1 = g["d1"].flatMap({ Int($0) }),
                    let m2 = g["m2"].flatMap({ Int($0) }), let d2 = g["d2"].flatMap({ Int($0) })
                else { continue }
                let y2 = g["y2"].flatMap { Int($0) } ?? y1
                meta.periodStart = CalendarDate(year: y1, month: m1, day: d1)
                meta.periodEnd = CalendarDate(year: y2, month: m2, day: d2)
                meta.periodLocation = locate(l.number, nil)
                return
            }
        }
    }

    func extractPublished(_ lines: [SourceLine], locate: Locator, into meta: inout Metadata) {
        for p in ctx.publishedPatterns {
            // A date is written with digits: a line without any cannot hold one, and needs no regex.
            for l in lines.reversed() where Self.hasDigit(l.text) {
                guard let g = p.firstGroups(l.text, names: ["y", "m", "d"])?.groups,
                    let y = g["y"].flatMap({ Int($0) }), let m = g["m"].flatMap({ Int($0) }), let d = g["d"].flatMap({ Int($0) })
                else { continue }
                let date = CalendarDate(year: y, month: m, day: d)
                guard date.isValid else { continue }
                meta.published = date
                meta.publishedLocation = locate(l.number, nil)
                return
            }
        }
    }
}

/// Scans that replace Foundation calls on the text reader's hot paths (`trimmingCharacters(in:)` and
/// `range(of:)` go through NSString and cost tens of thousands of instructions a call). Each gives exactly
/// what the Foundation call gives; `ReadFastPathTests` compares them.
enum TextScan {
    /// The marks trimmed around a title line: `#`, space, tab and the ideographic space.
    static func isTitleMark(_ u: Unicode.Scalar) -> Bool { u == "#" || u == " " || u == "\t" || u == "\u{3000}" }

    /// `s.trimmingCharacters(in: CharacterSet(charactersIn: "# \t\u{3000}"))`. Foundation trims UTF-16 units
    /// of the set from both ends; the set holds only scalars of the Basic Multilingual Plane, so trimming
    /// scalars gives the same text.
    static func trimmingTitleMarks(_ s: String) -> String { ScalarTrim.trim(s, isTitleMark) }

    /// The marks that tell a sentence from a title.
    static let sentenceMarks = "。，,；《》"
    static let sentenceMarkScalars = ScalarSet(sentenceMarks.unicodeScalars)

    /// The marks a line in front of a title cannot hold (`mayLeadTitle`).
    static let titleLeadMarks = "。，,:："
    static let titleLeadMarkScalars = ScalarSet(titleLeadMarks.unicodeScalars)

    /// `s.count <= 30 && !s.contains(where: { titleLeadMarks.contains($0) }) && !s.contains(where: { $0.isASCII &&
    /// $0.isLetter })`: a line short enough, without a clause mark or a Latin letter, to be the first line of a title
    /// written on two lines. Read scalar by scalar when every scalar is plain (`FastText.isPlainScalar`: each its
    /// own character, equal only to itself, and an ASCII letter exactly when it is `isASCII && isLetter`); else
    /// through the characters. `FastEqualityTests` compares the two.
    static func mayLeadTitle(_ s: String) -> Bool {
        guard FastText.isAllPlain(s) else { return mayLeadTitleOnCharacters(s) }
        var count = 0
        for u in s.unicodeScalars {
            count += 1
            if count > 30 || ("a"..."z").contains(u) || ("A"..."Z").contains(u) || titleLeadMarkScalars.contains(u) { return false }
        }
        return true
    }

    /// `mayLeadTitle` read through the characters (the reference).
    static func mayLeadTitleOnCharacters(_ s: String) -> Bool {
        s.count <= 30 && !s.contains(where: { titleLeadMarks.contains($0) }) && !s.contains(where: { $0.isASCII && $0.isLetter })
    }

    /// `s.contains(where: { ($0.isASCII && $0.isLetter) || sentenceMarks.contains($0) })`, read scalar by
    /// scalar when every scalar is plain (`FastText.isPlainScalar`: each its own character, so a character
    /// is an ASCII letter or one of the marks exactly when its scalar is).
    static func hasLetterOrSentenceMark(_ s: String) -> Bool {
        guard FastText.isAllPlain(s) else {
            return s.contains(where: { ($0.isASCII && $0.isLetter) || sentenceMarks.contains($0) })
        }
        return s.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || sentenceMarkScalars.contains($0) }
    }

    /// The marks that close a sentence or a clause at the end of a line (a line ending in one is not wrapped).
    static let lineClosers = "。；：！？:;!?）)」”"
    static let lineCloserScalars = ScalarSet(lineClosers.unicodeScalars)

    /// True when a non-empty paragraph line looks wrapped inside a sentence: 30 characters or more, no
    /// closing mark at its end, no tab. Read scalar by scalar when every scalar is plain
    /// (`FastText.isPlainScalar`: each its own character, so the scalars count the characters, the last
    /// scalar is the last character, and there is no tab, which is not plain); otherwise by characters
    /// (`isWrappedLineByCharacters`).
    ///
    /// The scalars are decoded from the UTF-8 bytes in place, as `FastText.isAllPlain` reads them: a plain scalar is
    /// printable ASCII or three bytes long, so any other lead byte ends the scalar reading.
    ///
    /// A line whose last two scalars are plain and whose last is a closing mark (most prose lines, ended by 。) is
    /// answered from its end alone: its last character is that mark (a plain scalar after a plain one is a character
    /// of its own), so it is not wrapped whatever its length.
    static func isWrappedLine(_ t: String) -> Bool {
        let plain = t.withUTF8Bytes { b -> (count: Int, last: UInt32)? in
            if let last = Self.lastScalar(b, before: b.count), FastText.isPlainValue(last.value),
                lineCloserScalars.contains(Unicode.Scalar(last.value)!),
                last.start == 0 || Self.lastScalar(b, before: last.start).map({ FastText.isPlainValue($0.value) }) == true
            {
                return (0, last.value)
            }
            var i = 0, count = 0
            var last: UInt32 = 0x20
            while i < b.count {
                let c = b[i]
                if c < 0x80 {
                    guard FastText.isPlainValue(UInt32(c)) else { return nil }
                    last = UInt32(c)
                    i &+= 1
                } else {
                    // A Swift string is valid UTF-8: a lead byte E0...EF has two continuation bytes after it.
                    guard c & 0xF0 == 0xE0 else { return nil }
                    let v = UInt32(c & 0x0F) << 12 | UInt32(b[i &+ 1] & 0x3F) << 6 | UInt32(b[i &+ 2] & 0x3F)
                    guard FastText.isPlainValue(v) else { return nil }
                    last = v
                    i &+= 3
                }
                count &+= 1
            }
            return (count, last)
        }
        guard let plain else { return isWrappedLineByCharacters(t) }
        return plain.count >= 30 && !lineCloserScalars.contains(Unicode.Scalar(plain.last)!)
    }

    /// The scalar of the valid UTF-8 `b` that ends at byte `end`, and where it starts; nil at the start.
    @inline(__always) static func lastScalar(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> (value: UInt32, start: Int)? {
        guard end > 0 else { return nil }
        var k = end - 1
        while b[k] & 0xC0 == 0x80 { k -= 1 }
        return (UTF8Scan.scalar(b, k).value, k)
    }

    /// `isWrappedLine` comparing characters: the general reading. A tab is a character of its own (a control
    /// character is never joined to a neighbour), so the text holds one when it holds a tab byte (Foundation's
    /// `contains("\t")` searched it through NSString).
    static func isWrappedLineByCharacters(_ t: String) -> Bool {
        t.count >= 30 && !lineClosers.contains(t.last!) && !FastText.containsByte(t, 9)
    }

    /// Scalars that in Foundation's comparison of composed character sequences can be no part of a match of a
    /// plain text (`FastText.isPlainScalar`) and stand apart from their neighbours: the middle dot, the letters of
    /// Latin-1 and Latin Extended-A, the pinyin letters with tone marks, and the CJK and Kangxi radicals (which a
    /// PDF's text often holds in place of ideographs). None is a combining mark or joins a neighbour, and none is
    /// canonically equivalent to a plain text (a precomposed letter decomposes into a letter and a combining mark,
    /// a radical only by compatibility). `ReadFastPathTests` compares `firstRange` with Foundation for each.
    static func isInert(_ v: UInt32) -> Bool {
        switch v {
        case 0xB7, 0xC0...0x17F, 0x1CD...0x1DC, 0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5: return true
        default: return false
        }
    }

    /// True when every scalar of `s` is plain (`FastText.isPlainScalar`) or inert (`isInert`): a plain text's
    /// matches in it are then exactly its byte matches, inside its runs of plain scalars.
    static func isPlainOrInert(_ s: String) -> Bool {
        if FastText.isAllPlain(s) { return true }
        return s.unicodeScalars.allSatisfy { FastText.isPlainScalar($0) || isInert($0.value) }
    }

    /// `s.range(of: word)` (Foundation). When both texts are made of plain scalars (`FastText.isPlainScalar`:
    /// each its own character, with no canonical decomposition), Foundation's comparison of composed
    /// character sequences is a comparison of scalars, and the first match is the first byte match.
    /// Otherwise Foundation is asked.
    static func firstRange(of word: String, in s: String) -> Range<String.Index>? {
        guard !word.isEmpty, FastText.isAllPlain(word), isPlainOrInert(s)
        else { return s.range(of: word) }
        guard let offset = FastText.firstByteOffset(of: word, in: s) else { return nil }
        let u = s.utf8
        let lower = u.index(u.startIndex, offsetBy: offset)
        return lower..<u.index(lower, offsetBy: word.utf8.count)
    }
}

/// How many readings of tables were done from the parts' tokens alone (`TextReader.tablesInParts`), begun there
/// and continued with the whole text's, and done with the whole text's only (for tests).
final class TableReadingCounts: @unchecked Sendable {
    enum Reading { case inParts, continued, inWholeText }
    private let lock = NSLock()
    private(set) var inParts = 0
    private(set) var continued = 0
    private(set) var inWholeText = 0

    func count(_ reading: Reading) {
        lock.lock()
        defer { lock.unlock() }
        switch reading {
        case .inParts: inParts += 1
        case .continued: continued += 1
        case .inWholeText: inWholeText += 1
        }
    }
}
