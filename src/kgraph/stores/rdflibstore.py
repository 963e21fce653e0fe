"""The reference engine: the built Turtle files in a plain rdflib Graph."""

from __future__ import annotations

from pathlib import Path

from ..errors import QueryError, StoreError
from ..results import Result
from .base import Store, refuse_update

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
                raise StoreError(f"{file}: cannot load: {str(exc).splitlines()[0]}") from None

    def query(self, sparql: str, *, bindings: dict | None = None) -> Result:
        from rdflib import Variable

        refuse_update(sparql)
        try:
            answer = self.graph.query(sparql, initNs=dict(self.prefixes),
                                      initBindings={Variable(k): v for k, v in (bindings or {}).items()})
        except Exception as exc:  # pyparsing and evaluation errors alike
            raise QueryError(f"query failed: {str(exc).splitlines()[0]}") from None
        if answer.type == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            return Result("CONSTRUCT", graph=answer.graph)
        names = [str(v) for v in answer.vars]
        return Result("SELECT", vars=names, rows=[tuple(row) for row in answer])
