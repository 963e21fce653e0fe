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

from ..errors import UnknownActor
from ..rdf.iris import actor_iri, local_id
from ..stores.base import VALUES_BATCH, Store, TooManyRows, inside_where, values_table
from ..stores.results import Result
from .algorithms import path_depth
from .projection import ACTORS_QUERY, EDGES_QUERY, MENTIONS_QUERY, QUANTITIES_QUERY, Projection, fetch_projection

__all__ = ["fetch_neighbourhood", "fetch_degrees", "path_depth"]

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


def fetch_neighbourhood(store: Store, seeds: list[str], depth: int, *, actors: dict | None = None) -> Projection:
    """The actors within ``depth`` hops of any of ``seeds`` (actor ids) and the edges among them.

    ``actors``: every actor of ``store`` as :func:`~kgraph.network.projection.fetch_actors`
    gives them, when the caller has them already (then only edges are fetched).
    Raises :class:`~kgraph.errors.UnknownActor` for a seed that is not an
    actor in ``store``.
    """
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    wanted = {_iri(seed) for seed in seeds}
    found = set()
    for answer in store.query_many([_KNOWN % values_table(["a"], rows) for rows in _batches(wanted)]):
        found.update(row[0] for row in answer.rows)
    for seed in sorted(seeds):
        if _iri(seed) not in found:
            raise UnknownActor(seed, [])
    seen, layer = set(found), set(found)
    for _ in range(depth):
        layer = {end for s, _, o in _layer(store, layer) for end in (s, o)} - seen
        seen |= layer
        if not layer:
            break
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
