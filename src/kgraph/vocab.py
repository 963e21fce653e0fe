"""Namespaces, IRIs and the prefixes bound in every query and output.

IRIs are readable and stable: they are built from the ids in ``data/``, never
from hashes. ``actor_iri("tokayev")`` is ``https://kgraph.example/id/actor/tokayev``.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "KG", "ACTOR", "POST", "CLAIM", "THREAD", "SCHEMA", "WD", "WDT", "FTM",
    "PREFIXES", "actor_iri", "post_iri", "claim_iri", "thread_iri", "local_id",
    "sparql_prefixes", "bind_prefixes",
]

BASE = "https://kgraph.example/"
KG = Namespace(BASE + "ns#")
ACTOR = Namespace(BASE + "id/actor/")
POST = Namespace(BASE + "id/post/")
CLAIM = Namespace(BASE + "id/claim/")
THREAD = Namespace(BASE + "id/thread/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
FTM = Namespace("https://w3id.org/ftm#")
TIME = Namespace("http://www.w3.org/2006/time#")

# Order matters only for output: it is the order of @prefix lines.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "actor": str(ACTOR),
    "post": str(POST),
    "claim": str(CLAIM),
    "thread": str(THREAD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "wd": str(WD),
    "wdt": str(WDT),
    "ftm": str(FTM),
}


def actor_iri(actor_id: str):
    return ACTOR[actor_id]


def post_iri(dataset: str, number: int):
    return POST[f"{dataset}-{number}"]


def claim_iri(dataset: str, claim_id: str):
    return CLAIM[f"{dataset}-{claim_id}"]


def thread_iri(dataset: str):
    return THREAD[dataset]


def local_id(iri: str) -> str:
    """The data id of an actor IRI, or the IRI itself for foreign ones."""
    text = str(iri)
    return text[len(ACTOR):] if text.startswith(str(ACTOR)) else text


def sparql_prefixes() -> str:
    """PREFIX lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
