import Foundation
import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// The comparable scalars a reading context keeps across reports (`LabelScalarsCache`) must be those each token
/// stream would make on its own: compared on every text token of every sample, rendering, corpus text and variant,
/// read twice through one cache (the second time found, not made), with a cache too small to keep them all, with
/// other numerals, and from several threads at once.
final class LabelScalarsCacheTests: XCTestCase {
    static var numerals: String { TableMappingFastPathTests.numerals }

    /// The text tokens of every text and variant.
    static func textTokens() throws -> [[CellToken]] {
        let ctx = try ReaderContext(templates: TableMappingFastPathTests.templates)
        return try TableMappingFastPathTests.texts().map { t in
            CellTokenizer.tokens(
                of: TableMappingFastPathTests.sourceLines(t.lines), syntax: TableMappingFastPathTests.syntax,
                filter: ctx.mapper.valueScalars
            ).filter { $0.kind == .text }
        }
    }

    /// The scalars of a token's comparable form, made as the aligner made them before any cache.
    static func reference(_ token: CellToken, numerals: String) -> [Unicode.Scalar] {
        Array(LabelText.comparable(normalized: token.norm, numerals: numerals).unicodeScalars)
    }

    func testScalarsThroughTheCacheAreTheStreamsOwn() throws {
        let streams = try Self.textTokens()
        let cache = LabelScalarsCache(numerals: Self.numerals)
        var compared = 0
        for pass in 0..<2 {
            for tokens in streams {
                let labels = ComparableLabels(count: tokens.count, shared: cache)
                for (i, token) in tokens.enumerated() {
                    XCTAssertEqual(
                        labels.scalars(of: token, at: i, numerals: Self.numerals), Self.reference(token, numerals: Self.numerals),
                        "pass \(pass): \(token.norm)")
                    compared += 1
                }
            }
            // The first pass kept every distinct text there was room for (past one growth of the table at least).
            if pass == 0 { XCTAssertGreaterThan(cache.count, 300) }
        }
        XCTAssertLessThanOrEqual(cache.count, cache.capacity)
        XCTAssertGreaterThan(compared, 10_000)
    }

    func testAFullCacheAndOtherNumeralsGiveTheSameScalars() throws {
        let tokens = try Self.textTokens().flatMap { $0 }
        let small = LabelScalarsCache(numerals: Self.numerals, capacity: 5)
        let labels = ComparableLabels(count: tokens.count, shared: small)
        for (i, token) in tokens.enumerated() {
            XCTAssertEqual(labels.scalars(of: token, at: i, numerals: Self.numerals), Self.reference(token, numerals: Self.numerals))
        }
        XCTAssertEqual(small.count, 5)
        // Numerals other than the cache's: the cache is neither read nor filled.
        let other = LabelScalarsCache(numerals: Self.numerals)
        let otherLabels = ComparableLabels(count: tokens.count, shared: other)
        for (i, token) in tokens.enumerated().prefix(2_000) {
            XCTAssertEqual(otherLabels.scalars(of: token, at: i, numerals: ""), Self.reference(token, numerals: ""))
        }
        XCTAssertEqual(other.count, 0)
    }

    /// An entry names one text: the same entry for the same bytes, another for other bytes, -1 once the cache is
    /// full and the text not kept; and `ComparableLabels` tells each slot's entry.
    func testEntriesNameTheTextsKept() throws {
        let tokens = try Self.textTokens().flatMap { $0 }
        for capacity in [4_096, 50] {
            let cache = LabelScalarsCache(numerals: Self.numerals, capacity: capacity)
            var byText: [String: Int32] = [:]
            var unkept = 0
            for token in tokens {
                let (scalars, entry) = cache.entry(ofNormalized: token.norm) { Self.reference(token, numerals: Self.numerals) }
                XCTAssertEqual(scalars, Self.reference(token, numerals: Self.numerals))
                // Keyed by the bytes (a String key would take canonically equal texts for one).
                let bytes = token.norm.utf8.map { String($0) }.joined(separator: ",")
                if entry < 0 {
                    unkept += 1
                    XCTAssertEqual(cache.count, capacity)
                    XCTAssertNil(byText[bytes])
                    continue
                }
                XCTAssertEqual(Array(cache.text(ofEntry: entry).utf8), Array(token.norm.utf8))
                if let seen = byText[bytes] { XCTAssertEqual(seen, entry) } else { byText[bytes] = entry }
            }
            XCTAssertEqual(Set(byText.values).count, byText.count)
            if capacity == 50 { XCTAssertGreaterThan(unkept, 1_000) } else { XCTAssertEqual(unkept, 0) }
        }
        let cache = LabelScalarsCache(numerals: Self.numerals)
        XCTAssertNotEqual(cache.serial, LabelScalarsCache(numerals: Self.numerals).serial)
        let stream = try Self.textTokens()[0]
        let labels = ComparableLabels(count: stream.count, shared: cache)
        XCTAssertEqual(labels.sharedSerial, cache.serial)
        for (i, token) in stream.enumerated() {
            let slot = labels.scalarsSlot(of: token, at: i, numerals: Self.numerals)
            XCTAssertEqual(Array(cache.text(ofEntry: labels.sharedEntry(atSlot: slot)).utf8), Array(token.norm.utf8))
        }
        // Other numerals: nothing read from the cache, no entries.
        let other = ComparableLabels(count: stream.count, shared: cache)
        for (i, token) in stream.enumerated() {
            XCTAssertEqual(other.sharedEntry(atSlot: other.scalarsSlot(of: token, at: i, numerals: "")), -1)
        }
        XCTAssertEqual(ComparableLabels(count: 0).sharedSerial, 0)
    }

    func testThreadsSharingOneCacheGetTheSameScalars() throws {
        let streams = try Self.textTokens()
        let cache = LabelScalarsCache(numerals: Self.numerals)
        let expected = streams.map { $0.map { Self.reference($0, numerals: Self.numerals) } }
        let lock = NSLock()
        nonisolated(unsafe) var mismatches = 0
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            // Each worker reads the streams from another starting point, so the same texts are made and found
            // by different threads at the same time.
            for k in streams.indices {
                let s = (k + worker * streams.count / 4) % streams.count
                let labels = ComparableLabels(count: streams[s].count, shared: cache)
                for (i, token) in streams[s].enumerated() where labels.scalars(of: token, at: i, numerals: Self.numerals) != expected[s][i]
                {
                    lock.lock()
                    mismatches += 1
                    lock.unlock()
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertGreaterThan(cache.count, 300)
    }
}
