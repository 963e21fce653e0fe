"""The W3C SPARQL 1.1 Protocol tests, run as written against `kgraph serve`.

The manifest (tests/fixtures/w3c-protocol/, copied from w3c/rdf-tests) says
for each test which HTTP requests to send (method, path, headers, body and
its encoding) and what must come back (status class, result format, the
ASK answer). This runner reads it, loads the graphs the tests name
(``ut:graphData``: data1.nt as <http://kasei.us/.../data1.rdf>, ...) into an
on-disk store beside the bundled graph with ``kgraph load``, serves that
store with ``kgraph serve`` and sends every request byte for byte, only
moving the manifest's ``/sparql/`` to the endpoint's ``/sparql``.

Tests that need the endpoint to perform a SPARQL Update are not applicable:
``kgraph serve`` is read-only by design. Counts: 27 pass, 7 not applicable.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from servers import free_port
from test_serve import _wait_healthy

pytestmark = [pytest.mark.server, pytest.mark.slow]

HERE = Path(__file__).parent / "fixtures" / "w3c-protocol"
BIN = Path(sys.executable).parent
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS_CLASS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

_READ_ONLY = ("kgraph serve is read-only (the graph is built from data/ and never edited in place): it refuses "
              "SPARQL Update with 403, so an update this test expects to succeed cannot")
NOT_APPLICABLE = {name: _READ_ONLY for name in [
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri",
]}

# Media types a test's mf:expectedFormat allows (the manifest's names: "one of XML, JSON, CSV, TSV", ...).
FORMATS = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"},
}
RDF_PARSERS = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # status classes: 2 for 2xx
    fmt: str | None
    boolean: bool | None


@dataclass
class W3cTest:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)
    graphs: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph name)


def read_manifest() -> list[W3cTest]:
    graph = Graph().parse(HERE / "manifest.ttl", format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for node in Collection(graph, graph.value(manifest, MF.entries)):
        test = W3cTest(str(node).rpartition("#")[2], str(graph.value(node, MF.name)))
        for data in graph.objects(node, UT.graphData):
            test.graphs.append((Path(url2pathname(urlparse(graph.value(data, UT.graph)).path)),
                                str(graph.value(data, RDFS.label))))
        action = graph.value(node, MF.action)
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            for header in Collection(graph, graph.value(request, HT.headers)) if graph.value(request, HT.headers) \
                    else []:
                headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body = graph.value(request, HT.body)
            payload = None
            if body is not None:
                payload = str(graph.value(body, CNT.chars)).encode(str(graph.value(body, CNT.characterEncoding)))
            response = graph.value(request, HT.resp)
            expected_format = graph.value(response, MF.expectedFormat)
            expected_boolean = graph.value(response, MF.expectedBoolean)
            test.requests.append(Request(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)),
                headers=headers,
                body=payload,
                statuses={int(str(s).removeprefix(STATUS_CLASS)[0])
                          for s in graph.objects(response, MF.expectedStatus)},
                fmt=None if expected_format is None else str(expected_format),
                boolean=None if expected_boolean is None else expected_boolean.toPython(),
            ))
        tests.append(test)
    return tests


TESTS = read_manifest()


@pytest.fixture(scope="module")
def endpoint(built_dir, tmp_path_factory):
    """`kgraph serve` over an on-disk store holding the bundled graph and every graph the tests name."""
    folder = tmp_path_factory.mktemp("w3c")
    quads = set()
    for test in TESTS:
        for file, name in test.graphs:
            quads |= {f"{line.rstrip().removesuffix('.').rstrip()} <{name}> .\n"
                      for line in file.read_text(encoding="utf-8").splitlines() if line.strip()}
    (folder / "w3c.nq").write_text("".join(sorted(quads)), encoding="utf-8")
    store = f"oxigraph:{folder / 'store'}"
    subprocess.run([str(BIN / "kgraph"), "load", "--store", store, *sorted(map(str, built_dir.glob("*.ttl"))),
                    str(folder / "w3c.nq")], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([str(BIN / "kgraph"), "serve", "--store", store, "--port", str(port),
                                "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/", process)
        yield port
    finally:
        process.kill()
        process.wait(10)


def send(port: int, request: Request) -> tuple[int, str, bytes]:
    # http.client sends only the headers given (and Host, Content-Length): the request as the manifest writes it.
    path = request.path.replace("/sparql/", "/sparql", 1)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(request.method, path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.headers.get_content_type(), response.read()
    finally:
        connection.close()


def boolean_of(media_type: str, body: bytes) -> bool:
    if media_type == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    return ET.fromstring(body).find(f"{RESULTS_NS}boolean").text.strip() == "true"


def check(request: Request, status: int, media_type: str, body: bytes) -> None:
    assert status // 100 in request.statuses, (status, body[:300])
    if request.fmt is None:
        return
    assert media_type in FORMATS[request.fmt], media_type
    if request.fmt == "boolean":
        answer = boolean_of(media_type, body)
        assert request.boolean is None or answer is request.boolean
    elif request.fmt == "RDF" and media_type in RDF_PARSERS:
        Graph().parse(data=body, format=RDF_PARSERS[media_type])
    elif media_type == "application/sparql-results+json":
        assert "results" in json.loads(body)


def test_the_manifest_holds_34_tests_7_not_applicable():
    names = [t.name for t in TESTS]
    assert len(names) == 34 == len(set(names))
    assert set(NOT_APPLICABLE) <= set(names) and len(NOT_APPLICABLE) == 7
    # Every test not applicable sends an update it expects to succeed; every other one is run.
    for test in TESTS:
        updates = any(r.headers.get("content-type") == "application/sparql-update" and 2 in r.statuses
                      or (r.body or b"").startswith(b"update=") and 2 in r.statuses for r in test.requests)
        assert updates == (test.name in NOT_APPLICABLE), test.name


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(endpoint, test):
    if test.name in NOT_APPLICABLE:
        pytest.skip(f"not applicable: {NOT_APPLICABLE[test.name]}")
    for request in test.requests:
        check(request, *send(endpoint, request))
