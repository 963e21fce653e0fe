"""The reference engine: the built Turtle files in a plain rdflib Graph."""

from __future__ import annotations

from pathlib import Path

from ..errors import QueryError, StoreError
from .base import Store, TooManyRows, refuse_update
from .results import Result

__all__ = ["RdflibStore"]


class RdflibStore(Store):
    def __init__(self, files: list[Path]):
        from rdflib import Graph

        self.files = list(files)
        self.description = "rdflib graph of " + ", ".join(str(f) for f in self.files)
        self.graph = Graph()
        for file in self.files:
            try:
                self.graph.parse(file, format="turtle")
            except Exception as exc:  # rdflib's parsers raise assorted types
                raise StoreError(f"{file}: cannot load: {_first_line(exc)}") from None

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        from rdflib import Variable

        refuse_update(sparql)
        try:
            answer = self.graph.query(sparql, initNs=dict(self.prefixes),
                                      initBindings={Variable(k): v for k, v in (bindings or {}).items()})
            if answer.type == "ASK":
                return Result("ASK", boolean=bool(answer.askAnswer))
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                if max_rows is not None and len(answer.graph) > max_rows:
                    raise TooManyRows(max_rows)
                return Result("CONSTRUCT", graph=answer.graph)
            names = [str(v) for v in answer.vars]
            rows = []
            for row in answer:
                if len(rows) == max_rows:
                    raise TooManyRows(max_rows)
                rows.append(tuple(row))
            return Result("SELECT", vars=names, rows=rows)
        except QueryError:
            raise
        except Exception as exc:  # pyparsing and evaluation errors alike
            raise QueryError(f"query failed: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
