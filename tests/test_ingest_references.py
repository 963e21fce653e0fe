"""Actors a post refers to without their name (kgraph.ingest.references), on text made for the tests."""

from __future__ import annotations

import doctest

import pytest

from kgraph.ingest import references as references_module
from kgraph.ingest.mentions import ActorNames, AliasIndex
from kgraph.ingest.references import References

ACTORS = [
    ActorNames("tajikistan", {"en": "Tajikistan", "de": "Tadschikistan"}, [], "country"),
    ActorNames("sylvania", {"en": "Sylvania", "de": "Sylvanien"}, [], "country"),
    ActorNames("armenia", {"en": "Armenia", "de": "Armenien"}, [], "country"),
    ActorNames("china", {"en": "China"}, [], "country"),
    ActorNames("tajik-bank", {"en": "Tajikistan-Bank"}, [], "company"),
    ActorNames("dushanbe", {"en": "Dushanbe", "de": "Duschanbe"}, [], "city"),
    ActorNames("rahmon", {"en": "Emomali Rahmon"}, ["Rahmon"], "person"),
    ActorNames("ivanov", {"en": "Ivan Ivanov"}, ["Ivanov"], "person"),
    ActorNames("ivanov-arrest", {"en": "Arrest of Ivan Ivanov", "de": "Verhaftung von Ivan Ivanov"}, [], "event"),
    ActorNames("crackdown", {"en": "Rahmon's crackdown", "de": "Rahmons hartes Durchgreifen"}, [], "event"),
    ActorNames("airport", {"en": "Dushanbe airport", "de": "Flughafen Duschanbe"}, [], "place"),
    ActorNames("occupation", {"en": "Occupation of Dushanbe airport", "de": "Besetzung des Flughafens Duschanbe"},
               ["airport occupation"], "event"),
]
INDEX = AliasIndex(ACTORS)


def read(language: str, *posts: str) -> list[list[tuple[str, str]]]:
    """(actor, words) each post refers to, the posts read in order."""
    references = References(ACTORS, INDEX)
    found = []
    for text in posts:
        matches = INDEX.find(text)
        names = [(m.ids[0], m.start, m.end) for m in matches + [i for m in matches for i in INDEX.inside(text, m)]]
        found.append([(actor, text[start:end]) for actor, start, end in references.read(text, names, language)])
    return found


def test_docstring_examples_run():
    result = doctest.testmod(references_module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("language, text, expected", [
    ("de", "Der tadschikische Präsident Rahmon reiste ab.", [("tajikistan", "tadschikische")]),
    ("de", "Sylvanische Truppen landeten.", [("sylvania", "Sylvanische")]),
    ("de", "Der tadsch.Präsident Rahmon reiste ab.", [("tajikistan", "tadsch")]),
    ("en", "The Tajik president Rahmon left.", [("tajikistan", "Tajik")]),
    ("en", "Chinese troops landed.", [("china", "Chinese")]),
    ("ru", "Таджикский президент уехал.", [("tajikistan", "Таджикский")]),   # by transliteration
])
def test_a_demonym_or_abbreviation_names_its_country(language, text, expected):
    assert read(language, text) == [expected]


@pytest.mark.parametrize("language, text", [
    ("de", "Er half den Armen, das ist typisch."),        # "Armen" (the poor) is no demonym in German
    ("de", "Die Miete war teuer."),
    ("en", "The armed men left the arena."),
])
def test_words_that_only_look_like_demonyms(language, text):
    assert read(language, text) == [[]]


@pytest.mark.parametrize("language, posts, expected", [
    ("de", ("Tadschikistan wählt.", "Quer durchs Land wird gefeiert, die Wirtschaft des Landes wächst."),
     [("tajikistan", "durchs Land"), ("tajikistan", "des Landes")]),
    ("en", ("Sylvania votes.", "The country's economy grows."), [("sylvania", "The country's")]),
    ("en", ("Sylvania votes. Tajikistan too.", "The country celebrates."), [("tajikistan", "The country")]),
    # a country within a name is no country of its own
    ("en", ("Sylvania votes. The Tajikistan-Bank too.", "The country celebrates."), [("sylvania", "The country")]),
])
def test_the_country_is_the_country_named_last(language, posts, expected):
    assert read(language, *posts)[-1] == expected


@pytest.mark.parametrize("language, posts, expected", [
    ("de", ("Rahmon gewann die Wahl gegen Ivanov.", "Zur Erinnerung. Danach entließ er alle Minister."),
     [("rahmon", "er")]),
    ("en", ("Rahmon won the vote against Ivanov.", "Then he dismissed every minister."), [("rahmon", "he")]),
    # a name before the pronoun: the pronoun may be anyone's
    ("en", ("Rahmon won.", "Ivanov lost, and he left."), []),
    # the post before names no person
    ("de", ("Tadschikistan wählt.", "Dann ging er."), []),
])
def test_a_pronoun_opening_a_post_takes_up_the_person_the_post_before_was_about(language, posts, expected):
    assert read(language, *posts)[-1] == expected


@pytest.mark.parametrize("language, text, expected", [
    ("de", "Gestern wurde Ivanov in Duschanbe verhaftet.", [("ivanov-arrest", "verhaftet")]),
    ("de", "Jetzt greift Rahmon hart durch.", [("crackdown", "greift")]),
    ("de", "Bewaffnete besetzen den Flughafen Duschanbe.", [("occupation", "besetzen")]),
    ("en", "Yesterday Ivanov was arrested in Dushanbe.", [("ivanov-arrest", "arrested")]),
    ("en", "Armed men occupied Dushanbe airport.", [("occupation", "occupied")]),
])
def test_an_event_told_by_its_verb_beside_a_participant(language, text, expected):
    assert read(language, text) == [expected]


@pytest.mark.parametrize("language, text", [
    ("de", "Viele wurden verhaftet. Ivanov floh."),         # the participant is in another sentence
    ("en", "Ivanov's arrest was expected."),                 # the noun alone is no verb form
    ("en", "Dushanbe airport reopened for flights."),        # "airport" is the place's word, not the event's
])
def test_no_event_without_its_verb_and_a_participant_in_one_sentence(language, text):
    assert ("ivanov-arrest", "arrest") not in read(language, text)[0]
    assert not [actor for actor, _ in read(language, text)[0] if actor in ("ivanov-arrest", "occupation")]
