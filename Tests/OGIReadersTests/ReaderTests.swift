import Foundation
import OGILint
import OGIModel
import OGIReaders
import OGITestSupport
import XCTest

/// Encodings, table layouts and bad input for the text reader.
final class ReaderTests: XCTestCase {
    var sampleText: String { try! String(contentsOfFile: Repo.path("samples/clean-2021-government.txt"), encoding: .utf8) }

    func testEncodingsGiveTheSameReport() throws {
        let utf8 = Data(sampleText.utf8)
        let reference = try Repo.linter.read(path: "r.txt", data: utf8)
        var bom = Data([0xEF, 0xBB, 0xBF]); bom.append(utf8)
        var le = Data([0xFF, 0xFE]); le.append(sampleText.data(using: .utf16LittleEndian)!)
        var be = Data([0xFE, 0xFF]); be.append(sampleText.data(using: .utf16BigEndian)!)
        let gb = try XCTUnwrap(Self.gb18030(sampleText))
        for (name, data) in [("bom", bom), ("utf16le", le), ("utf16be", be), ("gb18030", gb)] {
            let r = try Repo.linter.read(path: "r.txt", data: data)
            XCTAssertEqual(r.tables, reference.tables, name)
            XCTAssertEqual(r.metadata, reference.metadata, name)
        }
        XCTAssertEqual(try TextDecoding.decode(gb, path: "r.txt").1, .gb18030)
    }

    /// GB18030 bytes made with iconv(1), as a file saved on Chinese Windows would be.
    static func gb18030(_ s: String) throws -> Data? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ogilint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("in.txt"), dst = dir.appendingPathComponent("out.txt")
        try s.write(to: src, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["iconv", "-f", "UTF-8", "-t", "GB18030", src.path, "-o", dst.path]
        try p.run(); p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return try Data(contentsOf: dst)
    }

    /// The same table written one cell per line, tab-separated, pipe-separated (Markdown) and space-separated.
    func testTableLayoutsAreAllRead() throws {
        let rows: [[String]] = [
            ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规 章", "2", "0", "11"], ["行政规范性文件", "109", "489", "597"],
        ]
        let layouts: [String: String] = [
            "cells": rows.flatMap { $0.map { "\t" + $0 } + [""] }.joined(separator: "\n"),
            "tabs": rows.map { $0.joined(separator: "\t") }.joined(separator: "\n"),
            "markdown": rows.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n|---|---|---|---|\n"),
            "spaces": rows.map { $0.joined(separator: "  ") }.joined(separator: "\n"),
        ]
        for (name, table) in layouts {
            let text = "示例局2023年政府信息公开工作年度报告\n一、总体情况\n概述。\n二、主动公开政府信息情况\n\(table)\n三、收到和处理政府信息公开申请情况\n"
            let r = Repo.linter.read(text: text, path: name)
            let t = try XCTUnwrap(r.table("regulations"), name)
            XCTAssertEqual(t.row("rules")?.cells.map(\.raw), ["2", "0", "11"], name)
            XCTAssertEqual(t.row("normative")?.cells.map(\.raw), ["109", "489", "597"], name)
            XCTAssertEqual(r.metadata.template, "2021", name)
        }
    }

    func testCellsAreReadExactly() {
        let syntax = Repo.linter.ruleSet.templates.profile.cells
        XCTAssertEqual(syntax.parse("减51").state, .signedText)
        XCTAssertEqual(syntax.parse("减51").value, -51)
        XCTAssertEqual(syntax.parse("增7").value, 7)
        XCTAssertEqual(syntax.parse("-8").state, .number)
        XCTAssertEqual(syntax.parse("+2").value, 2)
        XCTAssertEqual(syntax.parse("/").state, .placeholder)
        XCTAssertEqual(syntax.parse("—").state, .placeholder)
        XCTAssertEqual(syntax.parse("").state, .blank)
        XCTAssertEqual(syntax.parse("１２").value, 12)
        XCTAssertEqual(syntax.parse("1,234").value, 1234)
        XCTAssertEqual(syntax.parse("251000元").state, .numberWithUnit)
        XCTAssertEqual(syntax.parse("251000元").unit, "元")
        XCTAssertEqual(syntax.parse("约5").state, .text)
        XCTAssertEqual(syntax.parse("59237.2449").value, Decimal(string: "59237.2449"))
        // Exact decimal: 0.1 + 0.2 is 0.3, unlike binary floating point.
        XCTAssertEqual(syntax.parse("0.1").value! + syntax.parse("0.2").value!, syntax.parse("0.3").value!)
    }

    func testNoiseIsStrippedAndLinesAreKept() throws {
        let r = try Repo.linter.read(path: Repo.path("samples/clean-2019-department.txt"))
        let row = try XCTUnwrap(r.table("licensing")?.row("licensing"))
        XCTAssertEqual(row.cells.map(\.raw), ["312", "-51", "261"])
        let lines = row.cells.compactMap(\.location?.line)
        XCTAssertEqual(lines.count, 3)
        let text = try String(contentsOfFile: Repo.path("samples/clean-2019-department.txt"), encoding: .utf8).components(separatedBy: "\n")
        XCTAssertEqual(text[lines[1] - 1].trimmingCharacters(in: .whitespaces), "-51")
        let noisy = "[bookmark: _GoBack]示例局\n2020年政府信息公开工作年度报告\n[image: x.png]\n- 3 -\n一、总体情况\n内容。"
        let n = Repo.linter.read(text: noisy, path: "noisy.txt")
        XCTAssertEqual(n.metadata.agency, "示例局")
        XCTAssertEqual(n.parts.first?.location?.line, 5)
    }

    func testBadInputGetsAClearError() throws {
        let cases: [(Data, String, String)] = [
            (Data(), "empty.txt", "the file is empty"),
            (Data([0x00, 0x01, 0x02, 0x03, 0x00]), "bin.txt", "binary file"),
            (Data([0x50, 0x4B, 0x03, 0x04, 0x00]), "draft.docx", "not a readable zip archive"),
            (Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1]), "draft.doc", "legacy Word"),
            (Data("%PDF-1.7".utf8), "r.pdf", "the PDF is damaged or incomplete (it is cut off"),
            (Data([0xFF, 0xFF, 0xFF, 0x41, 0x80]), "bad.txt", "neither UTF-8"),
        ]
        for (data, name, expected) in cases {
            XCTAssertThrowsError(try Repo.linter.read(path: name, data: data), name) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(name): \(e)")
                XCTAssertTrue("\(e)".hasPrefix(name), "\(name): the message names the file")
            }
        }
        XCTAssertThrowsError(try Repo.linter.read(path: "/nonexistent/r.txt")) { e in
            XCTAssertTrue("\(e)".contains("no such file"), "\(e)")
        }
    }

    func testAgencyKindAndDatesFromText() {
        let text = "某县人民政府\n2023年政府信息公开工作年度报告\n本报告统计期限自2023年1月1日起至2023年12月31日止。\n一、总体情况\n正文。\n\n某县人民政府办公室\n2024年3月28日\n"
        let r = Repo.linter.read(text: text, path: "g.txt")
        XCTAssertEqual(r.metadata.agency, "某县人民政府")
        XCTAssertEqual(r.metadata.agencyKind, .government)
        XCTAssertEqual(r.metadata.published, CalendarDate(year: 2024, month: 3, day: 28))
        XCTAssertEqual(r.metadata.periodStart, CalendarDate(year: 2023, month: 1, day: 1))
        XCTAssertEqual(r.metadata.periodEnd, CalendarDate(year: 2023, month: 12, day: 31))
        XCTAssertEqual(r.metadata.year, 2023)
        let run = "对坊乡2023年政府信息公开工作年度报告\n本报告中所列数据的统计期限自20231月1日起至202312月31日止。\n一、总体情况\n"
        let r2 = Repo.linter.read(text: run, path: "n.txt")
        XCTAssertEqual(r2.metadata.periodEnd, CalendarDate(year: 2023, month: 12, day: 31))
        XCTAssertEqual(r2.metadata.agencyKind, .government)
    }
}
