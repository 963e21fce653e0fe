"""The project's namespaces as plain strings (no rdflib import, so the CLI starts fast).

:mod:`kgraph.rdf.iris` wraps them as rdflib namespaces for building graphs.
"""

from __future__ import annotations

__all__ = ["BASE", "PREFIXES", "ACTOR_NS", "local_id", "GRAPH_NS", "ONTOLOGY_GRAPH", "graph_iri",
           "in_vocabulary"]

# Also the base IRI every store resolves a query's relative IRIs against.
BASE = "https://kgraph.example/"
ACTOR_NS = BASE + "id/actor/"
# Each dataset is published as its own named graph, GRAPH_NS + dataset; the ontology as GRAPH_NS + "ontology".
GRAPH_NS = BASE + "graph/"

# Order matters only for output: it is the order of @prefix lines.
PREFIXES: dict[str, str] = {
    "kg": BASE + "ns#",
    "actor": ACTOR_NS,
    "post": BASE + "id/post/",
    "claim": BASE + "id/claim/",
    "thread": BASE + "id/thread/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "ftm": "https://w3id.org/ftm#",
}


# Named graphs: one per dataset (``GRAPH_NS + dataset``), one for the vocabulary.
ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
_VOCABULARY = BASE + "ns"


def graph_iri(name: str) -> str:
    """The named graph of dataset (or loaded file) ``name``.

    >>> graph_iri("kazakhstan-2022")
    'https://kgraph.example/graph/kazakhstan-2022'
    """
    from urllib.parse import quote

    return GRAPH_NS + quote(name, safe="-._~")


def in_vocabulary(iri: str) -> bool:
    """Whether ``iri`` is the ontology or one of its terms: triples about it belong in the ontology graph."""
    return iri == _VOCABULARY or iri.startswith(_VOCABULARY + "#")


def local_id(iri) -> str:
    """The data id of an actor IRI, or the IRI itself for foreign ones.

    >>> local_id("https://kgraph.example/id/actor/tokayev")
    'tokayev'
    """
    text = str(iri)
    return text[len(ACTOR_NS):] if text.startswith(ACTOR_NS) else text
