"""Count the rows of a SPARQL SELECT answer while an engine writes it, without reading it back.

Oxigraph writes an answer in its own serializers, far faster than rows made
into Python terms; a writer that counts the rows in the bytes as they come
can stop an answer past ``max_rows`` before it fills memory. Each format
marks a row by bytes that the data inside it cannot spell: TSV escapes
newlines, CSV quotes them, XML escapes ``<`` and JSON escapes ``"``.
"""

from __future__ import annotations

import re

from .base import TooManyRows

__all__ = ["CountingWriter"]


class CountingWriter:
    """A binary file for a serializer: keeps the bytes, counts the ``rows`` (the header line of CSV and TSV
    too) and raises :class:`TooManyRows` at row ``max_rows + 1``.

    ``fmt`` is the results format written (``json``, ``xml``, ``csv``, ``tsv``, as written by Oxigraph);
    ``escape``, if given, rewrites each batch of bytes counted (in order) into the bytes kept.
    """

    def __init__(self, fmt: str, max_rows: int | None, escape=None):
        self.chunks: list[bytes] = []
        self._escape = escape
        self.max_rows = max_rows
        self.rows = 0
        self._count = {"json": self._json, "xml": self._xml, "csv": self._csv, "tsv": self._tsv}[fmt]
        self._inside = False  # within a quoted CSV value or a JSON string
        self._held = b""  # the end of the last chunk, counted with the next one
        self._header = fmt in ("csv", "tsv")  # the first line names the variables
        self._head = fmt == "json"  # JSON's head is still to come
        self._unread: list[bytes] = []  # written since the last count
        self._unread_size = 0
        self.commas = 0  # between CSV fields, the header's too

    def write(self, data) -> int:
        data = bytes(data)
        self._unread.append(data)
        self._unread_size += len(data)
        if self._unread_size >= _BATCH:
            self._tally()
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        """All bytes written; raises :class:`TooManyRows` as a write would have."""
        self._tally()
        self.chunks = [b"".join(self.chunks)]  # one copy of a big answer, not two
        return self.chunks[0]

    def _tally(self) -> None:
        # A batch at a time: the serializer writes 8 KiB at a time, and each count costs a few calls.
        batch = b"".join(self._unread)
        self._unread, self._unread_size = [], 0
        if self.max_rows is not None or self._count == self._csv:
            self.rows += self._count(batch)
            if self.max_rows is not None and self.rows - self._header > self.max_rows:
                raise TooManyRows(self.max_rows)
        self.chunks.append(self._escape(batch) if self._escape else batch)

    def _tsv(self, data: bytes) -> int:
        return data.count(b"\n")

    def _xml(self, data: bytes) -> int:
        # A row is a <result> element; text writes "<" as "&lt;". The end of a chunk may hold part of
        # a tag: its last 7 bytes, too few to hold a whole one, are counted again with the next chunk.
        text = self._held + data
        self._held = text[-7:]
        return text.count(b"<result>")

    def _csv(self, data: bytes) -> int:
        # Rows end in a line break outside quotes; a quote in a value is doubled, which toggles twice.
        rows = 0
        for part in data.split(b'"'):
            if not self._inside:
                rows += part.count(b"\n")
                self.commas += part.count(b",")
            self._inside = not self._inside
        self._inside = not self._inside  # no quote after the last part
        return rows

    def _json(self, data: bytes) -> int:
        # A row opens an array element, "[{" or ",{", outside strings, where a quote is escaped. An object
        # opening as {"NAME":{" cannot start inside a string (its first quote would end the string, and
        # no name follows a string), so such objects are counted anywhere, fast; they are the head, rows
        # with a value, and triple terms (after a ":"). Only an empty row, {}, needs to know where strings
        # are: a chunk with one is read quote by quote. Each chunk is read up to its last "}", which ends
        # every value: an escape or an object's opening never spans that cut.
        text = self._held + data
        cut = text.rfind(b"}") + 1
        text, self._held = text[:cut], text[cut:]
        if b"{}" in text:
            return self._json_by_quotes(text)
        unpaired = text.replace(b"\\\\", b"") if b"\\\\" in text else text  # then each \" is a quote in a string
        self._inside ^= (unpaired.count(b'"') - unpaired.count(b'\\"')) % 2 == 1
        head, self._head = self._head and text.startswith(b'{"head":{"'), self._head and not text
        return len(_JSON_OBJECT.findall(text)) - len(_JSON_TRIPLE.findall(text)) - head

    def _json_by_quotes(self, text: bytes) -> int:
        self._head = False
        rows = 0
        for part in text.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"'):
            if not self._inside:
                rows += part.count(b"[{") + part.count(b",{")
            self._inside = not self._inside
        self._inside = not self._inside
        return rows


#: bytes counted at once: at most this much is written past the row over the limit
_BATCH = 1 << 20
# Each starts with text to look for (not a class of characters, nor a look-behind): 10x as fast.
_JSON_OBJECT = re.compile(rb'\{"[^"\\]+":\{"')
_JSON_TRIPLE = re.compile(rb':\{"[^"\\]+":\{"')
