import Foundation
import OGILint
import OGIModel
import OGIRules

/// A self-contained HTML report (no external assets, no network). A batch opens with an index of its files
/// (sortable, with counts, each linked to its report); each report is collapsible and shows its tables with
/// the cells that findings point at highlighted, each finding linked to its cell or line, the fix beside
/// it, and findings filterable by severity. Reports are spooled, since the totals and the index come first.
public final class HTMLFormat: OutputFormat {
    public static let name = "html"
    public static let purpose = "a self-contained HTML report for reviewers"

    /// Reports are shown open when a batch has at most this many.
    static let openUpTo = 5

    let options: OutputOptions
    var templates: TemplateSet?
    var expected = 0
    /// How many files the run has written, and the index's rows (one `<tr>` per file), spooled like the
    /// sections so memory stays flat whatever the batch size.
    var files = 0
    let index = Spool()
    let sections = Spool()

    public init(options: OutputOptions) { self.options = options }

    public func begin(_ run: RunStart, to out: OutputSink) throws {
        templates = run.templates
        expected = run.files.count
    }

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        files += 1
        let number = files
        let c = RunSummary.counts(input.findings)
        let errors = input.error == nil ? String(c.errors) : "无法读取"
        try index.write(
            "<tr><td>\(number)</td><td><a href=\"#r\(number)\">\(Self.esc(input.path))</a></td><td>\(Self.esc(errors))</td><td>\(c.warnings)</td><td>\(c.infos)</td></tr>\n"
        )
        try sections.write(report(input, number: number, open: expected <= Self.openUpTo))
    }

    public func finish(_ s: RunSummary, to out: OutputSink) throws {
        var head = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="ogilint \(Self.esc(options.version))">
            <title>ogilint 检查结果</title>
            <style>\(Self.css)</style></head>
            <body>
            <header><h1>ogilint 检查结果</h1>
            <p class="summary">\(s.reports) 份报告：<span class="n-error">\(s.errors) 个错误</span>，<span class="n-warning">\(s.warnings) 个警告</span>，<span class="n-info">\(s.infos) 个提示</span></p>
            <form class="filters" aria-label="按严重程度筛选">
            <label><input type="checkbox" data-sev="error" checked> 错误</label>
            <label><input type="checkbox" data-sev="warning" checked> 警告</label>
            <label><input type="checkbox" data-sev="info" checked> 提示</label>
            </form></header>
            <main>

            """
        if files > 1 {
            head += "<nav class=\"index\" aria-label=\"文件\"><table class=\"files\"><thead><tr>"
            head += "<th><button type=\"button\" data-col=\"0\">#</button></th><th><button type=\"button\" data-col=\"1\">文件</button></th>"
            head += "<th><button type=\"button\" data-col=\"2\">错误</button></th><th><button type=\"button\" data-col=\"3\">警告</button></th>"
            head += "<th><button type=\"button\" data-col=\"4\">提示</button></th></tr></thead><tbody>\n"
            try out.write(head)
            try index.copy(to: out)
            head = "</tbody></table></nav>\n"
        }
        try out.write(head)
        try sections.copy(to: out)
        try out.write("</main>\n<footer>ogilint \(Self.esc(options.version))</footer>\n<script>\(Self.script)</script>\n</body></html>\n")
    }

    func report(_ input: CheckedInput, number: Int, open: Bool) -> String {
        let c = RunSummary.counts(input.findings)
        let counts = input.error != nil ? "无法读取" : "\(c.errors) 个错误，\(c.warnings) 个警告，\(c.infos) 个提示"
        var out =
            "<section class=\"report\" id=\"r\(number)\"><details\(open ? " open" : "")><summary><h2>\(Self.esc(input.path))</h2> <span class=\"counts\">\(counts)</span></summary>\n"
        let end = "</details></section>\n"
        if let e = input.error { return out + "<p class=\"unreadable\">无法读取：\(Self.esc(e.description))</p>" + end }
        let m = input.report?.metadata
        if let m {
            let facts = [
                m.year.map { "\($0) 年度" }, m.agency, m.agencyKind.map { $0 == .government ? "人民政府" : "部门" },
                m.template.map { "\($0) 年版模板" },
            ].compactMap { $0 }
            out += "<p class=\"facts\">\(Self.esc(facts.joined(separator: " · ")))</p>\n"
        }
        // Findings, each linked to the cell or line it is about (in a report; a configuration file has no anchors).
        var cellSeverity: [String: Severity] = [:]
        var lineSeverity: [String: Severity] = [:]
        // The cells a repair names (`suggestion`): marked apart from the cells that merely take part.
        var suspected: [String: CellSuggestion] = [:]
        for f in input.findings {
            if let c = f.location.cell {
                cellSeverity[c] = max(cellSeverity[c] ?? .info, f.severity)
            } else if let a = Self.textAnchor(f.location) {
                lineSeverity[a] = max(lineSeverity[a] ?? .info, f.severity)
            }
            if let s = f.suggestion { suspected[s.cell] = s }
            // The sums a repair explains are folded under it; their cells take part and are highlighted too.
            for r in f.related { if let c = r.location.cell { cellSeverity[c] = max(cellSeverity[c] ?? .info, r.severity) } }
        }
        if input.findings.isEmpty {
            out += "<p class=\"clean\">没有发现问题。</p>\n"
        } else {
            out += "<ol class=\"findings\">\n"
            for f in input.findings {
                let target =
                    input.report == nil
                    ? nil
                    : f.location.cell.map { "#r\(number)-c-\(Self.anchor($0))" } ?? Self.textAnchor(f.location).map { "#r\(number)-\($0)" }
                let place =
                    ([TextLayout.position(f.location, in: input.report)]
                    + [f.location.table, f.location.row, f.location.column].compactMap { $0 }).joined(separator: " › ")
                out += "<li class=\"finding sev-\(f.severity.rawValue)\" data-sev=\"\(f.severity.rawValue)\">"
                out += "<span class=\"sev\">\(f.severity.rawValue)</span> <code>\(Self.esc(f.rule))</code> "
                out += target.map { "<a href=\"\($0)\">\(Self.esc(place))</a>" } ?? "<span class=\"place\">\(Self.esc(place))</span>"
                out += "<div class=\"msg\">\(Self.esc(f.message))</div>"
                if let fix = f.fix { out += "<div class=\"fix\">建议：\(Self.esc(fix))</div>" }
                if let s = f.suggestion {
                    let cellPlace = [s.location.table, s.location.row, s.location.column].compactMap { $0 }.joined(separator: " › ")
                    let filed = s.value.map(ExactDecimal.format) ?? "（空）"
                    let link =
                        input.report == nil
                        ? Self.esc(cellPlace) : "<a href=\"#r\(number)-c-\(Self.anchor(s.cell))\">\(Self.esc(cellPlace))</a>"
                    out +=
                        "<div class=\"suspect\">疑似填错的单元格：\(link)，填报 \(Self.esc(filed))，建议改为 <b>\(Self.esc(ExactDecimal.format(s.suggestedValue)))</b></div>"
                }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        guard let report = input.report, let m else { return out + end }
        // The tables as read, on the template's grid.
        let layout = templates?.layout(template: m.template, year: m.year)
        if !report.tables.isEmpty && !input.findings.isEmpty {
            out += "<p class=\"legend\">图例：<span class=\"hl-error\">有错误的单元格</span> <span class=\"hl-warning\">有警告的单元格</span>"
            if !suspected.isEmpty { out += " <span class=\"suspect\">疑似填错的单元格（建议改动）</span>" }
            out += "</p>\n"
        }
        for t in report.tables {
            let spec = layout?.table(t.key)
            out += "<h3>\(Self.esc(t.title ?? t.key))</h3>\n<div class=\"scroll\"><table class=\"data\"><thead><tr><th></th>"
            let columns = spec?.columns.map { ($0.key, $0.label) } ?? (t.rows.first?.cells.map { ($0.column, $0.column) } ?? [])
            for (_, label) in columns { out += "<th>\(Self.esc(label))</th>" }
            out += "</tr></thead><tbody>\n"
            for row in t.rows {
                let label = spec?.row(row.key).map { $0.variants.first ?? $0.label } ?? row.label
                out += "<tr><th>\(Self.esc(label))</th>"
                for (key, _) in columns {
                    let cellKey = "\(t.key).\(row.key).\(key)"
                    let cell = row.cell(key)
                    var cls = "st-\(cell?.state.rawValue ?? "missing")"
                    if let sev = cellSeverity[cellKey] { cls += " hl-\(sev.rawValue)" }
                    var title = ""
                    if let s = suspected[cellKey] {
                        cls += " suspect"
                        title = " title=\"疑似填错，建议改为 \(Self.esc(ExactDecimal.format(s.suggestedValue)))\""
                    }
                    let text = cell.map { $0.state == .missing ? "—缺—" : ($0.raw.isEmpty ? "（空）" : $0.raw) } ?? "—缺—"
                    out += "<td id=\"r\(number)-c-\(Self.anchor(cellKey))\" class=\"\(cls)\"\(title)>\(Self.esc(text))</td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        // The prose, with line anchors.
        out += "<details class=\"text\"><summary>正文</summary>\n"
        for p in report.preamble { out += Self.paragraph(p, number: number, lineSeverity: lineSeverity) }
        for part in report.parts {
            let id = Self.textAnchor(FindingLocation(part.location)).map { " id=\"r\(number)-\($0)\"" } ?? ""
            out += "<h4\(id)>\(Self.esc(part.heading))</h4>\n"
            for p in part.paragraphs { out += Self.paragraph(p, number: number, lineSeverity: lineSeverity) }
        }
        out += "</details>" + end
        return out
    }

    static func paragraph(_ p: Paragraph, number: Int, lineSeverity: [String: Severity]) -> String {
        let loc = FindingLocation(p.location)
        let a = textAnchor(loc)
        let cls = a.flatMap { lineSeverity[$0] }.map { " class=\"hl-\($0.rawValue)\"" } ?? ""
        let id = a.map { " id=\"r\(number)-\($0)\"" } ?? ""
        let num = TextLayout.position(loc) == "-" ? "" : "<span class=\"ln\">\(TextLayout.position(loc))</span>"
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

    /// Text for HTML content and attribute values; control characters other than line breaks and tabs are
    /// dropped (HTML forbids most of them).
    static func esc(_ s: String) -> String { MarkupEscaping.escape(s, for: .html) }

    static let css = """
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
        header{background:#1f3b5c;color:#fff;padding:12px 24px;position:sticky;top:0;z-index:2}
        header h1{margin:0;font-size:20px}.summary{margin:4px 0}.filters label{margin-right:16px}
        main{padding:8px 24px}section.report{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 20px;margin:16px 0}
        section.report>details>summary{cursor:pointer}section.report>details>summary h2{display:inline}.counts{color:#555;margin-left:8px}
        nav.index{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 20px;margin:16px 0;overflow-x:auto}
        table.files{border-collapse:collapse;font-size:13px}table.files td,table.files th{border-bottom:1px solid #eee;padding:3px 10px;text-align:right}
        table.files td:nth-child(2),table.files th:nth-child(2){text-align:left;word-break:break-all}
        table.files button{font:inherit;font-weight:bold;background:none;border:0;cursor:pointer;padding:0}
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
        td.suspect{outline:3px dashed #6a1b9a;outline-offset:-5px;background:#f3e5f5 !important;font-weight:bold}
        .suspect{color:#6a1b9a}div.suspect{margin-top:4px}
        .legend span{display:inline-block;padding:1px 8px;margin-right:8px;border:1px solid #ccc}.legend span.suspect{outline:3px dashed #6a1b9a;outline-offset:-3px;background:#f3e5f5}
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
        function openTarget() {
          var el = location.hash && document.getElementById(location.hash.slice(1));
          for (; el; el = el.parentElement) { if (el.tagName === 'DETAILS') el.open = true; }
          if (location.hash) { var t = document.getElementById(location.hash.slice(1)); if (t) t.scrollIntoView(); }
        }
        window.addEventListener('hashchange', openTarget);
        openTarget();
        document.querySelectorAll('table.files button').forEach(function (b) {
          b.addEventListener('click', function () {
            var col = +b.getAttribute('data-col'), body = b.closest('table').tBodies[0];
            var asc = b.getAttribute('data-asc') !== 'true';
            b.setAttribute('data-asc', asc);
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (x, y) {
              var a = x.cells[col].textContent, c = y.cells[col].textContent;
              var na = parseFloat(a), nc = parseFloat(c);
              var r = (isNaN(na) || isNaN(nc)) ? a.localeCompare(c, 'zh') : na - nc;
              return asc ? r : -r;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
        """
}
