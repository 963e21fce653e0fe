"""Run SPARQL against the graph from Python, the CLI or the server.

>>> import kgraph
>>> result = kgraph.query("SELECT ?member WHERE { ?member kg:memberOf actor:eaeu } ORDER BY ?member")
>>> [row["member"].rsplit("/", 1)[-1] for row in result.dicts()]
['armenia', 'belarus', 'kazakhstan', 'kyrgyzstan', 'russia']

Common prefixes (kg:, actor:, post:, claim:, rdf:, rdfs:, owl:, skos:, prov:,
schema:, xsd:, dcterms:, wd:, wdt:) are bound; SPARQL Update is refused.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from ..errors import KgraphError, QueryTimeout
from ..rdf.namespaces import PREFIXES
from .results import Result, RowStream

__all__ = ["query", "stream_query", "label_terms", "display_term", "MAX_QUERY_LENGTH", "DEFAULT_TIMEOUT"]

MAX_QUERY_LENGTH = 1_000_000
# What ``kgraph query`` allows a query by default, in seconds.
DEFAULT_TIMEOUT = 60.0

_LABELS = """
SELECT ?x ?label WHERE {
  ?x rdfs:label ?label .
  FILTER(LANG(?label) = "en" || LANG(?label) = "")
}
"""


def query(sparql: str, *, store="memory", graph_dir: Path | str = "graph", bindings: dict | None = None,
          timeout: float | None = None) -> Result:
    """Run ``sparql`` on ``store`` (a spec like ``"memory"`` or an open Store).

    Parameters
    ----------
    sparql : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query; the common prefixes are bound.
    store : str or Store
        A spec as for :func:`kgraph.stores.open_store`, or an open store.
    graph_dir : path
        The built graph a ``memory`` or ``rdflib`` spec reads.
    bindings : dict, optional
        Variable names to values (rdflib terms, or strings for IRIs); they are
        bound as data, never pasted into the query text.
    timeout : float, optional
        Seconds; a query still running after that raises
        :class:`~kgraph.errors.QueryTimeout`. Embedded stores cannot stop a
        query half-way, so it finishes in a background thread whose answer is
        dropped (a process that exits, like the CLI, ends it).

    Returns
    -------
    Result
        Rows, a boolean or a graph (:class:`~kgraph.stores.results.Result`);
        ``result.to_dataframe()`` gives a pandas DataFrame when pandas is installed.

    Raises
    ------
    KgraphError
        For an empty or too long query, an update, a syntax error (:class:`~kgraph.errors.QueryError`).

    Examples
    --------
    >>> import kgraph
    >>> text = "SELECT ?o WHERE { ?a kg:loyalTo ?o }"
    >>> result = kgraph.query(text, bindings={"a": "https://kgraph.example/id/actor/masimov"})
    >>> [row["o"] for row in result.dicts()]
    ['https://kgraph.example/id/actor/nazarbayev']
    """
    return _run(sparql, store, graph_dir, bindings, timeout, stream=False)


def stream_query(sparql: str, *, store="memory", graph_dir: Path | str = "graph", bindings: dict | None = None,
                 timeout: float | None = None) -> RowStream | Result:
    """:func:`query`, but a SELECT answer comes as a :class:`~kgraph.stores.results.RowStream`: rows as the
    store finds them.

    ``timeout`` bounds the whole answer: a row still not there that many
    seconds after the start raises :class:`~kgraph.errors.QueryTimeout`
    (rows already read stay read).
    """
    return _run(sparql, store, graph_dir, bindings, timeout, stream=True)


def _run(sparql, store, graph_dir, bindings, timeout, *, stream: bool):
    if not isinstance(sparql, str) or not sparql.strip():
        raise KgraphError("empty query")
    if len(sparql) > MAX_QUERY_LENGTH:
        raise KgraphError(f"query too long ({len(sparql)} characters; at most {MAX_QUERY_LENGTH})")
    if isinstance(store, str):
        from ..stores import open_store

        store = open_store(store, graph_dir=graph_dir)
    if bindings:
        from rdflib import URIRef
        from rdflib.term import Node

        bindings = {k: v if isinstance(v, Node) else URIRef(v) for k, v in bindings.items()}
    run = store.stream if stream else store.query
    if timeout is None:
        return run(sparql, bindings=bindings)
    if stream:
        return _stream_within(timeout, run, sparql, bindings=bindings)
    return _within(timeout, run, sparql, bindings=bindings)


def _within(seconds: float, func, *args, **kwargs):
    """``func(*args, **kwargs)``, or :class:`QueryTimeout` once ``seconds`` have passed."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = func(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread below
            outcome["error"] = exc

    # Oxigraph releases the GIL while it evaluates, so this thread can wait beside it.
    worker = threading.Thread(target=run, name="kgraph-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {seconds:g} s; narrow it (LIMIT, fewer unbound "
                           "patterns) or allow more time with --timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_END = object()


def _stream_within(seconds: float, func, *args, **kwargs):
    """``func(*args, **kwargs)`` (a store's ``stream``) run and read in a background thread:
    its rows as they come, or :class:`QueryTimeout` once ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    handed = queue.SimpleQueue()

    def run():
        # Oxigraph's solutions belong to the thread that asked for them: ask and read here.
        try:
            answer = func(*args, **kwargs)
            handed.put(answer)
            if isinstance(answer, RowStream):
                for row in answer.rows:
                    handed.put(row)
                handed.put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread below
            handed.put(exc)

    def take():
        try:
            item = handed.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise QueryTimeout(f"the query ran longer than {seconds:g} s; narrow it (LIMIT, fewer unbound "
                               "patterns) or allow more time with --timeout") from None
        if isinstance(item, BaseException):
            raise item
        return item

    def rows():
        while (row := take()) is not _END:
            yield row

    threading.Thread(target=run, name="kgraph-query", daemon=True).start()
    answer = take()
    return RowStream(answer.vars, rows()) if isinstance(answer, RowStream) else answer


def label_terms(store, terms) -> dict[str, str]:
    """English (or untagged) labels of the IRIs among ``terms``, fetched in one query."""
    from rdflib import URIRef

    iris = sorted({str(t) for t in terms if isinstance(t, URIRef)})
    if not iris:
        return {}
    values = " ".join(URIRef(i).n3() for i in iris if not set('<>"{}|^`\\ ') & set(i))
    text = _LABELS.replace("WHERE {", "WHERE {\n  VALUES ?x { " + values + " }", 1)
    labels: dict[str, str] = {}
    for iri, label in store.query(text).rows:
        if str(iri) not in labels or label.language == "en":
            labels[str(iri)] = str(label)
    return labels


def display_term(term, labels: dict[str, str]) -> str:
    """A term as people read it: the label of an IRI, else a prefixed name; a literal's text."""
    if term is None:
        return ""
    text = str(term)
    if text in labels:
        return labels[text]
    from rdflib import URIRef

    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
    return text
