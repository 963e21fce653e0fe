"""Start ``kgraph serve``: open the store in worker processes, then listen with uvicorn.

It serves until stopped, so the example is not run as a doctest:

>>> from kgraph.serve import serve
>>> serve("memory", graph_dir="graph", port=8000)   # doctest: +SKIP
"""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

from ..errors import KgraphError

__all__ = ["serve", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "DEFAULT_MAX_MEMORY", "default_workers", "open_browser"]

DEFAULT_TIMEOUT = 30.0
# Rows cost no Python objects on an Oxigraph store: a row limit now only has to stop what the memory limit
# would stop later. A remote path at 10M triples reads 1.6M labels (112 MB as CSV); 5M rows of CSV fit in
# --max-memory, and a longer answer of any kind is refused at its 5,000,001st row.
DEFAULT_MAX_ROWS = 5_000_000
DEFAULT_MAX_MEMORY = 1024  # MiB a worker may grow by while answering, beyond its store


def default_workers() -> int:
    """One worker per CPU this process may use, at least two (one can be stuck on a slow query)."""
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on
    # connections of sockets that say so, and with Nagle on, every keep-alive
    # answer waited 40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        # Listening before uvicorn starts: a browser opened by --open may connect at once.
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise KgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def open_browser(url: str) -> bool:
    """Open ``url`` in the desktop's browser; False (nothing opened) where there is no desktop.

    Without a display Python's :mod:`webbrowser` would start a text browser
    in the server's own terminal, so it is not asked.
    """
    import sys
    import webbrowser

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def serve(store: str = "memory", *, graph_dir: Path | str = "graph", host: str = "127.0.0.1", port: int = 8000,
          timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS, workers: int | None = None,
          max_memory: int | None = DEFAULT_MAX_MEMORY, on_ready=None, cors: str | None = None) -> None:
    """Serve the store at ``http://host:port/sparql`` until Ctrl-C or SIGTERM.

    The store is opened in ``workers`` processes before the port is served,
    so a store that cannot open raises :class:`~kgraph.errors.StoreError`
    here. ``on_ready(url)`` is called once the server is about to accept
    connections. ``cors``: an origin whose pages may use the endpoint
    (:func:`kgraph.serve.app.create_app`). Returns after a clean shutdown: in-flight answers get a few
    seconds to finish, then the workers are stopped.
    """
    import uvicorn

    from .app import Limits, create_app
    from .workers import WorkerPool

    sock = _listen(host, port)
    pool = WorkerPool(store, graph_dir, size=workers or default_workers(), timeout=timeout, max_memory=max_memory)
    try:
        pool.start()
        app = create_app(pool, Limits(timeout, max_rows), cors=cors)
        # Keep-alive past the 5 s after which httpx and requests drop an idle connection: with
        # uvicorn's 5 s too, a client could send on a connection the server was closing (a ReadError,
        # seen once in 100 clients under load).
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=5, timeout_keep_alive=30)
        server = uvicorn.Server(config)
        shown = f"[{host.strip('[]')}]" if ":" in host else host
        if on_ready is not None:
            on_ready(f"http://{shown}:{sock.getsockname()[1]}/")
        # uvicorn re-raises the signal that stopped it once it is done; a
        # handler that does nothing turns that into a normal return.
        previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run(sockets=[sock])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        pool.close()
        sock.close()
