"""``kgraph.open``: one object under every surface.

Every method answers what the matching command prints with ``--format
json``; the same on an on-disk Oxigraph store and over HTTP; answers print
well (repr, HTML); and a remote store is asked only for what a question needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kgraph
from conftest import ROOT
from kgraph.cli import main
from kgraph.errors import KgraphError, NoPath, UnknownType
from kgraph.network.projection import ACTORS_QUERY, EDGES_QUERY, MENTIONS_QUERY
from kgraph.stores.base import Store
from test_stores import oxigraph_dir, oxigraph_server  # noqa: F401 - fixtures

# (method, args, kwargs) and the command that must print the same JSON
QUESTIONS = [
    (("path", ("Tokayev", "Biden"), {}), ["path", "Tokayev", "Biden"]),
    (("path", ("Tokayev", "Hunter Biden"), {"avoid_hubs": True, "exclude": ["Kazakhstan"]}),
     ["path", "Tokayev", "Hunter Biden", "--avoid-hubs", "--exclude", "Kazakhstan"]),
    (("path", ("Toqajev", "Masimov"), {"modalities": {"stated"}, "k": 5}),
     ["path", "Toqajev", "Masimov", "--stated-only", "--paths", "5"]),
    (("show", ("Masimov",), {}), ["show", "Masimov"]),
    (("show", ("Biden",), {}), ["show", "Biden"]),
    (("neighbours", ("Masimov",), {"depth": 2}), ["neighbours", "Masimov", "--depth", "2"]),
    (("actors", (), {}), ["actors"]),
    (("actors", ("person",), {}), ["actors", "--type", "person"]),
    (("central", ("betweenness", 5), {}), ["central", "--measure", "betweenness", "--top", "5"]),
    (("factions", (), {}), ["factions"]),
    (("claims", (), {"modalities": "speculated,reported"}), ["claims", "--modality", "speculated,reported"]),
    (("claims", (), {"actors": ["Massimof"], "families": ["cooperation", "hostility"]}),
     ["claims", "--actor", "Massimof", "--family", "cooperation", "--family", "hostility"]),
    (("post", (16,), {}), ["post", "16"]),
    (("search", ("hunter biden",), {}), ["search", "hunter biden"]),
    (("query", ("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m",), {}),
     ["query", "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m"]),
    (("named_query", ("hedged-claims",), {}), ["query", "--name", "hedged-claims"]),
]
IDS = [" ".join(cli) for _, cli in QUESTIONS]


@pytest.fixture(scope="module")
def kg(built_dir):
    return kgraph.open(built_dir)


def ask(graph, question):
    method, args, kwargs = question
    return getattr(graph, method)(*args, **kwargs)


def cli_json(runner, args, store: str, graph_dir) -> str:
    result = runner.invoke(main, [*args, "--format", "json", "--store", store, "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("question, cli", QUESTIONS, ids=IDS)
def test_every_answer_is_the_commands_json(kg, runner, built_dir, question, cli):
    answer = ask(kg, question)
    printed = cli_json(runner, cli, "memory", built_dir)
    assert printed in (answer.to_json() + "\n", answer.to_json())  # query writes the W3C JSON as it is
    assert answer.to_dict() == json.loads(printed)
    assert answer.to_dict(), "an empty answer proves nothing"


def test_relations_are_the_vocabularys(kg, runner):
    result = runner.invoke(main, ["relations", "--format", "json", "--ontology", str(ROOT / "ontology")])
    assert kg.relations().to_dict() == json.loads(result.stdout)


@pytest.fixture(scope="module")
def remote(oxigraph_dir, oxigraph_server):  # noqa: F811 - fixtures from test_stores
    return {"oxigraph": f"oxigraph:{oxigraph_dir}", "http": oxigraph_server}


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "http"])
def test_the_same_answers_on_every_store(kg, remote, kind):
    other = kgraph.open(remote[kind])
    for question, _ in QUESTIONS:
        if question[0] in ("query", "named_query"):
            continue  # the rows of an unordered query come in the engine's order; test_stores compares them
        assert ask(other, question).to_dict() == ask(kg, question).to_dict(), question
    assert other.relations().to_dict() == kg.relations().to_dict()
    assert other.viz(focus="Masimov", depth=1).html == kg.viz(focus="Masimov", depth=1).html
    assert other.export("graphml", focus="Toqajev", depth=1).data == kg.export("graphml", focus="Toqajev",
                                                                                depth=1).data
    assert other.central().to_dict() == kg.central().to_dict()


class Counting(Store):
    """A store that records every query it is asked (a store of one's own subclasses Store, so the
    methods built on ``query`` come with it)."""

    def __init__(self, store):
        self.store, self.description, self.asked = store, store.description, []

    def query(self, sparql, **kwargs):
        self.asked.append(sparql)
        return self.store.query(sparql, **kwargs)

    def fingerprint(self):
        return None

    def close(self):
        self.store.close()


@pytest.fixture
def counted(oxigraph_dir):  # noqa: F811 - a fixture from test_stores
    from kgraph.stores import open_store

    return Counting(open_store(f"oxigraph:{oxigraph_dir}"))


def test_show_on_a_store_fetches_only_the_neighbourhood(counted, kg):
    answer = kgraph.open(store=counted).show("Masimov")
    assert answer.to_dict() == kg.show("Masimov").to_dict()
    # The edges are asked for only with the neighbourhood's actors bound, never all of them.
    assert EDGES_QUERY not in counted.asked
    # (The VALUES block opens the WHERE group, so the query no longer starts with EDGES_QUERY whole.)
    head = EDGES_QUERY.strip().splitlines()[0]
    assert any(q.strip().startswith(head) and "VALUES" in q and q != EDGES_QUERY for q in counted.asked)


def test_neighbours_and_actors_on_a_store_do_not_fetch_the_network(counted, kg):
    graph = kgraph.open(store=counted)
    assert graph.neighbours("Masimov", depth=2).to_dict() == kg.neighbours("Masimov", depth=2).to_dict()
    assert ACTORS_QUERY not in counted.asked, "names resolve from the names alone, not every actor's record"
    asked = len(counted.asked)
    assert graph.actors().to_dict() == kg.actors().to_dict()
    assert counted.asked[asked:-1] == [ACTORS_QUERY, MENTIONS_QUERY], "every actor's record, once, for the list"
    assert len(counted.asked) == asked + 3 and "COUNT" in counted.asked[-1], "and one count query for the degrees"
    graph.actors()
    assert len(counted.asked) == asked + 4, "the records are kept: only the degrees are counted again"
    assert EDGES_QUERY not in counted.asked
    graph.central()
    assert EDGES_QUERY in counted.asked, "centrality needs the whole network"


def test_a_local_graph_answers_from_its_cached_network(built_dir):
    kgraph.open(built_dir).show("Masimov")  # fills the cache
    fresh = kgraph.open(built_dir)
    fresh.path("Tokayev", "Biden")
    fresh.neighbours("Masimov")
    assert fresh._store is None, "the cached projection answers without loading the graph"


def test_reprs_are_short_and_say_what_is_inside(kg):
    assert repr(kgraph.open("graph")) == "<KGraph memory store of graph>"
    paths = kg.path("Tokayev", "Biden")
    shortest = min(p.length for p in paths)
    assert repr(paths) == (f"<Paths Kassym-Jomart Tokayev → Joe Biden: {len(paths)} paths, "
                           f"shortest {shortest} hops>")
    assert repr(kg.path("Tokayev", "Toqajev")) == \
        "<Paths Kassym-Jomart Tokayev → Kassym-Jomart Tokayev: the same actor>"
    assert repr(kg.show("Masimov")).startswith("<Actor Karim Massimov (masimov, person): ")
    hedged = kg.claims(modalities={"speculated"})
    assert repr(hedged) == f"<Claims: {len(hedged)} (speculated {len(hedged)})>"
    assert repr(kg.query("ASK { ?s ?p ?o }")) == "<Result ASK: true>"
    assert repr(kg.query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu }")) == "<Result SELECT: 5 rows of m>"
    assert repr(kg.export("graphml")) == "<Output graphml: kgraph.graphml>"
    assert repr(kg.central(top=1)).startswith("<Ranking by degree: Kazakhstan ")


def test_html_shows_the_evidence(kg):
    paths = kg.path("Tokayev", "Biden")
    first = paths[0].hops[0].edge.evidence[0]
    shown = paths._repr_html_()
    assert f"<q>{first.quote}</q>" in shown and shown.count("<ol>") == 1
    assert "Karim Massimov" in kg.show("Masimov")._repr_html_()
    assert "<td>actor:russia</td>" in kg.query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu }")._repr_html_()
    hedged = kg.claims(modalities={"reported"})
    assert hedged[0].quote.split()[0] in hedged._repr_html_()


def test_the_page_shows_inline_and_saves(kg, tmp_path):
    page = kg.viz(focus="Toqajev", depth=1)
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"&lt;!DOCTYPE html&gt;") and "Kassym-Jomart Tokayev" in frame
    assert page.save(tmp_path / "t.html").read_bytes() == page.html
    assert page.resolved[0].actor.id == "tokayev" and page.notes() == []


def test_names_that_are_not_exact_come_with_notes(kg):
    paths = kg.path("Toqajev", "Biden")
    assert [m.how for m in paths.resolved] == ["exact", "ambiguous"]
    assert paths.notes() == ["taking 'Biden' as Joe Biden; also matches: Hunter Biden"]
    assert kg.claims(actors=["Massimof"]).notes() == ["taking 'Massimof' as Karim Massimov (close spelling)"]


def test_an_error_still_says_how_the_names_were_taken(runner, built_dir):
    with pytest.raises(NoPath) as caught:
        kgraph.open(built_dir).path("Tokayev", "Biden", directed=True)
    assert [m.actor.id for m in caught.value.resolved] == ["tokayev", "joe-biden"]
    result = runner.invoke(main, ["path", "Tokayev", "Biden", "--directed", "--graph", str(built_dir)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "taking 'Biden' as Joe Biden; also matches: Hunter Biden"


def test_open_takes_a_folder_a_store_or_an_open_store(built_dir, oxigraph_dir):  # noqa: F811
    from kgraph.stores import open_store

    assert kgraph.open(str(built_dir)).local and kgraph.open(Path(built_dir)).local
    assert not kgraph.open(f"oxigraph:{oxigraph_dir}").local
    assert kgraph.open(store=open_store("memory", graph_dir=built_dir)).actors().to_dict()
    with pytest.raises(KgraphError, match="no such graph folder, nor a store"):
        kgraph.open("no/such/folder")
    with pytest.raises(KgraphError, match="unknown store"):
        kgraph.open("mongodb://x", graph_dir=built_dir)
    with pytest.raises(UnknownType, match="types: alliance"):
        kgraph.open(built_dir).actors("nonsense")


def test_named_query_limit(kg):
    assert len(kg.named_query("hedged-claims", limit=2)) == 2
    with pytest.raises(KgraphError, match="limit"):
        kg.named_query("hedged-claims", limit=-1)


def test_import_kgraph_stays_cheap():
    found = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kgraph; kgraph.open; kgraph.KGraph"],
                           capture_output=True, text=True, check=True).stderr
    heavy = [line for line in found.splitlines() if line.rstrip().endswith(("rdflib", "networkx", "pyoxigraph"))]
    assert not heavy, heavy


def test_scoped_store_binds_only_the_queries_it_is_given(store):
    from rdflib import URIRef

    from kgraph.network.neighbourhood import _Scoped

    tokayev = URIRef("https://kgraph.example/id/actor/tokayev")
    scoped = _Scoped(store, [tokayev], [tokayev], {"SELECT DISTINCT ?s WHERE { ?s kg:actorType ?t }": "s"})
    assert len(scoped.query("SELECT DISTINCT ?s WHERE { ?s kg:actorType ?t }")) == 1
    # A query not named is not narrowed, whatever variables it uses.
    assert len(scoped.query("SELECT DISTINCT ?s WHERE { ?s kg:actorType ?type }")) > 40


@pytest.mark.slow
def test_the_notebook_runs_and_answers(monkeypatch):
    """docs/analyst.ipynb, its code cells run in order in one namespace from the repository root."""
    notebook = json.loads((ROOT / "docs" / "analyst.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in cells), "outputs are cleared"
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for cell in cells:
        exec(compile("".join(cell["source"]), "analyst.ipynb", "exec"), namespace)
    paths = namespace["paths"]
    assert paths[0].hops[0].edge.evidence[0].quote
    assert {c.modality for c in namespace["suspected"]} == {"speculated", "reported"}
    assert list(namespace["frame"].columns) == namespace["hedged"].vars
    assert namespace["page"]._repr_html_().startswith("<iframe")
