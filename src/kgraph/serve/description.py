"""The SPARQL 1.1 Service Description of the endpoint (what ``GET /sparql`` without a query returns)."""

from __future__ import annotations

__all__ = ["service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD"]


def service_description(endpoint: str, *, store: str, timeout: float, max_rows: int | None):
    """An rdflib Graph describing the endpoint at ``endpoint`` (its absolute URL)."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    sd, formats = Namespace(SD), Namespace(FORMATS)
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    graph.bind("dcterms", DCTERMS)
    service, dataset, default = BNode("service"), BNode("dataset"), BNode("defaultGraph")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in _FORMAT_IRIS:
        graph.add((service, sd.resultFormat, formats[name]))
    limits = f"at most {max_rows} rows per answer" if max_rows else "no row limit"
    graph.add((service, DCTERMS.description, Literal(
        f"kgraph read-only SPARQL endpoint over {store}; SPARQL Update is refused; "
        f"queries stop after {timeout:g} s; {limits}.", lang="en")))
    # No dataset in the request: the default graph is the union of the named graphs (one per thread, the ontology).
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    return graph
