"""Plain-text tables that fit the terminal, for people (not for programs)."""

from __future__ import annotations

from .textsafe import one_line

__all__ = ["format_table"]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _shrink(widths: list[int], budget: int, floor: int) -> list[int]:
    """Take one character at a time from the widest column (the leftmost of equals) until
    ``budget`` is met or every column is down to ``floor``; whole runs of such steps at once,
    so a 1 MB cell costs no more than a short one."""
    while sum(widths) > budget:
        top = max(widths)
        if top <= floor:
            break
        tied = [i for i, w in enumerate(widths) if w == top]
        excess = sum(widths) - budget
        if excess < len(tied):
            for i in tied[:excess]:
                widths[i] -= 1
            break
        below = max([w for w in widths if w < top] + [floor])
        for i in tied:
            widths[i] -= min(excess // len(tied), top - below)
    return widths


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
    widths = _shrink(widths, width - gap * (len(widths) - 1), floor=6)
    lines = ["  ".join(_cut(h, w).ljust(w) for h, w in zip(heads, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_cut(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)
