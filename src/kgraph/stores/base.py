"""The store interface and what every store shares."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KgraphError, QueryError, QueryRefused
from ..rdf.namespaces import PREFIXES

__all__ = ["Store", "TooManyRows", "graph_files", "refuse_update", "refuse_service", "values_block", "values_table",
           "MERGED_STEM"]

MERGED_STEM = "all"

_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*", re.I)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def refuse_update(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` is a SPARQL Update."""
    rest = sparql[_PROLOGUE.match(sparql).end():]
    if _UPDATE.match(rest):
        raise QueryRefused("SPARQL UPDATE is refused: the graph is built from data/ and never edited "
                           "in place; change data/ and run 'kgraph build'")


# SPARQL allows \u escapes anywhere in a query; strings, IRIs and comments may say "service" freely.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_KEYWORDS = re.compile(r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                           r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*''', re.S)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.I)


def _codepoint(match: re.Match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF else " "


def refuse_service(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` uses SERVICE (federated query).

    Embedded stores answer SERVICE by fetching the URL given in the query, so
    on a server a client could make it call any address it can reach.
    """
    text = _CODEPOINT.sub(_codepoint, sparql)
    if _SERVICE.search(_NOT_KEYWORDS.sub(" ", text)):
        raise QueryRefused("SERVICE (federated query) is refused here: the endpoint does not fetch other URLs")


def graph_files(graph_dir: Path | str) -> list[Path]:
    """The Turtle files a store loads: ``all.ttl`` when present, else every ``*.ttl``.

    In a folder ``kgraph build`` wrote, only the files its manifest lists: a
    file left from a dataset that no longer exists does not answer.
    """
    from ..rdf.manifest import read_manifest

    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise KgraphError(f"{graph_dir}: no such graph folder; run 'kgraph build' first")
    merged = graph_dir / f"{MERGED_STEM}.ttl"
    built = read_manifest(graph_dir)
    if built is None:
        files = sorted(graph_dir.glob("*.ttl"))
    else:
        files = sorted(graph_dir / name for name in built if name.endswith(".ttl"))
        files = [f for f in files if f.exists()]
    if merged in files:
        files = [merged]
    if not files:
        raise KgraphError(f"{graph_dir}: no built graph (*.ttl) in it; run 'kgraph build' first")
    return files


_IRI_FORBIDDEN = set('<>"{}|^`\\ \n\r\t')


class TooManyRows(QueryRefused):
    """The answer is longer than the caller's ``max_rows``; nothing is returned."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the answer has more than {limit} rows, the limit here; "
                         "add LIMIT or narrow the query")


def values_table(names: list[str], rows) -> str:
    """A VALUES clause binding ``names`` to each row of rdflib terms, escaped by ``n3()``.

    >>> from rdflib import URIRef
    >>> values_table(["a"], [(URIRef("https://kgraph.example/id/actor/csto"),)])
    'VALUES (?a) {\\n  (<https://kgraph.example/id/actor/csto>)\\n}'
    """
    from rdflib import URIRef

    for name in names:
        if not name.isidentifier():
            raise QueryError(f"invalid variable name {name!r}")
    lines = []
    for row in rows:
        for term in row:
            if isinstance(term, URIRef) and _IRI_FORBIDDEN & set(str(term)):
                raise QueryError(f"invalid IRI {str(term)!r}")
        lines.append("  (" + " ".join(term.n3() for term in row) + ")")
    head = " ".join("?" + name for name in names)
    return f"VALUES ({head}) {{\n" + "\n".join(lines) + "\n}"


def values_block(bindings: dict) -> str:
    """A trailing VALUES clause binding each variable of ``bindings`` to its term."""
    return "\n" + values_table(list(bindings), [tuple(bindings.values())]) + "\n"


class Store:
    """Base class: a read-only SPARQL store."""

    #: what the store is, for messages and the service description
    description = "store"
    prefixes = PREFIXES

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None):
        """Run a SPARQL query; ``bindings`` maps variable names to rdflib terms.

        Bound values are sent as a VALUES block of terms escaped by rdflib
        (or as rdflib ``initBindings``), never pasted into the query text.
        With ``max_rows``, an answer longer than that (rows, or triples of a
        CONSTRUCT) raises :class:`TooManyRows` instead of filling memory.
        """
        raise NotImplementedError

    def fingerprint(self) -> str | None:
        """A key that changes whenever the data may have changed, or None when the
        store cannot tell (then nothing derived from it is cached)."""
        return None

    def close(self) -> None:
        """Release the store's resources."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
