"""Turn a :class:`~kgraph.source.model.Dataset` into RDF.

Each claim is a statement node (``claim:kazakhstan-2022-c16-1``) carrying the
evidence: the post (``prov:wasDerivedFrom``), the verbatim ``kg:quote``, who
asserts it (``prov:wasAttributedTo``), how (``kg:modality``) and when. As
Wikidata keeps only best-rank statements in its ``wdt:`` triples, a direct
triple (``actor:masimov kg:loyalTo actor:nazarbayev``) is added only for a
link with at least one stated or assessed claim, so a plain triple pattern
never returns conjecture or hearsay as fact.
No blank nodes: every node has a readable IRI built from data ids.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..source.model import ACTOR_TYPES, ASSERTED, Dataset
from ..source.reading import LINK
from .iris import KG, SCHEMA, WD, actor_iri, bind_prefixes, claim_iri, post_iri, thread_iri
from .ontology import Vocabulary

__all__ = ["dataset_graph", "time_literal"]


def time_literal(value: str) -> Literal:
    """``2022`` -> xsd:gYear, ``2022-01`` -> xsd:gYearMonth, ``2022-01-10`` -> xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def _number(value: float) -> Literal:
    if float(value).is_integer():
        return Literal(int(value), datatype=XSD.integer)
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _source(text: str) -> Literal:
    return Literal(text, datatype=XSD.anyURI) if LINK.fullmatch(text) else Literal(text)


def dataset_graph(dataset: Dataset, vocabulary: Vocabulary, *, include_ontology: bool = True) -> Graph:
    """The RDF graph of one dataset (with the vocabulary, so the file stands alone)."""
    g = Graph()
    bind_prefixes(g)
    if include_ontology:
        for triple in vocabulary.graph:
            g.add(triple)
    lang = dataset.language
    thread = thread_iri(dataset.name)
    author = actor_iri(dataset.author)
    date = time_literal(dataset.date)

    g.add((thread, RDF.type, KG.Thread))
    g.add((thread, KG.dataset, Literal(dataset.name)))
    for title_lang, title in sorted(dataset.title.items()):
        g.add((thread, RDFS.label, Literal(title, lang=title_lang)))
    g.add((thread, SCHEMA.author, author))
    g.add((thread, SCHEMA.datePublished, date))
    g.add((thread, SCHEMA.inLanguage, Literal(lang)))
    if dataset.declared_posts is not None:
        g.add((thread, SCHEMA.numberOfItems, Literal(dataset.declared_posts)))
    if dataset.source:
        g.add((thread, DCTERMS.source, Literal(dataset.source)))

    for post in dataset.posts:
        node = post_iri(dataset.name, post.number)
        g.add((node, RDF.type, SCHEMA.SocialMediaPosting))
        g.add((node, RDFS.label, Literal(f"post {post.number}", lang="en")))
        g.add((node, SCHEMA.position, Literal(post.number)))
        g.add((node, SCHEMA.text, Literal(post.text, lang=lang)))
        g.add((node, SCHEMA.author, author))
        g.add((node, SCHEMA.datePublished, date))
        g.add((node, SCHEMA.inLanguage, Literal(lang)))
        g.add((node, SCHEMA.isPartOf, thread))
        g.add((node, KG.dataset, Literal(dataset.name)))
        for tag in post.hashtags:
            g.add((node, SCHEMA.keywords, Literal(tag)))
        for link in post.links:
            g.add((node, SCHEMA.citation, Literal(link, datatype=XSD.anyURI)))
        for mention in post.mentions:
            g.add((node, KG.mentions, actor_iri(mention)))

    for actor in dataset.actors:
        node = actor_iri(actor.id)
        g.add((node, RDF.type, KG[ACTOR_TYPES[actor.type]]))
        g.add((node, KG.actorType, Literal(actor.type)))
        for label_lang, label in sorted(actor.labels.items()):
            g.add((node, RDFS.label, Literal(label, lang=label_lang)))
            g.add((node, SKOS.prefLabel, Literal(label, lang=label_lang)))
        for alias in actor.aliases:
            g.add((node, SKOS.altLabel, Literal(alias)))
        if actor.description:
            g.add((node, SCHEMA.description, Literal(" ".join(actor.description.split()), lang="en")))
        if actor.wikidata:
            g.add((node, OWL.sameAs, WD[actor.wikidata]))
        for i, background in enumerate(actor.background, 1):
            # Its own node, so each text keeps its own source; "/" cannot occur in an actor id.
            item = actor_iri(f"{actor.id}/background-{i}")
            g.add((node, KG.background, item))
            g.add((item, RDF.type, KG.Background))
            g.add((item, RDF.value, Literal(" ".join(background.text.split()), lang="en")))
            g.add((item, DCTERMS.source, _source(background.source)))

    labels = {a.id: a.labels.get("en", a.id) for a in dataset.actors}
    for claim in dataset.claims:
        node = claim_iri(dataset.name, claim.id)
        subject, obj = actor_iri(claim.subject), actor_iri(claim.object)
        predicate = KG[claim.relation]
        if claim.modality in ASSERTED:
            g.add((subject, predicate, obj))
        g.add((node, RDF.type, KG.Statement))
        g.add((node, RDF.type, RDF.Statement))
        relation = vocabulary.relations[claim.relation]
        g.add((node, RDFS.label, Literal(
            f"{labels.get(claim.subject, claim.subject)} {relation.label} "
            f"{labels.get(claim.object, claim.object)} (post {claim.post})", lang="en")))
        g.add((node, KG.claimId, Literal(claim.id)))
        g.add((node, KG.dataset, Literal(dataset.name)))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, predicate))
        g.add((node, RDF.object, obj))
        g.add((node, PROV.wasDerivedFrom, post_iri(dataset.name, claim.post)))
        g.add((node, KG.quote, Literal(claim.quote, lang=lang)))
        g.add((node, PROV.wasAttributedTo, actor_iri(claim.asserted_by)))
        g.add((node, KG.modality, KG[claim.modality]))
        if claim.when:
            g.add((node, DCTERMS.temporal, time_literal(claim.when)))
        if claim.start:
            g.add((node, SCHEMA.startDate, time_literal(claim.start)))
        if claim.until:
            g.add((node, SCHEMA.endDate, time_literal(claim.until)))
        if claim.period:
            g.add((node, KG.period, Literal(claim.period, lang="en")))
        if claim.note:
            g.add((node, KG.note, Literal(" ".join(claim.note.split()), lang="en")))
        for i, quantity in enumerate(claim.quantities, 1):
            q = claim_iri(dataset.name, f"{claim.id}-q{i}")
            g.add((node, KG.quantity, q))
            g.add((q, RDF.type, SCHEMA.QuantitativeValue))
            g.add((q, SCHEMA.name, Literal(quantity.what, lang="en")))
            g.add((q, SCHEMA.unitText, Literal(quantity.unit)))
            for prop, value in ((SCHEMA.value, quantity.value), (SCHEMA.minValue, quantity.min),
                                (SCHEMA.maxValue, quantity.max)):
                if value is not None:
                    g.add((q, prop, _number(value)))
    return g
