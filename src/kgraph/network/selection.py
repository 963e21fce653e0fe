"""Cut a :class:`~kgraph.network.projection.Projection` down to what the user asked for.

Shared by the HTML, the exports and the graph commands so ``--focus``,
``--depth``, ``--family``, ``--relation``, ``--exclude`` and ``--modality``
(``--stated-only`` is ``--modality stated``) mean the same everywhere.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace

from ..errors import KgraphError
from ..source.model import FAMILIES, MODALITIES
from .projection import Edge, Projection

__all__ = ["select", "filter_edges", "ego", "modalities_kept"]


def modalities_kept(modalities: Iterable[str] | str = (), *, stated_only: bool = False) -> tuple[str, ...]:
    """The modalities a filter keeps, in the order of :data:`~kgraph.source.model.MODALITIES`; () keeps all.

    ``modalities`` is names or one comma-separated list; ``stated_only`` is
    exactly ``("stated",)``: assessed claims are the author's judgement, not
    something he states.

    >>> modalities_kept("assessed, stated")
    ('stated', 'assessed')
    >>> modalities_kept(stated_only=True)
    ('stated',)
    """
    if isinstance(modalities, str):
        modalities = modalities.split(",")
    given = {m.strip() for m in modalities if m.strip()}
    unknown = sorted(given - set(MODALITIES))
    if unknown:
        raise KgraphError(f"unknown modality {unknown[0]!r}; use any of {', '.join(MODALITIES)}")
    if stated_only:
        if given - {"stated"}:
            raise KgraphError("stated only is modality 'stated'; give either it or the modalities")
        given = {"stated"}
    return tuple(m for m in MODALITIES if m in given)


def filter_edges(projection: Projection, *, families: Iterable[str] = (), relations: Iterable[str] = (),
                 stated_only: bool = False, exclude: Iterable[str] = (),
                 modalities: Iterable[str] | str = ()) -> Projection:
    """Keep the edges of the given families/relations, drop excluded actors.

    With ``modalities`` (e.g. ``("stated", "assessed")``) an edge keeps only
    its evidence of those modalities, and goes if none is left;
    ``stated_only`` is ``modalities=("stated",)``.
    """
    kept_modalities = modalities_kept(modalities, stated_only=stated_only)
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
        if kept_modalities:
            kept = [e for e in edge.evidence if e.modality in kept_modalities]
            if edge.evidence and not kept:
                continue
            edge = replace(edge, evidence=kept)
        edges.append(edge)
    # Shared when no actor is left out, a view when some are: a neighbourhood read from an index or a
    # remote store reads its actors only when asked.
    actors = projection.actors
    if excluded:
        actors = {k: v for k, v in actors.items() if k not in excluded} if isinstance(actors, dict) else \
            _Without(actors, excluded)
    return Projection(actors, edges, projection.datasets)


class _Without(Mapping):
    """``actors`` but ``excluded``, each read from ``actors`` when asked for."""

    def __init__(self, actors: Mapping, excluded: set[str]):
        self.actors, self.excluded = actors, excluded

    def __getitem__(self, aid):
        if aid in self.excluded:
            raise KeyError(aid)
        return self.actors[aid]

    def __contains__(self, aid):
        return aid not in self.excluded and aid in self.actors

    def __iter__(self):
        return (aid for aid in self.actors if aid not in self.excluded)

    def __len__(self):
        return sum(1 for _ in self)


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
           exclude: Iterable[str] = (), modalities: Iterable[str] | str = ()) -> Projection:
    """Filter edges, then (with ``focus``, an actor id) keep its ``depth``-neighbourhood.

    Parameters
    ----------
    projection : Projection
        The network.
    focus : str, optional
        An actor id; only actors within ``depth`` hops of it are kept.
    families, relations : iterable of str
        Keep only relations of these families or ids (empty: all).
    modalities : str or iterable of str
        Keep only evidence of these modalities (see :func:`modalities_kept`);
        ``stated_only`` is ``("stated",)``.
    exclude : iterable of str
        Actor ids to drop, with their relations.

    Returns
    -------
    Projection
        A new projection; the one given is not changed.

    Raises
    ------
    KgraphError
        When ``focus`` is not in what the filters leave.

    Examples
    --------
    >>> import kgraph
    >>> near = kgraph.select(kgraph.load_projection(), focus="masimov", depth=1, stated_only=True)
    >>> "masimov" in near.actors
    True
    >>> {e.modality for edge in near.edges for e in edge.evidence}
    {'stated'}
    """
    chosen = filter_edges(projection, families=families, relations=relations, stated_only=stated_only,
                          exclude=exclude, modalities=modalities)
    if focus is not None:
        if focus not in chosen.actors:
            raise KgraphError(f"actor {focus!r} is not in the selected graph")
        chosen = ego(chosen, focus, depth)
    return chosen
