"""Where the graph is read from: one interface, several stores, chosen by name.

``open_store(spec)`` takes what the user passes to ``--store``:

``memory`` (default)
    the built Turtle in ``graph/`` loaded into an in-process Oxigraph store
    (fast to load and query; nothing written to disk).
``rdflib``
    the same files in a plain rdflib Graph (the reference engine).
``oxigraph:PATH``
    an embedded on-disk Oxigraph store, filled by ``kgraph load``.
``http(s)://HOST/.../sparql``
    any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, ...).

Every store answers :meth:`Store.query` with a :class:`kgraph.stores.results.Result`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import KgraphError, StoreError
from .base import Store, graph_files

__all__ = ["Store", "open_store", "graph_files", "STORE_KINDS"]

# kind -> "module:Class", imported on first use so start-up stays cheap
STORE_KINDS = {
    "memory": "kgraph.stores.oxi:MemoryStore",
    "rdflib": "kgraph.stores.rdflibstore:RdflibStore",
    "oxigraph": "kgraph.stores.oxi:OxigraphStore",
    "http": "kgraph.stores.http:HttpStore",
}


def _load(kind: str):
    module, _, cls = STORE_KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), cls)


def open_store(spec: str = "memory", *, graph_dir: Path | str = "graph") -> Store:
    """Open the store named by ``spec`` (see the module docstring).

    Parameters
    ----------
    spec : str
        ``memory``, ``rdflib``, ``oxigraph:PATH`` or an ``http(s)://`` SPARQL endpoint.
    graph_dir : path
        The built Turtle that ``memory`` and ``rdflib`` load.

    Returns
    -------
    Store
        Answers ``store.query(sparql, bindings=...)`` with a :class:`~kgraph.stores.results.Result`.

    Raises
    ------
    StoreError
        When the spec names no store, or the store cannot be opened.

    Examples
    --------
    >>> from kgraph import open_store
    >>> store = open_store("memory", graph_dir="graph")
    >>> store.query("ASK { actor:masimov kg:loyalTo actor:nazarbayev }").boolean
    True
    """
    if not isinstance(spec, str) or not spec.strip():
        raise KgraphError("empty --store; use memory, rdflib, oxigraph:PATH or an http(s):// SPARQL endpoint")
    spec = spec.strip()
    if spec in ("memory", "rdflib"):
        return _load(spec)(graph_files(graph_dir))
    if spec.startswith("oxigraph:"):
        path = spec[len("oxigraph:"):]
        if not path:
            raise KgraphError("--store oxigraph:PATH needs a folder path after 'oxigraph:'")
        return _load("oxigraph")(Path(path))
    if spec.startswith(("http://", "https://")):
        return _load("http")(spec)
    raise StoreError(f"unknown store {spec!r}; use memory, rdflib, oxigraph:PATH or an http(s):// SPARQL endpoint")
