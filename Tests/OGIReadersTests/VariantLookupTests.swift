import OGIModel
import OGITestSupport
import XCTest

@testable import OGIReaders

/// `TextSet` (UTF-8 bytes hashed when the text and every member are plain) answers as `Set<String>` (canonical
/// equivalence) does: `PreparedTable.containsVariant` as `allVariants.contains`, and the sign words.
final class VariantLookupTests: XCTestCase {
    static let context = try! ReaderContext(templates: Repo.linter.ruleSet.templates)

    func check(_ table: PreparedTable, _ form: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            table.containsVariant(form, scalars: Array(form.unicodeScalars)), table.allVariants.contains(form), form.debugDescription,
            file: file, line: line)
    }

    /// Every bundled table, asked every variant of every table, the variants cut and extended, and the comparable
    /// forms of every text token of the samples' and the corpus' tables.
    func testTheBundledTablesAnswerAsTheirSets() throws {
        let ctx = Self.context
        let numerals = ctx.templates.profile.partNumerals
        var tables: [PreparedTable] = []
        for t in ctx.templates.templates {
            let p = try XCTUnwrap(ctx.mapper.preparedTemplates.preparation(ofTemplate: t.id))
            tables += t.tables.compactMap { p.tables[$0.key] }
        }
        XCTAssertFalse(tables.isEmpty)
        // The bundled variants are all plain: the byte keys are what is asked.
        XCTAssertTrue(tables.allSatisfy { $0.variantSet.plainKeys != nil })
        let everyVariant = Set(tables.flatMap(\.allVariants))
        var forms = Array(everyVariant)
        for v in everyVariant {
            forms.append(String(v.dropLast()))
            forms.append(String(v.dropFirst()))
            forms.append(v + "等")
        }
        for t in try FastPathTests.texts() {
            let tokens = CellTokenizer.tokens(
                of: TextReader.lines(of: t.text), syntax: ctx.templates.profile.cells, filter: ctx.mapper.valueScalars)
            for token in tokens where token.kind == .text {
                forms.append(LabelText.comparable(normalized: token.norm, numerals: LabelNumerals(numerals)))
            }
        }
        var found = 0
        for table in tables {
            for f in forms {
                check(table, f)
                if table.allVariants.contains(f) { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, 100)
    }

    /// A form written with a decomposed character or one with a one-character canonical mapping is not plain: it is asked of the set, which
    /// finds the variant it is canonically equal to. A table with a variant that is not plain asks the set always.
    func testFormsAndVariantsThatAreNotPlainAreAskedOfTheSet() {
        let spec = TableSpec(
            key: "t", title: "表", part: "p", group: nil, anchors: [],
            columns: [ColumnSpec(key: "c", label: "数量", variants: [], kind: .count, unit: nil)],
            rows: [
                RowSpec(key: "a", label: "收到申请数", variants: ["申请总数"]),
                RowSpec(key: "b", label: "café", variants: []),
            ], reference: nil)
        let table = PreparedTable(spec: spec, numerals: "一二三")
        XCTAssertNil(table.variantSet.plainKeys)
        for form in ["收到申请数", "申请总数", "cafe\u{301}", "café", "caf", "收到申请"] { check(table, form) }
        XCTAssertTrue(table.containsVariant("cafe\u{301}", scalars: Array("cafe\u{301}".unicodeScalars)))

        let plain = PreparedTable(
            spec: TableSpec(
                key: "t", title: "表", part: "p", group: nil, anchors: [],
                columns: [ColumnSpec(key: "c", label: "数量", variants: [], kind: .count, unit: nil)],
                rows: [RowSpec(key: "a", label: "\u{8C48}数", variants: [])], reference: nil),
            numerals: "一二三")
        XCTAssertNotNil(plain.variantSet.plainKeys)
        // U+F900 is canonically U+8C48: not plain, so the set (which knows the two are equal) is asked.
        for form in ["\u{F900}数", "\u{8C48}数", "数"] { check(plain, form) }
        XCTAssertTrue(plain.containsVariant("\u{F900}数", scalars: Array("\u{F900}数".unicodeScalars)))
    }

    /// Sets of plain and of not plain members asked texts made of plain, decomposed and precomposed characters,
    /// and characters with a one-character canonical mapping (U+F900, U+2126): the same answers as `Set<String>`, with and without the scalars given.
    func testTextSetsAnswerAsSetsOfStrings() {
        let pieces = ["减", "少", "增加", "+", "-", "－", "e", "\u{301}", "é", "\u{F900}", "\u{8C48}", "Ω", "\u{2126}", "a", "１", " "]
        var rng = SplitMix(seed: 11)
        func text() -> String { (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        var found = 0
        for round in 0..<200 {
            // Every other set has only plain members (the byte keys are used).
            let members = (0..<Int(rng.next() % 6)).map { _ in text() }.filter { round % 2 == 1 || TextSet.isPlain($0) }
            let set = TextSet(members), reference = Set(members)
            XCTAssertEqual(set.plainKeys != nil, members.allSatisfy(TextSet.isPlain))
            for _ in 0..<100 {
                let t = text()
                XCTAssertEqual(set.contains(t), reference.contains(t), "\(t.debugDescription) in \(members)")
                XCTAssertEqual(set.contains(t, scalars: Array(t.unicodeScalars)), reference.contains(t), t.debugDescription)
                if reference.contains(t) { found += 1 }
            }
            for m in members { XCTAssertTrue(set.contains(m)) }
        }
        XCTAssertGreaterThan(found, 100)
        // Equivalent but not byte-equal: the set of strings is asked.
        XCTAssertTrue(TextSet(["café"]).contains("cafe\u{301}"))
        XCTAssertTrue(TextSet(["\u{8C48}"]).contains("\u{F900}"))
    }
}
