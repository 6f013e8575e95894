import Foundation
import OGIAnalysis
import OGIModel

/// `kind: parts` — the required parts: present, in order, and as the preamble lists them.
public struct PartsKind: RuleKind {
    public static let name = "parts"
    public static let keys = ["check", "count_pattern"]

    /// A structure check.
    public enum Check: String, Sendable, CaseIterable {
        /// Every required part has a heading.
        case present
        /// Headings come in the required order.
        case order
        /// A preamble that lists the parts lists exactly those present, and its stated count matches.
        case preamble
    }

    public let check: Check
    /// A regular expression with a group `n` reading the number of parts a preamble states.
    public let countPattern: String?
    /// `countPattern` compiled once, where the rule is read (nil when there is none, or when it does not compile:
    /// a pack read with validation refuses such a pattern).
    let countRegex: CompiledRegex?

    public init(check: Check, countPattern: String?) {
        self.check = check
        self.countPattern = countPattern
        countRegex = countPattern.flatMap { try? RegexCache.shared.compile($0) }
    }

    public static func parse(_ f: RuleFields) throws -> PartsKind {
        let check = Check(rawValue: try f.required("check").oneOf(Check.allCases.map(\.rawValue), what: "parts check"))!
        let cp = try f["count_pattern"]?.string("count_pattern")
        if f.validate, let cp, let node = f["count_pattern"] {
            try TemplateLoader.checkRegex(cp, at: node, index: 0, what: "count_pattern")
            try PatternSafety.check(cp, at: node, what: "count_pattern")
        }
        return PartsKind(check: check, countPattern: cp)
    }

    public var placeholders: Set<String> { ["part", "number", "heading", "after", "problems"] }
    public var references: RuleReferences { RuleReferences() }

    public func describe(code: (String) -> String) -> [(String, String)] {
        [("checks", "parts — \(code(check.rawValue))")]
    }

    public func evaluate(_ run: RuleRun) {
        let ev = run.ev
        let specs = ev.templates.profile.parts
        let report = ev.report
        switch check {
        case .present:
            // Whether a part is there, asked without copying it (`Report.hasPart`).
            for s in specs where !report.hasPart(s.key) {
                var vars = run.bindingVars()
                vars["part"] = s.title
                vars["number"] = String(s.number)
                let prev = report.parts.last { $0.number < s.number }?.location
                run.emit(vars: vars, defaultKey: "engine.parts.missing", location: FindingLocation(prev))
            }
        case .order:
            // Parts are in document order as read (readers keep it; a submitted model's list order counts).
            var maxSeen = 0
            for p in report.parts {
                if p.number < maxSeen, let before = specs.first(where: { $0.number == maxSeen }) {
                    var vars = run.bindingVars()
                    vars["part"] = specs.first { $0.key == p.key }?.title ?? p.heading
                    vars["heading"] = p.heading
                    vars["after"] = before.title
                    vars["number"] = String(p.number)
                    run.emit(vars: vars, defaultKey: "engine.parts.order", location: FindingLocation(p.location))
                }
                maxSeen = max(maxSeen, p.number)
            }
        case .preamble:
            // The preamble sentence naming the most parts is taken as its list of parts.
            guard let (sentence, named, line) = Self.listingSentence(report.preamble, specs) else { return }
            let sep = run.messages.text("separator.list")
            var problems: [String] = []
            // A handful of parts: asked of the report and of the list directly, without hashing their keys into sets.
            func isNamed(_ key: String) -> Bool { named.contains { $0.key == key } }
            let notNamed = specs.filter { report.hasPart($0.key) && !isNamed($0.key) }.map(\.title)
            let namedAbsent = named.filter { !report.hasPart($0.key) }.map(\.title)
            let unnamedRequired = specs.filter { !isNamed($0.key) && !report.hasPart($0.key) }.map(\.title)
            if !notNamed.isEmpty {
                problems.append(run.messages.text("engine.parts.preamble.not_listed", ["parts": notNamed.joined(separator: sep)]))
            }
            if !namedAbsent.isEmpty {
                problems.append(run.messages.text("engine.parts.preamble.listed_absent", ["parts": namedAbsent.joined(separator: sep)]))
            }
            if !unnamedRequired.isEmpty {
                problems.append(run.messages.text("engine.parts.preamble.both_absent", ["parts": unnamedRequired.joined(separator: sep)]))
            }
            if let cp = countPattern, let rx = countRegex {
                do {
                    if let m = try BoundedRegex.firstMatch(rx, in: sentence),
                        let r = sentence.indexRange(utf16: m.range(withName: "n")), let n = ChineseNumber.parse(String(sentence[r])),
                        n != named.count
                    {
                        problems.append(
                            run.messages.text("engine.parts.preamble.count_mismatch", ["stated": String(n), "listed": String(named.count)]))
                    }
                } catch {
                    run.skip([error.reason(pattern: cp)])
                }
            }
            guard !problems.isEmpty else { return }
            var vars = run.bindingVars()
            vars["problems"] = problems.joined(separator: run.messages.text("separator.reasons"))
            run.emit(vars: vars, defaultKey: "engine.parts.preamble", location: FindingLocation(line))
        }
    }
}

extension PartsKind {
    /// The preamble sentence that names the most parts (at least three; the first of equals), with the parts it
    /// names in template order and its paragraph's location; nil when no sentence names three.
    ///
    /// A sentence's parts are counted only while it can still name more than the best so far (and three): once the
    /// parts not yet asked about could not bring it there, it is passed over, and once a sentence names every part
    /// no later one can do better. The answer is the one of counting every part of every sentence
    /// (`EvaluationFastPathTests`).
    static func listingSentence(_ preamble: [Paragraph], _ specs: [PartSpec]) -> (String, [PartSpec], SourceLocation?)? {
        var best: (String, [PartSpec], SourceLocation?)?
        for para in preamble {
            let (sentences, plainParagraph) = Self.sentences(para.text)
            for sentence in sentences {
                let need = max(3, (best?.1.count ?? 0) + 1)
                if need > specs.count { return best }
                let plain = plainParagraph || TextSearch.isPlain(sentence)
                var named: [PartSpec] = []
                for (k, s) in specs.enumerated() {
                    if named.count + (specs.count - k) < need { break }
                    if s.mentions.contains(where: { TextSearch.contains(sentence, $0, haystackIsPlain: plain) }) { named.append(s) }
                }
                if named.count >= need { best = (sentence, named, para.location) }
            }
        }
        return best
    }

    /// A preamble paragraph split at 。 and ；, and whether it is plain text (`TextSearch.isPlain`). Plain text splits
    /// the same on scalars as on characters (each of its scalars is a character of its own), without comparing
    /// characters; other text is split on characters.
    static func sentences(_ text: String) -> (sentences: [String], plain: Bool) {
        if TextSearch.isPlain(text) { return (plainSentences(text), true) }
        return (text.split(whereSeparator: { $0 == "。" || $0 == "；" }).map(String.init), false)
    }
}

extension PartsKind {
    /// `text` split at 。 (E3 80 82) and ； (EF BC 9B) on its UTF-8 bytes, empty pieces left out, for plain text:
    /// its scalars are its characters, and a separator's bytes only ever encode that separator, so the pieces are
    /// those of the scalar split, copied from the bytes without building strings scalar by scalar.
    static func plainSentences(_ text: String) -> [String] {
        return text.withUTF8Bytes { b in
            var out: [String] = []
            var start = 0, i = 0
            while i < b.count {
                let c = b[i]
                if (c == 0xE3 || c == 0xEF) && i + 2 < b.count
                    && ((c == 0xE3 && b[i + 1] == 0x80 && b[i + 2] == 0x82) || (c == 0xEF && b[i + 1] == 0xBC && b[i + 2] == 0x9B))
                {
                    if start < i { out.append(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[start..<i]))) }
                    i += 3
                    start = i
                    continue
                }
                i += 1
            }
            if start < b.count { out.append(String(knownValidUTF8: UnsafeBufferPointer(rebasing: b[start..<b.count]))) }
            return out
        }
    }
}

/// Reads small Chinese or Arabic numerals (一 … 九十九, 1 … 99).
enum ChineseNumber {
    /// Built once: a dictionary literal inside `parse` was built again on every call.
    static let digits: [Character: Int] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

    static func parse(_ s: String) -> Int? {
        if let n = Int(s) { return n }
        if s == "十" { return 10 }
        if s.count == 1 { return digits[s.first!] }
        let c = Array(s)
        if c.count == 2, c[0] == "十" { return digits[c[1]].map { 10 + $0 } }
        if c.count == 2, c[1] == "十" { return digits[c[0]].map { $0 * 10 } }
        if c.count == 3, c[1] == "十", let a = digits[c[0]], let b = digits[c[2]] { return a * 10 + b }
        return nil
    }

    /// `digits` by scalar value (each key is one scalar).
    static let scalarDigits: [(UInt32, Int)] = digits.map { ($0.key.unicodeScalars.first!.value, $0.value) }
    /// 十.
    static let ten = "十".unicodeScalars.first!.value

    /// `parse` of the string of these scalars, each a character of its own (plain scalars, as
    /// `HeadingsKind.numeralOnPlainScalars` reads them): the same cases in the same order, without hashing
    /// characters.
    static func parse(scalars c: UnsafeBufferPointer<UInt32>) -> Int? {
        func digit(_ v: UInt32) -> Int? {
            for (k, n) in scalarDigits where k == v { return n }
            return nil
        }
        // `Int(s)`: ASCII digits only (no sign: a plain scalar that is a sign is no numeral); at most 18 of them, which
        // never overflow (a heading's numeral has three at most).
        if !c.isEmpty, c.count <= 18, c.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return c.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        if c.count == 1 && c[0] == ten { return 10 }
        if c.count == 1 { return digit(c[0]) }
        if c.count == 2, c[0] == ten { return digit(c[1]).map { 10 + $0 } }
        if c.count == 2, c[1] == ten { return digit(c[0]).map { $0 * 10 } }
        if c.count == 3, c[1] == ten, let a = digit(c[0]), let b = digit(c[2]) { return a * 10 + b }
        return nil
    }
}
