"""Draft claims from `kgraph ingest --draft-claims`: proposed, never built, promoted on request."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import DATA, DATASET
from kgraph.cli import main
from kgraph.errors import KgraphError
from kgraph.ingest import ingest
from kgraph.ingest.drafts import draft_claims
from kgraph.ingest.promote import promote
from kgraph.source.drafts import count_drafts
from kgraph.source.reading import read_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def drafts_of(name: str, **options):
    result = ingest((FIXTURES / name).read_bytes(), source_name=name, data_dir=DATA, out_dir="unused",
                    draft_claims=True, **options)
    return result, {(d.post, d.subject, d.object): d for d in result.drafts}


def test_drafts_of_the_english_thread_take_relation_voice_and_source_from_the_words():
    result, drafts = drafts_of("five_posts_en.txt")
    sends = drafts[(2, "russia", "kazakhstan")]  # "The CSTO secretariat said ... that": its word
    assert (sends.relation, sends.modality, sends.asserted_by, sends.quote) == (
        "willSendTroopsTo", "reported", "csto-secretariat", "Russia will send troops to Kazakhstan")
    asked = drafts[(1, "tokayev", "csto")]
    assert (asked.relation, asked.modality, asked.asserted_by) == ("askedForHelpFrom", "reported", "kazakh-media")
    led = drafts[(3, "masimov", "knb")]  # "The KNB had been led by Massimov": passive, so swapped
    assert (led.relation, led.quote) == ("headOf", "KNB had been led by Massimov")
    for draft in result.drafts:
        assert draft.quote in result.posts[draft.post - 1].text
    assert not any("kazakh-media" in (d.subject, d.object) for d in result.drafts)  # the source, not a party


@pytest.mark.parametrize("name, key, relation, modality", [
    ("german_de.txt", (2, "russia", "kazakhstan"), "willSendTroopsTo", "reported"),
    ("german_de.txt", (1, "tokayev", "csto"), "askedForHelpFrom", "reported"),
    ("russian_ru.txt", (1, "tokayev", "csto"), "askedForHelpFrom", "reported"),
    ("russian_ru.txt", (2, "russia", "kazakhstan"), "willSendTroopsTo", "stated"),
])
def test_drafts_in_german_and_russian(name, key, relation, modality):
    _, drafts = drafts_of(name, author="x", date="2022-01-06")
    assert (drafts[key].relation, drafts[key].modality) == (relation, modality)


def drafted(text: str, language: str, *names: tuple[str, str]):
    """Drafts of ``text`` as one post naming each (actor id, words) at the words' first place."""
    found = [(actor, text.index(words), text.index(words) + len(words)) for actor, words in names]
    return {(d.subject, d.object): d for d in draft_claims([(1, text, found)], language, lambda name: None)}


def test_a_pronoun_in_the_next_sentence_takes_up_the_name():
    drafts = drafted("Toqajev hat die Wahl gewonnen. Er kündigte einen massiven Umbau des Apparats an.", "de",
                     ("tokayev", "Toqajev"), ("security-reform", "Umbau"))
    reform = drafts[("tokayev", "security-reform")]
    assert (reform.relation, reform.quote) == (
        "announced", "Toqajev hat die Wahl gewonnen. Er kündigte einen massiven Umbau des Apparats an")


def test_list_items_pair_with_their_heading_and_what_it_follows_on_not_with_each_other():
    text = "Ein altes Foto taucht auf.\nDarauf zu sehen:\n- Rakishev,\n- Masimov."
    drafts = drafted(text, "de", ("biden-photo", "Foto"), ("rakishev", "Rakishev"), ("masimov", "Masimov"))
    assert set(drafts) == {("rakishev", "biden-photo"), ("masimov", "biden-photo")}
    assert {d.relation for d in drafts.values()} == {"depictedIn"}


def test_a_name_within_a_name_relates_the_two():
    drafts = drafted("Der Nasarbajev-Clan verliert die Macht.", "de",
                     ("nazarbayev-clan", "Nasarbajev-Clan"), ("nazarbayev", "Nasarbajev"))
    assert (drafts[("nazarbayev", "nazarbayev-clan")].relation,
            drafts[("nazarbayev", "nazarbayev-clan")].quote) == ("memberOf", "Nasarbajev-Clan")


def test_a_preposition_yields_to_a_verb_after_the_names():
    drafts = drafted("Die Demonstranten haben in Richtung der Polizei geschossen.", "de",
                     ("protesters", "Demonstranten"), ("police", "Polizei"))
    assert drafts[("protesters", "police")].relation == "firedOn"


@pytest.mark.parametrize("text, language, speaker", [
    ("The KNB said on Thursday that Russia sent troops to Kazakhstan.", "en", "KNB"),
    ("Gestern erklärte die Regierung, Russland habe Truppen nach Kasachstan entsandt.", "de", "Regierung"),
    ("МВД заявило, что Россия направила войска в Казахстан.", "ru", "МВД"),
])
def test_a_reporting_verb_makes_its_speaker_the_source_not_a_party(text, language, speaker):
    russia, kazakhstan = {"en": ("Russia", "Kazakhstan"), "de": ("Russland", "Kasachstan"),
                          "ru": ("Россия", "Казахстан")}[language]
    drafts = drafted(text, language, ("speaker", speaker), ("russia", russia), ("kazakhstan", kazakhstan))
    assert list(drafts) == [("russia", "kazakhstan")]
    sent = drafts[("russia", "kazakhstan")]
    assert (sent.relation, sent.modality, sent.asserted_by) == ("sentTroopsTo", "reported", speaker)


def test_the_drafts_file_is_the_same_bytes_every_time():
    first, _ = drafts_of("five_posts_en.txt")
    second, _ = drafts_of("five_posts_en.txt")
    path = first.folder / "claims.draft.yaml"
    assert first.files[path] == second.files[path]
    loaded = YAML(typ="safe").load(first.files[path])
    assert [c["id"] for c in loaded["claims"]] == [d.id for d in first.drafts]


def test_build_never_reads_drafts(tmp_path):
    folder = tmp_path / DATASET
    shutil.copytree(DATA / DATASET, folder)
    (folder / "claims.draft.yaml").write_text("claims:\n- id: d01-1\n  post: 99\n  relation: '?'\n",
                                              encoding="utf-8")
    dataset, problems = read_dataset(folder)
    assert problems == [] and "d01-1" not in {c.id for c in dataset.claims}
    assert count_drafts(folder) == 1


DRAFTS = """claims:
# relation from "led"
- id: d03-1
  post: 3
  subject: masimov
  relation: headOf
  object: knb
  quote: Masimov
  modality: stated
- id: d05-1
  post: 5
  subject: tokayev
  relation: '?'
  object: csto
  quote: Toqajev
  modality: stated
"""


@pytest.fixture
def dataset(tmp_path) -> Path:
    folder = tmp_path / DATASET
    shutil.copytree(DATA / DATASET, folder)
    (folder / "claims.draft.yaml").write_text(DRAFTS, encoding="utf-8")
    return folder


def test_promote_inserts_after_the_post_and_leaves_every_other_byte(dataset):
    before = (dataset / "claims.yaml").read_text(encoding="utf-8")
    assert promote(dataset, ["d03-1"]) == ["d03-1"]
    after = (dataset / "claims.yaml").read_text(encoding="utf-8")
    block = "\n- id: d03-1\n  post: 3\n  subject: masimov\n  relation: headOf\n  object: knb\n  quote: Masimov\n" \
            "  modality: stated\n"
    assert block in after and after.replace(block, "", 1) == before
    claims = YAML(typ="safe").load(after)["claims"]
    index = [c["id"] for c in claims].index("d03-1")
    assert claims[index - 1]["post"] == 3 and claims[index + 1]["post"] == 4
    assert [c["id"] for c in YAML(typ="safe").load((dataset / "claims.draft.yaml").read_text())["claims"]] == \
        ["d05-1"]


def test_promote_refuses_unreviewed_unknown_and_taken_ids(dataset):
    before = {p.name: p.read_bytes() for p in dataset.iterdir()}
    for ids, message in ((["d05-1"], "has no relation yet"), (["d09-9"], "no draft 'd09-9'")):
        with pytest.raises(KgraphError, match=message):
            promote(dataset, ids)
    (dataset / "claims.draft.yaml").write_text(DRAFTS.replace("d03-1", "c01-1"), encoding="utf-8")
    with pytest.raises(KgraphError, match="already has a claim 'c01-1'"):
        promote(dataset, ["c01-1"])
    assert (dataset / "claims.yaml").read_bytes() == before["claims.yaml"]


def test_claims_promote_command_and_the_listing_stay_one_command(dataset, runner):
    done = runner.invoke(main, ["claims", "promote", "d03-1", "--dataset", str(dataset)])
    assert done.exit_code == 0, done.output
    assert done.output == "promoted d03-1\n"
    refused = runner.invoke(main, ["claims", "promote", "d05-1", "--dataset", str(dataset)])
    assert refused.exit_code == 1 and "has no relation yet" in refused.output
    listing = runner.invoke(main, ["claims", "--modality", "speculated", "--format", "json"])
    assert listing.exit_code == 0 and json.loads(listing.output)


def test_relations_show_their_cameo_code(runner):
    done = runner.invoke(main, ["relations", "--format", "json"])
    codes = {r["id"]: r["cameo"] for r in json.loads(done.output)}
    assert codes["detained"] == "173" and codes["askedForHelpFrom"] == "0233"
    assert codes["sentTroopsTo"] == "074" and codes["childOf"] == "-"
    assert {"left", "denied", "willSendTroopsTo"} <= set(codes)


def test_a_long_post_of_speakers_and_names_drafts_in_linear_time():
    text = " ".join(["Russia said, Kazakhstan left Almaty."] * 5000)
    names = [(word.lower(), m.start(), m.end()) for m in re.finditer(r"Russia|Kazakhstan|Almaty", text)
             for word in [m.group()]]
    started = time.perf_counter()
    drafts = draft_claims([(1, text, names)], "en")
    assert time.perf_counter() - started < 5
    assert {(d.subject, d.relation, d.object, d.asserted_by) for d in drafts} >= {
        ("kazakhstan", "left", "almaty", "Russia")}


@pytest.mark.parametrize("text, language, first, second, modality, source", [
    ("Die Polizei scheint gestärkt. Nun werden Razzien durchgeführt.", "de",
     ("police", "Polizei"), ("raids", "Razzien"), "stated", None),
    ("The police seem stronger. Now raids are carried out.", "en",
     ("police", "police"), ("raids", "raids"), "stated", None),
    ("Laut Beobachtern kontrollierten Firmen das Öl. Die meisten waren US-Firmen.", "de",
     ("firms", "Firmen"), ("us-firms", "US-Firmen"), "reported", "Beobachtern"),
    ("According to observers, firms held the oil. Most were US firms.", "en",
     ("firms", "firms"), ("us-firms", "US firms"), "reported", "observers"),
])
def test_a_pair_across_sentences_takes_the_later_sentences_hedges_and_the_earlier_ones_source(
        text, language, first, second, modality, source):
    drafts = drafted(text, language, first, second)
    draft = drafts[(first[0], second[0])]
    assert (draft.modality, draft.asserted_by) == (modality, source)


@pytest.mark.parametrize("text, language, whole, part", [
    ("Ausländische Firmen förderten das Öl. Die meisten davon waren Ölfirmen aus Texas.", "de",
     ("foreign-firms", "Ausländische Firmen"), ("texas-firms", "Ölfirmen aus Texas")),
    ("Foreign firms pumped the oil. Most of them were Texan oil firms.", "en",
     ("foreign-firms", "Foreign firms"), ("texas-firms", "Texan oil firms")),
    ("Several firms, including Chevron, left.", "en", ("firms", "Several firms"), ("chevron", "Chevron")),
])
def test_a_part_of_what_came_before_is_a_member_of_it(text, language, whole, part):
    drafts = drafted(text, language, whole, part)
    draft = drafts[(part[0], whole[0])]
    assert draft.relation == "memberOf"


@pytest.mark.parametrize("text, language, outer, inner, relation", [
    ("Der Flughafen von Duschanbe ist zu.", "de", ("airport", "Flughafen von Duschanbe"), ("dushanbe", "Duschanbe"),
     "locatedIn"),
    ("Die Sylvanien-Bank zahlt.", "de", ("bank", "Sylvanien-Bank"), ("sylvania", "Sylvanien"), "basedIn"),
    ("The Dushanbe airport is closed.", "en", ("airport", "Dushanbe airport"), ("dushanbe", "Dushanbe"),
     "locatedIn"),
    ("The Bank of Sylvania pays.", "en", ("bank", "Bank of Sylvania"), ("sylvania", "Sylvania"), "basedIn"),
])
def test_a_place_within_a_name_says_where_the_rest_is(text, language, outer, inner, relation):
    types = {"airport": "place", "dushanbe": "city", "bank": "company", "sylvania": "country"}
    names = [(actor, text.index(words), text.index(words) + len(words)) for actor, words in (outer, inner)]
    [draft] = draft_claims([(1, text, names)], language, type_of=types.get)
    assert (draft.subject, draft.relation, draft.object) == (outer[0], relation, inner[0])
    [unknown] = draft_claims([(1, text, names)], language)   # without types nothing says how they relate
    assert unknown.relation == "?"


@pytest.mark.parametrize("text, modality", [
    ("Rahmon kündigte an, die OVKS habe ihre Mission in Sylvanien erfüllt.", "reported"),
    ("Die OVKS hat ihre Mission in Sylvanien erfüllt.", "stated"),
    ("Ich habe gesehen, wie die OVKS in Sylvanien landete.", "stated"),   # "ich habe" is indicative
])
def test_konjunktiv_one_passes_on_someones_words(text, modality):
    drafts = drafted(text, "de", ("csto", "OVKS"), ("sylvania", "Sylvanien"))
    assert drafts[("csto", "sylvania")].modality == modality


def test_ingest_drafts_with_references_the_mentions_cannot_see():
    _, drafts = drafts_of("references_de.txt", author="x", date="2022-01-20")
    assert drafts[(1, "kyrgyzstan", "tokayev")].quote.startswith("kirgisische")   # a demonym
    assert (2, "tokayev", "security-purge") in drafts                                # "er" opening post 2
    assert drafts[(2, "masimov-arrest", "masimov")].quote == "Masimov wurde verhaftet"
    assert drafts[(3, "us-oil-firms", "united-states")].relation == "basedIn"     # "US- und EU-Firmen"
    assert drafts[(3, "us-oil-firms", "foreign-oil-firms")].relation == "memberOf"
    assert (3, "kazakhstan", "day-of-mourning") in drafts                             # "im ganzen Land"
