"""Plain-text tables that fit the terminal, for people (not for programs).

Nothing is cut: a cell too long for its column wraps onto more lines, by
words. A table whose columns cannot each hold their longest word in the
width is shown as one block of ``column  value`` lines per row instead,
so no word is split. Words longer than ``WORD_CAP`` (IRIs) may be.
"""

from __future__ import annotations

import textwrap

from ..util.textsafe import one_line

__all__ = ["format_table", "WORD_CAP"]

GAP = 2
#: a column is never made narrower than its longest word, up to this many characters
WORD_CAP = 20


def _longest_word(text: str) -> int:
    return max(map(len, text.split()), default=0)


def _fit(natural: list[int], floors: list[int], budget: int) -> list[int] | None:
    """Widths summing to at most ``budget``: columns narrower than a level keep their width,
    the wider ones share what is left, none below its floor; None when the floors alone are too wide.

    >>> _fit([4, 30, 50], [4, 8, 10], 40)
    [4, 18, 18]
    """
    def at(level: int) -> list[int]:
        return [min(n, max(level, f)) for n, f in zip(natural, floors)]

    if sum(at(0)) > budget:
        return None
    low, high = 0, max(natural)
    while low < high:  # the highest level that fits
        mid = (low + high + 1) // 2
        low, high = (mid, high) if sum(at(mid)) <= budget else (low, mid - 1)
    widths = at(low)
    spare = budget - sum(widths)
    for i, (w, n) in enumerate(zip(widths, natural)):
        if spare and w == low < n:  # the columns held at the level, leftmost first
            widths[i] += 1
            spare -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    # Hyphens stay inside words: "OVKS-Truppen", "2-3" and IRIs read better whole.
    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False) or [""]


def _grid(heads: list[str], cells: list[list[str]], widths: list[int]) -> str:
    blocks = [[_wrap(c, w) for c, w in zip(row, widths)] for row in [heads, *cells]]
    # A column as wide as its longest wrapped line, which may be less than it was given.
    widths = [max(len(line) for block in blocks for line in block[i]) for i in range(len(widths))]

    def lines(block):
        for n in range(max(map(len, block))):
            yield (" " * GAP).join((part[n] if n < len(part) else "").ljust(w)
                                   for part, w in zip(block, widths)).rstrip()

    out = list(lines(blocks[0]))
    out.append((" " * GAP).join("-" * w for w in widths))
    for block in blocks[1:]:
        out += lines(block)
    return "\n".join(out)


def _records(heads: list[str], cells: list[list[str]], width: int) -> str:
    label = max(map(len, heads))
    room = max(width - label - GAP, WORD_CAP)
    out = []
    for row in cells:
        if out:
            out.append("")
        for head, cell in zip(heads, row):
            first, *rest = _wrap(cell, room)
            out.append(f"{head.ljust(label)}{' ' * GAP}{first}".rstrip())
            out += [" " * (label + GAP) + line for line in rest]
    return "\n".join(out)


def format_table(headers: list[str], rows: list[list[str]], width: int | None = 100) -> str:
    """The table in ``width`` characters (``None``: one line per row, however long).

    >>> print(format_table(["a", "b"], [["1", "two"]], width=20))
    a  b
    -  ---
    1  two
    >>> print(format_table(["id", "quote"], [["c1", "Der Abzug solle nicht länger dauern"]], width=20))
    id  quote
    --  ---------------
    c1  Der Abzug solle
        nicht länger
        dauern
    """
    cells = [[one_line(c) for c in row] for row in rows]
    heads = [one_line(h) for h in headers]
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]
    budget = None if width is None else width - GAP * (len(heads) - 1)
    if budget is None or sum(natural) <= budget:
        return _grid(heads, cells, natural)
    floors = [min(max([_longest_word(h)] + [_longest_word(r[i]) for r in cells]), WORD_CAP)
              for i, h in enumerate(heads)]
    widths = _fit(natural, floors, budget)
    return _records(heads, cells, width) if widths is None else _grid(heads, cells, widths)
