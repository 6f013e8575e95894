#!/usr/bin/env python3
"""Turns one of the HTML samples into a report page as agencies publish it: the report saved from Word as a
web page (a class, style and lang on every paragraph, run and cell; Word's head with its document properties,
latent styles and list definitions in conditional comments and a style block), inside a portal page (navigation,
an inline script, a footer), with the source wrapped at 76 columns as Word writes it.

The benchmarks (scripts/bench.sh) time it beside the plain sample: most of a real page is markup no reader reads.
Usage: scripts/make-web-page.py IN.html OUT.html
"""
import re
import sys

raw = open(sys.argv[1], 'rb').read()
try:
    src = raw.decode('utf-8')
except UnicodeDecodeError:
    src = raw.decode('gb18030')
    src = re.sub(r'charset=[A-Za-z0-9_-]+', 'charset=utf-8', src)

m = re.search(r'<div id="zoom">(.*?)</div>\s*</td>', src, re.S)
body = m.group(1) if m else re.search(r'<body>(.*)</body>', src, re.S).group(1)
title = re.search(r'<title>(.*?)</title>', src).group(1)


def runs(text, size='16.0pt', font='仿宋_GB2312'):
    """Word starts a new run where the language changes: digits and Latin letters get lang=EN-US."""
    out = []
    for part in re.findall(r'&[a-z]+;|[0-9A-Za-z.%]+|[^0-9A-Za-z.%&]+|&', text):
        if re.match(r'[0-9A-Za-z.%]', part):
            out.append(f"<span lang=EN-US style='font-size:{size};font-family:{font};mso-hansi-font-family:\"Times New Roman\";"
                       f"mso-bidi-font-family:\"Times New Roman\"'>{part}</span>")
        else:
            out.append(f"<span style='font-size:{size};font-family:{font};mso-ascii-font-family:\"Times New Roman\";"
                       f"mso-hansi-font-family:\"Times New Roman\"'>{part}</span>")
    return ''.join(out)


def paragraph(m):
    inner = m.group(1)
    if inner.strip() == '&nbsp;':
        return "<p class=MsoNormal style='line-height:28.0pt;mso-line-height-rule:exactly'><span lang=EN-US>&nbsp;<o:p></o:p></span></p>"
    return ("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly'>"
            + runs(inner) + "<span lang=EN-US style='font-size:16.0pt'><o:p></o:p></span></p>")


def heading(m):
    return ("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly'><b>"
            + runs(m.group(1), font='黑体') + "<span lang=EN-US style='font-size:16.0pt;font-family:黑体'><o:p></o:p></span></b></p>")


def cell(m):
    attrs, inner = m.group(1), m.group(2)
    spans = ''.join(f" {k}={v}" for k, v in re.findall(r'(colspan|rowspan)="(\d+)"', attrs))
    inner = inner if inner.strip() else '&nbsp;'
    return (f"<td width=95{spans} valign=center style='width:71.3pt;border:solid windowtext 1.0pt;border-top:none;"
            "mso-border-top-alt:solid windowtext .5pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt;height:20.0pt'>"
            f"<p class=MsoNormal align=center style='text-align:center;mso-pagination:widow-orphan'>{runs(inner, size='10.0pt', font='宋体')}"
            "<span lang=EN-US style='font-size:10.0pt;font-family:宋体;mso-bidi-font-family:宋体;color:black;mso-font-kerning:0pt'>"
            "<o:p></o:p></span></p></td>")


row_number = [0]


def row(m):
    row_number[0] += 1
    return f"<tr style='mso-yfti-irow:{row_number[0]};height:20.0pt'>"


b = re.sub(r'<p>(.*?)</p>', paragraph, body, flags=re.S)
b = re.sub(r'<h3>(.*?)</h3>', heading, b, flags=re.S)
b = re.sub(r'<td([^>]*)>(.*?)</td>', cell, b, flags=re.S)
b = re.sub(r'<tr>', row, b)
b = re.sub(r'<table[^>]*>', "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=602 style='width:451.3pt;"
           "border-collapse:collapse;mso-table-layout-alt:fixed;border:none;mso-border-alt:solid windowtext .5pt;"
           "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>", b)

latent = ''.join(f'  <w:LsdException Locked="false" Priority="{i % 100}" SemiHidden="true"\n'
                 f'   UnhideWhenUsed="true" Name="Style Name {i}"/>\n' for i in range(376))
styles = ''.join(f' p.MsoStyle{i}, li.MsoStyle{i}, div.MsoStyle{i}\n\t{{mso-style-name:"样式{i}";mso-style-unhide:no;'
                 'margin:0cm;margin-bottom:.0001pt;text-align:justify;text-justify:inter-ideograph;font-size:10.5pt;'
                 'font-family:"Times New Roman",serif;mso-fareast-font-family:宋体;mso-font-kerning:1.0pt;}\n' for i in range(40))
lists = ''.join(f'@list l{i}:level{j}\n\t{{mso-level-number-format:chinese-counting;mso-level-text:"%{j}、";'
                'mso-level-tab-stop:none;mso-level-number-position:left;margin-left:0cm;text-indent:32.0pt;}\n'
                for i in range(12) for j in range(1, 10))
nav = ''.join(f'<li><a href="/col/col{i}/index.html" target="_blank" title="栏目{i}">栏目{i}</a></li>\n' for i in range(150))
script = '\n'.join(f'  var item{i} = document.getElementById("x{i}"); if (item{i}) {{ item{i}.onclick = function() '
                   f'{{ window.open("/s?q=" + encodeURIComponent("{i}")); }}; }}' for i in range(200))

page = f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>user</o:Author>
  <o:Pages>6</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<!--[if gte mso 9]><xml>
 <w:LatentStyles DefLockedState="false" DefUnhideWhenUsed="false"
  DefSemiHidden="false" DefQFormat="false" DefPriority="99"
  LatentStyleCount="376">
{latent} </w:LatentStyles>
</xml><![endif]-->
<style>
<!--
{styles}{lists}-->
</style>
<script type="text/javascript">
{script}
</script>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="门户网站"></div><ul class="nav">
{nav}</ul></div>
<div class=WordSection1 style='layout-grid:15.6pt'>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>{title}</span></b></p>
{b}
</div>
<div class="footer"><ul>
{nav}</ul><p>主办单位：示例市人民政府办公室</p></div>
</body>
</html>
"""

# Word wraps its HTML at about 76 columns: at a space, or inside a long run of text, never inside an entity or a script.
lines = []
in_script = False
for line in page.split('\n'):
    if '<script' in line:
        in_script = True
    if not in_script:
        while len(line) > 76:
            cut = line.rfind(' ', 0, 76)
            if cut <= 0:
                cut = 76
            amp = line.rfind('&', 0, cut)
            if amp > 0 and ';' not in line[amp:cut]:
                cut = amp
            lines.append(line[:cut])
            line = line[cut:].lstrip(' ')
    if '</script>' in line:
        in_script = False
    lines.append(line)
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(lines))
