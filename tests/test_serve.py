"""`kgraph serve`, started for real in a subprocess on a free loopback port.

Talks to it with SPARQLWrapper and plain httpx: every format, every error
path, an update attempt, a query past the time limit while others are
answered, 50 concurrent clients, the page, and a clean SIGTERM shutdown.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result as RdflibResult
from SPARQLWrapper import CSV, JSON, N3, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import ROOT
from kgraph.network.projection import fetch_projection
from kgraph.stores import open_store
from kgraph.stores.named_queries import named_queries
from servers import free_port

pytestmark = pytest.mark.server

KGRAPH = Path(sys.executable).parent / "kgraph"
TIMEOUT = 2.0
MAX_ROWS = 1000
MEMBERS = "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m"
EAEU = ["armenia", "belarus", "kazakhstan", "kyrgyzstan", "russia"]
# Three triple patterns with nothing shared: billions of rows, far past any time limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _start(args, port):
    return subprocess.Popen([str(KGRAPH), "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_healthy(base: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kgraph serve exited {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(base + "health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("kgraph serve did not become healthy")


@pytest.fixture(scope="module")
def server(built_dir):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    process = _start(["--graph", str(built_dir), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS),
                      "--workers", "2"], port)
    try:
        _wait_healthy(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="module")
def endpoint(server) -> str:
    return server[0] + "sparql"


@pytest.fixture(scope="module")
def memory(built_dir):
    return open_store("memory", graph_dir=built_dir)


def wrapper(endpoint: str, query: str, fmt, method="GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def ids(values) -> list[str]:
    return [str(v).rsplit("/", 1)[-1] for v in values]


# -- formats ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(endpoint, method):
    # The prefixes are bound on the server; a client may still declare them.
    declared = "PREFIX kg: <https://kgraph.example/ns#>\nPREFIX actor: <https://kgraph.example/id/actor/>\n"
    data = wrapper(endpoint, declared + MEMBERS, JSON, method).query().convert()
    assert data["head"]["vars"] == ["m"]
    assert ids(b["m"]["value"] for b in data["results"]["bindings"]) == EAEU


def test_sparqlwrapper_xml(endpoint):
    answer = wrapper(endpoint, MEMBERS, XML).query()
    result = RdflibResult.parse(io.BytesIO(answer.response.read()), format="xml")
    assert ids(row[0] for row in result) == EAEU


def test_sparqlwrapper_csv_and_tsv(endpoint):
    text = wrapper(endpoint, MEMBERS, CSV).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["m"] and ids(r[0] for r in rows[1:]) == EAEU
    tsv = wrapper(endpoint, MEMBERS, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?m" and ids(line.strip("<>") for line in tsv[1:]) == EAEU


def test_ask_in_json_and_xml(endpoint):
    ask = "ASK { actor:masimov kg:loyalTo actor:nazarbayev }"
    assert wrapper(endpoint, ask, JSON).query().convert()["boolean"] is True
    xml = httpx.get(endpoint, params={"query": ask.replace("loyalTo", "memberOf")},
                    headers={"Accept": "application/sparql-results+xml"})
    assert RdflibResult.parse(io.BytesIO(xml.content), format="xml").askAnswer is False


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld")])
def test_construct_in_every_graph_format(endpoint, memory, accept, fmt):
    construct = "CONSTRUCT { ?a kg:memberOf ?b } WHERE { ?a kg:memberOf ?b }"
    response = httpx.post(endpoint, data={"query": construct}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    got = Graph().parse(data=response.content, format=fmt)
    assert set(got) == set(memory.query(construct).graph) and len(got) > 5


def test_sparqlwrapper_construct_and_describe(endpoint):
    graph = wrapper(endpoint, "DESCRIBE actor:csto", TURTLE).query().convert()
    assert (URIRef("https://kgraph.example/id/actor/csto"), None, None) in Graph().parse(data=graph, format="turtle")
    n3 = wrapper(endpoint, "CONSTRUCT WHERE { actor:csto ?p ?o }", N3).query().convert()
    assert len(Graph().parse(data=n3, format="turtle")) > 3


def test_three_ways_to_send_a_query_agree(endpoint):
    get = httpx.get(endpoint, params={"query": MEMBERS})
    form = httpx.post(endpoint, data={"query": MEMBERS})
    direct = httpx.post(endpoint, content=MEMBERS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()
    assert get.headers["content-type"] == "application/sparql-results+json"


def test_format_parameter_overrides_accept(endpoint):
    response = httpx.get(endpoint, params={"query": MEMBERS, "format": "csv"}, headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_answer_as_in_process(endpoint, memory, name):
    text = named_queries()[name].text
    data = httpx.post(endpoint, data={"query": text}).json()
    expected = memory.query(text)
    assert data["head"]["vars"] == expected.vars
    assert len(data["results"]["bindings"]) == len(expected.rows) > 0


def test_http_store_against_kgraph_serve(endpoint, memory):
    from dataclasses import asdict

    assert asdict(fetch_projection(open_store(endpoint))) == asdict(fetch_projection(memory))


# -- errors ----------------------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parse_error(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400 and "syntax" in response.text.lower()
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT ?x WHERE { ?x ?y }", JSON).query()


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": {"query": "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }"}},
    {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"content": b"CLEAR DEFAULT", "headers": {"Content-Type": "application/sparql-query"}},
])
def test_updates_are_refused_with_403(endpoint, memory, request_kwargs):
    response = httpx.post(endpoint, **request_kwargs)
    assert response.status_code == 403 and "refused" in response.text
    assert httpx.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()[
        "results"]["bindings"][0]["n"]["value"] == str(len(memory.query("SELECT * WHERE { ?s ?p ?o }")))


def test_sparqlwrapper_update_is_refused(endpoint):
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        sparql.query()
    assert caught.value.code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(endpoint, method):
    response = httpx.request(method, endpoint)
    assert response.status_code == 405 and "POST" in response.headers["allow"]


def test_unacceptable_formats_are_406(endpoint):
    assert httpx.get(endpoint, params={"query": MEMBERS}, headers={"Accept": "image/png"}).status_code == 406
    graph_as_csv = httpx.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s kg:memberOf ?o }"},
                             headers={"Accept": "text/csv"})
    assert graph_as_csv.status_code == 406 and "text/turtle" in graph_as_csv.text
    unknown = httpx.get(endpoint, params={"query": MEMBERS, "format": "png"}, headers={"Accept": "text/csv"})
    assert unknown.status_code == 200 and unknown.headers["content-type"].startswith("text/csv")


def test_malformed_requests(endpoint):
    assert httpx.post(endpoint, data={"nothing": "x"}).status_code == 400
    assert httpx.get(endpoint, params=[("query", MEMBERS), ("query", MEMBERS)]).status_code == 400
    assert httpx.get(endpoint, params={"query": "  "}).status_code == 400
    assert httpx.get(endpoint, params={"query": MEMBERS, "default-graph-uri": "no iri"}).status_code == 400
    assert httpx.post(endpoint, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    not_utf8 = httpx.post(endpoint, content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
    assert not_utf8.status_code == 400
    huge = b"#" * (5 * 1024 * 1024)
    assert httpx.post(endpoint, content=huge, headers={"Content-Type": "application/sparql-query"}).status_code == 413


def test_row_cap_is_422_and_names_the_limit(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 422 and f"--max-rows is {MAX_ROWS}" in response.text
    assert httpx.get(endpoint, params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"}).status_code == 200


def test_runaway_query_is_stopped_while_others_are_answered(server, endpoint):
    base, _ = server
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["response"] = httpx.get(endpoint, params={"query": RUNAWAY}, timeout=30)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    quick_started = time.monotonic()
    quick = httpx.get(endpoint, params={"query": MEMBERS}, timeout=10)
    quick_seconds = time.monotonic() - quick_started
    assert quick.status_code == 200 and ids(b["m"]["value"] for b in quick.json()["results"]["bindings"]) == EAEU
    assert quick_seconds < 1.0 and "response" not in slow, "a slow query held up another client"
    thread.join(30)
    assert slow["response"].status_code == 503
    assert f"time limit of {TIMEOUT:g} s (--timeout)" in slow["response"].text
    assert TIMEOUT <= slow["seconds"] < TIMEOUT + 3
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        health = httpx.get(base + "health").json()
        if health["idle"] == health["workers"]:
            break
        time.sleep(0.1)
    assert health["restarts"] >= 1 and health["idle"] == health["workers"] == 2


def test_fifty_clients_twenty_queries_each(endpoint, memory):
    questions = {
        MEMBERS: EAEU,
        "SELECT ?x WHERE { actor:masimov kg:loyalTo ?x }": ["nazarbayev"],
        "SELECT ?label WHERE { actor:csto rdfs:label ?label FILTER(LANG(?label) = 'en') }":
            [str(r[0]) for r in memory.query(
                "SELECT ?label WHERE { actor:csto rdfs:label ?label FILTER(LANG(?label) = 'en') }").rows],
    }
    texts = list(questions)

    def client(number):
        wrong = []
        with httpx.Client(timeout=30) as http:
            for i in range(20):
                text = texts[(number + i) % len(texts)]
                response = http.post(endpoint, data={"query": text})
                if response.status_code != 200:
                    wrong.append((response.status_code, response.text))
                    continue
                data = response.json()
                values = [b[data["head"]["vars"][0]]["value"] for b in data["results"]["bindings"]]
                expected = questions[text]
                got = ids(values) if text != texts[2] else values
                if got != expected:
                    wrong.append((text, got))
        return wrong

    started = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        problems = [p for found in pool.map(client, range(50)) for p in found]
    assert problems == [] and time.monotonic() - started < 60


# -- the other routes ------------------------------------------------------------------------------

def test_service_description(endpoint):
    response = httpx.get(endpoint)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(endpoint)) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert any(f"{TIMEOUT:g} s" in str(o) for o in graph.objects(None, URIRef("http://purl.org/dc/terms/description")))


def test_health(server):
    data = httpx.get(server[0] + "health").json()
    assert data["status"] == "ok" and data["timeout"] == TIMEOUT and data["max_rows"] == MAX_ROWS


def test_page_and_its_assets_come_from_the_server(server):
    base = server[0]
    page = httpx.get(base)
    assert page.status_code == 200 and "<textarea" in page.text and 'src="static/app.js"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace("http-equiv", ""), "the page must not load anything from elsewhere"
    assert "http" not in httpx.get(base + "network").text, "the network page too"
    script = httpx.get(base + "static/app.js")
    assert script.status_code == 200 and "textContent" in script.text and "innerHTML" not in script.text
    assert httpx.get(base + "static/style.css").status_code == 200
    named = httpx.get(base + "queries").json()
    assert {q["name"] for q in named} == set(named_queries())
    assert all(q["title"] and q["sparql"] for q in named)


def test_the_network_page_loads_the_offline_pages_panel_script(server):
    base = server[0]
    page = httpx.get(base + "network").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["lib/vis-network.min.js", "lib/panel.js", "static/network-app.js"]
    panel = httpx.get(base + "lib/panel.js")
    assert panel.status_code == 200 and panel.headers["content-type"] == "text/javascript; charset=utf-8"
    assert panel.text == (ROOT / "src/kgraph/viz/templates/panel.js").read_text(encoding="utf-8")


# -- starting and stopping -------------------------------------------------------------------------

def test_sigterm_stops_the_server_and_its_workers(built_dir):
    port = free_port()
    process = _start(["--graph", str(built_dir), "--workers", "2"], port)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(base, process)
        children = _descendants(process.pid)
        assert len(children) >= 2
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
        assert "stopped" in process.stderr.read()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and
                                                  "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
                                                  for pid in children):
            time.sleep(0.1)
        left = [pid for pid in children if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
        assert left == [], "worker processes outlived the server"
        with pytest.raises(httpx.ConnectError):
            httpx.get(base + "health", timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_a_store_that_cannot_open_is_a_one_line_error(tmp_path):
    process = _start(["--store", f"oxigraph:{tmp_path / 'missing'}"], free_port())
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().startswith("kgraph: error:") and "kgraph load" in err and "Traceback" not in err


def test_a_busy_port_is_a_one_line_error(server, built_dir):
    port = int(server[0].rsplit(":", 1)[1].strip("/"))
    process = _start(["--graph", str(built_dir)], port)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in err


def test_json_answers_are_literal_exact(endpoint, memory):
    text = "SELECT ?quote WHERE { ?c kg:quote ?quote } ORDER BY ?quote LIMIT 20"
    data = httpx.get(endpoint, params={"query": text}).json()
    got = [Literal(b["quote"]["value"], lang=b["quote"].get("xml:lang")) for b in data["results"]["bindings"]]
    assert got == [row[0] for row in memory.query(text).rows]
    assert json.dumps(data)  # plain JSON, nothing else


@pytest.mark.browser
def test_page_runs_a_named_query_into_a_table(server):
    from kgraph.viz.headless import chromium, find_chromium

    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium, or 'make test')")
    base = server[0]
    elsewhere, errors = [], []
    with chromium() as browser:
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                   else (elsewhere.append(route.request.url), route.abort()))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base)
        # A selector, not wait_for_function: polling a JS string needs eval, which the page's CSP refuses,
        # so that failed whenever the list was not filled at the first look (a busy machine).
        page.wait_for_selector("#named option:nth-child(2)", state="attached")
        page.select_option("#named", "eaeu-members")
        assert "Eurasian" in page.text_content("#description")
        page.click("#run")
        page.wait_for_selector("#answer table tbody tr")
        headers = page.eval_on_selector_all("#answer th", "cells => cells.map(c => c.textContent)")
        first_column = page.eval_on_selector_all("#answer tbody tr td:first-child",
                                                 "cells => cells.map(c => c.dataset.iri)")
        assert headers[0] == "member" and first_column == [f"https://kgraph.example/id/actor/{m}" for m in EAEU]
        assert "5 rows" in page.text_content("#timing")
        page.click(".CodeMirror")
        page.keyboard.press("Control+a")
        page.keyboard.type("SELECT nonsense")
        page.click("#run")
        page.wait_for_selector("#error:not([hidden])")
        assert "400" in page.text_content("#error")
    assert elsewhere == [] and errors == []
