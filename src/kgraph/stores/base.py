"""The store interface and what every store shares."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KgraphError, QueryError, QueryRefused
from ..prefixes import PREFIXES

__all__ = ["Store", "graph_files", "refuse_update", "values_block", "MERGED_STEM"]

MERGED_STEM = "all"

_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*", re.I)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def refuse_update(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` is a SPARQL Update."""
    rest = sparql[_PROLOGUE.match(sparql).end():]
    if _UPDATE.match(rest):
        raise QueryRefused("SPARQL UPDATE is refused: the graph is built from data/ and never edited "
                           "in place; change data/ and run 'kgraph build'")


def graph_files(graph_dir: Path | str) -> list[Path]:
    """The Turtle files a store loads: ``all.ttl`` when present, else every ``*.ttl``."""
    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise KgraphError(f"{graph_dir}: no such graph folder; run 'kgraph build' first")
    merged = graph_dir / f"{MERGED_STEM}.ttl"
    files = [merged] if merged.exists() else sorted(graph_dir.glob("*.ttl"))
    if not files:
        raise KgraphError(f"{graph_dir}: no built graph (*.ttl) in it; run 'kgraph build' first")
    return files


_IRI_FORBIDDEN = set('<>"{}|^`\\ \n\r\t')


def values_block(bindings: dict) -> str:
    """A VALUES clause for ``bindings``, every term escaped by rdflib's ``n3()``."""
    from rdflib import URIRef

    names, terms = [], []
    for name, term in bindings.items():
        if not name.isidentifier():
            raise QueryError(f"invalid variable name {name!r}")
        if isinstance(term, URIRef) and _IRI_FORBIDDEN & set(str(term)):
            raise QueryError(f"invalid IRI {str(term)!r}")
        names.append("?" + name)
        terms.append(term.n3())
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"


class Store:
    """Base class: a read-only SPARQL store."""

    #: what the store is, for messages and the service description
    description = "store"
    prefixes = PREFIXES

    def query(self, sparql: str, *, bindings: dict | None = None):
        """Run a SPARQL query; ``bindings`` maps variable names to rdflib terms.

        Bound values never become query text on embedded stores; on a remote
        endpoint they are sent as a VALUES block of escaped terms.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the store's resources."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
