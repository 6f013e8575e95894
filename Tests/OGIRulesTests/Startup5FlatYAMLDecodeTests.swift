import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIRules

/// `FlatYAML.decode` writes its records straight into a list of the most nodes the bytes can hold: it reads what
/// the record-by-record reader (`decodeByRecords`) reads from the encodings of every rule file, test YAML file and
/// edge document, and from their cuts, flipped bytes and random bytes (nil for the same bytes).
final class FlatYAMLDecodeTests: XCTestCase {
    func described(_ r: (table: FlatYAML, roots: [Int?])?) -> String {
        guard let r else { return "nil" }
        var out = "\(r.roots)\n"
        for n in r.table.nodes { out += "\(n.kind) \(n.style) \(n.line) \(n.column) \(n.a) \(n.b)\n" }
        return out
    }

    func assertSame(_ bytes: [UInt8], _ range: Range<Int>, _ count: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            described(FlatYAML.decode(bytes, range: range, count: count)),
            described(FlatYAML.decodeByRecords(bytes, range: range, count: count)), "\(range) \(count)", file: file, line: line)
    }

    func testDecodeReadsWhatTheRecordReaderReads() throws {
        var texts: [String] = []
        for folders in RuleLoadingCacheTests.folderSets {
            for folder in folders {
                for f in try RulePackLoader.ruleFiles(in: folder) { texts.append(try String(contentsOfFile: f, encoding: .utf8)) }
            }
        }
        for f in try FlatYAMLTests.yamlFiles() { texts.append(try String(contentsOfFile: f, encoding: .utf8)) }
        texts += FlatYAMLTests.edgeDocuments
        let trees = texts.compactMap { try? YAMLEventReader.document($0) }
        XCTAssertGreaterThan(trees.count, 20)
        var rng = SplitMix(seed: 0xf1a7)
        // All documents as one table (what an entry holds), and each alone with a prefix before it.
        var all = TreeEncoder()
        for t in trees { all.document(t) }
        assertSame(all.bytes, 0..<all.bytes.count, trees.count)
        XCTAssertNotEqual(described(FlatYAML.decode(all.bytes, range: 0..<all.bytes.count, count: trees.count)), "nil")
        for (i, t) in trees.enumerated() {
            var w = TreeEncoder()
            w.string("prefix \(i)")
            let start = w.bytes.count
            w.document(t)
            w.document(nil)
            let bytes = w.bytes
            assertSame(bytes, start..<bytes.count, 2)
            assertSame(bytes, start..<bytes.count, 1)
            assertSame(bytes, start..<bytes.count, 3)
            for _ in 0..<20 {
                let cut = start + Int(rng.next() % UInt64(bytes.count - start + 1))
                assertSame(bytes, start..<cut, 2)
                var flipped = bytes
                let at = start + Int(rng.next() % UInt64(bytes.count - start))
                flipped[at] = UInt8(truncatingIfNeeded: rng.next())
                assertSame(flipped, start..<bytes.count, 2)
            }
        }
        for _ in 0..<3000 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 7 == 0 ? rng.next() : rng.next() % 6) }
            assertSame(bytes, 0..<bytes.count, Int(rng.next() % 4))
        }
        assertSame([], 0..<0, 0)
        assertSame([], 0..<0, 1)
    }
}
