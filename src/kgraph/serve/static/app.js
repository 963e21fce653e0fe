// The web app's query page: a SPARQL editor (CodeMirror 5, bundled), the named queries, answers as a
// table of labels and links, CSV/JSON download, the query in the URL so a link reproduces it.
// Everything from the server is inserted as text (textContent), never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const SHOWN_ROWS = 1000;  // a longer answer is cut on the page (the downloads have it all)
const LABEL_BATCH = 300;  // IRIs whose labels are asked for in one query
let prefixes = {};  // name -> namespace, as the server binds them
let named = [];
let editor = null;
let kgTerms = null;  // local names in kg:, fetched on the first completion that needs them

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") el.className = v; else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

function short(iri) {
  let best = null;
  for (const [name, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && /^[\w-]*$/.test(iri.slice(ns.length)) && (!best || ns.length > best[1].length)) best = [name, ns];
  }
  return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
}

function pageLink(query) { return "?query=" + encodeURIComponent(query); }
// IRIs that may go between <> in a query; others are shown but neither described nor labelled.
const SAFE_IRI = /^[^<>"{}|^`\\\s]+$/;

// ---- the answer ------------------------------------------------------------
function iriCell(iri) {
  const td = h("td", { "data-iri": iri });
  const text = short(iri);
  if (!SAFE_IRI.test(iri)) { td.append(text); return td; }
  const describe = "SELECT ?property ?value WHERE {\n  <" + iri + "> ?property ?value .\n}\nORDER BY ?property ?value";
  td.append(h("a", { href: pageLink(describe), title: iri, class: "iri" }, text));
  const actor = prefixes.actor && iri.startsWith(prefixes.actor) ? iri.slice(prefixes.actor.length) : null;
  if (actor) {
    td.append(" ", h("a", { href: "network?actor=" + encodeURIComponent(actor), class: "to-network",
      title: "Show in the network" }, "network"));
  }
  return td;
}

function cell(term) {
  if (!term) return h("td");
  if (term.type === "uri") return iriCell(term.value);
  if (term.type === "bnode") return h("td", { class: "bnode" }, "_:" + term.value);
  const td = h("td", {}, term.value);
  if (term["xml:lang"]) td.append(h("span", { class: "lang", title: "language" }, term["xml:lang"]));
  else if (term.datatype) td.title = short(term.datatype);
  return td;
}

function table(data) {
  const head = h("tr", {}, ...data.head.vars.map((name) => h("th", {}, name)));
  const body = h("tbody");
  for (const binding of data.results.bindings.slice(0, SHOWN_ROWS)) {
    body.append(h("tr", {}, ...data.head.vars.map((name) => cell(binding[name]))));
  }
  return h("table", { id: "results" }, h("thead", {}, head), body);
}

// The best label per IRI: English, then no language, then any.
function pickLabels(bindings) {
  const rank = (term) => (term["xml:lang"] === "en" ? 0 : !term["xml:lang"] ? 1 : 2);
  const best = {};
  for (const b of bindings) {
    const old = best[b.s.value];
    if (!old || rank(b.label) < rank(old) || (rank(b.label) === rank(old) && b.label.value < old.value)) best[b.s.value] = b.label;
  }
  return best;
}

async function addLabels(tableEl) {
  const cells = Array.from(tableEl.querySelectorAll("td[data-iri] a.iri"));
  const iris = [...new Set(cells.map((a) => a.parentElement.dataset.iri))];
  const labels = {};
  for (let i = 0; i < iris.length; i += LABEL_BATCH) {
    const values = iris.slice(i, i + LABEL_BATCH).map((iri) => "<" + iri + ">").join(" ");
    const query = "SELECT ?s ?label WHERE { VALUES ?s { " + values + " } ?s rdfs:label|skos:prefLabel ?label }";
    const response = await fetch("sparql", { method: "POST", body: query, headers: {
      "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" } });
    if (!response.ok) return;  // the raw ids stay: still correct, only less readable
    Object.assign(labels, pickLabels((await response.json()).results.bindings));
  }
  for (const a of cells) {
    const label = labels[a.parentElement.dataset.iri];
    if (label) { a.textContent = label.value; a.title = short(a.parentElement.dataset.iri) + "\n" + a.parentElement.dataset.iri; }
  }
}

function setDownloads(query, graph) {
  const kinds = graph ? [["ttl", "Turtle", "ttl"], ["jsonld", "JSON-LD", "jsonld"]] : [["csv", "CSV", "csv"], ["json", "JSON", "json"]];
  [$("download-csv"), $("download-json")].forEach((a, i) => {
    const [fmt, text, ext] = kinds[i];
    a.href = "sparql?query=" + encodeURIComponent(query) + "&format=" + fmt;
    a.download = "kgraph-answer." + ext;
    a.textContent = text;
  });
  $("downloads").hidden = false;
}

async function run(event) {
  if (event) event.preventDefault();
  const query = editor ? editor.getValue() : $("query").value;
  const answer = $("answer"), error = $("error");
  answer.replaceChildren();
  delete answer.dataset.done;
  error.hidden = true;
  $("downloads").hidden = true;
  $("run").disabled = true;
  history.replaceState(null, "", pageLink(query));
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: query,
    });
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      error.textContent = response.status + " " + response.statusText + ": " + text;
      error.hidden = false;
      $("timing").textContent = "";
      return;
    }
    if ((response.headers.get("Content-Type") || "").startsWith("text/turtle")) {
      answer.append(h("pre", {}, text));
      $("timing").textContent = ms + " ms";
      setDownloads(query, true);
      return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) {
      answer.append(h("p", { class: "boolean" }, "Answer: " + data.boolean));
      $("timing").textContent = ms + " ms";
      return;
    }
    const n = data.results.bindings.length;
    const t = table(data);
    answer.append(t);
    if (n > SHOWN_ROWS) answer.append(h("p", { class: "hint" }, "The first " + SHOWN_ROWS + " rows are shown; the downloads have all " + n + "."));
    $("timing").textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
    setDownloads(query, false);
    await addLabels(t);
  } catch (e) {
    error.textContent = String(e);
    error.hidden = false;
  } finally {
    $("run").disabled = false;
    answer.dataset.done = "1";
  }
}

// ---- completion: prefixes, kg: terms, actor: ids ------------------------------
async function fetchKgTerms() {
  const query = "SELECT DISTINCT ?t WHERE { ?t ?p ?o FILTER(STRSTARTS(STR(?t), \"" + prefixes.kg + "\")) } ORDER BY ?t LIMIT 5000";
  const response = await fetch("sparql", { method: "POST", body: query, headers: {
    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" } });
  if (!response.ok) return [];
  return (await response.json()).results.bindings.map((b) => b.t.value.slice(prefixes.kg.length));
}

function complete(cm, callback) {
  const cursor = cm.getCursor();
  const before = cm.getLine(cursor.line).slice(0, cursor.ch);
  const m = /(?:^|[^\w:-])([A-Za-z][\w-]*)?(:?)([\w-]*)$/.exec(before);
  if (!m) return callback(null);
  const [, name = "", colon, local] = m;
  const from = CodeMirror.Pos(cursor.line, cursor.ch - name.length - colon.length - local.length);
  const to = cursor;
  const answer = (list) => callback(list.length ? { list: list, from: from, to: to } : null);
  if (!colon) {
    return answer(Object.keys(prefixes).filter((p) => p.startsWith(name.toLowerCase())).map((p) => p + ":"));
  }
  if (name === "kg") {
    (kgTerms ? Promise.resolve(kgTerms) : fetchKgTerms().then((t) => (kgTerms = t))).then((terms) =>
      answer(terms.filter((t) => t.toLowerCase().startsWith(local.toLowerCase())).slice(0, 50).map((t) => "kg:" + t)));
    return;
  }
  if (name === "actor" && local.length >= 2) {
    fetch("api/actors?q=" + encodeURIComponent(local)).then((r) => r.json()).then((found) =>
      answer(found.map((a) => ({ text: "actor:" + a.id, displayText: "actor:" + a.id + " \u2014 " + a.label }))));
    return;
  }
  return callback(null);
}
complete.async = true;

function startEditor() {
  editor = CodeMirror.fromTextArea($("query"), {
    mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2, viewportMargin: Infinity,
    extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run(), "Ctrl-Space": "autocomplete" },
    hintOptions: { hint: complete, completeSingle: false },
  });
  // A prefix name followed by ':' offers its terms at once.
  editor.on("inputRead", (cm, change) => {
    if (change.text.join("") === ":" && !cm.state.completionActive) cm.showHint();
  });
}

// ---- named queries, start -----------------------------------------------------
function pick() {
  const chosen = named.find((q) => q.name === $("named").value);
  $("description").textContent = chosen ? chosen.description : "";
  if (chosen) editor.setValue(chosen.sparql);
}

async function start() {
  startEditor();
  $("form").addEventListener("submit", run);
  $("named").addEventListener("change", pick);
  try {
    [prefixes, named] = await Promise.all([fetch("api/prefixes").then((r) => r.json()), fetch("api/queries").then((r) => r.json())]);
    $("prefix-list").textContent = Object.keys(prefixes).map((p) => p + ":").join(", ");
    for (const q of named) $("named").append(h("option", { value: q.name }, q.title));
    const health = await (await fetch("health")).json();
    $("status").textContent = "Read-only SPARQL 1.1 endpoint at /sparql over " + health.store +
      "; queries stop after " + health.timeout + " s" + (health.max_rows ? "; at most " + health.max_rows + " rows." : ".");
  } catch (e) {
    $("status").textContent = "Could not reach the server: " + e;
  }
  const shared = new URLSearchParams(location.search).get("query");
  if (shared) { editor.setValue(shared); await run(); }
  document.documentElement.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", start);
