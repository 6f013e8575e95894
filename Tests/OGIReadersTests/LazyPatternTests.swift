import Foundation
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The profile's patterns are compiled on first use: a reader context compiles none, and a pattern compiled
/// late matches exactly as one compiled up front.
final class LazyPatternTests: XCTestCase {
    var profileSources: [String] {
        let p = Repo.linter.ruleSet.templates.profile
        return p.inlineNoise + p.lineNoise + p.periodPatterns + p.publishedPatterns + [p.yearPattern]
            + (p.tableYearPattern.isEmpty ? [] : [p.tableYearPattern]) + p.governmentNames + p.departmentNames
    }

    func testAReaderContextCompilesNoPatternUntilOneRuns() throws {
        let context = try ReaderContext(templates: Repo.linter.ruleSet.templates)
        let all =
            context.inlineNoise + context.lineNoise + context.periodPatterns + context.publishedPatterns + [context.yearPattern]
            + (context.tableYearPattern.map { [$0] } ?? []) + context.governmentNames + context.departmentNames
        XCTAssertEqual(all.map(\.source), profileSources)
        XCTAssertFalse(all.contains { $0.isCompiled })
        XCTAssertEqual(context.agencyKind(forName: "某某市人民政府"), .government)
        XCTAssertTrue(context.governmentNames.contains { $0.isCompiled })
    }

    func testLateCompiledPatternsMatchAsEagerOnes() throws {
        var lines = FastPathTests.tricky + ["某某市人民政府", "某某县教育局", "2023年度", "发布日期：2024年1月15日"]
        var seen = Set(lines)
        for t in try FastPathTests.texts() {
            for l in t.text.components(separatedBy: "\n") where seen.insert(l).inserted { lines.append(l) }
        }
        let names = ["y", "m", "d"]
        var matched = 0
        for source in profileSources {
            let eager = try NSRegularExpression(pattern: source)
            let lazy = Pattern(source)
            XCTAssertFalse(lazy.isCompiled)
            for l in lines {
                let range = NSRange(l.startIndex..., in: l)
                let first = eager.firstMatch(in: l, range: range)
                XCTAssertEqual(lazy.matches(l), first != nil, "\(source) on \(l)")
                let groups = lazy.firstGroups(l, names: names)
                XCTAssertEqual(groups.map { NSRange($0.range, in: l) }, first?.range, "\(source) on \(l)")
                if let first, let groups {
                    matched += 1
                    for n in names {
                        let r = first.range(withName: n)
                        XCTAssertEqual(groups.groups[n], r.location == NSNotFound ? nil : (l as NSString).substring(with: r))
                    }
                }
                let removed = eager.stringByReplacingMatches(in: l, range: range, withTemplate: "")
                if !l.contains("\n") { XCTAssertEqual(lazy.removingAllKeepingNewlines(in: l), removed, "\(source) on \(l)") }
            }
        }
        XCTAssertGreaterThan(matched, 100)
    }

    /// The removal as it was: the pattern's matches (`CompiledRegex.matches(in:)`) taken out through NSString.
    static func referenceRemoval(_ p: Pattern, _ s: String) -> String {
        guard p.mayMatch(s) else { return s }
        return Pattern.removing(p.matcher.matches(in: s), from: s)
    }

    /// The removal through the text's scalars gives what the removal through NSString gave: on the joined texts
    /// of the samples and the corpus (their pinyin and bookmark notes), and on generated texts with line breaks
    /// ("\n", "\r\n", "\r") inside, at the ends of and around matches, characters outside the Basic Multilingual
    /// Plane, and patterns that match nothing, an empty text or a line break.
    func testRemovalThroughScalarsEqualsTheNSStringRemoval() throws {
        var sources = Repo.linter.ruleSet.templates.profile.inlineNoise
        sources += [#"\[bookmark:[^\]]*\]"#, "a*", #"\r?\n"#, #"\r"#, #"[\r\n]+x"#, #"\n\("#, "國", "𠀀+", #"(.)\1"#]
        var texts = try FastPathTests.texts().map(\.text)
        let pieces = [
            "數(shù)據(jù)", "[bookmark:a\nb]", "[bookmark:\r\n]", "[bookmark:x\r]\n", "\r\n", "\n", "\r", "𠀀", "國(guó)", "a", "x",
            "[image:圖\n\n]", "(", "(a)", "汉(ab)", "\u{301}", "\n\u{301}", "", "[bookmark:", "]",
        ]
        var rng = SplitMix(seed: 5)
        for _ in 0..<400 {
            texts.append((0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        var changed = 0, compared = 0
        for source in sources {
            let p = Pattern(source)
            for t in texts {
                let reference = Self.referenceRemoval(p, t)
                guard p.mayMatch(t) else { continue }
                if let fast = Pattern.removingAllKeepingNewlines(in: t, matcher: p.matcher) {
                    XCTAssertEqual(Array(fast.utf8), Array(reference.utf8), "\(source) on \(t.debugDescription)")
                } else {
                    // Only a pattern ScalarRegex does not run (a back reference) goes through NSString.
                    XCTAssertNil(p.matcher.scalarRegex, source)
                }
                XCTAssertEqual(Array(p.removingAllKeepingNewlines(in: t).utf8), Array(reference.utf8))
                XCTAssertEqual(
                    Array(p.removingAllThroughFoundation(in: t).utf8), Array(reference.utf8), "\(source) on \(t.debugDescription)")
                compared += 1
                if reference != t { changed += 1 }
            }
        }
        XCTAssertGreaterThan(compared, 1000)
        XCTAssertGreaterThan(changed, 300)
    }

    /// Threads that use one pattern first at the same time all get the one compiled expression.
    func testConcurrentFirstUseCompilesOnce() {
        let pattern = Pattern("人民政府$")
        let seen = SeenExpressions()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let r = pattern.regex
            seen.add(ObjectIdentifier(r), matched: pattern.matches("某某市人民政府"))
        }
        XCTAssertEqual(seen.ids.count, 1)
        XCTAssertEqual(seen.matches, 16)
    }
}

/// The compiled expressions the threads saw, and how many matched.
private final class SeenExpressions: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: Set<ObjectIdentifier> = []
    private(set) var matches = 0
    func add(_ id: ObjectIdentifier, matched: Bool) {
        lock.lock(); defer { lock.unlock() }
        ids.insert(id)
        if matched { matches += 1 }
    }
}
