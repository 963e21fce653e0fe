"""The part of the actor network around a few actors, fetched layer by layer.

On a remote endpoint or a store of millions of triples, fetching the whole
projection to find one path would move the whole graph. Instead
:func:`fetch_neighbourhood` asks the store for the actors one hop from the
current layer (one query per layer, the layer's IRIs sent as a VALUES
block), stops after ``depth`` layers, then runs the projection's own
queries restricted to the actors and edges found, so each edge carries the
same evidence as in the full projection.

The answer is the sub-network induced by every actor within ``depth`` hops
of a seed (either direction): :func:`kgraph.network.selection.ego` of the full
projection for a single seed. With two seeds it holds every path between them
of up to ``2 * depth + 1`` hops, since each actor on such a path is at most
``depth`` hops from one end.

An actor at the edge of the neighbourhood has fewer relations in it than
in the store; :func:`fetch_degrees` asks the store for the real numbers
(``kgraph path --avoid-hubs`` ranks paths by them).

>>> from kgraph.stores import open_store
>>> near = fetch_neighbourhood(open_store("memory"), ["tokayev", "joe-biden"], 2)   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import UnknownActor
from ..rdf.iris import actor_iri, local_id
from ..stores.base import VALUES_BATCH, Store, TooManyRows, inside_where, values_table
from ..stores.results import Result
from .algorithms import path_depth
from .pending import Neighbourhood, PendingEvidence
from .projection import (
    ACTORS_QUERY,
    DATASETS_QUERY,
    EDGES_QUERY,
    MENTIONS_QUERY,
    QUANTITIES_QUERY,
    RELATIONS_QUERY,
    ActorInfo,
    Projection,
    fetch_actors,
    fetch_projection,
    new_edge,
    relations_of,
)

__all__ = ["fetch_neighbourhood", "fetch_light_neighbourhood", "fetch_degrees", "path_depth"]

# Edges leaving the layer (?s) to actors, and edges reaching it (?o) from actors,
# as direct triples or as statements only (a speculated or reported link has
# no direct triple). Two joins led by VALUES: every engine evaluates them from
# the layer out (a UNION with BIND made rdflib scan the whole graph per layer).
_OUTGOING = """
SELECT DISTINCT ?s ?p ?o WHERE {
  %s
  { ?s ?p ?o } UNION { ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
  ?p rdfs:subPropertyOf kg:relation .
  ?o kg:actorType ?type .
}
"""
_INCOMING = """
SELECT DISTINCT ?s ?p ?o WHERE {
  %s
  { ?s ?p ?o } UNION { ?claim rdf:object ?o ; rdf:subject ?s ; rdf:predicate ?p }
  ?p rdfs:subPropertyOf kg:relation .
  ?s kg:actorType ?type .
}
"""

_KNOWN = "SELECT ?a WHERE { %s ?a kg:actorType ?type }"

# Who asserts claims about edges leaving ?s: their labels appear in the evidence.
_ASSERTERS = """
SELECT DISTINCT ?by WHERE {
  %s
  ?claim rdf:subject ?s ; prov:wasAttributedTo ?by .
  ?by kg:actorType ?type .
}
"""

# Each actor's relations as the projection counts them (one per subject, relation and
# object; both ends of a loop), in the whole store.
# A link is a direct triple or a statement (a speculated or reported link has no direct triple).
_DEGREES = """
SELECT ?a (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?a ?p ?o WHERE {
      %s { ?a ?p ?o } UNION { ?claim rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?o }
      ?p rdfs:subPropertyOf kg:relation . ?o kg:actorType ?type } }
  UNION
  { SELECT DISTINCT ?a ?p ?o WHERE {
      %s { ?o ?p ?a } UNION { ?claim rdf:object ?a ; rdf:subject ?o ; rdf:predicate ?p }
      ?p rdfs:subPropertyOf kg:relation . ?o kg:actorType ?type } }
}
GROUP BY ?a
"""

#: IRIs per VALUES block (:data:`kgraph.stores.base.VALUES_BATCH`)
BATCH = VALUES_BATCH


def _iri(actor: str):
    from rdflib import URIRef

    return URIRef(actor) if "://" in actor else actor_iri(actor)


def _batches(iris):
    ordered = sorted(iris)
    for start in range(0, len(ordered), BATCH):
        yield [(iri,) for iri in ordered[start:start + BATCH]]


def _layer(store: Store, layer) -> set[tuple]:
    edges = set()
    for answer in store.query_many([query % values_table([name], rows) for rows in _batches(layer)
                                    for query, name in ((_OUTGOING, "s"), (_INCOMING, "o"))]):
        edges.update(answer.rows)
    return edges


class _Scoped(Store):
    """``store`` seen through VALUES blocks: each query of ``scopes`` (its exact text)
    gets its variable (``"s"``: the edges leaving ``sources``, ``"actor"``: only
    ``actors``) bound; any other query runs as it is.

    A single-variable VALUES block in the projection's queries is joined by
    hash in Oxigraph and rdflib alike; a block of (?s ?p ?o) rows was ten
    times slower on Oxigraph. It opens the WHERE group: Virtuoso refuses a
    trailing VALUES over a variable the query does not return.
    """

    def __init__(self, store: Store, actors, sources, scopes: dict[str, str]):
        self.store, self.description = store, store.description
        self.rows = {"actor": [(a,) for a in sorted(actors)], "s": [(s,) for s in sorted(sources)]}
        self.scopes = scopes

    def query(self, sparql: str, *, bindings=None, max_rows=None):
        name = self.scopes.get(sparql)
        if name is None:
            return self.store.query(sparql, bindings=bindings, max_rows=max_rows)
        whole = Result("SELECT")  # rdflib fails on an empty VALUES block; the answer is empty anyway
        batches = [inside_where(sparql, values_table([name], self.rows[name][start:start + BATCH]))
                   for start in range(0, len(self.rows[name]), BATCH)]
        parts = self.store.query_many(batches) if bindings is None and max_rows is None else [
            self.store.query(batch, bindings=bindings, max_rows=max_rows) for batch in batches]
        for part in parts:
            whole.vars = part.vars
            whole.rows.extend(part.rows)
        if max_rows is not None and len(whole.rows) > max_rows:
            raise TooManyRows(max_rows)
        return whole


#: what each of the projection's queries is narrowed to in a neighbourhood
_SCOPES = {EDGES_QUERY: "s", QUANTITIES_QUERY: "s", ACTORS_QUERY: "actor", MENTIONS_QUERY: "actor"}


def _reach(store: Store, seeds: list[str], depth: int):
    """The IRIs of the actors within ``depth`` hops of ``seeds``, those of the last layer (whose
    edges among themselves are not fetched yet), and the edges (s, p, o) touching the other layers."""
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    wanted = {_iri(seed) for seed in seeds}
    found = set()
    for answer in store.query_many([_KNOWN % values_table(["a"], rows) for rows in _batches(wanted)]):
        found.update(row[0] for row in answer.rows)
    for seed in sorted(seeds):
        if _iri(seed) not in found:
            raise UnknownActor(seed, [])
    seen, layer, edges = set(found), set(found), set()
    for _ in range(depth):
        touching = _layer(store, layer)
        edges |= touching
        layer = {end for s, _, o in touching for end in (s, o)} - seen
        seen |= layer
        if not layer:
            break
    return seen, layer, edges


def fetch_neighbourhood(store: Store, seeds: list[str], depth: int, *, actors: dict | None = None) -> Projection:
    """The actors within ``depth`` hops of any of ``seeds`` (actor ids) and the edges among them.

    ``actors``: every actor of ``store`` as :func:`~kgraph.network.projection.fetch_actors`
    gives them, when the caller has them already (then only edges are fetched).
    Raises :class:`~kgraph.errors.UnknownActor` for a seed that is not an
    actor in ``store``.
    """
    seen, _, _ = _reach(store, seeds, depth)
    asserters = set()
    if actors is None:
        for answer in store.query_many([_ASSERTERS % values_table(["s"], rows) for rows in _batches(seen)]):
            asserters.update(row[0] for row in answer.rows)
    # Edges leaving the neighbourhood and asserters outside it are fetched for
    # the evidence and labels, then dropped: the answer is the induced sub-network.
    projection = fetch_projection(_Scoped(store, seen | asserters, seen, _SCOPES), actors=actors)
    keep = {local_id(iri) for iri in seen}
    kept = {aid: actor for aid, actor in projection.actors.items() if aid in keep}
    return Projection(kept, [e for e in projection.edges if e.source in keep and e.target in keep],
                      projection.datasets)


# Edges leaving the last layer (?s): only those reaching an actor of the neighbourhood are kept, so
# that is checked here rather than by a kg:actorType lookup per row in the store.
_AMONG = """
SELECT DISTINCT ?s ?p ?o WHERE {
  %s
  { ?s ?p ?o } UNION { ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
  ?p rdfs:subPropertyOf kg:relation .
}
"""

# Which of some actors the full projection has (ACTORS_QUERY): an actorType alone is no actor of it.
_NAMED = """
SELECT DISTINCT ?actor WHERE {
  %s
  { ?actor rdfs:label ?x } UNION { ?actor skos:altLabel ?x } UNION { ?actor schema:description ?x }
  UNION { ?actor owl:sameAs ?x } UNION { ?actor kg:background ?b . ?b rdf:value ?text ; dcterms:source ?source }
}
"""

# The claims of some edges without their quotes: what paths are filtered and ranked by. The quote
# stays in the pattern: EDGES_QUERY gives a row, hence a piece of evidence, per quote.
_CLAIMS = """
SELECT ?s ?p ?o ?claim ?claimId ?post ?modality ?dataset WHERE {
  %s
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         prov:wasDerivedFrom ?postNode ; kg:quote ?quote ; kg:modality ?modality .
  ?postNode schema:position ?post .
  OPTIONAL { ?claim kg:claimId ?claimId }
  OPTIONAL { ?claim kg:dataset ?dataset }
}
"""

#: an actor's record: fetch_actors's two queries, narrowed to some actors
_RECORD_SCOPES = {ACTORS_QUERY: "actor", MENTIONS_QUERY: "actor"}


def _records(store: Store, iris) -> dict[str, ActorInfo]:
    return fetch_actors(_Scoped(store, iris, (), _RECORD_SCOPES)) if iris else {}


class _Records(Mapping):
    """Actor id -> :class:`ActorInfo` of a neighbourhood's actors, fetched when first asked for
    (:meth:`fetch` gets several in one go): a path shows a handful of the thousands it runs through."""

    def __init__(self, store: Store, iris: dict):
        self.store, self.iris, self.read = store, dict(sorted(iris.items())), {}

    def fetch(self, ids) -> None:
        self.read.update(_records(self.store, {self.iris[a] for a in ids if a in self.iris and a not in self.read}))

    def __getitem__(self, aid):
        if aid not in self.read:
            if aid not in self.iris:
                raise KeyError(aid)
            self.fetch([aid])
        return self.read[aid]

    def __contains__(self, aid):
        return aid in self.iris

    def __iter__(self):
        return iter(self.iris)

    def __len__(self):
        return len(self.iris)


class _LightNeighbourhood(Neighbourhood):
    """:func:`fetch_light_neighbourhood`'s answer: edges whose claims are fetched by :meth:`claims`,
    actors whose records are fetched when read, evidence completed by :meth:`complete`."""

    def claims(self, edges) -> None:
        """Give ``edges`` their claims (post, modality, dataset), quotes still pending."""
        keys = {(edge.source, edge.relation, edge.target) for edge in edges} & self._unfetched.keys()
        if not keys:
            return
        from rdflib import URIRef

        ends = sorted(self._unfetched.pop(key) for key in keys)
        # A block of (?s ?p ?o) rows costs Oxigraph ten times one of ?s (6 s against 0.6 s for the
        # 7,000 edges around Tokayev and Biden at 1M): many edges are asked for by their sources.
        names, rows = (["s"], sorted({(URIRef(s),) for s, _, _ in ends})) if len(ends) > BATCH else \
            (["s", "p", "o"], [tuple(map(URIRef, end)) for end in ends])
        found: dict[tuple, list] = {key: [] for key in keys}
        for answer in self._store.strings_many(
                [_CLAIMS % values_table(names, rows[at:at + BATCH]) for at in range(0, len(rows), BATCH)]):
            for s, p, o, claim, claim_id, post, modality, dataset in answer:
                evidence = found.get((local_id(s), p.rsplit("#", 1)[-1], local_id(o)))
                if evidence is not None:  # asked for by its source: a claim about another edge
                    evidence.append(PendingEvidence(
                        claim=claim_id or claim, post=int(post), quote="", asserted_by="", asserted_by_id="",
                        modality=modality.rsplit("#", 1)[-1], dataset=dataset or "", iri=claim))
        for edge in edges:
            evidence = found.get((edge.source, edge.relation, edge.target))
            if evidence is not None:
                edge.evidence = sorted(evidence, key=lambda e: (e.dataset, e.post, e.claim))

    def complete(self, edges) -> None:
        edges = list(edges)
        self.claims(edges)
        self.actors.fetch({end for edge in edges for end in (edge.source, edge.target)})
        super().complete(edges)


def fetch_light_neighbourhood(store: Store, seeds: list[str], depth: int) -> Neighbourhood:
    """:func:`fetch_neighbourhood`'s actors and edges, in the same order, from the layer queries alone
    (and one for the edges among the last layer's actors): the claims, quotes and actor records
    are fetched for the edges and actors a command reads (:meth:`Neighbourhood.complete`).

    Filtering by modality reads every edge's claims: ``near.claims(near.edges)`` fetches them.
    """
    seen, last, edges = _reach(store, seeds, depth)
    blocks = list(_batches(seen))
    relations, datasets, *answers = store.strings_many(
        [RELATIONS_QUERY, DATASETS_QUERY, *(_NAMED % values_table(["actor"], rows) for rows in blocks),
         *(_AMONG % values_table(["s"], rows) for rows in _batches(last))])
    # The full fetch keeps only the actors the projection has, and their edges: so must this.
    inside = {row[0] for rows in answers[:len(blocks)] for row in rows}
    seen = {iri for iri in seen if str(iri) in inside}
    triples = sorted({(str(s), str(p), str(o)) for s, p, o in edges if s in seen and o in seen}
                     | {row for rows in answers[len(blocks):] for row in rows if row[0] in inside and row[2] in inside})
    unfetched: dict[tuple, tuple] = {}
    for s, p, o in triples:
        unfetched.setdefault((local_id(s), p.rsplit("#", 1)[-1], local_id(o)), (s, p, o))
    named = relations_of(relations)
    near = _LightNeighbourhood(_Records(store, {local_id(str(iri)): iri for iri in seen}),
                               [new_edge(source, target, unfetched[key][1], named)
                                for key in sorted(unfetched) for source, _, target in [key]],
                               sorted(row[0] for row in datasets))
    near._store, near._unfetched = store, unfetched
    near._labels = lambda ids: {aid: actor.label for aid, actor in _records(store, {_iri(i) for i in ids}).items()}
    return near


def fetch_degrees(store: Store, actors=None) -> dict[str, int]:
    """The number of relations each of ``actors`` (ids) has in the whole of ``store``:
    :meth:`~kgraph.network.projection.Projection.degree` of the full projection, for these actors only.

    ``actors`` None: every actor with a relation, in one query (an actor without
    one is not in the answer).
    """
    if actors is None:
        return {local_id(iri): int(count.toPython()) for iri, count in store.query(_DEGREES % ("", "")).rows}
    degrees = dict.fromkeys(actors, 0)
    blocks = [values_table(["a"], rows) for rows in _batches({_iri(a) for a in actors})]
    for answer in store.query_many([_DEGREES % (values, values) for values in blocks]):
        for iri, count in answer.rows:
            degrees[local_id(iri)] = int(count.toPython())
    return degrees
