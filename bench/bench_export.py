"""Time `kgraph export` per format, whole graph and focused, against the plain approach.

For the RDF formats the plain approach is pyoxigraph alone: load the built
Turtle and serialize it (what `oxigraph convert` does, with no store
interface, no sorting and no named graphs). For the network formats it is
loading the projection, which every network export starts with. Prints the
median of N in-process runs (projection cache warm) and the ratio.

    .venv/bin/python bench/generate.py 100k --out bench/out/100k
    .venv/bin/python bench/bench_export.py --graph bench/out/100k/graph --runs 3
    .venv/bin/python bench/bench_export.py --smoke   # the bundled graph, one run (tests)
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--graph", default=str(Path(__file__).resolve().parent.parent / "graph"))
    parser.add_argument("--focus", default="Tokayev")
    parser.add_argument("--smoke", action="store_true", help="one run: does it still run?")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1

    import pyoxigraph as ox

    from kgraph.exporters import FORMATS, export
    from kgraph.network.projection import load_projection
    from kgraph.stores import graph_files

    files = graph_files(args.graph)
    load_projection(graph_dir=args.graph)  # fill the cache, as the first real run would

    def plain_rdf():
        store = ox.Store()
        for file in files:
            store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
        store.dump(format=ox.RdfFormat.N_QUADS)

    plain = {
        "network": median_time(lambda: load_projection(graph_dir=args.graph), args.runs),
        "rdf": median_time(plain_rdf, args.runs),
    }
    triples = sum(1 for file in files for _ in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))
    print(f"graph: {args.graph} ({triples} triples)")
    print(f"plain: load projection {plain['network']:.3f} s, pyoxigraph load+dump {plain['rdf']:.3f} s")
    print(f"{'format':10} {'whole s':>8} {'ratio':>6} {'focus s':>8} {'bytes':>10}")
    for name, spec in FORMATS.items():
        sizes = [sum(map(len, export(name, graph_dir=args.graph).files.values()))]  # imports the writer
        whole = median_time(lambda: sizes.append(sum(map(len, export(name, graph_dir=args.graph).files.values()))),
                            args.runs)
        focus = median_time(lambda: export(name, graph_dir=args.graph, focus=args.focus, depth=1), args.runs)
        print(f"{name:10} {whole:8.3f} {whole / plain[spec.kind]:6.1f} {focus:8.3f} {sizes[-1]:10}")


if __name__ == "__main__":
    main()
