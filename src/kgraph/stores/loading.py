"""Fill an embedded on-disk Oxigraph store from RDF files (``kgraph load``).

Files are streamed through Oxigraph's parser into its bulk loader, never held
in memory whole: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, each
optionally gzipped, chosen by file extension. Everything lands in the default
graph (kgraph queries one merged graph; graph names of N-Quads and TriG are
dropped) and blank nodes are renamed per file so two files cannot merge them.

A load is all or nothing: the files go into a staging copy of the store
(hard links, so the copy is instant) that replaces the store only when every
file has loaded. A bad file leaves the store as it was.

>>> report = load_files(tmp_path / "store", ["graph/kazakhstan-2022.ttl"])   # doctest: +SKIP
>>> report.triples                                                          # doctest: +SKIP
2497
"""

from __future__ import annotations

import contextlib
import gzip
import io
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError

__all__ = ["load_files", "LoadReport", "FORMATS", "rdf_format", "displaced"]

#: file extension -> Oxigraph format; ``.gz`` may follow any of them
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES, ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
}


@dataclass
class LoadReport:
    path: Path
    files: list[Path] = field(default_factory=list)
    triples: int = 0  # in the store after the load
    added: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"loaded {len(self.files)} file(s) into {self.path}: {self.added} new triples, "
                f"{self.triples} in the store, in {self.seconds:.1f} s")


def rdf_format(file: Path) -> tuple[ox.RdfFormat, bool]:
    """The format of ``file`` by its extension, and whether it is gzipped."""
    suffixes = [s.lower() for s in file.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    ext = suffixes[-2 if gzipped else -1] if len(suffixes) > gzipped else ""
    if ext not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise StoreError(f"{file}: unknown RDF format {ext or '(no extension)'!r}; use one of {known} "
                         "(optionally followed by .gz)")
    return FORMATS[ext], gzipped


class _Counting(io.RawIOBase):
    """A file read by Oxigraph's parser, reporting bytes read from disk to a progress bar."""

    def __init__(self, raw, bar):
        self.raw, self.bar = raw, bar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.bar.update(count)
        return count


class _NoBar:
    def update(self, count: int) -> None:
        pass


def _stream(store: ox.Store, file: Path, progress) -> None:
    fmt, gzipped = rdf_format(file)
    bar = progress(file, file.stat().st_size) if progress else None
    with open(file, "rb") as raw, contextlib.nullcontext(_NoBar()) if bar is None else bar as bar:
        counted = io.BufferedReader(_Counting(raw, bar), buffer_size=1 << 20)
        source = gzip.GzipFile(fileobj=counted) if gzipped else counted
        quads = ox.parse(input=source, format=fmt, base_iri=file.resolve().as_uri(), rename_blank_nodes=True)
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        store.bulk_extend(quads)


def load_files(path: Path | str, files, *, replace: bool = False, progress=None) -> LoadReport:
    """Load ``files`` into the Oxigraph store at ``path`` (created if missing).

    ``replace`` starts from an empty store instead of adding to it.
    ``progress(file, total_bytes)`` may return a context manager whose value
    has ``update(nbytes)`` (``click.progressbar(length=total_bytes)`` fits),
    or None for no progress report on that file.
    """
    started = time.perf_counter()
    target = Path(path)
    files = [Path(f) for f in files]
    for file in files:
        rdf_format(file)
        if not file.is_file():
            raise StoreError(f"{file}: no such file")
    if target.exists() and not target.is_dir():
        raise StoreError(f"{target}: is a file, not an Oxigraph store folder")
    report = LoadReport(target, files)
    if not target.exists() and displaced(target).is_dir():
        displaced(target).rename(target)  # a load killed between the two renames below: the store comes back
    staging = target.with_name(f".{target.name}.loading")
    shutil.rmtree(staging, ignore_errors=True)  # left over by a load that was killed
    try:
        before = 0
        if target.exists() and not replace and any(target.iterdir()):
            try:
                current = ox.Store.read_only(str(target))
            except OSError as exc:
                raise StoreError(f"{target}: not an Oxigraph store ({exc})") from None
            before = len(current)
            current.backup(str(staging))
            del current
        store = ox.Store(str(staging))
        for file in files:
            try:
                _stream(store, file, progress)
            except SyntaxError as exc:
                raise StoreError(f"{file}: {exc}") from None
            except (OSError, ValueError, EOFError) as exc:
                raise StoreError(f"{file}: cannot load: {exc}") from None
        store.flush()
        report.triples = len(store)
        report.added = report.triples - before
        del store
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def displaced(target: Path) -> Path:
    """Where the previous store waits while a load swaps the new one in (see ``_swap``)."""
    return target.with_name(f".{target.name}.old")


def _swap(staging: Path, target: Path) -> None:
    # Two renames: a reader that opened the old store keeps reading its files.
    # A kill between them leaves only the displaced store, which readers and
    # the next load take for the store.
    old = displaced(target)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
