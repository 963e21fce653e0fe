"""Which format to answer in, from the client's ``Accept`` header (RFC 9110 §12.5.1).

>>> choose("text/csv;q=0.5, application/sparql-results+json", RESULT_OFFERS)
'json'
>>> choose("text/*", GRAPH_OFFERS)
'ttl'
>>> choose("image/png", RESULT_OFFERS) is None
True
"""

from __future__ import annotations

__all__ = ["choose", "RESULT_OFFERS", "GRAPH_OFFERS", "FORMAT_NAMES"]

# (format name of Result.serialize, media type), in the server's order of preference
RESULT_OFFERS = [
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("xml", "text/xml"),
]
GRAPH_OFFERS = [
    ("ttl", "text/turtle"),
    ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"),
    ("ttl", "application/x-turtle"),
    ("nt", "text/plain"),
    ("jsonld", "application/json"),
]
FORMAT_NAMES = {name for name, _ in RESULT_OFFERS + GRAPH_OFFERS}


def _ranges(header: str):
    for index, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, sub = media.lower().partition("/")
        yield kind, sub, q, index


def choose(accept: str | None, offers) -> str | None:
    """The format name to answer in, or None when the client accepts none of ``offers``.

    The most specific matching range gives each offer its quality; the best
    quality wins, then the range the client listed first, then our order.
    No header means anything goes: the first offer.
    """
    if not accept or not accept.strip():
        return offers[0][0]
    ranges = list(_ranges(accept))
    best, best_key = None, None
    for rank, (name, media) in enumerate(offers):
        kind, _, sub = media.partition("/")
        match = None
        for r_kind, r_sub, q, index in ranges:
            if (r_kind, r_sub) == (kind, sub):
                specificity = 2
            elif (r_kind, r_sub) == (kind, "*"):
                specificity = 1
            elif (r_kind, r_sub) == ("*", "*"):
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, q, index)
        if match is None or match[1] <= 0:
            continue
        key = (match[1], -match[2], -rank)
        if best_key is None or key > best_key:
            best, best_key = name, key
    return best
