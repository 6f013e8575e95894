import Foundation
import OGIModel
import XCTest

@testable import OGIReaders

#if canImport(_FoundationICU)
    import _FoundationICU
#endif

/// `SimplificationKeys` tells, without ICU, whether the Hant-Hans transform changes a text, and converts it. Its
/// rules are the generated `HantHansRules`: they must be the rules of the ICU this build links, in ICU's order,
/// every character the transform changes on its own must be a changing key, a text in which none occurs must come
/// out unchanged, and the conversion must give what ICU gives.
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
            var icuRules: [[UInt32]] = []
            for line in rules.split(separator: "\n") {
                let sides = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " > ")
                XCTAssertEqual(sides.count, 2, "not a plain rule: \(line)")
                guard sides.count == 2, sides[1].hasSuffix(";") else { continue }
                let key = sides[0], value = String(sides[1].dropLast())
                XCTAssertTrue(key.unicodeScalars.allSatisfy { $0.value >= 0x3000 }, "a key outside CJK: \(line)")
                if Array(key.unicodeScalars) != Array(value.unicodeScalars) { changing.insert(key.unicodeScalars.map(\.value)) }
                // A rule as the generated text writes it, key, '>' and value, by scalars.
                icuRules.append(key.unicodeScalars.map(\.value) + [0x3E] + value.unicodeScalars.map(\.value))
            }
            XCTAssertGreaterThan(icuRules.count, 4000)
            XCTAssertEqual(Set(keys.keys.map { $0.unicodeScalars.map(\.value) }).count, keys.keys.count, "a key listed twice")
            XCTAssertEqual(
                changing, Set(keys.keys.map { $0.unicodeScalars.map(\.value) }),
                "the toolchain's ICU has other Hant-Hans rules than Sources/OGIReaders/HantHansRules.swift: run scripts/hant-hans-keys/generate.sh"
            )
            // Every rule, its value and its place in ICU's order (the conversion takes the first rule that matches).
            let generated = HantHansRules.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.unicodeScalars.map(\.value) }
            XCTAssertEqual(generated.count, HantHansRules.count)
            XCTAssertTrue(
                generated == icuRules,
                "the toolchain's ICU has other Hant-Hans rules, or another order, than Sources/OGIReaders/HantHansRules.swift: run scripts/hant-hans-keys/generate.sh"
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

    /// `occurs`, read on the bytes, answers as a reading of the text's scalars does: for every changing key, each key
    /// cut short, each key between other text, and every line of the samples (and the corpus, when beside the
    /// workspace).
    func testOccursOnBytesIsTheScalarReading() throws {
        func reference(_ s: String) -> Bool {
            let u = Array(s.unicodeScalars)
            return u.indices.contains { keys.changingFirsts.contains(u[$0]) && keys.firstRule(at: $0, of: u, changingOnly: true) != nil }
        }
        let all = keys.keys
        XCTAssertGreaterThan(all.count, 2500)
        var texts = all + all.map { String($0.unicodeScalars.dropLast()) } + all.map { "报告" + $0 + "a" }
        texts += all.map { String($0.unicodeScalars.dropFirst()) + "，" + String($0.unicodeScalars.prefix(1)) }
        texts += try FastPathTests.texts().flatMap { $0.text.components(separatedBy: "\n") }
        var hits = 0, misses = 0
        for t in texts {
            let ref = reference(t)
            XCTAssertEqual(keys.occurs(in: t), ref, t)
            if ref { hits += 1 } else { misses += 1 }
        }
        XCTAssertGreaterThan(hits, all.count)
        XCTAssertGreaterThan(misses, 1000)
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

    /// The conversion without ICU gives what ICU's transform gives: on every rule's key alone, between other
    /// characters, followed by the next rule's key and by a key that starts with its own last character (where the
    /// first rule that matches must take its whole key), on every key cut short, and on 20,000 generated texts made
    /// of the keys' characters. Texts are handed to ICU 300 at a time, one a line (no key holds a line feed).
    func testConversionIsICUs() throws {
        #if !os(Linux)
            throw XCTSkip("Foundation uses the system's ICU here, not the toolchain's the rules were read from")
        #endif
        let rules = HantHansRules.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { rule -> [Unicode.Scalar] in
            Array(rule.unicodeScalars.prefix { $0 != ">" })
        }
        var byFirst: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]
        for k in rules { byFirst[k[0], default: []].append(k) }
        let text = { (u: [Unicode.Scalar]) in String(String.UnicodeScalarView(u)) }
        var texts: [String] = []
        for (i, k) in rules.enumerated() {
            let next = rules[(i + 1) % rules.count], far = rules[(i + 7) % rules.count]
            texts += [text(k), "a" + text(k) + "国", text(k + next), text(next + k), text(k + [far[0]]), "一、" + text(k) + "情况"]
            if k.count > 1 {
                texts.append(text(Array(k.dropLast())))
                texts.append(text(k + [k[k.count - 1]]))
                for other in (byFirst[k[k.count - 1]] ?? []).prefix(3) { texts.append(text(Array(k.dropLast()) + other)) }
                for other in (byFirst[k[1]] ?? []).prefix(2) { texts.append(text([k[0]] + other)) }
            }
        }
        var rng = StrippingRandom(seed: 0x4A47_4A47)
        let alphabet = Array(Set(rules.joined())) + Array("的国政府信息公开一二三、，。 123".unicodeScalars)
        for _ in 0..<20_000 {
            texts.append(text((0..<(1 + rng.next(upTo: 24))).map { _ in alphabet[rng.next(upTo: alphabet.count)] }))
        }
        var compared = 0, changed = 0
        for start in stride(from: 0, to: texts.count, by: 300) {
            let chunk = Array(texts[start..<min(texts.count, start + 300)])
            let icu = try XCTUnwrap(chunk.joined(separator: "\n").applyingTransform(StringTransform("Hant-Hans"), reverse: false))
                .components(separatedBy: "\n")
            XCTAssertEqual(icu.count, chunk.count)
            guard icu.count == chunk.count else { continue }
            for (t, expected) in zip(chunk, icu) {
                let ours = keys.simplified(t)
                if ours != expected { XCTFail("\(t): \(ours), ICU \(expected)") }
                XCTAssertTrue(keys.occurs(in: t) || ours == t, t)
                compared += 1
                if expected != t { changed += 1 }
            }
        }
        XCTAssertGreaterThan(compared, 40_000)
        XCTAssertGreaterThan(changed, 20_000)
    }
}
