"""Load and abuse a real ``kgraph serve`` on loopback; print what it withstood.

Clients ask questions with known answers for the whole run while, at the
same time, others attack the server: a query that would run forever, 1 MB
and 5 MB queries, a 1 MB URL, malformed HTTP, slow clients that never finish
their request, updates in every form the protocol allows, and SERVICE
queries aimed at a local listener. Printed: requests, errors, latency p50 and
p99, peak RSS of the server and its workers, and what each attack got back.

    .venv/bin/python bench/bench_abuse.py                      # 100 clients for 30 s, alone then abused
    .venv/bin/python bench/bench_abuse.py --clients 100 --seconds 5
    .venv/bin/python bench/bench_abuse.py --graph graph --json abuse.json
    .venv/bin/python bench/bench_abuse.py --smoke                  # 4 clients for 1 s (tests)

Everything listens and connects on 127.0.0.1 only, and every loop ends at
the deadline. ``measure()`` returns the figures as a dict (tests/test_hardening_serve.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Sorting a cross product: gigabytes within seconds, unless the worker's memory is capped.
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f LIMIT 1"
QUESTIONS = [
    "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu } ORDER BY ?m",
    "SELECT ?x WHERE { actor:masimov kg:loyalTo ?x }",
    "SELECT ?label WHERE { actor:csto rdfs:label ?label } ORDER BY ?label",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { actor:tokayev ?p ?o }",
]
UPDATE = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
SLOW_CLIENTS = 50
# Raw requests no HTTP client would send; each must get a 4xx or a closed connection.
MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\n\r\n",
    b"GET /sparql?query=%ZZ%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/sparql-query\r\n\r\nZZZ\r\nnot a chunk\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nASK{}",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
    b"\x00\xff\xfe" * 300 + b"\r\n\r\n",
    b"GET /" + b"/" * 200_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sparql HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: \x1b[31m\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 3\r\n\r\n\xff\xfe\xfd",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(graph_dir: Path, *, timeout: float = 2.0, workers: int = 2, max_rows: int = 1000,
                 max_memory: int = 256):
    """Start ``kgraph serve`` on a free loopback port; return (process, base URL) once it is healthy."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "serve", "--graph", str(graph_dir), "--host", "127.0.0.1",
         "--port", str(port), "--timeout", str(timeout), "--workers", str(workers), "--max-rows", str(max_rows),
         "--max-memory", str(max_memory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kgraph serve exited {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(base + "health", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("kgraph serve did not become healthy within 60 s")


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    try:
        root = psutil.Process(pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0


def _bindings(response: httpx.Response):
    data = response.json()
    if "boolean" in data:
        return data["boolean"]
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


class Run:
    """The figures of one run, filled in by the tasks below."""

    def __init__(self, base: str, clients: int, seconds: float, pid: int, abuse: bool = True):
        self.base, self.endpoint, self.abuse = base, base + "sparql", abuse
        self.clients, self.seconds, self.pid = clients, seconds, pid
        self.deadline = 0.0
        self.latencies: list[float] = []
        self.errors: Counter = Counter()
        self.attacks: dict[str, Counter] = {}
        self.rss: list[int] = []
        self.expected: dict[str, object] = {}
        self.service_hits = 0

    def record(self, attack: str, outcome) -> None:
        self.attacks.setdefault(attack, Counter())[str(outcome)] += 1

    def left(self) -> float:
        return self.deadline - time.monotonic()


async def _client(run: Run, http: httpx.AsyncClient, number: int) -> None:
    i = number
    while run.left() > 0:
        text = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        started = time.monotonic()
        try:
            response = await http.post(run.endpoint, data={"query": text},
                                       headers={"Accept": "application/sparql-results+json"})
        except httpx.HTTPError as exc:
            run.errors[type(exc).__name__] += 1
            continue
        run.latencies.append(time.monotonic() - started)
        if response.status_code != 200:
            run.errors[f"HTTP {response.status_code}"] += 1
        elif _bindings(response) != run.expected[text]:
            run.errors["wrong answer"] += 1


async def _runaway(run: Run, http: httpx.AsyncClient) -> None:
    while run.left() > 3:
        response = await http.post(run.endpoint, data={"query": RUNAWAY}, timeout=60)
        run.record("query that would run forever", response.status_code)
        response = await http.post(run.endpoint, data={"query": MEMORY_HOG}, timeout=60)
        run.record("query that fills memory", response.status_code)


async def _oversized(run: Run, http: httpx.AsyncClient) -> None:
    one_mb = 'SELECT * WHERE { ?s ?p ?o FILTER(?o = "' + "x" * 1_000_000 + '") }'
    url = httpx.URL(run.base)
    long_get = f"GET /sparql?query={quote(one_mb)} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    while run.left() > 1:
        response = await http.post(run.endpoint, data={"query": one_mb}, timeout=60)
        run.record("1 MB query", response.status_code)
        response = await http.post(run.endpoint, content=b"#" * (5 * 1024 * 1024), timeout=60,
                                   headers={"Content-Type": "application/sparql-query"})
        run.record("5 MB body", response.status_code)
        # httpx refuses to send a URL this long, so it goes out by hand.
        run.record("1 MB URL", await _raw(url.host, url.port, long_get, wait=10))
        await asyncio.sleep(0.2)


async def _raw(host: str, port: int, payload: bytes, wait: float) -> str:
    """Send ``payload`` on a fresh connection; the status line that comes back, 'closed' or 'no answer'."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), wait)
        return line.split(b" ")[1].decode() if line.startswith(b"HTTP/") else "closed"
    except TimeoutError:
        return "no answer"
    except (ConnectionError, OSError):
        return "closed"
    finally:
        writer.close()


async def _malformed(run: Run) -> None:
    url = httpx.URL(run.base)
    while run.left() > 0:
        for payload in MALFORMED:
            run.record("malformed HTTP", await _raw(url.host, url.port, payload, wait=5))
        await asyncio.sleep(0.2)


async def _slow(run: Run, number: int) -> None:
    """A client that sends its request one byte a second and never finishes."""
    url = httpx.URL(run.base)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 10_000
    sent = 0
    try:
        while run.left() > 0.5:
            writer.write(request[sent:sent + 1])
            await writer.drain()
            sent += 1
            try:
                if await asyncio.wait_for(reader.read(1), 1.0):
                    run.record("slow clients", "answered early")
                    return
                run.record("slow clients", "closed by the server")
                return
            except TimeoutError:
                continue
        run.record("slow clients", "held open to the end")
    except (ConnectionError, OSError):
        run.record("slow clients", "closed by the server")
    finally:
        writer.close()


async def _updates(run: Run, http: httpx.AsyncClient) -> None:
    attempts = [
        ("GET", {"params": {"update": UPDATE}}),
        ("POST", {"data": {"update": UPDATE}}),
        ("POST", {"content": UPDATE, "headers": {"Content-Type": "application/sparql-update"}}),
        ("POST", {"data": {"query": UPDATE}}),
        ("GET", {"params": {"query": "DROP ALL"}}),
        ("POST", {"data": {"query": "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }"}}),
        ("POST", {"data": {"query": "# comment\nCLEAR DEFAULT"}}),
        ("POST", {"data": {"query": "SELECT * { ?s ?p ?o } ; DROP ALL"}}),
        ("POST", {"data": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}),
    ]
    while run.left() > 1:
        for method, kwargs in attempts:
            response = await http.request(method, run.endpoint, **kwargs)
            run.record("updates", response.status_code)
        await asyncio.sleep(0.1)


async def _service(run: Run, http: httpx.AsyncClient) -> None:
    async def canary(reader, writer):
        run.service_hits += 1
        writer.close()

    server = await asyncio.start_server(canary, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    queries = [f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
               f"select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERVICE\n<http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"]
    try:
        while run.left() > 1:
            for text in queries:
                response = await http.post(run.endpoint, data={"query": text})
                run.record("SERVICE to a local listener", response.status_code)
            await asyncio.sleep(0.2)
    finally:
        server.close()


async def _sample_rss(run: Run) -> None:
    while run.left() > 0:
        run.rss.append(tree_rss(run.pid))
        await asyncio.sleep(0.25)


async def _count(http: httpx.AsyncClient, endpoint: str) -> int:
    response = await http.post(endpoint, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    return int(_bindings(response)[0]["n"])


async def _run(run: Run) -> dict:
    limits = httpx.Limits(max_connections=run.clients + 20, max_keepalive_connections=run.clients + 20)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        for text in QUESTIONS:
            run.expected[text] = _bindings(await http.post(run.endpoint, data={"query": text}))
        triples_before = await _count(http, run.endpoint)
        rss_before = tree_rss(run.pid)
        run.deadline = time.monotonic() + run.seconds
        tasks = [_client(run, http, n) for n in range(run.clients)] + [_sample_rss(run)]
        if run.abuse:
            tasks += [_runaway(run, http), _oversized(run, http), _malformed(run), _updates(run, http),
                      _service(run, http)]
            tasks += [_slow(run, n) for n in range(SLOW_CLIENTS)]
        started = time.monotonic()
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        triples_after = await _count(http, run.endpoint)
        health = (await http.get(run.base + "health")).json()
    latencies = sorted(run.latencies)

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    return {
        "clients": run.clients, "seconds": round(elapsed, 1), "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1), "errors": dict(run.errors),
        "p50_s": round(percentile(0.50), 3), "p99_s": round(percentile(0.99), 3),
        "rss_start_mb": round(rss_before / 2**20), "rss_peak_mb": round(max(run.rss, default=0) / 2**20),
        "rss_end_mb": round(tree_rss(run.pid) / 2**20),
        "attacks": {name: dict(counts) for name, counts in run.attacks.items()},
        "service_connections": run.service_hits, "triples_before": triples_before, "triples_after": triples_after,
        "health_after": health,
    }


def measure(base: str, pid: int, *, clients: int = 100, seconds: float = 30, abuse: bool = True) -> dict:
    """Load (and abuse) the running server at ``base`` (process ``pid``); return the figures."""
    return asyncio.run(_run(Run(base, clients, seconds, pid, abuse)))


def report(figures: dict) -> str:
    lines = [
        f"kgraph serve under load and abuse: {figures['clients']} clients for {figures['seconds']} s, "
        f"{figures['workers']} workers, --timeout {figures['timeout']:g} s, --max-memory {figures['max_memory']} MiB",
        f"  requests answered   {figures['requests']} ({figures['requests_per_s']}/s)",
        f"  errors              {sum(figures['errors'].values())} {figures['errors'] or ''}".rstrip(),
        f"  latency p50 / p99   {figures['p50_s']:.3f} s / {figures['p99_s']:.3f} s",
        f"  peak RSS            {figures['rss_peak_mb']} MB (server and workers; {figures['rss_start_mb']} MB "
        f"at the start, {figures['rss_end_mb']} MB at the end)",
    ]
    for name, counts in figures["attacks"].items():
        outcome = ", ".join(f"{what} x{n}" for what, n in sorted(counts.items()))
        lines.append(f"  {name:<30}{outcome}")
    lines.append(f"  SERVICE connections made   {figures['service_connections']}")
    lines.append(f"  triples before / after     {figures['triples_before']} / {figures['triples_after']}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Runs the clients alone first, then with the attacks, on one server.")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-memory", type=int, default=256, help="the server's --max-memory, MiB")
    parser.add_argument("--graph", type=Path, help="graph folder to serve [default: a fresh build of data/]")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--smoke", action="store_true", help="4 clients for 1 s: does it still run?")
    args = parser.parse_args(argv)
    if args.smoke:
        args.clients, args.seconds = 4, 1
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            sys.path.insert(0, str(ROOT / "src"))
            from kgraph.compose import build

            graph = Path(tmp) / "graph"
            build(ROOT / "data", ROOT / "ontology", graph, html=False)
        process, base = start_server(graph, timeout=args.timeout, workers=args.workers, max_memory=args.max_memory)
        try:
            plain = measure(base, process.pid, clients=args.clients, seconds=args.seconds, abuse=False)
            abused = measure(base, process.pid, clients=args.clients, seconds=args.seconds)
        finally:
            process.terminate()
            process.wait(15)
    for figures in (plain, abused):
        figures.update(timeout=args.timeout, workers=args.workers, max_memory=args.max_memory)
    print(report(plain).replace("under load and abuse", "under load alone", 1))
    print(report(abused))
    print(f"  under abuse: {abused['requests_per_s'] / plain['requests_per_s']:.2f}x the throughput, "
          f"p99 {abused['p99_s'] / plain['p99_s']:.2f}x, peak RSS {abused['rss_peak_mb'] / plain['rss_peak_mb']:.2f}x "
          "of the same clients without the attacks")
    if args.json:
        args.json.write_text(json.dumps({"plain": plain, "abuse": abused}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
