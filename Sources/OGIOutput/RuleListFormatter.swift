import Foundation
import OGIModel
import OGIRules

/// Listing and explaining rules (`ogilint rules`).
public enum RuleListFormatter {
    public static func list(_ rules: [Rule]) -> String {
        var out = ""
        for r in rules {
            out +=
                "\(TextFormatter.pad(r.id, 20))\(TextFormatter.pad(r.severity.rawValue, 8))\(TextFormatter.pad(r.category.rawValue, 13))\(r.title)\n"
        }
        out += "\(rules.count) rules\n"
        return out
    }

    public static func explain(_ r: Rule) -> String {
        var out = "\(r.id) — \(r.title)\n"
        out += "  severity:  \(r.severity.rawValue)\n  category:  \(r.category.rawValue)\n  kind:      \(r.kindName)\n"
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
    /// `code` marks up keys and expressions (identity for text, backticks for Markdown). The kind describes itself.
    public static func facts(_ r: Rule, code: (String) -> String) -> [(String, String)] {
        var out = r.kind.describe(code: code)
        if !r.appliesToEveryTemplate || r.templatesStated {
            let why = r.templatesStated ? " (as the rule states)" : " only (the other templates lack cells it reads)"
            out.append(("templates", r.templates.map(code).joined(separator: ", ") + why))
        }
        return out
    }
}
