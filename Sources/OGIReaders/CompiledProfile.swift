import Foundation
import OGIModel

/// A `TemplateSet` with its regular expressions compiled once, shared by every file a run reads.
public final class ReaderContext: @unchecked Sendable {
    public let templates: TemplateSet
    let inlineNoise: [Pattern]
    let lineNoise: [Pattern]
    /// The required characters of `inlineNoise` and of `lineNoise`, read in one pass (nil: read pattern by pattern).
    let inlineNoiseScreen: RequiredScalarsScreen?
    let lineNoiseScreen: RequiredScalarsScreen?
    /// The required characters of `inlineNoise` followed by `lineNoise` (pattern `inlineNoise.count + k` is
    /// line-noise pattern `k`), so that one pass over a line answers both checks (nil: over 64 sets in all), and
    /// whether the line holds a line break (`RequiredScalarsScreen.lineBreakMask`).
    let noiseScreen: RequiredScalarsScreen?
    /// The masks of the line-noise patterns in `noiseScreen` (after the inline ones), when every one has required
    /// sets: a line whose slots hold none of them whole is no noise line, known without reading its text.
    let lineNoiseMasks: [UInt64]?
    /// Per inline-noise pattern: the bytes of its required set (`RequiredScalars`) of fewest members among those of
    /// one to four ASCII scalars (line feeds and carriage returns left out: lines are joined with line feeds a text's
    /// bytes may lack); nil when it has none. A text without any of a pattern's bytes holds no match of it
    /// (`TextReader.inlineNoiseCannotMatch(bytes:)`).
    let inlineNoiseBytes: [[UInt8]?]
    let periodPatterns: [Pattern]
    let publishedPatterns: [Pattern]
    let yearPattern: Pattern
    let tableYearPattern: Pattern?
    /// `tableYearPattern` compiled with the context for its screen of a match's first two characters
    /// (`ScalarRegex.mayMatch(pairsIn:)`): the pattern is asked of every table line that holds a digit, and the
    /// screen refuses most of them (a "（一）" bracket before an ideograph) before the pattern's required characters
    /// are read or its compiled form looked up under its lock. Nil when the pattern is outside `ScalarRegex`'s subset.
    let tableYearScreen: ScalarRegex?
    let governmentNames: [Pattern]
    let departmentNames: [Pattern]
    let mapper: TableMapper
    /// Per part of the profile (in its order): the keys of every other part, the exclusions under which a line
    /// can be a heading of that part only (`TextReader.pairingReading`).
    let partKeysButOne: [HeadingMatcher.Exclusion]
    let headingMatcher: HeadingMatcher
    /// The parts' headings as the HTML reader compares them, made on first use (`PartHeadings`).
    let partHeadings: PartHeadings
    /// Per template (in `templates.templates`' order): its markers normalized (`LabelText.normalize`), as every text
    /// report's template detection compares them.
    let normalizedMarkers: [[String]]
    /// The keys of the parts that hold a table of any template, and per template those that hold one of its own.
    let tablePartKeys: Set<String>
    let tablePartKeysByTemplate: [Set<String>]

    /// Prepares the profile's patterns; each is compiled on its first use (`Pattern`), as most never run in
    /// a single check. Patterns were validated when the pack was loaded. (Still `throws`, for callers.)
    public init(templates: TemplateSet) throws {
        self.templates = templates
        let p = templates.profile
        inlineNoise = p.inlineNoise.map(Pattern.init)
        lineNoise = p.lineNoise.map(Pattern.init)
        inlineNoiseScreen = RequiredScalarsScreen(inlineNoise)
        lineNoiseScreen = RequiredScalarsScreen(lineNoise)
        noiseScreen = RequiredScalarsScreen(inlineNoise + lineNoise, markingLineBreaks: true)
        if let screen = noiseScreen {
            let masks = screen.masks[inlineNoise.count...]
            lineNoiseMasks = masks.allSatisfy { $0 != nil } ? masks.map { $0! } : nil
        } else {
            lineNoiseMasks = nil
        }
        inlineNoiseBytes = inlineNoise.map { pattern in
            let sets = pattern.required?.sets ?? []
            let ascii = sets.filter { set in
                (1...4).contains(set.count) && set.allSatisfy { $0.isASCII && $0 != "\n" && $0 != "\r" }
            }
            return ascii.min { $0.count < $1.count }.map { $0.map { UInt8($0.value) } }
        }
        periodPatterns = p.periodPatterns.map(Pattern.init)
        publishedPatterns = p.publishedPatterns.map(Pattern.init)
        yearPattern = Pattern(p.yearPattern)
        tableYearPattern = p.tableYearPattern.isEmpty ? nil : Pattern(p.tableYearPattern)
        tableYearScreen = p.tableYearPattern.isEmpty ? nil : ScalarRegex(p.tableYearPattern)
        governmentNames = p.governmentNames.map(Pattern.init)
        departmentNames = p.departmentNames.map(Pattern.init)
        headingMatcher = HeadingMatcher(profile: p)
        partHeadings = PartHeadings(p.parts.map(\.headings))
        let keys = p.parts.map(\.key)
        let matcher = headingMatcher
        partKeysButOne = keys.map { key in HeadingMatcher.Exclusion(keys: Set(keys.filter { $0 != key }), of: matcher) }
        mapper = TableMapper(numerals: p.partNumerals, syntax: p.cells, templates: templates.templates)
        normalizedMarkers = templates.templates.map { $0.markers.map(LabelText.normalize) }
        tablePartKeysByTemplate = templates.templates.map { Set($0.tables.map(\.part)) }
        tablePartKeys = tablePartKeysByTemplate.reduce(into: Set<String>()) { $0.formUnion($1) }
    }

    /// The agency kind implied by an agency name, from the profile's name patterns.
    public func agencyKind(forName name: String) -> AgencyKind? {
        if governmentNames.contains(where: { $0.matches(name) }) { return .government }
        if departmentNames.contains(where: { $0.matches(name) }) { return .department }
        return nil
    }
}

/// Each part's headings normalized (`LabelText.normalize`), as the HTML reader looks for them in a page, and whether
/// no text can start with the headings of two parts: made on first use (a check of text never asks), under a lock
/// (readers share a context across threads).
final class PartHeadings: @unchecked Sendable {
    private let raw: [[String]]
    private let lock = NSLock()
    private var made: (normalized: [[String]], prefixFree: Bool)?

    init(_ headings: [[String]]) { raw = headings }

    var value: (normalized: [[String]], prefixFree: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let normalized = raw.map { $0.map(LabelText.normalize) }
        let result = (normalized, Self.prefixFree(normalized))
        made = result
        return result
    }

    /// True when no heading of one part starts with a heading of another, compared by bytes and by characters:
    /// then a text counts for one part at most where the HTML reader looks for the report body, which
    /// `HTMLAttributeStripper` relies on to flatten spans. Headings of plain scalars only (`FastText.isAllPlain`:
    /// each its own character, equal only to itself) start with each other as characters exactly when they do as
    /// bytes, so only the others are compared as characters.
    /// As bytes, the headings are sorted: a heading is a prefix of another only if it is of each heading between them.
    static func prefixFree(_ headings: [[String]]) -> Bool {
        let all = headings.enumerated().flatMap { part in part.element.map { (part: part.offset, bytes: Array($0.utf8), text: $0) } }
        let sorted = all.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].bytes.starts(with: sorted[i].bytes) {
                if sorted[j].part != sorted[i].part { return false }
                j += 1
            }
        }
        for g in all where !FastText.isAllPlain(g.text) {
            for h in all where h.part != g.part && (g.text.hasPrefix(h.text) || h.text.hasPrefix(g.text)) { return false }
        }
        return true
    }
}
