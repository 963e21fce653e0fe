"""The scale benchmark's 10k smoke run: it runs end to end and prints a full table."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_generator_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    first = generate(10_000, tmp_path / "a")
    second = generate(10_000, tmp_path / "b")
    assert (first.graph_dir / "synthetic.ttl").read_bytes() == (second.graph_dir / "synthetic.ttl").read_bytes()
    assert 9_000 < first.triples < 11_000 and first.hubs[:2] == second.hubs[:2]


def test_scale_smoke(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| load s |" in done.stdout and "| HTTP q/s |" in done.stdout
    results = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))["10k"]
    stores = results["stores"]
    assert set(stores) == {"rdflib", "memory", "oxigraph", "http"}
    for kind, figures in stores.items():
        assert "stopped" not in figures, (kind, figures)
        if kind != "rdflib":  # rdflib may pass the smoke run's 3 s budget on a busy machine
            assert isinstance(figures["projection_s"], float) and isinstance(figures["neighbourhood_s"], float)
    assert stores["memory"]["http_errors"] == 0 and stores["memory"]["qps"] > 0
    assert stores["memory"]["actors"] > 700 and stores["memory"]["path_warm_ms"] > 0
