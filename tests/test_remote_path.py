"""A path over a remote endpoint, fetched with only the evidence it shows, answers as a full fetch does.

The 10k synthetic graph is served by ``oxigraph serve-read-only``; each path is asked of the
endpoint (the light neighbourhood: edges from the layer queries, claims and quotes of the hops
shown), of the same endpoint through today's full fetch of the neighbourhood, and of the on-disk
store itself (its index), for a seeded sample of actor pairs and every option of ``kgraph path``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import synthetic_store
from kgraph.errors import KgraphError
from kgraph.graph import KGraph
from kgraph.network import neighbourhood
from kgraph.network.neighbourhood import fetch_degrees
from servers import free_port, wait_until_up


class _FullFetch(KGraph):
    """Today's remote path: the whole neighbourhood with every edge's evidence, fetched up front."""

    def around(self, names, depth, *, light=False):
        return super().around(names, depth)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = synthetic_store(tmp_path_factory)
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "oxigraph"), "serve-read-only", "--location",
                                str(store.path), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(f"{endpoint}?query=ASK%7B%7D", process)
        yield store, endpoint
    finally:
        process.terminate()
        process.wait(10)


def _answer(graph: KGraph, source: str, target: str, options: dict):
    try:
        return graph.path(source, target, **options).to_json()
    except KgraphError as error:
        return type(error).__name__, str(error)


@pytest.mark.server
@pytest.mark.slow
def test_remote_paths_are_those_of_the_full_fetch_and_of_the_index(served, monkeypatch):
    # Blocks of 50: the 10k graph's neighbourhoods then take several, and --modality's claims
    # are asked for by their sources, as thousands of edges are at 1M.
    monkeypatch.setattr(neighbourhood, "BATCH", 50)
    store, endpoint = served
    local, remote, full = KGraph(store=store), KGraph(endpoint), _FullFetch(endpoint)
    rng = random.Random(15)
    linked = sorted(fetch_degrees(store))
    pairs = [("tokayev", "joe-biden")]
    while len(pairs) < 11:  # pairs with a path: most random pairs of the 10k graph have none
        pair = tuple(rng.sample(linked, 2))
        pairs += [pair] if isinstance(_answer(local, *pair, {}), str) else []
    found = local.path("tokayev", "joe-biden", max_hops=3)
    middle = found.paths[0].hops[0].target
    options = [{}, {"max_hops": 3}, {"max_hops": 5}, {"k": 6}, {"directed": True},
               {"avoid_hubs": True, "max_hops": 4}, {"relations": ["loyalTo", "memberOf"]},
               {"families": ["cooperation", "membership"]}, {"modalities": "stated"},
               {"modalities": ("assessed", "stated")}, {"exclude": [middle]}, {"max_hops": 3, "exclude": [middle]}]
    paths = 0
    for source, target in pairs:
        for option in options:
            expected = _answer(local, source, target, option)
            assert _answer(full, source, target, option) == expected, (source, target, option)
            assert _answer(remote, source, target, option) == expected, (source, target, option)
            paths += isinstance(expected, str)
    assert paths > len(pairs) * len(options) // 2, "most questions have paths to compare"


@pytest.mark.server
def test_a_remote_path_fetches_the_evidence_of_the_hops_shown_only(served):
    _, endpoint = served
    remote = KGraph(endpoint)
    (_, _), near = remote.around(["tokayev", "joe-biden"], 2, light=True)
    assert near.edges and not any(edge.evidence for edge in near.edges), "claims wait for claims() or complete()"
    assert not near.actors.read, "actor records wait until read"
    shown = near.edges[:3]
    near.complete(shown)
    assert all(e.quote for edge in shown for e in edge.evidence)
    assert sum(bool(edge.evidence) for edge in near.edges) <= 3
    assert set(near.actors.read) == {end for edge in shown for end in (edge.source, edge.target)}


@pytest.mark.server
def test_claims_asked_for_by_their_sources_are_those_asked_for_by_edge(served, monkeypatch):
    from dataclasses import asdict

    monkeypatch.setattr(neighbourhood, "BATCH", BATCH := 50)
    _, endpoint = served
    remote = KGraph(endpoint)
    (_, _), by_source = remote.around(["tokayev", "joe-biden"], 2, light=True)
    (_, _), by_edge = remote.around(["tokayev", "joe-biden"], 2, light=True)
    assert len(by_source.edges) > BATCH, "enough edges to be asked for by their sources"
    by_source.claims(by_source.edges)
    for at in range(0, len(by_edge.edges), BATCH):
        by_edge.claims(by_edge.edges[at:at + BATCH])
    assert [asdict(e) for e in by_source.edges] == [asdict(e) for e in by_edge.edges]
    assert sum(len(e.evidence) for e in by_source.edges) > len(by_source.edges) // 2


def test_an_actor_with_a_type_alone_is_no_hop_of_a_remote_path(built_dir, tmp_path):
    from kgraph.stores import open_store
    from kgraph.stores.loading import load_files

    ghost = tmp_path / "ghost.ttl"
    ghost.write_text("@prefix kg: <https://kgraph.example/ns#> .\n@prefix actor: <https://kgraph.example/id/actor/> .\n"
                     'actor:ghost kg:actorType "person" .\n'
                     "actor:tokayev kg:loyalTo actor:ghost .\nactor:ghost kg:loyalTo actor:joe-biden .\n",
                     encoding="utf-8")
    load_files(tmp_path / "store", [*sorted(built_dir.glob("*.ttl")), ghost])
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    light, full = KGraph(store=store), _FullFetch(store=store)
    light._index = full._index = None  # as a remote store has none
    # The index, like the full fetch, has no actor without a name, description, Wikidata id or background.
    expected = KGraph(store=store).path("Tokayev", "Biden").to_json()
    assert "ghost" not in expected
    assert light.path("Tokayev", "Biden").to_json() == full.path("Tokayev", "Biden").to_json() == expected
