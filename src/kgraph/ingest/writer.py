"""Write an ingested thread as a dataset, in the layout of the hand-made one.

``thread.yaml`` holds the thread's metadata and its posts, each with its
``number``, its verbatim ``text`` as a literal block scalar and the
``mentions`` found; the candidate new actors follow as a comment for the
analyst. ``actors.yaml`` is written only when the author is not an actor
yet, with just the author in it.

Why posts are not dumped by ruamel: its pure-Python emitter takes about 20 s
for a 10 MB thread, and it writes a literal block even for text YAML cannot
hold that way (U+2028, NEL). Posts are therefore laid out here, as literal
blocks only when :func:`literal_safe` says the text survives unchanged and
through ruamel, double-quoted, otherwise; the tests load every form back with ruamel and
compare.

>>> print(post_yaml(7, "Toqajev greift durch.\\n(7/23)", ["tokayev"]), end="")
- number: 7
  text: |-
    Toqajev greift durch.
    (7/23)
  mentions: [tokayev]
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..util.patterns import LITERAL_UNSAFE

__all__ = ["thread_yaml", "author_yaml", "post_yaml", "literal_safe", "drafts_yaml", "claim_item_yaml"]

_PLAIN_ID = re.compile(r"^[a-z][a-z0-9-]*$")
# Plain words YAML reads as something other than text.
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
# How many candidate actors the comment at the end of thread.yaml lists.
CANDIDATES_IN_FILE = 100


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _dump(data) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def literal_safe(text: str) -> bool:
    """Whether ``text`` can be written as a ``|-`` block and read back unchanged."""
    return bool(text) and not text[0].isspace() and not text[-1].isspace() and not LITERAL_UNSAFE.search(text)


def _id(actor_id: str) -> str:
    if _PLAIN_ID.match(actor_id) and actor_id not in _RESERVED:
        return actor_id
    return "'" + actor_id.replace("'", "''") + "'"


def post_yaml(number: int, text: str, mentions: Iterable[str]) -> str:
    """One item of the ``posts`` list."""
    if literal_safe(text):
        body = "\n".join("    " + line if line else "" for line in text.split("\n"))
        lines = [f"- number: {number}", "  text: |-", body]
    else:
        # Double quotes, because only they escape every line break YAML knows.
        quoted = _dump({"text": DoubleQuotedScalarString(text)}).rstrip("\n").replace("\n", "\n  ")
        lines = [f"- number: {number}", "  " + quoted]
    mentions = list(mentions)
    if mentions:
        lines.append(f"  mentions: [{', '.join(_id(m) for m in mentions)}]")
    return "\n".join(lines) + "\n"


def _date(value: str):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def thread_yaml(meta: dict, posts: Iterable[tuple[int, str, list[str]]], candidates=(),
                source_name: str = "input") -> str:
    """The text of ``thread.yaml``.

    ``meta`` has ``dataset``, ``title`` (``{language: text}``), ``author``,
    ``date``, ``language`` and optionally ``declared_posts`` and ``source``;
    ``posts`` are ``(number, text, mentions)``; ``candidates`` are
    :class:`~kgraph.ingest.candidates.Candidate` objects.
    """
    head = CommentedMap()
    for key in ("dataset", "title", "author", "date", "language", "declared_posts", "source"):
        if meta.get(key) is not None:
            head[key] = _date(meta[key]) if key == "date" else meta[key]
    parts = [
        f"# Thread read by `kgraph ingest` from {source_name}.\n",
        "# Post texts are verbatim, numbering marker included. `mentions` lists the known\n",
        "# actors each post names, found by the alias index: check them, drop the wrong\n",
        "# ones, then write the claims (claims.yaml) by hand.\n",
        _dump(head),
        "posts:\n",
    ]
    parts += [post_yaml(number, text, mentions) for number, text, mentions in posts]
    parts += _candidates_comment(list(candidates))
    return "".join(parts)


def _candidates_comment(candidates) -> list[str]:
    if not candidates:
        return []
    lines = ["\n# Candidate new actors, NOT added: names no actor in data/ carries.\n",
             "# Add the ones that matter to an actors.yaml, then run `kgraph ingest --force`\n",
             "# again to record them as mentions (before you edit this file: it is replaced).\n"]
    for candidate in candidates[:CANDIDATES_IN_FILE]:
        posts = ", ".join(str(n) for n in candidate.posts)
        plural = "s" if len(candidate.posts) > 1 else ""
        lines.append(f"#   {' '.join(candidate.name.split())} ({candidate.kind}; type {candidate.type}?): "
                     f"post{plural} {posts}\n")
    if len(candidates) > CANDIDATES_IN_FILE:
        more = len(candidates) - CANDIDATES_IN_FILE
        lines.append(f"#   ... and {more} more (kgraph ingest --format json lists all)\n")
    return lines


def author_yaml(actor_id: str, name: str, dataset: str) -> str:
    """``actors.yaml`` holding only the thread's author, a person nobody recorded yet."""
    actor = CommentedMap()
    actor["id"] = actor_id
    actor["type"] = "person"
    actor["label"] = CommentedMap([("en", name), ("de", name)])
    actor["description"] = f"Author of the thread {dataset}."
    return "".join([
        "# The thread's author, added by `kgraph ingest` because no dataset had them as\n",
        "# an actor (every dataset's author must be one). Check the labels (en and de),\n",
        "# add aliases and a wikidata QID where certain; see data/*/actors.yaml.\n",
        _dump({"actors": [actor]}),
    ])


_CLAIM_KEYS = ("id", "post", "subject", "relation", "object", "quote", "asserted_by", "modality")


def claim_item_yaml(claim: dict, indent: str = "") -> str:
    """One item of a ``claims`` list, keys in the order of the hand-made claims.yaml."""
    item = CommentedMap((key, claim[key]) for key in _CLAIM_KEYS if claim.get(key) is not None)
    item.update((key, value) for key, value in claim.items() if key not in item and value is not None)
    text = _dump([item])
    return "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def drafts_yaml(drafts, dataset: str) -> str:
    """The text of ``claims.draft.yaml``: one commented item per :class:`~kgraph.ingest.drafts.Draft`."""
    parts = [
        f"# Draft claims of {dataset}, proposed by `kgraph ingest --draft-claims`.\n",
        "# `kgraph build` never reads this file. Review every draft: subject and object,\n",
        "# the relation (`?`: none proposed; `kgraph relations` lists them), the quote\n",
        "# (shortest verbatim span), modality and asserted_by; delete the wrong ones.\n",
        "# Then `kgraph claims promote ID...` moves drafts into claims.yaml.\n",
        "claims:\n",
    ]
    for draft in drafts:
        parts.append(f"# {draft.basis}\n")
        parts.append(claim_item_yaml({"id": draft.id, "post": draft.post, "subject": draft.subject,
                                      "relation": draft.relation, "object": draft.object, "quote": draft.quote,
                                      "asserted_by": draft.asserted_by, "modality": draft.modality}))
    return "".join(parts)
