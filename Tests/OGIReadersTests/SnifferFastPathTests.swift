import Foundation
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `InputSniffer.caselessLowercased` scans and lower-cases the UTF-8 bytes; it must give what the scalar
/// reading it replaced gave (the same texts accepted, the same forms), which in turn equals `lowercased()`
/// and Foundation's trimming (`FastPathTests.testSnifferShortcutEqualsLowercasingAndTrimming`).
final class SnifferFastPathTests: XCTestCase {
    /// The scalar reading as it was.
    static func referenceCaselessLowercased(_ text: String) -> (lowercased: String, trimmed: String)? {
        for u in text.unicodeScalars {
            switch u.value {
            case 0x200C, 0x200D, 0x302A...0x302F: return nil
            case 0...0x7F, 0x2000...0x206F, 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF20, 0xFF3B...0xFF40,
                0xFF5B...0xFF64, 0xFFFD:
                continue
            default: return nil
            }
        }
        let lowered = String(
            String.UnicodeScalarView(text.unicodeScalars.map { u in (0x41...0x5A).contains(u.value) ? Unicode.Scalar(u.value + 0x20)! : u })
        )
        return (lowered, lowered.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Scalars at and around every edge of the accepted blocks, capitals, white space and marks.
    static let pieces: [String] = {
        let edges: [UInt32] = [
            0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7F, 0x80, 0xC9, 0x7FF, 0x800, 0x1FFF, 0x2000, 0x200B, 0x200C, 0x200D, 0x200E,
            0x2028,
            0x206F, 0x2070, 0x2FFF, 0x3000, 0x3029, 0x302A, 0x302F, 0x3030, 0x303F, 0x3040, 0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00,
            0x9FFF, 0xA000, 0xFF00, 0xFF01, 0xFF20, 0xFF21, 0xFF3A, 0xFF3B, 0xFF40, 0xFF41, 0xFF5A, 0xFF5B, 0xFF64, 0xFF65, 0xFEFF, 0xFFFC,
            0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x20000,
        ]
        return edges.compactMap { Unicode.Scalar($0).map { String($0) } } + [
            " ", "\n", "\r\n", "\t", "\u{3000}", "PDF", "Html", "<HTML>", "{\"OGILINT_MODEL\": 1}", "报告", "Ogilint_Model:",
        ]
    }()

    func testGeneratedTextsGiveTheScalarReadingsForms() {
        var state: UInt64 = 7
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var texts = Self.pieces
        for _ in 0..<4000 {
            texts.append((0..<(next() % 8)).map { _ in Self.pieces[next() % Self.pieces.count] }.joined())
        }
        var accepted = 0, capitals = 0
        for t in texts {
            let fast = InputSniffer.caselessLowercased(t)
            let reference = Self.referenceCaselessLowercased(t)
            XCTAssertEqual(fast?.lowercased, reference?.lowercased, t.debugDescription)
            XCTAssertEqual(fast?.trimmed, reference?.trimmed, t.debugDescription)
            XCTAssertEqual(fast == nil, reference == nil, t.debugDescription)
            if fast != nil { accepted += 1; if fast!.lowercased != t { capitals += 1 } }
        }
        XCTAssertGreaterThan(accepted, 500)
        XCTAssertGreaterThan(capitals, 200)
    }

    /// The heads of the sample and corpus files as the sniffer cuts them (2,048 bytes, maybe inside a scalar).
    func testFileHeadsGiveTheScalarReadingsForms() throws {
        var heads = 0
        for (name, text) in try FastPathTests.texts() {
            for cut in [2048, 2047, 2046, 100] {
                let head = String(decoding: Array(text.utf8.prefix(cut)), as: UTF8.self)
                let fast = InputSniffer.caselessLowercased(head)
                let reference = Self.referenceCaselessLowercased(head)
                XCTAssertEqual(fast?.lowercased, reference?.lowercased, name)
                XCTAssertEqual(fast?.trimmed, reference?.trimmed, name)
                heads += 1
            }
        }
        XCTAssertGreaterThan(heads, 100)
    }
}
