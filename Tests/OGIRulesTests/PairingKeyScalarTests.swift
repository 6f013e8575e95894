import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIRules

/// The pairing key keeps an agency's letters, digits and CJK characters (`CharacterSet.alphanumerics`), asked of
/// a set made once and, for ASCII, of the byte value (`PreviousPairing.isKeptInKey`).
final class PairingKeyScalarTests: XCTestCase {
    func testEveryScalarIsKeptAsTheCharacterSetKeepsIt() {
        // Every scalar of the Basic Multilingual Plane and the first supplementary planes.
        var kept = 0
        for v in UInt32(0)...0x2_FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            let expected = CharacterSet.alphanumerics.contains(u)
            XCTAssertEqual(PreviousPairing.isKeptInKey(u), expected, "U+\(String(v, radix: 16))")
            if expected { kept += 1 }
        }
        XCTAssertGreaterThan(kept, 100_000)
    }

    func testKeysOfAgenciesAreTheFilteredNames() {
        var rng = SplitMix(seed: 1_206)
        let alphabet = Array("某市人民政府办公室 （）()·、，.-_Ab9０１ＡｂéⅣ①😀\u{301}\t".unicodeScalars)
        for _ in 0..<3_000 {
            var m = Metadata()
            m.agency = rng.string(from: alphabet, maxLength: 16)
            m.year = 2021
            let reference = String(String.UnicodeScalarView(m.agency!.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
            XCTAssertEqual(PreviousPairing.key(of: m)?.agency, reference.isEmpty ? nil : reference)
        }
    }
}
