"""Everything about one actor, as a plain dict (``kgraph show``)."""

from __future__ import annotations

from .algorithms import evidence_dict
from .projection import Projection

__all__ = ["describe"]


def describe(projection: Projection, actor_id: str) -> dict:
    """The actor's labels, aliases, description, Wikidata id and every relation in and out.

    Keys: ``id``, ``label``, ``labels``, ``aliases``, ``types``, ``description``,
    ``wikidata``, ``background`` (outside knowledge, each ``text`` with its ``source``),
    ``relations`` (each with ``direction`` out/in, ``relation``, ``relation_id``, ``family``, ``other``
    and ``evidence``), ``mentioned_in``.
    """
    actor = projection.actors[actor_id]
    relations = []
    for edge in projection.edges:
        if actor_id not in (edge.source, edge.target):
            continue
        outgoing = edge.source == actor_id
        other = projection.actors[edge.target if outgoing else edge.source]
        relations.append({
            "direction": "out" if outgoing else "in",
            "relation": edge.label,
            "relation_id": edge.relation,
            "family": edge.family,
            "other": {"id": other.id, "label": other.label},
            "evidence": [evidence_dict(e) for e in edge.evidence],
        })
    relations.sort(key=lambda r: (min((e["post"] for e in r["evidence"]), default=10**9), r["relation_id"],
                                  r["other"]["id"]))
    return {
        "id": actor.id,
        "label": actor.label,
        "labels": actor.labels,
        "aliases": actor.aliases,
        "types": [actor.type],
        "description": actor.description,
        "wikidata": actor.wikidata,
        "background": actor.background,
        "relations": relations,
        "mentioned_in": actor.mentioned_in,
    }
