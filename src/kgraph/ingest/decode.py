"""Bytes of a saved thread -> text with ``\\n`` line ends, or a clear error.

Threads arrive as people save them: UTF-8 from a browser, UTF-8 with a BOM
from Windows Notepad, UTF-16 with a BOM from Word's "Unicode text", CRLF line
ends from anything on Windows. All of these decode. Nothing is guessed: bytes
that are not UTF-8 and carry no byte-order mark are refused with the offset
and line of the first bad byte, and files that are plainly not text (a PDF,
a ZIP, an image, anything with NUL bytes) are named as such.

>>> decode_text("Update\\r\\n(1/2)\\r\\n".encode("utf-16"))
'Update\\n(1/2)\\n'
>>> decode_text(b"\\xef\\xbb\\xbfGr\\xc3\\xbc\\xc3\\x9fe")
'Grüße'
"""

from __future__ import annotations

import codecs

from ..errors import KgraphError
from ..util.patterns import CONTROL

__all__ = ["decode_text", "InputError"]


class InputError(KgraphError):
    """The input is not a text file kgraph can read."""


# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .xlsx is one)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc); save it as plain text"),
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, name: str = "input") -> str:
    """Decode ``data`` and normalise line ends to ``\\n``.

    Raises :class:`InputError` for empty, binary or undecodable input; the
    message names ``name`` and, where it can, the line of the first bad byte.
    """
    if not data.strip():
        raise InputError(f"{name}: empty input, no thread to read")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: this is {what}, not a text file")
    encoding, label = "utf-8", "UTF-8"
    for bom, bom_encoding, bom_label in _BOMS:
        if data.startswith(bom):
            data, encoding, label = data[len(bom):], bom_encoding, bom_label
            break
    else:
        _refuse_binary(data, name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        where = f"line {_line_of(data, exc.start)}, " if label == "UTF-8" else ""
        raise InputError(
            f"{name}: not valid {label} text ({where}byte offset {exc.start}: "
            f"{data[exc.start:exc.start + 1].hex(' ')}); save the thread as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: empty input, no thread to read")
    # The data files refuse them too; decoded bytes hold no unpaired surrogate.
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"{name}: line {line} holds the control character U+{ord(bad.group()):04X}; "
                         "is this a text file?")
    return text


def _refuse_binary(data: bytes, name: str) -> None:
    nul = data.find(b"\x00")
    if nul < 0:
        return
    head = data[:4096]
    # UTF-16 text without a BOM has a NUL in every other byte of its ASCII part.
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; "
                         "save it as UTF-8 (or UTF-16 with BOM)")
    raise InputError(f"{name}: binary data (NUL byte at offset {nul}, line {_line_of(data, nul)}), "
                     "not a text file")
