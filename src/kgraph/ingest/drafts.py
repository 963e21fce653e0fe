"""Draft claims: every sentence that names two actors, with a relation to review.

For each sentence of a post that names two actors (known, or candidates not
yet recorded) a draft proposes

- subject and object in the order the sentence gives them, swapped for a
  passive ("was detained by", "wurde von ... festgenommen", "задержан"),
- a relation, from a German/English/Russian verb lexicon mapped to the
  vocabulary, or ``?`` when no verb of the lexicon stands between or after them,
- the shortest verbatim quote from the first to the last of subject, verb
  and object,
- a modality and ``asserted_by`` from the cue detector of ``kgraph validate``
  (:func:`kgraph.source.cues.suggest`): "laut X", "according to X", "per X" make X
  the source and the claim ``reported``.

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
from dataclasses import dataclass

from ..source.cues import cues_for_quote, find_cues, suggest
from ..source.sentences import sentence_spans

__all__ = ["Draft", "draft_claims", "LEXICON", "UNKNOWN_RELATION"]

UNKNOWN_RELATION = "?"
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
    (r"(?:was|were|been) (?:led|headed) by", "headOf", True),
    (r"lead|leads|led|heads|headed|chief of|head of", "headOf", False),
    (r"president of", "presidentOf", False),
    (r"member(?:s)? of|joined", "memberOf", False),
    (r"announc(?:ed|es)", "announced", False),
    (r"landed in|arrived in|in", "tookPlaceIn", False),
    (r"loyal to", "loyalTo", False),
    (r"thank(?:ed|s)?|praised", "goodRelationsWith", False),
    (r"shot|fired on|opened fire", "firedOn", False),
]
_DE = [
    (r"bat|ersuchte|bitten|gebeten|wandte sich an|rief\b.{0,30}\bzu Hilfe", "askedForHelpFrom", False),
    (r"wird\b.{0,40}\b(?:entsenden|schicken)|werden\b.{0,40}\b(?:entsenden|schicken)", "willSendTroopsTo", False),
    (r"(?:entsandt|entsandte|entsenden|schickte|geschickt)|Truppen|Kontingent|Soldaten", "sentTroopsTo", False),
    (r"wurde\b.{0,60}\b(?:festgenommen|verhaftet)", "detained", True),
    (r"festgenommen|verhaftet|Verhaftung|Festnahme|nahm\b.{0,30}\bfest", "detained", False),
    (r"dementierte|bestritt|bestreitet|dementiert", "denied", False),
    (r"verließ|verlassen|floh|geflohen", "left", False),
    (r"entlassen|entließ|abgesetzt|Entlassung|gefeuert", "dismissed", False),
    (r"Chef|Leiter|leitete|führte|Führung|Vorsitz", "headOf", False),
    (r"Präsident(?:en)?\b", "presidentOf", False),
    (r"Mitglied|Mitgliedsstaat|gehör(?:t|en)|Mitgliedern", "memberOf", False),
    (r"kündigt\w*\b.{0,60}\ban|angekündigt", "announced", False),
    (r"Abzug|abziehen|Mission|Einsatz|durchgeführt|führt\b.{0,30}\bdurch", "carriesOut", False),
    (r"treu|loyal|Gefolgsleut\w*|Anhänger", "loyalTo", False),
    (r"Verbindungen|verbunden|Kontakte", "hasConnectionsTo", False),
    (r"Beziehungen|befreundet|gut(?:e|en) Verhältnis", "goodRelationsWith", False),
    (r"Razzien|Durchgreifen|gegen", "targeted", False),
    (r"unterwandert|infiltriert", "infiltrated", False),
    (r"versteckt|gedeckt|verborgen", "concealed", False),
    (r"Foto|Bild|abgebildet|zeigt", "depictedIn", False),
    (r"\bin\b|\bim\b", "tookPlaceIn", False),
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
    (r"возглав\w*", "headOf", False),
]
LEXICON = {lang: [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE | re.DOTALL), rel, passive)
                  for p, rel, passive in table]
           for lang, table in (("en", _EN), ("de", _DE), ("ru", _RU))}


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


def _relation(text: str, first: tuple, second: tuple, sentence: tuple[int, int], language: str):
    """(relation, passive, verb span) from the words between two names, else after, else before them.

    Before: German puts the verb second, before its subject ("Laut X bat Toqajev die OVKS um Hilfe").
    """
    tables = LEXICON.get(language.split("-")[0], [])
    between = (first[2], second[1])
    after = (second[2], min(sentence[1], second[2] + _AFTER))
    before = (max(sentence[0], first[1] - _AFTER), first[1])
    for lo, hi in (between, after, before):
        for regex, relation, passive in tables:
            # a verb that starts in the region may end after it ("wird Truppen nach X entsenden")
            match = regex.search(text, lo, sentence[1])
            if match and match.start() < hi:
                return relation, passive, match.span()
    return UNKNOWN_RELATION, False, None


def draft_claims(posts, language: str, resolve_source=lambda name: None) -> list[Draft]:
    """Drafts for ``posts``, each ``(number, text, names)``; ``names`` are ``(actor id, start, end)``.

    ``resolve_source(name)`` turns the source a cue names ("Kazakh media") into
    an actor id, or ``None`` to keep the words.
    """
    drafts: list[Draft] = []
    for number, text, names in posts:
        cues = find_cues(text, language)
        # Whom a cue names as the source asserts the claim; it is not part of it.
        sources = [(c.start, text.find(c.source, c.start) + len(c.source)) for c in cues if c.source]
        names = [n for n in _outermost(names) if not any(lo <= n[1] < hi for lo, hi in sources)]
        count = 0
        for s_start, s_end in sentence_spans(text):
            inside = _distinct([n for n in names if s_start <= n[1] < s_end])
            for i, first in enumerate(inside):
                for second in inside[i + 1:]:
                    if first[0] == second[0]:
                        continue
                    count += 1
                    drafts.append(_draft(f"d{number:02d}-{count}", number, text, first, second,
                                         (s_start, s_end), language, cues, resolve_source))
    return drafts


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


def _draft(draft_id, number, text, first, second, sentence, language, cues, resolve_source) -> Draft:
    relation, passive, verb = _relation(text, first, second, sentence, language)
    subject, obj = (second[0], first[0]) if passive else (first[0], second[0])
    start = min(first[1], verb[0] if verb else first[1])
    end = max(second[2], verb[1] if verb else 0)
    found = suggest(cues_for_quote(text, start, end, language, cues))
    source = found.source and (resolve_source(found.source) or found.source)
    words = text[verb[0]:verb[1]] if verb else None
    basis = (f'relation from "{" ".join(words.split())}"' if words else "no verb of the lexicon") + "; " + (
        "modality from " + ", ".join(f'"{c.word}"' for c in found.cues) if found.cues else "no cue: stated")
    return Draft(id=draft_id, post=number, subject=subject, relation=relation, object=obj,
                 quote=text[start:end], modality=found.modality, asserted_by=source, basis=basis)
