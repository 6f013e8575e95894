import Foundation
import OGIModel

/// Evaluates a rule set against reports. Pure: no I/O, safe to share across threads.
public struct Engine: Sendable {
    public let ruleSet: RuleSet
    /// The templates compiled once (rows and columns by index) and the sum rules, shared by every report.
    let compiled: CompiledTemplates
    let sums: [SumKind]
    /// The ids of the rules that say a document is not an annual report, found once per rule set.
    let notAReportRules: Set<String>
    /// Per rule (by index): what its kind says of its findings' root causes (`RootCauses.annotate`).
    let rootCauseRoles: [RootCauses.Role]
    /// The repair kind's constraints of each table, planned on first use and shared by every report.
    let constraintPlans = SharedCache<RepairKind.ConstraintPlanKey, [RepairKind.PlannedConstraint]>()
    /// Assertions' whole-number comparisons resolved to cells, by layout, rule index, node and bindings.
    let comparisonPlans = SharedCache<IntegerComparisonPlan.Key, IntegerComparisonPlan?>()

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        compiled = CompiledTemplates(ruleSet)
        // Each rule's kind asked once, read in place (a `Rule` copied out of the array retains a dozen references).
        var sums: [SumKind] = []
        var roles: [RootCauses.Role] = []
        roles.reserveCapacity(ruleSet.rules.count)
        for i in ruleSet.rules.indices {
            roles.append(RootCauses.Role(ruleSet.rules[i].kind))
            if let sum = ruleSet.rules[i].kind as? SumKind { sums.append(sum) }
        }
        self.sums = sums
        rootCauseRoles = roles
        notAReportRules = Self.notAReportRules(ruleSet)
    }

    /// The template a report's tables are laid out on: the detected one, else the one in force for its year.
    public func layout(for report: Report) -> Template? { ruleSet.layout(for: report) }

    /// All findings for one report, ordered by line; within a line, in rule order.
    public func check(_ report: Report, only: Set<String>? = nil) -> [Finding] { check(report, previous: nil, only: only) }

    /// All findings for one report checked against last year's report of the same agency (`previous.` references,
    /// copied text, 同比 figures). Rules that read last year's report say nothing when `previous` is nil.
    /// One root cause, one finding: what a missing part, table or row made impossible is folded under that
    /// finding's `related`, and so are the failing sums a single repaired cell explains.
    public func check(_ report: Report, previous: Report?, only: Set<String>? = nil) -> [Finding] {
        let (caused, folds) = run(report, previous: previous, only: only)
        var out = RootCauses.fold(caused).map { f -> Finding in
            var root = f.root.finding
            root.related += f.related.map(\.finding)
            return root
        }
        out = Self.fold(out, folds)
        return out
    }

    /// The findings of every rule, each with its root-cause keys, before folding; in reading order. A document
    /// that is not an annual report keeps only the finding saying so.
    func run(_ report: Report, previous: Report?, only: Set<String>?) -> (findings: [CausedFinding], folds: [Fold]) {
        var out: [CausedFinding] = []
        let last = previous.map {
            Evaluator(report: $0, layout: compiled.layout(for: $0), templates: ruleSet.templates, messages: ruleSet.messages, sums: sums)
        }
        // One evaluator per report: its cells are indexed once and shared by every rule.
        let ev = Evaluator(
            report: report, layout: compiled.layout(for: report), templates: ruleSet.templates, messages: ruleSet.messages,
            sums: sums, previous: last)
        ev.ruleSet = ruleSet
        ev.constraintPlans = constraintPlans
        ev.comparisonPlans = comparisonPlans
        // Rules are read in place (`rules[index]`), never copied: a `Rule` holds a dozen references.
        let rules = ruleSet.rules
        // One run for every rule of the report, started anew for each (`RuleRun.start`).
        let run = RuleRun(rules: rules, index: 0, ev: ev)
        for index in rules.indices {
            if let only, !only.contains(rules[index].id) { continue }
            if rules[index].needsPrevious && previous == nil { continue }
            // A rule does not apply to a template that lacks the cells it reads.
            if let layout = ev.compiled, !layout.ruleApplies[index] { continue }
            if !ev.bindings.isEmpty { ev.bindings = [:] }
            ev.clearTouched()
            ev.lastUnevaluated = []
            let found = check(run, index)
            if !found.isEmpty {
                out += RootCauses.annotate(found, rule: rules[index], role: rootCauseRoles[index], reasons: ev.lastUnevaluated, ev: ev)
            }
        }
        out = onlyNotAReport(out) { $0.finding.rule }
        // Top to bottom as a reviewer reads; findings about the whole report (no line) come last.
        let sorted = out.enumerated().sorted { a, b in
            let la = (
                a.element.finding.location.page ?? 0, a.element.finding.location.line ?? a.element.finding.location.paragraph ?? Int.max
            )
            let lb = (
                b.element.finding.location.page ?? 0, b.element.finding.location.line ?? b.element.finding.location.paragraph ?? Int.max
            )
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        return (sorted, ev.folds)
    }

    /// One root cause, one finding: each finding a repair explains (same rule and a cell of a failing constraint)
    /// moves under the repair finding's `related`.
    static func fold(_ findings: [Finding], _ folds: [Fold]) -> [Finding] {
        guard !folds.isEmpty else { return findings }
        var out = findings
        for f in folds {
            if let note = f.note {
                for i in out.indices where out[i].location.cell.map({ f.keys.contains("\(out[i].rule)|\($0)") }) ?? false {
                    out[i].fix = [out[i].fix, note].compactMap { $0 }.joined(separator: "；")
                }
                continue
            }
            guard let host = out.firstIndex(where: { $0.rule == f.rule && $0.message == f.message }) else { continue }
            var related: [Finding] = []
            var kept: [Finding] = []
            for (i, x) in out.enumerated() {
                if i != host, x.related.isEmpty, let cell = x.location.cell, f.keys.contains("\(x.rule)|\(cell)") {
                    related.append(x)
                } else {
                    kept.append(x)
                }
            }
            guard let h = kept.firstIndex(where: { $0.rule == f.rule && $0.message == f.message }) else { continue }
            kept[h].related += related
            out = kept
        }
        return out
    }

    /// A document that is not an annual report gets only the finding saying so: every other finding would
    /// follow from that.
    static func onlyNotAReport(_ findings: [Finding], _ ruleSet: RuleSet) -> [Finding] {
        let ids = notAReportRules(ruleSet)
        let own = findings.filter { ids.contains($0.rule) }
        return own.isEmpty ? findings : own
    }

    /// `onlyNotAReport` with the rule set's not-a-report rules found once: when one of them found something, only
    /// its findings stay (the same list `onlyNotAReport` keeps, in the same order).
    func onlyNotAReport<T>(_ items: [T], rule: (T) -> String) -> [T] {
        guard items.contains(where: { notAReportRules.contains(rule($0)) }) else { return items }
        return items.filter { notAReportRules.contains(rule($0)) }
    }

    /// The ids of a rule set's `not_report` rules.
    static func notAReportRules(_ ruleSet: RuleSet) -> Set<String> {
        Set(ruleSet.rules.filter { $0.kind is NotReportKind }.map(\.id))
    }

    /// The findings of rule `index` of `rules` (read in place) on the evaluator's report.
    func check(_ rules: [Rule], _ index: Int, _ ev: Evaluator) -> [Finding] {
        check(RuleRun(rules: rules, index: index, ev: ev), index)
    }

    /// `check` of rule `index` of the run's rules on the run's evaluator, the run started anew for it (a run made
    /// and freed for every rule of every report cost more than some rules' checks).
    func check(_ run: RuleRun, _ index: Int) -> [Finding] {
        let rules = run.rules, ev = run.ev
        // A rule does not apply to a template that lacks the cells it reads (with a compiled layout, `run` has
        // already asked `ruleApplies`, the same test made once per rule set).
        if ev.compiled == nil, let layout = ev.layout, !rules[index].templates.contains(layout.id) { return [] }
        run.start(index)
        if let w = rules[index].when {
            do {
                guard try ev.truth(w) else { return [] }
            } catch let n as NotEvaluated {
                run.skip(n.reasons); return run.finish()
            } catch { run.skip([CatalogMessage("engine.not_evaluated.error", ["error": "\(error)"])]); return run.finish() }
        }
        rules[index].kind.evaluate(run)
        return run.finish()
    }
}

/// The state of one rule applied to one report: findings so far and reasons it could not be evaluated.
/// Kinds use it to read the report and to word their findings.
public final class RuleRun {
    /// The rule set's rules and the position of this run's rule: the rule is read in place, not copied per report.
    let rules: [Rule]
    /// The rule's position in `rules` (keys plans made once per rule set).
    private(set) var index: Int
    let ev: Evaluator
    var findings: [Finding] = []
    var unevaluated: [CatalogMessage] = []

    init(rules: [Rule], index: Int, ev: Evaluator) { self.rules = rules; self.index = index; self.ev = ev }

    /// Makes the run rule `index`'s, with no findings and no reasons yet: as a run made for it.
    func start(_ index: Int) {
        self.index = index
        if !findings.isEmpty { findings = [] }
        if !unevaluated.isEmpty { unevaluated = [] }
        if !unevaluatedPrints.isEmpty { unevaluatedPrints = [] }
    }

    /// The rule being applied (borrowed from the rule set's array).
    var rule: Rule {
        _read { yield rules[index] }
    }

    var messages: MessageCatalog { ev.messages }

    /// Per reason of `unevaluated`, its `CatalogMessage.fingerprint` (`addReasons`).
    private var unevaluatedPrints: [Int] = []

    func skip(_ reasons: [CatalogMessage]) {
        Self.addReasons(reasons, to: &unevaluated, prints: &unevaluatedPrints)
    }

    /// Appends to `list` each reason it does not hold yet (as `list.contains`), in order. `prints` holds the
    /// fingerprints of `list`'s reasons (`CatalogMessage.fingerprint`), made when a second reason comes (most runs
    /// skip for one reason or none): equal messages have equal fingerprints, so only reasons with the new one's are
    /// compared, key and values (comparing the values of two messages with one key looked each value up by its
    /// name's hash).
    static func addReasons(_ reasons: [CatalogMessage], to list: inout [CatalogMessage], prints: inout [Int]) {
        for r in reasons {
            if list.isEmpty {
                list.append(r)
                continue
            }
            if prints.count < list.count { prints = list.map(\.fingerprint) }
            let print = r.fingerprint
            var seen = false
            for i in prints.indices where prints[i] == print && list[i] == r {
                seen = true
                break
            }
            if !seen {
                list.append(r)
                prints.append(print)
            }
        }
    }

    func skip(_ error: Error) {
        if let n = error as? NotEvaluated {
            skip(n.reasons)
        } else {
            skip([CatalogMessage("engine.not_evaluated.error", ["error": "\(error)"])])
        }
    }

    /// The findings, with one extraction finding when some inputs were missing.
    func finish() -> [Finding] {
        ev.lastUnevaluated = unevaluated
        guard !unevaluated.isEmpty else { return findings }
        var reasons = unevaluated.prefix(5).map { messages.text($0) }.joined(separator: messages.text("separator.reasons"))
        if unevaluated.count > 5 { reasons += messages.text("engine.unevaluated.more", ["count": String(unevaluated.count)]) }
        return findings + [
            Finding(
                rule: rule.id, severity: rule.unevaluated, category: .extraction,
                message: messages.text("engine.unevaluated.message", ["title": rule.title, "reasons": reasons]),
                fix: messages.text("engine.unevaluated.fix"),
                location: FindingLocation())
        ]
    }

    // MARK: iteration

    func forEachBinding(_ it: Iteration?, _ body: () -> Void) {
        if !ev.forEachBinding(it, body) { skip([CatalogMessage("engine.not_evaluated.no_layout")]) }
    }

    // MARK: wording

    /// A cell as terms in a message show it: its row label (and column label when asked), value, and raw text
    /// when the raw text differs from the value read.
    func term(_ t: TouchedCell, label: String) -> String {
        let c = t.cell
        let v = c.value.map(ExactDecimal.format) ?? c.raw
        if c.state == .number || v == c.raw { return messages.text("engine.term.cell", ["label": label, "value": v]) }
        return messages.text("engine.term.cell_with_raw", ["label": label, "value": v, "raw": c.raw])
    }

    /// "Row「Column」" for a term whose column is not otherwise clear.
    func rowAndColumn(_ t: TouchedCell) -> String {
        messages.text("engine.term.row_column", ["row": t.rowLabel, "col": t.columnLabel])
    }

    func location(_ t: TouchedCell) -> FindingLocation {
        FindingLocation(t.cell.location, table: t.tableTitle, row: t.rowLabel, column: t.columnLabel, cell: t.key)
    }

    func metaLocation(_ fields: [ReportField]) -> FindingLocation? {
        for f in fields { if let l = f.location(ev.report.metadata) { return FindingLocation(l) } }
        return nil
    }

    /// Placeholder values every finding has: the rule title, the report's fields and the loop variables.
    func bindingVars() -> [String: String] {
        var vars = ev.reportVars
        vars["title"] = rule.title
        for (k, v) in ev.bindings {
            vars[k] = v
            if let layout = ev.compiled {
                if k == "col", let (t, c) = layout.tables.lazy.compactMap({ t in t.columnIndex[v].map { (t, $0) } }).first {
                    vars["col"] = t.columnLabels[c]; vars["col_key"] = v
                }
                if k == "row", let (t, r) = layout.tables.lazy.compactMap({ t in t.rowIndex[v].map { (t, $0) } }).first {
                    vars["row"] = t.rowLabels[r]; vars["row_key"] = v
                }
            }
        }
        return vars
    }

    /// Adds a finding worded by the rule's message (else the catalog's default for `defaultKey`).
    func emit(vars: [String: String], defaultKey: String, location: FindingLocation, severity: Severity? = nil) {
        emit(vars: vars, defaultMessage: messages.text(defaultKey, vars), location: location, severity: severity)
    }

    /// Adds a finding worded by the rule's message, else by `defaultMessage`, which is made only then.
    func emit(
        vars: [String: String], defaultMessage: @autoclosure () -> String, location: FindingLocation, severity: Severity? = nil
    ) {
        findings.append(
            Finding(
                rule: rule.id, severity: severity ?? rule.severity, category: rule.category,
                message: rule.message.map { MessageCatalog.fill($0, vars) } ?? defaultMessage(),
                fix: rule.fix.map { MessageCatalog.fill($0, vars) }, location: location))
    }

    /// Adds a finding worded entirely by the catalog (a case the rule's own message does not describe).
    func emit(messageKey: String, fixKey: String, vars: [String: String], location: FindingLocation) {
        findings.append(
            Finding(
                rule: rule.id, severity: rule.severity, category: rule.category,
                message: messages.text(messageKey, vars), fix: messages.text(fixKey, vars), location: location))
    }

    /// True when the table spec's key or group matches one of the patterns.
    func matches(_ spec: TableSpec, _ patterns: [String]) -> Bool {
        patterns.contains { p in
            KeyPattern.matches(spec.key, pattern: p) || (spec.group.map { KeyPattern.matches($0, pattern: p) } ?? false)
        }
    }
}

/// What a `repair` rule asks the engine to do with the findings of the failing sums it explains (keys "rule|cell"):
/// fold them under its own finding (`message`), or, when several repairs fit, add `note` (the repairs) to their fixes.
struct Fold {
    var rule: String
    var message: String?
    var keys: Set<String>
    var note: String?
}

extension Evaluator {
    /// Runs `body` once per binding of a rule's `for_each` (`$col`, `$row` or a named value), or once without
    /// one. False when the iteration is over a table's columns or rows and no template is known.
    @discardableResult
    func forEachBinding(_ it: Iteration?, _ body: () -> Void) -> Bool {
        guard let it else { body(); return true }
        switch it {
        case let .values(values, name):
            for v in values { bindings[name] = v; body() }
        case let .columns(table, except), let .rows(table, except):
            guard let compiled else { return false }
            guard let spec = compiled.table(table) else { return true }
            let isCols: Bool = {
                if case .columns = it { return true }; return false
            }()
            let name = isCols ? "col" : "row"
            for k in (isCols ? spec.columnKeys : spec.rowKeys) where !except.contains(k) {
                bindings[name] = k
                body()
            }
        }
        return true
    }
}
