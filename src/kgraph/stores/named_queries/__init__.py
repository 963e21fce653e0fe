"""Named analyst queries shipped with kgraph, one ``.rq`` file each.

Every file starts with a header of ``# title:`` and ``# description:``
comment lines; :func:`named_queries` reads them. The project's prefixes
(kg:, actor:, rdfs:, skos:, prov:, schema:, ...) are bound for every query.

>>> from kgraph.stores.named_queries import named_queries
>>> "csto-contingents" in named_queries()
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...errors import KgraphError

__all__ = ["NamedQuery", "named_queries", "get_query", "page_text", "parse_page"]

_HEADER = re.compile(r"^#\s*(title|description):\s*(.+?)\s*$", re.M)
# What may follow a named query's text in a page of it: a LIMIT, an OFFSET, both in either order.
_PAGE = re.compile(r"\s+(?:LIMIT\s+(?P<limit>\d+)(?:\s+OFFSET\s+(?P<offset>\d+))?"
                   r"|OFFSET\s+(?P<offset2>\d+)(?:\s+LIMIT\s+(?P<limit2>\d+))?)\s*|\s*", re.I)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str


@lru_cache(maxsize=1)
def _all() -> dict[str, NamedQuery]:
    found = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        header = dict(_HEADER.findall(text))
        name = entry.name[:-3]
        found[name] = NamedQuery(name, header.get("title", name), header.get("description", ""), text)
    return found


def named_queries() -> dict[str, NamedQuery]:
    """All named queries by name, sorted by name."""
    return dict(_all())


def get_query(name: str) -> NamedQuery:
    queries = _all()
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else "; 'kgraph queries' lists them"
        raise KgraphError(f"no named query {name!r}{hint}")
    return queries[name]


def page_text(name: str, *, limit: int | None = None, offset: int | None = None) -> str:
    """The named query ``name`` as SPARQL for one page of its rows: ``LIMIT``/``OFFSET`` after its ORDER BY.

    Every named query orders by all its columns, so the pages of one store
    are slices of the one full answer.

    >>> page_text("eaeu-members", limit=2, offset=4).splitlines()[-1]
    'LIMIT 2 OFFSET 4'
    """
    text = get_query(name).text
    for word, value in (("limit", limit), ("offset", offset)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise KgraphError(f"{word} must be a whole number of at least 0, not {value!r}")
    page = " ".join(f"{word} {value}" for word, value in (("LIMIT", limit), ("OFFSET", offset)) if value is not None)
    return f"{text}\n{page}\n" if page else text


def parse_page(sparql: str) -> tuple[str, int | None, int | None] | None:
    """``(name, limit, offset)`` when ``sparql`` is a named query's text with at most a ``LIMIT`` and an
    ``OFFSET`` after it (as :func:`page_text` writes it, or a SPARQL client pages it); else None.

    >>> parse_page(page_text("eaeu-members", limit=2, offset=4))
    ('eaeu-members', 2, 4)
    >>> parse_page(get_query("eaeu-members").text + "OFFSET 3 LIMIT 1")
    ('eaeu-members', 1, 3)
    >>> parse_page("SELECT * WHERE { ?s ?p ?o }") is None
    True
    """
    sparql = sparql.replace("\r\n", "\n")  # as a browser's form sends it
    for name, named in _all().items():
        text = named.text.rstrip()
        page = _PAGE.fullmatch(sparql, len(text)) if sparql.startswith(text) else None
        if page is not None:
            limit, offset = page["limit"] or page["limit2"], page["offset"] or page["offset2"]
            return name, None if limit is None else int(limit), None if offset is None else int(offset)
    return None
