"""Known actors found in posts however spelled; new names listed, never added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import DATA, SEED
from kgraph.ingest import ingest
from kgraph.ingest.candidates import find_candidates
from kgraph.ingest.mentions import AliasIndex, load_actors
from kgraph.ingest.threads import parse_thread
from kgraph.source.model import Actor, Where

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
HERE = Where("actors.yaml", 1)


@pytest.fixture(scope="module")
def index():
    return AliasIndex(load_actors(DATA))


@pytest.fixture(scope="module")
def seed_result(tmp_path_factory):
    return ingest(SEED.read_bytes(), source_name="thread.txt", data_dir=DATA,
                  out_dir=tmp_path_factory.mktemp("data"))


# How the seed spells each of them, read off the thread by hand.
SPELLINGS = {
    "tokayev": r"Toqa(j)?ev",
    "nazarbayev": r"Nasarba(j)?ev",
    "masimov": r"Masimov",
}


@pytest.mark.parametrize("actor", sorted(SPELLINGS))
def test_seed_mentions_are_found_in_exactly_the_posts_that_name_them(seed_result, actor):
    naming = {p.number for p in parse_thread(SEED.read_text(encoding="utf-8")).posts
              if re.search(SPELLINGS[actor], p.text)}
    assert naming, actor
    assert {p.number for p in seed_result.posts if actor in p.mentions} == naming


def test_seed_mentions_record_the_words_used(seed_result):
    post = next(p for p in seed_result.posts if p.number == 3)
    assert post.names["tokayev"] == ["Toqaev"]
    assert seed_result.posts[6].mentions[:5] == ["sleeper-cells", "unrest-2022", "nazarbayev-clan", "nazarbayev",
                                                 "tokayev"]


def test_names_within_a_name_are_found_inside_it(index):
    text = "besetzen den Flughafen von #Almaty"
    airport = index.find(text)[0]
    assert airport.ids == ("almaty-airport",)
    assert [(m.ids, m.text) for m in index.inside(text, airport)] == [(("almaty",), "Almaty")]


@pytest.mark.parametrize("text, expected", [
    ("Toqajevs Rede", ["tokayev"]),                                  # German genitive
    ("die Rolle Nasarbaevs", ["nazarbayev"]),
    ("der Nasarbajev-Clan", ["nazarbayev-clan", "nazarbayev"]),      # compound: both
    ("den Nasarbajev-Gefolgsleuten", ["nazarbayev-loyalists", "nazarbayev"]),
    ("TOKAYEV and tokaev", ["tokayev"]),                             # case folded
    ("Kassym-Jomart Tokayev", ["tokayev"]),                          # the full name once
    ("Tokajew", ["tokayev"]),                                        # unlisted transliteration
    ("слова Токаева", ["tokayev"]),                                  # Russian genitive
    ("Hunter Biden", ["hunter-biden"]),                              # longest name wins
    ("Joe #Biden", ["joe-biden"]),
    ("#NurSultan", ["nur-sultan"]),
    ("OVKS-Truppen", ["csto"]),
    ("US-Firmen", ["us-oil-firms", "united-states"]),               # an alias, and "US" in it
    ("es ist so", []),                                               # not the Cyrillic ЕС
    ("tell us more", []),                                            # short names match as written
])
def test_spellings_and_inflections(index, text, expected):
    found = []
    for match in index.find(text):
        assert len(match.ids) == 1
        if match.ids[0] not in found:
            found.append(match.ids[0])
    assert found == expected


def test_an_ambiguous_name_is_reported_not_recorded(tmp_path):
    thread = b"Feb 1, 2022, 2 tweets\n\nAlex met Tokayev. (1/2)\n\nAlex left. (2/2)\n"
    data = tmp_path / "data" / "people"
    data.mkdir(parents=True)
    (data / "actors.yaml").write_text(
        "dataset: people\ntitle: People\nauthor: alex-one\ndate: 2022-01-01\nlanguage: en\n"
        "actors:\n"
        "- {id: alex-one, type: person, label: {en: Alex One, de: Alex One}, aliases: [Alex]}\n"
        "- {id: alex-two, type: person, label: {en: Alex Two, de: Alex Two}, aliases: [Alex]}\n"
        "- {id: tokayev, type: person, label: {en: Tokayev, de: Toqajew}}\n", encoding="utf-8")
    result = ingest(thread, data_dir=tmp_path / "data", author="alex-one")
    assert [p.mentions for p in result.posts] == [["tokayev"], []]
    assert "'Alex' could be alex-one or alex-two (post 1, 2); not recorded" in result.warnings


def test_candidates_are_listed_with_their_posts_and_never_added(tmp_path):
    result = ingest((FIXTURES / "slash_end_inline.txt").read_bytes(), data_dir=DATA, out_dir=tmp_path)
    found = {(c.name, c.kind): c.posts for c in result.candidates}
    assert found == {("Aigerim Bekova", "name"): [3], ("OSCE", "acronym"): [4],
                     ("#KazakhstanUnrest", "hashtag"): [4]}
    actors_file = result.folder / "actors.yaml"
    assert list(result.files) == [result.thread_file, actors_file]
    written = result.files[actors_file].decode()
    assert "jane-doe" in written and "Bekova" not in written and "OSCE" not in written
    assert "#   Aigerim Bekova (name; type person?): post 3" in result.files[result.thread_file].decode()


def test_known_names_are_no_candidates(index):
    text = "Gestern sprach Toqajev mit Masimov über #Kasachstan und die NATO."
    matches = index.find(text)
    candidates = find_candidates(text, matches, "de", known=lambda tag: bool(index.lookup(tag)))
    assert [(c.name, c.kind) for c in candidates] == [("NATO", "acronym")]


def test_german_common_nouns_are_no_candidates():
    text = "Die Lage in der Hauptstadt ist ruhig, sagte Lukaschenko am Montag über die Regierung."
    assert [c.name for c in find_candidates(text, [], "de")] == ["Lukaschenko"]


def test_english_names_in_running_text():
    text = "Yesterday Vladimir Putin called Kassym-Jomart Tokayev. The Kremlin confirmed it."
    assert [c.name for c in find_candidates(text, [], "en")] == ["Vladimir Putin", "Kassym-Jomart Tokayev", "Kremlin"]


def test_the_index_reads_actors_from_every_dataset(tmp_path):
    extra = tmp_path / "other"
    extra.mkdir()
    (extra / "thread.yaml").write_text(
        "dataset: other\ntitle: Other\nauthor: lukashenko\ndate: 2022-01-01\nlanguage: en\n"
        "actors:\n- {id: lukashenko, type: person, label: {en: Alexander Lukashenko, de: Alexander Lukaschenko}}\n",
        encoding="utf-8")
    actors = load_actors(tmp_path)
    index = AliasIndex(actors + [Actor("tokayev", "person", {"en": "Tokayev"}, HERE)])
    assert [m.ids for m in index.find("Lukaschenkos Anruf bei Tokayev")] == [("lukashenko",), ("tokayev",)]


def test_actors_are_read_leniently_and_big_thread_files_are_not_parsed(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "thread.yaml").write_text("posts: [unclosed\n", encoding="utf-8")   # broken, and no actors
    (folder / "actors.yaml").write_text(
        "actors:\n- id: osce\n  type: organisation\n  label: OSCE\n  aliases: [OSZE]\n"
        "- {type: person}\n", encoding="utf-8")
    assert [tuple(a) for a in load_actors(tmp_path)] == [("osce", {"en": "OSCE"}, ["OSZE"], "organisation")]


def test_titles_leave_the_marker_out(tmp_path):
    result = ingest((FIXTURES / "slash_end_inline.txt").read_bytes(), data_dir=DATA, out_dir=tmp_path)
    assert "  en: Tokayev has thanked the CSTO for its help, according to the Kazakh government.\n" \
        in result.files[result.thread_file].decode()


FIVE_POSTS = FIXTURES / "five_posts_en.txt"


@pytest.fixture(scope="module")
def five_posts(tmp_path_factory):
    return ingest(FIVE_POSTS.read_bytes(), source_name="five.txt", data_dir=DATA,
                  out_dir=tmp_path_factory.mktemp("data"))


def test_candidates_are_bodies_and_names_not_months_demonyms_or_titles(five_posts):
    names = {c.name: (c.posts, c.type) for c in five_posts.candidates}
    assert names["Kazakh media"] == ([1, 4], "group")
    assert names["CSTO secretariat"] == ([2], "state-body")
    assert names["Russian paratroopers"] == ([2], "security-body")
    assert names["Aidos Ukibay"] == ([4], "person")
    noise = {"According", "Kazakh", "Russian", "President", "Constitution", "Read", "Twitter", "Wednesday",
             "Thursday", "January", "September", "Kasymzhomart"}
    assert not noise & set(names)
    assert len(names) == 4


def test_an_english_transliteration_of_a_first_name_finds_the_actor(five_posts):
    assert five_posts.posts[0].mentions == ["tokayev", "csto"]
    assert five_posts.posts[0].names["tokayev"] == ["Kasymzhomart Tokayev"]
    assert five_posts.posts[4].names["tokayev"] == ["Kassym-Jomart Tokayev"]


def test_header_and_title_of_an_unrolled_english_thread(five_posts):
    assert (five_posts.author, five_posts.date, five_posts.language) == ("steppe-watch", "2022-01-06", "en")
    thread = YAML(typ="safe").load(five_posts.files[five_posts.thread_file])
    assert thread["title"] == {"en": "According to Kazakh media, Kasymzhomart Tokayev asked the CSTO for military "
                                     "help on Wednesday night."}


def test_made_up_transliterations_match_one_made_up_actor(tmp_path):
    folder = tmp_path / "data" / "people"
    folder.mkdir(parents=True)
    (folder / "actors.yaml").write_text(
        "actors:\n- id: borzh\n  type: person\n  label: {en: Dzhambul Borzhakhanov}\n", encoding="utf-8")
    text = ("1. Dschambul Borschachanow spoke.\n2. Jambul Borjakhanoff left.\n"
            "3. Джамбул Боржаханов вернулся.\n4. Dzhambul-Borzhakhanov Fans\n")
    result = ingest(text.encode(), data_dir=tmp_path / "data", out_dir=tmp_path / "out", author="x",
                    date="2022-01-01")
    assert [p.mentions for p in result.posts] == [["borzh"]] * 4


@pytest.mark.parametrize("text, first, second", [
    ("Die meisten davon waren US- und EU-Firmen.", "US-", "EU-Firmen"),
    ("Most were US- and EU-based firms.", "US-", "EU-based firms"),
    ("Es kamen Kasachstan- oder Russland-Truppen.", "Kasachstan-", "Russland-Truppen"),
])
def test_a_suspended_compound_names_what_its_first_half_leaves_out(text, first, second):
    index = AliasIndex([Actor(actor, "company", {"de": name}, HERE) for actor, name in (
        ("us-firms", "US-Firmen"), ("us-firms", "US-based firms"), ("eu-firms", "EU-Firmen"),
        ("eu-firms", "EU-based firms"), ("kz-troops", "Kasachstan-Truppen"), ("ru-troops", "Russland-Truppen"))])
    [suspended] = index.suspended(text)
    assert suspended.text == first and text[suspended.start:suspended.end] == first
    assert {m.text for m in index.find(text)} == {second}
    assert index.suspended("Die US-Firmen und EU-Firmen.") == []  # nothing left out
