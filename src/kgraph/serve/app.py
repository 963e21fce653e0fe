"""The HTTP side of ``kgraph serve``: the W3C SPARQL 1.1 Protocol on starlette.

Routes:

``/sparql``
    GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``)
    or POST ``application/sparql-query``; ``default-graph-uri`` and
    ``named-graph-uri`` (in the URL or the form) set the dataset, replacing
    the query's FROM and FROM NAMED; a graph the store lacks is empty.
    The answer's format follows the
    ``Accept`` header (or a ``format=`` parameter: json, xml, csv, tsv for
    SELECT/ASK; ttl, nt, jsonld for CONSTRUCT/DESCRIBE). Errors are plain
    text: 400 bad query, 403 update or SERVICE refused, 406 no acceptable format, 413
    request too large, 415 unknown body type, 422 over the row cap, 503 over
    the time limit. GET without a query returns the service description.
    An answer from a store that can tell when its data changes (an on-disk
    Oxigraph store) carries an ``ETag`` (with ``Cache-Control: no-cache``);
    ``If-None-Match`` with it is answered 304 (412 to a POST) without running
    the query again.
``/``
    the web app: a SPARQL editor (CodeMirror, bundled) with the named
    queries and prefix completion; answers as a table of labels and links,
    CSV/JSON download; the query in the URL (``/?query=...``).
``/network``
    the actor network, fetched from the store as the analyst explores:
    search, expand on click, path with evidence (:mod:`kgraph.serve.api`).
``/queries``, ``/api/queries``
    the named queries as JSON (name, title, description, sparql).
``/api/prefixes``, ``/api/style``, ``/api/actors?q=``, ``/api/neighbours?id=&depth=``,
``/api/path?from=&to=&avoid_hubs=1&exclude=``
    JSON for the web app; errors as ``{"error": message}`` (400, 404).
``/health``
    200 and a JSON status once a worker is ready; 503 before.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from importlib import resources
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import QueryError, QueryRefused
from ..stores.base import check_graph_iris, refuse_service, refuse_update
from .api import MAX_DEPTH, Call, network_style
from .negotiation import FORMAT_NAMES, GRAPH_OFFERS, RESULT_OFFERS, choose
from .workers import Job, WorkerPool

__all__ = ["create_app", "Limits", "MAX_REQUEST_BYTES"]

MAX_REQUEST_BYTES = 4 * 1024 * 1024
_RESULT_NAMES = {name for name, _ in RESULT_OFFERS}
_BY_MEDIA_TYPE = {media: name for name, media in reversed(RESULT_OFFERS + GRAPH_OFFERS)}
_PAGE_SECURITY = {
    # Everything the page needs comes from this server; data is never run as script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_NOSNIFF = {"X-Content-Type-Options": "nosniff"}

log = logging.getLogger("kgraph.serve")


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_rows: int | None


class _TooLarge(Exception):
    pass


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status, headers={**_NOSNIFF, **(headers or {})})


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _params(request: Request) -> list[tuple[str, str]] | Response:
    """The protocol parameters of ``request``, or the error response to send."""
    params = list(request.query_params.multi_items())
    if request.method != "POST":
        return params
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/sparql-update":
        return _text(403, "SPARQL Update is refused: this endpoint is read-only")
    if kind not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        return _text(415, f"unsupported request body type {kind or '(none)'!r}; send "
                          "application/x-www-form-urlencoded or application/sparql-query")
    try:
        text = (await _body(request)).decode("utf-8")
    except _TooLarge:
        return _text(413, f"the request body is over {MAX_REQUEST_BYTES // (1024 * 1024)} MiB")
    except UnicodeDecodeError:
        return _text(400, "the request body is not UTF-8")
    if kind == "application/sparql-query":
        return params + [("query", text)]
    return params + parse_qsl(text, keep_blank_values=True)


def _formats(request: Request, params) -> tuple[str | None, str | None]:
    """The result and graph format to answer in; None where the client accepts none."""
    for value in reversed([v.strip().lower() for k, v in params if k == "format"]):
        # Clients send a short name (csv) or a media type (SPARQLWrapper: text/tab-separated-values).
        fmt = value if value in FORMAT_NAMES else _BY_MEDIA_TYPE.get(value.split(";")[0].strip())
        if fmt is not None:
            return (fmt, None) if fmt in _RESULT_NAMES else (None, fmt)
    accept = request.headers.get("accept")
    return choose(accept, RESULT_OFFERS), choose(accept, GRAPH_OFFERS)


def _dataset(params) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The protocol's default and named graphs; both None when the client names neither (the query decides)."""
    default = check_graph_iris(v.strip() for k, v in params if k == "default-graph-uri")
    named = check_graph_iris(v.strip() for k, v in params if k == "named-graph-uri")
    if not default and not named:
        return None, None
    return tuple(default), tuple(named)


async def sparql(request: Request) -> Response:
    params = await _params(request)
    if isinstance(params, Response):
        return params
    names = {k for k, _ in params}
    if "update" in names:
        return _text(403, "SPARQL Update is refused: this endpoint is read-only")
    if "query" not in names:
        if request.method == "GET":
            return _description(request)
        return _text(400, "missing the 'query' parameter")
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        return _text(400, "give exactly one 'query' parameter")
    try:
        dataset = _dataset(params)
    except QueryError as exc:
        return _text(400, str(exc))
    if not queries[0].strip():
        return _text(400, "the query is empty")
    try:
        refuse_update(queries[0])
        refuse_service(queries[0])
    except QueryRefused as exc:
        return _text(403, str(exc))
    formats = _formats(request, params)
    if formats == (None, None):
        return _text(406, "no acceptable format: answers are SPARQL results JSON, XML, CSV or TSV, "
                          "or Turtle, N-Triples or JSON-LD for graphs")
    limits: Limits = request.app.state.limits
    reply = await request.app.state.pool.run(Job(queries[0], *formats, limits.max_rows, *dataset,
                                                 if_none_match=request.headers.get("if-none-match")))
    if reply.status >= 500:
        log.warning("%s: %s", reply.status, reply.body.decode("utf-8", "replace").strip())
    headers = {"Vary": "Accept", **_NOSNIFF}
    if reply.etag is not None:
        # Kept answers are asked about again before use: the data may change at any time.
        headers.update({"ETag": reply.etag, "Cache-Control": "no-cache"})
    if reply.status == 304:
        # Not Modified is for GET (and HEAD); any other method is told its precondition failed (RFC 9110 13.1.2).
        if request.method in ("GET", "HEAD"):
            return Response(status_code=304, headers=headers)
        return _text(412, "the answer has not changed since the one whose ETag was given (If-None-Match)", headers)
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)


def _description(request: Request) -> Response:
    from .description import service_description

    fmt = choose(request.headers.get("accept"), GRAPH_OFFERS)
    if fmt is None:
        return _text(406, "the service description is available as Turtle, N-Triples or JSON-LD")
    from ..stores.results import MEDIA_TYPES, Result

    state = request.app.state
    graph = service_description(str(request.url.replace(query="")), store=state.pool.description,
                                timeout=state.limits.timeout, max_rows=state.limits.max_rows)
    return Response(Result("CONSTRUCT", graph=graph).serialize(fmt), media_type=MEDIA_TYPES[fmt],
                    headers={"Vary": "Accept", **_NOSNIFF})


async def health(request: Request) -> Response:
    state = request.app.state
    pool: WorkerPool = state.pool
    body = {"status": "ok" if pool.ready else "starting", "store": pool.description,
            "workers": pool.size, "idle": pool.ready, "restarts": pool.restarts,
            "timeout": state.limits.timeout, "max_rows": state.limits.max_rows}
    return JSONResponse(body, status_code=200 if pool.ready else 503)


async def named(request: Request) -> Response:
    from ..stores.named_queries import named_queries

    return JSONResponse([{"name": q.name, "title": q.title, "description": q.description, "sparql": q.text}
                         for q in named_queries().values()])


def _page(name: str) -> Response:
    page = resources.files(__package__).joinpath("static", name).read_bytes()
    return Response(page, media_type="text/html; charset=utf-8", headers=_PAGE_SECURITY)


async def index(request: Request) -> Response:
    return _page("index.html")


async def network_page(request: Request) -> Response:
    return _page("network.html")


async def network_asset(request: Request) -> Response:
    """vis-network (pyvis's copy), the panel script and the stylesheet, as the offline page inlines them."""
    from ..viz.page import _assets

    vis_js, panel_js, _, css = _assets()
    assets = {"vis-network.min.js": (vis_js, "text/javascript"), "panel.js": (panel_js, "text/javascript"),
              "network.css": (css, "text/css")}
    name = request.path_params["name"]
    if name not in assets:
        return _text(404, f"no {name!r} here")
    body, media_type = assets[name]
    return Response(body, media_type=media_type + "; charset=utf-8", headers=_NOSNIFF)


async def prefixes(request: Request) -> Response:
    from ..rdf.namespaces import PREFIXES

    return JSONResponse(PREFIXES)


async def style(request: Request) -> Response:
    return JSONResponse(network_style())


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=_NOSNIFF)


async def _call(request: Request, call: Call) -> Response:
    reply = await request.app.state.pool.run(call)
    if reply.media_type != "application/json":  # the pool's own time-limit or worker-died text
        return _error(reply.status, reply.body.decode("utf-8", "replace").strip())
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=_NOSNIFF)


async def actors(request: Request) -> Response:
    return await _call(request, Call("search", {"text": request.query_params.get("q", "")}))


async def neighbours(request: Request) -> Response:
    params = request.query_params
    if not params.get("id"):
        return _error(400, "give the actor's id: ?id=")
    depth = params.get("depth", "1")
    if not depth.isdigit() or not 1 <= int(depth) <= MAX_DEPTH:
        return _error(400, f"depth must be a whole number from 1 to {MAX_DEPTH}")
    return await _call(request, Call("neighbourhood", {"actor": params["id"], "depth": int(depth)}))


async def path(request: Request) -> Response:
    params = request.query_params
    if not params.get("from") or not params.get("to"):
        return _error(400, "give both ends' ids: ?from=&to=")
    return await _call(request, Call("path", {
        "source": params["from"], "target": params["to"],
        "avoid_hubs": params.get("avoid_hubs", "") in ("1", "true", "on"),
        "exclude": tuple(v for v in params.getlist("exclude") if v)}))


def create_app(pool: WorkerPool, limits: Limits, *, cors: str | None = None) -> Starlette:
    """The starlette app answering from ``pool`` (started; attached on startup, closed on shutdown).

    ``cors``: an origin (``https://tools.example``) whose pages may query the endpoint and the API.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app):
        pool.attach()
        try:
            yield
        finally:
            pool.close()

    app = Starlette(routes=[
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", named),
        Route("/health", health),
        Route("/network", network_page),
        Route("/api/queries", named),
        Route("/api/prefixes", prefixes),
        Route("/api/style", style),
        Route("/api/actors", actors),
        Route("/api/neighbours", neighbours),
        Route("/api/path", path),
        Route("/lib/{name:str}", network_asset),
        Mount("/static", StaticFiles(packages=[(__package__, "static")]), name="static"),
    ], lifespan=lifespan, middleware=_cors(cors))
    app.state.pool = pool
    app.state.limits = limits
    return app


def _cors(origin: str | None) -> list:
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware

    if not origin:
        return []
    return [Middleware(CORSMiddleware, allow_origins=[origin], allow_methods=["GET", "POST"],
                       allow_headers=["Accept", "Content-Type"], max_age=600)]
