"""Which triples an RDF export holds: the whole graph, or the part behind a selection.

Everything is read through :meth:`kgraph.stores.Store.query`, so an export
works the same on the bundled files, an on-disk store or a remote endpoint;
identifiers reach the store as bindings, never as query text.

For a selection (``--focus``, ``--family``, ``--modality``) the export
holds what a reader needs to see the same network and check its evidence:

- each selected actor's own description (type, labels, aliases, Wikidata
  link) without its relations to actors outside the selection;
- the direct triple of each selected edge that some selected evidence states
  or assesses (the truthy layer, as in a built graph), and the relation's
  definition, so the export loads back into kgraph as the same network;
- the statement node of each selected piece of evidence, with the nodes it
  owns (quantities), and the post it quotes;
- the ``rdfs:label`` of everything else these triples point to (the people
  cited, the thread, classes), so names show up in any viewer.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from ..network.projection import Projection
from ..rdf.iris import CLAIM, KG, bind_prefixes

__all__ = ["whole_graph", "selected_graph"]

WHOLE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

# A resource's triples, with those of the blank nodes it points to.
DESCRIBE = """
CONSTRUCT { ?x ?p ?o . ?o ?bp ?bo } WHERE {
  ?x ?p ?o .
  OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo }
}
"""

ACTOR_OWN = """
CONSTRUCT { ?x ?p ?o . ?o ?bp ?bo } WHERE {
  ?x ?p ?o .
  FILTER NOT EXISTS { ?p rdfs:subPropertyOf kg:relation }
  OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo }
}
"""

STATEMENTS = """
SELECT ?claim ?claimId ?dataset WHERE {
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?claim kg:claimId ?claimId }
  OPTIONAL { ?claim kg:dataset ?dataset }
}
"""

LABELS = "CONSTRUCT { ?x rdfs:label ?label } WHERE { ?x rdfs:label ?label }"


def whole_graph(store) -> Graph:
    """Every triple in ``store``."""
    graph = store.query(WHOLE).graph
    bind_prefixes(graph)
    return graph


class _Collector:
    def __init__(self, store):
        self.store = store
        self.graph = Graph()
        bind_prefixes(self.graph)
        self.described: set[URIRef] = set()

    def add(self, query: str, iri: URIRef) -> None:
        if iri in self.described:
            return
        self.described.add(iri)
        self.graph += self.store.query(query, bindings={"x": iri}).graph

    def describe_owned(self, iri: URIRef) -> None:
        """A statement node and the nodes minted under it (claim:<id>-q1 ...)."""
        pending = [iri]
        while pending:
            node = pending.pop()
            if node in self.described:
                continue
            self.add(DESCRIBE, node)
            pending += [o for o in self.graph.objects(node) if isinstance(o, URIRef)
                        and str(o).startswith(str(CLAIM)) and o not in self.described]


def _statements(store, s: URIRef, p: URIRef, o: URIRef) -> dict[tuple[str, str], URIRef]:
    """The statement nodes of one triple, by the (dataset, claim) key the projection uses."""
    found = {}
    for claim, claim_id, dataset in store.query(STATEMENTS, bindings={"s": s, "p": p, "o": o}).rows:
        key = ("" if dataset is None else str(dataset), str(claim_id) if claim_id is not None else str(claim))
        found[key] = claim
    return found


def selected_graph(store, projection: Projection) -> Graph:
    """The triples behind ``projection`` (a selection of the projection of ``store``)."""
    out = _Collector(store)
    for actor in sorted(projection.actors.values(), key=lambda a: a.id):
        out.add(ACTOR_OWN, URIRef(actor.iri))
    for edge in projection.edges:
        s, p, o = (URIRef(projection.actors[edge.source].iri), KG[edge.relation],
                   URIRef(projection.actors[edge.target].iri))
        if edge.stated:
            out.graph.add((s, p, o))
        out.add(DESCRIBE, p)
        statements = _statements(store, s, p, o)
        for evidence in edge.evidence:
            claim = statements.get((evidence.dataset, evidence.claim))
            if claim is None:
                continue
            out.describe_owned(claim)
            for post in out.graph.objects(claim, PROV.wasDerivedFrom):
                out.add(DESCRIBE, post)
    pointed = {o for o in out.graph.objects() if isinstance(o, URIRef)}
    for iri in sorted(pointed - out.described):
        out.add(LABELS, iri)
    return out.graph
