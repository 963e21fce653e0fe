"""Evidence fetched when it is shown: the claims behind a network read without their quotes.

A neighbourhood read from the index beside an on-disk store
(:mod:`kgraph.network.actorindex`) or from a remote store's edges alone
(:func:`kgraph.network.neighbourhood.fetch_light_neighbourhood`) knows each
claim's IRI, post, modality and dataset (a :class:`PendingEvidence`), which
is what paths are filtered and ranked by. :meth:`Neighbourhood.complete`
asks the store for the quote, asserter and caveats of the edges a command
shows, and no others.

No rdflib at import: the commands on an on-disk store start without it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rdf.namespaces import local_id
from .projection import Evidence, Projection, _quantities, _text

__all__ = ["PendingEvidence", "Neighbourhood", "fetch_evidence"]

# The claim's fields the index leaves out, for the claims a command shows.
# The VALUES block leads: Oxigraph joins in the order written, and a block at the end
# made it read every claim of the store (4 s at 1M triples) to keep a handful.
_EVIDENCE_QUERY = """
SELECT ?claim ?quote ?by ?when ?start ?until ?period ?note WHERE {
  %s
  ?claim prov:wasDerivedFrom ?postNode ; kg:quote ?quote ; kg:modality ?modality .
  ?postNode schema:position ?post .
  OPTIONAL { ?claim prov:wasAttributedTo ?by }
  OPTIONAL { ?claim dcterms:temporal ?when }
  OPTIONAL { ?claim schema:startDate ?start }
  OPTIONAL { ?claim schema:endDate ?until }
  OPTIONAL { ?claim kg:period ?period }
  OPTIONAL { ?claim kg:note ?note }
}
"""


@dataclass
class PendingEvidence(Evidence):
    """Evidence without its quote, asserter or caveats until :meth:`Neighbourhood.complete`."""

    iri: str = ""


class Neighbourhood(Projection):
    """A :class:`Projection` whose evidence is completed on demand.

    Whoever makes one sets ``_store`` (asked for the quotes) and ``_labels`` (actor ids -> the
    labels of those that are actors: the asserters' names in the evidence).
    """

    def complete(self, edges) -> None:
        """Fetch from the store the quotes, asserters and caveats of ``edges``' evidence (in place)."""
        pending = {e.iri: e for edge in edges for e in edge.evidence if isinstance(e, PendingEvidence)}
        if not pending:
            return
        full = fetch_evidence(self._store, pending, self._labels)
        for edge in edges:
            edge.evidence = [full.get(e.iri, e) if isinstance(e, PendingEvidence) else e for e in edge.evidence]


def fetch_evidence(store, pending: dict[str, PendingEvidence], labels) -> dict[str, Evidence]:
    """The full :class:`Evidence` of each claim IRI of ``pending``, its quote, asserter and caveats
    fetched from ``store``; ``labels(ids)`` names the asserters."""
    from rdflib import URIRef

    from ..stores.base import VALUES_BATCH, values_table

    rows, quantities = [], {}
    ordered = sorted(pending)
    for start in range(0, len(ordered), VALUES_BATCH):
        block = values_table(["claim"], [(URIRef(i),) for i in ordered[start:start + VALUES_BATCH]])
        rows += store.strings(_EVIDENCE_QUERY % block)
        quantities.update(_quantities(_ClaimScoped(store, block)))
    named = labels({local_id(row[2]) for row in rows if row[2] is not None})
    full = {}
    for iri, quote, by, when, start, until, period, note in sorted(rows, key=lambda r: tuple(map(_text, r))):
        if iri in full:
            continue  # a claim given two quotes: the first, as a fetch of the projection would order them
        light = pending[iri]
        by_id = local_id(by) if by is not None else ""
        full[iri] = Evidence(
            claim=light.claim, post=light.post, quote=quote, asserted_by=named.get(by_id, by_id),
            asserted_by_id=by_id, modality=light.modality, dataset=light.dataset, when=_text(when),
            period=_text(period), note=_text(note), start=_text(start), until=_text(until),
            quantities=list(quantities.get(iri, [])))
    return full


class _ClaimScoped:
    """``store`` seen through a VALUES block of claims, put first (for the quantities query)."""

    def __init__(self, store, block: str):
        self.store, self.block = store, block

    def query(self, sparql: str):
        return self.store.query(sparql.replace("WHERE {", "WHERE {\n" + self.block, 1))
