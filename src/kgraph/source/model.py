"""The source data as plain objects: a dataset's thread, posts, actors, claims.

:mod:`kgraph.source.reading` reads them from ``data/``; :mod:`kgraph.rdf.mapping` turns
them into RDF. Every object keeps the file and line it came from, so a check
can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Where", "Post", "Background", "Actor", "Quantity", "Claim", "Dataset", "ACTOR_TYPES", "MODALITIES",
           "ASSERTED", "FAMILIES"]

# data type id -> ontology class name
ACTOR_TYPES: dict[str, str] = {
    "person": "Person",
    "organisation": "Organisation",
    "state-body": "StateBody",
    "security-body": "SecurityBody",
    "alliance": "Alliance",
    "company": "Company",
    "country": "Country",
    "city": "City",
    "place": "Place",
    "group": "Group",
    "event": "Event",
}

MODALITIES = ("stated", "assessed", "speculated", "reported")
# The modalities in which the asserter vouches for a claim. Only these put a
# direct triple in the graph: conjecture and hearsay stay statement nodes.
ASSERTED = ("stated", "assessed")

# Relation families (kg:family in ontology/kgraph.ttl), for filtering by kind.
FAMILIES = ("cooperation", "hostility", "membership", "kinship", "location",
            "participation", "economic", "symbolic")


@dataclass(frozen=True)
class Where:
    """A record's file and first line, and where each of its fields is written."""

    file: str
    line: int
    fields: dict[str, Where] = field(default_factory=dict, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def of(self, key: str) -> Where:
        """Where the field ``key`` is written (the record's line if it is not written)."""
        return self.fields.get(key, self)


@dataclass
class Post:
    number: int
    text: str
    where: Where
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # actor ids named in the post
    links: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Background:
    """Outside knowledge about an actor, kept apart from what the thread says."""

    text: str
    source: str


@dataclass
class Actor:
    id: str
    type: str
    labels: dict[str, str]
    where: Where
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    description: str | None = None
    background: list[Background] = field(default_factory=list)


@dataclass
class Quantity:
    what: str
    unit: str
    value: float | None = None
    min: float | None = None
    max: float | None = None


@dataclass
class Claim:
    id: str
    subject: str
    relation: str
    object: str
    post: int
    quote: str
    modality: str
    asserted_by: str
    where: Where
    when: str | None = None
    start: str | None = None
    until: str | None = None
    period: str | None = None
    note: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    #: the line of the ``modality:`` field, where a warning about the modality points
    modality_line: int | None = None


@dataclass
class Dataset:
    """One thread with its posts, actors and claims."""

    name: str
    title: dict[str, str]
    author: str
    date: str
    language: str
    where: Where
    declared_posts: int | None = None
    source: str | None = None
    posts: list[Post] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def post(self, number: int) -> Post | None:
        return next((p for p in self.posts if p.number == number), None)
