"""``nodes.csv`` and ``edges.csv`` in the header form of ``neo4j-admin database import``.

Headers name the roles Neo4j needs (``id:ID``, ``:LABEL``, ``:START_ID``,
``:END_ID``, ``:TYPE``) and type the post number (``post:int``); the other
columns become string properties. Actors get the label ``Actor`` plus one
from their type (``security-body`` -> ``SecurityBody``); relations become
relationship types in Neo4j's style (``presidentOf`` -> ``PRESIDENT_OF``).
Fields are quoted as RFC 4180 says (``""`` inside quotes) and may hold line
breaks, so import with ``--multiline-fields=true``. An empty field is an
absent property. The same files open in a spreadsheet.

>>> relationship_type("presidentOf"), node_label("security-body")
('PRESIDENT_OF', 'SecurityBody')
"""

from __future__ import annotations

import csv
import io
import re

from ..network.projection import Projection
from .rows import EDGE_FIELDS, NODE_FIELDS, edge_rows, node_rows

__all__ = ["csv_files", "relationship_type", "node_label", "NODE_HEADER", "EDGE_HEADER"]

NODE_HEADER = ["id:ID", ":LABEL", *NODE_FIELDS]
EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", "id",
               *(f"{name}:int" if name == "post" else name for name in EDGE_FIELDS)]

_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


def relationship_type(relation: str) -> str:
    return _NON_WORD.sub("_", _WORD_BREAK.sub("_", relation)).strip("_").upper() or "RELATION"


def node_label(actor_type: str) -> str:
    return "".join(part.capitalize() for part in _NON_WORD.split(actor_type))


def _table(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_files(projection: Projection) -> dict[str, bytes]:
    """``{"nodes.csv": ..., "edges.csv": ...}``, rows in the order of :mod:`kgraph.exporters.rows`."""
    nodes = []
    for actor_id, attrs in node_rows(projection):
        labels = ";".join(dict.fromkeys(x for x in ("Actor", node_label(attrs.get("type", ""))) if x))
        nodes.append([actor_id, labels, *(attrs.get(name, "") for name in NODE_FIELDS)])
    edges = [[source, target, relationship_type(attrs["relation"]), key,
              *(attrs.get(name, "") for name in EDGE_FIELDS)]
             for source, target, key, attrs in edge_rows(projection)]
    return {"nodes.csv": _table(NODE_HEADER, nodes), "edges.csv": _table(EDGE_HEADER, edges)}
