"""Start-up cost of `kgraph path` and `kgraph show` against bare Python with rdflib and networkx.

Prints the median wall time of N runs of each command as a fresh process (the
way a user runs it: projection cache warm, kgraph's bytecode written by the
first run) and its ratio to `python -c "import rdflib, networkx"`, the floor
for any tool built on them. Targets (issue 15): path at most 1.3x, show at most
0.5x. Also prints the warm library call for comparison.

    .venv/bin/python bench/bench_cli.py [--runs 15] [--graph graph]
    .venv/bin/python bench/bench_cli.py --smoke      # one run of each (tests)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

KGRAPH = [sys.executable, "-m", "kgraph"]
# As on a user's machine, Python keeps the bytecode of kgraph's modules after the first run (the
# libraries' was written by pip). With PYTHONDONTWRITEBYTECODE set (some CI images set it) every
# run compiled kgraph's source again: a quarter of `kgraph show`.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--graph", default=str(Path(__file__).resolve().parent.parent / "graph"))
    parser.add_argument("--smoke", action="store_true", help="one run of each: does it still run?")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1

    cases = {
        "path Tokayev Biden": [*KGRAPH, "path", "Tokayev", "Biden", "--graph", args.graph],
        "show Masimov": [*KGRAPH, "show", "Masimov", "--graph", args.graph],
        "path --format json": [*KGRAPH, "path", "Toqajev", "Masimov", "--format", "json", "--graph", args.graph],
    }
    for cmd in cases.values():  # fill the projection cache once, as the first real run would
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    baseline = wall([sys.executable, "-c", "import rdflib, networkx"], args.runs)
    print(f"{'command':28} {'median s':>9} {'ratio':>6}")
    print(f"{'python -c import rdflib, networkx':28} {baseline:9.3f} {1:6.2f}")
    for name, cmd in cases.items():
        t = wall(cmd, args.runs)
        print(f"{'kgraph ' + name:28} {t:9.3f} {t / baseline:6.2f}")

    from kgraph.network.algorithms import shortest_paths
    from kgraph.network.projection import load_projection

    projection = load_projection(graph_dir=args.graph)
    calls = 1 if args.smoke else 100
    start = time.perf_counter()
    for _ in range(calls):
        shortest_paths(projection, "tokayev", "joe-biden")
    print(f"warm library shortest_paths: {(time.perf_counter() - start) * 1000 / calls:.2f} ms per call")


if __name__ == "__main__":
    main()
