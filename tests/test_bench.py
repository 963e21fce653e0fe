"""Every script in bench/ runs in its smoke mode (tiny size, one run) and prints its table,
so a moved import cannot break a documented benchmark unseen; the scale benchmark's
10k smoke run in detail."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

# Each one runs a script in a process of its own, some for many seconds: not in make check.
pytestmark = pytest.mark.slow

# Each script with --smoke, and lines of the table it must print.
SMOKE = {
    "bench_abuse.py": ["kgraph serve under load alone: 4 clients", "latency p50 / p99", "triples before / after"],
    "bench_drafts.py": ["curated claims,", "same post and actor pair", "right relation among them",
                        "right modality"],
    "bench_cli.py": ["command                       median s  ratio", "kgraph path Tokayev Biden",
                     "warm library shortest_paths:"],
    "bench_export.py": ["format      whole s  ratio  focus s      bytes", "graphml", "trig"],
    "bench_load.py": ["files: ", "load whole", "index ", "read actors", "named query no-wikidata",
                      "peak memory"],
    "bench_index.py": ["| format | made s | file MB | open + two hops ms |", "| sqlite |", "| mmap |"],
    "bench_ingest.py": ["dump: 0.2 MB", "ingest end to end:", "writer, "],
    "bench_viz.py": ["graph: 60 actors, 150 relations", "time to interactive (median of 1):"],
    "generate.py": ["triples, ", " actors, ", " claims"],
}


def _run(*args, timeout=240):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=timeout)


# What a script starts besides itself, for -m.
MARKS = {"bench_abuse.py": pytest.mark.server, "bench_viz.py": pytest.mark.browser}


@pytest.mark.parametrize("script", [pytest.param(s, marks=MARKS.get(s, ())) for s in sorted(SMOKE)])
def test_every_benchmark_runs_in_smoke_mode(script):
    if script == "bench_viz.py":
        from kgraph.viz.headless import find_chromium

        if find_chromium() is None:
            pytest.skip("chromium is not installed ('make browser')")
    done = _run(ROOT / "bench" / script, "--smoke")
    assert done.returncode == 0, done.stderr
    for line in SMOKE[script]:
        assert line in done.stdout, (script, line, done.stdout)


def test_run_all_runs_the_benchmarks_named_in_smoke_mode():
    done = _run(ROOT / "bench" / "run_all.py", "--smoke", "bench_ingest", "bench_export")
    assert done.returncode == 0, done.stderr
    assert done.stdout.index("== bench_ingest.py") < done.stdout.index("ingest end to end:") \
        < done.stdout.index("== bench_export.py") < done.stdout.index("format      whole s")
    unknown = _run(ROOT / "bench" / "run_all.py", "--smoke", "bench_nothing")
    assert unknown.returncode == 2 and "unknown benchmark 'bench_nothing'" in unknown.stderr


def test_generator_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    first = generate(10_000, tmp_path / "a")
    second = generate(10_000, tmp_path / "b")
    assert (first.graph_dir / "synthetic.ttl").read_bytes() == (second.graph_dir / "synthetic.ttl").read_bytes()
    assert 9_000 < first.triples < 11_000 and first.hubs[:2] == second.hubs[:2]


@pytest.mark.server  # serves each store over HTTP for its q/s figure
def test_scale_smoke(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| load s |" in done.stdout and "| HTTP q/s |" in done.stdout
    assert "### Commands at 10k" in done.stdout and "| neighbours Masimov | < 1 s |" in done.stdout
    results = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))["10k"]
    stores = results["stores"]
    assert set(stores) == {"rdflib", "memory", "oxigraph", "http", "kgraph-serve"}
    for kind, figures in stores.items():
        assert "stopped" not in figures, (kind, figures)
        if kind != "rdflib":  # rdflib may pass the smoke run's 3 s budget on a busy machine
            assert isinstance(figures["projection_s"], float) and isinstance(figures["neighbourhood_s"], float)
    assert stores["memory"]["http_errors"] == 0 and stores["memory"]["qps"] > 0
    assert stores["memory"]["actors"] > 700 and stores["memory"]["path_warm_ms"] > 0
    assert all(isinstance(stores["memory"][f"{key}_cli_s"], float) for key in ("path", "show", "neighbours"))


def test_a_graph_of_the_same_recipe_is_reused(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate, reuse_or_generate

    made = generate(10_000, tmp_path)
    synthetic = made.graph_dir / "synthetic.ttl"
    text = synthetic.read_bytes()
    synthetic.write_bytes(text.replace(b"kg:", b"KG:", 1))  # same size: taken for the same file
    assert reuse_or_generate(10_000, tmp_path) == made and synthetic.read_bytes() != text
    synthetic.write_bytes(text[:100])  # cut short: made again
    assert reuse_or_generate(10_000, tmp_path) == made and synthetic.read_bytes() == text
    other = reuse_or_generate(10_000, tmp_path, seed=7)  # another recipe: made anew
    assert synthetic.read_bytes() != text and other.triples > 9_000
