"""RDF files: Turtle, N-Triples and TriG by pyoxigraph, JSON-LD by rdflib.

Each writer takes an ``rdflib.Graph`` (from :mod:`kgraph.exporters.subgraph`)
and returns bytes that are the same for the same triples: blank nodes (which
background data may have) get canonical labels first, triples are sorted
before pyoxigraph's streaming writers see them, and JSON-LD nodes and values
are put in a fixed order. pyoxigraph writes N-Triples in its canonical form
and Turtle some three times faster than rdflib; rdflib writes the compact
JSON-LD, with the project's prefixes as ``@context``.

TriG puts each dataset in its own named graph,
``<https://kgraph.example/graph/DATASET>`` (the name of its built file
``graph/DATASET.ttl``): the posts, the statement nodes with what they own,
and the thread, i.e. every resource tagged ``kg:dataset``. Actors, the direct
actor-to-actor triples and the vocabulary, which datasets share, stay in the
default graph.
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph, Namespace, URIRef

from ..rdf.iris import CLAIM, KG, PREFIXES, bind_prefixes
from ..rdf.namespaces import GRAPH_NS

__all__ = ["ttl", "nt", "jsonld", "trig", "GRAPH", "named_graphs"]

GRAPH = Namespace(GRAPH_NS)


def _canonical(graph: Graph) -> Graph:
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    from rdflib.compare import to_canonical_graph

    canonical = Graph()
    canonical += to_canonical_graph(graph)
    bind_prefixes(canonical)
    return canonical


def _sorted_quads(named: list[tuple[URIRef | None, tuple]]) -> list:
    import pyoxigraph as ox

    from ..stores.oxi import from_rdflib

    terms: dict = {}  # IRIs repeat across triples; convert each once

    def term(t):
        found = terms.get(t)
        if found is None:
            found = terms[t] = from_rdflib(t)
        return found

    quads = [ox.Quad(term(s), term(p), term(o), ox.DefaultGraph() if name is None else term(name))
             for name, (s, p, o) in named]
    quads.sort(key=lambda q: (not isinstance(q.graph_name, ox.DefaultGraph), str(q.graph_name), str(q.subject),
                              str(q.predicate), str(q.object)))
    return quads


def _oxigraph(graph: Graph, fmt: str) -> bytes:
    import pyoxigraph as ox

    triples = [q.triple for q in _sorted_quads([(None, t) for t in _canonical(graph)])]
    return ox.serialize(triples, format=getattr(ox.RdfFormat, fmt), prefixes=dict(PREFIXES))


def ttl(graph: Graph) -> bytes:
    return _oxigraph(graph, "TURTLE")


def nt(graph: Graph) -> bytes:
    return _oxigraph(graph, "N_TRIPLES")


def _ordered(value, key: str = ""):
    # JSON-LD arrays are sets except under @list, so sorting them keeps the meaning.
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD whose ``@context`` holds the prefixes of :data:`kgraph.rdf.iris.PREFIXES`."""
    text = _canonical(graph).serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8")
    data = _ordered(json.loads(text))
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def named_graphs(graph: Graph) -> list[tuple[URIRef | None, tuple]]:
    """``(graph name or None for the default graph, triple)`` for each triple (see the module docstring)."""
    owner = {s: str(d) for s, d in graph.subject_objects(KG.dataset)}
    pending = list(owner)
    while pending:
        subject = pending.pop()
        for obj in graph.objects(subject):
            owned = isinstance(obj, BNode) or (isinstance(obj, URIRef) and str(obj).startswith(str(CLAIM)))
            if owned and obj not in owner:
                owner[obj] = owner[subject]
                pending.append(obj)
    return [(GRAPH[owner[t[0]]] if t[0] in owner else None, t) for t in graph]


def trig(graph: Graph) -> bytes:
    import pyoxigraph as ox

    quads = _sorted_quads(named_graphs(_canonical(graph)))
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes={**PREFIXES, "graph": str(GRAPH)})
