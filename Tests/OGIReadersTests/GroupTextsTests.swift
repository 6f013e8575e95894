import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// `Pattern.firstGroups` reads a first match's named groups and range from the scalars `ScalarRegex` matched
/// (`CompiledRegex.firstMatchGroupTexts`) instead of converting UTF-16 ranges back into the text: it must give what
/// `firstGroupsFromUTF16Ranges` gives for every profile pattern on every line of the samples and corpus, and on lines
/// made to hold scalars of every UTF-8 length, combining marks and groups that take no part.
final class GroupTextsTests: XCTestCase {
    static let names = ["y", "m", "d", "y1", "m1", "d1", "y2", "m2", "d2", "no_such_group"]

    static func lines() throws -> [String] {
        var lines =
            FastPathTests.tricky + [
                "发布日期：2024年1月15日", "（2021年）", "(2020 年)", "2021年1月1日至2021年12月31日", "𠀀2021年度报告𠀀",
                "é2021年", "e\u{301}（2022年）x", "Ω2019年3月4日", "统计期限为2020年1月1日—2020年12月31日", "2021年", "年2021",
                "（二〇二一年）", "发布时间：2021-01-20 𠀀", "２０２１年", "\u{3000}2023\u{3000}年\u{3000}",
            ]
        var seen = Set(lines)
        for t in try FastPathTests.texts() {
            for l in t.text.components(separatedBy: "\n") where seen.insert(l).inserted { lines.append(l) }
        }
        return lines
    }

    func testGroupTextsAreTheFirstMatchsGroups() throws {
        let p = Repo.linter.ruleSet.templates.profile
        let sources =
            p.periodPatterns + p.publishedPatterns + [p.yearPattern] + (p.tableYearPattern.isEmpty ? [] : [p.tableYearPattern])
            + p.governmentNames + p.departmentNames + p.inlineNoise + p.lineNoise
        let lines = try Self.lines()
        var matched = 0, withGroups = 0, scalarAnswered = 0
        for source in sources {
            let pattern = Pattern(source)
            for l in lines {
                let reference = pattern.firstGroupsFromUTF16Ranges(l, names: Self.names)
                let expected = reference?.groups
                // `firstGroups` reads the scalars where it can, and gives the reference's groups and range.
                let fast = pattern.firstGroups(l, names: Self.names)
                XCTAssertEqual(fast?.groups, expected, "\(source) on \(l)")
                XCTAssertEqual(fast.map { NSRange($0.range, in: l) }, reference.map { NSRange($0.range, in: l) }, "\(source) on \(l)")
                if let fast, let reference {
                    XCTAssertEqual(String(l[..<fast.range.lowerBound]), String(l[..<reference.range.lowerBound]))
                    XCTAssertEqual(String(l[fast.range.upperBound...]), String(l[reference.range.upperBound...]))
                    XCTAssertEqual(fast.range.lowerBound == l.startIndex, reference.range.lowerBound == l.startIndex)
                }
                if let expected {
                    matched += 1
                    if !expected.isEmpty { withGroups += 1 }
                }
                if case .groups = pattern.matcher.firstMatchGroupTexts(in: l, names: Self.names) { scalarAnswered += 1 }
            }
        }
        // Matches with groups were compared, most of them answered from the scalars.
        XCTAssertGreaterThan(withGroups, 100)
        XCTAssertGreaterThan(scalarAnswered, withGroups / 2)
        XCTAssertGreaterThan(matched, withGroups)
    }

    /// A group that takes no part is left out, as `firstGroups` leaves it out; a pattern outside `ScalarRegex`'s
    /// subset is answered by NSRegularExpression, with the same texts.
    func testGroupsThatTakeNoPartAndPatternsOutsideTheSubset() throws {
        let optional = Pattern("(?<y>\\d{4})年(?:(?<m>\\d{1,2})月)?")
        XCTAssertEqual(optional.firstGroups("2021年度", names: ["y", "m"])?.groups, ["y": "2021"])
        XCTAssertEqual(optional.firstGroups("𠀀2021年3月", names: ["y", "m"])?.groups, ["y": "2021", "m": "3"])
        XCTAssertNil(optional.firstGroups("无年份", names: ["y"])?.groups)
        // A lookahead is outside the subset: NSRegularExpression answers.
        let lookahead = Pattern("(?<y>\\d{4})(?=年)")
        XCTAssertEqual(lookahead.matcher.firstMatchGroupTexts(in: "2021年", names: ["y"]), .unanswered)
        XCTAssertEqual(lookahead.firstGroups("é𠀀2021年", names: ["y"])?.groups, ["y": "2021"])
        XCTAssertEqual(
            lookahead.firstGroups("é𠀀2021年", names: ["y"])?.groups, lookahead.firstGroupsFromUTF16Ranges("é𠀀2021年", names: ["y"])?.groups)
        // An end of the match or of a group next to a combining mark is left to the conversion, which finds the
        // match inside a character and gives no groups, or the group's text when it is a whole character.
        let any = Pattern("(?<c>.)")
        XCTAssertEqual(any.matcher.firstMatchGroupTexts(in: "e\u{301}x", names: ["c"]), .unanswered)
        XCTAssertNil(any.firstGroups("e\u{301}x", names: ["c"])?.groups)
        XCTAssertNil(any.firstGroupsFromUTF16Ranges("e\u{301}x", names: ["c"]))
        XCTAssertNil(any.firstGroups("e\u{301}x", names: ["c"]))
        let year = Pattern("(?<y>\\d{4})")
        XCTAssertEqual(year.matcher.firstMatchGroupTexts(in: "2021\u{301}年", names: ["y"]), .unanswered)
        XCTAssertEqual(
            year.firstGroups("2021\u{301}年", names: ["y"])?.groups, year.firstGroupsFromUTF16Ranges("2021\u{301}年", names: ["y"])?.groups)
        XCTAssertEqual(year.matcher.firstMatchGroupTexts(in: "x2021年", names: ["y"]), .groups(["y": "2021"], utf8: 1..<5))
    }

    /// A match's group texts compare as the dictionary they replace did: by name, whatever the order of the names,
    /// a name without a text counting as absent; setting a name not asked for adds it.
    func testGroupTextMapComparesAsADictionary() {
        var a = GroupTextMap(names: ["y", "m", "d"])
        XCTAssertTrue(a.isEmpty)
        XCTAssertEqual(a, [:])
        a["m"] = "3"
        a["y"] = "2021"
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a, ["y": "2021", "m": "3"])
        XCTAssertEqual(a["y"], "2021")
        XCTAssertNil(a["d"])
        XCTAssertNil(a["q"])
        XCTAssertNotEqual(a, ["y": "2021"])
        XCTAssertNotEqual(a, ["y": "2021", "m": "4"])
        XCTAssertNotEqual(a, ["y": "2021", "d": "3"])
        a["q"] = "x"
        XCTAssertEqual(a["q"], "x")
        XCTAssertEqual(a, ["q": "x", "m": "3", "y": "2021"])
        XCTAssertEqual(a.entries.map(\.name), ["y", "m", "q"])
    }

    /// Scalars of one to four UTF-8 bytes written back as the text they were read from.
    func testScalarsAreWrittenAsTheirText() {
        for s in ["", "a", "é", "年", "𠀀", "a\u{301}年𠀀é2021", String(repeating: "丨𠀀x", count: 50)] {
            let values = UTF8Scan.scalarValues(of: s).values
            XCTAssertEqual(CompiledRegex.string(ofScalars: values[...]), s)
            if values.count > 2 {
                let inner = values[1..<(values.count - 1)]
                XCTAssertEqual(CompiledRegex.string(ofScalars: inner), String(String.UnicodeScalarView(inner.map { Unicode.Scalar($0)! })))
            }
        }
    }
}
