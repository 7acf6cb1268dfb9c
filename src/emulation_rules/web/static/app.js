// The self-assessment page: a form generated from a rule set's evidence schema, the
// verdict shown criterion by criterion. Plain JavaScript, no build step, no CDN.
"use strict";

const T = {
  vi: {
    title: "Tự đánh giá tiêu chí thi đua", switch: "English", ruleset: "Bộ tiêu chí",
    date: "Ngày đánh giá", example: "Nạp ví dụ", run: "Đánh giá", print: "In (A4)",
    save_evidence: "Tải dữ liệu (JSON)", save_verdict: "Tải kết quả (JSON)",
    criterion: "Tiêu chí", status: "Kết quả", reason: "Lý do", needed: "Để đạt cần",
    yes: "Có", no: "Không", unit_id: "Tên đơn vị", other: "Điều kiện khác",
    prerequisites: "Điều kiện tiên quyết", list_help: "Danh sách dạng JSON, mỗi phần tử có:",
    attention: "Chỉ hiện tiêu chí chưa đạt", no_verdict: "Chưa có kết quả để tải.", bad: "Dữ liệu chưa hợp lệ:", working: "Đang đánh giá…",
  },
  en: {
    title: "Self-assessment of emulation criteria", switch: "Tiếng Việt", ruleset: "Rule set",
    date: "Assessment date", example: "Load an example", run: "Evaluate", print: "Print (A4)",
    save_evidence: "Download evidence (JSON)", save_verdict: "Download verdict (JSON)",
    criterion: "Criterion", status: "Status", reason: "Reason", needed: "Would pass with",
    yes: "Yes", no: "No", unit_id: "Unit", other: "Other conditions",
    prerequisites: "Prerequisites", list_help: "A JSON list, each item with:",
    attention: "Only criteria not met", no_verdict: "No verdict to download yet.", bad: "The evidence is not valid:",
    working: "Evaluating…",
  },
};
const STATUS = {
  met: { vi: "Đạt", en: "met" },
  not_met: { vi: "Không đạt", en: "not met" },
  unknown: { vi: "Chưa xác định", en: "unknown" },
  eligible: { vi: "Đủ điều kiện", en: "Eligible" },
  not_eligible: { vi: "Không đủ điều kiện", en: "Not eligible" },
  undetermined: { vi: "Chưa xác định", en: "Undetermined" },
};
const state = { lang: "vi", def: null, schema: null, verdict: null, evidence: null };
const params = new URLSearchParams(window.location.search);
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

function tr(text) {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[state.lang] || text.vi || text.en || "";
}

function t(key) { return T[state.lang][key]; }

async function getJSON(url, options) {
  const resp = await fetch(url, options);
  const body = await resp.json();
  if (!resp.ok) throw body;
  return body;
}

function showProblem(problem) {
  const lines = [problem.title ? `${problem.title}: ${problem.detail}` : String(problem)];
  for (const p of problem.problems || []) {
    const field = document.querySelector(`[name="${CSS.escape(String(p.pointer.split("/")[1] || ""))}"]`);
    if (field) field.setAttribute("aria-invalid", "true");
  }
  $("message").textContent = lines.join("\n");
}

// -- the rule sets and the form ------------------------------------------------------------
async function loadRulesets() {
  const data = await getJSON(`/v1/rulesets?on=${$("on").value}`);
  const select = $("ruleset");
  const wanted = select.value || params.get("ruleset") || "typical-commune";
  select.replaceChildren();
  for (const r of data.rulesets.filter((x) => x.in_force)) {
    select.append(el("option", { value: r.id }, `${tr(r.title)} (${r.id} ${r.in_force})`));
  }
  if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
}

async function loadDefinition() {
  const id = encodeURIComponent($("ruleset").value);
  const on = $("on").value;
  [state.def, state.schema] = await Promise.all([
    getJSON(`/v1/rulesets/${id}?on=${on}`),
    getJSON(`/v1/rulesets/${id}/schema?on=${on}`),
  ]);
  renderForm({});
}

function levelsOf(spec) {
  const enumeration = spec && spec.enum ? state.def.enumerations[spec.enum] : null;
  return enumeration ? enumeration.levels : [];
}

function input(name, spec, schema) {
  const type = spec ? spec.type : (schema.type || "string");
  const attrs = { name, id: `f-${name}`, "data-type": type };
  if (type === "bool") {
    return el("select", attrs, el("option", { value: "" }, "—"),
      el("option", { value: "true" }, t("yes")), el("option", { value: "false" }, t("no")));
  }
  if (type === "enum") {
    const select = el("select", attrs, el("option", { value: "" }, "—"));
    for (const level of levelsOf(spec)) select.append(el("option", { value: level.id }, tr(level)));
    return select;
  }
  if (type === "list" || type === "record") return el("textarea", attrs);
  if (type === "date") return el("input", { ...attrs, type: "date" });
  const numeric = ["integer", "decimal", "percentage", "number"].includes(type);
  return el("input", { ...attrs, type: "text", inputmode: numeric ? "decimal" : "text" });
}

function field(name, spec, schema) {
  const label = spec ? tr(spec.label) : (state.lang === "vi" ? schema.title : schema.description) || name;
  const box = el("div", { class: "field" },
    el("label", { for: `f-${name}` }, label, spec && spec.unit ? el("span", { class: "unit" }, ` (${tr(spec.unit)})`) : null),
    input(name, spec, schema));
  if (spec && spec.fields) {
    const parts = Object.entries(spec.fields).map(([k, f]) => `${k}: ${tr(f.label)}`).join("; ");
    box.append(el("p", { class: "help" }, `${t("list_help")} ${parts}`));
  }
  return box;
}

function renderForm(values) {
  const form = $("evidence");
  form.replaceChildren();
  const props = state.schema.properties;
  const shown = new Set(["unit_id"]);
  form.append(el("div", { class: "field" }, el("label", { for: "f-unit_id" }, t("unit_id")),
    el("input", { name: "unit_id", id: "f-unit_id", type: "text", "data-type": "string" })));
  for (const c of state.def.criteria) {
    const facts = c.facts.filter((f) => !shown.has(f) && props[f]);
    if (!facts.length) continue;
    const set = el("fieldset", { "data-criterion": c.id },
      el("legend", {}, `${t("criterion")} ${c.number ?? c.id}: ${tr(c.title)}`),
      el("p", { class: "help" }, tr(c.text)));
    for (const f of facts) { set.append(field(f, state.def.facts[f], props[f])); shown.add(f); }
    form.append(set);
  }
  const rest = Object.keys(props).filter((f) => !shown.has(f));
  if (rest.length) {
    const set = el("fieldset", {}, el("legend", {}, t("other")));
    for (const f of rest) set.append(field(f, state.def.facts[f], props[f]));
    form.append(set);
  }
  fill(values);
}

function enumId(spec, value) {
  const enumeration = spec && spec.enum ? state.def.enumerations[spec.enum] : null;
  if (!enumeration) return value;
  const found = enumeration.levels.find((l) => l.id === value || l.vi === value || l.en === value);
  return found ? found.id : (enumeration.aliases || {})[value] || value;
}

function fill(values) {
  for (const [name, value] of Object.entries(values || {})) {
    const node = $("evidence").elements.namedItem(name);
    if (!node || value === null || value === undefined) continue;
    const spec = state.def.facts[name];
    const type = node.getAttribute("data-type");
    let text = typeof value === "object" ? JSON.stringify(value, null, 1) : String(value);
    if (type === "enum") {
      text = enumId(spec, value);
      if (![...node.options].some((o) => o.value === text)) node.append(el("option", { value: text }, text));
    }
    node.value = text;
  }
}

function collect() {
  const evidence = {};
  for (const node of $("evidence").elements) {
    if (!node.name || typeof node.value !== "string") continue;
    const raw = node.value.trim();
    node.removeAttribute("aria-invalid");
    if (raw === "") continue;
    const type = node.getAttribute("data-type");
    let value = raw;
    if (type === "bool") value = raw === "true";
    else if (type === "integer" && /^-?\d+$/.test(raw)) value = Number.parseInt(raw, 10);
    else if (["decimal", "percentage", "number"].includes(type) && /^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else if (type === "list" || type === "record") {
      try { value = JSON.parse(raw); } catch (e) { value = raw; }
    }
    evidence[node.name] = value;
  }
  return evidence;
}

// -- the verdict -----------------------------------------------------------------------------
async function evaluate(auto) {
  state.evidence = collect();
  $("message").textContent = t("working");
  const id = encodeURIComponent($("ruleset").value);
  try {
    state.verdict = await getJSON(
      `/v1/rulesets/${id}/evaluate?on=${$("on").value}&explain=true&lang=${state.lang}`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(state.evidence) });
    $("message").textContent = "";
    renderVerdict();
    if (!auto) $("results").scrollIntoView();
  } catch (problem) {
    state.verdict = null;
    $("results").replaceChildren();
    showProblem(problem);
  }
  document.body.setAttribute("data-state", "done");
}

function factLabel(name) {
  const spec = state.def.facts[name];
  return spec ? tr(spec.label) : name;
}

function valueText(value, kind) {
  // numbers with the language's separators, dates dd/mm/yyyy in Vietnamese (ISO in English)
  if (typeof value === "number") return value.toLocaleString(state.lang === "vi" ? "vi-VN" : "en-GB");
  if (kind === "date" && state.lang === "vi" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}/${m}/${y}`;
  }
  return String(value);
}

function neededText(n) {
  // the bound in words, from the library's own table (requirement_words): "không quá 38 vụ"
  const spec = state.def.facts[n.fact];
  let value = n.value;
  let family = n.kind === "date" ? "date" : "number";
  if (spec && spec.type === "enum") {
    const level = levelsOf(spec).find((l) => l.id === value);
    if (level) value = tr(level);
    family = "level";
  } else if (typeof value === "boolean") {
    return `${factLabel(n.fact)}: ${value ? t("yes") : t("no")}`;
  } else value = valueText(value, n.kind);
  const unit = spec && spec.unit && family === "number" ? ` ${tr(spec.unit)}` : "";
  const words = state.def.requirement_words[state.lang][family][n.op];
  return `${factLabel(n.fact)} ${words ? words.replace("{}", value + unit) : `${n.op} ${value}${unit}`}`;
}

function prerequisiteTitle(p) {
  const known = (state.def.requires || []).find((r) => r.id === p.ruleset.id);
  return known ? tr(known.title) : p.ruleset.id;
}

function renderVerdict() {
  const v = state.verdict;
  const titles = Object.fromEntries(state.def.criteria.map((c) => [c.id, tr(c.title)]));
  const shown = $("attention").checked ? v.criteria.filter((c) => c.status !== "met") : v.criteria;
  const rows = shown.map((c) => {
    const needed = c.status === "not_met" && c.explanation
      ? el("ul", { class: "needed" }, ...c.explanation.needed.map((n) => el("li", {}, neededText(n))))
      : null;
    return el("tr", { "data-criterion": c.id, "data-status": c.status },
      el("td", {}, String(c.number ?? c.id)), el("td", {}, titles[c.id] || c.id),
      el("td", { class: `status-${c.status}` }, tr(STATUS[c.status])),
      el("td", {}, tr(c.reason)),
      el("td", {}, needed));
  });
  const head = el("tr", {}, el("th", {}, "#"), el("th", {}, t("criterion")), el("th", {}, t("status")),
    el("th", {}, t("reason")), el("th", {}, t("needed")));
  const pre = (v.prerequisites || []).map((p) => el("li", { "data-prerequisite": p.name, "data-status": p.status },
    `${prerequisiteTitle(p)}: ${tr(STATUS[p.status])}`));
  $("results").replaceChildren(
    el("h2", {}, `${tr(state.def.title)} — ${v.unit || ""}`),
    el("p", { class: `overall status-${v.status}`, "data-overall": v.status }, tr(v.reason)),
    pre.length ? el("div", {}, el("h3", {}, t("prerequisites")), el("ul", {}, ...pre)) : "",
    el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
}

function download(data, name) {
  if (!data) { $("message").textContent = t("no_verdict"); return; }
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

// -- wiring ------------------------------------------------------------------------------------
function applyLang() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.getAttribute("data-t"));
  document.title = t("title");
  if (state.def) {
    const values = collect();
    renderForm(values);
    if (state.verdict) renderVerdict();
  }
}

async function loadExamples() {
  const names = await getJSON("/v1/examples");
  for (const name of names) $("example").append(el("option", { value: name }, name));
}

async function loadExample(name) {
  const data = await getJSON(`/v1/examples/${encodeURIComponent(name)}`);
  renderForm(data);
}

async function main() {
  state.lang = params.get("lang") === "en" ? "en" : "vi";
  $("on").value = params.get("on") || new Date().toISOString().slice(0, 10);
  applyLang();
  $("lang-switch").addEventListener("click", () => { state.lang = state.lang === "vi" ? "en" : "vi"; applyLang(); });
  $("on").addEventListener("change", async () => { await loadRulesets(); await loadDefinition(); });
  $("ruleset").addEventListener("change", loadDefinition);
  $("example").addEventListener("change", () => $("example").value && loadExample($("example").value));
  $("run").addEventListener("click", () => evaluate(false));
  $("attention").checked = params.get("attention") === "1";
  $("attention").addEventListener("change", () => state.verdict && renderVerdict());
  $("print").addEventListener("click", () => window.print());
  const base = () => state.evidence && state.evidence.unit_id ? state.evidence.unit_id : $("ruleset").value;
  $("save-evidence").addEventListener("click", () => download(collect(), `${base()}-du-lieu.json`));
  $("save-verdict").addEventListener("click", () => download(state.verdict, `${base()}-ket-qua.json`));
  try {
    await Promise.all([loadRulesets(), loadExamples()]);
    await loadDefinition();
    if (params.get("example")) {
      $("example").value = params.get("example");
      await loadExample(params.get("example"));
    }
    if (params.get("example") || params.get("run")) await evaluate(true);
  } catch (problem) {
    showProblem(problem);
    document.body.setAttribute("data-state", "done");
  }
}

main();
