"""Shared fixtures: the repository, a fresh build of the frozen fixture dataset, a CLI runner.

Behaviour tests read ``DATA``, a frozen copy of the bundled dataset under
``tests/fixtures/data``, so curating ``data/`` never changes their answers.
Tests about the bundled data itself read ``BUNDLED_DATA`` and say so in their
names (tests/test_bundled_data.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "fixtures" / "data"  # frozen: change it only with the tests that pin its answers
BUNDLED_DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
GRAPH = ROOT / "graph"
DATASET = "kazakhstan-2022"
SEED = DATA / DATASET / "thread.txt"  # the thread as saved, the source of the dataset


# A test that uses one of these fixtures starts what the fixture starts, so it carries the
# fixture's marker however it is written, and `make check` leaves it out.
MARK_BY_FIXTURE = {"oxigraph_server": "server"}


@pytest.hookimpl(tryfirst=True)  # mark before -m deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, mark in MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Tests never read or write the user's ~/.cache/kgraph.
    monkeypatch.setenv("KGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "kgraph-cache"))


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    # Tables wrap to COLUMNS; a test that wants a width sets it, so neither the user's nor the
    # one pytest-xdist gives its workers (80) wraps the tables other tests read.
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory) -> Path:
    """A fresh build (Turtle and HTML) of the fixture dataset, in a temp folder."""
    from kgraph.compose import build

    out = tmp_path_factory.mktemp("graph")
    build(DATA, ONTOLOGY, out, html=True)
    return out


#: one actor more, linked to nothing: Turtle to add to a loaded store
UNLINKED_ACTOR = ("@prefix kg: <https://kgraph.example/ns#> .\n"
                  "<https://kgraph.example/id/actor/new-one> kg:actorType \"person\" ;\n"
                  "  <http://www.w3.org/2000/01/rdf-schema#label> \"Newton Oneworth\"@en .\n")


def synthetic_store(tmp_path_factory):
    """The 10k graph of ``bench/generate.py`` loaded into an on-disk store (no index yet)."""
    import sys

    from kgraph.stores import open_store
    from kgraph.stores.loading import load_files

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    out = tmp_path_factory.mktemp("synthetic")
    made = generate(10_000, out)
    load_files(out / "store", sorted(made.graph_dir.glob("*.ttl")))
    return open_store(f"oxigraph:{out / 'store'}")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the fixture data to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def store(built_dir):
    from kgraph.stores import open_store

    return open_store("memory", graph_dir=built_dir)


@pytest.fixture(scope="session")
def projection(store):
    from kgraph.network.projection import fetch_projection

    return fetch_projection(store)


@pytest.fixture(scope="session")
def fixture_claims():
    """The fixture dataset's claims as written: tests derive expected counts and ids from these
    rather than repeat them."""
    from kgraph.source.reading import read_dataset

    dataset, problems = read_dataset(DATA / DATASET)
    assert not problems, problems
    return dataset.claims


@pytest.fixture(scope="session")
def open_kind(built_dir, tmp_path_factory):
    """Open the bundled graph in a store of a kind: memory, rdflib, oxigraph (kgraph load) or http
    (kgraph serve, started on first use). One store per kind for the session."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from kgraph.stores import open_store
    from kgraph.stores.loading import load_files

    stores, processes = {}, []

    def serve() -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen([str(Path(sys.executable).parent / "kgraph"), "serve", "--graph", str(built_dir),
                                    "--port", str(port), "--workers", "2"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, f"kgraph serve exited with {process.returncode}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    return f"http://127.0.0.1:{port}/sparql"
            except OSError:
                time.sleep(0.1)
        raise AssertionError("kgraph serve did not come up")

    def open_(kind: str):
        if kind not in stores:
            if kind == "oxigraph":
                path = tmp_path_factory.mktemp("oxigraph") / "store"
                load_files(path, sorted(built_dir.glob("*.ttl")))
                stores[kind] = open_store(f"oxigraph:{path}")
            elif kind == "http":
                stores[kind] = open_store(serve())
            else:
                stores[kind] = open_store(kind, graph_dir=built_dir)
        return stores[kind]

    yield open_
    for process in processes:
        process.kill()
        process.wait(10)
