"""Any SPARQL 1.1 endpoint over HTTP (``--store https://host/sparql``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from ..errors import QueryError, StoreError
from ..results import Result
from .base import Store, refuse_update, values_block

__all__ = ["HttpStore"]

class HttpStore(Store):
    def __init__(self, endpoint: str, *, timeout: float = 60.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self.description = f"SPARQL endpoint {endpoint}"

    def _prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())

    def query(self, sparql: str, *, bindings: dict | None = None) -> Result:
        refuse_update(sparql)
        text = self._prologue() + sparql + (values_block(bindings) if bindings else "")
        body = urllib.parse.urlencode({"query": text}).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type()
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise QueryError(f"{self.endpoint} answered {exc.code}: {detail[0] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach {self.endpoint}: {reason}") from None
        return _parse(kind, payload)


def _parse(kind: str, payload: bytes) -> Result:
    if kind in ("application/sparql-results+json", "application/json"):
        data = json.loads(payload)
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]))
        names = data["head"].get("vars", [])
        rows = [tuple(_json_term(b.get(n)) for n in names) for b in data["results"]["bindings"]]
        return Result("SELECT", vars=names, rows=rows)
    from rdflib import Graph

    from ..vocab import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    fmt = {"application/n-triples": "nt", "text/turtle": "turtle", "application/ld+json": "json-ld"}.get(kind)
    if fmt is None:
        raise QueryError(f"unexpected answer type {kind!r}")
    graph.parse(data=payload, format=fmt)
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
