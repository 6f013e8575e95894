import Foundation
import OGITestSupport
import XCTest

@testable import OGIModel
@testable import OGIReaders

/// The text reader reads the template set by index (`TemplateSet.layoutIndex`) and from forms the reading context
/// makes once (`ReaderContext.normalizedMarkers`, `tablePartKeys`, `tablePartKeysByTemplate`) instead of copying
/// templates and normalising their markers for every report. Each must give what it stands for.
final class TemplateIndexTests: XCTestCase {
    static let context = ReadOnePass2Tests.context

    /// `layoutIndex` names the template `layout(template:year:)` gives, for every template id, an unknown id and
    /// none, with every year a report can have and none.
    func testLayoutIndexNamesTheLayoutsTemplate() {
        let set = Self.context.templates
        XCTAssertGreaterThan(set.templates.count, 1)
        let ids: [String?] = set.templates.map(\.id) + ["no-such-template", "", nil]
        let years: [Int?] = Array(2010...2032) + [Int.min, Int.max, nil]
        var found = 0
        for id in ids {
            for year in years {
                let layout = set.layout(template: id, year: year)
                let index = set.layoutIndex(template: id, year: year)
                XCTAssertEqual(index.map { set.templates[$0] }, layout, "\(id ?? "nil") \(year.map(String.init) ?? "nil")")
                if index != nil { found += 1 }
            }
        }
        // Both outcomes are reached: ids and years that name a template, and pairs that name none.
        XCTAssertGreaterThan(found, 0)
        XCTAssertLessThan(found, ids.count * years.count)
    }

    /// Two templates with the same id: the first is the one `layout` gives, and so is its index.
    func testLayoutIndexTakesTheFirstOfTwoTemplatesWithOneId() {
        let t = Self.context.templates.templates[0]
        var other = t
        other.title = t.title + "（另一份）"
        let set = TemplateSet(profile: Self.context.templates.profile, templates: [other, t])
        XCTAssertEqual(set.layoutIndex(template: t.id, year: nil), 0)
        XCTAssertEqual(set.layout(template: t.id, year: nil), other)
    }

    /// The context's forms are the templates' own, normalised as the reader compared them per report.
    func testContextFormsAreTheTemplatesOwn() {
        let ctx = Self.context
        let templates = ctx.templates.templates
        XCTAssertEqual(ctx.normalizedMarkers.count, templates.count)
        XCTAssertEqual(ctx.tablePartKeysByTemplate.count, templates.count)
        for (i, t) in templates.enumerated() {
            XCTAssertEqual(ctx.normalizedMarkers[i], t.markers.map(LabelText.normalize), t.id)
            XCTAssertEqual(ctx.tablePartKeysByTemplate[i], Set(t.tables.map(\.part)), t.id)
        }
        XCTAssertEqual(ctx.tablePartKeys, Set(templates.flatMap { $0.tables.map(\.part) }))
        // The bundled templates have markers to compare.
        XCTAssertFalse(ctx.normalizedMarkers.flatMap { $0 }.isEmpty)
    }
}
