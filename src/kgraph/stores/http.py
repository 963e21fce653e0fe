"""Any SPARQL 1.1 endpoint over HTTP (``--store https://host/sparql``).

Queries go out as SPARQL 1.1 Protocol POSTs (form-encoded, so long VALUES
blocks fit) with the project's prefixes prepended; the Accept header follows
the query form: SPARQL results JSON (or XML) for SELECT and ASK, N-Triples
(or Turtle) for CONSTRUCT and DESCRIBE. Answers are turned into the same
:class:`~kgraph.stores.results.Result` the embedded stores give; an answer that is
not what was asked for is a one-line :class:`~kgraph.errors.QueryError`.

When the endpoint holds kgraph's named graphs (``kgraph load --store URL``
publishes each dataset as ``https://kgraph.example/graph/DATASET``), every
query runs on their union, sent as ``default-graph-uri`` and
``named-graph-uri``: a server's own graphs (Virtuoso keeps thousands of
triples about itself) stay out of the answers, as they are out of a local
store. A query with its own ``FROM`` or ``FROM NAMED`` is sent as it is.

The server's error messages name lines of the query it received; they are
mapped back to the lines of the user's own query.

A store keeps its connections open (one httpx pool): a path on a big graph
asks dozens of queries, and a new connection each would cost a round trip more.
Independent queries (the batches of a neighbourhood, the names) go out side
by side through that pool.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import urllib.error
import urllib.parse

import httpx

from ..errors import QueryError, StoreError
from ..rdf.namespaces import BASE, GRAPH_NS
from .base import Checked, Store, TooManyRows, bound_query, names_dataset, plain_rows, query_form, refuse_update
from .results import Result

__all__ = ["HttpStore", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 60.0
#: queries asked at once by query_many and strings_many (the pool keeps their connections): enough
#: to keep a server's cores busy while this process parses, few enough not to crowd a shared one
PARALLEL = 4

_ROWS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
# Plain values (Store.strings): CSV, or the results formats from a server without it.
_STRINGS = "text/csv, application/sparql-results+json;q=0.9, application/sparql-results+xml;q=0.8"
_TRIPLES = "application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.5"
# A query kgraph cannot classify goes out as it is; the server says what is wrong with it.
_ACCEPT = {"SELECT": _ROWS, "ASK": _ROWS, "CONSTRUCT": _TRIPLES, "DESCRIBE": _TRIPLES,
           None: f"{_ROWS}, {_TRIPLES.replace('application/n-triples', 'application/n-triples;q=0.8')}"}
_NO_GRAPH = BASE + "graph/.none"
_GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                  "application/ld+json": "json-ld"}
# Servers and proxies refuse URLs past 8 KB; a longer query goes by POST, unrevalidated.
_LONGEST_GET = 6000
# Checked's validators and the response headers they come from, and the request headers they go back in.
_VALIDATORS = {"etag": "ETag", "last_modified": "Last-Modified"}
_CONDITIONS = {"etag": "If-None-Match", "last_modified": "If-Modified-Since"}
_RESULT_KIND = {"SELECT": "SELECT", "ASK": "ASK", "CONSTRUCT": "CONSTRUCT", "DESCRIBE": "CONSTRUCT"}

# Oxigraph lists its graphs for the empty pattern (0.04 s at 1M triples, where reading every quad
# takes 8 s). Virtuoso lists none for it, and a graph with no thread or ontology in it (a Wikidata
# extract) can only be found by its quads: a server that lists none is asked the long way.
_GRAPHS = 'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {} }} FILTER(STRSTARTS(STR(?g), "%s")) }} ORDER BY ?g' % GRAPH_NS
_LISTED, _SCANNED = _GRAPHS.format(""), _GRAPHS.format("?s ?p ?o")


class HttpStore(Store):
    """A remote SPARQL endpoint; ``timeout`` bounds each request, in seconds."""

    def __init__(self, endpoint: str, *, timeout: float = DEFAULT_TIMEOUT):
        self.endpoint = endpoint
        self.timeout = timeout
        self.description = f"SPARQL endpoint {endpoint}"
        self._graphs: list[str] | None = None  # kgraph's named graphs on the endpoint, asked on first use
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": "kgraph"})

    def _prologue(self) -> str:
        # The endpoint's own base IRI is its business; ours makes <s> mean the same on every store.
        return f"BASE <{BASE}>\n" + "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        refuse_update(sparql)
        form = query_form(sparql)
        kind, payload = self._ask(self._fields(sparql, bindings, default_graphs, named_graphs), _ACCEPT[form])
        result = _parse(kind, payload, self.endpoint, form)
        if max_rows is not None and result.kind != "ASK" and len(result) > max_rows:
            raise TooManyRows(max_rows)
        return result

    def strings(self, sparql: str) -> list[tuple]:
        # CSV holds the values alone: 180k rows of names parse in 0.3 s, as JSON with rdflib terms in 10 s.
        refuse_update(sparql)
        return self._strings_of(*self._ask(self._fields(sparql, None, None, None), _STRINGS))

    def _strings_of(self, kind: str, payload: bytes) -> list[tuple]:
        if kind != "text/csv":
            return plain_rows(_parse(kind, payload, self.endpoint, "SELECT").rows)
        try:
            rows = csv.reader(io.StringIO(payload.decode("utf-8"), newline=""))
            next(rows, None)  # the variables
            return [tuple(value or None for value in row) for row in rows]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise QueryError(f"{self.endpoint} sent malformed SPARQL results CSV: {_first_line(exc)}") from None

    def strings_many(self, queries) -> list[list[tuple]]:
        return self._side_by_side(self.strings, queries)

    def query_many(self, queries) -> list[Result]:
        return self._side_by_side(self.query, queries)

    def strings_checked(self, queries, kept=()) -> list[Checked]:
        # Asked by GET, as the protocol allows: If-None-Match is answered 304 only for GET (RFC 9110 13.1.2).
        queries = list(queries)
        return self._side_by_side(self._checked, queries, list(kept) or [None] * len(queries))

    def _checked(self, sparql: str, kept: dict | None) -> Checked:
        refuse_update(sparql)
        fields = self._fields(sparql, None, None, None)
        url = f"{self.endpoint}{'&' if '?' in self.endpoint else '?'}{urllib.parse.urlencode(fields)}"
        request = f"{url}\n{_STRINGS}"

        def posted() -> Checked:  # a POST, which cannot be revalidated
            kind, payload = self._ask(fields, _STRINGS)
            return Checked(request, _digest(kind, payload), read=lambda: self._strings_of(kind, payload))

        if len(url) > _LONGEST_GET:  # many graphs
            return posted()
        headers = {"Accept": _STRINGS}
        if kept is not None and kept.get("request") == request:
            headers.update({name: kept[key] for key, name in _CONDITIONS.items() if kept.get(key)})
        try:
            response = self._exchange("GET", url, headers, passing=_NO_GET)
        except QueryError as exc:
            raise QueryError(_own_lines(str(exc), len(self.prefixes) + 1)) from None
        if response.status_code in _NO_GET:  # an endpoint that takes queries by POST only
            return posted()
        validators = {key: response.headers.get(name) for key, name in _VALIDATORS.items()}
        if response.status_code == 304 and kept is not None:
            return Checked(request, kept["digest"], unchanged=True, read=lambda: self.strings(sparql),
                           **{key: value or kept.get(key) for key, value in validators.items()})
        kind, payload = _kind(response), response.content
        return Checked(request, _digest(kind, payload), read=lambda: self._strings_of(kind, payload), **validators)

    def _side_by_side(self, ask, queries, *more) -> list:
        """``ask(query, *more's items)`` of each query, in order."""
        # The endpoint evaluates on several cores while this process parses the answers that came.
        queries = list(queries)
        if len(queries) < 2:
            return [ask(*args) for args in zip(queries, *more, strict=True)]
        if not all(names_dataset(sparql) for sparql in queries):
            self.own_graphs()  # asked once, before the threads would each ask it
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(len(queries), PARALLEL)) as pool:
            return list(pool.map(ask, queries, *more))

    def _fields(self, sparql, bindings, default_graphs, named_graphs) -> list[tuple[str, str]]:
        fields = [("query", self._prologue() + bound_query(sparql, bindings))]
        if (default_graphs, named_graphs) != (None, None):
            fields += [("default-graph-uri", iri) for iri in default_graphs or []] \
                + [("named-graph-uri", iri) for iri in named_graphs or []]
            if not default_graphs and not named_graphs:
                # An empty dataset cannot be said with these parameters; a graph nobody has is empty.
                fields.append(("default-graph-uri", _NO_GRAPH))
        elif not names_dataset(sparql):
            graphs = self.own_graphs()
            fields += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        return fields

    def _ask(self, fields: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        """:meth:`_post` of a query with the prologue, its error messages naming the lines of the query as given."""
        try:
            return self._post(fields, accept)
        except QueryError as exc:
            raise QueryError(_own_lines(str(exc), len(self.prefixes) + 1)) from None  # + the BASE line

    def own_graphs(self) -> list[str]:
        """kgraph's named graphs on the endpoint (see the module docstring); empty when it has none."""
        if self._graphs is None:
            self._graphs = self._graph_names(_LISTED) or self._graph_names(_SCANNED)
        return self._graphs

    def _graph_names(self, sparql: str) -> list[str]:
        kind, payload = self._post([("query", sparql)], _ROWS)
        return [str(row[0]) for row in _parse(kind, payload, self.endpoint, "SELECT").rows]

    def _post(self, fields: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        # Repeated fields (default-graph-uri) in order: a form body of our own, not httpx's dict.
        response = self._exchange("POST", self.endpoint, {
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            content=urllib.parse.urlencode(fields).encode())
        return _kind(response), response.content

    def _exchange(self, method: str, url: str, headers: dict, passing=(), **body) -> httpx.Response:
        """The server's response; a one-line error when it cannot be reached or answers an error
        (other than one of the statuses ``passing``, returned for the caller to handle)."""
        try:
            response = self.client.request(method, url, headers=headers, **body)
        except httpx.TimeoutException:
            raise StoreError(f"{self.endpoint} gave no answer within {self.timeout:g} s") from None
        except (httpx.HTTPError, OSError) as exc:
            raise StoreError(f"cannot reach {self.endpoint}: {_first_line(exc)}") from None
        if response.is_error and response.status_code not in passing:
            detail = detail_of(response.content.decode("utf-8", "replace"), _kind(response), response.reason_phrase)
            raise QueryError(f"{self.endpoint} answered {response.status_code}: {detail}")
        return response

    def close(self) -> None:
        self.client.close()


# Refusals of a GET that a POST of the same query may not meet: method not allowed, URI too long,
# method not implemented (a server that reads only the POSTs the protocol also allows).
_NO_GET = (405, 414, 501)


def _kind(response: httpx.Response) -> str:
    return response.headers.get("content-type", "text/plain").split(";", 1)[0].strip().lower()


def _digest(kind: str, payload: bytes) -> str:
    return hashlib.sha256(kind.encode() + b"\n" + payload).hexdigest()


# Tags, not the <IRI>s a message may quote.
_TAG = re.compile(r"<(?:/?[A-Za-z][\w-]*(?:\s[^>]*)?/?|!--.*?--|![^>]*)>", re.S)


def http_detail(exc: urllib.error.HTTPError) -> str:
    """What a server says about an error (a urllib ``HTTPError``), on one line: :func:`detail_of`."""
    try:
        body = exc.read().decode("utf-8", "replace")
    except OSError:
        body = ""
    return detail_of(body, exc.headers.get_content_type(), str(exc.reason))


def detail_of(body: str, content_type: str, reason: str) -> str:
    """What a server says about an error, on one line.

    Servers explain errors in the body, often followed by a stack trace or
    the query: the first line is the message. An HTML page (Virtuoso's graph
    store) says it across its title, headings and text, joined here.

    >>> detail_of("Parse error at 3:1\\n  stack ...", "text/plain", "Bad Request")
    'Parse error at 3:1'
    """
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if content_type == "text/html":
        parts = (" ".join(html.unescape(part).split()) for part in _TAG.split(body))
        lines = [": ".join(part for part in parts if part)]
    return (lines[0] if lines and lines[0] else reason)[:500]


def _first_line(value) -> str:
    return (str(value).strip().splitlines() or [type(value).__name__])[0]


_LINE = re.compile(r"(\bline\s+)(\d+)|(\bat\s+)(\d+)(?=:\d)", re.I)


def _own_lines(message: str, offset: int) -> str:
    """``message`` with the line numbers it names (``line 17``, ``at 17:3``) less the ``offset`` prepended lines.

    >>> _own_lines("SPARQL compiler, line 19: syntax error", 16)
    'SPARQL compiler, line 3: syntax error'
    """
    def own(match: re.Match) -> str:
        word, number = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
        line = int(number) - offset
        return f"{word}{line}" if line >= 1 else match.group()

    return _LINE.sub(own, message)


def _parse(kind: str, payload: bytes, endpoint: str, form: str | None) -> Result:
    result = _read(kind, payload, endpoint)
    expected = _RESULT_KIND.get(form)
    if expected is not None and result.kind != expected:
        got = {"SELECT": "rows", "ASK": "a boolean", "CONSTRUCT": "a graph"}[result.kind]
        raise QueryError(f"{endpoint} answered a {form} query with {got}")
    return result


def _read(kind: str, payload: bytes, endpoint: str) -> Result:
    if kind in ("application/sparql-results+json", "application/json"):
        try:
            data = json.loads(payload)
            if "boolean" in data:
                return Result("ASK", boolean=bool(data["boolean"]))
            names = data["head"].get("vars", [])
            rows = _json_rows(names, data["results"]["bindings"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise QueryError(f"{endpoint} sent malformed SPARQL results JSON: {_first_line(exc)}") from None
        return Result("SELECT", vars=names, rows=rows)
    if kind in ("application/sparql-results+xml", "application/xml"):
        return _xml_result(payload, endpoint)
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
        raise QueryError(f"{endpoint} sent a graph rdflib cannot read: {_first_line(exc)}") from None
    return Result("CONSTRUCT", graph=graph)


def _xml_result(payload: bytes, endpoint: str) -> Result:
    import io

    from rdflib.query import Result as RdflibResult

    try:
        answer = RdflibResult.parse(io.BytesIO(payload), format="xml")
        if answer.type == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer))
        names = [str(v) for v in answer.vars]
        rows = [tuple(row) for row in answer]
    except Exception as exc:  # rdflib's XML results parser raises assorted types
        raise QueryError(f"{endpoint} sent malformed SPARQL results XML: {_first_line(exc)}") from None
    return Result("SELECT", vars=names, rows=rows)


def _json_rows(names: list[str], bindings: list[dict]) -> list[tuple]:
    """The rows of SPARQL results JSON as rdflib terms, each distinct term made once: the
    same actors, relations and modalities fill most rows, and a Literal takes microseconds to make."""
    from rdflib import BNode, Literal, URIRef

    made: dict[tuple, object] = {}

    def term(value):
        if value is None:
            return None
        key = (value["type"], value["value"], value.get("xml:lang"), value.get("datatype"))
        found = made.get(key)
        if found is None:
            kind, text, lang, datatype = key
            found = made[key] = (URIRef(text) if kind == "uri" else BNode(text) if kind == "bnode"
                                 else Literal(text, lang=lang) if lang is not None
                                 else Literal(text, datatype=URIRef(datatype)) if datatype is not None
                                 else Literal(text))
        return found

    return [tuple(term(b.get(n)) for n in names) for b in bindings]
