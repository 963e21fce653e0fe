"""Named graphs in every store: a graph per dataset, one for the ontology, the default graph their union.

Each store (memory, rdflib, oxigraph:PATH, and http against `kgraph serve`)
answers GRAPH, FROM and FROM NAMED, takes the protocol's dataset
(default_graphs / named_graphs), and resolves relative IRIs against the
one base, https://kgraph.example/.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from conftest import ONTOLOGY
from kgraph.cli import main
from kgraph.errors import DataError
from kgraph.rdf.build import build_graphs
from kgraph.rdf.namespaces import ONTOLOGY_GRAPH, graph_iri
from kgraph.stores import open_store
from kgraph.stores.loading import load_files

KINDS = ["memory", "rdflib", "oxigraph", pytest.param("http", marks=pytest.mark.server)]
THREAD = graph_iri("kazakhstan-2022")
COUNT = "SELECT (COUNT(*) AS ?n) {}WHERE {{ {} }}"


@pytest.fixture(scope="module", params=KINDS)
def store(request, open_kind):
    return open_kind(request.param)


def count(store, where: str, dataset: str = "", **graphs) -> int:
    return int(store.query(COUNT.format(dataset, where), **graphs).rows[0][0])


def test_thread_and_ontology_are_graphs_whose_union_is_the_default_graph(store):
    everything = count(store, "?s ?p ?o")
    thread = count(store, f"GRAPH <{THREAD}> {{ ?s ?p ?o }}")
    ontology = count(store, f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}")
    assert thread > 2000 and ontology > 600
    assert thread + ontology == everything  # no triple in both: the thread's graph holds the thread alone
    graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").rows
    assert [str(g) for g, in graphs] == [THREAD, ONTOLOGY_GRAPH]
    # The vocabulary is in the ontology graph, the thread's claims in the thread's.
    assert store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ kg:loyalTo a owl:ObjectProperty }} }}").boolean
    assert not store.query(f"ASK {{ GRAPH <{THREAD}> {{ kg:loyalTo ?p ?o }} }}").boolean
    assert store.query(f"ASK {{ GRAPH <{THREAD}> {{ ?c kg:dataset 'kazakhstan-2022' }} }}").boolean


def test_from_and_from_named_pick_graphs(store):
    thread = count(store, f"GRAPH <{THREAD}> {{ ?s ?p ?o }}")
    assert count(store, "?s ?p ?o", f"FROM <{THREAD}> ") == thread
    assert count(store, "?s ?p ?o", f"FROM <{ONTOLOGY_GRAPH}> FROM <{THREAD}> ") == count(store, "?s ?p ?o")
    # FROM NAMED alone: an empty default graph, and only the graphs named.
    assert count(store, "?s ?p ?o", f"FROM NAMED <{ONTOLOGY_GRAPH}> ") == 0
    assert count(store, "GRAPH ?g { ?s ?p ?o }", f"FROM NAMED <{THREAD}> ") == thread
    # A graph the store lacks is empty.
    assert count(store, "?s ?p ?o", "FROM <https://kgraph.example/graph/nowhere> ") == 0


def test_the_protocol_dataset_replaces_from_and_from_named(store):
    thread = count(store, f"GRAPH <{THREAD}> {{ ?s ?p ?o }}")
    ontology = count(store, f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}")
    assert count(store, "?s ?p ?o", f"FROM <{THREAD}> ", default_graphs=[ONTOLOGY_GRAPH]) == ontology
    # Given the default graphs alone, no graph is named.
    assert count(store, "GRAPH ?g { ?s ?p ?o }", default_graphs=[ONTOLOGY_GRAPH]) == 0
    assert count(store, "GRAPH ?g { ?s ?p ?o }", f"FROM NAMED <{ONTOLOGY_GRAPH}> ",
                 named_graphs=[THREAD, "http://unknown.example/g"]) == thread
    assert count(store, "?s ?p ?o", named_graphs=[THREAD]) == 0
    assert count(store, "?s ?p ?o", default_graphs=["http://unknown.example/g"]) == 0


def test_relative_iris_resolve_against_the_one_base(store):
    result = store.query("CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert list(result.graph) == [(URIRef("https://kgraph.example/s"), URIRef("https://kgraph.example/p"),
                                   Literal(1))]
    assert store.query("ASK { <id/actor/tokayev> ?p ?o }").boolean
    # A query's own BASE still wins.
    assert not store.query("BASE <http://elsewhere.example/> ASK { <id/actor/tokayev> ?p ?o }").boolean


@pytest.mark.parametrize("kind", ["memory", "rdflib", "oxigraph"])
def test_a_triple_two_threads_share_answers_once(tmp_path, kind):
    shared = '<https://kgraph.example/id/actor/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n'
    for name in ("one", "two"):
        own = f'<https://kgraph.example/id/thread/{name}> a <https://schema.org/Thing> .\n'
        (tmp_path / f"{name}.ttl").write_text(shared + own, encoding="utf-8")
    spec = kind
    if kind == "oxigraph":
        load_files(tmp_path / "store", sorted(tmp_path.glob("*.ttl")))
        spec = f"oxigraph:{tmp_path / 'store'}"
    store = open_store(spec, graph_dir=tmp_path)
    assert len(store.query("SELECT ?l WHERE { actor:x rdfs:label ?l }").rows) == 1
    assert count(store, "?s ?p ?o") == 3
    assert count(store, "GRAPH ?g { actor:x ?p ?o }") == 2


def test_load_keeps_graph_names_and_names_the_others_after_their_file(tmp_path):
    (tmp_path / "extract.nt").write_text('<http://e.example/a> <http://e.example/p> "a" .\n', encoding="utf-8")
    (tmp_path / "more.trig").write_text('<http://e.example/g> { <http://e.example/b> <http://e.example/p> "b" }\n'
                                        '<http://e.example/c> <http://e.example/p> "c" .\n', encoding="utf-8")
    report = load_files(tmp_path / "store", [tmp_path / "extract.nt", tmp_path / "more.trig"])
    assert report.triples == 3 and report.added == 3
    store = ox.Store.read_only(str(tmp_path / "store"))
    graphs = {str(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else "": q.object.value
              for q in store}
    assert graphs == {"": graphs[""], graph_iri("extract"): "a", "http://e.example/g": "b", graph_iri("more"): "c"}
    assert sorted(q.object.value for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == \
        ["a", "b", "c"]


def test_a_dataset_may_not_take_the_ontology_graphs_name(data_copy):
    folder = data_copy / "kazakhstan-2022"
    thread = folder / "thread.yaml"
    thread.write_text(thread.read_text(encoding="utf-8").replace("dataset: kazakhstan-2022", "dataset: ontology"),
                      encoding="utf-8")
    folder.rename(data_copy / "ontology")
    with pytest.raises(DataError) as raised:
        build_graphs(data_copy, ONTOLOGY)
    problems = raised.value.problems
    assert any("reserved" in p.message and ONTOLOGY_GRAPH in p.message for p in problems), problems


def test_cli_query_reads_a_thread_graph(runner, built_dir, open_kind):
    result = runner.invoke(main, ["query", "--graph", str(built_dir), "--format", "csv",
                                  f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{THREAD}> {{ ?s a kg:Statement }} }}"])
    assert result.exit_code == 0, result.output
    assert int(result.output.split()[1]) == count(open_kind("memory"), "?s a kg:Statement") > 50
