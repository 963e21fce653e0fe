"""The record of the files ``kgraph build`` wrote into a graph folder.

``<graph>/kgraph-manifest.json`` names every file the last build wrote with
the SHA-256 of its bytes (sorted, no timestamps: same build, same bytes).
It tells the next build which files are its own to remove when their
dataset is gone (a file anybody changed since, or never written by build, is
not), and tells the stores which Turtle files the last build left.

>>> manifest_bytes({"b.ttl": "22", "a.ttl": "11"}).decode()
'{\\n  "files": {\\n    "a.ttl": "11",\\n    "b.ttl": "22"\\n  }\\n}\\n'
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["MANIFEST", "read_manifest", "manifest_bytes", "digest", "unchanged", "strays"]

MANIFEST = "kgraph-manifest.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _own_name(name) -> bool:
    # A plain file name of a kind build writes: a manifest edited to say
    # "../data/x.yaml" must not point build at anything outside the folder.
    return isinstance(name, str) and name == Path(name).name and name.endswith((".ttl", ".html")) \
        and not name.startswith(".")


def read_manifest(folder: Path | str) -> dict[str, str] | None:
    """``{file name: sha256}`` of the last build into ``folder``; None without a readable manifest.

    Without one, build removes nothing and the stores fall back to the ``*.ttl`` in the folder.
    """
    try:
        files = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(files, dict):
        return None
    return {name: sha for name, sha in files.items() if _own_name(name) and isinstance(sha, str)}


def manifest_bytes(files: dict[str, str]) -> bytes:
    return (json.dumps({"files": dict(sorted(files.items()))}, indent=2, sort_keys=True) + "\n").encode("utf-8")


def unchanged(path: Path, sha: str) -> bool:
    """Whether ``path`` is a regular file (not a link) still holding the bytes build wrote."""
    try:
        return not path.is_symlink() and path.is_file() and digest(path.read_bytes()) == sha
    except OSError:
        return False


def strays(folder: Path | str, stems: set[str]) -> list[tuple[Path, bool]]:
    """The ``.ttl``/``.html`` files in ``folder`` whose stem is none of ``stems``.

    Each with whether the next build removes it (the manifest lists it and it
    is unchanged); the rest kgraph leaves to the user.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    built = read_manifest(folder) or {}
    found = sorted(p for p in folder.iterdir() if _own_name(p.name) and p.stem not in stems)
    return [(p, p.name in built and unchanged(p, built[p.name])) for p in found]
