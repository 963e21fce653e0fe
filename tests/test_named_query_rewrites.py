"""A named query rewritten for speed gives the rows of its earlier text, in the same order, on every store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kgraph.stores import open_store
from kgraph.stores.loading import load_files
from kgraph.stores.named_queries import get_query

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# The texts before the rewrite, as they were shipped.
EARLIER = {
    "actors-by-type": """
SELECT ?dataset ?type (COUNT(DISTINCT ?actor) AS ?actors) WHERE {
  ?actor kg:actorType ?type .
  OPTIONAL {
    { ?in kg:mentions ?actor } UNION { ?in rdf:subject ?actor } UNION { ?in rdf:object ?actor }
    UNION { ?in prov:wasAttributedTo ?actor } UNION { ?in schema:author ?actor }
    ?in kg:dataset ?dataset .
  }
}
GROUP BY ?dataset ?type
ORDER BY ?dataset DESC(?actors) ?type
""",
    "no-wikidata": """
SELECT DISTINCT ?actor ?type ?dataset WHERE {
  ?actor kg:actorType ?type .
  FILTER NOT EXISTS { ?actor owl:sameAs ?wikidata }
  OPTIONAL {
    { ?in kg:mentions ?actor } UNION { ?in rdf:subject ?actor } UNION { ?in rdf:object ?actor }
    UNION { ?in prov:wasAttributedTo ?actor } UNION { ?in schema:author ?actor }
    ?in kg:dataset ?dataset .
  }
}
ORDER BY ?type ?actor ?dataset
""",
}


@pytest.fixture(scope="module")
def graphs(built_dir, tmp_path_factory):
    """The bundled graph and the 10k synthetic one, each as a folder of Turtle files."""
    from generate import generate

    return {"bundled": built_dir, "10k": generate(10_000, tmp_path_factory.mktemp("synthetic")).graph_dir}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["memory", "rdflib", "oxigraph"])
@pytest.mark.parametrize("graph", ["bundled", "10k"])
@pytest.mark.parametrize("name", sorted(EARLIER))
def test_the_rewrite_answers_as_the_earlier_text(graphs, tmp_path, name, graph, kind):
    folder = graphs[graph]
    if kind == "oxigraph":
        load_files(tmp_path / "store", sorted(folder.glob("*.ttl")))
        store = open_store(f"oxigraph:{tmp_path / 'store'}")
    else:
        store = open_store(kind, graph_dir=folder)
    now, before = store.query(get_query(name).text), store.query(EARLIER[name])
    assert now.rows, "the query answers on this graph"
    assert (now.vars, now.rows) == (before.vars, before.rows)
