"""Any SPARQL 1.1 endpoint over HTTP (``--store https://host/sparql``).

Queries go out as SPARQL 1.1 Protocol POSTs (form-encoded, so long VALUES
blocks fit) with the project's prefixes prepended; answers come back as
SPARQL results JSON, or N-Triples/Turtle for CONSTRUCT and DESCRIBE, and are
turned into the same :class:`~kgraph.results.Result` the embedded stores give.
A store keeps its connections open (one httpx pool): a path on a big graph
asks dozens of queries, and a new connection each cost a round trip more.
"""

from __future__ import annotations

import json

import httpx

from ..errors import QueryError, StoreError
from ..results import Result
from .base import Store, TooManyRows, refuse_update, values_block

__all__ = ["HttpStore", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 60.0

_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
           "application/ld+json;q=0.5")
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                  "application/ld+json": "json-ld"}


class HttpStore(Store):
    """A remote SPARQL endpoint; ``timeout`` bounds each request, in seconds."""

    def __init__(self, endpoint: str, *, timeout: float = DEFAULT_TIMEOUT):
        self.endpoint = endpoint
        self.timeout = timeout
        self.description = f"SPARQL endpoint {endpoint}"
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": "kgraph"})

    def _prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        refuse_update(sparql)
        text = self._prologue() + sparql + (values_block(bindings) if bindings else "")
        try:
            response = self.client.post(self.endpoint, data={"query": text}, headers={"Accept": _ACCEPT})
        except httpx.TimeoutException:
            raise StoreError(f"{self.endpoint} gave no answer within {self.timeout:g} s") from None
        except (httpx.HTTPError, OSError) as exc:
            raise StoreError(f"cannot reach {self.endpoint}: {exc}") from None
        if response.is_error:
            raise QueryError(f"{self.endpoint} answered {response.status_code}: {_detail(response)}")
        kind = response.headers.get("content-type", "text/plain").split(";", 1)[0].strip().lower()
        payload = response.content
        result = _parse(kind, payload, self.endpoint)
        if max_rows is not None and result.kind != "ASK" and len(result) > max_rows:
            raise TooManyRows(max_rows)
        return result

    def close(self) -> None:
        self.client.close()


def _detail(response: httpx.Response) -> str:
    # Servers explain errors in the body, often with a stack trace; the first line is the message.
    lines = [line.strip() for line in response.content.decode("utf-8", "replace").splitlines() if line.strip()]
    return (lines[0] if lines else response.reason_phrase)[:500]


def _parse(kind: str, payload: bytes, endpoint: str) -> Result:
    if kind in ("application/sparql-results+json", "application/json"):
        try:
            data = json.loads(payload)
            if "boolean" in data:
                return Result("ASK", boolean=bool(data["boolean"]))
            names = data["head"].get("vars", [])
            rows = [tuple(_json_term(b.get(n)) for n in names) for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise QueryError(f"{endpoint} sent malformed SPARQL results JSON: {exc}") from None
        return Result("SELECT", vars=names, rows=rows)
    fmt = _GRAPH_FORMATS.get(kind)
    if fmt is None:
        raise QueryError(f"{endpoint} answered with {kind!r}, which is not a SPARQL result format")
    from rdflib import Graph

    from ..vocab import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    try:
        graph.parse(data=payload, format=fmt)
    except Exception as exc:  # rdflib's parsers raise assorted types
        raise QueryError(f"{endpoint} sent a graph rdflib cannot read: {exc}") from None
    return Result("CONSTRUCT", graph=graph)


def _json_term(value):
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])
