"""Write files all-or-nothing: a temp file in the same folder, then rename.

A temp file is named ``.kgraph-<target>.<pid>-<random>.tmp``. An exception
removes it; a kill -9 cannot, so every write first removes the temp files
that processes no longer running left in the folder it writes to.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["write_atomic", "write_all_atomic", "atomic_path", "clean_stale_temp_files"]

_TEMP = re.compile(r"^\.kgraph-.+\.(\d+)-[^./]+\.tmp\Z")


def _temp_file(target: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".kgraph-{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a number we cannot check: leave its file alone
    return True


def clean_stale_temp_files(folder: Path | str) -> list[Path]:
    """Remove the temp files of killed kgraph writers from ``folder``; return them.

    Files of writers still running (a build in another terminal) are left
    alone, as is everything not named like a kgraph temp file.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match and entry.is_file(follow_symlinks=False) and not _running(int(match.group(1))):
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed


def _sync_folder(folder: Path) -> None:
    # The renames themselves survive a power cut only once the folder is flushed.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: Path | str):
    """Yield a temp path next to ``target``; rename it over ``target`` on success.

    On any exception the previous ``target`` stays as it was and the temp file
    is removed; after a kill -9 the next write into the folder removes it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temp_files(target.parent)
    fd, tmp = _temp_file(target)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(target: Path | str, data: bytes) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write several files; none is replaced until all are written to temp files.

    Each file is whole, old or new; a kill between the final renames (a few
    microseconds) can leave some files new and others old, which the next
    write puts right.
    """
    staged = []
    folders = {Path(target).parent for target in files}
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale_temp_files(folder)
    try:
        for target, data in files.items():
            target = Path(target)
            fd, tmp = _temp_file(target)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        for tmp, target in staged:
            os.replace(tmp, target)
        for folder in folders:
            _sync_folder(folder)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
