import Foundation
import OGIAnalysis
import OGIModel
import OGITestSupport
import XCTest

/// `TextSearch.bytesContain` (the C library's `memmem`) answers as the byte loop it replaces (`FastText.contains`).
final class ByteSearchTests: XCTestCase {
    func testBytesContainAgreesWithTheByteLoopOnGeneratedText() {
        let pieces = ["收到", "申请", "件", "0", "1", "2", "，", "。", "a", "ab", "", "\u{301}", "e", "政府信息", "公开", "aaa"]
        var rng = SplitMix(seed: 5)
        func text(_ n: Int) -> String { (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        for _ in 0..<20_000 {
            let h = text(Int(rng.next() % 30)), n = text(Int(rng.next() % 4))
            XCTAssertEqual(TextSearch.bytesContain(h, n), FastText.contains(h, n), "\(h.debugDescription) \(n.debugDescription)")
        }
    }

    func testBytesContainAgreesOnARealReport() throws {
        let report = try String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8)
        let words = report.components(separatedBy: CharacterSet(charactersIn: "，。；\n")).filter { !$0.isEmpty }.prefix(300)
        for w in words + ["不存在的词语", "2021年", "依申请公开"] {
            XCTAssertEqual(TextSearch.bytesContain(report, w), FastText.contains(report, w), w)
            XCTAssertEqual(TextSearch.bytesContain(report, w + "X"), FastText.contains(report, w + "X"), w)
        }
    }
}
