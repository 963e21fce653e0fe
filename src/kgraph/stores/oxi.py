"""Oxigraph stores: in-process (``memory``) and embedded on disk (``oxigraph:PATH``).

Each loaded file fills its own named graph (:func:`~kgraph.stores.base.file_graph`),
triples about the vocabulary go to the ontology graph, and the default graph
holds their union. The union is stored, not computed per query: Oxigraph's
own union of graphs (``use_default_graph_as_union``) repeats a triple once
per graph holding it, and threads share actors, so rows would come twice.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgraphError, QueryError, StoreError
from ..rdf.namespaces import BASE, ONTOLOGY_GRAPH, in_vocabulary
from .base import Store, TooManyRows, file_graph, refuse_update, values_block
from .results import Result, RowStream, inert
from .rowcount import CountingWriter

__all__ = ["MemoryStore", "OxigraphStore", "to_rdflib", "from_rdflib", "spread_graphs", "copy_to_default",
           "move_vocabulary"]


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


def spread_graphs(store: ox.Store, graphs) -> None:
    """Copy the named ``graphs`` just loaded into the default graph, moving vocabulary triples to the ontology graph."""
    copy_to_default(store, graphs)
    move_vocabulary(store, graphs)


def copy_to_default(store: ox.Store, graphs) -> None:
    """Copy the quads of the named ``graphs`` into the default graph, blank nodes and all."""
    for graph in graphs:
        store.bulk_extend(ox.Quad(quad.subject, quad.predicate, quad.object)
                          for quad in store.quads_for_pattern(None, None, None, graph))


def move_vocabulary(store: ox.Store, graphs) -> None:
    """Move the triples about the ontology and its terms out of the named ``graphs`` into the ontology graph.

    A thread's graph then holds the thread alone although its file also
    carries the vocabulary (to stand alone). The default graph keeps them.
    """
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    for graph in graphs:
        if graph == ontology:
            continue
        # Each distinct subject is decoded once, in Rust, and tested here: a SPARQL filter decoded the
        # subject of every triple (2.4x the CPU time at a million triples). TSV writes an IRI as <IRI>,
        # never quoted as CSV would quote one with a comma.
        found = store.query(f"SELECT DISTINCT ?s {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
        lines = found.serialize(format=ox.QueryResultsFormat.TSV).decode().split("\n")[1:]
        subjects = [ox.NamedNode(line[1:-1]) for line in lines if line[:1] == "<" and in_vocabulary(line[1:-1])]
        moved = [quad for subject in subjects for quad in store.quads_for_pattern(subject, None, None, graph)]
        store.extend(ox.Quad(quad.subject, quad.predicate, quad.object, ontology) for quad in moved)
        for quad in moved:
            store.remove(quad)


def _dataset(default_graphs, named_graphs) -> dict:
    # Given either list, the two replace the query's FROM and FROM NAMED (SPARQL 1.1 Protocol §2.1.4).
    if default_graphs is None and named_graphs is None:
        return {}
    try:
        return {"default_graph": [ox.NamedNode(iri) for iri in default_graphs or []],
                "named_graphs": [ox.NamedNode(iri) for iri in named_graphs or []]}
    except ValueError as exc:
        raise QueryError(f"invalid graph IRI: {exc}") from None


class _OxStore(Store):
    store: ox.Store

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        # Oxigraph's own substitutions only bind projected variables; a VALUES
        # block of escaped terms binds any variable, as on a remote endpoint.
        text = sparql + values_block(bindings) if bindings else sparql
        dataset = _dataset(default_graphs, named_graphs)
        with _query_errors(sparql):
            answer = self.store.query(text, prefixes=dict(self.prefixes), base_iri=BASE, **dataset)
            return _result(answer, max_rows)

    def answer(self, sparql: str, *, max_rows: int | None = None, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None):
        # SELECT rows stay in Oxigraph until its serializer writes them: no Python term per value.
        dataset = _dataset(default_graphs, named_graphs)
        with _query_errors(sparql):
            answer = self.store.query(sparql, prefixes=dict(self.prefixes), base_iri=BASE, **dataset)
            if isinstance(answer, ox.QuerySolutions):
                return _Written(answer, sparql, max_rows, lambda: self.query(
                    sparql, max_rows=max_rows, default_graphs=default_graphs, named_graphs=named_graphs))
            return _result(answer, max_rows)

    def stream(self, sparql: str, *, bindings: dict | None = None):
        text = sparql + values_block(bindings) if bindings else sparql
        with _query_errors(sparql):
            answer = self.store.query(text, prefixes=dict(self.prefixes), base_iri=BASE)
            if not isinstance(answer, ox.QuerySolutions):
                return _result(answer)
        return RowStream([v.value for v in answer.variables], _solutions(answer, sparql))


@contextmanager
def _query_errors(sparql: str):
    try:
        yield
    except SyntaxError as exc:
        refuse_update(sparql)
        raise QueryError(f"SPARQL syntax {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def _solutions(answer, sparql: str):
    # Oxigraph evaluates lazily: an error may surface at any row.
    width = len(answer.variables)
    with _query_errors(sparql):
        for sol in answer:
            yield tuple(to_rdflib(sol[i]) for i in range(width))


_OX_RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                      "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class _Written:
    """A SELECT answer Oxigraph writes itself, once, in any results format: what :meth:`_OxStore.answer` gives.

    The same rows and terms as :meth:`Result.serialize`, in Oxigraph's layout (JSON keys in another
    order, no spaces), with the unsafe characters escaped alike; a literal keeps the store's lexical
    form where rdflib wrote its own (a double's 1000, not 1e+03).
    """

    kind = "SELECT"

    def __init__(self, answer: ox.QuerySolutions, sparql: str, max_rows: int | None, as_terms):
        self._answer, self._sparql, self._max_rows, self._as_terms = answer, sparql, max_rows, as_terms
        self._width = len(answer.variables)

    def serialize(self, fmt: str) -> bytes:
        if fmt not in _OX_RESULT_FORMATS:
            raise ValueError(f"a SELECT result is written as {', '.join(_OX_RESULT_FORMATS)}, not {fmt}")
        escape = None
        if fmt in ("json", "xml"):
            # Batch by batch as written: decoded whole, a big answer took up to 4 bytes a character, twice
            # over, beside its bytes, and ran past --max-memory. A character may span two batches.
            decoder = codecs.getincrementaldecoder("utf-8")()

            def escape(batch: bytes) -> bytes:
                return inert(decoder.decode(batch).encode("utf-8"), fmt)

        out = CountingWriter(fmt, self._max_rows, escape)
        with _query_errors(self._sparql):
            self._answer.serialize(out, format=_OX_RESULT_FORMATS[fmt])
            body = out.getvalue()
        if fmt == "csv" and out.commas != out.rows * max(self._width - 1, 0):
            # Oxigraph (0.5) leaves an IRI holding a comma unquoted, splitting its field: asked again, as terms.
            return self._as_terms().serialize(fmt)
        return body


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
            self._load(file.name, path=str(file), base_iri=Path(file).resolve().as_uri())

    def _load(self, name: str, **source) -> None:
        graph = ox.NamedNode(file_graph(name))
        try:
            self.store.bulk_load(format=ox.RdfFormat.TURTLE, to_graph=graph, **source)
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"{source.get('path', name)}: cannot load: {exc}") from None
        spread_graphs(self.store, [graph])

    @classmethod
    def from_turtle(cls, data: bytes, name: str = "Turtle in memory") -> MemoryStore:
        """A store of Turtle ``data`` already in memory (``kgraph build`` renders its HTML from one).

        Its graph is named after ``name`` as a file's would be.
        """
        store = cls([])
        store.description = f"in-memory store of {name}"
        store._load(name, input=data)
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
