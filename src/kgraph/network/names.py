"""Resolve the names people type into actors, and say how sure the answer is.

``Toqajev``, ``Tokaev``, ``tokayev``, ``Токаев`` and ``Tokayv`` all find
Kassym-Jomart Tokayev: names are matched against every id, label and alias
after folding case, diacritics and punctuation, transliterating Cyrillic
(anyascii), and reducing spelling variants to a skeleton (q/k, j/y, w/v,
doubled letters). :meth:`NameIndex.match` answers with a :class:`Match`
that says how the name was found:

``exact``
    the whole of one actor's id, label or alias (after folding).
``ambiguous``
    a whole name of one actor that also fits others (``Biden``: the alias of
    Joe Biden and the surname of Hunter Biden); the actor with a whole name
    that fits is taken before one whose name only ends with it, then the
    first by id, and the others are listed.
``words``
    two or more words, all in one name of exactly one actor
    (``National Security Committee``); a single word must be a whole name,
    so generic words (``Regierung``, ``Sicherheit``) find nothing.
``close``
    one or two letters off one actor's name (``Massimof``).

Anything else raises :class:`~kgraph.errors.UnknownActor` with suggestions,
or :class:`~kgraph.errors.AmbiguousActor` when the words or the close
spelling fit several actors equally.

>>> from kgraph.network.names import fold, skeleton
>>> fold("Nasarbajev-Clan")
'nasarbajev clan'
>>> skeleton("Toqajev") == skeleton("Tokayev") == skeleton("Токаев")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..errors import AmbiguousActor, KgraphError, UnknownActor

__all__ = ["fold", "skeleton", "NameIndex", "Match", "MAX_NAME_LENGTH"]

# How many letters (of the skeleton) a close spelling may differ by. Measured over
# every name of the bundled actors: typos of names are one letter off
# (Massimof, Tokayv, Byden); generic words are three or more (Präsident is
# three from Razzien, Regierung three from kaz.Regierung, Sicherheit four from
# Sicherheitsrat), except Russen, two from Razzien, hence two only for long names.
CLOSE_DISTANCE = 1
CLOSE_DISTANCE_LONG = 2
LONG_NAME = 10
# Below this many letters a one-letter difference is a different name (Russ is not US).
FUZZY_MIN_LENGTH = 5
MAX_NAME_LENGTH = 200
# The kinds of key a name is found by (:meth:`NameIndex.keys_of`). Files keep these keys: a change to
# them or to the folding must bump actorindex.INDEX_VERSION and remotenames.NAMES_VERSION.
FOLDED, SKELETON, SURNAME = 0, 1, 2
# Names longer than this are not indexed: nobody types them, and folding a
# 1 MB label cost every command a second.
_LONGEST_INDEXED = 4 * MAX_NAME_LENGTH
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Spelling variants of the same sound across the transliterations of Russian
# and Kazakh names (BGN/PCGN, ISO 9, German Duden, the usual English forms),
# applied to each word in order, so that Kasymzhomart, Kassym-Jomart,
# Qasym-Jomart and Kassym-Schomart share one key. The key is a phonetic one,
# like Soundex: it merges the hushing sounds (ж, ш, щ, дж: zh, sh, sch, dsch,
# j) into one, because German writes ж and ш alike and English writes ж as j.
# "J" marks that sound until the letter j has been sorted out: after a vowel
# j is the glide й (Toqajev = Tokayev); at the start of a word, as y there,
# it is taken for the hushing sound (Jomart = Zhomart, Jelzin = Yeltsin).
# Longer spellings go first so "tsch" is not read as "sch".
_VARIANTS = [
    ("schtsch", "J"), ("shch", "J"), ("dzh", "J"), ("dsch", "J"), ("tsch", "ch"), ("sch", "J"),
    ("zh", "J"), ("sh", "J"), ("kh", "h"), ("ch", "h"), ("ts", "z"), ("tz", "z"),
    ("q", "k"), ("ck", "k"), ("c", "k"), ("x", "ks"), ("ph", "f"), ("w", "v"), ("z", "s"),
]
_GLIDE_J = re.compile(r"(?<=[aeiou])j")
_HUSHING = re.compile(r"j|^y")
# Russian surname endings: -ov/-ev written -off, -of (Tokayeff); -ow became -ov above.
_FINAL_F = re.compile(r"(?<=[aeiouy])f+$")
# Words that name nothing on their own: a query's other words must do the naming.
_FUNCTION_WORDS = frozenset(
    "a an and at by for from in of on the to "
    "am aus das dem den der des die ein eine fur gegen im und uber vom von zu zum zur".split())
_VOWEL_Y = re.compile(r"(?<=[aeiou])y(?=[aeiou])")
_DOUBLE = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower-case ASCII with punctuation as single spaces."""
    if not text.isascii():  # ASCII is its own NFKC form and transliteration
        from anyascii import anyascii

        text = anyascii(unicodedata.normalize("NFKC", text))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def skeleton(text: str) -> str:
    """:func:`fold` without spaces and with transliteration variants unified."""
    return _skeleton_of_folded(fold(text))


def _skeleton_of_folded(folded: str) -> str:
    # Numbers have no spelling variants, and names numbered by the thousand would push
    # the words out of _sound_key's cache.
    key = "".join([w if w.isdigit() else _sound_key(w) for w in folded.split(" ")]) if folded else ""
    # Most names have no doubled letter; the search is cheaper than a substitution,
    # and a function cheaper than a template.
    return _DOUBLE.sub(lambda m: m.group(1), key) if _DOUBLE.search(key) else key




@lru_cache(maxsize=100_000)
def _sound_key(word: str) -> str:
    """One folded word with its transliteration variants unified (see ``_VARIANTS``).

    >>> {skeleton(w) for w in ("Kasymzhomart", "Qasym-Jomart", "Kassym-Schomart", "Касым-Жомарт")}
    {'kasimjomart'}
    >>> _sound_key("tokajew") == _sound_key("tokayeff") == _sound_key("tokaev")
    True
    """
    for old, new in _VARIANTS:
        word = word.replace(old, new)
    word = _HUSHING.sub("J", _GLIDE_J.sub("y", word))
    word = _FINAL_F.sub("v", word)
    # y between vowels is a glide the Cyrillic spelling has in its vowel (Tokayev = Токаев)
    return _VOWEL_Y.sub("", word).replace("y", "i").replace("J", "j")


@dataclass(frozen=True)
class Match:
    """The actor a typed name was taken as, and how.

    ``how`` is ``exact``, ``ambiguous``, ``words`` or ``close`` (see the module
    docstring); ``matched`` is the actor's name that fitted; ``score`` (0-100)
    is how alike the typed name and that name are once folded;
    ``alternatives`` are the other actors the name also fits.

    Examples
    --------
    >>> from kgraph import NameIndex, load_projection
    >>> match = NameIndex(load_projection().actors.values()).match("Tokayv")
    >>> match.actor.id, match.how, match.matched
    ('tokayev', 'close', 'Tokaev')
    >>> match.note()
    "taking 'Tokayv' as Kassym-Jomart Tokayev (close spelling)"
    """

    query: str
    actor: object
    how: str
    matched: str
    score: float
    alternatives: tuple = ()

    def note(self) -> str | None:
        """The line that tells a person what was assumed; ``None`` for an exact match."""
        if self.how == "exact":
            return None
        taken = f"taking {self.query!r} as {self.actor.label}"
        if self.how == "ambiguous":
            return f"{taken}; also matches: {', '.join(a.label for a in self.alternatives)}"
        return f"{taken} ({'close spelling' if self.how == 'close' else 'words of its name'})"

    def to_dict(self) -> dict:
        return {"query": self.query, "id": self.actor.id, "label": self.actor.label, "how": self.how,
                "matched": self.matched, "score": self.score,
                "alternatives": [{"id": a.id, "label": a.label} for a in self.alternatives]}


class NameIndex:
    """An index of actor names for resolution.

    Parameters
    ----------
    actors : iterable
        Objects with ``id``, ``type``, ``label``, ``labels`` (dict) and
        ``aliases`` (list), e.g. :class:`kgraph.network.projection.ActorInfo`.

    Examples
    --------
    >>> from kgraph import NameIndex, load_projection
    >>> names = NameIndex(load_projection().actors.values())
    >>> names.resolve("Toqajev").id
    'tokayev'
    >>> names.match("Tokayv").how
    'close'

    A name two actors share is taken as the first, and says so:

    >>> from kgraph.network.projection import ActorInfo
    >>> index = NameIndex([ActorInfo("ann", "person", "Ann Lee"), ActorInfo("bo", "person", "Bo Lee")])
    >>> index.match("Lee").note()
    "taking 'Lee' as Ann Lee; also matches: Bo Lee"
    """

    def __init__(self, actors: Iterable):
        self.actors = {a.id: a for a in actors}
        self._folded: dict[str, set[str]] = defaultdict(set)
        self._skeleton: dict[str, set[str]] = defaultdict(set)
        self._surname: dict[str, set[str]] = defaultdict(set)  # people are called by the last word of their name
        tables = (self._folded, self._skeleton, self._surname)
        for actor in self.actors.values():
            for kind, key in self.keys_of(actor):
                tables[kind][key].add(actor.id)
        self._choices = sorted(k for k in self._skeleton if len(k) >= FUZZY_MIN_LENGTH - 1)

    def close(self) -> None:
        """Release what the index holds open: nothing for one in memory, a file for one kept on disk."""

    @staticmethod
    def names_of(actor) -> list[str]:
        return [actor.id, actor.label, *actor.labels.values(), *actor.aliases]

    @classmethod
    def keys_of(cls, actor) -> Iterator[tuple[int, str]]:
        """The (:data:`FOLDED`, :data:`SKELETON` or :data:`SURNAME`, key) of each of the actor's names,
        in the order the index meets them (an actor's row in the index can be written without the index)."""
        # A label is usually also among the labels and aliases: fold each name once.
        for name in dict.fromkeys(cls.names_of(actor)):
            if len(name) > _LONGEST_INDEXED:
                continue
            folded = fold(name)
            yield FOLDED, folded
            yield SKELETON, _skeleton_of_folded(folded)
            if actor.type == "person" and " " in folded:
                yield SURNAME, _skeleton_of_folded(folded.rsplit(" ", 1)[1])

    def _spelling(self, actor_id: str, *tests) -> str:
        """The actor's name, as written, whose folded form passes the first test any name passes.

        Among names that pass the same test, labels and aliases go before the id.
        """
        actor = self.actors[actor_id]
        names = [(name, fold(name)) for name in [*self.names_of(actor)[1:], actor.id] if len(name) <= _LONGEST_INDEXED]
        return next(name for test in tests for name, folded in names if test(folded))

    def _describe(self, actor_id: str) -> str:
        actor = self.actors[actor_id]
        return f"{actor.label} ({actor_id})"

    def resolve(self, name: str):
        """The actor ``name`` means: ``match(name).actor``."""
        return self.match(name).actor

    def match(self, name: str) -> Match:
        """How ``name`` finds an actor; :class:`UnknownActor` or :class:`AmbiguousActor` when it does not."""
        if not isinstance(name, str) or not name.strip():
            raise KgraphError("empty actor name")
        if len(name) > MAX_NAME_LENGTH:
            raise KgraphError(f"actor name too long ({len(name)} characters; at most {MAX_NAME_LENGTH})")
        if name in self.actors:
            return Match(name, self.actors[name], "exact", name, 100.0)
        folded = fold(name)
        key = _skeleton_of_folded(folded)
        found = (self._whole_name(name, folded, key) or self._words(name, folded, key)
                 or self._close(name, folded, key))
        if found is None:
            raise UnknownActor(name, self.suggest(name))
        return found

    def _whole_name(self, name: str, folded: str, key: str) -> Match | None:
        whole = self._folded.get(folded) or self._skeleton.get(key, set())
        fits = {i: 0 for i in whole} | {i: 1 for i in self._surname.get(key, ()) if i not in whole}
        if not fits:
            return None
        ranked = sorted(fits, key=lambda i: (fits[i], i))
        first = ranked[0]
        spelling = self._spelling(first, lambda f: f == folded, lambda f: _skeleton_of_folded(f) == key,
                                  lambda f: _skeleton_of_folded(f.rsplit(" ", 1)[-1]) == key)
        # A name equal only once the transliteration rule has unified it (Massimof, Tokajew) is
        # a close spelling, said on stderr; equal after folding case, accents and script is exact.
        written = fold(spelling)
        how = ("ambiguous" if len(ranked) > 1
               else "exact" if folded in (written, written.rsplit(" ", 1)[-1]) else "close")
        return Match(name, self.actors[first], how, spelling, self._score(folded, spelling),
                     tuple(self.actors[i] for i in ranked[1:]))

    @cached_property
    def _word_sets(self) -> list[tuple[frozenset[str], str, str]]:
        """(skeletons of the words, actor id, folded name) for every name; built on the first words query."""
        return [(frozenset(map(_skeleton_of_folded, folded.split())), actor_id, folded)
                for folded, ids in sorted(self._folded.items()) for actor_id in sorted(ids)]

    def _words(self, name: str, folded: str, key: str) -> Match | None:
        words = {_skeleton_of_folded(w) for w in folded.split() if w not in _FUNCTION_WORDS}
        if len(words) < 2:
            return None
        fits: dict[str, str] = {}
        for name_words, actor_id, whole in self._word_sets:
            if words <= name_words:
                fits.setdefault(actor_id, whole)
        if len(fits) > 1:
            raise AmbiguousActor(name, [self._describe(i) for i in sorted(fits)])
        if not fits:
            return None
        (actor_id, whole), = fits.items()
        spelling = self._spelling(actor_id, lambda f: f == whole)
        return Match(name, self.actors[actor_id], "words", spelling, self._score(folded, spelling))

    def _close(self, name: str, folded: str, key: str) -> Match | None:
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        limit = CLOSE_DISTANCE_LONG if len(key) >= LONG_NAME else CLOSE_DISTANCE
        near = process.extract(key, self._choices, scorer=Levenshtein.distance, limit=None, score_cutoff=limit)
        if not near:
            return None
        best = min(distance for _, distance, _ in near)
        closest = sorted({(choice, i) for choice, distance, _ in near if distance == best
                          for i in self._skeleton[choice]}, key=lambda pair: (pair[1], pair[0]))
        ids = sorted({i for _, i in closest})
        if len(ids) > 1:
            raise AmbiguousActor(name, [self._describe(i) for i in ids])
        choice, actor_id = closest[0]
        spelling = self._spelling(actor_id, lambda f: _skeleton_of_folded(f) == choice)
        return Match(name, self.actors[actor_id], "close", spelling, self._score(folded, spelling))

    @staticmethod
    def _score(folded: str, spelling: str) -> float:
        matched = fold(spelling)
        if matched == folded:  # most answers: no need to load rapidfuzz
            return 100.0
        from rapidfuzz import fuzz

        return round(fuzz.ratio(folded, matched), 1)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` actors whose names hold the words of ``name``, then those that look like it."""
        key = skeleton(name)
        if not key:
            return []
        from rapidfuzz import fuzz, process

        words = {_skeleton_of_folded(w) for w in fold(name).split() if w not in _FUNCTION_WORDS}
        found = [self._describe(i) for i in sorted({i for name_words, i, _ in self._word_sets
                                                    if words and words <= name_words})]
        choices = sorted(k for k in self._skeleton if k)
        for choice, _, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=20, score_cutoff=55):
            for actor_id in sorted(self._skeleton[choice]):
                label = self._describe(actor_id)
                if label not in found:
                    found.append(label)
        return found[:limit]
