"""An index of the actor network kept beside an on-disk store, so big graphs answer fast.

On a store of millions of triples, resolving a name needs every actor's
names folded (seconds), and finding a path through SPARQL fetches the
neighbourhood row by row (seconds more). The index keeps both, computed once:

- every actor (its :class:`~kgraph.network.projection.ActorInfo`, its label and its
  number of relations) and the folded, skeleton and surname keys of its
  names, exactly as :class:`~kgraph.network.names.NameIndex` computes them;
- the actor network: each edge (source, relation, target, in the
  projection's order) and each claim behind it with its post, modality,
  dataset and IRI, enough to filter and rank paths without SPARQL.

It is one SQLite file (measured against a memory-mapped binary adjacency,
see ``bench/bench_index.py``: both open in well under a millisecond, and
SQLite's B-tree lookups by key need no loading at all), written whole to a
temporary file and renamed, and it records the store's
:meth:`~kgraph.stores.base.Store.fingerprint`. :func:`open_index` rebuilds
it when it is missing, unreadable, of another version or of other data.
``kgraph load`` builds it after every load.

:meth:`ActorIndex.neighbourhood` answers what
:func:`kgraph.network.neighbourhood.fetch_neighbourhood` answers, with each claim's
quote, asserter and caveats left to fetch: :meth:`Neighbourhood.complete`
asks the store for those of the edges a command shows, and no others.

>>> from kgraph.stores import open_store
>>> index = open_index(open_store("oxigraph:kz.oxigraph"))                # doctest: +SKIP
>>> tokayev = index.names().match("Toqajev").actor                          # doctest: +SKIP
>>> near = index.neighbourhood([tokayev.id], 1)                             # doctest: +SKIP
>>> near.complete(near.edges)                                               # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from ..errors import StoreError, UnknownActor
from ..rdf.namespaces import PREFIXES, local_id
from ..util.gcpause import gc_paused
from ..util.steps import step
from .names import FOLDED, FUZZY_MIN_LENGTH, SKELETON, SURNAME, NameIndex
from .pending import Neighbourhood, PendingEvidence
from .projection import ActorInfo, Edge, _numbered
from .stored_answers import run_answers, write_answers

__all__ = ["ActorIndex", "Neighbourhood", "open_index", "existing_index", "build_index", "index_path",
           "INDEX_VERSION"]

INDEX_VERSION = "3"  # 3: the named queries' answers (stored_answers)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE actors(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT NOT NULL, degree INTEGER NOT NULL,
                    info TEXT NOT NULL);
CREATE TABLE names(kind INTEGER NOT NULL, key TEXT NOT NULL, actor INTEGER NOT NULL);
CREATE TABLE relations(n INTEGER PRIMARY KEY, id TEXT NOT NULL, label TEXT NOT NULL, label_de TEXT NOT NULL,
                       family TEXT NOT NULL);
CREATE TABLE edges(n INTEGER PRIMARY KEY, source INTEGER NOT NULL, target INTEGER NOT NULL,
                   relation INTEGER NOT NULL);
CREATE TABLE claims(edge INTEGER NOT NULL, seq INTEGER NOT NULL, iri TEXT NOT NULL, claim TEXT NOT NULL,
                    post INTEGER NOT NULL, modality TEXT NOT NULL, dataset TEXT NOT NULL, PRIMARY KEY (edge, seq))
                    WITHOUT ROWID;
"""
# Indexes are made after the rows are in: one sort instead of a B-tree insert per row.
_INDEXES = """
CREATE INDEX names_key ON names(kind, key, actor);
CREATE INDEX edges_source ON edges(source, target);
CREATE INDEX edges_target ON edges(target, source);
"""

def index_path(store) -> Path | None:
    """Where the index of ``store`` lives: beside an on-disk store (``PATH.kgindex``), else None."""
    where = getattr(store, "path", None)
    return None if where is None else Path(f"{where}.kgindex")


# -- building --------------------------------------------------------------------------------------

# A TSV field's escapes (SPARQL 1.1 Query Results TSV, as Oxigraph writes them).
_TSV_ESCAPE = re.compile(r'\\[tnr"\\]')
_TSV_UNESCAPE = {"\\t": "\t", "\\n": "\n", "\\r": "\r", '\\"': '"', "\\\\": "\\"}


def _tsv_value(field: str) -> str:
    """The value of a term written as a TSV field: an IRI's, a blank node's label, a literal's lexical form."""
    head = field[:1]
    if head == "<":
        return field[1:-1]
    if head == '"':
        # The closing quote is the last one: a language tag or datatype IRI holds none.
        value = field[1:field.rindex('"')]
        return _TSV_ESCAPE.sub(lambda m: _TSV_UNESCAPE[m.group()], value) if "\\" in value else value
    if head == "_":
        return field[2:]
    return field  # a number or boolean written bare: its lexical form


def _tsv_language(field: str) -> str | None:
    """The language tag of a term written as a TSV field, None if it has none."""
    if field[:1] != '"':
        return None
    tag = field[field.rindex('"') + 1:]
    return tag[1:] if tag[:1] == "@" else None


class _Quads:
    """The objects of one predicate per subject, read straight from an Oxigraph store.

    At a million triples the SPARQL queries behind the projection took a
    minute to build the index; reading the dozen predicates it needs takes seconds.
    Each predicate's triples are read as one query's answer serialized as TSV and split
    here: a pyoxigraph term per subject and object cost more than Oxigraph's own reading
    (1.5 to 2x the time at 1M). Objects are kept as plain strings, and each predicate's table
    is dropped (:meth:`forget`) when its last reader is done: kept to the end, the tables set
    much of the build's peak memory.
    """

    def __init__(self, store):
        import pyoxigraph as ox

        self.ox, self.store, self.read = ox, store.store, {}
        # The default graph holds the union of the named graphs (kgraph load fills it); reading
        # every graph would meet each triple twice. It is what a query reads by default.
        self.union = ox.DefaultGraph()

    @staticmethod
    def iri(prefixed: str) -> str:
        prefix, _, name = prefixed.partition(":")
        return PREFIXES[prefix] + name

    def rows(self, predicate: str, obj: str | None = None) -> list[list[str]]:
        """[subject, object] of each triple of ``predicate`` (an IRI; with ``obj``, an IRI, [subject] of
        those with that object) as TSV fields, in the store's order (that of ``quads_for_pattern``)."""
        where = "?o" if obj is None else f"<{obj}>"
        answer = self.store.query(f"SELECT ?s {'?o' if obj is None else ''} WHERE {{ ?s <{predicate}> {where} }}")
        lines = answer.serialize(format=self.ox.QueryResultsFormat.TSV).decode().split("\n")
        # Not splitlines: a literal may hold U+2028 and the like unescaped; TSV escapes only \n and \r.
        return [line.split("\t") for line in lines[1:-1]]

    def pairs(self, prefixed: str):
        return ((_tsv_value(s), _tsv_value(o)) for s, o in self.rows(self.iri(prefixed)))

    def values(self, prefixed: str) -> dict[str, list[str]]:
        """Subject -> the values of its objects, in the store's order."""
        if prefixed not in self.read:
            found: dict[str, list[str]] = {}
            for s, o in self.rows(self.iri(prefixed)):
                found.setdefault(_tsv_value(s), []).append(_tsv_value(o))
            self.read[prefixed] = found
        return self.read[prefixed]

    def languages(self, prefixed: str) -> dict[str, list[tuple[str | None, str]]]:
        """Subject -> (language, value) of each of its literals, in the store's order; not kept."""
        found: dict[str, list[tuple[str | None, str]]] = {}
        for s, o in self.rows(self.iri(prefixed)):
            found.setdefault(_tsv_value(s), []).append((_tsv_language(o), _tsv_value(o)))
        return found

    def objects(self, subject: str, prefixed: str) -> list:
        """The objects (terms) of one subject, in the order :meth:`values` gives them."""
        predicate = self.ox.NamedNode(self.iri(prefixed))
        return [q.object for q in self.store.quads_for_pattern(self.ox.NamedNode(subject), predicate, None, self.union)]

    def counts(self, prefixed: str) -> Counter[str]:
        """Subject -> how many objects it has; not kept."""
        return Counter(_tsv_value(s) for s, _ in self.rows(self.iri(prefixed)))

    def forget(self, *prefixed: str) -> None:
        for name in prefixed:
            self.read.pop(name, None)

    def subjects(self, prefixed: str, obj: str) -> list[str]:
        return [_tsv_value(s) for s, in self.rows(self.iri(prefixed), obj)]


def _read_actors(quads: _Quads) -> dict[str, ActorInfo]:
    """:func:`~kgraph.network.projection.fetch_actors`, read from the quads."""
    kinds = quads.values("kg:actorType")
    labels = quads.languages("rdfs:label")
    aliases, descriptions, wikidata, backgrounds = (quads.values(p) for p in (
        "skos:altLabel", "schema:description", "owl:sameAs", "kg:background"))
    texts, sources = quads.values("rdf:value"), quads.values("dcterms:source")
    actors: dict[str, ActorInfo] = {}
    for iri, types in kinds.items():
        items = {b: {"text": texts[b][-1], "source": sources[b][-1]}
                 for b in backgrounds.get(iri, ()) if b in texts and b in sources}
        if not (iri in labels or iri in aliases or iri in descriptions or iri in wikidata or items):
            continue  # the projection's actors have at least one of these
        aid = local_id(iri)
        actor = ActorInfo(id=aid, type=types[0], label=aid)
        actor.labels = dict(sorted({(language or "und"): value for language, value in labels.get(iri, ())}.items()))
        actor.aliases = sorted(set(aliases.get(iri, ())))
        actor.description = descriptions[iri][-1] if iri in descriptions else ""
        actor.wikidata = wikidata[iri][-1].rsplit("/", 1)[-1] if iri in wikidata else ""
        actor.background = [items[k] for k in sorted(items, key=_numbered)]
        actor.label = actor.labels.get("en") or next(iter(sorted(actor.labels.values())), actor.id)
        actors[aid] = actor
    del labels
    quads.forget("kg:actorType", "skos:altLabel", "schema:description", "owl:sameAs", "kg:background", "rdf:value",
                 "dcterms:source")
    positions, datasets = quads.values("schema:position"), quads.values("kg:dataset")
    for post, mentioned in quads.pairs("kg:mentions"):
        actor = actors.get(local_id(mentioned))
        for position in positions.get(post, ()) if actor is not None else ():
            for dataset in datasets.get(post, [""]):
                actor.mentioned_in.append({"dataset": dataset, "post": int(position)})
    for actor in actors.values():
        actor.mentioned_in.sort(key=lambda m: (m["dataset"], m["post"]))
    return actors


def _read_network(quads: _Quads, actors: Mapping[str, object]):
    """Relations, and the edges as the projection sorts them, each with its claims (without quotes):
    the answer of :data:`~kgraph.network.projection.EDGES_QUERY`, read from the quads.
    ``actors``: the ids of the actors (only membership is asked)."""
    relations = {p: {} for p in quads.subjects("rdfs:subPropertyOf", PREFIXES["kg"] + "relation")}
    for p, rel in relations.items():
        rel["labels"] = {(term.language or ""): term.value for term in quads.objects(p, "rdfs:label")}
        family = (quads.objects(p, "kg:family") or [None])[-1]
        rel["family"] = family.value.partition("#family-")[2] if family is not None else ""
        rel["family"] = rel["family"] or "other"
    edges: dict[tuple, list] = {}

    def edge(s: str, p: str, o: str):
        source, target = local_id(s), local_id(o)
        if source in actors and target in actors:
            return edges.setdefault((source, p.rsplit("#", 1)[-1], target), [p, []])[1]
        return None

    for p in relations:
        for s, o in quads.rows(p):
            edge(_tsv_value(s), p, _tsv_value(o))
    fields = {name: quads.values(name) for name in (
        "rdf:predicate", "rdf:object", "prov:wasDerivedFrom", "kg:modality", "schema:position", "kg:claimId",
        "kg:dataset")}
    # Of the quotes and the caveats only their number counts here: the rows they multiply.
    quotes = quads.counts("kg:quote")
    optional = [quads.counts(name) for name in (
        "prov:wasAttributedTo", "dcterms:temporal", "schema:startDate", "schema:endDate", "kg:period", "kg:note")]
    for claim, subject in quads.pairs("rdf:subject"):
        get = lambda name, claim=claim: fields[name].get(claim, ())  # noqa: E731
        posts = [position for node in get("prov:wasDerivedFrom")
                 for position in fields["schema:position"].get(node, ())]
        # One row per solution of the query, as many as the product of the values of its patterns.
        repeat = quotes.get(claim, 0) * math.prod(max(1, counts.get(claim, 0)) for counts in optional)
        for p in get("rdf:predicate"):
            if p not in relations:
                continue
            for o in get("rdf:object"):
                found = edge(subject, p, o)
                if found is None:
                    continue
                for post, modality, claim_id, dataset in itertools.product(
                        posts, get("kg:modality"), get("kg:claimId") or [claim], get("kg:dataset") or [""]):
                    found.extend([(dataset, int(post), claim_id, claim, modality.rsplit("#", 1)[-1])] * repeat)
    quads.forget(*fields)
    for found in edges.values():
        found[1].sort(key=lambda c: c[:3])  # the projection's evidence order: dataset, post, claim
    return relations, [(key, *edges[key]) for key in sorted(edges)]


def build_index(store, target: Path | str | None = None, *, answers: bool = False,
                steps: dict[str, float] | None = None) -> Path:
    """Write the index of ``store`` to ``target`` (default :func:`index_path`) and return its path.

    ``answers``: also run every named query and keep its rows (``kgraph load`` does; seconds at a
    million triples, minutes at ten). The file is written beside ``target`` and renamed over it
    when complete. ``steps``: a dict to add the seconds of each step to (see ``bench/bench_load.py``).
    """
    from ..util.atomic import atomic_path

    target = Path(target) if target is not None else index_path(store)
    if target is None:
        raise ValueError(f"{store.description}: no place for an index; pass target")
    fingerprint = store.fingerprint() or ""
    pending = run_answers(store, steps) if answers else None
    quads = _Quads(store)
    with atomic_path(target) as tmp:
        db = new_tables(tmp)
        try:
            # Each part is written and let go before the next is read: at ten million triples
            # holding the actors, their names and the network at once set the load's peak memory.
            # Millions of objects without cycles: the collector would walk them again and again
            # (a fifth of the time at 1M).
            with gc_paused():
                with step(steps, "index: read actors"):
                    actors = _read_actors(quads)
                    datasets = sorted({d for thread in quads.subjects("rdf:type", PREFIXES["kg"] + "Thread")
                                       for d in quads.values("kg:dataset").get(thread, ())})
                numbers = {aid: n for n, aid in enumerate(sorted(actors))}
                with step(steps, "index: write names"):
                    _write_names(db, actors, numbers)
                # The network asks only which ids are actors; each actor's row waits for its degree.
                records = {aid: (actor.label, json.dumps(vars(actor), ensure_ascii=False))
                           for aid, actor in ((aid, actors.pop(aid)) for aid in sorted(actors))}
                with step(steps, "index: read network"):
                    relations, edges = _read_network(quads, records)
            degree = dict.fromkeys(records, 0)
            for (source, _, target_id), _, _ in edges:
                degree[source] += 1
                degree[target_id] += 1
            db.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?)", (
                (numbers[aid], aid, label, degree[aid], info) for aid, (label, info) in records.items()))
            count = len(records)
            del records, degree
            rel_numbers = {rid: n for n, rid in enumerate(sorted({rid for (_, rid, _), _, _ in edges}))}
            by_id = {iri.rsplit("#", 1)[-1]: rel for iri, rel in relations.items()}
            db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?)", (
                (n, rid, (labels := by_id.get(rid, {"labels": {}})["labels"]).get("en", rid),
                 labels.get("de", labels.get("en", rid)), by_id.get(rid, {}).get("family", "other"))
                for rid, n in rel_numbers.items()))
            db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", (
                (n, numbers[source], numbers[target_id], rel_numbers[rid])
                for n, ((source, rid, target_id), _, _) in enumerate(edges)))
            db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)", (
                (n, seq, iri, claim, post, modality, dataset)
                for n, (_, _, claims) in enumerate(edges)
                for seq, (dataset, post, claim, iri, modality) in enumerate(claims)))
            db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("version", INDEX_VERSION), ("fingerprint", fingerprint), ("datasets", json.dumps(datasets)),
                ("actors", str(count)), ("edges", str(len(edges)))])
            del edges, numbers
            with step(steps, "index: wait for the named queries"):
                found = [] if pending is None else pending.result()
            write_answers(db, found)
            db.execute("COMMIT")
            with step(steps, "index: sqlite indexes"):
                db.executescript(_INDEXES)
        finally:
            db.close()
    return target


def new_tables(path) -> sqlite3.Connection:
    """A connection to a new file at ``path`` with the index's tables, in a transaction: written
    whole before it is renamed into place, so neither a journal nor syncing buys anything."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(_SCHEMA)
    db.execute("BEGIN")
    return db


def _write_names(db, actors: dict[str, ActorInfo], numbers: dict[str, int]) -> None:
    """The names table as :class:`NameIndex` groups it (by kind, then each key where first met, then
    actor), without holding the index: each actor's keys go to a scratch table, sorted by SQLite."""
    db.execute("CREATE TEMP TABLE met(kind INTEGER NOT NULL, key TEXT NOT NULL, actor INTEGER NOT NULL)")
    db.executemany("INSERT INTO temp.met VALUES (?, ?, ?)", (
        (kind, key, numbers[aid]) for aid, actor in actors.items() for kind, key in NameIndex.keys_of(actor)))
    db.execute("INSERT INTO names SELECT kind, key, actor FROM (SELECT DISTINCT kind, key, actor, "
               "MIN(rowid) OVER (PARTITION BY kind, key) AS first FROM temp.met) ORDER BY kind, first, actor")
    db.execute("DROP TABLE temp.met")


# -- reading ---------------------------------------------------------------------------------------

class _Stale(Exception):
    """The index file is not one to trust."""


class _Actors(Mapping):
    """Actor id -> :class:`ActorInfo`, read from the index when asked."""

    def __init__(self, db: sqlite3.Connection):
        self.db, self.read = db, {}

    def __getitem__(self, aid):
        if aid not in self.read:
            row = self.db.execute("SELECT info FROM actors WHERE id = ?", (aid,)).fetchone() \
                if isinstance(aid, str) else None
            if row is None:
                raise KeyError(aid)
            self.read[aid] = ActorInfo(**json.loads(row[0]))
        return self.read[aid]

    def __iter__(self):
        return (row[0] for row in self.db.execute("SELECT id FROM actors ORDER BY n"))

    def __len__(self):
        return self.db.execute("SELECT COUNT(*) FROM actors").fetchone()[0]


class _Records(Mapping):
    """Actor id -> :class:`ActorInfo` of the rows given, each decoded when first asked for: a path
    through a hub reads tens of thousands of actors (at 10M triples decoding them all took a
    third of a second) and prints a handful."""

    def __init__(self, rows):
        self.raw, self.read = dict(rows), {}

    def __getitem__(self, aid):
        if aid not in self.read:
            self.read[aid] = ActorInfo(**json.loads(self.raw[aid]))
        return self.read[aid]

    def __iter__(self):
        return iter(self.raw)

    def __len__(self):
        return len(self.raw)


class _Keys(Mapping):
    """A folded, skeleton or surname key -> the ids of the actors with a name of that key."""

    def __init__(self, db: sqlite3.Connection, kind: int):
        self.db, self.kind = db, kind

    def __getitem__(self, key):
        ids = {row[0] for row in self.db.execute(
            "SELECT a.id FROM names JOIN actors a ON a.n = names.actor WHERE kind = ? AND key = ?", (self.kind, key))}
        if not ids:
            raise KeyError(key)
        return ids

    def __iter__(self):
        return (row[0] for row in self.db.execute("SELECT DISTINCT key FROM names WHERE kind = ? ORDER BY key",
                                                  (self.kind,)))

    def __len__(self):
        return self.db.execute("SELECT COUNT(DISTINCT key) FROM names WHERE kind = ?", (self.kind,)).fetchone()[0]


class _StoredNames(NameIndex):
    """:class:`NameIndex` over the keys in the index: each lookup is a B-tree search, nothing is folded."""

    def __init__(self, db: sqlite3.Connection):  # not super().__init__: that folds every name again
        self.actors = _Actors(db)
        self._folded, self._skeleton, self._surname = (_Keys(db, kind) for kind in (FOLDED, SKELETON, SURNAME))
        self._db = db

    def close(self) -> None:
        # The index's own names share its connection, which it closes too: closing twice is harmless.
        self._db.close()

    @cached_property
    def _choices(self) -> list[str]:
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT key FROM names WHERE kind = ? AND length(key) >= ? ORDER BY key",
            (SKELETON, FUZZY_MIN_LENGTH - 1))]

    @cached_property
    def _word_sets(self):
        from .names import _skeleton_of_folded

        return [(frozenset(map(_skeleton_of_folded, folded.split())), actor_id, folded)
                for folded, actor_id in self._db.execute(
                    "SELECT DISTINCT key, a.id FROM names JOIN actors a ON a.n = names.actor WHERE kind = ? "
                    "ORDER BY key, a.id", (FOLDED,))]


def open_whole(path: Path) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only connection to the SQLite file at ``path`` and its ``meta`` table, the file checked
    whole: a cut or grown one raises :class:`sqlite3.DatabaseError` here, not in the middle of a command."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        page_size, pages = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count"))
        if Path(path).stat().st_size != page_size * pages:
            raise sqlite3.DatabaseError(f"{path}: not a whole file")
    except BaseException:
        db.close()
        raise
    return db, meta


class ActorIndex:
    """An open index file (see the module docstring); made by :func:`open_index`."""

    def __init__(self, path: Path | str, store=None):
        self.path, self.store = Path(path), store
        fingerprint = None if store is None else store.fingerprint()
        self.db = None
        try:
            self.db, meta = open_whole(self.path)
            if meta.get("version") != INDEX_VERSION:
                raise _Stale
            last = self.db.execute("SELECT (SELECT MAX(n) FROM actors), (SELECT MAX(n) FROM edges)").fetchone()
            if [-1 if n is None else n for n in last] != [int(meta["actors"]) - 1, int(meta["edges"]) - 1]:
                raise _Stale
            if fingerprint is not None and meta.get("fingerprint") != fingerprint:
                raise _Stale
            self.datasets: list[str] = json.loads(meta["datasets"])
        except (_Stale, sqlite3.DatabaseError, OSError, KeyError, TypeError, ValueError) as exc:
            # The server asks for an index at every named query: a stale one must not keep its file open.
            if self.db is not None:
                self.db.close()
            raise _Stale from exc

    def close(self) -> None:
        self.db.close()

    def names(self) -> NameIndex:
        """A :class:`~kgraph.network.names.NameIndex` of every actor, answering as one built from the store would."""
        return _StoredNames(self.db)

    def _numbers(self, ids) -> dict[str, int]:
        return dict(self.db.execute("SELECT id, n FROM actors WHERE id IN (SELECT value FROM json_each(?))",
                                    (json.dumps(sorted(ids)),)))

    def _ends(self, numbers, column: str):
        return self.db.execute(f"SELECT n, source, target FROM edges WHERE {column} IN "
                               f"(SELECT value FROM json_each(?))", (json.dumps(sorted(numbers)),))

    def neighbourhood(self, seeds: list[str], depth: int) -> Neighbourhood:
        """The actors within ``depth`` hops of ``seeds`` (ids) and the edges among them:
        :func:`kgraph.network.neighbourhood.fetch_neighbourhood`'s answer, evidence pending.

        Raises :class:`~kgraph.errors.UnknownActor` for a seed that is not an actor.
        """
        if depth < 0:
            raise ValueError(f"depth must be 0 or more, not {depth}")
        numbers = self._numbers(seeds)
        for seed in sorted(seeds):
            if seed not in numbers:
                raise UnknownActor(seed, [])
        seen, layer = set(numbers.values()), set(numbers.values())
        touching: dict[int, tuple[int, int]] = {}
        for hop in range(depth + 1):
            ends = set()
            for column in ("source", "target"):
                for n, source, target in self._ends(layer, column):
                    touching[n] = (source, target)
                    ends.update((source, target))
            if hop == depth:  # the edges of the last layer: those among its actors count
                break
            layer = ends - seen
            seen |= layer
            if not layer:
                break
        inside = sorted(n for n, (source, target) in touching.items() if source in seen and target in seen)
        return self._projection(seen, inside)

    def _projection(self, actor_numbers, edge_numbers) -> Neighbourhood:
        actors = _Records(self.db.execute(
            "SELECT id, info FROM actors WHERE n IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(sorted(actor_numbers)),)))
        claims: dict[int, list] = {}
        wanted = json.dumps(edge_numbers)
        for edge, iri, claim, post, modality, dataset in self.db.execute(
                "SELECT edge, iri, claim, post, modality, dataset FROM claims "
                "WHERE edge IN (SELECT value FROM json_each(?)) ORDER BY edge, seq", (wanted,)):
            claims.setdefault(edge, []).append(PendingEvidence(
                claim=claim, post=post, quote="", asserted_by="", asserted_by_id="", modality=modality,
                dataset=dataset, iri=iri))
        edges = [Edge(source, target, rid, label, label_de, family, claims.get(n, []))
                 for n, source, target, rid, label, label_de, family in self.db.execute(
                     "SELECT e.n, s.id, t.id, r.id, r.label, r.label_de, r.family FROM edges e "
                     "JOIN actors s ON s.n = e.source JOIN actors t ON t.n = e.target "
                     "JOIN relations r ON r.n = e.relation WHERE e.n IN (SELECT value FROM json_each(?)) "
                     "ORDER BY e.n", (wanted,))]
        near = Neighbourhood(actors, edges, list(self.datasets))
        near._store, near._labels = self.store, self.labels
        return near

    def degrees(self, actors) -> dict[str, int]:
        """The number of relations each of ``actors`` (ids) has in the whole network."""
        found = dict(self.db.execute("SELECT id, degree FROM actors WHERE id IN (SELECT value FROM json_each(?))",
                                     (json.dumps(sorted(actors)),)))
        return {aid: found.get(aid, 0) for aid in actors}

    def labels(self, actors) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, label FROM actors WHERE id IN (SELECT value FROM json_each(?))",
                                    (json.dumps(sorted(actors)),)))


def open_index(store, *, answers: bool = False) -> ActorIndex | None:
    """The index of ``store``, built first when missing, stale or unreadable; None for a store
    that cannot say when its data changed (a remote endpoint, a store in memory).

    ``answers``: a new index also keeps the named queries' answers (:func:`build_index`). A
    command that finds the index stale builds it without them: its user waits for a path, not
    for every report; the named queries then run live until the next ``kgraph load``."""
    found = existing_index(store)
    if found is not None or not (places := _places(store)):
        return found
    for place in places:
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
            build_index(store, place, answers=answers)
        except OSError:
            continue
        try:
            return ActorIndex(place, store)
        except _Stale:
            break
    raise StoreError(f"{store.description}: cannot write an index of its actors beside it or in the cache")


def existing_index(store) -> ActorIndex | None:
    """The index of ``store`` when one of its current contents is already built; never builds one."""
    for place in _places(store):
        try:
            return ActorIndex(place, store)
        except _Stale:
            pass
    return None


def _places(store) -> list[Path]:
    fingerprint = store.fingerprint()
    beside = index_path(store)
    if fingerprint is None or beside is None:
        return []
    return [beside, _fallback(fingerprint)]  # the second for a store in a folder kgraph cannot write


def _fallback(fingerprint: str) -> Path:
    from .projection import _cache_dir

    return _cache_dir() / f"index-{fingerprint}.sqlite"
