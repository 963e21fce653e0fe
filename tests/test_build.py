"""kgraph build: evidence-carrying RDF, deterministic bytes, atomic writes, a second parser agrees."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDF

from conftest import DATA, DATASET, ONTOLOGY
from kgraph.compose import build
from kgraph.errors import DataError
from kgraph.rdf.build import build_graphs
from kgraph.rdf.iris import KG, SCHEMA
from kgraph.rdf.validate import shacl_check


@pytest.fixture(scope="module")
def graph():
    graphs, _ = build_graphs(DATA, ONTOLOGY)
    return graphs[DATASET]


def test_every_direct_actor_triple_has_a_statement_with_post_and_quote(graph):
    from rdflib.namespace import RDFS

    relations = set(graph.subjects(RDFS.subPropertyOf, KG.relation))
    direct = [(s, p, o) for p in relations for s, o in graph.subject_objects(p)]
    assert len(direct) > 60
    for s, p, o in direct:
        statements = [st for st in graph.subjects(RDF.subject, s)
                      if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph]
        assert statements, (s, p, o)
        for st in statements:
            post = graph.value(st, PROV.wasDerivedFrom)
            quote = graph.value(st, KG.quote)
            assert quote is not None and str(quote) in str(graph.value(post, SCHEMA.text))


def test_posts_are_social_media_postings(graph):
    posts = set(graph.subjects(RDF.type, SCHEMA.SocialMediaPosting))
    assert len(posts) == 23
    positions = sorted(int(graph.value(p, SCHEMA.position)) for p in posts)
    assert positions == list(range(1, 24))


def test_no_blank_nodes(graph):
    from rdflib import BNode

    assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_shacl_conforms(graph):
    assert shacl_check(graph, ONTOLOGY) == []


def test_shacl_catches_a_statement_without_quote(graph):
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((None, KG.quote, None))
    violations = shacl_check(broken, ONTOLOGY)
    assert any("verbatim quote" in v for v in violations)


def test_built_turtle_loads_in_pyoxigraph(built_dir):
    store = ox.Store()
    store.load(path=str(built_dir / f"{DATASET}.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(built_dir / f"{DATASET}.ttl"))


@pytest.mark.slow
def test_same_bytes_across_hash_seeds(tmp_path):
    digests = set()
    for seed in ("0", "1", "4242"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "kgraph", "build", "--data", str(DATA),
                        "--ontology", str(ONTOLOGY), "--out", str(out)], check=True, env=env,
                       capture_output=True)
        digests.add(tuple(sorted((f.name, f.read_bytes()) for f in out.iterdir())))
    assert len(digests) == 1


def test_bad_data_builds_nothing_and_keeps_the_previous_output(data_copy, tmp_path):
    out = tmp_path / "graph"
    build(data_copy, ONTOLOGY, out, html=False)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    claims = data_copy / DATASET / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("relation: loyalTo", "relation: loyalTwo", 1),
                      encoding="utf-8")
    with pytest.raises(DataError):
        build(data_copy, ONTOLOGY, out, html=False)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_a_failed_write_leaves_no_temp_files(tmp_path, monkeypatch):
    from kgraph.util import atomic

    out = tmp_path / "graph"
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OSError):
        build(DATA, ONTOLOGY, out, html=False)
    assert calls and list(out.iterdir()) == []
