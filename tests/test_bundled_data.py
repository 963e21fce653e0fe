"""The bundled dataset in data/ is faithful to the thread: posts verbatim, quotes verbatim, evidence everywhere.

These tests are about the curated data itself, so they read data/ (``BUNDLED_DATA``), not the
frozen fixture the behaviour tests read; a curator's edit that breaks one of them should be
looked at, or the test updated with it.
"""

from __future__ import annotations

import re

import pytest

from conftest import BUNDLED_DATA, DATASET, GRAPH, ONTOLOGY
from kgraph.compose import build
from kgraph.rdf.checks import check_datasets
from kgraph.rdf.ontology import load_vocabulary
from kgraph.source.modality_lint import lint
from kgraph.source.reading import load_datasets


@pytest.fixture(scope="module")
def dataset():
    return load_datasets(BUNDLED_DATA)[0]


def _seed_posts() -> list[str]:
    text = (BUNDLED_DATA / DATASET / "thread.txt").read_text(encoding="utf-8")
    body = text.split("23 tweets\n\n", 1)[1].split("\n\nShare this Scrolly Tale", 1)[0]
    return body.split("\n\n")


def test_all_23_posts_are_present_with_the_seed_text(dataset):
    seed = _seed_posts()
    assert [p.number for p in dataset.posts] == list(range(1, 24))
    assert [p.text for p in dataset.posts] == seed


def test_posts_end_with_their_thread_marker(dataset):
    for post in dataset.posts:
        marker = re.search(r"\((\d+)/(\d*)\)$", post.text)
        assert marker and int(marker.group(1)) == post.number


def test_thread_metadata(dataset):
    assert dataset.name == DATASET
    assert dataset.date == "2022-01-11"
    assert dataset.language == "de"
    assert dataset.author == "nikita-gerassimow"
    assert dataset.declared_posts == 23


def test_every_quote_is_verbatim_in_its_post(dataset):
    posts = {p.number: p.text for p in dataset.posts}
    missing = [c.id for c in dataset.claims if c.quote not in posts[c.post]]
    assert missing == []


def test_the_data_is_clean(dataset):
    assert check_datasets([dataset], load_vocabulary(ONTOLOGY)) == []


def test_every_actor_has_english_and_german_labels_and_a_description(dataset):
    for actor in dataset.actors:
        assert {"en", "de"} <= set(actor.labels), actor.id
        assert actor.description, actor.id


def test_the_thread_spellings_are_aliases(dataset):
    aliases = {a.id: set(a.aliases) for a in dataset.actors}
    assert {"Toqajev", "Toqaev"} <= aliases["tokayev"]
    assert {"Nasarbajev", "Nasarbaev"} <= aliases["nazarbayev"]
    assert "OVKS" in aliases["csto"]


def test_doubted_or_attributed_claims_are_not_plain_facts(dataset):
    by_id = {c.id: c for c in dataset.claims}
    # post 8 is in the subjunctive ("hätten ... verheimlicht"): a conjecture
    assert by_id["c08-2"].modality == "speculated"
    # "Laut kaz.Beobachtern ..." is passed on from Kazakh observers
    assert (by_id["c14-1"].modality, by_id["c14-1"].asserted_by) == ("reported", "kazakh-observers")
    # "so Toqajev": the president's word
    assert (by_id["c02-4"].modality, by_id["c02-4"].asserted_by) == ("reported", "tokayev")
    # "nach westlichem Sprech" is the author's own framing of the West, not a Western source
    assert (by_id["c05-1"].modality, by_id["c05-1"].asserted_by) == ("assessed", "nikita-gerassimow")
    assert by_id["c05-1"].note
    # "wurde ... geschätzt" names no source: not the author's own word either
    assert (by_id["c20-1"].modality, by_id["c20-1"].asserted_by) == ("reported", "unnamed-source")


def test_relations_are_no_stronger_than_the_words(dataset):
    by_id = {c.id: c for c in dataset.claims}
    assert by_id["c01-3"].relation == "hasConnectionsTo"  # "Verbindungen"
    assert by_id["c13-2"].relation == "noProblemsWith"  # "keinerlei Probleme mit ihm"
    assert by_id["c13-3"].relation == "goodRelationsWith"  # "blendende Beziehungen"
    # "kündigt ... an" is the announcement; the act is cited from post 9
    assert (by_id["c01-2"].relation, by_id["c01-2"].object) == ("announced", "crackdown")
    assert (by_id["c09-5"].relation, by_id["c09-5"].object, by_id["c09-5"].post) == ("carriesOut", "crackdown", 9)


def test_a_part_is_not_the_whole(dataset):
    # "Die meisten davon waren US- und EU-Firmen": subsets, not all the foreign firms
    based = {(c.subject, c.object) for c in dataset.claims if c.relation == "basedIn"}
    assert based == {("us-oil-firms", "united-states"), ("eu-oil-firms", "european-union")}
    parts = {c.subject for c in dataset.claims if c.relation == "memberOf" and c.object == "foreign-oil-firms"}
    assert parts == {"us-oil-firms", "eu-oil-firms"}


def test_the_body_that_raided_the_cells_is_not_the_one_said_to_hide_them(dataset):
    raiders = {c.subject for c in dataset.claims if c.relation == "carriesOut" and c.object == "raids"}
    hiders = {c.subject for c in dataset.claims if c.relation == "concealed" and c.object == "sleeper-cells"}
    assert raiders == {"security-forces"} and not raiders & hiders


def test_outside_knowledge_is_background_with_a_source(dataset):
    actors = {a.id: a for a in dataset.actors}
    assert "Internetsperre" not in actors["internet-shutdown"].aliases
    assert "Russia" not in (actors["csto"].description or "")
    assert [b.source for b in actors["csto"].background] == [
        "https://en.wikipedia.org/wiki/Collective_Security_Treaty_Organization"]
    assert "Qandy Qantar" not in actors["unrest-2022"].aliases
    assert "Qandy Qantar" in actors["unrest-2022"].background[0].text


def test_quantities_the_thread_gives_are_kept_as_data(dataset):
    figures = {(c.id, q.what): q for c in dataset.claims for q in c.quantities}
    assert figures[("c02-4", "duration of the withdrawal")].max == 10
    assert figures[("c01-1", "start of the withdrawal")].value == 2
    assert figures[("c20-1", "immediate damage")].value == 100_000_000
    damage = figures[("c20-2", "total damage to the economy")]
    assert (damage.min, damage.max, damage.unit) == (2_000_000_000, 3_000_000_000, "USD")
    assert figures[("c14-1", "share of Kazakh oil production")].max == 70


def test_every_post_with_a_claim_and_every_named_actor_is_covered(dataset):
    used = {c.subject for c in dataset.claims} | {c.object for c in dataset.claims}
    unused = {a.id for a in dataset.actors} - used - {c.asserted_by for c in dataset.claims}
    assert unused == set()
    posts_with_claims = {c.post for c in dataset.claims}
    # post 23 only points to an earlier thread; every other post carries a claim
    assert set(range(1, 24)) - posts_with_claims == {23}


def test_it_has_no_unexplained_modality_warning():
    assert [str(w) for w in lint(BUNDLED_DATA)] == []


def test_committed_graph_equals_a_fresh_build(tmp_path):
    build(BUNDLED_DATA, ONTOLOGY, tmp_path, html=True)
    for built in sorted(tmp_path.iterdir()):
        committed = GRAPH / built.name
        assert committed.exists(), f"{committed} missing: run 'kgraph build' and commit graph/"
        assert committed.read_bytes() == built.read_bytes(), f"{committed} is stale: run 'kgraph build'"
