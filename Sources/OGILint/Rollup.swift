import Foundation
import OGIModel
import OGIRules

/// `ogilint rollup`: a compiled report (a region's report made from its subordinate agencies' reports) against
/// the sum of those reports. Every number cell of the compiled report's tables must equal the sum of the same
/// cell in the subordinate reports (ROLLUP-SUM, error). A subordinate report that cannot be read, or lacks a
/// table or a cell's number, is named (ROLLUP-CHILD-MISSING, warning; a path that names no file is a tool error), and the cells it leaves incomplete are
/// not compared (a sum with a part missing would report differences that are not there). A placeholder such as
/// "/" counts as 0, as the templates use it for "none"; a blank or a word does not count.
///
/// Subordinate reports are read one at a time and only their numbers are kept.
public struct Rollup {
    public static let sumRule = "ROLLUP-SUM"
    public static let childMissingRule = "ROLLUP-CHILD-MISSING"

    public let linter: Linter

    public init(linter: Linter) { self.linter = linter }

    /// True when the report's title or text contains one of the profile's `compilation_words`.
    public func declaresCompilation(_ report: Report) -> Bool {
        let words = linter.ruleSet.templates.profile.compilationWords.filter { !$0.isEmpty }
        let texts =
            [report.metadata.title ?? ""] + report.preamble.map(\.text) + report.parts.flatMap { [$0.heading] + $0.paragraphs.map(\.text) }
        return texts.contains { t in words.contains { t.contains($0) } }
    }

    /// Reads the compiled report and its subordinate reports and returns the compiled report with the roll-up
    /// findings. Throws when the compiled report cannot be read, or (unless `force`) does not declare itself
    /// a compilation.
    public func check(parent path: String, children: [String], force: Bool = false) throws -> CheckedInput {
        // A path that names no file is a mistake on the command line, as in `check` (exit 2), not a missing figure.
        for child in children where !FileManager.default.fileExists(atPath: child) { throw RollupError.childNotFound(path: child) }
        let parent: Report
        do { parent = try linter.read(path: path) } catch { throw RollupError.parentUnreadable(InputError(path: path, error: error)) }
        if !force && !declaresCompilation(parent) {
            throw RollupError.notCompilation(path: path, words: linter.ruleSet.templates.profile.compilationWords)
        }
        let messages = linter.ruleSet.messages
        let layout = linter.ruleSet.templates.layout(for: parent)
        let targets = Self.numberCells(parent, layout: layout)
        var findings: [Finding] = []
        // Per cell: the children's values in order; a cell some child lacks is incomplete and not compared.
        var parts: [String: [(child: String, value: Decimal)]] = [:]
        var incomplete = Set<String>()
        for childPath in children {
            let name = PathParts.lastPathComponent(childPath)
            func missing(_ key: String, _ values: [String: String]) {
                findings.append(
                    Finding(
                        rule: Self.childMissingRule, severity: .warning, category: .completeness,
                        message: messages.text(key, values), fix: messages.text("rollup.child.fix", ["child": name]),
                        location: FindingLocation()))
            }
            let child: Report
            do { child = try linter.read(path: childPath) } catch {
                missing("rollup.child.unreadable", ["child": childPath, "reason": InputError(path: childPath, error: error).description])
                for t in targets { incomplete.insert(t.key) }
                continue
            }
            var lacking: [(table: String, cells: [String])] = []
            var absentTables: [(table: String, count: Int)] = []
            for target in targets {
                guard let table = child.tables.first(where: { $0.key == target.table }) else {
                    if let i = absentTables.firstIndex(where: { $0.table == target.tableTitle }) {
                        absentTables[i].count += 1
                    } else {
                        absentTables.append((target.tableTitle, 1))
                    }
                    incomplete.insert(target.key)
                    continue
                }
                if let value = Self.countedValue(table.row(target.row)?.cell(target.column)) {
                    parts[target.key, default: []].append((name, value))
                } else {
                    let label = messages.text("engine.repair.cell", ["row": target.rowLabel, "col": target.columnLabel])
                    if let i = lacking.firstIndex(where: { $0.table == target.tableTitle }) {
                        lacking[i].cells.append(label)
                    } else {
                        lacking.append((target.tableTitle, [label]))
                    }
                    incomplete.insert(target.key)
                }
            }
            for t in absentTables {
                missing("rollup.child.table_missing", ["child": childPath, "table": t.table, "count": String(t.count)])
            }
            for t in lacking {
                let shown = t.cells.prefix(5).joined(separator: messages.text("separator.list")) + (t.cells.count > 5 ? "…" : "")
                missing(
                    "rollup.child.cells_missing", ["child": childPath, "table": t.table, "count": String(t.cells.count), "cells": shown])
            }
        }
        if !children.isEmpty {
            for target in targets {
                guard !incomplete.contains(target.key), let values = parts[target.key] else { continue }
                let sum = values.reduce(Decimal(0)) { $0 + $1.value }
                guard sum != target.value else { continue }
                let cellName = messages.text("engine.repair.cell", ["row": target.rowLabel, "col": target.columnLabel])
                let listed = values.map { messages.text("rollup.sum.child", ["child": $0.child, "value": ExactDecimal.format($0.value)]) }
                    .joined(separator: messages.text("separator.list"))
                findings.append(
                    Finding(
                        rule: Self.sumRule, severity: .error, category: .arithmetic,
                        message: messages.text(
                            "rollup.sum.message",
                            [
                                "cell": cellName, "parent": ExactDecimal.format(target.value),
                                "sum": ExactDecimal.format(sum), "children": listed,
                                "diff": ExactDecimal.format(target.value - sum),
                            ]),
                        fix: messages.text("rollup.sum.fix", ["cell": cellName, "sum": ExactDecimal.format(sum)]),
                        location: target.location,
                        suggestion: CellSuggestion(cell: target.key, location: target.location, value: target.value, suggestedValue: sum)))
            }
        }
        return CheckedInput(path: path, report: parent, findings: findings)
    }

    /// A number cell of the compiled report.
    struct Target {
        var key: String
        var table: String, row: String, column: String
        var tableTitle: String, rowLabel: String, columnLabel: String
        var value: Decimal
        var location: FindingLocation
    }

    /// The compiled report's cells that hold a number, in table order.
    static func numberCells(_ report: Report, layout: Template?) -> [Target] {
        var out: [Target] = []
        for table in report.tables {
            let spec = layout?.table(table.key)
            let title = spec?.title ?? table.title ?? table.key
            for row in table.rows {
                for cell in row.cells {
                    guard let value = countedValue(cell) else { continue }
                    let column = spec?.column(cell.column)?.label ?? cell.column
                    let key = "\(table.key).\(row.key).\(cell.column)"
                    out.append(
                        Target(
                            key: key, table: table.key, row: row.key, column: cell.column, tableTitle: title,
                            rowLabel: row.label, columnLabel: column, value: value,
                            location: FindingLocation(cell.location, table: title, row: row.label, column: column, cell: key)))
                }
            }
        }
        return out
    }

    /// The number a cell contributes to a sum: its value, 0 for a placeholder, nil when it has none.
    static func countedValue(_ cell: Cell?) -> Decimal? {
        guard let cell else { return nil }
        if cell.state == .placeholder { return 0 }
        switch cell.state {
        case .number, .signedText, .numberWithUnit: return cell.value
        default: return nil
        }
    }
}

/// Why `ogilint rollup` cannot compare at all (exit code 2).
public enum RollupError: ToolError {
    case parentUnreadable(InputError)
    case notCompilation(path: String, words: [String])
    case childNotFound(path: String)

    public var exitStatus: ExitStatus { .toolError }

    public var description: String {
        switch self {
        case let .parentUnreadable(e):
            return "cannot read the compiled report: \(e)"
        case let .childNotFound(path):
            return "\(path): no such subordinate report; check the path"
        case let .notCompilation(path, words):
            return
                "\(path) does not say it is compiled from other reports (none of \(words.joined(separator: ", ")) in its title or text); "
                + "give --force to compare it with the reports listed anyway"
        }
    }
}

extension Rollup {
    /// Streams one roll-up result to `consumer` as a run of one report, and returns its summary.
    public static func write(_ input: CheckedInput, linter: Linter, failOn: Severity?, to consumer: any RunConsumer) throws -> RunSummary {
        var summary = RunSummary()
        try consumer.begin(
            RunStart(
                files: [input.path], rules: linter.ruleSet.rules, templates: linter.ruleSet.templates, failOn: failOn,
                messages: linter.ruleSet.messages))
        summary.add(input)
        try consumer.add(input)
        try consumer.finish(summary)
        return summary
    }
}
