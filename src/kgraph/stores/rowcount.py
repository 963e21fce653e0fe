"""Count the rows of a SPARQL SELECT answer while an engine writes it, without reading it back.

Oxigraph writes an answer in its own serializers, far faster than rows made
into Python terms; a writer that counts the rows in the bytes as they come
can stop an answer past ``max_rows`` before it fills memory. Each format
marks a row by bytes that the data inside it cannot spell: TSV escapes
newlines, CSV quotes them, XML escapes ``<`` and JSON escapes ``"``.
"""

from __future__ import annotations

from .base import TooManyRows

__all__ = ["CountingWriter"]


class CountingWriter:
    """A binary file for a serializer: keeps the bytes, counts the ``rows`` (the header line of CSV and TSV
    too) and raises :class:`TooManyRows` at row ``max_rows + 1``.

    ``fmt`` is the results format written (``json``, ``xml``, ``csv``, ``tsv``, as written by Oxigraph).
    """

    def __init__(self, fmt: str, max_rows: int | None):
        self.chunks: list[bytes] = []
        self.max_rows = max_rows
        self.rows = 0
        self._count = {"json": self._json, "xml": self._xml, "csv": self._csv, "tsv": self._tsv}[fmt]
        self._inside = False  # within a quoted CSV value or a JSON string
        self._held = b""  # the end of the last chunk, counted with the next one
        self._header = fmt in ("csv", "tsv")  # the first line names the variables
        self.commas = 0  # between CSV fields, the header's too

    def write(self, data) -> int:
        data = bytes(data)
        self.chunks.append(data)
        self.rows += self._count(data)
        if self.max_rows is not None and self.rows - self._header > self.max_rows:
            raise TooManyRows(self.max_rows)
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)

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
        # A row is an object opening an array element ("[{" or ",{") outside strings; a quote in a string
        # is escaped. Backslashes, "[" and "," at a chunk's end wait for what follows them.
        text = self._held + data
        kept = len(text.rstrip(b"\\,["))
        text, self._held = text[:kept], text[kept:]
        rows = 0
        for part in text.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"'):
            if not self._inside:
                rows += part.count(b"[{") + part.count(b",{")
            self._inside = not self._inside
        self._inside = not self._inside
        return rows
