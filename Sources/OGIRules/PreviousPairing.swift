import Foundation
import OGIModel

/// Pairs the reports of a folder with last year's report of the same agency, for `Engine.check(_:previous:)`.
/// Two reports pair when their agencies are the same (ignoring spaces and punctuation) and their years are
/// consecutive; a report whose agency or year is unknown, or whose agency has two reports for last year, is not
/// paired (guessing the wrong previous report would report differences that are not there).
public enum PreviousPairing {
    /// Index pairs into `reports`: (this year's report, last year's report).
    public static func pairIndices(_ reports: [Report]) -> [(current: Int, previous: Int)] {
        var byKey: [String: [Int]] = [:]
        for (i, r) in reports.enumerated() {
            guard let key = key(r) else { continue }
            byKey[key, default: []].append(i)
        }
        var out: [(current: Int, previous: Int)] = []
        for (i, r) in reports.enumerated() {
            guard let agency = agencyKey(r), let year = r.metadata.year else { continue }
            let (last, overflow) = year.subtractingReportingOverflow(1)
            guard !overflow, let candidates = byKey["\(agency)#\(last)"], candidates.count == 1 else { continue }
            out.append((i, candidates[0]))
        }
        return out
    }

    /// The reports paired: (this year's report, last year's report).
    public static func pair(_ reports: [Report]) -> [(current: Report, previous: Report)] {
        pairIndices(reports).map { (reports[$0.current], reports[$0.previous]) }
    }

    static func key(_ r: Report) -> String? {
        guard let a = agencyKey(r), let y = r.metadata.year else { return nil }
        return "\(a)#\(y)"
    }

    /// The agency name reduced to letters, digits and CJK characters.
    static func agencyKey(_ r: Report) -> String? {
        guard let a = r.metadata.agency else { return nil }
        let k = String(String.UnicodeScalarView(a.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
        return k.isEmpty ? nil : k
    }
}
