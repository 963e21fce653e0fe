"""The named queries' answers, kept in the actor index so a page of one comes without running it.

Oxigraph sorts every row of an ORDER BY before it gives the first (there is
no top-k), and some named queries count over the whole graph: at a million
triples their first page took up to 11 s. :func:`run_answers` runs each
named query once, when the index is built (``kgraph load``), and keeps its
rows in order; :func:`stored_page` reads a slice back as the very terms the
live query gives. A page comes from the index only when the index is of the
store's current contents (its fingerprint, checked by
:class:`~kgraph.network.actorindex.ActorIndex`) and of the query's current text.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future

from ..rdf.namespaces import BASE, PREFIXES
from ..stores.named_queries import get_query, named_queries
from ..stores.results import RowStream
from ..util.steps import step

__all__ = ["run_answers", "write_answers", "stored_page"]

_SCHEMA = [
    "CREATE TABLE answers(name TEXT PRIMARY KEY, text TEXT NOT NULL, vars TEXT NOT NULL)",
    "CREATE TABLE answer_rows(name TEXT NOT NULL, seq INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (name, seq)) "
    "WITHOUT ROWID",
]
_FAR = 2**62


def _code(term) -> list | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["i", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    return ["l", term.value, term.language or "", term.datatype.value]


def _term(code):
    # Through an Oxigraph term and to_rdflib: the same rdflib term the live query gives.
    import pyoxigraph as ox

    from ..stores.oxi import to_rdflib

    if code is None:
        return None
    if code[0] == "i":
        return to_rdflib(ox.NamedNode(code[1]))
    if code[0] == "b":
        return to_rdflib(ox.BlankNode(code[1]))
    _, value, language, datatype = code
    return to_rdflib(ox.Literal(value, language=language) if language else
                     ox.Literal(value, datatype=ox.NamedNode(datatype)))


def _key(text: str) -> str:
    # The rows depend on the prefixes and base the text is read with, not on the text alone.
    return json.dumps([text, BASE, sorted(PREFIXES.items())], ensure_ascii=False)


def run_answers(store, steps: dict[str, float] | None = None) -> Future:
    """Start running every named query on ``store`` (an Oxigraph store) in a thread; the future's result is
    for :func:`write_answers`. Oxigraph evaluates and sorts without the GIL, so on a second core the
    answers are ready about when the rest of the index is. A query that fails is left out: its
    pages are then asked of the store. ``steps``: a dict to add each query's seconds to."""
    answers: Future = Future()

    def run():
        found = []
        try:
            for name, named in named_queries().items():
                try:
                    with step(steps, f"named query {name}"):
                        answer = store.store.query(named.text, prefixes=dict(store.prefixes), base_iri=BASE)
                        width = len(answer.variables)
                        rows = [json.dumps([_code(solution[i]) for i in range(width)], ensure_ascii=False)
                                for solution in answer]
                except (SyntaxError, OSError, ValueError, RuntimeError):
                    continue
                found.append((name, _key(named.text), json.dumps([v.value for v in answer.variables]), rows))
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for the answers
            answers.set_exception(exc)
        else:
            answers.set_result(found)

    # A daemon: a load that fails meanwhile does not wait for the queries to end.
    threading.Thread(target=run, name="kgraph-answers", daemon=True).start()
    return answers


def write_answers(db, answers: list) -> None:
    """Write ``answers`` (the result of :func:`run_answers`) into ``db``, the index being built."""
    for statement in _SCHEMA:  # one by one: executescript would commit the index's open transaction
        db.execute(statement)
    for name, text, variables, rows in answers:
        db.execute("INSERT INTO answers VALUES (?, ?, ?)", (name, text, variables))
        db.executemany("INSERT INTO answer_rows VALUES (?, ?, ?)", ((name, seq, row) for seq, row in enumerate(rows)))


def stored_page(index, name: str, *, limit: int | None = None, offset: int | None = None) -> RowStream | None:
    """Rows ``offset`` to ``offset + limit`` of the named query ``name`` as kept in ``index`` (an open
    :class:`~kgraph.network.actorindex.ActorIndex`), read as they are used; None when the index has no
    answer of the query's current text."""
    text = get_query(name).text
    found = index.db.execute("SELECT text, vars FROM answers WHERE name = ?", (name,)).fetchone()
    if found is None or found[0] != _key(text):
        return None
    # SQLite's integers stop at 2**63; no answer is that long. A negative LIMIT is none.
    start, count = min(offset or 0, _FAR), -1 if limit is None else min(limit, _FAR)
    cursor = index.db.execute("SELECT row FROM answer_rows WHERE name = ? AND seq >= ? ORDER BY seq LIMIT ?",
                              (name, start, count))
    return RowStream(json.loads(found[1]), (tuple(_term(code) for code in json.loads(row)) for (row,) in cursor))
