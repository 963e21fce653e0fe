"""kgraph claims, post and search: the evidence at hand, the same on every store."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kgraph.cli import main
from kgraph.errors import KgraphError, UnknownActor
from kgraph.network.claimlist import claims
from kgraph.network.posts import get_post
from kgraph.network.searching import search
from test_stores import KINDS, oxigraph_dir, oxigraph_server, stores  # noqa: F401 - fixtures


@pytest.fixture
def kg(runner, built_dir):
    def invoke(*args):
        return runner.invoke(main, [*args, "--graph", str(built_dir)])

    return invoke


# -- kgraph claims ----------------------------------------------------------------------------------

def test_hedged_claims_with_their_source_are_one_command(kg, fixture_claims):
    result = kg("claims", "--modality", "speculated,reported", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert sorted(r["claim"] for r in rows) == sorted(
        c.id for c in fixture_claims if c.modality in ("speculated", "reported"))
    assert {r["modality"] for r in rows} == {"speculated", "reported"}
    first = rows[0]
    assert (first["claim"], first["post"], first["asserted_by"], first["quote"]) == \
        ("c01-1", 1, {"id": "tokayev", "label": "Kassym-Jomart Tokayev"},
         "OVKS-Truppen sollen schon in zwei Tagen den Abzug beginnen")
    assert [r["post"] for r in rows] == sorted(r["post"] for r in rows)


def test_claims_table_has_the_columns_people_read(kg, fixture_claims):
    out = kg("claims", "--post", "16").output
    assert out.splitlines()[0].split() == ["post", "subject", "relation", "object", "modality", "asserted", "by",
                                           "quote", "note", "time"]
    assert out.endswith(f"({sum(c.post == 16 for c in fixture_claims)} claims)\n")


def test_asserted_by_and_actor_go_through_the_name_resolver(kg, fixture_claims):
    observers = json.loads(kg("claims", "--asserted-by", "kazakh observers", "--format", "json").output)
    assert [r["claim"] for r in observers] == [c.id for c in fixture_claims if c.asserted_by == "kazakh-observers"]
    assert {"c11-1", "c14-1"} <= {r["claim"] for r in observers}
    masimov = json.loads(kg("claims", "--actor", "Масимов", "--format", "json").output)
    assert {r["claim"] for r in masimov} == {c.id for c in fixture_claims if "masimov" in (c.subject, c.object)}
    assert all("masimov" in (r["subject"]["id"], r["object"]["id"]) for r in masimov)
    unknown = kg("claims", "--actor", "Nobodyknows")
    assert unknown.exit_code == 1 and "no actor named 'Nobodyknows'" in unknown.output


def test_filters_combine(kg):
    rows = json.loads(kg("claims", "--actor", "Tokayev", "--family", "hostility", "--modality", "assessed",
                         "--format", "json").output)
    assert [(r["claim"], r["relation"]["id"]) for r in rows] == [("c07-2", "rivalOf"),
                                                                  ("c09-2", "prevailedOver")]
    by_label = json.loads(kg("claims", "--relation", "fired on", "--dataset", "kazakhstan-2022",
                             "--format", "json").output)
    assert [r["claim"] for r in by_label] == ["c05-2"]
    assert kg("claims", "--dataset", "no-such-thread").output.endswith("(0 claims)\n")


def test_unknown_relation_or_family_is_named(kg):
    relation = kg("claims", "--relation", "befriends")
    assert relation.exit_code == 1 and "no relation 'befriends'" in relation.output
    family = kg("claims", "--family", "friendship")
    assert family.exit_code == 1 and "unknown relation family 'friendship'" in family.output


def test_claims_csv_and_tsv(kg):
    rows = list(csv.DictReader(io.StringIO(kg("claims", "--post", "20", "--format", "csv").output)))
    assert [(r["claim"], r["asserted_by"], r["time"]) for r in rows] == [
        ("c20-1", "unnamed source", 'a few days before the thread ("vor einigen Tagen")'),
        ("c20-2", "Government of Kazakhstan", "2022-01-10")]
    tsv = kg("claims", "--post", "20", "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t")[:4] == ["dataset", "claim", "post", "subject"]


def test_claims_library_refuses_unknown_modality(store):
    with pytest.raises(KgraphError, match="unknown modality 'rumoured'"):
        claims(store, modalities=["rumoured"])
    with pytest.raises(UnknownActor):
        claims(store, asserted_by=["Nobodyknows"])


@pytest.mark.parametrize("kind", KINDS)
def test_claims_post_and_search_agree_on_every_store(stores, kind):  # noqa: F811 - fixture
    reference, store = stores["memory"], stores[kind]
    assert claims(store, modalities="speculated", actors=["Toqajev"]) == \
        claims(reference, modalities="speculated", actors=["Toqajev"])
    assert get_post(store, 16) == get_post(reference, 16)
    assert search(store, "staatsverrat") == search(reference, "staatsverrat")


# -- kgraph post ------------------------------------------------------------------------------------

def test_post_prints_the_text_verbatim_with_claims_and_mentions(kg):
    out = kg("post", "16").output
    assert out.startswith("Post 16 of kazakhstan-2022 by Nikita Gerassimow, 2022-01-11\n\n"
                          "Warum ist das Foto jetzt besonders brisant geworden?\nNa ganz einfach.\n")
    assert 'wegen "Staatsverrat" verhaftet wurde 👇\n(16/23)\n' in out
    assert "  c16-1  Karim Massimov —loyal to→ Nursultan Nazarbayev  [assessed, Nikita Gerassimow]\n" in out
    assert "      note: The arrest is told as fact; the charge, treason, stands in the thread's quotation" in out
    assert "Karim Massimov (masimov)" in out.split("Mentions (6): ", 1)[1]


def test_post_json_and_errors(kg):
    data = json.loads(kg("post", "15", "--dataset", "kazakhstan-2022", "--format", "json").output)
    assert data["post"] == 15 and "#Biden" in data["text"] and len(data["claims"]) == 7
    assert {"id": "joe-biden", "label": "Joe Biden"} in data["mentions"]
    missing = kg("post", "99")
    assert missing.exit_code == 1 and missing.output == "kgraph: error: no post 99\n"
    other = kg("post", "16", "--dataset", "elsewhere")
    assert other.exit_code == 1 and "no post 16 in dataset 'elsewhere'" in other.output
    assert kg("post", "0").exit_code == 2


# -- kgraph search ----------------------------------------------------------------------------------

def test_search_folds_like_names(kg):
    hits = json.loads(kg("search", "staatsverrat", "--format", "json").output)
    assert [(h["field"], h["id"]) for h in hits] == [("post", "16"), ("quote", "c16-3"), ("note", "c16-3"),
                                                     ("description", "masimov-arrest")]
    assert hits[0]["text"].startswith("Warum ist das Foto")
    cyrillic = json.loads(kg("search", "МАСИМОВ", "--format", "json").output)
    assert ("post", "16") in [(h["field"], h["id"]) for h in cyrillic]


def test_search_needs_every_word(kg):
    both = json.loads(kg("search", "Hunter Biden", "--format", "json").output)
    assert both and all("hunter" in h["text"].lower() and "biden" in h["text"].lower() for h in both)
    assert json.loads(kg("search", "Hunter Tokayev", "--format", "json").output) == []


def test_search_table_and_empty_text(kg):
    out = kg("search", "staatsverrat").output
    assert out.splitlines()[2].startswith("post         post 16")
    assert out.endswith("(4 hits)\n")
    empty = kg("search", " ?! ")
    assert empty.exit_code == 1 and "nothing to search for" in empty.output
