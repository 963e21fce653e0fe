"""Names are matched the way people type them; nothing is guessed beyond the threshold."""

from __future__ import annotations

import pytest

from kgraph.errors import AmbiguousActor, KgraphError, UnknownActor
from kgraph.names import NameIndex, fold, skeleton
from kgraph.projection import ActorInfo


@pytest.fixture(scope="module")
def index(projection):
    return NameIndex(projection.actors.values())


@pytest.mark.parametrize("typed, expected", [
    ("tokayev", "tokayev"), ("Tokayev", "tokayev"), ("Toqajev", "tokayev"), ("Toqaev", "tokayev"),
    ("Tokaev", "tokayev"), ("TOKAYEV", "tokayev"), ("Токаев", "tokayev"), ("Тоқаев", "tokayev"),
    ("Tokayv", "tokayev"), ("Kassym-Jomart Tokayev", "tokayev"), ("Qassym-Schomart Toqajew", "tokayev"),
    ("Nasarbajev", "nazarbayev"), ("Назарбаев", "nazarbayev"), ("nazarbaev", "nazarbayev"),
    ("Masimov", "masimov"), ("Massimow", "masimov"), ("Biden", "joe-biden"), ("Hunter Biden", "hunter-biden"),
    ("OVKS", "csto"), ("ОДКБ", "csto"), ("Kirgizien", "kyrgyzstan"), ("Weißrussland", "belarus"),
    ("Nasarbajev-Clan", "nazarbayev-clan"), ("Sicherheitscommittee", "knb"), ("  csto ", "csto"),
])
def test_resolves(index, typed, expected):
    assert index.resolve(typed).id == expected


def test_unknown_name_suggests(index):
    with pytest.raises(UnknownActor) as info:
        index.resolve("Russ")
    assert str(info.value).startswith("no actor named 'Russ'; did you mean: ")
    assert "Russia (russia)" in str(info.value)


def test_far_names_are_not_guessed(index):
    for name in ("Putin", "xyzzy", "Lukashenko"):
        with pytest.raises(UnknownActor):
            index.resolve(name)


def test_ambiguous_name_lists_candidates():
    actors = [ActorInfo(id="a-smith", type="person", label="Anna Smith", aliases=["Smith"]),
              ActorInfo(id="b-smith", type="person", label="Bob Smith", aliases=["Smith"])]
    with pytest.raises(AmbiguousActor) as info:
        NameIndex(actors).resolve("smith")
    assert str(info.value) == "'smith' is ambiguous; it could be: Anna Smith (a-smith), Bob Smith (b-smith)"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 100_000])
def test_empty_or_huge_names_are_errors(index, bad):
    with pytest.raises(KgraphError):
        index.resolve(bad)


def test_fold_and_skeleton():
    assert fold("Öl-Firmen  (EU)") == "ol firmen eu"
    assert skeleton("Nasarbajev") == skeleton("Nazarbayev")
    assert skeleton("Massimow") == skeleton("Masimov")
