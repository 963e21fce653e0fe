"""Oxigraph stores: in-process (``memory``) and embedded on disk (``oxigraph:PATH``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgraphError, QueryError, StoreError
from .base import Store, TooManyRows, refuse_update, values_block
from .results import Result

__all__ = ["MemoryStore", "OxigraphStore", "to_rdflib", "from_rdflib"]


def to_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def from_rdflib(term):
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    try:
        return ox.NamedNode(str(term))
    except ValueError as exc:
        raise KgraphError(f"invalid IRI {str(term)!r}: {exc}") from None


class _OxStore(Store):
    store: ox.Store

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        # Oxigraph's own substitutions only bind projected variables; a VALUES
        # block of escaped terms binds any variable, as on a remote endpoint.
        text = sparql + values_block(bindings) if bindings else sparql
        try:
            answer = self.store.query(text, prefixes=dict(self.prefixes))
            return _result(answer, max_rows)
        except SyntaxError as exc:
            refuse_update(sparql)
            raise QueryError(f"SPARQL syntax {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from None


def _capped(items, max_rows: int | None):
    # Solutions stream out of Oxigraph; stop at the cap instead of filling memory.
    if max_rows is None:
        yield from items
        return
    for count, item in enumerate(items):
        if count == max_rows:
            raise TooManyRows(max_rows)
        yield item


def _result(answer, max_rows: int | None = None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [tuple(to_rdflib(sol[i]) for i in range(len(names))) for sol in _capped(answer, max_rows)]
        return Result("SELECT", vars=names, rows=rows)
    from rdflib import Graph

    from ..rdf.iris import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    for t in _capped(answer, max_rows):
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return Result("CONSTRUCT", graph=graph)


class MemoryStore(_OxStore):
    """The built Turtle files, loaded into an in-process Oxigraph store."""

    def __init__(self, files: list[Path]):
        self.files = list(files)
        self.description = "in-memory store of " + ", ".join(str(f) for f in self.files)
        self.store = ox.Store()
        for file in self.files:
            try:
                self.store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
            except (SyntaxError, ValueError, OSError) as exc:
                raise StoreError(f"{file}: cannot load: {exc}") from None

    @classmethod
    def from_turtle(cls, data: bytes, name: str = "Turtle in memory") -> MemoryStore:
        """A store of Turtle ``data`` already in memory (``kgraph build`` renders its HTML from one)."""
        store = cls([])
        store.description = f"in-memory store of {name}"
        try:
            store.store.bulk_load(data, format=ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{name}: cannot load: {exc}") from None
        return store


class OxigraphStore(_OxStore):
    """An embedded on-disk Oxigraph store (``--store oxigraph:PATH``)."""

    def __init__(self, path: Path, *, read_only: bool = True):
        self.path = Path(path)
        self.description = f"Oxigraph store at {self.path}"
        where = self.path
        if read_only and not where.exists():
            from .loading import displaced

            if not displaced(where).is_dir():
                raise StoreError(f"{self.path}: no Oxigraph store here; fill one with "
                                 f"'kgraph load --store oxigraph:{self.path} graph/*.ttl'")
            where = displaced(where)  # a load was killed while swapping the new store in
        before = self._files_key(where)
        try:
            self.store = ox.Store.read_only(str(where)) if read_only else ox.Store(str(where))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the Oxigraph store: {exc}") from None
        # The files the open store reads; a load swapping them meanwhile leaves it unknown.
        self._fingerprint = before if read_only and before == self._files_key(where) else None

    def fingerprint(self) -> str | None:
        return self._fingerprint

    @staticmethod
    def _files_key(where: Path) -> str | None:
        # RocksDB never rewrites a table file: any write adds or replaces files
        # (tables, the write-ahead log, the manifest). LOG and LOCK change on
        # their own and say nothing about the data.
        digest = hashlib.sha256()
        try:
            for entry in sorted(os.scandir(where), key=lambda e: e.name):
                if entry.is_file() and not entry.name.startswith(("LOG", "LOCK")):
                    info = entry.stat()
                    digest.update(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        except OSError:
            return None
        return digest.hexdigest()

    def close(self) -> None:
        del self.store
