import Foundation
import OGIModel

/// A template table compiled once for evaluation: its rows and columns by integer index, their keys and the labels
/// messages show, and key lookups by dictionary instead of scans. Immutable and shared by every report.
final class CompiledTable: Sendable {
    /// Position of the table in its template.
    let index: Int
    let spec: TableSpec
    let key: String
    let title: String
    let rowKeys: [String]
    /// Row labels as messages show them (`Evaluator.displayLabel`).
    let rowLabels: [String]
    let columnKeys: [String]
    let columnLabels: [String]
    let columnKinds: [ColumnSpec.Kind]
    /// First row or column of each key (as `TableSpec.row(_:)` and `column(_:)` find them).
    let rowIndex: [String: Int]
    let columnIndex: [String: Int]
    /// The first row whose label as messages show it (`rowLabels`) or whose template label is the text, by that
    /// text: what root-cause keys look a finding's row up by, hashed instead of compared with every row's labels
    /// (as with `==`, canonically equivalent texts are one key). Made on first use: hashing the labels (Chinese
    /// text, normalised to be hashed) costs more than a run that reports nothing in this table would spend.
    /// Looked up by the labels' bytes where they are plain (`TextDictionary`).
    var rowByLabel: TextDictionary<Int> {
        rowByLabelCache.value {
            var byLabel: [String: Int] = [:]
            byLabel.reserveCapacity(2 * spec.rows.count)
            for (i, row) in spec.rows.enumerated() {
                if byLabel[rowLabels[i]] == nil { byLabel[rowLabels[i]] = i }
                if byLabel[row.label] == nil { byLabel[row.label] = i }
            }
            return TextDictionary(byLabel)
        }
    }
    private let rowByLabelCache = SharedLazy<TextDictionary<Int>>()
    /// Per row (column): true when it is the first with its key, i.e. `rowIndex[rowKeys[i]] == i`. A report's rows
    /// and cells mostly come in template order, so `TableCells` first tries the expected position and compares one
    /// key (no hashing); it is the answer `rowIndex` gives exactly when the keys are equal and this is true.
    let rowIsFirst: [Bool]
    let columnIsFirst: [Bool]
    /// True when no `row.column` text is spelled by two different (row, column) pairs: then any split of a cell
    /// reference into a known row and a known column is the one `TableSpec.resolve` finds.
    let unambiguous: Bool

    var columnCount: Int { columnKeys.count }
    var rowCount: Int { rowKeys.count }

    /// Per cell slot (row × column count + column): the rank of its key `table.row.column` among the table's
    /// distinct keys in `String` order (equal keys share a rank). The repair solver orders cells by this integer
    /// instead of comparing and hashing key strings; made on first use.
    var keyRanks: [Int] {
        keyRanksCache.value {
            let keys = (0..<(rowCount * columnCount)).map { i in "\(key).\(rowKeys[i / columnCount]).\(columnKeys[i % columnCount])" }
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            var ranks = [Int](repeating: 0, count: keys.count)
            var rank = -1
            for (n, slot) in order.enumerated() {
                if n == 0 || keys[order[n - 1]] != keys[slot] { rank += 1 }
                ranks[slot] = rank
            }
            return ranks
        }
    }
    private let keyRanksCache = SharedLazy<[Int]>()

    init(index: Int, spec: TableSpec) {
        self.index = index
        self.spec = spec
        key = spec.key
        title = spec.title
        rowKeys = spec.rows.map(\.key)
        rowLabels = spec.rows.map(Evaluator.displayLabel)
        columnKeys = spec.columns.map(\.key)
        columnLabels = spec.columns.map(\.label)
        columnKinds = spec.columns.map(\.kind)
        var rows: [String: Int] = [:]
        for (i, k) in rowKeys.enumerated() where rows[k] == nil { rows[k] = i }
        var cols: [String: Int] = [:]
        for (i, k) in columnKeys.enumerated() where cols[k] == nil { cols[k] = i }
        rowIndex = rows
        columnIndex = cols
        let rowKeys = self.rowKeys, columnKeys = self.columnKeys
        rowIsFirst = rowKeys.indices.map { rows[rowKeys[$0]] == $0 }
        columnIsFirst = columnKeys.indices.map { cols[columnKeys[$0]] == $0 }
        // Two spellings can coincide only when a row key and a column key both hold a dot (`a.b` + `c` = `a` + `b.c`).
        let dot = UInt8(ascii: ".")
        if !rowKeys.contains(where: { $0.utf8.contains(dot) }) || !columnKeys.contains(where: { $0.utf8.contains(dot) }) {
            unambiguous = true
        } else {
            var spelled = Set<String>()
            var unique = true
            for r in Set(rowKeys) {
                for c in Set(columnKeys) where !spelled.insert(r + "." + c).inserted { unique = false }
            }
            unambiguous = unique
        }
    }

    /// The (row, column) indices `rest` (`row.column`, dots inside keys allowed) names, as `TableSpec.resolve`.
    func resolve(_ segments: ArraySlice<String>) -> (row: Int, column: Int)? {
        if unambiguous, segments.count >= 2 {
            // Split between whole segments first: no string is built when a binding holds a whole key.
            let start = segments.startIndex
            for split in (start + 1)..<segments.endIndex {
                let row = split == start + 1 ? segments[start] : segments[start..<split].joined(separator: ".")
                guard let r = rowIndex[row] else { continue }
                let col = split == segments.endIndex - 1 ? segments[split] : segments[split...].joined(separator: ".")
                if let c = columnIndex[col] { return (r, c) }
            }
        }
        let rest = segments.joined(separator: ".")
        guard let (rs, cs) = spec.resolve(rest) else { return nil }
        guard let r = spec.rows.firstIndex(where: { $0.key == rs.key }), let c = columnIndex[cs.key] else { return nil }
        return (r, c)
    }
}

/// A template compiled for evaluation: its tables by index and by key. Built once per rule set.
final class CompiledLayout: Sendable {
    let template: Template
    let tables: [CompiledTable]
    /// First table of each key (as `Template.table(_:)` finds it).
    let tableIndex: [String: Int]
    /// First table of each title, by the title (as `==` compares titles); made on first use, as `rowByLabel`.
    var tableByTitle: TextDictionary<Int> {
        tableByTitleCache.value {
            var byTitle: [String: Int] = [:]
            for (i, t) in template.tables.enumerated() where byTitle[t.title] == nil { byTitle[t.title] = i }
            return TextDictionary(byTitle)
        }
    }
    private let tableByTitleCache = SharedLazy<TextDictionary<Int>>()
    /// Sum plans by rule spelling, filled on first use.
    let sumPlans = SharedCache<SumPlanKey, SumPlan>()
    /// Sum plans of spellings with `$variables`, by the spelling and the bindings (`SumKind.lines`).
    let boundSumPlans = SharedCache<BoundSumPlanKey, SumPlan>()
    /// The repair kind's reading of each assertion's equation, by rule, table and variable values, filled on first use.
    let equations = SharedCache<RepairKind.EquationKey, RepairKind.PlannedEquation>()
    /// Which tables a list of key patterns (`tables:` of a rule) matches, by table index, filled on first use.
    let tablePatterns = SharedCache<[String], [Bool]>()
    /// Per rule of the set (by index): true when the rule applies to this template.
    let ruleApplies: [Bool]
    /// Per table (by index): the rules stating its linear constraints (its `sum` rules and the `assert` rules whose
    /// condition is an equation), by rule index, in rule order; what the `repair` kind reads.
    let constraintRules: [[Int]]

    /// What the repair kind reads of each rule: its sum, or the two sides of its equation (`assert: A == B`).
    struct ConstraintSource: Sendable {
        var sumTable: String?
        var equation: (Expr, Expr)?

        init(_ rule: Rule) {
            if let sum = rule.kind as? SumKind {
                sumTable = sum.table
            } else if let a = rule.kind as? AssertKind, case .binary("==", let l, let r) = a.expression {
                equation = (l, r)
            }
        }
    }

    convenience init(_ template: Template, rules: [Rule]) {
        self.init(template, rules: rules, sources: rules.map(ConstraintSource.init))
    }

    init(_ template: Template, rules: [Rule], sources: [ConstraintSource]) {
        self.template = template
        tables = template.tables.enumerated().map { CompiledTable(index: $0.offset, spec: $0.element) }
        var idx: [String: Int] = [:]
        for (i, t) in template.tables.enumerated() where idx[t.key] == nil { idx[t.key] = i }
        tableIndex = idx
        ruleApplies = rules.map { $0.templates.contains(template.id) }
        constraintRules = template.tables.map { spec in
            rules.indices.filter { i in
                guard sources[i].sumTable != nil || sources[i].equation != nil, rules[i].templates.contains(template.id) else {
                    return false
                }
                if let table = sources[i].sumTable { return table == spec.key }
                if let (l, r) = sources[i].equation {
                    return RepairKind.mayBeLinear(l, over: spec.key) && RepairKind.mayBeLinear(r, over: spec.key)
                }
                return false
            }
        }
    }

    func table(_ key: String) -> CompiledTable? { tableIndex[key].map { tables[$0] } }

    /// Per table: true when its key or group matches one of `patterns` (as `RuleRun.matches`).
    func tablesMatching(_ patterns: [String]) -> [Bool] {
        tablePatterns.value(patterns) { _ in
            tables.map { t in
                patterns.contains { p in
                    KeyPattern.matches(t.key, pattern: p) || (t.spec.group.map { KeyPattern.matches($0, pattern: p) } ?? false)
                }
            }
        }
    }
}

/// Every template of a rule set, each compiled on first use (a single report needs one); what the engine shares
/// across reports and threads.
final class CompiledTemplates: Sendable {
    let ruleSet: RuleSet
    /// What the repair kind reads of each rule, made once for every template (on the first layout made).
    private let sources = SharedLazy<[CompiledLayout.ConstraintSource]>()
    /// Per template of `ruleSet` (in its order), its layout once made.
    private let made: [SharedLazy<CompiledLayout>]

    init(_ ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        made = ruleSet.templates.templates.map { _ in SharedLazy() }
    }

    /// The layout of the template at `index` of the rule set's templates, made on first use.
    func layout(at index: Int) -> CompiledLayout {
        made[index].value {
            let rules = ruleSet.rules
            let sources = sources.value { rules.map(CompiledLayout.ConstraintSource.init) }
            return CompiledLayout(ruleSet.templates.templates[index], rules: rules, sources: sources)
        }
    }

    /// Every template's layout, in the rule set's order.
    var layouts: [CompiledLayout] { made.indices.map(layout(at:)) }

    /// The compiled layout a report's tables are laid out on, chosen as `TemplateSet.layout(for:)` chooses it.
    func layout(for report: Report) -> CompiledLayout? {
        let m = report.metadata
        let templates = ruleSet.templates.templates
        let index =
            m.template.flatMap { id in templates.firstIndex { $0.id == id } }
            ?? m.year.flatMap { y in templates.firstIndex { $0.applies(toYear: y) } }
        return index.map(layout(at:))
    }
}

/// One template table as one report filled it: the report's cells at the template's row and column indices.
/// Built on first use per report; states, values and small whole numbers sit in flat arrays, so reading a number
/// copies no strings, and the report's rows and cells are reached by position only for messages.
final class TableCells {
    let table: CompiledTable
    /// False when the report has no table with this key.
    let found: Bool
    /// The report's table (the first with the key), when found.
    private let source: Table?
    /// Per template row: the report's row position (the first row with the row's key), -1 when absent.
    private let rowPositions: [Int]
    /// Per cell (row × column count + column): what `state(_:)`, `value(_:)`, `int(_:)` and `cell(_:)` read, in one
    /// array (four arrays and a fifth of the rows found were made per table and report).
    private let slots: [Slot]
    let columnCount: Int

    /// One cell of the template table as the report filled it.
    struct Slot {
        /// The cell's state (`.missing` when absent).
        var state: CellState
        /// The position of the report's cell in its row (the first cell with the column's key), -1 when the row or
        /// the cell is absent.
        var position: Int32
        /// The value as a whole number when it is one written plainly (`0`…`999999999999999`, optionally negative)
        /// or a blank or placeholder (0): exact integer arithmetic gives the same sums as `Decimal`.
        var int: Int64?
        var value: Decimal?

        static let absent = Slot(state: .missing, position: -1, int: nil, value: nil)
    }

    /// The number of cells (rows × columns of the template table).
    var cellCount: Int { slots.count }
    /// Cell `i`'s state (`.missing` when absent).
    @inline(__always) func state(_ i: Int) -> CellState { slots[i].state }
    /// Cell `i`'s value.
    @inline(__always) func value(_ i: Int) -> Decimal? { slots[i].value }
    /// Cell `i`'s value as a plain whole number (`Slot.int`).
    @inline(__always) func int(_ i: Int) -> Int64? { slots[i].int }
    /// Whether the report has template row `r`.
    @inline(__always) func rowFound(_ r: Int) -> Bool { rowPositions[r] >= 0 }
    /// True when the report's table repeats no template row and no row repeats a template column: then the cells
    /// above are every cell of the table a rule can name.
    let complete: Bool

    init(_ table: CompiledTable, report: Report) {
        self.table = table
        columnCount = table.columnCount
        let n = table.rowCount * table.columnCount
        var rowPositions = [Int](filledWith: -1, count: table.rowCount)
        var slots = [Slot](filledWith: .absent, count: n)
        let source = report.tables.first(where: { $0.key == table.key })
        var repeats = false
        if let t = source {
            // The arrays are written through buffer pointers, in place: written as arrays, each write checked whether
            // its array was shared.
            rowPositions.withUnsafeMutableBufferPointer { rowPositions in
                slots.withUnsafeMutableBufferPointer { slots in
                    repeats = Self.place(t, on: table, rowPositions: rowPositions, slots: slots)
                }
            }
        }
        found = source != nil
        self.source = source
        self.rowPositions = rowPositions
        self.slots = slots
        complete = !repeats
    }

    /// Puts the rows and cells of the report's table `t` at the template's row and column indices in
    /// `rowPositions` and `slots`; true when `t` repeats a template row or a row repeats a template column (the
    /// repeat is left out).
    private static func place(
        _ t: Table, on table: CompiledTable, rowPositions: UnsafeMutableBufferPointer<Int>, slots: UnsafeMutableBufferPointer<Slot>
    ) -> Bool {
        var repeats = false
        // The template row after the last one found is tried first (`CompiledTable.rowIsFirst`).
        var nextRow = 0
        // Rows and cells are read field by field in place: copying a whole `Row` or `Cell` retains each of its
        // strings and arrays.
        for ri in t.rows.indices {
            let rowKey = t.rows[ri].key
            let tr: Int
            if nextRow < table.rowCount, table.rowIsFirst[nextRow], table.rowKeys[nextRow] == rowKey {
                tr = nextRow
            } else if let found = table.rowIndex[rowKey] {
                tr = found
            } else {
                continue
            }
            nextRow = tr + 1
            if rowPositions[tr] >= 0 { repeats = true; continue }
            rowPositions[tr] = ri
            let base = tr * table.columnCount
            var nextColumn = 0
            let cells = t.rows[ri].cells
            for ci in cells.indices {
                let column = cells[ci].column
                let c: Int
                if nextColumn < table.columnCount, table.columnIsFirst[nextColumn], table.columnKeys[nextColumn] == column {
                    c = nextColumn
                } else if let found = table.columnIndex[column] {
                    c = found
                } else {
                    continue
                }
                nextColumn = c + 1
                let i = base + c
                if slots[i].position >= 0 { repeats = true; continue }
                let state = cells[ci].state, value = cells[ci].value
                slots[i] = Slot(
                    state: state, position: Int32(ci), int: plainInteger(state: state, value: value, raw: cells[ci].raw), value: value)
            }
        }
        return repeats
    }

    /// The report's row at template row `r`, nil when absent.
    func row(_ r: Int) -> Row? { rowPositions[r] < 0 ? nil : source!.rows[rowPositions[r]] }

    /// Whether the report's row at template row `r` (which must be present) has a cell whose state is `.missing`,
    /// its cells read in place (a copy of the row retained and released each of its strings).
    func rowHasMissingCell(_ r: Int) -> Bool { CompleteKind.hasMissingCell(source!.rows[rowPositions[r]].cells) }

    /// The report's cell at slot `i`, nil when absent.
    func cell(_ i: Int) -> Cell? {
        let position = slots[i].position
        guard position >= 0 else { return nil }
        return source!.rows[rowPositions[i / columnCount]].cells[Int(position)]
    }

    /// The cell's value as an `Int64` when its text is plain digits (at most 15, optionally after "-") read as a
    /// number, or it is blank or a placeholder (value 0); nil otherwise.
    static func plainInteger(_ cell: Cell) -> Int64? { plainInteger(state: cell.state, value: cell.value, raw: cell.raw) }

    /// `plainInteger(_:)` of a cell with this state, value and text (without copying the cell).
    static func plainInteger(state: CellState, value: Decimal?, raw: String) -> Int64? {
        switch state {
        case .blank, .placeholder: return value?.isZero == true ? 0 : nil
        case .number:
            guard value != nil else { return nil }
            // Native strings (small ones too) are read as bytes in place.
            if let n = raw.utf8.withContiguousStorageIfAvailable(plainDigits) { return n }
            return plainDigits(raw.utf8)
        default: return nil
        }
    }

    /// Plain digits (at most 15, optionally after "-") as an `Int64`; nil for anything else.
    @inline(__always)
    static func plainDigits<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        var v: Int64 = 0, digits = 0, negative = false, first = true
        for b in bytes {
            if first {
                first = false
                if b == UInt8(ascii: "-") { negative = true; continue }
            }
            guard b >= 48 && b <= 57 else { return nil }
            v = v &* 10 &+ Int64(b &- 48)
            digits += 1
            if digits > 15 { return nil }
        }
        return digits == 0 ? nil : (negative ? -v : v)
    }
}

/// The rows (or columns) a `sum` rule adds up on one template table, for one spelling of its total and parts
/// (after `$variable` substitution): computed once per rule set, not per report.
struct SumPlan: Sendable {
    /// Unique within its layout: a report keeps the lines it read under it.
    var id: Int
    /// Index of the total's row (along rows) or column (along columns); nil when the table has none of that key.
    var total: Int?
    var parts: [Int]
}

/// What a `SumPlan` is computed from.
struct SumPlanKey: Hashable, Sendable {
    var table: Int
    var total: String
    var parts: [String]
    var alongRows: Bool

    /// The parts are counted, not hashed: a sum's total and table already tell most sums apart, and equal keys
    /// still compare every part (hashing each part's text cost more than the rare shared bucket).
    func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(total)
        hasher.combine(parts.count)
        hasher.combine(alongRows)
    }
}

/// Bindings hashed for a plan's key: a single binding (the common `for_each`) as its name and value in the key's
/// own hasher, more as the dictionary hashes them (order-independent). Equal dictionaries hash equally either way.
@inline(__always) func hashBindings(_ bindings: [String: String], into hasher: inout Hasher) {
    hasher.combine(bindings.count)
    if bindings.count == 1, let (k, v) = bindings.first {
        hasher.combine(k)
        hasher.combine(v)
    } else if bindings.count > 1 {
        hasher.combine(bindings)
    }
}

/// A sum's spelling before `$variable` substitution, with the variables bound when it is read: what the
/// substituted `SumPlanKey` is made from.
struct BoundSumPlanKey: Hashable, Sendable {
    var table: Int
    var total: String
    var parts: [String]
    var alongRows: Bool
    var bindings: [String: String]

    /// As `SumPlanKey`'s, with the bindings (`hashBindings`).
    func hash(into hasher: inout Hasher) {
        hasher.combine(table)
        hasher.combine(total)
        hasher.combine(parts.count)
        hasher.combine(alongRows)
        hashBindings(bindings, into: &hasher)
    }
}

/// A cache filled on first use and shared across threads (plans depend only on the rule set).
final class SharedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]

    /// The value for `key`, made on first use; `make` receives a number unique in this cache.
    func value(_ key: Key, _ make: (Int) -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let v = values[key] { return v }
        let v = make(values.count)
        values[key] = v
        return v
    }
}

/// A value made on first use and shared across threads.
final class SharedLazy<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?

    func value(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let v = make()
        made = v
        return v
    }
}

extension CompiledLayout {
    /// The total and part indices of a sum on table `table`, as `SumKind` chose them by key and key pattern.
    func sumPlan(_ key: SumPlanKey) -> SumPlan {
        sumPlans.value(key) { id in
            let t = tables[key.table]
            let keys = key.alongRows ? t.rowKeys : t.columnKeys
            let total = (key.alongRows ? t.rowIndex : t.columnIndex)[key.total]
            let parts = keys.indices.filter { i in
                keys[i] != key.total && key.parts.contains { KeyPattern.matches(keys[i], pattern: $0) }
            }
            return SumPlan(id: id, total: total, parts: parts)
        }
    }
}
