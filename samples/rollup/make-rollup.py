#!/usr/bin/env python3
"""Writes the roll-up samples from ../clean-2021-government.txt: three district reports (the sample's table
figures times 1, 2 and 3), a compiled city report whose tables are exactly their sum (times 6) and says it is a
compilation, and a broken compiled report with one cell off by one (予以公开 · 商业企业). Only table cells
(tab-separated number fields) are scaled; the prose stays the sample's own. Run: python3 make-rollup.py"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "clean-2021-government.txt")
CITY = "示例市人民政府"
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def scale(text, factor, agency, bump=None):
    """The report with every table number times `factor`; `bump` = (line start, field index, delta)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            fields = line.split("\t")
            for i, f in enumerate(fields):
                if NUMBER.match(f):
                    places = len(f.split(".")[1]) if "." in f else 0
                    v = round(float(f) * factor, places)
                    if bump and line.startswith(bump[0]) and i == bump[1]:
                        v += bump[2]
                    fields[i] = f"{v:.{places}f}"
            line = "\t".join(fields)
        out.append(line)
    return "\n".join(out).replace(CITY, agency)


def main():
    with open(SOURCE, encoding="utf-8") as f:
        text = f.read()
    for factor, district in [(1, "甲区"), (2, "乙区"), (3, "丙区")]:
        write(f"district-{factor}.txt", scale(text, factor, f"示例市{district}人民政府"))
    compiled = text.replace("本报告由示例市人民政府办公室依据", "本报告由示例市人民政府办公室汇总甲区、乙区、丙区的年度报告，依据")
    assert compiled != text
    write("city-compiled.txt", scale(compiled, 6, CITY))
    # 予以公开 · 商业企业 is the third field of the line that starts with 三、本年度办理结果.
    write("city-compiled-broken.txt", scale(compiled, 6, CITY, bump=("三、本年度办理结果", 3, 1)))


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
