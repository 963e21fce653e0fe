r"""Query results that look the same whichever store answered.

A :class:`Result` holds rdflib terms: ``vars`` and ``rows`` for SELECT, a
``boolean`` for ASK, a ``graph`` for CONSTRUCT/DESCRIBE. ``serialize`` writes
the W3C formats by name (``json``, ``xml``, ``csv``, ``tsv`` for results;
``ttl``, ``nt``, ``jsonld`` for graphs). Control and bidi characters in the
data are written as the format's own escapes (``\u001b``, ``&#x9b;``), so the
bytes parse back to the same data and cannot act on a terminal. CSV has no
escapes, and common TSV readers (rdflib's) do not read ``\u``
escapes, so the two tabular formats carry them as they are.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Result", "RowStream", "RESULT_FORMATS", "GRAPH_FORMATS", "STREAM_FORMATS", "MEDIA_TYPES", "write_rows",
           "row_blocks", "BLOCK_CAP"]

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
#: the SELECT formats :func:`write_rows` writes row by row
STREAM_FORMATS = ("json", "csv", "tsv")

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}

_RDFLIB_GRAPH_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


@dataclass
class Result:
    kind: str  # "SELECT", "ASK" or "CONSTRUCT"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: object = None  # rdflib.Graph for CONSTRUCT/DESCRIBE

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "SELECT":
            return len(self.rows)
        if self.kind == "CONSTRUCT":
            return len(self.graph)
        return 1

    def __repr__(self) -> str:
        if self.kind == "ASK":
            return f"<Result ASK: {str(self.boolean).lower()}>"
        if self.kind == "CONSTRUCT":
            return f"<Result CONSTRUCT: {len(self)} triple{'s' * (len(self) != 1)}>"
        return f"<Result SELECT: {len(self)} row{'s' * (len(self) != 1)} of {', '.join(self.vars)}>"

    def _repr_html_(self) -> str:
        """SELECT rows as a table (IRIs as prefixed names) for Jupyter; other kinds as their repr."""
        import html

        if self.kind != "SELECT":
            return f"<pre>{html.escape(repr(self))}</pre>"
        from .query import display_term

        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.vars)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(display_term(t, {}))}</td>" for t in row) + "</tr>"
                       for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_dict(self) -> dict:
        """The W3C SPARQL results JSON (SELECT, ASK) as Python data: ``kgraph query --format json``."""
        return json.loads(self.serialize("json"))

    def to_json(self) -> str:
        """The W3C SPARQL results JSON, as ``kgraph query --format json`` prints it."""
        return self.serialize("json").decode("utf-8")

    def dicts(self) -> list[dict]:
        """Rows as ``{var: python value}`` (IRIs as strings, literals as Python values)."""
        return [{v: _py(t) for v, t in zip(self.vars, row) if t is not None} for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of :meth:`dicts` (needs pandas, which kgraph does not require)."""
        try:
            import pandas as pd
        except ImportError:
            from ..errors import KgraphError

            raise KgraphError("to_dataframe() needs pandas: pip install pandas") from None
        return pd.DataFrame(self.dicts(), columns=self.vars)

    def serialize(self, fmt: str) -> bytes:
        return inert(self._serialize(fmt), fmt)

    def _serialize(self, fmt: str) -> bytes:
        if self.kind == "CONSTRUCT":
            if fmt not in GRAPH_FORMATS:
                raise ValueError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}, not {fmt}")
            from ..rdf.iris import bind_prefixes

            bind_prefixes(self.graph)
            kwargs = {"auto_compact": True} if fmt == "jsonld" else {}
            return self.graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8", **kwargs)
        if fmt not in RESULT_FORMATS:
            raise ValueError(f"a {self.kind} result is written as {', '.join(RESULT_FORMATS)}, not {fmt}")
        if self.kind == "SELECT" and fmt in STREAM_FORMATS:
            return b"".join(_row_chunks(fmt, self.vars, self.rows))
        if fmt == "tsv":
            return b"?_askResult\n" + (b"true\n" if self.boolean else b"false\n")
        if fmt == "csv":
            # The W3C CSV format has no booleans: a one-cell table, as for TSV above.
            return b"_askResult\r\n" + (b"true\r\n" if self.boolean else b"false\r\n")
        from rdflib.query import Result as RdflibResult

        res = RdflibResult(self.kind)
        if self.kind == "ASK":
            res.askAnswer = bool(self.boolean)
        else:
            from rdflib import Variable

            res.vars = [Variable(v) for v in self.vars]
            res.bindings = [{Variable(v): t for v, t in zip(self.vars, row) if t is not None}
                            for row in self.rows]
        out = io.BytesIO()
        res.serialize(out, format=fmt, encoding="utf-8")
        return out.getvalue()


@dataclass
class RowStream:
    """SELECT rows as the store gives them: ``vars`` and an iterator of rows, read once.

    ``kgraph query`` prints them as they come instead of waiting for the last.
    """

    vars: list[str]
    rows: Iterator[tuple]
    kind = "SELECT"

    def __iter__(self):
        return self.rows

    def result(self) -> Result:
        """The whole answer, read to the end."""
        return Result("SELECT", vars=list(self.vars), rows=list(self.rows))


def write_rows(fmt: str, vars: list[str], rows: Iterable[tuple]) -> Iterator[bytes]:
    """``fmt`` (json, csv or tsv) of SELECT rows, in pieces as the rows come.

    The pieces joined are the bytes of ``Result.serialize(fmt)``; rows are
    written in blocks that start small, so the first row goes out at once.
    """
    if fmt not in STREAM_FORMATS:
        raise ValueError(f"rows are written one by one as {', '.join(STREAM_FORMATS)}, not {fmt}")
    return (inert(chunk, fmt) for chunk in _row_chunks(fmt, vars, rows))


#: the most rows :func:`row_blocks` puts in one block
BLOCK_CAP = 1024


def row_blocks(rows: Iterable[tuple], first: int = 1) -> Iterator[list[tuple]]:
    """``rows`` in lists of ``first``, twice that, ... up to :data:`BLOCK_CAP` rows:
    the first rows go out at once, later ones in bulk."""
    rows = iter(rows)
    size = first
    while block := list(itertools.islice(rows, size)):
        yield block
        size = min(size * 2, BLOCK_CAP)


def _row_chunks(fmt: str, vars: list[str], rows: Iterable[tuple]) -> Iterator[bytes]:
    if fmt == "json":
        # The layout rdflib's serializer (json.dumps of one dict) gives, written a row at a time.
        yield b'{"results": {"bindings": ['
        separator = ""
        for block in row_blocks(rows):
            text = ", ".join(json.dumps({v: _json_term(t) for v, t in zip(vars, row) if t is not None},
                                        ensure_ascii=False) for row in block)
            yield (separator + text).encode("utf-8")
            separator = ", "
        yield b']}, "head": {"vars": ' + json.dumps(vars, ensure_ascii=False).encode("utf-8") + b"}}"
        return
    if fmt == "csv":
        yield _csv_lines([vars])
        for block in row_blocks(rows):
            yield _csv_lines([["" if t is None else _csv_term(t) for t in row] for row in block])
        return
    # W3C SPARQL 1.1 TSV: header of ?vars, terms in Turtle/N-Triples syntax.
    yield ("\t".join("?" + v for v in vars) + "\n").encode("utf-8")
    for block in row_blocks(rows):
        yield "".join("\t".join("" if t is None else _tsv_term(t) for t in row) + "\n"
                      for row in block).encode("utf-8")


def _csv_lines(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv_term(term) -> str:
    from rdflib import BNode

    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _json_term(term) -> dict:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        found = {"type": "literal", "value": str(term)}
        if term.datatype is not None:
            found["datatype"] = str(term.datatype)
        if term.language is not None:
            found["xml:lang"] = term.language
        return found
    return {"type": "bnode" if isinstance(term, BNode) else "uri", "value": str(term)}


def inert(data: bytes, fmt: str) -> bytes:
    """A serialized answer in ``fmt`` with the characters unsafe on a terminal (controls, bidi
    controls) escaped, as JSON or XML reads them back unchanged; CSV and TSV as they are."""
    from ..util.textsafe import u_escape, xml_escape_controls

    if fmt in ("csv", "tsv"):
        return data
    text = data.decode("utf-8")
    if fmt == "xml":
        try:
            return xml_escape_controls(text).encode("utf-8")
        except ValueError as exc:
            from ..errors import QueryError

            raise QueryError(f"the answer holds text that XML cannot carry ({exc}); use json") from None
    return u_escape(text).encode("utf-8")


def _tsv_term(term) -> str:
    from rdflib import Literal

    # Numbers and booleans in their short Turtle form, as the TSV spec allows.
    text = term._literal_n3(use_plain=True) if isinstance(term, Literal) else term.n3()
    # n3() writes long literals with triple quotes; TSV needs one line per row.
    if text.startswith('"""') or "\n" in text or "\t" in text:
        value = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
            .replace("\r", "\\r").replace("\t", "\\t")
        if isinstance(term, Literal) and term.language:
            return f'"{value}"@{term.language}'
        if isinstance(term, Literal) and term.datatype:
            return f'"{value}"^^<{term.datatype}>'
        return f'"{value}"'
    return text


def _py(term):
    from rdflib import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)
