"""The name index of a store that cannot say when it changed (a SPARQL endpoint), kept by its content.

Every command on such a store resolves names against every actor's: at a
million triples that is 100k actors, whose names took 2 s to fold into a
:class:`~kgraph.network.names.NameIndex` after 2 s of fetching them. Here
the answers to :data:`~kgraph.network.projection.NAMES_QUERIES` are named by
a digest of their bytes, and the index built from them is kept in the user's
cache as the names tables of the on-disk actor index
(:mod:`kgraph.network.actorindex`): opened, not loaded, each lookup a B-tree
search. The same answers open the same file; any other answer builds another,
so a changed alias is never looked up in the old one. The most recently used
few files are kept.

A server that sends validators (``kgraph serve``'s ``ETag``, or
``Last-Modified``) is asked whether its answers changed since the last
command, and says 304 instead of sending them again (what was asked and the
digests of the answers are kept beside the indexes). A server that sends none
(``oxigraph serve``) sends the answers every time, and only the build is saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path

from ..util.gcpause import gc_paused
from .names import NameIndex
from .projection import NAMES_QUERIES, ActorInfo, _cache_dir, names_of_rows, prune_cache

__all__ = ["cached_names", "NAMES_VERSION"]

NAMES_VERSION = "1"  # the format of a names file, and of the keys NameIndex folds names into


def cached_names(store) -> NameIndex:
    """A :class:`~kgraph.network.names.NameIndex` of every actor of ``store``, answering as one built
    from :func:`~kgraph.network.projection.fetch_names` would, without building it when the store's
    names are those of an index in the cache."""
    cache = _cache_dir()
    seen = cache / f"names-seen-{hashlib.sha256(store.description.encode()).hexdigest()[:32]}.json"
    kept = _read_kept(seen)
    answers = store.strings_checked(NAMES_QUERIES, kept)
    key = hashlib.sha256("\n".join([NAMES_VERSION, *(a.digest for a in answers)]).encode()).hexdigest()
    target = cache / f"names-{key}.sqlite"
    names = _open(target, key)
    if names is None:
        with gc_paused():  # 100k actors' names: objects without cycles, walked for nothing
            actors = names_of_rows(*(answer.rows() for answer in answers))
        try:
            _write(actors, target, key)
            prune_cache(cache, "names-*.sqlite")
        except (OSError, sqlite3.Error):
            pass
        names = _open(target, key)
        if names is None:  # a read-only or full cache only costs the build, every time
            with gc_paused():
                return NameIndex(actors.values())
    else:
        with contextlib.suppress(OSError):
            os.utime(target)  # recently used: kept when older files are dropped
    if [a.kept() for a in answers] != kept:
        _save_kept(seen, [a.kept() for a in answers])
    return names


def _read_kept(seen: Path) -> list[dict]:
    try:
        kept = json.loads(seen.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    ok = isinstance(kept, list) and len(kept) == len(NAMES_QUERIES) and all(
        isinstance(k, dict) and isinstance(k.get("request"), str) and isinstance(k.get("digest"), str) for k in kept)
    return kept if ok else []


def _save_kept(seen: Path, kept: list[dict]) -> None:
    from ..util.atomic import write_atomic

    try:
        write_atomic(seen, json.dumps(kept, sort_keys=True).encode())
        prune_cache(seen.parent, "names-seen-*.json")
    except OSError:
        pass  # the next command asks without validators


def _write(actors: dict[str, ActorInfo], target: Path, key: str) -> None:
    """The actors and their names' keys in the actor index's tables, in a file of their own.

    Not through the index's ``_write_names``: its rows in the order the index meets them cost a
    first command 1.5 s at 100k actors, and no lookup depends on that order.
    """
    from ..util.atomic import atomic_path
    from .actorindex import _INDEXES, new_tables

    ids = sorted(actors)
    numbers = {aid: n for n, aid in enumerate(ids)}
    with atomic_path(target) as tmp:
        db = new_tables(tmp)
        try:
            with gc_paused():
                db.executemany("INSERT INTO names VALUES (?, ?, ?)", dict.fromkeys(
                    (kind, name_key, numbers[aid]) for aid in ids for kind, name_key in NameIndex.keys_of(actors[aid])))
                # Only the fields names have: ActorInfo gives the others their empty defaults.
                db.executemany("INSERT INTO actors VALUES (?, ?, ?, 0, ?)", (
                    (n, aid, (actor := actors[aid]).label, json.dumps(
                        {"id": aid, "type": actor.type, "label": actor.label, "labels": actor.labels,
                         "aliases": actor.aliases}, ensure_ascii=False)) for n, aid in enumerate(ids)))
            db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", NAMES_VERSION), ("names", key)])
            db.execute("COMMIT")
            db.executescript(_INDEXES)
        finally:
            db.close()


def _open(path: Path, key: str) -> NameIndex | None:
    """The name index in ``path`` when it is whole and of ``key``; None otherwise."""
    from .actorindex import _StoredNames, open_whole

    try:
        db, meta = open_whole(path)
    except (sqlite3.DatabaseError, OSError):
        return None
    if (meta.get("version"), meta.get("names")) == (NAMES_VERSION, key):
        return _StoredNames(db)
    db.close()
    return None
