import OGIModel

/// The templates of a validated load, written into a `ParsedRulesCache` entry beside the parsed YAML, so a
/// trusted hit takes them as they were built instead of walking the template files again. Every stored field of
/// `Template`, `TableSpec`, `ColumnSpec` and `RowSpec` is written, in order; reading gives equal values (a test
/// compares them with a fresh load), and any malformed byte gives nil (the entry is then a miss).
extension TreeEncoder {
    /// The number of templates, then each one.
    mutating func templates(_ all: [Template]) {
        int(all.count)
        for t in all {
            string(t.id); string(t.title); optionalString(t.reference)
            optionalInt(t.fromYear); optionalInt(t.toYear)
            strings(t.markers)
            int(t.tables.count)
            for table in t.tables {
                string(table.key); string(table.title); string(table.part); optionalString(table.group)
                strings(table.anchors)
                int(table.columns.count)
                for c in table.columns {
                    string(c.key); string(c.label); strings(c.variants); string(c.kind.rawValue); optionalString(c.unit)
                }
                int(table.rows.count)
                for r in table.rows {
                    string(r.key); string(r.label); strings(r.variants); strings(r.nonstandard); byte(r.unlabeled ? 1 : 0)
                }
                optionalString(table.reference)
            }
        }
    }

    mutating func strings(_ list: [String]) {
        int(list.count)
        for s in list { string(s) }
    }

    mutating func optionalString(_ s: String?) {
        if let s { byte(1); string(s) } else { byte(0) }
    }

    /// A presence byte, then the number with its sign folded in (`int` writes non-negative numbers).
    mutating func optionalInt(_ n: Int?) {
        guard let n else { byte(0); return }
        byte(n < 0 ? 2 : 1)
        int(n.magnitude > UInt(Int.max) ? 0 : Int(n.magnitude))
    }
}

extension TreeDecoder {
    /// What `TreeEncoder.templates` wrote; nil when the bytes are not that.
    mutating func templates() -> [Template]? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var out: [Template] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let id = string(), let title = string(), let reference = optionalString(),
                let fromYear = optionalInt(), let toYear = optionalInt(), let markers = strings(),
                let tableCount = int(), tableCount <= bytes.count - offset
            else { return nil }
            var tables: [TableSpec] = []
            tables.reserveCapacity(tableCount)
            for _ in 0..<tableCount {
                guard let key = string(), let tableTitle = string(), let part = string(), let group = optionalString(),
                    let anchors = strings(), let columnCount = int(), columnCount <= bytes.count - offset
                else { return nil }
                var columns: [ColumnSpec] = []
                columns.reserveCapacity(columnCount)
                for _ in 0..<columnCount {
                    guard let ck = string(), let label = string(), let variants = strings(), let kindName = string(),
                        let kind = ColumnSpec.Kind(rawValue: kindName), let unit = optionalString()
                    else { return nil }
                    columns.append(ColumnSpec(key: ck, label: label, variants: variants, kind: kind, unit: unit))
                }
                guard let rowCount = int(), rowCount <= bytes.count - offset else { return nil }
                var rows: [RowSpec] = []
                rows.reserveCapacity(rowCount)
                for _ in 0..<rowCount {
                    guard let rk = string(), let label = string(), let variants = strings(), let nonstandard = strings(),
                        let unlabeled = byte(), unlabeled <= 1
                    else { return nil }
                    rows.append(RowSpec(key: rk, label: label, variants: variants, nonstandard: nonstandard, unlabeled: unlabeled == 1))
                }
                guard let tableReference = optionalString() else { return nil }
                tables.append(
                    TableSpec(
                        key: key, title: tableTitle, part: part, group: group, anchors: anchors, columns: columns, rows: rows,
                        reference: tableReference))
            }
            out.append(
                Template(id: id, title: title, reference: reference, fromYear: fromYear, toYear: toYear, markers: markers, tables: tables))
        }
        return out
    }

    mutating func strings() -> [String]? {
        guard let count = int(), count <= bytes.count - offset else { return nil }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }

    /// Present (`.some(text)` or `.some(nil)` for an absent one), or nil when the bytes are not an optional text.
    mutating func optionalString() -> String?? {
        switch byte() {
        case 0: return .some(nil)
        case 1:
            guard let s = string() else { return nil }
            return .some(s)
        default: return nil
        }
    }

    /// As `optionalString`, for a whole number with its sign.
    mutating func optionalInt() -> Int?? {
        switch byte() {
        case 0: return .some(nil)
        case 1, 2:
            let negative = bytes[offset - 1] == 2
            guard let n = int() else { return nil }
            return .some(negative ? -n : n)
        default: return nil
        }
    }
}
