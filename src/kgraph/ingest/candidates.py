"""Names in a thread that may be actors nobody has recorded yet.

Ingest never adds an actor by itself: it lists the candidates with the posts
they appear in, and the analyst decides. Candidates are

- hashtags that name no known actor (``#Astana2022``),
- @handles that name no known actor,
- acronyms (``NATO``, ``OSZE``),
- capitalised names: runs of capitalised words that are not at the start of
  a sentence (``Joe Biden``, ``Kalaschnikow``).

German capitalises every noun, so in German text a single capitalised word
counts only when no article or adjective stands before it and it does not
end like a common noun (-ung, -heit, -keit, -schaft ...). What is left is a
short list to skim, not a verdict.

>>> text = "Am Montag trafen Putin und Lukaschenko die NATO-Delegation. #Astana2022"
>>> [(c.name, c.kind) for c in find_candidates(text, [], "de")]
[('Putin', 'name'), ('Lukaschenko', 'name'), ('NATO', 'acronym'), ('#Astana2022', 'hashtag')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..network.names import skeleton
from ..util.patterns import HANDLE, HASHTAG
from .language import function_words
from .mentions import Match, Token, tokenize

__all__ = ["Candidate", "find_candidates", "merge"]

_ACRONYM = re.compile(r"^[A-ZÄÖÜА-ЯЁ][A-ZÄÖÜА-ЯЁ0-9]{1,5}$")
# Punctuation after which a capital letter says nothing about a name.
_SENTENCE_BREAK = re.compile(r"[.!?:;\n•\"„“«»()\[\]–—-]")
# German determiners, possessives and prepositions fused with an article:
# a capitalised word after one of these is a common noun.
_GERMAN_BEFORE_NOUN = frozenset(
    "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner "
    "dieser diese dieses diesen diesem jeder jede jedes jeden jedem sein seine seinen seinem seiner "
    "ihr ihre ihren ihrem ihrer unser unsere euer eure mein meine meinen meinem dein deine "
    "im am zum zur vom beim ins ans aufs welche welcher welches alle allen viele vielen einige "
    "mehrere andere anderen beide beiden".split())
_GERMAN_NOUN_ENDINGS = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
    "tät", "täten", "ion", "ionen", "ismus", "nis", "nisse", "ling", "linge", "tum", "ment", "ik", "ei", "ur",
    "chen", "lein", "er", "en", "e", "te", "ten", "ern", "eln", "st", "sten",
)
# Endings only German adjectives have (a plain "-e" or "-en" may be a verb: "sagte").
_ADJECTIVE_ENDINGS = tuple(stem + end for stem in ("isch", "lich") for end in ("", "e", "en", "er", "es", "em"))
# Words that open sentences without being names ("Yesterday Vladimir Putin ...").
_OPENERS = frozenset(
    "yesterday today tomorrow meanwhile however also still later earlier now then thus "
    "gestern heute morgen inzwischen dennoch jedoch außerdem später zuvor damals".split())
# A name is at most this many words; longer capitalised runs are headlines.
_MAX_WORDS = 5
# Capitalised words that are no names: months and weekdays, and the words of
# the vocabulary (titles, bodies, documents) in English, German and Russian.
_NOT_NAMES = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
понедельник вторник среда четверг пятница суббота воскресенье
president prime minister government parliament constitution army police ministry council committee
secretariat spokesman spokeswoman general colonel court state republic security service media
präsident premierminister ministerin minister regierung parlament verfassung armee polizei ministerium rat
sprecher sprecherin general gericht staat republik sicherheitsdienst medien
президент премьер министр правительство парламент конституция армия полиция министерство совет
""".split())
# Nouns after a demonym or a known actor that make it a body of its own
# ("Kazakh media", "CSTO secretariat"), with the actor type they suggest.
_HEADS = {
    **dict.fromkeys("media observers experts protesters opposition activists people elite elites clan "
                    "family leadership officials diplomats journalists".split(), "group"),
    **dict.fromkeys("troops forces paratroopers soldiers army police guard units contingent contingents "
                    "military special-forces peacekeepers".split(), "security-body"),
    **dict.fromkeys("secretariat government ministry parliament council committee delegation embassy "
                    "administration mission authorities".split(), "state-body"),
    **dict.fromkeys("firms companies company banks bank".split(), "company"),
    **dict.fromkeys("spokesman spokeswoman spokesperson president leader".split(), "person"),
}
# English demonyms as adjectives: "Russian", "Chinese", "Turkish", "Western".
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "ern")
# A demonym is also a country name less its ending: Kazakh(stan), Tajik(istan).
_COUNTRY_ENDINGS = ("stan", "istan", "ia", "land")


@dataclass
class Candidate:
    name: str            # as first written
    kind: str            # name | acronym | hashtag | handle
    posts: list[int]
    type: str = "group"  # the actor type suggested (a guess to check)


def _starts_sentence(text: str, tokens: list[Token], i: int) -> bool:
    before = text[tokens[i - 1].end:tokens[i].start] if i else text[:tokens[i].start]
    # A numbering marker ("1/", "(2)") before a word starts the post, hence a sentence.
    return i == 0 or bool(_SENTENCE_BREAK.search(before)) or not re.search(r"[^\W\d_]", text[:tokens[i].start])


def _is_demonym(word: str, known) -> bool:
    lower = word.lower()
    if len(lower) >= 5 and lower.endswith(_DEMONYM_ENDINGS):
        return True
    return any(known(word + ending) for ending in _COUNTRY_ENDINGS)


def _suggest_type(name: str, kind: str) -> str:
    """The actor type a candidate probably has, from its last word and its shape."""
    last = name.split()[-1].lower()
    if last in _HEADS:
        return _HEADS[last]
    if kind == "handle":
        return "person"
    if kind == "hashtag":
        return "event"
    if kind == "acronym":
        return "organisation"
    if last.endswith(_COUNTRY_ENDINGS):
        return "country"
    return "person" if len(name.split()) <= 3 else "group"


def _runs(text: str, tokens: list[Token], covered: set[int]):
    """Runs of capitalised words (indices) not covered by a known name."""
    run: list[int] = []
    for i, token in enumerate(tokens):
        gap = text[tokens[i - 1].end:token.start] if i else ""
        joined = gap in (" ", "-") or gap.isspace() and "\n" not in gap
        if i in covered or not token.text[:1].isupper():
            if run:
                yield run
            run = []
            continue
        if run and not joined:
            yield run
            run = []
        run.append(i)
    if run:
        yield run


def _german_common_noun(tokens: list[Token], i: int) -> bool:
    word = tokens[i].text
    if word.lower().endswith(_GERMAN_NOUN_ENDINGS):
        return True
    if i == 0:
        return False
    previous = tokens[i - 1].text
    if previous.lower() in _GERMAN_BEFORE_NOUN:
        return True
    if not previous.islower():
        return False
    return previous.endswith(_ADJECTIVE_ENDINGS) or (
        i > 1 and tokens[i - 2].text.lower() in _GERMAN_BEFORE_NOUN)


def _pieces(tokens: list[Token], run: list[int], language: str | None):
    """``run`` split around the German common nouns in it (other languages: whole)."""
    if language != "de":
        yield run
        return
    yield from _split(run, lambda i: not _ACRONYM.match(tokens[i].text) and _german_common_noun(tokens, i))


def _head(text: str, tokens: list[Token], last: int) -> int | None:
    """The index of a lower-case noun of :data:`_HEADS` right after ``tokens[last]``, if any."""
    following = last + 1
    if following >= len(tokens) or text[tokens[last].end:tokens[following].start] != " ":
        return None
    return following if tokens[following].text in _HEADS else None


def _split_off_not_names(tokens: list[Token], run: list[int]):
    yield from _split(run, lambda i: tokens[i].text.lower() in _NOT_NAMES)


def _split(run: list[int], breaks):
    """The stretches of ``run`` between the indices for which ``breaks(i)`` holds, those left out."""
    piece: list[int] = []
    for i in run:
        if breaks(i):
            if piece:
                yield piece
            piece = []
        else:
            piece.append(i)
    if piece:
        yield piece


def _names(text: str, tokens: list[Token], covered: set[int], language: str | None, known=lambda name: False):
    small = function_words()
    for whole in _runs(text, tokens, covered):
        for part in _pieces(tokens, whole, language):
            for run in _split_off_not_names(tokens, part):
                yield from _name(text, tokens, run, small, known)


def _name(text: str, tokens: list[Token], run: list[int], small, known):
    while run and (tokens[run[0]].text.lower() in small or tokens[run[0]].text.lower() in _OPENERS):
        run = run[1:]
    if not run or len(run) > _MAX_WORDS:
        return
    first, last = tokens[run[0]].text, tokens[run[-1]].text
    head = _head(text, tokens, run[-1])
    if _is_demonym(last, known):
        # "Kazakh media" names a body; "Kazakh" alone is an adjective, no name.
        if head is not None:
            yield text[tokens[run[0]].start:tokens[head].end], "name"
        elif len(run) > 1:
            yield text[tokens[run[0]].start:tokens[run[-2]].end], "name"
        return
    if _ACRONYM.match(first) and (len(run) == 1 or tokens[run[0]].hyphen_next):
        yield first, "acronym"
        return
    if len(run) == 1 and (len(first) < 3 or _starts_sentence(text, tokens, run[0])):
        return
    yield text[tokens[run[0]].start:tokens[run[-1]].end], "name"


def _bodies_of_known(text: str, tokens: list[Token], matches: list[Match]):
    """A known actor and the body its next word names: "CSTO secretariat", "OSCE mission"."""
    for match in matches:
        head = _head(text, tokens, match.stop - 1)
        if head is not None:
            yield text[match.start:tokens[head].end]


def find_candidates(text: str, matches: list[Match], language: str | None,
                    tokens: list[Token] | None = None, known=lambda name: False):
    """Candidate actors in one post's ``text``, given the known names ``matches`` found.

    ``known(name)`` says whether a hashtag or handle names a known actor.
    """
    tokens = tokenize(text) if tokens is None else tokens
    spans = [(m.start, m.end) for m in matches]
    covered = {i for m in matches for i in range(m.first, m.stop)}
    tag_starts = {m.start(1) for pattern in (HASHTAG, HANDLE) for m in pattern.finditer(text)}
    if tag_starts:
        covered |= {i for i, t in enumerate(tokens) if t.start in tag_starts}
    found: list[Candidate] = [Candidate(name, kind, [], _suggest_type(name, kind))
                              for name, kind in _names(text, tokens, covered, language, known)]
    found += [Candidate(name, "name", [], _suggest_type(name, "name"))
              for name in _bodies_of_known(text, tokens, matches)]
    for pattern, kind, sign in ((HASHTAG, "hashtag", "#"), (HANDLE, "handle", "@")):
        for match in pattern.finditer(text):
            if not any(s <= match.start(1) < e for s, e in spans) and not known(match.group(1)):
                name = sign + match.group(1)
                found.append(Candidate(name, kind, [], _suggest_type(name, kind)))
    return found


def merge(per_post: dict[int, list[Candidate]]) -> list[Candidate]:
    """One candidate per name (spelling variants folded), most posts first."""
    by_key: dict[tuple[str, str], Candidate] = {}
    for number, candidates in per_post.items():
        for candidate in candidates:
            key = (candidate.kind, skeleton(candidate.name))
            entry = by_key.setdefault(key, Candidate(candidate.name, candidate.kind, [], candidate.type))
            if number not in entry.posts:
                entry.posts.append(number)
    return sorted(by_key.values(), key=lambda c: (-len(c.posts), c.name.casefold(), c.kind))
