"""The named queries' answers kept in the actor index page exactly as the live queries do, never stale."""

from __future__ import annotations

import json
import sqlite3

import pytest

import kgraph
from conftest import UNLINKED_ACTOR, synthetic_store
from kgraph.network.actorindex import build_index, existing_index, open_index
from kgraph.network.stored_answers import stored_page
from kgraph.serve.workers import Job, execute
from kgraph.stores import open_store
from kgraph.stores.loading import load_files
from kgraph.stores.named_queries import named_queries, page_text


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The 10k synthetic graph in an on-disk store, and its index (with the answers)."""
    store = synthetic_store(tmp_path_factory)
    return store, open_index(store, answers=True)


def _pages(total: int):
    return [(None, None), (100, None), (0, None), (5, 0), (7, 13), (10, max(total - 3, 0)), (10, total),
            (None, total + 5), (None, max(total - 2, 0))]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_stored_pages_are_the_live_pages(synthetic, name):
    store, index = synthetic
    total = len(store.query(page_text(name)).rows)
    assert total, "every named query answers on the 10k graph"
    for limit, offset in _pages(total):
        live = store.query(page_text(name, limit=limit, offset=offset))
        stored = stored_page(index, name, limit=limit, offset=offset).result()
        assert (stored.vars, stored.rows) == (live.vars, live.rows), (limit, offset)


def _loaded(built_dir, path):
    load_files(path, sorted(built_dir.glob("*.ttl")))
    return f"oxigraph:{path}"


def test_a_store_with_a_current_index_pages_without_querying(built_dir, tmp_path, monkeypatch):
    spec = _loaded(built_dir, tmp_path / "store")
    page, rest = kgraph.open(spec).named_query("no-wikidata", 3, offset=2), kgraph.open(spec).named_query(
        "no-wikidata", offset=1)
    build_index(open_store(spec), answers=True)
    graph = kgraph.open(spec)

    def refuse(*args, **kwargs):
        raise AssertionError("the store was queried")

    monkeypatch.setattr(graph.store, "query", refuse)
    monkeypatch.setattr(graph.store, "stream", refuse)
    stored = graph.named_query("no-wikidata", 3, offset=2)
    assert (stored.vars, stored.rows, len(stored)) == (page.vars, page.rows, 3)
    streamed = graph.named_query("no-wikidata", offset=1, stream=True)
    assert (streamed.vars, list(streamed.rows)) == (rest.vars, rest.rows)


def test_the_cli_prints_the_same_bytes_from_the_index(runner, built_dir, tmp_path, monkeypatch):
    from kgraph.cli import main
    from kgraph.network import pending

    spec = _loaded(built_dir, tmp_path / "store")
    args = ["query", "--name", "hedged-claims", "--limit", "4", "--offset", "1", "--store", spec]
    outputs = {}
    for fmt in ("table", "csv", "json"):
        # No index yet: the query runs (kgraph query never builds one).
        outputs[fmt] = runner.invoke(main, [*args, "--format", fmt])
        assert outputs[fmt].exit_code == 0, outputs[fmt].output
    assert existing_index(open_store(spec)) is None
    build_index(open_store(spec), answers=True)
    monkeypatch.setattr(pending, "fetch_evidence", lambda *a: pytest.fail("not used"))
    from kgraph.stores import oxi

    monkeypatch.setattr(oxi._OxStore, "stream", lambda *a, **k: pytest.fail("the store was queried"))
    for fmt, before in outputs.items():
        assert runner.invoke(main, [*args, "--format", fmt]).output == before.output, fmt


def test_stored_answers_of_other_contents_or_text_are_never_used(built_dir, tmp_path):
    path = tmp_path / "store"
    spec = _loaded(built_dir, path)
    target = build_index(open_store(spec), answers=True)
    assert "new-one" not in {str(r[0]).rsplit("/", 1)[-1] for r in kgraph.open(spec).named_query("no-wikidata")}

    extra = tmp_path / "extra.ttl"
    extra.write_text(UNLINKED_ACTOR, encoding="utf-8")
    load_files(path, [extra])  # kgraph load builds a new index; this does not, the old one is stale
    assert existing_index(open_store(spec)) is None
    rows = kgraph.open(spec).named_query("no-wikidata").rows
    assert "new-one" in {str(r[0]).rsplit("/", 1)[-1] for r in rows}

    store = open_store(spec)
    build_index(store, target, answers=True)
    db = sqlite3.connect(target)
    db.execute("UPDATE answers SET text = text || ' ' WHERE name = 'figures'")  # as an older query's text
    db.commit()
    db.close()
    index = existing_index(store)
    assert stored_page(index, "figures") is None
    assert stored_page(index, "eaeu-members") is not None


def test_the_server_pages_named_queries_from_the_index(built_dir, tmp_path, monkeypatch):
    spec = _loaded(built_dir, tmp_path / "store")
    store = open_store(spec)
    text = named_queries()["hedged-claims"].text
    jobs = [Job(text + "LIMIT 3 OFFSET 2", "json", None, None), Job(text + "OFFSET 200", "csv", None, None),
            Job(text.replace("\n", "\r\n"), "tsv", None, None), Job(text + "LIMIT 30", "json", None, 20)]
    live = [execute(store, job) for job in jobs]
    assert live[3].status == 422 and live[1].body.count(b"\n") == 1  # over --max-rows; past the end
    build_index(store, answers=True)
    monkeypatch.setattr(store, "answer", lambda *a, **k: pytest.fail("the store was queried"))
    # The same answers; live JSON is Oxigraph's own layout, kept pages kgraph's (keys in another order).
    assert [_parsed(execute(store, job)) for job in jobs] == [_parsed(reply) for reply in live]


def _parsed(reply):
    body = json.loads(reply.body) if reply.media_type == "application/sparql-results+json" else reply.body
    return reply.status, reply.media_type, body


def test_kgraph_load_keeps_the_answers_and_a_command_rebuilding_the_index_does_not(runner, built_dir, tmp_path):
    from kgraph.cli import main

    spec = f"oxigraph:{tmp_path / 'store'}"
    loaded = runner.invoke(main, ["load", "--store", spec, *map(str, sorted(built_dir.glob("*.ttl")))])
    assert loaded.exit_code == 0, loaded.output
    assert stored_page(existing_index(open_store(spec)), "figures") is not None
    live = kgraph.open(spec).query(page_text("figures"))
    # A stale index is rebuilt by the next path or show, which should not wait for every report.
    (tmp_path / "store.kgindex").unlink()
    kgraph.open(spec).show("Masimov")
    index = existing_index(open_store(spec))
    assert index is not None and stored_page(index, "figures") is None
    page = kgraph.open(spec).named_query("figures")
    assert (page.vars, page.rows) == (live.vars, live.rows), "then the named queries run live"
