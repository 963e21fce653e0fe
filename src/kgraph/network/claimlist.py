"""The claims of the graph, filtered: what the thread states, judges, suspects or passes on, and who says so.

Every filter reaches the store as a VALUES block of IRIs or literals, never
as text pasted into the query, so ``claims`` works the same on the bundled
graph, an on-disk store or a remote endpoint.

>>> import kgraph
>>> from kgraph.stores import open_store
>>> hedged = kgraph.claims(open_store(), modalities=["speculated", "reported"])
>>> sorted({row.modality for row in hedged})
['reported', 'speculated']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import KgraphError
from ..rdf.namespaces import PREFIXES, local_id
from ..source.model import FAMILIES
from .selection import modalities_kept

__all__ = ["ClaimRow", "claims", "COLUMNS", "CLAIMS_QUERY"]

#: the columns of ``kgraph claims`` for people, in order
COLUMNS = ("post", "subject", "relation", "object", "modality", "asserted by", "quote", "note", "time")

CLAIMS_QUERY = """
SELECT DISTINCT ?claim ?claimId ?dataset ?post ?s ?p ?o ?modality ?by ?quote ?note ?when ?start ?until ?period
WHERE {
  ?claim a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         prov:wasDerivedFrom ?postNode ; kg:quote ?quote ; kg:modality ?modality .
  ?postNode schema:position ?post .
  OPTIONAL { ?claim kg:claimId ?claimId }
  OPTIONAL { ?claim kg:dataset ?dataset }
  OPTIONAL { ?claim prov:wasAttributedTo ?by }
  OPTIONAL { ?claim kg:note ?note }
  OPTIONAL { ?claim dcterms:temporal ?when }
  OPTIONAL { ?claim schema:startDate ?start }
  OPTIONAL { ?claim schema:endDate ?until }
  OPTIONAL { ?claim kg:period ?period }
  #FILTERS
}
"""

_RELATIONS = """
SELECT ?p ?label ?family WHERE {
  ?p rdfs:subPropertyOf kg:relation .
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p kg:family ?family }
}
"""


@dataclass(frozen=True)
class ClaimRow:
    """One claim with its evidence; actors and the relation as ``{"id", "label"}``."""

    claim: str
    dataset: str
    post: int
    subject: dict
    relation: dict
    object: dict
    modality: str
    asserted_by: dict
    quote: str
    note: str
    time: str

    def cells(self) -> list[str]:
        """The row as :data:`COLUMNS` text."""
        return [str(self.post), self.subject["label"], self.relation["label"], self.object["label"], self.modality,
                self.asserted_by["label"], self.quote, self.note, self.time]

    def to_dict(self) -> dict:
        return {"claim": self.claim, "dataset": self.dataset, "post": self.post, "subject": self.subject,
                "relation": self.relation, "object": self.object, "modality": self.modality,
                "asserted_by": self.asserted_by, "quote": self.quote, "note": self.note, "time": self.time}


def claims(store, *, modalities: Iterable[str] | str = (), asserted_by: Iterable[str] = (),
           actors: Iterable[str] = (), relations: Iterable[str] = (), families: Iterable[str] = (),
           posts: Iterable[int] = (), datasets: Iterable[str] = (), names=None) -> list[ClaimRow]:
    """The claims in ``store`` (an open :class:`~kgraph.stores.Store`) that pass every filter given.

    Within one filter any value matches; empty filters match everything.
    ``modalities``: stated, assessed, speculated, reported (names or one
    comma-separated list). ``asserted_by`` and ``actors`` (subject or object)
    are names as people type them, resolved by ``names`` (a
    :class:`~kgraph.network.names.NameIndex`; built from the store when None).
    ``relations`` are relation ids or English labels, ``families`` relation
    families. Sorted by dataset, post and claim id.

    Parameters
    ----------
    store : Store
        An open store, e.g. from :func:`kgraph.stores.open_store`.
    modalities, asserted_by, actors, relations, families, posts, datasets
        The filters; see above.
    names : NameIndex, optional
        Resolves the names in ``asserted_by`` and ``actors``.

    Returns
    -------
    list of ClaimRow

    Raises
    ------
    KgraphError
        For an unknown modality, relation or family, or a name that finds no actor.

    Examples
    --------
    >>> import kgraph
    >>> rows = kgraph.claims(kgraph.open_store(), modalities="reported", asserted_by=["Toqajev"])
    >>> {(row.modality, row.asserted_by["id"]) for row in rows}
    {('reported', 'tokayev')}
    """
    from rdflib import Literal, URIRef

    from ..rdf.iris import KG, actor_iri
    from ..stores.base import values_table

    blocks = []
    modalities = modalities_kept(modalities)
    if modalities:
        blocks.append(values_table(["modality"], [(KG[m],) for m in modalities]))
    asserted_by, actors = list(asserted_by), list(actors)
    if asserted_by or actors:
        if names is None:
            from .names import NameIndex
            from .projection import cached_actors

            names = NameIndex(cached_actors(store).values())
        if asserted_by:
            blocks.append(values_table(["by"], [(actor_iri(names.resolve(n).id),) for n in asserted_by])
                          + "\n  ?claim prov:wasAttributedTo ?by .")
        if actors:
            # An actor is the subject or the object: one row each, joined back by DISTINCT.
            iris = [(actor_iri(names.resolve(n).id),) for n in actors]
            blocks.append(values_table(["actor"], iris) + "\n  { ?claim rdf:subject ?actor } UNION "
                                                            "{ ?claim rdf:object ?actor }")
    relations, families = list(relations), list(families)
    if relations or families:
        blocks.append(values_table(["p"], [(URIRef(p),) for p in _relations(store, relations, families)]))
    posts = list(posts)
    if posts:
        blocks.append(values_table(["post"], [(Literal(int(n)),) for n in posts]))
    datasets = list(datasets)
    if datasets:
        blocks.append(values_table(["dataset"], [(Literal(d),) for d in datasets]) + "\n  ?claim kg:dataset ?dataset .")
    text = CLAIMS_QUERY.replace("#FILTERS", "\n  ".join(blocks))
    rows = store.query(text).rows
    from ..stores.query import label_terms

    labels = label_terms(store, [t for row in rows for t in (row[4], row[5], row[6], row[8])])
    found = [_row(row, labels) for row in rows]
    found.sort(key=lambda c: (c.dataset, c.post, c.claim))
    return found


def _relations(store, wanted: list[str], families: list[str]) -> list[str]:
    """The relation IRIs named by id or label in ``wanted`` and of the ``families``, both when both given."""
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        raise KgraphError(f"unknown relation family {unknown[0]!r}; use one of {', '.join(FAMILIES)}")
    names: dict[str, set[str]] = {}
    family_of: dict[str, str] = {}
    for p, label, family in store.query(_RELATIONS).rows:
        iri = str(p)
        names.setdefault(iri, set()).add(iri.rsplit("#", 1)[-1].casefold())
        if label is not None:
            names[iri].add(str(label).casefold())
        if family is not None:
            family_of[iri] = str(family).rsplit("#family-", 1)[-1]
    chosen = set(names)
    if wanted:
        by_name = set()
        for name in wanted:
            hits = {iri for iri, known in names.items() if name.strip().casefold() in known}
            if not hits:
                raise KgraphError(f"no relation {name!r}; 'kgraph relations' lists them")
            by_name |= hits
        chosen &= by_name
    if families:
        chosen &= {iri for iri, family in family_of.items() if family in families}
    if not chosen:
        raise KgraphError("no relation is both of the families and among the relations given")
    return sorted(chosen)


def _text(term) -> str:
    return "" if term is None else str(term)


def _named(term, labels: dict[str, str]) -> dict:
    if term is None:
        return {"id": "", "label": ""}
    iri = str(term)
    ident = local_id(iri)
    if ident == iri and iri.startswith(PREFIXES["kg"]):
        ident = iri[len(PREFIXES["kg"]):]
    return {"id": ident, "label": labels.get(iri, ident)}


def _time(when, start, until, period) -> str:
    """When the claim holds, in one cell: a date, a range, or the thread's words."""
    date = _text(when)
    if not date and (start is not None or until is not None):
        date = f"{_text(start)}–{_text(until)}"
    words = _text(period)
    return f"{date} ({words})" if date and words else date or words


def _row(row, labels: dict[str, str]) -> ClaimRow:
    claim, claim_id, dataset, post, s, p, o, modality, by, quote, note, when, start, until, period = row
    return ClaimRow(claim=_text(claim_id) or str(claim), dataset=_text(dataset), post=int(post.toPython()),
                    subject=_named(s, labels), relation=_named(p, labels), object=_named(o, labels),
                    modality=str(modality).rsplit("#", 1)[-1], asserted_by=_named(by, labels), quote=str(quote),
                    note=_text(note), time=_time(when, start, until, period))
