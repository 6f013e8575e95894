#!/usr/bin/env python3
"""Generates every sample report in samples/ from the definitions below.

The two clean samples are written here, in our own words; their figures are facts reused from
published reports (a 2020 department report for the 2019 layout, a 2023 city report for the 2021
layout). Each broken variant is a clean sample with one deliberate defect, named after the rule it
should trigger. Run scripts/make-samples.sh (which also writes the report-model YAML files with
`ogilint model`); do not edit the generated files by hand.
"""
import copy
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")

# ---------------------------------------------------------------------------------------------
# Table layouts: labels as the national templates print them.

APPLICANT_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "自然人", "法人或其他组织", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]

APP_ROWS_COMMON_HEAD = [
    ("new", ["一、本年新收政府信息公开申请数量"]),
    ("carried_in", ["二、上年结转政府信息公开申请数量"]),
    ("granted", ["三、本年度办理结果", "（一）予以公开"]),
    ("partly", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]),
    ("withheld.secret", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("withheld.prohibited", ["", "", "2.其他法律行政法规禁止公开"]),
    ("withheld.security", ["", "", "3.危及“三安全一稳定”"]),
    ("withheld.third_party", ["", "", "4.保护第三方合法权益"]),
    ("withheld.internal", ["", "", "5.属于三类内部事务信息"]),
    ("withheld.process", ["", "", "6.属于四类过程性信息"]),
    ("withheld.enforcement_file", ["", "", "7.属于行政执法案卷"]),
    ("withheld.query", ["", "", "8.属于行政查询事项"]),
    ("unavailable.not_held", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unavailable.needs_making", ["", "", "2.没有现成信息需要另行制作"]),
    ("unavailable.unclear", ["", "", "3.补正后申请内容仍不明确"]),
    ("rejected.petition", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("rejected.repeat", ["", "", "2.重复申请"]),
    ("rejected.publication", ["", "", "3.要求提供公开出版物"]),
    ("rejected.excessive", ["", "", "4.无正当理由大量反复申请"]),
    ("rejected.confirm", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
]
APP_ROWS_2019_OTHER = [("other", ["", "（六）其他处理"])]
APP_ROWS_2021_OTHER = [
    ("other.overdue_correction", ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]),
    ("other.overdue_fee", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("other.other", ["", "", "3.其他"]),
]
APP_ROWS_TAIL = [
    ("results_total", ["", "（七）总计"]),
    ("carried_out", ["四、结转下年度继续办理"]),
]

REVIEW_HEADER = [
    ["行政复议", "", "", "", "", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"],
    ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
]

A20_2019 = [
    ("一", "第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], [("rules", "规章"), ("normative", "规范性文件")]),
    ("五", "第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
    ("六", "第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], [("penalty", "行政处罚"), ("coercion", "行政强制")]),
    ("八", "第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")]),
    ("九", "第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], [("procurement", "政府集中采购")]),
]
A20_2021 = [
    ("一", "第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], [("rules", "规章"), ("normative", "行政规范性文件")]),
    ("五", "第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("licensing", "行政许可")]),
    ("六", "第二十条第（六）项", ["信息内容", "本年处理决定数量"], [("penalty", "行政处罚"), ("coercion", "行政强制")]),
    ("八", "第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("fees", "行政事业性收费")]),
]

PART_TITLES = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}

# ---------------------------------------------------------------------------------------------
# The two clean reports. Prose is ours; figures are facts from published reports.

DEPT_2020 = {
    "layout": "2019",
    "style": "cells",  # one cell per line, as Word exports a table
    "agency": "示例市生态环境局",
    "title_lines": ["示例市生态环境局", "2020年政府信息公开工作年度报告"],
    "preamble": [
        "本报告依据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。",
        "本报告所列数据的统计期限为2020年1月1日至2020年12月31日。",
    ],
    "parts": {
        1: [
            "2020年，我局围绕污染防治重点工作推进政府信息公开，全年主动公开政府信息612条。",
            "（一）主动公开。及时公开环境质量、行政审批、监管执法和突发环境事件应对等信息。",
            "（二）依申请公开。全年收到政府信息公开申请8件，均在法定期限内答复。",
            "（三）政府信息管理。落实发布前审核，定期清理过时信息。",
            "（四）平台建设。以门户网站为第一平台，政务新媒体同步发布。",
            "（五）监督保障。把政务公开纳入年度绩效考核，每季度自查一次。",
        ],
        5: ["公开时效还不够强，部分栏目更新慢。下一步将明确各栏目的更新责任人和时限，按月通报。"],
        6: ["本年度未收取信息处理费。"],
    },
    "a20": {
        "rules": ["0", "0", "0"], "normative": ["0", "0", "0"],
        "licensing": ["312", "-51", "261"], "other_services": ["3", "+7", "10"],
        "penalty": ["25", "-8", "17"], "coercion": ["0", "+1", "1"],
        "fees": ["0", "0"],
        "procurement": ["12", "6032.346"],
    },
    "app": {
        "new": [3, 0, 0, 4, 0, 1, 8], "carried_in": [0] * 7,
        "granted": [0, 0, 0, 2, 0, 0, 2], "partly": [1, 0, 0, 0, 0, 1, 2],
        "withheld.secret": [0] * 7, "withheld.prohibited": [0] * 7, "withheld.security": [0] * 7,
        "withheld.third_party": [0, 0, 0, 1, 0, 0, 1], "withheld.internal": [1, 0, 0, 0, 0, 0, 1],
        "withheld.process": [0] * 7, "withheld.enforcement_file": [0] * 7, "withheld.query": [0] * 7,
        "unavailable.not_held": [1, 0, 0, 1, 0, 0, 2], "unavailable.needs_making": [0] * 7, "unavailable.unclear": [0] * 7,
        "rejected.petition": [0] * 7, "rejected.repeat": [0] * 7, "rejected.publication": [0] * 7,
        "rejected.excessive": [0] * 7, "rejected.confirm": [0] * 7,
        "other": [0] * 7,
        "results_total": [3, 0, 0, 4, 0, 1, 8], "carried_out": [0] * 7,
    },
    "reviews": [0] * 15,
    "signature": ["示例市生态环境局", "2021年1月25日"],
}

GOV_2023 = {
    "layout": "2021",
    "style": "tabs",  # one row per line, cells separated by tabs
    "agency": "示例市人民政府",
    "title_lines": ["示例市人民政府2023年政府信息公开工作年度报告"],
    "preamble": [
        "本报告由示例市人民政府办公室依据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况、"
        "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。",
        "报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
    ],
    "parts": {
        1: [
            "2023年，全市围绕优化营商环境和民生保障推进政务公开。",
            "（一）主动公开。集中公开现行有效的行政规范性文件，新开设公开专栏18个。",
            "（二）依申请公开。全市全年收办政府信息公开申请3607件，按期办结3486件。",
            "（三）政府信息管理。统一规范性文件的公开格式，完成数据上传。",
            "（四）平台建设。持续改版政府网站，编印《政府公报》12期。",
            "（五）监督保障。将政务公开纳入年度绩效考核，开展3次社会评议，全年未发生需要责任追究的情形。",
        ],
        5: ["依申请公开的办理规范性仍需提高。下一步将组织案例培训，统一答复文书格式。"],
        6: ["2023年全市对25件政府信息公开申请收取信息处理费共2950元，收费标准符合《政府信息公开信息处理费管理办法》。"],
    },
    "a20": {
        "rules": ["2", "0", "11"], "normative": ["109", "489", "597"],
        "licensing": ["1808595"],
        "penalty": ["2822652"], "coercion": ["20163"],
        "fees": ["59237.2449"],
    },
    "app": {
        "new": [3402, 99, 0, 4, 5, 1, 3511], "carried_in": [91, 3, 0, 0, 2, 0, 96],
        "granted": [1175, 12, 0, 3, 1, 0, 1191], "partly": [319, 7, 0, 0, 2, 0, 328],
        "withheld.secret": [0] * 7, "withheld.prohibited": [27, 0, 0, 0, 0, 0, 27], "withheld.security": [6, 0, 0, 0, 0, 0, 6],
        "withheld.third_party": [38, 0, 0, 0, 0, 0, 38], "withheld.internal": [20, 0, 0, 0, 0, 0, 20],
        "withheld.process": [9, 0, 0, 0, 0, 0, 9], "withheld.enforcement_file": [21, 0, 0, 0, 0, 0, 21],
        "withheld.query": [20, 1, 0, 0, 0, 0, 21],
        "unavailable.not_held": [968, 74, 0, 1, 3, 1, 1047], "unavailable.needs_making": [26, 2, 0, 0, 0, 0, 28],
        "unavailable.unclear": [3, 0, 0, 0, 0, 0, 3],
        "rejected.petition": [305, 0, 0, 0, 0, 0, 305], "rejected.repeat": [39, 0, 0, 0, 0, 0, 39],
        "rejected.publication": [0] * 7, "rejected.excessive": [58, 0, 0, 0, 0, 0, 58],
        "rejected.confirm": [4, 0, 0, 0, 0, 0, 4],
        "other.overdue_correction": [40, 0, 0, 0, 0, 0, 40], "other.overdue_fee": [10, 0, 0, 0, 0, 0, 10],
        "other.other": [287, 3, 0, 0, 1, 0, 291],
        "results_total": [3375, 99, 0, 4, 7, 1, 3486], "carried_out": [118, 3, 0, 0, 0, 0, 121],
    },
    "reviews": [309, 17, 88, 26, 440, 1, 1, 16, 6, 24, 13, 0, 67, 9, 89],
    "signature": ["示例市人民政府办公室", "2024年3月20日"],
}

# ---------------------------------------------------------------------------------------------
# Rendering.


def cell_lines(row, style):
    """One table row in the chosen export style."""
    cells = [str(c) for c in row]
    if style == "tabs":
        return ["\t".join(cells)]
    return ["\t" + c for c in cells] + [""]


def render_table(rows, style):
    out = []
    for r in rows:
        out += cell_lines(r, style)
    return out


def blocks(report):
    """The report as a list of blocks: ("p", text), ("h", part number, title) or ("table", rows, kind)."""
    r = report
    out = [("p", t) for t in r["title_lines"]] + [("p", "")] + [("p", p) for p in r["preamble"]]
    for n in r.get("order", [1, 2, 3, 4, 5, 6]):
        if n in r.get("drop_parts", []):
            continue
        out.append(("h", n, PART_TITLES[n]))
        if n == 2 and not r.get("drop_tables"):
            for num, title, header, rows in (A20_2019 if r["layout"] == "2019" else A20_2021):
                if num in r.get("drop_blocks", []):
                    continue
                header = [r.get("header_override", {}).get(h, h) for h in header]
                table = [[title], header]
                for key, label in rows:
                    table.append([r.get("label_override", {}).get(key, label)] + r["a20"][key])
                out.append(("table", table, "a20"))
        elif n == 3 and not r.get("drop_tables"):
            rows = APP_ROWS_COMMON_HEAD + (APP_ROWS_2019_OTHER if r["layout"] == "2019" else APP_ROWS_2021_OTHER) + APP_ROWS_TAIL
            table = [list(h) for h in APPLICANT_HEADER]
            for key, labels in rows:
                if key not in r.get("drop_rows", []):
                    table.append(list(labels) + list(r["app"][key]))
            out.append(("table", table, "app"))
        elif n == 4 and not r.get("drop_tables"):
            out.append(("table", REVIEW_HEADER + [list(r["reviews"])], "review"))
        else:
            out += [("p", p) for p in r["parts"].get(n, [])]
    out += [("p", "")] + [("p", t) for t in r["signature"]]
    return out


def render(report):
    """Plain text as Word exports it ("cells": one cell per line) or as copied from a page ("tabs")."""
    style = report["style"]
    lines = []
    for b in blocks(report):
        if b[0] == "p":
            lines.append(b[1])
        elif b[0] == "h":
            lines.append(b[2])
        else:
            lines += render_table(b[1], style)
    return "\n".join(lines + [""])


def spans(table, kind):
    """For each row, its cells as (text, colspan, rowspan, merged_continuation)."""
    out = []
    if kind != "app":
        width = max(len(r) for r in table)
        for r in table:
            cells = [(str(c), 1, 1, False) for c in r]
            if len(r) == 1:
                cells = [(str(r[0]), width, 1, False)]
            out.append(cells)
        return out
    header, body = table[:3], table[3:]
    for r in header:
        out.append([(str(c), 1, 1, False) for c in r])
    parsed = []
    for r in body:
        values = r[-7:]
        labels = r[:-7]
        parsed.append((labels, values))
    for i, (labels, values) in enumerate(parsed):
        cells = []
        for j, text in enumerate(labels):
            last = j == len(labels) - 1
            colspan = (3 - len(labels)) + 1 if last else 1
            if text == "":
                cells.append(("", colspan, 1, True))
                continue
            rowspan = 1
            k = i + 1
            while k < len(parsed) and len(parsed[k][0]) > j and parsed[k][0][j] == "" and not last:
                rowspan += 1
                k += 1
            cells.append((text, colspan, rowspan, False))
        cells += [(str(v), 1, 1, False) for v in values]
        out.append(cells)
    return out


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(report, charset):
    """A published web page: navigation, a layout table, the title outside the content block, data tables with
    rowspan/colspan, &nbsp; and <br> in cells."""
    body = []
    for b in blocks(report):
        if b[0] == "p":
            body.append(f"<p>{esc(b[1]) if b[1] else '&nbsp;'}</p>")
        elif b[0] == "h":
            body.append(f"<h3>{esc(b[2])}</h3>")
        else:
            rows = []
            for cells in spans(b[1], b[2]):
                tds = []
                for text, colspan, rowspan, cont in cells:
                    if cont:
                        continue
                    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
                    content = esc(text).replace("（区分处理的", "<br>（区分处理的") if text else "&nbsp;"
                    tds.append(f"<td{attrs}>{content}</td>")
                rows.append("<tr>" + "".join(tds) + "</tr>")
            body.append('<table border="1" cellspacing="0">' + "\n".join(rows) + "</table>")
    title = body[0][3:-4] + body[1][3:-4] if report["title_lines"][1:] else body[0][3:-4]
    content = "\n".join(body[len(report["title_lines"]):])
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>{title}</title>
<style>td {{ border: 1px solid #999; }}</style><script>var visits = 0;</script></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/xxgk">政府信息公开</a> | <a href="/nb">政府信息公开年报</a></div>
<table class="layout" width="100%"><tr>
<td class="menu" width="20%"><ul><li>机构职能</li><li>政策文件</li><li>年度报告</li></ul></td>
<td class="main"><h1>{title}</h1>
<div id="zoom">
{content}
</div></td></tr></table>
<div class="footer">主办单位：示例市人民政府办公室 &nbsp; 网站标识码：0000000000</div>
</body></html>
"""


def render_docx(report, path):
    """A Word document: part headings numbered automatically (一、 …), data tables with vertically merged
    label cells and grid spans, a label split across runs, a tracked change and a comment reference."""
    import zipfile
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def run(t):
        return f'<w:r><w:t xml:space="preserve">{esc(t)}</w:t></w:r>'

    def para(t, numbered=False):
        ppr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if numbered else ""
        if t == "规章":
            return f"<w:p>{ppr}{run('规')}{run('章')}</w:p>"
        return f"<w:p>{ppr}{run(t) if t else ''}</w:p>"

    parts = []
    first_prose = True
    for b in blocks(report):
        if b[0] == "p":
            text = b[1]
            if first_prose and text.startswith("本报告"):
                # A tracked change: a deleted word and an inserted one; only the insertion counts.
                parts.append(f'<w:p><w:del w:id="1" w:author="审核人"><w:r><w:delText>旧稿</w:delText></w:r></w:del>'
                             f'<w:ins w:id="2" w:author="审核人">{run(text)}</w:ins>'
                             f'<w:r><w:commentReference w:id="0"/></w:r></w:p>')
                first_prose = False
            else:
                parts.append(para(text))
        elif b[0] == "h":
            parts.append(para(b[2].split("、", 1)[1], numbered=True))
        else:
            rows = []
            for cells in spans(b[1], b[2]):
                tcs = []
                for text, colspan, rowspan, cont in cells:
                    props = []
                    if colspan > 1:
                        props.append(f'<w:gridSpan w:val="{colspan}"/>')
                    if cont:
                        props.append("<w:vMerge/>")
                    elif rowspan > 1:
                        props.append('<w:vMerge w:val="restart"/>')
                    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
                    tcs.append(f"<w:tc>{tcpr}{para('' if cont else text)}</w:tc>")
                rows.append("<w:tr>" + "".join(tcs) + "</w:tr>")
            parts.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{"".join(parts)}<w:sectPr/></w:body></w:document>'
    numbering = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {W}>'
                 '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                 '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
                '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in [("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/_rels/document.xml.rels", doc_rels),
                              ("word/document.xml", document), ("word/numbering.xml", numbering)]:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)


# ---------------------------------------------------------------------------------------------
# Broken variants: one defect each, named after the rule that should report it.


def variant(base, **changes):
    r = copy.deepcopy(base)
    for k, v in changes.items():
        if callable(v):
            v(r)
        else:
            r[k] = v
    return r


def set_app(key, values):
    return lambda r: r["app"].__setitem__(key, values)


def set_year(year, date):
    def f(r):
        r["title_lines"] = [l.replace("2023", str(year)).replace("2020", str(year)) for l in r["title_lines"]]
        r["preamble"] = [p.replace("2023", str(year)).replace("2020", str(year)) for p in r["preamble"]]
        r["signature"] = [r["signature"][0], date]
    return f


def replace_in(section, old, new):
    def f(r):
        if section == "preamble":
            r["preamble"] = [p.replace(old, new) for p in r["preamble"]]
        elif section == "title":
            r["title_lines"] = [p.replace(old, new) for p in r["title_lines"]]
        else:
            r["parts"][section] = [p.replace(old, new) for p in r["parts"][section]]
    return f


def a20(key, values):
    return lambda r: r["a20"].__setitem__(key, values)


BROKEN = {
    # structure
    "missing-part": variant(GOV_2023, drop_parts=[5]),
    "parts-out-of-order": variant(GOV_2023, order=[1, 2, 3, 4, 6, 5]),
    "preamble-five-parts": variant(GOV_2023, p=replace_in("preamble", "政府信息公开行政复议和行政诉讼情况、", "")),
    # completeness
    "a20-missing-block": variant(GOV_2023, drop_blocks=["八"]),
    "app-missing-row": variant(GOV_2023, drop_rows=["rejected.publication"]),
    "review-short": variant(GOV_2023, reviews=GOV_2023["reviews"][:10]),
    "gov-no-assessment": variant(GOV_2023, p=replace_in(1, "将政务公开纳入年度绩效考核，开展3次社会评议，全年未发生需要责任追究的情形。", "加强日常检查，及时整改发现的问题。")),
    "gov-no-fee-statement": variant(GOV_2023, p=lambda r: r["parts"].__setitem__(6, ["本年度无其他需要报告的事项。"])),
    # template
    "outdated-layout-2021": variant(DEPT_2020, p=set_year(2021, "2022年1月20日")),
    "premature-layout-2020": variant(GOV_2023, p=set_year(2020, "2021年3月20日")),
    "no-tables": variant(DEPT_2020, drop_tables=True),
    "nonstandard-label": variant(GOV_2023, label_override={"normative": "规范性文件"}),
    # arithmetic
    "app-balance": variant(GOV_2023, p=set_app("new", [3412, 99, 0, 4, 5, 1, 3521])),
    "app-results-total": variant(GOV_2023, p=set_app("granted", [1170, 12, 0, 3, 1, 0, 1186])),
    "app-row-total": variant(GOV_2023, p=set_app("partly", [319, 7, 0, 0, 2, 0, 329])),
    "review-total": variant(GOV_2023, reviews=[309, 17, 88, 26, 441] + GOV_2023["reviews"][5:]),
    "app-cell-to-fix": variant(GOV_2023, p=set_app("granted", [1175, 13, 0, 3, 1, 0, 1191])),
    # cells
    "cell-blank": variant(DEPT_2020, p=a20("rules", ["", "0", "0"])),
    "cell-placeholder": variant(DEPT_2020, p=a20("normative", ["/", "0", "0"])),
    "cell-sign-text": variant(DEPT_2020, p=a20("licensing", ["312", "减51", "261"])),
    "cell-text": variant(GOV_2023, p=set_app("rejected.publication", ["无数据", 0, 0, 0, 0, 0, 0])),
    "cell-negative": variant(GOV_2023, p=set_app("rejected.publication", [-1, 0, 0, 0, 0, 0, -1])),
    "cell-fraction": variant(DEPT_2020, p=a20("licensing", ["312", "-51", "261.5"])),
    "cell-unit": variant(GOV_2023, p=a20("fees", ["592372449元"])),
    # consistency
    "no-year": variant(DEPT_2020, title_lines=["示例市生态环境局", "政府信息公开工作年度报告"],
                       p=replace_in("preamble", "本报告所列数据的统计期限为2020年1月1日至2020年12月31日。", "")),
    "year-mismatch": variant(DEPT_2020, p=replace_in("preamble", "2020年1月1日至2020年12月31日", "2019年1月1日至2019年12月31日")),
    "period-partial": variant(DEPT_2020, p=replace_in("preamble", "至2020年12月31日", "至2020年11月30日")),
    "table-year": variant(GOV_2023, header_override={"本年制发件数": "本年（2022）制发件数"}),
    # timeliness
    "late-department": variant(DEPT_2020, signature=["示例市生态环境局", "2021年2月8日"]),
    "late-government": variant(GOV_2023, signature=["示例市人民政府办公室", "2024年4月10日"]),
    "published-early": variant(DEPT_2020, signature=["示例市生态环境局", "2020年12月20日"]),
}


def add_to(section, index, text):
    """Appends `text` to paragraph `index` of a part (the line count stays the same)."""
    def f(r):
        r["parts"][section] = list(r["parts"][section])
        r["parts"][section][index] = r["parts"][section][index] + text
    return f


def both(*fs):
    def f(r):
        for g in fs:
            g(r)
    return f


# Prose facts and editorial slips: the clean prose varied by one sentence or one word; the tables stay clean.
BROKEN.update({
    # prose against its own lists and against the tables
    "fact-list-exceeds": variant(DEPT_2020, p=replace_in(1, "全年主动公开政府信息612条。",
                                                         "全年主动公开政府信息612条，其中环境质量信息320条、行政审批信息215条、监管执法信息98条。")),
    "fact-share": variant(GOV_2023, p=replace_in(1, "新开设公开专栏18个。", "新开设公开专栏18个，其中政策解读专栏6个（占40%）、重点领域专栏12个。")),
    "fact-received": variant(DEPT_2020, p=replace_in(1, "全年收到政府信息公开申请8件", "全年收到政府信息公开申请9件")),
    "fact-done": variant(GOV_2023, p=replace_in(1, "按期办结3486件", "按期办结3468件")),
    "fact-reviews": variant(GOV_2023, p=add_to(1, 4, "全年办理政府信息公开行政复议案件430件。")),
    "fact-lawsuits": variant(GOV_2023, p=add_to(1, 4, "全年发生政府信息公开行政诉讼案件100件。")),
    "fact-procurement": variant(DEPT_2020, p=add_to(1, 1, "在公共资源交易平台公示政府采购项目，涉及13个项目，总预算金额6032.346万元。")),
    "fact-procurement-amount": variant(DEPT_2020, p=add_to(1, 1, "在公共资源交易平台公示政府采购项目，涉及12个项目，总预算金额6023.346万元。")),
    "fact-all-done": variant(GOV_2023, p=replace_in(1, "按期办结3486件。", "所有申请均已按期办结。")),
    "fact-none-received": variant(DEPT_2020, p=replace_in(1, "全年收到政府信息公开申请8件，均在法定期限内答复。", "全年未收到政府信息公开申请。")),
    "fact-no-review": variant(GOV_2023, p=add_to(6, 0, "全年未发生政府信息公开行政复议、行政诉讼。")),
    "fact-no-fee": variant(GOV_2023, p=lambda r: r["parts"].__setitem__(6, ["2023年全市未收取政府信息公开信息处理费。"])),
    # editorial slips
    "ed-repeated": variant(GOV_2023, p=add_to(5, 0, "下一步将组织案列培训，统一答复文书格式。")),
    "ed-doubled-word": variant(GOV_2023, p=replace_in(5, "统一答复文书格式", "统一答复文书文书格式")),
    "ed-nested-quotes": variant(GOV_2023, p=replace_in(1, "推进政务公开。", "推进政务公开，开展“我为群众办实事“政务公开”专项行动”。")),
    "ed-space-punctuation": variant(GOV_2023, p=replace_in(1, "统一规范性文件的公开格式，", "统一规范性文件的公开格式 ，")),
    "ed-half-width": variant(GOV_2023, p=replace_in(1, "统一规范性文件的公开格式，", "统一规范性文件的公开格式,")),
    "ed-unbalanced": variant(GOV_2023, p=replace_in(1, "编印《政府公报》12期。", "编印《政府公报》12期（含电子版。")),
    "ed-empty-brackets": variant(GOV_2023, p=replace_in(1, "完成数据上传。", "按〔 〕号文件要求完成数据上传。")),
    "ed-placeholder": variant(GOV_2023, p=replace_in(1, "持续改版政府网站", "持续改版XX市政府网站")),
    "ed-numbering": variant(GOV_2023, p=replace_in(1, "（五）监督保障。", "（六）监督保障。")),
    "ed-figure-numbering": variant(GOV_2023, p=lambda r: r["parts"].__setitem__(1, r["parts"][1][:3] + ["图1 依申请公开办理情况"] + r["parts"][1][3:5] + ["图3 政府网站改版前后"] + r["parts"][1][5:])),
    "ed-stray-year": variant(GOV_2023, p=replace_in(1, "（二）依申请公开。全市全年收办", "（二）依申请公开。2021年全市全年收办")),
})

# Prose that agrees with the tables: each fact rule's wording, with the right figures (passing examples).
PROSE_AGREES = {
    "prose-agrees-2019": variant(DEPT_2020, p=both(
        add_to(1, 0, "其中环境质量信息320条、行政审批信息215条、监管执法信息77条。"),
        add_to(1, 1, "在公共资源交易平台公示政府采购项目，涉及12个项目，总预算金额6032.346万元。"),
        replace_in(1, "均在法定期限内答复。", "所有申请均已办结。"))),
    "prose-agrees-2021": variant(GOV_2023, p=both(
        replace_in(1, "新开设公开专栏18个。", "新开设公开专栏18个，其中政策解读专栏6个（占33.3%）、重点领域专栏12个。"),
        add_to(1, 4, "全年办理政府信息公开行政复议案件440件、行政诉讼案件113件。"))),
}

# Last year and this year: a 2022 report of the same city whose carried-over applications and regulations in force
# lead into the 2023 sample, this year's report with a 同比 figure, and one broken variant per rule.
LAST_2022 = variant(GOV_2023, p=set_year(2022, "2023年3月22日"))
LAST_2022["parts"] = {
    1: [
        "2022年，全市以规范依申请公开办理为重点推进政务公开。",
        "（一）主动公开。梳理行政规范性文件目录，集中清理失效文件。",
        "（二）依申请公开。全市全年收办政府信息公开申请3582件，按期办结3486件。",
        "（三）政府信息管理。建立公开前保密审查台账。",
        "（四）平台建设。完成政府网站集约化迁移，编印《政府公报》12期。",
        "（五）监督保障。将政务公开纳入年度绩效考核，全年未发生需要责任追究的情形。",
    ],
    5: ["依申请公开答复文书的说理还不充分，部分答复未写明救济途径。基层政务公开专区的内容更新不及时，部分事项指南与实际办理流程不一致。"
        "下一步将修订答复文书范本，组织基层工作人员业务培训，每季度抽查专区内容。"],
    6: ["2022年全市对18件政府信息公开申请收取信息处理费共2100元，收费标准符合《政府信息公开信息处理费管理办法》。"],
}
LAST_2022["a20"] = dict(GOV_2023["a20"], rules=["3", "1", "9"], normative=["120", "30", "977"])
LAST_2022["app"] = dict(GOV_2023["app"], new=[3396, 100, 0, 4, 8, 1, 3509], carried_in=[70, 2, 0, 0, 1, 0, 73],
                        carried_out=[91, 3, 0, 0, 2, 0, 96])
THIS_2023 = variant(GOV_2023, p=replace_in(1, "收办政府信息公开申请3607件，", "收办政府信息公开申请3607件，同比增长0.70%，"))

PREVIOUS = {
    "last-year": LAST_2022,
    "this-year": THIS_2023,
    "this-year-carried-in": variant(THIS_2023, p=both(set_app("carried_in", [81, 3, 0, 0, 2, 0, 86]),
                                                      set_app("results_total", [3365, 99, 0, 4, 7, 1, 3476]),
                                                      set_app("other.other", [277, 3, 0, 0, 1, 0, 281]))),
    "this-year-in-force": variant(THIS_2023, p=a20("normative", ["109", "489", "600"])),
    "this-year-growth": variant(THIS_2023, p=replace_in(1, "同比增长0.70%", "同比增长0.76%")),
    "this-year-copied": variant(THIS_2023, p=lambda r: r["parts"].__setitem__(5, list(LAST_2022["parts"][5]))),
    "last-year-copied": variant(THIS_2023, p=lambda r: r["parts"].update({k: [t.replace("2022", "2023") for t in v] for k, v in LAST_2022["parts"].items()})),
}

def write(path, text, encoding="utf-8"):
    with open(path, "w", encoding=encoding) as f:
        f.write(text)


def write_all(base, r, html_charset="utf-8"):
    write(base + ".txt", render(r))
    write(base + ".html", render_html(r, html_charset), encoding="gb18030" if html_charset == "gbk" else "utf-8")
    render_docx(r, base + ".docx")


def main():
    os.makedirs(os.path.join(OUT, "broken"), exist_ok=True)
    # The department sample's page is published in GBK, as many government sites still are.
    write_all(os.path.join(OUT, "clean-2019-department"), DEPT_2020, html_charset="gbk")
    write_all(os.path.join(OUT, "clean-2021-government"), GOV_2023)
    for name, r in list(BROKEN.items()) + list(PROSE_AGREES.items()):
        write_all(os.path.join(OUT, "broken", name), r)
    os.makedirs(os.path.join(OUT, "previous"), exist_ok=True)
    for name, r in PREVIOUS.items():
        write_all(os.path.join(OUT, "previous", name), r)
    print(f"wrote 2 clean samples, {len(BROKEN)} broken variants, {len(PROSE_AGREES)} prose variants and {len(PREVIOUS)} "
          f"last-year/this-year reports (.txt, .html, .docx) to {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
