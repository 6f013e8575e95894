import Foundation
import OGIModel
import XCTest

@testable import OGIReaders

#if canImport(_FoundationICU)
    import _FoundationICU
#endif

/// `SimplificationKeys` tells, without ICU, whether the Hant-Hans transform changes a text. Its keys are the
/// generated `HantHansKeys`: they must be the changing rules of the ICU this build links, every character the
/// transform changes on its own must be one, and a text in which none occurs must come out unchanged.
final class SimplificationKeysTests: XCTestCase {
    let keys = SimplificationKeys.hantHans

    /// The rules of the linked ICU, read as the generator reads them: the changing ones' keys are the table.
    func testKeysAreTheChangingRulesOfTheLinkedICU() throws {
        #if canImport(_FoundationICU)
            var status = U_ZERO_ERROR
            let id = Array("Hant-Hans".utf16)
            let transform = try XCTUnwrap(swift_utrans_openU(id, Int32(id.count), UTRANS_FORWARD, nil, 0, nil, &status))
            defer { swift_utrans_close(transform) }
            var buffer = [UChar](repeating: 0, count: 1 << 21)
            let length = swift_utrans_toRules(transform, 0, &buffer, Int32(buffer.count), &status)
            XCTAssertLessThanOrEqual(status.rawValue, 0)
            let rules = String(decoding: buffer[0..<Int(length)], as: UTF16.self)
            var changing = Set<[UInt32]>()
            var plain = 0
            for line in rules.split(separator: "\n") {
                let sides = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " > ")
                XCTAssertEqual(sides.count, 2, "not a plain rule: \(line)")
                guard sides.count == 2, sides[1].hasSuffix(";") else { continue }
                plain += 1
                let key = sides[0], value = String(sides[1].dropLast())
                XCTAssertTrue(key.unicodeScalars.allSatisfy { $0.value >= 0x3000 }, "a key outside CJK: \(line)")
                if Array(key.unicodeScalars) != Array(value.unicodeScalars) { changing.insert(key.unicodeScalars.map(\.value)) }
            }
            XCTAssertGreaterThan(plain, 4000)
            XCTAssertEqual(Set(keys.keys.map { $0.unicodeScalars.map(\.value) }).count, keys.keys.count, "a key listed twice")
            XCTAssertEqual(
                changing, Set(keys.keys.map { $0.unicodeScalars.map(\.value) }),
                "the toolchain's ICU has other Hant-Hans rules than Sources/OGIReaders/HantHansKeys.swift: run scripts/hant-hans-keys/generate.sh"
            )
        #else
            throw XCTSkip("the ICU inside Foundation is not importable here; the other tests still compare with the transform")
        #endif
    }

    /// Every key is changed by the transform as Foundation applies it, and every CJK character (the BMP's and
    /// the supplementary ideographs) that the transform changes on its own is a key: converted 400 at a time,
    /// one per line (no key spans a line feed), and compared line by line.
    func testEveryCharacterTheTransformChangesIsAKey() throws {
        #if !os(Linux)
            throw XCTSkip("Foundation uses the system's ICU here, not the toolchain's the keys were read from")
        #endif
        let simplify = { (s: String) in s.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? s }
        for k in keys.keys { XCTAssertNotEqual(simplify(k), k, k) }
        var scalars: [Unicode.Scalar] = []
        for range in [0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0x2_0000...0x3_134F] {
            for v in range { if let u = Unicode.Scalar(UInt32(v)), u.properties.generalCategory != .unassigned { scalars.append(u) } }
        }
        XCTAssertGreaterThan(scalars.count, 90_000)
        var changed = 0
        for start in stride(from: 0, to: scalars.count, by: 400) {
            let chunk = scalars[start..<min(scalars.count, start + 400)]
            let lines = chunk.map { String($0) }
            let out = simplify(lines.joined(separator: "\n")).components(separatedBy: "\n")
            XCTAssertEqual(out.count, lines.count)
            guard out.count == lines.count else { continue }
            for (line, converted) in zip(lines, out) {
                let isKey = keys.occurs(in: line)
                XCTAssertEqual(converted != line, isKey, "U+\(String(line.unicodeScalars.first!.value, radix: 16, uppercase: true))")
                if isKey { changed += 1 }
            }
        }
        XCTAssertGreaterThan(changed, 2500)
    }

    /// Texts in which no key occurs come out of the transform unchanged; those with a key may change. Simplified
    /// wording around phrase keys whose characters are not changed alone (巡察 becomes 巡查), keys at the start
    /// and end of a line, and traditional text.
    func testTextsWithoutAKeyAreUnchanged() throws {
        #if !os(Linux)
            throw XCTSkip("Foundation uses the system's ICU here, not the toolchain's the keys were read from")
        #endif
        let simplify = { (s: String) in s.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? s }
        let texts = [
            "", "abc 123", "政府信息公开工作年度报告", "一、总体情况", "巡察", "开展巡察工作", "巡", "察", "巡 察", "稽察", "份子", "像片",
            "五嶽", "嶽", "國", "總體情況", "关系", "關係", "乾隆", "干部", "著作", "显著", "资讯", "\u{2E80}", "𠀀", "a國", "國a",
            "本机关", "收到和处理政府信息公开申请情况", "存在的主要问题及改进情况", "其他需要报告的事项",
        ]
        var changing = 0
        for t in texts {
            if keys.occurs(in: t) {
                changing += 1
            } else {
                XCTAssertEqual(simplify(t), t, t)
            }
        }
        XCTAssertTrue(keys.occurs(in: "开展巡察工作"))
        XCTAssertFalse(keys.occurs(in: "巡"))
        XCTAssertFalse(keys.occurs(in: "政府信息公开工作年度报告"))
        XCTAssertTrue(keys.occurs(in: "關係"))
        XCTAssertTrue(keys.occurs(in: "國a"))
        XCTAssertGreaterThan(changing, 8)
    }
}
