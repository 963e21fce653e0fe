"""One post of a thread as the graph holds it: its text verbatim, its claims, the actors it mentions."""

from __future__ import annotations

from ..errors import KgraphError
from ..rdf.namespaces import local_id

__all__ = ["get_post", "POST_QUERY"]

POST_QUERY = """
SELECT ?postNode ?dataset ?text ?author ?date ?tag ?link ?mention WHERE {
  ?postNode a schema:SocialMediaPosting ; schema:position ?number .
  OPTIONAL { ?postNode kg:dataset ?dataset }
  OPTIONAL { ?postNode schema:text ?text }
  OPTIONAL { ?postNode schema:author ?author }
  OPTIONAL { ?postNode schema:datePublished ?date }
  OPTIONAL { ?postNode schema:keywords ?tag }
  OPTIONAL { ?postNode schema:citation ?link }
  OPTIONAL { ?postNode kg:mentions ?mention }
}
"""


def get_post(store, number: int, *, dataset: str | None = None) -> dict:
    """Post ``number`` (of ``dataset``, needed when several threads have one) from ``store``.

    Keys: ``dataset``, ``post``, ``text`` (verbatim), ``author``, ``date``,
    ``hashtags``, ``links``, ``mentions`` (actors ``{"id", "label"}`` the post
    is tagged with or its claims link) and
    ``claims`` (:class:`~kgraph.network.claimlist.ClaimRow` dicts, in claim order).

    Raises
    ------
    KgraphError
        When there is no such post.

    Examples
    --------
    >>> import kgraph
    >>> post = kgraph.get_post(kgraph.open_store(), 16)
    >>> post["author"]["id"], post["text"].endswith("(16/23)")
    ('nikita-gerassimow', True)
    """
    from rdflib import Literal

    from ..stores.query import label_terms
    from .claimlist import claims

    rows = store.query(POST_QUERY, bindings={"number": Literal(int(number))}).rows
    by_dataset: dict[str, list] = {}
    for row in rows:
        by_dataset.setdefault("" if row[1] is None else str(row[1]), []).append(row)
    if dataset is not None:
        by_dataset = {k: v for k, v in by_dataset.items() if k == dataset}
    if not by_dataset:
        where = f" in dataset {dataset!r}" if dataset is not None else ""
        raise KgraphError(f"no post {number}{where}")
    if len(by_dataset) > 1:
        raise KgraphError(f"post {number} is in several datasets ({', '.join(sorted(by_dataset))}); "
                          f"pick one with --dataset")
    (name, rows), = by_dataset.items()
    found = claims(store, posts=[number], datasets=[name] if name else [])
    labels = label_terms(store, [t for row in rows for t in (row[3], row[7])])
    first = rows[0]
    # What the post names: the actors it is tagged with, and those its claims link.
    mentions = {local_id(r[7]): labels.get(str(r[7]), local_id(r[7])) for r in rows if r[7] is not None}
    for claim in found:
        for actor in (claim.subject, claim.object):
            mentions.setdefault(actor["id"], actor["label"])
    return {
        "dataset": name,
        "post": int(number),
        "text": "" if first[2] is None else str(first[2]),
        "author": {"id": local_id(first[3]), "label": labels.get(str(first[3]), local_id(first[3]))}
        if first[3] is not None else None,
        "date": "" if first[4] is None else str(first[4]),
        "hashtags": sorted({str(r[5]) for r in rows if r[5] is not None}),
        "links": sorted({str(r[6]) for r in rows if r[6] is not None}),
        "mentions": [{"id": i, "label": label}
                     for i, label in sorted(mentions.items(), key=lambda m: (m[1].casefold(), m[0]))],
        "claims": [c.to_dict() for c in found],
    }
