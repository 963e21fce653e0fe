"""Graph questions on the actor network (networkx): paths, neighbours, centrality, factions.

Everything starts from a :class:`~kgraph.network.projection.Projection`; statement
nodes, posts and literals are not nodes. Relations are followed in both
directions unless ``directed=True``; each hop says which way the relation
points and carries its evidence.

>>> from kgraph.network.projection import load_projection
>>> from kgraph.network.algorithms import shortest_paths
>>> found = shortest_paths(load_projection(), "tokayev", "joe-biden")   # doctest: +SKIP

With ``avoid_hubs=True`` paths are ranked by a cost instead of their number
of hops: a path costs the sum of the degrees (numbers of relations, the
``relations`` column of ``kgraph actors``) of the actors it passes through;
its two ends are free. Passing Kazakhstan (13 relations) costs as much as
passing four actors with 3 relations each, so a longer path through
specific actors ranks above a short one through a hub. Equal costs go to
the path with fewer hops, then to the first by actor ids in order, so the
page's path tool (``network.js``, same rule) picks the same path.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from itertools import islice, product

from ..errors import KgraphError, NoPath
from .projection import Edge, Evidence, Projection

__all__ = ["Hop", "Path", "shortest_paths", "neighbours", "centrality", "factions", "evidence_dict", "MEASURES"]

MEASURES = ("degree", "betweenness", "pagerank")
QUANTITY_KEYS = ("what", "value", "min", "max", "unit")


@dataclass
class Hop:
    source: str
    target: str
    edge: Edge

    @property
    def direction(self) -> str:
        return "forward" if self.edge.source == self.source else "backward"

    def to_dict(self, actors) -> dict:
        return {
            "from": {"id": self.source, "label": actors[self.source].label},
            "to": {"id": self.target, "label": actors[self.target].label},
            "relation": self.edge.label,
            "relation_id": self.edge.relation,
            "family": self.edge.family,
            "direction": self.direction,
            "evidence": [evidence_dict(e) for e in self.edge.evidence],
        }


@dataclass
class Path:
    hops: list[Hop]
    cost: int | None = None  # set when ranked with avoid_hubs

    @property
    def length(self) -> int:
        return len(self.hops)

    def to_dict(self, actors) -> dict:
        cost = {} if self.cost is None else {"cost": self.cost}
        return {"length": self.length, **cost, "hops": [h.to_dict(actors) for h in self.hops]}


def evidence_dict(evidence: Evidence) -> dict:
    """One piece of evidence for JSON: ``post``, ``quote``, ``asserted_by``, ``modality``, ``claim``,
    ``dataset``, and its caveats: ``note`` (or None), ``time`` (see :attr:`Evidence.time`), ``quantities``."""
    data = asdict(evidence)
    return {"post": data["post"], "quote": data["quote"], "asserted_by": data["asserted_by"],
            "modality": data["modality"], "claim": data["claim"], "dataset": data["dataset"],
            "note": data["note"] or None, "time": evidence.time,
            # one key order, whether the projection came fresh or from the cache (sorted keys)
            "quantities": [{k: q.get(k) for k in QUANTITY_KEYS} for q in data["quantities"]]}


def _check_limit(name: str, value: int, low: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise KgraphError(f"{name} must be a whole number of at least {low}, not {value!r}")


def _edge_rank(edge: Edge) -> tuple:
    # Stated evidence first, then the earliest post: the best-supported hop leads.
    return (not edge.stated, min((e.post for e in edge.evidence), default=10**9), edge.relation)


def _path_index(projection: Projection, directed: bool):
    """The simple graph paths run on and the relations between each pair, built once per projection."""
    import networkx as nx

    cache = projection.__dict__.setdefault("_path_index", {})
    if directed not in cache:
        simple = nx.DiGraph() if directed else nx.Graph()
        simple.add_nodes_from(projection.actors)
        between: dict[tuple[str, str], list[Edge]] = {}
        for edge in projection.edges:
            simple.add_edge(edge.source, edge.target)
            between.setdefault((edge.source, edge.target), []).append(edge)
            if not directed:
                between.setdefault((edge.target, edge.source), []).append(edge)
        cache[directed] = (simple, between)
    return cache[directed]


def path_depth(max_hops: int) -> int:
    """The ``depth`` of a neighbourhood of two seeds that holds every path of up to ``max_hops`` hops
    between them (:func:`kgraph.network.neighbourhood.fetch_neighbourhood`)."""
    return max(0, max_hops) // 2


def default_max_hops(avoid_hubs: bool) -> int:
    return 8 if avoid_hubs else 4


def _cheapest_node_paths(simple, source: str, target: str, max_hops: int, enough, degree: dict) -> list:
    """``(cost, hops, actor ids)`` of the cheapest simple paths of at most ``max_hops`` hops, cheapest
    first, until ``enough(paths)``; every path as cheap as the last one is kept, so ties are ordered alike."""
    import networkx as nx

    # Only actors on some path of at most max_hops hops, so the search cannot wander off into long cheap paths.
    ahead = nx.single_source_shortest_path_length(simple, source, cutoff=max_hops)
    behind = nx.single_source_shortest_path_length(simple.reverse(copy=False) if simple.is_directed() else simple,
                                                   target, cutoff=max_hops)
    near = [n for n in ahead if n in behind and ahead[n] + behind[n] <= max_hops]
    if target not in near:
        return []
    # A hop weighs the degrees of both its ends: twice the cost, plus the same ends on every path.
    weight = lambda u, v, _: degree.get(u, 0) + degree.get(v, 0)  # noqa: E731
    found: list = []
    for nodes in nx.shortest_simple_paths(simple.subgraph(near), source, target, weight=weight):
        cost = sum(degree.get(n, 0) for n in nodes[1:-1])
        if found and enough(found) and cost > found[-1][0]:
            break
        if len(nodes) - 1 <= max_hops:
            found.append((cost, len(nodes) - 1, nodes))
    return sorted(found)


def shortest_paths(projection: Projection, source: str, target: str, *, max_hops: int | None = None, k: int = 3,
                   directed: bool = False, avoid_hubs: bool = False,
                   degree: dict[str, int] | None = None, claims=None) -> list[Path]:
    """Up to ``k`` shortest simple paths of at most ``max_hops`` hops (default 4, or 8 with ``avoid_hubs``).

    Parallel relations between two actors give separate paths (each hop is
    one relation with its own evidence). Raises :class:`NoPath` when the
    actors are not connected within ``max_hops``.

    ``avoid_hubs``: rank by the cost in the module docstring, cheapest
    first (a path around a hub is longer, hence the longer default
    ``max_hops``); each path's ``cost`` is set. ``degree`` maps actor ids to their
    number of relations for that cost; by default it is
    ``projection.degree()``. Pass the whole network's when ``projection`` is
    a filtered or fetched part of it, so a hub stays a hub.

    Parameters
    ----------
    projection : Projection
        The network, e.g. from :func:`kgraph.network.projection.load_projection`.
    source, target : str
        Actor ids (resolve typed names with :class:`kgraph.network.names.NameIndex`).
    max_hops, k : int
        The longest path and the number of paths wanted.
    directed : bool
        Follow relations only from subject to object.
    avoid_hubs : bool
        Rank by cost, so paths through much-connected actors come last.
    degree : dict, optional
        Actor id to number of relations, for the cost.
    claims : callable, optional
        Called with the edges between the actors of the paths found before they are ranked by
        their evidence: :meth:`~kgraph.network.projection.Projection.claims` of a network whose
        claims are fetched on demand.

    Returns
    -------
    list of Path
        Shortest (or cheapest) first; each hop carries its relation and evidence.

    Raises
    ------
    NoPath
        When the actors are not connected within ``max_hops``.

    Examples
    --------
    >>> import kgraph
    >>> net = kgraph.load_projection()
    >>> path = kgraph.shortest_paths(net, "tokayev", "joe-biden", k=1)[0]
    >>> path.length, path.hops[-1].target
    (3, 'joe-biden')
    """
    import networkx as nx

    if max_hops is None:
        max_hops = default_max_hops(avoid_hubs)
    _check_limit("--max-hops", max_hops, 1)
    _check_limit("--paths", k, 1)
    for actor in (source, target):
        if actor not in projection.actors:
            raise KgraphError(f"actor {actor!r} is not in the selected graph")
    if source == target:
        return [Path([])]
    simple, between = _path_index(projection, directed)
    found: list[Path] = []

    def add(nodes, cost=None):
        options = [sorted(between[(a, b)], key=_edge_rank) for a, b in zip(nodes, nodes[1:])]
        for combo in islice(product(*options), k - len(found)):
            found.append(Path([Hop(a, b, e) for (a, b), e in zip(zip(nodes, nodes[1:]), combo)], cost))

    def variants(nodes) -> int:
        return math.prod(len(between[(a, b)]) for a, b in zip(nodes, nodes[1:]))

    # The actors of the paths first, then their relations: ranking those reads their evidence.
    chosen: list[tuple[list[str], int | None]] = []
    try:
        if avoid_hubs:
            cheapest = _cheapest_node_paths(simple, source, target, max_hops,
                                            lambda paths: sum(variants(p) for *_, p in paths) >= k,
                                            projection.degree() if degree is None else degree)
            chosen = [(nodes, cost) for cost, _, nodes in cheapest]
        else:
            for nodes in nx.shortest_simple_paths(simple, source, target):
                if len(nodes) - 1 > max_hops:
                    break
                chosen.append((nodes, None))
                if sum(variants(n) for n, _ in chosen) >= k:
                    break
    except nx.NetworkXNoPath:
        pass
    if claims is not None and chosen:
        claims([e for nodes, _ in chosen for a, b in zip(nodes, nodes[1:]) for e in between[(a, b)]])
    for nodes, cost in chosen:
        add(nodes, cost)
    if not found:
        reach = nx.single_source_shortest_path_length(simple, source, cutoff=max_hops)
        raise NoPath(f"no path between {projection.actors[source].label} and {projection.actors[target].label} "
                     f"within {max_hops} hops ({projection.actors[source].label} reaches "
                     f"{len(reach) - 1} actors within {max_hops} hops)")
    return found


def neighbours(projection: Projection, actor: str, *, depth: int = 1) -> list[tuple[str, int, list[Edge]]]:
    """Actors within ``depth`` hops: ``(id, distance, edges linking it to the previous ring)``.

    Parameters
    ----------
    projection : Projection
        The network.
    actor : str
        The actor id at the centre.
    depth : int
        How many hops out, either direction.

    Returns
    -------
    list of (str, int, list of Edge)
        Nearest first.

    Examples
    --------
    >>> import kgraph
    >>> around = kgraph.neighbours(kgraph.load_projection(), "masimov")
    >>> {distance for _, distance, _ in around}
    {1}
    >>> "nazarbayev" in [actor for actor, _, _ in around]
    True
    """
    import networkx as nx

    _check_limit("--depth", depth, 1)
    graph = projection.to_networkx()
    if actor not in graph:
        raise KgraphError(f"actor {actor!r} is not in the graph")
    distance = nx.single_source_shortest_path_length(graph, actor, cutoff=depth)
    found = []
    for other, dist in sorted(distance.items(), key=lambda kv: (kv[1], projection.actors[kv[0]].label)):
        if other == actor:
            continue
        linking = [e for e in projection.edges
                   if (e.source == other and distance.get(e.target) == dist - 1)
                   or (e.target == other and distance.get(e.source) == dist - 1)]
        found.append((other, dist, linking))
    return found


def centrality(projection: Projection, measure: str = "degree") -> list[tuple[str, float]]:
    """Actors ranked by ``degree``, ``betweenness`` or ``pagerank`` (highest first).

    Parameters
    ----------
    projection : Projection
        The network.
    measure : str
        ``degree`` (number of relations), ``betweenness`` or ``pagerank``.

    Returns
    -------
    list of (str, float)
        Actor id and score.

    Examples
    --------
    >>> import kgraph
    >>> actor, score = kgraph.centrality(kgraph.load_projection(), "degree")[0]
    >>> actor
    'kazakhstan'
    """
    import networkx as nx

    if measure not in MEASURES:
        raise KgraphError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    multi = projection.to_networkx()
    simple = nx.Graph(multi)
    if measure == "degree":
        scores = dict(multi.degree())
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    else:
        scores = nx.pagerank(simple)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def factions(projection: Projection, *, families=("cooperation", "membership", "kinship"),
             seed: int = 7) -> list[list[str]]:
    """Communities of actors tied by cooperation, membership and kinship (Louvain, fixed seed).

    Hostile relations separate factions rather than bind them, so by default
    only the binding families count. Largest community first.

    Parameters
    ----------
    projection : Projection
        The network.
    families : tuple of str
        The relation families that bind actors together.
    seed : int
        Louvain's random seed: the same seed gives the same factions.

    Returns
    -------
    list of list of str
        Sorted actor ids, largest community first.

    Examples
    --------
    >>> import kgraph
    >>> blocs = kgraph.factions(kgraph.load_projection())
    >>> any({"russia", "belarus", "armenia"} <= set(bloc) for bloc in blocs)
    True
    """
    import networkx as nx

    graph = nx.Graph()
    for edge in projection.edges:
        if edge.family in families:
            weight = graph.get_edge_data(edge.source, edge.target, {}).get("weight", 0)
            graph.add_edge(edge.source, edge.target, weight=weight + 1)
    if graph.number_of_nodes() == 0:
        return []
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))
