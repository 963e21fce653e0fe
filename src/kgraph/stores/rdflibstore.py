"""The reference engine: the built Turtle files in an rdflib Dataset.

Each file is its own named graph, vocabulary triples go to the ontology
graph, and the default graph is their union (rdflib's ``default_union``), as
in the Oxigraph stores.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import QueryError, StoreError
from ..rdf.namespaces import BASE, ONTOLOGY_GRAPH, in_vocabulary
from .base import Store, TooManyRows, file_graph, refuse_update
from .results import Result

__all__ = ["RdflibStore"]


class RdflibStore(Store):
    def __init__(self, files: list[Path]):
        import rdflib.plugins.sparql
        from rdflib import Dataset, URIRef

        # Else rdflib answers FROM <iri> of a graph it lacks by fetching the IRI from the network.
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self.files = list(files)
        self.description = "rdflib graph of " + ", ".join(str(f) for f in self.files)
        self.graph = Dataset(default_union=True)
        ontology = self.graph.graph(URIRef(ONTOLOGY_GRAPH))
        for file in self.files:
            graph = self.graph.graph(URIRef(file_graph(file)))
            try:
                graph.parse(file, format="turtle")
            except Exception as exc:  # rdflib's parsers raise assorted types
                raise StoreError(f"{file}: cannot load: {_first_line(exc)}") from None
            if graph.identifier != ontology.identifier:
                for triple in [t for t in graph if isinstance(t[0], URIRef) and in_vocabulary(str(t[0]))]:
                    graph.remove(triple)
                    ontology.add(triple)

    def query(self, sparql: str, *, bindings: dict | None = None, max_rows: int | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Result:
        from rdflib import Variable

        refuse_update(sparql)
        try:
            query = self._prepare(sparql, default_graphs, named_graphs)
            answer = self.graph.query(query, initBindings={Variable(k): v for k, v in (bindings or {}).items()})
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

    def _prepare(self, sparql: str, default_graphs, named_graphs):
        from rdflib import URIRef
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        query = prepareQuery(sparql, initNs=dict(self.prefixes), base=BASE)
        if default_graphs is not None or named_graphs is not None:
            # The protocol's dataset replaces the query's FROM and FROM NAMED.
            query.algebra["datasetClause"] = (
                [CompValue("DatasetClause", default=URIRef(iri)) for iri in default_graphs or []]
                + [CompValue("DatasetClause", named=URIRef(iri)) for iri in named_graphs or []])
        return query


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
