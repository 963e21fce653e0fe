"""Make text from data safe to print in a terminal.

Labels and quotes come from hand-edited files and ingested threads; an ANSI
or OSC escape, a carriage return or a right-to-left override in them must
show as text, not act on the user's terminal.
"""

from __future__ import annotations

import re

__all__ = ["term_safe", "one_line"]

# C0 and C1 controls except newline and tab, DEL, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def term_safe(text: str) -> str:
    r"""Replace control characters with visible escapes.

    >>> term_safe("red \x1b[31m text")
    'red \\x1b[31m text'
    >>> term_safe("evil \u202e txt")
    'evil \\u202e txt'
    """
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def one_line(text: str) -> str:
    """:func:`term_safe` with newlines and tabs shown as spaces (for tables)."""
    return term_safe(" ".join(str(text).split()))
