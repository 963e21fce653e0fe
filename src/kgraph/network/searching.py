"""Find the words people type in the posts, quotes, notes and actor descriptions of the graph.

Text and words are folded as names are (:func:`kgraph.network.names.fold`: case,
accents, Cyrillic transliterated), so ``staatsverrat`` finds "Staatsverrat"
and ``masimov`` finds "Масимов". A hit holds every word, anywhere in its text.

The texts are read from the store with one SPARQL query and folded here:
SPARQL has no transliteration, and a store's own full-text index is not
standard.
"""

from __future__ import annotations

from ..errors import KgraphError
from ..rdf.namespaces import local_id
from .names import MAX_NAME_LENGTH, fold

__all__ = ["search", "TEXTS_QUERY"]

TEXTS_QUERY = """
SELECT ?field ?node ?dataset ?post ?claimId ?text WHERE {
  {
    ?node a schema:SocialMediaPosting ; schema:text ?text ; schema:position ?post .
    OPTIONAL { ?node kg:dataset ?dataset }
    BIND("post" AS ?field)
  } UNION {
    ?node a kg:Statement ; ?p ?text ; prov:wasDerivedFrom/schema:position ?post .
    VALUES (?p ?field) { (kg:quote "quote") (kg:note "note") }
    OPTIONAL { ?node kg:claimId ?claimId }
    OPTIONAL { ?node kg:dataset ?dataset }
  } UNION {
    ?node kg:actorType ?type ; schema:description ?text .
    BIND("description" AS ?field)
  }
}
"""

# Within a claim, its quote before its note.
_ORDER = {"post": 0, "quote": 1, "note": 2, "description": 3}
# Words of context around the first word found: a table cuts the end of a cell, so few before it.
_BEFORE, _AFTER = 3, 10


def search(store, text: str) -> list[dict]:
    """Every post, claim quote, claim note and actor description in ``store`` holding all words of ``text``.

    Each hit: ``field`` (post, quote, note, description), ``dataset``,
    ``post`` (None for an actor), ``id`` (the claim or actor id; the post
    number as text for a post), ``label`` (an actor's), ``text`` (verbatim)
    and ``snippet`` (the words around the first match).

    Examples
    --------
    >>> import kgraph
    >>> hits = kgraph.search(kgraph.open_store(), "staatsverrat")
    >>> sorted({hit["field"] for hit in hits})
    ['description', 'note', 'post', 'quote']
    """
    if not isinstance(text, str) or len(text) > MAX_NAME_LENGTH:
        raise KgraphError(f"search text too long (at most {MAX_NAME_LENGTH} characters)")
    words = fold(text).split()
    if not words:
        raise KgraphError("nothing to search for: give a word with a letter or digit")
    from ..stores.query import label_terms

    hits = []
    for field, node, dataset, post, claim_id, found in store.query(TEXTS_QUERY).rows:
        folded = fold(str(found))
        if not all(w in folded for w in words):
            continue
        number = None if post is None else int(post.toPython())
        ident = str(claim_id) if claim_id is not None else local_id(node)
        hits.append({"field": str(field), "dataset": "" if dataset is None else str(dataset), "post": number,
                     "id": str(number) if str(field) == "post" else ident, "node": node, "label": "",
                     "text": str(found), "snippet": _snippet(str(found), words[0])})
    labels = label_terms(store, [h["node"] for h in hits if h["field"] == "description"])
    for hit in hits:
        node = hit.pop("node")
        if hit["field"] == "description":
            hit["label"] = labels.get(str(node), hit["id"])
    hits.sort(key=lambda h: (h["field"] == "description", h["dataset"], h["post"] or 0, h["field"] != "post",
                             h["id"], _ORDER[h["field"]]))
    return hits


def _snippet(text: str, word: str) -> str:
    """The words of ``text`` around the first one whose folded form holds ``word``."""
    tokens = text.split()
    if len(tokens) <= _BEFORE + _AFTER + 1:
        return " ".join(tokens)
    at = next((i for i, t in enumerate(tokens) if word in fold(t)), 0)
    start, end = max(at - _BEFORE, 0), min(at + _AFTER + 1, len(tokens))
    return ("… " if start else "") + " ".join(tokens[start:end]) + (" …" if end < len(tokens) else "")
