"""Queries run in worker processes, so a slow one never stalls the server.

Oxigraph cannot interrupt a running query from Python, and a thread cannot be
killed: a query that would run for an hour would hold its thread (and a CPU)
for that hour. So each query runs in one of a few worker processes, each with
its own copy of the store (the ``memory`` and ``rdflib`` stores load the
graph; ``oxigraph:PATH`` opens the same files read-only; ``http`` just
forwards). When a query passes the time limit its worker is killed and a
fresh one is started in its place; the other workers go on answering.

Time is not the only thing a query can run away with: sorting a cross product
takes gigabytes within seconds. So once its store is open, a worker may grow
by at most ``max_memory`` MiB (``RLIMIT_DATA``); a query that needs more
fails in that worker alone, which is replaced like one that ran too long.

Workers answer with the serialised bytes, so the formatting of large results
happens off the event loop too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import itertools
import json
import multiprocessing
import resource
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Job", "Reply", "WorkerPool", "execute", "etag"]


@dataclass(frozen=True)
class Job:
    sparql: str
    result_format: str | None  # for SELECT/ASK; None: the client accepts none
    graph_format: str | None  # for CONSTRUCT/DESCRIBE
    max_rows: int | None
    default_graphs: tuple[str, ...] | None = None  # the protocol's dataset; None: the query's own
    named_graphs: tuple[str, ...] | None = None
    if_none_match: str | None = None  # the client's header: answered 304 when the answer would be one it has


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    etag: str | None = None  # of an answer that stays the same while the store's data does


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def execute(store, job: Job) -> Reply:
    """Run ``job`` on ``store``: the HTTP status, media type and body to send."""
    from ..errors import QueryError, QueryRefused, StoreError
    from ..stores.base import TooManyRows, refuse_update
    from ..stores.results import MEDIA_TYPES

    tag = etag(store, job)
    if tag is not None and _matches(job.if_none_match, tag):
        return Reply(304, "text/plain; charset=utf-8", b"", tag)  # the client has this answer: not run again
    try:
        refuse_update(job.sparql)
        result = _stored(store, job)
        if result is None:
            result = store.answer(job.sparql, max_rows=job.max_rows, default_graphs=job.default_graphs,
                                  named_graphs=job.named_graphs)
        fmt = job.graph_format if result.kind == "CONSTRUCT" else job.result_format
        if fmt is None:
            offers = "text/turtle, application/n-triples, application/ld+json" if result.kind == "CONSTRUCT" \
                else "application/sparql-results+json, application/sparql-results+xml, text/csv, " \
                     "text/tab-separated-values"
            return _text(406, f"a {result.kind} answer is available as {offers}")
        body = result.serialize(fmt)  # an engine's own writer runs the query here, rows counted as written
    except TooManyRows as exc:
        return _text(422, f"{exc} (the server's --max-rows is {exc.limit})")
    except QueryRefused as exc:
        return _text(403, str(exc))
    except QueryError as exc:
        return _text(400, str(exc))
    except StoreError as exc:
        return _text(502, str(exc))
    except MemoryError:
        return _text(503, _NO_MEMORY)
    return Reply(200, MEDIA_TYPES[fmt], body, tag)


def etag(store, job: Job) -> str | None:
    """The entity tag of ``job``'s answer: the same while the store's data (its
    :meth:`~kgraph.stores.base.Store.fingerprint`), the query, the dataset, the format, the row limit
    and kgraph are; None when the store cannot tell when its data changes (then no answer can be validated).

    Weak (``W/``): equal answers, not promised equal bytes (an engine may order unordered rows anew).
    """
    fingerprint = store.fingerprint()
    if fingerprint is None:
        return None
    # The row limit too: a server restarted with a lower --max-rows owes a client its 422.
    parts = [_version(), fingerprint, job.sparql, job.result_format, job.graph_format,
             job.default_graphs, job.named_graphs, job.max_rows]
    return 'W/"%s"' % hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:40]


@functools.cache
def _version() -> str:
    # A new kgraph may write answers differently: its tags must differ.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kgraph")
    except PackageNotFoundError:
        return "unknown"


def _matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names ``tag`` (weak comparison, RFC 9110 13.1.2).

    Not ``*``: the tag is checked before the query runs, and a client that never had an answer
    must get its 400, 406 or 422 rather than a 304."""
    if not if_none_match:
        return False
    opaque = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == opaque for t in if_none_match.split(","))


def _stored(store, job: Job):
    """A page of a named query as kept in the store's index (:mod:`kgraph.network.stored_answers`), or None:
    another query, a dataset of the client's, or no current index."""
    from ..stores.named_queries import parse_page

    page = None if job.default_graphs is not None or job.named_graphs is not None else parse_page(job.sparql)
    if page is None:
        return None
    from ..network.actorindex import existing_index
    from ..network.stored_answers import stored_page
    from ..stores.base import TooManyRows
    from ..stores.results import Result

    index = existing_index(store)
    if index is None:
        return None
    try:
        name, limit, offset = page
        rows = stored_page(index, name, limit=limit, offset=offset)
        if rows is None:
            return None
        kept = list(itertools.islice(rows, None if job.max_rows is None else job.max_rows + 1))
    finally:
        index.close()
    if job.max_rows is not None and len(kept) > job.max_rows:
        raise TooManyRows(job.max_rows)
    return Result("SELECT", vars=list(rows.vars), rows=kept)


_NO_MEMORY = ("the query needed more memory than a worker may use (--max-memory) and was stopped; "
              "narrow it or add LIMIT")
# Oxigraph aborts its process when an allocation fails past --max-memory, and on some
# ORDER BY queries (a panic in its sort); either way the query cannot be answered.
_ABORTED = ("the query stopped its worker: it needed more memory than --max-memory allows, or it hit a "
            "crash in the query engine (ORDER BY over some property paths); the worker has been restarted")


def _limit_memory(max_memory: int | None) -> None:
    """Let this process's data grow by at most ``max_memory`` MiB from now on."""
    if not max_memory:
        return
    with open("/proc/self/status", encoding="ascii") as status:
        used_kib = next((int(line.split()[1]) for line in status if line.startswith("VmData:")), 0)
    limit = used_kib * 1024 + max_memory * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _worker_main(conn, spec: str, graph_dir: str, max_memory: int | None = None) -> None:
    # Ctrl-C reaches the whole process group; the server decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..errors import KgraphError
    from ..stores import open_store

    try:
        store = open_store(spec, graph_dir=Path(graph_dir))
    except KgraphError as exc:
        conn.send(("failed", str(exc)))
        return
    _limit_memory(max_memory)
    conn.send(("ready", store.description))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            # A Job is a SPARQL query; anything else is a web app call (kgraph.serve.api.Call).
            reply = execute(store, job) if isinstance(job, Job) else job.run(store)
        except Exception as exc:  # a bug must cost one answer, not the worker
            reply = _text(500, f"internal error: {type(exc).__name__}: {exc}")
        # The body apart, as it is: pickled with the rest it was copied once more, and an answer of
        # hundreds of megabytes ran past --max-memory on its way out.
        conn.send(dataclasses.replace(reply, body=b""))
        conn.send_bytes(reply.body)


class WorkerDied(Exception):
    pass


class _Worker:
    def __init__(self, context, spec: str, graph_dir: Path, max_memory: int | None = None):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, spec, str(graph_dir), max_memory),
                                       daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> str:
        """Block until the worker has opened its store; its description, or raise."""
        from ..errors import StoreError

        if not self.conn.poll(timeout):
            self.kill()
            raise StoreError(f"the store did not open within {timeout:g} s")
        try:
            status, message = self.conn.recv()
        except EOFError:
            raise StoreError("a worker process died while opening the store") from None
        if status != "ready":
            self.kill()
            raise StoreError(message)
        return message

    async def call(self, job: Job, timeout: float) -> Reply:
        loop = asyncio.get_running_loop()
        answer = loop.create_future()

        def readable():
            if answer.done():
                return
            try:
                reply = self.conn.recv()
                answer.set_result(dataclasses.replace(reply, body=self.conn.recv_bytes()))
            except (EOFError, OSError) as exc:
                answer.set_exception(WorkerDied(str(exc)))

        self.conn.send(job)
        loop.add_reader(self.conn.fileno(), readable)
        try:
            return await asyncio.wait_for(answer, timeout)
        finally:
            loop.remove_reader(self.conn.fileno())

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over one store; :meth:`run` answers a :class:`Job`.

    Start it (blocking, so a store that cannot open stops the server before
    it listens), then :meth:`attach` it to the event loop that will use it.
    """

    def __init__(self, spec: str, graph_dir: Path | str, *, size: int = 2, timeout: float = 30.0,
                 start_timeout: float = 600.0, max_memory: int | None = None):
        self.spec, self.graph_dir, self.max_memory = spec, Path(graph_dir), max_memory
        self.size, self.timeout, self.start_timeout = size, timeout, start_timeout
        self.description = ""
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kgraph.serve.workers", "kgraph.stores", "rdflib", "pyoxigraph"])
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue | None = None
        self._closed = False
        self.restarts = 0

    def start(self) -> None:
        workers = [_Worker(self._context, self.spec, self.graph_dir, self.max_memory) for _ in range(self.size)]
        self._workers = workers
        try:
            for worker in workers:
                self.description = worker.wait_ready(self.start_timeout)
        except BaseException:
            self.close()
            raise

    def attach(self) -> None:
        self._idle = asyncio.Queue()
        for worker in self._workers:
            self._idle.put_nowait(worker)

    @property
    def ready(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    async def run(self, job: Job) -> Reply:
        """Answer ``job`` within the time limit (waiting for a free worker counts too)."""
        deadline = time.monotonic() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            return _text(503, f"all {self.size} workers stayed busy for the server's time limit of "
                              f"{self.timeout:g} s (--timeout); try again later")
        try:
            reply = await worker.call(job, max(0.001, deadline - time.monotonic()))
        except TimeoutError:
            self._replace(worker)
            return _text(503, f"the query ran past the server's time limit of {self.timeout:g} s (--timeout) "
                              "and was stopped; narrow it or add LIMIT")
        except (WorkerDied, OSError) as exc:
            self._replace(worker)
            if worker.process.exitcode == -signal.SIGABRT:
                return _text(503, _ABORTED)
            return _text(500, f"the worker running the query died ({exc}); it has been restarted")
        except BaseException:
            self._replace(worker)  # cancelled mid-query: its answer would reach the next client
            raise
        self._idle.put_nowait(worker)
        return reply

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._workers:
            self._workers.remove(worker)
        if self._closed:
            return
        self.restarts += 1
        fresh = _Worker(self._context, self.spec, self.graph_dir, self.max_memory)
        self._workers.append(fresh)
        loop = asyncio.get_running_loop()

        def readable():
            loop.remove_reader(fresh.conn.fileno())
            try:
                status, _ = fresh.conn.recv()
            except (EOFError, OSError):
                status = "failed"
            if status == "ready" and not self._closed:
                self._idle.put_nowait(fresh)
            else:
                fresh.kill()
                self._workers.remove(fresh)

        loop.add_reader(fresh.conn.fileno(), readable)

    def close(self) -> None:
        """Stop every worker (a query still running is killed)."""
        self._closed = True
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self._workers:
            worker.process.join(2)
            worker.kill()
        self._workers = []
