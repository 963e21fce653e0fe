"""Draft claims: every sentence that names two actors, with a relation to review.

A draft is made for two actors (known, or candidates not yet recorded) named in
one sentence; in neighbouring sentences, where a pronoun often takes up the
earlier name; in a list's heading (and the sentence before it) and one of its
items, never two items; or one named within the other's name
("Nasarbajev-Clan", "Flughafen von Almaty"). It proposes

- subject and object in the order the sentence gives them, swapped for a
  passive ("was detained by", "wurde von ... festgenommen", "задержан"),
- a relation, from a German/English/Russian verb lexicon mapped to the
  vocabulary, or ``?`` when no verb of the lexicon stands between or after them,
- the shortest verbatim quote from the first to the last of subject, verb
  and object,
- a modality and ``asserted_by`` from the cue detector of ``kgraph validate``
  (:func:`kgraph.source.cues.suggest`): "laut X", "according to X", "per X" make X
  the source and the claim ``reported``, and so does a reporting verb beside
  a name ("X said that", "erklärte X,", "X заявил, что") or a German
  Konjunktiv I ("habe", "sei"); a pair across sentences takes the hedges of
  the later one only.

The names may include the actors :mod:`.references` finds named without their
name ("kasachische", "das Land", "er" opening a post, an event's verb).

Drafts go to ``claims.draft.yaml``, which ``kgraph build`` never reads; the
analyst fixes them and moves them into ``claims.yaml`` with ``kgraph claims
promote`` (:mod:`kgraph.ingest.promote`).

>>> drafts = draft_claims([(1, "Russia will send troops to Kazakhstan.",
...                          [("russia", 0, 6), ("kazakhstan", 27, 37)])], "en")
>>> [(d.subject, d.relation, d.object, d.quote) for d in drafts]
[('russia', 'willSendTroopsTo', 'kazakhstan', 'Russia will send troops to Kazakhstan')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..source.cues import Cue, cues_for_quote, find_cues, suggest
from ..source.sentences import sentence_spans

__all__ = ["Draft", "draft_claims", "LEXICON", "UNKNOWN_RELATION"]

UNKNOWN_RELATION = "?"
# Actor types that say where something is, when named within another's name.
_PLACES = {"country", "city", "place"}
_WITHIN = object()   # marks a pair of a name and a name within it
# How far after the object a verb may stand ("Tokayev asked the CSTO for help"),
# in characters of the same sentence.
_AFTER = 40

# (pattern, relation, passive): the first pattern found between the two names
# wins, then the first found after the object. A passive pattern swaps subject
# and object ("Masimov was detained by the KNB": the KNB detained Masimov).
# Order matters: specific before general ("will send troops" before "send").
_EN = [
    (r"ask(?:ed|s)?|appeal(?:ed|s)? to|request(?:ed|s)?", "askedForHelpFrom", False),
    (r"will (?:send|deploy|dispatch)", "willSendTroopsTo", False),
    (r"(?:sent|send|sends|deployed|dispatched) (?:troops|soldiers|forces|paratroopers|units)",
     "sentTroopsTo", False),
    (r"(?:was|were|been) (?:detained|arrested)(?: on suspicion of)?(?: by)?", "detained", True),
    (r"detain(?:ed|s)?|arrest(?:ed|s)?", "detained", False),
    (r"denied|denies|deny|rejected", "denied", False),
    (r"left|fled|leaves", "left", False),
    (r"(?:was|were) dismissed by", "dismissed", True),
    (r"dismiss(?:ed|es)?|fired|sacked|removed", "dismissed", False),
    (r"former (?:head|chief|leader)|ex-(?:head|chief)", "formerHeadOf", False),
    (r"(?:was|were|been) (?:led|headed) by", "headOf", True),
    (r"lead|leads|led|heads|headed|chief of|head of", "headOf", False),
    (r"former president|ex-president", "formerPresidentOf", False),
    (r"president of", "presidentOf", False),
    (r"prime minister|premier", "primeMinisterOf", False),
    (r"loyal to|loyalists?|followers? of", "loyalTo", False),
    (r"member(?:s)? of|joined|one of", "memberOf", False),
    # a part of what came before: "firms held the oil; most of them were US firms"
    (r"(?:most|some|many|several|all|two|three) of them|among them|including", "memberOf", True),
    (r"announc(?:ed|es)", "announced", False),
    (r"landed in|arrived in|took place in|happened in", "tookPlaceIn", False),
    (r"thank(?:ed|s)?|praised", "goodRelationsWith", False),
    (r"shot|fired on|opened fire", "firedOn", False),
    (r"son|daughter|child", "childOf", False),
    (r"named after", "namedAfter", False),
    (r"ruled|reign(?:ed)?|rule", "ruled", False),
    (r"rivals?|rivalry|power struggle", "rivalOf", False),
    (r"survived|survives", "survived", False),
    (r"defeated|prevailed|won against", "prevailedOver", False),
    (r"overthrow|topple|coup against", "plottedAgainst", False),
    (r"infiltrated", "infiltrated", False),
    (r"concealed|hid|covered up", "concealed", False),
    (r"armed|weapons to", "armed", False),
    (r"pictured|seen in|shows|depicted", "depictedIn", True),
    (r"in memory of|commemorat\w*|mourn\w* for", "commemorates", False),
    (r"turn(?:s|ed)? to", "turnsTo", False),
]
_DE = [
    (r"bat|ersuchte|bitten|gebeten|wandte sich an|rief\b.{0,30}\bzu Hilfe", "askedForHelpFrom", False),
    (r"wird\b.{0,40}\b(?:entsenden|schicken)|werden\b.{0,40}\b(?:entsenden|schicken)", "willSendTroopsTo", False),
    (r"entsandt|entsandte|entsenden|schickte|geschickt", "sentTroopsTo", False),
    (r"wurde\b.{0,60}\b(?:festgenommen|verhaftet)", "detained", True),
    (r"festgenommen|verhaftet|Verhaftung|Festnahme|nahm\b.{0,30}\bfest", "detained", False),
    (r"dementierte|bestritt|bestreitet|dementiert", "denied", False),
    (r"verließ|verlassen|floh|geflohen", "left", False),
    (r"entlassen|entließ|abgesetzt|Entlassung|gefeuert", "dismissed", False),
    (r"ehemalig\w* (?:Chef|Leiter)\w*|Ex-(?:Chef|Leiter)\w*|(?:Chef|Leiter)\w*\b.{0,40}\bwar", "formerHeadOf", False),
    (r"Chef|Leiter|leitete|führte|Führung|Vorsitz", "headOf", False),
    (r"Ex-Präsident\w*|ehemalig\w* Präsident\w*|Altpräsident\w*", "formerPresidentOf", False),
    (r"Präsident(?:en)?\b", "presidentOf", False),
    (r"Premier\w*|Ministerpräsident\w*|Regierungschef\w*", "primeMinisterOf", False),
    (r"treu|loyal|Gefolgsleut\w*|Anhänger", "loyalTo", False),
    (r"Clan|Familie", "memberOf", True),  # "Nasarbajev-Clan": Nazarbayev is of the clan
    (r"Mitglied|Mitgliedsstaat|gehör(?:t|en)|Mitgliedern|als eine[rs]? der|einer der|Union von|Bündnis aus",
     "memberOf", False),
    (r"(?:die meisten|einige|viele|manche|mehrere|alle|zwei|drei) (?:davon|von ihnen)|darunter auch",
     "memberOf", True),
    (r"kündigt\w*\b.{0,80}\ban|angekündigt", "announced", False),
    (r"ausgehoben|aushob\w*|zerschlagen|Säuberung\w* von", "targeted", False),
    (r"Abzug|abziehen|Mission|Einsatz|durchgeführt|führt\b.{0,30}\bdurch", "carriesOut", False),
    (r"Verbindungen|verbunden|Kontakte", "hasConnectionsTo", False),
    (r"keine\w* Probleme", "noProblemsWith", False),
    (r"Beziehungen|befreundet|gut(?:e|en) Verhältnis", "goodRelationsWith", False),
    (r"Razzien|Durchgreifen", "targeted", False),
    (r"unterwandert|unterwander\w*|infiltriert|durchsetzt\w*", "infiltrated", False),
    (r"versteckt|gedeckt|verborgen|verheimlich\w*|verschwieg\w*|vertuscht\w*", "concealed", False),
    (r"bewaffne\w*|Waffen\b.{0,80}\bverteilt", "armed", False),
    (r"Feuer\b.{0,40}\beröffne\w*|schoss\w*|beschoss\w*|geschossen", "firedOn", False),
    (r"Sohn|Tochter|Kind", "childOf", False),
    (r"benannt|nach dem (?:Vor)?namen", "namedAfter", False),
    (r"Herrschaft|regierte|herrschte|beherrscht\w*", "ruled", False),
    (r"Machtk[äa]mpf\w*|Rivalität|Rivale\w*|Konkurrent\w*", "rivalOf", False),
    (r"überleb\w*|überstand\w*", "survived", False),
    (r"gewinnen|gewann|gewonnen|besiegt\w*|siegte", "prevailedOver", False),
    (r"stürzen|Sturz|putsch\w*", "plottedAgainst", False),
    (r"zu sehen|abgebildet|zeigt|Foto|Bild", "depictedIn", True),
    (r"gedenk\w*|Gedenken|um die Opfer", "commemorates", False),
    (r"wenden|wendet|zuwenden", "turnsTo", False),
    (r"fand\b.{0,40}\bstatt|stattgefunden", "tookPlaceIn", False),
]
_RU = [
    (r"попросил\w*|обратил\w* к|просьб\w*", "askedForHelpFrom", False),
    (r"направит|пошлёт|пошлет|отправит", "willSendTroopsTo", False),
    (r"направил\w*|ввел\w*|ввёл\w*|отправил\w*", "sentTroopsTo", False),
    (r"задержан\w*|арестован\w*", "detained", True),
    (r"задержал\w*|арестовал\w*", "detained", False),
    (r"опроверг\w*|отрица\w*", "denied", False),
    (r"покинул\w*|бежал\w*", "left", False),
    (r"уволил\w*|отправил\w* в отставку|снял\w*", "dismissed", False),
    (r"бывш\w* (?:глав|руководител)\w*", "formerHeadOf", False),
    (r"возглав\w*", "headOf", False),
    (r"бывш\w* президент\w*|экс-президент\w*", "formerPresidentOf", False),
    (r"президент\w*", "presidentOf", False),
    (r"премьер\w*", "primeMinisterOf", False),
    (r"член\w*|один из|одна из|входит в", "memberOf", False),
    (r"(?:большинство|некоторые|многие) из них|в том числе|среди них", "memberOf", True),
    (r"сын\w*|доч\w*", "childOf", False),
    (r"пережил\w*", "survived", False),
    (r"сверг\w*|переворот\w*", "plottedAgainst", False),
]
# Prepositions and nouns: read only when no region holds a word of the tables above.
_WEAK = {
    "en": [(r"troops|soldiers|forces|units", "sentTroopsTo", False),
           (r"against", "targeted", False),
           (r"in", "tookPlaceIn", False)],
    "de": [(r"Truppen|Kontingent\w*|Soldaten|Einheiten", "sentTroopsTo", False),
           (r"gegen", "targeted", False),
           (r"in|im", "tookPlaceIn", False)],
    "ru": [(r"войск\w*|солдат\w*", "sentTroopsTo", False),
           (r"против", "targeted", False),
           (r"в|во", "tookPlaceIn", False)],
}
LEXICON = {lang: [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE | re.DOTALL), rel, passive, weak)
                  for weak, entries in ((False, table), (True, _WEAK.get(lang, []))) for p, rel, passive in entries]
           for lang, table in (("en", _EN), ("de", _DE), ("ru", _RU))}


# Reporting verbs: the name that says it is the source, not a party ("The KNB
# said that ...", "Gestern erklärte die Regierung, ...", "МВД заявило, что ...").
# "announced" is left out: what one announces is a claim of its own.
_SAYS = {
    "en": r"said|says|stated|told reporters|claimed|confirmed",
    "de": r"erklärte|erklärt|sagte|sagt|betonte|teilte\b.{0,40}\bmit|bestätigte",
    "ru": r"заявил\w*|сообщил\w*|сказал\w*",
}
# Konjunktiv I passes on someone's words ("..., dass die OVKS ihre Mission erfüllt habe"). The cues
# of ``kgraph validate`` leave it out: a claim about the saying quotes it too and is stated ("X
# kündigte an, dass ... habe"); a draft resting on the words said is reported. "ich habe" and
# "ich werde" are indicative, "es sei denn" is "unless".
_INDIRECT = {"de": re.compile(r"(?<![\w-])(?<![Ii]ch\s)(?:habe|sei|seien|werde|könne|müsse|dürfe|wolle|gebe"
                              r"|liege|stehe|gehe|komme|wisse)(?![\w-])(?!\s+denn\b)")}
# How far apart a speaker and its verb may stand ("said on Thursday that").
_SPEAKER_GAP = 6


@dataclass
class Draft:
    """One proposed claim; ``basis`` says what the relation and modality rest on."""

    id: str
    post: int
    subject: str
    relation: str
    object: str
    quote: str
    modality: str
    asserted_by: str | None
    basis: str


def _relation(text: str, regions, limit: int, language: str, anchor: tuple | None = None, others=()):
    """(relation, passive, verb span): the first entry of the lexicon found in the first of ``regions``.

    A verb may start in a region and end after it, up to ``limit`` ("wird
    Truppen nach X entsenden"). Weak words (prepositions, nouns) count only
    when no region holds a verb: "im" says little beside "verhaftet". With an
    ``anchor`` (a name's span, for a pair across sentences) the first region
    gives the word nearest to it, less a word that another name of ``others``
    separates from it (that word relates those two), and weak words do not
    count: "in" in one sentence says nothing about a name in the next.
    """
    tables = LEXICON.get(language.split("-")[0], [])
    for weak in (False,) if anchor else (False, True):
        entries = [entry for entry in tables if entry[3] == weak]
        for n, (lo, hi) in enumerate(regions):
            found = [(regex.search(text, lo, limit), relation, passive) for regex, relation, passive, _ in entries]
            found = [(match, relation, passive) for match, relation, passive in found if match and match.start() < hi]
            if anchor and n == 0:
                found = [f for f in found if not any(_fences(text, other, anchor, f[0].start(), others)
                                                      for other in others)]
                found.sort(key=lambda f: max(f[0].start() - anchor[2], anchor[1] - f[0].end(), 0))
            if found:
                match, relation, passive = found[0]
                return relation, passive, match.span()
    return UNKNOWN_RELATION, False, None


# What joins the items of an enumeration: "Armenien, Belarus und Russland".
_ENUMERATION = re.compile(r"[\s,#]*(?:(?:und|and|or|oder|sowie|и|или)[\s#]*)?")


def _fences(text: str, other: tuple, anchor: tuple, verb: int, names) -> bool:
    """Whether the verb relates ``other`` rather than ``anchor``: it stands between the two names
    ("Paratroopers landed in Almaty"), or ``other`` stands between it and ``anchor``, other than
    as an item of one enumeration ("Union von Armenien, Belarus")."""
    if min(anchor[1], other[1]) < verb < max(anchor[1], other[1]):
        return True
    if not min(anchor[1], verb) < other[1] < max(anchor[1], verb):
        return False
    lo, hi = (other[2], anchor[1]) if other[1] < anchor[1] else (anchor[2], other[1])
    gap = text[lo:hi]
    for name in names:  # the items between them
        if lo <= name[1] and name[2] <= hi:
            gap = gap.replace(text[name[1]:name[2]], ",")
    return not _ENUMERATION.fullmatch(gap)


def _regions(first: tuple, second: tuple, sentence: tuple[int, int]):
    """Between the two names, else after, else before them.

    Before: German puts the verb second, before its subject ("Laut X bat Toqajev die OVKS um Hilfe").
    """
    return ((first[2], second[1]), (second[2], min(sentence[1], second[2] + _AFTER)),
            (max(sentence[0], first[1] - _AFTER), first[1]))


def draft_claims(posts, language: str, resolve_source=lambda name: None, type_of=lambda actor: None) -> list[Draft]:
    """Drafts for ``posts``, each ``(number, text, names)``; ``names`` are ``(actor id, start, end)``.

    ``resolve_source(name)`` turns the source a cue names ("Kazakh media") into
    an actor id, or ``None`` to keep the words; ``type_of(actor id)`` gives its
    actor type, or ``None`` when unknown.
    """
    drafts: list[Draft] = []
    for number, text, names in posts:
        cues = sorted(find_cues(text, language) + _speakers(text, _outermost(names), language),
                      key=lambda c: (c.start, c.end))
        # Whom a cue names as the source asserts the claim; it is not part of it.
        sources = _merged(_source_span(text, c) for c in cues if c.source)
        starts = [lo for lo, _ in sources]
        names = [n for n in names if not (k := bisect_right(starts, n[1])) or n[1] >= sources[k - 1][1]]
        outer = _outermost(names)
        spans = sentence_spans(text)
        in_sentence = [_distinct([n for n in outer if s <= n[1] < e]) for s, e in spans]
        pairs = []   # (first, second, regions the relation is looked for in, how far a verb may reach)
        for name in outer:
            # a name within a name: its other words say how the two relate
            pairs += [(name, inner, ((name[1], inner[1]), (inner[2], name[2])), name[2], _WITHIN)
                      for inner in _distinct(_inside(names, name))]
        for (s_start, s_end), inside in zip(spans, in_sentence):
            pairs += [(first, second, _regions(first, second, (s_start, s_end)), s_end, None)
                      for i, first in enumerate(inside) for second in inside[i + 1:]]
        drafted = {frozenset((pair[0][0], pair[1][0])) for pair in pairs}
        # Then the pairs a sentence and the one it follows on make; a list item
        # follows on its heading and what the heading follows on, not on the item before.
        for i, j, heading in _neighbours(text, spans):
            for first in in_sentence[j]:
                for second in in_sentence[i]:
                    pair = frozenset((first[0], second[0]))
                    if first[0] != second[0] and pair not in drafted:
                        drafted.add(pair)
                        pairs.append((first, second, _across(spans, i, j, heading, first, second), spans[i][1],
                                      (second, in_sentence[i]) if heading is None else None))
        for count, (first, second, regions, limit, anchor) in enumerate(
                [p for p in pairs if p[0][0] != p[1][0]], start=1):
            drafts.append(_draft(f"d{number:02d}-{count}", number, text, first, second, regions, limit, anchor,
                                 language, cues, resolve_source, type_of))
    return drafts


def _merged(spans) -> list[tuple[int, int]]:
    """``spans`` in order, overlapping ones joined, so one look-up tells whether a place is in one."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _source_span(text: str, cue: Cue) -> tuple[int, int]:
    """From the cue to the end of the source it names, or from the source before it ("X said")."""
    after = text.find(cue.source, cue.start)
    if after >= 0:
        return cue.start, after + len(cue.source)
    return text.rfind(cue.source, 0, cue.start), cue.end


def _speakers(text: str, names, language: str) -> list[Cue]:
    """A reporting verb beside a name and before what is said, as an attribution cue naming it.

    ``names`` are in order and do not overlap (:func:`_outermost`).
    """
    verbs = _SAYS.get(language.split("-")[0])
    ends = [name[2] for name in names]
    found = []
    for match in re.finditer(rf"(?<!\w)(?:{verbs})(?!\w)", text, re.IGNORECASE) if verbs else ():
        said = re.match(r"[^\n.!?]{0,30}?(?:\bthat\b|\bdass\b|\bчто\b|,|:)", text[match.end():match.end() + 200])
        if not said:
            continue
        clause = match.end() + said.end()   # where what is said begins
        k = bisect_right(ends, match.start())  # the first name not before the verb
        speaker = None
        # "X said on Thursday that", or the verb first: "erklärte die kaz.Regierung,"
        if k:
            before = text[names[k - 1][2]:match.start()]
            if len(before.split()) <= _SPEAKER_GAP and "\n" not in before and len(before) <= 60:
                speaker = names[k - 1]
        if speaker is None and k < len(names) and match.end() <= names[k][1] and names[k][2] <= clause:
            if len(text[match.end():names[k][1]].split()) <= 2:
                speaker = names[k]
        if speaker:
            found.append(Cue(word=match.group(), start=match.start(), end=match.end(), kind="attribution",
                             suggests="reported", lemma=match.group().lower(), source=text[speaker[1]:speaker[2]]))
    return found


# A list item: "- Armenien,", "a) die eigene Regierung", "2. Belarus".
_ITEM = re.compile(r"[-–—•*·▪]\s|\w{1,2}[.)]\s")


def _neighbours(text: str, spans) -> list[tuple[int, int, int | None]]:
    """(sentence, earlier sentence, heading between) whose names may be paired across the two."""
    found = []
    heading = None   # the sentence the current list hangs from
    for i, (start, end) in enumerate(spans):
        if _ITEM.match(text, start):
            if heading is None and i:
                heading = i - 1
            if heading is not None:
                found += [(i, heading, heading)] + ([(i, heading - 1, heading)] if heading else [])
            continue
        heading = i if text[start:end].rstrip().endswith(":") else None
        if i:
            found.append((i, i - 1, None))
    return found


def _across(spans, i: int, j: int, heading: int | None, first: tuple, second: tuple):
    """Where the verb of a pair across sentences is looked for: a list's heading ("Zu sehen:
    - X"), else the later sentence, where a pronoun often takes up the earlier name ("Toqajev
    ... Er kündigte einen Umbau an"), the word nearest the later name first. The earlier
    sentence's own verb relates its own names."""
    return ([spans[heading]] if heading is not None else []) + [spans[i]]


def _inside(names, outer):
    """The names within ``outer`` of other actors ("Almaty" in "Flughafen von Almaty")."""
    return [n for n in names if outer[1] <= n[1] and n[2] <= outer[2] and n[0] != outer[0]]


def _outermost(names):
    """Names in order, less those inside a longer one ("CSTO" in "CSTO secretariat")."""
    ordered = sorted(names, key=lambda n: (n[1], -n[2], n[0]))
    kept = []
    for name in ordered:
        if not kept or name[1] >= kept[-1][2]:
            kept.append(name)
    return kept


def _distinct(names):
    """Names in order, an actor named twice in a sentence kept at its first place."""
    seen, kept = set(), []
    for name in names:
        if name[0] not in seen:
            seen.add(name[0])
            kept.append(name)
    return kept


def _cues(text: str, start: int, end: int, claim: int, language: str, cues) -> list[Cue]:
    """The cues bearing on a draft quoted from ``start`` whose claim begins at ``claim``.

    A pair across sentences rests on the later one: a hedge of the earlier sentence
    ("scheinen sich konsolidiert zu haben. Systematisch werden nun Razzien ...")
    is its own, while a source named there ("Laut X ...") still speaks on.
    """
    if claim <= start:
        return cues_for_quote(text, start, end, language, cues)
    return [c for c in cues_for_quote(text, start, claim, language, cues) if c.kind == "attribution"] + \
        cues_for_quote(text, claim, end, language, cues)


def _draft(draft_id, number, text, first, second, regions, limit, anchor, language, cues,
           resolve_source, type_of) -> Draft:
    within = anchor is _WITHIN
    anchor = None if within else anchor
    relation, passive, verb = _relation(text, regions, limit, language, *(anchor or ()))
    if within and relation == UNKNOWN_RELATION and type_of(second[0]) in _PLACES:
        # a place in a name says where the rest is: "EU-Firmen", "Flughafen von Almaty"
        relation = "locatedIn" if type_of(first[0]) in _PLACES else "basedIn"
    subject, obj = (second[0], first[0]) if passive else (first[0], second[0])
    start = min(first[1], second[1], verb[0] if verb else first[1])
    end = max(first[2], second[2], verb[1] if verb else 0)
    found = suggest(_cues(text, start, end, regions[0][0] if anchor else start, language, cues))
    source = found.source and (resolve_source(found.source) or found.source)
    words = text[verb[0]:verb[1]] if verb else None
    basis = (f'relation from "{" ".join(words.split())}"' if words else "no verb of the lexicon") + "; " + (
        "modality from " + ", ".join(f'"{c.word}"' for c in found.cues) if found.cues else "no cue: stated")
    modality = found.modality
    indirect = _INDIRECT.get(language.split("-")[0])
    if modality == "stated" and indirect and (said := indirect.search(text, start, end)):
        modality, basis = "reported", basis.replace("no cue: stated", f'modality from "{said.group()}" (Konjunktiv I)')
    return Draft(id=draft_id, post=number, subject=subject, relation=relation, object=obj,
                 quote=text[start:end], modality=modality, asserted_by=source, basis=basis)
