"""Namespaces, IRIs and the prefixes bound in every query and output.

IRIs are readable and stable: they are built from the ids in ``data/``, never
from hashes. ``actor_iri("tokayev")`` is ``https://kgraph.example/id/actor/tokayev``.
"""

from __future__ import annotations

from rdflib import Namespace

from .namespaces import BASE, PREFIXES, local_id

__all__ = [
    "KG", "ACTOR", "POST", "CLAIM", "THREAD", "SCHEMA", "WD", "WDT", "FTM",
    "PREFIXES", "actor_iri", "post_iri", "claim_iri", "thread_iri", "local_id",
    "BASE", "bind_prefixes",
]

KG = Namespace(PREFIXES["kg"])
ACTOR = Namespace(PREFIXES["actor"])
POST = Namespace(PREFIXES["post"])
CLAIM = Namespace(PREFIXES["claim"])
THREAD = Namespace(PREFIXES["thread"])
SCHEMA = Namespace(PREFIXES["schema"])
WD = Namespace(PREFIXES["wd"])
WDT = Namespace(PREFIXES["wdt"])
FTM = Namespace(PREFIXES["ftm"])


def actor_iri(actor_id: str):
    return ACTOR[actor_id]


def post_iri(dataset: str, number: int):
    return POST[f"{dataset}-{number}"]


def claim_iri(dataset: str, claim_id: str):
    return CLAIM[f"{dataset}-{claim_id}"]


def thread_iri(dataset: str):
    return THREAD[dataset]


def bind_prefixes(graph) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
