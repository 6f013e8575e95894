import Foundation
import OGIModel

/// Pairs the reports of a folder with last year's report of the same agency, for `Engine.check(_:previous:)`.
/// Two reports pair when their agencies are the same (ignoring spaces and punctuation) and their years are
/// consecutive; a report whose agency or year is unknown, or whose agency has two reports for last year, is not
/// paired (guessing the wrong previous report would report differences that are not there).
public enum PreviousPairing {
    /// What pairing needs of a report: its agency reduced to letters, digits and CJK characters, and its year.
    /// A batch keeps only this of each input until pairing is done, so memory stays small.
    public struct Key: Sendable, Hashable {
        public var agency: String
        public var year: Int
    }

    /// The pairing key of a report's metadata; nil when its agency or year is unknown.
    public static func key(of metadata: Metadata) -> Key? {
        guard let a = metadata.agency, let y = metadata.year else { return nil }
        // Most agency names are letters only (a Chinese name): the name itself, not a copy of its scalars.
        let k = a.unicodeScalars.allSatisfy(isKeptInKey) ? a : String(String.UnicodeScalarView(a.unicodeScalars.filter(isKeptInKey)))
        return k.isEmpty ? nil : Key(agency: k, year: y)
    }

    /// `CharacterSet.alphanumerics`, made once: its static getter builds the set again on every call (about 900
    /// instructions a scalar, a sixth of a report's pairing reading).
    private static let alphanumerics = CharacterSet.alphanumerics

    /// `CharacterSet.alphanumerics.contains(u)`: an ASCII scalar is one exactly when it is a letter or a digit
    /// (the set is Unicode's letters, marks and numbers), and so is every CJK ideograph of U+4E00...U+9FEF (all
    /// letters since Unicode 11); the others are asked of the set. `PairingKeyScalarTests` asks every scalar.
    static func isKeptInKey(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x80 { return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
        if v >= 0x4E00 && v <= 0x9FEF { return true }
        return alphanumerics.contains(u)
    }

    /// Index pairs into `reports`: (this year's report, last year's report).
    public static func pairIndices(_ reports: [Report]) -> [(current: Int, previous: Int)] {
        pairIndices(keys: reports.map { key(of: $0.metadata) })
    }

    /// Index pairs into `keys` (nil: a report that cannot be paired): (this year's, last year's).
    public static func pairIndices(keys: [Key?]) -> [(current: Int, previous: Int)] {
        var byKey: [Key: [Int]] = [:]
        for (i, k) in keys.enumerated() {
            guard let k else { continue }
            byKey[k, default: []].append(i)
        }
        var out: [(current: Int, previous: Int)] = []
        for (i, k) in keys.enumerated() {
            guard let k else { continue }
            let (last, overflow) = k.year.subtractingReportingOverflow(1)
            guard !overflow, let candidates = byKey[Key(agency: k.agency, year: last)], candidates.count == 1 else { continue }
            out.append((i, candidates[0]))
        }
        return out
    }

    /// The reports paired: (this year's report, last year's report).
    public static func pair(_ reports: [Report]) -> [(current: Report, previous: Report)] {
        pairIndices(reports).map { (reports[$0.current], reports[$0.previous]) }
    }
}
