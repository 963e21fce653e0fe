"""The actor network as plain data, fetched from any store with SPARQL.

A :class:`Projection` holds the actors and the actor-to-actor edges, each edge
with the evidence behind it (post, verbatim quote, who asserts it, how, and
its caveats: note, time, quantities), and the datasets the store holds.
Statement nodes, posts and literals are not nodes of the projection. Paths,
neighbourhoods, the HTML and the exports all start from here.

For the ``memory`` store the projection is cached on disk, keyed by the
SHA-256 of the graph files, so ``kgraph path`` and ``kgraph show`` start fast.
For a store that can tell when it changed (an on-disk Oxigraph store), the
actors that names are resolved against are cached the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from ..rdf.namespaces import local_id

__all__ = ["ActorInfo", "Evidence", "Edge", "Projection", "load_projection", "fetch_actors", "fetch_names",
           "names_of_rows", "cached_actors", "fetch_projection", "ACTORS_QUERY", "EDGES_QUERY"]

CACHE_VERSION = "3"

ACTORS_QUERY = """
SELECT ?actor ?type ?label ?lang ?alias ?description ?wikidata ?background ?text ?source WHERE {
  ?actor kg:actorType ?type .
  { ?actor rdfs:label ?label BIND(LANG(?label) AS ?lang) }
  UNION { ?actor skos:altLabel ?alias }
  UNION { ?actor schema:description ?description }
  UNION { ?actor owl:sameAs ?wikidata }
  UNION { ?actor kg:background ?background . ?background rdf:value ?text ; dcterms:source ?source }
}
"""

# What names are resolved by, for a store that cannot say when it changed (asked on every
# command). Three scans joined here rather than one join on the server: at 1M triples the
# join took 3.2 s, the scans 1.7 s side by side. Every actor has labels (the SHACL shapes
# ask two), so the actors with a label or an alias are those ACTORS_QUERY finds.
NAMES_QUERIES = (
    "SELECT ?actor ?type WHERE { ?actor kg:actorType ?type }",
    "SELECT ?actor ?label ?lang WHERE { ?actor rdfs:label ?label BIND(LANG(?label) AS ?lang) }",
    "SELECT ?actor ?alias WHERE { ?actor skos:altLabel ?alias }",
)

# Every actor-actor link: each statement node with its evidence, and each direct
# triple. A link the source only speculates about or passes on has no direct
# triple, and background data (a Wikidata extract) has direct triples without
# statements: the network needs both.
EDGES_QUERY = """
SELECT ?s ?p ?o ?claim ?claimId ?post ?quote ?by ?modality ?dataset ?when ?start ?until ?period ?note WHERE {
  ?p rdfs:subPropertyOf kg:relation .
  {
    ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
           prov:wasDerivedFrom ?postNode ; kg:quote ?quote ; kg:modality ?modality .
    ?postNode schema:position ?post .
    OPTIONAL { ?claim kg:claimId ?claimId }
    OPTIONAL { ?claim prov:wasAttributedTo ?by }
    OPTIONAL { ?claim kg:dataset ?dataset }
    OPTIONAL { ?claim dcterms:temporal ?when }
    OPTIONAL { ?claim schema:startDate ?start }
    OPTIONAL { ?claim schema:endDate ?until }
    OPTIONAL { ?claim kg:period ?period }
    OPTIONAL { ?claim kg:note ?note }
  } UNION {
    ?s ?p ?o .
  }
}
"""

# The figures of the claims about edges leaving ?s (a neighbourhood scopes ?s).
QUANTITIES_QUERY = """
SELECT ?claim ?q ?what ?value ?min ?max ?unit WHERE {
  ?claim rdf:subject ?s ; kg:quantity ?q .
  ?q schema:name ?what ; schema:unitText ?unit .
  OPTIONAL { ?q schema:value ?value }
  OPTIONAL { ?q schema:minValue ?min }
  OPTIONAL { ?q schema:maxValue ?max }
}
"""

DATASETS_QUERY = """
SELECT DISTINCT ?dataset WHERE { ?thread a kg:Thread ; kg:dataset ?dataset }
"""

MENTIONS_QUERY = """
SELECT ?actor ?dataset ?post WHERE {
  ?postNode kg:mentions ?actor ; schema:position ?post .
  OPTIONAL { ?postNode kg:dataset ?dataset }
}
"""

RELATIONS_QUERY = """
SELECT ?p ?label ?lang ?family WHERE {
  ?p rdfs:subPropertyOf kg:relation .
  OPTIONAL { ?p rdfs:label ?label BIND(LANG(?label) AS ?lang) }
  OPTIONAL { ?p kg:family ?f BIND(STRAFTER(STR(?f), "#family-") AS ?family) }
}
"""


@dataclass
class ActorInfo:
    """An actor: ``id``, ``type`` (person, country, ...), English ``label``, ``labels`` by
    language, ``aliases``, ``description``, ``wikidata`` id, the posts it is
    ``mentioned_in``, and ``background`` known from outside the thread (with its source)."""

    id: str
    type: str
    label: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    wikidata: str = ""
    mentioned_in: list[dict] = field(default_factory=list)  # [{"dataset": ..., "post": n}]
    background: list[dict] = field(default_factory=list)  # [{"text": ..., "source": ...}], not from the thread

    @property
    def iri(self) -> str:
        from ..rdf.iris import actor_iri

        return self.id if "://" in self.id else str(actor_iri(self.id))


@dataclass
class Evidence:
    """One claim behind an edge: its ``post``, verbatim ``quote``, who it is ``asserted_by``
    and with which ``modality``, and its caveats (``note``, :attr:`time`, ``quantities``)."""

    claim: str
    post: int
    quote: str
    asserted_by: str
    asserted_by_id: str
    modality: str
    dataset: str = ""
    when: str = ""
    period: str = ""
    note: str = ""
    start: str = ""
    until: str = ""
    quantities: list[dict] = field(default_factory=list)  # [{"what", "value", "min", "max", "unit"}]

    @property
    def stated(self) -> bool:
        """True unless the claim is only speculated or attributed to others."""
        return self.modality not in ("speculated", "reported")

    @property
    def time(self) -> dict | None:
        """The time the claim refers to: those of ``when``, ``from``, ``until``, ``period`` given, or None."""
        given = {"when": self.when, "from": self.start, "until": self.until, "period": self.period}
        return {k: v for k, v in given.items() if v} or None


@dataclass
class Edge:
    """A relation between two actors (ids), in its ``family``, with every piece of ``evidence`` for it."""

    source: str
    target: str
    relation: str
    label: str
    label_de: str
    family: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def stated(self) -> bool:
        return any(e.stated for e in self.evidence) or not self.evidence


@dataclass
class Projection:
    """The actor network: ``actors`` by id, the ``edges`` between them, and the store's ``datasets``.

    Examples
    --------
    >>> from kgraph import load_projection
    >>> net = load_projection()
    >>> edge = next(e for e in net.edges if (e.source, e.relation) == ("masimov", "loyalTo"))
    >>> edge.target, edge.evidence[0].post
    ('nazarbayev', 16)
    >>> net.degree()["masimov"] == net.to_networkx().degree("masimov")
    True
    """

    actors: Mapping[str, ActorInfo]  # a dict, or an index's mapping that reads each actor when asked
    edges: list[Edge]
    datasets: list[str] = field(default_factory=list)  # every dataset of the store, not only those shown

    def to_networkx(self, *, directed: bool = False):
        """A networkx MultiGraph (or MultiDiGraph) of actors and edges.

        Node attributes: ``label``, ``type``; edge attributes: ``relation``,
        ``label``, ``family``, ``evidence`` (list of :class:`Evidence`), and
        ``key`` = relation id.
        """
        import networkx as nx

        g = nx.MultiDiGraph() if directed else nx.MultiGraph()
        for actor in self.actors.values():
            g.add_node(actor.id, label=actor.label, type=actor.type)
        for edge in self.edges:
            g.add_edge(edge.source, edge.target, key=edge.relation, relation=edge.relation, label=edge.label,
                       family=edge.family, evidence=edge.evidence, source=edge.source, target=edge.target)
        return g

    def complete(self, edges) -> None:
        """Give ``edges`` (of this projection) their full evidence before it is shown: every
        projection has it already; one read from an index (:mod:`kgraph.network.actorindex`) fetches it."""

    def claims(self, edges) -> None:
        """Give ``edges`` (of this projection) their claims before paths are ranked by them: every
        projection has them; a remote neighbourhood fetched without them
        (:func:`~kgraph.network.neighbourhood.fetch_light_neighbourhood`) fetches them."""

    def degree(self) -> dict[str, int]:
        """Actor id to its number of relations, either direction."""
        counts = dict.fromkeys(self.actors, 0)
        for edge in self.edges:
            counts[edge.source] = counts.get(edge.source, 0) + 1
            counts[edge.target] = counts.get(edge.target, 0) + 1
        return counts

    def to_json(self) -> str:
        return json.dumps({"actors": [asdict(a) for a in self.actors.values()],
                           "edges": [asdict(e) for e in self.edges], "datasets": self.datasets},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Projection:
        data = json.loads(text)
        for actor in data["actors"]:
            # The cache sorts keys; a fresh fetch gives text, then source: one order either way.
            actor["background"] = [{"text": b["text"], "source": b["source"]} for b in actor["background"]]
        actors = {a["id"]: ActorInfo(**a) for a in data["actors"]}
        edges = []
        for e in data["edges"]:
            e["evidence"] = [Evidence(**ev) for ev in e["evidence"]]
            edges.append(Edge(**e))
        return cls(actors, edges, data["datasets"])


def _text(term) -> str:
    return "" if term is None else str(term)


def fetch_actors(store) -> dict[str, ActorInfo]:
    """Every actor with its names, description, Wikidata id and mentions (no edges)."""
    actors: dict[str, ActorInfo] = {}
    backgrounds: dict[str, dict[str, dict]] = {}
    for iri, kind, label, lang, alias, description, wikidata, background, text, source in \
            store.query(ACTORS_QUERY).rows:
        aid = local_id(iri)
        actor = actors.setdefault(aid, ActorInfo(id=aid, type=str(kind), label=aid))
        if label is not None:
            actor.labels[_text(lang) or "und"] = str(label)
        if alias is not None and str(alias) not in actor.aliases:
            actor.aliases.append(str(alias))
        if description is not None:
            actor.description = str(description)
        if wikidata is not None:
            actor.wikidata = str(wikidata).rsplit("/", 1)[-1]
        if background is not None:
            backgrounds.setdefault(aid, {})[str(background)] = {"text": str(text), "source": str(source)}
    for iri, dataset, post in store.query(MENTIONS_QUERY).rows:
        actor = actors.get(local_id(iri))
        if actor is not None:
            actor.mentioned_in.append({"dataset": _text(dataset), "post": int(post.toPython())})
    for actor in actors.values():
        actor.mentioned_in.sort(key=lambda m: (m["dataset"], m["post"]))
        _named(actor)
        items = backgrounds.get(actor.id, {})
        actor.background = [items[k] for k in sorted(items, key=_numbered)]
    return actors


def _named(actor: ActorInfo) -> None:
    """Put the names as fetched in order, and choose the label."""
    actor.label = actor.labels.get("en") or next(iter(sorted(actor.labels.values())), actor.id)
    actor.aliases.sort()
    actor.labels = dict(sorted(actor.labels.items()))


def fetch_names(store) -> dict[str, ActorInfo]:
    """Every actor with its id, type, labels and aliases only: what a
    :class:`~kgraph.network.names.NameIndex` needs, without the rest of :func:`fetch_actors`."""
    return names_of_rows(*store.strings_many(NAMES_QUERIES))


def names_of_rows(types, labels, aliases) -> dict[str, ActorInfo]:
    """:func:`fetch_names`' actors from the rows (plain strings) of each of :data:`NAMES_QUERIES`."""
    kinds: dict[str, str] = {}
    for iri, kind in types:
        kinds.setdefault(iri, kind or "")
    by_iri: dict[str, ActorInfo] = {}

    def named(iri: str) -> ActorInfo | None:
        actor = by_iri.get(iri)
        if actor is None and iri in kinds:  # else a label of a relation, a post, the ontology
            aid = local_id(iri)
            actor = by_iri[iri] = ActorInfo(id=aid, type=kinds[iri], label=aid)
        return actor

    for iri, label, lang in labels:
        if label is not None and (actor := named(iri)) is not None:
            actor.labels[lang or "und"] = label
    for iri, alias in aliases:
        if alias is not None and (actor := named(iri)) is not None and alias not in actor.aliases:
            actor.aliases.append(alias)
    actors = {actor.id: actor for actor in by_iri.values()}
    for actor in actors.values():
        _named(actor)
    return actors


def _numbered(iri: str) -> tuple:
    """Sort key putting ``.../background-2`` before ``.../background-10``."""
    head, _, number = iri.rpartition("-")
    return (head, int(number)) if number.isdigit() else (iri, 0)


def cached_actors(store) -> dict[str, ActorInfo]:
    """:func:`fetch_actors`, kept on disk for a store with a ``fingerprint()``.

    On 1M triples the fetch takes seconds and every ``kgraph path`` or
    ``show`` on the store needs it to resolve names.
    """
    key = store.fingerprint()
    if key is None:
        return fetch_actors(store)
    return _through_cache(
        "actors", hashlib.sha256((CACHE_VERSION + key).encode()).hexdigest(),
        decode=lambda text: {a["id"]: ActorInfo(**a) for a in json.loads(text)},
        compute=lambda: fetch_actors(store),
        encode=lambda actors: json.dumps([asdict(a) for a in actors.values()], ensure_ascii=False))


def _number(term):
    value = term.toPython()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _quantities(store) -> dict[str, list[dict]]:
    """The figures of each claim IRI, in the order the data gives them."""
    found: dict[str, list[tuple]] = {}
    for claim, q, what, value, low, high, unit in store.query(QUANTITIES_QUERY).rows:
        found.setdefault(str(claim), []).append((str(q), {
            "what": str(what), "value": _number(value) if value is not None else None,
            "min": _number(low) if low is not None else None, "max": _number(high) if high is not None else None,
            "unit": str(unit)}))
    # Quantity IRIs end in -q1, -q2, ...: the shorter IRI comes first so q10 follows q9.
    return {claim: [q for _, q in sorted(rows, key=lambda r: (len(r[0]), r[0]))] for claim, rows in found.items()}


def relations_of(rows) -> dict[str, dict]:
    """Relation IRI -> its ``labels`` by language and its ``family``, from the rows of :data:`RELATIONS_QUERY`."""
    relations: dict[str, dict] = {}
    for p, label, lang, family in rows:
        rel = relations.setdefault(str(p), {"labels": {}, "family": _text(family) or "other"})
        if label is not None:
            rel["labels"][_text(lang)] = str(label)
    return relations


def new_edge(source: str, target: str, predicate: str, relations: dict[str, dict]) -> Edge:
    """The :class:`Edge` (no evidence yet) of relation IRI ``predicate`` between two actor ids."""
    rid = predicate.rsplit("#", 1)[-1]
    rel = relations.get(predicate, {"labels": {}, "family": "other"})
    labels = rel["labels"]
    return Edge(source, target, rid, labels.get("en", rid), labels.get("de", labels.get("en", rid)), rel["family"])


def fetch_projection(store, *, actors: dict[str, ActorInfo] | None = None) -> Projection:
    """Build the projection from ``store`` with six SPARQL queries.

    ``actors``, already fetched from the same store, saves the first query.
    """
    actors = fetch_actors(store) if actors is None else actors
    relations = relations_of(store.query(RELATIONS_QUERY).rows)
    edges: dict[tuple, Edge] = {}
    quantities = _quantities(store)
    for s, p, o, claim, claim_id, post, quote, by, modality, dataset, when, start, until, period, note in \
            store.query(EDGES_QUERY).rows:
        source, target = local_id(s), local_id(o)
        if source not in actors or target not in actors:
            continue
        key = (source, str(p).rsplit("#", 1)[-1], target)
        edge = edges.get(key)
        if edge is None:
            edge = edges[key] = new_edge(source, target, str(p), relations)
        if claim is not None:
            by_id = local_id(by) if by is not None else ""
            by_label = actors[by_id].label if by_id in actors else by_id
            edge.evidence.append(Evidence(
                claim=_text(claim_id) or str(claim), post=int(post.toPython()), quote=str(quote),
                asserted_by=by_label, asserted_by_id=by_id, modality=str(modality).rsplit("#", 1)[-1],
                dataset=_text(dataset), when=_text(when), period=_text(period), note=_text(note),
                start=_text(start), until=_text(until), quantities=list(quantities.get(str(claim), []))))
    for edge in edges.values():
        edge.evidence.sort(key=lambda e: (e.dataset, e.post, e.claim))
    ordered = [edges[k] for k in sorted(edges)]
    datasets = sorted(str(row[0]) for row in store.query(DATASETS_QUERY).rows)
    return Projection(dict(sorted(actors.items())), ordered, datasets)


def _cache_dir() -> Path:
    base = os.environ.get("KGRAPH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kgraph")
    return Path(base)


#: cached files of each kind kept, the most recently used first
KEEP_CACHED = 4


def _through_cache(kind: str, key: str, *, decode, compute, encode):
    """``decode`` of the cached ``kind`` file for ``key``, or ``compute()``, then cached.

    Only the most recently used files of a kind are kept: each new graph
    or store leaves one behind otherwise.
    """
    cache = _cache_dir() / f"{kind}-{key}.json"
    try:
        value = decode(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        pass
    else:
        with contextlib.suppress(OSError):
            os.utime(cache)  # recently used: kept when older files are dropped
        return value
    value = compute()
    try:
        from ..util.atomic import write_atomic

        write_atomic(cache, encode(value).encode("utf-8"))
        prune_cache(cache.parent, f"{kind}-*.json")
    except OSError:
        pass  # a read-only home only costs speed
    return value


def prune_cache(folder: Path, pattern: str) -> None:
    """Remove all but the :data:`KEEP_CACHED` most recently used files of ``pattern`` in ``folder``."""
    older = sorted(folder.glob(pattern), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in older[KEEP_CACHED:]:
        stale.unlink(missing_ok=True)


def _files_key(files) -> str:
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()


def load_projection(store_spec: str = "memory", *, graph_dir: Path | str = "graph", store=None) -> Projection:
    """The projection of the graph behind ``store_spec`` (cached for ``memory``).

    Parameters
    ----------
    store_spec : str
        As for :func:`kgraph.stores.open_store`.
    graph_dir : path
        The built graph a ``memory`` or ``rdflib`` spec reads.
    store : Store, optional
        An open store to reuse; otherwise one is opened from the spec.

    Returns
    -------
    Projection
        The actors and the actor-to-actor edges, each with its evidence.

    Examples
    --------
    >>> from kgraph import load_projection
    >>> net = load_projection()
    >>> net.actors["tokayev"].label
    'Kassym-Jomart Tokayev'
    >>> "nazarbayev" in net.to_networkx().neighbors("masimov")
    True
    """
    if store is None and store_spec in ("memory", "rdflib"):
        from ..stores import graph_files, open_store

        return _through_cache(
            "projection", _files_key(graph_files(graph_dir)), decode=Projection.from_json,
            compute=lambda: fetch_projection(open_store(store_spec, graph_dir=graph_dir)),
            encode=Projection.to_json)
    if store is None:
        from ..stores import open_store

        store = open_store(store_spec, graph_dir=graph_dir)
    return fetch_projection(store)
