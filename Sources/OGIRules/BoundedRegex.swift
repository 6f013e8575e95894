import Foundation
import OGIModel

/// Regular expression matching with a limit, for patterns written in rule packs (`matches`, `count_pattern`):
/// a pattern that backtracks catastrophically is stopped instead of hanging the run. A pattern run by
/// `ScalarRegex` is stopped by a step budget, so the same text and pattern give the same finding on every
/// machine; a pattern outside its subset runs on NSRegularExpression with a wall-clock limit.
enum BoundedRegex {
    /// Longest time one match may take on NSRegularExpression; the figure the "too slow" reason names for it.
    static let timeLimit: TimeInterval = 0.25
    /// Most steps one search by `ScalarRegex` may take; the figure the "too many steps" reason names. A pattern
    /// without nested backtracking scans even the longest text allowed (`maxTextLength`) in a few million steps;
    /// a catastrophic one passes this in a fraction of `timeLimit`.
    static let stepBudget = 10_000_000
    /// Longest text a pattern is matched against, in UTF-16 units.
    static let maxTextLength = 200_000

    /// A search stopped by a limit: the step budget (`ScalarRegex`) or the time limit (NSRegularExpression).
    struct TimedOut: Error {
        /// True when the step budget stopped it, false when the time limit did.
        var byStepBudget = false

        /// The "not evaluated" reason for `pattern`, naming the limit that stopped it (steps or seconds).
        func reason(pattern: String) -> CatalogMessage {
            byStepBudget
                ? CatalogMessage(
                    "engine.not_evaluated.pattern_too_many_steps", ["pattern": pattern, "limit": String(BoundedRegex.stepBudget)])
                : CatalogMessage("engine.not_evaluated.pattern_too_slow", ["pattern": pattern, "limit": "\(BoundedRegex.timeLimit)"])
        }
    }

    /// The first match of `rx` in `text`, or nil; throws `TimedOut` when the search passes the step budget
    /// (`ScalarRegex`) or the time limit (NSRegularExpression).
    static func firstMatch(_ rx: CompiledRegex, in text: String) throws(TimedOut) -> RegexMatch? {
        guard rx.scalarRegex != nil else { return try firstMatch(rx.foundation, in: text).map(RegexMatch.init) }
        do { return try rx.firstMatch(in: text, stepBudget: stepBudget) } catch { throw TimedOut(byStepBudget: true) }
    }

    /// The first match of `pattern` in `text`, or nil; throws `TimedOut` when the match takes longer than the limit.
    static func firstMatch(_ rx: NSRegularExpression, in text: String, limit: TimeInterval = timeLimit) throws(TimedOut)
        -> NSTextCheckingResult?
    {
        let deadline = Date().addingTimeInterval(limit)
        var found: NSTextCheckingResult?
        var timedOut = false
        rx.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { m, _, stop in
            if let m { found = m; stop.pointee = true; return }
            if Date() > deadline { timedOut = true; stop.pointee = true }
        }
        if timedOut { throw TimedOut() }
        return found
    }
}

/// Load-time check of patterns written in rule packs: a repeated group that itself repeats (`(a+)+`, `(\d*)*`) can take exponential time, so it is refused with its position.
enum PatternSafety {
    static func check(_ pattern: String, at node: YNode, what: String) throws {
        if let problem = nestedRepetition(pattern) {
            throw node.fail(
                "\(what) '\(pattern)' repeats a group that itself repeats (\(problem)), which can take exponential time; rewrite it without the nested repetition, e.g. (ab)+ instead of (a+b?)+"
            )
        }
    }

    /// The offending group, when a quantified group contains a quantifier.
    static func nestedRepetition(_ p: String) -> String? {
        let c = Array(p)
        var stack: [(start: Int, risky: Bool)] = []
        var i = 0
        var inClass = false
        while i < c.count {
            let ch = c[i]
            if ch == "\\" { i += 2; continue }
            if inClass { if ch == "]" { inClass = false }; i += 1; continue }
            switch ch {
            case "[": inClass = true
            case "(": stack.append((i, false))
            case "+", "*", "{":
                if ch == "{" && !(i + 1 < c.count && c[i + 1].isNumber) { break }
                if !stack.isEmpty { stack[stack.count - 1].risky = true }
            case ")":
                guard let g = stack.popLast() else { break }
                let next = i + 1 < c.count ? c[i + 1] : " "
                let repeated = next == "+" || next == "*" || (next == "{" && i + 2 < c.count && c[i + 2].isNumber)
                if g.risky && repeated { return String(c[g.start...min(i + 1, c.count - 1)]) }
                if g.risky, !stack.isEmpty { stack[stack.count - 1].risky = true }
            default: break
            }
            i += 1
        }
        return nil
    }
}
