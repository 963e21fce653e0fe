// The endpoint's page: pick or write a query, see the answer as a table.
// Everything from the server is inserted as text (textContent), never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const PREFIXES = {
  "https://kgraph.example/id/actor/": "actor:",
  "https://kgraph.example/id/post/": "post:",
  "https://kgraph.example/id/claim/": "claim:",
  "https://kgraph.example/ns#": "kg:",
};
let named = [];

function short(iri) {
  for (const [ns, prefix] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  }
  return iri;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.textContent = short(term.value);
    td.title = term.value;
  } else {
    td.textContent = term.value;
    const tag = term["xml:lang"] ? "@" + term["xml:lang"] : "";
    if (tag) {
      const small = document.createElement("small");
      small.textContent = " " + tag;
      td.appendChild(small);
    }
  }
  return td;
}

function table(data) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) row.appendChild(cell(binding[name]));
  }
  return t;
}

async function run(event) {
  event.preventDefault();
  const answer = $("answer"), error = $("error");
  answer.replaceChildren();
  error.hidden = true;
  $("run").disabled = true;
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: $("query").value,
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
      const pre = document.createElement("pre");
      pre.textContent = text;
      answer.appendChild(pre);
      $("timing").textContent = ms + " ms";
      return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) {
      const p = document.createElement("p");
      p.textContent = "Answer: " + data.boolean;
      answer.appendChild(p);
      $("timing").textContent = ms + " ms";
      return;
    }
    answer.appendChild(table(data));
    const n = data.results.bindings.length;
    $("timing").textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
  } catch (e) {
    error.textContent = String(e);
    error.hidden = false;
  } finally {
    $("run").disabled = false;
  }
}

function pick() {
  const chosen = named.find((q) => q.name === $("named").value);
  $("description").textContent = chosen ? chosen.description : "";
  if (chosen) $("query").value = chosen.sparql;
}

async function start() {
  $("form").addEventListener("submit", run);
  $("named").addEventListener("change", pick);
  try {
    named = await (await fetch("queries")).json();
    for (const q of named) {
      const option = document.createElement("option");
      option.value = q.name;
      option.textContent = q.title;
      $("named").appendChild(option);
    }
    const health = await (await fetch("health")).json();
    $("status").textContent = "Read-only SPARQL 1.1 endpoint at /sparql over " + health.store +
      "; queries stop after " + health.timeout + " s" +
      (health.max_rows ? "; at most " + health.max_rows + " rows." : ".");
  } catch (e) {
    $("status").textContent = "Could not reach the server: " + e;
  }
}

start();
