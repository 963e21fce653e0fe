"""Render a :class:`~kgraph.network.projection.Projection` as one self-contained HTML page.

pyvis builds the vis-network nodes, edges and options; the page around them
is our own template (``kgraph/viz/templates/network.html``), because pyvis's
template links Bootstrap and tom-select from CDNs. vis-network itself is the
copy pyvis ships, inlined, so the file opens offline with no request to any
host.

Everything that comes from data (labels, aliases, quotes, notes) travels as
one JSON block that the page reads with ``JSON.parse`` and writes into the
DOM with ``textContent`` only; ``<``, ``>`` and ``&`` are escaped inside the
JSON so ``</script>`` in a quote cannot end the block. A Content-Security-
Policy allows exactly the page's own two scripts (by hash) and no network
access, so even a mistake elsewhere could neither run injected script nor
fetch anything.

>>> from kgraph.network.projection import ActorInfo, Projection
>>> page = render_html(Projection({"a": ActorInfo("a", "person", "A")}, []), title="demo")
>>> page.startswith(b"<!DOCTYPE html>") and b"cdn" not in page.lower()
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import KgraphError
from ..network.projection import Projection
from ..source.model import FAMILIES, MODALITIES
from .layout import positions
from .style import FAMILY_COLOURS, KINDS, kind_of, node_size

__all__ = ["render_html", "page_data", "json_for_script", "search_key", "LARGE"]

# From this many edges on, drawing favours speed: straight lines without labels or arrow heads,
# hidden while dragging or zooming.
LARGE = 2000
LABEL_FONT = 15
# The page opens at least this zoomed in (labels at ~13 px), centred on the busiest part.
READABLE_SCALE = 0.9
LABEL_MAX_WIDTH = 150
# Longer labels are cut under the node (the panel shows them whole): vis-network
# measures the label text on every frame, and a 1 MB label took the page 14 s to open.
LABEL_MAX_CHARS = 100
VIS_VERSION = "9.1.2"
_NON_WORD = re.compile(r"[\W_]+")


def json_for_script(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped.

    >>> json_for_script({"q": "</script><b>&"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def search_key(text: str) -> str:
    """A name as the page's search compares it; the same steps as ``fold()`` in ``network.js``.

    Unlike :func:`kgraph.network.names.fold` it keeps non-Latin letters, so a query
    typed in Cyrillic matches Cyrillic names; both keys go into the page.

    >>> search_key("Qassym-Schomart TOQAJEW"), search_key("Касым-Жомарт Токаев")
    ('qassym schomart toqajew', 'касым жомарт токаев')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD.split(bare)).strip()


def _drawn(label: str) -> str:
    """The label as drawn under its node."""
    return label if len(label) <= LABEL_MAX_CHARS else label[:LABEL_MAX_CHARS - 1] + "…"


def _label_box(label: str, size: int) -> tuple[float, float]:
    """Roughly the pixels a node of radius ``size`` takes with its wrapped label below it."""
    width = 0.55 * LABEL_FONT * len(label)
    lines = math.ceil(width / LABEL_MAX_WIDTH) or 1
    return max(min(width, LABEL_MAX_WIDTH), 2 * size), 2 * size + 4 + lines * LABEL_FONT * 1.15


def _curves(projection: Projection) -> dict[int, dict]:
    """vis ``smooth`` settings that fan out several relations between the same two actors."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, edge in enumerate(projection.edges):
        pairs[tuple(sorted((edge.source, edge.target)))].append(i)
    curves = {}
    for (first, _), members in pairs.items():
        if len(members) == 1:
            continue
        for rank, i in enumerate(members):
            clockwise = rank % 2 == 0
            if projection.edges[i].source != first:
                clockwise = not clockwise  # the same side of the line seen from the other end
            curves[i] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                         "roundness": round(0.2 + 0.15 * (rank // 2), 2)}
    return curves


def _network(projection: Projection, pos: dict[str, tuple[int, int]]):
    """The pyvis Network: nodes grouped by kind, sized by degree; edges coloured by family, dashed when weak.

    Items carry only what differs between them (the look of a kind is a vis
    group, arrows are global): vis-network's start-up time grows with the
    options of every item.
    """
    from pyvis.edge import Edge as VisEdge
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    degree = projection.degree()
    for actor in projection.actors.values():
        kind = kind_of(actor.type)
        x, y = pos[actor.id]
        net.add_node(actor.id, label=_drawn(actor.label), shape=KINDS[kind].shape, group=kind,
                     size=node_size(degree.get(actor.id, 0)), x=x, y=y)
    large = len(projection.edges) >= LARGE
    curves = {} if large else _curves(projection)
    for i, edge in enumerate(projection.edges):
        options = {"id": f"e{i}", "color": FAMILY_COLOURS.get(edge.family, FAMILY_COLOURS["other"])}
        if not large:  # on big graphs the relation is named by the tooltip and the panel
            options["label"] = edge.label
        if not edge.stated:
            options["dashes"] = True
        if i in curves:
            options["smooth"] = curves[i]
        # Network.add_edge checks both ends with a list scan (quadratic on big graphs);
        # the ends are our own actors, so the Edge is appended directly.
        net.edges.append(VisEdge(edge.source, edge.target, False, **options).options)
    net.options = _options(large)
    return net


def _options(large: bool) -> dict:
    font = "Liberation Sans, Arial, Helvetica, sans-serif"
    groups = {kind: {"shape": k.shape,
                     "color": {"background": k.colour, "border": "#ffffff",
                               "highlight": {"background": k.colour, "border": "#111111"},
                               "hover": {"background": k.colour, "border": "#111111"}}}
              for kind, k in KINDS.items()}
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "tooltipDelay": 150, "multiselect": False, "navigationButtons": False,
                        "keyboard": False},
        "groups": groups,
        "nodes": {"borderWidth": 2, "borderWidthSelected": 3,
                  "font": {"size": LABEL_FONT, "face": font, "color": "#1b1b1b",
                           "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "widthConstraint": {"maximum": LABEL_MAX_WIDTH}},
        # Arrow heads cost vis a border search per edge and frame (a second per frame at
        # 15,000 edges): big graphs go without; the tooltip and panel give the direction.
        "edges": {"width": 1.6, "selectionWidth": 3, "hoverWidth": 1,
                  "arrows": {"to": {"enabled": not large, "scaleFactor": 0.55}},
                  "font": {"size": 11, "face": font, "color": "#3d3d3d", "strokeWidth": 0,
                           "background": "rgba(255,255,255,0.85)", "align": "middle"},
                  "smooth": False},
    }


def _without_empty(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v not in ("", None)}


def page_data(projection: Projection, *, title: str, path: Sequence[str] = (), notes: Sequence[str] = ()) -> dict:
    """Everything the page's script reads: vis nodes/edges/options and the details behind them.

    ``notes`` are shown under the title, e.g. how a typed name was taken (:meth:`kgraph.network.names.Match.note`).
    """
    from ..network.names import fold

    degree = projection.degree()
    pos = positions(projection.actors, [(e.source, e.target) for e in projection.edges],
                    label_box=lambda a: _label_box(_drawn(projection.actors[a].label), node_size(degree[a])))
    net = _network(projection, pos)
    actors = {}
    for actor in projection.actors.values():
        names = [actor.label, *actor.labels.values(), *actor.aliases]
        keys = sorted(({fold(n) for n in names} | {search_key(n) for n in names}) - {""})
        actors[actor.id] = _without_empty({
            "label": actor.label, "type": actor.type, "kind": kind_of(actor.type), "labels": actor.labels,
            "aliases": actor.aliases, "description": actor.description, "wikidata": actor.wikidata,
            "background": actor.background or None,
            "keys": keys})
    edges = {}
    for i, edge in enumerate(projection.edges):
        edges[f"e{i}"] = {"relation": edge.relation, "label": edge.label, "labelDe": edge.label_de,
                          "family": edge.family, "stated": edge.stated,
                          "evidence": [_without_empty({
                              "post": e.post, "quote": e.quote, "by": e.asserted_by, "byId": e.asserted_by_id,
                              "modality": e.modality, "when": e.when, "from": e.start, "until": e.until,
                              "period": e.period, "note": e.note, "quantities": e.quantities or None,
                              "claim": e.claim, "dataset": e.dataset}) for e in edge.evidence]}
    return {"title": title, "nodes": net.nodes, "edges": net.edges, "options": net.options,
            "actors": actors, "edgeInfo": edges, "path": list(path), "notes": list(notes),
            "view": _start_view(projection, pos),
            "kindLabels": {k: v.label for k, v in KINDS.items()}}


def _start_view(projection: Projection, pos: dict[str, tuple[int, int]]) -> dict:
    """Where the page opens when the whole graph would be too small to read: the degree-weighted centre."""
    degree = projection.degree()
    total = sum(degree.values())
    if not total:
        return {"x": 0, "y": 0, "scale": READABLE_SCALE}
    x = sum(pos[a][0] * d for a, d in degree.items()) / total
    y = sum(pos[a][1] * d for a, d in degree.items()) / total
    return {"x": round(x), "y": round(y), "scale": READABLE_SCALE}


def _legend(projection: Projection) -> tuple[list[dict], list[dict]]:
    kinds = Counter(kind_of(a.type) for a in projection.actors.values())
    families = Counter(e.family for e in projection.edges)
    kind_rows = [{"id": k, "label": v.label, "shape": v.shape, "colour": v.colour, "count": kinds[k]}
                 for k, v in KINDS.items() if kinds[k]]
    family_rows = [{"id": f, "colour": FAMILY_COLOURS.get(f, FAMILY_COLOURS["other"]), "count": families[f]}
                   for f in (*FAMILIES, *sorted(set(families) - set(FAMILIES))) if families[f]]
    return kind_rows, family_rows


def _modality_counts(projection: Projection) -> list[dict]:
    """Claims per modality, for the legend's modality filter (the page's --modality)."""
    counts = Counter(ev.modality for edge in projection.edges for ev in edge.evidence)
    return [{"id": m, "count": counts[m]} for m in MODALITIES if counts[m]]


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str, str]:
    """vis-network, the panel script (shared with the web app's /network), the page script and the stylesheet."""
    import pyvis

    vis_js = (Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}" / "vis-network.min.js")
    ours = resources.files(__package__) / "templates"
    return (vis_js.read_text(encoding="utf-8"), (ours / "panel.js").read_text(encoding="utf-8"),
            (ours / "network.js").read_text(encoding="utf-8"), (ours / "network.css").read_text(encoding="utf-8"))


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(projection: Projection, *, title: str = "kgraph", path: Sequence[str] = (),
                notes: Sequence[str] = ()) -> bytes:
    """The page for ``projection`` as UTF-8 bytes; the same input gives the same bytes.

    ``path`` (actor ids, in order) is highlighted when the page opens; ``notes`` are shown under the title.

    Parameters
    ----------
    projection : Projection
        What to draw, e.g. ``select_view(...).projection``.
    title : str
        The page title.
    path : sequence of str
        Actor ids to highlight, in order.
    notes : sequence of str
        Lines shown under the title.

    Returns
    -------
    bytes
        A self-contained HTML page that works offline.

    Raises
    ------
    KgraphError
        When an actor of ``path`` is not in ``projection``.

    Examples
    --------
    >>> from kgraph.network.projection import load_projection
    >>> from kgraph.viz import render_html
    >>> render_html(load_projection(), title="Kazakhstan").startswith(b"<!DOCTYPE html>")
    True
    """
    missing = [a for a in path if a not in projection.actors]
    if missing:
        raise KgraphError(f"path actor {missing[0]!r} is not in the graph drawn")
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    vis_js, panel_js, page_js, css = _assets()
    # One script element, panel first: the page's script calls kgraphPanel() as it starts.
    script = panel_js + page_js
    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=select_autoescape(default=True),
                      keep_trailing_newline=True)
    kinds, families = _legend(projection)
    posts = {(e.dataset, e.post) for edge in projection.edges for e in edge.evidence}
    html = env.get_template("network.html").render(
        title=title, actors=len(projection.actors), relations=len(projection.edges), posts=len(posts),
        kinds=kinds, families=families, modalities=_modality_counts(projection),
        data=Markup(json_for_script(page_data(projection, title=title, path=path, notes=notes))),
        vis_js=Markup(vis_js), vis_version=VIS_VERSION, script=Markup(script), css=Markup(css),
        script_hashes=Markup(" ".join((_csp_hash(vis_js), _csp_hash(script)))))
    return html.encode("utf-8")
