"""Report queries: pages of named queries (LIMIT/OFFSET) and answers streamed as the store finds them."""

from __future__ import annotations

import io
import json

import pytest
from rdflib import Variable
from rdflib.query import Result as RdflibResult

from kgraph.cli import main as cli
from kgraph.stores.named_queries import named_queries, page_text
from kgraph.stores.results import RowStream, row_blocks, write_rows

NAMES = sorted(named_queries())


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def store(request, open_kind):
    return open_kind(request.param)


@pytest.mark.parametrize("name", NAMES)
def test_pages_are_slices_of_the_full_answer(store, name):
    full = store.query(page_text(name)).rows
    size = max(len(full) // 3, 1)
    pages = []
    for offset in range(0, len(full) + size, size):
        page = store.query(page_text(name, limit=size, offset=offset)).rows
        assert page == full[offset:offset + size], (name, offset)
        pages += page
    assert pages == full
    assert store.query(page_text(name, offset=1)).rows == full[1:]


def test_a_page_needs_whole_numbers():
    from kgraph.errors import KgraphError

    with pytest.raises(KgraphError, match="offset must be a whole number"):
        page_text("figures", offset=-1)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_streamed_output_is_the_whole_answer_byte_for_byte(runner, built_dir, store, fmt):
    for name in NAMES:
        whole = store.query(page_text(name)).serialize(fmt)
        done = runner.invoke(cli, ["query", "--name", name, "--format", fmt, "--graph", str(built_dir)])
        assert done.exit_code == 0, done.output
        assert done.stdout_bytes == whole, name


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_writer_gives_rdflibs_bytes(store, fmt):
    # The layout the answers had when rdflib's serializers wrote them: scripts read it.
    for name in NAMES:
        answer = store.query(page_text(name))
        old = RdflibResult("SELECT")
        old.vars = [Variable(v) for v in answer.vars]
        old.bindings = [{Variable(v): t for v, t in zip(answer.vars, row) if t is not None} for row in answer.rows]
        out = io.BytesIO()
        old.serialize(out, format=fmt, encoding="utf-8")
        assert b"".join(write_rows(fmt, answer.vars, answer.rows)) == out.getvalue(), name


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_the_first_row_is_written_before_the_next_is_read(store, fmt):
    answer = store.query(page_text("eaeu-members"))

    def rows():
        yield answer.rows[0]
        raise AssertionError("read past the first row before writing it")

    chunks = write_rows(fmt, answer.vars, rows())
    header, first = next(chunks), next(chunks)
    assert b"armenia" in first and b"armenia" not in header


def test_json_streamed_stays_valid_json_with_no_rows(store):
    text = b"".join(write_rows("json", ["a"], iter([])))
    assert json.loads(text) == {"results": {"bindings": []}, "head": {"vars": ["a"]}}


def test_blocks_start_with_one_row_and_double():
    assert [len(b) for b in row_blocks(range(20))] == [1, 2, 4, 8, 5]
    assert [len(b) for b in row_blocks(range(3000), first=1024)] == [1024, 1024, 952]


def test_oxigraph_streams_rows_lazily(open_kind):
    streamed = open_kind("oxigraph").stream("SELECT ?s WHERE { ?s ?p ?o }")
    assert isinstance(streamed, RowStream) and not isinstance(streamed.rows, (list, tuple))
    assert len(next(streamed.rows)) == 1


def test_stream_query_gives_ask_and_construct_whole(store):
    from kgraph.stores.query import stream_query

    assert stream_query("ASK { ?s ?p ?o }", store=store, timeout=30).boolean is True
    assert stream_query("CONSTRUCT WHERE { ?s kg:memberOf ?o }", store=store, timeout=30).kind == "CONSTRUCT"
    rows = stream_query("SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m", store=store, timeout=30)
    assert [str(r[0]).rsplit("/", 1)[-1] for r in rows] == ["armenia", "belarus", "kazakhstan", "kyrgyzstan",
                                                            "russia"]


def test_stream_query_errors_reach_the_caller(store):
    from kgraph.errors import QueryError
    from kgraph.stores.query import stream_query

    with pytest.raises(QueryError):
        list(stream_query("SELECT ?s WHERE { ?s ?p }", store=store, timeout=30))


def test_cli_limit_and_offset(runner, built_dir):
    done = runner.invoke(cli, ["query", "--name", "eaeu-members", "--limit", "2", "--offset", "1",
                               "--format", "csv", "--graph", str(built_dir)])
    assert done.exit_code == 0, done.output
    assert [line.split(",")[0].rsplit("/", 1)[-1] for line in done.output.splitlines()[1:]] == \
        ["belarus", "kazakhstan"]
    mixed = runner.invoke(cli, ["query", "SELECT * { ?s ?p ?o }", "--limit", "2", "--graph", str(built_dir)])
    assert mixed.exit_code == 2 and "--limit and --offset go with --name" in mixed.output


def test_table_counts_all_rows(runner, built_dir):
    done = runner.invoke(cli, ["query", "--name", "eaeu-members", "--graph", str(built_dir)])
    assert done.exit_code == 0 and done.output.endswith("(5 rows)\n")


@pytest.mark.server
def test_the_server_passes_limit_and_offset(open_kind):
    http = open_kind("http")
    for name in ("hedged-claims", "no-wikidata"):
        full = http.query(page_text(name)).rows
        assert http.query(page_text(name, limit=5, offset=3)).rows == full[3:8]
