"""The drafts beside a dataset: ``claims.draft.yaml``, the claims ``kgraph ingest --draft-claims`` proposed.

They are no part of the data until ``kgraph claims promote`` moves them into
``claims.yaml`` (:mod:`kgraph.ingest.promote`); ``kgraph validate`` only counts them.

>>> count_drafts("no/such/folder")
0
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["count_drafts", "DRAFTS_FILE"]

DRAFTS_FILE = "claims.draft.yaml"


def count_drafts(folder: Path | str) -> int:
    """How many drafts ``folder/claims.draft.yaml`` holds (0 without one)."""
    path = Path(folder) / DRAFTS_FILE
    if not path.is_file():
        return 0
    from ruamel.yaml import YAML

    doc = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    claims = doc.get("claims") if isinstance(doc, dict) else None
    return len(claims) if isinstance(claims, list) else 0
