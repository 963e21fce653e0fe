"""Cut a :class:`~kgraph.projection.Projection` down to what the user asked for.

Shared by the HTML, the exports and the graph commands so ``--focus``,
``--depth``, ``--family``, ``--relation``, ``--exclude`` and ``--stated-only``
mean the same everywhere.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from .errors import KgraphError
from .model import FAMILIES
from .projection import Edge, Projection

__all__ = ["select", "filter_edges", "ego"]


def filter_edges(projection: Projection, *, families: Iterable[str] = (), relations: Iterable[str] = (),
                 stated_only: bool = False, exclude: Iterable[str] = ()) -> Projection:
    """Keep the edges of the given families/relations, drop excluded actors.

    With ``stated_only`` an edge keeps only its evidence that is not
    speculated or reported, and goes if none is left.
    """
    families, relations, excluded = set(families), set(relations), set(exclude)
    unknown = families - set(FAMILIES)
    if unknown:
        raise KgraphError(f"unknown relation family {sorted(unknown)[0]!r}; use one of {', '.join(FAMILIES)}")
    edges: list[Edge] = []
    for edge in projection.edges:
        if families and edge.family not in families:
            continue
        if relations and edge.relation not in relations and edge.label not in relations:
            continue
        if edge.source in excluded or edge.target in excluded:
            continue
        if stated_only:
            kept = [e for e in edge.evidence if e.stated]
            if edge.evidence and not kept:
                continue
            edge = replace(edge, evidence=kept)
        edges.append(edge)
    actors = {k: v for k, v in projection.actors.items() if k not in excluded}
    return Projection(actors, edges, projection.datasets)


def ego(projection: Projection, center: str, depth: int) -> Projection:
    """The actors within ``depth`` hops of ``center`` (either direction) and the edges among them."""
    if depth < 0:
        raise KgraphError(f"--depth must be 0 or more, not {depth}")
    neighbours: dict[str, set[str]] = {}
    for edge in projection.edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    seen = {center: 0}
    queue = deque([center])
    while queue:
        node = queue.popleft()
        if seen[node] == depth:
            continue
        for other in sorted(neighbours.get(node, ())):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    actors = {k: v for k, v in projection.actors.items() if k in seen}
    edges = [e for e in projection.edges if e.source in seen and e.target in seen]
    return Projection(actors, edges, projection.datasets)


def select(projection: Projection, *, focus: str | None = None, depth: int = 2,
           families: Iterable[str] = (), relations: Iterable[str] = (), stated_only: bool = False,
           exclude: Iterable[str] = ()) -> Projection:
    """Filter edges, then (with ``focus``, an actor id) keep its ``depth``-neighbourhood."""
    chosen = filter_edges(projection, families=families, relations=relations, stated_only=stated_only,
                          exclude=exclude)
    if focus is not None:
        if focus not in chosen.actors:
            raise KgraphError(f"actor {focus!r} is not in the selected graph")
        chosen = ego(chosen, focus, depth)
    return chosen
