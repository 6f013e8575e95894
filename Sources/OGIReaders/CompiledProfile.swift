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
    /// line-noise pattern `k`), so that one pass over a line answers both checks (nil: over 64 sets in all).
    let noiseScreen: RequiredScalarsScreen?
    let periodPatterns: [Pattern]
    let publishedPatterns: [Pattern]
    let yearPattern: Pattern
    let tableYearPattern: Pattern?
    let governmentNames: [Pattern]
    let departmentNames: [Pattern]
    let mapper: TableMapper
    /// Per part of the profile (in its order): the keys of every other part, the exclusions under which a line
    /// can be a heading of that part only (`TextReader.pairingReading`).
    let partKeysButOne: [Set<String>]
    let headingMatcher: HeadingMatcher

    /// Prepares the profile's patterns; each is compiled on its first use (`Pattern`), as most never run in
    /// a single check. Patterns were validated when the pack was loaded. (Still `throws`, for callers.)
    public init(templates: TemplateSet) throws {
        self.templates = templates
        let p = templates.profile
        inlineNoise = p.inlineNoise.map(Pattern.init)
        lineNoise = p.lineNoise.map(Pattern.init)
        inlineNoiseScreen = RequiredScalarsScreen(inlineNoise)
        lineNoiseScreen = RequiredScalarsScreen(lineNoise)
        noiseScreen = RequiredScalarsScreen(inlineNoise + lineNoise)
        periodPatterns = p.periodPatterns.map(Pattern.init)
        publishedPatterns = p.publishedPatterns.map(Pattern.init)
        yearPattern = Pattern(p.yearPattern)
        tableYearPattern = p.tableYearPattern.isEmpty ? nil : Pattern(p.tableYearPattern)
        governmentNames = p.governmentNames.map(Pattern.init)
        departmentNames = p.departmentNames.map(Pattern.init)
        headingMatcher = HeadingMatcher(profile: p)
        let keys = p.parts.map(\.key)
        partKeysButOne = keys.map { key in Set(keys.filter { $0 != key }) }
        mapper = TableMapper(numerals: p.partNumerals, syntax: p.cells, templates: templates.templates)
    }

    /// The agency kind implied by an agency name, from the profile's name patterns.
    public func agencyKind(forName name: String) -> AgencyKind? {
        if governmentNames.contains(where: { $0.matches(name) }) { return .government }
        if departmentNames.contains(where: { $0.matches(name) }) { return .department }
        return nil
    }
}
