"""The store interface and what every store shares."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..errors import KgraphError, QueryError, QueryRefused
from ..rdf.namespaces import PREFIXES, graph_iri

__all__ = ["Store", "Checked", "TooManyRows", "graph_files", "refuse_update", "refuse_service", "values_block",
           "values_table", "MERGED_STEM", "query_form", "bound_query", "inside_where", "names_dataset", "file_graph",
           "check_graph_iris"]

MERGED_STEM = "all"

_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*", re.I)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(sparql: str) -> str | None:
    r"""``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the keyword after the prologue, or None.

    >>> query_form("PREFIX a: <urn:a#>\n# CONSTRUCT? no\nask { ?s ?p ?o }")
    'ASK'
    """
    found = _FORM.match(sparql, _PROLOGUE.match(sparql).end())
    return found.group(1).upper() if found else None


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


_WHERE = re.compile(r"(?<![\w?$:])WHERE\s*\{", re.I)
_FROM = re.compile(r"(?<![\w?$:])FROM(?![\w:])", re.I)


def _masked(sparql: str) -> str:
    """``sparql`` with strings, IRIs and comments blanked out, same length, so keywords found keep their offsets."""
    return _NOT_KEYWORDS.sub(lambda m: " " * len(m.group()), sparql)


def names_dataset(sparql: str) -> bool:
    """True if ``sparql`` picks its own graphs with ``FROM`` or ``FROM NAMED``."""
    return bool(_FROM.search(_masked(sparql)))


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
    """The Turtle files a store loads: each dataset's ``*.ttl``, each into its own named graph.

    ``all.ttl`` (their merge) is left out beside them: the union of the
    datasets' graphs is the store's default graph anyway. In a folder
    ``kgraph build`` wrote, only the files its manifest lists: a file left
    from a dataset that no longer exists does not answer.
    """
    from ..rdf.manifest import read_manifest

    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise KgraphError(f"{graph_dir}: no such graph folder; run 'kgraph build' first")
    merged_file = graph_dir / f"{MERGED_STEM}.ttl"
    built = read_manifest(graph_dir)
    if built is None:
        files = sorted(graph_dir.glob("*.ttl"))
    else:
        files = sorted(graph_dir / name for name in built if name.endswith(".ttl"))
        files = [f for f in files if f.exists()]
    if merged_file in files and len(files) > 1:
        files.remove(merged_file)
    if not files:
        raise KgraphError(f"{graph_dir}: no built graph (*.ttl) in it; run 'kgraph build' first")
    return files


def file_graph(file: Path | str) -> str:
    """The named graph a file loads into: ``graph_iri`` of its name without the RDF and ``.gz`` extensions.

    ``kgraph build`` names each file after its dataset, so a dataset's file
    fills the dataset's graph.

    >>> file_graph("graph/kazakhstan-2022.ttl")
    'https://kgraph.example/graph/kazakhstan-2022'
    >>> file_graph("extracts/wikidata.nt.gz")
    'https://kgraph.example/graph/wikidata'
    """
    name = Path(file).name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return graph_iri(Path(name).stem if Path(name).suffix else name)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_graph_iris(iris) -> list[str]:
    """``iris`` (graph names from a client) as a list, or :class:`QueryError` naming one that is no absolute IRI."""
    iris = list(iris)
    for iri in iris:
        if not _SCHEME.match(iri) or _IRI_FORBIDDEN & set(iri):
            raise QueryError(f"invalid graph IRI {iri!r}: give an absolute IRI such as "
                             "https://kgraph.example/graph/NAME")
    return iris


_IRI_FORBIDDEN = set('<>"{}|^`\\ \n\r\t')


class TooManyRows(QueryRefused):
    """The answer is longer than the caller's ``max_rows``; nothing is returned."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"the answer has more than {limit} rows, the limit here; "
                         "add LIMIT or narrow the query")


#: rows per VALUES block a caller sends. Oxigraph (0.5) looks each row up while a block has up to 1000
#: rows and scans whole predicates past that: 1000 IRIs answered in 0.35 s, 1010 in 9 s (1M triples).
VALUES_BATCH = 800


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


def inside_where(sparql: str, block: str) -> str:
    """``sparql`` with ``block`` (a VALUES clause) at the start of its WHERE group.

    A trailing VALUES is SPARQL 1.1 too, but Virtuoso takes it only after a
    SELECT that projects every variable it binds. At the start of the group
    it binds the variables before any aggregate, as rdflib's
    ``initBindings`` do. Without a ``WHERE {`` to put it in (``SELECT * {
    }``, or ``CONSTRUCT WHERE { }`` whose group is also the template) it goes
    at the end.
    """
    start = _PROLOGUE.match(sparql).end()
    where = _WHERE.search(_masked(sparql), start)
    if where is None or re.fullmatch(r"CONSTRUCT\s*", sparql[start:where.start()], re.I):
        return f"{sparql}\n{block}\n"
    return f"{sparql[:where.end()]}\n{block}\n{sparql[where.end():]}"


def bound_query(sparql: str, bindings: dict | None) -> str:
    """``sparql`` with ``bindings`` as VALUES blocks :func:`inside_where`, one per variable
    (Virtuoso fails to compile a row of several fixed values)."""
    if not bindings:
        return sparql
    return inside_where(sparql, "\n".join(values_table([name], [(term,)]) for name, term in bindings.items()))


def plain_rows(rows) -> list[tuple]:
    """Rows of rdflib terms as :meth:`Store.strings` gives them."""
    return [tuple(str(term) if term is not None and str(term) else None for term in row) for row in rows]


class Checked:
    """An answer of :meth:`Store.strings_checked`: ``digest`` names its content, ``etag`` and
    ``last_modified`` are what the server said to ask again with, ``request`` what they are valid
    for; ``unchanged``: the server said it is the kept answer's. :meth:`rows` reads the rows (fetched
    again for an unchanged answer: only its digest is known)."""

    def __init__(self, request: str, digest: str, *, read, etag: str | None = None,
                 last_modified: str | None = None, unchanged: bool = False):
        self.request, self.digest, self.etag, self.last_modified = request, digest, etag, last_modified
        self.unchanged, self._read = unchanged, read

    def rows(self) -> list[tuple]:
        return self._read()

    def kept(self) -> dict:
        """What to pass back as ``kept`` to ask whether the answer changed (JSON-safe)."""
        return {"request": self.request, "digest": self.digest, "etag": self.etag,
                "last_modified": self.last_modified}


class Store:
    """Base class: a read-only SPARQL store."""

    #: what the store is, for messages and the service description
    description = "store"
    prefixes = PREFIXES

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None):
        """Run a SPARQL query; ``bindings`` maps variable names to rdflib terms.

        ``default_graphs`` and ``named_graphs`` (graph IRIs) set the query's
        dataset as the SPARQL Protocol's ``default-graph-uri`` and
        ``named-graph-uri`` do: given either, they replace the query's own
        FROM and FROM NAMED (a list not given is empty); a graph the store
        lacks is empty. Relative IRIs in the query resolve against
        :data:`kgraph.rdf.namespaces.BASE`.

        Bound values are sent as a VALUES block of terms escaped by rdflib
        (or as rdflib ``initBindings``), never pasted into the query text.
        With ``max_rows``, an answer longer than that (rows, or triples of a
        CONSTRUCT) raises :class:`TooManyRows` instead of filling memory.
        """
        raise NotImplementedError

    def answer(self, sparql: str, *, max_rows: int | None = None, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None):
        """Run a SPARQL query as :meth:`query` does, for an answer written once as bytes (``kgraph serve``):
        something with the ``kind`` and ``serialize(fmt)`` of a :class:`~kgraph.stores.results.Result`.

        Here that Result; a store whose engine writes the formats itself answers with its writer, and
        ``serialize`` may then raise what :meth:`query` would (:class:`TooManyRows`, QueryError).
        """
        return self.query(sparql, max_rows=max_rows, default_graphs=default_graphs, named_graphs=named_graphs)

    def stream(self, sparql: str, *, bindings: dict | None = None):
        """Run a SPARQL query as :meth:`query` does, but a SELECT answer as a
        :class:`~kgraph.stores.results.RowStream` whose rows come as the store finds them.

        Here, after the whole answer; stores that can do better override it.
        """
        from .results import RowStream

        answer = self.query(sparql, bindings=bindings)
        return RowStream(answer.vars, iter(answer.rows)) if answer.kind == "SELECT" else answer

    def strings(self, sparql: str) -> list[tuple]:
        """The rows of a SELECT as plain strings: each term's IRI or lexical form, None when
        unbound or empty.

        For answers of a hundred thousand rows whose terms' kinds the caller
        knows: making rdflib terms of them takes seconds, and a store that can
        skip it (an HTTP endpoint) does.
        """
        return plain_rows(self.query(sparql).rows)

    def strings_many(self, queries) -> list[list[tuple]]:
        """:meth:`strings` of each of ``queries``, in order; a store that can run them side by side does."""
        return [self.strings(sparql) for sparql in queries]

    def query_many(self, queries) -> list:
        """:meth:`query` of each of ``queries``, in order; a store that can run them side by side does."""
        return [self.query(sparql) for sparql in queries]

    def strings_checked(self, queries, kept=()) -> list[Checked]:
        """:meth:`strings_many` as :class:`Checked` answers, each named by a digest of its content.

        ``kept``: the :meth:`Checked.kept` record of an earlier answer to each query (or None). A
        store that can ask whether an answer changed since (an HTTP server's validators) does, and
        answers an unchanged one with the kept digest and no rows fetched; this one fetches every time.
        """
        answers = []
        for sparql, rows in zip(queries, self.strings_many(queries), strict=True):
            digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
            answers.append(Checked(f"{self.description}\n{sparql}", digest, read=lambda rows=rows: rows))
        return answers

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
