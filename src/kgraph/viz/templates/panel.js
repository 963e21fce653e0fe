/* kgraph network panel: the side panel's actor, relation and evidence views and the search
 * suggestions, one copy for both network pages: the offline page (network.js, inlined after this
 * file by kgraph/viz/page.py) and the web app's /network (network-app.js, which kgraph serve gives
 * this file to as lib/panel.js). All data reaches the DOM through textContent only: nothing from
 * data is ever parsed as HTML. */

/* The panel's builders for one page. `page` is what differs between the two:
 *   panel        the <aside> the views fill
 *   actors       actor id -> details; edgeInfo: edge id -> relation with its evidence (both read when a view is built)
 *   kindColour(kind), edgeColour(eid), kindLabel(kind)
 *   selectActor(id), selectEdge(eid)   what a link in the panel opens */
function kgraphPanel(page) {
  "use strict";

  const actors = page.actors;
  const edgeInfo = page.edgeInfo;

  // ---- small DOM helpers (text only) ----------------------------------------
  function h(tag, attrs) {
    const el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      const v = attrs[k];
      if (k === "class") el.className = v;
      else if (k === "onclick") el.addEventListener("click", v);
      else if (k === "colour") el.style.background = v;
      else el.setAttribute(k, v);
    });
    for (let i = 2; i < arguments.length; i++) {
      const c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }
  function dot(colour) { return h("span", { class: "kg-dot", colour: colour, "aria-hidden": "true" }); }
  function actorLabel(id) { return actors[id] ? actors[id].label : id; }
  function actorLink(id) {
    if (!actors[id]) return document.createTextNode(id);
    return h("button", { class: "kg-link", type: "button", onclick: function () { page.selectActor(id); } }, actorLabel(id));
  }
  function edgeLink(eid, text) {
    return h("button", { class: "kg-link", type: "button", onclick: function () { page.selectEdge(eid); } }, text);
  }
  function show() {
    page.panel.replaceChildren.apply(page.panel, arguments);
    page.panel.scrollTop = 0;
  }

  // One row of a search box's suggestion list; pick() when it is chosen.
  function option(id, a, selected, pick) {
    const li = h("li", { role: "option", "aria-selected": String(selected), "data-id": id },
      dot(page.kindColour(a.kind)), a.label, " ", h("span", { class: "kg-alias" }, page.kindLabel(a.kind)));
    li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(); });
    return li;
  }

  // ---- an actor ----------------------------------------------------------------
  // Its heading, description, background, names and Wikidata link: the page adds its relations.
  function actorParts(id) {
    const a = actors[id];
    const parts = [h("h2", {}, dot(page.kindColour(a.kind)), a.label),
      h("p", { class: "kg-sub" }, page.kindLabel(a.kind) + (a.type !== a.kind ? " (" + a.type + ")" : ""))];
    if (a.description) parts.push(h("p", {}, a.description));
    if (a.background && a.background.length) {
      const bg = h("ul", { class: "kg-background" });
      a.background.forEach(function (b) {
        const src = /^https?:\/\//.test(b.source)
          ? h("a", { href: b.source, target: "_blank", rel: "noopener noreferrer" }, b.source) : b.source;
        bg.append(h("li", {}, b.text, h("span", { class: "kg-meta" }, " \u2014 source: ", src)));
      });
      parts.push(h("h3", {}, "Background (not from the thread)"), bg);
    }
    const langs = Object.keys(a.labels || {});
    if (langs.length) {
      const dl = h("dl", {});
      langs.forEach(function (lang) { dl.append(h("dt", {}, lang), h("dd", {}, a.labels[lang])); });
      parts.push(h("h3", {}, "Names"), dl);
    }
    if (a.aliases && a.aliases.length) parts.push(h("h3", {}, "Also written"), h("p", { class: "kg-aliases" }, a.aliases.join(", ")));
    if (/^Q[0-9]+$/.test(a.wikidata || "")) {
      parts.push(h("h3", {}, "Wikidata"), h("p", {}, h("a", {
        href: "https://www.wikidata.org/wiki/" + a.wikidata, target: "_blank", rel: "noopener noreferrer",
      }, a.wikidata)));
    }
    return parts;
  }

  // The relations `eids` of actor `id`, each a link to its evidence.
  function relationList(id, eids) {
    const list = h("ul", { class: "kg-relations" });
    eids.forEach(function (eid) {
      const e = edgeInfo[eid];
      const out = e.from === id;
      const text = (out ? "\u2192 " : "\u2190 ") + e.label + " \u00b7 " + actorLabel(out ? e.to : e.from);
      list.append(h("li", {}, dot(page.edgeColour(eid)), h("span", {}, edgeLink(eid, text),
        e.stated ? null : h("span", { class: "kg-meta" }, " (speculated or reported)"))));
    });
    return list;
  }

  // ---- a relation and its evidence -------------------------------------------------
  // As kgraph show prints them: "immediate damage: 100,000,000 USD", a range as min–max.
  function quantityText(q) {
    const n = function (x) { return Number(x).toLocaleString("en-US"); };
    const amount = q.value != null ? n(q.value)
      : q.min != null && q.max != null ? n(q.min) + "\u2013" + n(q.max)
      : q.min != null ? "at least " + n(q.min) : "at most " + n(q.max);
    return q.what + ": " + amount + " " + q.unit;
  }

  function evidenceBlock(ev) {
    const weak = ev.modality === "speculated" || ev.modality === "reported";
    const dl = h("dl", {});
    function row(term, value) { if (value) dl.append(h("dt", {}, term), h("dd", {}, value)); }
    row("asserted by", ev.byId && actors[ev.byId] ? actorLink(ev.byId) : ev.by);
    row("time", [ev.when, ev.from && "from " + ev.from, ev.until && "until " + ev.until, ev.period]
      .filter(Boolean).join(" \u00b7 "));
    row("note", ev.note);
    row("figures", (ev.quantities || []).map(quantityText).join("; "));
    row("claim", ev.claim);
    return h("div", { class: "kg-evidence" + (weak ? " kg-weak" : "") },
      h("div", { class: "kg-meta" }, h("strong", {}, "Post " + ev.post), ev.dataset ? " \u00b7 " + ev.dataset : "", " ",
        h("span", { class: "kg-badge kg-" + ev.modality }, ev.modality)),
      h("blockquote", {}, "\u201c" + ev.quote + "\u201d"), dl);
  }

  function showEdge(eid) {
    const e = edgeInfo[eid];
    const parts = [
      h("h2", {}, actorLink(e.from), " \u2014 " + e.label + " \u2192 ", actorLink(e.to)),
      h("p", { class: "kg-sub" }, dot(page.edgeColour(eid)), e.family + " \u00b7 de: " + e.labelDe),
    ];
    if (!e.stated) parts.push(h("p", {}, "Dashed: every piece of evidence for this link is speculated or reported."));
    parts.push(h("h3", {}, "Evidence (" + e.evidence.length + ")"));
    e.evidence.forEach(function (ev) { parts.push(evidenceBlock(ev)); });
    show.apply(null, parts);
  }

  // A relation on a path: its line, then its first piece of evidence.
  function hopRows(eid) {
    const e = edgeInfo[eid];
    return [h("div", {}, dot(page.edgeColour(eid)), actorLink(e.from), " ", edgeLink(eid, "\u2014 " + e.label + " \u2192"), " ", actorLink(e.to))]
      .concat(e.evidence.slice(0, 1).map(function (ev) {
        return h("div", { class: "kg-meta" }, "Post " + ev.post + " (" + ev.modality + "): \u201c" + ev.quote + "\u201d");
      }));
  }

  return { h: h, show: show, actorLabel: actorLabel, option: option, actorParts: actorParts, relationList: relationList,
    showEdge: showEdge, hopRows: hopRows };
}
