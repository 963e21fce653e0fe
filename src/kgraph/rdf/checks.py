"""Checks across the source data that need more than one record.

Each check returns :class:`~kgraph.errors.Problem` objects pointing at the
``FILE:LINE`` to fix: unknown ids (with a "did you mean"), duplicates, post
numbers out of range, quotes not found verbatim in their post, and relations
used on the wrong kind of actor.
"""

from __future__ import annotations

import difflib

from ..errors import Problem
from ..source.model import ACTOR_TYPES, Dataset, Where
from .namespaces import ONTOLOGY_GRAPH, graph_iri
from .ontology import Vocabulary

__all__ = ["check_datasets"]


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _problem(where: Where, message: str) -> Problem:
    return Problem(where.file, where.line, message)


def check_datasets(datasets: list[Dataset], vocabulary: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    actor_types: dict[str, str] = {}
    first_seen = {}
    for dataset in datasets:
        if graph_iri(dataset.name) == ONTOLOGY_GRAPH:
            add(_problem(dataset.where.of("dataset"),
                         f"dataset name {dataset.name!r} is reserved: {ONTOLOGY_GRAPH} names the ontology's graph"))
        seen_here = {}
        for actor in dataset.actors:
            if actor.id in seen_here:
                add(_problem(actor.where.of("id"),
                             f"actor id {actor.id!r} is defined twice (first at {seen_here[actor.id]})"))
                continue
            seen_here[actor.id] = actor.where
            if actor.id in actor_types and actor_types[actor.id] != actor.type:
                add(_problem(actor.where.of("type"),
                             f"actor {actor.id!r} has type {actor.type!r} here but {actor_types[actor.id]!r} "
                             f"at {first_seen[actor.id]}"))
            actor_types.setdefault(actor.id, actor.type)
            first_seen.setdefault(actor.id, actor.where)
    known = set(actor_types)

    def need_actor(actor_id: str, where, role: str) -> bool:
        if actor_id in known:
            return True
        add(Problem(where.file, where.line, f"unknown actor {actor_id!r} as {role}{_hint(actor_id, known)}"))
        return False

    for dataset in datasets:
        need_actor(dataset.author, dataset.where.of("author"), "the dataset's author")
        posts = {p.number: p for p in dataset.posts}
        for post in dataset.posts:
            for mention in post.mentions:
                need_actor(mention, post.where.of("mentions"), f"a mention in post {post.number}")
        seen_claims = {}
        for claim in dataset.claims:
            w = claim.where
            at = w.of
            if claim.id in seen_claims:
                add(_problem(at("id"), f"claim id {claim.id!r} is used twice (first at {seen_claims[claim.id]})"))
            seen_claims.setdefault(claim.id, w)
            ok_subject = need_actor(claim.subject, at("subject"), f"subject of claim {claim.id}")
            ok_object = need_actor(claim.object, at("object"), f"object of claim {claim.id}")
            need_actor(claim.asserted_by, at("asserted_by"), f"asserted_by of claim {claim.id}")
            relation = vocabulary.relations.get(claim.relation)
            if relation is None:
                add(_problem(at("relation"), f"unknown relation {claim.relation!r} in claim {claim.id}"
                                             f"{_hint(claim.relation, vocabulary.relations)}"))
            elif ok_subject and ok_object:
                for end, actor_id, wanted in (("subject", claim.subject, relation.domain),
                                              ("object", claim.object, relation.range)):
                    cls = ACTOR_TYPES[actor_types[actor_id]]
                    if not vocabulary.is_a(cls, wanted):
                        add(_problem(at(end), f"{relation.id!r} needs a {wanted} as {end}, but {actor_id!r} is a "
                                              f"{actor_types[actor_id]} (claim {claim.id})"))
            post = posts.get(claim.post)
            if post is None:
                last = max(posts) if posts else 0
                add(_problem(at("post"), f"claim {claim.id} cites post {claim.post}, out of range 1..{last}"))
            elif claim.quote not in post.text:
                add(_problem(at("quote"), f"quote of claim {claim.id} is not verbatim in post {claim.post}"
                                          f"{_divergence(claim.quote, post.text)}"))
            if claim.subject == claim.object:
                add(_problem(at("object"), f"claim {claim.id} links {claim.subject!r} to itself"))
    return problems


def _divergence(quote: str, text: str) -> str:
    """Where a quote stops matching its post: the longest start of it found verbatim."""
    low, high = 0, len(quote)
    while low < high:
        mid = (low + high + 1) // 2
        if quote[:mid] in text:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return f": no part of it is in the post ({quote[:30]!r})"
    return f": it matches up to {quote[max(0, low - 25):low]!r}, then differs at {quote[low:low + 25]!r}"
