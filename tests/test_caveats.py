"""Caveats travel with the claim, and evidence names its thread (issue 13, items 1 and 4).

``show`` and ``path`` print each piece of evidence with its note, time and
figures, in text and JSON, on every store; with two datasets built the text
says which thread a post is in and every named query has a ``dataset`` column.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import DATA, DATASET, ONTOLOGY
from kgraph.cli import main
from kgraph.stores.named_queries import get_query, named_queries

SECOND = "second-thread-2022"


@pytest.fixture
def kg(runner, built_dir):
    def invoke(*args, env=None):
        result = runner.invoke(main, [*args, "--graph", str(built_dir)], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def evidence_of(relations, relation_id):
    return [ev for r in relations if r["relation_id"] == relation_id for ev in r["evidence"]]


# --- 1. caveats travel with the claim --------------------------------------

def test_show_text_prints_time_note_and_figures(kg):
    masimov = kg("show", "Masimov", env={"COLUMNS": "200"})
    assert ('      post 15: "der damalige Premier Masimov" — Nikita Gerassimow, stated\n'
            '        time: at the time of the photo\n') in masimov
    unrest = kg("show", "unrest-2022", env={"COLUMNS": "200"})
    assert "        note: The thread does not name who made this estimate.\n" in unrest
    assert "        figure: immediate damage: 100,000,000 USD\n" in unrest
    assert "        figure: total damage to the economy: 2,000,000,000–3,000,000,000 USD\n" in unrest
    assert "        time: 2022-01-10\n" in unrest


def test_path_text_prints_the_time_of_each_hop(kg):
    out = kg("path", "Tokayev", "Biden", env={"COLUMNS": "200"})
    assert ('      post 12: "der erst seit 2019 ins Amt gewählt ist" — Nikita Gerassimow, stated\n'
            '        time: from 2019\n') in out
    assert '  Kazakhstan ←prime minister of— Karim Massimov\n' \
           '      post 15: "der damalige Premier Masimov" — Nikita Gerassimow, stated\n' \
           '        time: at the time of the photo\n' in out


def test_show_json_adds_note_time_quantities_and_keeps_the_old_keys(kg):
    data = json.loads(kg("show", "unrest-2022", "--format", "json"))
    estimate, declared = evidence_of(data["relations"], "causedDamageTo")
    assert set(estimate) == {"post", "quote", "asserted_by", "modality", "claim", "dataset", "note", "time",
                             "quantities"}
    assert estimate["note"] == "The thread does not name who made this estimate."
    assert estimate["time"] == {"period": 'a few days before the thread ("vor einigen Tagen")'}
    assert estimate["quantities"] == [{"what": "immediate damage", "value": 100_000_000, "min": None, "max": None,
                                       "unit": "USD"}]
    assert declared["time"] == {"when": "2022-01-10"} and declared["note"] is None
    assert declared["quantities"] == [{"what": "total damage to the economy", "value": None,
                                       "min": 2_000_000_000, "max": 3_000_000_000, "unit": "USD"}]


def _hop(paths, relation):
    return next(h for p in paths for h in p["hops"] if h["relation"] == relation)


def test_path_json_carries_the_caveats(kg):
    data = json.loads(kg("path", "Tokayev", "Joe Biden", "--format", "json"))
    president = _hop(data["paths"], "president of")["evidence"]
    assert [(e["post"], e["time"], e["dataset"]) for e in president] == \
        [(2, None, DATASET), (12, {"from": "2019"}, DATASET)]
    premier = _hop(data["paths"], "prime minister of")["evidence"][0]
    assert premier["time"] == {"period": "at the time of the photo"} and premier["quantities"] == []


def test_every_store_gives_the_same_caveats(runner, built_dir, tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    assert runner.invoke(main, ["load", "--store", store, str(built_dir / f"{DATASET}.ttl")]).exit_code == 0
    for where in (["--graph", str(built_dir)], ["--store", store], ["--store", "rdflib", "--graph", str(built_dir)]):
        data = json.loads(runner.invoke(main, ["show", "unrest-2022", "--format", "json", *where]).output)
        estimate = evidence_of(data["relations"], "causedDamageTo")[0]
        assert estimate["note"] and estimate["time"] and estimate["quantities"][0]["value"] == 100_000_000, where


def test_a_quote_over_several_lines_keeps_the_indentation(kg):
    out = kg("show", "Armenia", env={"COLUMNS": "200"})
    assert '      post 21: "Auf den Fotos Einheiten aus:\n                - Armenien" — Nikita Gerassimow, stated\n' \
        in out


def test_long_lines_wrap_under_their_text(kg):
    out = kg("show", "unrest-2022", env={"COLUMNS": "60"})
    relations = out.split("\nRelations")[1].splitlines()[1:]
    assert all(len(line) <= 60 for line in relations), relations
    assert all(line.startswith("  ") for line in relations if line)  # nothing falls back to column 0
    note = next(i for i, line in enumerate(relations) if line.startswith("        note: "))
    hang = " " * len("        note: ")
    assert relations[note + 1].startswith(hang) and relations[note + 1][len(hang)] != " "


def test_library_results_carry_the_caveats(projection):
    from kgraph.network.algorithms import shortest_paths
    from kgraph.network.showing import describe

    info = describe(projection, "masimov")
    assert evidence_of(info["relations"], "primeMinisterOf")[0]["time"] == {"period": "at the time of the photo"}
    hop = _hop([p.to_dict(projection.actors) for p in shortest_paths(projection, "tokayev", "joe-biden")],
               "president of")
    assert hop["evidence"][1]["time"] == {"from": "2019"}
    edge = next(e for e in projection.edges if e.relation == "causedDamageTo")
    assert edge.evidence[0].note and edge.evidence[0].quantities[0]["unit"] == "USD"


def test_the_page_holds_from_until_and_figures(projection):
    from kgraph.viz.page import page_data

    evidence = [ev for e in page_data(projection, title="t")["edgeInfo"].values() for ev in e["evidence"]]
    assert {"from": "2019"}.items() <= next(ev for ev in evidence if ev["post"] == 12 and "from" in ev).items()
    figures = [q for ev in evidence for q in ev.get("quantities", [])]
    assert {"what": "immediate damage", "value": 100_000_000, "min": None, "max": None, "unit": "USD"} in figures


# --- 4. evidence names its thread ------------------------------------------

@pytest.fixture(scope="module")
def two_datasets(tmp_path_factory):
    """The bundled dataset and a second thread (a copy of its posts) with two claims: post 15 and post 3."""
    from kgraph.compose import build

    data = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA / DATASET, data / DATASET)
    shutil.copytree(DATA / DATASET, data / SECOND)
    thread = data / SECOND / "thread.yaml"
    thread.write_text(thread.read_text(encoding="utf-8").replace(f"dataset: {DATASET}", f"dataset: {SECOND}"),
                      encoding="utf-8")
    claims = (DATA / DATASET / "claims.yaml").read_text(encoding="utf-8").split("\n- id: ")
    kept = [c for c in claims[1:] if c.startswith(("c15-6\n", "c03-3\n"))]
    (data / SECOND / "claims.yaml").write_text("claims:\n" + "".join("- id: " + c + "\n" for c in kept),
                                               encoding="utf-8")
    out = tmp_path_factory.mktemp("graph")
    report = build(data, ONTOLOGY, out, html=False)
    assert sorted(report.datasets) == [DATASET, SECOND]
    return out


def test_text_names_the_dataset_when_two_are_built(runner, two_datasets):
    out = runner.invoke(main, ["show", "Masimov", "--graph", str(two_datasets)], env={"COLUMNS": "200"}).output
    assert f'      {DATASET} post 15: "der damalige Premier Masimov" — Nikita Gerassimow, stated\n' in out
    assert f'      {SECOND} post 15: "der damalige Premier Masimov" — Nikita Gerassimow, stated\n' in out
    assert not re.search(r"^\s+post \d", out, re.M)  # no post without its thread
    path = runner.invoke(main, ["path", "Masimov", "Kazakhstan", "--graph", str(two_datasets)]).output
    assert f"      {DATASET} post 15: " in path and f"      {SECOND} post 15: " in path


def test_text_leaves_the_dataset_out_when_one_is_built(kg):
    assert f"{DATASET} post" not in kg("show", "Masimov") + kg("path", "Tokayev", "Biden")


def test_json_always_names_the_dataset(runner, two_datasets):
    data = json.loads(runner.invoke(main, ["show", "Masimov", "--format", "json", "--graph", str(two_datasets)]).output)
    premier = evidence_of(data["relations"], "primeMinisterOf")
    assert [(e["dataset"], e["post"]) for e in premier] == [(DATASET, 15), (SECOND, 15)]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_has_a_dataset_column(two_datasets, name):
    from kgraph.stores import open_store

    result = open_store("memory", graph_dir=two_datasets).query(get_query(name).text)
    assert "dataset" in result.vars
    assert {str(row["dataset"]) for row in result.dicts() if "dataset" in row} <= {DATASET, SECOND}


def test_csto_contingents_keeps_the_threads_apart(two_datasets):
    from kgraph.rdf.iris import local_id
    from kgraph.stores import open_store

    rows = open_store("memory", graph_dir=two_datasets).query(get_query("csto-contingents").text).dicts()
    kyrgyzstan = {str(r["dataset"]): (r["firstPost"], r["mentions"]) for r in rows
                  if local_id(r["country"]) == "kyrgyzstan"}
    assert kyrgyzstan == {DATASET: (3, 2), SECOND: (3, 1)}
