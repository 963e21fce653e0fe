"""How fast a big network page opens: 5,000 actors and 15,000 relations in headless Chromium.

Builds a synthetic projection (seeded: actors of every type, relations of
every family, one piece of evidence each, a quarter of them speculated),
renders it with ``kgraph.viz.render_html`` and opens it offline in headless
Chromium at laptop size, N times. Prints:

- the Python side: layout + render time and the HTML size;
- time to interactive: from navigation start until the network has drawn its
  first frame with every handler attached (the page sets ``data-ready``),
  median of N runs, against the 3 s target;
- then: the cost of one redraw (each pan or zoom frame), search -> panel
  inside the page, and a real mouse click on a busy actor -> panel
  (end to end, through playwright).

    .venv/bin/python bench/bench_viz.py [--actors 5000] [--relations 15000] [--runs 3] [--out FILE]
    .venv/bin/python bench/bench_viz.py --smoke      # 60 actors, 150 relations, one run (tests)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from kgraph.network.projection import ActorInfo, Edge, Evidence, Projection  # noqa: E402
from kgraph.source.model import ACTOR_TYPES, FAMILIES  # noqa: E402

TARGET_S = 3.0
SEED = 2022
SYLLABLES = ("ka", "za", "to", "ya", "na", "mir", "bek", "sul", "tan", "ov", "ev", "as", "li", "ra", "nur", "khan")


def synthetic(n_actors: int, n_relations: int, seed: int = SEED) -> Projection:
    """A projection shaped like real threads: a few hubs, many actors with a handful of relations."""
    rng = random.Random(seed)
    types = sorted(ACTOR_TYPES)
    actors = {}
    for i in range(n_actors):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        aid = f"a{i:05d}"
        actors[aid] = ActorInfo(aid, types[i % len(types)], f"{name} {i}", {"en": f"{name} {i}", "de": f"{name}e {i}"},
                                [name, name.lower() + "w"], f"Synthetic actor {i}.", f"Q{1000 + i}" if i % 3 else "")
    ids = list(actors)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(n_actors)]  # hubs, as Kazakhstan and Tokayev are
    edges: dict[tuple, Edge] = {}
    while len(edges) < n_relations:
        source = rng.choices(ids, weights)[0] if rng.random() < 0.5 else rng.choice(ids)
        target = ids[(ids.index(source) + int(rng.gauss(0, 40))) % n_actors] if rng.random() < 0.7 \
            else rng.choices(ids, weights)[0]
        family = rng.choice(FAMILIES)
        key = (source, family, target)
        if source == target or key in edges:
            continue
        modality = rng.choice(("stated", "stated", "assessed", "speculated"))
        evidence = Evidence(f"c{len(edges)}", rng.randint(1, 400), f"quote {len(edges)} from the post",
                            "Synthetic author", "", modality)
        edges[key] = Edge(source, target, f"{family}Rel", f"{family} with", f"{family} mit", family, [evidence])
    return Projection(actors, [edges[k] for k in sorted(edges)])


# In the page: type a name into the search box, press Enter; milliseconds until the panel shows the actor.
SEARCH_MS = """(q) => { const input = document.getElementById('kg-search'), t = performance.now();
  input.value = q; input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
  if (document.querySelector('#kg-panel h2').textContent !== q) throw new Error('search failed');
  return performance.now() - t; }"""
# One full redraw of the canvas, in milliseconds (what every pan or zoom frame costs).
FRAME_MS = """() => new Promise(done => { const t = performance.now();
  kgraph.network.once('afterDrawing', () => done(performance.now() - t)); kgraph.network.redraw(); })"""
# The busiest actor whose centre is not covered by another node, brought into view: [id, x, y].
CLICKABLE = """(ids) => { const n = kgraph.network, r = document.getElementById('kg-network').getBoundingClientRect();
  for (const id of ids) {
    n.moveTo({ position: n.getPosition(id), scale: 1 });
    const p = n.canvasToDOM(n.getPosition(id));
    if (n.getNodeAt(p) === id) return [id, p.x + r.left, p.y + r.top];
  } }"""


def measure(html: Path, runs: int, query: str, hubs: list[str]) -> dict[str, list[float]]:
    from kgraph.viz.headless import chromium, open_offline

    figures: dict[str, list[float]] = {"ready": [], "search": [], "frame": [], "click": []}
    with chromium() as browser:
        for _ in range(runs):
            visit = open_offline(browser, html, wait=False)
            page = visit.page
            page.wait_for_selector("html[data-ready='1']", state="attached", timeout=120_000)
            figures["ready"].append(page.evaluate("kgraph.readyAt") / 1000)
            figures["frame"].append(page.evaluate(FRAME_MS) / 1000)
            hub, x, y = page.evaluate(CLICKABLE, hubs)
            label = page.evaluate("(id) => kgraph.data.actors[id].label", hub)
            start = time.perf_counter()
            page.mouse.click(x, y)
            page.locator("#kg-panel h2", has_text=label).wait_for()
            figures["click"].append(time.perf_counter() - start)
            figures["search"].append(page.evaluate(SEARCH_MS, query) / 1000)
            if visit.requests or visit.errors:
                raise SystemExit(f"page not clean: requests {visit.requests}, errors {visit.errors}")
            visit.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--relations", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", help="keep the page here (default: a temp file)")
    parser.add_argument("--smoke", action="store_true", help="60 actors, 150 relations, one run: does it still run?")
    args = parser.parse_args()
    if args.smoke:
        args.actors, args.relations, args.runs = 60, 150, 1

    from kgraph.viz import render_html
    from kgraph.viz.layout import positions

    projection = synthetic(args.actors, args.relations)
    start = time.perf_counter()
    positions(projection.actors, [(e.source, e.target) for e in projection.edges])
    layout_s = time.perf_counter() - start
    start = time.perf_counter()
    page = render_html(projection, title=f"synthetic {args.actors} actors")
    render_s = time.perf_counter() - start
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="kgraph-bench-")) / "synthetic.html"
    out.write_bytes(page)

    degree = projection.degree()
    hubs = sorted(degree, key=lambda a: (-degree[a], a))[:200]
    figures = measure(out, args.runs, projection.actors["a00042"].label, hubs)
    median = {k: statistics.median(v) for k, v in figures.items()}
    tti = median["ready"]
    print(f"graph: {len(projection.actors)} actors, {len(projection.edges)} relations")
    print(f"python: layout {layout_s:.2f} s, whole render (layout included) {render_s:.2f} s, "
          f"page {len(page) / 1024 / 1024:.1f} MiB -> {out}")
    print(f"time to interactive (median of {args.runs}): {tti:.2f} s  "
          f"[{', '.join(f'{t:.2f}' for t in figures['ready'])}]  target {TARGET_S:.1f} s, ratio {tti / TARGET_S:.2f}")
    print(f"then: one redraw {median['frame'] * 1000:.0f} ms; search -> panel {median['search'] * 1000:.0f} ms "
          f"in the page; mouse click on a hub -> panel {median['click'] * 1000:.0f} ms end to end")
    if tti > TARGET_S:
        raise SystemExit(f"slower than the {TARGET_S:.0f} s target")


if __name__ == "__main__":
    main()
