"""Where the time of a long job goes: seconds per named step, for the benchmarks to print."""

from __future__ import annotations

import contextlib
import time

__all__ = ["step"]


@contextlib.contextmanager
def step(steps: dict[str, float] | None, name: str):
    """Add the seconds the ``with`` block takes to ``steps[name]``; nothing when ``steps`` is None."""
    if steps is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - started
