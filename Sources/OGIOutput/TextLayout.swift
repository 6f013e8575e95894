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
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
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
