import Foundation
import OGIAnalysis
import OGITestSupport
import XCTest

/// Vocabulary and real texts shared by the analysis tests. The word lists here stand in for the rule YAML.
enum Fixtures {
    static let vocabulary = ProseVocabulary(
        units: ["件", "条", "项", "篇", "个", "万元", "元", "期", "家", "场", "次"],
        percentUnits: ["%", "％"],
        unitGroups: [["条", "篇"]],
        breakdownMarkers: ["其中", "分类："],
        breakdownMarkersAfterQuantity: ["：", ":"],
        openEndedMarkers: ["等"],
        continuationMarkers: ["此外", "另外"],
        yearOnYearMarkers: ["同比", "比上年", "较上年"],
        increaseWords: ["增长", "增加", "上升"],
        decreaseWords: ["下降", "减少"],
        shareMarkers: ["占"])

    static func facts(_ paragraphs: [String], join: Bool = false) -> ProseFacts {
        ProseFacts(text: ProseText(paragraphs: paragraphs, joinWrappedLines: join), vocabulary: vocabulary)
    }

    /// The report lines of a file in ../shared (the header above the first "---" and any researcher's notes
    /// removed), or a skip when the shared folder is not beside the repository.
    static func sharedLines(_ relative: String) throws -> [String] {
        guard let shared = Repo.shared else { throw XCTSkip("../shared is not available") }
        let text = try String(contentsOfFile: (shared as NSString).appendingPathComponent(relative), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if relative.hasPrefix("corpus/"), let sep = lines.firstIndex(of: "---") { lines.removeFirst(sep + 1) }
        if let notes = lines.firstIndex(where: { $0.hasPrefix("--- researcher") }) { lines.removeLast(lines.count - notes) }
        return lines
    }

    static func seedLines() throws -> [String] { try sharedLines("seed/000_39c027d6b48abaaa.txt") }

    /// Every text report in samples/ and samples/broken, then the corpus's when ../shared is beside the repository.
    static func sampleAndCorpusTextFiles() -> [String] {
        var files: [String] = []
        for dir in ["samples", "samples/broken"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Repo.path(dir))) ?? []
            files += names.filter { $0.hasSuffix(".txt") }.map { Repo.path(dir + "/" + $0) }
        }
        if let corpus = Repo.shared.map({ ($0 as NSString).appendingPathComponent("corpus") }),
            let names = try? FileManager.default.contentsOfDirectory(atPath: corpus)
        {
            files += names.filter { $0.hasSuffix(".txt") }.map { (corpus as NSString).appendingPathComponent($0) }
        }
        return files
    }
}
