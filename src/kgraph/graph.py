"""One object for every question about a graph: ``kg = kgraph.open(...)``.

:class:`KGraph` owns the open store, the actors (for resolving names) and
the name index, and decides how much of the graph each question needs: a
local graph (``memory``, ``rdflib``) is read whole once and cached on disk,
while an on-disk or remote store of millions of triples is asked only for
its actors and the neighbourhood a question is about. The ``kgraph``
commands, the server and the page builder are thin wrappers over it; its
answers (:mod:`kgraph.answers`) print as the commands do.

>>> import kgraph
>>> kg = kgraph.open("graph")
>>> kg.path("Tokayev", "Biden")
<Paths Kassym-Jomart Tokayev → Joe Biden: 3 paths, shortest 3 hops>
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import KgraphError

__all__ = ["KGraph", "open"]

_LOCAL = ("memory", "rdflib")


def _is_spec(target: str) -> bool:
    return target in _LOCAL or target.startswith(("oxigraph:", "http://", "https://"))


def open(target: str | os.PathLike = "graph", *, store=None, graph_dir: str | os.PathLike | None = None) -> KGraph:
    """Open a graph to ask questions of.

    Parameters
    ----------
    target : str or path, default "graph"
        A folder ``kgraph build`` wrote (read into memory), or a store as
        ``--store`` takes it: ``memory`` or ``rdflib`` (the graph in
        ``graph_dir``), ``oxigraph:PATH`` (filled by ``kgraph load``), or an
        ``http(s)://.../sparql`` endpoint.
    store : kgraph.stores.Store, optional
        An already open store to use instead of ``target``.
    graph_dir : str or path, optional
        The graph folder for ``memory`` and ``rdflib`` (default ``graph``);
        with it, ``target`` must be a store, not a folder.

    Returns
    -------
    KGraph

    Examples
    --------
    >>> import kgraph
    >>> kgraph.open("graph")
    <KGraph memory store of graph>
    >>> kgraph.open("rdflib", graph_dir="graph")
    <KGraph rdflib store of graph>
    """
    if store is not None:
        return KGraph(store=store)
    if not isinstance(target, str):
        return KGraph("memory", graph_dir=Path(target))
    spec = target.strip()
    if _is_spec(spec):
        return KGraph(spec, graph_dir="graph" if graph_dir is None else graph_dir)
    if graph_dir is None and Path(target).is_dir():
        return KGraph("memory", graph_dir=Path(target))
    if graph_dir is None:
        from .errors import StoreError

        raise StoreError(f"{target}: no such graph folder, nor a store (memory, rdflib, oxigraph:PATH or an "
                         f"http(s):// SPARQL endpoint)")
    from .stores import open_store

    return KGraph(store=open_store(spec, graph_dir=graph_dir))  # raises: the store's own message


class KGraph:
    """A graph and the questions analysts ask of it; make one with :func:`kgraph.open`.

    Every method fetches only what its answer needs: names are resolved
    against the actors (fetched once, cached on disk for stores that can
    tell when they change), and on an on-disk or remote store ``path``,
    ``show``, ``neighbours`` and ``viz(focus=...)`` fetch only the
    neighbourhood they are about.

    Examples
    --------
    >>> import kgraph
    >>> kg = kgraph.open("graph")
    >>> kg
    <KGraph memory store of graph>
    >>> kg.show("Токаев").to_dict()["id"]
    'tokayev'
    """

    def __init__(self, spec: str = "memory", *, graph_dir: str | os.PathLike = "graph", store=None):
        self.spec = None if store is not None else spec
        self.graph_dir = Path(graph_dir)
        self._store = store
        self._projection = None
        self._actors = None
        self._names = None
        self._index = False  # not looked for yet

    def __repr__(self) -> str:
        if self.spec in _LOCAL:
            return f"<KGraph {self.spec} store of {self.graph_dir}>"
        return f"<KGraph {self.spec or self._store.description}>"

    # -- what the graph is read from -------------------------------------------------

    @property
    def local(self) -> bool:
        """True when the whole graph is read into this process (``memory``, ``rdflib``)."""
        return self.spec in _LOCAL

    @property
    def store(self):
        """The open :class:`~kgraph.stores.Store` (opened on first use)."""
        if self._store is None:
            from .stores import open_store

            self._store = open_store(self.spec, graph_dir=self.graph_dir)
        return self._store

    def close(self) -> None:
        """Release the store, its index and its names."""
        if self._names is not None:
            self._names.close()
        if self._index:
            self._index.close()
        if self._store is not None:
            self._store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def projection(self):
        """The whole actor network (:class:`~kgraph.network.projection.Projection`); a local graph's is
        cached on disk, keyed by its files.

        Examples
        --------
        >>> import kgraph
        >>> net = kgraph.open("graph").projection()
        >>> net.actors["tokayev"].label
        'Kassym-Jomart Tokayev'
        """
        if self._projection is None:
            if self.local:
                from .network.projection import load_projection

                self._projection = load_projection(self.spec, graph_dir=self.graph_dir)
            else:
                from .network.projection import fetch_projection

                self._projection = fetch_projection(self.store, actors=self.all_actors())
        return self._projection

    def all_actors(self) -> dict:
        """Every actor by id (:class:`~kgraph.network.projection.ActorInfo`), fetched once.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").all_actors()["masimov"].label
        'Karim Massimov'
        """
        if self._actors is None:
            if self.local:
                self._actors = self.projection().actors
            else:
                from .network.projection import cached_actors

                self._actors = dict(sorted(cached_actors(self.store).items()))
        return self._actors

    @property
    def index(self):
        """The :class:`~kgraph.network.actorindex.ActorIndex` beside an on-disk store (built when missing or
        stale), or None: a local graph is read whole, and a remote store cannot say when it changed."""
        if self._index is False and self.local:
            self._index = None
        if self._index is False:  # imported only here: a local graph's commands start without it
            from .network.actorindex import open_index

            self._index = open_index(self.store)
        return self._index

    @property
    def names(self):
        """The :class:`~kgraph.network.names.NameIndex` of every actor."""
        if self._names is None:
            if self.index is not None:
                self._names = self.index.names()
            elif self.local or self._actors is not None:
                from .network.names import NameIndex

                self._names = NameIndex(self.all_actors().values())
            else:  # a remote store: its names asked on every command (it cannot say when it changed), the
                # index built from them kept by their content
                from .network.remotenames import cached_names

                self._names = cached_names(self.store)
        return self._names

    def match(self, name: str):
        """How ``name`` (any spelling, language or script) is taken: a :class:`~kgraph.network.names.Match`.

        Raises :class:`~kgraph.errors.UnknownActor` or :class:`~kgraph.errors.AmbiguousActor`.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").match("Toqajev").actor.id
        'tokayev'
        """
        return self.names.match(name)

    def around(self, names: list[str], depth: int, *, light: bool = False):
        """How ``names`` matched, and the network within ``depth`` hops of them: the whole
        (cached) network of a local graph; only that neighbourhood from another store.

        The evidence of an on-disk store's neighbourhood is fetched on demand:
        ``near.complete(edges)`` fills in that of the ``edges`` a caller shows. ``light``: a
        remote store's too, and its edges' claims when ``near.claims(edges)`` asks for them
        (:func:`~kgraph.network.neighbourhood.fetch_light_neighbourhood`).

        Examples
        --------
        >>> import kgraph
        >>> (found,), near = kgraph.open("graph").around(["Masimov"], 1)
        >>> found.actor.id, "nazarbayev" in near.actors
        ('masimov', True)
        """
        found = [self.match(n) for n in names]
        if self.local:
            return found, self.projection()
        if self.index is not None:  # an on-disk store: the network from the index; evidence on demand
            return found, self.index.neighbourhood(sorted({m.actor.id for m in found}), depth)
        if light:
            from .network.neighbourhood import fetch_light_neighbourhood

            return found, fetch_light_neighbourhood(self.store, sorted({m.actor.id for m in found}), depth)
        from .network.neighbourhood import fetch_neighbourhood

        # Without every actor at hand, the neighbourhood fetches those it holds, and their asserters.
        return found, fetch_neighbourhood(self.store, sorted({m.actor.id for m in found}), depth,
                                          actors=self._actors)

    def _degrees(self, near) -> dict[str, int]:
        """The whole graph's number of relations of the actors of ``near``."""
        if self.local:
            return self.projection().degree()
        if self.index is not None:
            return self.index.degrees(near.actors)
        from .network.neighbourhood import fetch_degrees

        return fetch_degrees(self.store, near.actors)

    # -- questions about actors ------------------------------------------------------

    def path(self, source: str, target: str, *, max_hops: int | None = None, k: int = 3, directed: bool = False,
             avoid_hubs: bool = False, relations: Iterable[str] = (), families: Iterable[str] = (),
             exclude: Iterable[str] = (), modalities: Iterable[str] | str = ()):
        """How two actors are linked: up to ``k`` shortest paths, each hop with its evidence.

        Parameters
        ----------
        source, target : str
            Names as people type them.
        max_hops : int, optional
            Longest path looked for (default 4, or 8 with ``avoid_hubs``).
        k : int
            Up to this many paths.
        directed : bool
            Follow relations only in their own direction.
        avoid_hubs : bool
            Rank paths by the numbers of relations of the actors they pass
            (see :mod:`kgraph.network`), so links through busy hubs come last.
        relations, families, modalities : iterable of str
            Only these relations (ids or labels), relation families, or
            modalities (stated, assessed, speculated, reported).
        exclude : iterable of str
            Names of actors the paths must not pass through.

        Returns
        -------
        kgraph.answers.Paths
            Raises :class:`~kgraph.errors.NoPath` when none is found.

        Examples
        --------
        >>> import kgraph
        >>> paths = kgraph.open("graph").path("Tokayev", "Biden")
        >>> paths
        <Paths Kassym-Jomart Tokayev → Joe Biden: 3 paths, shortest 3 hops>
        >>> hop = paths[0].hops[0]
        >>> hop.edge.label, hop.edge.evidence[0].post
        ('dismissed', 10)
        """
        from .answers import Paths

        # Not from neighbourhood, which needs rdflib: a local graph's path starts without it.
        from .network.algorithms import default_max_hops, path_depth, shortest_paths
        from .network.selection import filter_edges

        if max_hops is None:
            max_hops = default_max_hops(avoid_hubs)
        (a_match, b_match), near = self.around([source, target], path_depth(max_hops), light=True)
        excluded: list = []
        try:
            excluded += [self.match(n) for n in exclude]
            if modalities:  # the filter reads every relation's claims
                near.claims(near.edges)
            chosen = filter_edges(near, families=families, relations=relations, modalities=modalities,
                                  exclude=[m.actor.id for m in excluded])
            a, b = a_match.actor, b_match.actor
            for actor in (a, b):
                if actor.id not in chosen.actors:
                    raise KgraphError(f"{actor.label} is excluded by --exclude")
            # The degrees are the whole graph's, whatever the filters: a hub stays a hub.
            found = shortest_paths(chosen, a.id, b.id, max_hops=max_hops, k=k, directed=directed,
                                   avoid_hubs=avoid_hubs, degree=self._degrees(near) if avoid_hubs else None,
                                   claims=near.claims)
        except KgraphError as exc:
            exc.resolved = (a_match, b_match, *excluded)
            raise
        # An index's neighbourhood fetches the quotes and caveats of the hops shown only.
        near.complete([hop.edge for found_path in found for hop in found_path.hops])
        return Paths(a, b, found, chosen, a_match, b_match, excluded)

    def show(self, name: str):
        """Everything about one actor: names, description, Wikidata, every relation with its evidence.

        Examples
        --------
        >>> import kgraph
        >>> masimov = kgraph.open("graph").show("Masimov")
        >>> masimov.to_dict()["label"], masimov.to_dict()["resolved"]["how"]
        ('Karim Massimov', 'exact')
        """
        from .answers import ActorReport
        from .network.showing import describe

        (found,), near = self.around([name], 1)
        near.complete([e for e in near.edges if found.actor.id in (e.source, e.target)])
        return ActorReport(describe(near, found.actor.id), found, near.datasets)

    def neighbours(self, name: str, depth: int = 1):
        """The actors within ``depth`` hops of ``name``, nearest first, with the relations that link them.

        Examples
        --------
        >>> import kgraph
        >>> near = kgraph.open("graph").neighbours("Masimov")
        >>> near[0]["distance"]
        1
        """
        from .answers import Neighbours
        from .network.algorithms import _check_limit, neighbours

        _check_limit("--depth", depth, 1)
        (found,), near = self.around([name], depth)
        actor = found.actor
        rows = [{"id": i, "label": near.actors[i].label, "distance": d,
                 "relations": sorted({e.label for e in edges})} for i, d, edges in neighbours(near, actor.id,
                                                                                            depth=depth)]
        return Neighbours(actor, depth, rows, found)

    def actors(self, kind: str | None = None):
        """Every actor (or those of type ``kind``) with its number of relations; one count query
        on an on-disk or remote store.

        Raises :class:`~kgraph.errors.UnknownType` when no actor has type ``kind``.

        Examples
        --------
        >>> import kgraph
        >>> people = kgraph.open("graph").actors("person")
        >>> people[0]["type"]
        'person'
        """
        from .answers import ActorList

        if self.local:
            everyone, degree = self.projection().actors, self.projection().degree()
        else:
            from .network.neighbourhood import fetch_degrees

            everyone, degree = self.all_actors(), fetch_degrees(self.store)
        rows = [{"id": a.id, "type": a.type, "label": a.label, "relations": degree.get(a.id, 0)}
                for a in everyone.values() if kind is None or a.type == kind]
        if kind is not None and not rows:
            from .errors import UnknownType

            raise UnknownType(f"no actors of type {kind!r}; types: "
                              f"{', '.join(sorted({a.type for a in everyone.values()}))}")
        return ActorList(rows)

    def central(self, measure: str = "degree", top: int = 10):
        """The ``top`` actors by ``measure`` (degree, betweenness, pagerank), highest first.

        Centrality is a property of the whole network, so this fetches all of
        it, from any store.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").central(top=1)[0]["label"]
        'Kazakhstan'
        """
        from .answers import Ranking
        from .network.algorithms import _check_limit, centrality

        _check_limit("--top", top, 1)
        net = self.projection()
        return Ranking(measure, [{"id": i, "label": net.actors[i].label, "score": s}
                                 for i, s in centrality(net, measure)[:top]])

    def factions(self):
        """Communities of actors bound by cooperation, membership and kinship, largest first
        (the whole network is needed).

        Examples
        --------
        >>> import kgraph
        >>> len(kgraph.open("graph").factions()) > 1
        True
        """
        from .answers import Factions
        from .network.algorithms import factions

        net = self.projection()
        return Factions([[{"id": i, "label": net.actors[i].label} for i in group] for group in factions(net)])

    # -- questions about the evidence ------------------------------------------------

    def claims(self, *, modalities: Iterable[str] | str = (), asserted_by: Iterable[str] = (),
               actors: Iterable[str] = (), relations: Iterable[str] = (), families: Iterable[str] = (),
               posts: Iterable[int] = (), datasets: Iterable[str] = ()):
        """The claims that pass every filter given (see :func:`kgraph.network.claimlist.claims`).

        ``asserted_by`` and ``actors`` are names in any spelling; ``modalities``
        a set or a comma-separated string.

        Examples
        --------
        >>> import kgraph
        >>> hedged = kgraph.open("graph").claims(modalities={"speculated", "reported"})
        >>> sorted({c.modality for c in hedged})
        ['reported', 'speculated']
        """
        from .answers import ClaimList
        from .network.claimlist import claims

        by = [self.match(n) for n in asserted_by]
        about = [self.match(n) for n in actors]
        found = claims(self.store, modalities=modalities, asserted_by=[m.actor.id for m in by],
                       actors=[m.actor.id for m in about], relations=relations, families=families, posts=posts,
                       datasets=datasets, names=self.names)
        return ClaimList(found, [*by, *about])

    def post(self, number: int, dataset: str | None = None):
        """Post ``number`` verbatim with its claims and the actors it mentions.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").post(16).to_dict()["post"]
        16
        """
        from .answers import PostText
        from .network.posts import get_post

        return PostText(get_post(self.store, number, dataset=dataset))

    def search(self, text: str):
        """The posts, quotes, notes and descriptions holding every word of ``text`` (folded like names).

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").search("staatsverrat")[0]["field"]
        'post'
        """
        from .answers import SearchHits
        from .network.searching import search

        return SearchHits(text, search(self.store, text))

    def query(self, sparql: str, bindings: dict | None = None, *, timeout: float | None = None):
        """Run SPARQL (the project's prefixes bound; updates refused): a :class:`~kgraph.stores.results.Result`.

        Examples
        --------
        >>> import kgraph
        >>> result = kgraph.open("graph").query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu }")
        >>> len(result)
        5
        """
        from .stores.query import query

        return query(sparql, store=self.store, bindings=bindings, timeout=timeout)

    def named_query(self, name: str, limit: int | None = None, *, offset: int | None = None,
                    timeout: float | None = None, stream: bool = False):
        """Run one of the named analyst queries (``kgraph queries``), at most ``limit`` rows after the first ``offset``.

        On an on-disk store whose index is built and current, the rows come from the answers kept
        in the index (:mod:`kgraph.network.stored_answers`), not from running the query.
        ``stream``: a :class:`~kgraph.stores.results.RowStream`, rows as they come.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").named_query("hedged-claims", limit=2)
        <Result SELECT: 2 rows of dataset, post, modality, assertedBy, claim, quote>
        """
        from .stores.named_queries import page_text
        from .stores.query import query, stream_query

        text = page_text(name, limit=limit, offset=offset)
        stored = self._stored_page(name, limit, offset)
        if stored is not None:
            return stored if stream else stored.result()
        return (stream_query if stream else query)(text, store=self.store, timeout=timeout)

    def _stored_page(self, name: str, limit: int | None, offset: int | None):
        # An index is looked for, never built here: building one costs more than most queries.
        if self.local:
            return None
        if self._index is False:
            from .network.actorindex import existing_index

            found = existing_index(self.store)
            if found is None:
                return None
            self._index = found
        if self._index is None:
            return None
        from .network.stored_answers import stored_page

        return stored_page(self._index, name, limit=limit, offset=offset)

    def relations(self):
        """The relations of the graph's vocabulary with their family, domain and range.

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").relations()[0]  # doctest: +NORMALIZE_WHITESPACE
        {'id': 'announced', 'label': 'announced', 'label_de': 'kündigte an', 'family': 'participation',
         'domain': 'Agent', 'range': 'Event', 'cameo': '010'}
        """
        from .answers import RelationList
        from .rdf.ontology import fetch_relations

        return RelationList(fetch_relations(self.store))

    # -- the graph as a page or a file -----------------------------------------------

    def viz(self, focus: str | None = None, *, depth: int = 2, path: tuple[str, str] | None = None,
            families: Iterable[str] = (), modalities: Iterable[str] | str = (), title: str | None = None):
        """The interactive network as one offline HTML :class:`~kgraph.answers.Page`; Jupyter shows it
        inline, ``.save(file)`` writes it.

        ``focus``: only the actors within ``depth`` hops of this one; ``path``:
        only the shortest path between two actors, highlighted. ``families``
        and ``modalities`` keep those relations.

        Examples
        --------
        >>> import kgraph
        >>> page = kgraph.open("graph").viz(focus="Masimov", depth=1)
        >>> page.view.title, len(page.view.projection.actors)
        ('Karim Massimov and 1 hop around', 9)
        """
        from .answers import Page
        from .viz import render_html, select_view

        options = {"depth": depth, "families": families, "modalities": modalities, "title": title}
        if focus is not None and path is None and not self.local:
            (found,), near = self.around([focus], max(depth, 0))
            view = select_view(near, focus=found.actor.id, **options)
            near.complete(view.projection.edges)
            view.resolved = [found]
        else:
            view = select_view(self.projection(), focus=focus, path=path, **options)
        return Page(render_html(view.projection, title=view.title, path=view.path, notes=[
            m.note() for m in view.resolved if m.note()]), view)

    def export(self, fmt: str, out: str | os.PathLike | None = None, *, focus: str | None = None, depth: int = 2,
               families: Iterable[str] = (), modalities: Iterable[str] | str = ()):
        """The graph (or the part selected) in ``fmt``: graphml, gexf, cytoscape, csv, jsonld, nt,
        ttl or trig (see :mod:`kgraph.exporters`); written to ``out`` when given.

        Returns the :class:`~kgraph.exporters.Output` (its ``files`` are the bytes).

        Examples
        --------
        >>> import kgraph
        >>> kgraph.open("graph").export("graphml", focus="Masimov", depth=1)
        <Output graphml: kgraph.graphml>
        """
        from .exporters import export

        output = export(fmt, store_spec=self.spec, graph_dir=self.graph_dir,
                        store=None if self.local else self.store, focus=focus, depth=depth, families=families,
                        modalities=modalities)
        if out is not None:
            output.save(out)
        return output
