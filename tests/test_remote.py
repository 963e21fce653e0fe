"""Remote stores behave like local ones, and `kgraph load` publishes to a team's triplestore.

Against a real Virtuoso (Debian's, installed by `make virtuoso`) and a writable
`oxigraph serve`, each started once per session on loopback and filled by
`kgraph load --store URL` itself (the Graph Store Protocol): every named query,
path, show, neighbours, viz and every export format give the bytes the memory
store gives. Stub servers check the Accept header per query form and that bad
answers are one-line errors.
"""

from __future__ import annotations

import http.server
import re
import threading
import urllib.parse
import urllib.request

import pytest
from rdflib import URIRef

from conftest import DATASET
from kgraph.cli import main
from kgraph.errors import QueryError, StoreError
from kgraph.exporters import FORMATS
from kgraph.rdf.namespaces import graph_iri
from kgraph.stores import open_store
from kgraph.stores.base import bound_query, names_dataset, query_form
from kgraph.stores.http import HttpStore, _own_lines
from kgraph.stores.named_queries import named_queries
from kgraph.stores.publish import credentials, graph_store_url
from servers import VIRTUOSO_PASSWORD, VIRTUOSO_USER, oxigraph, virtuoso, virtuoso_missing

GRAPH = graph_iri(DATASET)


# -- the servers, once per session ----------------------------------------------------------------

@pytest.fixture(scope="session")
def virtuoso_base(tmp_path_factory, built_dir):
    missing = virtuoso_missing()
    if missing:
        pytest.skip(missing)
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        publish_cli(f"{base}/sparql", built_dir)
        yield base


@pytest.fixture(scope="session")
def oxigraph_base(built_dir):
    # No --union-default-graph: the HTTP store itself names kgraph's graphs as the dataset.
    with oxigraph() as base:
        publish_cli(f"{base}/query", built_dir)
        yield base


def publish_cli(endpoint: str, built_dir) -> str:
    """``kgraph load --store endpoint`` as Virtuoso's administrator (Oxigraph asks for no credentials)."""
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["load", "--store", endpoint, "--graph", str(built_dir)],
                                env={"KGRAPH_USER": VIRTUOSO_USER, "KGRAPH_PASSWORD": VIRTUOSO_PASSWORD})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(params=["virtuoso", "oxigraph"])
def endpoint(request) -> str:
    if request.param == "virtuoso":
        return request.getfixturevalue("virtuoso_base") + "/sparql"
    return request.getfixturevalue("oxigraph_base") + "/query"


# -- the same answers as the memory store ---------------------------------------------------------

@pytest.mark.server
@pytest.mark.slow
def test_every_named_query_gives_the_same_rows_in_the_same_order(endpoint, store):
    remote = open_store(endpoint)
    for name, named in sorted(named_queries().items()):
        local = store.query(named.text)
        answer = remote.query(named.text)
        assert answer.vars == local.vars and answer.rows == local.rows, name


COMMANDS = [
    ["path", "Tokayev", "Joe Biden", "--format", "json"],
    ["path", "Tokayev", "Hunter Biden", "--avoid-hubs", "--max-hops", "5"],
    ["show", "Toqajev"],
    ["show", "Masimov", "--format", "json"],
    ["neighbours", "Nazarbayev", "--depth", "2"],
    ["post", "5"],
    ["claims", "--format", "json"],
    ["query", "--name", "hedged-claims", "--format", "csv"],
    ["viz", "--focus", "Tokayev", "--depth", "1", "--out", "-"],
    ["viz", "--out", "-"],
    *(["export", "--format", fmt] for fmt in sorted(FORMATS) if not FORMATS[fmt].folder),
    *(["export", "--format", fmt, "--focus", "Tokayev", "--depth", "1"] for fmt in sorted(FORMATS)
      if not FORMATS[fmt].folder),
    ["export", "--format", "ttl", "--family", "hostility", "--stated-only"],
]


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_give_the_bytes_of_the_memory_store(runner, built_dir, endpoint, args):
    local = runner.invoke(main, [*args, "--graph", str(built_dir)])
    remote = runner.invoke(main, [*args, "--store", endpoint])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert remote.stdout_bytes == local.stdout_bytes


@pytest.mark.server
def test_the_servers_own_graphs_stay_out_of_the_answers(virtuoso_base, store):
    # Virtuoso's default graph is every graph it has, its own thousands of triples included.
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    remote = open_store(f"{virtuoso_base}/sparql")
    assert remote.own_graphs() == [GRAPH]
    assert remote.query(count).rows == store.query(count).rows
    everything = remote.query("SELECT (COUNT(*) AS ?n) FROM <http://www.openlinksw.com/schemas/virtrdf#> "
                              "WHERE { ?s ?p ?o }")
    assert int(everything.rows[0][0]) > 0, "a query's own FROM is sent as it is"
    named = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [str(row[0]) for row in named.rows] == [GRAPH]


@pytest.mark.server
def test_error_lines_are_those_of_the_users_query(runner, endpoint):
    result = runner.invoke(main, ["query", "--store", endpoint, "SELECT ?x WHERE {\n  ?x ?y\n}"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert re.search(r"line 3\b|at 3:", result.output), result.output


# -- publishing -----------------------------------------------------------------------------------

@pytest.mark.server
def test_publishing_again_replaces_the_graph(endpoint, built_dir, store):
    again = publish_cli(endpoint, built_dir)
    triples = len(store.query("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert f"replaced <{GRAPH}> with {built_dir / DATASET}.ttl ({triples} triples)" in again
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    assert int(open_store(endpoint).query(count).rows[0][0]) == triples


@pytest.mark.server
def test_a_broken_file_publishes_nothing(runner, oxigraph_base, built_dir, tmp_path):
    good = tmp_path / "other.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    bad = tmp_path / f"{DATASET}.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    result = runner.invoke(main, ["load", "--store", f"{oxigraph_base}/query", str(good), str(bad)])
    assert result.exit_code == 1 and "nothing was published" in result.output
    remote = HttpStore(f"{oxigraph_base}/query")
    assert remote.own_graphs() == [GRAPH], "other.ttl was not sent"
    assert remote.query("ASK { actor:masimov kg:loyalTo actor:nazarbayev }").boolean is True


@pytest.mark.server
def test_credentials_come_from_the_environment_or_netrc(runner, virtuoso_base, tmp_path, monkeypatch):
    store = f"{virtuoso_base}/sparql"
    monkeypatch.delenv("KGRAPH_USER", raising=False)
    monkeypatch.delenv("KGRAPH_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    anonymous = runner.invoke(main, ["load", "--store", store])
    assert anonymous.exit_code == 1
    assert "answered 401" in anonymous.output and "KGRAPH_USER" in anonymous.output and ".netrc" in anonymous.output

    monkeypatch.setenv("KGRAPH_USER", VIRTUOSO_USER)
    monkeypatch.setenv("KGRAPH_PASSWORD", "not-the-password")
    wrong = runner.invoke(main, ["load", "--store", store])
    assert wrong.exit_code == 1 and "credentials were refused" in wrong.output
    assert "not-the-password" not in wrong.output

    monkeypatch.delenv("KGRAPH_USER")
    monkeypatch.delenv("KGRAPH_PASSWORD")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {VIRTUOSO_USER} password {VIRTUOSO_PASSWORD}\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    ok = runner.invoke(main, ["load", "--store", store])
    assert ok.exit_code == 0, ok.output
    assert "/sparql-graph-crud-auth" in ok.output and VIRTUOSO_PASSWORD not in ok.output.replace(VIRTUOSO_USER, "")


def test_kgraph_serve_takes_no_writes(runner, tmp_path):
    from starlette.testclient import TestClient

    from kgraph.serve.app import Limits, create_app

    client = TestClient(create_app(None, Limits(timeout=1, max_rows=None)))
    assert client.put("/sparql?graph=" + GRAPH, content=b"<urn:a> <urn:b> <urn:c> .",
                      headers={"Content-Type": "text/turtle"}).status_code == 405


# -- unit: query forms, bindings, errors, graph store names, credentials -------------------------

@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE {}", "SELECT"),
    ("PREFIX c: <urn:construct#>\n# DESCRIBE in a comment\nBASE <urn:b/>\n  ask {}", "ASK"),
    ("prefix x: <urn:x>\nconstruct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <urn:a>", "DESCRIBE"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", None),
])
def test_query_form_skips_the_prologue(text, form):
    assert query_form(text) == form


def test_bindings_go_inside_the_where_group():
    x = {"x": URIRef("urn:x"), "y": URIRef("urn:y")}
    text = 'CONSTRUCT { ?x <urn:p> "WHERE {" } # WHERE {\nWHERE { ?x ?p ?y }'
    bound = bound_query(text, x)
    assert bound.startswith(text[:text.rindex("{") + 1] + "\nVALUES (?x) {\n  (<urn:x>)\n}\nVALUES (?y)")
    assert bound.endswith(" ?x ?p ?y }")
    # The short form's group is its template too; the VALUES goes at the end there.
    assert bound_query("CONSTRUCT WHERE { ?x ?p ?o }", x).startswith("CONSTRUCT WHERE { ?x ?p ?o }\nVALUES")
    assert bound_query("SELECT * { ?x ?p ?o }", x).startswith("SELECT * { ?x ?p ?o }\nVALUES")


def test_bound_queries_answer_as_before(store):
    tokayev = {"x": URIRef("https://kgraph.example/id/actor/tokayev")}
    for text in ("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x rdfs:label ?l }",
                 "SELECT (COUNT(?l) AS ?n) WHERE { ?x rdfs:label ?l }"):
        trailing = store.query(text, bindings=tokayev)
        inside = store.query(bound_query(text, tokayev))
        assert len(trailing) == len(inside) > 0
    # Inside the group, a bound variable restricts what is counted, as rdflib's initBindings do.
    counted = store.query(bound_query("SELECT (COUNT(?l) AS ?n) WHERE { ?x rdfs:label ?l }", tokayev))
    assert 0 < int(counted.rows[0][0]) < 10


def test_names_dataset_sees_from_only_as_a_keyword():
    assert names_dataset("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    assert names_dataset("select * from named <urn:g> { graph ?g { ?s ?p ?o } }")
    assert not names_dataset('SELECT ?from WHERE { ?from <urn:p> "FROM" } # FROM')


def test_error_lines_are_mapped_back():
    assert _own_lines("Virtuoso 37000 Error SP030: SPARQL compiler, line 19: syntax error", 16) == \
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error"
    assert _own_lines("error at 18:4: expected OPTIONAL", 16) == "error at 2:4: expected OPTIONAL"
    assert _own_lines("Encountered \" \"}\" at line 20, column 1.", 16) == "Encountered \" \"}\" at line 4, column 1."
    assert _own_lines("http://127.0.0.1:8890/sparql answered 400: line 2", 16) == \
        "http://127.0.0.1:8890/sparql answered 400: line 2"


def test_graph_store_is_named_or_derived():
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("https://h/db/sparql") == "https://h/db/sparql-graph-crud-auth"
    assert graph_store_url("http://h/ds/sparql", "http://h/ds/data") == "http://h/ds/data"
    with pytest.raises(StoreError, match="--graph-store"):
        graph_store_url("http://h/endpoint")


def test_credentials(monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine team.example login ann password s3cret\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.delenv("KGRAPH_USER", raising=False)
    monkeypatch.delenv("KGRAPH_PASSWORD", raising=False)
    assert credentials("https://team.example/store") == ("ann", "s3cret")
    assert credentials("https://other.example/store") is None
    monkeypatch.setenv("KGRAPH_USER", "bob")
    monkeypatch.setenv("KGRAPH_PASSWORD", "pw")
    assert credentials("https://team.example/store") == ("bob", "pw")
    monkeypatch.delenv("KGRAPH_PASSWORD")
    with pytest.raises(StoreError, match="both"):
        credentials("https://team.example/store")
    monkeypatch.delenv("KGRAPH_USER")
    netrc.write_text("machine team.example login ann s3cret\n", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        credentials("https://team.example/store")
    assert "s3cret" not in str(caught.value)


def test_load_refuses_mixed_options(runner):
    assert runner.invoke(main, ["load", "--store", "http://h/query", "--replace"]).exit_code == 2
    assert runner.invoke(main, ["load", "--store", "oxigraph:x", "--graph-store", "http://h/store"]).exit_code == 2


# -- stub servers: what kgraph asks for, and what it makes of bad answers -------------------------

class _Stub(http.server.BaseHTTPRequestHandler):
    answers: list = []
    graphs: list = []  # the answers to kgraph's questions for its graphs, asked before a store's first query
    seen: list = []

    def do_POST(self):
        fields = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.seen.append((self.headers["Accept"], fields))
        queue = self.graphs if _listing(fields) else self.answers
        status, kind, body = queue.pop(0) if queue else (200, "application/sparql-results+json",
                                                         b'{"head":{"vars":["g"]},"results":{"bindings":[]}}')
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _listing(fields) -> bool:
    return "GRAPH ?g" in fields.get("query", [""])[0]


@pytest.fixture
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    _Stub.answers, _Stub.graphs, _Stub.seen = [], [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


ROWS = (200, "application/sparql-results+json", b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')
TRIPLES = (200, "application/n-triples", b"<urn:a> <urn:b> <urn:c> .\n")


def test_accept_follows_the_query_form(stub):
    store = HttpStore(stub)
    _Stub.answers = [ROWS, (200, "application/sparql-results+json", b'{"boolean": true}'), TRIPLES, TRIPLES]
    store.query("SELECT ?x WHERE {}")
    store.query("PREFIX c: <urn:construct#> ASK {}")
    store.query("construct { ?s ?p ?o } where { ?s ?p ?o }")
    store.query("# CONSTRUCT\nDESCRIBE <urn:a>")
    accepts = [accept.split(",")[0] for accept, fields in _Stub.seen if not _listing(fields)]
    assert accepts == ["application/sparql-results+json", "application/sparql-results+json",
                       "application/n-triples", "application/n-triples"]


def test_xml_results_are_read(stub):
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
           b'<variable name="x"/></head><results><result><binding name="x"><literal xml:lang="de">Hallo'
           b'</literal></binding></result></results></sparql>')
    _Stub.answers = [(200, "application/sparql-results+xml", xml)]
    result = HttpStore(stub).query("SELECT ?x WHERE {}")
    assert [(str(r[0]), r[0].language) for r in result.rows] == [("Hallo", "de")]


BAD_ANSWERS = [
    ((200, "text/html", b"<html><body>Welcome</body></html>"), "not a SPARQL result format"),
    ((200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": '), "malformed"),
    (TRIPLES, "answered a SELECT query with a graph"),
    ((200, "application/n-triples", b"<urn:a> <urn:b> .\n"), "sent a graph rdflib cannot read"),
    ((200, "application/sparql-results+xml", b"<sparql><oops"), "malformed SPARQL results XML"),
    ((500, "text/html", b"<html><head><title>Failed</title></head><body><h1>500</h1>\n<xmp>graph <urn:g>\n"
                        b"is rejected</xmp></body></html>"), "answered 500: Failed: 500: graph <urn:g> is rejected"),
]


@pytest.mark.parametrize("answer, message", BAD_ANSWERS, ids=[m for _, m in BAD_ANSWERS])
def test_bad_answers_are_one_line_errors(runner, stub, answer, message):
    _Stub.answers = [answer]
    result = runner.invoke(main, ["query", "--store", stub, "SELECT ?x WHERE { ?x ?p ?o }"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_a_graph_asked_for_as_rows_is_a_query_error_not_a_crash(stub):
    # Today's bug: CONSTRUCT answered as SELECT rows reached the exporter as a graph of None.
    _Stub.answers = [ROWS]
    with pytest.raises(QueryError, match="answered a CONSTRUCT query with rows"):
        HttpStore(stub).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_kgraph_graphs_become_the_dataset(stub):
    graphs = (200, "application/sparql-results+json",
              ('{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","value":"%s"}}]}}' % GRAPH).encode())
    _Stub.graphs, _Stub.answers = [graphs], [ROWS, ROWS]
    store = HttpStore(stub)
    store.query("SELECT ?x WHERE { ?x ?p ?o }")
    store.query("SELECT ?x FROM <urn:other> WHERE { ?x ?p ?o }")
    (_, asked), (_, plain), (_, own) = _Stub.seen
    assert "FILTER(STRSTARTS(STR(?g)" in asked["query"][0] and "?s ?p ?o" not in asked["query"][0]
    assert plain["default-graph-uri"] == [GRAPH] and plain["named-graph-uri"] == [GRAPH]
    assert "default-graph-uri" not in own


def test_a_server_that_lists_no_graphs_is_asked_for_them_by_their_triples(stub):
    # Virtuoso lists no graph for GRAPH ?g {}; a graph holding no thread (a Wikidata extract) must count too.
    graphs = (200, "application/sparql-results+json",
              ('{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","value":"%s"}}]}}' % GRAPH).encode())
    _Stub.graphs, _Stub.answers = [ROWS, graphs], [ROWS]
    HttpStore(stub).query("SELECT ?x WHERE { ?x ?p ?o }")
    (_, listed), (_, scanned), (_, plain) = _Stub.seen
    assert "?s ?p ?o" not in listed["query"][0] and "GRAPH ?g { ?s ?p ?o }" in scanned["query"][0]
    assert plain["default-graph-uri"] == [GRAPH]


def test_no_credentials_ever_reach_the_command_line(runner):
    result = runner.invoke(main, ["load", "--help"])
    assert "KGRAPH_USER" in result.output and "--password" not in result.output and "--user" not in result.output


def test_unreachable_graph_store_is_one_line(runner, built_dir):
    from servers import free_port

    result = runner.invoke(main, ["load", "--store", f"http://127.0.0.1:{free_port()}/query",
                                  "--graph", str(built_dir)])
    assert result.exit_code == 1 and "cannot reach" in result.output
    assert len(result.output.strip().splitlines()) == 1



_AGGREGATE = re.compile(r"\(\s*(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b.*?\bAS\s+\?(\w+)\s*\)", re.I | re.S)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_order_their_rows_totally(name):
    # Rows tied on the ORDER BY come in whatever order an engine likes: order by every column returned,
    # except aggregates, which their GROUP BY keys decide.
    text = re.sub(r"#[^\n]*", "", named_queries()[name].text)
    head = re.search(r"SELECT(.*?)WHERE", text, re.S | re.I).group(1)
    returned = set(re.findall(r"\?(\w+)", _AGGREGATE.sub("", head)))
    ordered = set(re.findall(r"\?(\w+)", text[text.rindex("ORDER BY"):]))
    assert returned <= ordered, f"ORDER BY lacks {sorted(returned - ordered)}"
