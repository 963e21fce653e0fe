/* The served network (/network): the offline page's panel, search and path tool, but the graph
 * comes from the store piece by piece (/api/actors, /api/neighbours, /api/path), so it works on
 * graphs too large for one HTML file. The panel's views are the offline page's (lib/panel.js,
 * kgraph/viz/templates/panel.js), loaded before this script.
 * All data reaches the DOM through textContent only: nothing from data is parsed as HTML. */
(function () {
  "use strict";

  const actors = {};  // id -> actor details (the offline page's "actors")
  const edgeInfo = {};  // edge id -> relation with its evidence (the offline page's "edgeInfo")
  const edgesOf = {};  // actor id -> ids of its relations drawn
  const expanded = {};  // actors whose neighbours have been fetched
  let style = null, network = null, nodes = null, edges = null;
  const panel = document.getElementById("kg-panel");
  const tooltip = document.getElementById("kg-tooltip");
  const status = document.getElementById("kg-stats");
  const MUTED = "#e4e4e4";
  const LABEL_MAX_CHARS = 100;  // as LABEL_MAX_CHARS in kgraph/viz/page.py

  function kindColour(kind) { return (style.options.groups[kind] || style.options.groups.other).color.background; }
  function familyColour(family) { return style.familyColours[family] || style.familyColours.other; }
  const ui = kgraphPanel({
    panel: panel, actors: actors, edgeInfo: edgeInfo, kindColour: kindColour,
    edgeColour: function (eid) { return familyColour(edgeInfo[eid].family); },
    kindLabel: function (kind) { return style.kindLabels[kind] || kind; },
    selectActor: selectActor, selectEdge: selectEdge,
  });
  const h = ui.h, show = ui.show, actorLabel = ui.actorLabel, showEdge = ui.showEdge;
  function showError(message) { show(h("h2", {}, "Not answered"), h("p", { class: "kg-error" }, message)); }

  async function api(path) {
    const response = await fetch("api/" + path);
    const body = await response.json().catch(function () { return { error: response.status + " " + response.statusText }; });
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  // ---- the drawing: fragments from the server are merged in -------------------
  function drawn(label) { return label.length <= LABEL_MAX_CHARS ? label : label.slice(0, LABEL_MAX_CHARS - 1) + "\u2026"; }
  function merge(fragment, near) {
    const centre = near && network.getPositions([near])[near];
    const fresh = Object.keys(fragment.actors).filter(function (id) { return !actors[id]; });
    fresh.forEach(function (id, i) {
      actors[id] = fragment.actors[id];
      edgesOf[id] = [];
      const angle = 2 * Math.PI * i / Math.max(fresh.length, 1);
      const at = centre ? { x: centre.x + 220 * Math.cos(angle), y: centre.y + 220 * Math.sin(angle) } : {};
      nodes.add(Object.assign({ id: id, label: drawn(actors[id].label), group: actors[id].kind }, at));
    });
    Object.keys(fragment.edges).forEach(function (eid) {
      if (edgeInfo[eid]) return;
      const e = edgeInfo[eid] = fragment.edges[eid];
      edgesOf[e.from].push(eid);
      if (e.to !== e.from) edgesOf[e.to].push(eid);
      edges.add({ id: eid, from: e.from, to: e.to, label: e.label, color: familyColour(e.family), dashes: !e.stated });
    });
    if (fresh.length) { window.kgraph.settled = false; network.stabilize(200); }
    status.textContent = Object.keys(actors).length + " actors \u00b7 " + Object.keys(edgeInfo).length + " relations shown";
  }

  async function expand(id) {
    if (expanded[id]) return;
    const fragment = await api("neighbours?id=" + encodeURIComponent(id) + "&depth=1");
    expanded[id] = true;
    merge(fragment, id);
    if (fragment.truncated) status.textContent += " (" + fragment.truncated + " more around " + actorLabel(id) + " not drawn)";
  }

  // ---- panel contents (as the offline page) ----------------------------------
  function showOverview() {
    show(h("h2", {}, "The actor network"),
      h("p", { class: "kg-sub" }, "Served from the store: only what you explore is fetched."),
      h("ul", { class: "kg-help" },
        h("li", {}, "Search by any name or spelling: Toqajev, tokaev and \u0422\u043e\u043a\u0430\u0435\u0432 all find Tokayev."),
        h("li", {}, "Click an actor for its names and relations; its neighbours are drawn around it."),
        h("li", {}, "Click a line for its evidence: the post and the verbatim quote, who asserts it and how."),
        h("li", {}, "Path: pick two actors to see how they are linked, hop by hop, with the evidence of each hop.")));
  }

  function showActor(id) {
    const rels = edgesOf[id];
    show(...ui.actorParts(id), h("h3", {}, "Relations (" + rels.length + (expanded[id] ? "" : " drawn so far") + ")"),
      rels.length ? ui.relationList(id, rels) : h("p", { class: "kg-sub" }, "none"),
      h("p", { class: "kg-meta" }, h("a", { href: "./?query=" + encodeURIComponent(
        "SELECT ?property ?value WHERE {\n  actor:" + id + " ?property ?value .\n}\nORDER BY ?property ?value") },
      "Everything about it as a query")));
  }

  async function selectActor(id) {
    showActor(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: { duration: 300 } });
    try { await expand(id); } catch (err) { showError(err.message); return; }
    showActor(id);
  }
  function selectEdge(eid) { network.selectEdges([eid]); showEdge(eid); }

  // ---- search: the server finds actors by any name ---------------------------
  function suggest(input, onChoose) {
    const list = input.parentElement.querySelector(".kg-suggest");
    let found = [], active = 0, asked = 0;
    function close() { list.hidden = true; list.replaceChildren(); found = []; }
    function choose(a) { close(); input.value = a.label; onChoose(a); }
    function render() {
      list.replaceChildren.apply(list, found.map(function (a, i) {
        return ui.option(a.id, a, i === active, function () { choose(a); });
      }));
      list.hidden = found.length === 0;
    }
    async function lookup() {
      const mine = ++asked;
      const text = input.value;
      const answer = text.trim() ? await api("actors?q=" + encodeURIComponent(text)).catch(function () { return []; }) : [];
      if (mine === asked) { found = answer; active = 0; render(); }
      return answer;
    }
    input.addEventListener("input", lookup);
    input.addEventListener("keydown", async function (ev) {
      if (ev.key === "ArrowDown" && found.length) { active = (active + 1) % found.length; render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp" && found.length) { active = (active + found.length - 1) % found.length; render(); ev.preventDefault(); }
      else if (ev.key === "Enter") {
        ev.preventDefault();
        const pick = found.length ? found[active] : (await lookup())[0];
        if (pick) choose(pick);
      } else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", close);
  }

  async function addActor(a) {
    if (!actors[a.id]) merge({ actors: Object.fromEntries([[a.id, { label: a.label, kind: a.kind, type: a.type }]]), edges: {} });
    await selectActor(a.id);
  }

  // ---- path ---------------------------------------------------------------------
  const pathToggle = document.getElementById("kg-path-toggle");
  const pathBar = document.getElementById("kg-pathbar");
  const fromInput = document.getElementById("kg-path-from");
  const toInput = document.getElementById("kg-path-to");
  const pathStatus = document.getElementById("kg-path-status");
  const avoidBox = document.getElementById("kg-path-avoid");
  const excludedList = document.getElementById("kg-path-excluded");
  let pathFrom = null, pathTo = null, excluded = [], lit = null;

  function setPathMode(on) {
    pathBar.hidden = !on;
    pathToggle.setAttribute("aria-pressed", String(on));
  }
  pathToggle.addEventListener("click", function () { setPathMode(pathBar.hidden); if (!pathBar.hidden) fromInput.focus(); });

  function renderExcluded() {
    excludedList.replaceChildren.apply(excludedList, excluded.map(function (a) {
      return h("button", { type: "button", "data-id": a.id, title: "Allow paths through " + a.label + " again",
        onclick: function () { excluded = excluded.filter(function (x) { return x.id !== a.id; }); renderExcluded(); findPath(); } },
        a.label + " \u00d7");
    }));
  }

  function unlight() {
    if (!lit) return;
    nodes.update(nodes.getIds().map(function (id) { return { id: id, color: null, font: { color: "#1b1b1b" } }; }));
    edges.update(edges.getIds().map(function (id) { return { id: id, color: familyColour(edgeInfo[id].family), width: 1.6 }; }));
    lit = null;
  }
  function fitPath() { if (lit) network.fit({ nodes: lit, animation: false, maxZoomLevel: 1.2 }); }
  function light(ids, hops) {
    unlight();
    const onPath = new Set(ids), onHops = new Set(hops);
    nodes.update(nodes.getIds().filter(function (id) { return !onPath.has(id); })
      .map(function (id) { return { id: id, color: { background: MUTED, border: "#ffffff" }, font: { color: "#b8b8b8" } }; }));
    edges.update(edges.getIds().map(function (id) {
      return onHops.has(id) ? { id: id, width: 4 } : { id: id, color: MUTED, width: 1 };
    }));
    lit = ids;
  }

  async function findPath() {
    pathStatus.textContent = "";
    if (!pathFrom || !pathTo) { pathStatus.textContent = "Pick two actors."; return; }
    const query = "path?from=" + encodeURIComponent(pathFrom.id) + "&to=" + encodeURIComponent(pathTo.id) +
      (avoidBox.checked ? "&avoid_hubs=1" : "") + excluded.map(function (a) { return "&exclude=" + encodeURIComponent(a.id); }).join("");
    pathStatus.textContent = "Looking\u2026";
    let found;
    try { found = await api(query); } catch (err) { unlight(); pathStatus.textContent = err.message + "."; return; }
    pathStatus.textContent = "";
    merge(found);
    if (!found.path.length) {
      unlight();
      pathStatus.textContent = "No path.";
      show(h("h2", {}, "No path"), h("p", {}, found.message));
      return;
    }
    light(found.path, found.hops);
    fitPath();
    showPath(found);
  }

  function showPath(found) {
    const path = found.path, n = path.length - 1;
    const how = n + " hop" + (n === 1 ? "" : "s") + (found.cost == null ? ", shortest" : ", cost " + found.cost + " (the relations of the actors passed), cheapest");
    const around = excluded.length ? ", around " + excluded.map(function (a) { return a.label; }).join(", ") : "";
    const list = h("ol", { class: "kg-path" });
    found.hops.forEach(function (eid) { list.append(h("li", { class: "kg-hop" }, ...ui.hopRows(eid))); });
    show(h("h2", {}, "Path: " + actorLabel(path[0]) + " \u2192 " + actorLabel(path[n])), h("p", { class: "kg-sub" }, how + around + "."), list);
  }

  // ---- start ------------------------------------------------------------------
  async function start() {
    style = await api("style");
    nodes = new vis.DataSet([]);
    edges = new vis.DataSet([]);
    const options = Object.assign({}, style.options, {
      physics: { enabled: false, solver: "forceAtlas2Based", stabilization: { iterations: 200 },
        forceAtlas2Based: { springLength: 160, avoidOverlap: 0.6 } } });
    network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, options);
    // Physics runs only while new actors settle (stabilize): a graph that keeps drifting cannot be read or clicked.
    network.on("stabilizationIterationsDone", function () {
      window.kgraph.settled = true;
      fitPath();
    });
    window.kgraph = { network: network, nodes: nodes, edges: edges, actors: actors, edgeInfo: edgeInfo, settled: true };

    suggest(document.getElementById("kg-search"), function (a) { addActor(a); });
    suggest(fromInput, function (a) { pathFrom = a; if (pathTo) findPath(); else toInput.focus(); });
    suggest(toInput, function (a) { pathTo = a; if (pathFrom) findPath(); });
    suggest(document.getElementById("kg-path-exclude"), function (a) {
      document.getElementById("kg-path-exclude").value = "";
      if (!excluded.some(function (x) { return x.id === a.id; })) { excluded.push(a); renderExcluded(); }
      if (pathFrom && pathTo) findPath();
    });
    document.getElementById("kg-path-go").addEventListener("click", findPath);
    avoidBox.addEventListener("change", function () { if (pathFrom && pathTo) findPath(); });
    document.getElementById("kg-reset").addEventListener("click", function () {
      nodes.clear(); edges.clear(); lit = null;
      [actors, edgeInfo, edgesOf, expanded].forEach(function (o) { Object.keys(o).forEach(function (k) { delete o[k]; }); });
      pathFrom = pathTo = null; excluded = []; renderExcluded();
      fromInput.value = toInput.value = ""; pathStatus.textContent = "";
      status.textContent = "nothing shown yet";
      showOverview();
    });

    network.on("click", function (p) {
      tooltip.hidden = true;
      if (p.nodes.length) selectActor(p.nodes[0]);
      else if (p.edges.length) showEdge(p.edges[0]);
    });
    function tip(text, pointer) {
      tooltip.textContent = text;
      tooltip.hidden = false;
      tooltip.style.left = pointer.x + 14 + "px";
      tooltip.style.top = pointer.y + 14 + "px";
    }
    network.on("hoverNode", function (p) { tip(actorLabel(p.node) + "\nclick for its relations and neighbours", p.pointer.DOM); });
    network.on("hoverEdge", function (p) {
      const e = edgeInfo[p.edge];
      tip(actorLabel(e.from) + " \u2014 " + e.label + " \u2192 " + actorLabel(e.to) + "\nclick for the evidence", p.pointer.DOM);
    });
    ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { tooltip.hidden = true; }); });

    showOverview();
    const first = new URLSearchParams(location.search).get("actor");
    if (first) {
      try {
        const found = await api("neighbours?id=" + encodeURIComponent(first) + "&depth=1");
        expanded[first] = true;
        merge(found);
        showActor(first);
      } catch (err) { showError(err.message); }
    }
    document.documentElement.dataset.ready = "1";
  }

  start().catch(function (err) { showError(String(err.message || err)); });
})();
