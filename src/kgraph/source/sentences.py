"""Where the sentences of a post begin and end, and the sentence around a quote.

Posts are tweets: a line break ends a sentence (and a list item ``- ...``)
as surely as a full stop does. A ``.``, ``!``, ``?`` or ``…`` ends one only
when a space and no lower-case letter follow, so ``kaz.Beobachtern``,
``am 10.01. ein Nationaltrauertag`` and ``Nasarbajev-Clan...auch`` stay whole.

>>> text = "Die Lage ist ruhig. Laut kaz.Beobachtern werde am 10.01. gewählt.\\n- Armenien,"
>>> [text[s:e] for s, e in sentence_spans(text)]
['Die Lage ist ruhig.', 'Laut kaz.Beobachtern werde am 10.01. gewählt.', '- Armenien,']
>>> start = text.index("Beobachtern")
>>> s, e = sentence_around(text, start, start + 11)
>>> text[s:e]
'Laut kaz.Beobachtern werde am 10.01. gewählt.'
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans", "sentence_around", "parenthesised"]

# The end of a sentence: a line break, or closing punctuation before a space
# that is not followed by a lower-case letter (which continues the sentence).
_END = re.compile(r"\n|[.!?…]+[\"”»)]*(?=[ \t]+(?![a-zäöüßа-яё])|$)")
_BRACKET = re.compile(r"[()]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, surrounding white space left out."""
    spans = []
    start = 0
    for end in _END.finditer(text):
        spans.append((start, end.end() if end.group() != "\n" else end.start()))
        start = end.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        piece = text[s:e]
        if piece.strip():
            s += len(piece) - len(piece.lstrip())
            e -= len(piece) - len(piece.rstrip())
            trimmed.append((s, e))
    return trimmed


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) holding ``text[start:end]``, widened to whole sentences."""
    touching = [(s, e) for s, e in sentence_spans(text) if s < max(end, start + 1) and e > start]
    if not touching:
        return start, end
    return min(s for s, _ in touching), max(e for _, e in touching)


def parenthesised(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(open, close)`` of every outermost ``( ... )`` in ``text[start:end]``, brackets included."""
    groups = []
    depth = 0
    opened = start
    for bracket in _BRACKET.finditer(text, start, end):
        if bracket.group() == "(":
            if depth == 0:
                opened = bracket.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((opened, bracket.end()))
    return groups
