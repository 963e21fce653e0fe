"""``kgraph serve``: the graph as a read-only W3C SPARQL 1.1 Protocol endpoint.

Starlette answers HTTP (uvicorn runs it); queries run in worker processes
(:mod:`kgraph.serve.workers`) so a slow query can be stopped without
stopping the server. See :mod:`kgraph.serve.app` for the routes.
"""

from __future__ import annotations

from .runner import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, serve

__all__ = ["serve", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS"]
