"""Make text from data safe to print in a terminal.

Labels and quotes come from hand-edited files and ingested threads; an ANSI
or OSC escape, a carriage return or a right-to-left override in them must
show as text, not act on the user's terminal.
"""

from __future__ import annotations

import re

__all__ = ["term_safe", "one_line", "u_escape", "xml_escape_controls", "UNSAFE"]

# C0 and C1 controls except newline and tab, DEL, and the bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def term_safe(text: str) -> str:
    r"""Replace control characters with visible escapes.

    >>> term_safe("red \x1b[31m text")
    'red \\x1b[31m text'
    >>> term_safe("evil \u202e txt")
    'evil \\u202e txt'
    """
    return UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def one_line(text: str) -> str:
    """:func:`term_safe` with newlines and tabs shown as spaces (for tables)."""
    return term_safe(" ".join(str(text).split()))


def u_escape(text: str) -> str:
    r"""Write the unsafe characters as ``\uXXXX``, which JSON, JSON-LD, Turtle
    and N-Triples read back as the very same characters.

    The data is unchanged for any program; the bytes are inert in a terminal.

    >>> u_escape('{"label": "evil \u202e txt"}')
    '{"label": "evil \\u202e txt"}'
    """
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_escape_controls(text: str) -> str:
    """Write the unsafe characters as XML character references (``&#x9b;``).

    Raises ValueError for the C0 controls XML 1.0 cannot carry at all.
    """
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(f"U+{ord(bad.group()):04X} cannot be written in XML 1.0")
    return UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)
