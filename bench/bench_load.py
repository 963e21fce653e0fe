"""Where the time of ``kgraph load`` goes: the files' steps, the index's, and each named query.

Does what ``kgraph load --replace`` does (``load_files``, then the actor index
with the named queries' answers) and prints the seconds of each step, the
peak memory of the process, and the machine's load (timings on a shared
machine are noisy: compare runs made in the same conditions).
The named queries run in a thread beside the index's reading: their seconds
overlap the others', and the index waits for them at "wait for the named queries".

    .venv/bin/python bench/bench_load.py /work/big/1m/graph/*.ttl --store /tmp/s1m
    .venv/bin/python bench/bench_load.py --store /tmp/s1m --index-only     # the index of a loaded store again
    .venv/bin/python bench/bench_load.py --smoke
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def _table(title: str, steps: dict[str, float], total: float) -> None:
    print(f"{title:<44} {total:8.2f} s")
    for name, seconds in steps.items():
        print(f"  {name:<42} {seconds:8.2f} s")


def main(argv: list[str]) -> int:
    from kgraph.network.actorindex import build_index
    from kgraph.stores import open_store
    from kgraph.stores.loading import load_files

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--store", type=Path, help="the store folder to fill (replaced)")
    parser.add_argument("--index-only", action="store_true", help="build the index of --store again, load nothing")
    parser.add_argument("--smoke", action="store_true", help="the bundled graph into a temporary store")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        if args.smoke:
            args.store, args.files = Path(scratch) / "store", [HERE.parent / "graph" / "kazakhstan-2022.ttl"]
        if args.store is None or not (args.files or args.index_only):
            parser.error("give --store and the files to load (or --index-only, or --smoke)")
        print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (load average)")
        started = time.perf_counter()
        if not args.index_only:
            report = load_files(args.store, args.files, replace=True)
            _table(f"files: {report.triples} triples", report.steps, report.seconds)
        store = open_store(f"oxigraph:{args.store}")
        steps: dict[str, float] = {}
        begun = time.perf_counter()
        try:
            build_index(store, answers=True, steps=steps)
        finally:
            store.close()
        index_steps = {k: v for k, v in steps.items() if k.startswith("index: ")}
        _table("index", {k[len("index: "):]: v for k, v in index_steps.items()}, time.perf_counter() - begun)
        queries = dict(sorted(((k, v) for k, v in steps.items() if k not in index_steps), key=lambda kv: -kv[1]))
        _table("named queries (in a thread)", queries, sum(queries.values()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"total: {time.perf_counter() - started:.1f} s, peak memory {peak:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
