// ogilint serve: the reviewer's page. Plain script, no libraries, nothing fetched from outside.
"use strict";

const SEVERITIES = ["error", "warning", "info"];
const SEV_NAME = { error: "错误", warning: "警告", info: "提示" };
const CATEGORY_NAME = {
  structure: "结构", completeness: "完整性", template: "模板", arithmetic: "数字计算", cell: "单元格",
  consistency: "前后一致", timeliness: "发布时限", editorial: "文字", extraction: "读取"
};
const KIND_NAME = { government: "人民政府", department: "部门" };
const ACCEPTED = /\.(txt|docx|doc|wps|html?|xhtml|pdf|ya?ml|json)$/i;
const CHUNK_FILES = 20;
const CHUNK_BYTES = 40 * 1024 * 1024;

const state = {
  entries: [],          // {id, name, file, report, detail, error}
  sort: { key: "worst", asc: false },
  selected: null,
  filters: { sev: new Set(SEVERITIES), cat: "" },
  suppressFinding: null,
};

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};

function setStatus(text, bad = false) {
  const s = $("#status");
  s.textContent = text;
  s.classList.toggle("bad", bad);
}

// ---------- Uploading ----------

async function filesFromDrop(dataTransfer) {
  const items = [...(dataTransfer.items || [])];
  const entries = items.map(i => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map(f => ({ file: f, name: f.name }));
  const out = [];
  async function walk(entry, prefix) {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      out.push({ file, name: prefix + file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, prefix + entry.name + "/");
      }
    }
  }
  for (const e of entries) await walk(e, "");
  return out;
}

function accept(list, fromFolder) {
  const chosen = list.filter(x => !x.name.split("/").pop().startsWith(".") && (!fromFolder || ACCEPTED.test(x.name)));
  const skipped = list.length - chosen.length;
  return { chosen, skipped };
}

async function upload(list, fromFolder) {
  const { chosen, skipped } = accept(list, fromFolder);
  if (chosen.length === 0) {
    setStatus("没有可检查的文件（支持 txt、docx、html、pdf、yml、json）。", true);
    return;
  }
  state.entries = [];
  state.selected = null;
  const started = performance.now();
  setStatus(`正在检查 ${chosen.length} 个文件…`);
  // Several requests for a big batch, so that no request goes over the server's caps.
  const chunks = [];
  let current = [], bytes = 0;
  for (const x of chosen) {
    if (current.length && (current.length >= CHUNK_FILES || bytes + x.file.size > CHUNK_BYTES)) { chunks.push(current); current = []; bytes = 0; }
    current.push(x); bytes += x.file.size;
  }
  if (current.length) chunks.push(current);
  let done = 0;
  for (const chunk of chunks) {
    await inspect(chunk);
    done += chunk.length;
    setStatus(`正在检查：已完成 ${done} / ${chosen.length} 个文件…`);
    render();
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  setStatus(`已检查 ${chosen.length} 个文件，用时 ${secs} 秒` + (skipped ? `；跳过 ${skipped} 个不支持的文件` : "") + "。");
  render();
}

async function inspect(chunk) {
  const form = new FormData();
  for (const x of chunk) form.append("files", x.file, x.name);
  let response, body;
  try {
    response = await fetch("/api/inspect", { method: "POST", body: form });
    body = await response.json();
  } catch (e) {
    for (const x of chunk) addEntry(x, null, null, "无法连接检查服务：" + e.message);
    return;
  }
  if (!response.ok) {
    if (chunk.length > 1) { for (const x of chunk) await inspect([x]); return; }
    addEntry(chunk[0], null, null, (body && body.error && body.error.message) || `HTTP ${response.status}`);
    return;
  }
  body.check.reports.forEach((report, i) => addEntry(chunk[i], report, body.details[i], report.error || null));
}

function addEntry(x, report, detail, error) {
  state.entries.push({ id: state.entries.length, name: report ? report.path : x.name, file: x.file, uploadName: x.name, report, detail, error });
}

// ---------- Counting and sorting ----------

function counts(entry) {
  const c = { errors: 0, warnings: 0, infos: 0 };
  for (const f of (entry.report ? entry.report.findings : [])) c[f.severity + "s"]++;
  return c;
}

function sorted() {
  const list = [...state.entries];
  const { key, asc } = state.sort;
  const cmpWorst = (a, b) => {
    const ca = counts(a), cb = counts(b);
    return (!!b.error - !!a.error) || (cb.errors - ca.errors) || (cb.warnings - ca.warnings) || (cb.infos - ca.infos) || a.name.localeCompare(b.name, "zh");
  };
  list.sort((a, b) => {
    if (key === "worst") return cmpWorst(a, b);
    if (key === "name") return (asc ? 1 : -1) * a.name.localeCompare(b.name, "zh");
    const d = counts(a)[key] - counts(b)[key];
    return (asc ? d : -d) || cmpWorst(a, b);
  });
  return list;
}

// ---------- Rendering: index ----------

function render() {
  $("#layout").hidden = state.entries.length === 0;
  const total = { errors: 0, warnings: 0, infos: 0 };
  let unreadable = 0;
  for (const e of state.entries) {
    const c = counts(e);
    total.errors += c.errors; total.warnings += c.warnings; total.infos += c.infos;
    if (e.error) unreadable++;
  }
  $("#sum-files").textContent = `（${state.entries.length}）`;
  $("#sum-errors").textContent = total.errors;
  $("#sum-warnings").textContent = total.warnings;
  $("#sum-infos").textContent = total.infos;
  $("#sum-unreadable").textContent = unreadable;
  $("#sum-unreadable-wrap").hidden = unreadable === 0;
  for (const th of document.querySelectorAll("#files th")) {
    const k = th.querySelector("button").dataset.sort;
    if (k === state.sort.key) th.setAttribute("aria-sort", state.sort.asc ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
  const tbody = $("#files tbody");
  tbody.replaceChildren();
  const list = sorted();
  for (const e of list) {
    const c = counts(e);
    const tr = el("tr", { class: e.id === state.selected ? "selected" : null, "data-id": e.id, "data-errors": c.errors, "data-warnings": c.warnings, "data-infos": c.infos },
      el("td", { class: "name" }, el("button", { type: "button", title: e.name, "aria-current": e.id === state.selected ? "true" : null, onclick: () => select(e.id) }, e.name)),
      e.error ? el("td", { class: "num unreadable", colspan: 3, text: "无法读取" }) : [
        el("td", { class: "num" + (c.errors ? " e" : ""), text: c.errors }),
        el("td", { class: "num" + (c.warnings ? " w" : ""), text: c.warnings }),
        el("td", { class: "num", text: c.infos })]);
    tbody.append(tr);
  }
  if (state.selected === null && list.length) select(list[0].id, false);
}

function select(id, focus = true) {
  state.selected = id;
  for (const tr of document.querySelectorAll("#files tbody tr")) {
    const on = Number(tr.dataset.id) === id;
    tr.classList.toggle("selected", on);
    const b = tr.querySelector("button");
    if (on) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
  renderReport();
  if (focus) $("#report").focus({ preventScroll: false });
}

// ---------- Rendering: one report ----------

function visible(f) {
  return state.filters.sev.has(f.severity) && (!state.filters.cat || f.category === state.filters.cat);
}

function renderReport() {
  const main = $("#report");
  main.replaceChildren();
  const entry = state.entries.find(e => e.id === state.selected);
  if (!entry) return;
  const c = counts(entry);
  main.append(el("div", { class: "report-head" },
    el("h2", { id: "report-title", text: entry.name }),
    entry.error ? null : el("span", { class: "summary" },
      el("span", { class: "n-error" }, el("b", { id: "report-errors", text: c.errors }), " 个错误"),
      el("span", { class: "n-warning" }, el("b", { id: "report-warnings", text: c.warnings }), " 个警告"),
      el("span", { class: "n-info" }, el("b", { id: "report-infos", text: c.infos }), " 个提示"))));
  if (entry.error) {
    main.append(el("p", { class: "unreadable-box", role: "alert" }, "无法读取这个文件：", el("br"), entry.error));
    return;
  }
  const d = entry.detail || {};
  const m = d.metadata || {};
  const fact = (label, value) => el("div", {}, el("dt", { text: label }), el("dd", { text: value ?? "未识别" }));
  main.append(el("dl", { class: "meta" },
    fact("机关", m.agency), fact("机关类型", KIND_NAME[m.agency_kind]), fact("报告年度", m.year ? `${m.year} 年度` : null),
    fact("模板", d.template_title || (m.template ? `${m.template} 年版` : null)),
    fact("发布日期", m.published), fact("发布时限", d.deadline),
    fact("统计期间", m.period_start && m.period_end ? `${m.period_start} 至 ${m.period_end}` : null)));

  // Filters and downloads.
  const findings = entry.report.findings.map((f, i) => ({ ...f, index: i }));
  const categories = [...new Set(findings.map(f => f.category))];
  const sevBoxes = SEVERITIES.map(s => el("label", {},
    el("input", { type: "checkbox", "data-sev": s, checked: state.filters.sev.has(s), onchange: ev => { ev.target.checked ? state.filters.sev.add(s) : state.filters.sev.delete(s); renderReport(); } }),
    ` ${SEV_NAME[s]}（${findings.filter(f => f.severity === s).length}）`));
  const catSelect = el("select", { id: "filter-category", onchange: ev => { state.filters.cat = ev.target.value; renderReport(); } },
    el("option", { value: "", text: "全部类别" }),
    categories.map(k => el("option", { value: k, selected: state.filters.cat === k, text: `${CATEGORY_NAME[k] || k}（${findings.filter(f => f.category === k).length}）` })));
  main.append(el("div", { class: "toolbar" },
    el("fieldset", {}, el("legend", { text: "严重程度" }), sevBoxes),
    el("label", {}, "类别 ", catSelect),
    el("span", { class: "downloads" }, "下载本报告结果：",
      ["json", "sarif", "markdown", "html"].map(fmt => el("button", { type: "button", "data-download": fmt, "data-scope": "one", onclick: () => download(fmt, [entry]) },
        { json: "JSON", sarif: "SARIF", markdown: "Markdown", html: "HTML 报告" }[fmt])))));

  const shown = findings.filter(visible);
  const left = el("div", { class: "left" });
  const pane = el("aside", { class: "findings-pane", "aria-labelledby": "findings-title" });
  main.append(el("div", { class: "columns" }, left, pane));

  // Tables in the template's layout, cells marked by the most severe visible finding.
  const cellFindings = new Map();
  const addCell = (cell, f) => {
    if (!cellFindings.has(cell)) cellFindings.set(cell, []);
    if (!cellFindings.get(cell).includes(f)) cellFindings.get(cell).push(f);
  };
  for (const f of shown) {
    if (f.location.cell) addCell(f.location.cell, f);
    // The sums a repair explains are folded under it: their cells take part and lead to the same finding.
    for (const r of f.related || []) if (r.location && r.location.cell) addCell(r.location.cell, f);
  }
  // The cell a repair names (finding.suggestion): marked apart from the cells that merely take part.
  const suspected = new Map();
  for (const f of shown) if (f.suggestion) {
    if (!suspected.has(f.suggestion.cell)) suspected.set(f.suggestion.cell, []);
    suspected.get(f.suggestion.cell).push(f);
  }
  left.append(el("p", { class: "legend" }, "单元格底色：", el("i", { class: "le" }), "错误", el("i", { class: "lw" }), "警告", el("i", { class: "li" }), "提示",
    suspected.size ? [el("i", { class: "ls" }), "疑似填错（建议改动）"] : null, "；点击有底色的单元格查看对应发现。"));
  for (const t of tablesToDraw(d)) left.append(drawTable(t, cellFindings, suspected));

  // The report text, with the sentences findings point at and quote highlighted.
  const text = d.text || [];
  const paraFor = anchorParagraphs(text, shown);
  const quotes = [...new Set(shown.flatMap(f => quotedPhrases(f.message)))];
  const textBox = el("div", { class: "text", id: "report-text" });
  text.forEach((p, i) => {
    const own = paraFor.get(i) || [];
    const worst = own.length ? SEVERITIES.find(s => own.some(f => f.severity === s)) : null;
    const where = p.page ? `${p.page}:${p.line ?? ""}` : (p.line ?? (p.paragraph ? "¶" + p.paragraph : ""));
    const div = el("p", { class: "para" + (p.heading ? " heading" : "") + (worst ? " sev-" + worst : ""), id: `para-${i}`, tabindex: own.length ? "-1" : null },
      el("span", { class: "ln", "aria-hidden": "true", text: where }), ...highlight(p.text, quotes));
    if (own.length) div.append(el("button", { type: "button", class: "flag", "aria-label": `查看这句话的 ${own.length} 条发现`, onclick: () => showFindings(own, div) }, `⚑ ${own.length}`));
    textBox.append(div);
  });
  left.append(el("h3", { text: "报告正文" }), text.length ? textBox : el("p", { text: "（未读出正文）" }));

  // The findings, each linked to its cell or sentence.
  pane.append(el("h3", { id: "findings-title", text: `发现（显示 ${shown.length} / ${findings.length}）` }));
  if (findings.length === 0) pane.append(el("p", { class: "clean", text: "没有发现问题。" }));
  const ol = el("ol", { class: "findings", id: "findings" });
  for (const f of shown) ol.append(drawFinding(f, entry, paraFor));
  pane.append(ol);
}

function tablesToDraw(d) {
  const byKey = new Map((d.tables || []).map(t => [t.key, t]));
  const drawn = [];
  for (const spec of d.layout || []) drawn.push({ spec, table: byKey.get(spec.key) || null });
  // Tables read from the report that the template does not lay out (no template recognised).
  const laid = new Set((d.layout || []).map(s => s.key));
  for (const t of d.tables || []) if (!laid.has(t.key)) {
    const columns = [];
    for (const r of t.rows) for (const c of r.cells) if (!columns.includes(c.column)) columns.push(c.column);
    drawn.push({ spec: { key: t.key, title: t.title || t.key, columns: columns.map(k => ({ key: k, label: k })), rows: t.rows.map(r => ({ key: r.key, label: r.label })) }, table: t });
  }
  return drawn;
}

function drawTable({ spec, table }, cellFindings, suspected) {
  const rows = new Map((table ? table.rows : []).map(r => [r.key, r]));
  const caption = el("caption", {}, spec.title, table ? null : el("span", { class: "where", text: "（报告中未找到此表）" }));
  const head = drawHead(spec.columns);
  const body = el("tbody");
  for (const rs of spec.rows) {
    const row = rows.get(rs.key);
    const cells = new Map((row ? row.cells : []).map(c => [c.column, c]));
    const label = rs.unlabeled || !row ? rs.label : row.label || rs.label;
    const tr = el("tr", {}, el("th", { scope: "row", text: label || "（无行名）" }));
    for (const cs of spec.columns) {
      const key = `${spec.key}.${rs.key}.${cs.key}`;
      const cell = cells.get(cs.key);
      const suspects = (suspected && suspected.get(key)) || [];
      const own = [...(cellFindings.get(key) || [])];
      for (const f of suspects) if (!own.includes(f)) own.push(f);
      const worst = own.length ? SEVERITIES.find(s => own.some(f => f.severity === s)) : null;
      const raw = cell ? cell.raw : "";
      const state_ = cell ? cell.state : "missing";
      const suggested = suspects.length ? suspects[0].suggestion.suggested_value : null;
      const td = el("td", {
        class: [state_, worst ? "sev-" + worst : "", suspects.length ? "suspect" : ""].join(" ").trim(), "data-cell": key, id: cellId(key),
        "data-findings": own.length ? own.map(f => f.index).join(" ") : null, tabindex: own.length ? "0" : null,
        "data-suggested": suggested === null ? null : String(suggested),
        title: `${row ? row.label : rs.label} › ${cs.label}` + (suggested === null ? "" : `：疑似填错，建议改为 ${suggested}`)
          + (own.length ? `：${own.length} 条发现，按回车查看` : ""),
        role: own.length ? "button" : null,
      }, cell ? (raw === "" ? "（空）" : raw) : "—");
      if (own.length) {
        td.addEventListener("click", () => showFindings(own, td));
        td.addEventListener("keydown", ev => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); showFindings(own, td); } });
      }
      tr.append(td);
    }
    body.append(tr);
  }
  return el("div", { class: "tablewrap" }, el("table", { class: "grid", "data-table": spec.key }, caption, head, body));
}

/// The column headings; labels written `group·name` (as the template writes grouped columns) get a
/// second heading row with the group spanning its columns.
function drawHead(columns) {
  const title = c => c.label + (c.unit && !c.label.includes(c.unit) ? `（${c.unit}）` : "");
  const split = c => { const i = c.label.indexOf("·"); return i < 0 ? [null, title(c)] : [c.label.slice(0, i), title(c).slice(i + 1)]; };
  if (!columns.some(c => c.label.includes("·"))) {
    return el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), columns.map(c => el("th", { scope: "col", text: title(c) }))));
  }
  const top = el("tr", {}, el("th", { scope: "col", rowspan: 2, text: "" }));
  const bottom = el("tr");
  for (let i = 0; i < columns.length;) {
    const [group, name] = split(columns[i]);
    if (group === null) { top.append(el("th", { scope: "col", rowspan: 2, text: name })); i++; continue; }
    let j = i;
    while (j < columns.length && split(columns[j])[0] === group) { bottom.append(el("th", { scope: "col", text: split(columns[j])[1] })); j++; }
    top.append(el("th", { scope: "colgroup", colspan: j - i, text: group }));
    i = j;
  }
  return el("thead", {}, top, bottom);
}

function cellId(key) { return "cell-" + key.replace(/[^A-Za-z0-9_-]/g, "_"); }

/// Which paragraph each finding without a cell points at: the same line (text, PDF page) or DOCX paragraph,
/// else the last paragraph that starts before it.
function anchorParagraphs(text, findings) {
  const map = new Map();
  for (const f of findings) {
    if (f.location.cell) continue;
    const i = paragraphIndex(text, f.location);
    if (i === null) continue;
    if (!map.has(i)) map.set(i, []);
    map.get(i).push(f);
  }
  return map;
}

function paragraphIndex(text, loc) {
  if (loc.paragraph != null) {
    const i = text.findIndex(p => p.paragraph === loc.paragraph);
    if (i >= 0) return i;
  }
  if (loc.line != null) {
    let best = null;
    text.forEach((p, i) => {
      if (p.line == null || (loc.page != null && p.page != null && p.page !== loc.page)) return;
      if (p.line <= loc.line && (best === null || text[best].line <= p.line)) best = i;
    });
    return best;
  }
  return null;
}

function quotedPhrases(message) {
  const out = [];
  const re = /[「“"‘『]([^」”"’』]{6,})[」”"’』]/g;
  let m;
  while ((m = re.exec(message))) out.push(m[1]);
  return out;
}

function highlight(text, quotes) {
  const ranges = [];
  for (const q of quotes) {
    let at = text.indexOf(q);
    while (at >= 0) { ranges.push([at, at + q.length]); at = text.indexOf(q, at + q.length); }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  let pos = 0;
  for (const [s, e] of ranges) {
    if (s < pos) continue;
    if (s > pos) out.push(text.slice(pos, s));
    out.push(el("mark", { text: text.slice(s, e) }));
    pos = e;
  }
  out.push(text.slice(pos));
  return out;
}

function locationText(l) {
  let s = "";
  if (l.line != null) s = l.page != null ? `第 ${l.page} 页第 ${l.line} 行` : `第 ${l.line} 行`;
  else if (l.paragraph != null) s = `第 ${l.paragraph} 段`;
  const labels = [l.table, l.row, l.column].filter(Boolean).join(" › ");
  return [s, labels].filter(Boolean).join("　");
}

function drawFinding(f, entry, paraFor) {
  let target = null;
  if (f.location.cell) target = cellId(f.location.cell);
  else for (const [i, list] of paraFor) if (list.includes(f)) target = `para-${i}`;
  const li = el("li", { class: "finding " + f.severity, id: `finding-${f.index}`, tabindex: "-1", "data-rule": f.rule, "data-cell": f.location.cell },
    el("div", { class: "head" },
      el("span", { class: "sev " + f.severity, text: SEV_NAME[f.severity] }),
      el("span", { class: "rule", text: f.rule }),
      el("span", { class: "where", text: CATEGORY_NAME[f.category] || f.category })),
    el("p", { class: "message", text: f.message }),
    f.fix ? el("p", { class: "fix", text: "改正：" + f.fix }) : null,
    f.suggestion ? el("p", { class: "suspect" }, "疑似填错的单元格：" + locationText(f.suggestion.location) + "，填报 "
      + (f.suggestion.value == null ? "（空）" : f.suggestion.value) + "，建议改为 ", el("b", { text: String(f.suggestion.suggested_value) })) : null,
    el("p", { class: "where", text: locationText(f.location) }),
    el("div", { class: "actions" },
      target ? el("button", { type: "button", class: "goto", onclick: () => goTo(f, target) }, f.location.cell ? "定位单元格" : "定位正文") : null,
      f.suggestion && f.suggestion.cell !== f.location.cell
        ? el("button", { type: "button", class: "goto-suspect", onclick: () => goTo(f, cellId(f.suggestion.cell)) }, "定位疑似单元格") : null,
      el("button", { type: "button", class: "explain", onclick: () => explain(f.rule) }, "规则说明"),
      el("button", { type: "button", class: "suppress", onclick: () => openSuppress(f, entry) }, "复制抑制条目")));
  return li;
}

function clearMarks() {
  for (const e of document.querySelectorAll(".marked")) e.classList.remove("marked");
  for (const e of document.querySelectorAll(".finding.current")) e.classList.remove("current");
}

function goTo(f, targetId) {
  const target = document.getElementById(targetId);
  if (!target) return;
  clearMarks();
  target.classList.add("marked");
  $(`#finding-${f.index}`)?.classList.add("current");
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.scrollIntoView({ block: "center", behavior: "instant" });
  target.focus({ preventScroll: true });
}

function showFindings(list, from) {
  clearMarks();
  from.classList.add("marked");
  let first = null;
  for (const f of list) {
    const li = document.getElementById(`finding-${f.index}`);
    if (!li) continue;
    li.classList.add("current");
    first = first || li;
  }
  if (first) { first.scrollIntoView({ block: "nearest", behavior: "instant" }); first.focus({ preventScroll: true }); }
}

// ---------- Rule explanation ----------

async function explain(id) {
  const dialog = $("#rule-dialog");
  $("#rule-title").textContent = id;
  const body = $("#rule-body");
  body.replaceChildren(el("p", { text: "正在载入…" }));
  dialog.showModal();
  try {
    const r = await (await fetch(`/api/rules/${encodeURIComponent(id)}`)).json();
    if (r.error) { body.replaceChildren(el("p", { text: r.error.message })); return; }
    $("#rule-title").textContent = `${r.id} — ${r.title}`;
    const row = (k, v) => v ? [el("dt", { text: k }), el("dd", {}, v)] : [];
    body.replaceChildren(el("dl", {},
      row("严重程度", SEV_NAME[r.severity]), row("类别", CATEGORY_NAME[r.category] || r.category),
      row("依据", r.reference), row("适用条件", r.applies_when),
      row("检查内容", r.checks.length ? el("ul", {}, r.checks.map(c => el("li", { text: c.label === "checks" ? c.text : `${c.label}: ${c.text}` }))) : null),
      row("说明", r.description), row("改正", r.fix)));
  } catch (e) {
    body.replaceChildren(el("p", { text: "无法载入规则说明：" + e.message }));
  }
}

// ---------- Suppression entry ----------

function yamlString(s) { return '"' + String(s).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"'; }

function suppressionYAML(f, entry, reason) {
  const where = [`file: ${yamlString(entry.name.split("/").pop())}`];
  if (f.location.cell) where.push(`cell: ${f.location.cell}`);
  else for (const k of ["table", "row", "column"]) if (f.location[k]) where.push(`${k}: ${yamlString(f.location[k])}`);
  return `  - rule: ${f.rule}\n    where: {${where.join(", ")}}\n    reason: ${yamlString(reason || "（请填写理由）")}\n`;
}

function openSuppress(f, entry) {
  state.suppressFinding = { f, entry };
  const reason = $("#suppress-reason");
  reason.value = "";
  $("#suppress-done").textContent = "";
  $("#suppress-yaml").value = suppressionYAML(f, entry, "");
  $("#suppress-dialog").showModal();
  reason.focus();
}

async function copySuppression() {
  const reason = $("#suppress-reason").value.trim();
  if (!reason) { $("#suppress-done").textContent = "请先填写理由（.ogilint.yml 要求每条抑制都有理由）。"; $("#suppress-reason").focus(); return; }
  const { f, entry } = state.suppressFinding;
  const text = suppressionYAML(f, entry, reason);
  $("#suppress-yaml").value = text;
  try { await navigator.clipboard.writeText(text); }
  catch { const t = $("#suppress-yaml"); t.select(); document.execCommand("copy"); }
  $("#suppress-done").textContent = "已复制。";
}

// ---------- Downloads ----------

async function download(format, entries) {
  const form = new FormData();
  for (const e of entries) form.append("files", e.file, e.uploadName);
  setStatus("正在生成下载文件…");
  const response = await fetch(`/api/check?format=${format}`, { method: "POST", body: form });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try { message = (await response.json()).error.message; } catch {}
    setStatus("下载失败：" + message, true);
    return;
  }
  const blob = await response.blob();
  const ext = { json: "json", sarif: "sarif", markdown: "md", html: "html" }[format];
  const base = entries.length === 1 ? entries[0].name.split("/").pop().replace(/\.[^.]+$/, "") : "results";
  const a = el("a", { href: URL.createObjectURL(blob), download: `ogilint-${base}.${ext}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  setStatus(`已下载 ogilint-${base}.${ext}`);
}

// ---------- Wiring ----------

function wire() {
  const drop = $("#drop");
  const fileInput = $("#file-input"), folderInput = $("#folder-input");
  $("#pick-files").addEventListener("click", ev => { ev.stopPropagation(); fileInput.click(); });
  $("#pick-folder").addEventListener("click", ev => { ev.stopPropagation(); folderInput.click(); });
  drop.addEventListener("keydown", ev => { if ((ev.key === "Enter" || ev.key === " ") && ev.target === drop) { ev.preventDefault(); fileInput.click(); } });
  fileInput.addEventListener("change", () => { upload([...fileInput.files].map(f => ({ file: f, name: f.name })), false); fileInput.value = ""; });
  folderInput.addEventListener("change", () => { upload([...folderInput.files].map(f => ({ file: f, name: f.webkitRelativePath || f.name })), true); folderInput.value = ""; });
  drop.addEventListener("dragover", ev => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async ev => {
    ev.preventDefault();
    drop.classList.remove("over");
    const list = await filesFromDrop(ev.dataTransfer);
    upload(list, list.some(x => x.name.includes("/")));
  });
  // Dropping anywhere else must not navigate away from the page.
  window.addEventListener("dragover", ev => ev.preventDefault());
  window.addEventListener("drop", ev => ev.preventDefault());
  for (const b of document.querySelectorAll("#files th button")) b.addEventListener("click", () => {
    const key = b.dataset.sort;
    if (state.sort.key === key) state.sort.asc = !state.sort.asc;
    else state.sort = { key, asc: key === "name" };
    render();
  });
  for (const b of document.querySelectorAll('[data-scope="all"]')) b.addEventListener("click", () => download(b.dataset.download, state.entries));
  $("#suppress-reason").addEventListener("input", () => {
    const { f, entry } = state.suppressFinding;
    $("#suppress-yaml").value = suppressionYAML(f, entry, $("#suppress-reason").value.trim());
  });
  $("#suppress-copy").addEventListener("click", copySuppression);
}

wire();
