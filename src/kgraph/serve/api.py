"""The JSON the web app's network page (``/network``) reads, answered from the store.

The served page never holds the whole graph: it asks for what it shows.
:func:`search_actors` finds actors by any name, :func:`neighbourhood` gives
an actor and the actors one or more hops away with every relation among
them, :func:`path` the shortest path between two actors. Each answer is a
*fragment*: actors by id and relations with their evidence, in the shapes
the offline page's data uses (:func:`kgraph.viz.page.page_data`), so the
page merges fragments as it goes.

They run in the server's query workers (:class:`Call`), next to the store,
under the same time and memory limits as a SPARQL query, and ask the
:class:`~kgraph.graph.KGraph` over that store, as ``kgraph path`` does.

>>> from kgraph.stores import open_store
>>> found = search_actors(open_store("memory"), "toqajev")   # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import KgraphError, NoPath, StoreError, UnknownActor

__all__ = ["search_actors", "neighbourhood", "path", "network_style", "Call", "MAX_DEPTH", "MAX_SEARCH"]

MAX_DEPTH = 3
MAX_SEARCH = 20
# Expanding a hub must not send the browser thousands of actors at once.
MAX_ACTORS = 400

_graphs: dict[int, tuple] = {}


def _graph(store):
    """The :class:`~kgraph.graph.KGraph` over ``store`` (its actors, name index and, on disk, its
    actor index) and the actors' search keys, once per store in this process."""
    if id(store) not in _graphs:
        from ..graph import KGraph
        from ..network.names import NameIndex, fold
        from ..viz.page import search_key

        graph = KGraph(store=store)
        keys = {aid: sorted({k for n in NameIndex.names_of(a) for k in (fold(n), search_key(n))} - {""})
                for aid, a in graph.all_actors().items()}
        _graphs[id(store)] = (graph, keys)
    return _graphs[id(store)]


def _score(keys: list[str], q: str) -> int:
    # The same ranks as score() in the offline page's network.js.
    best = 9
    for key in keys:
        if key == q:
            return 0
        if key.startswith(q):
            best = min(best, 1)
        elif " " + q in key:
            best = min(best, 2)
        elif q in key:
            best = min(best, 3)
    return best


def _actor_json(actor) -> dict:
    from ..viz.style import kind_of

    fields = {"label": actor.label, "type": actor.type, "kind": kind_of(actor.type), "labels": actor.labels,
              "aliases": actor.aliases, "description": actor.description, "wikidata": actor.wikidata,
              "background": actor.background or None}
    return {k: v for k, v in fields.items() if v not in ("", None, [], {})}


def search_actors(store, text: str, *, limit: int = 10) -> list[dict]:
    """Actors whose names contain ``text`` (any case, accents or script), best first:
    ``[{"id", "label", "kind", "type"}]``. A misspelt name with no such actor
    gets the actor :meth:`kgraph.network.names.NameIndex.match` takes it for, if any."""
    from ..viz.page import search_key
    from ..viz.style import kind_of

    graph, keys = _graph(store)
    actors = graph.all_actors()
    q = search_key(text)[:200]
    if not q:
        return []
    ranked = sorted((s, actors[aid].label.lower(), aid) for aid in actors if (s := _score(keys[aid], q)) < 9)
    ids = [aid for *_, aid in ranked[:min(limit, MAX_SEARCH)]]
    if not ids:
        try:
            ids = [graph.match(text).actor.id]
        except KgraphError:  # unknown, ambiguous or unusable: nothing to suggest
            ids = []
    return [{"id": aid, "label": actors[aid].label, "kind": kind_of(actors[aid].type), "type": actors[aid].type}
            for aid in ids]


def _fragment(projection, actor_ids=None, edges=None) -> dict:
    shown = projection.actors if actor_ids is None else {a: projection.actors[a] for a in actor_ids}
    chosen = projection.edges if edges is None else edges
    relations = {}
    for edge in chosen:
        relations[f"{edge.source}|{edge.relation}|{edge.target}"] = {
            "from": edge.source, "to": edge.target, "relation": edge.relation, "label": edge.label,
            "labelDe": edge.label_de, "family": edge.family, "stated": edge.stated,
            "evidence": [{k: v for k, v in {
                "post": e.post, "quote": e.quote, "by": e.asserted_by, "byId": e.asserted_by_id,
                "modality": e.modality, "when": e.when, "from": e.start, "until": e.until, "period": e.period,
                "note": e.note, "quantities": e.quantities or None, "claim": e.claim, "dataset": e.dataset,
            }.items() if v not in ("", None)} for e in edge.evidence]}
    return {"actors": {aid: _actor_json(a) for aid, a in sorted(shown.items())},
            "edges": dict(sorted(relations.items())), "datasets": projection.datasets}


def neighbourhood(store, actor: str, *, depth: int = 1) -> dict:
    """``actor`` (an id) and the actors within ``depth`` hops, with every relation among them.

    Past :data:`MAX_ACTORS` the nearest are kept (by fewest hops, then id) and
    ``truncated`` says how many were left out.
    """
    from ..network.selection import ego

    if not 1 <= depth <= MAX_DEPTH:
        raise KgraphError(f"depth must be 1 to {MAX_DEPTH}, not {depth}")
    graph, _ = _graph(store)
    if actor not in graph.all_actors():
        raise UnknownActor(actor, [])
    _, near = graph.around([actor], depth)
    left_out = 0
    if len(near.actors) > MAX_ACTORS:
        rings = [set(ego(near, actor, d).actors) for d in range(depth + 1)]
        ranked = sorted(near.actors, key=lambda a: (next(d for d, ring in enumerate(rings) if a in ring), a))
        keep = set(ranked[:MAX_ACTORS])
        left_out = len(near.actors) - len(keep)
        near = type(near)({a: near.actors[a] for a in keep},
                          [e for e in near.edges if e.source in keep and e.target in keep], near.datasets)
    near.complete(near.edges)
    return {"center": actor, "depth": depth, "truncated": left_out, **_fragment(near)}


def path(store, source: str, target: str, *, avoid_hubs: bool = False, exclude: tuple[str, ...] = ()) -> dict:
    """The shortest path from ``source`` to ``target`` (actor ids) as ``kgraph path`` finds it
    (with ``avoid_hubs``: the cheapest), around the ``exclude``d actors: the actor ids in
    order, the hops' relations and a fragment with those actors and relations.
    ``path`` is empty when there is none within the usual number of hops."""
    graph, _ = _graph(store)
    actors = graph.all_actors()
    for actor in (source, target, *exclude):
        if actor not in actors:
            raise UnknownActor(actor, [])
    blocked = [a for a in (source, target) if a in exclude]
    if blocked:
        raise KgraphError(f"{actors[blocked[0]].label} is excluded")
    try:
        found = graph.path(source, target, k=1, avoid_hubs=avoid_hubs, exclude=exclude)
    except NoPath as exc:
        _, ends = graph.around([source, target], 0)
        return {"path": [], "hops": [], "message": str(exc), **_fragment(ends, [source, target], [])}
    hops = found[0].hops
    ids = [source] + [h.target for h in hops]
    edges = [h.edge for h in hops]
    return {"path": ids, "hops": [f"{e.source}|{e.relation}|{e.target}" for e in edges], "cost": found[0].cost,
            **_fragment(found.network, ids, edges)}


def network_style() -> dict:
    """How the page draws actors and relations: the offline page's vis options and legend names."""
    from ..viz.page import _options
    from ..viz.style import FAMILY_COLOURS, KINDS

    return {"options": _options(False), "kindLabels": {k: v.label for k, v in KINDS.items()},
            "familyColours": FAMILY_COLOURS}


@dataclass(frozen=True)
class Call:
    """One of this module's functions to run in a query worker: ``name`` and keyword ``args``."""

    name: str
    args: dict = field(default_factory=dict)

    def run(self, store):
        """The :class:`~kgraph.serve.workers.Reply`: 200 and JSON; 404 for an unknown actor, 400 for bad
        input, 502 when the store fails, each with ``{"error": message}``."""
        from .workers import Reply

        calls = {"search": search_actors, "neighbourhood": neighbourhood, "path": path}
        try:
            body, status = calls[self.name](store, **self.args), 200
        except UnknownActor as exc:
            body, status = {"error": str(exc)}, 404
        except StoreError as exc:
            body, status = {"error": str(exc)}, 502
        except KgraphError as exc:
            body, status = {"error": str(exc)}, 400
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return Reply(status, "application/json", text.encode("utf-8"))
