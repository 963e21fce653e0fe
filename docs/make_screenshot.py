"""Make docs/screenshot.png from the bundled network page, as a reader sees it on a laptop.

Opens graph/kazakhstan-2022.html (or, if it is not built yet, a fresh build of
data/ in a temp folder: the same bytes) offline in headless Chromium at
1366x768, clicks the relation "Kassym-Jomart Tokayev prevailed over Nazarbayev clan"
so the side panel shows its evidence, and saves the picture.

    .venv/bin/python docs/make_screenshot.py [--html FILE] [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DATASET = "kazakhstan-2022"
RELATION = ("tokayev", "prevailed over", "nazarbayev-clan")
# A point on the relation's line, in the view the page opens with, that hits only that line.
POINT_ON = """([from, label, to]) => { const n = kgraph.network, info = kgraph.data.edgeInfo;
  const eid = Object.keys(info).find(k => info[k].from === from && info[k].label === label && info[k].to === to);
  const line = n.body.edges[eid].edgeType, r = document.getElementById('kg-network').getBoundingClientRect();
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    const p = n.canvasToDOM(line.getPoint(t));
    if (n.getEdgeAt(p) === eid && n.getNodeAt(p) === undefined) return [p.x + r.left, p.y + r.top];
  }
  throw new Error('the relation is hidden under others or out of view'); }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "graph" / f"{DATASET}.html")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()

    from kgraph.viz.headless import chromium, open_offline

    html = args.html
    if not html.exists():
        from kgraph.compose import build

        html = Path(tempfile.mkdtemp(prefix="kgraph-shot-")) / f"{DATASET}.html"
        build(ROOT / "data", ROOT / "ontology", html.parent)
        print(f"{args.html} is not built; using a fresh build, {html}")
    with chromium() as browser:
        visit = open_offline(browser, html)
        page = visit.page
        page.mouse.click(*page.evaluate(POINT_ON, list(RELATION)))
        page.locator("#kg-panel h2", has_text=RELATION[1]).wait_for()
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out))
        if visit.requests or visit.errors:
            raise SystemExit(f"page not clean: requests {visit.requests}, errors {visit.errors}")
        visit.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
