"""The hedge and attribution cue detector (kgraph.source.cues) and the sentences it reads."""

from __future__ import annotations

import doctest

import pytest

from kgraph.source import cues as cues_module
from kgraph.source import sentences as sentences_module
from kgraph.source.cues import cues_for_quote, find_cues, suggest
from kgraph.source.sentences import sentence_around


def _words(text, language="de"):
    return [c.word for c in find_cues(text, language)]


@pytest.mark.parametrize("module", [cues_module, sentences_module])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("text, words", [
    ("Die Truppen sollen abziehen.", ["sollen"]),
    ("Er soll verhaftet worden sein.", ["soll"]),
    ("Der Abzug solle nicht länger dauern.", ["solle"]),
    ("Es scheint so.", ["scheint"]),
    ("Sie scheinen sich konsolidiert zu haben.", ["scheinen"]),
    ("Das könnte stimmen, und sie könnten recht haben.", ["könnte", "könnten"]),
    ("Das dürfte teuer werden.", ["dürfte"]),
    ("Er will wohl verhindern, dass sie bleiben.", ["wohl"]),
    ("Angeblich floh er, vermutlich nach Moskau.", ["Angeblich", "vermutlich"]),
    ("Die mutmaßlichen Täter und die mutmasslichen Helfer.", ["mutmaßlichen", "mutmasslichen"]),
    ("Er ist offenbar geflohen, anscheinend nachts.", ["offenbar", "anscheinend"]),
    ("Masimov gilt als Gefolgsmann.", ["gilt als"]),
    ("Weil Masimov als einer der Gefolgsleute gilt, floh er.", ["als einer der Gefolgsleute gilt"]),
    ("WOHL kaum.", ["WOHL"]),
])
def test_german_cues_and_their_inflections(text, words):
    assert _words(text) == words


@pytest.mark.parametrize("text", [
    "Der Wohlstand wächst.",                     # "wohl" inside a word
    "Das ist eine Sollbruchstelle.",             # "soll" inside a word
    "Zum Wohl des Volkes.",                      # the noun
    "Sie haben ihr Soll erfüllt.",               # the noun
    "Er konnte fliehen, sie sollten bleiben.",   # indicative "konnte", "sollten" is no hearsay
    "Sowohl Toqajev als auch Nasarbajev.",
    "Er kam als Gast, und sie gilt nun viel.",   # "als" and "gilt" in different clauses
    "Er hätte gern Tee.",                        # "hätte" without "können"/"haben"
    "Die Menge schrie laut und lange.",          # "laut" the adjective
    "Ein lauter Laut war zu hören.",             # "Laut" the noun
    "Offenbarung und Scheinwerfer.",
])
def test_german_words_that_are_no_cues(text):
    assert _words(text) == []


def test_haette_needs_koennen_or_haben_later_in_the_same_sentence():
    assert _words("Sie hätten die Zellen verheimlicht, um ihn stürzen zu können.") == ["hätten"]
    assert _words("Er hätte es gewusst haben müssen.") == ["hätte"]
    assert _words("Er hätte Zeit. Sie können warten.") == []


def test_kind_and_suggested_modality():
    found = {c.lemma: (c.kind, c.suggests) for c in find_cues(
        "Laut Beobachtern soll er wohl geflohen sein, es scheint so.", "de")}
    assert found == {"laut": ("attribution", "reported"), "soll": ("attribution", "reported"),
                     "wohl": ("hedge", "speculated"), "scheinen": ("hedge", "assessed")}


@pytest.mark.parametrize("text, source", [
    ("Laut kaz.Beobachtern werde die Hauptstadt nicht genannt.", "kaz.Beobachtern"),
    ("Das sei so, laut dem russischen Außenministerium.", "dem russischen Außenministerium"),
    ("Dem Bericht zufolge floh er.", "Dem Bericht"),
    ("Angaben der Polizei zufolge floh er.", "Angaben der Polizei"),
    ("Der Abzug dauert nicht länger als 10 Tage, so Toqajev.", "Toqajev"),
    ("Nach Angaben der Regierung liegt der Schaden bei 2 Milliarden.", "der Regierung"),
])
def test_german_attribution_names_its_source(text, source):
    assert [c.source for c in find_cues(text, "de") if c.kind == "attribution"] == [source]


def test_so_is_a_cue_only_as_a_closing_attribution():
    assert _words("Er kam, so dass alle gingen.") == []
    assert _words("So Toqajev am Montag.") == []


@pytest.mark.parametrize("text, words", [
    ("The CSTO will reportedly withdraw.", ["reportedly"]),
    ("He allegedly fled, apparently at night.", ["allegedly", "apparently"]),
    ("According to Kazakh observers, the capital was renamed.", ["According to"]),
    ("He is said to have fled.", ["is said to"]),
    ("The government claims that 2 billion were lost.", ["claims"]),
    ("It is likely that they may stay, or they might leave.", ["likely", "may", "might"]),
    ("Two suspected militants were held; it seems calm.", ["suspected", "seems"]),
    ("Masimov is widely regarded as a loyalist; Rakishev is considered rich.",
     ["is widely regarded as", "is considered"]),
])
def test_english_cues(text, words):
    assert _words(text, "en") == words


@pytest.mark.parametrize("text", [
    "The unrest began in May 2022.",
    "The claims of the government were checked.",
    "He said to the press that he stays.",
    "Unlikely allies met.",
])
def test_english_words_that_are_no_cues(text):
    assert _words(text, "en") == []


def test_english_source_stops_at_punctuation():
    [cue] = find_cues("The damage is 2 billion, according to the government.", "en")
    assert cue.source == "the government"


@pytest.mark.parametrize("text, words", [
    ("По словам министра, войска уйдут.", ["По словам"]),
    ("По данным МВД, он якобы бежал.", ["По данным", "якобы"]),
    ("Вероятно, это правда, возможно, и нет; предположительно завтра.",
     ["Вероятно", "возможно", "предположительно"]),
])
def test_russian_cues(text, words):
    assert _words(text, "ru") == words


def test_russian_words_that_are_no_cues():
    assert _words("Это невозможно, возможность есть.", "ru") == []


def test_russian_source():
    assert [c.source for c in find_cues("По словам министра обороны, войска уйдут.", "ru")] == ["министра обороны"]


def test_language_picks_the_table():
    text = "Er soll fliehen. He reportedly fled. Он якобы бежал."
    assert _words(text, "de") == ["soll"]
    assert _words(text, "en-GB") == ["reportedly"]
    assert _words(text, None) == ["soll", "reportedly", "якобы"]
    assert _words(text, "fr") == []


def test_offsets_point_at_the_word():
    text = "Systematisch werden die letzten mutmaßlichen Schläferzellen ausgehoben."
    [cue] = find_cues(text, "de")
    assert text[cue.start:cue.end] == "mutmaßlichen"
    assert cue.attributive
    assert not find_cues("Er ist mutmaßlich geflohen.", "de")[0].attributive


def test_sentence_around_a_quote_ends_at_line_breaks_list_items_and_full_stops():
    text = "Im Überblick:\n- OVKS-Truppen sollen abziehen,\n- Toqajev greift durch.\nEr siegt. Am 10.01. ein Trauertag."
    for quote, sentence in [("Toqajev greift", "- Toqajev greift durch."),
                            ("OVKS", "- OVKS-Truppen sollen abziehen,"),
                            ("ein Trauertag", "Am 10.01. ein Trauertag."),
                            ("siegt. Am", "Er siegt. Am 10.01. ein Trauertag.")]:
        start = text.index(quote)
        s, e = sentence_around(text, start, start + len(quote))
        assert text[s:e] == sentence


def test_cues_for_quote_reads_its_sentence_but_not_other_sentences():
    text = "Die OVKS bleibt wohl lange. Toqajev regiert.\n- Russland soll helfen"
    assert [c.word for c in cues_for_quote(text, 0, len("Die OVKS"), "de")] == ["wohl"]
    start = text.index("Toqajev")
    assert cues_for_quote(text, start, start + 7, "de") == []


def test_an_aside_in_brackets_is_its_own_sentence():
    text = ("Laut Beobachtern werde die Hauptstadt nicht mehr genannt (nach dem Vornamen des "
            "Ex-Präsidenten Nasarbajev), sondern (wohl bewusst) nur noch als Hauptstadt.")
    aside = text.index("nach dem Vornamen")
    assert cues_for_quote(text, aside, aside + 17, "de") == []
    start = text.index("die Hauptstadt")
    assert [c.word for c in cues_for_quote(text, start, start + 14, "de")] == ["Laut"]


def test_an_attributive_hedge_counts_only_inside_the_quote():
    text = "Razzien werden durchgeführt und die mutmaßlichen Zellen ausgehoben."
    assert cues_for_quote(text, 0, 7, "de") == []
    start = text.index("die mutmaßlichen")
    assert [c.word for c in cues_for_quote(text, start, start + 20, "de")] == ["mutmaßlichen"]


def test_gilt_at_the_end_of_its_clause_bears_only_on_that_clause():
    text = "Weil Masimov als Gefolgsmann gilt, Chef war und verhaftet wurde."
    assert [c.suggests for c in cues_for_quote(text, 5, 33, "de")] == ["assessed"]
    assert cues_for_quote(text, text.index("verhaftet"), len(text) - 1, "de") == []


def test_suggest_prefers_attribution_then_conjecture_then_judgement():
    assert suggest(find_cues("Es scheint, er hätte fliehen können.", "de")).modality == "speculated"
    assert suggest(find_cues("Es scheint so.", "de")).modality == "assessed"
    wanted = suggest(find_cues("Er hätte fliehen können, so Toqajev.", "de"))
    assert (wanted.modality, wanted.source) == ("reported", "Toqajev")
    assert suggest(find_cues("Toqajev regiert.", "de")).modality == "stated"


@pytest.mark.parametrize("text", [
    "ae " * 30000 + "zufolge",      # a source looked for before the cue
    "laut aee " * 10000,            # ... and after it
    ", so ae " * 10000 + ".",       # a closing attribution tried at every comma
    "hätte " * 20000 + "können",    # "hätte ... können" checked for each "hätte"
])
def test_a_hostile_sentence_costs_linear_time(text):
    import time

    started = time.perf_counter()
    find_cues(text, "de")
    assert time.perf_counter() - started < 5
