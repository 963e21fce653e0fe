"""Which file format the actor index should use: SQLite or memory-mapped arrays.

The work a ``kgraph path`` asks of the index: open it, find the actors
within two hops of two seeds and every edge among them. Measured on the
same network in two formats, in one process, best of several runs:

- ``sqlite``: the index as :mod:`kgraph.network.actorindex` writes it (B-tree
  indexes on each edge's ends, lists of ids passed as JSON);
- ``mmap``: the adjacency as two int32 arrays (CSR: an offset per actor,
  then each actor's (edge, other end) pairs), memory-mapped, read with
  ``memoryview.cast``; no parsing at open.

    .venv/bin/python bench/bench_index.py --size 1m
    .venv/bin/python bench/bench_index.py --smoke
"""

from __future__ import annotations

import argparse
import array
import json
import mmap
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

SEEDS = ("tokayev", "joe-biden")


def write_mmap(db: sqlite3.Connection, target: Path) -> None:
    actors = db.execute("SELECT COUNT(*) FROM actors").fetchone()[0]
    pairs: list[list[int]] = [[] for _ in range(actors)]
    for n, source, target_n in db.execute("SELECT n, source, target FROM edges ORDER BY n"):
        pairs[source] += (n, target_n)
        pairs[target_n] += (n, source)
    offsets, flat = array.array("i", [0]), array.array("i")
    for items in pairs:
        flat.extend(items)
        offsets.append(len(flat))
    with open(target, "wb") as out:
        out.write(array.array("i", [actors]).tobytes() + offsets.tobytes() + flat.tobytes())


def around_mmap(path: Path, seeds: list[int], depth: int) -> int:
    with open(path, "rb") as file:
        view = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)).cast("i")
    actors = view[0]
    offsets, flat = view[1:actors + 2], view[actors + 2:]
    seen, layer, touching = set(seeds), set(seeds), {}
    for hop in range(depth + 1):
        ends = set()
        for actor in layer:
            row = flat[offsets[actor]:offsets[actor + 1]]
            for i in range(0, len(row), 2):
                touching[row[i]] = (actor, row[i + 1])
                ends.add(row[i + 1])
        if hop == depth:
            break
        layer = ends - seen
        seen |= layer
    return sum(1 for a, b in touching.values() if a in seen and b in seen)


def around_sqlite(path: Path, seeds: list[int], depth: int) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    seen, layer, touching = set(seeds), set(seeds), {}
    for hop in range(depth + 1):
        ends = set()
        for column in ("source", "target"):
            for n, a, b in db.execute(f"SELECT n, source, target FROM edges WHERE {column} IN "
                                      "(SELECT value FROM json_each(?))", (json.dumps(sorted(layer)),)):
                touching[n] = (a, b)
                ends.update((a, b))
        if hop == depth:
            break
        layer = ends - seen
        seen |= layer
    db.close()
    return sum(1 for a, b in touching.values() if a in seen and b in seen)


def best(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv=None) -> int:
    from generate import SIZES, generate
    from kgraph.network.actorindex import build_index
    from kgraph.stores import open_store
    from kgraph.stores.loading import load_files

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=sorted(SIZES))
    parser.add_argument("--smoke", action="store_true", help="10k, one run.")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)
    size, runs = ("10k", 1) if args.smoke else (args.size, 5)
    work = Path(tempfile.mkdtemp(prefix="kgraph-index-formats-"))
    made = generate(SIZES[size], (work if args.smoke else args.out) / size)
    store_dir = work / "store"
    load_files(store_dir, sorted(made.graph_dir.glob("*.ttl")))
    store = open_store(f"oxigraph:{store_dir}")
    started = time.perf_counter()
    index = build_index(store, work / "index.sqlite")
    built = time.perf_counter() - started
    db = sqlite3.connect(index)
    numbers = [db.execute("SELECT n FROM actors WHERE id = ?", (seed,)).fetchone()[0] for seed in SEEDS]
    started = time.perf_counter()
    write_mmap(db, work / "adjacency.bin")
    written = time.perf_counter() - started
    db.close()
    edges = {name: around(path, numbers, 2) for name, around, path in (
        ("sqlite", around_sqlite, index), ("mmap", around_mmap, work / "adjacency.bin"))}
    assert edges["sqlite"] == edges["mmap"], edges
    print(f"{size}: {made.triples} triples; two hops around {' and '.join(SEEDS)}: {edges['sqlite']} edges")
    # sqlite: the whole index, from the store; mmap: the adjacency only, from the SQLite index
    print("| format | made s | file MB | open + two hops ms |")
    print("|---|---|---|---|")
    for name, around, path, seconds in (("sqlite", around_sqlite, index, built),
                                        ("mmap", around_mmap, work / "adjacency.bin", written)):
        ms = best(lambda: around(path, numbers, 2), runs) * 1000
        print(f"| {name} | {seconds:.2f} | {path.stat().st_size / 2**20:.1f} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
