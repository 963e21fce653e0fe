"""Known actors a post refers to without writing their name, for the drafts.

:mod:`.mentions` finds names; a thread also says

- a demonym or abbreviation of a country: "kasachische", "Kazakh",
  "российский", "kas.Oligarch" name Kazakhstan (Russia), by rule: the word
  less its adjective ending is the country's name less a country ending
  (-stan, -land, -ia, -ien), or, written "kas." before the next word, its start;
- "the country", "das Land", "страна": the country named last;
- a pronoun before any name of a post ("Schon zuvor begann er ..."): the
  person the post before was about (the first it names);
- an event told by its verb beside one of its participants: "Masimov ...
  verhaftet wurde" names an event called "Verhaftung von Karim Massimow",
  "greift er hart durch" one called "Toqajews hartes Durchgreifen".

Feed the posts in order to one :class:`References`: the last two carry over
from post to post.

>>> from kgraph.ingest.mentions import ActorNames, AliasIndex
>>> actors = [ActorNames("kazakhstan", {"de": "Kasachstan"}, [], "country"),
...           ActorNames("masimov", {"de": "Massimow"}, [], "person"),
...           ActorNames("arrest", {"de": "Verhaftung Massimows"}, [], "event")]
>>> refs = References(actors, AliasIndex(actors))
>>> text = "Der kasachische Ex-Premier Massimow wurde verhaftet."
>>> [(i, text[s:e]) for i, s, e in refs.read(text, [("masimov", 27, 35)], "de")]
[('kazakhstan', 'kasachische'), ('arrest', 'verhaftet')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..network.names import skeleton
from ..source.sentences import sentence_spans
from .language import function_words
from .mentions import tokenize

__all__ = ["References"]

# Adjective endings a demonym sheds: German -isch(e), English -ian/-ish/-ese, Russian -ский.
_DEMONYM = re.compile(r"(?:isch(?:e[mnrs]?)?|ian|ean|ese|ish|ск(?:ий|ая|ое|ие|их|им|ой|ого|ому|ую|ими))$")
# What a country's name has beyond its demonym's stem, as skeletons: Kasach|stan, Russ|land, Armen|ia.
_COUNTRY_ENDINGS = {"stan", "istan", "land", "ia", "ya", "ien", "en", "a"}
_SHORTEST_STEM = 3
# "kas.Oligarch", "kirgiz.Einheiten": a lower-case abbreviation glued to the next word.
_ABBREVIATION = re.compile(r"[^\W\d_]{3,}(?=\.[^\W\d_])")
_THE_COUNTRY = {
    "de": r"(?:das|des|dem|im|ins|durchs|ans|vom|zum|aufs|übers|ganze[mns]?|gesamte[mns]?)\s+Land(?:es|e)?",
    "en": r"(?:the|this)\s+country(?:'s)?",
    "ru": r"стран(?:а|ы|е|у|ой)",
}
# Only pronouns that take up one person: German "sie" is as often "they".
_PRONOUNS = {"de": r"er", "en": r"he|she", "ru": r"он|она"}
# Nominal endings an event's noun sheds to leave its verb's stem: Verhaft|ung, occup|ation.
_NOUN_ENDING = re.compile(r"(?:ungen|ung|ation|ing|ion|ment|al|en|e)$")
_SHORTEST_VERB_STEM = 5
# Words of an event's name that link its parts: "Razzien gegen Schläferzellen".
_LINKS = function_words() | {"gegen", "unter", "wegen", "zwischen", "während", "against", "among", "during",
                             "between", "против", "после", "время"}
# How much longer than the stem a verb form may be: verhaft|et, occup|ied, ge|säuber|t.
_VERB_TAIL = 4
# German separable particles: "Durchgreifen" is told as "greift ... durch".
_PARTICLES = ("zusammen", "durch", "zurück", "fest", "auf", "aus", "ein", "nach", "vor", "weg", "mit", "an", "ab",
              "zu", "um")


class References:
    """The references to ``actors`` (``id``, ``labels``, ``aliases``, ``type``) of posts read in order."""

    def __init__(self, actors, index):
        self._countries: dict[str, set[str]] = {}   # skeleton of a country's name -> ids
        self._persons: set[str] = set()
        self._events: list[tuple[str, frozenset, list[tuple[str, str | None]]]] = []
        events, words_of = {}, {}
        for actor in actors:
            names = [*actor.labels.values(), *actor.aliases]
            words_of.setdefault(actor.id, set()).update(t.text.lower() for name in names for t in tokenize(name))
            if actor.type == "country":
                for name in names:
                    self._countries.setdefault(skeleton(name), set()).add(actor.id)
            elif actor.type == "person":
                self._persons.add(actor.id)
            elif actor.type == "event":
                events.setdefault(actor.id, []).extend(names)
        for event, names in sorted(events.items()):
            participants, heads = set(), []
            for name in names:
                tokens = tokenize(name)
                covered = set()
                # every run of words that names another actor: "Toqajews" in "Toqajews hartes Durchgreifen"
                for i in range(len(tokens)):
                    for j in range(i + 1, len(tokens) + 1):
                        ids = index.lookup(name[tokens[i].start:tokens[j - 1].end]) - {event}
                        if ids:
                            participants.update(ids)
                            covered.update(range(i, j))
                heads += [t.text for i, t in enumerate(tokens) if i not in covered and len(t.text) >= 5
                          and t.text.lower() not in _LINKS]
            # "Almaty airport" is the place of the "airport occupation", not its verb
            shared = set().union(*(words_of.get(p, ()) for p in participants))
            stems = [_verb_stem(head) for head in heads if head.lower() not in shared]
            if participants and stems:
                self._events.append((event, frozenset(participants), list(dict.fromkeys(stems))))
        self._country_ids = {i for ids in self._countries.values() for i in ids}
        self._country: str | None = None   # the country named last
        self._topic: str | None = None     # the person the post before was about

    def read(self, text: str, names, language: str) -> list[tuple[str, int, int]]:
        """The references of the next post ``text``, which names ``names`` (``(id, start, end)``)."""
        lang = language.split("-")[0]
        taken = _Spans(names)
        found = self._demonyms(text, taken, lang) + self._events_told(text, names, taken, lang)
        found += self._pronoun(text, names, lang)
        found += self._the_country(text, sorted(names + found, key=lambda n: n[1]), lang)
        people = sorted((n for n in names + found if n[0] in self._persons), key=lambda n: n[1])
        self._topic = people[0][0] if people else None
        return sorted(found, key=lambda n: (n[1], n[2], n[0]))

    def _country_of(self, stem: str, prefix: bool) -> str | None:
        key = skeleton(stem)
        if len(key) < _SHORTEST_STEM:
            return None
        ids = {i for name, found in self._countries.items() if name.startswith(key)
               and (prefix or name[len(key):] in _COUNTRY_ENDINGS) for i in found}
        return next(iter(ids)) if len(ids) == 1 else None

    def _demonyms(self, text: str, taken, lang: str) -> list[tuple[str, int, int]]:
        found = []
        for token in tokenize(text):
            if taken.covers(token.start, token.end):
                continue
            lower = token.text.lower()
            stem = _DEMONYM.sub("", lower)
            # without an ending only in English: "Kazakh", but German "die Armen" are the poor
            country = self._country_of(stem, False) if stem != lower or lang == "en" and token.text[0].isupper() \
                else None
            if country is None and _ABBREVIATION.match(text, token.start) and token.text[0].islower():
                country = self._country_of(lower, True)
            if country:
                found.append((country, token.start, token.end))
        return found

    def _the_country(self, text: str, names, lang: str) -> list[tuple[str, int, int]]:
        pattern = _THE_COUNTRY.get(lang)
        found = []
        last = self._country
        countries = [n for n in _standalone(names) if n[0] in self._country_ids]
        ends = [n[2] for n in countries]   # in order: standalone names do not overlap
        for match in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE) if pattern else ():
            k = bisect_right(ends, match.start())
            country = countries[k - 1][0] if k else last
            if country:
                found.append((country, match.start(), match.end()))
        if countries:
            self._country = countries[-1][0]
        return found

    def _pronoun(self, text: str, names, lang: str) -> list[tuple[str, int, int]]:
        pattern = _PRONOUNS.get(lang)
        if not (pattern and self._topic):
            return []
        first = min((n[1] for n in names), default=len(text))
        match = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE).search(text, 0, first)
        return [(self._topic, match.start(), match.end())] if match else []

    def _events_told(self, text: str, names, taken, lang: str) -> list[tuple[str, int, int]]:
        found = []
        tokens = tokenize(text)
        starts = [t.start for t in tokens]
        by_start = sorted(names, key=lambda n: n[1])
        name_starts = [n[1] for n in by_start]
        for s_start, s_end in sentence_spans(text) if self._events else ():
            named = {n[0] for n in by_start[bisect_left(name_starts, s_start):bisect_left(name_starts, s_end)]}
            if not named:
                continue
            words = tokens[bisect_left(starts, s_start):bisect_left(starts, s_end)]
            for event, participants, stems in self._events:
                if event in named or not named & participants:
                    continue
                verb = next((t for k, t in enumerate(words) if t.text[0].islower()
                             and not taken.covers(t.start, t.end)
                             # Separable particles are German: "announcement" is "announced", not "an ... nounced".
                             and any(_tells(t.text, stem, particle, words[k + 1:]) if lang == "de" or particle is None
                                     else _tells(t.text, particle + stem, None, ()) for stem, particle in stems)),
                            None)
                if verb:
                    found.append((event, verb.start, verb.end))
        return found


def _verb_stem(noun: str) -> tuple[str, str | None]:
    """The stem of the verb an event's noun comes from, and its separable particle."""
    lower = noun.lower()
    stem = _NOUN_ENDING.sub("", lower)
    if len(stem) < _SHORTEST_VERB_STEM:
        stem = lower
    for particle in _PARTICLES:
        if stem.startswith(particle) and len(stem) - len(particle) >= _SHORTEST_VERB_STEM:
            return stem[len(particle):], particle
    return stem, None


def _tells(word: str, stem: str, particle: str | None, after) -> bool:
    """Whether ``word`` is a form of the verb of ``stem`` ("verhaftet", "gesäubert"; "greift ... durch")."""
    lower = word.lower()
    for form in (stem, "ge" + stem):
        # the bare stem is a noun as often as a verb: "the internet", "an arrest"
        if lower.startswith(form) and 0 < len(lower) - len(form) <= _VERB_TAIL:
            return particle is None or any(t.text == particle for t in after)
    return False


def _standalone(names):
    """``names`` (in order) less those within another: "US" in "US-Firmen" is no country of its own."""
    kept, reach = [], -1
    for name in sorted(names, key=lambda n: (n[1], -n[2])):
        if name[1] >= reach:
            kept.append(name)
            reach = name[2]
    return kept


class _Spans:
    """The places ``names`` take, merged, to tell in one look-up whether a word is within one."""

    def __init__(self, names):
        self._spans: list[list[int]] = []
        for _, start, end in sorted(names, key=lambda n: n[1]):
            if self._spans and start <= self._spans[-1][1]:
                self._spans[-1][1] = max(end, self._spans[-1][1])
            else:
                self._spans.append([start, end])
        self._starts = [lo for lo, _ in self._spans]

    def covers(self, start: int, end: int) -> bool:
        k = bisect_right(self._starts, start)
        return bool(k) and end <= self._spans[k - 1][1]
