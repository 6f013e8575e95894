import Foundation
import OGIModel
import OGIRules

/// Listing and explaining rules (`ogilint rules`).
public enum RuleListFormatter {
    public static func list(_ rules: [Rule]) -> String {
        var out = ""
        for r in rules {
            out += "\(TextFormatter.pad(r.id, 20))\(TextFormatter.pad(r.severity.rawValue, 8))\(TextFormatter.pad(r.category.rawValue, 13))\(r.title)\n"
        }
        out += "\(rules.count) rules\n"
        return out
    }

    public static func explain(_ r: Rule) -> String {
        var out = "\(r.id) — \(r.title)\n"
        out += "  severity:  \(r.severity.rawValue)\n  category:  \(r.category.rawValue)\n  kind:      \(r.kind.name)\n"
        if let ref = r.reference { out += "  reference: \(ref)\n" }
        if let w = r.when { out += "  applies when: \(w)\n" }
        for (label, text) in facts(r, code: { $0 }) {
            out += "  " + (label + ":").padding(toLength: 11, withPad: " ", startingAt: 0) + text + "\n"
        }
        if let d = r.description { out += "\n  \(d)\n" }
        if let fix = r.fix { out += "\n  fix: \(fix)\n" }
        out += "\n  defined in \(r.file):\(r.line)\n"
        return out
    }

    /// What a rule checks, as (label, text) lines shared by `ogilint rules ID` and the rule reference;
    /// `code` marks up keys and expressions (identity for text, backticks for Markdown).
    public static func facts(_ r: Rule, code: (String) -> String) -> [(String, String)] {
        var out: [(String, String)] = []
        func list(_ t: [String]) -> String { t.map(code).joined(separator: ", ") }
        switch r.kind {
        case let .assert(e, forEach, tolerance, _):
            out.append(("checks", code("\(e)")))
            if let f = forEach { out.append(("for each", describe(f))) }
            if tolerance != 0 { out.append(("tolerance", ExactDecimal.format(tolerance))) }
        case let .sum(table, total, parts, along, forEach, tolerance):
            out.append(("checks", "\(code(table)): \(code(total)) = \(parts.map(code).joined(separator: " + ")) (parts are \(along.rawValue))"))
            if let f = forEach { out.append(("for each", describe(f))) }
            if tolerance != 0 { out.append(("tolerance", ExactDecimal.format(tolerance))) }
        case let .cells(tables, kinds, match):
            out.append(("checks", "cells that are \(code(match.rawValue)) in \(list(tables)) (column kinds: \(kinds.map(\.rawValue).sorted().joined(separator: ", ")))"))
        case let .complete(tables):
            out.append(("checks", "every table, row and cell of \(list(tables)) is present"))
        case let .parts(check, _):
            out.append(("checks", "parts — \(code(check.rawValue))"))
        case let .labels(tables):
            out.append(("checks", "row labels in \(list(tables)) use the template's wording"))
        }
        return out
    }

    static func describe(_ it: Iteration) -> String {
        switch it {
        case let .columns(t, except): return "column of \(t)" + (except.isEmpty ? "" : " except \(except.joined(separator: ", "))") + " ($col)"
        case let .rows(t, except): return "row of \(t)" + (except.isEmpty ? "" : " except \(except.joined(separator: ", "))") + " ($row)"
        case let .values(v, name): return "\(v.joined(separator: ", ")) ($\(name))"
        }
    }
}
