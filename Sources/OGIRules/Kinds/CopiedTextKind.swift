import Foundation
import OGIAnalysis
import OGIModel

/// `kind: copied_text` — how much of a part (or the whole report) is copied word for word from last year's report:
/// the share of its characters inside passages of at least `min_length` characters that also occur last year, with
/// the longest passages. Reported when the share reaches `threshold` percent. Needs last year's report; without
/// one the rule does not apply.
public struct CopiedTextKind: RuleKind {
    public static let name = "copied_text"
    public static let keys = ["scope", "min_length", "threshold", "max_passages", "min_characters"]

    public var scope: String
    public var minLength: Int
    public var threshold: Decimal
    public var maxPassages: Int
    /// Texts shorter than this (normalised characters) are not judged: a one-line part is often the same each year.
    public var minCharacters: Int

    public static func parse(_ f: RuleFields) throws -> CopiedTextKind {
        let threshold =
            try f["threshold"].map { n -> Decimal in
                guard let d = ExactDecimal.parse(try n.string("threshold")), d >= 0, d <= 100 else {
                    throw n.fail("threshold is a percentage from 0 to 100")
                }
                return d
            } ?? 80
        return CopiedTextKind(
            // Ranges: a passage of no characters, or no passage listed, would make the rule pass silently.
            scope: try ProseYAML.scope(f), minLength: try f["min_length"]?.int("min_length", in: 1...100_000) ?? 20,
            threshold: threshold, maxPassages: try f["max_passages"]?.int("max_passages", in: 1...1_000) ?? 3,
            minCharacters: try f["min_characters"]?.int("min_characters", in: 0...10_000_000) ?? 40)
    }

    public var placeholders: Set<String> { ["part", "percent", "copied", "total", "passages", "threshold"] }
    public var references: RuleReferences { var r = RuleReferences(); r.previous = true; return r }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [
            ("checks", "text of \(code(scope)) copied from last year's report (passages of \(minLength)+ characters)"),
            ("threshold", "\(ExactDecimal.format(threshold))%"),
        ]
    }

    public func evaluate(_ run: RuleRun) {
        // Headings and the title are left out: they are the same every year and read differently from each format.
        let key = scope == ProseCache.wholeReport ? ProseCache.body : "part:" + scope
        guard let previous = run.ev.previous, let last = previous.prose.text(key), let this = run.ev.prose.text(key) else { return }
        let r = CopiedText.compare(previous: last, current: this, minLength: minLength, maxPassages: maxPassages)
        guard r.totalCharacters >= minCharacters, r.percent >= threshold, let first = r.passages.first else { return }
        let sep = run.messages.text("separator.list")
        let passages = r.passages.map { p in
            run.messages.text(
                "engine.copied.passage",
                ["text": run.quote(p.text.replacingOccurrences(of: "\n", with: ""), limit: 40), "length": String(p.length)])
        }
        let part = scope == ProseCache.wholeReport ? run.messages.text("engine.copied.whole_report") : run.ev.partTitle(scope)
        run.emitProse(
            [
                "part": part, "percent": ExactDecimal.format(r.percent), "copied": String(r.copiedCharacters),
                "total": String(r.totalCharacters), "passages": passages.joined(separator: sep),
                "threshold": ExactDecimal.format(threshold),
            ],
            messageKey: "engine.copied.message", fixKey: "engine.copied.fix", location: run.location(this, first.current.start))
    }
}
