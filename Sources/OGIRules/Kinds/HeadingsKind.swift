import Foundation
import OGIAnalysis
import OGIModel

/// `kind: headings` — part headings as written: in the standard wording, and numbered in sequence.
public struct HeadingsKind: RuleKind {
    public static let name = "headings"
    public static let keys = ["check"]

    /// A heading check.
    public enum Check: String, Sendable, CaseIterable {
        /// A heading recognised only by similarity (a slip, a lost numeral, run into the text) is reported with
        /// the standard heading as fix.
        case standard
        /// The numeral written before a heading follows the previous heading's numeral, or is the part's own
        /// number (a gap left by a missing part, or parts out of order, are other rules' findings).
        case numbering
    }

    public var check: Check

    public static func parse(_ f: RuleFields) throws -> HeadingsKind {
        HeadingsKind(check: Check(rawValue: try f.required("check").oneOf(Check.allCases.map(\.rawValue), what: "headings check"))!)
    }

    public var placeholders: Set<String> { ["part", "number", "heading", "standard", "numeral", "expected", "previous"] }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "part headings — \(code(check.rawValue))")]
    }

    public func evaluate(_ run: RuleRun) {
        let report = run.ev.report
        let specs = run.ev.templates.profile.parts
        switch check {
        case .standard:
            for p in report.parts {
                guard let standard = p.standardHeading else { continue }
                var vars = run.bindingVars()
                vars["part"] = specs.first { $0.key == p.key }?.title ?? p.heading
                vars["number"] = String(p.number)
                vars["heading"] = p.heading
                vars["standard"] = standard
                run.emit(vars: vars, defaultKey: "engine.headings.standard", location: FindingLocation(p.location))
            }
        case .numbering:
            var previous: (n: Int, heading: String)?
            for p in report.parts {
                guard let (numeral, n) = Self.numeral(p.heading) else { continue }
                defer { previous = (n, p.heading) }
                guard let prev = previous, n != prev.n + 1, n != p.number else { continue }
                var vars = run.bindingVars()
                vars["part"] = specs.first { $0.key == p.key }?.title ?? p.heading
                vars["number"] = String(p.number)
                vars["heading"] = p.heading
                vars["numeral"] = numeral
                vars["expected"] = String(prev.n + 1)
                vars["previous"] = prev.heading
                run.emit(vars: vars, defaultKey: "engine.headings.numbering", location: FindingLocation(p.location))
            }
        }
    }

    /// The numeral a heading starts with ("四、…", "4．…", "（四）…") and its value.
    static func numeral(_ heading: String) -> (String, Int)? {
        if let answer = numeralOnPlainScalars(heading) { return answer }
        var s = Substring(ScalarTrim.whitespaces(heading))
        if let f = s.first, isOne(of: openingMarks, f) { s = s.dropFirst() }
        let digits = s.prefix { isOne(of: numerals, $0) }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = s.dropFirst(digits.count).first
        guard let rest, isOne(of: closingMarks, rest) else { return nil }
        let ascii = String(
            digits.map { c -> Character in
                guard let v = c.unicodeScalars.first?.value, v >= 0xFF10, v <= 0xFF19 else { return c }
                return Character(UnicodeScalar(v - 0xFF10 + 0x30)!)
            })
        guard let n = ChineseNumber.parse(ascii) else { return nil }
        return (String(digits), n)
    }

    /// `numeral(_:)` read scalar by scalar where that is sure: every scalar it reads, and the one after the last,
    /// is plain (`FastText.isPlainScalar`: a character of its own, equal only to itself), so the characters it
    /// reads are those scalars and a list holds one exactly when its scalars do (`isOne(of:_:)`). A mark that is
    /// white space must be followed by a plain scalar that is not, or the trimming of the end could have
    /// removed it. nil when unsure; `.some(nil)` when the heading has no numeral. The character reading's
    /// names and hashing (the numerals' table is keyed by `Character`) cost more than the rest of the rule.
    static func numeralOnPlainScalars(_ heading: String) -> (String, Int)?? {
        let us = heading.unicodeScalars
        var i = us.startIndex
        while i < us.endIndex, ScalarTrim.isWhitespace(us[i]) { i = us.index(after: i) }
        /// The scalar at `i` when it is plain; nil at the end or when it is not (`plain` false).
        func plainScalar(at i: String.UnicodeScalarView.Index) -> (value: UInt32?, plain: Bool) {
            guard i < us.endIndex else { return (nil, true) }
            let v = us[i].value
            return FastText.isPlainValue(v) ? (v, true) : (nil, false)
        }
        var current = plainScalar(at: i)
        guard current.plain else { return nil }
        if let v = current.value, openingMarks.scalars.contains(v) {
            i = us.index(after: i)
            current = plainScalar(at: i)
            guard current.plain else { return nil }
        }
        // The numeral's scalars (four at most) in a buffer on the stack: two arrays were made per heading.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4) { digits -> (String, Int)?? in
            var count = 0
            while let v = current.value, numerals.scalars.contains(v) {
                digits[count] = v
                count += 1
                i = us.index(after: i)
                current = plainScalar(at: i)
                guard current.plain else { return nil }
                if count > 3 { return .some(nil) }
            }
            guard count > 0 else { return .some(nil) }
            // No scalar after the digits (a scalar that is not plain returned above): nothing closes the numeral.
            guard let rest = current.value else { return .some(nil) }
            guard closingMarks.scalars.contains(rest) else { return .some(nil) }
            let after = plainScalar(at: us.index(after: i))
            guard after.plain else { return nil }
            if ScalarTrim.isWhitespace(Unicode.Scalar(rest)!) {
                // Trimmed away when only white space follows: sure only with a plain scalar that is not white space.
                guard let a = after.value, !ScalarTrim.isWhitespace(Unicode.Scalar(a)!) else { return nil }
            }
            var numeral = String.UnicodeScalarView()
            for k in 0..<count { numeral.append(Unicode.Scalar(digits[k])!) }
            // Full-width digits read as ASCII ones, in place.
            for k in 0..<count where digits[k] >= 0xFF10 && digits[k] <= 0xFF19 { digits[k] = digits[k] - 0xFF10 + 0x30 }
            guard let n = ChineseNumber.parse(scalars: UnsafeBufferPointer(rebasing: digits[..<count])) else { return .some(nil) }
            return .some((String(numeral), n))
        }
    }

    /// The characters a numeral may open with, be written in, and be followed by.
    static let openingMarks = CharacterList("（(")
    static let numerals = CharacterList("一二两三四五六七八九十0123456789０１２３４５６７８９")
    static let closingMarks = CharacterList("、.．)）,，: 　")

    /// `list.characters.contains(c)` (Character equality is canonical equivalence), with the answer for a
    /// one-scalar character read from the list's scalars where that is exact: a scalar in the list matches; an
    /// ASCII, CJK ideograph, CJK punctuation or full-width form scalar equals only itself under canonical
    /// equivalence, so one not in the list does not match. Every other character (several scalars, or a scalar
    /// such as U+F9D1 that is canonically a listed ideograph) is compared as a character.
    static func isOne(of list: CharacterList, _ c: Character) -> Bool {
        let scalars = c.unicodeScalars
        if let s = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex {
            if list.scalars.contains(s.value) { return true }
            switch s.value {
            case 0..<0x80, 0x3000..<0x3040, 0x3400..<0x4DC0, 0x4E00..<0xA000, 0xFF00..<0xFFF0: return false
            default: break
            }
        }
        return list.characters.contains(c)
    }

    /// A short list of characters, with their scalars for the one-scalar test of `isOne(of:_:)`.
    struct CharacterList: Sendable {
        let characters: String
        let scalars: [UInt32]
        init(_ characters: String) {
            self.characters = characters
            scalars = characters.unicodeScalars.map(\.value)
        }
    }
}
