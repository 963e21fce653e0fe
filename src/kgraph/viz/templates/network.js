/* kgraph network page: side panel, search, filters, path mode, reset. The panel's views come
 * from panel.js (shared with the web app's /network), inlined just before this script.
 * All data (labels, aliases, quotes, notes) reaches the page as JSON and the
 * DOM through textContent only: nothing from data is ever parsed as HTML. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const actors = data.actors;
  const edgeInfo = data.edgeInfo;
  // Colours to restore after a highlight (vis keeps and changes the item objects it is given).
  const edgeColour = {};
  data.edges.forEach(function (e) { edgeInfo[e.id].from = e.from; edgeInfo[e.id].to = e.to; edgeColour[e.id] = e.color; });
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, data.options);
  const panel = document.getElementById("kg-panel");
  const tooltip = document.getElementById("kg-tooltip");
  const MUTED = "#e4e4e4";
  const MUTED_TEXT = "#b8b8b8";

  window.kgraph = { network: network, nodes: nodes, edges: edges, data: data, ready: false };

  const edgesOf = {};
  Object.keys(actors).forEach(function (id) { edgesOf[id] = []; });
  data.edges.forEach(function (e) { edgesOf[e.from].push(e.id); if (e.to !== e.from) edgesOf[e.to].push(e.id); });
  // Relations per actor in the whole page, whatever the filters (a loop counts at both ends), as
  // Projection.degree() in Python: what passing an actor costs when the path tool avoids hubs.
  const degree = {};
  Object.keys(actors).forEach(function (id) { degree[id] = 0; });
  data.edges.forEach(function (e) { degree[e.from]++; degree[e.to]++; });

  const ui = kgraphPanel({
    panel: panel, actors: actors, edgeInfo: edgeInfo,
    kindColour: function (kind) { return data.options.groups[kind].color.background; },
    edgeColour: function (eid) { return edgeColour[eid]; },
    kindLabel: function (kind) { return data.kindLabels[kind] || kind; },
    selectActor: selectActor, selectEdge: selectEdge,
  });
  const h = ui.h, show = ui.show, actorLabel = ui.actorLabel, showEdge = ui.showEdge;

  // ---- search: case-, accent- and punctuation-insensitive --------------------
  // The same steps as search_key() in kgraph/viz/page.py, which made each actor's keys.
  function fold(text) {
    return String(text).normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function score(id, q) {
    let best = 9;
    for (const key of actors[id].keys) {
      if (key === q) return 0;
      if (key.startsWith(q)) best = Math.min(best, 1);
      else if (key.includes(" " + q)) best = Math.min(best, 2);
      else if (key.includes(q)) best = Math.min(best, 3);
    }
    return best;
  }
  function findActors(text, limit) {
    const q = fold(text);
    if (!q) return [];
    const found = [];
    for (const id of Object.keys(actors)) {
      if (hiddenNode[id]) continue;
      const s = score(id, q);
      if (s < 9) found.push([s, actors[id].label.toLowerCase(), id]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return found.slice(0, limit || 10).map(function (f) { return f[2]; });
  }

  // An input with a suggestion list; onChoose(id) when the user picks an actor.
  function suggest(input, onChoose) {
    const list = input.parentElement.querySelector(".kg-suggest");
    let ids = [], active = 0;
    function close() { list.hidden = true; list.replaceChildren(); ids = []; }
    function choose(id) { close(); input.value = actorLabel(id); onChoose(id); }
    function render() {
      list.replaceChildren.apply(list, ids.map(function (id, i) {
        return ui.option(id, actors[id], i === active, function () { choose(id); });
      }));
      list.hidden = ids.length === 0;
    }
    input.addEventListener("input", function () { ids = findActors(input.value); active = 0; render(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && ids.length) { active = (active + 1) % ids.length; render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp" && ids.length) { active = (active + ids.length - 1) % ids.length; render(); ev.preventDefault(); }
      else if (ev.key === "Enter") {
        const pick = ids.length ? ids[active] : findActors(input.value, 1)[0];
        if (pick) choose(pick);
        ev.preventDefault();
      } else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", close);
    return { close: close };
  }

  // ---- panel contents --------------------------------------------------------
  // How the names given to --focus or --path were taken, on the panels the page opens with.
  function notes() {
    return data.notes.map(function (note) { return h("p", { class: "kg-note" }, note); });
  }

  function showOverview() {
    const kinds = {};
    Object.keys(actors).forEach(function (id) { kinds[actors[id].kind] = (kinds[actors[id].kind] || 0) + 1; });
    show(
      h("h2", {}, data.title),
      h("p", { class: "kg-sub" }, Object.keys(actors).length + " actors, " + data.edges.length + " relations."),
      ...notes(),
      h("ul", { class: "kg-help" },
        h("li", {}, "Click an actor for its names, description, Wikidata link and relations."),
        h("li", {}, "Click a line for its evidence: the post number and the verbatim quote, who asserts it and how."),
        h("li", {}, "Search by any name or spelling: Toqajev, tokaev and Токаев all find Tokayev."),
        h("li", {}, "Path: pick two actors (type or click) to see how they are linked, hop by hop. " +
          "Tick \u201cavoid hubs\u201d for the path through the least connected actors; exclude actors to go around them."),
        h("li", {}, "Legend: untick a kind of actor or a family of relations to hide it. Dashed lines are claims that are only speculated or reported."),
        h("li", {}, "Drag to pan, scroll to zoom; Reset shows everything again.")));
  }

  function showActor(id) {
    const rels = edgesOf[id].filter(function (eid) { return !hiddenEdge[eid]; });
    show(...ui.actorParts(id), h("h3", {}, "Relations (" + rels.length + ")"),
      rels.length ? ui.relationList(id, rels) : h("p", { class: "kg-sub" }, "none shown"));
  }

  function selectActor(id) {
    if (hiddenNode[id]) return;
    showActor(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 350 } });
  }
  function selectEdge(eid) {
    if (hiddenEdge[eid]) return;
    network.selectEdges([eid]);
    showEdge(eid);
  }

  // ---- filters: actor kinds, relation families, modalities (as --modality) ---
  const kindOn = {}, familyOn = {}, modalityOn = {};
  const hiddenNode = {}, hiddenEdge = {};
  const kindBoxes = Array.from(document.querySelectorAll("#kg-legend input[data-kind]"));
  const familyBoxes = Array.from(document.querySelectorAll("#kg-legend input[data-family]"));
  const modalityBoxes = Array.from(document.querySelectorAll("#kg-legend input[data-modality]"));
  // A relation stays while some of its evidence has a modality ticked; one without evidence always stays.
  function modalityShown(info) {
    return !info.evidence.length || info.evidence.some(function (ev) { return modalityOn[ev.modality] !== false; });
  }

  function applyFilters() {
    kindBoxes.forEach(function (b) { kindOn[b.dataset.kind] = b.checked; });
    familyBoxes.forEach(function (b) { familyOn[b.dataset.family] = b.checked; });
    modalityBoxes.forEach(function (b) { modalityOn[b.dataset.modality] = b.checked; });
    const nodeChanges = [], edgeChanges = [];
    Object.keys(actors).forEach(function (id) {
      const hide = kindOn[actors[id].kind] === false;
      if (!!hiddenNode[id] !== hide) nodeChanges.push({ id: id, hidden: hide });
      hiddenNode[id] = hide;
    });
    data.edges.forEach(function (e) {
      const info = edgeInfo[e.id];
      const hide = familyOn[info.family] === false || !modalityShown(info) || hiddenNode[e.from] || hiddenNode[e.to];
      if (!!hiddenEdge[e.id] !== hide) edgeChanges.push({ id: e.id, hidden: hide });
      hiddenEdge[e.id] = hide;
    });
    // vis re-scans every item on any update or unselect, even an empty one: skip them when nothing changed.
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    if (nodeChanges.length || edgeChanges.length) network.unselectAll();
    if (pathIds.length) findPath();
  }
  kindBoxes.concat(familyBoxes, modalityBoxes).forEach(function (b) { b.addEventListener("change", applyFilters); });

  // ---- path mode -------------------------------------------------------------
  const pathToggle = document.getElementById("kg-path-toggle");
  const pathBar = document.getElementById("kg-pathbar");
  const fromInput = document.getElementById("kg-path-from");
  const toInput = document.getElementById("kg-path-to");
  const pathStatus = document.getElementById("kg-path-status");
  const avoidBox = document.getElementById("kg-path-avoid");
  const excludeInput = document.getElementById("kg-path-exclude");
  const excludedList = document.getElementById("kg-path-excluded");
  let pathMode = false, pathFrom = null, pathTo = null, pathIds = [];
  let excluded = [];  // actor ids no path may pass through, in the order picked

  function setPathMode(on) {
    pathMode = on;
    pathBar.hidden = !on;
    pathToggle.setAttribute("aria-pressed", String(on));
    network.redraw();
  }
  pathToggle.addEventListener("click", function () { setPathMode(!pathMode); if (pathMode) fromInput.focus(); });
  suggest(fromInput, function (id) { pathFrom = id; if (pathTo) findPath(); else toInput.focus(); });
  suggest(toInput, function (id) { pathTo = id; if (pathFrom) findPath(); });
  document.getElementById("kg-path-go").addEventListener("click", function () {
    if (!pathFrom && fromInput.value) pathFrom = findActors(fromInput.value, 1)[0] || null;
    if (!pathTo && toInput.value) pathTo = findActors(toInput.value, 1)[0] || null;
    findPath();
  });
  document.getElementById("kg-path-clear").addEventListener("click", function () { clearPath(); showOverview(); });
  avoidBox.addEventListener("change", function () { if (pathFrom && pathTo) findPath(); });

  function renderExcluded() {
    excludedList.replaceChildren.apply(excludedList, excluded.map(function (id) {
      return h("button", { type: "button", "data-id": id, title: "Allow paths through " + actorLabel(id) + " again",
        onclick: function () { setExcluded(excluded.filter(function (x) { return x !== id; })); } },
        actorLabel(id) + " \u00d7");
    }));
  }
  function setExcluded(ids) {
    excluded = ids;
    renderExcluded();
    if (pathFrom && pathTo) findPath();
  }
  suggest(excludeInput, function (id) {
    excludeInput.value = "";
    if (excluded.indexOf(id) < 0) setExcluded(excluded.concat([id]));
  });

  function pathPick(id) {
    if (!pathFrom || (pathFrom && pathTo)) { pathFrom = id; pathTo = null; fromInput.value = actorLabel(id); toInput.value = ""; }
    else { pathTo = id; toInput.value = actorLabel(id); }
    if (pathFrom && pathTo) findPath(); else showActor(id);
  }

  function neighboursOf(node, skip) {
    const found = [];
    for (const eid of edgesOf[node]) {
      if (hiddenEdge[eid]) continue;
      const e = edgeInfo[eid];
      const other = e.from === node ? e.to : e.from;
      if (!skip[other]) found.push(other);
    }
    return found;
  }

  // Breadth-first search over the visible relations, either direction, around the excluded actors.
  function shortestPath(a, b, skip) {
    const prev = {};
    prev[a] = null;
    const queue = [a];
    while (queue.length) {
      const node = queue.shift();
      if (node === b) break;
      for (const other of neighboursOf(node, skip)) {
        if (!(other in prev)) { prev[other] = node; queue.push(other); }
      }
    }
    if (!(b in prev)) return [];
    const path = [];
    for (let n = b; n !== null; n = prev[n]) path.unshift(n);
    return path;
  }

  // The same order as `kgraph path --avoid-hubs`: least cost (the relations of the actors passed,
  // ends free), then fewest hops, then the actor ids in order. Both are extended alike at every
  // step, so Dijkstra on this order finds its first path.
  function before(x, y) {
    if (x.cost !== y.cost) return x.cost < y.cost;
    if (x.path.length !== y.path.length) return x.path.length < y.path.length;
    for (let i = 0; i < x.path.length; i++) if (x.path[i] !== y.path[i]) return x.path[i] < y.path[i];
    return false;
  }
  function cheapestPath(a, b, skip) {
    const best = {}, done = {}, heap = [{ cost: 0, path: [a] }];
    best[a] = heap[0];
    function push(item) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0;) {
        const up = (i - 1) >> 1;
        if (!before(heap[i], heap[up])) break;
        [heap[i], heap[up]] = [heap[up], heap[i]];
        i = up;
      }
    }
    function pop() {
      const top = heap[0], last = heap.pop();
      if (heap.length) {
        heap[0] = last;
        for (let i = 0; ;) {
          let min = i;
          for (const c of [2 * i + 1, 2 * i + 2]) if (c < heap.length && before(heap[c], heap[min])) min = c;
          if (min === i) break;
          [heap[i], heap[min]] = [heap[min], heap[i]];
          i = min;
        }
      }
      return top;
    }
    while (heap.length) {
      const item = pop(), node = item.path[item.path.length - 1];
      if (done[node]) continue;
      done[node] = true;
      if (node === b) return item;
      const cost = item.cost + (node === a ? 0 : degree[node]);
      for (const other of neighboursOf(node, skip)) {
        if (done[other]) continue;
        const next = { cost: cost, path: item.path.concat([other]) };
        if (!best[other] || before(next, best[other])) { best[other] = next; push(next); }
      }
    }
    return null;
  }

  function findPath() {
    pathStatus.textContent = "";
    if (!pathFrom || !pathTo) { pathStatus.textContent = "Pick two actors."; return; }
    const blocked = [pathFrom, pathTo].filter(function (id) { return excluded.indexOf(id) >= 0; });
    if (blocked.length) {
      unhighlight();
      pathIds = [];
      pathStatus.textContent = actorLabel(blocked[0]) + " is excluded.";
      return;
    }
    const skip = {};
    excluded.forEach(function (id) { skip[id] = true; });
    let path, cost = null;
    if (avoidBox.checked) {
      const found = cheapestPath(pathFrom, pathTo, skip);
      path = found ? found.path : [];
      cost = found ? found.cost : null;
    } else {
      path = shortestPath(pathFrom, pathTo, skip);
    }
    if (!path.length) {
      unhighlight();
      pathIds = [];
      pathStatus.textContent = "No path between them with the current filters" + (excluded.length ? " and exclusions." : ".");
      show(h("h2", {}, "No path"), h("p", {}, actorLabel(pathFrom) + " and " + actorLabel(pathTo) + " are not linked by the relations shown."));
      return;
    }
    highlightPath(path, cost);
  }

  function hopEdges(a, b) {
    return edgesOf[a].filter(function (eid) {
      const e = edgeInfo[eid];
      return !hiddenEdge[eid] && ((e.from === a && e.to === b) || (e.from === b && e.to === a));
    });
  }

  function highlightPath(path, cost) {
    pathIds = path;
    const onPath = new Set(path), onPathEdges = new Set();
    for (let i = 0; i + 1 < path.length; i++) hopEdges(path[i], path[i + 1]).forEach(function (eid) { onPathEdges.add(eid); });
    nodes.update(data.nodes.map(function (n) {
      return onPath.has(n.id)
        ? { id: n.id, color: data.options.groups[n.group].color, font: { color: "#1b1b1b" } }
        : { id: n.id, color: { background: MUTED, border: "#ffffff" }, font: { color: MUTED_TEXT } };
    }));
    edges.update(data.edges.map(function (e) {
      return onPathEdges.has(e.id)
        ? { id: e.id, color: edgeColour[e.id], width: 4, font: { color: "#1b1b1b" } }
        : { id: e.id, color: MUTED, width: 1, font: { color: "rgba(0,0,0,0)", background: "rgba(0,0,0,0)" } };
    }));
    network.unselectAll();
    network.fit({ nodes: path, animation: { duration: 350 }, maxZoomLevel: 1.2 });
    showPath(path, cost);
  }

  function unhighlight() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: data.options.groups[n.group].color, font: { color: "#1b1b1b" } }; }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, color: edgeColour[e.id], width: 1.6, font: { color: "#3d3d3d", background: "rgba(255,255,255,0.85)" } };
    }));
  }

  function clearPath() {
    pathFrom = pathTo = null;
    fromInput.value = toInput.value = "";
    pathStatus.textContent = "";
    excluded = [];
    renderExcluded();
    if (pathIds.length) unhighlight();
    pathIds = [];
  }

  function showPath(path, cost) {
    const hops = (path.length - 1) + " hop" + (path.length === 2 ? "" : "s");
    const how = cost === null || cost === undefined ? hops + ", shortest over the relations shown"
      : hops + ", cost " + cost + " (the relations of the actors passed), cheapest over the relations shown";
    const around = excluded.length ? ", around " + excluded.map(actorLabel).join(", ") : "";
    const parts = [h("h2", {}, "Path: " + actorLabel(path[0]) + " \u2192 " + actorLabel(path[path.length - 1])),
      h("p", { class: "kg-sub" }, how + around + ".")];
    if (path[0] === data.path[0] && path[path.length - 1] === data.path[data.path.length - 1]) parts.push(...notes());
    const list = h("ol", { class: "kg-path" });
    for (let i = 0; i + 1 < path.length; i++) {
      const a = path[i], b = path[i + 1];
      const hop = h("li", { class: "kg-hop" });
      hopEdges(a, b).forEach(function (eid) { hop.append(...ui.hopRows(eid)); });
      list.append(hop);
    }
    parts.push(list);
    show.apply(null, parts);
  }

  // ---- search box, clicks, hover ---------------------------------------------
  const search = document.getElementById("kg-search");
  suggest(search, function (id) { if (pathMode) pathPick(id); else selectActor(id); });

  network.on("click", function (p) {
    tooltip.hidden = true;
    if (p.nodes.length) {
      const id = p.nodes[0];
      if (pathMode) pathPick(id); else showActor(id);
    } else if (p.edges.length) {
      showEdge(p.edges[0]);
    } else if (!pathIds.length) {
      showOverview();
    }
  });

  function tip(text, pointer) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    const box = tooltip.parentElement.getBoundingClientRect();
    tooltip.style.left = Math.min(pointer.x + 14, box.width - tooltip.offsetWidth - 4) + "px";
    tooltip.style.top = Math.min(pointer.y + 14, box.height - tooltip.offsetHeight - 4) + "px";
  }
  network.on("hoverNode", function (p) {
    const a = actors[p.node];
    const n = edgesOf[p.node].filter(function (eid) { return !hiddenEdge[eid]; }).length;
    tip(a.label + "\n" + (data.kindLabels[a.kind] || a.kind) + " \u00b7 " + n + " relation" + (n === 1 ? "" : "s"), p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    const e = edgeInfo[p.edge];
    const n = e.evidence.length;
    tip(actorLabel(e.from) + " \u2014 " + e.label + " \u2192 " + actorLabel(e.to) + "\n" + e.family + " \u00b7 " + n +
      " piece" + (n === 1 ? "" : "s") + " of evidence" + (e.stated ? "" : " \u00b7 speculated or reported") + " \u00b7 click for quotes", p.pointer.DOM);
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { tooltip.hidden = true; }); });

  // ---- reset and start -------------------------------------------------------
  // The whole graph if its labels are readable that way, else a readable zoom on its busiest part.
  function fitView() {
    network.fit({ animation: false });
    if (network.getScale() < data.view.scale) {
      network.moveTo({ position: { x: data.view.x, y: data.view.y }, scale: data.view.scale, animation: false });
    }
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    kindBoxes.concat(familyBoxes, modalityBoxes).forEach(function (b) { b.checked = true; });
    avoidBox.checked = false;
    clearPath();
    applyFilters();
    setPathMode(false);
    search.value = "";
    network.unselectAll();
    fitView();
    showOverview();
  });

  applyFilters();
  showOverview();
  network.once("afterDrawing", function () {
    window.kgraph.ready = true;
    window.kgraph.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
  });
  fitView();
  if (data.path.length > 1) {
    setPathMode(true);
    pathFrom = data.path[0];
    pathTo = data.path[data.path.length - 1];
    fromInput.value = actorLabel(pathFrom);
    toInput.value = actorLabel(pathTo);
    highlightPath(data.path);
  }
})();
