"""Crash safety: ``kill -9`` at random points never leaves a broken or half-written file.

Each kill lands somewhere in a real ``kgraph build`` subprocess. Afterwards
every output file is whole — the bytes of the build before or of the build
that was killed — and a temp file left by the kill is removed by the next
write into the folder. Half the runs slow each fsync down (fault injection)
so that kills land inside the short write phase, not only before it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import DATA, DATASET, ONTOLOGY
from hardening import STRESS
from kgraph.compose import build
from kgraph.util.atomic import clean_stale_temp_files, write_all_atomic, write_atomic

KILLS = 100 if STRESS else 20
SLOW_FSYNC = ("import os, sys, time\n"
              "_fsync = os.fsync\n"
              "os.fsync = lambda fd: (time.sleep(0.1), _fsync(fd))[1]\n"
              "from kgraph.cli import main\n"
              "main(prog_name='kgraph')\n")


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kgraph-"))


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def _start_build(data: Path, out: Path, slow: bool) -> subprocess.Popen:
    head = [sys.executable, "-c", SLOW_FSYNC] if slow else [sys.executable, "-m", "kgraph"]
    return subprocess.Popen([*head, "build", "--data", str(data), "--ontology", str(ONTOLOGY), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two versions of the data and the files each builds to."""
    root = tmp_path_factory.mktemp("versions")
    found = {}
    for name, label in (("a", "Kassym-Jomart Tokayev"), ("b", "Kassym-Jomart Tokayev (version b)")):
        data = root / name / "data"
        shutil.copytree(DATA, data)
        actors = data / DATASET / "actors.yaml"
        actors.write_text(actors.read_text(encoding="utf-8").replace(
            "en: Kassym-Jomart Tokayev", f"en: {label}", 1), encoding="utf-8")
        build(data, ONTOLOGY, root / name / "graph", html=True)
        found[name] = (data, _outputs(root / name / "graph"))
    assert found["a"][1].keys() == found["b"][1].keys() and found["a"][1] != found["b"][1]
    return found


def _wait_for_temp_file(out: Path, proc: subprocess.Popen, limit: float) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline and proc.poll() is None and not _temps(out):
        time.sleep(0.002)


def _kill_lane(versions, out: Path, kills: int, duration: float, seed: int) -> Counter:
    """Start builds into ``out`` and kill each at a random moment; count what the kills left."""
    rng = random.Random(seed)
    outcomes = Counter()
    for i in range(kills):
        before = _outputs(out)
        target = "b" if before[f"{DATASET}.ttl"] == versions["a"][1][f"{DATASET}.ttl"] else "a"
        data, expected = versions[target]
        slow = i % 2 == 1
        proc = _start_build(data, out, slow)
        if slow:
            # Aim inside the write phase: a random moment after the first temp file appears.
            _wait_for_temp_file(out, proc, limit=duration * 3)
            time.sleep(rng.uniform(0, 0.25))
        else:
            time.sleep(rng.uniform(0.1, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        after = _outputs(out)
        assert after.keys() == before.keys()
        for name, content in after.items():
            assert content in (before[name], expected[name]), f"kill {i}: {name} is neither old nor new"
        states = {"old" if after[n] == before[n] else "new" for n in after}
        outcomes["mixed" if len(states) == 2 else states.pop()] += 1
        outcomes["temp files left"] += bool(_temps(out))
    return outcomes


@pytest.mark.slow
def test_kill_9_at_random_points_leaves_whole_files(versions, tmp_path):
    started = time.perf_counter()
    proc = _start_build(versions["b"][0], tmp_path / "timing", slow=False)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    duration = time.perf_counter() - started
    outs = []
    for n in range(2):
        outs.append(tmp_path / f"graph-{n}")
        shutil.copytree(Path(versions["a"][0]).parent / "graph", outs[-1])
    # Two output folders killed side by side, so both cores work.
    with ThreadPoolExecutor(2) as pool:
        lanes = [pool.submit(_kill_lane, versions, out, KILLS // 2, duration, seed) for seed, out in enumerate(outs)]
        outcomes = sum((lane.result() for lane in lanes), Counter())
    assert outcomes["old"] + outcomes["new"] + outcomes["mixed"] == KILLS
    assert outcomes["temp files left"] > 0, f"no kill landed in the write phase: {dict(outcomes)}"
    for out in outs:
        proc = _start_build(versions["a"][0], out, slow=False)
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
        assert _outputs(out) == versions["a"][1]
        assert _temps(out) == [], "the next build must remove the temp files of killed builds"
    print(f"\n{KILLS} kills: {dict(outcomes)}")


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".kgraph-x.ttl.{dead.pid}-abc123.tmp"
    live = tmp_path / f".kgraph-x.ttl.{os.getpid()}-def456.tmp"
    others = [tmp_path / ".kgraph-notes.txt", tmp_path / "x.ttl.1-a.tmp", tmp_path / ".kgraph-y.ttl.9x-a.tmp"]
    for path in (stale, live, *others):
        path.write_bytes(b"half")
    write_atomic(tmp_path / "x.ttl", b"whole")
    assert not stale.exists()
    assert live.exists() and all(p.exists() for p in others)
    assert (tmp_path / "x.ttl").read_bytes() == b"whole"
    assert clean_stale_temp_files(tmp_path) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    (tmp_path / "a.ttl").write_bytes(b"old a")

    class Unwritable(dict):
        def items(self):
            yield tmp_path / "a.ttl", b"new a"
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_all_atomic(Unwritable())
    assert (tmp_path / "a.ttl").read_bytes() == b"old a"
    assert _temps(tmp_path) == []


# --- ingest, export and load -----------------------------------------------------------

OTHER_KILLS = 50 if STRESS else 4  # per command; with the build's 20, CI kills 32 times


def _thread_versions(root: Path) -> tuple[Path, Path]:
    a = root / "thread-a.txt"
    b = root / "thread-b.txt"
    seed = (DATA / DATASET / "thread.txt").read_text(encoding="utf-8")
    a.write_text(seed, encoding="utf-8")
    b.write_text(seed.replace("Die Lage in #Kasachstan", "Die Lage in #Kasachstan (version b)", 1), encoding="utf-8")
    return a, b


def _store_state(path: Path):
    """What a reader of ``oxigraph:PATH`` sees: the number of triples and Tokayev's English label."""
    from kgraph.stores import open_store

    store = open_store(f"oxigraph:{path}")
    try:
        rows = store.query("SELECT ?l WHERE { actor:tokayev rdfs:label ?l FILTER(LANG(?l) = 'en') }").rows
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        return int(count), str(rows[0][0])
    finally:
        store.close()


def _commands(versions, root: Path):
    """For each command: (argv for version a/b, how to read its output, the two expected outputs)."""
    graphs = {v: Path(versions[v][0]).parent / "graph" for v in "ab"}
    threads = _thread_versions(root)
    ingest_out = root / "ingested"
    export_out = root / "export.ttl"
    store = root / "store"

    def ingest(v):
        return ["ingest", str(threads["ab".index(v)]), "--data", str(DATA), "--out", str(ingest_out),
                "--name", "killed", "--force"]

    def export(v):
        return ["export", "--format", "ttl", "--graph", str(graphs[v]), "--out", str(export_out)]

    def load(v):
        return ["load", "--store", f"oxigraph:{store}", "--replace", str(graphs[v] / f"{DATASET}.ttl")]

    def read_ingested():
        return _outputs(ingest_out / "killed")

    def read_export():
        return export_out.read_bytes()

    def read_store():
        return _store_state(store)

    return [("ingest", ingest, read_ingested), ("export", export, read_export), ("load", load, read_store)]


def _run_kgraph(args) -> None:
    done = subprocess.run([sys.executable, "-m", "kgraph", *args], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["ingest", "export", "load"])
def test_kill_9_during_ingest_export_and_load(versions, tmp_path, command):
    name, argv, read = next(c for c in _commands(versions, tmp_path) if c[0] == command)
    expected = {}
    for v in "ab":
        _run_kgraph(argv(v))
        expected[v] = read()
    assert expected["a"] != expected["b"]
    started = time.perf_counter()
    _run_kgraph(argv("a"))
    duration = time.perf_counter() - started
    rng = random.Random(command)
    folder = {"ingest": tmp_path / "ingested" / "killed", "export": tmp_path, "load": tmp_path}[command]
    for i in range(OTHER_KILLS):
        before = read()
        target = "b" if before == expected["a"] else "a"
        proc = subprocess.Popen([sys.executable, "-m", "kgraph", *argv(target)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, duration * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert read() in (before, expected[target]), f"{name}: kill {i} left a broken output"
    _run_kgraph(argv("a"))
    assert read() == expected["a"]
    assert _temps(folder) == [] and not list(tmp_path.glob(".store.*")), sorted(p.name for p in tmp_path.iterdir())


def test_a_load_killed_between_its_renames_loses_nothing(versions, tmp_path):
    from kgraph.stores.loading import displaced, load_files

    store = tmp_path / "store"
    graphs = {v: Path(versions[v][0]).parent / "graph" / f"{DATASET}.ttl" for v in "ab"}
    load_files(store, [graphs["a"]])
    before = _store_state(store)
    store.rename(displaced(store))  # where a kill after the first rename of the swap leaves it
    assert _store_state(store) == before  # readers find the previous store
    load_files(store, [graphs["b"]])  # adding to it, as the killed load would have
    count, label = _store_state(store)
    assert label == "Kassym-Jomart Tokayev (version b)" and count > before[0]
    assert not displaced(store).exists()
