import Foundation
import OGIModel

/// Exact shortcuts for finding part headings among a page's texts (`HTMLReader.reportBody`), where most texts
/// are neither numbered nor headings.
struct HeadingScan {
    /// The scalars a numbered text can start with once normalised: `(`, ASCII digits and the numerals; nil when
    /// the numerals are not all plain scalars (then every text is read in full).
    let numberingStarts: ScalarSet?
    /// True when every heading is plain-scalar text (`FastText.isPlainScalar`).
    let plainHeadings: Bool
    /// True when every heading starts with a plain scalar that is not a `numberByte` (a text of number bytes only
    /// then holds no heading: `holdsNoHeading`).
    let headingsStartOutsideNumbers: Bool

    init(numerals: String, headings: [[String]]) {
        if numerals.unicodeScalars.allSatisfy(FastText.isPlainScalar) {
            var starts = ScalarSet("(0123456789".unicodeScalars)
            for u in numerals.unicodeScalars { starts.insert(u) }
            numberingStarts = starts
        } else {
            numberingStarts = nil
        }
        plainHeadings = headings.allSatisfy { $0.allSatisfy { $0.unicodeScalars.allSatisfy(FastText.isPlainScalar) } }
        headingsStartOutsideNumbers = headings.allSatisfy { forms in
            forms.allSatisfy { h in
                guard let u = h.unicodeScalars.first else { return false }
                return FastText.isPlainScalar(u) && !(u.isASCII && Self.isNumberByte(UInt8(u.value)))
            }
        }
    }

    /// The bytes of a table's figures: ASCII digits, `.,:()%+-/` and the white space `LabelText.normalize` drops.
    @inline(__always) static func isNumberByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x2E, 0x2C, 0x3A, 0x28, 0x29, 0x25, 0x2B, 0x2D, 0x2F, 0x20, 0x09, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// True only when no heading can start the text once normalised and stripped of its numbering: every byte is
    /// a number byte (most texts of a table's cells) and every heading starts outside them. Normalising drops the
    /// white space and keeps the other bytes; stripping the numbering leaves an end of what is left
    /// (`LabelText.stripNumbering`), so of number bytes only; a heading's first scalar is a plain scalar, a
    /// character of its own equal only to itself, which no number byte is.
    func holdsNoHeading(utf8 text: UnsafePointer<UInt8>) -> Bool {
        guard headingsStartOutsideNumbers else { return false }
        var i = 0
        while text[i] != 0 {
            if !Self.isNumberByte(text[i]) { return false }
            i += 1
        }
        return true
    }

    /// False only when `LabelText.stripNumbering(LabelText.normalize(text), numerals:)` surely returns its input:
    /// the text is only white space (normalised, it is empty), or its first scalar once normalised (white space
    /// left out, full-width forms made ASCII) is a plain scalar that is not `(`, a digit or a numeral. A plain
    /// scalar is a character of its own, equal only to itself, so no numbering can start there.
    func mayBeNumbered(_ text: String) -> Bool {
        guard let starts = numberingStarts else { return true }
        for u in text.unicodeScalars {
            if FastText.isSpace(u) { continue }
            let m = (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
            return !FastText.isPlainScalar(m) || starts.contains(m)
        }
        return false
    }

    /// `mayBeNumbered(String(cString: text))` without making the string: the scalars are decoded from the bytes
    /// as `String` decodes them (an ill-formed sequence reads as U+FFFD, which is neither white space nor plain,
    /// so the answer is the same however the sequence is cut).
    func mayBeNumbered(utf8 text: UnsafePointer<UInt8>) -> Bool {
        guard let starts = numberingStarts else { return true }
        var bytes = UnsafeBufferPointer(start: text, count: strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self)))
            .makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            let u: Unicode.Scalar
            switch decoder.decode(&bytes) {
            case .scalarValue(let s): u = s
            case .emptyInput: return false
            case .error: u = "\u{FFFD}"
            }
            if FastText.isSpace(u) { continue }
            let m = (0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u
            return !FastText.isPlainScalar(m) || starts.contains(m)
        }
    }

    /// `text.hasPrefix(prefix)`; by bytes when both are plain-scalar text (`plain`), where every scalar is a
    /// character of its own and equal only to itself, so characters compare as their bytes do.
    @inline(__always) static func hasPrefix(_ text: String, _ prefix: String, plain: Bool) -> Bool {
        guard plain else { return text.hasPrefix(prefix) }
        let t = text.utf8, p = prefix.utf8
        guard p.count <= t.count else { return false }
        if p.isEmpty { return true }
        // The bytes compared in place when both strings are stored contiguously (native strings are).
        let compared = t.withContiguousStorageIfAvailable { tb in
            p.withContiguousStorageIfAvailable { pb in memcmp(tb.baseAddress!, pb.baseAddress!, pb.count) == 0 }
        }
        if let c = compared, let equal = c { return equal }
        return t.starts(with: p)
    }
}
