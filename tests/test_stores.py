"""Stores: memory, rdflib, oxigraph:PATH and a real `oxigraph serve` give the same answers.

Also `kgraph load` (every RDF format, gzip, all-or-nothing), row caps,
bound values that cannot change a query, HTTP errors and timeouts, and
the layer-by-layer neighbourhood against the full projection.
"""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kgraph.cli import main
from kgraph.errors import QueryError, QueryRefused, StoreError, UnknownActor
from kgraph.network.neighbourhood import fetch_degrees, fetch_neighbourhood, path_depth
from kgraph.network.projection import fetch_actors, fetch_projection
from kgraph.network.selection import ego
from kgraph.stores import open_store
from kgraph.stores.base import TooManyRows, values_table
from kgraph.stores.http import HttpStore
from kgraph.stores.loading import load_files
from kgraph.stores.named_queries import named_queries
from servers import free_port, wait_until_up

BIN = Path(sys.executable).parent
KINDS = ["memory", "rdflib", "oxigraph", "http"]


@pytest.fixture(scope="module")
def oxigraph_dir(built_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ox") / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    return path


@pytest.fixture(scope="module")
def oxigraph_server(oxigraph_dir):
    """`oxigraph serve-read-only` (from the oxigraph PyPI package) over the loaded store."""
    port = free_port()
    process = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxigraph_dir),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def stores(built_dir, oxigraph_dir, oxigraph_server):
    return {
        "memory": open_store("memory", graph_dir=built_dir),
        "rdflib": open_store("rdflib", graph_dir=built_dir),
        "oxigraph": open_store(f"oxigraph:{oxigraph_dir}"),
        "http": open_store(oxigraph_server),
    }


def canonical(result) -> list:
    """Rows as sorted N3 strings, so answers from different engines compare exactly."""
    if result.kind == "ASK":
        return [result.boolean]
    if result.kind == "CONSTRUCT":
        return sorted(" ".join(t.n3() for t in triple) for triple in result.graph)
    return sorted(tuple("" if t is None else t.n3() for t in row) for row in result.rows)


# -- the same answers everywhere ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_the_same_on_every_store(stores, name):
    text = named_queries()[name].text
    answers = {kind: canonical(store.query(text)) for kind, store in stores.items()}
    assert answers["memory"], f"{name} has no answer on the bundled graph"
    for kind in KINDS[1:]:
        assert answers[kind] == answers["memory"], kind


def test_select_ask_construct_agree(stores):
    # DESCRIBE is left out: SPARQL leaves its answer to each engine (rdflib adds incoming triples).
    queries = [
        "SELECT ?label WHERE { actor:tokayev rdfs:label ?label }",
        "ASK { actor:masimov kg:loyalTo actor:nazarbayev }",
        "ASK { actor:nazarbayev kg:loyalTo actor:masimov }",
        "CONSTRUCT { ?a kg:memberOf ?b } WHERE { ?a kg:memberOf ?b }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ]
    for text in queries:
        answers = {kind: canonical(store.query(text)) for kind, store in stores.items()}
        for kind in KINDS[1:]:
            assert answers[kind] == answers["memory"], (kind, text)


def test_projection_is_identical_on_every_store(stores):
    projections = {kind: asdict(fetch_projection(store)) for kind, store in stores.items()}
    assert len(projections["memory"]["actors"]) > 40 and len(projections["memory"]["edges"]) > 50
    for kind in KINDS[1:]:
        assert projections[kind] == projections["memory"], kind


HOSTILE = ['x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o "', 'ends with a quote"', '"""', "back\\slash\\",
           "line\nbreak\ttab", "\u202eevil"]


@pytest.mark.parametrize("kind", KINDS)
def test_bindings_are_data_not_query_text(stores, kind):
    store = stores[kind]
    for text in HOSTILE:
        for term in (Literal(text), Literal(text, lang="de")):
            result = store.query("SELECT ?v WHERE { }", bindings={"v": term})
            assert [row[0] for row in result.rows] == [term], (kind, text)
    tokayev = store.query("SELECT ?label WHERE { ?a rdfs:label ?label FILTER(LANG(?label) = 'en') }",
                          bindings={"a": URIRef("https://kgraph.example/id/actor/tokayev")})
    assert [str(r[0]) for r in tokayev.rows] == ["Kassym-Jomart Tokayev"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_iri_in_bindings_cannot_change_the_query(stores, kind):
    hostile = URIRef("https://x/> } ; DROP ALL ; <")
    try:
        result = stores[kind].query("SELECT ?v WHERE { }", bindings={"v": hostile})
    except QueryError:
        return  # refused before it reached the engine
    assert [row[0] for row in result.rows] == [hostile]  # rdflib binds it as a term


@pytest.mark.parametrize("kind", KINDS)
def test_updates_are_refused(stores, kind):
    for text in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "PREFIX x: <urn:x#>\n# note\nDELETE WHERE { ?s ?p ?o }",
                 "DROP ALL", "LOAD <http://example.org/>"):
        with pytest.raises(QueryRefused):
            stores[kind].query(text)
    assert stores[kind].query("ASK { ?s ?p ?o }").boolean is True


@pytest.mark.parametrize("kind", KINDS)
def test_row_cap(stores, kind):
    store = stores[kind]
    with pytest.raises(TooManyRows) as caught:
        store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=100)
    assert "more than 100 rows" in str(caught.value)
    with pytest.raises(TooManyRows):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=100)
    assert len(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 100", max_rows=100)) == 100


@pytest.mark.parametrize("kind", KINDS)
def test_syntax_error_is_a_query_error(stores, kind):
    with pytest.raises(QueryError) as caught:
        stores[kind].query("SELECT ?x WHERE { ?x ?y }")
    assert not isinstance(caught.value, QueryRefused)


def test_values_table_refuses_bad_variable_names():
    with pytest.raises(QueryError):
        values_table(["a b"], [(URIRef("urn:x"),)])
    with pytest.raises(QueryError):
        values_table(["a"], [(URIRef("urn:x> <urn:y"),)])


# -- neighbourhoods -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_neighbourhood_is_the_ego_network_of_the_full_projection(stores, kind):
    full = fetch_projection(stores["memory"])
    for seed in ("tokayev", "joe-biden", "csto"):
        for depth in (0, 1, 2):
            got = fetch_neighbourhood(stores[kind], [seed], depth)
            assert asdict(got) == asdict(ego(full, seed, depth)), (kind, seed, depth)


@pytest.mark.parametrize("kind", ["oxigraph", "http"])
def test_neighbourhood_with_the_actors_at_hand_is_the_same(stores, kind):
    actors = fetch_actors(stores[kind])
    for seeds, depth in ((["tokayev"], 1), (["tokayev", "joe-biden"], 2)):
        given = fetch_neighbourhood(stores[kind], seeds, depth, actors=actors)
        assert asdict(given) == asdict(fetch_neighbourhood(stores[kind], seeds, depth))


def test_neighbourhood_of_two_seeds_holds_the_paths_between_them(stores):
    import networkx as nx

    full = fetch_projection(stores["memory"]).to_networkx()
    expected = nx.shortest_path_length(full, "tokayev", "joe-biden")
    near = fetch_neighbourhood(stores["http"], ["tokayev", "joe-biden"], path_depth(expected))
    assert nx.shortest_path_length(near.to_networkx(), "tokayev", "joe-biden") == expected
    assert len(near.actors) < len(fetch_projection(stores["memory"]).actors)


def test_no_values_block_is_longer_than_a_batch(stores, monkeypatch):
    # Oxigraph scans whole predicates for a VALUES block of over 1000 rows (80 s at 1M triples).
    from kgraph.network import neighbourhood

    monkeypatch.setattr(neighbourhood, "BATCH", 5)
    sent = []
    store = stores["http"]
    monkeypatch.setattr(store, "query", lambda sparql, **kw: sent.append(sparql) or HttpStore.query(
        store, sparql, **kw))
    near = fetch_neighbourhood(store, ["tokayev"], 2)
    assert len(near.actors) > 5
    longest = max(block.count("\n  (") for sparql in sent for block in sparql.split("VALUES")[1:])
    assert longest == 5
    monkeypatch.undo()
    assert asdict(near) == asdict(fetch_neighbourhood(store, ["tokayev"], 2))


@pytest.mark.parametrize("kind", KINDS)
def test_names_alone_are_those_of_every_actor(stores, kind):
    from kgraph.network.projection import fetch_names

    full = fetch_actors(stores["memory"])
    names = fetch_names(stores[kind])
    assert {aid: (a.type, a.label, a.labels, a.aliases) for aid, a in names.items()} == \
        {aid: (a.type, a.label, a.labels, a.aliases) for aid, a in full.items()}


def test_a_remote_asks_independent_queries_side_by_side(stores, monkeypatch):
    # Each query waits for the other before going out: asked one after the other, the barrier breaks.
    store = stores["http"]
    both = threading.Barrier(2, timeout=10)

    def waiting(ask):
        return lambda sparql, **kw: (both.wait(), ask(store, sparql))[1]

    monkeypatch.setattr(store, "query", waiting(HttpStore.query))
    monkeypatch.setattr(store, "strings", waiting(HttpStore.strings))
    queries = ["SELECT ?a WHERE { ?a kg:memberOf actor:eaeu }", "SELECT ?c WHERE { ?c kg:modality kg:speculated }"]
    answers, strings = store.query_many(queries), store.strings_many(queries)
    monkeypatch.undo()
    assert all(answer.rows for answer in answers)
    assert [sorted(a.rows) for a in answers] == [sorted(store.query(q).rows) for q in queries]
    assert [sorted(rows) for rows in strings] == [sorted(stores["memory"].strings(q)) for q in queries]


def test_a_remote_answers_plain_rows_as_csv(stores):
    # Quotes hold commas and quotation marks, which CSV quotes; an unbound value is None.
    sparql = "SELECT ?c ?quote ?none WHERE { ?c kg:quote ?quote OPTIONAL { ?c kg:noSuchThing ?none } }"
    rows = stores["http"].strings(sparql)
    assert sorted(rows) == sorted(stores["memory"].strings(sparql))
    assert any("," in quote for _, quote, _ in rows) and any('"' in quote for _, quote, _ in rows)
    assert {none for _, _, none in rows} == {None}


@pytest.mark.parametrize("kind", KINDS)
def test_degrees_are_those_of_the_whole_projection(stores, kind):
    full = fetch_projection(stores["memory"]).degree()
    assert fetch_degrees(stores[kind], sorted(full)) == full
    # An actor at the edge of a neighbourhood has fewer relations in it than in the store.
    near = fetch_neighbourhood(stores[kind], ["knb"], 1)
    assert near.degree()["masimov"] < fetch_degrees(stores[kind], ["masimov"])["masimov"] == full["masimov"]


def test_path_avoid_hubs_on_an_on_disk_store_is_the_local_answer(runner, built_dir, oxigraph_dir):
    # Within 5 hops the neighbourhood fetched holds 4 of Masimov's 5 relations; the cost counts all 5.
    args = ["path", "Tokayev", "Hunter Biden", "--avoid-hubs", "--max-hops", "5", "--format", "json"]
    local = runner.invoke(main, [*args, "--graph", str(built_dir)])
    on_disk = runner.invoke(main, [*args, "--store", f"oxigraph:{oxigraph_dir}"])
    assert on_disk.exit_code == 0, on_disk.output
    assert on_disk.output == local.output and '"cost": 15' in local.output


def test_neighbourhood_names_an_unknown_seed(stores):
    with pytest.raises(UnknownActor, match="no-such-actor"):
        fetch_neighbourhood(stores["memory"], ["tokayev", "no-such-actor"], 1)


# -- actors cached per on-disk store --------------------------------------------------------------

def test_on_disk_actors_are_cached_until_the_store_changes(built_dir, tmp_path, monkeypatch):
    from kgraph.network import projection

    path = tmp_path / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    fetched = []
    real = projection.fetch_actors
    monkeypatch.setattr(projection, "fetch_actors", lambda store: fetched.append(1) or real(store))
    first = open_store(f"oxigraph:{path}")
    assert first.fingerprint() == open_store(f"oxigraph:{path}").fingerprint()
    assert projection.cached_actors(first) == real(first)
    assert projection.cached_actors(open_store(f"oxigraph:{path}")) == real(first)
    assert len(fetched) == 1, "the second run read the cache"

    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix kg: <https://kgraph.example/ns#> .\n"
                     "<https://kgraph.example/id/actor/new-one> kg:actorType \"person\" ;\n"
                     "  <http://www.w3.org/2000/01/rdf-schema#label> \"New One\"@en .\n", encoding="utf-8")
    load_files(path, [extra])
    changed = open_store(f"oxigraph:{path}")
    assert changed.fingerprint() != first.fingerprint()
    assert "new-one" in projection.cached_actors(changed)
    assert len(fetched) == 2
    assert open_store("memory", graph_dir=built_dir).fingerprint() is None


def test_cached_actor_lists_are_pruned(built_dir, tmp_path, monkeypatch):
    from kgraph.network import projection

    cache = tmp_path / "cache"
    monkeypatch.setenv("KGRAPH_CACHE", str(cache))
    for n in range(projection.KEEP_CACHED + 2):
        path = tmp_path / f"store-{n}"
        load_files(path, sorted(built_dir.glob("*.ttl")))
        projection.cached_actors(open_store(f"oxigraph:{path}"))
    assert len(list(cache.glob("actors-*.json"))) == projection.KEEP_CACHED


# -- kgraph load ----------------------------------------------------------------------------------

FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def reference(built_dir) -> Graph:
    return Graph().parse(next(built_dir.glob("*.ttl")))


@pytest.mark.parametrize("ext", sorted(FORMATS) + ["nt.gz"])
def test_load_reads_every_format(reference, tmp_path, ext):
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    source = tmp_path / f"graph.{ext}"
    fmt = FORMATS[ext.split(".")[0]]
    if fmt in ("nquads", "trig"):
        dataset = Dataset()
        named = dataset.graph(URIRef("https://kgraph.example/graph/one"))
        for triple in reference:
            named.add(triple)
        data = dataset.serialize(format=fmt, encoding="utf-8")
    else:
        data = reference.serialize(format=fmt, encoding="utf-8")
    source.write_bytes(gzip.compress(data) if ext.endswith(".gz") else data)
    report = load_files(tmp_path / "store", [source])
    assert report.triples == report.added == len(reference)
    store = ox.Store.read_only(str(tmp_path / "store"))
    loaded = Graph()
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        loaded.add(tuple(_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    assert isomorphic(loaded, reference)


def _rdflib(term):
    from kgraph.stores.oxi import to_rdflib

    return to_rdflib(term)


def test_load_is_all_or_nothing(built_dir, tmp_path):
    good = sorted(built_dir.glob("*.ttl"))
    store = tmp_path / "store"
    first = load_files(store, good)
    bad = tmp_path / "extra.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"unterminated .\n", encoding="utf-8")
    extra = tmp_path / "more.nt"
    extra.write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"extra\.nt.*line 2"):
        load_files(store, [extra, bad])
    # The triples of the default graph, the union: each is stored again in its file's named graph.
    assert sum(1 for _ in ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, ox.DefaultGraph())) \
        == first.triples
    assert not list(tmp_path.glob(".store.*")), "staging copy left behind"
    again = load_files(store, [extra])
    assert again.added == 1 and again.triples == first.triples + 1
    replaced = load_files(store, [extra], replace=True)
    assert replaced.triples == 1


def test_load_refuses_unknown_formats_and_missing_files(tmp_path):
    odd = tmp_path / "graph.xyz"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="unknown RDF format"):
        load_files(tmp_path / "store", [odd])
    with pytest.raises(StoreError, match="no such file"):
        load_files(tmp_path / "store", [tmp_path / "missing.ttl"])
    assert not (tmp_path / "store").exists()


def test_load_into_a_folder_that_does_not_exist_is_one_line(runner, built_dir, tmp_path):
    result = runner.invoke(main, ["load", "--store", f"oxigraph:{tmp_path / 'no' / 'store'}", "--graph",
                                  str(built_dir)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"kgraph: error: {tmp_path / 'no'}: no such folder for the store store\n"
    assert not (tmp_path / "no").exists()


def test_load_command(runner, built_dir, tmp_path):
    store = tmp_path / "cli-store"
    result = runner.invoke(main, ["load", "--store", f"oxigraph:{store}", "--graph", str(built_dir)])
    assert result.exit_code == 0, result.output
    assert "new triples" in result.output
    query = runner.invoke(main, ["query", "--store", f"oxigraph:{store}", "--format", "json",
                                 "ASK { actor:masimov kg:loyalTo actor:nazarbayev }"])
    assert query.exit_code == 0 and "true" in query.output
    wrong = runner.invoke(main, ["load", "--store", "memory"])
    assert wrong.exit_code == 2 and "oxigraph:PATH" in wrong.output
    missing = runner.invoke(main, ["query", "--store", f"oxigraph:{tmp_path / 'none'}", "ASK {}"])
    assert missing.exit_code == 1 and "kgraph load" in missing.output


# -- the HTTP store's failures --------------------------------------------------------------------

def test_http_store_reports_server_errors(stores):
    with pytest.raises(QueryError, match="answered 400"):
        stores["http"].query("SELECT ?x WHERE { ?x ?y }")


def test_http_store_times_out():
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    try:
        store = HttpStore(f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(StoreError, match="no answer within 0.5 s"):
            store.query("ASK {}")
        assert time.monotonic() - started < 5
    finally:
        listener.close()


def test_http_store_reuses_its_connection(stores):
    import httpx

    opened = []
    transport = httpx.HTTPTransport()
    real = transport._pool._connections
    store = stores["http"]
    fresh = HttpStore(store.endpoint)
    fresh.client = httpx.Client(transport=transport, event_hooks={
        "request": [lambda request: opened.append(len(real) or "new")]})
    for _ in range(5):
        assert fresh.query("ASK { ?s ?p ?o }").boolean
    # The first query also asks which of kgraph's graphs the endpoint holds: six requests.
    assert opened[0] == "new" and opened[1:] == [1] * (len(opened) - 1) and len(opened) >= 5, \
        "one connection, kept open between queries"
    fresh.close()


def test_http_store_reports_an_unreachable_endpoint():
    with pytest.raises(StoreError, match="cannot reach"):
        HttpStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5).query("ASK {}")
