/// Which template a report's tables are laid out on: the one detected from its table labels, else the one in
/// force for its year. The single place this is decided; readers, the engine and outputs all ask it.
extension TemplateSet {
    public func layout(template id: String?, year: Int?) -> Template? {
        id.flatMap { template($0) } ?? year.flatMap { template(forYear: $0) }
    }

    /// The index in `templates` of `layout(template:year:)`'s template: what a caller that reads the template in
    /// place asks, without an optional copy of it.
    public func layoutIndex(template id: String?, year: Int?) -> Int? {
        id.flatMap { id in templates.firstIndex { $0.id == id } } ?? year.flatMap { y in templates.firstIndex { $0.applies(toYear: y) } }
    }

    public func layout(for report: Report) -> Template? {
        layout(template: report.metadata.template, year: report.metadata.year)
    }
}

extension TableSpec {
    /// The row and column a `ROW.COLUMN` key names (row keys may themselves contain dots).
    public func resolve(_ rowAndColumn: String) -> (RowSpec, ColumnSpec)? {
        for r in rows where rowAndColumn.hasPrefix(r.key + ".") {
            if let c = column(String(rowAndColumn.dropFirst(r.key.count + 1))) { return (r, c) }
        }
        return nil
    }
}
