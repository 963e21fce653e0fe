"""``kgraph ingest``: a saved thread in, a dataset to curate out.

The steps, each its own module: :mod:`.decode` (bytes to text),
:mod:`.threads` (header and numbered posts), :mod:`.language`,
:mod:`.mentions` (known actors, however spelled), :mod:`.candidates`
(names that may be new actors), :mod:`.references` and :mod:`.drafts`
(claims to review), :mod:`.writer` (the YAML) and :mod:`.pipeline`, which
runs them.
"""

from .pipeline import IngestResult, ingest, write

__all__ = ["ingest", "write", "IngestResult"]
