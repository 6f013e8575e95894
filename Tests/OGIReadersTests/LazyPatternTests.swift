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
