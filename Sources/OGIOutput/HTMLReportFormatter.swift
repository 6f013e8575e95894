import Foundation
import OGIModel
import OGIRules

/// A self-contained HTML report (no external assets, no network): each report's tables rendered with the
/// cells that findings point at highlighted, each finding linked to its cell or line, the fix beside it,
/// and findings filterable by severity.
public enum HTMLReportFormatter {
    public static func format(_ inputs: [CheckedInput], templates: TemplateSet, version: String) -> String {
        let s = Summary(inputs)
        var body = ""
        for (n, input) in inputs.enumerated() {
            body += report(input, number: n + 1, templates: templates)
        }
        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>ogilint 检查结果</title>
        <style>\(css)</style></head>
        <body>
        <header><h1>ogilint 检查结果</h1>
        <p class="summary">\(s.reports) 份报告：<span class="n-error">\(s.errors) 个错误</span>，<span class="n-warning">\(s.warnings) 个警告</span>，<span class="n-info">\(s.infos) 个提示</span></p>
        <form class="filters" aria-label="按严重程度筛选">
        <label><input type="checkbox" data-sev="error" checked> 错误</label>
        <label><input type="checkbox" data-sev="warning" checked> 警告</label>
        <label><input type="checkbox" data-sev="info" checked> 提示</label>
        </form></header>
        <main>
        \(body)
        </main>
        <footer>ogilint \(esc(version))</footer>
        <script>\(script)</script>
        </body></html>

        """
    }

    static func report(_ input: CheckedInput, number: Int, templates: TemplateSet) -> String {
        var out = "<section class=\"report\" id=\"r\(number)\"><h2>\(esc(input.path))</h2>\n"
        if let e = input.error { return out + "<p class=\"unreadable\">无法读取：\(esc(e))</p></section>\n" }
        guard let report = input.report else { return out + "</section>\n" }
        let m = report.metadata
        let facts = [m.year.map { "\($0) 年度" }, m.agency, m.agencyKind.map { $0 == .government ? "人民政府" : "部门" },
                     m.template.map { "\($0) 年版模板" }].compactMap { $0 }
        out += "<p class=\"facts\">\(esc(facts.joined(separator: " · ")))</p>\n"
        // Findings, each linked to the cell or line it is about.
        var cellSeverity: [String: Severity] = [:]
        var lineSeverity: [String: Severity] = [:]
        for f in input.findings {
            if let c = f.location.cell { cellSeverity[c] = max(cellSeverity[c] ?? .info, f.severity) }
            else if let a = textAnchor(f.location) { lineSeverity[a] = max(lineSeverity[a] ?? .info, f.severity) }
        }
        if input.findings.isEmpty {
            out += "<p class=\"clean\">没有发现问题。</p>\n"
        } else {
            out += "<ol class=\"findings\">\n"
            for f in input.findings {
                let target = f.location.cell.map { "#r\(number)-c-\(anchor($0))" } ?? textAnchor(f.location).map { "#r\(number)-\($0)" }
                let place = ([TextFormatter.position(f.location)] + [f.location.table, f.location.row, f.location.column].compactMap { $0 }).joined(separator: " › ")
                out += "<li class=\"finding sev-\(f.severity.rawValue)\" data-sev=\"\(f.severity.rawValue)\">"
                out += "<span class=\"sev\">\(f.severity.rawValue)</span> <code>\(esc(f.rule))</code> "
                out += target.map { "<a href=\"\($0)\">\(esc(place))</a>" } ?? "<span class=\"place\">\(esc(place))</span>"
                out += "<div class=\"msg\">\(esc(f.message))</div>"
                if let fix = f.fix { out += "<div class=\"fix\">建议：\(esc(fix))</div>" }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        // The tables as read, on the template's grid.
        let layout = m.template.flatMap { templates.template($0) } ?? m.year.flatMap { templates.template(forYear: $0) }
        for t in report.tables {
            let spec = layout?.table(t.key)
            out += "<h3>\(esc(t.title ?? t.key))</h3>\n<div class=\"scroll\"><table class=\"data\"><thead><tr><th></th>"
            let columns = spec?.columns.map { ($0.key, $0.label) } ?? (t.rows.first?.cells.map { ($0.column, $0.column) } ?? [])
            for (_, label) in columns { out += "<th>\(esc(label))</th>" }
            out += "</tr></thead><tbody>\n"
            for row in t.rows {
                let label = spec?.row(row.key).map { $0.variants.first ?? $0.label } ?? row.label
                out += "<tr><th>\(esc(label))</th>"
                for (key, _) in columns {
                    let cellKey = "\(t.key).\(row.key).\(key)"
                    let cell = row.cell(key)
                    var cls = "st-\(cell?.state.rawValue ?? "missing")"
                    if let sev = cellSeverity[cellKey] { cls += " hl-\(sev.rawValue)" }
                    let text = cell.map { $0.state == .missing ? "—缺—" : ($0.raw.isEmpty ? "（空）" : $0.raw) } ?? "—缺—"
                    out += "<td id=\"r\(number)-c-\(anchor(cellKey))\" class=\"\(cls)\">\(esc(text))</td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        // The prose, with line anchors.
        out += "<details class=\"text\"><summary>正文</summary>\n"
        for p in report.preamble { out += paragraph(p, number: number, lineSeverity: lineSeverity) }
        for part in report.parts {
            let id = textAnchor(FindingLocation(part.location)).map { " id=\"r\(number)-\($0)\"" } ?? ""
            out += "<h4\(id)>\(esc(part.heading))</h4>\n"
            for p in part.paragraphs { out += paragraph(p, number: number, lineSeverity: lineSeverity) }
        }
        out += "</details></section>\n"
        return out
    }

    static func paragraph(_ p: Paragraph, number: Int, lineSeverity: [String: Severity]) -> String {
        let loc = FindingLocation(p.location)
        let a = textAnchor(loc)
        let cls = a.flatMap { lineSeverity[$0] }.map { " class=\"hl-\($0.rawValue)\"" } ?? ""
        let id = a.map { " id=\"r\(number)-\($0)\"" } ?? ""
        let num = TextFormatter.position(loc) == "-" ? "" : "<span class=\"ln\">\(TextFormatter.position(loc))</span>"
        return "<p\(id)\(cls)>\(num)\(esc(p.text))</p>\n"
    }

    /// The anchor of a line (`l12`, `p3-l12` on a PDF page) or a DOCX paragraph (`para7`).
    static func textAnchor(_ l: FindingLocation) -> String? {
        if let line = l.line { return (l.page.map { "p\($0)-" } ?? "") + "l\(line)" }
        return l.paragraph.map { "para\($0)" }
    }

    static func anchor(_ key: String) -> String {
        String(key.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let css = """
    body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
    header{background:#1f3b5c;color:#fff;padding:12px 24px;position:sticky;top:0;z-index:2}
    header h1{margin:0;font-size:20px}.summary{margin:4px 0}.filters label{margin-right:16px}
    main{padding:8px 24px}section.report{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 20px;margin:16px 0}
    h2{font-size:17px;word-break:break-all}.facts{color:#555}
    ol.findings{padding-left:20px}li.finding{margin:8px 0;padding:6px 10px;border-left:4px solid #999;background:#f6f6f6}
    li.sev-error{border-color:#c62828}li.sev-warning{border-color:#ef8f00}li.sev-info{border-color:#1565c0}
    .sev{font-weight:bold;text-transform:uppercase;font-size:12px}.sev-error .sev{color:#c62828}.sev-warning .sev{color:#b26a00}.sev-info .sev{color:#1565c0}
    .msg{margin-top:4px}.fix{margin-top:4px;color:#2e7d32}
    .scroll{overflow-x:auto}table.data{border-collapse:collapse;margin:6px 0 14px;font-size:13px}
    table.data th,table.data td{border:1px solid #ccc;padding:3px 6px;text-align:right}table.data th{background:#eef2f6;text-align:left}
    td.st-blank,td.st-placeholder,td.st-signed_text{background:#fff8e1}td.st-missing,td.st-text{background:#fde0dc}
    .hl-error{outline:3px solid #c62828;outline-offset:-3px;background:#ffebee !important}
    .hl-warning{outline:3px solid #ef8f00;outline-offset:-3px;background:#fff3e0 !important}
    .hl-info{outline:3px solid #1565c0;outline-offset:-3px}
    td:target,p:target,h4:target{box-shadow:0 0 0 3px #000 inset}
    details.text p{margin:4px 0}.ln{display:inline-block;min-width:3em;color:#999;font-size:12px}
    .clean{color:#2e7d32}.unreadable{color:#c62828}footer{color:#888;font-size:12px;padding:12px 24px}
    """

    static let script = """
    document.querySelectorAll('.filters input').forEach(function (box) {
      box.addEventListener('change', function () {
        var sev = box.getAttribute('data-sev');
        document.querySelectorAll('li.finding[data-sev="' + sev + '"]').forEach(function (li) {
          li.style.display = box.checked ? '' : 'none';
        });
      });
    });
    """
}
