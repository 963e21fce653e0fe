"""Find the known actors a post names, however it spells and inflects them.

The alias index holds every id, label (all languages) and alias of every
actor in every dataset. Names are compared word by word after
:func:`kgraph.network.names.skeleton` (case, diacritics, Cyrillic and spelling
variants folded: Toqajev = Tokayev = Токаев), and a word may also match
without a German or Russian inflection ending (genitive "Toqajevs",
"Nasarbaevs"; dative "Nasarbajev-Gefolgsleuten"; Russian "Токаева").
The longest name wins ("Hunter Biden" is Hunter, not Joe), and the first part
of a hyphenated compound counts too ("Nasarbajev-Clan" names both the clan
and Nazarbayev). Names of three letters or fewer ("US", "EU", "KNB") match
only as written, so the German "es" is not the Cyrillic "ЕС".

>>> from kgraph.source.model import Actor, Where
>>> here = Where("actors.yaml", 1)
>>> index = AliasIndex([
...     Actor("tokayev", "person", {"en": "Kassym-Jomart Tokayev"}, here, aliases=["Toqajev"]),
...     Actor("nazarbayev", "person", {"en": "Nursultan Nazarbayev"}, here, aliases=["Nasarbaev"]),
...     Actor("nazarbayev-clan", "group", {"de": "Nasarbajew-Clan"}, here),
... ])
>>> [m.ids for m in index.find("Toqajevs Sieg über den Nasarbajev-Clan")]
[('tokayev',), ('nazarbayev-clan',), ('nazarbayev',)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..network.names import fold, skeleton

__all__ = ["AliasIndex", "ActorNames", "Match", "Token", "tokenize", "load_actors", "SHORT_NAME"]

# Letters and digits; "#" and "@" are kept out so "#Biden" is the word "Biden".
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Inflection endings tried when a word does not match as it stands, longest
# first. German: genitive -s/-es, dative plural -n/-en. Russian: case endings.
_LATIN_ENDINGS = ("es", "en", "s", "n")
_CYRILLIC_ENDINGS = ("ого", "ому", "ым", "ом", "ой", "ею", "а", "у", "е", "ы", "я", "ю")
# A word stripped of an ending keeps at least this many letters.
_MIN_STEM = 4
# Names this short (folded, without spaces) match only as written.
SHORT_NAME = 3
_IDS = "\0"


class Token(NamedTuple):
    text: str
    start: int
    end: int
    hyphen_next: bool  # joined to the next word by a hyphen, as in "Nasarbajev-Clan"


class Match(NamedTuple):
    ids: tuple[str, ...]  # more than one: the name is ambiguous
    start: int
    end: int
    text: str             # the words as the post writes them
    first: int            # index of its first word in the post's tokens
    stop: int             # index after its last word


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with their offsets.

    >>> [(t.text, t.hyphen_next) for t in tokenize("OVKS-Truppen, #Biden")]
    [('OVKS', True), ('Truppen', False), ('Biden', False)]
    """
    spans = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    after = [start - 1 for _, start, _ in spans[1:]] + [-1]
    return [Token(word, start, end, end == gap and text[end] == "-")
            for (word, start, end), gap in zip(spans, after)]


@lru_cache(maxsize=200_000)
def _variants(word: str) -> tuple[str, ...]:
    """The skeletons ``word`` may match: as it stands, then without an ending."""
    forms = [skeleton(word)]
    folded = fold(word).replace(" ", "")
    if _CYRILLIC.search(word):
        lowered = word.lower()
        forms += [skeleton(lowered[: -len(e)]) for e in _CYRILLIC_ENDINGS
                  if lowered.endswith(e) and len(lowered) - len(e) >= _MIN_STEM]
    else:
        forms += [skeleton(folded[: -len(e)]) for e in _LATIN_ENDINGS
                  if folded.endswith(e) and len(folded) - len(e) >= _MIN_STEM]
    return tuple(dict.fromkeys(f for f in forms if f))


def _join_hyphenated(tokens: list[Token]) -> list[str]:
    words: list[str] = []
    glued = False
    for token in tokens:
        if glued:
            words[-1] += token.text
        else:
            words.append(token.text)
        glued = token.hyphen_next
    return words


def _names_of(actor) -> list[str]:
    return [actor.id, *actor.labels.values(), *actor.aliases]


class AliasIndex:
    """Every name of every actor, ready to be found in running text.

    ``actors`` have ``id``, ``labels`` and ``aliases``, like
    :class:`ActorNames` and :class:`kgraph.source.model.Actor`; the same id may come
    several times (one per dataset).
    """

    def __init__(self, actors: Iterable):
        self._trie: dict = {}    # skeleton word -> ... -> {_IDS: {ids}}
        self._exact: dict = {}   # short names, word as written -> ...
        self._whole: dict[str, set[str]] = {}  # skeleton of a whole name (hashtags)
        self._may_start: dict[str, bool] = {}  # word -> may a name start with it (a cache)
        self.ids: set[str] = set()
        for actor in actors:
            self.ids.add(actor.id)
            for name in _names_of(actor):
                self._add(name, actor.id)

    def _add(self, name: str, actor_id: str) -> None:
        tokens = tokenize(name)
        self._add_words(name, [t.text for t in tokens], actor_id)
        # A hyphenated name is also written as one word (Kassym-Jomart, Kasymzhomart).
        joined = _join_hyphenated(tokens)
        if len(joined) < len(tokens):
            self._add_words(name, joined, actor_id)

    def _add_words(self, name: str, words: list[str], actor_id: str) -> None:
        if not words:
            return
        key = skeleton(name)
        if len(key) <= SHORT_NAME:
            node = self._exact
            for word in words:
                node = node.setdefault(word, {})
        else:
            self._whole.setdefault(key, set()).add(actor_id)
            node = self._trie
            for word in words:
                node = node.setdefault(skeleton(word), {})
        node.setdefault(_IDS, set()).add(actor_id)

    def lookup(self, name: str) -> set[str]:
        """The ids whose name is ``name`` as a whole (for hashtags, authors).

        >>> AliasIndex([]).lookup("Nobody")
        set()
        """
        key = skeleton(name)
        if len(key) <= SHORT_NAME:
            node = self._exact
            for token in tokenize(name):
                node = node.get(token.text, {})
            return set(node.get(_IDS, ()))
        found = set(self._whole.get(key, ()))
        return found or self._walk(tokenize(name), 0, len(tokenize(name)))[1]

    def _walk(self, tokens: list[Token], i: int, limit: int) -> tuple[int, set[str]]:
        """The longest name starting at ``tokens[i]``: (its end, its ids)."""
        best_end, best_ids = i, set()
        nodes, exact = [self._trie], self._exact
        j = i
        while j < limit and (nodes or exact is not None):
            word = tokens[j].text
            nodes = [child for node in nodes for form in _variants(word) if (child := node.get(form))]
            exact = exact.get(word) if exact is not None else None
            j += 1
            ids = set().union(*(node.get(_IDS, ()) for node in nodes))
            if exact is not None:
                ids |= exact.get(_IDS, set())
            if ids:
                best_end, best_ids = j, ids
        return best_end, best_ids

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Every name of a known actor in ``text``, in order."""
        tokens = tokenize(text) if tokens is None else tokens
        found: list[Match] = []
        may_start = self._may_start
        i = 0
        while i < len(tokens):
            word = tokens[i].text
            starts = may_start.get(word)
            if starts is None:
                starts = may_start[word] = word in self._exact or any(f in self._trie for f in _variants(word))
            if not starts:
                i += 1
                continue
            end, ids = self._walk(tokens, i, len(tokens))
            if not ids:
                i += 1
                continue
            start_at, end_at = tokens[i].start, tokens[end - 1].end
            found.append(Match(tuple(sorted(ids)), start_at, end_at, text[start_at:end_at], i, end))
            if end - i > 1 and tokens[i].hyphen_next:
                head_end, head_ids = self._walk(tokens, i, i + 1)
                if head_ids and head_ids != ids:
                    found.append(Match(tuple(sorted(head_ids)), start_at, tokens[i].end, word, i, head_end))
            i = end
        return found

    def inside(self, text: str, match: Match, tokens: list[Token] | None = None) -> list[Match]:
        """The names of other actors within the words of ``match``.

        "Flughafen von Almaty" (the airport) holds Almaty, "Nasarbajev-Clan"
        Nazarbayev: a name that names another actor too relates the two.

        >>> from kgraph.source.model import Actor, Where
        >>> here = Where("actors.yaml", 1)
        >>> index = AliasIndex([Actor("almaty", "place", {"en": "Almaty"}, here),
        ...                     Actor("airport", "place", {"de": "Flughafen von Almaty"}, here)])
        >>> [(m.ids, m.text) for m in index.inside("am Flughafen von Almaty", index.find("am Flughafen von Almaty")[0])]
        [(('almaty',), 'Almaty')]
        """
        tokens = tokenize(text) if tokens is None else tokens
        found = []
        for i in range(match.first, match.stop):
            end, ids = self._walk(tokens, i, match.stop)
            if ids and set(ids) != set(match.ids) and (i, end) != (match.first, match.stop):
                start_at, end_at = tokens[i].start, tokens[end - 1].end
                found.append(Match(tuple(sorted(ids)), start_at, end_at, text[start_at:end_at], i, end))
        return found


    def suspended(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """The names whose end a suspended compound leaves out: "US-" in "US- und EU-Firmen" (US-Firmen).

        >>> from kgraph.source.model import Actor, Where
        >>> index = AliasIndex([Actor("us-firms", "company", {"en": "US-based firms"}, Where("a.yaml", 1))])
        >>> [(m.ids, m.text) for m in index.suspended("US- and EU-based firms left.")]
        [(('us-firms',), 'US-')]
        """
        tokens = tokenize(text) if tokens is None else tokens
        found = []
        for i, token in enumerate(tokens[:-2]):
            shared = tokens[i + 2]   # the compound whose end is shared: "EU-Firmen"
            if (text[token.end:token.end + 1] != "-" or token.hyphen_next or not shared.hyphen_next
                    or tokens[i + 1].text.lower() not in _CONJUNCTIONS):
                continue
            line_end = text.find("\n", shared.end)
            words = tokenize(token.text + text[shared.end:line_end if line_end >= 0 else len(text)])
            end, ids = self._walk(words, 0, len(words))
            if ids and end > 1:
                found.append(Match(tuple(sorted(ids)), token.start, token.end + 1, text[token.start:token.end + 1],
                                   i, i + 1))
        return found


# What joins the halves of a suspended compound.
_CONJUNCTIONS = frozenset("und oder sowie bzw and or и или".split())


class ActorNames(NamedTuple):
    """The names of one actor, as the index needs them."""

    id: str
    labels: dict[str, str]
    aliases: list[str]
    type: str = ""   # what :mod:`.references` needs to know: a country, a person, an event


_ACTORS_KEY = re.compile(r"^actors\s*:", re.MULTILINE)


def load_actors(data_dir: Path | str) -> list[ActorNames]:
    """The names of every actor in every dataset folder under ``data_dir``.

    Only files with an ``actors:`` list are parsed, so a big ``thread.yaml``
    costs a text search, not a YAML parse. Reading is lenient: a file that
    does not parse, or an entry ``kgraph validate`` would refuse, is skipped
    or still lends its names, so ingest works while the data is being curated.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    found = []
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            try:
                text = path.read_text(encoding="utf-8-sig")
                doc = YAML(typ="safe", pure=True).load(text) if _ACTORS_KEY.search(text) else None
            except (OSError, UnicodeDecodeError, YAMLError):
                continue
            entries = doc.get("actors") if isinstance(doc, dict) else None
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    found.append(_names_entry(entry))
    return found


def _names_entry(entry: dict) -> ActorNames:
    label = entry.get("label")
    labels = {"en": label} if isinstance(label, str) else label if isinstance(label, dict) else {}
    aliases = entry.get("aliases")
    return ActorNames(
        id=entry["id"],
        labels={str(k): str(v) for k, v in labels.items() if isinstance(v, (str, int))},
        aliases=[str(a) for a in aliases if isinstance(a, (str, int))] if isinstance(aliases, list) else [],
        type=entry["type"] if isinstance(entry.get("type"), str) else "",
    )
