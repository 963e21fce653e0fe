"""Any SPARQL 1.1 endpoint over HTTP (``--store https://host/sparql``).

Queries go out as SPARQL 1.1 Protocol POSTs (form-encoded, so long VALUES
blocks fit) with the project's prefixes prepended; answers come back as
SPARQL results JSON, or N-Triples/Turtle for CONSTRUCT and DESCRIBE, and are
turned into the same :class:`~kgraph.stores.results.Result` the embedded stores give.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from ..errors import QueryError, StoreError
from .base import Store, TooManyRows, refuse_update, values_block
from .results import Result

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

    def _prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        refuse_update(sparql)
        text = self._prologue() + sparql + (values_block(bindings) if bindings else "")
        body = urllib.parse.urlencode({"query": text}).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": _ACCEPT,
            "User-Agent": "kgraph",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type()
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise QueryError(f"{self.endpoint} answered {exc.code}: {_detail(exc)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{self.endpoint} gave no answer within {self.timeout:g} s") from None
            raise StoreError(f"cannot reach {self.endpoint}: {reason}") from None
        result = _parse(kind, payload, self.endpoint)
        if max_rows is not None and result.kind != "ASK" and len(result) > max_rows:
            raise TooManyRows(max_rows)
        return result


def _detail(exc: urllib.error.HTTPError) -> str:
    # Servers explain errors in the body, often with a stack trace; the first line is the message.
    lines = [line.strip() for line in exc.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return (lines[0] if lines else str(exc.reason))[:500]


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

    from ..rdf.iris import bind_prefixes

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
