"""How many curated claims the drafts of `kgraph ingest --draft-claims` anticipate.

Ingests the seed thread fresh (against the bundled actors) and compares its
drafts with the curated data/kazakhstan-2022/claims.yaml:

- pair: share of curated claims with a draft of the same post and actor pair
  (either order)                                                   goal >= 70%
- relation: of those, the share with the curated relation among the drafts
  of that pair                                                     goal >= 50%
- modality: of those, the share whose draft has the curated modality goal >= 80%

    python bench/bench_drafts.py           # figures, and the relations missed most
    python bench/bench_drafts.py --smoke   # the same on the first 5 posts (for tests)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "kazakhstan-2022" / "thread.txt"
CLAIMS = ROOT / "data" / "kazakhstan-2022" / "claims.yaml"
GOALS = {"pair": 0.70, "relation": 0.50, "modality": 0.80}


def measure(max_post: int | None = None) -> dict:
    from kgraph.ingest import ingest

    with tempfile.TemporaryDirectory() as out:
        result = ingest(SEED.read_bytes(), source_name="thread.txt", data_dir=ROOT / "data", out_dir=out,
                        name="seed-drafts", draft_claims=True)
    curated = [c for c in YAML(typ="safe").load(CLAIMS.read_text(encoding="utf-8"))["claims"]
               if max_post is None or c["post"] <= max_post]
    proposed = [d for d in result.drafts if max_post is None or d.post <= max_post]
    by_pair: dict[tuple, list] = {}
    for draft in proposed:
        by_pair.setdefault((draft.post, frozenset((draft.subject, draft.object))), []).append(draft)
    paired = relation = modality = 0
    missed = Counter()
    for claim in curated:
        drafts = by_pair.get((claim["post"], frozenset((claim["subject"], claim["object"]))), [])
        if not drafts:
            continue
        paired += 1
        relation += any(d.relation == claim["relation"] for d in drafts)
        if not any(d.relation == claim["relation"] for d in drafts):
            missed[f"{claim['relation']} (drafted {', '.join(sorted({d.relation for d in drafts}))})"] += 1
        modality += any(d.modality == claim.get("modality", "stated") for d in drafts)
    return {"curated": len(curated), "drafts": len(proposed), "paired": paired,
            "pair": paired / len(curated), "relation": relation / paired if paired else 0.0,
            "modality": modality / paired if paired else 0.0, "missed": missed.most_common(8)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="only the first 5 posts")
    args = parser.parse_args(argv)
    figures = measure(5 if args.smoke else None)
    # A drafter proposing every pair would meet the pair goal: the drafts per claim keep it honest.
    print(f"{figures['curated']} curated claims, {figures['drafts']} drafts "
          f"({figures['drafts'] / figures['curated']:.1f} per curated claim; "
          f"{figures['paired']} curated claims have a draft of their post and actor pair)")
    for key, label in (("pair", "same post and actor pair"), ("relation", "right relation among them"),
                       ("modality", "right modality")):
        verdict = "ok" if figures[key] >= GOALS[key] else f"MISSED by {100 * (GOALS[key] - figures[key]):.0f} points"
        print(f"  {label:28} {100 * figures[key]:5.1f}%  (goal >= {100 * GOALS[key]:.0f}%: {verdict})")
    if figures["missed"] and not args.smoke:
        print("relations missed most (curated relation, what the drafts proposed):")
        for what, count in figures["missed"]:
            print(f"  {count:3}  {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
