"""The project's namespaces as plain strings (no rdflib import, so the CLI starts fast).

:mod:`kgraph.rdf.iris` wraps them as rdflib namespaces for building graphs.
"""

from __future__ import annotations

__all__ = ["BASE", "PREFIXES", "ACTOR_NS", "local_id"]

BASE = "https://kgraph.example/"
ACTOR_NS = BASE + "id/actor/"

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


def local_id(iri) -> str:
    """The data id of an actor IRI, or the IRI itself for foreign ones.

    >>> local_id("https://kgraph.example/id/actor/tokayev")
    'tokayev'
    """
    text = str(iri)
    return text[len(ACTOR_NS):] if text.startswith(ACTOR_NS) else text
