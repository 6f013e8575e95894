import OGIModel

/// The words the prose scanners look for. All of it is data: the rule packs supply it (YAML), nothing is fixed in
/// Swift. Tests pass their own lists.
public struct ProseVocabulary: Sendable, Equatable {
    /// Units a number must be followed by to count as a quantity, e.g. 件 条 项 篇 个 万元 (longest tried first).
    public var units: [String]
    /// Units that make a quantity a percentage, e.g. % ％ (also units in their own right).
    public var percentUnits: [String]
    /// Units that count the same thing and may be added together, e.g. [条, 篇]. A unit not listed is its own group.
    public var unitGroups: [[String]]
    /// Words that open a list of parts after a whole anywhere in a sentence, e.g. 其中, 分类：
    public var breakdownMarkers: [String]
    /// Marks that open a list only directly after a quantity, e.g. ：（"提案14件：主办件4件，…"）.
    public var breakdownMarkersAfterQuantity: [String]
    /// Words that make a list open-ended (its parts may sum to less than the whole), e.g. 等.
    public var openEndedMarkers: [String]
    /// Words that, opening the next sentence, continue the list of the previous one, e.g. 此外.
    public var continuationMarkers: [String]
    /// Words that make a percentage a year-on-year change, e.g. 同比, 比上年, 较上年.
    public var yearOnYearMarkers: [String]
    /// Words for a rise and a fall, e.g. 增长 增加 上升 / 下降 减少.
    public var increaseWords: [String]
    public var decreaseWords: [String]
    /// Words that make a percentage a share of a whole, e.g. 占.
    public var shareMarkers: [String]
    /// Read 一 … 九十九 before a unit as a number too ("四场").
    public var chineseNumerals: Bool

    public init(
        units: [String] = [], percentUnits: [String] = [], unitGroups: [[String]] = [],
        breakdownMarkers: [String] = [], breakdownMarkersAfterQuantity: [String] = [],
        openEndedMarkers: [String] = [], continuationMarkers: [String] = [],
        yearOnYearMarkers: [String] = [], increaseWords: [String] = [], decreaseWords: [String] = [],
        shareMarkers: [String] = [], chineseNumerals: Bool = false
    ) {
        self.units = units; self.percentUnits = percentUnits; self.unitGroups = unitGroups
        self.breakdownMarkers = breakdownMarkers; self.breakdownMarkersAfterQuantity = breakdownMarkersAfterQuantity
        self.openEndedMarkers = openEndedMarkers; self.continuationMarkers = continuationMarkers
        self.yearOnYearMarkers = yearOnYearMarkers; self.increaseWords = increaseWords
        self.decreaseWords = decreaseWords; self.shareMarkers = shareMarkers; self.chineseNumerals = chineseNumerals
    }

    /// True when two units may be compared and added.
    /// Units are compared as Swift compares texts, from their bytes where that is certain (`FastText.equal`: two
    /// different units of plain scalars differ without normalising both).
    public func compatible(_ a: String, _ b: String) -> Bool {
        if FastText.equal(a, b) { return true }
        return unitGroups.contains { g in g.contains { FastText.equal($0, a) } && g.contains { FastText.equal($0, b) } }
    }

    public func isPercent(_ unit: String) -> Bool { percentUnits.contains { FastText.equal($0, unit) } }
}
