"""Fill an embedded on-disk Oxigraph store from RDF files (``kgraph load``).

Files are streamed through Oxigraph's parser into its bulk loader, never held
in memory whole: Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, each
optionally gzipped, chosen by file extension. Each file fills its own named
graph, named after the file (:func:`~kgraph.stores.base.file_graph`: a built
dataset's file fills the dataset's graph); N-Quads and TriG keep their graph
names, and only their default graph goes to the file's. Triples about the
vocabulary go to the ontology graph and the default graph holds the union
(see :mod:`kgraph.stores.oxi`). Blank nodes are renamed per file so two files
cannot merge them.

A load is all or nothing: the files go into a staging copy of the store
(hard links, so the copy is instant) that replaces the store only when every
file has loaded. A bad file leaves the store as it was.

Oxigraph's bulk loader uses one core for a file of up to a million triples.
Large Turtle and N-Triples files are therefore cut at statement boundaries
into one part per core, each loaded by its own bulk loader at the same time
(2 cores: 1M triples in about 4.4 s instead of 7 to 9 s). A cut is only trusted when
every part parses on its own; otherwise the whole load starts again in one
piece, which also reports errors with the file's own line numbers.

>>> import tempfile
>>> from kgraph.stores.loading import load_files
>>> with tempfile.TemporaryDirectory() as folder:
...     report = load_files(f"{folder}/store", ["graph/kazakhstan-2022.ttl"])
>>> report.triples > 2000
True
"""

from __future__ import annotations

import contextlib
import gzip
import io
import mmap
import os
import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..util.steps import step
from .base import file_graph
from .oxi import copy_to_default, move_vocabulary

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
    #: step -> seconds spent in it, summed over the files (``bench/bench_load.py`` prints them)
    steps: dict[str, float] = field(default_factory=dict)

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
    """Bytes ``start:end`` of a file, after ``header``, reporting what is read to a progress bar."""

    def __init__(self, raw, bar, header: bytes = b"", end: int | None = None):
        self.raw, self.bar, self.header = raw, bar, header
        self.left = None if end is None else end - raw.tell()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.header:
            count = min(len(buffer), len(self.header))
            buffer[:count], self.header = self.header[:count], self.header[count:]
            return count
        view = memoryview(buffer)
        if self.left is not None:
            view = view[:self.left]
        count = self.raw.readinto(view)
        if self.left is not None:
            self.left -= count
        self.bar.update(count)
        return count


class _NoBar:
    def update(self, count: int) -> None:
        pass


class _SharedBar:
    """One progress bar fed by several loader threads."""

    def __init__(self, bar):
        self.bar, self.lock = bar, threading.Lock()

    def update(self, count: int) -> None:
        with self.lock:
            self.bar.update(count)


class _Unsplittable(Exception):
    """A part of a cut file did not load on its own: load the file in one piece."""


_BOM = b"\xef\xbb\xbf"
#: A load that makes up at least 1/COMPACT_FROM_SHARE of the store is merged into it afterwards.
COMPACT_FROM_SHARE = 4
#: Below this size a file loads in one piece: cutting it saves less than it costs.
SPLIT_FROM_BYTES = 4 << 20
# A statement ends with "." at the end of a line; the next one starts a line.
_TURTLE_CUT = re.compile(rb"\.[ \t]*\r?\n(?:[ \t]*\r?\n)*(?=[^ \t\r\n])")
_LINE_CUT = re.compile(rb"\n(?=[^\n])")
# The directives every part needs: the run of them (and of comments) the file
# starts with, each in its plain one-line form, so the header never takes in
# the start of a statement.
_IRI = rb"<[^<>\"{}|^`\\\x00-\x20]*>"
_DIRECTIVE = (rb"@prefix[ \t]+[^\s:]*:[ \t]*" + _IRI + rb"[ \t]*\.|@base[ \t]*" + _IRI + rb"[ \t]*\."
              rb"|(?i:prefix)[ \t]+[^\s:]*:[ \t]*" + _IRI + rb"|(?i:base)[ \t]*" + _IRI
              + rb'|@version[ \t]+"[^"\\\r\n]*"[ \t]*\.|(?i:version)[ \t]+"[^"\\\r\n]*"')
# A comment ends at "\r" as at "\n" (so does Oxigraph's parser).
_HEADER = re.compile(rb"(?:[ \t]*(?:" + _DIRECTIVE + rb")?[ \t]*(?:#[^\r\n]*)?\r?\n)*")
# Any other directive (Turtle 1.2's VERSION included, since what follows it
# is not preceded by "." or ">"), in whatever form: where a statement may
# start (at the top, or after a "." or a directive's ">"), past blanks and
# comments. A prefixed name such as base:x matches too: that only costs the cut.
_SKIP = rb"(?:[ \t\r\n]|#[^\r\n]*)*"
_KEYWORD = rb"(?:@prefix|@base|@version|(?i:prefix|base|version)[ \t\r\n<#:\"'])"
_FIRST_DIRECTIVE = re.compile(_SKIP + _KEYWORD)
_LATER_DIRECTIVE = re.compile(rb"[.>]" + _SKIP + _KEYWORD)


def _directive_below(data, header_end: int, last_cut: int) -> bool:
    """Whether a directive between the header and the last cut would be missed by the parts after it."""
    if _FIRST_DIRECTIVE.match(data, header_end, last_cut):
        return True
    return any(found.end() > header_end for found in _LATER_DIRECTIVE.finditer(data, 0, last_cut))


def _workers() -> int:
    return min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 4)


def _cuts(file: Path, fmt: ox.RdfFormat, workers: int) -> tuple[bytes, list[int]] | None:
    """The header every part needs and the offsets to cut ``file`` at, or None to load it whole.

    Only Turtle and N-Triples without labelled blank nodes are cut: labels
    must name one node across the parts, and a part is loaded without the
    per-file renaming that keeps them apart from other files' labels.
    """
    size = file.stat().st_size
    if workers < 2 or size < SPLIT_FROM_BYTES or fmt not in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        return None
    with open(file, "rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"_:") >= 0 or data[:len(_BOM)] == _BOM:
            return None
        header = b""
        cut = _LINE_CUT
        if fmt == ox.RdfFormat.TURTLE:
            header = _HEADER.match(data).group()
            cut = _TURTLE_CUT
        offsets = [0]  # the first part starts with the header itself
        for part in range(1, workers):
            found = cut.search(data, max(size * part // workers, offsets[-1], len(header)))
            if found is None:
                break
            offsets.append(found.end())
        offsets.append(size)
        if len(offsets) < 3 or fmt == ox.RdfFormat.TURTLE and _directive_below(data, len(header), offsets[-2]):
            return None
    return header, offsets


def _stream(store: ox.Store, file: Path, progress, steps: dict[str, float], *, split: bool = True) -> tuple[set, bool]:
    """Load ``file`` into its graph(s) and the default graph: the named graphs it filled, and whether
    the default graph got its quads too (else they are still to copy)."""
    fmt, gzipped = rdf_format(file)
    base = file.resolve().as_uri()
    graph = ox.NamedNode(file_graph(file))
    graphs = {graph}
    with step(steps, "cut"):
        cuts = None if gzipped or not split else _cuts(file, fmt, _workers())
    bar = progress(file, file.stat().st_size) if progress else None
    with contextlib.nullcontext(_NoBar()) if bar is None else bar as bar:
        if cuts is not None:
            return graphs, _load_parts(store, file, fmt, base, graph, *cuts, _SharedBar(bar), steps)
        with open(file, "rb") as raw:
            counted = io.BufferedReader(_Counting(raw, bar), buffer_size=1 << 20)
            source = gzip.GzipFile(fileobj=counted) if gzipped else counted
            if source.peek(len(_BOM))[:len(_BOM)] == _BOM:
                source.read(len(_BOM))  # Oxigraph's parsers take a byte order mark for data
            quads = ox.parse(input=source, format=fmt, base_iri=base, rename_blank_nodes=True)
            with step(steps, "load whole"):
                store.bulk_extend(_into(quads, graph, graphs))
    return graphs, True


def _into(quads, graph: ox.NamedNode, graphs: set):
    """``quads`` with those of the default graph moved to ``graph``, each also copied into the default
    graph (the union), noting every graph in ``graphs``."""
    for quad in quads:
        name = quad.graph_name
        if isinstance(name, ox.DefaultGraph):
            name = graph
        elif name not in graphs:
            graphs.add(name)
        yield ox.Quad(quad.subject, quad.predicate, quad.object, name)
        yield ox.Quad(quad.subject, quad.predicate, quad.object)


def _may_have_blank_nodes(file: Path) -> bool:
    """Whether a cut file may make blank nodes: it has no labelled ones (see :func:`_cuts`), so only
    "[", "(", and Turtle 1.2's reified triple "<<" and annotation "{|" (each gets a new reifier) can.
    Looking for their bytes takes a fraction of a second where asking the store took a quarter of
    the files' load (4.4 s at 1M triples)."""
    with open(file, "rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return any(data.find(sign) >= 0 for sign in (b"[", b"(", b"<<", b"{|"))


def _load_parts(store: ox.Store, file: Path, fmt, base: str, graph: ox.NamedNode, header: bytes,
                offsets: list[int], bar, steps: dict[str, float]) -> bool:
    """Load the parts of ``file`` into ``graph``, then into the default graph (the union) too unless the
    file had blank nodes: whether it did that."""
    def load(start: int, end: int, into, bar) -> None:
        with open(file, "rb") as raw:
            raw.seek(start)
            # bulk_load lets go of the GIL: the parts load on all cores at once.
            part = io.BufferedReader(_Counting(raw, bar, header if start else b"", end), buffer_size=1 << 20)
            store.bulk_load(input=part, format=fmt, base_iri=base, to_graph=into)

    def load_all(into, bar) -> None:
        with ThreadPoolExecutor(len(offsets) - 1) as pool:
            parts = [pool.submit(load, start, end, into, bar) for start, end in zip(offsets, offsets[1:])]
            failed = any(part.exception() is not None for part in parts)
        if failed:
            raise _Unsplittable(file)

    with step(steps, "load parts into the file's graph"):
        load_all(graph, bar)
    # Loading the parts a second time costs less than copying the quads through Python (bulk_extend):
    # at 1M triples 0.85-0.9x the time, and 0.8x the peak memory. A second parse makes new anonymous
    # blank nodes, though (see _may_have_blank_nodes): those files are copied.
    with step(steps, "look for blank nodes"):
        if _may_have_blank_nodes(file) and bool(store.query(
                f"ASK {{ GRAPH <{graph.value}> {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}")):
            return False
    with step(steps, "load parts into the default graph"):
        load_all(ox.DefaultGraph(), _NoBar())
    return True


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
    if not target.parent.is_dir():
        # A new store goes into an existing folder, as `mkdir` without -p: a typo in the path
        # should not create a tree of folders.
        raise StoreError(f"{target.parent}: no such folder for the store {target.name}")
    report = LoadReport(target, files)
    if not target.exists() and displaced(target).is_dir():
        displaced(target).rename(target)  # a load killed between the two renames below: the store comes back
    staging = target.with_name(f".{target.name}.loading")
    try:
        try:
            counts = _fill(staging, target, files, replace, progress, report.steps, split=True)
        except _Unsplittable:
            counts = None  # out of the except block, so the failed try's store is closed first
        if counts is None:
            report.steps.clear()
        before, report.triples = counts or _fill(staging, target, files, replace, progress, report.steps, split=False)
        report.added = report.triples - before
        with step(report.steps, "swap"):
            _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _fill(staging: Path, target: Path, files: list[Path], replace: bool, progress, steps: dict[str, float], *,
          split: bool) -> tuple[int, int]:
    """Copy the store to ``staging`` and load ``files`` into it: the triples before and after."""
    shutil.rmtree(staging, ignore_errors=True)  # left over by a killed load, or by a cut that failed
    before = 0
    if target.exists() and not replace and any(target.iterdir()):
        try:
            current = ox.Store.read_only(str(target))
        except OSError as exc:
            raise StoreError(f"{target}: not an Oxigraph store ({exc})") from None
        before = _triples(current)
        with step(steps, "copy the store"):
            current.backup(str(staging))
        del current
    store = ox.Store(str(staging))
    graphs, uncopied = set(), set()
    for file in files:
        try:
            filled, copied = _stream(store, file, progress, steps, split=split)
            graphs |= filled
            uncopied |= set() if copied else filled
        except SyntaxError as exc:
            raise StoreError(f"{file}: {exc}") from None
        except (OSError, ValueError, EOFError) as exc:
            raise StoreError(f"{file}: cannot load: {exc}") from None
    with step(steps, "copy_to_default"):
        copy_to_default(store, sorted(uncopied, key=str))
    with step(steps, "move_vocabulary"):
        move_vocabulary(store, sorted(graphs, key=str))
    with step(steps, "flush and count"):
        store.flush()
        after = _triples(store)
    if (after - before) * COMPACT_FROM_SHARE >= after:
        # Each bulk loader (one per part, one per million triples) writes its own
        # table files, overlapping the others: every lookup then probes all of
        # them. Merging them costs a fifth of the load and saves a quarter to
        # nearly half of every later query; a small addition to a big store is
        # left as it is, since merging costs in proportion to the whole store.
        with step(steps, "optimize"):
            store.optimize()
    return before, after


def _triples(store: ox.Store) -> int:
    # The default graph, the union: len(store) counts each triple again per named graph holding it.
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))[0].value)


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
