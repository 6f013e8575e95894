import Foundation
import OGIModel

// The reading a batch does of every input before checking it, to pair each report with last year's: only the
// agency and year (`PreviousPairing.key`), which `readMetadata` gives along with much more. Each function here
// gives exactly the agency and year of its `readMetadata` counterpart; `PairingKeyFastPathTests` compares them
// over the samples, their renderings, the corpus and generated variants.

/// How much of an input a reader reads.
public enum ReadDepth: Sendable {
    /// The whole report.
    case report
    /// The metadata only (`ReportReader.readMetadata`).
    case metadata
    /// The agency and year only (`ReportReader.readPairingMetadata`).
    case pairing
}

extension ReportReader {
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        let full = try readMetadata(path: path, data: data)
        return Metadata.pairingFields(agency: full.agency, year: full.year)
    }
}

extension Metadata {
    /// Metadata that holds an agency and a year and nothing else: what a pairing reading gives.
    static func pairingFields(agency: String?, year: Int?) -> Metadata {
        var m = Metadata()
        m.agency = agency
        m.year = year
        return m
    }
}

extension ReaderRegistry {
    /// The input's agency and year as `readMetadata(path:data:)` gives them (the other fields left empty), read
    /// by the reader that claims it; it throws exactly when `readMetadata` throws.
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        try claimant(path: path, data: data).readPairingMetadata(path: path, data: data)
    }
}

/// The lines a pairing reading reads: all of them, given; or a text's, made only as far as they are read (most of
/// a report is after the lines its agency and year are read from), their noise slots read from the text's bytes.
final class PairingLines {
    private let text: String?
    private let ranges: [Range<Int>]
    /// The lines made so far, the first ones.
    private var made: [SourceLine]
    let count: Int
    /// With `slotsAsMade(_:)`: the screen the noise slots of each line made are read with, as it is made, into
    /// `madeSlots`.
    private var slotScreen: RequiredScalarsScreen?
    /// The noise slots of the lines made so far (`madeSlots.count == made.count`), while `slotScreen` is set.
    private(set) var madeSlots: [UInt64] = []

    init(_ lines: [SourceLine]) {
        text = nil
        ranges = []
        made = lines
        count = lines.count
    }

    /// The lines of `text` at `ranges` (`TextReader.lineRanges`), made as `TextReader.lines(of:ranges:)` makes them.
    init(text: String, ranges: [Range<Int>]) {
        self.text = text
        self.ranges = ranges
        made = []
        count = ranges.count
    }

    /// The first `n` lines at least (every line made so far).
    func prefix(_ n: Int) -> [SourceLine] {
        if made.count < n, let text {
            let end = min(n, count)
            text.withUTF8Bytes { buf in
                if made.isEmpty {
                    made.reserveCapacity(count)
                    if slotScreen != nil { madeSlots.reserveCapacity(count) }
                }
                for k in made.count..<end {
                    let bytes = UnsafeBufferPointer(rebasing: buf[ranges[k]])
                    made.append(SourceLine(number: k + 1, text: String(knownValidUTF8: bytes)))
                    if let slotScreen { madeSlots.append(slotScreen.presentSlots(bytes: bytes)) }
                }
            }
        }
        return made
    }

    var all: [SourceLine] { prefix(count) }

    /// True when the lines are a text's, no inline-noise pattern can match them (`inlineNoiseCannotMatch`) and the
    /// reader has a noise screen: the inline noise then leaves every line as it is, and each line made from now on
    /// (none yet) gets its noise slots in `madeSlots`, so only the lines a reading makes are read for them, not the
    /// whole text (`noiseSlots`).
    func slotsAsMade(_ reader: TextReader) -> Bool {
        guard let text, made.isEmpty, let screen = reader.ctx.noiseScreen,
            text.withUTF8Bytes({ reader.inlineNoiseCannotMatch(bytes: $0) })
        else { return false }
        slotScreen = screen
        return true
    }

    /// `reader.noiseSlots(lines: all)`, a text's read from its bytes without making its lines.
    func noiseSlots(_ reader: TextReader) -> [UInt64]? {
        guard let text, let screen = reader.ctx.noiseScreen else { return reader.noiseSlots(lines: all) }
        return text.withUTF8Bytes { buf in ranges.map { screen.presentSlots(bytes: UnsafeBufferPointer(rebasing: buf[$0])) } }
    }
}

extension TextReader {
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        try pairingRead(path: path, data: data).metadata
    }

    /// `readPairingMetadata(path:data:)`, with the text it decoded from `data`: `read(path:decodedText:)` reads the
    /// report from that text as `read(path:data:)` reads it from `data`, without decoding the bytes again.
    public func pairingRead(path: String, data: Data) throws -> (metadata: Metadata, text: String) {
        let text = try decodedText(path: path, data: data)
        let source = PairingLines(text: text, ranges: try Self.lineRanges(of: text, path: path, budget: budget))
        return (pairingMetadata(source, path: path, sourceFormat: "text"), text)
    }

    /// `read(path:data:)` of an input whose bytes decoded to `text` (`pairingRead`'s text; the decoding is the same
    /// whichever call makes it).
    public func read(path: String, decodedText text: String) throws -> Report {
        if FastText.isBlank(text) { throw ReaderError.empty(path: path) }
        return parse(lines: try Self.lines(of: text, path: path, budget: budget), path: path, sourceFormat: "text")
    }

    /// The agency and year of `parseMetadata(lines:path:sourceFormat:locate:)`, in a `Metadata` that holds
    /// nothing else.
    ///
    /// `parseMetadata` reads the metadata of one reading, or of the better of two when the first finds fewer
    /// than three parts (the text may be in traditional characters) — and which is better depends on the
    /// tables, so it reads both fully. Here the full readings are needed only when the two readings' agency or
    /// year differ: when the text has no traditional character to convert, the first reading is kept; when
    /// both readings give the same agency and year, it does not matter which one is kept.
    public func pairingMetadata(
        lines input: [SourceLine], path: String, sourceFormat: String,
        locate: @escaping Locator = { line, _ in SourceLocation(line: line) }
    ) -> Metadata {
        pairingMetadata(PairingLines(input), path: path, sourceFormat: sourceFormat, locate: locate)
    }

    func pairingMetadata(
        _ source: PairingLines, path: String, sourceFormat: String, locate: @escaping Locator = { line, _ in SourceLocation(line: line) }
    ) -> Metadata {
        let first = pairingReading(source)
        guard first.fewerThanThreeParts, let simplified = Self.simplified(source.all) else { return first.metadata }
        let second = pairingReading(simplified)
        if second.metadata == first.metadata { return first.metadata }
        let full = parseMetadata(lines: source.all, path: path, sourceFormat: sourceFormat, locate: locate)
        return Metadata.pairingFields(agency: full.agency, year: full.year)
    }

    /// One reading's agency and year (`parseOnce(…, metadataOnly: true).metadata`'s), and whether it found fewer
    /// than three parts.
    ///
    /// The agency and year come from the title (looked for in the preamble, the lines before the first part
    /// heading), else a preamble sentence naming the report; the year else from the statistics period (looked
    /// for up to 40 lines after the first heading) or a year in the preamble. So this reading needs the first
    /// heading's position, whether there are three parts, and (when the title has no year) the lines up to 40
    /// after the first heading; it cleans the lines as `parseOnce` does, but only as far as those need (line by
    /// line: only the inline noise is removed from the whole text, as a match may span lines), and leaves out the
    /// rest of the metadata (signature date, template markers, table years, agency kind) and the parts.
    ///
    /// `parseOnce` finds headings with a numeral on every line, then (unless every part was found) headings
    /// that are only a part's wording on the other lines, excluding the parts found so far. Here:
    /// - numbered headings are matched in line order until three are found: those are the ones `parseOnce`
    ///   finds first, so it finds at least three parts;
    /// - a wording-only heading before the first numbered one would be the first heading. Which parts are
    ///   excluded there depends on the numbered headings of the whole text, but a line that is no heading of
    ///   any single part (every other part excluded) is none with any parts excluded (the match kept is the best
    ///   of one part's). When no line of the preamble can be one, the first numbered heading is the first;
    ///   otherwise, and when fewer than three numbered headings are found, headings are found on every line.
    func pairingReading(_ input: [SourceLine]) -> (metadata: Metadata, fewerThanThreeParts: Bool) {
        pairingReading(PairingLines(input))
    }

    func pairingReading(_ source: PairingLines) -> (metadata: Metadata, fewerThanThreeParts: Bool) {
        let matcher = ctx.headingMatcher
        // 1. Noise removed, original numbering kept; run-in headings split (as `parseOnce`), made on demand. The
        //    input lines are made as far as they are cleaned, unless the inline noise's removal needs them all.
        //    When the text's bytes show that no inline noise can match, its lines stay as they are and only those
        //    made are read for their slots (`PairingLines.slotsAsMade`).
        let slotsAsMade = source.slotsAsMade(self)
        let slots = slotsAsMade ? nil : source.noiseSlots(self)
        let cleaned = slotsAsMade ? nil : removingInlineNoise(lineCount: source.count, slots: slots) { source.all }
        var lines: [SourceLine] = []
        var nextInput = 0
        /// Cleans the next input lines; false when there are none left.
        func cleanMore() -> Bool {
            guard nextInput < source.count else { return false }
            let end = min(source.count, nextInput + 32)
            if let cleaned {
                lines += matcher.splittingRunInHeadings(noiseFreeLines(source.all, cleaned: cleaned, in: nextInput..<end))
            } else {
                // The lines are made first: with `slotsAsMade`, making them reads their slots into `madeSlots`.
                let input = source.prefix(end)
                lines += matcher.splittingRunInHeadings(
                    noiseFreeLines(unchanged: input, in: nextInput..<end, slots: slotsAsMade ? source.madeSlots : slots))
            }
            nextInput = end
            return true
        }
        /// True when line `i` exists, cleaning lines up to it.
        func hasLine(_ i: Int) -> Bool {
            while i >= lines.count { if !cleanMore() { return false } }
            return true
        }

        // 2. The first part heading, and whether there are fewer than three parts.
        var found = HeadingMatcher.Exclusion()
        var numberedLines = Set<Int>()
        var firstHeading: Int?
        var next = 0
        /// Numbered headings from line `next` on, until `enough` are found or the lines end.
        func matchNumbered(until enough: Int) {
            while numberedLines.count < enough, hasLine(next) {
                if let m = matcher.match(lines[next].text, excluding: found, numbered: true) {
                    found.insert(m.part, key: m.spec.key)
                    numberedLines.insert(next)
                    if firstHeading == nil { firstHeading = next }
                }
                next += 1
            }
        }
        let allParts = ctx.templates.profile.parts.map(\.key)
        matchNumbered(until: 3)
        if numberedLines.count >= 3, let firstNumbered = firstHeading {
            // Whether some preamble line is a heading of some single part: the same question asked part by part,
            // each part's exclusion set built once per context (`ReaderContext.partKeysButOne`).
            let mayBeHeading =
                firstNumbered > 0
                && ctx.partKeysButOne.contains { others in
                    (0..<firstNumbered).contains { i in matcher.match(lines[i].text, excluding: others, numbered: false) != nil }
                }
            if mayBeHeading {
                matchNumbered(until: Int.max)
                if numberedLines.count != allParts.count {
                    for i in 0..<firstNumbered where matcher.match(lines[i].text, excluding: found, numbered: false) != nil {
                        firstHeading = i
                        break
                    }
                }
            }
        }
        var partCount = numberedLines.count
        if partCount < 3 && partCount != allParts.count {
            // Every line was read: the wording-only headings of `parseOnce`, on the lines that are no numbered one.
            for (i, l) in lines.enumerated() where !numberedLines.contains(i) {
                guard let m = matcher.match(l.text, excluding: found, numbered: false) else { continue }
                found.insert(m.part, key: m.spec.key)
                partCount += 1
                firstHeading = min(firstHeading ?? i, i)
            }
        }

        // 3. Agency and year from the title, preamble and period (as `parseOnce` step 4). The period only
        //    matters when the title has no year: only then are the lines up to 40 after the first heading cleaned
        //    (those up to the third are already). Without a preamble the title is looked for in the first five.
        let headingLine = firstHeading ?? lines.count
        if headingLine == 0 { _ = hasLine(4) }
        var meta = Metadata()
        let preambleLines = lines[0..<headingLine]
        let noLocation: Locator = { _, _ in SourceLocation() }
        extractTitle(preambleLines.isEmpty ? lines.prefix(5) : preambleLines, locate: noLocation, into: &meta)
        let preambleYear = meta.title == nil ? extractAgencyFromPreamble(preambleLines, into: &meta) : nil
        if meta.titleYear == nil {
            _ = hasLine(headingLine + 39)
            extractPeriod(lines[0..<min(lines.count, headingLine + 40)], locate: noLocation, into: &meta)
        }
        var year = meta.titleYear ?? meta.periodEnd?.year ?? meta.periodStart?.year ?? preambleYear
        if year == nil {
            for l in preambleLines where Self.hasDigit(l.text) {
                if let y = ctx.yearPattern.firstGroups(l.text, names: ["y"])?.groups["y"].flatMap({ Int($0) }) { year = y; break }
            }
        }
        return (Metadata.pairingFields(agency: meta.agency, year: year), partCount < 3)
    }
}

extension DocxReader {
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        text.pairingMetadata(of: try draft(path: path, data: data))
    }
}

extension HTMLReader {
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        try read(path: path, data: data, depth: .pairing).metadata
    }
}

extension PDFReader {
    public func readPairingMetadata(path: String, data: Data) throws -> Metadata {
        try read(path: path, data: data, depth: .pairing).metadata
    }
}
