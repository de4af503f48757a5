// argmap serve: the page.  Everything it shows comes from the server's JSON
// endpoints; text is always set as text (never parsed as HTML).
"use strict";

const S = {
  voc: null,
  claims: [],
  files: [],
  proposal: null, // the proposal file's mapping, as edited
  name: "proposal.yaml", // the name messages show it under
  changes: { set: [], add: [], unset: [], open: [], reject: [], as_of: "" },
  focus: "",
  yaml: "", // the YAML text of the proposal last judged
  seq: 0,
};

// ------------------------------------------------------------------ helpers
function $(id) {
  return document.getElementById(id);
}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function clear(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

class ApiError extends Error {
  constructor(body) {
    super(body.error || "error");
    this.body = body;
  }
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const kind = response.headers.get("content-type") || "";
  if (!kind.startsWith("application/json")) {
    if (!response.ok) throw new ApiError({ error: `HTTP ${response.status}` });
    return response.blob();
  }
  const data = await response.json();
  if (!response.ok) throw new ApiError(data);
  return data;
}

function status(text) {
  $("status").textContent = text;
}

function showError(err) {
  const box = $("error");
  document.querySelectorAll(".field-error").forEach((e) => { e.hidden = true; e.textContent = ""; });
  document.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
  if (!err) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const body = err.body || { error: String(err) };
  const key = (body.key || "").split(/[.[]/)[0];
  const field = key && document.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
  if (field) {
    field.textContent = body.error;
    field.hidden = false;
    field.closest("fieldset, p, div")?.classList.add("invalid");
  }
  box.textContent = body.error;
  box.hidden = false;
}

function words(v, value) {
  return (v.words && v.words[value]) || String(value);
}

function componentOf(key) {
  return S.voc.components.find((c) => c.key === key);
}

function verdictOf(name) {
  return S.voc.verdicts.find((v) => v.name === name);
}

function claimQuote(id) {
  const c = S.claims.find((x) => x.id === id);
  return c ? c.quote : null;
}

// ------------------------------------------------------------------ the URL
function encodeState() {
  const state = { p: S.proposal, n: S.name, c: S.changes, f: S.focus };
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeState(text) {
  const plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(plain, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

const NAME = /^[A-Za-z0-9_/][A-Za-z0-9_./-]{0,199}$/;
const LISTS = ["set", "add", "unset", "open", "reject"];

function isPlain(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// A decoded link's view, every field checked by its type (and its value where the page knows the
// choices): what is valid is kept, the rest is left out and named in `dropped`.  A link is text anyone
// may write, so nothing in it is trusted to have the shape the page wrote.
function stateFromLink(state) {
  const out = { proposal: null, name: "proposal.yaml", changes: emptyChanges(), focus: "", dropped: [] };
  if (!isPlain(state)) {
    out.dropped.push("the whole view");
    return out;
  }
  if (state.p !== undefined && state.p !== null) {
    if (isPlain(state.p)) out.proposal = state.p;
    else out.dropped.push("the proposal");
  }
  if (state.n !== undefined) {
    if (typeof state.n === "string" && NAME.test(state.n) && !state.n.split("/").includes("..")) out.name = state.n;
    else out.dropped.push("the file name");
  }
  if (state.c !== undefined && state.c !== null) {
    if (!isPlain(state.c)) {
      out.dropped.push("the changes");
    } else {
      for (const [key, value] of Object.entries(state.c)) {
        if (LISTS.includes(key)) {
          if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
            out.changes[key] = [...new Set(value)];
          } else {
            out.dropped.push(`changes.${key}`);
          }
        } else if (key === "as_of") {
          if (value === "" || value === null) continue;
          if (typeof value === "string" && S.voc.dates.includes(value)) out.changes.as_of = value;
          else out.dropped.push("changes.as_of");
        } else {
          out.dropped.push(`changes.${key}`);
        }
      }
    }
  }
  if (state.f !== undefined && state.f !== null && state.f !== "") {
    if (typeof state.f === "string" && S.voc.verdicts.some((v) => v.name === state.f)) out.focus = state.f;
    else out.dropped.push("the map's focus");
  }
  return out;
}

function linkNotice(text) {
  $("link-notice").textContent = text || "";
  $("link-notice").hidden = !text;
}

function saveHash() {
  const hash = "#s=" + encodeState();
  history.replaceState(null, "", hash);
  $("share-link").value = location.href;
}

function emptyChanges() {
  return { set: [], add: [], unset: [], open: [], reject: [], as_of: "" };
}

// ------------------------------------------------------------------ the editor
function openKeys() {
  const open = S.proposal.open;
  if (Array.isArray(open)) return open.slice();
  if (open && typeof open === "object") return Object.keys(open);
  return [];
}

function setOpen(key, on) {
  let open = S.proposal.open;
  if (open && typeof open === "object" && !Array.isArray(open)) {
    if (on) open[key] = open[key] || "all";
    else delete open[key];
    if (!Object.keys(open).length) delete S.proposal.open;
    return;
  }
  open = Array.isArray(open) ? open.filter((k) => k !== key) : [];
  if (on) open.push(key);
  if (open.length) S.proposal.open = open;
  else delete S.proposal.open;
}

function textField(key, label, multiline) {
  const id = `field-${key}`;
  const value = S.proposal[key] === undefined || S.proposal[key] === null ? "" : String(S.proposal[key]);
  const input = multiline
    ? h("textarea", { id, rows: 2 }, value)
    : h("input", { id, value });
  input.addEventListener("input", () => {
    if (input.value.trim()) S.proposal[key] = input.value;
    else delete S.proposal[key];
    schedule();
  });
  return h("p", { class: "meta" }, h("label", { for: id, text: label }), input,
    h("span", { class: "error field-error", "data-error-for": key, hidden: true }));
}

function componentField(c) {
  const id = `comp-${c.key}`;
  const current = S.proposal[c.key];
  const isOpen = openKeys().includes(c.key);
  const help = h("span", { class: "doc", id: `${id}-doc`, text: c.doc });
  const error = h("span", { class: "error field-error", "data-error-for": c.key, hidden: true });
  if (c.arity === "many") {
    const chosen = current === undefined ? [] : Array.isArray(current) ? current : [current];
    const boxes = c.values.map((v) => {
      const box = h("input", { type: "checkbox", id: `${id}-${v.value}`, value: v.value, checked: chosen.includes(v.value) });
      box.addEventListener("change", () => {
        const now = c.values.map((x) => x.value).filter((x) => $(`${id}-${x}`).checked);
        if (now.length) S.proposal[c.key] = now;
        else delete S.proposal[c.key];
        schedule();
      });
      return h("label", { class: "check", title: v.doc || null }, box, " ", v.value);
    });
    const open = h("input", { type: "checkbox", id: `${id}-open`, checked: isOpen });
    open.addEventListener("change", () => { setOpen(c.key, open.checked); schedule(); });
    return h("fieldset", { class: "component", "data-key": c.key, "aria-describedby": `${id}-doc` },
      h("legend", { text: c.key }), help, h("div", { class: "checks" }, boxes,
        h("label", { class: "check open" }, open, " left open")), error);
  }
  const select = h("select", { id, "aria-describedby": `${id}-doc`, "data-key": c.key });
  select.append(h("option", { value: "" }, "— not provided —"), h("option", { value: "__open__" }, "— left open —"));
  for (const v of c.values) select.append(h("option", { value: v.value, title: v.doc || null }, v.value));
  if (isOpen) select.value = "__open__";
  else if (current === true || current === false) select.value = String(current);
  else if (current !== undefined && current !== null) select.value = String(current);
  select.addEventListener("change", () => {
    const value = select.value;
    setOpen(c.key, value === "__open__");
    if (value === "" || value === "__open__") delete S.proposal[c.key];
    else if (c.arity === "flag") S.proposal[c.key] = value === "true";
    else S.proposal[c.key] = value;
    schedule();
  });
  return h("p", { class: "component", "data-key": c.key }, h("label", { for: id, text: c.key }), select, help, error);
}

function renderEditor() {
  const form = $("editor");
  const fields = [textField("title", "title"), textField("source", "source", true)];
  if (S.voc.parts.includes("stances")) fields.push(textField("date", "judged as of (YYYY-MM-DD)"));
  if (S.proposal.phases) {
    fields.push(h("p", { class: "note" },
      `This proposal is a roadmap of ${S.proposal.phases.length} phases; the components below are its start, and each phase changes them as its file says.`));
  }
  fields.push(h("div", { class: "components" }, S.voc.components.map(componentField)));
  clear(form, fields);
}

// ------------------------------------------------------------------ verdicts
function verdictTable(text, passed) {
  return h("table", { class: "verdicts" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "verdict"), h("th", { scope: "col" }, "value"))),
    h("tbody", {}, S.voc.verdicts.map((v) => h("tr", { "data-verdict": v.name },
      h("th", { scope: "row", title: v.doc || null }, v.label + (v.gate ? " *" : "")),
      h("td", { class: "value" }, text[v.name] ?? "—")))),
    h("caption", {}, passed ? "passes the gate verdicts (*)" : "does not pass the gate verdicts (*)"));
}

function reasonItem(r) {
  return h("li", { class: "reason", "data-claim": r.claim },
    h("span", { class: "effect" }, r.effect === "pro" ? "+ " : r.effect === "con" ? "− " : ""),
    r.text, " ", h("code", { class: "claim-id" }, `[${r.claim}]`),
    r.quote ? h("q", { class: "quote" }, r.quote) : null,
    r.holds ? h("span", { class: "muted" }, ` (in ${r.holds} completions)`) : null);
}

function reasonGroups(reasons) {
  const out = [];
  for (const v of S.voc.verdicts) {
    const mine = reasons.filter((r) => r.verdict === v.name);
    if (!mine.length) continue;
    const effects = [...new Set(mine.map((r) => r.effect))];
    for (const e of effects) {
      out.push(h("h4", {}, (v.headings && v.headings[e]) || `${v.label}: ${e}`));
      out.push(h("ul", { class: "reasons" }, mine.filter((r) => r.effect === e).map(reasonItem)));
    }
  }
  return out;
}

function remarks(title, items) {
  if (!items || !items.length) return [];
  return [h("h3", {}, title), h("ul", { class: "reasons" }, items.map((w) =>
    h("li", {}, w.text, " ", h("code", { class: "claim-id" }, `[${w.claim}]`),
      w.quote ? h("q", { class: "quote" }, w.quote) : null,
      w.components ? h("span", { class: "muted" }, " — " + w.components.map((c) => `${c.key}=${c.value}`).join(", ")) : null)))];
}

function renderVerdict(data) {
  const v = data.verdict;
  const parts = [h("p", { class: "title" }, v.title, " ", h("code", {}, `[${v.proposal}]`)), verdictTable(v.text, v.passed)];
  parts.push(...remarks("Conflicts", v.conflicts));
  if (v.reasons.length) parts.push(h("h3", {}, "Reasons"), ...reasonGroups(v.reasons));
  parts.push(...remarks("Warnings", v.warnings), ...remarks("Notes", v.notes));
  if (data.completions_beyond) {
    parts.push(h("h3", {}, "Open aspects: which completions give which verdict"));
    parts.push(h("p", { class: "muted completions-beyond" },
      `Not worked out: the open aspects have more than ${data.completions_beyond.toLocaleString("en")} completions ` +
      "(a list left open has one for each subset of its values). Settle some of them, or try one in What if."));
  } else if (data.completions && data.completions.length) {
    parts.push(h("h3", {}, "Open aspects: which completions give which verdict"));
    parts.push(h("table", { class: "completions" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "verdict"), h("th", { scope: "col" }, "value and when"),
        h("th", { scope: "col" }, "completions"))),
      h("tbody", {}, data.completions.map((c) => h("tr", { "data-verdict": c.verdict, "data-value": c.value },
        h("th", { scope: "row" }, c.label), h("td", {}, c.text), h("td", {}, `${c.count} of ${c.total}`))))));
  }
  clear($("verdict-body"), parts);
}

// ------------------------------------------------------------------ what-if
function changeCount() {
  const c = S.changes;
  return c.set.length + c.add.length + c.unset.length + c.open.length + c.reject.length + (c.as_of ? 1 : 0);
}

function renderChanges() {
  const items = [];
  for (const op of ["set", "add", "unset", "open", "reject"]) {
    S.changes[op].forEach((text, i) => {
      const label = op === "reject" ? `reject claim ${text}` : `${op} ${text}`;
      items.push(h("li", {}, label, " ", h("button", {
        type: "button", class: "small", "aria-label": `remove the change: ${label}`,
        onclick: () => {
          S.changes[op].splice(i, 1);
          if (op === "reject") renderClaims();
          renderChanges();
          schedule();
        },
      }, "remove")));
    });
  }
  if (S.changes.as_of) items.push(h("li", {}, `stances as of ${S.changes.as_of}`));
  clear($("change-list"), items);
}

function fillChangeValues() {
  const c = componentOf($("change-key").value);
  const op = $("change-op").value;
  const select = $("change-value");
  const options = [];
  if (op === "unset" || op === "open") options.push(h("option", { value: "" }, op === "open" ? "any value" : "every value"));
  if (c) for (const v of c.values) options.push(h("option", { value: v.value }, v.value));
  clear(select, options);
}

function addChange() {
  const key = $("change-key").value;
  const op = $("change-op").value;
  const value = $("change-value").value;
  if (!key) return;
  if ((op === "set" || op === "add") && !value) return;
  const text = value ? `${key}=${value}` : key;
  if (!S.changes[op].includes(text)) S.changes[op].push(text);
  renderChanges();
  schedule();
}

function renderWhatif(data) {
  if (!data) {
    clear($("whatif-body"), h("p", { class: "muted" }, "No change yet: add one above, or reject a claim in the list of claims."));
    return;
  }
  const flipped = new Map(data.flips.map((f) => [f.verdict, f]));
  const rows = S.voc.verdicts.map((v) => h("tr", { class: flipped.has(v.name) ? "flipped" : "", "data-verdict": v.name },
    h("th", { scope: "row" }, v.label),
    h("td", {}, data.before.text[v.name]), h("td", {}, data.after.text[v.name]),
    h("td", {}, flipped.has(v.name) ? "flipped" : "")));
  const parts = [
    h("p", {}, "What if: ", data.described.join("; ")),
    h("table", { class: "whatif" }, h("thead", {}, h("tr", {}, ["verdict", "before", "after", ""].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)),
  ];
  for (const f of data.flips) {
    const v = verdictOf(f.verdict);
    parts.push(h("h4", {}, `${v ? v.label : f.verdict}: ${words(v || {}, f.before)} → ${words(v || {}, f.after)}`));
    if (f.gone.length) parts.push(h("p", { class: "muted" }, "no longer:"), h("ul", { class: "reasons gone" }, f.gone.map(reasonItem)));
    if (f.new.length) parts.push(h("p", { class: "muted" }, "now:"), h("ul", { class: "reasons new" }, f.new.map(reasonItem)));
  }
  parts.push(...remarks("Conflicts resolved", data.conflicts_gone), ...remarks("New conflicts", data.conflicts_new));
  clear($("whatif-body"), parts);
}

// ------------------------------------------------------------------ repair
function renderRepairForm() {
  clear($("goal-list"), S.voc.verdicts.map((v) => {
    const box = h("input", { type: "checkbox", id: `goal-${v.name}`, value: v.name });
    const parts = [h("label", { class: "check" }, box, " ", v.label)];
    if (v.kind === "level") {
      const level = h("select", { id: `goal-level-${v.name}`, "aria-label": `${v.label} at least` },
        h("option", { value: "" }, "good"), v.values.map((x) => h("option", { value: x }, `at least ${words(v, x)}`)));
      parts.push(level);
    }
    return h("span", { class: "goal" }, parts);
  }));
  clear($("keep-list"), S.voc.components.map((c) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", id: `keep-${c.key}`, value: c.key }), " ", c.key)));
}

async function runRepair(event) {
  event.preventDefault();
  const goals = [];
  for (const v of S.voc.verdicts) {
    if (!$(`goal-${v.name}`).checked) continue;
    const level = $(`goal-level-${v.name}`);
    goals.push(level && level.value ? `${v.name}=${level.value}` : v.name);
  }
  const keep = S.voc.components.map((c) => c.key).filter((k) => $(`keep-${k}`).checked);
  const body = { proposal: S.proposal, name: S.name, goals, keep };
  const max = $("max-changes").value;
  if (max !== "") body.max_changes = Number(max);
  status("Looking for the smallest change…");
  try {
    const data = await api("/api/repair", body);
    showError(null);
    renderRepair(data);
    status("Done.");
  } catch (err) {
    showError(err);
    status("The repair could not run.");
  }
}

function renderRepair(data) {
  const parts = [h("p", {}, `Goal: ${data.goals.join(" and ")}` + (data.keep.length ? `; keeping ${data.keep.join(", ")}` : ""))];
  if (!data.found) {
    parts.push(h("p", { class: "fail" }, "No repair reaches these goals" +
      (data.blocked_by.length ? `; forbidden by: ${data.blocked_by.join(", ")}` : ".")));
  }
  const list = h("ol", { class: "repairs" });
  data.repairs.forEach((r, i) => {
    const after = r.after ? S.voc.verdicts.map((v) => `${v.label} ${r.after.text[v.name]}`).join(", ") : "";
    list.append(h("li", { class: "repair" },
      h("ul", {}, r.described.map((d) => h("li", {}, h("code", {}, d)))),
      h("p", { class: "muted" }, `${r.components_changed} component(s) changed, cost ${r.cost}. Then: ${after}`),
      h("button", { type: "button", class: "small", id: `apply-repair-${i + 1}`, onclick: () => applyRepair(r) }, "Apply this change")));
  });
  parts.push(list);
  clear($("repair-body"), parts);
}

function applyRepair(r) {
  S.proposal = r.proposal;
  renderEditor();
  schedule(0);
  $("verdicts").focus();
}

// ------------------------------------------------------------------ map
function renderMap(data) {
  if (!data) {
    clear($("map-body"));
    return;
  }
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const into = new Map();
  for (const e of data.edges) {
    if (!into.has(e.target)) into.set(e.target, []);
    into.get(e.target).push(e);
  }
  const mark = (n) => n.defeated ? "defeated" : n.holds === "all" ? "holds" : n.holds === "some" ? "holds in some completions" : n.holds === "none" ? "does not hold" : "";
  function item(node, edge, seen) {
    const quote = node.kind === "claim" ? node.quote : null;
    const label = h("span", { class: `node ${node.kind} holds-${node.holds || "na"}${node.defeated ? " defeated" : ""}`, title: quote || node.rules.join(", ") || null, tabindex: quote ? 0 : null },
      edge ? h("span", { class: `edge ${edge.kind}${edge.fired ? " fired" : ""}` }, edge.kind === "attack" ? "attacks: " : "supports: ") : null,
      node.kind === "claim" ? h("code", { class: "claim-id" }, `[${node.claim}] `) : null,
      node.label, " ", h("span", { class: "mark" }, `(${mark(node)})`),
      quote ? h("q", { class: "quote hover" }, quote) : null);
    const children = seen.has(node.id) ? [] : (into.get(node.id) || []);
    const next = new Set(seen).add(node.id);
    return h("li", {}, label, children.length ? h("ul", {}, children.map((e) => item(byId.get(e.source), e, next))) : null);
  }
  const roots = data.nodes.filter((n) => n.kind === "verdict" && (!data.focus || n.group === data.focus));
  clear($("map-body"), h("ul", { class: "map" }, roots.map((n) => item(n, null, new Set()))));
}

// ------------------------------------------------------------------ claims
function renderClaims() {
  const query = $("claim-search").value.trim().toLowerCase();
  const shown = S.claims.filter((c) => !query || [c.id, c.kind, c.paraphrase, c.quote, ...c.caveats.map((k) => k.text)].join(" ").toLowerCase().includes(query));
  clear($("claim-list"), shown.map((c) => {
    const box = h("input", { type: "checkbox", id: `reject-${c.id}`, checked: S.changes.reject.includes(c.id) });
    box.addEventListener("change", () => {
      S.changes.reject = S.changes.reject.filter((x) => x !== c.id);
      if (box.checked) S.changes.reject.push(c.id);
      renderChanges();
      schedule();
    });
    return h("li", { class: "claim", "data-claim": c.id },
      h("p", {}, h("code", { class: "claim-id" }, c.id), " ", h("span", { class: "muted" }, c.kind), " ", c.paraphrase),
      h("blockquote", {}, c.quote),
      c.caveats.length ? h("ul", { class: "caveats" }, c.caveats.map((k) => h("li", {}, `${k.kind}: ${k.text}`))) : null,
      h("label", { class: "check no-print" }, box, " reject this claim"));
  }));
}

// ------------------------------------------------------------------ judging
let timer = null;

function schedule(delay = 150) {
  clearTimeout(timer);
  timer = setTimeout(refresh, delay);
}

async function refresh() {
  const seq = ++S.seq;
  saveHash();
  const body = { proposal: S.proposal, name: S.name };
  status("Judging…");
  try {
    const data = await api("/api/check", body);
    if (seq !== S.seq) return;
    S.yaml = data.yaml;
    renderVerdict(data);
    const whatif = changeCount() ? await api("/api/whatif", { ...body, changes: S.changes }) : null;
    if (seq !== S.seq) return;
    renderWhatif(whatif);
    showError(null);
    status(`Judged: ${data.verdict.passed ? "passes" : "does not pass"} the gate verdicts.`);
    if ($("map-details").open) refreshMap();
  } catch (err) {
    if (seq !== S.seq) return;
    showError(err);
    status("Not judged: see the error.");
  }
}

let mapSeq = 0;

async function refreshMap() {
  const mine = ++mapSeq; // only the latest map asked for is drawn
  clear($("map-body"), h("p", { class: "muted" }, "Drawing the map…"));
  try {
    const map = await api("/api/map", { proposal: S.proposal, name: S.name, focus: S.focus || null });
    if (mine === mapSeq) renderMap(map);
  } catch (err) {
    if (mine === mapSeq) clear($("map-body"), h("p", { class: "error" }, (err.body && err.body.error) || String(err)));
  }
}

// ------------------------------------------------------------------ loading and saving
function useProposal(mapping, name) {
  S.proposal = mapping;
  S.name = name;
  renderEditor();
  schedule(0);
}

async function loadFile(name) {
  try {
    const data = await api(`/api/proposals/${encodeURIComponent(name)}`);
    $("yaml-text").value = data.yaml;
    useProposal(data.proposal, data.file.startsWith("/") ? data.name : data.file);
  } catch (err) {
    showError(err);
  }
}

async function useYaml() {
  const text = $("yaml-text").value;
  try {
    const data = await api("/api/check", { yaml: text, name: "pasted.yaml" });
    $("yaml-error").hidden = true;
    useProposal(data.proposal, "pasted.yaml");
  } catch (err) {
    $("yaml-error").textContent = (err.body && err.body.error) || String(err);
    $("yaml-error").hidden = false;
  }
}

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, class: "hidden-link" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function stem() {
  const base = S.name.split("/").pop().replace(/\.ya?ml$/, "");
  return (S.proposal && S.proposal.id) || base || "proposal";
}

async function downloadYaml() {
  try {
    const data = await api("/api/check", { proposal: S.proposal, name: S.name });
    download(new Blob([data.yaml], { type: "application/yaml" }), `${stem()}.yaml`);
    status("Downloaded the proposal as YAML.");
  } catch (err) {
    showError(err);
  }
}

async function exportReport() {
  try {
    status("Writing the report…");
    const blob = await api("/api/report", { proposal: S.proposal, name: S.name });
    download(blob, `${stem()}-report.html`);
    status("Downloaded the report.");
  } catch (err) {
    showError(err);
  }
}

function blank() {
  return { title: "A new proposal", source: "Written in argmap serve." };
}

// ------------------------------------------------------------------ start
async function start() {
  try {
    [S.voc, S.claims, S.files] = await Promise.all([api("/api/vocabulary"), api("/api/claims"), api("/api/proposals")]);
  } catch (err) {
    showError(err);
    status("The knowledge base could not be read.");
    return;
  }
  $("kb-summary").textContent = `— ${S.voc.components.length} components, ${S.voc.claims} claims; verdicts: ${S.voc.verdicts.map((v) => v.label).join(", ")}`;
  clear($("proposal-file"), S.files.length
    ? S.files.map((f) => h("option", { value: f.name, disabled: !!f.error }, f.title ? `${f.title} (${f.name})` : `${f.name}: ${f.error}`))
    : [h("option", { value: "" }, "(no proposal files)")]);
  clear($("change-key"), S.voc.components.map((c) => h("option", { value: c.key }, c.key)));
  fillChangeValues();
  if (S.voc.parts.includes("stances") && S.voc.dates.length) {
    clear($("as-of"), h("option", { value: "" }, "as recorded"), S.voc.dates.map((d) => h("option", { value: d }, d)));
  } else {
    $("as-of-box").hidden = true;
  }
  clear($("map-focus"), h("option", { value: "" }, "every verdict"), S.voc.verdicts.map((v) => h("option", { value: v.name }, v.label)));
  renderRepairForm();

  $("load-file").addEventListener("click", () => { if ($("proposal-file").value) loadFile($("proposal-file").value); });
  $("new-proposal").addEventListener("click", () => useProposal(blank(), "proposal.yaml"));
  $("use-yaml").addEventListener("click", useYaml);
  $("download-yaml").addEventListener("click", downloadYaml);
  $("export-report").addEventListener("click", exportReport);
  $("change-key").addEventListener("change", fillChangeValues);
  $("change-op").addEventListener("change", fillChangeValues);
  $("add-change").addEventListener("click", addChange);
  $("as-of").addEventListener("change", () => { S.changes.as_of = $("as-of").value; renderChanges(); schedule(); });
  $("repair-form").addEventListener("submit", runRepair);
  $("map-focus").addEventListener("change", () => { S.focus = $("map-focus").value; saveHash(); refreshMap(); });
  $("map-details").addEventListener("toggle", () => { if ($("map-details").open) refreshMap(); });
  $("claim-search").addEventListener("input", renderClaims);
  $("editor").addEventListener("submit", (e) => e.preventDefault());

  let restored = false;
  if (location.hash.startsWith("#s=")) {
    let state = null;
    try {
      state = stateFromLink(decodeState(location.hash.slice(3)));
    } catch (err) {
      linkNotice("The link's view could not be read; starting afresh.");
    }
    if (state) {
      S.changes = state.changes;
      S.focus = state.focus;
      $("map-focus").value = S.focus;
      $("as-of").value = S.changes.as_of;
      if (state.dropped.length) {
        linkNotice(`Parts of the link's view could not be read and were left out: ${state.dropped.join(", ")}.`);
      }
      if (state.proposal) {
        renderClaims();
        renderChanges();
        useProposal(state.proposal, state.name);
        restored = true;
      }
    }
  }
  if (!restored) {
    renderClaims();
    renderChanges();
    const first = S.files.find((f) => !f.error);
    if (first) {
      $("proposal-file").value = first.name;
      await loadFile(first.name);
    } else {
      useProposal(blank(), "proposal.yaml");
    }
  }
}

document.addEventListener("DOMContentLoaded", start);
