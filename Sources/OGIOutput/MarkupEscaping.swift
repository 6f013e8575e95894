import Foundation

/// Escaping of text for the markup outputs (the HTML report and JUnit XML): the markup characters become
/// entities and the code points the target forbids are dropped.
enum MarkupEscaping {
    enum Target {
        /// HTML content and attribute values: C0 controls other than line feed and tab, DEL and C1 controls dropped.
        case html
        /// XML 1.0 content and attribute values: C0 controls other than tab, line feed and carriage return, and
        /// U+FFFE/U+FFFF dropped; the apostrophe escaped too.
        case xml
    }

    static func escape(_ s: String, for target: Target) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'" where target == .xml: out += "&apos;"
            default:
                if dropped(u, target) { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func dropped(_ u: Unicode.Scalar, _ target: Target) -> Bool {
        switch target {
        case .html: return (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F..<0xA0).contains(u.value)
        case .xml: return (u.value < 0x20 && u != "\n" && u != "\t" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF
        }
    }
}
