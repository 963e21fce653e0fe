"""Export the graph for the tools analysts already use.

Formats are looked up by name in :data:`FORMATS`; a writer's module is
imported on first use. Each format goes through the library that owns it:

=========  ===================================  ==========================================
format     opens in                             written by
=========  ===================================  ==========================================
graphml    yEd, Gephi                           networkx ``write_graphml_xml``
gexf       Gephi                                networkx ``GEXFWriter``
cytoscape  Cytoscape, Cytoscape.js              networkx ``cytoscape_data``
csv        Neo4j ``neo4j-admin import``, Excel  the csv module: nodes.csv and edges.csv
jsonld     JSON-LD tools, triple stores         rdflib, ``@context`` of the project prefixes
nt         any triple store                     pyoxigraph, triples sorted
ttl        any triple store, people             pyoxigraph, triples sorted
trig       quad stores, a graph per dataset     pyoxigraph, quads sorted
=========  ===================================  ==========================================

The network formats hold the actor network of
:func:`kgraph.network.projection.load_projection`, one edge per piece of evidence
(see :mod:`kgraph.exporters.rows`). The RDF formats hold every triple of the
store, or with a selection the part behind it (see
:mod:`kgraph.exporters.subgraph`). Same input, same bytes.

>>> from kgraph.exporters import export
>>> output = export("graphml", graph_dir="graph", focus="Toqajev", depth=1)  # doctest: +SKIP
>>> output.save("tokayev.graphml")                                            # doctest: +SKIP
[PosixPath('tokayev.graphml')]
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgraphError

__all__ = ["FORMATS", "Format", "Output", "export"]


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # "network": written from the projection; "rdf": from triples
    writer: str  # "module:function", imported on first use
    suffix: str
    folder: bool = False  # True when it writes several files into a folder

    def load(self):
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module, __name__), function)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("graphml", "network", ".network:graphml", ".graphml"),
    Format("gexf", "network", ".network:gexf", ".gexf"),
    Format("cytoscape", "network", ".network:cytoscape", ".cyjs"),
    Format("csv", "network", ".neo4j:csv_files", "", folder=True),
    Format("jsonld", "rdf", ".rdf:jsonld", ".jsonld"),
    Format("nt", "rdf", ".rdf:nt", ".nt"),
    Format("ttl", "rdf", ".rdf:ttl", ".ttl"),
    Format("trig", "rdf", ".rdf:trig", ".trig"),
)}


@dataclass
class Output:
    """What an export produced: ``files`` maps file names to bytes.

    A single-file format has one entry (its name is only a suggestion); a
    folder format (``csv``) has one entry per file it writes into the folder.
    """

    format: Format
    files: dict[str, bytes]
    #: how the focus name matched an actor (:class:`kgraph.network.names.Match`), when there was one
    resolved: list = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Output {self.format.name}: {', '.join(self.files)}>"

    @property
    def data(self) -> bytes:
        """The bytes of a single-file format (for standard output)."""
        if self.format.folder:
            raise KgraphError(f"{self.format.name} writes {' and '.join(self.files)} into a folder, "
                              f"not to one stream; save it to a folder")
        return next(iter(self.files.values()))

    def save(self, out: Path | str) -> list[Path]:
        """Write to ``out`` (a file, or a folder for ``csv``), all files or none; the paths written."""
        from ..util.atomic import write_all_atomic

        out = Path(out)
        if self.format.folder:
            if out.exists() and not out.is_dir():
                raise KgraphError(f"{out}: is a file; {self.format.name} writes {' and '.join(self.files)} "
                                  f"into a folder")
            targets = {out / name: data for name, data in self.files.items()}
        else:
            if out.is_dir():
                raise KgraphError(f"{out}: is a folder; give a file name, e.g. "
                                  f"{out / next(iter(self.files))}")
            targets = {out: self.data}
        try:
            write_all_atomic(targets)
        except OSError as exc:
            blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
            reason = f"{blocker} is a file, not a folder" if blocker else exc.strerror or str(exc)
            raise KgraphError(f"cannot write {out}: {reason}") from None
        return list(targets)


def export(fmt: str, *, store_spec: str = "memory", graph_dir: Path | str = "graph", store=None,
           focus: str | None = None, depth: int = 2, families: Iterable[str] = (),
           stated_only: bool = False, modalities: Iterable[str] | str = ()) -> Output:
    """Export the graph behind ``store_spec`` (or the open ``store``) as ``fmt``.

    ``focus`` is a name as people type it (resolved by :mod:`kgraph.network.names`);
    with it, only actors within ``depth`` hops are kept. ``families`` and
    ``modalities`` (``stated_only`` is ``("stated",)``) filter the relations
    as in :func:`kgraph.network.selection.select`.
    Without any of them the RDF formats hold every triple of the store.

    Parameters
    ----------
    fmt : str
        A name in :data:`FORMATS`: network formats (graphml, gexf, cytoscape,
        csv, ...) or RDF serialisations (ttl, nt, jsonld, trig, ...).
    store_spec, graph_dir, store
        Where the graph is read from, as for :func:`kgraph.network.projection.load_projection`.
    focus, depth, families, stated_only, modalities
        The selection; see above.

    Returns
    -------
    Output
        ``files`` maps file names to bytes; ``save(path)`` writes them.

    Raises
    ------
    KgraphError
        For an unknown format, or a focus that finds no actor.

    Examples
    --------
    >>> from kgraph.exporters import export
    >>> out = export("graphml", focus="Toqajev", depth=1)
    >>> list(out.files), out.resolved[0].actor.id
    (['kgraph.graphml'], 'tokayev')
    """
    if fmt not in FORMATS:
        raise KgraphError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    from ..network.selection import modalities_kept

    chooser = _Chooser(focus, depth, tuple(families), modalities_kept(modalities, stated_only=stated_only))
    if spec.kind == "network":
        from ..network.projection import load_projection

        projection = load_projection(store_spec, graph_dir=graph_dir, store=store)
        selected, matched = chooser.choose(projection)
        return _output(spec, spec.load()(selected), matched)
    if store is not None:
        return _rdf(spec, store, chooser)
    from ..stores import open_store

    with open_store(store_spec, graph_dir=graph_dir) as opened:
        return _rdf(spec, opened, chooser)


@dataclass(frozen=True)
class _Chooser:
    focus: str | None
    depth: int
    families: tuple[str, ...]
    modalities: tuple[str, ...]

    @property
    def everything(self) -> bool:
        return self.focus is None and not self.families and not self.modalities

    def choose(self, projection):
        """The part of ``projection`` selected, and how the focus name matched (``None`` without one)."""
        from ..network.names import NameIndex
        from ..network.selection import select

        matched = NameIndex(projection.actors.values()).match(self.focus) if self.focus is not None else None
        return select(projection, focus=matched.actor.id if matched else None, depth=self.depth,
                      families=self.families, modalities=self.modalities), matched


def _rdf(spec: Format, store, chooser: _Chooser) -> Output:
    from .subgraph import selected_graph, whole_graph

    if chooser.everything:
        return _output(spec, spec.load()(whole_graph(store)))
    from ..network.projection import fetch_projection

    selected, matched = chooser.choose(fetch_projection(store))
    return _output(spec, spec.load()(selected_graph(store, selected)), matched)


def _output(spec: Format, written: bytes | dict[str, bytes], matched=None) -> Output:
    files = written if isinstance(written, dict) else {f"kgraph{spec.suffix}": written}
    return Output(spec, files, [matched] if matched else [])
