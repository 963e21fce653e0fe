"""The vocabulary in ``ontology/``: relation definitions read from Turtle.

The relations (their ids, labels, families, domains and ranges) live in
``ontology/kgraph.ttl`` only; checks, the CLI and the HTML read them from
there rather than from a second list in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import KgraphError
from .iris import KG

__all__ = ["Relation", "Vocabulary", "load_vocabulary", "fetch_relations"]



@dataclass(frozen=True)
class Relation:
    id: str
    labels: dict[str, str]
    family: str
    domain: str
    range: str
    symmetric: bool
    inverse: str | None
    definition: str
    cameo: str = ""  # the CAMEO event code it matches (GDELT, ICEWS), "" when none

    @property
    def label(self) -> str:
        return self.labels.get("en", self.id)


@dataclass(frozen=True)
class Vocabulary:
    relations: dict[str, Relation]
    superclasses: dict[str, frozenset[str]]  # class name -> itself and all its ancestors
    graph: object  # the rdflib Graph of the ontology file(s)

    def is_a(self, class_name: str, ancestor: str) -> bool:
        return ancestor in self.superclasses.get(class_name, {class_name})


def _local(iri) -> str:
    text = str(iri)
    return text[len(str(KG)):] if text.startswith(str(KG)) else text


# Where the vocabulary's CAMEO codes live: cameo:0233 is CAMEO 0233 (no official RDF scheme exists).
CAMEO = "https://kgraph.example/cameo/"


def _english(graph, subject, predicate) -> str:
    """The English (else untagged, else any) literal; definitions now come in English and German."""
    values = sorted(graph.objects(subject, predicate), key=lambda lit: (getattr(lit, "language", None) != "en",
                                                                       getattr(lit, "language", None) or "", str(lit)))
    return str(values[0]) if values else ""


@lru_cache(maxsize=8)
def _load(path: str) -> Vocabulary:
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    graph = Graph()
    files = sorted(p for p in Path(path).glob("*.ttl") if p.name != "shapes.ttl")
    if not files:
        raise KgraphError(f"{path}: no ontology (*.ttl) found")
    for file in files:
        try:
            graph.parse(file, format="turtle")
        except Exception as exc:  # rdflib raises many parser types; all mean a bad file
            raise KgraphError(f"{file}: cannot parse Turtle: {str(exc).splitlines()[0]}") from None
    relations = {}
    for prop in graph.subjects(RDFS.subPropertyOf, KG.relation):
        labels = {lit.language: str(lit) for lit in graph.objects(prop, RDFS.label) if lit.language}
        family = graph.value(prop, KG.family)
        relations[_local(prop)] = Relation(
            id=_local(prop),
            labels=labels,
            family=_local(family).removeprefix("family-") if family else "other",
            domain=_local(graph.value(prop, RDFS.domain) or KG.Actor),
            range=_local(graph.value(prop, RDFS.range) or KG.Actor),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            inverse=_local(graph.value(prop, OWL.inverseOf)) if graph.value(prop, OWL.inverseOf) else None,
            definition=_english(graph, prop, SKOS.definition),
            cameo=min((str(m)[len(CAMEO):] for m in graph.objects(prop, SKOS.closeMatch) if str(m).startswith(CAMEO)),
                      default=""),
        )
    supers: dict[str, set[str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        name = _local(cls)
        supers[name] = {name} | {_local(c) for c in graph.transitive_objects(cls, RDFS.subClassOf)}
    return Vocabulary(relations=dict(sorted(relations.items())),
                      superclasses={k: frozenset(v) for k, v in supers.items()}, graph=graph)


def load_vocabulary(ontology_dir: Path | str = "ontology") -> Vocabulary:
    """Read the vocabulary (every ``*.ttl`` but the SHACL shapes) from ``ontology_dir``."""
    path = Path(ontology_dir)
    if not path.is_dir():
        raise KgraphError(f"{path}: no such ontology folder")
    return _load(str(path.resolve()))


_RELATIONS_QUERY = """
SELECT ?p ?label ?lang ?family ?domain ?range ?match WHERE {
  ?p rdfs:subPropertyOf kg:relation .
  OPTIONAL { ?p rdfs:label ?label BIND(LANG(?label) AS ?lang) }
  OPTIONAL { ?p kg:family ?family }
  OPTIONAL { ?p rdfs:domain ?domain }
  OPTIONAL { ?p rdfs:range ?range }
  OPTIONAL { ?p skos:closeMatch ?match FILTER(STRSTARTS(STR(?match), "%s")) }
}
""" % CAMEO


def fetch_relations(store) -> list[dict]:
    """The relations of the vocabulary a built graph carries, by id: ``id``, ``label``,
    ``label_de``, ``family``, ``domain``, ``range``, ``cameo`` (as ``kgraph relations``
    lists them from ``ontology/``; ``-`` where CAMEO has no code)."""
    found: dict[str, dict] = {}
    for p, label, lang, family, domain, range_, match in store.query(_RELATIONS_QUERY).rows:
        rel = found.setdefault(_local(p), {"labels": {}, "family": "other", "domain": "Actor", "range": "Actor",
                                           "cameo": set()})
        if label is not None and str(lang):
            rel["labels"][str(lang)] = str(label)
        if family is not None:
            rel["family"] = _local(family).removeprefix("family-")
        if domain is not None:
            rel["domain"] = _local(domain)
        if range_ is not None:
            rel["range"] = _local(range_)
        if match is not None:
            rel["cameo"].add(str(match)[len(CAMEO):])
    return [{"id": rid, "label": rel["labels"].get("en", rid), "label_de": rel["labels"].get("de", ""),
             "family": rel["family"], "domain": rel["domain"], "range": rel["range"],
             "cameo": min(rel["cameo"], default="-")}
            for rid, rel in sorted(found.items())]
