"""kgraph serve answers an Oxigraph store's SELECTs with Oxigraph's own writers: the same answers as
kgraph's rdflib terms written in Python gave, rows counted as they are written."""

from __future__ import annotations

import io

import pytest
from rdflib import BNode, Literal
from rdflib.query import Result as RdflibResult

from conftest import synthetic_store
from kgraph.network.projection import EDGES_QUERY, NAMES_QUERIES
from kgraph.serve.workers import Job, execute
from kgraph.stores import open_store
from kgraph.stores.loading import load_files
from kgraph.stores.results import MEDIA_TYPES, RESULT_FORMATS
from kgraph.stores.rowcount import CountingWriter

# Language tags, datatypes, blank nodes, unbound variables, text a format must escape, unicode.
QUERIES = (
    *NAMES_QUERIES,
    EDGES_QUERY,
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 500",
    "SELECT ?b ?p ?o WHERE { ?b ?p ?o FILTER isBlank(?b) }",
    "SELECT ?x ?n ?b ?unbound WHERE { VALUES (?x ?n) { ('Almaty'@ru 1) ('Алматы'@kk-cyrl 2.50) "
    "('x\\n\"[{,{\\\\ <result> a,\"\"b\\r\\n\\t z'@de \"1e3\"^^xsd:double) (\"😀 ünï\" true) "
    "(UNDEF '2022-01-05'^^xsd:date) (<https://kgraph.example/id/a,b> \"x\"^^<urn:t>) } BIND(BNODE() AS ?b) }",
    "SELECT ?s WHERE { ?s a <urn:nothing> }",
    "SELECT * WHERE { }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s rdfs:label ?l FILTER(LANG(?l) = 'ru') }",
    "ASK { ?s a <urn:nothing> }",
)


def _parsed(body: bytes, fmt: str):
    """The answer's variables and rows (blank nodes by order of appearance: ids are the engine's;
    literals by value, datatype and language)."""
    if fmt in ("csv", "tsv") and not body.split(b"\n", 1)[0].strip():
        return [], body.count(b"\n") - 1  # no variables, which rdflib's readers cannot read: rows
    result = RdflibResult.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return result.askAnswer
    names = {}

    def term(value):
        if isinstance(value, Literal):  # by value: rdflib wrote a double's 1000 as 1e+03, Oxigraph keeps it
            return value.toPython() if value.datatype else str(value), value.datatype, value.language
        return names.setdefault(value, f"_:b{len(names)}") if isinstance(value, BNode) else value

    return [str(v) for v in result.vars], [tuple(term(row.get(v)) for v in result.vars) for row in result.bindings]


def _old(store, sparql: str, fmt: str) -> bytes:
    # What the worker sent before: the store's rdflib terms, written by kgraph.
    return store.query(sparql).serialize(fmt)


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def oxstore(request, built_dir, tmp_path_factory):
    if request.param == "synthetic":
        return synthetic_store(tmp_path_factory)
    path = tmp_path_factory.mktemp("native") / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    return open_store(f"oxigraph:{path}")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_the_server_answers_as_before(oxstore, fmt):
    for sparql in QUERIES:
        reply = execute(oxstore, Job(sparql, fmt, None, 10**7))
        assert reply.status == 200 and reply.media_type == MEDIA_TYPES[fmt], reply.body
        old = _old(oxstore, sparql, fmt)
        assert _parsed(reply.body, fmt) == _parsed(old, fmt), sparql
        if fmt in ("csv", "tsv") and "BNODE()" not in sparql:  # a new blank node each time it runs
            assert reply.body == old, sparql  # the tabular formats are the very same bytes


@pytest.fixture
def native(store, monkeypatch):
    """The bundled graph's memory store, whose rows must not become rdflib terms."""
    monkeypatch.setattr(store, "query", lambda *a, **k: pytest.fail("rows made into rdflib terms"))
    return store


def test_an_answer_over_max_rows_is_refused_and_one_at_it_is_not(native):
    # Six rows, each a trap for a counter that reads text as rows (without the IRI Oxigraph's CSV splits).
    sparql = QUERIES[6].replace("/a,b>", "/a-b>")
    for fmt in RESULT_FORMATS:
        assert execute(native, Job(sparql, fmt, None, 6)).status == 200
        refused = execute(native, Job(sparql, fmt, None, 5))
        assert refused.status == 422
        assert refused.body == b"the answer has more than 5 rows, the limit here; add LIMIT or narrow the query " \
                               b"(the server's --max-rows is 5)\n"


def test_the_memory_store_is_written_by_oxigraph_too(store):
    written = store.answer(QUERIES[1]).serialize("json")
    assert written.startswith(b'{"head":')  # Oxigraph's layout, not kgraph's
    assert _parsed(written, "json") == _parsed(_old(store, QUERIES[1], "json"), "json")


@pytest.mark.parametrize("fmt", RESULT_FORMATS)
def test_rows_are_counted_wherever_the_writes_split_them(store, fmt, monkeypatch):
    body = store.answer(QUERIES[6]).serialize(fmt)
    rows = len(_parsed(body, fmt)[1])
    monkeypatch.setattr("kgraph.stores.rowcount._BATCH", 1)  # each write counted as it comes
    for size in (1, 2, 3, 5, 8, 13, len(body)):
        writer = CountingWriter(fmt, 10**6)
        for start in range(0, len(body), size):
            writer.write(body[start:start + size])
        assert writer.rows - (fmt in ("csv", "tsv")) == rows == 6, size
        assert writer.getvalue() == body


@pytest.mark.parametrize("batch", [3, 1 << 20])  # escaped a few bytes at a time, characters cut in two
def test_an_unsafe_character_is_escaped_as_before(native, batch, monkeypatch):
    monkeypatch.setattr("kgraph.stores.rowcount._BATCH", batch)
    sparql = "SELECT ?x WHERE { BIND('evil \\u202e txt \\u009b Қасым 😀' AS ?x) }"
    assert _parsed(execute(native, Job(sparql, "json", None, None)).body, "json")[1] == [
        (("evil \u202e txt \u009b Қасым 😀", None, None),)]
    body = execute(native, Job(sparql, "json", None, None)).body
    assert b"\\u202e" in body and b"\\u009b" in body and "\u202e".encode() not in body
    assert b"&#x202e;" in execute(native, Job(sparql, "xml", None, None)).body
    refused = execute(native, Job(sparql.replace("202e", "001b"), "xml", None, None))
    assert refused.status == 400 and b"XML cannot carry" in refused.body


def test_a_syntax_error_names_the_line_of_the_clients_text(native):
    reply = execute(native, Job("PREFIX ex: <urn:x#>\nSELECT ?s\nWHERE {\n  ?s ?p\n}", "json", None, None))
    assert reply.status == 400 and b"error at 5:" in reply.body


def test_the_protocols_dataset_picks_the_graphs(native):
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = "https://kgraph.example/graph/kazakhstan-2022"
    counts = [_parsed(execute(native, Job(sparql, "tsv", None, None, default_graphs=graphs)).body, "tsv")[1][0][0][0]
              for graphs in ((), (graph,), None)]
    assert 0 == counts[0] < counts[1] < counts[2]
