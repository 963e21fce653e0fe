"""``kgraph build``: the graph build (:mod:`kgraph.rdf.build`) with each dataset's page drawn beside it.

The one place where the graph meets the page, so the graph build knows
nothing of HTML and the page nothing of files.

>>> from kgraph.compose import build
>>> report = build("data", "ontology", out_dir=tmp_path)   # doctest: +SKIP
"""

from __future__ import annotations

from .rdf.build import BuildReport
from .rdf.build import build as build_graph

__all__ = ["build"]


def build(data_dir="data", ontology_dir="ontology", out_dir="graph", *, html: bool = True) -> BuildReport:
    """Build every dataset under ``data_dir`` into ``out_dir``, with its HTML page unless ``html`` is False.

    All files or none; then the files an earlier build wrote for datasets that
    no longer exist are removed (see :mod:`kgraph.rdf.manifest`).

    Parameters
    ----------
    data_dir, ontology_dir : path
        The source datasets and the vocabulary with its SHACL shapes.
    out_dir : path
        Where ``<dataset>.ttl`` (and ``<dataset>.html``) are written.
    html : bool
        Also write each dataset's interactive page.

    Returns
    -------
    kgraph.rdf.build.BuildReport
        The files written and removed, and what the graph holds.

    Raises
    ------
    DataError
        Listing every problem in the data; nothing is written then.

    Examples
    --------
    >>> import tempfile
    >>> import kgraph
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = kgraph.build("data", "ontology", out, html=False)
    >>> report.datasets
    ['kazakhstan-2022']
    """
    return build_graph(data_dir, ontology_dir, out_dir, beside=_page if html else None)


def _page(stem: str, turtle: bytes) -> dict[str, bytes]:
    from .graph import open as open_kgraph
    from .stores.oxi import MemoryStore

    # The page is drawn from the very Turtle written beside it.
    graph = open_kgraph(store=MemoryStore.from_turtle(turtle, f"{stem}.ttl"))
    return {f"{stem}.html": graph.viz(title=stem).html}
