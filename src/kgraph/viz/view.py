"""Which part of the graph ``kgraph viz`` draws: focus, path, families, modalities.

Names are resolved with :class:`kgraph.network.names.NameIndex` (so ``Toqajev``
works); filtering is :func:`kgraph.network.selection.select`, shared with the other
commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import KgraphError, NoPath
from ..network.names import NameIndex
from ..network.projection import Projection
from ..network.selection import modalities_kept, select

__all__ = ["View", "select_view"]


@dataclass
class View:
    projection: Projection
    path: list[str] = field(default_factory=list)  # actor ids, highlighted when the page opens
    title: str = "kgraph"
    resolved: list = field(default_factory=list)  # how --focus or --path names matched (kgraph.network.names.Match)


def select_view(projection: Projection, *, focus: str | None = None, depth: int = 2,
                path: tuple[str, str] | None = None, families: Iterable[str] = (),
                stated_only: bool = False, title: str | None = None,
                modalities: Iterable[str] | str = ()) -> View:
    """The sub-network to draw and the path to highlight.

    ``families`` and ``modalities`` (``stated_only`` is ``("stated",)``)
    keep those relations and the actors they link; ``focus`` keeps the actors within ``depth`` hops of the actor
    named; ``path`` keeps the actors on the shortest path between the two
    actors named (the one ``kgraph path`` lists first, over the relations
    left by ``families`` and ``modalities``, either direction) and every
    relation between consecutive ones. Raises :class:`~kgraph.errors.NoPath`
    when they are not connected.

    Parameters
    ----------
    projection : Projection
        The whole network.
    focus : str, optional
        A name as people type it; not with ``path``.
    depth : int
        Hops around ``focus``.
    path : (str, str), optional
        Two names; the view is the shortest path between them.
    families, modalities, stated_only
        Which relations to keep, as for :func:`kgraph.network.selection.select`.
    title : str, optional
        The page title; by default it says what was selected.

    Returns
    -------
    View
        ``projection`` to draw, ``path`` to highlight, ``title``, and
        ``resolved`` (how each name was taken).

    Examples
    --------
    >>> from kgraph.network.projection import load_projection
    >>> from kgraph.viz import select_view
    >>> view = select_view(load_projection(), path=("Tokayev", "Joe Biden"))
    >>> view.path[0], view.path[-1]
    ('tokayev', 'joe-biden')
    """
    if focus is not None and path is not None:
        raise KgraphError("use either --focus or --path, not both")
    names = NameIndex(projection.actors.values())
    families = tuple(families)
    modalities = modalities_kept(modalities, stated_only=stated_only)
    if path is not None:
        resolved = [names.match(name) for name in path]
        start, end = (m.actor.id for m in resolved)
        chosen = select(projection, families=families, modalities=modalities)
        ids = _shortest_path(chosen, start, end)
        hops = {frozenset(pair) for pair in zip(ids, ids[1:])}
        edges = [e for e in chosen.edges if frozenset((e.source, e.target)) in hops]
        actors = {i: chosen.actors[i] for i in sorted(ids)}
        label = " to ".join(projection.actors[i].label for i in (start, end))
        return View(Projection(actors, edges, projection.datasets), ids, title or f"Path from {label}", resolved)
    resolved = [names.match(focus)] if focus is not None else []
    focus_id = resolved[0].actor.id if resolved else None
    chosen = select(projection, focus=focus_id, depth=depth, families=families, modalities=modalities)
    if families or modalities:
        chosen = _without_loose_actors(chosen, keep=focus_id)
    if title is None:
        title = (f"{projection.actors[focus_id].label} and {depth} hop{'s' * (depth != 1)} around"
                 if focus_id else "kgraph")
    return View(chosen, [], title, resolved)


def _without_loose_actors(projection: Projection, keep: str | None) -> Projection:
    """Drop the actors a relation filter left without any relation: they would float unconnected."""
    linked = {e.source for e in projection.edges} | {e.target for e in projection.edges} | {keep}
    return Projection({k: v for k, v in projection.actors.items() if k in linked}, projection.edges,
                      projection.datasets)


def _shortest_path(projection: Projection, start: str, end: str) -> list[str]:
    """The actors on the path ``kgraph path`` lists first (any length), in order."""
    from ..network.algorithms import shortest_paths

    try:
        best = shortest_paths(projection, start, end, max_hops=max(1, len(projection.actors)), k=1)[0]
    except NoPath:
        a, b = projection.actors[start].label, projection.actors[end].label
        raise NoPath(f"no path between {a} and {b} over the relations selected") from None
    return [start] + [hop.target for hop in best.hops]
