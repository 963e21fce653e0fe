"""The graph build: data/ + ontology/ -> graph/<dataset>.ttl, and the manifest of what it wrote.

It knows nothing of the page drawn beside each graph: :mod:`kgraph.compose`
passes that in (``kgraph build`` is :func:`kgraph.compose.build`).

>>> from kgraph.rdf.build import build
>>> report = build("data", "ontology", out_dir=tmp_path)   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..source.reading import read_datasets
from ..util.atomic import write_all_atomic, write_atomic
from .checks import check_datasets
from .manifest import MANIFEST, digest, manifest_bytes, read_manifest, unchanged
from .mapping import dataset_graph
from .ontology import load_vocabulary

__all__ = ["build", "build_graphs", "BuildReport", "MERGED"]

# File stem of the graph that merges every dataset (written when there are several).
MERGED = "all"


@dataclass
class BuildReport:
    files: list[Path] = field(default_factory=list)
    posts: int = 0
    actors: int = 0
    claims: int = 0
    triples: int = 0
    datasets: list[str] = field(default_factory=list)
    # (file, why) for the files of datasets that no longer exist: removed, or
    # kept because they changed since build wrote them
    removed: list[tuple[Path, str]] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.datasets)} dataset(s): {self.posts} posts, {self.actors} actors, "
                f"{self.claims} claims, {self.triples} triples")


def build_graphs(data_dir="data", ontology_dir="ontology"):
    """Read and check the data; return ``{stem: rdflib.Graph}`` and the report.

    Raises :class:`~kgraph.errors.DataError` listing every problem when the
    data is not clean; nothing is built from bad data.
    """
    datasets, problems = read_datasets(data_dir)
    vocabulary = load_vocabulary(ontology_dir)
    if not any(p.fatal for p in problems):
        problems += check_datasets(datasets, vocabulary)
    if problems:
        raise DataError(problems)
    graphs = {d.name: dataset_graph(d, vocabulary) for d in datasets}
    if len(graphs) > 1:
        merged = next(iter(graphs.values())).__class__()
        for g in graphs.values():
            for prefix, ns in g.namespaces():
                merged.bind(prefix, ns, override=True, replace=True)
            merged += g
        graphs[MERGED] = merged
    report = BuildReport(datasets=[d.name for d in datasets])
    actor_ids = set()
    for d in datasets:
        report.posts += len(d.posts)
        report.claims += len(d.claims)
        actor_ids.update(a.id for a in d.actors)
    report.actors = len(actor_ids)
    main = graphs[MERGED] if len(datasets) > 1 else graphs[datasets[0].name]
    report.triples = len(main)
    return graphs, report


def serialize(graph) -> bytes:
    """Turtle, byte-for-byte the same for the same graph.

    Control and bidi characters in the data are written as ``\\uXXXX``: the
    same data for every Turtle parser, inert when the file is shown in a terminal.
    """
    from ..util.textsafe import u_escape

    return u_escape(graph.serialize(format="turtle")).encode("utf-8")


def build(data_dir="data", ontology_dir="ontology", out_dir="graph", *,
          beside: Callable[[str, bytes], dict[str, bytes]] | None = None) -> BuildReport:
    """Build every dataset under ``data_dir`` into ``out_dir``; all files or none.

    ``beside(stem, turtle)`` gives more files to write with each graph, ``{file name: bytes}``
    (the composer's page). Then removes the files an earlier build wrote for datasets that no
    longer exist (see :mod:`kgraph.rdf.manifest`); one changed since is kept and reported.

    Examples
    --------
    >>> import tempfile
    >>> from kgraph.rdf.build import build
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = build("data", "ontology", out)
    >>> report.datasets
    ['kazakhstan-2022']
    """
    graphs, report = build_graphs(data_dir, ontology_dir)
    out = Path(out_dir)
    previous = read_manifest(out) or {}
    files: dict[Path, bytes] = {}
    for stem, graph in graphs.items():
        turtle = files[out / f"{stem}.ttl"] = serialize(graph)
        if beside is not None:
            files.update({out / name: data for name, data in beside(stem, turtle).items()})
    write_all_atomic(files)
    written = {path.name: digest(data) for path, data in files.items()}
    # A build without pages (--no-html) leaves those of datasets that still exist: still build's own files.
    written.update({name: sha for name, sha in previous.items()
                    if name not in written and Path(name).stem in graphs})
    _sweep(out, {name: sha for name, sha in previous.items() if name not in written}, report)
    # Last, so a kill before this point leaves the old manifest, which still names what is left to remove.
    write_atomic(out / MANIFEST, manifest_bytes(written))
    report.files = [*sorted(files), out / MANIFEST]
    return report


def _sweep(out: Path, gone: dict[str, str], report: BuildReport) -> None:
    for name, sha in sorted(gone.items()):
        path = out / name
        stem = Path(name).stem
        why = "one dataset left, nothing to merge" if stem == MERGED else f"dataset {stem!r} no longer exists"
        if unchanged(path, sha):
            path.unlink()
            report.removed.append((path, why))
        elif path.exists() or path.is_symlink():
            report.kept.append((path, why))
