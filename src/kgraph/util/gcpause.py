"""Build big acyclic structures without the cycle collector running over and over."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause the cycle collector for the block: making 100k actors with 180k names
    triggered it hundreds of times over objects that form no cycles (half of the time
    of the names of a remote store at 1M triples). Reference counting still frees memory."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
