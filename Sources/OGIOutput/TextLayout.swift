import OGIModel

/// Column layout and safe rendering for terminal text: display widths, padding, positions, and control
/// characters made visible.
public enum TextLayout {
    /// Columns `s` takes on a terminal: East Asian wide and fullwidth characters count two, combining
    /// marks and zero-width characters none.
    public static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += width(u) }
        return w
    }

    static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return 1 }
        if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }

    /// Pads by display width so columns line up; at least one space follows, so a long value never
    /// runs into the next column.
    public static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(1, width - displayWidth(s)))
    }

    /// `12` for a line, `p3:12` for a line on a PDF page, `¶7` for a DOCX paragraph, `-` when unknown.
    public static func position(_ l: FindingLocation) -> String {
        if let line = l.line { return l.page.map { "p\($0):\(line)" } ?? "\(line)" }
        if let p = l.paragraph { return "¶\(p)" }
        return "-"
    }

    /// The position as a reviewer can follow it in the document: the line (or page and line, or paragraph) when
    /// the finding has one and it means something; otherwise, and on a web page whose body is one line, the
    /// table, row and cell the finding is about (`T5/R7/C3`, 1-based, as the reader counted them).
    public static func position(_ l: FindingLocation, in report: Report?) -> String {
        let plain = position(l)
        guard let report else { return plain }
        let oneLine = isOneLinePage(report)
        if plain != "-" && !oneLine { return plain }
        if let s = element(l, in: report) {
            let parts = [s.tableIndex.map { "T\($0)" }, s.rowIndex.map { "R\($0)" }, s.cellIndex.map { "C\($0)" }].compactMap { $0 }
            if !parts.isEmpty { return parts.joined(separator: "/") }
            if let p = s.paragraph { return "¶\(p)" }
        }
        return oneLine ? "-" : plain
    }

    /// An HTML page whose headings and tables all sit on one source line: its line numbers point nowhere useful.
    static func isOneLinePage(_ report: Report) -> Bool {
        guard report.sourceFormat == "html" else { return false }
        let lines = (report.parts.map(\.location) + report.tables.map(\.location)).compactMap { $0?.line }
        return lines.count > 1 && Set(lines).count == 1
    }

    /// Where the cell, row or table a finding names was read.
    static func element(_ l: FindingLocation, in report: Report) -> SourceLocation? {
        if let key = l.cell {
            // `table.row.column`, where table and row keys may themselves contain dots: try every split.
            let p = key.split(separator: ".").map(String.init)
            for i in 1..<max(1, p.count) {
                guard let t = report.table(p[..<i].joined(separator: ".")) else { continue }
                for j in (i + 1)..<max(i + 1, p.count) {
                    if let row = t.row(p[i..<j].joined(separator: ".")),
                        let c = row.cells.first(where: { $0.column == p[j...].joined(separator: ".") })
                    {
                        return c.location ?? row.location
                    }
                }
            }
        }
        if let label = l.row {
            for t in report.tables {
                if let row = t.rows.first(where: { $0.label == label || $0.matchedVariant == label || $0.label.hasSuffix(label) }) {
                    return row.location
                }
            }
        }
        return nil
    }

    /// `s` with every control character shown rather than obeyed, so report text and file names cannot move
    /// the cursor, clear the screen, set the window title or ring the bell: C0 controls become their
    /// Control Pictures (ESC → ␛), DEL → ␡, C1 controls and bidirectional overrides `<U+XXXX>`. Line feeds
    /// stay when `keepNewlines` (messages), tabs become a space.
    public static func visible(_ s: String, keepNewlines: Bool = true) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0A where keepNewlines: out.append(u)
            case 0x09: out.append(" ")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + u.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069:
                out.append(contentsOf: "<U+\(String(u.value, radix: 16, uppercase: true))>".unicodeScalars)
            default: out.append(u)
            }
        }
        return String(out)
    }

    static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x20 && v != 0x0A) || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}

/// The old name of `TextLayout`, still used by the rule list.
public typealias TextFormatter = TextLayout
