"""Move reviewed drafts from ``claims.draft.yaml`` into ``claims.yaml``.

``claims.yaml`` is the analyst's file: it is never re-dumped. Each promoted
claim is inserted as text after the last claim of its post (else of the
nearest earlier post, else at the end), in the file's own list indentation,
so every other byte stays as it was. The drafts file loses the promoted items.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KgraphError
from ..source.drafts import DRAFTS_FILE
from ..util.atomic import write_all_atomic
from .writer import claim_item_yaml

__all__ = ["promote", "DRAFTS_FILE"]

_ITEM = re.compile(r"^(?P<indent>[ \t]*)- ", re.MULTILINE)
_CLAIMS_KEY = re.compile(r"^claims\s*:\s*(?:#.*)?$", re.MULTILINE)


def _round_trip():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def promote(folder: Path | str, ids: list[str]) -> list[str]:
    """Move the drafts ``ids`` of dataset ``folder`` into its ``claims.yaml``; return the ids moved.

    Refuses (:class:`~kgraph.errors.KgraphError`, nothing written) an id that
    is no draft, a draft still without a relation (``?``), and an id
    ``claims.yaml`` already has.
    """
    folder = Path(folder)
    drafts_path, claims_path = folder / DRAFTS_FILE, folder / "claims.yaml"
    if not drafts_path.is_file():
        raise KgraphError(f"{drafts_path}: no drafts (run kgraph ingest --draft-claims)")
    yaml = _round_trip()
    drafts_doc = yaml.load(drafts_path.read_text(encoding="utf-8"))
    drafts = drafts_doc.get("claims") if isinstance(drafts_doc, dict) else None
    if not isinstance(drafts, list):
        raise KgraphError(f"{drafts_path}: no 'claims' list")
    by_id = {str(d.get("id")): d for d in drafts if isinstance(d, dict)}
    for wanted in ids:
        if wanted not in by_id:
            raise KgraphError(f"{drafts_path}: no draft {wanted!r}")
        if str(by_id[wanted].get("relation", "?")) == "?":
            raise KgraphError(f"draft {wanted!r} has no relation yet (relation: ?); review it first")
    text = claims_path.read_text(encoding="utf-8") if claims_path.is_file() else "claims:\n"
    existing = _existing(text, claims_path)
    for wanted in ids:
        if wanted in existing:
            raise KgraphError(f"{claims_path}: already has a claim {wanted!r}")
    for wanted in ids:
        text, existing = _insert(text, dict(by_id[wanted]), existing, claims_path)
    remaining = [d for d in drafts if not (isinstance(d, dict) and str(d.get("id")) in ids)]
    drafts[:] = remaining
    import io

    buffer = io.StringIO()
    yaml.dump(drafts_doc, buffer)
    write_all_atomic({claims_path: text.encode("utf-8"), drafts_path: buffer.getvalue().encode("utf-8")})
    return list(ids)


def _existing(text: str, where: Path) -> dict[str, tuple[int, int]]:
    """Claim id -> (post, line index of the item's last line) from the round-trip parse of ``text``."""
    doc = _round_trip().load(text)
    claims = doc.get("claims") if isinstance(doc, dict) else None
    if claims is None:
        return {}
    if not isinstance(claims, list):
        raise KgraphError(f"{where}: 'claims' must be a list")
    lines = text.split("\n")
    starts = [item.lc.line for item in claims] + [len(lines)]
    found = {}
    for item, start, following in zip(claims, starts, starts[1:]):
        end = following - 1
        # the item ends before the blank lines and comments that open the next one
        while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
            end -= 1
        found[str(item.get("id"))] = (int(item.get("post") or 0), end)
    return found


def _insert(text: str, claim: dict, existing: dict, where: Path):
    if not _CLAIMS_KEY.search(text):
        text = text + ("" if text.endswith("\n") or not text else "\n") + "claims:\n"
    after_key = text[_CLAIMS_KEY.search(text).end():]
    item = _ITEM.search(after_key)
    indent = item["indent"] if item else ""
    block = claim_item_yaml(claim, indent)
    post = int(claim.get("post") or 0)
    earlier = [(p, end) for p, end in existing.values() if p <= post]
    lines = text.split("\n")
    if earlier:
        _, end = max(earlier)
        # keep the file's habit of a blank line between items
        gap = [""] if end + 1 < len(lines) and not lines[end + 1].strip() else []
        lines[end + 1:end + 1] = gap + block.rstrip("\n").split("\n")
        text = "\n".join(lines)
    else:
        text = text + ("" if text.endswith("\n") else "\n") + block
    return text, _existing(text, where)
