"""The actor network flattened into rows: one per actor, one per piece of evidence.

Network tools (Gephi, yEd, Cytoscape, Neo4j, a spreadsheet) hold scalar
attributes only, so an edge backed by two claims becomes two exported edges
between the same actors, each carrying one claim's post, quote, speaker and
modality. Every value stays exact (no joined lists to split again; a claim's
figures travel as one JSON text, ``quantities``), and the edges are read back
into the projection by grouping on (source, relation, target). Empty values
are left out, so a missing attribute means "".

>>> from kgraph.network.projection import ActorInfo, Edge, Evidence, Projection
>>> p = Projection({"a": ActorInfo("a", "person", "A"), "b": ActorInfo("b", "country", "B")},
...                [Edge("a", "b", "presidentOf", "president of", "Präsident von", "membership",
...                      [Evidence("c1", 3, "Zitat", "N. G.", "ng", "stated", "ds")])])
>>> [(s, t, key, attrs["post"], attrs["quote"]) for s, t, key, attrs in edge_rows(p)]
[('a', 'b', 'ds-c1', 3, 'Zitat')]
"""

from __future__ import annotations

import json

from ..network.projection import Edge, Evidence, Projection

__all__ = ["NODE_FIELDS", "EDGE_FIELDS", "EVIDENCE_FIELDS", "node_rows", "edge_rows", "edge_key"]

NODE_FIELDS = ("label", "type", "description", "wikidata", "iri")
EVIDENCE_FIELDS = ("claim", "post", "quote", "asserted_by", "asserted_by_id", "modality", "dataset", "when",
                   "period", "note", "start", "until", "quantities")
EDGE_FIELDS = ("relation", "label", "label_de", "family", *EVIDENCE_FIELDS)


def edge_key(edge: Edge, evidence: Evidence | None) -> str:
    """A key unique in the export: the claim's own IRI name, or the triple for an edge without claims."""
    if evidence is None:
        return f"{edge.source}--{edge.relation}--{edge.target}"
    return f"{evidence.dataset}-{evidence.claim}" if evidence.dataset else evidence.claim


def _present(pairs) -> dict:
    return {name: value for name, value in pairs if value not in ("", None)}


def _scalar(value):
    """Network tools hold scalars only: a list (the figures) as JSON text, an empty one as ""."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if value else ""
    return value


def node_rows(projection: Projection) -> list[tuple[str, dict]]:
    """``(actor id, attributes)`` sorted by id."""
    return [(actor.id, _present((name, getattr(actor, name)) for name in NODE_FIELDS))
            for actor in sorted(projection.actors.values(), key=lambda a: a.id)]


def edge_rows(projection: Projection) -> list[tuple[str, str, str, dict]]:
    """``(source, target, key, attributes)``, one per piece of evidence, in a stable order."""
    rows = []
    for edge in sorted(projection.edges, key=lambda e: (e.source, e.relation, e.target)):
        common = [("relation", edge.relation), ("label", edge.label), ("label_de", edge.label_de),
                  ("family", edge.family)]
        for evidence in edge.evidence or [None]:
            own = [] if evidence is None else [(name, _scalar(getattr(evidence, name))) for name in EVIDENCE_FIELDS]
            rows.append((edge.source, edge.target, edge_key(edge, evidence), _present(common + own)))
    return rows
