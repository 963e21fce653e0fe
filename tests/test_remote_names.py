"""The name index of a remote store, kept in the cache by the content of its names, and the
validators (``ETag``, 304) that let ``kgraph serve`` say the names have not changed."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from conftest import UNLINKED_ACTOR, synthetic_store
from kgraph.errors import KgraphError
from kgraph.network import remotenames
from kgraph.network.names import NameIndex
from kgraph.network.projection import KEEP_CACHED, fetch_names
from kgraph.network.remotenames import cached_names
from kgraph.stores import open_store
from kgraph.stores.base import Store
from kgraph.stores.http import HttpStore
from kgraph.stores.loading import load_files
from servers import free_port
from test_remote import _Stub, stub  # noqa: F401 - the stub server fixture
from test_serve import KGRAPH, _wait_healthy

ACTOR = "https://kgraph.example/id/actor/"


class _Names(Store):
    """A store of made-up actors whose names a test can change; it counts what it is asked."""

    description = "made-up names"

    def __init__(self, actors):
        self.actors, self.asked = actors, 0  # id -> (type, {lang: label}, [aliases])

    def strings_many(self, queries):
        self.asked += 1
        return [[(ACTOR + aid, kind) for aid, (kind, _, _) in self.actors.items()],
                [(ACTOR + aid, label, lang) for aid, (_, labels, _) in self.actors.items()
                 for lang, label in labels.items()],
                [(ACTOR + aid, alias) for aid, (_, _, aliases) in self.actors.items() for alias in aliases]]


def _made_up():
    return _Names({
        "ann-lee": ("person", {"en": "Ann Lee"}, []),
        "bo-lee": ("person", {"en": "Bo Lee"}, ["Lee"]),
        "bo-lee-jr": ("person", {"en": "Bo Lee Junior"}, []),
        "knb": ("organisation", {"en": "National Security Committee", "de": "Komitee für Nationale Sicherheit"},
                ["KNB"]),
        "tokayev": ("person", {"en": "Kassym-Jomart Tokayev", "ru": "Касым-Жомарт Токаев"}, ["Tokajew"]),
        "ivanov": ("person", {"en": "Pjotr Ivanov"}, []),
        "ivanova": ("person", {"en": "Pjotra Ivanova"}, []),
        "astana": ("city", {"en": "Astana"}, ["Nur-Sultan", "Akmola"]),
    })


# Every rule of NameIndex.match: exact, ambiguous, words, close, ambiguous words or spelling, unknown.
TYPED = ["Ann Lee", "ann-lee", "Lee", "Токаев", "Tokajew", "TOKAYEV", "Security Committee", "Nationale Sicherheit",
         "Tokayv", "Massimof", "Ivanovv", "Pjotr", "Ivanov Pjotra", "Nur Sultan", "Regierung", "zzzz", "Ast",
         "Committee of National", "Kassym Tokayev", "Lee Bo", "Ivanovo"]


def _answer(names, name):
    try:
        return names.match(name).to_dict()
    except KgraphError as error:
        return type(error).__name__, str(error)


def test_the_kept_index_answers_as_a_fresh_name_index(monkeypatch):
    store = _made_up()
    fresh = NameIndex(fetch_names(store).values())
    built = cached_names(store)
    monkeypatch.setattr(remotenames, "names_of_rows", lambda *rows: pytest.fail("the kept index was rebuilt"))
    kept = cached_names(store)
    assert type(kept).__name__ == "_StoredNames", "opened from the file, not folded again"
    assert {type(_answer(fresh, n)) for n in TYPED} == {dict, tuple}, "both matches and errors are compared"
    for name in TYPED:
        assert _answer(kept, name) == _answer(built, name) == _answer(fresh, name), name


def test_other_names_never_answer_from_the_old_index():
    store = _made_up()
    assert cached_names(store).match("Akmola").actor.id == "astana"
    store.actors["astana"] = ("city", {"en": "Astana"}, ["Nur-Sultan", "Tselinograd"])
    changed = cached_names(store)
    assert changed.match("Tselinograd").actor.id == "astana"
    with pytest.raises(KgraphError):
        changed.match("Akmola")


def test_closing_the_graph_closes_its_kept_names(tmp_path, monkeypatch):
    import sqlite3

    import kgraph

    monkeypatch.setenv("KGRAPH_CACHE", str(tmp_path))
    store = _made_up()
    cached_names(store)
    graph = kgraph.open(store=store)
    names = graph.names
    assert names.match("Akmola").actor.id == "astana"
    graph.close()
    with pytest.raises(sqlite3.ProgrammingError):
        names.match("Tselinograd")


def test_only_the_most_recently_used_indexes_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("KGRAPH_CACHE", str(tmp_path))
    store = _made_up()
    for n in range(KEEP_CACHED + 3):
        store.actors["astana"] = ("city", {"en": "Astana"}, [f"Alias{n}"])
        assert cached_names(store).match(f"Alias{n}").actor.id == "astana"
    assert len(list(tmp_path.glob("names-*.sqlite"))) == KEEP_CACHED
    assert len(list(tmp_path.glob("names-seen-*.json"))) == 1


def test_a_cut_file_is_rebuilt_never_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("KGRAPH_CACHE", str(tmp_path))
    store = _made_up()
    cached_names(store)
    (kept,) = tmp_path.glob("names-*.sqlite")
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 2])
    assert cached_names(store).match("Akmola").actor.id == "astana"
    assert kept.read_bytes() == data


@pytest.mark.slow
def test_the_kept_index_of_the_10k_graph_answers_as_a_fresh_one(tmp_path_factory):
    store = synthetic_store(tmp_path_factory)
    actors = fetch_names(store)
    fresh, _, kept = NameIndex(actors.values()), cached_names(store), cached_names(store)
    rng = random.Random(15)
    typed = ["Biden", "Toqajev", "Токаев", "Massimof", "National Security Committee", "Regierung", "zzzz"]
    for actor in rng.sample(sorted(actors.values(), key=lambda a: a.id), 80):
        name = rng.choice(NameIndex.names_of(actor))
        typed += [name, name.upper(), name[:-1], name[1:] + "x", " ".join(name.split()[:2])]
    for name in typed:
        assert _answer(kept, name) == _answer(fresh, name), name


# -- against a real `kgraph serve` ---------------------------------------------------------------

@pytest.fixture(scope="module")
def small_store(built_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    return path


class _Served:
    """``kgraph serve`` with ``args`` (which store) on a free port, for the length of a with block."""

    def __init__(self, *args: str, port: int | None = None):
        self.args, self.port = args, port or free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.endpoint = self.base + "sparql"

    def __enter__(self):
        self.process = subprocess.Popen([str(KGRAPH), "serve", *self.args, "--port", str(self.port), "--workers", "1"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_healthy(self.base, self.process)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


QUERY = "SELECT ?m WHERE { ?m <https://kgraph.example/ns#memberOf> ?o } ORDER BY ?m"


@pytest.mark.server
def test_kgraph_serve_tags_answers_and_answers_304_without_running_the_query(small_store):
    with _Served("--store", f"oxigraph:{small_store}") as served:
        first = httpx.get(served.endpoint, params={"query": QUERY}, headers={"Accept": "text/csv"})
        tag = first.headers["ETag"]
        assert first.status_code == 200 and tag.startswith('W/"') and first.headers["Cache-Control"] == "no-cache"
        again = httpx.get(served.endpoint, params={"query": QUERY}, headers={"Accept": "text/csv",
                                                                              "If-None-Match": tag})
        assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", tag)
        assert httpx.get(served.endpoint, params={"query": QUERY}, headers={
            "Accept": "text/csv", "If-None-Match": '"other", ' + tag.removeprefix("W/")}).status_code == 304
        other_format = httpx.get(served.endpoint, params={"query": QUERY}, headers={
            "Accept": "application/sparql-results+json", "If-None-Match": tag})
        assert other_format.status_code == 200 and other_format.headers["ETag"] != tag
        other_query = httpx.get(served.endpoint, params={"query": QUERY + " LIMIT 1"},
                                headers={"Accept": "text/csv", "If-None-Match": tag})
        assert other_query.status_code == 200 and other_query.headers["ETag"] != tag
        posted = httpx.post(served.endpoint, data={"query": QUERY}, headers={"Accept": "text/csv",
                                                                               "If-None-Match": tag})
        assert posted.status_code == 412, "a failed precondition on POST is 412, not 304 (RFC 9110 13.1.2)"


def test_only_a_tag_the_client_was_given_is_answered_304(small_store):
    from kgraph.serve.workers import Job, execute

    store = open_store(f"oxigraph:{small_store}")
    given = execute(store, Job(QUERY, "csv", None, 10_000))
    assert execute(store, Job(QUERY, "csv", None, 10_000, if_none_match=given.etag)).status == 304
    # "*" names any answer, and the tag is checked before the query runs: it must not hide an error.
    assert execute(store, Job("SELECT ?x WHERE { ", "csv", None, 10_000, if_none_match="*")).status == 400
    assert execute(store, Job(QUERY, "csv", None, 1, if_none_match="*")).status == 422
    assert execute(store, Job(QUERY, "csv", None, 1, if_none_match=given.etag)).status == 422, "another limit"


@pytest.mark.server
def test_a_store_that_cannot_say_when_it_changed_sends_no_etag(built_dir):
    with _Served("--graph", str(built_dir)) as served:  # the memory store: no fingerprint
        answer = httpx.get(served.endpoint, params={"query": QUERY}, headers={"If-None-Match": "*"})
        assert answer.status_code == 200 and "ETag" not in answer.headers


def _asked(store: HttpStore) -> list:
    """What ``store`` asks of its server from now on: (method, status, If-None-Match sent, bytes received)."""
    seen = []

    def record(response: httpx.Response):
        response.read()
        seen.append((response.request.method, response.status_code,
                     response.request.headers.get("If-None-Match"), len(response.content)))

    store.client.event_hooks["response"] = [record]
    return seen


def _names_of(endpoint: str):
    store = HttpStore(endpoint)
    return store, _asked(store), cached_names(store)


@pytest.mark.server
@pytest.mark.slow
def test_the_second_command_revalidates_and_a_changed_store_is_fetched_again(tmp_path_factory, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(synthetic_store(tmp_path_factory).path, path)
    with _Served("--store", f"oxigraph:{path}") as served:
        _, first, names = _names_of(served.endpoint)
        assert names.match("Toqajev").actor.id == "tokayev"
        fetched = [ask for ask in first if ask[0] == "GET"]
        assert [(status, sent) for _, status, sent, _ in fetched] == [(200, None)] * 3
        assert sum(size for *_, size in fetched) > 100_000, "every actor's names"

        _, second, names = _names_of(served.endpoint)
        revalidated = [ask for ask in second if ask[0] == "GET"]
        assert [(status, size) for _, status, _, size in revalidated] == [(304, 0)] * 3
        assert all(sent and sent.startswith('W/"') for _, _, sent, _ in revalidated)
        assert names.match("Toqajev").actor.id == "tokayev"
        with pytest.raises(KgraphError):
            names.match("Newton Oneworth")

    # Into a graph the store has: the same graphs, so the same requests, asked with the tags kept.
    extra = tmp_path / "more" / "synthetic.ttl"
    extra.parent.mkdir()
    extra.write_text(UNLINKED_ACTOR, encoding="utf-8")
    load_files(path, [extra])
    assert open_store(f"oxigraph:{path}").fingerprint() is not None
    with _Served("--store", f"oxigraph:{path}", port=served.port) as served:  # the same endpoint, restarted
        _, third, names = _names_of(served.endpoint)
        changed = [ask for ask in third if ask[0] == "GET"]
        assert all(sent is not None for _, _, sent, _ in changed), "asked with the old tags"
        assert [status for _, status, _, _ in changed] == [200] * 3, "the new data's answers came"
        assert names.match("Newton Oneworth").actor.id == "new-one"


@pytest.mark.server
def test_a_server_without_validators_sends_the_names_each_time_and_the_index_is_not_rebuilt(built_dir,
                                                                                              monkeypatch):
    with _Served("--graph", str(built_dir)) as served:
        _, first, names = _names_of(served.endpoint)
        assert names.match("Toqajev").actor.id == "tokayev"
        monkeypatch.setattr(remotenames, "names_of_rows", lambda *rows: pytest.fail("the kept index was rebuilt"))
        _, second, names = _names_of(served.endpoint)
        assert [(status, sent) for method, status, sent, _ in second if method == "GET"] == [(200, None)] * 3
        assert names.match("Massimof").actor.id == "masimov"


@pytest.mark.server
def test_names_said_unchanged_whose_index_is_gone_are_fetched_again(small_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KGRAPH_CACHE", str(tmp_path))
    with _Served("--store", f"oxigraph:{small_store}") as served:
        _names_of(served.endpoint)
        for kept in tmp_path.glob("names-*.sqlite"):
            kept.unlink()
        _, asked, names = _names_of(served.endpoint)
        # the graphs, the names revalidated, then fetched whole since only their digests were kept
        assert [(method, status) for method, status, _, _ in asked] == \
            [("POST", 200)] + [("GET", 304)] * 3 + [("POST", 200)] * 3
        assert names.match("Toqajev").actor.id == "tokayev"


def test_names_asked_of_many_graphs_go_by_post(stub):  # noqa: F811 - fixture
    graphs = ",".join('{"g":{"type":"uri","value":"https://kgraph.example/graph/g%d"}}' % n for n in range(200))
    _Stub.graphs = [(200, "application/sparql-results+json",
                     ('{"head":{"vars":["g"]},"results":{"bindings":[%s]}}' % graphs).encode())]
    _Stub.answers = [(200, "text/csv", b"x\r\nurn:a\r\n")]
    (answer,) = HttpStore(stub).strings_checked(["SELECT ?x WHERE { ?x ?p ?o }"])
    assert answer.rows() == [("urn:a",)] and answer.etag is None  # the stub knows no GET: it came by POST


def test_names_go_by_post_to_an_endpoint_that_takes_no_get(stub):  # noqa: F811 - fixture
    _Stub.answers = [(200, "text/csv", b"x\r\nurn:a\r\n")]
    (answer,) = HttpStore(stub).strings_checked(["SELECT ?x WHERE { ?x ?p ?o }"])
    assert answer.rows() == [("urn:a",)] and answer.etag is None  # the stub answers a GET 501, then the POST


def test_a_cache_that_cannot_be_written_costs_only_the_build(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("KGRAPH_CACHE", str(blocked))
    assert cached_names(_made_up()).match("Akmola").actor.id == "astana"
