"""Resolve the names people type into actors.

``Toqajev``, ``Tokaev``, ``tokayev``, ``Токаев`` and ``Tokayv`` all find
Kassym-Jomart Tokayev: names are matched against every id, label and alias
after folding case, diacritics and punctuation, transliterating Cyrillic
(anyascii), and reducing spelling variants to a skeleton (q/k, j/y, w/v,
doubled letters). Small typos are matched with rapidfuzz above a threshold;
below it nothing is guessed.

>>> from kgraph.names import fold, skeleton
>>> fold("Nasarbajev-Clan")
'nasarbajev clan'
>>> skeleton("Toqajev") == skeleton("Tokayev") == skeleton("Токаев")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from .errors import AmbiguousActor, KgraphError, UnknownActor

__all__ = ["fold", "skeleton", "NameIndex", "FUZZY_THRESHOLD", "MAX_NAME_LENGTH"]

FUZZY_THRESHOLD = 80
# Below this many letters a one-letter difference is a different name (Russ is not US).
FUZZY_MIN_LENGTH = 5
MAX_NAME_LENGTH = 200
# Names longer than this are not indexed: nobody types them, and folding a
# 1 MB label cost every command a second.
_LONGEST_INDEXED = 4 * MAX_NAME_LENGTH
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Spelling variants of the same sound across German, English and Russian
# transliterations, applied in order.
_VARIANTS = [
    ("sch", "sh"), ("tsch", "ch"), ("dsch", "j"), ("zh", "j"),
    ("q", "k"), ("j", "y"), ("w", "v"), ("ph", "f"), ("x", "ks"), ("c", "k"), ("z", "s"),
]
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
    key = folded.replace(" ", "")
    for old, new in _VARIANTS:
        key = key.replace(old, new)
    key = _VOWEL_Y.sub("", key)
    # Most names have no doubled letter; the search is cheaper than a substitution,
    # and a function cheaper than a template.
    return _DOUBLE.sub(lambda m: m.group(1), key) if _DOUBLE.search(key) else key


class NameIndex:
    """An index of actor names for resolution.

    ``actors`` is an iterable of objects with ``id``, ``label``, ``labels``
    (dict) and ``aliases`` (list), e.g. :class:`kgraph.projection.ActorInfo`.
    """

    def __init__(self, actors: Iterable):
        self.actors = {a.id: a for a in actors}
        self._folded: dict[str, set[str]] = defaultdict(set)
        self._skeleton: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            # A label is usually also among the labels and aliases: fold each name once.
            for name in dict.fromkeys(self.names_of(actor)):
                if len(name) > _LONGEST_INDEXED:
                    continue
                folded = fold(name)
                self._folded[folded].add(actor.id)
                self._skeleton[_skeleton_of_folded(folded)].add(actor.id)
        self._choices = sorted(k for k in self._skeleton if len(k) >= FUZZY_MIN_LENGTH - 1)

    @staticmethod
    def names_of(actor) -> list[str]:
        return [actor.id, actor.label, *actor.labels.values(), *actor.aliases]

    def _pick(self, name: str, ids: set[str]):
        if len(ids) == 1:
            return self.actors[next(iter(ids))]
        raise AmbiguousActor(name, [self._describe(i) for i in sorted(ids)])

    def _describe(self, actor_id: str) -> str:
        actor = self.actors[actor_id]
        return f"{actor.label} ({actor_id})"

    def resolve(self, name: str):
        """The actor ``name`` means; :class:`UnknownActor` or :class:`AmbiguousActor` otherwise."""
        if not isinstance(name, str) or not name.strip():
            raise KgraphError("empty actor name")
        if len(name) > MAX_NAME_LENGTH:
            raise KgraphError(f"actor name too long ({len(name)} characters; at most {MAX_NAME_LENGTH})")
        if name in self.actors:
            return self.actors[name]
        folded = fold(name)
        if folded in self._folded:
            return self._pick(name, self._folded[folded])
        key = skeleton(name)
        if key in self._skeleton:
            return self._pick(name, self._skeleton[key])
        if len(key) >= FUZZY_MIN_LENGTH:
            from rapidfuzz import fuzz, process

            matches = process.extract(key, self._choices, scorer=fuzz.ratio, limit=10,
                                      score_cutoff=FUZZY_THRESHOLD)
            if matches:
                best = matches[0][1]
                ids = set().union(*(self._skeleton[m[0]] for m in matches if m[1] >= best - 1e-9))
                return self._pick(name, ids)
        raise UnknownActor(name, self.suggest(name))

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` actors whose names look like ``name``."""
        key = skeleton(name)
        if not key:
            return []
        from rapidfuzz import fuzz, process

        found: list[str] = []
        choices = sorted(k for k in self._skeleton if k)
        for choice, _, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=20, score_cutoff=55):
            for actor_id in sorted(self._skeleton[choice]):
                label = self._describe(actor_id)
                if label not in found:
                    found.append(label)
        return found[:limit]
