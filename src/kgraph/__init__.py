"""kgraph: evidence-backed knowledge graphs from first-hand conflict reporting.

The library behind the ``kgraph`` command; everything the CLI does is a call
here that a notebook can make::

    import kgraph
    kg = kgraph.open("graph")                       # or "oxigraph:big.oxigraph", "http://host/sparql"
    kg.path("Tokayev", "Biden")                     # paths, each hop with its evidence
    kgraph.build()                                  # data/ + ontology/ -> graph/
    result = kgraph.query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu }")
    net = kgraph.load_projection()                  # actors and evidence-carrying edges
    paths = kgraph.shortest_paths(net, "tokayev", "joe-biden")
    hedged = kgraph.claims(kgraph.open_store(), modalities="speculated,reported")

Names are imported on first use, so ``import kgraph`` stays cheap.
"""

from __future__ import annotations

import importlib

__all__ = [
    "open", "KGraph", "build", "validate", "query", "open_store", "load_projection", "NameIndex",
    "shortest_paths", "neighbours", "centrality", "factions", "select", "claims", "get_post", "search",
    "KgraphError",
]

_WHERE = {
    "open": "kgraph.graph",
    "KGraph": "kgraph.graph",
    "build": "kgraph.compose",
    "validate": "kgraph.rdf.validate",
    "query": "kgraph.stores.query",
    "open_store": "kgraph.stores",
    "load_projection": "kgraph.network.projection",
    "NameIndex": "kgraph.network.names",
    "shortest_paths": "kgraph.network.algorithms",
    "neighbours": "kgraph.network.algorithms",
    "centrality": "kgraph.network.algorithms",
    "factions": "kgraph.network.algorithms",
    "select": "kgraph.network.selection",
    "claims": "kgraph.network.claimlist",
    "get_post": "kgraph.network.posts",
    "search": "kgraph.network.searching",
    "KgraphError": "kgraph.errors",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
