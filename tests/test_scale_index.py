"""The index beside an on-disk store answers as the full projection does, and is never trusted stale."""

from __future__ import annotations

import random
import sqlite3
import sys
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from conftest import UNLINKED_ACTOR, synthetic_store
from kgraph.errors import KgraphError, NoPath
from kgraph.network.actorindex import ActorIndex, build_index, index_path, open_index
from kgraph.network.algorithms import neighbours, shortest_paths
from kgraph.network.names import NameIndex
from kgraph.network.neighbourhood import path_depth
from kgraph.network.projection import fetch_projection
from kgraph.stores import open_store
from kgraph.stores.loading import load_files


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The 10k synthetic graph in an on-disk store, its index, and its full projection."""
    store = synthetic_store(tmp_path_factory)
    return store, open_index(store), fetch_projection(store)


def _answer(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except KgraphError as error:
        return type(error).__name__, str(error)


@pytest.mark.slow
def test_names_resolve_as_a_name_index_of_the_whole_projection(synthetic):
    _, index, full = synthetic
    stored, built = index.names(), NameIndex(full.actors.values())
    rng = random.Random(15)
    typed = ["Biden", "Toqajev", "Токаев", "Massimof", "National Security Committee", "Regierung", "zzzz"]
    for actor in rng.sample(sorted(full.actors.values(), key=lambda a: a.id), 60):
        name = rng.choice(NameIndex.names_of(actor))
        typed += [name, name.upper(), name[:-1], name[1:] + "x", " ".join(name.split()[:2])]
    for name in typed:
        expected = _answer(lambda n: built.match(n).to_dict(), name)
        assert _answer(lambda n: stored.match(n).to_dict(), name) == expected, name


@pytest.mark.slow
def test_paths_and_neighbours_are_those_of_the_whole_projection(synthetic):
    store, index, full = synthetic
    rng = random.Random(2022)
    ids = sorted(full.actors)
    linked = sorted(a for a, n in full.degree().items() if n)  # most actors of the sample are isolated
    pairs = [("tokayev", "joe-biden")] + [tuple(rng.sample(linked, 2)) for _ in range(60)]
    found_some = 0
    for source, target in pairs:
        near = index.neighbourhood([source, target], path_depth(6))
        try:
            expected = [p.to_dict(full.actors) for p in shortest_paths(full, source, target, max_hops=6)]
        except NoPath:
            with pytest.raises(NoPath):
                shortest_paths(near, source, target, max_hops=6)
            continue
        got = shortest_paths(near, source, target, max_hops=6)
        near.complete([hop.edge for p in got for hop in p.hops])
        assert [p.to_dict(near.actors) for p in got] == expected, (source, target)
        found_some += 1
    assert found_some > 20
    for actor in ["masimov", *rng.sample(ids, 15)]:
        for depth in (1, 2):
            expected = [(i, d, sorted(e.label for e in edges)) for i, d, edges in neighbours(full, actor, depth=depth)]
            near = index.neighbourhood([actor], depth)
            assert [(i, d, sorted(e.label for e in edges))
                    for i, d, edges in neighbours(near, actor, depth=depth)] == expected


def test_the_neighbourhood_with_its_evidence_is_the_projection_s(built_dir, tmp_path):
    load_files(tmp_path / "store", sorted(built_dir.glob("*.ttl")))
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    index, full = open_index(store), fetch_projection(store)
    whole = index.neighbourhood(sorted(full.actors), 0)
    assert whole.edges[0].evidence and not whole.edges[0].evidence[0].quote, "quotes wait for complete()"
    whole.complete(whole.edges)
    assert asdict(replace(whole, actors=dict(whole.actors))) == asdict(full)
    assert list(whole.actors.items()) == list(full.actors.items()), "the same actors, in the same order"
    assert index.degrees(list(full.actors)) == full.degree()


# Terms the index reads as serialized query results (TSV) must come out as the store holds them.
AWKWARD = r"""@prefix kg: <https://kgraph.example/ns#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://kgraph.example/id/actor/awkward> kg:actorType "person" ;
    rdfs:label "Tab\there"@en, "New\nline \"quoted\" back\\slash \\n"@de, ""@fr, "u\u2028v\u0085w"@en-GB, "plain" ;
    skos:altLabel "", "<not an IRI>", "_:not-a-blank-node", "42", "trailing\\", "'single'" ;
    schema:description "line one\r\nline two\t" ;
    owl:sameAs <http://www.wikidata.org/entity/Q1?a=1&b=%22> ;
    kg:background [ rdf:value "a\tb \"c\""@en ; dcterms:source "https://x.example/?q=\"b\""^^xsd:anyURI ] .
<https://kgraph.example/id/actor/numbered> kg:actorType 7 ; rdfs:label true, 1.50, "x"^^<https://x.example/dt> .
"""


def test_awkward_literals_and_iris_come_out_of_the_index_as_the_projection_has_them(built_dir, tmp_path):
    awkward = tmp_path / "awkward.ttl"
    awkward.write_text(AWKWARD, encoding="utf-8")
    load_files(tmp_path / "store", [*sorted(built_dir.glob("*.ttl")), awkward])
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    index, full = open_index(store), fetch_projection(store)
    assert {"awkward", "numbered"} <= set(full.actors)
    assert full.actors["awkward"].labels["de"] == 'New\nline "quoted" back\\slash \\n'
    whole = index.neighbourhood(sorted(full.actors), 0)
    assert list(whole.actors.items()) == list(full.actors.items())
    names = index.names()
    assert names.actors["awkward"] == full.actors["awkward"]
    assert names.match("Tab\there").actor.id == "awkward"


def _store(path: Path):
    return open_store(f"oxigraph:{path}")


def test_the_index_is_rebuilt_when_the_store_changes(built_dir, tmp_path):
    path = tmp_path / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    first = open_index(_store(path))
    assert index_path(_store(path)).is_file()
    with pytest.raises(KgraphError):
        first.names().match("Newton Oneworth")

    extra = tmp_path / "extra.ttl"
    extra.write_text(UNLINKED_ACTOR, encoding="utf-8")
    load_files(path, [extra])
    assert open_index(_store(path)).names().match("Newton Oneworth").actor.id == "new-one"

    load_files(path, [extra], replace=True)
    replaced = open_index(_store(path))
    assert replaced.names().match("Newton Oneworth").actor.id == "new-one"
    with pytest.raises(KgraphError):
        replaced.names().match("Tokayev")


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage", "other store", "empty"])
def test_a_missing_or_damaged_index_is_rebuilt_never_trusted(built_dir, tmp_path, damage):
    path = tmp_path / "store"
    load_files(path, sorted(built_dir.glob("*.ttl")))
    store = _store(path)
    target = build_index(store)
    good = target.read_bytes()
    if damage == "missing":
        target.unlink()
    elif damage == "truncated":
        target.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        target.write_bytes(b"not an index" * 1000)
    elif damage == "empty":
        target.write_bytes(b"")
    else:  # an index of other data, e.g. copied beside another store
        db = sqlite3.connect(target)
        db.execute("UPDATE meta SET value = 'another' WHERE key = 'fingerprint'")
        db.commit()
        db.close()
    index = open_index(store)
    assert index.names().match("Toqajev").actor.id == "tokayev"
    assert ActorIndex(target, store).names().match("Toqajev").actor.id == "tokayev", "rebuilt in place"


def test_kgraph_load_builds_the_index_and_path_uses_it(runner, built_dir, tmp_path, monkeypatch):
    from kgraph.cli import main
    from kgraph.network import actorindex

    spec = f"oxigraph:{tmp_path / 'store'}"
    loaded = runner.invoke(main, ["load", "--store", spec, "--graph", str(built_dir)])
    assert loaded.exit_code == 0, loaded.output
    assert (tmp_path / "store.kgindex").is_file()
    monkeypatch.setattr(actorindex, "build_index", lambda *a, **k: pytest.fail("the index was built again"))
    args = ["path", "Tokayev", "Biden", "--format", "json"]
    on_disk = runner.invoke(main, [*args, "--store", spec])
    assert on_disk.exit_code == 0, on_disk.output
    assert on_disk.output == runner.invoke(main, [*args, "--graph", str(built_dir)]).output
    for command in (["show", "Masimov"], ["neighbours", "Masimov", "--depth", "2"]):
        assert runner.invoke(main, [*command, "--store", spec]).output == \
            runner.invoke(main, [*command, "--graph", str(built_dir)]).output, command


@pytest.mark.slow
def test_the_index_is_the_same_whatever_the_hash_seed(synthetic, tmp_path):
    """Same store, same index: a name key's actors once came out in the order of a set of strings."""
    import os
    import subprocess

    store = synthetic[0]
    build = "import sys; from kgraph.stores import open_store; from kgraph.network.actorindex import build_index; " \
            "build_index(open_store(sys.argv[1]), sys.argv[2])"
    dumps = []
    for seed in ("1", "2", "3"):
        target = tmp_path / f"index-{seed}.sqlite"
        subprocess.run([sys.executable, "-c", build, f"oxigraph:{store.path}", str(target)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        with sqlite3.connect(target) as db:
            dumps.append(list(db.iterdump()))
    assert dumps[0] == dumps[1] == dumps[2]
    assert any(line.startswith('INSERT INTO "names"') for line in dumps[0])
