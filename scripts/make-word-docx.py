#!/usr/bin/env python3
"""Turns one of the DOCX samples into the DOCX Word itself saves: the same text, tables and numbering, with what
Word writes around them. The samples' document.xml holds only what a reader needs (about 28 KB); Word's holds:

- a root element declaring Word's thirty-odd namespaces, with mc:Ignorable;
- revision ids (w:rsidR, w:rsidRDefault, w:rsidP, w14:paraId, w14:textId) on every paragraph, run and row;
- paragraph properties (spacing, indentation, alignment, the paragraph mark's run properties) on every paragraph,
  and run properties (fonts for four scripts, sizes, language) on every run;
- a new run wherever the script changes (digits and Latin letters are runs of their own), proofing marks
  (w:proofErr) and a bookmark;
- table properties (width, borders, layout, look), a grid, row properties and cell properties (width,
  vertical alignment) on every cell;
- section properties (page size, margins, columns, grid);
- numbering.xml with nine levels per list and their indentation and fonts, and lists the document does not use;
- styles.xml with Word's latent styles, settings, font table, theme and document properties.

It reads as the sample does, with the same findings: the benchmarks (scripts/bench.sh) time it beside the sample.
Usage: scripts/make-word-docx.py IN.docx OUT.docx
"""
import re
import sys
import zipfile

NAMESPACES = {
    "wpc": "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "cx": "http://schemas.microsoft.com/office/drawing/2014/chartex",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "aink": "http://schemas.microsoft.com/office/drawing/2016/ink",
    "am3d": "http://schemas.microsoft.com/office/drawing/2017/model3d",
    "o": "urn:schemas-microsoft-com:office:office",
    "oel": "http://schemas.microsoft.com/office/2019/extlst",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "w10": "urn:schemas-microsoft-com:office:word",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "w16cex": "http://schemas.microsoft.com/office/word/2018/wordml/cex",
    "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "w16": "http://schemas.microsoft.com/office/word/2018/wordml",
    "w16sdtdh": "http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash",
    "w16se": "http://schemas.microsoft.com/office/word/2015/wordml/symex",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wpi": "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "wne": "http://schemas.microsoft.com/office/word/2006/wordml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}
ROOT_ATTRS = " ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES.items()) + ' mc:Ignorable="w14 w15 w16se w16cid w16 w16cex w16sdtdh wp14"'

counter = [0x1A2B3C]


def rsid():
    counter[0] = (counter[0] * 1103515245 + 12345) & 0xFFFFFF
    return f"00{counter[0]:06X}"


def para_id():
    counter[0] = (counter[0] * 1103515245 + 12345) & 0x7FFFFFFF
    return f"{counter[0]:08X}"


def run_properties(font, size, latin):
    lang = '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>' if latin else ""
    return (f'<w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="{font}" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:hint="eastAsia"/>'
            f'<w:color w:val="000000"/><w:kern w:val="0"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>{lang}</w:rPr>')


def body_paragraph_properties(font, size):
    return ('<w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/>'
            '<w:jc w:val="both"/>' + run_properties(font, size, False))


def cell_paragraph_properties(font, size):
    return ('<w:widowControl/><w:spacing w:line="300" w:lineRule="exact"/><w:jc w:val="center"/>'
            '<w:textAlignment w:val="center"/>' + run_properties(font, size, False))


def script_pieces(text):
    """Word starts a run where the script changes: digits and Latin letters in runs of their own."""
    return re.findall(r"&[a-z]+;|&#[0-9]+;|[0-9A-Za-z.%]+|[^0-9A-Za-z.%&]+|&", text)


def split_run(m, font, size, paragraph_index):
    text = m.group(2)
    out = []
    for k, piece in enumerate(script_pieces(text)):
        latin = bool(re.match(r"[0-9A-Za-z.%]", piece))
        if latin and paragraph_index % 4 == 1:
            out.append('<w:proofErr w:type="gramStart"/>')
        out.append(f'<w:r w:rsidRPr="{rsid()}">' + run_properties(font, size, latin) +
                   f'<w:t xml:space="preserve">{piece}</w:t></w:r>')
        if latin and paragraph_index % 4 == 1:
            out.append('<w:proofErr w:type="gramEnd"/>')
    return "".join(out)


def paragraph(inner, in_cell, index):
    font, size = ("仿宋_GB2312", "21") if in_cell else ("仿宋_GB2312", "32")
    if re.match(r"<w:pPr><w:numPr>", inner):
        font = "黑体"
    extra = cell_paragraph_properties(font, size) if in_cell else body_paragraph_properties(font, size)
    m = re.match(r"<w:pPr>(.*?)</w:pPr>", inner, re.S)
    if m:
        inner = "<w:pPr>" + m.group(1) + extra + "</w:pPr>" + inner[m.end():]
    else:
        inner = "<w:pPr>" + extra + "</w:pPr>" + inner
    inner = re.sub(r'<w:r><w:t( xml:space="preserve")?>(.*?)</w:t></w:r>', lambda r: split_run(r, font, size, index), inner, flags=re.S)
    inner = re.sub(r"<w:r>", lambda _: f'<w:r w:rsidRPr="{rsid()}">' + run_properties(font, size, False), inner)
    if index == 3:
        inner += '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
    return (f'<w:p w14:paraId="{para_id()}" w14:textId="{para_id()}" w:rsidR="{rsid()}" w:rsidRDefault="{rsid()}" '
            f'w:rsidP="{rsid()}">' + inner + "</w:p>")


TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')


def table(m):
    tbl = m.group(1)
    columns = max(len(re.findall(r"<w:tc>", row)) for row in re.findall(r"<w:tr>(.*?)</w:tr>", tbl, re.S)) or 1
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{9000 // columns}"/>' for _ in range(columns)) + "</w:tblGrid>"

    def row(r):
        return (f'<w:tr w:rsidR="{rsid()}" w:rsidTr="{rsid()}" w14:paraId="{para_id()}" w14:textId="{para_id()}">'
                '<w:trPr><w:trHeight w:val="454" w:hRule="atLeast"/><w:jc w:val="center"/></w:trPr>')

    def cell(c):
        props = f'<w:tcW w:w="{9000 // columns}" w:type="dxa"/>'
        tail = '<w:tcBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="auto"/><w:vAlign w:val="center"/>'
        inner = c.group(1)
        pm = re.match(r"<w:tcPr>(.*?)</w:tcPr>", inner, re.S)
        if pm:
            inner = "<w:tcPr>" + props + pm.group(1) + tail + "</w:tcPr>" + inner[pm.end():]
        else:
            inner = "<w:tcPr>" + props + tail + "</w:tcPr>" + inner
        return "<w:tc>" + inner + "</w:tc>"

    tbl = re.sub(r"<w:tr>", row, tbl)
    tbl = re.sub(r"<w:tc>(.*?)</w:tc>", cell, tbl, flags=re.S)
    return "<w:tbl>" + TABLE_PROPERTIES + grid + tbl + "</w:tbl>"


def document(xml):
    m = re.search(r"<w:body>(.*)</w:body>", xml, re.S)
    body = m.group(1)
    index = [0]

    def one_paragraph(p, in_cell):
        index[0] += 1
        return paragraph(p.group(1), in_cell, index[0])

    # Cells' paragraphs first (inside tables), then the body's.
    def in_table(t):
        return re.sub(r"<w:p>(.*?)</w:p>", lambda p: one_paragraph(p, True), t.group(0), flags=re.S)

    body = re.sub(r"<w:tbl>.*?</w:tbl>", in_table, body, flags=re.S)
    body = re.sub(r"<w:p>(.*?)</w:p>", lambda p: one_paragraph(p, False), body, flags=re.S)
    body = re.sub(r"<w:tbl>(.*?)</w:tbl>", table, body, flags=re.S)
    section = ('<w:sectPr w:rsidR="{0}" w:rsidSect="{1}"><w:footerReference w:type="default" r:id="rId8"/>'
               '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" '
               'w:footer="1474" w:gutter="0"/><w:pgNumType w:fmt="numberInDash"/><w:cols w:space="425"/>'
               '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/></w:sectPr>').format(rsid(), rsid())
    body = re.sub(r"<w:sectPr/>|<w:sectPr>.*?</w:sectPr>", section, body, flags=re.S)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f"<w:document {ROOT_ATTRS}><w:body>" + body + "</w:body></w:document>")


def level(n, fmt, text, indent):
    return (f'<w:lvl w:ilvl="{n}" w:tplc="{para_id()}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="420"/></w:pPr>'
            '<w:rPr><w:rFonts w:hint="default"/></w:rPr></w:lvl>')


def numbering(xml):
    """The sample's lists with what Word adds to each level, nine levels a list, and lists no paragraph uses."""
    def abstract(m):
        inner = m.group(2)
        inner = re.sub(r"</w:lvl>", '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1280" w:hanging="640"/></w:pPr>'
                       '<w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:hint="default"/></w:rPr></w:lvl>', inner)
        present = set(re.findall(r'<w:lvl w:ilvl="([0-9])"', inner))
        more = "".join(level(n, "decimal", f"%{n + 1}.", 420 * (n + 1)) for n in range(9) if str(n) not in present)
        return (f'<w:abstractNum w:abstractNumId="{m.group(1)}" w15:restartNumberingAfterBreak="0"><w:nsid w:val="{para_id()}"/>'
                f'<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="{para_id()}"/>' + inner + more + "</w:abstractNum>")

    body = re.search(r"<w:numbering[^>]*>(.*)</w:numbering>", xml, re.S).group(1)
    body = re.sub(r'<w:abstractNum w:abstractNumId="([0-9]+)">(.*?)</w:abstractNum>', abstract, body, flags=re.S)
    unused = "".join(
        f'<w:abstractNum w:abstractNumId="{90 + k}" w15:restartNumberingAfterBreak="0"><w:nsid w:val="{para_id()}"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="{para_id()}"/>'
        + "".join(level(n, "decimal", f"%{n + 1}.", 420 * (n + 1)) for n in range(9)) + "</w:abstractNum>"
        for k in range(6))
    first_num = body.find("<w:num ")
    body = body[:first_num] + unused + body[first_num:] if first_num >= 0 else body + unused
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f"<w:numbering {ROOT_ATTRS}>" + body + "</w:numbering>")


LATENT = ["Normal", "heading 1", "heading 2", "heading 3", "heading 4", "heading 5", "heading 6", "heading 7", "heading 8",
          "heading 9", "index 1", "toc 1", "toc 2", "toc 3", "Normal Indent", "footnote text", "annotation text", "header",
          "footer", "caption", "table of figures", "envelope address", "List", "List Bullet", "List Number", "Title",
          "Signature", "Default Paragraph Font", "Body Text", "Body Text Indent", "Subtitle", "Date", "Hyperlink", "Strong",
          "Emphasis", "Plain Text", "Normal (Web)", "Table Grid", "Light Shading", "Light List", "Light Grid",
          "Medium Shading 1", "Medium List 1", "Medium Grid 1", "Dark List", "Colorful Shading", "Colorful List",
          "Colorful Grid"]


def styles():
    latent = "".join(f'<w:lsdException w:name="{name}" w:uiPriority="{k}" w:qFormat="1"/>'
                     for k, name in enumerate(LATENT * 8))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f"<w:styles {ROOT_ATTRS}><w:docDefaults><w:rPrDefault>" + run_properties("宋体", "21", False) +
            "</w:rPrDefault><w:pPrDefault/></w:docDefaults>"
            f'<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" '
            f'w:defQFormat="0" w:count="376">{latent}</w:latentStyles>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/>'
            '<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style></w:styles>')


OTHER_PARTS = {
    "word/settings.xml": f'<w:settings {ROOT_ATTRS}><w:zoom w:percent="100"/><w:bordersDoNotSurroundHeader/>'
                         '<w:defaultTabStop w:val="420"/><w:drawingGridHorizontalSpacing w:val="105"/>'
                         '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/></w:compat></w:settings>',
    "word/fontTable.xml": f'<w:fonts {ROOT_ATTRS}>' + "".join(
        f'<w:font w:name="{f}"><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for f in ("宋体", "黑体", "仿宋_GB2312", "楷体_GB2312", "Times New Roman")) + "</w:fonts>",
    "word/webSettings.xml": f"<w:webSettings {ROOT_ATTRS}><w:optimizeForBrowser/></w:webSettings>",
    "word/theme/theme1.xml": '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office">'
                             + "<a:themeElements>" + "<a:clrScheme name=\"Office\"/>" * 40 + "</a:themeElements></a:theme>",
    "docProps/core.xml": '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                         'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>user</dc:creator></cp:coreProperties>',
    "docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                        "<Template>Normal.dotm</Template><Pages>9</Pages></Properties>",
}


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(src) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    out = {}
    for name, data in parts.items():
        if name == "word/document.xml":
            out[name] = document(data.decode("utf-8")).encode("utf-8")
        elif name == "word/numbering.xml":
            out[name] = numbering(data.decode("utf-8")).encode("utf-8")
        else:
            out[name] = data
    out["word/styles.xml"] = styles().encode("utf-8")
    for name, text in OTHER_PARTS.items():
        out[name] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + text).encode("utf-8")
    # Word's order: content types and relationships first, then the document, its parts and the properties.
    order = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
    names = order + sorted(n for n in out if n not in order)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            if name in out:
                # A fixed date, so the same sample gives the same bytes.
                z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), out[name], compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
