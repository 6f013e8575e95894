#!/usr/bin/env python3
"""Generate samples/renderings/: our own samples laid out the way real copies of a report arrive.

For each source sample (samples/clean-*.txt/.docx and a few samples/broken/*) this writes:

  NAME.pdf            DOCX -> PDF with LibreOffice, label columns made narrow so labels wrap (clean samples)
  NAME.pdf.txt        that PDF through `pdftotext -layout`
  NAME.md             DOCX -> Markdown with pandoc (pipe tables; merged cells become empty cells)
  NAME.cells.txt      every table cell on its own line, blank lines between cells, more between rows
  NAME.hant.txt       the text sample in traditional characters (OpenCC s2t)
  NAME.slips.txt      headings with slips: a changed character, a lost numeral, a heading run into
                      the paragraph before it; signs and numbers spaced and written with separators
  NAME.word.docx      the DOCX sample as Word saves it (scripts/make-word-docx.py): CR LF after the XML
                      declaration, Word's namespaces, revision ids, run, paragraph, row and cell properties

Needs (at generation time only): libreoffice-writer, pdftotext (poppler-utils), pandoc, opencc.
The results are committed, so tests and CI need none of these tools.

Usage: scripts/make-renderings.py          (from the repository root)
       scripts/make-renderings.py --word   (only the NAME.word.docx renderings: needs nothing but Python)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "samples", "renderings")
SOURCES = [
    "samples/clean-2019-department",
    "samples/clean-2021-government",
    "samples/broken/app-row-total",
    "samples/broken/review-total",
    "samples/broken/cell-blank",
    "samples/broken/nonstandard-label",
    "samples/broken/missing-part",
    "samples/broken/app-missing-row",
    "samples/broken/a20-missing-block",
    "samples/broken/cell-sign-text",
    "samples/broken/cell-placeholder",
    "samples/broken/review-short",
    "samples/broken/cell-text",
]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def narrow_columns(document_xml: str) -> str:
    """Gives every table a fixed layout whose first columns (the labels) are narrow, so labels wrap."""

    def fix_table(m):
        tbl = m.group(0)
        rows = re.findall(r"<w:tr[ >].*?</w:tr>", tbl, flags=re.S)
        width = 0
        for r in rows:
            n = 0
            for tc in re.findall(r"<w:tc[ >].*?</w:tc>", r, flags=re.S):
                span = re.search(r'<w:gridSpan w:val="(\d+)"', tc)
                n += int(span.group(1)) if span else 1
            width = max(width, n)
        if width == 0:
            return tbl
        # Label columns: the leading columns of the widest row that hold text, not numbers.
        if width >= 15:  # table 4: fifteen number columns across the page
            cols = [560] * width
        elif width >= 10:  # table 3: three label columns (labels wrap over 2-6 lines), seven numbers
            cols = [700, 1100, 1500] + [700] * (width - 3)
        elif width >= 7:
            cols = [900, 2200] + [850] * (width - 2)
        elif width >= 3:  # Article 20 tables with three number columns
            cols = [1400] + [2000] * (width - 1)
        else:
            cols = [1400] + [3000] * (width - 1)
        grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{c}"/>' for c in cols) + "</w:tblGrid>"
        props = ('<w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
                 '<w:tblCellMar><w:left w:w="20" w:type="dxa"/><w:right w:w="20" w:type="dxa"/></w:tblCellMar></w:tblPr>' % sum(cols))
        body = re.sub(r"^<w:tbl>(<w:tblPr>.*?</w:tblPr>)?(<w:tblGrid>.*?</w:tblGrid>)?", "", tbl, flags=re.S)
        return "<w:tbl>" + props + grid + body

    return re.sub(r"<w:tbl>.*?</w:tbl>", fix_table, document_xml, flags=re.S)


def narrow_docx(src: str, dst: str):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                # LibreOffice refuses a comment reference whose comments part is absent.
                xml = re.sub(r"<w:r><w:commentReference[^>]*/></w:r>", "", xml)
                data = narrow_columns(xml).encode("utf-8")
            zout.writestr(item, data)


def pdf_rendering(base: str, name: str):
    with tempfile.TemporaryDirectory() as tmp:
        narrow = os.path.join(tmp, name + ".docx")
        narrow_docx(os.path.join(ROOT, base + ".docx"), narrow)
        # pandoc reads a table's columns from its grid, which the narrowed copy has.
        run(["pandoc", narrow, "-t", "markdown-simple_tables-multiline_tables-grid_tables",
             "--wrap=none", "-o", os.path.join(OUT, name + ".md")])
        profile = "file://" + os.path.join(tmp, "profile")
        run(["libreoffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", tmp, narrow],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pdf = os.path.join(tmp, name + ".pdf")
        if name.startswith("clean-"):  # keep the repository small: the PDFs of the clean samples only
            shutil.copy(pdf, os.path.join(OUT, name + ".pdf"))
        run(["pdftotext", "-layout", pdf, os.path.join(OUT, name + ".pdf.txt")])


def cells_rendering(text: str) -> str:
    """Tab-separated rows become one cell per line: one blank line between cells, two between rows."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            out.append("\n\n".join(cells))
            out.append("\n")
        else:
            out.append(line)
    return "\n".join(out)


def traditional_rendering(text: str) -> str:
    p = subprocess.run(["opencc", "-c", "s2t.json"], input=text.encode("utf-8"), stdout=subprocess.PIPE, check=True)
    return p.stdout.decode("utf-8")


def slips_rendering(text: str) -> str:
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith("二、主动公开政府信息情况"):
            line = line[1:]  # the numeral lost: "、主动公开政府信息情况"
        elif line.startswith("四、政府信息公开行政复议"):
            line = "四、政府信息公开行政法复议、行政诉讼情况"  # a one-character slip
        elif line.startswith("五、存在的主要问题及改进情况"):
            line = "五、存在问题及改进情况"
        out.append(line)
    text = "\n".join(out)
    # The overview heading run into the paragraph before it and the paragraph after it.
    text = re.sub(r"。\n一、总体情况\n", "。一、总体情况", text, count=1)
    # Sign words and signs followed by a space; thousands separators, half- and full-width commas;
    # full-width digits.
    text = re.sub(r"(?<=[\t\n])(减|增)(\d)", r"\1 \2", text)
    text = re.sub(r"(?<=[\t\n])([-+])(\d)", r"\1 \2", text)
    seps = [",", "，"]
    count = [0]

    def thousands(m):
        count[0] += 1
        n = m.group(2)
        if len(n) < 4 or "." in m.group(0):
            return m.group(0)
        s = "{:,}".format(int(n)).replace(",", seps[count[0] % 2])
        return m.group(1) + s

    text = re.sub(r"(\t)(\d+)(?=\t|\n|$)", thousands, text)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    text = re.sub(r"(?<=\t)(\d+)(?=\t)", lambda m: m.group(1).translate(full) if int(m.group(1)) % 3 == 0 else m.group(1), text)
    return text


def word_rendering(base: str, name: str):
    run([sys.executable, os.path.join(ROOT, "scripts", "make-word-docx.py"), os.path.join(ROOT, base + ".docx"),
         os.path.join(OUT, f"{name}.word.docx")])


def main():
    if sys.argv[1:] == ["--word"]:
        for base in SOURCES:
            word_rendering(base, os.path.basename(base))
        return
    for tool in ["libreoffice", "pdftotext", "pandoc", "opencc"]:
        if shutil.which(tool) is None:
            sys.exit(f"make-renderings: {tool} is not installed (see the docstring)")
    os.makedirs(OUT, exist_ok=True)
    for base in SOURCES:
        name = os.path.basename(base)
        with open(os.path.join(ROOT, base + ".txt"), encoding="utf-8") as f:
            text = f.read()
        pdf_rendering(base, name)
        word_rendering(base, name)
        for suffix, make in [("cells", cells_rendering), ("hant", traditional_rendering), ("slips", slips_rendering)]:
            with open(os.path.join(OUT, f"{name}.{suffix}.txt"), "w", encoding="utf-8") as f:
                f.write(make(text))
        print("rendered", base)


if __name__ == "__main__":
    main()
