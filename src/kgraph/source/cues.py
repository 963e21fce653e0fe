"""Hedge and attribution cues: the words that say how sure a sentence is, and whose word it is.

A *hedge* ("wohl", "mutmaßlich", "apparently", "вероятно") makes a sentence
conjecture or the author's judgement; an *attribution* ("laut kaz.Beobachtern",
"soll", "according to", "по словам") passes on someone else's word. Each cue
suggests the modality a claim resting on it should have: ``speculated``,
``assessed`` or ``reported``. ``kgraph validate`` warns when a claim's
modality disagrees with the cues around its quote (:mod:`kgraph.source.modality_lint`);
ingest can use :func:`suggest` to propose a modality.

>>> [(c.word, c.kind, c.suggests) for c in find_cues("Toqaev will wohl verhindern.", "de")]
[('wohl', 'hedge', 'speculated')]
>>> find_cues("Laut kaz.Beobachtern werde die Hauptstadt nicht genannt.", "de")[0].source
'kaz.Beobachtern'
>>> find_cues("Der Wohlstand wächst, das Soll ist erfüllt.", "de")
[]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .sentences import parenthesised, sentence_around, sentence_spans

__all__ = ["Cue", "Suggestion", "find_cues", "cues_for_quote", "suggest", "CUE_LANGUAGES"]


@dataclass(frozen=True)
class Cue:
    """One hedge or attribution cue found in a text.

    Attributes
    ----------
    word : str
        The cue as it stands in the text (``"mutmaßlichen"``, ``"Laut"``).
    start, end : int
        Its offsets in the text.
    kind : str
        ``"hedge"`` or ``"attribution"``.
    suggests : str
        The modality it points to: ``"speculated"``, ``"assessed"`` or ``"reported"``.
    lemma : str
        Its base form as the cue tables list it (``"mutmaßlich"``, ``"laut"``).
    source : str or None
        For an attribution, the source it names (``"kaz.Beobachtern"``), if any.
    attributive : bool
        An inflected adjective ("die mutmaßlichen Schläferzellen"): it qualifies
        its noun, not the whole sentence. So does a cue that spans its own
        clause ("weil er als Gefolgsmann gilt, ..."): it bears only on a quote
        it overlaps.
    """

    word: str
    start: int
    end: int
    kind: str
    suggests: str
    lemma: str
    source: str | None = None
    attributive: bool = False


@dataclass(frozen=True)
class Suggestion:
    """The modality (and source) a set of cues points to; see :func:`suggest`."""

    modality: str
    source: str | None
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class _Entry:
    pattern: str        # the cue word(s), inflections spelled out; a group "src" holds a source
    lemma: str | None   # None: the cue as found ("so Toqajev")
    kind: str
    suggests: str
    source: str | None = None      # "after" / "before": where a named source stands
    needs: str | None = None       # a word the rest of the sentence must hold ("hätte ... können")
    adjective: bool = False        # inflected forms are attributive
    guard: str | None = None       # what must follow the cue (``laut`` the preposition, not the adjective)
    not_before: str | None = None  # what must not follow it ("May 2022" is a month)
    at_end: bool = False           # the cue closes its sentence
    clause: bool = False           # the cue spans its clause and bears on nothing outside it


_ADJ = r"(?:e[mnrs]?)?"
H, A = "hedge", "attribution"
SPEC, ASSESS, REP = "speculated", "assessed", "reported"

# A German noun phrase naming a source: "kaz.Beobachtern", "dem russischen
# Außenministerium", "Angaben der Polizei".
# A capitalised word: "kaz.Beobachtern", "Ex-Präsidenten"; never its final full stop.
_CAP = r"(?:\w+[.\-])*[A-ZÄÖÜ]\w*(?:[.\-]\w+)*"
_DE_NP = (r"(?:(?:[Dd](?:er|ie|as|em|en|es)|[Ee]ine?[mnrs]?|[Ii]hre?[mnrs]?|[Ss]eine?[mnrs]?)\s+)?"
          rf"(?:[a-zäöüß]+e[mnrs]?\s+)*{_CAP}(?:\s+{_CAP})*"
          rf"(?:\s+d(?:er|es)\s+(?:[a-zäöüß]+e[mnrs]?\s+)*{_CAP})?")
# Elsewhere: the words up to the next punctuation, at most four.
_PHRASE = r"[^\W\d]\w*(?:[.\-]\w+)*(?:\s+[^\W\d]\w*(?:[.\-]\w+)*){0,3}"

_TABLES: dict[str, tuple[_Entry, ...]] = {
    "de": (
        _Entry(r"wohl", "wohl", H, SPEC),
        _Entry(r"vermutlich" + _ADJ, "vermutlich", H, SPEC, adjective=True),
        _Entry(r"mutma(?:ß|ss)lich" + _ADJ, "mutmaßlich", H, SPEC, adjective=True),
        _Entry(r"wahrscheinlich" + _ADJ, "wahrscheinlich", H, SPEC, adjective=True),
        _Entry(r"vermeintlich" + _ADJ, "vermeintlich", H, SPEC, adjective=True),
        _Entry(r"womöglich", "womöglich", H, SPEC),
        _Entry(r"möglicherweise", "möglicherweise", H, SPEC),
        _Entry(r"könnte(?:n|st|t)?", "könnte", H, SPEC),
        _Entry(r"dürfte(?:n|st|t)?", "dürfte", H, SPEC),
        _Entry(r"hätte(?:n|st|t)?", "hätte", H, SPEC, needs=r"können|haben"),
        _Entry(r"anscheinend", "anscheinend", H, ASSESS),
        _Entry(r"scheint|scheinen|schien|schienen", "scheinen", H, ASSESS),
        _Entry(r"offenbar", "offenbar", H, ASSESS),
        _Entry(r"offensichtlich" + _ADJ, "offensichtlich", H, ASSESS, adjective=True),
        _Entry(r"(?:gilt|gelten|galt|galten)\s+als", "gilt als", H, ASSESS),
        # a subordinate clause puts the verb last: "weil Masimov als einer der Gefolgsleute gilt"
        _Entry(r"als\s+(?:[^\s.!?,;:]+\s+){1,8}?(?:gilt|gelten|galt|galten)", "gilt als", H, ASSESS,
               clause=True),
        _Entry(r"soll(?:en|e|t|st)?", "soll", A, REP),
        _Entry(r"angeblich" + _ADJ, "angeblich", A, REP, adjective=True),
        _Entry(r"behaupte(?:t|n|te|ten)", "behaupten", A, REP),
        _Entry(r"laut", "laut", A, REP, source="after", guard=r"\s+" + _DE_NP),
        _Entry(r"zufolge", "zufolge", A, REP, source="before"),
        # ", so Toqajev." closing a sentence; the cue is "so" with its source
        _Entry(rf"(?<=,)\s*so\s+(?P<src>(?-i:{_DE_NP}))(?=\s*[.!?…]*\s*$)", None, A, REP, at_end=True),
        _Entry(r"nach\s+(?:[a-zäöüß]+e[mnrs]?\s+){0,2}(?:Angaben|Ansicht|Auffassung|Meinung|Darstellung"
               r"|Aussagen?|Worten|Sprech|Lesart|Informationen)", "nach Angaben", A, REP, source="after"),
    ),
    "en": (
        _Entry(r"likely", "likely", H, SPEC),
        _Entry(r"probably", "probably", H, SPEC),
        _Entry(r"possibly", "possibly", H, SPEC),
        _Entry(r"perhaps", "perhaps", H, SPEC),
        _Entry(r"presumably", "presumably", H, SPEC),
        _Entry(r"may", "may", H, SPEC, not_before=r"\s+\d"),
        _Entry(r"might", "might", H, SPEC),
        _Entry(r"suspected", "suspected", H, SPEC),
        _Entry(r"apparently", "apparently", H, ASSESS),
        _Entry(r"seem(?:s|ed)?", "seem", H, ASSESS),
        _Entry(r"(?:is|are|was|were|be|been)\s+(?:widely\s+|generally\s+)?(?:considered|regarded\s+as|seen\s+as)",
               "considered", H, ASSESS),
        _Entry(r"reportedly", "reportedly", A, REP),
        _Entry(r"allegedly", "allegedly", A, REP),
        _Entry(r"alleged", "alleged", A, REP),
        _Entry(r"(?:is|are|was|were|be|been)\s+said\s+to", "said to", A, REP),
        _Entry(r"claim(?:s|ed)(?=\s+(?:that|to)\b)", "claims", A, REP),
        _Entry(r"according\s+to", "according to", A, REP, source="after"),
        # "per Kazakh media", not "per cent" or "per day"
        _Entry(r"per", "per", A, REP, source="after", guard=r"\s+(?:the\s+)?[A-Z]"),
    ),
    "ru": (
        _Entry(r"вероятно", "вероятно", H, SPEC),
        _Entry(r"возможно", "возможно", H, SPEC),
        _Entry(r"предположительно", "предположительно", H, SPEC),
        _Entry(r"видимо|по-видимому", "видимо", H, ASSESS),
        _Entry(r"якобы", "якобы", A, REP),
        _Entry(r"по\s+словам", "по словам", A, REP, source="after"),
        _Entry(r"по\s+данным", "по данным", A, REP, source="after"),
    ),
}
CUE_LANGUAGES = tuple(sorted(_TABLES))

_COMPILED = {
    lang: [(e, re.compile(rf"(?<![\w-])(?:{e.pattern})(?![\w-])", re.I),
            e.needs and re.compile(rf"(?<!\w)(?:{e.needs})(?!\w)", re.I)) for e in entries]
    for lang, entries in _TABLES.items()
}
# A source is named within this many characters of its cue; looking no further
# keeps a hostile thousand-word sentence from costing quadratic time.
_REACH = 200
# Characters after which a capital letter opens a clause rather than marking a noun.
_CLAUSE_OPENERS = ':"„“«»(–-'


def find_cues(text: str, language: str | None = None) -> list[Cue]:
    """Every hedge and attribution cue in ``text``, in order.

    Parameters
    ----------
    text : str
        A post, a sentence or a quote.
    language : str or None
        A language tag (``"de"``, ``"en"``, ``"ru"``, ``"de-CH"``); ``None``
        looks for the cues of every language in :data:`CUE_LANGUAGES`. A
        language without a cue table finds nothing.

    Returns
    -------
    list of Cue
        Sorted by position. Case does not matter, except that in German a
        capitalised word inside a sentence is a noun ("das Wohl", "das Soll",
        "ein Laut"), not a cue. "hätte(n)" counts only with "können" or
        "haben" later in its sentence; "laut" only as a preposition.

    Examples
    --------
    >>> [c.word for c in find_cues("Sie hätten es verhindern können, meint der Autor.", "de")]
    ['hätten']
    >>> [c.word for c in find_cues("Er hätte gern Tee.", "de")]
    []
    >>> [(c.word, c.lemma, c.source) for c in find_cues("Der Abzug solle 10 Tage dauern, so Toqajev.", "de")]
    [('solle', 'soll', None), ('so Toqajev', 'so Toqajev', 'Toqajev')]
    >>> [(c.word, c.source) for c in find_cues("According to the ministry, 12 died.", "en")]
    [('According to', 'the ministry')]
    >>> [c.word for c in find_cues("В мае, по данным МВД, якобы задержали", "ru")]
    ['по данным', 'якобы']
    """
    if language is None:
        languages = CUE_LANGUAGES
    else:
        primary = language.split("-")[0].lower()
        languages = (primary,) if primary in _TABLES else ()
    cues = []
    for s_start, s_end in sentence_spans(text):
        for lang in languages:
            for entry, regex, needs in _COMPILED[lang]:
                # "hätte ... können": where the last "können" of the sentence starts
                needed_by = max((m.start() for m in needs.finditer(text, s_start, s_end)), default=-1) \
                    if needs else None
                lo = max(s_start, s_end - _REACH) if entry.at_end else s_start
                for match in regex.finditer(text, lo, s_end):
                    cue = _cue(text, s_start, s_end, entry, match, lang, needed_by)
                    if cue is not None:
                        cues.append(cue)
    return sorted(cues, key=lambda c: (c.start, c.end))


def _cue(text: str, s_start: int, s_end: int, entry: _Entry, match: re.Match, lang: str,
         needed_by: int | None) -> Cue | None:
    start, end = match.span()
    while text[start].isspace():  # ", so X": the cue starts at "so"
        start += 1
    word = text[start:end]
    if lang == "de" and _is_noun(text, s_start, start, word):
        return None
    if needed_by is not None and needed_by < end:
        return None
    rest = text[end:min(s_end, end + _REACH)]
    if entry.not_before and re.match(entry.not_before, rest):
        return None
    if entry.guard and not re.match(entry.guard, rest):
        return None
    source = match.group("src") if "src" in match.re.groupindex else None
    if entry.source == "after":
        found = re.match(r"\s+(" + (_DE_NP if lang == "de" else _PHRASE) + ")", rest)
        source = found.group(1) if found else None
    elif entry.source == "before":
        found = re.search("(" + _DE_NP + r")\s*\Z", text[max(s_start, start - _REACH):start])
        source = found.group(1) if found else None
    attributive = entry.clause or (
        entry.adjective and not re.fullmatch(entry.lemma.replace("ß", "(?:ß|ss)"), word, re.I))
    return Cue(word=word, start=start, end=end, kind=entry.kind, suggests=entry.suggests, lemma=entry.lemma or word,
               source=source, attributive=attributive)


def _is_noun(text: str, s_start: int, start: int, word: str) -> bool:
    if not word[0].isupper() or word.isupper():
        return False
    i = start - 1
    while i >= s_start and text[i].isspace():
        i -= 1
    return i >= s_start and text[i] not in _CLAUSE_OPENERS


def cues_for_quote(text: str, start: int, end: int, language: str | None = None,
                   cues: list[Cue] | None = None) -> list[Cue]:
    """The cues that bear on the quote ``text[start:end]``: in it, or in its sentence.

    The sentence is the one (or those) around the quote
    (:func:`kgraph.source.sentences.sentence_around`). A quote inside brackets has the
    bracketed aside as its sentence, and an aside the quote is not in does not
    count. An attributive adjective ("die mutmaßlichen Schläferzellen") counts
    only inside the quote: it qualifies its noun, not the rest of the sentence.
    ``cues``, when given, are ``find_cues(text, language)`` found once for
    several quotes of the same text.

    Examples
    --------
    >>> post = "Razzien werden durchgeführt und die mutmaßlichen Zellen ausgehoben."
    >>> cues_for_quote(post, 0, len("Razzien werden durchgeführt"), "de")
    []
    >>> [c.word for c in cues_for_quote(post, post.index("die"), len(post) - 1, "de")]
    ['mutmaßlichen']
    """
    s_start, s_end = sentence_around(text, start, end)
    asides = parenthesised(text, s_start, s_end)
    for a_start, a_end in asides:
        if a_start < start and end <= a_end:
            s_start, s_end = a_start + 1, a_end - 1
            asides = parenthesised(text, s_start, s_end)
            break
    cues = find_cues(text, language) if cues is None else cues
    starts = [cue.start for cue in cues]
    aside_starts = [a for a, _ in asides]
    found = []
    for cue in cues[bisect_left(starts, min(s_start, start)):bisect_left(starts, max(s_end, end))]:
        if cue.start < end and cue.end > start:  # in the quote
            found.append(cue)
            continue
        aside = bisect_right(aside_starts, cue.start) - 1
        in_aside = aside >= 0 and cue.end <= asides[aside][1]
        if s_start <= cue.start and cue.end <= s_end and not cue.attributive and not in_aside:
            found.append(cue)
    return found


def suggest(cues: Iterable[Cue]) -> Suggestion:
    """The modality (and, for a report, the named source) that ``cues`` point to.

    An attribution makes a claim ``reported`` (its source is the first one
    named); otherwise a conjecture cue makes it ``speculated``, a judgement cue
    ``assessed``; no cue leaves it ``stated``.

    Examples
    --------
    >>> text = "Laut kaz.Beobachtern werde die Hauptstadt wohl umbenannt."
    >>> s = suggest(find_cues(text, "de"))
    >>> s.modality, s.source, [c.word for c in s.cues]
    ('reported', 'kaz.Beobachtern', ['Laut', 'wohl'])
    >>> suggest(find_cues("Es scheint so zu sein.", "de")).modality
    'assessed'
    >>> suggest([]).modality
    'stated'
    """
    cues = tuple(cues)
    attributions = [c for c in cues if c.kind == A]
    if attributions:
        return Suggestion(REP, next((c.source for c in attributions if c.source), None), cues)
    for modality in (SPEC, ASSESS):
        if any(c.suggests == modality for c in cues):
            return Suggestion(modality, None, cues)
    return Suggestion("stated", None, cues)
