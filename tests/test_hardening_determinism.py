"""Same input, same bytes out: whatever the hash seed and the order of the data files.

Five ``kgraph build`` subprocesses, each with its own PYTHONHASHSEED and its
own shuffled copy of the data (posts, actors, claims, the keys inside every
entry and the lists inside them that carry no order, such as aliases), must
write exactly the bytes of a build from the data as it is.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import DATA, DATASET, ONTOLOGY
from hardening import STRESS
from kgraph.compose import build
from kgraph.rdf.manifest import MANIFEST

RUNS = 20 if STRESS else 5
# Lists whose order means nothing to the graph (post text and quote order do matter: they are verbatim).
UNORDERED = {"posts", "actors", "claims", "aliases", "mentions", "quantities"}


def _shuffled(node, rng: random.Random, key=None):
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng, k) for k, v in items}
    if isinstance(node, list):
        items = [_shuffled(v, rng) for v in node]
        if key in UNORDERED:
            rng.shuffle(items)
        return items
    return node


def write_shuffled(source: Path, target: Path, seed: int) -> None:
    """A copy of the dataset folders in ``source`` with every unordered thing in a new order."""
    rng = random.Random(seed)
    safe = YAML(typ="safe")
    out = YAML(typ="safe")
    out.default_flow_style = False
    out.allow_unicode = True
    out.width = 10**6
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        (target / folder.name).mkdir(parents=True)
        for file in sorted(folder.glob("*.yaml")):
            buffer = io.StringIO()
            out.dump(_shuffled(safe.load(file.read_text(encoding="utf-8")), rng), buffer)
            (target / folder.name / file.name).write_text(buffer.getvalue(), encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_shuffle_really_reorders(tmp_path):
    write_shuffled(DATA, tmp_path, seed=1)
    original = (DATA / DATASET / "actors.yaml").read_text(encoding="utf-8")
    shuffled = (tmp_path / DATASET / "actors.yaml").read_text(encoding="utf-8")
    first = lambda text: text[text.index("- ") - 1:][:200]  # noqa: E731 - the first entry of the list
    assert first(original) != first(shuffled)


@pytest.mark.slow
def test_same_bytes_across_hash_seeds_and_shuffled_data(tmp_path):
    reference = tmp_path / "reference"
    build(DATA, ONTOLOGY, reference, html=True)
    expected = _files(reference)
    assert sorted(expected) == sorted([f"{DATASET}.html", f"{DATASET}.ttl", MANIFEST])
    runs = []
    for run in range(RUNS):
        data = tmp_path / f"data-{run}"
        write_shuffled(DATA, data, seed=run)
        out = tmp_path / f"out-{run}"
        env = {**os.environ, "PYTHONHASHSEED": str(run * 7919 + 1)}
        runs.append((out, subprocess.Popen(
            [sys.executable, "-m", "kgraph", "build", "--data", str(data), "--ontology", str(ONTOLOGY),
             "--out", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    for out, proc in runs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
        got = _files(out)
        assert got.keys() == expected.keys()
        for name in expected:
            assert got[name] == expected[name], f"{out.name}/{name} differs from the reference build"


@pytest.mark.stress
def test_same_bytes_when_entries_move_between_files(tmp_path):
    """Posts, actors and claims split over other files than usual build the same graph."""
    safe = YAML(typ="safe")
    docs = {f.name: safe.load(f.read_text(encoding="utf-8")) for f in (DATA / DATASET).glob("*.yaml")}
    target = tmp_path / "data" / DATASET
    target.mkdir(parents=True)
    out = YAML(typ="safe")
    out.allow_unicode = True
    out.width = 10**6
    parts = {"meta.yaml": {k: v for k, v in docs["thread.yaml"].items() if k != "posts"}}
    for i, section in enumerate(("posts", "actors", "claims")):
        entries = next(d[section] for d in docs.values() if section in d)
        parts[f"part-{i}.yaml"] = {section: entries[::2]}
        parts[f"part-{i}b.yaml"] = {section: entries[1::2]}
    for name, doc in parts.items():
        buffer = io.StringIO()
        out.dump(doc, buffer)
        (target / name).write_text(buffer.getvalue(), encoding="utf-8")
    build(tmp_path / "data", ONTOLOGY, tmp_path / "a", html=True)
    build(DATA, ONTOLOGY, tmp_path / "b", html=True)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
