"""Plain-text tables that fit the terminal, for people (not for programs)."""

from __future__ import annotations

from .textsafe import one_line

__all__ = ["format_table"]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def format_table(headers: list[str], rows: list[list[str]], width: int = 100) -> str:
    """Columns shrink, widest first, until the table fits ``width`` characters.

    >>> print(format_table(["a", "b"], [["1", "two"]], width=20))
    a  b
    -  ---
    1  two
    """
    cells = [[one_line(c) for c in row] for row in rows]
    heads = [one_line(h) for h in headers]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]
    gap = 2
    floor = 6
    while sum(widths) + gap * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    lines = ["  ".join(_cut(h, w).ljust(w) for h, w in zip(heads, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_cut(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)
