"""How kgraph scales: load, memory, queries, projection, path and HTTP, per store and size.

For each size (synthetic graphs from ``bench/generate.py``, the bundled
graph inside them) and each store (memory, rdflib, oxigraph:PATH, and two
servers over that on-disk store, queried by kgraph as a remote SPARQL
endpoint: http, an ``oxigraph serve-read-only``, and kgraph-serve, a
``kgraph serve``), a fresh child process measures:

- load: parsing into memory, or ``kgraph load`` into an on-disk store;
- memory after the load, and the peak with the projection built (for
  http: of the client only);
- every named query (best of two), and the slowest of them;
- the full projection, and the neighbourhood fetch a path needs
  (``kgraph.network.neighbourhood.fetch_neighbourhood``, depth 2);
- once per size, on the projection in memory: ``show`` (warm:
  ``kgraph.network.showing.describe``) and ``path Tokayev Biden`` (warm:
  ``kgraph.network.algorithms.shortest_paths``, one path and the default three);
- CLI runs of ``kgraph path Tokayev Biden``, ``kgraph show Masimov`` and
  ``kgraph neighbours Masimov``: the first call (new process, empty cache,
  right after the load), then again with the cache the first run filled;
- HTTP throughput of ``kgraph serve`` (16 client threads, a bounded number
  of simple queries, loopback): queries per second, p50 and p99 latency.

Every figure is followed by its ratio to plain rdflib in memory (rdflib = 1).
A second table puts the three commands side by side per store, with the
figures of issue 15 from before the actor index.
Results are merged into ``bench/out/scale.json`` store by store, so a run
of some stores or sizes adds to the table of earlier runs. A query, projection or
path still running after ``--budget`` seconds is stopped and reported as such.

    .venv/bin/python bench/scale.py                   # 10k and 100k
    .venv/bin/python bench/scale.py --sizes 1m        # by hand, not in CI
    .venv/bin/python bench/scale.py --sizes 1m --stores oxigraph,http,kgraph-serve --parts cli
    .venv/bin/python bench/scale.py --sizes 10m --stores oxigraph --parts cli   # by hand, takes long
    .venv/bin/python bench/scale.py --smoke           # 10k, fewer runs (CI)
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

BIN = Path(sys.executable).parent
STORES = ["rdflib", "memory", "oxigraph", "http", "kgraph-serve"]
# The stores that are servers over the on-disk store: the command that starts one on PORT, and its endpoint.
SERVERS = {
    "http": (lambda ox_dir, graph_dir, port: [str(BIN / "oxigraph"), "serve-read-only", "--location", str(ox_dir),
                                              "--bind", f"127.0.0.1:{port}"], "http://127.0.0.1:{port}/query"),
    "kgraph-serve": (lambda ox_dir, graph_dir, port: [str(BIN / "kgraph"), "serve", "--store", f"oxigraph:{ox_dir}",
                                                      "--graph", str(graph_dir), "--port", str(port)],
                     "http://127.0.0.1:{port}/sparql"),
}
PARTS = ["queries", "projection", "cli", "http"]
COMMANDS = {"path": ["path", "Tokayev", "Biden"], "show": ["show", "Masimov"], "neighbours": ["neighbours", "Masimov"]}
# Issue 15's figures on the 1M graph in oxigraph:PATH, before the actor index (first call, again):
# the baseline the commands table compares with.
BEFORE = {"1m": {"path": (15.7, 6.4), "show": (3.5, 3.5), "neighbours": (24.0, None)}}
GOALS = {"path": "< 1 s", "show": "< 0.5 s", "neighbours": "< 1 s"}
GOALS_AT = {"10m": {"path": "< 2 s", "show": "–", "neighbours": "–"}}  # issue 15 sets only the path's at 10M
SIMPLE = "SELECT ?m WHERE { ?m kg:memberOf actor:eaeu }"
PAIR = ("tokayev", "joe-biden")


# -- the child: one store, one process, figures as JSON lines ------------------------------------

def _emit(**figures) -> None:
    print(json.dumps(figures), flush=True)


def child(kind: str, graph_dir: Path, ox_dir: Path, endpoint: str | None, budget: float, parts: set[str]) -> None:
    from kgraph.network.algorithms import shortest_paths
    from kgraph.network.neighbourhood import fetch_neighbourhood
    from kgraph.network.projection import fetch_projection
    from kgraph.network.showing import describe
    from kgraph.stores import graph_files, open_store
    from kgraph.stores.loading import load_files
    from kgraph.stores.named_queries import named_queries

    started = time.perf_counter()
    index_s = None
    if kind == "oxigraph":
        from kgraph.network.actorindex import open_index

        shutil.rmtree(ox_dir, ignore_errors=True)
        load_files(ox_dir, graph_files(graph_dir))
        store = open_store(f"oxigraph:{ox_dir}")
        indexed = time.perf_counter()
        open_index(store, answers=True).close()  # as `kgraph load` does, so the CLI runs below start with it
        index_s = time.perf_counter() - indexed
    elif kind == "http":
        store = open_store(endpoint)
    else:
        store = open_store(kind, graph_dir=graph_dir)
    _emit(load_s=None if kind == "http" else time.perf_counter() - started, index_s=index_s,
          load_mb=_own_peak_mb())
    # Some queries take minutes on big graphs (rdflib's often, Oxigraph's
    # sometimes) and cannot be interrupted: each step runs in a forked copy of
    # this process, killed at the budget.
    timed = _forked
    if "queries" in parts:
        for name, named in named_queries().items():
            _emit(**{f"query:{name}": timed(lambda: store.query(named.text), budget, runs=2)})
    if "projection" in parts:
        _emit(projection_s=timed(lambda: fetch_projection(store), budget))
        _emit(neighbourhood_s=timed(lambda: fetch_neighbourhood(store, list(PAIR), 2), budget))
    if kind == "memory" and "projection" in parts:
        # On a projection in memory these do not depend on the store: measured once.
        projection = fetch_projection(store)
        _emit(actors=len(projection.actors), edges=len(projection.edges))
        _emit(show_warm_ms=_ms(_direct(lambda: describe(projection, PAIR[0]), budget, runs=3)))
        # The first path on a projection builds its path index (once); warm
        # calls, forked from here, reuse it. A search on 100k actors could
        # take minutes: forked, killed at the budget.
        _emit(path_first_ms=_ms(_direct(lambda: shortest_paths(projection, *PAIR, k=1), budget)))
        _emit(path1_warm_ms=_ms(_forked(lambda: shortest_paths(projection, *PAIR, k=1), budget, runs=3)))
        _emit(path_warm_ms=_ms(_forked(lambda: shortest_paths(projection, *PAIR), budget, runs=3)))
    _emit(peak_mb=max(_own_peak_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))


def _own_peak_mb() -> float:
    """This process's peak resident memory since it started.

    Not ``ru_maxrss``: Linux carries it across ``exec``, so a child started by
    a parent that had just generated a 1M graph reported the parent's gigabyte.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(seconds):
    return seconds * 1000 if isinstance(seconds, float) else seconds


def _direct(func, budget: float, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t)
    return best


def _forked(func, budget: float, runs: int = 1) -> float | str:
    """Best time of ``runs`` calls in a forked child, or "stopped" past ``budget`` seconds."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.write(write, str(_direct(func, budget, runs)).encode())
        os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], budget)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return f"stopped at {budget:g} s"
        data = os.read(read, 64)
        return float(data) if data else "failed"
    finally:
        os.waitpid(pid, 0)
        os.close(read)


# -- the parent: run children with a deadline per step ------------------------------------------

def run_child(kind: str, graph_dir: Path, ox_dir: Path, endpoint: str | None, step_timeout: float,
              budget: float, parts: set[str]) -> dict:
    args = [sys.executable, __file__, "--child", kind, "--graph", str(graph_dir), "--ox", str(ox_dir),
            "--budget", str(budget), "--parts", ",".join(sorted(parts))]
    if endpoint:
        args += ["--endpoint", endpoint]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout] + [lines.put(None)],
                     daemon=True).start()
    figures: dict = {}
    while True:
        try:
            line = lines.get(timeout=step_timeout)
        except queue.Empty:
            process.kill()
            figures["stopped"] = f"a step ran past {step_timeout:g} s"
            break
        if line is None:
            break
        figures.update(json.loads(line))
    if process.wait() != 0 and "stopped" not in figures:
        figures["stopped"] = process.stderr.read().strip().splitlines()[-1:]
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def cli_runs(args: list[str], seconds: float) -> tuple[float | None, float | None]:
    """Seconds of a first run (new process, empty cache) and of a second one (cache filled)."""
    env = dict(os.environ, KGRAPH_CACHE=tempfile.mkdtemp(prefix="kgraph-bench-cache-"))
    times: list[float | None] = []
    try:
        for _ in range(2):
            t = time.perf_counter()
            try:
                done = subprocess.run([str(BIN / "kgraph"), *args], env=env, capture_output=True, timeout=seconds)
            except subprocess.TimeoutExpired:
                times.append(None)
                continue
            times.append(time.perf_counter() - t if done.returncode == 0 else None)
    finally:
        shutil.rmtree(env["KGRAPH_CACHE"], ignore_errors=True)
    return times[0], times[1]


def throughput(store: str, graph_dir: Path, requests: int, clients: int = 16) -> dict:
    """qps and latency of ``kgraph serve`` answering SIMPLE from ``clients`` threads."""
    import httpx

    port = free_port()
    server = subprocess.Popen([str(BIN / "kgraph"), "serve", "--store", store, "--graph", str(graph_dir),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not _wait(url + "health", server, 600):
            return {}
        latencies: list[float] = []
        errors: list[int] = []
        per_client = max(1, requests // clients)

        def client():
            with httpx.Client(timeout=60) as http:
                for _ in range(per_client):
                    t = time.perf_counter()
                    response = http.post(url + "sparql", data={"query": SIMPLE})
                    latencies.append(time.perf_counter() - t)
                    if response.status_code != 200:
                        errors.append(response.status_code)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        latencies.sort()
        return {"qps": len(latencies) / wall, "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
                "http_errors": len(errors)}
    finally:
        server.terminate()
        server.wait(30)


def bench_size(size: str, out: Path, stores: list[str], args, parts: set[str]) -> dict:
    from generate import SIZES, reuse_or_generate

    made = reuse_or_generate(SIZES[size], out / size)
    print(f"\n{size}: {made.triples} triples, {made.actors} actors, {made.claims} claims", flush=True)
    ox_dir = out / size / "oxigraph"
    results: dict = {"triples": made.triples, "stores": {}}
    order = [s for s in STORES if s in stores]
    if any(kind in SERVERS for kind in order) and "oxigraph" not in order:
        order.insert(min(order.index(kind) for kind in SERVERS if kind in order), "oxigraph")  # they serve it
    for kind in order:
        endpoint = server = None
        if kind in SERVERS:
            port = free_port()
            command, url = SERVERS[kind]
            server = subprocess.Popen(command(ox_dir, made.graph_dir, port), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            endpoint = url.format(port=port)
            _wait(endpoint + "?query=ASK%7B%7D", server, 600)
        print(f"  {kind} ...", flush=True)
        figures = run_child("http" if server else kind, made.graph_dir, ox_dir, endpoint, args.step_timeout,
                            args.budget, parts)
        spec = endpoint or {"memory": "memory", "rdflib": "rdflib", "oxigraph": f"oxigraph:{ox_dir}"}[kind]
        if "cli" in parts and (not args.smoke or kind == "memory"):
            common = ["--store", spec, "--graph", str(made.graph_dir), "--format", "json"]
            for key, command in COMMANDS.items():
                figures[f"{key}_cli_s"], figures[f"{key}_cli_again_s"] = cli_runs([*command, *common],
                                                                                  args.cli_timeout)
        if "http" in parts and not server and (not args.smoke or kind == "memory"):
            figures.update(throughput(spec, made.graph_dir, args.requests))
        if server:
            server.terminate()
            server.wait(30)
        results["stores"][kind] = figures
        _save(args.out, size, results)
    return results


def _save(out: Path, size: str, result: dict) -> None:
    """Merge into ``out/scale.json``, so runs of single stores or sizes add up."""
    path = out / "scale.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    entry = saved.setdefault(size, {"stores": {}})
    entry["triples"] = result["triples"]
    entry["stores"].update(result["stores"])
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")


# -- the table ------------------------------------------------------------------------------------

COLUMNS = [
    ("load_s", "load s"), ("index_s", "of which the index of names and network s"),
    ("load_mb", "peak MB by the end of the load"), ("peak_mb", "peak MB (with the projection)"),
    ("queries_fast", "named queries under 0.2 s"), ("queries_stopped", "named queries stopped at the budget"),
    ("queries_max_s", "slowest finished named query s"), ("queries_total_s", "finished named queries, total s"),
    ("projection_s", "projection s"),
    ("show_warm_ms", "show warm ms"), ("path_first_ms", "path ms, first call (builds the index)"),
    ("path1_warm_ms", "path warm ms, 1 path"),
    ("path_warm_ms", "path warm ms, 3 paths"), ("neighbourhood_s", "neighbourhood s"),
    ("path_cli_s", "path CLI cold s"), ("path_cli_again_s", "path CLI again s (cache filled)"),
    ("show_cli_s", "show CLI cold s"), ("show_cli_again_s", "show CLI again s (cache filled)"),
    ("neighbours_cli_s", "neighbours CLI cold s"), ("neighbours_cli_again_s", "neighbours CLI again s"),
    ("qps", "HTTP q/s"), ("p50_ms", "HTTP p50 ms"), ("p99_ms", "HTTP p99 ms"),
]


def _summarise(figures: dict) -> dict:
    queries = [v for k, v in figures.items() if k.startswith("query:")]
    finished = [v for v in queries if isinstance(v, float)]
    if finished:
        figures["queries_max_s"] = max(finished)
        figures["queries_total_s"] = sum(finished)
    if queries:
        figures["queries_fast"] = f"{sum(v < 0.2 for v in finished)} of {len(queries)}"
        figures["queries_stopped"] = f"{len(queries) - len(finished)} of {len(queries)}"
    return figures


def _cell(value, base) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = f"{value:.3g}" if value < 1000 else f"{value:.0f}"
    if isinstance(base, float) and base:
        text += f" ({value / base:.2g}×)"
    return text


def table(results: dict) -> str:
    lines = []
    for size, result in results.items():
        stores = {kind: result["stores"][kind] for kind in STORES if kind in result["stores"]}
        for figures in stores.values():
            _summarise(figures)
        base = stores.get("rdflib", {})
        lines.append(f"\n### {size} ({result['triples']} triples; ratio to rdflib in memory in brackets)\n")
        lines.append("| measure | " + " | ".join(stores) + " |")
        lines.append("|---|" + "---|" * len(stores))
        for key, title in COLUMNS:
            if not any(key in f for f in stores.values()):
                continue
            comparable = key not in ("queries_max_s", "queries_total_s") or \
                str(base.get("queries_stopped", "0")).startswith("0 ")  # else the sets differ
            cells = [_cell(f.get(key), base.get(key) if comparable else None) for f in stores.values()]
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
        stopped = {k: f["stopped"] for k, f in stores.items() if f.get("stopped")}
        if stopped:
            lines.append(f"\nnot finished: {stopped}")
    return "\n".join(lines)


def _pair(first, again) -> str:
    return " / ".join("–" if v is None else (v if isinstance(v, str) else f"{v:.3g}") for v in (first, again))


def commands_table(results: dict) -> str:
    """The three commands per store, first call / again, beside issue 15's figures from before the index."""
    lines = []
    for size, result in results.items():
        stores = {kind: result["stores"][kind] for kind in STORES if kind in result["stores"]}
        if not any(f"{key}_cli_s" in f for f in stores.values() for key in COMMANDS):
            continue
        before = BEFORE.get(size, {})
        lines.append(f"\n### Commands at {size} ({result['triples']} triples): seconds, first call / again\n")
        heads = ["command", "goal", *(["before the index (oxigraph)"] if before else []), *stores]
        lines.append("| " + " | ".join(heads) + " |")
        lines.append("|---" * len(heads) + "|")
        for key, command in COMMANDS.items():
            cells = [" ".join(command), GOALS_AT.get(size, GOALS)[key], *([_pair(*before[key])] if before else [])]
            cells += [_pair(f.get(f"{key}_cli_s"), f.get(f"{key}_cli_again_s")) for f in stores.values()]
            lines.append("| " + " | ".join(cells) + " |")
        load = ["load s (with the index)", "", *([""] if before else [])]
        load += [_cell(f.get("load_s"), None) for f in stores.values()]
        peak = ["peak MB by the end of the load", "", *([""] if before else [])]
        peak += [_cell(f.get("load_mb"), None) for f in stores.values()]
        lines += ["| " + " | ".join(load) + " |", "| " + " | ".join(peak) + " |"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="Comma-separated: 10k, 100k, 1m, 10m.")
    parser.add_argument("--stores", default=",".join(STORES), help="Comma-separated: " + ", ".join(STORES))
    parser.add_argument("--smoke", action="store_true", help="10k only, CLI and HTTP on memory only, few requests.")
    parser.add_argument("--requests", type=int, default=2000, help="HTTP requests per throughput run.")
    parser.add_argument("--step-timeout", type=float, default=600, help="Seconds one measurement may take.")
    parser.add_argument("--budget", type=float, default=60,
                        help="Seconds rdflib may take on one query or projection before it is stopped.")
    parser.add_argument("--cli-timeout", type=float, default=180, help="Seconds a cold CLI run may take.")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="Comma-separated, besides the load: " + ", ".join(PARTS))
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--graph", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ox", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.graph, args.ox, args.endpoint, args.budget, set(args.parts.split(",")))
        return 0
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        parser.error(f"--parts: unknown {', '.join(sorted(parts - set(PARTS)))}; choose from {', '.join(PARTS)}")
    if args.smoke:
        args.sizes, args.requests, args.budget = "10k", min(args.requests, 300), min(args.budget, 3)
    stores = args.stores.split(",")
    sizes = args.sizes.split(",")
    for size in sizes:
        bench_size(size, args.out, stores, args, parts)
    saved = json.loads((args.out / "scale.json").read_text(encoding="utf-8"))
    print(table({size: saved[size] for size in sizes}))
    print(commands_table({size: saved[size] for size in sizes}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
