"""What :class:`kgraph.KGraph` answers: small objects that print well everywhere.

Each answer has a short ``repr`` for the console, ``to_dict()`` and
``to_json()`` giving exactly what the matching command prints with
``--format json`` (a list for the list-like answers), and ``_repr_html_``
so Jupyter shows it as a list or table with the evidence. ``resolved`` holds
how each name typed was taken (:class:`kgraph.network.names.Match`); ``notes()`` are
the lines the CLI prints on stderr for the names that were not exact.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from .util.textsafe import json_text

__all__ = ["Answer", "Paths", "ActorReport", "Neighbours", "ActorList", "Ranking", "Factions", "ClaimList",
           "PostText", "SearchHits", "RelationList", "Page"]


def _e(text) -> str:
    return html.escape(str(text))


def _table(headers, rows) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _evidence_html(ev: dict) -> str:
    """One piece of evidence (:func:`kgraph.network.algorithms.evidence_dict`) as an HTML list item."""
    caveats = [f"time: {_e(', '.join(str(v) for v in ev['time'].values()))}" if ev["time"] else "",
               f"note: {_e(ev['note'])}" if ev["note"] else ""]
    extra = "".join(f"<br><small>{c}</small>" for c in caveats if c)
    return (f"<li>post {_e(ev['post'])}: <q>{_e(ev['quote'])}</q> — {_e(ev['asserted_by'])}, "
            f"<i>{_e(ev['modality'])}</i>{extra}</li>")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@dataclass(repr=False)
class Answer:
    """The shared part: ``to_json()`` from ``to_dict()``, the notes from ``resolved``."""

    def to_dict(self):
        raise NotImplementedError

    def to_json(self) -> str:
        """``to_dict()`` as the CLI prints it: indented JSON, control characters as ``\\u`` escapes."""
        return json_text(self.to_dict())

    @property
    def resolved(self) -> list:
        return []

    def notes(self) -> list[str]:
        """What each name typed was taken as, for the names that were not an exact match."""
        return [m.note() for m in self.resolved if m.note()]


@dataclass(repr=False)
class _Listing(Answer):
    """An answer that is a list: iterate, index and count it."""

    def items(self) -> list:
        raise NotImplementedError

    def to_dict(self) -> list:
        """The items as the CLI's JSON lists them (a listing of plain rows is its own JSON)."""
        return self.items()

    def __iter__(self):
        return iter(self.items())

    def __len__(self) -> int:
        return len(self.items())

    def __getitem__(self, index):
        return self.items()[index]


@dataclass(repr=False)
class Paths(_Listing):
    """The shortest paths between two actors (:class:`kgraph.network.algorithms.Path`), each hop with its evidence."""

    source: object  # the ActorInfo each end was taken as
    target: object
    paths: list
    network: object  # the Projection the paths run in (their actors' labels)
    from_match: object
    to_match: object
    excluded: list = field(default_factory=list)

    def items(self) -> list:
        return self.paths

    @property
    def resolved(self) -> list:
        return [self.from_match, self.to_match, *self.excluded]

    @property
    def datasets(self) -> list[str]:
        return self.network.datasets

    def to_dict(self) -> dict:
        a, b = self.source, self.target
        return {"from": {"id": a.id, "label": a.label}, "to": {"id": b.id, "label": b.label},
                "paths": [p.to_dict(self.network.actors) for p in self.paths],
                "resolved": {"from": self.from_match.to_dict(), "to": self.to_match.to_dict(),
                             "exclude": [m.to_dict() for m in self.excluded]}}

    def __repr__(self) -> str:
        ends = f"{self.source.label} → {self.target.label}"
        if self.source.id == self.target.id:
            return f"<Paths {ends}: the same actor>"
        shortest = min(p.length for p in self.paths)
        return f"<Paths {ends}: {_plural(len(self.paths), 'path')}, shortest {_plural(shortest, 'hop')}>"

    def _repr_html_(self) -> str:
        items = []
        for found in self.to_dict()["paths"]:
            hops = "".join(
                f"<li>{_e(h['from']['label'])} "
                + (f"—{_e(h['relation'])}→" if h["direction"] == "forward" else f"←{_e(h['relation'])}—")
                + f" {_e(h['to']['label'])}<ul>{''.join(_evidence_html(ev) for ev in h['evidence'])}</ul></li>"
                for h in found["hops"])
            items.append(f"<li>{_plural(found['length'], 'hop')}<ul>{hops}</ul></li>")
        return (f"<div><b>{_e(self.source.label)} → {_e(self.target.label)}</b>"
                f"<ol>{''.join(items)}</ol></div>")


@dataclass(repr=False)
class ActorReport(Answer):
    """Everything about one actor (:func:`kgraph.network.showing.describe`): names, relations with evidence."""

    info: dict
    match: object
    datasets: list = field(default_factory=list)

    @property
    def resolved(self) -> list:
        return [self.match]

    def to_dict(self) -> dict:
        return {**self.info, "resolved": self.match.to_dict()}

    def __repr__(self) -> str:
        info = self.info
        return (f"<Actor {info['label']} ({info['id']}, {', '.join(info['types'])}): "
                f"{_plural(len(info['relations']), 'relation')}>")

    def _repr_html_(self) -> str:
        info = self.info
        rows = "".join(
            f"<li>{'—' if r['direction'] == 'out' else '←'}{_e(r['relation'])}"
            f"{'→' if r['direction'] == 'out' else '—'} {_e(r['other']['label'])}"
            f"<ul>{''.join(_evidence_html(ev) for ev in r['evidence'])}</ul></li>" for r in info["relations"])
        return (f"<div><b>{_e(info['label'])}</b> ({_e(info['id'])}, {_e(', '.join(info['types']))})"
                f"<p>{_e(info['description'])}</p><ul>{rows}</ul></div>")


@dataclass(repr=False)
class Neighbours(_Listing):
    """The actors within ``depth`` hops of one, nearest first (``id``, ``label``, ``distance``, ``relations``)."""

    actor: object
    depth: int
    rows: list
    match: object

    def items(self) -> list:
        return self.rows

    @property
    def resolved(self) -> list:
        return [self.match]

    def to_dict(self) -> dict:
        return {"actor": {"id": self.actor.id, "label": self.actor.label}, "neighbours": self.rows,
                "resolved": self.match.to_dict()}

    def __repr__(self) -> str:
        return f"<Neighbours of {self.actor.label} within {_plural(self.depth, 'hop')}: {_plural(len(self), 'actor')}>"

    def _repr_html_(self) -> str:
        return _table(["distance", "actor", "relations"],
                      [[r["distance"], r["label"], ", ".join(r["relations"])] for r in self.rows])


@dataclass(repr=False)
class ActorList(_Listing):
    """Actors with ``id``, ``type``, ``label`` and number of ``relations``."""

    rows: list

    def items(self) -> list:
        return self.rows

    def __repr__(self) -> str:
        return f"<Actors: {len(self)}>"

    def _repr_html_(self) -> str:
        return _table(["id", "type", "label", "relations"], [list(r.values()) for r in self.rows])


@dataclass(repr=False)
class Ranking(_Listing):
    """Actors ranked by a centrality ``measure``, highest first (``id``, ``label``, ``score``)."""

    measure: str
    rows: list

    def items(self) -> list:
        return self.rows

    def score_text(self, score: float) -> str:
        """A score as the CLI prints it: a whole number of relations, else three decimals."""
        return f"{score:.0f}" if self.measure == "degree" else f"{score:.3f}"

    def __repr__(self) -> str:
        top = ", ".join(f"{r['label']} {self.score_text(r['score'])}" for r in self.rows[:3])
        return f"<Ranking by {self.measure}: {top}{', …' if len(self) > 3 else ''}>"

    def _repr_html_(self) -> str:
        return _table([self.measure, "actor"], [[self.score_text(r["score"]), r["label"]] for r in self.rows])


@dataclass(repr=False)
class Factions(_Listing):
    """Communities of actors, largest first; each a list of ``{"id", "label"}``."""

    groups: list

    def items(self) -> list:
        return self.groups

    def __repr__(self) -> str:
        return f"<Factions: {len(self)} ({', '.join(str(len(g)) for g in self.groups)} actors)>"

    def _repr_html_(self) -> str:
        return "<ol>" + "".join(f"<li>{_e(', '.join(a['label'] for a in g))}</li>" for g in self.groups) + "</ol>"


@dataclass(repr=False)
class ClaimList(_Listing):
    """Claims with their evidence (:class:`kgraph.network.claimlist.ClaimRow`), by dataset, post and claim id."""

    claims: list
    matches: list = field(default_factory=list)  # how --actor and --asserted-by names were taken

    def items(self) -> list:
        return self.claims

    @property
    def resolved(self) -> list:
        return self.matches

    def to_dict(self) -> list:
        return [c.to_dict() for c in self.claims]

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for c in self.claims:
            counts[c.modality] = counts.get(c.modality, 0) + 1
        parts = ", ".join(f"{m} {n}" for m, n in counts.items())
        return f"<Claims: {len(self)}{f' ({parts})' if parts else ''}>"

    def _repr_html_(self) -> str:
        from .network.claimlist import COLUMNS

        return _table(COLUMNS, [c.cells() for c in self.claims])


@dataclass(repr=False)
class PostText(Answer):
    """One post verbatim with its claims and mentions (:func:`kgraph.network.posts.get_post`)."""

    data: dict

    def to_dict(self) -> dict:
        return self.data

    def __repr__(self) -> str:
        d = self.data
        by = f" by {d['author']['label']}" if d["author"] else ""
        return f"<Post {d['post']} of {d['dataset'] or 'the graph'}{by}: {_plural(len(d['claims']), 'claim')}>"

    def _repr_html_(self) -> str:
        d = self.data
        claims = "".join(f"<li>{_e(c['subject']['label'])} —{_e(c['relation']['label'])}→ "
                         f"{_e(c['object']['label'])} <i>{_e(c['modality'])}</i>: <q>{_e(c['quote'])}</q></li>"
                         for c in d["claims"])
        return f"<div><b>{_e(repr(self)[1:-1])}</b><blockquote>{_e(d['text'])}</blockquote><ul>{claims}</ul></div>"


@dataclass(repr=False)
class SearchHits(_Listing):
    """Posts, quotes, notes and descriptions holding every word of ``text``
    (:func:`kgraph.network.searching.search`)."""

    text: str
    hits: list

    def items(self) -> list:
        return self.hits

    def __repr__(self) -> str:
        return f"<SearchHits for {self.text!r}: {len(self)}>"

    def _repr_html_(self) -> str:
        return _table(["found in", "post", "id", "text"],
                      [[h["field"], h["post"] or "", h["label"] or h["id"], h["snippet"]] for h in self.hits])


@dataclass(repr=False)
class RelationList(_Listing):
    """The relations of the vocabulary: ``id``, ``label``, ``label_de``, ``family``, ``domain``, ``range``."""

    rows: list

    def items(self) -> list:
        return self.rows

    def __repr__(self) -> str:
        return f"<Relations: {len(self)}>"

    def _repr_html_(self) -> str:
        return _table(list(self.rows[0]) if self.rows else [], [list(r.values()) for r in self.rows])


@dataclass(repr=False)
class Page:
    """The interactive network as one offline HTML page (``kgraph viz``); ``save()`` writes it,
    Jupyter shows it inline."""

    html: bytes
    view: object  # the kgraph.viz.View drawn

    @property
    def resolved(self) -> list:
        return self.view.resolved

    def notes(self) -> list[str]:
        return [m.note() for m in self.resolved if m.note()]

    def save(self, path: Path | str) -> Path:
        """Write the page to ``path`` (all of it or nothing); the path written."""
        from .util.atomic import write_atomic

        write_atomic(path, self.html)
        return Path(path)

    def __repr__(self) -> str:
        net = self.view.projection
        return (f"<Page {self.view.title!r}: {_plural(len(net.actors), 'actor')}, "
                f"{_plural(len(net.edges), 'relation')}, {len(self.html) / 1024:.0f} KiB>")

    def _repr_html_(self) -> str:
        # srcdoc keeps the page's own Content-Security-Policy and scripts apart from the notebook's.
        return (f'<iframe srcdoc="{html.escape(self.html.decode("utf-8"), quote=True)}" '
                f'sandbox="allow-scripts" style="width: 100%; height: 600px; border: 0"></iframe>')
