"""Make text from data safe to print in a terminal.

Labels and quotes come from hand-edited files and ingested threads; an ANSI
or OSC escape, a carriage return or a right-to-left override in them must
show as text, not act on the user's terminal.
"""

from __future__ import annotations

from .patterns import TERMINAL_UNSAFE as UNSAFE
from .patterns import XML_FORBIDDEN

__all__ = ["term_safe", "one_line", "u_escape", "json_text", "xml_escape_controls", "UNSAFE"]


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


def json_text(data) -> str:
    r"""``data`` as indented JSON with the unsafe characters as ``\u`` escapes: what
    ``--format json`` prints, and what the library's answers give as ``to_json()``.

    >>> print(json_text({"label": "evil \u202e txt"}))
    {
      "label": "evil \u202e txt"
    }
    """
    import json

    return u_escape(json.dumps(data, ensure_ascii=False, indent=2))


def xml_escape_controls(text: str) -> str:
    """Write the unsafe characters as XML character references (``&#x9b;``).

    Raises ValueError for the characters XML 1.0 cannot carry at all.
    """
    bad = XML_FORBIDDEN.search(text)
    if bad:
        raise ValueError(f"U+{ord(bad.group()):04X} cannot be written in XML 1.0")
    return UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)
