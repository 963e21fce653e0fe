"""The truthy layer: a direct triple only where some evidence states or assesses the link.

Built from a tiny dataset with one link the thread only speculates about
(the security apparatus concealed sleeper cells) and one link that is stated
in one post and speculated in another (Tokayev dismissed the KNB's head).
"""

from __future__ import annotations

import textwrap

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from conftest import ONTOLOGY
from kgraph.compose import build
from kgraph.network.projection import fetch_projection
from kgraph.rdf.build import build_graphs
from kgraph.rdf.iris import ACTOR, KG
from kgraph.rdf.validate import shacl_check

THREAD = """\
dataset: tiny
title: {en: A tiny thread, de: Ein kleiner Thread}
author: author
date: 2022-01-11
language: de
posts:
- number: 1
  text: Der Sicherheitsapparat hat wohl Schläferzellen versteckt.
- number: 2
  text: Tokayev hat den Chef entlassen. Vielleicht hat er ihn auch schon früher entlassen.
"""

ACTORS = """\
actors:
- {id: author, type: person, label: {en: The author, de: Der Autor}}
- {id: tokayev, type: person, label: {en: Tokayev, de: Toqajev}}
- {id: knb-chief, type: person, label: {en: KNB chief, de: KNB-Chef}}
- {id: security-apparatus, type: security-body, label: {en: Security apparatus, de: Sicherheitsapparat}}
- {id: sleeper-cells, type: group, label: {en: Sleeper cells, de: Schläferzellen}}
"""

CLAIMS = """\
claims:
- id: c1
  post: 1
  subject: security-apparatus
  relation: concealed
  object: sleeper-cells
  quote: hat wohl Schläferzellen versteckt
  modality: speculated
- id: c2
  post: 2
  subject: tokayev
  relation: dismissed
  object: knb-chief
  quote: Tokayev hat den Chef entlassen
  modality: stated
- id: c3
  post: 2
  subject: tokayev
  relation: dismissed
  object: knb-chief
  quote: Vielleicht hat er ihn auch schon früher entlassen
  modality: speculated
"""

CONCEALED = (ACTOR["security-apparatus"], KG.concealed, ACTOR["sleeper-cells"])
DISMISSED = (ACTOR.tokayev, KG.dismissed, ACTOR["knb-chief"])


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data" / "tiny"
    folder.mkdir(parents=True)
    for name, text in (("thread.yaml", THREAD), ("actors.yaml", ACTORS), ("claims.yaml", CLAIMS)):
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "data"


@pytest.fixture
def graph(data):
    graphs, _ = build_graphs(data, ONTOLOGY)
    return graphs["tiny"]


def _statements(graph, triple):
    s, p, o = triple
    return {st for st in graph.subjects(RDF.subject, s)
            if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph}


def test_a_speculated_only_link_is_a_statement_and_no_direct_triple(graph):
    assert CONCEALED not in graph
    (statement,) = _statements(graph, CONCEALED)
    assert graph.value(statement, KG.modality) == KG.speculated


def test_a_link_with_one_stated_piece_has_the_direct_triple_and_every_statement(graph):
    assert DISMISSED in graph
    assert {graph.value(st, KG.modality) for st in _statements(graph, DISMISSED)} == {KG.stated, KG.speculated}


def test_the_built_graph_conforms_to_the_truthy_shapes(graph):
    assert shacl_check(graph, ONTOLOGY) == []


def test_shacl_refuses_conjecture_as_a_direct_triple(graph):
    graph.add(CONCEALED)
    assert shacl_check(graph, ONTOLOGY) == [
        f"{KG.Statement}: https://kgraph.example/id/claim/tiny-c1: "
        "a link only speculated or reported must not be a direct triple"]


def test_shacl_wants_the_direct_triple_of_a_stated_claim(graph):
    graph.remove(DISMISSED)
    assert shacl_check(graph, ONTOLOGY) == [
        f"{KG.Statement}: https://kgraph.example/id/claim/tiny-c2: a stated or assessed claim needs its direct triple"]


def test_shacl_checks_the_range_of_a_link_without_direct_triple():
    turtle = textwrap.dedent("""\
        @prefix kg: <https://kgraph.example/ns#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix actor: <https://kgraph.example/id/actor/> .
        @prefix claim: <https://kgraph.example/id/claim/> .
        actor:tokayev a kg:Person .
        actor:author a kg:Person .
        claim:x a kg:Statement ; rdf:subject actor:tokayev ; rdf:predicate kg:planned ;
            rdf:object actor:author ; kg:modality kg:speculated .
        """)
    graph = Graph().parse(data=turtle, format="turtle")
    graph += Graph().parse(ONTOLOGY / "kgraph.ttl")
    violations = shacl_check(graph, ONTOLOGY)
    assert f"{KG.Statement}: https://kgraph.example/id/claim/x: its subject and object must fit " \
           "its relation's domain and range" in violations


def test_the_network_still_shows_the_speculated_link_dashed(data, tmp_path):
    from kgraph.stores import open_store

    build(data, ONTOLOGY, tmp_path / "graph", html=False)
    edges = {(e.source, e.relation, e.target): e for e in fetch_projection(
        open_store("memory", graph_dir=tmp_path / "graph")).edges}
    concealed = edges["security-apparatus", "concealed", "sleeper-cells"]
    assert not concealed.stated and [e.claim for e in concealed.evidence] == ["c1"]
    dismissed = edges["tokayev", "dismissed", "knb-chief"]
    assert dismissed.stated and [e.claim for e in dismissed.evidence] == ["c2", "c3"]


def test_a_plain_triple_pattern_finds_only_what_the_thread_asserts(data, tmp_path, runner):
    from kgraph.cli import main

    build(data, ONTOLOGY, tmp_path / "graph", html=False)
    graph_dir = str(tmp_path / "graph")
    asserted = runner.invoke(main, ["query", "--graph", graph_dir, "--format", "csv",
                                    "SELECT ?a ?b WHERE { ?a kg:concealed|kg:dismissed ?b }"])
    assert asserted.exit_code == 0, asserted.output
    assert asserted.output.splitlines()[1:] == [f"{ACTOR.tokayev},{ACTOR['knb-chief']}"]
    speculation = runner.invoke(main, ["query", "--graph", graph_dir, "--name", "speculation", "--format", "csv"])
    assert speculation.exit_code == 0, speculation.output
    assert len(speculation.output.splitlines()) == 3  # header, c1, c3


def test_the_neighbourhood_follows_a_speculated_only_link(data, tmp_path):
    from kgraph.network.neighbourhood import fetch_neighbourhood
    from kgraph.stores import open_store

    build(data, ONTOLOGY, tmp_path / "graph", html=False)
    near = fetch_neighbourhood(open_store("memory", graph_dir=tmp_path / "graph"), ["security-apparatus"], 1)
    assert sorted(near.actors) == ["security-apparatus", "sleeper-cells"]
    assert [(e.relation, [ev.modality for ev in e.evidence]) for e in near.edges] == [("concealed", ["speculated"])]


def test_a_selected_export_keeps_conjecture_out_of_its_direct_triples(data, tmp_path):
    from kgraph.exporters.subgraph import selected_graph
    from kgraph.network.selection import select
    from kgraph.stores import open_store

    build(data, ONTOLOGY, tmp_path / "graph", html=False)
    store = open_store("memory", graph_dir=tmp_path / "graph")
    exported = selected_graph(store, select(fetch_projection(store), focus="tokayev", depth=5))
    assert DISMISSED in exported and len(_statements(exported, DISMISSED)) == 2
    hedged = selected_graph(store, select(fetch_projection(store), focus="sleeper-cells", depth=5))
    assert CONCEALED not in hedged and len(_statements(hedged, CONCEALED)) == 1
